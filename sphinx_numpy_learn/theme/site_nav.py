"""The site navigation: the site's pages in the primary sidebar (theme option ``sidebar_nav``).

pydata-sphinx-theme's sidebar lists the pages below the current top-level section.
On a flat site (every page in the root toctree) and on the root page that list is
empty, and the site's pages are only in the header. Where that happens, the theme
puts its own component, ``learn-site-nav.html``, in the place of the parent's
``sidebar-nav-bs.html`` in the ``sidebars`` list: the root toctree's pages (and
theirs, to ``navigation_depth``) grouped by caption, with level badges and a
progress line per group; on a step of a learning path, the path's steps first.

Cost: the outline is read from the environment, and rendered into HTML, once per
build (once per set of groups shown); a page only marks its own entry and sets the prefix of
its links (a few ``str.replace`` over the finished HTML), so the sidebar does not
make a build quadratic, as re-rendering the whole toctree on every page would.
Links are relative to the site root with a per-page prefix (``../``), so they work
from ``file://`` and under any base URL.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import posixpath
import re
import weakref
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from sphinx import addnodes
from sphinx.util import url_re

from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.i18n import _
from sphinx_numpy_learn.progress import wants_progress
from sphinx_numpy_learn.theme.navigation import badge_html, nav_progress_html
from sphinx_numpy_learn.theme.options import theme_options, uses_theme
from sphinx_numpy_learn.tiers import icon_sprite, tiers_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

SECTION_NAV = "sidebar-nav-bs.html"
# The id prefix of the badge icons' symbols, drawn once, at the end of the navigation.
ICON_SPRITE = "learn-nav-icon-"
SITE_NAV = "learn-site-nav.html"
SIDEBAR_NAV_MODES = ("auto", "section", "site", "path")

# Placeholders in the rendered HTML: the page's prefix to the site root, and the
# <details> of a branch (opened on the pages below it). No title or URI can hold them.
_ROOT = "\x00"
_BRANCH = "\x02"
_UNOPENED = re.compile(f"{_BRANCH}[0-9]+{_BRANCH}")
_PLACEHOLDERS = str.maketrans("", "", _ROOT + _BRANCH)
_TOGGLE = (
    '<summary><span class="toctree-toggle" role="presentation">'
    '<i class="fa-solid fa-chevron-down"></i></span>'
    '<span class="learn-visually-hidden">{label}</span></summary>'
)


@dataclass
class Entry:
    """One link: a document (``doc``) or an external URL (``doc`` is ``None``)."""

    doc: str | None
    uri: str  # from the site root (builder.get_target_uri), or the external URL
    title: str  # plain text
    children: list[Entry] = field(default_factory=list)


@dataclass
class Group:
    """A list of links under an optional caption: one toctree, or one learning path."""

    caption: str | None
    entries: list[Entry]
    path: str | None = None  # the learning path's name: a numbered list


@dataclass
class Outline:
    """The site navigation's content for one build: the root toctree's groups and the
    learning paths by step."""

    site: list[Group]
    paths: dict[str, Group]  # path key -> its steps
    paths_through: dict[str, list[str]]  # docname -> the keys of the paths it is a step of
    section_has_links: dict[str, bool]  # top-level document -> its section nav has links
    parent: dict[str, str]  # document -> the document whose toctree lists it


def _clean(text: str) -> str:
    return text.translate(_PLACEHOLDERS)


def _title(env: BuildEnvironment, doc: str) -> str:
    title = env.titles.get(doc)
    return _clean(title.astext()) if title is not None else doc


def _toctrees(env: BuildEnvironment, doc: str, includehidden: bool) -> list[addnodes.toctree]:
    toc = env.tocs.get(doc)
    if toc is None:
        return []
    return [n for n in toc.findall(addnodes.toctree) if includehidden or not n.get("hidden")]


def read_outline(app: Sphinx, includehidden: bool, depth: int) -> Outline:
    """The whole site's navigation, from the environment's toctree data (no rendering)."""
    env = app.env
    builder = app.builder
    root = app.config.root_doc

    def entries(doc: str, level: int, seen: frozenset[str]) -> list[Entry]:
        found: list[Entry] = []
        for toctree in _toctrees(env, doc, includehidden):
            found.extend(toctree_entries(toctree, level, seen))
        return found

    def toctree_entries(
        toctree: addnodes.toctree, level: int, seen: frozenset[str]
    ) -> list[Entry]:
        found: list[Entry] = []
        for title, ref in toctree["entries"]:
            if ref == "self":
                ref = toctree["parent"]
            if url_re.match(ref):
                found.append(Entry(None, ref, _clean(title or ref)))
                continue
            if ref not in env.found_docs or ref in seen:
                continue
            entry = Entry(ref, builder.get_target_uri(ref), _clean(title or _title(env, ref)))
            if level < depth:
                entry.children = entries(ref, level + 1, seen | {ref})
            found.append(entry)
        return found

    site = [
        Group(_clean(t["caption"]) if t.get("caption") else None, entries_)
        for t in _toctrees(env, root, includehidden)
        if (entries_ := toctree_entries(t, 1, frozenset({root})))
    ]

    paths: dict[str, Group] = {}
    through: dict[str, list[str]] = {}
    for record in get_domain(env).paths():
        key = f"{record['docname']}#{record['name']}"
        steps = [
            Entry(doc, builder.get_target_uri(doc), _title(env, doc))
            for doc in record["steps"]
            if doc in env.found_docs
        ]
        if not steps:
            continue
        caption = _("Learning path: %s") % _clean(record["title"])
        paths[key] = Group(caption, steps, path=record["name"])
        for step in steps:
            through.setdefault(step.doc or "", []).append(key)

    # pydata-sphinx-theme's section navigation lists the toctrees of the page's
    # top-level ancestor (the one just below the root): found the way it finds them.
    parent: dict[str, str] = {}
    for doc, children in env.toctree_includes.items():
        parent |= dict.fromkeys(children, doc)
    section_has_links = {
        doc: any(t["entries"] for t in _toctrees(env, doc, includehidden)) for doc in parent
    }
    return Outline(site, paths, through, section_has_links, parent)


def top_level_ancestor(outline: Outline, docname: str) -> str | None:
    """The ancestor pydata-sphinx-theme roots the section navigation at, if any."""
    chain: list[str] = []
    doc = docname
    while doc in outline.parent and doc not in chain:
        chain.append(doc)
        doc = outline.parent[doc]
    return chain[-1] if chain else None


# -- Rendering, once per build ---------------------------------------------------------------


@dataclass
class Rendered:
    """The navigation's HTML for one set of groups, with what a page changes in it."""

    html: str
    # docname -> (its entries' opening tags; marked as the current page, first with the
    # "active" class the parent's script scrolls to, then without)
    current: dict[str, list[tuple[str, str, str]]]
    # docname -> the placeholders of the <details> to open on its pages
    branches: dict[str, list[str]]


