"""CSS and JavaScript for HTML builders only (LaTeX, text, man never see them).

The sources are small, commented files in ``static/``, one per component. When the
builder starts, each is minified in memory (rcssmin, rjsmin) and written once to
``_static`` under its own name, so Sphinx adds a checksum to its URL. The core
stylesheet goes on every page; every other file only on the pages whose components
need it, decided from the ``learn`` domain's data when the page is written
(``html-page-context``). Configuration reaches the scripts through data attributes
written by the HTML visitors and on the script tag, never by pasting values into
JavaScript.

Every file we ship, the MathML renderer's and the theme's included, is in one table
(:data:`ASSETS`), under one prefix (``learn-``); the modules that write and link the
maths and theme files take their names and sources from it.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import rcssmin
import rjsmin
from docutils import nodes
from sphinx.builders.singlehtml import SingleFileHTMLBuilder

from sphinx_numpy_learn._compat import mystnb_glue_references
from sphinx_numpy_learn.callouts import callout
from sphinx_numpy_learn.copy_buttons import is_copyable, script_labels
from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.glossary import has_tooltips
from sphinx_numpy_learn.instructor import instructor_note, toggles
from sphinx_numpy_learn.key_points import key_points
from sphinx_numpy_learn.notebooks.state import failed
from sphinx_numpy_learn.progress import STORAGE_VERSION, wants_progress
from sphinx_numpy_learn.tabs import design_feature, drop_design_files
from sphinx_numpy_learn.theme.options import theme_options, uses_theme
from sphinx_numpy_learn.tiers import level_badge, tiers_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

STATIC_DIR = Path(__file__).parent / "static"
THEME_DIR = Path(__file__).parent / "theme"
# Who writes a file into _static, when the builder starts: the extension (for every
# HTML build), the MathML renderer (when it renders the maths) or the theme (when it
# is the site's theme; the theme's static folder Sphinx copies itself).
EXTENSION = "extension"
MATH = "math"
THEME = "theme"


@dataclass(frozen=True)
class Asset:
    """One stylesheet or script: its path under ``_static``, its readable source and
    who writes it there; ``components``: the page components that load it (the
    extension's files; the others decide by themselves)."""

    name: str
    source: Path
    owner: str
    components: tuple[str, ...] = ()


def _extension(name: str, *components: str) -> Asset:
    return Asset(name, STATIC_DIR / name, EXTENSION, components)


# Every CSS and JavaScript file we ship, one prefix (``learn-``) for all, in the order
# their tags appear on a page. The progress script comes before the scripts that use
# what it defines (summary, checklists).
ASSETS: tuple[Asset, ...] = (
    # The core stylesheet is on every page (added when the builder starts).
    _extension("learn-core.css"),
    # A tutorial's header card.
    _extension("learn-tutorial.css", "tutorial"),
    _extension("learn-callouts.css", "callouts"),
    # Instructor notes and the page's total minutes; the Instructor view button.
    _extension("learn-instructor.css", "instructor"),
    # A checkpoint's frame and its answer's disclosure are styled with the exercises.
    _extension("learn-exercises.css", "exercises", "checkpoints"),
    _extension("learn-checkpoints.css", "checkpoints"),
    _extension("learn-checklists.css", "checklists"),
    _extension("learn-catalog.css", "catalog"),
    # The position and previous/next links at the end of a path's step. (A path's
    # list of steps, on its own page, is styled by the core stylesheet.)
    _extension("learn-paths.css", "path-nav"),
    # A whole learning path on one page: a step per printed page.
    _extension("learn-path-book.css", "path-book"),
    # "I have finished this tutorial".
    _extension("learn-progress.css", "done"),
    # "3 of 5 done" on catalogs and path pages.
    _extension("learn-summary.css", "summary"),
    # The Download and Launch menus, the execution badge.
    _extension("learn-notebooks.css", "notebooks"),
    # A failed notebook: its badge's mark, its box in place of the failing cell's traceback.
    _extension("learn-failure.css", "failure"),
    _extension("learn-report.css", "report"),
    _extension("learn-landing.css", "landing"),
    # Code blocks' "Copy" buttons; sphinx-design's tabs in our colours.
    _extension("learn-copy.css", "copy"),
    _extension("learn-tabs.css", "tabs"),
    # A tutorial's "Key points" box, revision sheets.
    _extension("learn-key-points.css", "key-points"),
    # Glossary terms' definitions in tooltips.
    _extension("learn-glossary.css", "glossary"),
    # (The theme's sidebar progress lines, "nav-progress", are styled by the theme.)
    # (Also the Instructor view button's script: most pages with the button load it.)
    _extension(
        "learn-progress.js", "checklists", "done", "summary", "nav-progress", "instructor-view"
    ),
    _extension("learn-summary.js", "summary"),
    _extension("learn-catalog.js", "catalog"),
    _extension("learn-checkpoints.js", "checkpoints"),
    _extension("learn-checklists.js", "checklists"),
    _extension("learn-copy.js", "copy"),
    # Tab stops for code blocks that scroll in a tab opened after the page loaded.
    _extension("learn-tabs.js", "tabs"),
    _extension("learn-glossary.js", "glossary"),
    # Pages with maths, when the maths is rendered as MathML (mathml.py).
    Asset("learn-math.css", STATIC_DIR / "learn-math.css", MATH),
    Asset("learn-math-blocks.css", STATIC_DIR / "learn-math-blocks.css", MATH),  # display maths
    # The theme's own stylesheet, on every page (theme/extension.py). (The header
    # texts it may cut short get their tooltips when the page is written: theme/header.py.)
    Asset("styles/learn-theme.css", THEME_DIR / "styles" / "learn-theme.css", THEME),
    # The theme's files for some pages only (theme/page_assets.py): tutorials and
    # notebooks (width, header card, actions); the site navigation; the parent's
    # previous and next links; the site navigation's ticks on tutorials done.
    Asset("styles/learn-article.css", THEME_DIR / "styles" / "learn-article.css", THEME),
    Asset("styles/learn-site-nav.css", THEME_DIR / "styles" / "learn-site-nav.css", THEME),
    Asset("styles/learn-prev-next.css", THEME_DIR / "styles" / "learn-prev-next.css", THEME),
    Asset("scripts/learn-site-nav.js", THEME_DIR / "scripts" / "learn-site-nav.js", THEME),
    # The search index's loader, with the parent's search-as-you-type on (theme/search.py).
    Asset("scripts/learn-search.js", THEME_DIR / "scripts" / "learn-search.js", THEME),
    # Printed pages without solutions (the theme's print_solutions option); Sphinx
    # copies it from the theme's static folder.
    Asset(
        "styles/learn-print-hide-solutions.css",
        THEME_DIR / "sphinx_numpy_learn" / "static" / "styles" / "learn-print-hide-solutions.css",
        THEME,
    ),
)
ASSET_BY_NAME = {asset.name: asset for asset in ASSETS}


def _names(owner: str, suffix: str) -> tuple[str, ...]:
    return tuple(a.name for a in ASSETS if a.owner == owner and a.name.endswith(suffix))


CORE_STYLESHEET = "learn-core.css"
PROGRESS_SCRIPT = "learn-progress.js"
COPY_SCRIPT = "learn-copy.js"
STYLESHEETS = _names(EXTENSION, ".css")
SCRIPTS = _names(EXTENSION, ".js")
MATH_STYLESHEET = "learn-math.css"
MATH_BLOCK_STYLESHEET = "learn-math-blocks.css"
THEME_STYLESHEET = "styles/learn-theme.css"
ARTICLE_STYLESHEET = "styles/learn-article.css"
SITE_NAV_STYLESHEET = "styles/learn-site-nav.css"
PREV_NEXT_STYLESHEET = "styles/learn-prev-next.css"
SITE_NAV_SCRIPT = "scripts/learn-site-nav.js"
SEARCH_SCRIPT = "scripts/learn-search.js"
PRINT_HIDE_SOLUTIONS = "styles/learn-print-hide-solutions.css"
# What each component of a page loads besides the core stylesheet: (stylesheets, scripts).
FEATURES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    component: (
        tuple(n for n in STYLESHEETS if component in ASSET_BY_NAME[n].components),
        tuple(n for n in SCRIPTS if component in ASSET_BY_NAME[n].components),
    )
    for asset in ASSETS
    for component in asset.components
}


