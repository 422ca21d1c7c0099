"""CSS and JavaScript for HTML builders only (LaTeX, text, man never see them).

The stylesheet goes on every page; the script only on pages that need it
(catalogs, checkpoints, checklists, and pages that show reader progress), added
from ``html-page-context``. Configuration reaches the
script through data attributes written by the HTML visitors, never by pasting
values into JavaScript.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util.fileutil import copy_asset_file

from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.progress import STORAGE_VERSION, wants_progress

if TYPE_CHECKING:
    from sphinx.application import Sphinx

STATIC_DIR = Path(__file__).parent / "static"
STYLESHEET = "sphinx-numpy-learn-ext.css"
SCRIPT = "sphinx-numpy-learn-ext.js"


def add_assets(app: Sphinx) -> None:
    """``builder-inited``: copy and register the assets for HTML-format builders."""
    if app.builder.format != "html":
        return
    static = Path(app.outdir, "_static")
    static.mkdir(parents=True, exist_ok=True)
    for name in (STYLESHEET, SCRIPT):
        # Copied now (not at the end) so Sphinx can add a checksum to the URL.
        copy_asset_file(STATIC_DIR / name, static / name, force=True)
    app.add_css_file(STYLESHEET)


def needs_script(app: Sphinx, pagename: str) -> bool:
    """Catalog filters, checkpoints and checklists always; progress where it is on."""
    data = get_domain(app.env).data
    if pagename in data["catalogs"] or pagename in data["interactive"]:
        return True
    return wants_progress(app) and (pagename in data["tutorials"] or pagename in data["paths"])


def add_page_script(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if needs_script(app, pagename):
        # The project name keeps two sites on one host from sharing saved progress.
        app.add_js_file(
            SCRIPT,
            loading_method="defer",
            **{
                "data-learn-project": app.config.project or "",
                "data-learn-storage": str(STORAGE_VERSION),
            },
        )


def setup_assets(app: Sphinx) -> None:
    app.connect("builder-inited", add_assets)
    app.connect("html-page-context", add_page_script)
