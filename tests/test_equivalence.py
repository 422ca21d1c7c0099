"""Equivalence: a ``-j`` build equals a serial build, an incremental build a clean one.

A docs extension earns trust when it never breaks ``-j`` and never loses a page from
an index on an incremental build. Each test here fails, naming the first page and
fragment that differ (with a unified diff), the day that stops being true.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import EXAMPLE_DOCS, build_example_site, copy_of_cache, warnings_of
from .test_tutorials import edit, read_docs, written_docs

DIFF_LINES = 60


def first_difference(
    expected: dict[str, str], actual: dict[str, str], what: tuple[str, str]
) -> str | None:
    """``None`` when both have the same keys and values; else the first key (in sorted
    order) that is missing, extra or different, with a unified diff excerpt. ``what``
    names the two builds."""
    for key in sorted(expected.keys() | actual.keys()):
        if key not in actual:
            return f"{key}: in the {what[0]} output only"
        if key not in expected:
            return f"{key}: in the {what[1]} output only"
        if expected[key] != actual[key]:
            diff = difflib.unified_diff(
                expected[key].splitlines(),
                actual[key].splitlines(),
                f"{what[0]}/{key}",
                f"{what[1]}/{key}",
                lineterm="",
            )
            lines = list(diff)
            more = len(lines) - DIFF_LINES
            excerpt = "\n".join(lines[:DIFF_LINES]) + (
                f"\n... {more} more lines" if more > 0 else ""
            )
            return f"{key} differs:\n{excerpt}"
    return None


# -- Parallel: example_docs with -j 2 -------------------------------------------------------------

TUTORIALS = sorted(
    f"tutorials/{path.stem}"
    for path in (EXAMPLE_DOCS / "tutorials").glob("*.md")
    if path.stem != "index"
)
# The execution report's columns (sphinx_numpy_learn.notebooks.report).
LAST_SUCCESS, OUTPUTS = 3, 4
WHEN = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC")


def normalize_execution_report(html: str, outputs: str) -> str:
    """The page, with the two execution-report columns that say *how* this build got
    each notebook's outputs, after checking they say what is expected.

    The session's serial build executed every notebook (``outputs`` "executed");
    the parallel build takes every one from that build's cache ("from the cache").
    "Last successful run" is the clock when the serial build finished a run, and the
    cache record's creation time (a moment earlier) for the parallel build: the two
    may fall on either side of a minute. Both are facts about the cache, not about
    ``-j``; the status and the run time stay compared (cached times are the
    measured ones).
    """
    if "learn-execution-report" not in html:
        return html
    soup = BeautifulSoup(html, "html.parser")
    for table in soup.select("table.learn-execution-report"):
        for row in table.select("tbody tr"):
            cells = row.find_all("td", recursive=False)
            when, source = cells[LAST_SUCCESS], cells[OUTPUTS]
            assert WHEN.fullmatch(when.get_text(strip=True)), row
            assert source.get_text(strip=True) == outputs, row
            when.string = "(time of the run)"
            source.string = "(executed or cached)"
    return str(soup)


# MyST-NB writes its stylesheet after a clean build's pages, so they link it without a
# checksum; pages written again later (a rebuild rewrites genindex) link it with one.
# A fact about when the file was written, not about -j: the file's name already
# carries its content's hash.
MYST_NB_CSS_CHECKSUM = re.compile(r'(_static/mystnb\.[0-9a-f]+\.css)\?v=[0-9a-f]+(?=")')


def search_index_without_the_report(script: str) -> str:
    """The search index with the execution report's words left out: they say how this
    build got each notebook's outputs ("executed", "from the cache"), which
    :func:`normalize_execution_report` leaves out of the page for the same reason.
    Every other page's words and index entries stay compared, one JSON value a line so
    that a failure's diff names the term."""
    prefix, suffix = "Search.setIndex(", ")"
    assert script.startswith(prefix), script[:80]
    assert script.endswith(suffix), script[-80:]
    index = json.loads(script[len(prefix) : -len(suffix)])
    report = index["docnames"].index("execution-report")
    for key in ("terms", "titleterms"):
        kept = {}
        for term, docs in index[key].items():
            docs = [d for d in docs if d != report] if isinstance(docs, list) else docs
            if docs != report and docs != []:
                kept[term] = docs
        index[key] = kept
    return json.dumps(index, sort_keys=True, indent=1)


