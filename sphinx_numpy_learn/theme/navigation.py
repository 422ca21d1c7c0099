"""Tier badges beside tutorials in pydata-sphinx-theme's sidebar navigation.

pydata-sphinx-theme renders the sidebar with ``generate_toctree_html`` from the
page context. We wrap that function instead of copying its template: the HTML
it returns gets a small badge (icon plus a label for screen readers) inside the
link of each tutorial that has a tier, and each section of it (a caption and its
list) a line the script fills with the reader's progress over its tutorials.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import posixpath
import re
import weakref
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes

from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.progress import progress_attributes, wants_progress
from sphinx_numpy_learn.theme.header import link_tooltips
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
    _HEADER_TITLES.pop(app.builder, None)


# -- The header's links ------------------------------------------------------------------
#
# pydata-sphinx-theme (0.24 at least) writes the header's links from page titles and
# toctree entry titles as HTML without escaping them, so a title that reads
# "<script>..." (as text) would run on every page. While it builds them, it is given
# copies whose text is escaped. (If it ever escapes them itself, tests/test_hostile.py
# sees "&lt;" in the header and this must go.)

# builder -> (escaped page titles, escaped root table of contents), per build.
_HEADER_TITLES: weakref.WeakKeyDictionary[Any, tuple[dict[str, Any], Any]] = (
    weakref.WeakKeyDictionary()
)


def _escaped_title(title: nodes.Element) -> nodes.title:
    """A copy of a page title whose text (formulas included) is escaped HTML."""
    copy = nodes.title()
    for child in title.children:
        text = escape(child.astext(), quote=False)
        copy += nodes.math(text, text) if isinstance(child, nodes.math) else nodes.Text(text)
    return copy


def _escaped_toc(toc: nodes.Element) -> nodes.Element:
    """A copy of the root page's contents whose toctree entry titles are escaped HTML."""
    copy = toc.deepcopy()
    for toctree in copy.findall(addnodes.toctree):
        toctree["entries"] = [
            (None if title is None else escape(title, quote=False), ref)
            for title, ref in toctree["entries"]
        ]
    return copy


@contextlib.contextmanager
def _escaped_for_header(app: Sphinx) -> Any:
    env = app.env
    root = app.config.root_doc
    if app.builder not in _HEADER_TITLES:
        titles = {doc: _escaped_title(title) for doc, title in env.titles.items()}
        toc = _escaped_toc(env.tocs[root]) if root in env.tocs else None
        _HEADER_TITLES[app.builder] = (titles, toc)
    titles, toc = _HEADER_TITLES[app.builder]
    saved = env.titles, env.tocs
    env.titles = titles
    if toc is not None:
        env.tocs = {**env.tocs, root: toc}
    try:
        yield
    finally:
        env.titles, env.tocs = saved


def escape_header_links(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: pydata-sphinx-theme's header links, with escaped titles,
    and tooltips when they may be cut short (theme/header.py)."""
    original: Callable[..., Any] | None = context.get("generate_header_nav_html")
    if original is None:
        return

    def generate_header_nav_html(*args: Any, **kwargs: Any) -> Any:
        with _escaped_for_header(app):
            nav = str(original(*args, **kwargs))
        return link_tooltips(nav, on=bool(context.get("learn_header_link_tooltips")))

    context["generate_header_nav_html"] = generate_header_nav_html


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
    app.connect("html-page-context", escape_header_links, priority=510)
    app.connect("env-get-updated", pages_with_stale_navigation)
    app.connect("env-updated", forget_links)
