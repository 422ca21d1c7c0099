"""The header's links, worked out once per build instead of once per page.

pydata-sphinx-theme's ``generate_header_nav_html`` lists the root page's toctree
entries on every page, twice (the header, and the narrow screen's sidebar): for
each link it reads the title, parses the URL and asks ``pathto``. A flat site of
300 pages has 300 links on each of its 300 pages: 200,000 links, about a tenth of
the whole build. Every page lists the same links; only their addresses (relative to
the page's folder) and which one is current differ. So the list is made once per
build, the addresses once per folder, and each page only redraws its current link.

The markup is pydata-sphinx-theme's, with two changes this theme always made to it:
titles are escaped (it writes them as HTML; a title reading ``<script>`` as text
would run on every page) and the row's links get their text as a tooltip when
:func:`~sphinx_numpy_learn.theme.header.fit_header_links` says they may be cut short.
The first page of each build is also drawn by pydata-sphinx-theme's own function: if
the two differ (a release that changed its markup), the build uses the parent's
function, escaped as before, and says so in the debug log.
"""

from __future__ import annotations

import contextlib
import re
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from docutils import nodes
from sphinx import addnodes
from sphinx.locale import _
from sphinx.util import logging

from sphinx_numpy_learn.theme.header import link_tooltips, root_toctree_entries, text_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

LOGGER = logging.getLogger(__name__)

# Pages pydata-sphinx-theme names itself when a toctree lists them without a title.
_SPECIAL_TITLES = {"genindex": "Index", "modindex": "Python Module Index", "search": "Search"}
# pydata-sphinx-theme's markup for one link, and for the "More" menu around the rest.
_ITEM = (
    '\n<li class="{item} {active}">\n'
    '  <a class="{link} nav-{kind}"{tooltip} href="{href}"{current}>\n'
    "    {title}\n"
    "  </a>\n"
    "</li>\n"
)
_MORE = """
            <li class="nav-item dropdown">
                <button class="btn dropdown-toggle nav-item" type="button"
                data-bs-toggle="dropdown" aria-expanded="false"
                aria-controls="{menu_id}">
                    {label}
                </button>
                <ul id="{menu_id}" class="dropdown-menu">
                    {items}
                </ul>
            </li>
            """
_MENU_ID = "pst-nav-more-links"
_NUMBERED_MENU_ID = re.compile(rf"{_MENU_ID}(?:-\d+)?")


@dataclass(frozen=True)
class HeaderLink:
    page: str
    """A docname, or an absolute URL."""
    title: str
    """Escaped HTML (a formula as its source)."""
    external: bool
    target: str = ""
    """The page's URI (without fragment) in this builder; "" for an external link."""


@dataclass
class _BuildLinks:
    links: list[HeaderLink]
    parents: dict[str, str]
    """Each page's parent in the toctrees, as the parent theme finds the current link."""
    by_page: dict[str, list[int]] = field(default_factory=dict)
    by_target: dict[str, list[int]] = field(default_factory=dict)
    # folder -> each link's address from there; None where the folder's first page was
    # the link's own page (its address there is "#", not what the other pages see).
    hrefs: dict[str, list[str | None]] = field(default_factory=dict)
    unknown: dict[str, list[int]] = field(default_factory=dict)
    """folder -> where its ``hrefs`` are None."""
    # (folder, count before "More", tooltips) -> each link's markup on a page that is
    # neither it nor inside it: the row's, then "More"'s.
    drawn: dict[tuple[str, int, bool], tuple[list[str], list[str]]] = field(default_factory=dict)
    checked: set[tuple[int, str]] = field(default_factory=set)
    """The (count, label) pairs already compared with pydata-sphinx-theme's function."""
    parent_markup: bool = False
    """Whether this build uses pydata-sphinx-theme's function (the markups differed)."""

    def __post_init__(self) -> None:
        for index, link in enumerate(self.links):
            self.by_page.setdefault(link.page, []).append(index)
            if link.target:
                self.by_target.setdefault(link.target, []).append(index)


# builder -> (the external_links option, the header's links), per build.
_BUILD: weakref.WeakKeyDictionary[Any, tuple[Any, _BuildLinks | None]] = (
    weakref.WeakKeyDictionary()
)


def _title_html(env: BuildEnvironment, page: str) -> str | None:
    """A page's title as the header shows it, escaped; ``None`` when it has none."""
    if page in env.titles:
        return _escaped_title(env.titles[page]).astext()
    if page in _SPECIAL_TITLES:
        return escape(_(_SPECIAL_TITLES[page]), quote=False)
    return None


