"""Tabs, with sphinx-design (``tab-set``, ``tab-item``, ``:sync-group:``/``:sync:``).

sphinx-design is the ecosystem's standard and meets our bar: its tabs are radio
buttons and labels (arrow keys switch tabs, the first tab shows without
JavaScript) and its small script keeps tabs of one sync group together on the page
and, through localStorage, on every page of the site. We set it up (``{tab-set}``
works without listing it; listing ``sphinx_design`` too does no harm) and add:

- its files only on pages that show one of its components (it adds them to every
  page; 55 KB of CSS), found when the page is read; and its post-transforms and
  ``doctree-resolved`` handler, which walk every page, only on those pages;
- our colours and focus ring for its tabs (``static/learn-tabs.css``);
- for LaTeX, text, man and Texinfo, each tab's label as a bold line before its
  content: sphinx-design keeps every tab there, its label a rubric, which LaTeX and
  Texinfo make an unnumbered heading whatever the section's depth, and text
  ``-[ pip ]-``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_numpy_learn import _compat
from sphinx_numpy_learn._compat import asset_filename
from sphinx_numpy_learn.domain import page_may_show

if TYPE_CHECKING:
    from sphinx.application import Sphinx

# sphinx-design's files, added to every page when the builder starts.
DESIGN_FILES = frozenset({"sphinx-design.min.css", "design-tabs.js"})


def design_feature(node: nodes.Element) -> str | None:
    """``"tabs"`` for a tab set, ``"design"`` for another of sphinx-design's nodes (they
    carry ``design_component`` or an ``sd-`` class), else ``None``."""
    component = node.get("design_component")
    if component == "tab-set":
        return "tabs"
    if component or any(str(c).startswith("sd-") for c in node.get("classes", ())):
        return "design"
    return None


def _is_design_file(asset: Any) -> bool:
    name = asset_filename(asset)
    return name is not None and name.rsplit("/", 1)[-1] in DESIGN_FILES


def drop_design_files(context: dict[str, Any], keep: bool) -> None:
    """Take sphinx-design's files off a page that shows none of its components.

    The lists are changed in place: they are the builder's, which Sphinx resets
    before each page, and a later handler may still add to them."""
    if keep:
        return
    for key in ("css_files", "script_files"):
        files = context.get(key)
        if isinstance(files, list):
            files[:] = [asset for asset in files if not _is_design_file(asset)]


class TabLabels(SphinxPostTransform):
    """Non-HTML builders: each tab's label (sphinx-design's rubric) as a bold
    paragraph before its content, so no writer drops or floats it."""

    default_priority = 200
    formats = ("latex", "text", "man", "texinfo")

    def run(self, **kwargs: Any) -> None:
        for item in list(self.document.findall(_is_tab_item)):
            for rubric in [c for c in item.children if isinstance(c, nodes.rubric)]:
                label = nodes.paragraph("", "", nodes.strong("", "", *rubric.children))
                label["ids"] = list(rubric["ids"])
                label.source, label.line = rubric.source, rubric.line
                rubric.replace_self(label)


def _is_tab_item(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Element) and node.get("design_component") == "tab-item"


def walk_design_pages_only(app: Sphinx) -> None:
    """``builder-inited``: sphinx-design's post-transforms and ``doctree-resolved``
    handler each walk every page written; let them walk only the pages that show one
    of its components (as noted when the page was read)."""
    _compat.run_only_where(
        app,
        "sphinx_design",
        lambda app, docname: page_may_show(app.env, app.builder, docname, ("design",)),
    )


def setup_tabs(app: Sphinx) -> None:
    """(The extension's setup loads sphinx-design first.)"""
    app.add_post_transform(TabLabels)
    app.connect("builder-inited", walk_design_pages_only)