def write_minified(source: Path, target: Path, text: str | None = None) -> None:
    """Write ``source`` (or ``text``, its content) minified (rcssmin, rjsmin) to ``target``.

    Written when the builder starts (not at the end) so Sphinx can add a checksum
    to the URL; left alone when unchanged, so an incremental build does not touch it.
    """
    if text is None:
        text = source.read_text(encoding="utf-8")
    text = rcssmin.cssmin(text) if source.suffix == ".css" else rjsmin.jsmin(text)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


# A palette colour's class in the core stylesheet, one rule a line: what tier badges
# (and the execution badges: green, red) of that colour use.
_COLOR_RULE = re.compile(r"^\.learn-color-(?P<color>[a-z]+) \{.*\}\n", re.MULTILINE)
EXECUTION_COLORS = ("green", "red")


def core_stylesheet(colors: Iterable[str]) -> str:
    """The core stylesheet's source with the classes of these palette colours only:
    a colour no tier of the project uses is on no page."""
    keep = set(colors)
    text = (STATIC_DIR / CORE_STYLESHEET).read_text(encoding="utf-8")
    return _COLOR_RULE.sub(lambda rule: rule[0] if rule["color"] in keep else "", text)


def add_assets(app: Sphinx) -> None:
    """``builder-inited``: write the minified assets and register the core stylesheet."""
    if app.builder.format != "html":
        return
    static = Path(app.outdir, "_static")
    colors = {tier.color for tier in tiers_of(app.config).values()}
    for name in (*STYLESHEETS, *SCRIPTS):
        text = core_stylesheet(colors | set(EXECUTION_COLORS)) if name == CORE_STYLESHEET else None
        write_minified(STATIC_DIR / name, static / name, text)
    app.add_css_file(CORE_STYLESHEET)


