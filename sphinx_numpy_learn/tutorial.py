"""Tutorials: the ``tutorial`` directive, metadata collection and the header card.

On ``source-read`` we keep the page's ``learn:`` front matter (with line numbers,
which MyST does not keep). On ``doctree-read`` we merge it with the ``tutorial``
directive's options and the style-guide headings, validate the result, store it
in the :class:`~sphinx_numpy_learn.domain.LearnDomain` and put a header card at
the top of the page (or where the directive stands).
"""

from __future__ import annotations

import logging
import math
import posixpath
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

from sphinx_numpy_learn import _compat, derive, key_points, metadata, rich_text
from sphinx_numpy_learn.directive_options import LearnDirective, OptionSpec
from sphinx_numpy_learn.directive_options import text as text_option
from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.i18n import _, ngettext
from sphinx_numpy_learn.instructor import instructor_note
from sphinx_numpy_learn.log import LOGGER, warn
from sphinx_numpy_learn.nodes_util import add_node_everywhere, like
from sphinx_numpy_learn.notebooks.run import NOT_EXECUTED, OK
from sphinx_numpy_learn.records import (
    ExecutionRecord,
    Prerequisite,
    TutorialRecord,
    tutorial_record,
)
from sphinx_numpy_learn.tiers import make_badge, make_duration, tiers_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

FRONT_MATTER_KEY = "learn_front_matter"
DIRECTIVE_KEY = "learn_directive"
AUDIENCES = ("learner", "contributor")
# A summary taken from the page's first paragraph is cut at a word near this length.
SUMMARY_LENGTH = 200
# The warning subtype of each kind of metadata problem (learn.<subtype>).
PROBLEM_SUBTYPES = {
    "metadata": "metadata",
    "level": "level",
    "required": "metadata",
    "prerequisite": "prerequisite",
}


def field_labels() -> dict[str, str]:
    return {
        "prerequisites": _("Prerequisites"),
        "outcome": _("What you'll do"),
        "objectives": _("What you'll learn"),
        "needs": _("What you'll need"),
        "audience_description": _("Who this is for"),
    }


# -- Nodes ------------------------------------------------------------------------------


class tutorial_header(nodes.container):
    """The header card of a tutorial page; a plain container outside HTML."""


def visit_header_html(self: HTML5Translator, node: tutorial_header) -> None:
    self.body.append(
        self.starttag(
            node,
            "aside",
            "",
            CLASS="learn-tutorial-header",
            **{"aria-label": _("About this tutorial")},
        )
    )


def depart_header_html(self: HTML5Translator, node: tutorial_header) -> None:
    self.body.append("</aside>\n")


# -- The directive -------------------------------------------------------------------------


class TutorialDirective(LearnDirective):
    """Declare the tutorial's metadata; the header card appears where this stands.

    Every option is text here; :func:`metadata.from_options` converts and the
    schema checks it, like front matter. An unknown option is a ``learn.metadata``
    warning."""

    has_content = False
    option_spec = OptionSpec(
        dict.fromkeys(metadata.tutorial_field_names(), text_option), subtype="metadata"
    )

    def run(self) -> list[nodes.Node]:
        location = self.get_location()
        options = self.options
        if DIRECTIVE_KEY in self.env.temp_data:
            warn(
                "a page holds one tutorial directive; this one is ignored",
                subtype="metadata",
                location=location,
            )
            return []
        self.env.temp_data[DIRECTIVE_KEY] = metadata.from_options(options, self.lineno)
        header = tutorial_header(classes=["learn-tutorial-header"], from_directive=True)
        self.set_source_info(header)
        return [header]


# -- Collecting metadata -------------------------------------------------------------------


def keep_front_matter(app: Sphinx, docname: str, content: list[str]) -> None:
    """``source-read``: parse the page's ``learn:`` front matter, keeping line numbers."""
    suffix = posixpath.splitext(str(app.env.doc2path(docname)))[1]
    declared = metadata.from_front_matter(content[0], suffix)
    if declared is not None:
        app.env.temp_data[FRONT_MATTER_KEY] = declared


def _report(env: BuildEnvironment, declared: metadata.Declared) -> None:
    for problem in declared.problems:
        location = (env.docname, problem.line) if problem.line else env.docname
        warn(problem.message, subtype="metadata", location=location)


def resolve_doc(env: BuildEnvironment, docname: str, target: str) -> str:
    return metadata.resolve_doc_name(docname, target, list(env.config.source_suffix))


def _is_code(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Element) and node.get("nb_element") == "cell_code"


