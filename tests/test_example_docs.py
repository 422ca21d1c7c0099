"""The example site, built the way docs CI builds it: warnings are errors,
nitpicky references, and every notebook executed into a fresh cache."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import EXAMPLE_DOCS, build_example_site, copy_of_cache

TUTORIALS = sorted(
    path.stem for path in (EXAMPLE_DOCS / "tutorials").glob("*.md") if path.stem != "index"
)


@pytest.fixture(scope="module")
def example_site(example_build) -> Path:
    """The session's build of the example site (see conftest), checked once: its log."""
    log = example_build.log
    # A fresh cache: every tutorial notebook really ran in this build, and passed.
    ran = re.findall(r"\[learn\] \(\d+/\d+\) tutorials/(\S+): ok in ", log)
    assert sorted(ran) == TUTORIALS, log
    assert "Executing notebook" not in log  # MyST-NB found every one in the cache
    return example_build.outdir


def page(site: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


@pytest.mark.slow
def test_site_has_six_tutorials_and_a_contributor_guide():
    assert len(TUTORIALS) >= 6
    contributing = [p for p in (EXAMPLE_DOCS / "contributing").glob("*.md") if p.stem != "index"]
    assert len(contributing) >= 3


@pytest.mark.slow
@pytest.mark.parametrize("tutorial", TUTORIALS)
def test_every_tutorial_was_executed(example_site, tutorial):
    soup = page(example_site, f"tutorials/{tutorial}")
    cells = soup.select("div.cell")
    assert cells, "no code cells"
    outputs = soup.select("div.cell_output")
    assert len(outputs) >= len(cells) // 2, "most cells should show a result"
    # Nothing went to stderr, nothing raised.
    assert not soup.select(".output.stderr"), "a cell wrote to stderr"
    assert not soup.select(".output.traceback"), "a cell raised"
    text = soup.get_text()
    assert "<Figure size" not in text, "a figure's repr leaked into the output"
    # Every figure output has alt text that describes it.
    images = soup.select("div.cell_output img")
    assert images, "each tutorial has at least one figure"
    for image in images:
        alt = image.get("alt", "")
        assert len(alt) > 20, alt
        assert "Figure size" not in alt, alt


@pytest.mark.slow
@pytest.mark.parametrize("tutorial", TUTORIALS)
def test_tutorials_follow_the_numpy_structure(example_site, tutorial):
    soup = page(example_site, f"tutorials/{tutorial}")
    # Sphinx turns straight apostrophes into typographic ones.
    headings = [
        h.get_text(strip=True).rstrip("#").replace("\u2019", "'")
        for h in soup.select("article h2")
    ]
    opening = ["What you'll do", "What you'll learn", "What you'll need"]
    assert headings[:3] == opening, headings
    assert "On your own" in headings
    assert headings[-1] == "Further reading", headings


@pytest.mark.slow
def test_site_uses_the_theme(example_site):
    soup = page(example_site, "index")
    assert soup.select_one("footer .learn-theme-version") is not None
    assert soup.select_one("header.bd-header") is not None


@pytest.mark.slow
def test_configuration_reference_is_generated(example_site):
    soup = page(example_site, "writing/configuration")
    assert soup.select_one("#confval-learn_recommended_defaults") is not None
    assert soup.select_one("table.learn-defaults-reference") is not None


@pytest.mark.slow
def test_unchanged_rebuild_reads_and_executes_nothing(example_site, tmp_path):
    """Rebuilt in a copy: the session's build stays as built for every other module
    (Sphinx 9.0 drops unchanged pages' index entries from the search index on a rebuild,
    which the -j 2 comparison would then see, depending on the order tests ran in)."""
    copy = tmp_path / "html"
    shutil.copytree(example_site, copy, symlinks=True)
    # The cache path the session's build used (MyST-NB's default is under its
    # doctrees): the same configuration, so nothing is out of date.
    cache = example_site / ".doctrees" / "jupyter_cache"
    log = build_example_site(copy, "-D", f"nb_execution_cache_path={cache}")
    assert "0 added, 0 changed, 0 removed" in log, log
    assert "config changed" not in log
    assert "Executing notebook" not in log
    assert "[learn] executing" not in log


@pytest.mark.slow
def test_every_tutorial_has_a_tier_and_a_header(example_site):
    catalog = json.loads((example_site / "learn-catalog.json").read_text(encoding="utf-8"))
    by_doc = {t["docname"]: t for t in catalog["tutorials"]}
    for tutorial in TUTORIALS:
        record = by_doc[f"tutorials/{tutorial}"]
        assert record["level"] in {"beginner", "intermediate", "advanced"}, tutorial
        # Derived from the style-guide headings, not repeated in front matter.
        assert record["objectives"], tutorial
        assert record["outcome"], tutorial
        header = page(example_site, f"tutorials/{tutorial}").select_one(
            "aside.learn-tutorial-header"
        )
        assert header.select_one(".learn-badge") is not None, tutorial
        assert "minutes" in header.get_text(), tutorial
        # The page shows its own "What you'll learn": the card does not repeat it.
        assert "What you" not in header.get_text(), tutorial
    contributors = [t for t in catalog["tutorials"] if t["audience"] == "contributor"]
    assert len(contributors) >= 3


@pytest.mark.slow
def test_landing_page_has_the_catalog_and_the_beginner_path(example_site):
    soup = page(example_site, "index")
    cards = soup.select("div.learn-catalog li.learn-card")
    docs = {card["data-learn-doc"] for card in cards}
    assert {f"tutorials/{t}" for t in TUTORIALS} <= docs
    assert soup.select_one("form.learn-catalog-filters") is not None
    assert soup.select_one("ol.learn-path-steps") is not None


@pytest.mark.slow
def test_two_learning_paths_with_step_navigation(example_site):
    catalog = json.loads((example_site / "learn-catalog.json").read_text(encoding="utf-8"))
    paths = {path["name"]: path for path in catalog["paths"]}
    assert len(paths) >= 2
    audiences = set()
    for path in paths.values():
        first_step = path["steps"][0]["docname"]
        audiences |= {t["audience"] for t in catalog["tutorials"] if t["docname"] == first_step}
        second = page(example_site, path["steps"][1]["docname"])
        navs = [
            nav for nav in second.select("nav.learn-path-nav") if path["title"] in nav.get_text()
        ]
        assert navs, path["name"]
        assert "Step 2 of" in navs[0].get_text()
    assert audiences == {"learner", "contributor"}


@pytest.mark.slow
def test_sidebar_shows_tier_badges(example_site):
    nav = page(example_site, "tutorials/index-and-slice-arrays").select_one("nav.bd-docs-nav")
    badges = nav.select(".learn-nav-badge")
    assert len(badges) >= len(TUTORIALS)


@pytest.mark.slow
def test_metadata_reference_and_schema_are_shown(example_site):
    soup = page(example_site, "writing/tutorials")
    table = soup.select_one("table.learn-metadata-reference")
    assert table is not None
    assert "prerequisites" in table.get_text()
    assert "tutorial-metadata.schema.json" in soup.get_text() or '"$schema"' in soup.get_text()


@pytest.mark.slow
@pytest.mark.parametrize("tutorial", TUTORIALS)
def test_every_tutorial_has_an_exercise_with_a_solution_and_a_checkpoint(example_site, tutorial):
    soup = page(example_site, f"tutorials/{tutorial}")
    exercises = {e["id"] for e in soup.select("div.learn-exercise")}
    assert exercises, tutorial
    solved = [
        s
        for s in soup.select("details.learn-solution")
        if s.find_previous("div", class_="learn-exercise")["id"] in exercises
    ]
    assert solved, tutorial
    assert all(s.summary.get_text().startswith("Solution to Exercise") for s in solved)
    checkpoints = soup.select("section.learn-checkpoint")
    assert checkpoints, tutorial
    for checkpoint in checkpoints:
        # Every choice is explained, right or wrong: beyond its letter and verdict.
        choices = checkpoint.select("li.learn-choice")
        explanations = checkpoint.select("li.learn-explanation")
        assert len(explanations) == len(choices) > 1, tutorial
        assert all(len(li.p.get_text().split()) > 3 for li in explanations), tutorial


@pytest.mark.slow
def test_contributor_guide_uses_callouts_and_a_setup_checklist(example_site):
    pages = {
        name: page(example_site, f"contributing/{name}")
        for name in (
            "index",
            "set-up-a-development-environment",
            "make-your-first-pull-request",
            "write-a-tutorial",
        )
    }
    callouts = [a for soup in pages.values() for a in soup.select("aside.learn-new-contributor")]
    assert len(callouts) >= 2
    for callout in callouts:
        assert callout.select(".learn-contributor-links a"), callout
    checklist = pages["set-up-a-development-environment"].select_one(
        "aside.learn-first-time-setup"
    )
    assert len(checklist.select("li[data-learn-step]")) >= 4
    assert any(soup.select("aside.learn-maintainer-note") for soup in pages.values())


@pytest.mark.slow
@pytest.mark.parametrize("tutorial", TUTORIALS)
def test_every_tutorial_offers_downloads_launch_and_its_run(example_site, tutorial):
    import nbformat

    soup = page(example_site, f"tutorials/{tutorial}")
    badge = soup.select_one(".learn-tutorial-header .learn-execution-ok")
    assert badge is not None
    assert badge.get_text().startswith("Executed successfully, ")
    buttons = soup.select_one(".bd-header-article .learn-notebook-buttons")
    hrefs = [a["href"] for a in buttons.select("a")]
    assert f"../_notebooks/tutorials/{tutorial}.ipynb" in hrefs
    assert f"../_notebooks/tutorials/{tutorial}.md" in hrefs
    binder = (
        "https://mybinder.org/v2/gh/numpy/sphinx-numpy-learn/notebooks"
        f"?labpath=example_docs%2Ftutorials%2F{tutorial}.ipynb"
    )
    assert binder in hrefs
    notebook = nbformat.read(example_site / "_notebooks" / "tutorials" / f"{tutorial}.ipynb", 4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert sum(1 for cell in code if cell.outputs) >= len(code) // 2
    assert any(cell.cell_type == "markdown" for cell in notebook.cells)


@pytest.mark.slow
def test_the_weather_tutorial_ships_its_data(example_site):
    import zipfile

    archive = example_site / "_notebooks" / "tutorials" / "analyse-seattle-weather.zip"
    with zipfile.ZipFile(archive) as bundle:
        assert sorted(bundle.namelist()) == [
            "analyse-seattle-weather.ipynb",
            "data/seattle-weather.csv",
        ]
        data = bundle.read("data/seattle-weather.csv")
    assert data == (EXAMPLE_DOCS / "tutorials" / "data" / "seattle-weather.csv").read_bytes()


@pytest.mark.slow
def test_execution_report_lists_every_tutorial(example_site):
    table = page(example_site, "execution-report").select_one("table.learn-execution-report")
    rows = table.select("tbody tr")
    assert len(rows) == len(TUTORIALS)
    assert all(row.select("td")[1].get_text(strip=True) == "Succeeded" for row in rows)


@pytest.mark.slow
@pytest.mark.parametrize(
    "builder", ["dirhtml", "singlehtml", "epub", "latex", "text", "man", "texinfo"]
)
def test_every_builder_builds_the_site_cleanly(example_site, example_build, tmp_path, builder):
    """What docs CI checks (-W --keep-going -n) with each other builder. They read the
    outputs the html build executed, from a copy of its Jupyter cache: no notebook runs
    again."""
    cache = copy_of_cache(example_build, tmp_path)
    options = ["-b", builder, "-d", str(tmp_path / "doctrees")]
    log = build_example_site(
        tmp_path / builder, *options, "-D", f"nb_execution_cache_path={cache}"
    )
    assert "[learn] executing" not in log
    assert "Executing notebook" not in log
    assert len(re.findall(r"tutorials/\S+\s+ok\s.*from cache", log)) == len(TUTORIALS), log