# -- Which components a page has -------------------------------------------------------------


def record_features(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: note the components no other domain key records."""
    found: set[str] = set()
    glue = mystnb_glue_references()
    for node in doctree.findall(nodes.Element):  # one pass for them all
        if isinstance(node, callout):
            found.add("callouts")
            if node["kind"] == "first-time-setup" and node.get("steps"):
                found.add("checklists")
        elif isinstance(node, instructor_note):
            found.add("instructor")
        elif isinstance(node, key_points):
            found.add("key-points")  # the box (revision sheets are in the domain's data)
        elif isinstance(node, level_badge):
            if node.get("link_to_catalog"):
                found.add("badges")  # (LinkBadges links them)
        elif isinstance(node, nodes.literal_block) and "output" in node["classes"]:
            found.add("outputs")  # (clean_outputs cleans them)
        elif isinstance(node, nodes.math_block):
            found.add("math-block")  # (the MathML renderer links its stylesheet)
        elif glue and isinstance(node, glue):
            found.add("outputs")  # MyST-NB pastes another notebook's output here
        if "copy" not in found and is_copyable(node):
            found.add("copy")
        # sphinx-design's components ("design": its files) and tab sets ("tabs": ours).
        feature = design_feature(node)
        if feature is not None:
            found.add("design")
            if feature == "tabs":
                found.add("tabs")
    if found:
        get_domain(app.env).data["features"][app.env.docname] = sorted(found)


def doc_features(app: Sphinx, docname: str, *, whole: bool = True) -> set[str]:
    """The components one document shows, from the domain's data (``whole``: with
    those of the steps a ``learning-path-book`` page shows)."""
    domain = get_domain(app.env)
    data = domain.data
    features = set(data["features"].get(docname, ()))
    if docname in data["exercises"] or docname in data["solutions"]:
        features.add("exercises")
    if docname in data["checkpoints"]:
        features.add("checkpoints")
    progress = wants_progress(app)
    if docname in data["catalogs"]:
        features.add("catalog")
        if progress:
            features.add("summary")
    if progress and docname in data["paths"]:
        features.add("summary")
    if any(domain.paths_through(docname)):
        features.add("path-nav")  # the position and previous/next links at the end
    if docname in domain.tutorials:
        features.add("tutorial")
        if progress:
            features.add("done")
    if docname in data["notebooks"] or docname in data["executions"]:
        features.add("notebooks")
        record = domain.executions.get(docname)
        if record is not None and failed(record):  # (every page with a failure box)
            features.add("failure")
    if docname in data["execution_reports"]:
        features.add("report")
    if docname in data["landings"]:
        features.add("landing")
    if docname in data["revision_sheets"]:
        features.add("key-points")
    if has_tooltips(app, docname):
        features.add("glossary")
    if "instructor" in features and toggles(app.builder):
        features.add("instructor-view")
    if docname in data["books"]:
        features.add("path-book")
        if whole:
            for step in domain.book_steps(docname):
                # Not the steps' own "Step 2 of 5" boxes or notebook menus (only their
                # header cards, styled by the tutorial stylesheet, come along).
                features |= doc_features(app, step, whole=False) - {"path-nav", "notebooks"}
    return features


# builder -> the pages whose sidebar lists a tutorial (computed once per build).
_SIDEBARS: weakref.WeakKeyDictionary[Builder, frozenset[str]] = weakref.WeakKeyDictionary()


def pages_with_tutorials_in_sidebar(app: Sphinx) -> frozenset[str]:
    """Pages whose pydata-sphinx-theme sidebar lists a tutorial.

    That sidebar shows the toctree of the page's top-level section (the ancestor
    just below the root document), so a page qualifies when a tutorial is below
    that section. The theme's navigation adds a progress line to such a sidebar.
    """
    if app.builder in _SIDEBARS:
        return _SIDEBARS[app.builder]
    env = app.env
    includes = env.toctree_includes
    parent: dict[str, str] = {}
    for doc in sorted(includes):
        for child in includes[doc]:
            parent.setdefault(child, doc)
    tutorials = set(get_domain(env).tutorials)

    def has_tutorial_below(doc: str, seen: set[str]) -> bool:
        for child in includes.get(doc, ()):
            if child in seen:
                continue
            seen.add(child)
            if child in tutorials or has_tutorial_below(child, seen):
                return True
        return False

    root = app.config.root_doc
    sections = {doc for doc in includes.get(root, ()) if has_tutorial_below(doc, set())}
    pages: set[str] = set()
    for doc in env.found_docs:
        top, seen = doc, {doc}
        while parent.get(top, root) != root and parent[top] not in seen:
            top = parent[top]
            seen.add(top)
        if top in sections:
            pages.add(doc)
    _SIDEBARS[app.builder] = frozenset(pages)
    return _SIDEBARS[app.builder]


def forget_sidebars(app: Sphinx, env: Any) -> None:
    """``env-updated``: the toctree may have changed since the last build of this app."""
    _SIDEBARS.pop(app.builder, None)


def page_features(app: Sphinx, pagename: str, context: dict[str, Any] | None = None) -> set[str]:
    """The components of the page ``pagename`` (every document's, for singlehtml)."""
    docs: Iterable[str]
    if isinstance(app.builder, SingleFileHTMLBuilder):
        docs = app.env.found_docs
    else:
        docs = (pagename,) if pagename in app.env.found_docs else ()
    features: set[str] = set()
    for doc in docs:
        features |= doc_features(app, doc)
    if (
        context is not None
        and wants_progress(app)
        and uses_theme(app)
        and theme_options(app)["nav_progress"]
        and (
            pagename in pages_with_tutorials_in_sidebar(app)
            or _site_nav_lists_tutorials(app, pagename, context)
        )
    ):
        features.add("nav-progress")
    return features


def _site_nav_lists_tutorials(app: Sphinx, pagename: str, context: dict[str, Any]) -> bool:
    """Whether the theme's site navigation on this page lists a tutorial."""
    # Imported here: the theme package imports this module.
    from sphinx_numpy_learn.theme.site_nav import lists_tutorials

    return lists_tutorials(app, pagename, context)


def page_assets(features: Iterable[str]) -> tuple[list[str], list[str]]:
    """The stylesheets and scripts (file names, in page order) for these components."""
    styles: set[str] = set()
    scripts: set[str] = set()
    for feature in features:
        # (A feature may load none of our files: "design" loads sphinx-design's.)
        css, js = FEATURES.get(feature, ((), ()))
        styles.update(css)
        scripts.update(js)
    return [n for n in STYLESHEETS if n in styles], [n for n in SCRIPTS if n in scripts]


def add_page_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: this page's component stylesheets and scripts."""
    if app.builder.format != "html":
        return
    features = page_features(app, pagename, context)
    drop_design_files(context, keep="design" in features)
    styles, scripts = page_assets(features)
    for name in styles:
        app.add_css_file(name)
    for name in scripts:
        attributes: dict[str, Any] = {}
        if name == PROGRESS_SCRIPT:
            # The project name keeps two sites on one host from sharing saved progress.
            attributes = {
                "data-learn-project": app.config.project or "",
                "data-learn-storage": str(STORAGE_VERSION),
            }
        elif name == COPY_SCRIPT:
            attributes = script_labels()
        app.add_js_file(name, loading_method="defer", **attributes)


def setup_assets(app: Sphinx) -> None:
    app.connect("builder-inited", add_assets)
    # After the handlers that add nodes when a page is read (the tutorial header's badge).
    app.connect("doctree-read", record_features, priority=600)
    app.connect("env-updated", forget_sidebars)
    app.connect("html-page-context", add_page_assets)