def site_files(outdir: Path, outputs: str) -> dict[str, str]:
    """Every HTML page, JSON file and notebook download of a build, and its search
    index, normalized (a zip archive by its digest)."""
    found: dict[str, str] = {}
    for path in sorted(outdir.rglob("*")):
        name = path.relative_to(outdir).as_posix()
        if name.startswith(".doctrees/") or not path.is_file():
            continue
        if path.suffix == ".html":
            html = MYST_NB_CSS_CHECKSUM.sub(r"\1", path.read_text(encoding="utf-8"))
            found[name] = normalize_execution_report(html, outputs)
        elif name == "searchindex.js":
            found[name] = search_index_without_the_report(path.read_text(encoding="utf-8"))
        elif path.suffix in {".json", ".ipynb"}:
            found[name] = path.read_text(encoding="utf-8")
        elif path.suffix == ".zip":
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.mark.slow
def test_parallel_example_build_equals_the_serial_build(example_build, tmp_path):
    """example_docs with ``-j 2`` (notebooks from the session build's cache) writes
    the same pages, JSON files, notebook downloads and search index as the session's
    serial build."""
    cache = copy_of_cache(example_build, tmp_path)
    outdir = tmp_path / "html"
    log = build_example_site(outdir, "-j", "2", "-D", f"nb_execution_cache_path={cache}")

    # Nothing ran: neither we ("[learn] executing N notebook(s)") nor MyST-NB did,
    # and the summary says every tutorial's outputs came from the cache.
    assert "[learn] executing" not in log, log
    assert "Executing notebook" not in log, log
    summary = dict(re.findall(r"^  (tutorials/\S+) +ok +[\d.]+ s +(.+)$", log, re.MULTILINE))
    assert summary == dict.fromkeys(TUTORIALS, "from cache"), log
    # Really parallel: Sphinx reads and writes in chunks, one per worker process,
    # and names each chunk by its first and last page ("a .. b"); a serial build
    # (or a fallback to one) names single pages.
    assert re.search(r"^reading sources\.\.\. \[ *\d+%\] \S+ \.\. \S+$", log, re.MULTILINE), log
    assert re.search(r"^writing output\.\.\. \[ *\d+%\] \S+ \.\. \S+$", log, re.MULTILINE), log

    serial = site_files(example_build.outdir, outputs="executed")
    parallel = site_files(outdir, outputs="from the cache")
    assert "learn-catalog.json" in serial
    assert "searchindex.js" in serial
    assert any("learn-execution-report" in text for text in serial.values())
    assert any(name.endswith(".ipynb") for name in serial)
    difference = first_difference(serial, parallel, ("serial", "parallel"))
    if difference is not None:
        pytest.fail(f"-j 2 and serial builds differ: {difference}", pytrace=False)


# -- Incremental: tests/roots/test-incremental --------------------------------------------------

# What shows other pages' data, by the name a failure reports.
FRAGMENTS = {
    "catalog": "div.learn-catalog",
    "landing cards": "div.learn-landing",
    "path steps": "ol.learn-path-steps",
    "path navigation": "nav.learn-path-nav",
    "tutorial header": "aside.learn-tutorial-header",
    "sidebar": "nav.bd-docs-nav",
    "JSON-LD": 'script[type="application/ld+json"]',
    "revision sheet": "div.learn-revision-sheet",
    "key points box": "aside.learn-key-points",
    "glossary tooltips": ".learn-term",
}


