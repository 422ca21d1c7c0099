"""Knowledge checks: ``checkpoint``, and the report of objectives nothing checks.

A checkpoint is a question (the argument and any content before the list) and a
list of choices. Each choice starts with ``[x]`` (correct) or ``[ ]``, as text or
as the checkbox MyST's ``tasklist`` extension makes of it (see
:mod:`sphinx_numpy_learn.task_lists`); the rest of the item explains it. One
correct choice makes a single-choice question, more make it "select all that
apply" (``:multiple:`` forces that). ``:objective:`` ties it to one of the
tutorial's objectives, by its text or its number.

The doctree is plain: choices are a lettered list and the answer (the correct
letters, then each choice's explanation) follows it, so print and text output
read like a quiz with its key. HTML keeps the answer in a closed disclosure;
the script turns the choices into radio buttons or checkboxes and gives
feedback in a live region. No answer leaves the reader's browser.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_numpy_learn.directive_options import LearnDirective, OptionSpec, flag, required_text
from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.i18n import _
from sphinx_numpy_learn.log import warn
from sphinx_numpy_learn.nodes_util import (
    LABELLED_OPTIONS,
    add_node_everywhere,
    label_target,
    like,
)
from sphinx_numpy_learn.records import checkpoint_record
from sphinx_numpy_learn.task_lists import read_checkpoint

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator


class checkpoint(nodes.Admonition, nodes.Element):
    """A knowledge check (``multiple``: more than one choice may be right)."""


class checkpoint_choices(nodes.bullet_list):
    """The choices. Each starts with its letter, written out, so every builder
    (text and man number lists their own way) shows the letters the answer uses."""


class checkpoint_choice(nodes.list_item):
    """One choice (``correct``; ``index`` counts from 0)."""


class checkpoint_answer(nodes.container):
    """The correct letters and every explanation."""


class checkpoint_explanation(nodes.list_item):
    """Why one choice is right or wrong (``index`` of the choice)."""


def _letter(index: int) -> str:
    return string.ascii_lowercase[index] if index < 26 else str(index + 1)


# -- HTML ------------------------------------------------------------------------------------


def visit_checkpoint_html(self: HTML5Translator, node: checkpoint) -> None:
    attributes = {
        "data-learn-checkpoint": "multiple" if node["multiple"] else "single",
        "data-learn-correct": _("Correct."),
        "data-learn-incorrect": _("Not quite. Try again, or open the answer."),
        "data-learn-partly": _("Partly right: select every correct choice, and only those."),
        "data-learn-choose": _("Choose an answer first."),
    }
    self.body.append(
        self.starttag(node, "section", "", CLASS="admonition learn-checkpoint", **attributes)
    )


def depart_checkpoint_html(self: HTML5Translator, node: checkpoint) -> None:
    self.body.append("</section>\n")


# The controls only the script makes work (the prompt, each choice's input, the "Check"
# button) are written in <template> elements: inert, unseen and out of the page's
# content until the script puts them in place, so a page without JavaScript has none.
CONTROLS = '<template class="learn-controls">{}</template>'


def visit_choices_html(self: HTML5Translator, node: checkpoint_choices) -> None:
    prompt = _("Select all that apply.") if node["multiple"] else _("Select one answer.")
    self.body.append(
        CONTROLS.format(f'<p class="learn-checkpoint-prompt">{self.encode(prompt)}</p>')
        + self.starttag(node, "ul", "", CLASS="learn-choices")
    )


def depart_choices_html(self: HTML5Translator, node: checkpoint_choices) -> None:
    # The script fills the live region with feedback; without it the region stays
    # empty and the answer disclosure is enough.
    check = self.encode(_("Check my answer"))
    self.body.append(
        "</ul>\n"
        + CONTROLS.format(f'<button type="button" class="learn-checkpoint-check">{check}</button>')
        + '\n<p class="learn-checkpoint-feedback" role="status" aria-live="polite"></p>\n'
    )


def visit_choice_html(self: HTML5Translator, node: checkpoint_choice) -> None:
    """The choice's text in a <label> around its input (radio buttons share a name
    made from the checkpoint's id, unique on the page even in singlehtml)."""
    choices = node.parent
    box = choices.parent
    name = self.attval(f"{box['ids'][0] if box['ids'] else 'learn-checkpoint'}-choice")
    kind = "checkbox" if choices["multiple"] else "radio"
    self.body.append(
        self.starttag(
            node,
            "li",
            "",
            CLASS="learn-choice",
            **{"data-learn-choice": str(node["index"]), "data-learn-letter": node["letter"]},
        )
        + '<label class="learn-choice-text">'
        + CONTROLS.format(f'<input type="{kind}" name="{name}"/>')
    )
    # The text's paragraph is written without its <p>: a label holds phrasing only.
    for paragraph in node.children:
        for child in paragraph.children:
            child.walkabout(self)
    self.body.append("</label>")
    raise nodes.SkipChildren


