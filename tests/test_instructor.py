"""Instructor notes (``instructor-note``, ``learn_audience``) and a whole learning path
on one page (``learning-path-book``), in every builder."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from bs4 import BeautifulSoup

from .conftest import soup_of, warnings_of


def text_of(element) -> str:
    return " ".join(element.get_text(" ").split())


# -- Instructor notes ------------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="components", freshenv=True)
def test_learner_pages_hide_notes_behind_the_instructor_view_button(app):
    app.build()
    arrays = soup_of(app, "arrays")
    note = arrays.select_one("details.learn-inote")
    # Without the script: a closed disclosure (reachable, out of the way).
    assert note is not None
    assert not note.has_attr("open")
    assert text_of(note.summary) == "Start from lists"
    assert "Timing for this section: 10 min teaching, 15 min exercises" in text_of(note)
    # The button and the page's totals wait, hidden, for the script.
    button = arrays.select_one("aside.learn-tutorial-header button.learn-inote-toggle")
    assert button["type"] == "button"
    assert button["aria-pressed"] == "false"
    assert button.has_attr("hidden")
    totals = arrays.select_one(".learn-inote-only[hidden]")
    assert text_of(totals) == "Timing for this page: 10 min teaching, 15 min exercises"
    links = [tag.get("href") or tag.get("src") for tag in arrays.select("link, script")]
    assert any("learn-instructor.css" in str(link) for link in links)
    # (Its script is the progress one's: test_assets.)
    assert any("learn-progress.js" in str(link) for link in links)
    # The MyST twin, with its default title; pages without notes load nothing of it.
    shapes = soup_of(app, "shapes")
    assert text_of(shapes.select_one("details.learn-inote summary")) == "Instructor note"
    assert "learn-instructor" not in (app.outdir / "guide.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("builder", "page"),
    [("html", "arrays.html"), ("text", "arrays.txt"), ("latex", "components.tex")],
)
def test_an_instructor_build_shows_notes_and_totals(root_app, builder, page):
    app = root_app("components", builder, confoverrides={"learn_audience": "instructor"})
    app.build()
    assert warnings_of(app) == ""
    output = (app.outdir / page).read_text(encoding="utf-8")
    assert "Ask who has used a Python list" in output
    assert "Timing for this page:" in output or "Timing for this page:}" in output
    assert "10 min teaching, 15 min exercises" in output
    if builder == "html":
        soup = soup_of(app, "arrays")
        assert soup.select_one("aside.learn-inote > p.admonition-title")
        assert not soup.select("button.learn-inote-toggle, [hidden].learn-inote-only")
        assert "learn-inote-toggle" not in output  # nothing to toggle


@pytest.mark.parametrize("audience", ["instructor", "learner"])
def test_pages_put_together_give_each_document_its_own_totals(root_app, audience):
    """singlehtml (and LaTeX below): each tutorial's totals in its own header card, not
    one sum of every note in the output."""
    app = root_app("components", "singlehtml", confoverrides={"learn_audience": audience})
    app.build()
    assert warnings_of(app) == ""
    soup = soup_of(app, "index")
    totals = [text_of(p) for p in soup.select("p.learn-inote-total")]
    assert totals == [
        "Timing for this page: 10 min teaching, 15 min exercises",
        "Timing for this page: 5 min teaching",
    ]
    # arrays: in its header card; shapes (no card): after its title.
    first, second = soup.select("p.learn-inote-total")
    assert first.find_parent("aside", class_="learn-tutorial-header")
    assert second.find_parent("section").h2.get_text().startswith("Reshape arrays")
    # The book page shows no steps here (they are on the page already): no path total.
    assert "Timing for this path" not in text_of(soup)
    buttons = soup.select("button.learn-inote-toggle")
    assert len(buttons) == (1 if audience == "learner" else 0)
    tag = "details" if audience == "learner" else "aside"
    assert len(soup.select(f"{tag}.learn-inote")) == 2


def test_latex_gives_each_tutorial_its_own_totals(root_app):
    app = root_app("components", "latex", confoverrides={"learn_audience": "instructor"})
    app.build()
    tex = (app.outdir / "components.tex").read_text(encoding="utf-8")
    totals = re.findall(r"Timing for this (page|step|path):\}\}? ([^\n]*)", tex)
    assert totals == [
        ("page", "10 min teaching, 15 min exercises"),
        ("page", "5 min teaching"),
    ], totals


def test_a_bad_audience_is_reported_and_learners_get_the_default(root_app):
    app = root_app("components", "html", confoverrides={"learn_audience": "teachers"})
    app.build()
    warnings = warnings_of(app)
    assert "learn_audience" in warnings
    assert "[learn.config]" in warnings
    assert soup_of(app, "arrays").select_one("details.learn-inote")


def test_changing_the_audience_rewrites_every_page_without_reading_one(root_app):
    first = root_app("components")
    first.build()
    first.cleanup()
    app = root_app.again(first.srcdir, confoverrides={"learn_audience": "instructor"})
    app.build()
    status = app.status.getvalue()
    assert "0 added, 0 changed, 0 removed" in status, status
    assert soup_of(app, "arrays").select_one("aside.learn-inote")


# -- A learning path on one page --------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="components", freshenv=True)
def test_a_path_book_holds_every_step_with_its_own_anchors(app):
    app.build()
    assert warnings_of(app) == ""
    book = soup_of(app, "workshop-book")
    steps = book.select("section.learn-book-step")
    assert [step["id"] for step in steps] == ["step-1", "step-2"]
    assert [text_of(step.h2).rstrip(" ¶#") for step in steps] == [
        "Make arrays",
        "Reshape arrays",
    ]
    # Every id once, each step's under its prefix.
    ids = Counter(tag["id"] for tag in book.select("[id]"))
    assert [i for i, n in ids.items() if n > 1] == []
    assert book.select_one("#step-1-ex-grid.learn-exercise")
    # Complete: numbered exercises, solutions, notebook outputs, instructor notes.
    assert "Exercise 1: Make a grid" in text_of(steps[0])
    assert steps[0].select("details.learn-solution")
    assert "(2, 3)" in text_of(steps[1].select_one("div.cell_output"))
    assert len(book.select("details.learn-inote")) == 2
    # References between and inside steps stay on the page.
    hrefs = [a["href"] for a in steps[0].select("a.reference.internal")]
    assert "#step-1-ex-grid" in hrefs
    assert "#step-1-ex-sum" in hrefs
    assert not [h for h in hrefs if h.startswith(("arrays.html", "shapes.html"))]
    # No "Step 1 of 2" box, but the path's totals and one button.
    assert not book.select(".learn-path-nav")
    assert len(book.select("button.learn-inote-toggle")) == 1
    assert "Timing for this path: 15 min teaching, 15 min exercises" in text_of(book)
    # The steps' stylesheets, and the print stylesheet.
    html = (app.outdir / "workshop-book.html").read_text(encoding="utf-8")
    for name in ("learn-exercises.css", "learn-checkpoints.css", "learn-path-book.css"):
        assert name in html, name
    # Its table of contents lists the steps.
    html_toc = app.env.tocs["workshop-book"].astext()
    assert "Make arrays" in html_toc
    assert "Reshape arrays" in html_toc
    # The path's page links to it.
    link = soup_of(app, "workshop").select_one("p.learn-path-book-link a")
    assert link["href"] == "workshop-book.html"


def test_a_path_book_is_one_pdf_through_latex(root_app):
    documents = [("workshop-book", "workshop.tex", "Arrays workshop", "Us", "manual")]
    app = root_app("components", "latex", confoverrides={"latex_documents": documents})
    app.build()
    assert warnings_of(app) == ""
    tex = (app.outdir / "workshop.tex").read_text(encoding="utf-8")
    chapters = re.findall(r"\\chapter\{([^}]*)\}", tex)
    assert chapters == ["Make arrays", "Reshape arrays"]
    # Labelled as the steps' own documents: references between them work in the PDF.
    assert r"\label{\detokenize{arrays:ex-grid}}" in tex
    assert r"\hyperref[\detokenize{arrays:ex-grid}]" in tex
    assert "Solution to Exercise 1" in tex
    assert "(2, 3)" in tex


def test_a_book_as_the_root_of_a_single_page_shows_each_step_once(root_app):
    app = root_app("components", "singlehtml", confoverrides={"root_doc": "workshop-book"})
    app.build()
    soup = soup_of(app, "workshop-book")
    headings = [text_of(h).rstrip(" ¶#") for h in soup.select("section h2")]
    assert headings.count("Make arrays") == 1
    assert headings.count("Reshape arrays") == 1
    assert "Timing for this path: 15 min teaching, 15 min exercises" in text_of(soup)


def test_the_book_follows_its_steps_in_incremental_builds(root_app):
    first = root_app("components")
    first.build()
    first.cleanup()
    arrays = first.srcdir / "arrays.rst"
    source = arrays.read_text(encoding="utf-8")
    assert "Arrays hold numbers," in source
    arrays.write_text(
        source.replace("Arrays hold numbers,", "Arrays hold many numbers,"), encoding="utf-8"
    )
    app = root_app.again(first.srcdir)
    app.build()
    book = (app.outdir / "workshop-book.html").read_text(encoding="utf-8")
    assert "Arrays hold many numbers," in book


def test_the_book_follows_what_its_steps_show_in_incremental_builds(root_app):
    """A step written again but not read again (a glossary definition it shows in a
    tooltip changed), and a path put in another order: the book follows, as a clean
    build would show it."""
    first = root_app("components")
    first.build()
    first.cleanup()

    def change(name: str, old: str, new: str):
        source = (first.srcdir / name).read_text(encoding="utf-8")
        assert old in source
        (first.srcdir / name).write_text(source.replace(old, new), encoding="utf-8")
        app = root_app.again(first.srcdir)
        app.build()
        app.cleanup()
        return soup_of(app, "workshop-book")

    book = change("glossary.rst", "such as ``int64``", "such as ``float32``")
    tip = text_of(book.select_one(".learn-tip"))
    assert "float32" in tip
    assert "int64" not in tip
    book = change("workshop.rst", "   arrays\n   shapes\n", "   shapes\n   arrays\n")
    steps = book.select("section.learn-book-step")
    assert [text_of(step.h2).rstrip(" ¶#") for step in steps] == [
        "Reshape arrays",
        "Make arrays",
    ]


@pytest.mark.sphinx("html", testroot="components", freshenv=True)
def test_every_link_on_a_book_page_finds_its_target(app):
    app.build()
    book = soup_of(app, "workshop-book")
    ids = {tag["id"] for tag in book.select("[id]")}
    described = [tag["aria-describedby"] for tag in book.select("[aria-describedby]")]
    assert described
    assert [d for d in described if d not in ids] == []
    fragments = [a["href"][1:] for a in book.select('a[href^="#"]') if a["href"] != "#"]
    assert [f for f in fragments if f not in ids] == []


def test_a_path_book_in_a_flat_collection_of_real_tutorials(flat_site_build):
    """The grown flat site (conftest): long titles, a flat toctree, steps in MyST and
    reStructuredText; its build warned only about its failing notebook."""
    html = (flat_site_build.outdir / "first-week-on-one-page.html").read_text(encoding="utf-8")
    book = BeautifulSoup(html, "html.parser")
    titles = [
        " ".join(h.get_text(" ").split()).rstrip(" #¶")
        for h in book.select("section.learn-book-step > section > h2")
    ]
    assert len(titles) == 3
    assert titles[0].startswith("Analysing the 2015 Seattle weather data set")
    assert titles[2].startswith("Saving and sharing your NumPy arrays")
    ids = Counter(tag["id"] for tag in book.select("[id]"))
    assert [i for i, n in ids.items() if n > 1] == []
    assert "learn-path-book.css" in html
    # The path's page links to it.
    index = (flat_site_build.outdir / "index.html").read_text(encoding="utf-8")
    assert 'href="first-week-on-one-page.html"' in index


def test_a_path_book_in_texinfo_has_a_chapter_per_step(root_app):
    documents = [("workshop-book", "workshop", "Arrays workshop", "Us", "workshop", "", "")]
    app = root_app("components", "texinfo", confoverrides={"texinfo_documents": documents})
    app.build()
    assert warnings_of(app) == ""
    texi = (app.outdir / "workshop.texi").read_text(encoding="utf-8")
    assert re.findall(r"^@chapter (.*)$", texi, flags=re.M) == ["Make arrays", "Reshape arrays"]
    assert "Solution to Exercise 1" in texi
