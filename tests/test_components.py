"""Learner and contributor components: exercises, solutions, hints, checkpoints,
contributor callouts, checklists and reader progress controls."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections import Counter

import pytest
from bs4 import BeautifulSoup

from sphinx_numpy_learn.callouts import edit_url, good_first_issues_url
from sphinx_numpy_learn.checkpoints import match_objective
from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.glossary import term_link

from .conftest import assert_warnings_exactly, soup_of, warnings_of
from .test_tutorials import written_docs


def text_of(element) -> str:
    return " ".join(element.get_text(" ").split())


# -- Exercises and solutions ---------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="components", freshenv=True)
def test_exercises_are_numbered_per_page_and_referenced(app):
    app.build()
    assert warnings_of(app) == ""
    arrays = soup_of(app, "arrays")
    titles = [text_of(t) for t in arrays.select("div.learn-exercise > p.admonition-title")]
    assert titles == ["Exercise 1: Make a grid", "Exercise", "Exercise 2: Add it up"]
    # The next page starts again at 1, not "Exercise 4" or "Exercise 3.1".
    answers = soup_of(app, "answers")
    assert (
        text_of(answers.select_one("div.learn-exercise > p"))
        == "Exercise 1: A first exercise here"
    )
    # numref (numfig is on in this project) and ref both use the page's own number.
    refs = [text_of(a) for a in arrays.select("a.reference.internal[href^='#ex-']")]
    assert refs == ["Exercise 2", "Exercise 1: Make a grid"]


@pytest.mark.sphinx("html", testroot="components", freshenv=True)
def test_solutions_are_closed_disclosures_titled_after_their_exercise(app):
    app.build()
    arrays = soup_of(app, "arrays")
    solution = arrays.select_one("details.learn-solution")
    assert solution is not None
    assert not solution.has_attr("open")
    assert text_of(solution.select_one("summary")) == "Solution to Exercise 1"
    # Right after its exercise, no "back to" link is needed.
    assert solution.find_previous_sibling()["id"] == "ex-grid"
    assert not solution.select(".learn-solution-for")
    # On another page, the solution links back to its exercise.
    other = soup_of(app, "answers").select_one("details.learn-solution")
    assert text_of(other.select_one("summary")) == "Solution to Exercise 2"
    assert other.select_one(".learn-solution-for a")["href"] == "arrays.html#ex-sum"


@pytest.mark.sphinx("html", testroot="components", freshenv=True)
def test_hints_are_disclosures_numbered_when_there_are_several(app):
    app.build()
    hints = soup_of(app, "arrays").select("div#ex-grid details.learn-hint")
    assert [text_of(h.summary) for h in hints] == ["Hint 1", "Hint 2"]
    assert not any(h.has_attr("open") for h in hints)


@pytest.mark.sphinx("html", testroot="components", freshenv=True)
def test_gated_exercise_and_solution_hold_executed_cells(app):
    app.build()
    shapes = soup_of(app, "shapes")
    exercise = shapes.select_one("div.learn-exercise#ex-reshape")
    assert "Turn row into 2 rows of 3" in text_of(exercise)
    assert exercise.select("div.cell")  # the code cell moved inside
    solution = shapes.select_one("details.learn-solution")
    assert "(2, 3)" in text_of(solution.select_one("div.cell_output"))  # and it ran
    assert "exercise-end" not in str(shapes)
    assert "solution-end" not in str(shapes)


@pytest.mark.parametrize(
    ("mode", "check"),
    [
        ("collapsed", lambda s: not s.select("details.learn-solution[open]")),
        ("expanded", lambda s: len(s.select("details.learn-solution[open]")) == 1),
        (
            "dropped",
            lambda s: not s.select(".learn-solution") and "np.zeros((3, 4))" not in str(s),
        ),
    ],
)
def test_solution_modes(root_app, mode, check):
    app = root_app("components", confoverrides={"learn_solutions": mode})
    app.build()
    assert warnings_of(app) == ""
    assert check(soup_of(app, "arrays"))


def test_solutions_at_the_end_of_the_page(root_app):
    app = root_app("components", confoverrides={"learn_solutions": "end"})
    app.build()
    soup = soup_of(app, "arrays")
    heading = soup.select_one("p.rubric.learn-solutions-heading")
    assert heading is not None
    assert heading.get_text() == "Solutions"
    solution = heading.find_next_sibling("details")
    assert "learn-solution" in solution["class"]
    # Nothing but the solutions after the heading; the exercise links forward, the
    # solution back.
    assert solution.find_next_sibling(["div", "section", "details"]) is None
    forward = soup.select_one("div#ex-grid .learn-solution-link a")
    assert forward["href"] == f"#{solution['id']}"
    assert solution.select_one(".learn-solution-for a")["href"] == "#ex-grid"


def test_hidden_solution_is_left_out(root_app):
    app = root_app("components")
    (app.srcdir / "answers.rst").write_text(
        (app.srcdir / "answers.rst")
        .read_text()
        .replace(".. solution:: ex-sum", ".. solution:: ex-sum\n   :hidden:"),
        encoding="utf-8",
    )
    app.build()
    assert not soup_of(app, "answers").select(".learn-solution")
    assert "is 6" not in (app.outdir / "answers.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("builder", "page"),
    [
        ("latex", "components.tex"),
        ("text", "arrays.txt"),
        ("man", "components.1"),
        ("texinfo", "components.texi"),
        ("epub", "arrays.xhtml"),
        ("singlehtml", "index.html"),
        ("dirhtml", "arrays/index.html"),
    ],
)
def test_every_builder_renders_the_components(root_app, builder, page):
    app = root_app("components", builder)
    app.build()
    ours = [line for line in warnings_of(app).splitlines() if "epub" not in line.lower()]
    assert ours == []
    output = (app.outdir / page).read_text(encoding="utf-8")
    assert "Exercise 1: Make a grid" in output
    assert "Check your understanding" in output
    # The "Key points" box at the end of the tutorial; a glossary link, and its
    # definition only as a tooltip of a web page.
    assert "Key points" in output
    assert "adds up its elements" in output
    assert "dtype" in output
    if builder not in {"html", "singlehtml", "dirhtml"}:
        assert "such as int64" not in output.replace("``", "")
        assert "learn-tip" not in output
    if builder in {"latex", "text", "man", "texinfo"}:
        # Print and plain text: solutions after the chapter, choices with their
        # letters, the answer key after the choices, no HTML.
        assert "<details" not in output
        assert "<aside" not in output
        solutions_at = output.index("Solutions")
        assert output.index("Solution to Exercise 1") > solutions_at
        assert output.index("Add it up") < solutions_at
        assert "b) " in output
        assert "Answer: a" in output
        assert "I have finished" not in output  # browser-only control
        assert not [*app.outdir.rglob("learn-*.css"), *app.outdir.rglob("learn-*.js")]
    if builder in {"latex", "text", "man", "texinfo"}:
        # Every tab of a tab set, its label in bold before its content.
        tabs = (app.outdir / "install.txt").read_text() if builder == "text" else output
        strong = {"latex": r"\sphinxstylestrong{%s}", "text": "**%s**", "man": r"\fB%s\fP"}
        label = strong.get(builder, "`%s'")  # (Texinfo's strong)
        for name, content in (("pip", "Upgrade with pip."), ("conda", "Upgrade with conda.")):
            assert tabs.index(label % name) < tabs.index(content)
        assert "FreeBSD." in tabs
    if builder in {"latex", "text", "man", "texinfo", "epub"}:
        # A learner build leaves instructor notes out where no button can show them.
        assert "Start from lists" not in output
        assert "Timing for this" not in output
    if builder == "latex":
        # \ref to an exercise prints its number on the page.
        assert r"\def\csname @currentlabel\endcsname{2}" in output
    if builder == "singlehtml":
        soup = BeautifulSoup(output, "html.parser")
        assert soup.select("details.learn-solution")
        assert not soup.select(".learn-done")  # progress needs one page per document


def test_dropped_solutions_leave_every_builder(root_app):
    for builder, page in (("latex", "components.tex"), ("text", "arrays.txt")):
        app = root_app("components", builder, confoverrides={"learn_solutions": "dropped"})
        app.build()
        output = (app.outdir / page).read_text(encoding="utf-8")
        assert "Solution to" not in output
        assert "Solutions" not in output
        assert "np.zeros((3, 4))" not in output
        app.cleanup()
        shutil.rmtree(app.srcdir)


# -- Checkpoints ---------------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="components", freshenv=True)
def test_checkpoint_html_works_without_javascript(app):
    app.build()
    single, multiple = soup_of(app, "arrays").select("section.learn-checkpoint")
    assert single["id"] == "cp-shape"
    assert single["data-learn-checkpoint"] == "single"
    assert multiple["data-learn-checkpoint"] == "multiple"
    # The question and lettered choices are plain text; no form controls in the HTML.
    assert text_of(single.select_one(".learn-checkpoint-question")) == (
        "What does np.zeros((2, 3)).shape return?"
    )
    assert [text_of(c) for c in single.select("li.learn-choice")] == ["a) (2, 3)", "b) 6"]
    assert not single.select("input, button")
    # The answer is reachable in a closed disclosure, with every explanation.
    answer = single.select_one("details.learn-checkpoint-answer")
    assert not answer.has_attr("open")
    assert text_of(answer.summary) == "Show the answer"
    assert "Answer: a" in text_of(answer)
    assert "b) Incorrect. That is the size." in text_of(answer)
    assert "Answers: a, b" in text_of(multiple.select_one("details"))
    assert [li["data-learn-correct"] for li in multiple.select("li.learn-explanation")] == [
        "true",
        "true",
        "false",
    ]
    feedback = single.select_one(".learn-checkpoint-feedback")
    assert feedback["role"] == "status"
    assert feedback.get_text() == ""


@pytest.mark.parametrize(
    ("objective", "expected"),
    [
        ("1", 0),
        ("2", 1),
        ("3", None),
        ("0", None),
        ("  Read SHAPES. ", 0),
        ("read", None),
        ("2" * 5000, None),  # too long for int(): no number, no crash
        ("\u00b2", None),  # a digit int() refuses
    ],
)
def test_objectives_match_by_number_or_text(objective, expected):
    assert match_objective(objective, ["Read shapes", "Write shapes"]) == expected


def test_objective_coverage_is_reported_when_asked(root_app):
    app = root_app("components", confoverrides={"learn_objective_coverage": True})
    app.build()
    assert warnings_of(app) == ""  # both objectives of arrays are covered
    (app.srcdir / "arrays.rst").write_text(
        (app.srcdir / "arrays.rst")
        .read_text()
        .replace("   :objective: 2\n", "")
        .replace("   :objective: 1\n", ""),
        encoding="utf-8",
    )
    again = root_app.again(app.srcdir, confoverrides={"learn_objective_coverage": True})
    again.build()
    warnings = warnings_of(again)
    assert "objective 2 ('Add up an array') has no exercise or checkpoint" in warnings
    assert f"{again.srcdir / 'arrays.rst'}:" in warnings
    assert warnings.count("[learn.objective]") == 1


# -- Key points and revision sheets ----------------------------------------------------------


@pytest.mark.sphinx("html", testroot="components", freshenv=True)
def test_key_points_box_revision_sheets_and_catalog_json(app):
    app.build()
    arrays = soup_of(app, "arrays")
    box = arrays.select_one("aside.learn-key-points")
    assert box["aria-label"] == "Key points"
    assert text_of(box.select_one(".admonition-title")) == "Key points"
    assert [" ".join(li.get_text().split()) for li in box.select("li")] == [
        "np.zeros makes an array of zeros.",
        "An array's sum adds up its elements.",
    ]
    assert [c.get_text() for c in box.select("code")] == ["np.zeros", "sum"]
    # Noted from the box itself when the page is read (the page loads its stylesheet).
    assert "key-points" in get_domain(app.env).data["features"]["arrays"]
    # At the end of the tutorial's own content, before its solutions and path box.
    assert box.find_previous(string=re.compile("Add it up"))
    # A page with its own "Recap" keeps it as written, and gets no box.
    recap = soup_of(app, "recap")
    assert not recap.select(".learn-key-points")
    assert (
        len(recap.find_all(string=re.compile("Steps can be negative|step can be negative"))) == 1
    )
    revision = soup_of(app, "revision")
    every, path = revision.select("div.learn-revision-sheet")
    titles = [text_of(h) for h in every.select("h3.learn-revision-title")]
    assert titles == ["Make arrays Beginner", "Slice arrays Intermediate"]
    assert every.select_one("h3 a")["href"] == "arrays.html"
    assert every.select_one("h3 .learn-badge")
    points = [" ".join(li.get_text().split()) for li in every.select("li")]
    assert points[-2:] == ["A slice is a view, not a copy.", "A step can be negative: a[::-1]."]
    assert every.select("li strong")  # the section's markup
    assert every.select("li code")
    assert [text_of(h) for h in path.select("h3")] == titles
    assert "learn-key-points.css" in str(revision.head)
    assert "learn-key-points.css" not in str(soup_of(app, "recap").head)
    catalog = json.loads((app.outdir / "learn-catalog.json").read_text(encoding="utf-8"))
    by_doc = {t["docname"]: t for t in catalog["tutorials"]}
    # Declared and derived key points alike: plain text (the markup is the page's).
    assert by_doc["arrays"]["keypoints"][0] == "np.zeros makes an array of zeros."
    assert by_doc["recap"]["keypoints"] == [
        "A slice is a view, not a copy.",
        "A step can be negative: a[::-1].",
    ]


def test_revision_sheet_follows_key_point_changes(root_app):
    """Incremental: a tutorial's new key points reach the sheet, which is written
    again although its own source did not change."""
    app = root_app("components")
    app.build()
    source = app.srcdir / "recap.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("can be negative", "may be negative"),
        encoding="utf-8",
    )
    again = root_app.again(app.srcdir)
    written = written_docs(again)
    again.build()
    sheet = soup_of(again, "revision").select_one("div.learn-revision-sheet")
    assert "A step may be negative" in text_of(sheet)
    # The sheets, but not the pages of the paths through it: no catalog card, path
    # step or landing shows key points.
    assert "revision" in written
    assert "workshop" not in written
    # The glossary's new definition reaches the tooltips of the pages that name it.
    glossary = again.srcdir / "glossary.rst"
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace("shares its memory", "borrows the memory"),
        encoding="utf-8",
    )
    third = root_app.again(again.srcdir)
    third.build()
    tip = soup_of(third, "recap").select_one("[role=tooltip]")
    assert text_of(tip) == "An array that borrows the memory with another one."


REAL_WORLD_NOTEBOOK = {
    "cells": [
        {
            "cell_type": "markdown",
            "id": "title",
            "metadata": {},
            "source": "# Clean a very long series of sensor readings with masked arrays, "
            "NaN handling and a few plots\n\nSome readings are {term}`NaN`.",
        },
        {
            "cell_type": "markdown",
            "id": "learn",
            "metadata": {},
            "source": "## What you'll learn\n\n- How to mask readings",
        },
        {
            "cell_type": "markdown",
            "id": "recap",
            "metadata": {},
            "source": "## Recap\n\n- `np.isnan` finds NaN.\n- A {term}`masked array` skips them.",
        },
    ],
    "metadata": {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "learn": {"level": "beginner"},
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


def test_key_points_and_tooltips_in_a_flat_real_world_collection(root_app):
    """A collection as people write it (flat toctree, long titles, rST, MyST and a
    notebook): a "Key takeaways" section in rST, a "Recap" in an .ipynb, a glossary in
    rST used from both; -j 2 gives the same pages."""
    config = {"nb_execution_mode": "off"}
    serial = root_app("flat-site", confoverrides=config)
    src = serial.srcdir
    with (src / "saving-arrays.rst").open("a", encoding="utf-8") as page:
        page.write(
            "\nKey takeaways\n-------------\n\n"
            "- A :term:`masked array` leaves bad values out without deleting them.\n"
        )
    (src / "glossary.rst").write_text(
        "Glossary\n========\n\n.. glossary::\n\n   masked array\n"
        "      An array whose mask leaves some elements out of every calculation.\n\n"
        "   NaN\n      Not a number: a missing or undefined floating-point result.\n",
        encoding="utf-8",
    )
    (src / "sensors.ipynb").write_text(json.dumps(REAL_WORLD_NOTEBOOK), encoding="utf-8")
    (src / "revision.md").write_text(
        "# Key points of every tutorial in this collection\n\n```{key-points-summary}\n```\n",
        encoding="utf-8",
    )
    index = src / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8").replace(
            "about\n", "about\nsensors\nglossary\nrevision\n"
        ),
        encoding="utf-8",
    )
    copy = src.parent / "flat-site-parallel"
    shutil.copytree(src, copy)
    serial.build()
    parallel = root_app.again(copy, parallel=2, confoverrides=config)
    parallel.build()
    assert "learn." not in warnings_of(serial)
    sensors = soup_of(serial, "sensors")
    assert not sensors.select(".learn-key-points")  # its own Recap section
    tip = sensors.select_one(".learn-term [role=tooltip]")
    assert text_of(tip) == "Not a number: a missing or undefined floating-point result."
    sheet = soup_of(serial, "revision").select_one("div.learn-revision-sheet")
    titles = [text_of(a) for a in sheet.select(".learn-revision-title a")]
    assert titles[0].startswith("Clean a very long series of sensor readings")
    text = text_of(sheet)
    assert "np.isnan finds NaN." in text
    assert "leaves bad values out without deleting them" in text
    for page in ("sensors", "revision", "saving-arrays"):
        ours = [str(soup_of(app, page).select_one("article")) for app in (serial, parallel)]
        assert ours[0] == ours[1], page


# -- Glossary tooltips ---------------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="components", freshenv=True)
def test_glossary_terms_show_their_definition_as_a_tooltip(app):
    tips: dict[str, list[str]] = {}
    app.connect(
        "doctree-resolved",
        lambda app, doctree, doc: tips.setdefault(
            doc, [n["tip"] for n in doctree.findall(term_link)]
        ),
    )
    app.build()
    arrays = soup_of(app, "arrays")
    term = arrays.select_one("span.learn-term")
    link = term.select_one("a")
    assert link["href"] == "glossary.html#term-dtype"  # the no-JS way to the definition
    tip = term.select_one("span[role=tooltip]")
    assert link["aria-describedby"] == tip["id"]
    assert link["class"] == ["reference", "internal"]
    # The link names its tooltip as a node of the doctree (no edit of written HTML).
    assert tips["arrays"] == [tip["id"]]
    assert text_of(tip) == (
        "The type of every element of an array, such as int64. Every view of an array shares it."
    )
    assert "learn-glossary.css" in str(arrays.head)
    assert "learn-glossary.js" in str(arrays.head)
    # Not on the glossary page itself (the entry is right there), nor its files.
    glossary = soup_of(app, "glossary")
    assert not glossary.select(".learn-term, [role=tooltip]")
    assert "learn-glossary" not in str(glossary.head)
    # A MyST page's {term} role gets one too; ids are unique on a page.
    recap = soup_of(app, "recap")
    ids = [t["id"] for t in recap.select("[role=tooltip]")]
    assert ids
    assert len(ids) == len(set(ids))


def _page(folder, name: str, text: str) -> None:
    (folder / f"{name}.rst").write_text(":orphan:\n\n" + text, encoding="utf-8")


def _glossary(name: str, definition: str) -> str:
    return f"{name}\n{'=' * len(name)}\n\n.. glossary::\n\n   axis\n      {definition}\n"


def test_tooltips_show_the_entry_the_link_goes_to(root_app):
    """A term defined on two pages: the tooltip is the definition the link leads to
    (as Sphinx resolves it); a term only in a title loads no glossary files; when a
    definition goes away, so do its tooltips (incremental); e-books get none."""
    app = root_app("components")
    src = app.srcdir
    _page(src, "terms-a", _glossary("Terms A", "Defined on page A."))
    _page(src, "terms-b", _glossary("Terms B", "Defined on page B."))
    _page(src, "uses", "Uses\n====\n\nAn :term:`axis` of an array.\n")
    _page(src, "titled", "The :term:`dtype`\n=================\n\nNothing else.\n")
    app.build()
    assert "duplicate term description of axis" in warnings_of(app)  # Sphinx's
    uses = soup_of(app, "uses")
    link = uses.select_one(".learn-term a")
    page = link["href"].split(".html")[0]
    assert page in ("terms-a", "terms-b")
    assert text_of(uses.select_one("[role=tooltip]")) == f"Defined on page {page[-1].upper()}."
    titled = soup_of(app, "titled")
    assert titled.select_one("h1 a")["href"] == "glossary.html#term-dtype"
    assert not titled.select(".learn-term")
    assert "learn-glossary" not in str(titled.head)
    # The page of the definition "axis" links to goes, and "view" leaves the glossary:
    # the pages that name them are written again, without tooltips.
    (src / page).with_suffix(".rst").unlink()
    glossary = src / "glossary.rst"
    text = glossary.read_text(encoding="utf-8")
    glossary.write_text(text[: text.index("   view")], encoding="utf-8")
    again = root_app.again(src)
    again.build()
    # (Sphinx forgets both definitions of a term when one of their pages goes.)
    for name in ("uses", "recap"):
        rewritten = soup_of(again, name)
        assert not rewritten.select(".learn-term, [role=tooltip]"), name
        assert "learn-glossary" not in str(rewritten.head), name
    epub = root_app.again(src, "epub")
    epub.build()
    page = (epub.outdir / "arrays.xhtml").read_text(encoding="utf-8")
    assert "glossary.xhtml#term-dtype" in page
    assert "learn-glossary" not in page
    assert "tooltip" not in page


# -- Warnings ----------------------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="components-bad", freshenv=True)
def test_every_bad_component_warns_with_file_line_and_type(app):
    app.build()
    warnings = warnings_of(app)
    src = app.srcdir
    expected = [
        (f"{src / 'exercises.rst'}:4:", "solution to 'ex-later' comes before", "learn.solution"),
        (f"{src / 'exercises.rst'}:13:", "did you mean 'ex-later'?", "learn.solution"),
        (f"{src / 'exercises.rst'}:17:", "solution has no exercise label", "learn.solution"),
        (f"{src / 'exercises.rst'}:21:", "'Fly to the moon' is not one of", "learn.objective"),
        (f"{src / 'checks.rst'}:4:", "no choice is marked correct", "learn.checkpoint"),
        (f"{src / 'checks.rst'}:12:", "choice 2 does not start with [x]", "learn.checkpoint"),
        (f"{src / 'checks.rst'}:14:", "needs at least two choices", "learn.checkpoint"),
        (f"{src / 'checks.rst'}:18:", "needs exactly one list of choices", "learn.checkpoint"),
        (f"{src / 'checks.rst'}:22:", "checkpoint: no question", "learn.checkpoint"),
        (f"{src / 'gates.md'}:3:", "exercise-start has no exercise-end", "learn.exercise"),
        (f"{src / 'gates.md'}:9:", "solution-end without a solution-start", "learn.solution"),
        (f"{src / 'callouts.rst'}:4:", "unknown link(s) 'telepathy'", "learn.contributor"),
        (f"{src / 'callouts.rst'}:4:", "learn_contributor['chat']", "learn.contributor"),
        (f"{src / 'callouts.rst'}:4:", "learn_contributor['repository']", "learn.contributor"),
        (f"{src / 'callouts.rst'}:9:", "needs exactly one list of steps", "learn.checklist"),
        (f"{src / 'keypoints.md'}:4:", "metadata 'keypoints[0]': expected text", "learn.metadata"),
        (f"{src / 'keypoints.md'}:4:", "metadata 'keypoints[1]': expected text", "learn.metadata"),
        (f"{src / 'keypoints.md'}:8:", "no learning path is named 'nowhere'", "learn.key-points"),
        (f"{src / 'keypoints.md'}:12:", "unknown option :colour:", "learn.key-points"),
        (f"{src / 'terms.rst'}:6:", "glossary term 'shape'", "learn.glossary"),
        # A MyST term with a classifier: its line all the same.
        (f"{src / 'terms-myst.md'}:4:", "glossary term 'size'", "learn.glossary"),
        (
            f"{src / 'workshop.rst'}:4:",
            "option :teaching: of instructor-note",
            "learn.instructor-note",
        ),
        (
            f"{src / 'workshop.rst'}:4:",
            "option :exercises: of instructor-note",
            "learn.instructor-note",
        ),
        (
            f"{src / 'workshop.rst'}:10:",
            "no learning path is named 'no-such-path'",
            "learn.path-book",
        ),
        (f"{src / 'workshop.rst'}:12:", "needs the name of a learning path", "learn.path-book"),
        (f"{src / 'books.rst'}:10:", "the page is a step of 'books' itself", "learn.path-book"),
        (f"{src / 'books.rst'}:12:", "'books' is shown already", "learn.path-book"),
    ]
    assert_warnings_exactly(app, expected)
    # Bad tabs: sphinx-design's own warnings, with file:line and its type.
    design = [line for line in warnings.splitlines() if "[design." in line]
    assert [line.split(" WARNING")[0] for line in design] == [
        f"{src / 'tabs.md'}:3:",
        f"{src / 'tabs.md'}:7:",
    ]
    assert all(line.endswith("[design.tab]") for line in design)
    assert len(warnings.splitlines()) == len(expected) + 2, warnings  # and nothing else at all
    # A malformed checkpoint still shows its text.
    checks = (app.outdir / "checks.html").read_text(encoding="utf-8")
    assert "Nothing is right?" in checks
    assert "Missing marker" in checks
    # Only the first book of a page: its steps once, each id once.
    books = soup_of(app, "books")
    assert [s["id"] for s in books.select("section.learn-book-step")] == ["step-2"]
    ids = Counter(tag["id"] for tag in books.select("[id]"))
    assert [i for i, n in ids.items() if n > 1] == []


@pytest.mark.sphinx(
    "html",
    testroot="components-bad",
    freshenv=True,
    confoverrides={
        "suppress_warnings": [
            "learn.solution",
            "learn.checkpoint",
            "learn.exercise",
            "learn.objective",
            "learn.contributor",
            "learn.checklist",
            "design.tab",
            "learn.key-points",
            "learn.glossary",
            "learn.metadata",
            "learn.instructor-note",
            "learn.path-book",
        ]
    },
)
def test_component_warnings_can_be_suppressed(app):
    app.build()
    assert warnings_of(app) == ""


# -- Contributor callouts ----------------------------------------------------------------------


def test_tracker_and_edit_urls():
    github = {"repository": "https://github.com/numpy/numpy/"}
    assert good_first_issues_url(github) == (
        "https://github.com/numpy/numpy/issues?q="
        "is%3Aissue+is%3Aopen+label%3A%22good+first+issue%22"
    )
    assert edit_url(github, "user/index.rst") == (
        "https://github.com/numpy/numpy/edit/main/user/index.rst"
    )
    gitlab = {
        "repository": "https://gitlab.example.org/group/project",
        "host": "gitlab",
        "good_first_issue_label": "Newcomer & friends",
        "branch": "dev",
        "docs_path": "/docs/",
    }
    assert good_first_issues_url(gitlab) == (
        "https://gitlab.example.org/group/project/-/issues?state=opened"
        "&label_name[]=Newcomer%20%26%20friends"
    )
    assert edit_url(gitlab, "a b.md") == (
        "https://gitlab.example.org/group/project/-/edit/dev/docs/a%20b.md"
    )
    assert good_first_issues_url({}) is None
    assert edit_url({}, "x.md") is None


@pytest.mark.sphinx("html", testroot="components", freshenv=True)
def test_new_contributor_callouts_link_from_the_configuration(app):
    app.build()
    first, second = soup_of(app, "guide").select("aside.learn-new-contributor")
    assert text_of(first.select_one(".admonition-title")) == "New to contributing?"
    links = {text_of(a): a["href"] for a in first.select(".learn-contributor-links a")}
    assert links == {
        "Find a good first issue": "https://gitlab.com/numpy/numpy/-/issues?state=opened"
        "&label_name[]=good%20first%20issue",
        "Ask for help": "https://numpy.org/community/",
        "Edit this page": "https://gitlab.com/numpy/numpy/-/edit/develop/doc/source/guide.rst",
        "Read the contributor guide": "#",
    }
    # :links: picks links, :guide: points at a section of the guide, by its title.
    assert text_of(second.select_one(".admonition-title")) == "Stuck?"
    assert [text_of(p) for p in second.select(".learn-contributor-links p")] == [
        "Ask for help",
        "Contributor guide: Open a pull request",
    ]
    assert second.select(".learn-contributor-links a")[-1]["href"] == "#first-pr"
    # Any theme: the page describes itself for link previews; with no html_baseurl
    # there is no og:url and no sitemap.
    head = soup_of(app, "guide").head
    assert head.select_one('meta[name="description"]')["content"]
    assert head.select_one('meta[property="og:type"]')["content"] == "article"
    assert head.select_one('meta[property="og:url"]') is None
    assert not (app.outdir / "sitemap.xml").exists()


@pytest.mark.sphinx("html", testroot="components", freshenv=True)
def test_setup_checklist_and_maintainer_note(app):
    app.build()
    guide = soup_of(app, "guide")
    checklist = guide.select_one("aside.learn-first-time-setup")
    steps = checklist.select("li[data-learn-step]")
    assert [text_of(s) for s in steps] == [
        "Install Git",
        "Fork the repository",
        "Fork the repository",
    ]
    keys = [s["data-learn-step"] for s in steps]
    assert len(set(keys)) == 3  # identical steps still get their own tick
    assert checklist["data-learn-template"] == "{done} of 3 steps done"
    assert not checklist.select("input")  # the script adds the checkboxes
    status = checklist.select_one(".learn-checklist-status")
    assert status.has_attr("hidden")
    assert status["role"] == "status"
    note = guide.select_one("aside.learn-maintainer-note")
    assert text_of(note.select_one(".admonition-title")) == "Maintainer note"


def test_same_title_checklists_on_one_page_keep_their_own_ticks(root_app):
    """Two setup checklists with the default title (one per operating system) must not
    share the key their ticks are saved under; the first keeps the key it always had."""
    app = root_app("keys")
    app.build()
    assert warnings_of(app) == ""
    checklists = soup_of(app, "constructor").select("aside.learn-first-time-setup")
    keys = [c["data-learn-checklist"] for c in checklists]
    assert len(keys) == 2
    assert len(set(keys)) == 2
    title = "First-time setup"
    assert keys[0] == hashlib.sha256(f"constructor\n{title}".encode()).hexdigest()[:10]


def test_ids_are_unique_when_documents_share_one_page(root_app):
    """singlehtml puts every document on one page: the ids the components make up (and
    the references to them) must not repeat from one document to the next."""
    app = root_app("keys", "singlehtml", confoverrides={"learn_solutions": "end"})
    app.build()
    assert warnings_of(app) == ""
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    ids = [element["id"] for element in soup.select("[id]")]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert len(soup.select("section.learn-checkpoint")) == 2
    assert len(soup.select("div.learn-exercise")) == 4
    # (The sidebar's table of contents is Sphinx's own.)
    body = soup.select_one('[role="main"]')
    for link in body.select('a[href^="#"]'):
        assert link["href"][1:] in ids, link
    for attribute in ("for", "aria-controls", "aria-labelledby", "aria-describedby"):
        for element in body.select(f"[{attribute}]"):
            assert set(element[attribute].split()) <= set(ids), element
    # Each exercise's "Go to the solution" leads to its own solution, in its chapter.
    for label in ("ex-greet", "ex-add"):
        forward = soup.select_one(f"div#{label} .learn-solution-link a")
        solution = soup.select_one(forward["href"])
        assert solution.select_one(".learn-solution-for a")["href"] == f"#{label}"


def test_documents_whose_names_give_one_id_are_reported(root_app):
    """``my_page`` and ``my-page`` give their components the same id: the build says so
    (with the cure) instead of letting singlehtml hold it twice."""
    app = root_app("keys")
    checkpoint = "Page\n====\n\n.. checkpoint:: Right?\n\n   - [x] Yes\n   - [ ] No\n"
    for name in ("my_page", "my-page"):
        (app.srcdir / f"{name}.rst").write_text(":orphan:\n\n" + checkpoint, encoding="utf-8")
    app.build()
    assert_warnings_exactly(
        app,
        [
            (
                f"{app.srcdir / 'my_page.rst'}:6:",
                "gets the id 'learn-checkpoint-my-page-0', as one in 'my-page' does",
                "learn.checkpoint",
            )
        ],
    )


@pytest.mark.parametrize(
    ("builder", "page", "anchor"),
    [("latex", "keys.tex", r"\\label\{[^}]*\}\}"), ("texinfo", "keys.texi", r"@anchor\{[^}]*\}")],
)
def test_print_builders_write_each_anchor_once(root_app, builder, page, anchor):
    """LaTeX and Texinfo write every document into one file too."""
    app = root_app("keys", builder, confoverrides={"learn_solutions": "end"})
    app.build()
    assert warnings_of(app) == ""
    anchors = re.findall(anchor, (app.outdir / page).read_text(encoding="utf-8"))
    assert len(anchors) > 10
    assert len(anchors) == len(set(anchors)), sorted(a for a in anchors if anchors.count(a) > 1)


# -- Reader progress ----------------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="tutorials", freshenv=True)
def test_progress_controls_are_hidden_until_the_script_shows_them(app):
    app.build()
    first = soup_of(app, "first")
    control = first.select_one("aside.learn-tutorial-header p.learn-done")
    assert control.has_attr("hidden")
    assert control.select_one("input")["data-learn-doc"] == "first"
    script = first.select_one("script[src*='learn-progress.js']")
    assert script["data-learn-project"] == app.config.project
    assert script.has_attr("defer")
    catalog = soup_of(app, "index").select_one("div.learn-catalog")
    assert catalog["data-learn-progress"] == "{done} of 4 done"
    steps = soup_of(app, "paths").select_one("ol.learn-path-steps")
    assert steps["data-learn-progress"].endswith("of 3 done")
    assert [li["data-learn-doc"] for li in steps.select("li")] == ["first", "second", "notebook"]
    # A page with nothing interactive loads no script.
    assert not soup_of(app, "genindex").select("script[src*='_static/learn-']")


@pytest.mark.sphinx(
    "html", testroot="tutorials", freshenv=True, confoverrides={"learn_progress": False}
)
def test_progress_can_be_turned_off(app):
    app.build()
    assert not soup_of(app, "first").select(".learn-done")
    assert (
        not soup_of(app, "index").select_one("div.learn-catalog").has_attr("data-learn-progress")
    )
    assert not soup_of(app, "first").select("script[src*='_static/learn-']")


# -- Coexisting with sphinx-exercise --------------------------------------------------------------


def test_sphinx_exercise_keeps_its_directive_names(root_app, rootdir):
    app = root_app("components-with-sphinx-exercise")
    app.build()
    assert warnings_of(app) == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "SPHINX-EXERCISE WAS HERE" in html  # the plain name is sphinx-exercise's
    soup = soup_of(app, "index")
    assert text_of(soup.select_one("div.learn-exercise > p")) == "Exercise 1: Ours"
    assert text_of(soup.select_one("details.learn-solution summary")) == "Solution to Exercise 1"


# -- Builds: translation, parallel, incremental ---------------------------------------------------


def test_labels_are_translated(root_app):
    app = root_app("components", confoverrides={"language": "es"})
    app.build()
    arrays = soup_of(app, "arrays")
    assert text_of(arrays.select_one("div.learn-exercise > p")) == "Ejercicio 1: Make a grid"
    assert text_of(arrays.select_one("details.learn-solution summary")) == "Solución: Ejercicio 1"
    assert (
        text_of(arrays.select_one("section.learn-checkpoint > p"))
        == "Comprueba lo que has aprendido"
    )
    guide = soup_of(app, "guide")
    assert text_of(guide.select_one("aside.learn-maintainer-note > p")) == "Nota para mantenedores"
    assert text_of(arrays.select_one("aside.learn-key-points > p")) == "Puntos clave"


def test_parallel_build_equals_serial_build(root_app):
    serial = root_app("components")
    serial.build()
    serial.cleanup()
    copy = serial.srcdir.parent / "components-parallel"
    shutil.copytree(serial.srcdir, copy, ignore=shutil.ignore_patterns("_build"))
    parallel = root_app.again(copy, parallel=2)
    parallel.build()
    assert parallel.parallel == 2
    assert warnings_of(parallel) == warnings_of(serial) == ""
    for key in (
        "exercises",
        "solutions",
        "checkpoints",
        "interactive",
        "revision_sheets",
        "glossary",
        "terms_used",
    ):
        assert get_domain(parallel.env).data[key] == get_domain(serial.env).data[key], key

    def pages(outdir) -> dict[str, str]:
        return {
            str(p.relative_to(outdir)): re.sub(r"\?v=[0-9a-f]+", "", p.read_text(encoding="utf-8"))
            for p in sorted(outdir.rglob("*.html"))
        }

    assert pages(parallel.outdir) == pages(serial.outdir)


def test_a_renumbered_exercise_rewrites_the_page_with_its_solution(root_app):
    config = {"learn_recommended_defaults": False}
    first = root_app("components", confoverrides=config)
    first.build()
    first.cleanup()
    # A new exercise before ex-sum makes it Exercise 3; answers.rst is not re-read,
    # but its solution's title must follow.
    arrays = first.srcdir / "arrays.rst"
    arrays.write_text(
        arrays.read_text().replace(
            ".. exercise:: Add it up",
            ".. exercise:: New one\n\n   Task.\n\n.. exercise:: Add it up",
        ),
        encoding="utf-8",
    )
    app = root_app.again(first.srcdir, confoverrides=config)
    app.build()
    summary = soup_of(app, "answers").select_one("details.learn-solution summary")
    assert text_of(summary) == "Solution to Exercise 3"


@pytest.mark.sphinx("html", testroot="components", freshenv=True)
def test_html_of_the_components(app, file_regression):
    """The HTML each component writes, as a reviewed regression file."""
    app.build()
    parts = [
        *soup_of(app, "arrays").select(
            "div.learn-exercise, details.learn-solution, section.learn-checkpoint, p.learn-done"
        ),
        *soup_of(app, "guide").select("aside.learn-callout"),
    ]
    html = "\n".join(part.prettify() for part in parts)
    file_regression.check(html, basename="components", extension=".html")


# -- Copy buttons and tabs (sphinx-design) -----------------------------------------------------


@pytest.mark.sphinx("html", testroot="components", freshenv=True)
def test_code_pages_load_the_copy_script_and_tab_pages_sphinx_design(app):
    app.build()
    assert warnings_of(app) == ""

    def files(page: str) -> list[str]:
        soup = soup_of(app, page)
        links = [*soup.select("link[rel=stylesheet]"), *soup.select("script[src]")]
        return [(t.get("href") or t["src"]).split("?")[0].rsplit("/", 1)[-1] for t in links]

    install = soup_of(app, "install")
    script = install.select_one("script[src*='learn-copy.js']")
    # Labels from the build (translated), on the script's tag; no button in the HTML.
    assert (script["data-learn-copy"], script["data-learn-copied"]) == ("Copy", "Copied")
    assert script["data-learn-failed"]
    assert not install.select("button.learn-copy")
    for name in ("sphinx-design.min.css", "design-tabs.js", "learn-tabs.css", "learn-copy.css"):
        assert name in files("install"), name
    # Tabs: radio buttons and labels, the first one checked (shown without JavaScript).
    first = install.select_one("div.sd-tab-set")
    assert [i.has_attr("checked") for i in first.select(":scope > input[type=radio]")] == [
        True,
        False,
    ]
    assert first.select_one("label[data-sync-group=installer]")["data-sync-id"] == "pip"
    # A checklist in each tab, each with its own key.
    keys = [a["data-learn-checklist"] for a in first.select("aside.learn-first-time-setup")]
    assert len(set(keys)) == 2
    # A page without sphinx-design components loads none of its files; without code, no
    # copy script.
    guide = files("guide")
    assert not {"sphinx-design.min.css", "design-tabs.js", "learn-tabs.css"} & set(guide)
    assert "learn-copy.js" not in guide
    # A notebook's code cells get buttons (their outputs do not: the script skips them).
    assert "learn-copy.js" in files("shapes")


@pytest.mark.parametrize(
    ("builder", "walked"), [("html", {"install", "upgrade"}), ("singlehtml", {"index"})]
)
def test_sphinx_design_walks_only_the_pages_that_show_its_components(
    root_app, monkeypatch, builder, walked
):
    """Its post-transforms walk every page; a web page without its components is
    skipped (a page that holds every document is not)."""
    from sphinx_design.tabs import TabSetHtmlTransform

    seen = []
    run = TabSetHtmlTransform.run

    def counting(self, **kwargs):
        seen.append(self.env.docname)
        return run(self, **kwargs)

    monkeypatch.setattr(TabSetHtmlTransform, "run", counting)
    app = root_app("components", buildername=builder)
    app.build()
    assert warnings_of(app) == ""
    assert set(seen) == walked
    # Its doctree-resolved handler is gated too.
    design_handlers = [
        listener.handler
        for listener in app.events.listeners["doctree-resolved"]
        if listener.handler.__module__.startswith("sphinx_design")
    ]
    assert design_handlers
    assert all(getattr(handler, "_learn_gated", False) for handler in design_handlers)
    page = "index" if builder == "singlehtml" else "install"
    assert soup_of(app, page).select("div.sd-tab-set > input[type=radio]")


def test_glue_references_are_looked_for_once_the_module_is_loaded(monkeypatch):
    import importlib
    import sys
    from types import ModuleType

    from docutils import nodes

    from sphinx_numpy_learn import _compat

    glue = importlib.import_module("myst_nb.ext.glue.utils")
    assert _compat.mystnb_glue_references() == (glue.PendingGlueReference,)
    monkeypatch.delitem(sys.modules, "myst_nb.ext.glue.utils")
    assert _compat.mystnb_glue_references() == ()  # no such node can exist yet
    monkeypatch.setitem(sys.modules, "myst_nb.ext.glue.utils", ModuleType("changed"))
    assert _compat.mystnb_glue_references() == (nodes.Element,)  # fails closed


def test_unknown_registry_tables_leave_every_hook_running():
    from types import SimpleNamespace

    from sphinx_numpy_learn import _compat

    assert _compat.run_only_where(SimpleNamespace(), "sphinx_design", lambda *a: False) is False


@pytest.mark.parametrize(
    "extensions",
    [["sphinx_design", "sphinx_numpy_learn"], ["sphinx_numpy_learn", "sphinx_design"]],
)
def test_listing_sphinx_design_too_does_no_harm(root_app, extensions):
    app = root_app("components", confoverrides={"extensions": extensions})
    app.build()
    assert warnings_of(app) == ""
    assert soup_of(app, "install").select("div.sd-tab-set > input[type=radio]")


def test_what_a_page_holds_decides_which_pages_are_searched(root_app):
    """Write-time steps search a web page only for what its documents were noted to
    hold when read; a book page holds its steps'; pages that hold several documents,
    or a builder we cannot tell, are always searched."""
    from sphinx.builders.latex import LaTeXBuilder
    from sphinx.builders.singlehtml import SingleFileHTMLBuilder

    from sphinx_numpy_learn.domain import get_domain, page_may_show

    app = root_app("components")
    app.build()
    domain = get_domain(app.env)
    book = domain.components("workshop-book")
    assert "path-book" in book
    for step in domain.book_steps("workshop-book"):
        assert domain.components(step) - {"path-nav", "path-book"} <= book, step
    assert "path" in domain.components("workshop")
    assert "design" in domain.components("install")
    assert "design" not in domain.components("guide")
    assert not page_may_show(app.env, app.builder, "guide", ("design", "catalog"))
    assert page_may_show(app.env, app.builder, "install", ("design",))
    for builder in (None, LaTeXBuilder, SingleFileHTMLBuilder):
        assert page_may_show(app.env, builder, "guide", ("design",)), builder