def depart_choice_html(self: HTML5Translator, node: checkpoint_choice) -> None:
    self.body.append("</li>\n")


def visit_answer_html(self: HTML5Translator, node: checkpoint_answer) -> None:
    summary = self.encode(_("Show the answer"))
    self.body.append(
        self.starttag(node, "details", "", CLASS="learn-checkpoint-answer")
        + f"<summary>{summary}</summary>"
    )


def depart_answer_html(self: HTML5Translator, node: checkpoint_answer) -> None:
    self.body.append("</details>\n")


def visit_explanation_html(self: HTML5Translator, node: checkpoint_explanation) -> None:
    self.body.append(
        self.starttag(
            node,
            "li",
            "",
            CLASS="learn-explanation",
            **{
                "data-learn-choice": str(node["index"]),
                "data-learn-correct": "true" if node["correct"] else "false",
            },
        )
    )


def depart_explanation_html(self: HTML5Translator, node: checkpoint_explanation) -> None:
    self.body.append("</li>\n")


# -- The directive ---------------------------------------------------------------------------


class CheckpointDirective(LearnDirective):
    """``checkpoint``: a question, then a list of ``[x]``/``[ ]`` choices."""

    required_arguments = 0
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = OptionSpec(
        {**LABELLED_OPTIONS, "multiple": flag, "objective": required_text},
        subtype="checkpoint",
    )

    def run(self) -> list[nodes.Node]:
        body = self.parse_content_to_nodes()
        content = read_checkpoint(bool(self.arguments), body)
        items, markers = content.items, content.markers
        problems = content.shape.problems()
        for problem in problems:
            item = items[problem.choice] if problem.choice is not None else None
            warn(
                f"checkpoint: {problem.message}",
                subtype="checkpoint",
                location=item if item is not None and item.line else self.get_location(),
            )
        if any(problem.fatal for problem in problems) or content.choice_list is None:
            return self.fallback(body)
        choices = [
            {
                "index": index,
                "correct": correct,
                "text": nodes.paragraph("", "", *text, classes=["learn-choice-text"]),
                "explanation": list(item.children[1:]),
            }
            for index, (item, (correct, text)) in enumerate(zip(items, markers, strict=True))
        ]
        correct = [c for c in choices if c["correct"]]
        multiple = len(correct) > 1 or bool(self.options.get("multiple"))

        node = checkpoint(
            multiple=multiple,
            objective=self.options.get("objective", ""),
            classes=["learn-checkpoint", *self.options.get("class", [])],
        )
        self.set_source_info(node)
        title = nodes.title("", _("Check your understanding"))
        self.set_source_info(title)
        node += title
        label_target(self, node, "learn-checkpoint")
        if self.arguments:
            inline, messages = self.parse_inline(self.arguments[0], lineno=self.lineno)
            node += nodes.paragraph("", "", *inline, classes=["learn-checkpoint-question"])
            node += messages
        choice_list = checkpoint_choices(bullet="-", multiple=multiple)
        choice_list.source = content.choice_list.source
        choice_list.line = content.choice_list.line
        answer = checkpoint_answer(classes=["learn-checkpoint-answer"])
        letters = ", ".join(_letter(c["index"]) for c in correct)
        answer += nodes.paragraph(
            "", (_("Answers: %s") if multiple else _("Answer: %s")) % letters
        )
        explanations = nodes.bullet_list(bullet="-", classes=["learn-explanations"])
        for choice in choices:
            letter = _letter(choice["index"])
            text = choice["text"]
            text.insert(0, nodes.inline("", f"{letter}) ", classes=["learn-choice-letter"]))
            item = checkpoint_choice("", text, correct=choice["correct"], index=choice["index"])
            item["letter"] = letter
            choice_list += item
            verdict = _("Correct.") if choice["correct"] else _("Incorrect.")
            first = nodes.paragraph(
                "",
                "",
                nodes.inline("", f"{letter}) ", classes=["learn-choice-letter"]),
                nodes.strong("", verdict),
            )
            explanation = checkpoint_explanation(
                "", first, index=choice["index"], correct=choice["correct"]
            )
            if choice["explanation"]:
                paragraphs = choice["explanation"]
                if isinstance(paragraphs[0], nodes.paragraph):
                    first += nodes.Text(" ")
                    first += paragraphs[0].children
                    paragraphs = paragraphs[1:]
                explanation += paragraphs
            explanations += explanation
        answer += explanations
        for child in body:
            if child is content.choice_list:
                node += choice_list
                node += answer
            else:
                node += child

        domain = get_domain(self.env)
        domain.note_checkpoint(
            self.env.docname,
            checkpoint_record(
                id=node["ids"][0],
                label=node["label"],
                objective=node["objective"],
                line=self.lineno,
            ),
        )
        domain.note_interactive(self.env.docname)
        return [node]

    def fallback(self, body: list[nodes.Node]) -> list[nodes.Node]:
        """A malformed checkpoint still shows its text, as a plain admonition."""
        node = nodes.admonition("", nodes.title("", _("Check your understanding")))
        self.set_source_info(node)
        if self.arguments:
            node += nodes.paragraph("", self.arguments[0])
        node += body
        return [node]


