"""Glossary terms with their definition at hand: a tooltip on every ``term`` link.

Sphinx's ``glossary`` directive and ``term`` role do the defining and linking. We add,
on HTML pages only, the definition next to each link to a term defined on another
page: a ``role="tooltip"`` element the link names with ``aria-describedby``, shown on
hover and keyboard focus by the stylesheet (``learn-glossary.css``), dismissed with
Escape by a few lines of script (``learn-glossary.js``). The link stays, so without
CSS or JavaScript the reader still reaches the glossary entry.

Definitions are collected when a glossary page is read, as plain text (the first
paragraph of each definition), into the ``learn`` domain: merged like every other
record under ``-j``, and compared at each build (``LearnDomain.shown``), so that
pages naming a term whose definition changed are written again. Each page notes the
terms its ``term`` roles name (:func:`note_terms_used`) for that purpose.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.log import warn
from sphinx_numpy_learn.nodes_util import add_node_everywhere, ignore
from sphinx_numpy_learn.records import glossary_term_record

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

# A definition longer than this is cut at a word, with an ellipsis (the link leads on).
MAX_CHARACTERS = 280
TIP_CLASS = "learn-tip"


def shorten(text: str, limit: int = MAX_CHARACTERS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"


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
            text = shorten(paragraph.astext()) if paragraph is not None else ""
            for term in item.findall(nodes.term):
                if not term["ids"]:
                    continue
                if not text:
                    warn(
                        f"glossary term {term.astext()!r}: its definition starts with no "
                        "paragraph, so links to it show no tooltip",
                        subtype="glossary",
                        location=(docname, _term_line(app, docname, term.astext())),
                    )
                    continue
                terms.append(
                    glossary_term_record(term=term.astext(), id=term["ids"][0], text=text)
                )
    if terms:
        domain.note_glossary(docname, terms)
    used = [
        ref["reftarget"]
        for ref in doctree.findall(addnodes.pending_xref)
        if ref.get("refdomain") == "std" and ref.get("reftype") == "term"
    ]
    if used:
        domain.note_terms_used(docname, used)


def _term_line(app: Sphinx, docname: str, term: str) -> int | None:
    """The line where ``term`` stands alone in the page's source: Sphinx's glossary
    gives its terms lines counted from the directive's content in MyST, and from 0
    in rST, so the source is searched instead."""
    try:
        lines = Path(app.env.doc2path(docname)).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((n for n, line in enumerate(lines, start=1) if line.strip() == term), None)


def has_tooltips(app: Sphinx, docname: str) -> bool:
    """Whether the page shows a tooltip: it names a term defined on another page."""
    used = get_domain(app.env).data["terms_used"].get(docname)
    if not used:
        return False
    terms = get_domain(app.env).glossary_terms()
    return any(term in terms and terms[term][0] != docname for term in used)


# -- Nodes -----------------------------------------------------------------------------------


class term_tip(nodes.inline):
    """A link to a glossary term and, after it, its definition (``tip``: the
    tooltip's id). Only HTML builders ever see one."""


class tip_text(nodes.inline):
    """The tooltip itself."""


def visit_term_html(self: HTML5Translator, node: term_tip) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="learn-term"))
    node["body_start"] = len(self.body)


def depart_term_html(self: HTML5Translator, node: term_tip) -> None:
    # The link Sphinx wrote inside names the tooltip as its description.
    for index in range(node["body_start"], len(self.body)):
        if self.body[index].startswith("<a "):
            described = f'<a aria-describedby="{node["tip"]}" '
            self.body[index] = self.body[index].replace("<a ", described, 1)
            break
    self.body.append("</span>")


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
    # Web pages only: an e-book's reader (epub) may not apply the stylesheet.
    builders = ("html", "dirhtml", "singlehtml")

    def run(self, **kwargs: Any) -> None:
        terms = get_domain(self.env).glossary_terms()
        if not terms:
            return
        docname = self.env.docname
        taken = set(self.document.ids)
        number = 0
        for ref in list(self.document.findall(addnodes.pending_xref)):
            if ref.get("refdomain") != "std" or ref.get("reftype") != "term":
                continue
            found = terms.get(str(ref.get("reftarget", "")).lower())
            if found is None or _in_title_or_link(ref):
                continue
            page, record = found
            if page == (ref.get("refdoc") or docname):
                continue  # on the glossary's own page the entry is right there
            while f"learn-tip-{number}" in taken:
                number += 1
            tip_id = f"learn-tip-{number}"
            taken.add(tip_id)
            tip = tip_text("", record["text"], ids=[tip_id])
            wrapper = term_tip("", tip=tip_id)
            ref.replace_self(wrapper)
            wrapper += ref
            wrapper += tip


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
    app.add_post_transform(AddTooltips)
    app.connect("doctree-read", collect_glossaries)
