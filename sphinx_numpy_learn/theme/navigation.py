"""Tier badges beside tutorials in pydata-sphinx-theme's sidebar navigation.

pydata-sphinx-theme renders the sidebar with ``generate_toctree_html`` from the
page context. We wrap that function instead of copying its template: the HTML
it returns gets a small badge (icon plus a label for screen readers) inside the
link of each tutorial that has a tier.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.tiers import Tier, icon_svg, tiers_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

_LINK = re.compile(r"(?P<open><a (?P<attrs>[^>]*)>)(?P<text>.*?)</a>", re.DOTALL)
_HREF = re.compile(r'\bhref="(?P<href>[^"]*)"')


def _enabled(context: dict[str, Any]) -> bool:
    value = context.get("theme_nav_badges", True)
    return str(value).strip().lower() not in {"false", "0", "no", "off", ""}


def badge_html(tier: Tier) -> str:
    label = tier.translated_label
    return (
        f'<span class="learn-nav-badge learn-color-{tier.color}" title="{escape(label)}">'
        f"{icon_svg(tier.icon)}"
        f'<span class="learn-visually-hidden"> ({escape(label)})</span></span>'
    )


def add_nav_badges(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    original: Callable[..., Any] | None = context.get("generate_toctree_html")
    if original is None or not _enabled(context):
        return
    badges: dict[str, str] = {}
    collected = False

    def collect_badges() -> None:
        # Only for pages that render a sidebar, and once per page.
        nonlocal collected
        collected = True
        tiers = tiers_of(app.config)
        for docname, record in get_domain(app.env).tutorials.items():
            tier = tiers.get(record["level"] or "")
            if tier is None:
                continue
            html = badge_html(tier)
            badges[app.builder.get_relative_uri(pagename, docname)] = html
            if docname == pagename:
                badges["#"] = html  # Sphinx links the current page as "#"

    def add_badge(match: re.Match[str]) -> str:
        href = _HREF.search(match["attrs"])
        if "reference internal" not in match["attrs"] or href is None:
            return match[0]
        badge = badges.get(href["href"])
        if badge is None:
            return match[0]
        return f"{match['open']}{match['text']}{badge}</a>"

    def generate_toctree_html(kind: str, *args: Any, **kwargs: Any) -> Any:
        html = original(kind, *args, **kwargs)
        if kind != "sidebar":
            return html
        if not collected:
            collect_badges()
        if not badges:
            return html
        # A BeautifulSoup object on a cache miss, a string on a hit; the template
        # writes either as text. str() never touches the theme's cached soup.
        return _LINK.sub(add_badge, str(html))

    context["generate_toctree_html"] = generate_toctree_html


def pages_with_stale_navigation(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: when a tutorial's tier changes, every sidebar shows it."""
    levels = {doc: r["level"] for doc, r in sorted(get_domain(env).tutorials.items())}
    fingerprint = hashlib.sha256(json.dumps(levels, sort_keys=True).encode()).hexdigest()
    data = get_domain(env).data
    if data.get("navigation") == fingerprint:
        return []
    first_build = not data.get("navigation")
    data["navigation"] = fingerprint
    return [] if first_build else sorted(env.found_docs)


def setup_navigation(app: Sphinx) -> None:
    # After pydata-sphinx-theme adds generate_toctree_html (default priority 500).
    app.connect("html-page-context", add_nav_badges, priority=510)
    app.connect("env-get-updated", pages_with_stale_navigation)
