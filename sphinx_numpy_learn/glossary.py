"""Glossary terms with their definition at hand: a tooltip on every ``term`` link.

Sphinx's ``glossary`` directive and ``term`` role do the defining and linking. We add,
on HTML pages only, the definition next to each link to a term defined on another
page: a ``role="tooltip"`` element the link names with ``aria-describedby``, shown on
hover and keyboard focus by the stylesheet (``learn-glossary.css``), dismissed with
Escape by a few lines of script (``learn-glossary.js``). The link stays, so without
CSS or JavaScript the reader still reaches the glossary entry.

Definitions are collected when a glossary page is read, as plain text (the first
paragraph of each definition), into the ``learn`` domain by page and anchor: merged
like every other record under ``-j``, and compared at each build
(``LearnDomain.shown``), so that pages naming a term whose definition changed are
written again. Each page notes the terms its ``term`` roles name for that purpose. A
link's tooltip is the entry the link goes to: found through Sphinx's standard domain
as it resolves the link (``LearnDomain.term_definition``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_numpy_learn import _compat, rich_text
from sphinx_numpy_learn.domain import get_domain, page_may_show
from sphinx_numpy_learn.log import warn
from sphinx_numpy_learn.nodes_util import add_node_everywhere, ignore, like
from sphinx_numpy_learn.records import GlossaryTermRecord, glossary_term_record

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

# A definition longer than this is cut at a word, with an ellipsis (the link leads on).
MAX_CHARACTERS = 280
TIP_CLASS = "learn-tip"


def collect_glossaries(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: every glossary term of the page with its definition's first
    paragraph, and the terms the page's ``term`` roles name."""
    domain = get_domain(app.env)
    docname = app.env.docname
    terms = []
    for glossary in doctree.findall(addnodes.glossary):
        for item in glossary.findall(nodes.definition_list_item):
            definition = next(iter(item.findall(nodes.definition)), None)
            paragraph = (
                next(iter(definition.findall(nodes.paragraph)), None) if definition else None
            )
            text = (
                rich_text.trim(paragraph.astext(), MAX_CHARACTERS) if paragraph is not None else ""
            )
            for term in item.findall(nodes.term):
                if not term["ids"]:
                    continue
                if not text:
                    warn(
                        f"glossary term {term.astext()!r}: its definition starts with no "
                        "paragraph, so links to it show no tooltip",
                        subtype="glossary",
                        location=(docname, _term_line(item, term)),
                    )
                    continue
                terms.append(
                    glossary_term_record(term=term.astext(), id=term["ids"][0], text=text)
                )
    if terms:
        domain.note_glossary(docname, terms)
    used = [str(ref["reftarget"]) for ref in _term_links(doctree)]
    if used:
        domain.note_terms_used(docname, used)


def _term_line(item: nodes.definition_list_item, term: nodes.term) -> int | None:
    """The line of ``term``: the terms of an entry stand on the lines just above its
    definition, whose first block has the right line in rST and MyST alike (Sphinx's
    own ``term.line`` counts from the directive's content in MyST, from 0 in rST)."""
    definition = next(iter(item.findall(nodes.definition)), None)
    first = (
        next((node.line for node in definition.findall(nodes.Element) if node.line), None)
        if definition is not None
        else None
    )
    if first is None:
        return None
    terms = [child for child in item.children if isinstance(child, nodes.term)]
    return first - (len(terms) - terms.index(term)) if term in terms else None


# Web pages only: an e-book's reader (epub) may not apply the stylesheet.
TOOLTIP_BUILDERS = ("html", "dirhtml", "singlehtml")


def _term_links(doctree: nodes.Node) -> Iterator[addnodes.pending_xref]:
    """The page's ``term`` links that may show a tooltip: not those in a title or in
    another link."""
    for ref in doctree.findall(addnodes.pending_xref):
        is_term = ref.get("refdomain") == "std" and ref.get("reftype") == "term"
        if is_term and not _in_title_or_link(ref):
            yield ref


def _tooltip(env: BuildEnvironment, target: str, docname: str) -> GlossaryTermRecord | None:
    """The definition a link to the term ``target`` on ``docname`` shows: the entry
    the link goes to, unless it is on that page (the entry is right there)."""
    found = get_domain(env).term_definition(target)
    return found[1] if found is not None and found[0] != docname else None


