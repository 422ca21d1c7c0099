"""Rich text and docutils trees: the build's doctree (and ``check``'s reading of
reStructuredText) turned into the plain :class:`~sphinx_numpy_learn.derive.Part` objects
that :mod:`sphinx_numpy_learn.derive` judges, and rich text turned back into nodes for
the header card and catalog cards.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterator, Sequence
from typing import Any

from docutils import nodes

from sphinx_numpy_learn.derive import Item, Part, Quotes, RichBlock, Span, clean_spans
from sphinx_numpy_learn.nodes_util import in_cell_output

# Where a page's first paragraph is not what the page is about.
ASIDE: tuple[type[nodes.Node], ...] = (
    nodes.Admonition,
    nodes.sidebar,
    nodes.topic,
    nodes.table,
    nodes.field_list,
    nodes.docinfo,
    nodes.footnote,
    nodes.citation,
    nodes.system_message,
)


def _literal(node: nodes.Node) -> bool:
    return isinstance(node, nodes.literal | nodes.math) or (
        isinstance(node, nodes.Element) and "code" in node.get("classes", ())
    )


def inline_spans(element: nodes.Element, quotes: Quotes | None = None) -> list[Span]:
    """The rich text of a paragraph (or title): code, emphasis, strong and external
    links kept; footnote and citation references dropped. ``quotes`` educates the
    paragraph's quotes where the tree has not been through Sphinx (``check``)."""
    spans: list[Span] = []

    def walk(node: nodes.Node, marks: dict[str, Any]) -> None:
        if isinstance(node, nodes.Text):
            spans.append({"text": node.astext(), **marks})
            return
        if isinstance(
            node,
            nodes.footnote_reference
            | nodes.citation_reference
            | nodes.system_message
            | nodes.problematic
            | nodes.image
            | nodes.raw
            | nodes.substitution_definition
            | nodes.target,
        ):
            return
        inner = dict(marks)
        if _literal(node):
            spans.append({"text": node.astext(), **marks, "code": True})
            return
        if isinstance(node, nodes.emphasis):
            inner["em"] = True
        elif isinstance(node, nodes.strong):
            inner["strong"] = True
        elif isinstance(node, nodes.reference):
            uri = node.get("refuri", "")
            if re.match(r"^https?://", uri):
                inner["href"] = uri
        for child in node.children:
            walk(child, inner)

    for child in element.children:
        walk(child, {})
    return clean_spans(quotes(spans) if quotes else spans)


def list_items(node: nodes.Element, quotes: Quotes | None = None) -> list[Item]:
    """A bullet or enumerated list's items, nested lists kept nested."""
    items: list[Item] = []
    for item in node.children:
        if not isinstance(item, nodes.list_item):
            continue
        spans: list[Span] = []
        children: list[Item] = []
        for child in item.children:
            if isinstance(child, nodes.paragraph):
                if spans:
                    spans.append({"text": " "})
                spans.extend(inline_spans(child, quotes))
            elif isinstance(child, nodes.bullet_list | nodes.enumerated_list):
                children.extend(list_items(child, quotes))
        items.append({"text": clean_spans(spans), "items": children})
    return items


def rich_block(node: nodes.Node, quotes: Quotes | None = None) -> RichBlock | None:
    """A paragraph or a list as rich text; ``None`` for anything else."""
    if isinstance(node, nodes.paragraph):
        return {"paragraph": inline_spans(node, quotes)}
    if isinstance(node, nodes.bullet_list | nodes.enumerated_list):
        ordered = isinstance(node, nodes.enumerated_list)
        return {"list": list_items(node, quotes), "ordered": ordered}
    return None


def is_code(node: nodes.Node) -> bool:
    return isinstance(node, nodes.literal_block | nodes.doctest_block) or (
        isinstance(node, nodes.Element) and node.get("nb_element") == "cell_code"
    )


