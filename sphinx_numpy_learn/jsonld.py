"""schema.org ``LearningResource`` JSON-LD in the ``<head>`` of every tutorial page.

Search engines and course catalogs read it; it holds only what the metadata
says. JSON is written with ``<``, ``>`` and ``&`` escaped, so no value can close
the ``<script>`` element it sits in.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.page_meta import absolute_url
from sphinx_numpy_learn.tiers import tiers_of
from sphinx_numpy_learn.tutorial import iso_duration

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_numpy_learn.records import TutorialRecord


def learning_resource(app: Sphinx, pagename: str, record: TutorialRecord) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "LearningResource",
        "learningResourceType": "Tutorial",
        "name": record["title"],
        "timeRequired": iso_duration(record["duration"]),
        "audience": {
            "@type": "EducationalAudience",
            "educationalRole": "student" if record["audience"] == "learner" else "contributor",
        },
    }
    if record["audience_description"]:
        data["audience"]["audienceType"] = record["audience_description"]
    if app.config.language:
        data["inLanguage"] = app.config.language
    if record["summary"]:
        data["description"] = record["summary"]
    tier = tiers_of(app.config).get(record["level"] or "")
    if tier is not None:
        data["educationalLevel"] = tier.translated_label
    if record["objectives"]:
        data["teaches"] = list(record["objectives"])
    if record["needs"]:
        data["competencyRequired"] = list(record["needs"])
    if record["tags"]:
        data["keywords"] = ", ".join(record["tags"])
    url = absolute_url(app, pagename)
    if url:
        data["url"] = url
    return data


def script_json(data: Any) -> str:
    """JSON that is safe inside ``<script>``: no ``</script>``, no HTML comment openers."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def add_json_ld(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if not app.config.learn_json_ld or doctree is None:
        return
    record = get_domain(app.env).tutorials.get(pagename)
    if record is None:
        return
    script = (
        '<script type="application/ld+json">'
        + script_json(learning_resource(app, pagename, record))
        + "</script>\n"
    )
    context["metatags"] = context.get("metatags", "") + script


def setup_jsonld(app: Sphinx) -> None:
    app.connect("html-page-context", add_json_ld)