# -- Objectives ---------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(".")


def match_objective(objective: str, objectives: list[str]) -> int | None:
    """The index of ``objective`` (its text, or its number from 1) in ``objectives``."""
    number = objective.strip()
    # isdecimal, not isdigit: int() refuses "²"; and a number too long for int() is
    # no objective's number.
    if number.isdecimal():
        index = int(number) - 1 if len(number) < 100 else -1
        return index if 0 <= index < len(objectives) else None
    wanted = _normalise(objective)
    for index, text in enumerate(objectives):
        if _normalise(text) == wanted:
            return index
    return None


def check_objectives(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency``: ``:objective:`` names an objective of the page; with
    ``learn_objective_coverage``, every objective is named by something."""
    domain = get_domain(env)
    docs = set(domain.data["exercises"]) | set(domain.data["checkpoints"]) | set(domain.tutorials)
    for docname in sorted(docs):
        record = domain.tutorials.get(docname)
        objectives = record["objectives"] if record else []
        covered: set[int] = set()
        items = domain.data["exercises"].get(docname, []) + domain.data["checkpoints"].get(
            docname, []
        )
        for item in items:
            if not item["objective"]:
                continue
            index = match_objective(item["objective"], objectives)
            if index is None:
                known = "; ".join(f"{n}. {t}" for n, t in enumerate(objectives, start=1))
                warn(
                    f":objective: {item['objective']!r} is not one of this tutorial's "
                    f"objectives ({known or 'it declares none'})",
                    subtype="objective",
                    location=(docname, item["line"]),
                )
            else:
                covered.add(index)
        if app.config.learn_objective_coverage and record is not None:
            for index, text in enumerate(objectives):
                if index not in covered:
                    warn(
                        f"objective {index + 1} ({text!r}) has no exercise or checkpoint "
                        "with :objective: naming it",
                        subtype="objective",
                        location=(docname, record["line"]) if record["line"] else docname,
                    )


def setup_checkpoints(app: Sphinx) -> None:
    # Each node: its HTML visitors, and the standard node other builders write it as.
    for node, html, base in (
        (checkpoint, (visit_checkpoint_html, depart_checkpoint_html), "admonition"),
        (checkpoint_choices, (visit_choices_html, depart_choices_html), "bullet_list"),
        (checkpoint_choice, (visit_choice_html, depart_choice_html), "list_item"),
        (checkpoint_answer, (visit_answer_html, depart_answer_html), "container"),
        (checkpoint_explanation, (visit_explanation_html, depart_explanation_html), "list_item"),
    ):
        add_node_everywhere(app, node, html=html, other=like(base))
    app.add_directive("checkpoint", CheckpointDirective)
    app.add_directive_to_domain("learn", "checkpoint", CheckpointDirective)
    app.connect("env-check-consistency", check_objectives)
