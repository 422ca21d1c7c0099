"""Instructor notes: ``instructor-note``, per-section teaching and exercise minutes, and
the "Instructor view" of HTML pages.

A note is an admonition with an optional title and ``:teaching:`` / ``:exercises:``
minutes for the section it sits in. Who sees it depends on ``learn_audience``:

- ``"learner"`` (the default): HTML pages (not epub) write each note as a closed
  disclosure; the page's script hides them until the reader presses *Instructor
  view* (remembered in the browser), which opens them and shows the page's total
  minutes. Without JavaScript the notes stay closed disclosures: reachable, never in
  the way. LaTeX, text, man, Texinfo and epub leave the notes out.
- ``"instructor"``: every builder shows the notes, open, and the page's total
  minutes; HTML needs no script and shows no toggle.

The doctree is the same for every builder; what is dropped or added is decided when
the page is written (``doctree-resolved``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.builders.html import StandaloneHTMLBuilder

from sphinx_numpy_learn.directive_options import LearnDirective, OptionSpec, class_names, text
from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.exercises import depart_summary_html as depart_disclosure_summary
from sphinx_numpy_learn.exercises import visit_summary_html as visit_disclosure_summary
from sphinx_numpy_learn.i18n import _
from sphinx_numpy_learn.nodes_util import (
    WriteTimeFiller,
    add_node_everywhere,
    document_of,
    holds_one_document,
    like,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.writers.html5 import HTML5Translator

AUDIENCES = ("learner", "instructor")
MAX_MINUTES = 24 * 60


class instructor_note(nodes.Admonition, nodes.Element):
    """A note for whoever teaches the page; ``teaching`` and ``exercises``: minutes
    (``None`` when not given) for the section it sits in."""


class instructor_note_title(nodes.title):
    """The note's title: a disclosure's summary in the HTML learner view."""


class instructor_summary(nodes.container):
    """The page's total minutes (and, in HTML, the Instructor view button)."""


_MINUTES = re.compile(r"\s*([0-9]{1,4})\s*(?:min)?\s*")


def minutes(argument: str | None) -> int:
    """A whole number of minutes, 0 to a day (``15`` or ``15 min``)."""
    match = _MINUTES.fullmatch(argument or "")
    if match is None or int(match[1]) > MAX_MINUTES:
        raise ValueError(f"expected a whole number of minutes from 0 to {MAX_MINUTES}")
    return int(match[1])


def toggles(builder: Builder) -> bool:
    """Whether this builder's pages hide notes behind the Instructor view button:
    web pages of a learner build (an e-book reader may run no script)."""
    return (
        builder.config.learn_audience == "learner"
        and isinstance(builder, StandaloneHTMLBuilder)
        and not builder.name.startswith("epub")
    )


def timing_text(teaching: int | None, exercises: int | None) -> str:
    parts = []
    if teaching is not None:
        parts.append(_("%d min teaching") % teaching)
    if exercises is not None:
        parts.append(_("%d min exercises") % exercises)
    return ", ".join(parts)


# -- HTML ----------------------------------------------------------------------------------
# What a node shows is decided once per page, by PlaceInstructorNotes: ``disclosure``
# on a note (a closed disclosure, titled as the exercises' hints and solutions are),
# ``toggle`` and ``until_toggled`` on a summary.


def visit_note_html(self: HTML5Translator, node: instructor_note) -> None:
    tag = "details" if node.get("disclosure") else "aside"
    self.body.append(self.starttag(node, tag, "", CLASS="admonition learn-inote"))


def depart_note_html(self: HTML5Translator, node: instructor_note) -> None:
    self.body.append("</details>\n" if node.get("disclosure") else "</aside>\n")


def visit_title_html(self: HTML5Translator, node: instructor_note_title) -> None:
    if node.parent.get("disclosure"):
        visit_disclosure_summary(self, node)
    else:
        self.body.append(self.starttag(node, "p", "", CLASS="admonition-title"))


def depart_title_html(self: HTML5Translator, node: instructor_note_title) -> None:
    if node.parent.get("disclosure"):
        depart_disclosure_summary(self, node)
    else:
        self.body.append("</p>\n")


def visit_summary_html(self: HTML5Translator, node: instructor_summary) -> None:
    self.body.append(self.starttag(node, "div", "", CLASS="learn-inote-summary"))
    if node.get("toggle"):
        # Shown by the script, which makes it work.
        label = self.encode(_("Instructor view"))
        self.body.append(
            '<button type="button" class="learn-inote-toggle" aria-pressed="false" hidden>'
            f"{label}</button>\n"
        )
    if node.get("until_toggled"):
        # The totals: shown by the script in the instructor view.
        self.body.append('<div class="learn-inote-only" hidden>')


def depart_summary_html(self: HTML5Translator, node: instructor_summary) -> None:
    self.body.append("</div></div>\n" if node.get("until_toggled") else "</div>\n")


# -- The directive -------------------------------------------------------------------------


