"""Registering custom nodes with a visitor for every core builder.

Our structural nodes subclass a standard docutils node (``bullet_list``,
``list_item``, ``container`` ...). HTML gets its own markup; every other builder
renders the node exactly like the standard node it extends, so LaTeX, text, man,
texinfo and epub output stay readable without HTML leftovers.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MethodType
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.builders.singlehtml import SingleFileHTMLBuilder

from sphinx_numpy_learn.directive_options import Converter, class_names, required_text

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.docutils import SphinxDirective

Visitor = Callable[[Any, nodes.Element], None]
NON_HTML_BUILDERS = ("latex", "text", "man", "texinfo")


def like(base: str) -> tuple[Visitor, Visitor]:
    """Visit and depart a node as the standard node ``base`` (e.g. ``"bullet_list"``)."""

    def visit(self: Any, node: nodes.Element) -> None:
        getattr(self, f"visit_{base}")(node)

    def depart(self: Any, node: nodes.Element) -> None:
        getattr(self, f"depart_{base}")(node)

    return visit, depart


def ignore(self: Any, node: nodes.Element) -> None:
    """Write nothing for the node itself; its children are written as usual."""


def add_node_everywhere(
    app: Sphinx,
    node: type[nodes.Element],
    *,
    html: tuple[Visitor, Visitor],
    other: tuple[Visitor, Visitor],
) -> None:
    """Register ``node`` with ``html`` for HTML builders and ``other`` for the rest."""
    visitors: dict[str, Any] = dict.fromkeys(NON_HTML_BUILDERS, other)
    app.add_node(node, html=html, **visitors)


def setup_page_release(app: Sphinx) -> None:
    app.connect("builder-inited", release_written_pages)


def release_written_pages(app: Sphinx) -> None:
    """``builder-inited``: free each page's doctree and translators once it is written.

    Both are reference cycles (every node points at its parent; Sphinx gives each
    translator a bound method of itself for every node registered with ``add_node``),
    which only a full garbage collection frees. Sphinx keeps every doctree it read in
    memory until the page is written, in the oldest generation, so a collection is
    rarely due during the write phase and the written pages pile up: peak memory grows
    with the site. Breaking the cycles lets each page go as soon as it is written.
    """
    from sphinx_numpy_learn import _compat

    _compat.after_each_page_written(app.builder, release_page)


def release_page(doctree: nodes.document, translators: list[Any]) -> None:
    """Break the reference cycles of a written page (it is never used again).

    The links down (``children``) go, and the links up (``parent``) stay: a warning
    about a node of the page waits, with the node, until the write phase ends (Sphinx
    holds the warnings of a serial write back), and its ``file:line`` is read then from
    the node's ancestors. Without the links down, a node nothing else holds is freed at
    once, by reference counting."""
    below: list[nodes.Node] = list(doctree.children)
    while below:  # as findall(), without a generator per node
        node = below.pop()
        if isinstance(node, nodes.Element):
            below.extend(node.children)
            node.children = []
    for name, value in list(vars(doctree).items()):
        # The document's children and its tables of ids, names, references, footnotes
        # and messages hold nodes, which the document would keep alive in its own cycle
        # (its transformer points back at it). Replaced, not emptied: another extension
        # may share one of them (MyST-Parser's ``myst_slugs`` is also in env.metadata).
        if name != "attributes" and isinstance(value, (list, dict)):
            setattr(doctree, name, [] if isinstance(value, list) else {})
    for translator in translators:
        for name, value in list(vars(translator).items()):
            if isinstance(value, MethodType) and value.__self__ is translator:
                delattr(translator, name)


def doc_link(
    builder: Any,
    fromdoc: str,
    todoc: str,
    anchor: str | None,
    child: nodes.Node | list[nodes.Node],
    title: str | None = None,
) -> nodes.reference:
    """A link to ``todoc`` (and ``anchor`` in it) that is right for every builder.

    ``make_refnode`` joins ``#document-x`` and ``#anchor`` for singlehtml, and
    LaTeX would point at a label that is never written; so anchors are used
    only where the HTML output has them.
    """
    from sphinx.util.nodes import make_refnode

    if builder.format != "html":
        anchor = None
    if anchor and builder.name == "singlehtml":
        ref = nodes.reference("", "", internal=True, refid=anchor)
        if title:
            ref["reftitle"] = title
        ref += child
        return ref
    return make_refnode(builder, fromdoc, todoc, anchor, child, title)


def in_cell_output(node: nodes.Node) -> bool:
    """Whether ``node`` is inside a MyST-NB cell's output (``<container
    classes="cell_output">``): what a kernel printed, not what the writer wrote."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.Element) and "cell_output" in parent.get("classes", ()):
            return True
        parent = parent.parent
    return False