def _target(app: Sphinx, page: str) -> str:
    """The page's address in this builder, without a fragment."""
    uri = app.builder.get_target_uri("py-modindex" if page == "modindex" else page)
    return uri.partition("#")[0]


def _collect_links(app: Sphinx, external_links: Any) -> _BuildLinks | None:
    """The header's links in pydata-sphinx-theme's order (the root page's toctree
    entries, then ``external_links``); ``None`` when one of them has no title (the
    parent's function then says what is wrong)."""
    env = app.env
    links: list[HeaderLink] = []
    for title, page in root_toctree_entries(app):
        shown = escape(title, quote=False) if title is not None else _title_html(env, page)
        if shown is None:
            return None
        external = bool(urlparse(page).netloc)
        target = "" if external else _target(app, page)
        links.append(HeaderLink(page, shown, external, target))
    for link in external_links or ():
        # As the parent writes them: the option is the site's own HTML.
        links.append(HeaderLink(link["url"], link["name"], external=True))
    parents: dict[str, str] = {}
    for parent, children in env.toctree_includes.items():
        parents |= dict.fromkeys(children, parent)
    return _BuildLinks(links, parents)


def _build_links(app: Sphinx, context: dict[str, Any]) -> _BuildLinks | None:
    external_links = context.get("theme_external_links")
    known = _BUILD.get(app.builder)
    if known is None or known[0] != external_links:
        try:
            collected = _collect_links(app, external_links)
        except (KeyError, TypeError):  # an external link without "url" or "name"
            collected = None
        known = _BUILD[app.builder] = (external_links, collected)
    return known[1]


def _top_ancestor(parents: dict[str, str], pagename: str) -> str | None:
    """The root's entry the page is inside (its own, when it is one), as the parent
    theme highlights it."""
    seen: list[str] = []
    page = pagename
    while page in parents and page not in seen:
        seen.append(page)
        page = parents[page]
    return seen[-1] if seen else None


def _draw(
    link: HeaderLink, href: str, *, menu: bool, tooltip: bool, current: bool, page: bool
) -> str:
    """One link's markup; ``current`` when the page is inside it, ``page`` when it is
    the page itself."""
    return _ITEM.format(
        item="" if menu else "nav-item",
        active="current active" if current else "",
        link="nav-link dropdown-item" if menu else "nav-link",
        kind="external" if link.external else "internal",
        tooltip=f' title="{escape(text_of(link.title))}"' if tooltip and not menu else "",
        href=href,
        current=' aria-current="page"' if page else "",
        title=link.title,
    )


def header_nav_html(
    app: Sphinx, pagename: str, context: dict[str, Any], build: _BuildLinks, count: int, label: str
) -> str:
    """What pydata-sphinx-theme's ``generate_header_nav_html(count, label)`` writes on
    ``pagename``, escaped and with tooltips as the context says."""
    links = build.links
    tooltip = bool(context.get("learn_header_link_tooltips"))
    page_uri = app.builder.get_target_uri(pagename).partition("#")[0]
    folder = page_uri.rpartition("/")[0]
    pathto: Callable[[str], str] = context["pathto"]
    hrefs = build.hrefs.get(folder)
    if hrefs is None:
        hrefs = build.hrefs[folder] = [
            link.page if link.external else None if link.target == page_uri else pathto(link.page)
            for link in links
        ]
        build.unknown[folder] = [index for index, href in enumerate(hrefs) if href is None]
    # pydata-sphinx-theme never puts a single link in "More".
    cutoff = count + 1 if len(links) <= count + 1 else count
    key = (folder, count, tooltip)
    if key not in build.drawn:
        build.drawn[key] = (
            [
                _draw(link, href or "", menu=False, tooltip=tooltip, current=False, page=False)
                for link, href in zip(links[:cutoff], hrefs[:cutoff], strict=True)
            ],
            [
                _draw(link, href or "", menu=True, tooltip=tooltip, current=False, page=False)
                for link, href in zip(links[cutoff:], hrefs[cutoff:], strict=True)
            ],
        )
    row, menu = (list(drawn) for drawn in build.drawn[key])
    top = _top_ancestor(build.parents, pagename)
    redrawn = {
        *build.by_target.get(page_uri, ()),
        *build.by_page.get(pagename, ()),
        *(build.by_page.get(top, ()) if top is not None else ()),
        *build.unknown[folder],
    }
    for index in redrawn:
        link = links[index]
        href = hrefs[index]
        if href is None or link.target == page_uri:
            href = pathto("py-modindex" if link.page == "modindex" else link.page)
        in_menu = index >= cutoff
        drawn = _draw(
            link,
            href,
            menu=in_menu,
            tooltip=tooltip,
            current=not link.external and link.page == top,
            page=not link.external and link.page == pagename,
        )
        if in_menu:
            menu[index - cutoff] = drawn
        else:
            row[index] = drawn
    html = "\n".join(row)
    if menu:
        unique_id = context.get("unique_html_id")
        menu_id = unique_id(_MENU_ID) if callable(unique_id) else _MENU_ID
        html += _MORE.format(menu_id=menu_id, label=_(label), items="\n".join(menu))
    return html