class Renderer:
    def __init__(self, app: Sphinx) -> None:
        options = theme_options(app)
        self.badges: dict[str, str] = {}
        self.icons: set[str] = set()
        self.tutorials = get_domain(app.env).tutorials
        if options["nav_badges"]:
            tiers = tiers_of(app.config)
            for doc, record in self.tutorials.items():
                tier = tiers.get(record["level"] or "")
                if tier is not None:
                    # Each icon drawn once per page: a flat site lists every tutorial.
                    self.badges[doc] = badge_html(tier, sprite=ICON_SPRITE)
                    self.icons.add(tier.icon)
        self.progress = options["nav_progress"] and wants_progress(app)
        self.branch_count = 0

    def render(self, groups: list[Group]) -> Rendered:
        rendered = Rendered("", {}, {})
        parts: list[str] = []
        for group in groups:
            if group.caption:
                parts.append(
                    '<p aria-level="2" class="caption" role="heading">'
                    f'<span class="caption-text">{escape(group.caption)}</span></p>'
                )
            tutorials: list[str] = []
            # A path's steps are numbered: their order is the point.
            tag, classes = (
                ("ol", "nav bd-sidenav learn-nav-steps")
                if group.path
                else ("ul", "nav bd-sidenav")
            )
            parts.append(f'<{tag} class="{classes}">')
            for entry in group.entries:
                self.entry(entry, 1, [], parts, rendered, tutorials)
            parts.append(f"</{tag}>")
            if self.progress and tutorials:
                parts.append(nav_progress_html(list(dict.fromkeys(tutorials))))
        rendered.html = "".join(parts) + icon_sprite(self.icons, ICON_SPRITE)
        return rendered

    def entry(
        self,
        entry: Entry,
        level: int,
        branches: list[str],
        parts: list[str],
        rendered: Rendered,
        tutorials: list[str],
    ) -> None:
        classes = f"toctree-l{level}" + (" has-children" if entry.children else "")
        title = escape(entry.title)
        if entry.doc is None:
            parts.append(
                f'<li class="{classes}"><a class="reference external" '
                f'href="{escape(entry.uri)}">{title}</a>'
            )
        else:
            data = ""
            if entry.doc in self.tutorials:
                data = f' data-learn-doc="{escape(entry.doc)}"'
                tutorials.append(entry.doc)
            href = escape(entry.uri or "./")
            opening = (
                f'<li class="{classes}"{data}><a class="reference internal" href="{_ROOT}{href}">'
            )
            link = (
                f'<a class="reference internal current" href="{_ROOT}{href}" aria-current="page">'
            )
            marks = rendered.current.setdefault(entry.doc, [])
            if all(opening != plain for plain, _a, _c in marks):
                active = f'<li class="{classes} current active"{data}>{link}'
                marks.append((opening, active, f'<li class="{classes} current"{data}>{link}'))
            parts.append(f"{opening}{title}{self.badges.get(entry.doc, '')}</a>")
        if entry.children:
            self.branch_count += 1
            branch = f"{_BRANCH}{self.branch_count}{_BRANCH}"
            if entry.doc is not None:
                # The page's own branch opens too, as in pydata-sphinx-theme.
                rendered.branches.setdefault(entry.doc, []).extend([*branches, branch])
            label = escape(_("Pages under %s") % entry.title)
            parts.append(f"<details{branch}>{_TOGGLE.format(label=label)}<ul>")
            for child in entry.children:
                self.entry(child, level + 1, [*branches, branch], parts, rendered, tutorials)
            parts.append("</ul></details>")
        elif entry.doc is not None and branches:
            rendered.branches.setdefault(entry.doc, []).extend(branches)
        parts.append("</li>")


