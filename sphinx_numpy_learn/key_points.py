"""Key points: a "Key points" box at the end of a tutorial, and revision sheets.

A tutorial's ``keypoints`` come from its metadata or from its own closing "Key
points" (or "Recap", "Summary" ...) section (:mod:`sphinx_numpy_learn.derive`).
Declared ones are shown in a box at the end of the tutorial, made at read time
from standard nodes; a page that has its own section keeps it as written, and gets
no box (never the same points twice).

``key-points-summary`` is a revision sheet: each tutorial of one learning path
(``:path:``), or of the whole site in the catalog's order, with its linked title,
level badge and key points. Like catalogs, it is filled in when the page is
written, from the domain, and written again when a tutorial's key points change
(:func:`sphinx_numpy_learn.domain.LearnDomain.pages_to_rewrite`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_numpy_learn import derive, rich_text
from sphinx_numpy_learn.directive_options import (
    LearnDirective,
    OptionSpec,
    class_names,
    required_text,
)
from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.i18n import _
from sphinx_numpy_learn.log import warn
from sphinx_numpy_learn.nodes_util import WriteTimeFiller, add_node_everywhere, doc_link, like
from sphinx_numpy_learn.records import TutorialRecord, revision_sheet_record
from sphinx_numpy_learn.tiers import make_badge, tiers_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

# -- Nodes ------------------------------------------------------------------------------


class key_points(nodes.Admonition, nodes.Element):
    """The "Key points" box at the end of a tutorial: an admonition elsewhere."""


def visit_box_html(self: HTML5Translator, node: key_points) -> None:
    self.body.append(
        self.starttag(node, "aside", "", CLASS="admonition", **{"aria-label": _("Key points")})
    )


def depart_box_html(self: HTML5Translator, node: key_points) -> None:
    self.body.append("</aside>\n")


class revision_sheet_placeholder(nodes.General, nodes.Element):
    """Where a revision sheet goes; replaced when the page is written."""


class revision_sheet(nodes.container):
    """A filled revision sheet: one entry per tutorial."""


class revision_title(nodes.rubric):
    """A tutorial's title on a revision sheet: a heading one level below its section's
    (``level``: the HTML heading's, 2 to 6)."""


def visit_sheet_html(self: HTML5Translator, node: revision_sheet) -> None:
    self.body.append(self.starttag(node, "div", "", CLASS="learn-revision-sheet"))


def depart_sheet_html(self: HTML5Translator, node: revision_sheet) -> None:
    self.body.append("</div>\n")


def visit_title_html(self: HTML5Translator, node: revision_title) -> None:
    self.body.append(self.starttag(node, f"h{node['level']}", "", CLASS="learn-revision-title"))


def depart_title_html(self: HTML5Translator, node: revision_title) -> None:
    self.body.append(f"</h{node['level']}>\n")


# -- The box at the end of a tutorial ----------------------------------------------------------


def point_list(items: list[list[derive.Span]]) -> nodes.bullet_list:
    """Key points (rich text) as a bulleted list: in the box and on revision sheets."""
    points = nodes.bullet_list()
    for spans in items:
        points += nodes.list_item("", rich_text.paragraph(spans))
    return points


def make_box(items: list[list[derive.Span]]) -> key_points:
    box = key_points(classes=["learn-key-points"])
    box += nodes.title("", _("Key points"))
    box += point_list(items)
    return box


def place_box(doctree: nodes.document, record: TutorialRecord, line: int | None) -> None:
    """Put the "Key points" box at the end of the tutorial: the end of its top
    section, before the sections that point elsewhere or credit sources (further
    reading, references ...). Nothing when the page shows its own key points."""
    if not record["keypoints"] or "keypoints" in record["shown_in_page"]:
        return
    box = make_box(derive.items_of(record["rich"]["keypoints"]))
    box.source, box.line = doctree.get("source"), line
    section = next(iter(doctree.findall(nodes.section)), None)
    parent: nodes.Element = section if section is not None else doctree
    index = len(parent.children)
    while index > 0:
        child = parent.children[index - 1]
        title = child[0].astext() if isinstance(child, nodes.section) and child.children else None
        if title is None or not derive.is_back_matter(title):
            break
        index -= 1
    parent.insert(index, box)


# -- The revision sheet -------------------------------------------------------------------------


class KeyPointsSummaryDirective(LearnDirective):
    """``key-points-summary``: the key points of one learning path (``:path:``, its
    name), or of every tutorial in the catalog's order."""

    has_content = False
    option_spec = OptionSpec({"path": required_text, "class": class_names}, subtype="key-points")

    def run(self) -> list[nodes.Node]:
        path = (self.options.get("path") or "").strip()
        get_domain(self.env).note_revision_sheet(
            self.env.docname, revision_sheet_record(line=self.lineno, path=path)
        )
        placeholder = revision_sheet_placeholder(
            path=path, classes=["learn-revision-sheet", *self.options.get("class", [])]
        )
        self.set_source_info(placeholder)
        return [placeholder]


def check_sheet_paths(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency``: a revision sheet's ``:path:`` names a learning path."""
    domain = get_domain(env)
    for docname, sheets in sorted(domain.data["revision_sheets"].items()):
        for sheet in sheets:
            if sheet["path"] and domain.path_named(sheet["path"]) is None:
                warn(
                    f"key-points-summary: no learning path is named {sheet['path']!r} "
                    f"(known paths: {domain.known_paths()}); the sheet lists every tutorial",
                    subtype="key-points",
                    location=(docname, sheet["line"]),
                )


def sheet_docs(env: BuildEnvironment, path_name: str) -> list[str]:
    """The pages a sheet lists: the path's steps that are tutorials, or every tutorial
    in the catalog's reading order (also when no path has that name)."""
    domain = get_domain(env)
    path = domain.path_named(path_name) if path_name else None
    if path is not None:
        return [doc for doc in path["steps"] if doc in domain.tutorials]
    rank = {name: tier.rank for name, tier in tiers_of(env.config).items()}
    return domain.reading_order(rank)


def _depth(node: nodes.Node) -> int:
    depth, parent = 0, node.parent
    while parent is not None:
        if isinstance(parent, nodes.section):
            depth += 1
        parent = parent.parent
    return depth


class FillRevisionSheets(WriteTimeFiller):
    """Replace each revision sheet placeholder with the tutorials' key points."""

    shown_with = ("key-points",)

    def run(self) -> None:
        for placeholder in list(self.document.findall(revision_sheet_placeholder)):
            placeholder.parent.replace(placeholder, self.build(placeholder))

    def build(self, placeholder: revision_sheet_placeholder) -> nodes.Element:
        tutorials = get_domain(self.env).tutorials
        tiers = tiers_of(self.config)
        sheet = revision_sheet(classes=list(placeholder["classes"]))
        docs = sheet_docs(self.env, placeholder["path"])
        if not docs:
            sheet += nodes.paragraph("", _("No tutorials yet."))
            return sheet
        level = min(6, max(2, _depth(placeholder) + 1))  # an HTML heading below the section's
        for doc in docs:
            record = tutorials[doc]
            title = revision_title(level=level)
            title += doc_link(
                self.app.builder,
                self.docname,
                doc,
                None,
                nodes.inline("", record["title"]),
                record["title"],
            )
            tier = tiers.get(record["level"] or "")
            if tier is not None:
                title += nodes.Text(" ")
                title += make_badge(tier)
            sheet += title
            sheet += self.points(record)
        return sheet

    def points(self, record: TutorialRecord) -> nodes.Element:
        items = derive.items_of(record["rich"].get("keypoints", []))
        if not items:
            return nodes.paragraph(
                "", _("This tutorial lists no key points."), classes=["learn-revision-none"]
            )
        return point_list(items)


def setup_key_points(app: Sphinx) -> None:
    add_node_everywhere(
        app, key_points, html=(visit_box_html, depart_box_html), other=like("admonition")
    )
    app.add_node(revision_sheet_placeholder)  # always replaced before writing
    add_node_everywhere(
        app, revision_sheet, html=(visit_sheet_html, depart_sheet_html), other=like("container")
    )
    add_node_everywhere(
        app, revision_title, html=(visit_title_html, depart_title_html), other=like("rubric")
    )
    app.add_directive("key-points-summary", KeyPointsSummaryDirective)
    app.add_directive_to_domain("learn", "key-points-summary", KeyPointsSummaryDirective)
    app.connect("doctree-resolved", FillRevisionSheets.handler)
    app.connect("env-check-consistency", check_sheet_paths)