# -- pydata-sphinx-theme's own function, escaped ----------------------------------------
#
# Used when the markups differ. pydata-sphinx-theme (0.24 at least) writes the titles
# as HTML: while it builds the links, it is given copies whose text is escaped. (If it
# ever escapes them itself, tests/test_hostile.py sees "&lt;" in the header.)

# builder -> (escaped page titles, escaped root table of contents), per build.
_ESCAPED: weakref.WeakKeyDictionary[Any, tuple[dict[str, Any], Any]] = weakref.WeakKeyDictionary()


def _escaped_title(title: nodes.Element) -> nodes.title:
    """A copy of a page title whose text is escaped HTML. A formula is its source, as
    the site navigation shows it: pydata-sphinx-theme would write it for MathJax, which
    a page without maths (or with this extension's MathML) never loads, so readers saw
    ``\\(x^2\\)``."""
    return nodes.title("", escape(title.astext(), quote=False))


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
def _escaped_for_header(app: Sphinx) -> Iterator[None]:
    env = app.env
    root = app.config.root_doc
    if app.builder not in _ESCAPED:
        titles = {doc: _escaped_title(title) for doc, title in env.titles.items()}
        toc = _escaped_toc(env.tocs[root]) if root in env.tocs else None
        _ESCAPED[app.builder] = (titles, toc)
    titles, toc = _ESCAPED[app.builder]
    saved = env.titles, env.tocs
    env.titles = titles
    if toc is not None:
        env.tocs = {**env.tocs, root: toc}
    try:
        yield
    finally:
        env.titles, env.tocs = saved


def add_header_nav(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``, after pydata-sphinx-theme's: its ``generate_header_nav_html``
    drawn from the build's links (escaped, with tooltips when they may be cut short)."""
    original: Callable[..., Any] | None = context.get("generate_header_nav_html")
    if original is None:
        return

    def parents_html(*args: Any, **kwargs: Any) -> str:
        with _escaped_for_header(app):
            nav = str(original(*args, **kwargs))
        return link_tooltips(nav, on=bool(context.get("learn_header_link_tooltips")))

    def generate_header_nav_html(
        n_links_before_dropdown: Any = 5, dropdown_text: Any = "More"
    ) -> str:
        build = _build_links(app, context)
        try:
            count = int(n_links_before_dropdown)
        except (TypeError, ValueError):
            build = None  # the parent's function says what is wrong
        if build is None or build.parent_markup:
            return parents_html(n_links_before_dropdown, dropdown_text)
        html = header_nav_html(app, pagename, context, build, count, str(dropdown_text))
        if (count, str(dropdown_text)) in build.checked:
            return html
        build.checked.add((count, str(dropdown_text)))
        # Drawn after ours, the parent's "More" has the page's next id: compared without.
        parents = parents_html(n_links_before_dropdown, dropdown_text)
        if _NUMBERED_MENU_ID.sub(_MENU_ID, parents) == _NUMBERED_MENU_ID.sub(_MENU_ID, html):
            return html
        build.parent_markup = True
        ours = _NUMBERED_MENU_ID.search(html)
        if ours is not None:  # the page keeps the id it would have had
            parents = _NUMBERED_MENU_ID.sub(ours[0], parents)
        LOGGER.debug(
            "[learn] the header's links as drawn by pydata-sphinx-theme differ from "
            "this theme's copy of its markup: this build uses its function"
        )
        return parents

    context["generate_header_nav_html"] = generate_header_nav_html


def forget_header_links(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: the pages, their titles and the toctrees may have changed."""
    _BUILD.pop(app.builder, None)
    _ESCAPED.pop(app.builder, None)


def setup_header_nav(app: Sphinx) -> None:
    # After pydata-sphinx-theme adds generate_header_nav_html (default priority 500).
    app.connect("html-page-context", add_header_nav, priority=510)
    app.connect("env-updated", forget_header_links)