def _is_doctest(node: nodes.Node) -> bool:
    """A block of ``>>>`` examples: rST's doctest block, or a code block written as one."""
    if isinstance(node, nodes.doctest_block):
        return True
    return isinstance(node, nodes.literal_block) and node.astext().lstrip().startswith(">>>")


def _example_words(block: nodes.Element) -> int:
    """Words of a doctest example, read like prose: its code and output, not its prompts."""
    lines = (
        line.strip().removeprefix(">>>").removeprefix("...")
        for line in block.astext().splitlines()
    )
    return sum(len(line.split()) for line in lines)


def estimate_minutes(env: BuildEnvironment, docname: str, doctree: nodes.document) -> int:
    """Reading time, plus time per code cell, plus the measured execution time.

    Doctest examples (``>>>``) are read, not typed and run like a notebook's cells:
    their words count as prose, without the prompts."""
    config = env.config
    words = 0
    skip = (
        nodes.literal_block,
        nodes.doctest_block,
        nodes.comment,
        nodes.raw,
        nodes.system_message,
        instructor_note,  # not for learners
    )
    for text in doctree.findall(nodes.Text):
        parent = text.parent
        if any(isinstance(p, skip) or _is_code(p) for p in _ancestors(parent)):
            continue
        words += len(text.split())
    outside_cells = [
        block
        for block in doctree.findall(nodes.FixedTextElement)
        if isinstance(block, (nodes.literal_block, nodes.doctest_block))
        and not any(_is_code(p) for p in _ancestors(block))
    ]
    words += sum(_example_words(block) for block in outside_cells if _is_doctest(block))
    cells = sum(1 for _ in doctree.findall(_is_code))
    if not cells:
        cells = sum(1 for block in outside_cells if not _is_doctest(block))
    seconds = 60 * words / config.learn_reading_speed + 60 * cells * config.learn_minutes_per_cell
    seconds += _execution_seconds(env, docname)
    return max(5, 5 * math.ceil(seconds / 300))


def _ancestors(node: nodes.Node | None) -> list[nodes.Node]:
    found = []
    while node is not None:
        found.append(node)
        node = node.parent
    return found


def _execution_seconds(env: BuildEnvironment, docname: str) -> float:
    # Recorded on doctree-read before this runs (sphinx_numpy_learn.notebooks.events).
    record = get_domain(env).executions.get(docname)
    return float(record["runtime"]) if record else 0.0


