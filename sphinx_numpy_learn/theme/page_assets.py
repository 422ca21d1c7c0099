"""The theme's stylesheets and scripts for some pages only.

The theme's own stylesheet (``styles/learn-theme.css``) is on every page; what
only some pages use is in small files beside it, added by
``html-page-context`` to the pages that need them, as the extension does with its
components (:mod:`sphinx_numpy_learn.assets`): every page carries fewer bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx_numpy_learn._compat import asset_filename
from sphinx_numpy_learn.assets import (
    ARTICLE_STYLESHEET,
    PREV_NEXT_STYLESHEET,
    PROGRESS_SCRIPT,
    SEARCH_SCRIPT,
    SITE_NAV_SCRIPT,
    SITE_NAV_STYLESHEET,
    page_features,
)
from sphinx_numpy_learn.theme.search import SEARCH_PAGE, search_as_you_type

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def page_files(app: Sphinx, pagename: str, context: dict[str, Any]) -> list[str]:
    """The theme's files for this page, besides those on every page."""
    features = page_features(app, pagename)
    names: list[str] = []
    if {"tutorial", "notebooks"} & features:
        names.append(ARTICLE_STYLESHEET)
    if "learn_site_nav" in context:
        names.append(SITE_NAV_STYLESHEET)
        # The ticks use the saved progress: where the page has the progress script
        # (the extension added this page's scripts already).
        scripts = context.get("script_files") or ()
        if any((asset_filename(js) or "").endswith("/" + PROGRESS_SCRIPT) for js in scripts):
            names.append(SITE_NAV_SCRIPT)
    if context.get("theme_show_prev_next", True) and (context.get("prev") or context.get("next")):
        names.append(PREV_NEXT_STYLESHEET)
    # Search-as-you-type: the index, loaded when the search dialog is first used (the
    # search page loads it itself).
    if pagename != SEARCH_PAGE and search_as_you_type(context):
        names.append(SEARCH_SCRIPT)
    return names


def add_page_files(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: the theme's files for this page. Late: after the site
    navigation, the learning paths and the extension's assets have set what the page
    shows (the extension's scripts come first, so this one can use them)."""
    if app.builder.format != "html":
        return
    for name in page_files(app, pagename, context):
        if name.endswith(".js"):
            app.add_js_file(name, loading_method="defer")
        else:
            app.add_css_file(name)


def setup_page_assets(app: Sphinx) -> None:
    app.connect("html-page-context", add_page_files, priority=900)
