"""Exercises, their solutions and hints.

The interface follows sphinx-exercise, so pages move between the two easily:
``exercise`` takes an optional title and ``:label:``, ``:nonumber:``, ``:class:``
and ``:hidden:``; ``solution`` names the label of its exercise; the gated form
(``exercise-start`` ... ``exercise-end``, ``solution-start`` ... ``solution-end``)
lets a MyST notebook put executed ``code-cell``\\s inside. A standard ``hint``
admonition inside an exercise becomes a closed disclosure.

Exercises are numbered per page ("Exercise 1", not "Exercise 4.1"), are targets
for ``ref`` and, with ``numfig = True``, for ``numref``. A solution's title and
where it appears are decided when the page is written (``learn_solutions``):
after its exercise behind a disclosure, at the end of the page, or not at all.
Builders other than HTML always collect solutions at the end of the page.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective

from sphinx_numpy_learn.directive_options import LearnDirective, OptionSpec, flag, required_text
from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.i18n import _
from sphinx_numpy_learn.log import LOGGER, warn
from sphinx_numpy_learn.nodes_util import (
    LABELLED_OPTIONS,
    WriteTimeFiller,
    add_node_everywhere,
    doc_link,
    label_target,
    like,
)
from sphinx_numpy_learn.records import (
    CheckpointRecord,
    ExerciseRecord,
    SolutionRecord,
    exercise_record,
    solution_record,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator

EXERCISE_FIGTYPE = "learn-exercise"


# -- Nodes ---------------------------------------------------------------------------------


class exercise(nodes.Admonition, nodes.Element):
    """An exercise. Numbered per page (``number``; ``None`` with ``:nonumber:``)."""


class exercise_title(nodes.title):
    """An exercise's title: "Exercise 2: ...". Its own node class, so the HTML writer's
    ``visit_title`` does not add a second, ``numfig`` number in front of ours."""


class solution(nodes.Admonition, nodes.Element):
    """A solution to the exercise labelled ``target``."""


class disclosure_title(nodes.title):
    """The always-visible title of a solution or hint (``<summary>`` in HTML)."""


class exercise_hint(nodes.Admonition, nodes.Element):
    """A hint inside an exercise, closed until the reader opens it."""


class gate_end(nodes.General, nodes.Element):
    """``exercise-end``/``solution-end``; removed once the content is gathered."""


class solutions_end(nodes.General, nodes.Element):
    """End of a page that has solutions: where they go when collected at the end."""


def visit_exercise_html(self: HTML5Translator, node: exercise) -> None:
    self.body.append(self.starttag(node, "div", "", CLASS="admonition learn-exercise"))


def depart_exercise_html(self: HTML5Translator, node: exercise) -> None:
    self.body.append("</div>\n")


def visit_exercise_latex(self: LaTeXTranslator, node: exercise) -> None:
    # A target for ref/numref in the PDF, whose \ref prints the page's own number;
    # then an ordinary admonition.
    number = node.get("number")
    if number is not None:
        self.body.append(f"\n\\expandafter\\def\\csname @currentlabel\\endcsname{{{number}}}")
    self.body.append("\n" + self.hypertarget_to(node))
    self.visit_admonition(node)


def depart_exercise_latex(self: LaTeXTranslator, node: exercise) -> None:
    self.depart_admonition(node)


def visit_title_html(self: HTML5Translator, node: exercise_title) -> None:
    self.body.append(self.starttag(node, "p", "", CLASS="admonition-title"))


def depart_title_html(self: HTML5Translator, node: exercise_title) -> None:
    self.body.append("</p>\n")


def visit_disclosure_html(self: HTML5Translator, node: solution | exercise_hint) -> None:
    kind = "learn-solution" if isinstance(node, solution) else "learn-hint"
    attributes = {"open": "open"} if node.get("open") else {}
    self.body.append(self.starttag(node, "details", "", CLASS=f"admonition {kind}", **attributes))


def depart_disclosure_html(self: HTML5Translator, node: solution | exercise_hint) -> None:
    self.body.append("</details>\n")


def visit_summary_html(self: HTML5Translator, node: disclosure_title) -> None:
    self.body.append(self.starttag(node, "summary", "", CLASS="admonition-title"))


def depart_summary_html(self: HTML5Translator, node: disclosure_title) -> None:
    self.body.append("</summary>\n")


def exercise_display_title(node: nodes.Element) -> str:
    """What ``ref`` shows for an exercise (``add_enumerable_node``'s title getter)."""
    for child in node.children:
        if isinstance(child, exercise_title):
            return child.astext()
    return _("Exercise")


# -- Directives ----------------------------------------------------------------------------


class ExerciseDirective(LearnDirective):
    """``exercise``: an optional title, then the task."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = OptionSpec(
        {**LABELLED_OPTIONS, "nonumber": flag, "hidden": flag, "objective": required_text},
        subtype="exercise",
    )
    gated = False

    def run(self) -> list[nodes.Node]:
        if self.options.get("hidden"):
            return []
        title_text = self.arguments[0] if self.arguments else ""
        node = exercise(
            title=title_text,
            docname=self.env.docname,
            nonumber=bool(self.options.get("nonumber")),
            objective=self.options.get("objective", ""),
            gated=self.gated,
            classes=["learn-exercise", *self.options.get("class", [])],
        )
        self.set_source_info(node)
        title = exercise_title(title_text, "")
        if title_text:
            inline, messages = self.parse_inline(title_text, lineno=self.lineno)
            title += inline
            node += messages
        self.set_source_info(title)
        node.insert(0, title)
        label_target(self, node, "learn-exercise")
        if not self.gated:
            node += self.parse_content_to_nodes()
        return [node]


class SolutionDirective(LearnDirective):
    """``solution``: the label of its exercise, then the answer."""

    optional_arguments = 1
    # A label may hold spaces (an exercise's ``:label:`` may): normalised like one.
    final_argument_whitespace = True
    has_content = True
    option_spec = OptionSpec({**LABELLED_OPTIONS, "hidden": flag}, subtype="solution")
    gated = False

    def run(self) -> list[nodes.Node]:
        target = nodes.fully_normalize_name(self.arguments[0]) if self.arguments else ""
        if not target:
            warn(
                "solution has no exercise label: write the label of the exercise it "
                "solves as the directive's argument",
                subtype="solution",
                location=self.get_location(),
            )
        node = solution(
            target=target,
            docname=self.env.docname,
            hidden=bool(self.options.get("hidden")),
            gated=self.gated,
            classes=["learn-solution", *self.options.get("class", [])],
        )
        self.set_source_info(node)
        title = disclosure_title("", "")
        self.set_source_info(title)
        node += title
        label_target(self, node, "learn-solution")
        if not self.gated:
            node += self.parse_content_to_nodes()
        return [node]


class ExerciseStartDirective(ExerciseDirective):
    has_content = False
    gated = True


class SolutionStartDirective(SolutionDirective):
    has_content = False
    gated = True


class GateEndDirective(LearnDirective):
    has_content = False
    kind: ClassVar[str] = ""

    def run(self) -> list[nodes.Node]:
        node = gate_end(kind=self.kind)
        self.set_source_info(node)
        return [node]


class ExerciseEndDirective(GateEndDirective):
    kind = "exercise"
    option_spec = OptionSpec(subtype="exercise")


class SolutionEndDirective(GateEndDirective):
    kind = "solution"
    option_spec = OptionSpec(subtype="solution")


# -- Read time: gather gated content, number, record ------------------------------------------


class GatherExercises(SphinxTransform):
    """Move gated content into its exercise or solution; number exercises; turn
    hints into disclosures; record everything in the domain."""

    default_priority = 205  # before references and labels are processed

    def apply(self, **kwargs: Any) -> None:
        items, gates = self.scan()
        if gates or any(node.get("gated") for node in items):
            self.gather_gates()
            items, _gates = self.scan()
        docname = self.env.docname
        domain = get_domain(self.env)
        number = 0
        for order, node in enumerate(items):
            if isinstance(node, exercise):
                if not node["nonumber"]:
                    number += 1
                node["number"] = None if node["nonumber"] else number
                self.title(node)
                self.hints(node)
                domain.note_exercise(
                    docname,
                    exercise_record(
                        label=node["label"],
                        id=node["ids"][0],
                        number=node["number"],
                        title=node[0].astext(),
                        docname=docname,
                        line=node.line,
                        objective=node["objective"],
                        order=order,
                    ),
                )
            else:
                domain.note_solution(
                    docname,
                    solution_record(
                        target=node["target"],
                        id=node["ids"][0],
                        label=node["label"],
                        line=node.line,
                        order=order,
                    ),
                )
        if any(isinstance(n, solution) for n in items):
            section = next(iter(self.document.findall(nodes.section)), self.document)
            section += solutions_end(docname=docname)

    def scan(self) -> tuple[list[exercise | solution], bool]:
        """The page's exercises and solutions, in order, and whether it has a gate's end."""
        items: list[exercise | solution] = []
        gates = False
        for node in self.document.findall(nodes.Element):
            if isinstance(node, exercise | solution):
                items.append(node)
            elif isinstance(node, gate_end):
                gates = True
        return items, gates

    def gather_gates(self) -> None:
        for start in list(self.document.findall(nodes.Element)):
            if not isinstance(start, exercise | solution) or not start.get("gated"):
                continue
            kind = "exercise" if isinstance(start, exercise) else "solution"
            parent = start.parent
            index = parent.index(start)
            end_index = next(
                (
                    i
                    for i in range(index + 1, len(parent.children))
                    if isinstance(parent[i], gate_end) and parent[i]["kind"] == kind
                ),
                None,
            )
            if end_index is None:
                warn(
                    f"{kind}-start has no {kind}-end after it in the same section; "
                    f"the {kind} stays empty",
                    subtype=kind,
                    location=start,
                )
                continue
            content = parent.children[index + 1 : end_index]
            end = parent[end_index]
            for child in content:
                parent.remove(child)
                start += child
            parent.remove(end)
            start["gated"] = False
        for stray in list(self.document.findall(gate_end)):
            warn(
                f"{stray['kind']}-end without a {stray['kind']}-start before it",
                subtype=stray["kind"],
                location=stray,
            )
            stray.parent.remove(stray)

    def title(self, node: exercise) -> None:
        title = node[0]
        if node["number"] is None:
            prefix = _("Exercise:") + " " if node["title"] else _("Exercise")
        elif node["title"]:
            prefix = _("Exercise %d:") % node["number"] + " "
        else:
            prefix = _("Exercise %d") % node["number"]
        title.insert(0, nodes.Text(prefix))

    def hints(self, node: exercise) -> None:
        hints = [h for h in node.findall(nodes.hint) if _owner(h) is node]
        for position, hint in enumerate(hints, start=1):
            label = _("Hint %d") % position if len(hints) > 1 else _("Hint")
            replacement = exercise_hint("", disclosure_title("", label), *hint.children)
            replacement.source, replacement.line = hint.source, hint.line
            replacement["classes"] = ["learn-hint", *hint["classes"]]
            hint.replace_self(replacement)


def _owner(node: nodes.Node) -> nodes.Node | None:
    parent = node.parent
    while parent is not None and not isinstance(parent, exercise):
        parent = parent.parent
    return parent


def register_numbering(app: Sphinx, config: Config) -> None:
    """``config-inited``: the ``numref`` text for exercises, unless ``conf.py`` has one.

    A new dict: Sphinx's default is one dict for every build in the process, so an edit
    would carry this build's language to the next."""
    config.numfig_format = {EXERCISE_FIGTYPE: _("Exercise %s"), **config.numfig_format}


def number_per_page(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: with ``numfig``, make ``numref`` use our per-page numbers.

    Sphinx numbers enumerable nodes across the toctree ("Exercise 4.1"); an
    exercise is "Exercise 1" on its page, and ``numref`` should say the same.
    """
    for docname, records in get_domain(env).data["exercises"].items():
        numbers = env.toc_fignumbers.get(docname, {}).get(EXERCISE_FIGTYPE)
        if numbers is None:
            continue
        for record in records:
            if record["id"] in numbers and record["number"] is not None:
                numbers[record["id"]] = (record["number"],)
    return []


def check_solutions(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency``: every solution names an exercise that comes first."""
    domain = get_domain(env)
    by_label = domain.exercises_by_label()
    for docname in sorted(domain.data["solutions"]):
        for record in domain.data["solutions"][docname]:
            target = record["target"]
            if not target:
                continue  # reported when read
            exercise_record = by_label.get(target)
            if exercise_record is None:
                close = difflib.get_close_matches(target, sorted(by_label), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                warn(
                    f"solution to unknown exercise label {target!r}{hint}",
                    subtype="solution",
                    location=(docname, record["line"]),
                )
            elif exercise_record["docname"] == docname and (
                exercise_record["order"] > record["order"]
            ):
                warn(
                    f"the solution to {target!r} comes before its exercise; move it after",
                    subtype="solution",
                    location=(docname, record["line"]),
                )


# The records of components whose ids must not clash.
Component = ExerciseRecord | SolutionRecord | CheckpointRecord


def check_generated_ids(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency``: the id of a component without a label is made from its
    document's name, and two names can make the same one (``a_b`` and ``a-b``); on a
    page that holds every document (singlehtml), one would then hide the other."""
    domain = get_domain(env)
    owners: dict[str, str] = {}
    kinds: tuple[tuple[Mapping[str, Sequence[Component]], str], ...] = (
        (domain.data["exercises"], "exercise"),
        (domain.data["solutions"], "solution"),
        (domain.data["checkpoints"], "checkpoint"),
    )
    for by_page, subtype in kinds:
        for docname in sorted(by_page):
            for record in by_page[docname]:
                if record.get("label") or not record.get("id"):
                    continue  # a label is Sphinx's to check
                owner = owners.setdefault(record["id"], docname)
                if owner != docname:
                    warn(
                        f"this {subtype} gets the id {record['id']!r}, as one in {owner!r} "
                        "does (the two document names differ only in case or punctuation); "
                        "give one of them a :label:",
                        subtype=subtype,
                        location=(docname, record["line"]),
                    )


# -- Write time: titles, disclosures and placement --------------------------------------------


class PlaceSolutions(WriteTimeFiller):
    """Title each solution after its exercise and put it where ``learn_solutions`` says."""

    shown_with = ("exercises",)

    def run(self) -> None:
        ends = {end["docname"]: end for end in self.document.findall(solutions_end)}
        if not ends:
            return  # no solutions on this page (every page with one has an end marker)
        mode = self.config.learn_solutions
        if self.app.builder.format != "html" and mode != "dropped":
            mode = "end"  # print and plain text: answers after the chapter, not next to it
        by_label = get_domain(self.env).exercises_by_label()
        moved: dict[str, list[solution]] = {}
        for node in list(self.document.findall(solution)):
            if mode == "dropped" or node["hidden"]:
                node.parent.remove(node)
                continue
            record = by_label.get(node["target"])
            self.fill(node, record, mode)
            if mode == "end" and node["docname"] in ends:
                node.parent.remove(node)
                moved.setdefault(node["docname"], []).append(node)
                if record is not None and record["docname"] == node["docname"]:
                    self.link_forward(record, node)
        for docname, end in ends.items():
            solutions = moved.get(docname, [])
            if solutions:
                rubric = nodes.rubric("", _("Solutions"), classes=["learn-solutions-heading"])
                end.replace_self([rubric, *solutions])
            else:
                end.parent.remove(end)

    def fill(self, node: solution, record: ExerciseRecord | None, mode: str) -> None:
        node["open"] = mode == "expanded"
        title = node[0]
        if record is None:
            title += nodes.Text(_("Solution"))
            return
        name = record["title"]
        if record["number"] is not None:
            name = _("Exercise %d") % record["number"]
        title += nodes.Text(_("Solution to %s") % name)
        here = record["docname"] == node["docname"]
        html_end = mode == "end" and self.app.builder.format == "html"
        if html_end or not here:
            # Away from its exercise, the solution says which one it answers.
            back = nodes.paragraph(classes=["learn-solution-for"])
            back += nodes.Text(_("Back to the exercise:") + " ")
            back += doc_link(
                self.app.builder,
                self.docname,
                record["docname"],
                record["id"],
                nodes.inline("", record["title"]),
                record["title"],
            )
            node.insert(1, back)

    def link_forward(self, record: ExerciseRecord, node: solution) -> None:
        """In HTML, the exercise links to its solution at the end of the page."""
        if self.app.builder.format != "html" or not node["ids"]:
            return
        for candidate in self.document.findall(exercise):
            if record["id"] in candidate["ids"]:
                link = nodes.paragraph(classes=["learn-solution-link"])
                link += nodes.reference(
                    "", _("Go to the solution"), internal=True, refid=node["ids"][0]
                )
                candidate += link
                return


# -- Names: ours, or sphinx-exercise's ---------------------------------------------------------

# Registered without a prefix unless sphinx-exercise owns the names; always as learn:NAME.
DIRECTIVES: dict[str, type[SphinxDirective]] = {
    "exercise": ExerciseDirective,
    "solution": SolutionDirective,
    "exercise-start": ExerciseStartDirective,
    "exercise-end": ExerciseEndDirective,
    "solution-start": SolutionStartDirective,
    "solution-end": SolutionEndDirective,
}


def register_plain_names(app: Sphinx, config: Config) -> None:
    """``config-inited``: claim ``exercise``, ``solution`` ... unless sphinx-exercise
    is loaded; then they stay its own and ours are ``learn:exercise`` and so on."""
    if "sphinx_exercise" in app.extensions:
        LOGGER.info(
            "[learn] sphinx-exercise is loaded: its exercise and solution directives are "
            "kept; sphinx-numpy-learn's are learn:exercise, learn:solution, ..."
        )
        return
    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive, override=True)


def setup_exercises(app: Sphinx) -> None:
    app.add_enumerable_node(
        exercise,
        EXERCISE_FIGTYPE,
        exercise_display_title,
        html=(visit_exercise_html, depart_exercise_html),
        latex=(visit_exercise_latex, depart_exercise_latex),
        text=like("admonition"),
        man=like("admonition"),
        texinfo=like("admonition"),
    )
    add_node_everywhere(
        app, exercise_title, html=(visit_title_html, depart_title_html), other=like("title")
    )
    for disclosure in (solution, exercise_hint):
        add_node_everywhere(
            app,
            disclosure,
            html=(visit_disclosure_html, depart_disclosure_html),
            other=like("admonition"),
        )
    add_node_everywhere(
        app, disclosure_title, html=(visit_summary_html, depart_summary_html), other=like("title")
    )
    app.add_node(gate_end)
    app.add_node(solutions_end)
    for name, directive in DIRECTIVES.items():
        app.add_directive_to_domain("learn", name, directive)
    app.add_transform(GatherExercises)
    app.connect("config-inited", register_numbering)
    app.connect("config-inited", register_plain_names)
    app.connect("env-get-updated", number_per_page)
    app.connect("env-check-consistency", check_solutions)
    app.connect("env-check-consistency", check_generated_ids)
    app.connect("doctree-resolved", PlaceSolutions.handler)