class InstructorNoteDirective(LearnDirective):
    """``instructor-note``: advice for whoever teaches the page, and the minutes the
    section it sits in takes to teach and to practise."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = OptionSpec(
        {"teaching": minutes, "exercises": minutes, "class": class_names, "name": text},
        subtype="instructor-note",
    )

    def run(self) -> list[nodes.Node]:
        teaching = self.options.get("teaching")
        exercises = self.options.get("exercises")
        node = instructor_note(
            classes=["learn-inote", *self.options.get("class", [])],
            teaching=teaching,
            exercises=exercises,
            docname=self.env.docname,
        )
        self.set_source_info(node)
        title_text = self.arguments[0] if self.arguments else _("Instructor note")
        inline, messages = self.parse_inline(title_text, lineno=self.lineno)
        title = instructor_note_title(title_text, "", *inline)
        self.set_source_info(title)
        node += title
        node += messages
        self.add_name(node)
        if teaching is not None or exercises is not None:
            timing = nodes.paragraph(classes=["learn-inote-time"])
            timing += nodes.strong("", _("Timing for this section:"))
            timing += nodes.Text(" " + timing_text(teaching, exercises))
            node += timing
        node += self.parse_content_to_nodes()
        return [node]


# -- When the page is written ----------------------------------------------------------------


class PlaceInstructorNotes(WriteTimeFiller):
    """Drop the notes from a learner build's static output; add the totals of each
    document on the page (of each step, and the whole path's, on a book page)."""

    def run(self) -> None:
        builder = self.app.builder
        # A web page holds one document (and a book's steps); other builders may put
        # several together (singlehtml, LaTeX, Texinfo, man), and are walked whole.
        if holds_one_document(builder) and not self.shows_notes():
            return
        notes = list(self.document.findall(instructor_note))
        if not notes:
            return
        interactive = toggles(builder)
        if self.config.learn_audience != "instructor" and not interactive:
            for note in notes:
                note.parent.remove(note)
            return
        for note in notes:
            note["disclosure"] = interactive
        by_document: dict[str, list[instructor_note]] = {}
        for note in notes:
            by_document.setdefault(document_of(note, self.docname), []).append(note)
        # A book page's steps (on it in this output) add up to the path.
        domain = get_domain(self.env)
        steps = set(domain.book_steps(self.docname)) & by_document.keys()
        for doc, doc_notes in sorted(by_document.items()):
            if doc == self.docname:
                continue
            scope = self.scope_of(doc)
            label = _("Timing for this step:") if doc in steps else _("Timing for this page:")
            summary = totals(doc_notes, label, until_toggled=interactive)
            if scope is not None and summary.children:
                place(scope, summary, doc, self.docname)
        book = bool(steps) or self.docname in domain.data["books"]
        label = _("Timing for this path:") if book else _("Timing for this page:")
        own = [n for doc in (self.docname, *sorted(steps)) for n in by_document.get(doc, ())]
        summary = totals(own, label, until_toggled=interactive)
        summary["toggle"] = interactive
        if summary.children or interactive:
            place(self.document, summary, self.docname, self.docname, within_header=not book)

    def shows_notes(self) -> bool:
        """Whether the page (or a step its book shows) has a note (read time)."""
        features = get_domain(self.env).data["features"]
        docs = [self.docname, *get_domain(self.env).book_steps(self.docname)]
        return any("instructor" in features.get(doc, ()) for doc in docs)

    def scope_of(self, doc: str) -> nodes.Element | None:
        """The top section of the document ``doc`` on this page (nodes_util.document_of)."""
        for section in self.document.findall(nodes.section):
            if section.get("docname") == doc:
                return section
        return None


def totals(notes: list[instructor_note], label: str, *, until_toggled: bool) -> instructor_summary:
    """The minutes of ``notes``, added up (no child: none has minutes)."""
    teaching = [n["teaching"] for n in notes if n.get("teaching") is not None]
    exercises = [n["exercises"] for n in notes if n.get("exercises") is not None]
    summary = instructor_summary(classes=["learn-inote-summary"], until_toggled=until_toggled)
    if teaching or exercises:
        total = nodes.paragraph(classes=["learn-inote-total"])
        total += nodes.strong("", label)
        total += nodes.Text(
            " "
            + timing_text(
                sum(teaching) if teaching else None, sum(exercises) if exercises else None
            )
        )
        summary += total
    return summary


def place(
    scope: nodes.Element,
    summary: instructor_summary,
    doc: str,
    page: str,
    *,
    within_header: bool = True,
) -> None:
    """In the header card of the document ``doc`` (when ``scope`` has one for it), else
    after ``scope``'s first title."""
    # Imported here: the tutorial module leaves notes out of reading times.
    from sphinx_numpy_learn.tutorial import tutorial_header

    headers = (
        [h for h in scope.findall(tutorial_header) if document_of(h, page) == doc]
        if within_header
        else []
    )
    if len(headers) == 1:
        headers[0] += summary
        return
    section = next(iter(scope.findall(nodes.section)), None)
    if section is None:
        scope.insert(0, summary)
        return
    position = 1 if section.children and isinstance(section[0], nodes.title) else 0
    section.insert(position, summary)


def setup_instructor(app: Sphinx) -> None:
    add_node_everywhere(
        app, instructor_note, html=(visit_note_html, depart_note_html), other=like("admonition")
    )
    add_node_everywhere(
        app,
        instructor_note_title,
        html=(visit_title_html, depart_title_html),
        other=like("title"),
    )
    add_node_everywhere(
        app,
        instructor_summary,
        html=(visit_summary_html, depart_summary_html),
        other=like("container"),
    )
    app.add_directive("instructor-note", InstructorNoteDirective)
    app.add_directive_to_domain("learn", "instructor-note", InstructorNoteDirective)
    app.connect("doctree-resolved", PlaceInstructorNotes.handler)