def shown(outdir: Path, docnames: set[str]) -> dict[str, str]:
    """Each fragment of each page of ``docnames`` (pretty-printed, empty when the page
    has none), and ``learn-catalog.json`` (re-indented, one value a line)."""
    found: dict[str, str] = {}
    for doc in sorted(docnames):
        soup = BeautifulSoup((outdir / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
        for name, selector in FRAGMENTS.items():
            found[f"{doc}.html: {name}"] = "\n".join(f.prettify() for f in soup.select(selector))
    catalog = json.loads((outdir / "learn-catalog.json").read_text(encoding="utf-8"))
    found["learn-catalog.json"] = json.dumps(catalog, indent=1, sort_keys=True)
    return found


def html_pages(app) -> list[Path]:
    """The HTML files of a build, without the theme's static files."""
    outdir = Path(app.outdir)
    return [p for p in outdir.rglob("*.html") if p.relative_to(outdir).parts[0] != "_static"]


def warned_about(app, docnames: set[str]) -> list[str]:
    """The build's warnings about ``docnames`` (and those about no page), sorted,
    with the source folder left out of their locations."""
    srcdir = Path(app.srcdir)
    kept = []
    for line in warnings_of(app).splitlines():
        location = line.split(": WARNING: ", 1)[0] if ": WARNING: " in line else ""
        path = Path(location.rsplit(":", 1)[0]) if location else None
        if path is not None and path.is_relative_to(srcdir):
            doc = path.relative_to(srcdir).with_suffix("").as_posix()
            if doc not in docnames:
                continue
        kept.append(line.replace(f"{srcdir}/", ""))
    return sorted(kept)


def add_a_tutorial(srcdir: Path) -> None:
    """ufuncs: on the path, in the toctree; broadcasting and the hand-picked catalog
    named it before it existed."""
    (srcdir / "tutorials/ufuncs.md").write_text(
        "---\nlearn:\n  level: beginner\n  duration: 10\n  prerequisites: [arrays]\n"
        "  summary: Compute element by element.\n  tags: [arrays]\n---\n\n"
        "# Universal functions\n\nThey work element by element.\n",
        encoding="utf-8",
    )
    edit(
        srcdir / "index.rst",
        "   tutorials/indexing\n",
        "   tutorials/indexing\n   tutorials/ufuncs\n",
    )
    edit(srcdir / "paths.md", "tutorials/indexing\n", "tutorials/indexing\ntutorials/ufuncs\n")


def change_a_tier(srcdir: Path) -> None:
    """indexing: beginner to intermediate (it leaves the beginners' catalog)."""
    edit(srcdir / "tutorials/indexing.rst", ":level: beginner", ":level: intermediate")


def delete_a_tutorial(srcdir: Path) -> None:
    """random: gone from the toctree; a path, a catalog and linalg's prerequisites
    still name it (so clean builds warn)."""
    (srcdir / "tutorials/random.rst").unlink()
    edit(srcdir / "index.rst", "   tutorials/random\n", "")


def rename_a_path_step(srcdir: Path) -> None:
    """views becomes strides; the path and the toctree follow, the hand-picked
    catalog still names views."""
    (srcdir / "tutorials/views.md").rename(srcdir / "tutorials/strides.md")
    edit(srcdir / "index.rst", "tutorials/views\n", "tutorials/strides\n")
    edit(srcdir / "paths.md", "tutorials/views\n", "tutorials/strides\n")


def change_a_title(srcdir: Path) -> None:
    """arrays gets a new title: cards, path steps and path navigation show it."""
    edit(srcdir / "tutorials/arrays.md", "# Create arrays", "# Make arrays")


def rename_the_contributor_page(srcdir: Path) -> None:
    """contributing becomes contributor-guide; the toctree and the index's landing
    follow, the start page's landing still names contributing (so its card goes)."""
    (srcdir / "contributing.md").rename(srcdir / "contributor-guide.md")
    edit(srcdir / "index.rst", "   contributing\n", "   contributor-guide\n")
    edit(srcdir / "index.rst", ":contribute: contributing", ":contribute: contributor-guide")


def change_key_points(srcdir: Path) -> None:
    """arrays gets another key point: the revision sheets show it."""
    edit(
        srcdir / "tutorials/arrays.md",
        "    - An array holds numbers of one type.\n",
        "    - An array holds numbers of one type.\n    - Its shape is a tuple.\n",
    )


def change_a_definition(srcdir: Path) -> None:
    """The glossary defines shape anew: broadcasting's tooltip shows it."""
    edit(srcdir / "glossary.md", "along each axis.", "along each axis, as a tuple.")


# Each change; the pages an incremental build reads again after it (the changed
# pages, and those that name a page added or removed); how many warnings it gives.
STEPS: list[tuple[str, Callable[[Path], None], set[str], int]] = [
    (
        "add a tutorial",
        add_a_tutorial,
        {"tutorials/ufuncs", "index", "paths", "tutorials/broadcasting", "catalog"},
        0,
    ),
    ("change a tier", change_a_tier, {"tutorials/indexing"}, 0),
    # random is still a step, in a catalog list and linalg's prerequisite.
    ("delete a tutorial", delete_a_tutorial, {"index", "paths", "catalog", "tutorials/linalg"}, 3),
    # The catalog still lists views. linalg is not read again, so its warning about
    # random is not repeated (Sphinx repeats no warning of a page it does not read).
    (
        "rename a path step",
        rename_a_path_step,
        {"tutorials/strides", "index", "paths", "catalog"},
        3,
    ),
    ("change a title", change_a_title, {"tutorials/arrays"}, 0),
    ("change key points", change_key_points, {"tutorials/arrays"}, 0),
    ("change a definition", change_a_definition, {"glossary"}, 0),
    # The start page names the page that went: it is read again, and its card goes.
    (
        "rename the contributor page",
        rename_the_contributor_page,
        {"contributor-guide", "index", "start"},
        1,
    ),
]
# Pages that do not show the tier of "change a tier". Without the theme they are not
# written again: only outdated pages are, so a missing rewrite rule shows.
UNTOUCHED_BY_TIER = {"contributing", "tutorials/linalg"}


@pytest.mark.parametrize(
    "config",
    [
        pytest.param({"html_theme": "sphinx_numpy_learn"}, id="theme"),
        # pydata-sphinx-theme changes its options while it builds, so with it every
        # build writes every page ("config changed"). Without it only outdated pages
        # are written, and a page missing from the rewrite rules stays stale.
        pytest.param(
            {"html_theme": "alabaster", "learn_recommended_defaults": False}, id="alabaster"
        ),
    ],
)
def test_incremental_builds_equal_clean_builds(root_app, make_app, tmp_path, config):
    first = root_app("incremental", confoverrides=config)
    srcdir = first.srcdir
    first.build()
    first.cleanup()
    everything = set(first.env.found_docs)
    removed: set[str] = set()

    for step, change, expected_read, warning_count in STEPS:
        change(srcdir)
        app = root_app.again(srcdir, confoverrides=config)
        read, written = read_docs(app), written_docs(app)
        app.build()
        app.cleanup()
        clean_src = tmp_path / f"clean-{step.replace(' ', '-')}"
        shutil.copytree(srcdir, clean_src, ignore=shutil.ignore_patterns("_build"))
        clean = make_app("html", srcdir=clean_src, confoverrides=config)
        clean.build()
        clean.cleanup()

        docs = set(clean.env.found_docs)
        removed |= everything - docs
        everything |= docs

        # What it warns about is what a clean build warns about the pages it read.
        warned = warned_about(app, everything)
        assert warned == warned_about(clean, set(read)), (
            f"after {step!r}, the incremental build warns differently"
        )
        assert len(warned) == warning_count, warned

        # Sphinx leaves the pages of removed documents in place; compare the others.
        pages = {p.relative_to(app.outdir).with_suffix("").as_posix() for p in html_pages(app)}
        assert pages - docs <= removed | {"genindex", "search"}, pages - docs
        difference = first_difference(
            shown(clean.outdir, docs), shown(app.outdir, docs), ("clean", "incremental")
        )
        if difference is not None:
            pytest.fail(f"after {step!r}: {difference}", pytrace=False)

        # Incremental, not a full build in disguise.
        assert set(read) == expected_read, f"after {step!r}"
        if step == "change a tier" and config["html_theme"] == "alabaster":
            assert not UNTOUCHED_BY_TIER & set(written), written