# -- Per build: the outline and its renderings -------------------------------------------------


@dataclass
class BuildNav:
    outline: Outline
    renderer: Renderer
    rendered: dict[tuple[str, ...], Rendered] = field(default_factory=dict)

    def rendering(self, keys: tuple[str, ...]) -> Rendered:
        """The HTML of these groups ("site", or a path's key), rendered on first use."""
        if keys not in self.rendered:
            groups: list[Group] = []
            for key in keys:
                groups.extend(self.outline.site if key == "site" else [self.outline.paths[key]])
            self.rendered[keys] = self.renderer.render(groups)
        return self.rendered[keys]


# builder -> (includehidden, navigation depth) -> this build's navigation.
_BUILDS: weakref.WeakKeyDictionary[Any, dict[tuple[bool, int], BuildNav]] = (
    weakref.WeakKeyDictionary()
)


def build_nav(app: Sphinx, includehidden: bool = True, depth: int = 4) -> BuildNav:
    per_builder = _BUILDS.setdefault(app.builder, {})
    key = (includehidden, depth)
    if key not in per_builder:
        per_builder[key] = BuildNav(read_outline(app, includehidden, depth), Renderer(app))
    return per_builder[key]


def forget_build_nav(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: documents and toctrees may have changed since the last build."""
    _BUILDS.pop(app.builder, None)


def _tobool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"true", "yes", "on", "1"}
    return bool(value)


def _depth(value: Any) -> int:
    try:
        depth = int(value)
    except (TypeError, ValueError):
        return 4
    return depth if depth > 0 else 1_000  # 0 or less: no limit, as in Sphinx


def _template_name(name: Any) -> str:
    name = str(name)
    return name if name.endswith(".html") else f"{name}.html"


def groups_for_page(
    app: Sphinx, pagename: str, context: dict[str, Any]
) -> tuple[BuildNav, tuple[str, ...]] | None:
    """The groups this page's sidebar shows in the site navigation, or ``None`` where
    pydata-sphinx-theme's section navigation stays (or no sidebar lists pages)."""
    if not uses_theme(app) or app.builder.name not in {"html", "dirhtml", "singlehtml"}:
        return None
    mode = theme_options(app)["sidebar_nav"]
    sidebars = context.get("sidebars")
    if mode == "section" or not isinstance(sidebars, list | tuple):
        return None
    if SECTION_NAV not in map(_template_name, sidebars):
        return None  # the project chose its own sidebar: leave it alone
    nav = build_nav(
        app,
        _tobool(context.get("theme_sidebar_includehidden", True)),
        _depth(context.get("theme_navigation_depth", 4)),
    )
    outline = nav.outline
    if mode == "auto":
        top = top_level_ancestor(outline, pagename)
        if top is not None and outline.section_has_links.get(top, False):
            return None
    paths = tuple(outline.paths_through.get(pagename, ()))
    keys = paths if mode == "path" and paths else (*paths, *(("site",) if outline.site else ()))
    if not keys:
        return None
    return nav, keys


def page_prefix(app: Sphinx, pagename: str) -> str:
    """From the page's folder to the site root: ``""``, ``"../"``, ..."""
    folder = posixpath.dirname(app.builder.get_target_uri(pagename))
    return "../" * (folder.count("/") + 1) if folder else ""


def site_nav_html(nav: BuildNav, keys: tuple[str, ...], pagename: str, prefix: str) -> str:
    """The rendered groups with this page's entry marked and its links relativised."""
    rendered = nav.rendering(keys)
    html = rendered.html
    # A page listed twice (a path's step, and in its toctree group) is "active" once,
    # where it comes first: pydata-sphinx-theme's script scrolls the sidebar to the last.
    for index, (plain, active, current) in enumerate(rendered.current.get(pagename, ())):
        if index == 0:
            html = html.replace(plain, active, 1)
        html = html.replace(plain, current)
    for branch in rendered.branches.get(pagename, ()):
        html = html.replace(f"<details{branch}>", "<details open>")
    if _BRANCH in html:
        html = _UNOPENED.sub("", html)
    return html.replace(_ROOT, prefix)


def lists_tutorials(app: Sphinx, pagename: str, context: dict[str, Any]) -> bool:
    """Whether the page shows the site navigation with a tutorial in it (it then needs
    the progress script)."""
    found = groups_for_page(app, pagename, context)
    if found is None:
        return False
    nav, keys = found
    tutorials = nav.renderer.tutorials
    rendered = nav.rendering(keys)
    return any(doc in tutorials for doc in rendered.current)


def add_site_nav(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: the site navigation where the section navigation would be empty."""
    found = groups_for_page(app, pagename, context)
    if found is None:
        return
    nav, keys = found
    context["sidebars"] = [
        SITE_NAV if _template_name(name) == SECTION_NAV else name for name in context["sidebars"]
    ]
    # The layout drops the "collapse sidebar" button with an empty section navigation;
    # the sidebar has content now, so it stays.
    context["suppress_sidebar_toctree"] = lambda *args, **kwargs: False
    prefix = page_prefix(app, pagename)
    label = _("Site navigation")
    # On a phone the sidebar also shows the header's links: the root toctree's pages,
    # which this navigation lists already (with badges), unless there are others.
    covers_header = (
        "site" in keys
        and _tobool(context.get("theme_sidebar_includehidden", True))
        and not context.get("theme_external_links")
    )

    def learn_site_nav() -> dict[str, Any]:
        return {
            "label": label,
            "done_label": _("Done"),
            "classes": "learn-site-nav-covers-header" if covers_header else "",
            "html": Markup(site_nav_html(nav, keys, pagename, prefix)),
        }

    context["learn_site_nav"] = learn_site_nav


def pages_with_stale_site_nav(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: every page shows the site navigation's titles and order;
    when they change, pages that were not read again are written again too."""
    if not uses_theme(app) or theme_options(app)["sidebar_nav"] == "section":
        return []
    outline = build_nav(app).outline  # (read once: the pages are written with it)
    shown = [dataclasses.asdict(group) for group in outline.site]
    shown.append({key: dataclasses.asdict(group) for key, group in outline.paths.items()})
    fingerprint = hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()
    data = get_domain(env).data
    before = data.get("site_navigation")
    data["site_navigation"] = fingerprint
    return sorted(env.found_docs) if before and before != fingerprint else []


def setup_site_nav(app: Sphinx) -> None:
    # After pydata-sphinx-theme's handlers (priority 500) set "sidebars" and its functions.
    app.connect("html-page-context", add_site_nav, priority=505)
    app.connect("env-updated", forget_build_nav)
    app.connect("env-get-updated", pages_with_stale_site_nav)