def holds_one_document(builder: Any) -> bool:
    """Whether each page this builder (or builder class) writes holds one document (and
    a book's steps): web pages, not singlehtml's one page, LaTeX, Texinfo or man, which
    put several documents together."""
    kind = builder if isinstance(builder, type) else type(builder)
    return issubclass(kind, StandaloneHTMLBuilder) and not issubclass(kind, SingleFileHTMLBuilder)


def document_of(node: nodes.Node, page: str) -> str:
    """The document ``node`` comes from, on ``page``: itself, or one of those singlehtml,
    LaTeX and Texinfo put into it. Those mark the sections of each document they put in
    with its name (and leave the parents of its top nodes as they were, so the
    ``start_of_file`` node around it cannot be found from inside)."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.section) and parent.get("docname"):
            return parent["docname"]
        parent = parent.parent
    return page


class WriteTimeFiller:
    """Changes a page's doctree just before it is written (``doctree-resolved``).

    Catalogs, path step lists and path navigation show other pages' data, so they
    are filled in here, from the domain, with the builder at hand for links. The
    event hands us the application, which post-transforms may no longer reach.
    """

    formats: tuple[str, ...] = ()
    """Builder formats to run for; empty for every builder."""

    shown_with: tuple[str, ...] = ()
    """The page components (:meth:`~sphinx_numpy_learn.domain.LearnDomain.components`) that bring
    this filler's nodes: a page that shows none of them is not walked. Empty: every
    page is."""

    def __init__(self, app: Sphinx, doctree: nodes.document, docname: str) -> None:
        self.app = app
        self.env = app.env
        self.config = app.config
        self.document = doctree
        self.docname = docname

    @classmethod
    def handler(cls, app: Sphinx, doctree: nodes.document, docname: str) -> None:
        if cls.formats and app.builder.format not in cls.formats:
            return
        if cls.shown_with:
            # Imported here: the domain's module imports this one.
            from sphinx_numpy_learn.domain import page_may_show

            if not page_may_show(app.env, app.builder, docname, cls.shown_with):
                return
        cls(app, doctree, docname).run()

    def run(self) -> None:
        raise NotImplementedError


# Options of every labelled component: ``:label:`` (sphinx-exercise's name for it),
# ``:name:`` (Sphinx's) and ``:class:``.
LABELLED_OPTIONS: dict[str, Converter] = {
    "label": required_text,
    "name": required_text,
    "class": class_names,
}


def label_target(directive: SphinxDirective, node: nodes.Element, prefix: str) -> None:
    """Make ``:label:`` (or ``:name:``) a cross-reference target; else give a stable id."""
    label = directive.options.get("label") or directive.options.get("name")
    node["label"] = ""
    if label:
        node["label"] = nodes.fully_normalize_name(label)
        node["names"].append(node["label"])
        directive.state.document.note_explicit_target(node, node)
    else:
        node["ids"].append(generated_id(directive, prefix))


def generated_id(directive: SphinxDirective, prefix: str) -> str:
    """An id for a component without a label, e.g. ``learn-checkpoint-tutorials-arrays-0``.

    singlehtml, LaTeX and Texinfo put every document on one page, so the id names the
    document as well as the component's place among its kind on the page: unique in
    the whole site, yet the same in every build (parallel or not) of the same page.
    """
    document = directive.state.document
    while True:
        number = directive.env.new_serialno(prefix)
        node_id = nodes.make_id(f"{prefix}-{directive.env.docname}-{number}")
        if node_id not in document.ids:  # never an id the page already has
            return node_id