def has_tooltips(app: Sphinx, docname: str) -> bool:
    """Whether the page shows a tooltip (as :class:`AddTooltips` decides)."""
    if app.builder.name not in TOOLTIP_BUILDERS:
        return False
    used = get_domain(app.env).data["terms_used"].get(docname, ())
    return any(_tooltip(app.env, term, docname) is not None for term in used)


# -- Nodes -----------------------------------------------------------------------------------


class term_tip(nodes.inline):
    """A link to a glossary term and, after it, its definition (``tip``: the
    tooltip's id). Only HTML builders ever see one."""


class tip_text(nodes.inline):
    """The tooltip itself."""


class term_link(nodes.reference):
    """The link Sphinx made to a glossary entry, inside a :class:`term_tip` (``tip``:
    the tooltip's id, which the link names as its description)."""


def visit_term_html(self: HTML5Translator, node: term_tip) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="learn-term"))


def depart_term_html(self: HTML5Translator, node: term_tip) -> None:
    self.body.append("</span>")


def visit_link_html(self: HTML5Translator, node: term_link) -> None:
    # As Sphinx writes an internal reference, with the one attribute it has no way to add.
    href = node["refuri"] if "refuri" in node else "#" + node["refid"]
    attributes = {"href": href, "aria-describedby": node["tip"]}
    if "reftitle" in node:
        attributes["title"] = node["reftitle"]
    self.body.append(self.starttag(node, "a", "", CLASS="reference internal", **attributes))


def depart_link_html(self: HTML5Translator, node: term_link) -> None:
    self.body.append("</a>")


def visit_tip_html(self: HTML5Translator, node: tip_text) -> None:
    self.body.append(self.starttag(node, "span", "", role="tooltip", CLASS=TIP_CLASS))


def depart_tip_html(self: HTML5Translator, node: tip_text) -> None:
    self.body.append("</span>")


def skip_tip(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


class AddTooltips(SphinxPostTransform):
    """Wrap each ``term`` reference to another page's glossary with its definition.

    Runs before Sphinx resolves references (priority 10), while the role's target is
    still at hand; the link Sphinx makes lands inside the wrapper."""

    default_priority = 9
    builders = TOOLTIP_BUILDERS

    def run(self, **kwargs: Any) -> None:
        docname = self.env.docname
        if not _may_link_terms(self.env, docname):
            return
        taken = set(self.document.ids)
        number = 0
        for ref in list(_term_links(self.document)):
            record = _tooltip(self.env, str(ref["reftarget"]), ref.get("refdoc") or docname)
            if record is None:
                continue
            while f"learn-tip-{number}" in taken:
                number += 1
            tip_id = f"learn-tip-{number}"
            taken.add(tip_id)
            tip = tip_text("", record["text"], ids=[tip_id])
            wrapper = term_tip("", tip=tip_id)
            ref.replace_self(wrapper)
            wrapper += ref
            wrapper += tip


class DescribeTermLinks(SphinxPostTransform):
    """Once Sphinx has resolved them, make each link inside a :class:`term_tip` a
    :class:`term_link`, which names its tooltip."""

    default_priority = 11  # after Sphinx's ReferencesResolver (10)
    builders = TOOLTIP_BUILDERS

    def run(self, **kwargs: Any) -> None:
        if not _may_link_terms(self.env, self.env.docname):
            return
        for wrapper in list(self.document.findall(term_tip)):
            link = next(
                (c for c in wrapper.children if type(c) is nodes.reference and c.get("internal")),
                None,
            )
            if link is not None:
                described = term_link(link.rawsource, "", *link.children, **link.attributes)
                described["tip"] = wrapper["tip"]
                link.replace_self(described)


def _may_link_terms(env: BuildEnvironment, docname: str) -> bool:
    """Whether the page being written may link to a term (a post-transform has the
    builder's class only)."""
    return page_may_show(env, _compat.builder_class(env), docname, ("terms",))


def _in_title_or_link(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.title | nodes.reference | nodes.rubric):
            return True
        parent = parent.parent
    return False


def setup_glossary(app: Sphinx) -> None:
    add_node_everywhere(
        app, term_tip, html=(visit_term_html, depart_term_html), other=(ignore, ignore)
    )
    add_node_everywhere(
        app, tip_text, html=(visit_tip_html, depart_tip_html), other=(skip_tip, ignore)
    )
    add_node_everywhere(
        app, term_link, html=(visit_link_html, depart_link_html), other=like("reference")
    )
    app.add_post_transform(AddTooltips)
    app.add_post_transform(DescribeTermLinks)
    app.connect("doctree-read", collect_glossaries)
