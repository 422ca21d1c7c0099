"""Tier badges beside tutorials in pydata-sphinx-theme's sidebar navigation.

pydata-sphinx-theme renders the sidebar with ``generate_toctree_html`` from the
page context. We wrap that function instead of copying its template: the HTML
it returns gets a small badge (icon plus a label for screen readers) inside the
link of each tutorial that has a tier, and each section of it (a caption and its
list) a line the script fills with the reader's progress over its tutorials.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import weakref
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.progress import progress_attributes, wants_progress
from sphinx_numpy_learn.theme.options import theme_options
from sphinx_numpy_learn.tiers import Tier, icon_svg, tiers_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

_LINK = re.compile(r"(?P<open><a (?P<attrs>[^>]*)>)(?P<text>.*?)</a>", re.DOTALL)
_HREF = re.compile(r'\bhref="(?P<href>[^"]*)"')
_CAPTION = re.compile(r'(?=<p [^>]*\bclass="caption")')


def badge_html(tier: Tier, *, sprite: str = "") -> str:
    """A navigation link's badge (its icon drawn from ``sprite``'s symbols, if given)."""
    label = tier.translated_label
    return (
        f'<span class="learn-nav-badge learn-color-{tier.color}" title="{escape(label)}">'
        f"{icon_svg(tier.icon, sprite=sprite)}"
        f'<span class="learn-visually-hidden"> ({escape(label)})</span></span>'
    )


def nav_progress_html(docs: list[str]) -> str:
    """A line the script fills with "2 of 5 done" for the tutorials of one sidebar section."""
    label = progress_attributes(len(docs))["data-learn-progress"]
    return (
        f'<p class="learn-nav-progress" hidden="" data-learn-docs="{escape(json.dumps(docs))}" '
        f'data-learn-progress="{escape(label)}"></p>'
    )


# builder -> {show badges?: (target URI -> tutorial, tutorial -> badge HTML)}, per build.
_LINKS: weakref.WeakKeyDictionary[Any, dict[bool, tuple[dict[str, str], dict[str, str]]]] = (
    weakref.WeakKeyDictionary()
)


def _normal_uri(uri: str) -> str:
    """``a/./b/`` and ``a/b`` alike; the root of a ``dirhtml`` site is ``""``."""
    normal = posixpath.normpath(uri or ".").rstrip("/")
    return "" if normal == "." else normal


def _tutorial_links(app: Sphinx, show_badges: bool) -> tuple[dict[str, str], dict[str, str]]:
    """Every tutorial's URI and badge, computed once per build rather than per page
    (a site with N pages and M tutorials would otherwise compute N x M links)."""
    per_builder = _LINKS.setdefault(app.builder, {})
    if show_badges not in per_builder:
        tiers = tiers_of(app.config)
        by_uri: dict[str, str] = {}
        badges: dict[str, str] = {}
        for docname, record in get_domain(app.env).tutorials.items():
            tier = tiers.get(record["level"] or "")
            badges[docname] = badge_html(tier) if tier is not None and show_badges else ""
            uri = app.builder.get_target_uri(docname)
            by_uri[_normal_uri(uri)] = docname
        per_builder[show_badges] = (by_uri, badges)
    return per_builder[show_badges]


def forget_links(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: tutorials may have changed since this builder's last build."""
    _LINKS.pop(app.builder, None)


def add_nav_badges(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    original: Callable[..., Any] | None = context.get("generate_toctree_html")
    options = theme_options(app)
    show_badges = options["nav_badges"]
    show_progress = options["nav_progress"] and wants_progress(app)
    if original is None or not (show_badges or show_progress):
        return
    tutorials, badges = _tutorial_links(app, show_badges)
    page_dir = posixpath.dirname(app.builder.get_target_uri(pagename))

    def tutorial_of(href: str) -> str | None:
        """The tutorial a sidebar link points at, from the build-wide URI map."""
        if href == "#":
            return pagename if pagename in badges else None  # the current page
        href = href.split("#", 1)[0]
        if not href or "://" in href:
            return None
        return tutorials.get(_normal_uri(posixpath.join(page_dir, href)))

    def mark_section(section: str) -> str:
        found: list[str] = []

        def add_badge(match: re.Match[str]) -> str:
            href = _HREF.search(match["attrs"])
            if "reference internal" not in match["attrs"] or href is None:
                return match[0]
            docname = tutorial_of(href["href"])
            if docname is None:
                return match[0]
            badge = badges[docname]
            found.append(docname)
            return f"{match['open']}{match['text']}{badge}</a>" if badge else match[0]

        section = _LINK.sub(add_badge, section)
        if show_progress and found:
            section += nav_progress_html(found)
        return section

    def generate_toctree_html(kind: str, *args: Any, **kwargs: Any) -> Any:
        html = original(kind, *args, **kwargs)
        if kind != "sidebar" or not tutorials:
            return html
        # A BeautifulSoup object on a cache miss, a string on a hit; the template
        # writes either as text. str() never touches the theme's cached soup.
        # Each caption starts a section of the sidebar, with its own progress line.
        sections = _CAPTION.split(str(html))
        return "".join(mark_section(section) for section in sections)

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
    app.connect("env-updated", forget_links)