def trim(text: str, limit: int) -> str:
    """``text`` on one line, at most ``limit`` characters: cut at the last word that
    fits (inside a word only when it is the first), with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and not text[limit - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-\u2013\u2014") + "\u2026"


def _inside(
    node: nodes.Node, kinds: tuple[type[nodes.Node], ...], skip: Collection[nodes.Node]
) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, kinds) or parent in skip:
            return True
        parent = parent.parent
    return False


def first_paragraph(
    doctree: nodes.Node,
    *,
    generated: tuple[type[nodes.Node], ...] = (),
    skip: Collection[nodes.Node] = (),
) -> str:
    """The text of the page's first paragraph of prose, on one line: not in a note,
    table, footnote or notebook cell's output (:data:`ASIDE`), nor in the nodes
    ``skip`` or the ``generated`` kinds of node (text the build wrote, not the writer).
    On a page made only of boxes: the first paragraph in one that is not generated."""
    fallback = ""
    for paragraph in doctree.findall(nodes.paragraph):
        text = " ".join(paragraph.astext().split())
        if not text or _inside(paragraph, (nodes.system_message, *generated), skip):
            continue
        if not _inside(paragraph, ASIDE, ()) and not in_cell_output(paragraph):
            return text
        fallback = fallback or text
    return fallback


class _SectionPart(Part):
    """A :class:`~sphinx_numpy_learn.derive.Part` of the build's doctree whose content is
    read when asked: the judge reads the opening sections and the closing one, and a
    tutorial has many more (its steps), each read in full before."""

    def __init__(self, section: nodes.section) -> None:  # no super(): the fields below
        title = section[0].astext() if section.children else ""
        self.title = " ".join(title.split())
        self.line = section.line
        self.subsections = any(isinstance(child, nodes.section) for child in section.children)
        self.node = section

    @functools.cached_property
    def blocks(self) -> list[RichBlock]:  # type: ignore[override]
        children = self.node.children[1:]
        return [b for child in children if (b := rich_block(child)) is not None]

    @functools.cached_property
    def code(self) -> bool:  # type: ignore[override]
        return any(True for _ in self.node.findall(is_code))


def _part_of_section(section: nodes.section) -> Part:
    return _SectionPart(section)


def parts_of_doctree(doctree: nodes.Node) -> list[Part]:
    """The sections and horizontal rules directly under the page's title."""
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None:
        return []
    parts: list[Part] = []
    for child in top.children:
        if isinstance(child, nodes.transition):
            parts.append(Part(None, child.line))
        elif isinstance(child, nodes.section):
            parts.append(_part_of_section(child))
    return parts


# -- Back to nodes (header card, catalog cards) -------------------------------------------------


def span_nodes(spans: Sequence[Span]) -> Iterator[nodes.Node]:
    for span in spans:
        node: nodes.Node = (
            nodes.literal(span["text"], span["text"])
            if span.get("code")
            else nodes.Text(span["text"])
        )
        if span.get("em"):
            node = nodes.emphasis("", "", node)
        if span.get("strong"):
            node = nodes.strong("", "", node)
        if span.get("href"):
            node = nodes.reference("", "", node, refuri=span["href"], classes=["external"])
        yield node


def paragraph(spans: Sequence[Span], **attributes: Any) -> nodes.paragraph:
    return nodes.paragraph("", "", *span_nodes(spans), **attributes)


def _list_node(items: Sequence[Item], ordered: bool) -> nodes.Element:
    result = nodes.enumerated_list() if ordered else nodes.bullet_list()
    for item in items:
        entry = nodes.list_item("", paragraph(item["text"]))
        if item["items"]:
            entry += _list_node(item["items"], ordered=False)
        result += entry
    return result


def block_nodes(blocks: Sequence[RichBlock]) -> list[nodes.Element]:
    """A section's rich content as standard nodes, nested lists nested."""
    return [
        paragraph(block["paragraph"])
        if "paragraph" in block
        else _list_node(block["list"], block.get("ordered", False))
        for block in blocks
    ]