def collect_tutorial(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: merge, validate and store the page's metadata; add its header."""
    env = app.env
    docname = env.docname
    front_matter: metadata.Declared | None = env.temp_data.pop(FRONT_MATTER_KEY, None)
    directive: metadata.Declared | None = env.temp_data.pop(DIRECTIVE_KEY, None)
    parts = rich_text.parts_of_doctree(doctree)
    opening = derive.find_opening(parts)
    derive_on = app.config.learn_derive_metadata
    headings, rich = metadata.from_opening(opening)
    # A closing "Key points" section fills keypoints; it never makes a page a tutorial.
    closing, closing_rich, own_keypoints = metadata.from_closing(parts)
    rich.update(closing_rich)

    explicit = [metadata.validate(d) for d in (directive, front_matter) if d is not None]
    for declared in explicit:
        _report(env, declared)
    # Front matter that could not be read at all (reported above) declares nothing.
    explicit = [d for d in explicit if not d.unreadable]
    judgement = derive.judge(
        declares=metadata.declares_metadata(explicit),
        pattern=metadata.matching_pattern(app.config.learn_tutorial_patterns, docname),
        opening=opening if derive_on else None,
        derived=headings.values if derive_on else (),
        is_notebook=lambda: _is_notebook(env, docname, doctree),
    )
    LOGGER.debug(
        "[learn] %s is %sa tutorial: %s",
        docname,
        "" if judgement.is_tutorial else "not ",
        judgement.reason,
    )
    if not judgement.is_tutorial:
        return
    sources = explicit + ([headings, closing] if derive_on else [])
    values, origin, lines = metadata.merge(sources)
    if directive is not None and front_matter is not None:
        both = sorted(set(directive.values) & set(front_matter.values))
        if both:
            warn(
                f"{', '.join(both)} declared both in front matter and in the tutorial "
                "directive; the directive wins",
                subtype="metadata",
                location=(docname, directive.line),
            )
    declared_line = next((d.line for d in explicit if d.line), None)

    problems, prerequisites = metadata.value_problems(
        docname,
        values,
        lines,
        declared_line,
        tiers=list(tiers_of(app.config)),
        required_fields=list(app.config.learn_required_fields),
        docnames=env.found_docs,
        source_suffixes=list(app.config.source_suffix),
    )
    for problem in problems:
        if problem.kind == "level":
            values.pop("level")
            origin.pop("level")
        warn(
            problem.message,
            subtype=PROBLEM_SUBTYPES[problem.kind],
            location=(docname, problem.line) if problem.line else docname,
        )

    # Only the tutorial directive puts a header in the page before this one does.
    header = next(iter(doctree.findall(tutorial_header)), None) if directive is not None else None
    # Inline markup of the fields read from the page (derive's plain data).
    rich_fields = {name: rich[name] for name, source in origin.items() if source == "headings"}
    if "summary" not in values and origin.get("outcome") == "headings":
        rich_fields["summary"] = rich["outcome"]
    if values.get("keypoints") and origin.get("keypoints") != "headings":
        values["keypoints"], rich_fields["keypoints"] = derive.declared_points(values["keypoints"])
    summary = values.get("summary") or values.get("outcome") or ""
    if not summary:
        opening_nodes = [part.node for part in opening.sections.values()]
        summary = rich_text.trim(
            rich_text.first_paragraph(doctree, generated=(tutorial_header,), skip=opening_nodes),
            SUMMARY_LENGTH,
        )
    duration = values.get("duration")
    record = tutorial_record(
        title=_title(env, docname, doctree),
        line=declared_line,
        level=values.get("level"),
        duration=estimate_minutes(env, docname, doctree) if duration is None else duration,
        duration_estimated="duration" not in values,
        prerequisites=prerequisites,
        objectives=values.get("objectives", []),
        outcome=values.get("outcome", ""),
        needs=values.get("needs", []),
        keypoints=values.get("keypoints", []),
        tags=values.get("tags", []),
        audience=values.get("audience", "learner"),
        audience_description=values.get("audience_description", ""),
        summary=summary,
        rich=rich_fields,
        sources=origin,
        shown_in_page=sorted([*opening.sections, *(["keypoints"] if own_keypoints else [])]),
    )
    if LOGGER.isEnabledFor(logging.DEBUG):
        origins = ", ".join(f"{name} from {source}" for name, source in sorted(origin.items()))
        LOGGER.debug("[learn] %s: %s", docname, origins)
    get_domain(env).note_tutorial(docname, record)
    get_domain(env).note_badge(docname)
    # Found or not: the page is read again when one of them is added or removed.
    get_domain(env).note_named(
        docname,
        (
            resolve_doc(env, docname, item)
            for item in values.get("prerequisites", [])
            if not isinstance(item, dict)
        ),
    )
    _place_header(doctree, header, build_header(app, docname, record))
    key_points.place_box(doctree, record, lines.get("keypoints", declared_line))


def _is_notebook(env: BuildEnvironment, docname: str, doctree: nodes.document) -> bool:
    """A notebook: an ``.ipynb``, or a page with code cells (a MyST notebook)."""
    if str(env.doc2path(docname)).endswith(".ipynb"):
        return True
    return any(True for _ in doctree.findall(_is_code))


def _title(env: BuildEnvironment, docname: str, doctree: nodes.document) -> str:
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None and section.children and isinstance(section[0], nodes.title):
        return section[0].astext()
    return docname


def _place_header(
    doctree: nodes.document, placeholder: tutorial_header | None, header: tutorial_header
) -> None:
    if placeholder is not None:
        header.source, header.line = placeholder.source, placeholder.line
        placeholder.replace_self(header)
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        doctree.insert(0, header)
    else:
        position = 1 if section.children and isinstance(section[0], nodes.title) else 0
        section.insert(position, header)


def minutes_text(minutes: int, *, estimated: bool) -> str:
    """How long something takes, written the one way every header, card, path step and
    path total writes it: "40 minutes", "2 h 50 min"; with "about" when estimated."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        text = ngettext("%d minute", "%d minutes", minutes) % minutes
    elif not rest:
        text = _("%d h") % hours
    else:
        text = _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": rest}
    return _("about %s (estimated)") % text if estimated else text


def duration_text(record: TutorialRecord) -> str:
    """A tutorial's duration, as :func:`minutes_text` writes it."""
    return minutes_text(record["duration"], estimated=record["duration_estimated"])


def iso_duration(minutes: int) -> str:
    """The same duration for machines (ISO 8601, as schema.org wants): ``PT2H50M``."""
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")


def facts(
    config: Config, record: TutorialRecord, css_class: str, *, link_badge: bool
) -> nodes.paragraph:
    """Tier badge, duration and audience of a tutorial, on one line."""
    line = nodes.paragraph(classes=[css_class])
    tier = tiers_of(config).get(record["level"] or "")
    if tier is not None:
        badge = make_badge(tier)
        badge["link_to_catalog"] = link_badge
        line += badge
        line += nodes.Text(" ")
    line += make_duration(duration_text(record))
    if record["audience"] == "contributor":
        line += nodes.Text(" ")
        line += nodes.inline("", _("For contributors"), classes=["learn-audience"])
    return line


def build_header(app: Sphinx, docname: str, record: TutorialRecord) -> tutorial_header:
    """The header card, from standard nodes every builder can write."""
    header = tutorial_header(classes=["learn-tutorial-header"])
    header += facts(app.config, record, "learn-tutorial-facts", link_badge=True)
    execution = get_domain(app.env).executions.get(docname)
    if app.config.learn_execution_badge and execution is not None:
        badge = execution_badge(execution)
        if badge is not None:
            header[-1] += nodes.Text(" ")
            header[-1] += badge

    labels = field_labels()
    field_list = nodes.field_list(classes=["learn-tutorial-fields"])
    if record["prerequisites"]:
        items = nodes.bullet_list()
        for item in record["prerequisites"]:
            items += nodes.list_item("", nodes.paragraph("", "", _prerequisite_ref(docname, item)))
        field_list += _field(labels["prerequisites"], items)
    shown = set(record["shown_in_page"])
    rich = record.get("rich", {})
    for name, value in (
        ("outcome", record["outcome"]),
        ("audience_description", record["audience_description"]),
    ):
        if value and name not in shown:
            body = rich_text.paragraph(rich.get(name) or [{"text": value}])
            field_list += _field(labels[name], body)
    for name, items in (("objectives", record["objectives"]), ("needs", record["needs"])):
        if items and name not in shown:
            if name in rich:
                body = nodes.container("", *rich_text.block_nodes(rich[name]))
            else:
                body = nodes.bullet_list()
                for text in items:
                    body += nodes.list_item("", nodes.paragraph("", text))
            field_list += _field(labels[name], body)
    if field_list.children:
        header += field_list
    return header


def seconds_text(seconds: float) -> str:
    return f"{seconds:.1f}" if seconds < 10 else f"{seconds:.0f}"


def execution_badge(execution: ExecutionRecord) -> nodes.inline | None:
    """ "Executed successfully, 3.2 s" (or "Execution failed") for the header card."""
    status = execution["status"]
    if status == OK:
        text = _("Executed successfully, %s s") % seconds_text(execution["runtime"])
        kind, color = "ok", "green"
    elif status == NOT_EXECUTED:
        return None
    else:
        text = _("Execution failed")
        kind, color = "failed", "red"
    # Coloured like a tier badge of that colour (the core stylesheet's palette classes).
    classes = ["learn-execution-badge", f"learn-execution-{kind}", f"learn-color-{color}"]
    return nodes.inline("", text, classes=classes)


def _field(label: str, body: nodes.Element) -> nodes.field:
    return nodes.field("", nodes.field_name("", label), nodes.field_body("", body))


def _prerequisite_ref(docname: str, item: Prerequisite) -> nodes.Node:
    if "url" in item:
        return nodes.reference("", item["title"], refuri=item["url"], classes=["external"])
    # Resolved (and titled) by Sphinx when the page is written, like the doc role.
    ref = addnodes.pending_xref(
        "",
        nodes.inline("", item["doc"], classes=["xref", "std", "std-doc"]),
        refdomain="std",
        reftype="doc",
        reftarget="/" + item["doc"],
        refexplicit=False,
        refwarn=True,
        refdoc=docname,
    )
    return ref


def setup_tutorial(app: Sphinx) -> None:
    add_node_everywhere(
        app, tutorial_header, html=(visit_header_html, depart_header_html), other=like("container")
    )
    app.add_directive("tutorial", TutorialDirective)
    app.connect("source-read", keep_front_matter)
    # MyST-Parser and MyST-NB read each page's front matter three times, with the
    # pure-Python loader: once with LibYAML instead (the same data, or the same error).
    if not _compat.share_yaml_safe_load(metadata.shared_safe_load):
        LOGGER.debug("[learn] front matter is read with yaml.safe_load as it is")
    app.connect("doctree-read", collect_tutorial)
