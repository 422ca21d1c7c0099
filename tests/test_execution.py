"""Notebook execution: loud failures, honest caching, parallel builds, the report."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from sphinx_numpy_learn.notebooks.read import may_be_notebook
from tests.conftest import soup_of, warnings_of
from tests.typed_data import assert_typed

# What the build log shows, per notebook it executes.
EXECUTED_LINE = re.compile(r"\[learn\] \(\d+/\d+\) (\S+): ")


def executed(app) -> list[str]:
    """Docnames this build executed (from the status log)."""
    return sorted(EXECUTED_LINE.findall(app.status.getvalue()))


def records(app) -> dict:
    return app.env.domains["learn"].data["executions"]


# -- Failures ---------------------------------------------------------------------------------


def built_once(rootdir, tmp_path_factory, name: str):
    """A copy of ``tests/roots/test-NAME`` built once for a whole module (kernels are slow)."""
    import shutil
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    srcdir = tmp_path_factory.mktemp(name) / "src"
    shutil.copytree(rootdir / f"test-{name}", srcdir)
    app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO())
    app.build()
    app.cleanup()  # reset docutils' registries now; the app's results stay readable
    return app


@pytest.fixture(scope="module")
def failures(rootdir, tmp_path_factory):
    """The failures root, built once in strict mode (it runs four failing kernels)."""
    return built_once(rootdir, tmp_path_factory, "execution-failures")


def test_failure_records_are_typed(failures):
    assert_typed(failures.env.domains["learn"].data)
    assert {record["status"] for record in records(failures).values()} >= {"failed", "timed out"}


def test_a_failing_cell_names_file_line_cell_exception_and_frames(failures):
    warnings = warnings_of(failures)
    lines = warnings.splitlines()
    first = next(line for line in lines if "notebook divide:" in line)
    # The failing line itself: inside the function the cell defines (its line 2).
    assert first.startswith(f"{failures.srcdir / 'divide.md'}:24: ERROR: notebook divide: ")
    assert "code cell 2, line 2 failed: ZeroDivisionError: division by zero" in first
    # The innermost frame of the cell follows, without IPython's banner.
    frames = warnings[warnings.index(first) :]
    assert frames.splitlines()[1] == "  In the cell:"
    assert "----> 2     return a / b" in frames
    assert "most recent call last" not in warnings
    assert "[learn.execution]" in frames


def failure_in(warnings: str, docname: str) -> list[str]:
    """The lines of the build's failure message for ``docname``."""
    lines = warnings.splitlines()
    first = next(i for i, line in enumerate(lines) if f"notebook {docname}:" in line)
    end = next(i for i in range(first, len(lines)) if lines[i].endswith("[learn.execution]"))
    return lines[first : end + 1]


def test_a_deep_failure_shows_the_writers_line_first(failures):
    """A cell that fails inside NumPy: the log starts at the writer's line (its file
    line, the cell's frame with IPython's arrow), then the last library frames, with
    the virtual environment's paths shortened."""
    import sys

    message = failure_in(warnings_of(failures), "load")
    line = next(
        number
        for number, text in enumerate((failures.srcdir / "load.md").read_text().splitlines(), 1)
        if text.startswith("weather = np.loadtxt(")
    )
    assert message[0].startswith(f"{failures.srcdir / 'load.md'}:{line}: ERROR: ")
    assert "code cell 1, line 9 failed: FileNotFoundError" in message[0]
    assert message[1:3] == ["  In the cell:", "      Cell In[1], line 9"]
    assert any(text.lstrip().startswith("----> 9 weather = np.loadtxt(") for text in message)
    library = message.index("  Last library frames:")
    assert library > message.index("  In the cell:")
    headers = [text for text in message[library:] if text.lstrip().startswith("File ")]
    assert 1 <= len(headers) <= 3
    assert all("<venv>/\u2026/numpy/" in header for header in headers), headers
    assert sys.prefix not in "\n".join(message)


def test_a_deep_failure_in_an_ipynb_names_cell_and_line(failures):
    message = failure_in(warnings_of(failures), "deep")
    source = (failures.srcdir / "deep.ipynb").read_text().splitlines()
    line = next(n for n, text in enumerate(source, 1) if "no-such-table.csv" in text)
    assert message[0].startswith(f"{failures.srcdir / 'deep.ipynb'}:{line}: ERROR: ")
    assert "code cell 1, line 3 failed: FileNotFoundError" in message[0]
    assert any("----> 3 table = np.loadtxt(" in text for text in message)
    assert "  Last library frames:" in message


@pytest.mark.parametrize("page", ["load", "deep"])
def test_a_failed_page_shows_a_compact_box(failures, page):
    """The failing cell's traceback becomes a box: the error, the writer's line, and
    the full traceback in a closed disclosure; no path of the build's environment."""
    import sys

    soup = soup_of(failures, page)
    (box,) = soup.select(".learn-execution-failure")
    assert "admonition" in box["class"]
    assert "error" in box["class"]
    assert "traceback" not in box["class"]
    assert box.select_one("code").get_text(" ", strip=True).startswith("FileNotFoundError:")
    assert "np.loadtxt(" in box.select_one(".learn-failing-line").get_text()
    details = box.select_one("details.learn-execution-traceback")
    assert details is not None
    assert not details.has_attr("open")
    assert details.summary.get_text() == "Full traceback"
    assert "<venv>/\u2026/numpy/" in details.pre.get_text()
    # MyST-NB's own rendering of the traceback is gone, and so are the build's paths.
    assert not soup.select(".output.traceback")
    html = (failures.outdir / f"{page}.html").read_text()
    assert sys.prefix not in html


def test_a_timeout_names_the_cell_and_the_build_goes_on(failures):
    warnings = warnings_of(failures)
    (line,) = [line for line in warnings.splitlines() if "notebook slow:" in line]
    assert line.startswith(f"{failures.srcdir / 'slow.md'}:")
    assert "code cell 2 timed out: did not finish within 1 s" in line
    # Every other page was still written, the failing ones included.
    for page in ("index", "divide", "load", "deep", "slow", "quiet", "report"):
        assert (failures.outdir / f"{page}.html").is_file()


def test_a_raises_exception_cell_that_does_not_raise_fails(failures):
    warnings = warnings_of(failures)
    (line,) = [line for line in warnings.splitlines() if "notebook quiet:" in line]
    assert "code cell 1 failed: tagged raises-exception, but it raised no exception" in line


def test_strict_failures_exit_non_zero_without_w(failures):
    assert failures.statuscode == 1
    status = failures.status.getvalue()
    assert "notebook execution summary" in status
    assert re.search(r"divide\s+failed \(code cell 2\)\s+\d+\.\d s\s+executed", status)
    assert re.search(r"slow\s+timed out \(code cell 2\)", status)
    assert "5 notebook(s) failed to execute: deep, divide, load, quiet, slow" in status
    assert "Traceback" not in warnings_of(failures)


def test_the_report_lists_failures(failures):
    table = soup_of(failures, "report").select_one("table.learn-execution-report")
    rows = {
        row.select("td")[0].get_text(strip=True): row.select("td")[1].get_text(" ", strip=True)
        for row in table.select("tbody tr")
    }
    assert rows["Divide"].startswith("Failed (code cell 2)")
    assert "ZeroDivisionError: division by zero" in rows["Divide"]
    assert rows["Slow"].startswith("Timed out (code cell 2)")
    assert rows["Quiet"].startswith("Failed (code cell 1)")


def test_the_report_wraps_errors_and_names_each_column(failures):
    table = soup_of(failures, "report").select_one("table.learn-execution-report")
    row = next(tr for tr in table.select("tbody tr") if tr.td.get_text(strip=True) == "Divide")
    # Each value names its column, for the stacked layout on phones; the title heads it.
    assert [td.get("data-label") for td in row.select("td")] == [
        None,
        "Status",
        "Run time",
        "Last successful run",
        "Outputs",
    ]
    # The error is a block of its own, after the status, never inside its paragraph
    # (no <span class="pre"> that cannot wrap).
    error = row.select_one("td:nth-of-type(2) > code.learn-execution-error")
    assert error.get_text() == "ZeroDivisionError: division by zero"
    assert not error.select("span")
    # A long error folds: its first line is the summary, the whole of it one click away.
    load = next(
        tr
        for tr in table.select("tbody tr")
        if tr.td.get_text(strip=True) == "Load the weather data"
    )
    folded = load.select_one("td:nth-of-type(2) > details.learn-execution-error")
    summary = folded.summary.get_text()
    assert summary.startswith("FileNotFoundError: ../../.cache/learn-numpy/downloads/")
    assert summary.endswith("%3Fsha%3D0b1d5f4e7c2a9e8d3f6b5a4c1e0d9f8a7b6c5d4e not found.")


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ("ValueError: <b>bad</b>", '<code class="learn-execution-error">ValueError: &lt;b&gt;'),
        (
            "E: " + "x" * 200 + "\nline 2 & <more>",
            '<details class="learn-execution-error"><summary><code>E: xxx',
        ),
    ],
)
def test_an_error_is_escaped_and_folds_when_long(error, expected):
    from docutils import nodes
    from docutils.frontend import get_default_settings
    from docutils.utils import new_document
    from docutils.writers.html5_polyglot import HTMLTranslator, Writer

    from sphinx_numpy_learn.notebooks.report import execution_error, visit_error_html

    translator = HTMLTranslator(new_document("report", get_default_settings(Writer)))
    node = execution_error("", nodes.literal("", error), error=error)
    with pytest.raises(nodes.SkipNode):
        visit_error_html(translator, node)
    html = "".join(translator.body)
    assert html.startswith(expected), html
    assert "<b>" not in html
    if "\n" in error:
        # The lines after the first are inside the disclosure, after its summary.
        assert html.endswith("</summary><code>line 2 &amp; &lt;more&gt;</code></details>")


def test_a_failed_notebook_runs_again_on_the_next_build(failures, make_app, monkeypatch):
    # Lenient now: the same failures are warnings and the exit status is 0.
    monkeypatch.delenv("CI", raising=False)
    app = make_app(
        "html", srcdir=failures.srcdir, confoverrides={"learn_execution_strict": "auto"}
    )
    (failures.srcdir / "quiet.md").write_text(
        (failures.srcdir / "quiet.md").read_text().replace("x = 1", "raise ValueError('now')"),
        encoding="utf-8",
    )
    app.build()
    # Nothing else changed: only the notebooks that failed are read and run again.
    assert executed(app) == ["deep", "divide", "load", "quiet", "slow"]
    assert app.statuscode == 0
    warnings = warnings_of(app)
    assert "WARNING: notebook divide: code cell 2, line 2 failed" in warnings
    assert "notebook quiet" not in warnings
    assert records(app)["quiet"]["status"] == "ok"


# -- Caching ------------------------------------------------------------------------------------


def test_the_cache_follows_code_and_declared_inputs_not_prose(root_app):
    app = root_app("execution")
    app.build()
    assert executed(app) == ["read-data", "shapes"]
    assert warnings_of(app) == ""
    srcdir = app.srcdir
    builds = [app]

    def rebuild():
        builds[-1].cleanup()  # one app at a time, as one sphinx-build run after another
        again = root_app.again(srcdir)
        builds.append(again)
        again.build()
        assert warnings_of(again) == ""
        return again

    # A warm rebuild executes nothing.
    assert executed(rebuild()) == []

    # A prose-only edit re-reads the page and re-uses its outputs.
    page = srcdir / "read-data.md"
    page.write_text(
        page.read_text().replace("Load three numbers", "Load a few numbers"), encoding="utf-8"
    )
    app = rebuild()
    assert executed(app) == []
    assert re.search(r"read-data\s+ok\s+\d+\.\d s\s+from cache", app.status.getvalue())

    # A changed declared input runs the notebook again, and only that one.
    (srcdir / "data" / "values.csv").write_text("1\n2\n3\n4\n", encoding="utf-8")
    app = rebuild()
    assert executed(app) == ["read-data"]
    assert "10.0" in soup_of(app, "read-data").select_one("div.output").get_text()

    # A code edit runs exactly that notebook.
    shapes = srcdir / "shapes.md"
    shapes.write_text(shapes.read_text().replace("(2, 3)", "(4, 5)"), encoding="utf-8")
    app = rebuild()
    assert executed(app) == ["shapes"]
    assert "(4, 5)" in soup_of(app, "shapes").select_one("div.output").get_text()

    # A removed notebook leaves the report (which is written again) and the records.
    shapes.unlink()
    index = srcdir / "index.md"
    index.write_text(index.read_text().replace("shapes\n", ""), encoding="utf-8")
    app = rebuild()
    assert executed(app) == []
    assert list(records(app)) == ["read-data"]
    rows = soup_of(app, "report").select("table.learn-execution-report tbody tr")
    assert [row.select_one("td").get_text(strip=True) for row in rows] == ["Read a data file"]


def test_inputs_enter_the_key_by_content(tmp_path):
    from types import SimpleNamespace

    from sphinx_numpy_learn.notebooks.read import resolve_inputs

    (tmp_path / "data").mkdir()
    data = tmp_path / "data" / "a.csv"
    data.write_text("1\n")
    app = SimpleNamespace(srcdir=tmp_path)
    found, missing, first = resolve_inputs(app, "page", ["data/*.csv"], 3)
    assert (found, missing) == (["data/a.csv"], [])
    data.touch()
    assert resolve_inputs(app, "page", ["data/*.csv"], 3)[2] == first  # same content
    data.write_text("2\n")
    assert resolve_inputs(app, "page", ["data/*.csv"], 3)[2] != first
    assert resolve_inputs(app, "page", [], None) == ([], [], "")


def test_a_missing_input_warns_until_it_appears(root_app):
    app = root_app("execution")
    page = app.srcdir / "read-data.md"
    page.write_text(page.read_text().replace("data/values.csv]", "data/later.csv]"))
    app.build()
    warning = f"{page}:12: WARNING: declared input 'data/later.csv' matches no file"
    assert warning in warnings_of(app)
    assert "[learn.execution]" in warnings_of(app)
    app.cleanup()

    # The page depends on the missing file: the next build reads it again and warns
    # again, without running the notebook (nothing it reads has changed).
    again = root_app.again(app.srcdir)
    again.build()
    assert warning in warnings_of(again)
    assert executed(again) == []
    again.cleanup()

    # Once the file exists, the notebook runs with it.
    (app.srcdir / "data" / "later.csv").write_text("1\n", encoding="utf-8")
    last = root_app.again(app.srcdir)
    last.build()
    assert warnings_of(last) == ""
    assert executed(last) == ["read-data"]


def test_invalid_execution_front_matter_is_reported():
    from sphinx_numpy_learn import metadata

    declared = metadata.Declared(
        "front-matter", {"level": "beginner", "timeout": 0, "inputs": [3]}, {"timeout": 4}
    )
    problems = [p.message for p in metadata.validate(declared).problems]
    assert any("'timeout': expected seconds between 1 and 86400, got 0" in p for p in problems)
    assert any("'inputs[0]': expected text, got 3" in p for p in problems)


# -- Parallel builds ------------------------------------------------------------------------------


def _article(app, page: str) -> str:
    article = soup_of(app, page).select_one("article")
    for badge in article.select(".learn-execution-badge"):
        badge.decompose()  # the run time differs from run to run
    return str(article)


def test_parallel_execution_gives_the_serial_output(root_app, make_app, rootdir, tmp_path):
    import shutil

    serial = root_app("execution")
    serial.build()
    serial.cleanup()
    shutil.copytree(rootdir / "test-execution", tmp_path / "parallel")
    parallel = make_app("html", srcdir=tmp_path / "parallel", parallel=2)
    parallel.build()
    assert "2 at a time" in parallel.status.getvalue()
    assert executed(parallel) == ["read-data", "shapes"]
    log = parallel.status.getvalue() + warnings_of(parallel)
    assert "locked" not in log
    assert warnings_of(parallel) == ""
    for page in ("read-data", "shapes"):
        assert _article(parallel, page) == _article(serial, page)
    assert {k: v["status"] for k, v in records(parallel).items()} == {
        "read-data": "ok",
        "shapes": "ok",
    }


# -- What pages show ----------------------------------------------------------------------------


def test_each_notebook_is_read_once_a_build(root_app, monkeypatch):
    """Before reading (to run it or find it in the cache) and for its download, the
    notebook is the one read once; a changed source is read again."""
    from sphinx_numpy_learn.notebooks import read

    reads: list[str] = []
    real = read._read_notebook

    def counting(app, docname, *args):
        reads.append(docname)
        return real(app, docname, *args)

    monkeypatch.setattr(read, "_read_notebook", counting)
    app = root_app("execution")
    app.build()
    assert warnings_of(app) == ""
    assert sorted(reads) == ["read-data", "shapes"]
    assert (app.outdir / "_notebooks" / "shapes.ipynb").is_file()
    assert (app.outdir / "_notebooks" / "read-data.ipynb").is_file()
    # The next build reads what changed again.
    reads.clear()
    shapes = app.srcdir / "shapes.md"
    shapes.write_text(shapes.read_text() + "\nOne more sentence.\n")
    app.cleanup()
    again = root_app.again(app.srcdir)
    again.build()
    assert reads == ["shapes"]


@pytest.fixture(scope="module")
def built(rootdir, tmp_path_factory):
    app = built_once(rootdir, tmp_path_factory, "execution")
    assert warnings_of(app) == ""
    return app


def test_header_badge_shows_the_run(built):
    badge = soup_of(built, "read-data").select_one(".learn-tutorial-header .learn-execution-badge")
    assert badge is not None
    assert re.fullmatch(r"Executed successfully, \d+\.\d s", badge.get_text())
    assert "learn-execution-ok" in badge["class"]


def test_report_lists_every_notebook(built):
    table = soup_of(built, "report").select_one("table.learn-execution-report")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers == ["Notebook", "Status", "Run time", "Last successful run", "Outputs"]
    rows = [[td.get_text(strip=True) for td in tr.select("td")] for tr in table.select("tbody tr")]
    assert [row[0] for row in rows] == ["Read a data file", "Shapes"]
    for row in rows:
        assert row[1] == "Succeeded"
        assert re.fullmatch(r"\d+\.\d s", row[2])
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", row[3])
        assert row[4] == "executed"
    links = [a["href"] for a in table.select("tbody a")]
    assert links == ["read-data.html", "shapes.html"]


def test_downloaded_notebook_is_valid_and_has_outputs(built):
    import zipfile

    import nbformat

    folder = built.outdir / "_notebooks"
    notebook = nbformat.read(folder / "read-data.ipynb", as_version=4)
    nbformat.validate(notebook)
    kinds = [cell.cell_type for cell in notebook.cells]
    assert kinds.count("code") == 2
    assert "markdown" in kinds
    first_code = next(c for c in notebook.cells if c.cell_type == "code")
    assert first_code.outputs[0]["text"] == "6.0\n"
    error_cell = [c for c in notebook.cells if c.cell_type == "code"][1]
    assert error_cell.outputs[0]["output_type"] == "error"
    assert "raises-exception" in error_cell.metadata["tags"]
    # Build-only metadata is gone; the kernel is named.
    assert "source_map" not in notebook.metadata
    assert "jupytext" not in notebook.metadata
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    # The source, the declared data next to it, and both in one archive.
    assert (folder / "read-data.md").read_bytes() == (built.srcdir / "read-data.md").read_bytes()
    assert (folder / "data" / "values.csv").read_text() == "1\n2\n3\n"
    with zipfile.ZipFile(folder / "read-data.zip") as archive:
        assert sorted(archive.namelist()) == ["data/values.csv", "read-data.ipynb"]
    # No inputs, no archive.
    assert (folder / "shapes.ipynb").is_file()
    assert not (folder / "shapes.zip").exists()


def test_notebook_pages_offer_downloads_and_launch_links(built):
    from urllib.parse import parse_qs, urlsplit

    buttons = soup_of(built, "read-data").select_one(".learn-notebook-buttons")
    assert buttons is not None
    downloads = {a.get_text(strip=True): a for a in buttons.select("details")[0].select("a")}
    assert downloads["Notebook (.ipynb)"]["href"] == "_notebooks/read-data.ipynb"
    assert downloads["Notebook (.ipynb)"]["download"] == "read-data.ipynb"
    assert downloads["Source (.md)"]["href"] == "_notebooks/read-data.md"
    assert downloads["Notebook and data (.zip)"]["href"] == "_notebooks/read-data.zip"
    launch = {a["class"][0]: a for a in buttons.select("details")[1].select("a")}
    binder = urlsplit(launch["learn-launch-binder"]["href"])
    assert (binder.netloc, binder.path) == (
        "mybinder.org",
        "/v2/gh/example-org/example-tutorials/notebooks",
    )
    assert parse_qs(binder.query) == {"labpath": ["content/read-data.ipynb"]}
    colab = launch["learn-launch-colab"]["href"]
    assert colab == (
        "https://colab.research.google.com/github/example-org/example-tutorials/blob/"
        "notebooks/content/read-data.ipynb"
    )
    hub = urlsplit(launch["learn-launch-jupyterhub"]["href"])
    assert hub.path == "/hub/user-redirect/git-pull"
    assert parse_qs(hub.query) == {
        "repo": ["https://github.com/example-org/example-tutorials"],
        "branch": ["notebooks"],
        "urlpath": ["lab/tree/example-tutorials/content/read-data.ipynb"],
    }
    assert launch["learn-launch-jupyterlite"]["href"] == (
        "lite/lab/index.html?path=read-data.ipynb"
    )
    custom = launch["learn-launch-custom-1"]
    assert custom.get_text() == "<b>Deepnote</b>"  # escaped, shown as text
    assert custom.find("b") is None
    assert custom["href"] == (
        "https://deepnote.example/launch?url=https://github.com/example-org/"
        "example-tutorials/blob/notebooks/content/read-data.ipynb"
    )
    for link in launch.values():
        assert link["target"] == "_blank"
        assert "noopener" in link["rel"]
    # Pages that are not notebooks have no buttons.
    assert soup_of(built, "report").select_one(".learn-notebook-buttons") is None


def test_text_builder_writes_the_report(built, make_app):
    app = make_app("text", srcdir=built.srcdir)
    app.build()
    assert executed(app) == []  # from the cache
    text = (app.outdir / "report.txt").read_text()
    assert "Succeeded" in text
    assert "Read a data file" in text
    assert not (app.outdir / "_notebooks").exists()  # downloads are for HTML only


def test_component_works_on_plain_pydata_sphinx_theme(built, make_app, tmp_path):
    app = make_app(
        "html",
        srcdir=built.srcdir,
        builddir=tmp_path / "pst",
        confoverrides={
            "html_theme": "pydata_sphinx_theme",
            "html_theme_options": {"article_header_end": ["learn-notebook-buttons"]},
        },
    )
    app.build()
    header_end = soup_of(app, "shapes").select_one(".header-article-items__end")
    buttons = header_end.select_one(".learn-notebook-buttons")
    assert buttons is not None
    assert buttons.select_one("a[download]")["href"] == "_notebooks/shapes.ipynb"


def test_other_execution_modes_stay_myst_nb_s(root_app):
    app = root_app("execution", confoverrides={"nb_execution_mode": "off"})
    app.build()
    assert executed(app) == []
    assert records(app)["shapes"]["status"] == "not executed"
    assert soup_of(app, "shapes").select_one(".learn-execution-badge") is None
    row = soup_of(app, "report").select("table.learn-execution-report tbody tr")[1]
    assert "Not executed" in row.get_text()


def mystnb_accepts(mode: str) -> bool:
    from myst_nb.core.config import NbParserConfig

    try:
        NbParserConfig(execution_mode=mode)
    except Exception:
        return False
    return True


MODES = [
    "cache",
    "force",
    "auto",
    "inline",
    # MyST-NB's newest mode ("execute notebooks without any output"), not in every release.
    pytest.param(
        "lazy",
        marks=pytest.mark.skipif(
            not mystnb_accepts("lazy"), reason="this MyST-NB has no 'lazy' mode"
        ),
    ),
]


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "lenient"])
@pytest.mark.parametrize("mode", MODES)
def test_a_failing_cell_in_every_execution_mode(root_app, mode, strict):
    """Whatever MyST-NB's mode: the same ``learn.execution`` error or warning at the
    failing line, the same summary and exit status as ``cache`` mode, every other page
    written, and never MyST-NB's ExecutionError (our recommended raise used to meet it)."""
    app = root_app(
        "execution-modes",
        confoverrides={"nb_execution_mode": mode, "learn_execution_strict": strict},
    )
    app.build()
    warnings, status = warnings_of(app), app.status.getvalue()
    level = "ERROR" if strict else "WARNING"
    (failure,) = [line for line in warnings.splitlines() if "notebook anomalies:" in line]
    assert failure.startswith(f"{app.srcdir / 'anomalies.md'}:23: {level}: notebook anomalies: ")
    assert "code cell 2, line 1 failed: FileNotFoundError" in failure
    assert warnings.count("[learn.execution]") == 1
    assert "Traceback" not in warnings + status
    assert "core.execute.base.ExecutionError" not in warnings + status
    for page in ("index", "anomalies", "works"):
        assert (app.outdir / f"{page}.html").is_file(), page
    assert soup_of(app, "anomalies").select_one(".learn-execution-failure") is not None
    assert re.search(r"anomalies\s+failed \(code cell 2\)", status), status
    assert app.statuscode == (1 if strict else 0)
    assert records(app)["anomalies"]["line"] == 23
    assert_typed(app.env.domains["learn"].data)


@pytest.mark.parametrize(
    ("mode", "outputs", "runs"),
    [
        ("cache", "none", True),
        ("force", "all", True),
        ("auto", "some", True),
        ("auto", "all", False),
        ("lazy", "none", True),
        ("lazy", "some", False),
        ("inline", "none", False),
        ("off", "none", False),
    ],
)
def test_which_notebooks_run_before_reading(mode, outputs, runs):
    import nbformat

    from sphinx_numpy_learn.notebooks.read import runs_before_reading

    notebook = nbformat.v4.new_notebook()
    for number in range(2):
        cell = nbformat.v4.new_code_cell(f"x = {number}")
        if outputs == "all" or (outputs == "some" and number == 0):
            cell.outputs = [nbformat.v4.new_output("stream", text="x")]
        notebook.cells.append(cell)
    assert runs_before_reading(mode, notebook) is runs


IPYTHON_FRAMES = [
    "\x1b[31m-----------------------------------------------------------------\x1b[39m",
    "\x1b[31mFileNotFoundError\x1b[39m                 Traceback (most recent call last)",
    "\x1b[36mCell\x1b[39m In[2], line 3\n      1 import numpy as np\n      2 \n"
    '\x1b[32m----> 3\x1b[39m data = np.loadtxt("x.csv")\n',
    "File {site}/numpy/lib/_npyio_impl.py:1384, in loadtxt(fname)\n   1383 a = 1\n"
    "-> 1384 arr = _read(fname)\n   1385 b = 2\n",
    "File {site}/numpy/lib/_npyio_impl.py:1011, in _read(fname)\n-> 1011 fh = open(fname)\n",
    "File {site}/numpy/lib/_datasource.py:192, in open(path)\n--> 192 return ds.open(path)\n",
    "File {site}/numpy/lib/_datasource.py:529, in DataSource.open(self, path)\n"
    '--> 529 raise FileNotFoundError(f"{{path}} not found.")\n',
    "\x1b[31mFileNotFoundError\x1b[39m: {home}/data/x.csv not found.",
]


def test_an_error_output_is_read_from_the_writers_side():
    import sysconfig

    from sphinx_numpy_learn.notebooks.failures import read_error_output

    site = sysconfig.get_paths()["purelib"]
    home = str(Path.home())
    output = {
        "output_type": "error",
        "ename": "FileNotFoundError",
        "evalue": f"{home}/data/x.csv not found.",
        "traceback": [frame.format(site=site, home=home) for frame in IPYTHON_FRAMES],
    }
    error = read_error_output(output)
    assert error.summary == "FileNotFoundError: ~/data/x.csv not found."
    assert (error.cell_line, error.code) == (3, 'data = np.loadtxt("x.csv")')
    # The cell's frame whole, then the last three library frames, each as where + line.
    assert error.frames[0].startswith("Cell In[2], line 3")
    assert len(error.frames) == 4
    assert error.frames[1] == (
        "File <venv>/\u2026/numpy/lib/_npyio_impl.py:1011, in _read(fname)\n"
        "-> 1011 fh = open(fname)"
    )
    assert "\x1b" not in "".join(error.frames) + error.traceback
    assert site not in error.traceback
    assert "1383 a = 1" in error.traceback


def test_paths_are_shortened_only_at_a_boundary(monkeypatch):
    from sphinx_numpy_learn.notebooks import failures

    monkeypatch.setattr(
        failures,
        "_prefixes",
        lambda: (
            ("/venv/lib/python3.12/site-packages", "<venv>/\u2026"),
            ("/venv", "<venv>"),
            ("/home/ada", "~"),
        ),
    )
    text = (
        "File /venv/lib/python3.12/site-packages/numpy/a.py:1 /venv/bin/python "
        "/home/ada/x.csv /home/adam/y.csv /venvs/z"
    )
    assert failures.shorten_paths(text) == (
        "File <venv>/\u2026/numpy/a.py:1 <venv>/bin/python ~/x.csv /home/adam/y.csv /venvs/z"
    )


def test_the_failing_line_is_placed_after_the_cell_options():
    import nbformat

    from sphinx_numpy_learn.notebooks.failures import cell_source_starts, failing_file_line

    text = (
        "---\nkernelspec:\n  name: python3\n---\n\n# T\n\n"  # lines 1-7
        "```{code-cell} ipython3\n---\ntags: [x]\n---\nimport numpy\n\nnumpy.zeros(-1)\n```\n"
    )
    notebook = nbformat.v4.new_notebook(metadata={"source_map": [5, 8]})
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# T"),
        nbformat.v4.new_code_cell("import numpy\n\nnumpy.zeros(-1)"),
    ]
    starts = cell_source_starts(notebook, text, ".md")
    assert starts[1] == 12
    assert failing_file_line(starts, text, ".md", 1, 3) == 14
    assert text.splitlines()[14 - 1] == "numpy.zeros(-1)"
    assert failing_file_line(starts, text, ".md", 1, None) == 12


def test_execution_settings_alone_make_no_tutorial(built):
    # shapes.md declares only `learn: timeout`, which says how it runs.
    assert soup_of(built, "shapes").select_one(".learn-tutorial-header") is None
    assert "shapes" not in built.env.domains["learn"].tutorials


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("learn_execution_strict", "yes", "not accepted"),
        ("learn_launch", ["binder"], "not a dict"),
    ],
)
def test_bad_execution_and_launch_settings_are_reported(root_app, name, value, problem):
    app = root_app("basic", confoverrides={name: value})
    warnings = warnings_of(app)
    assert f"invalid value {value!r} for {name!r} ({problem}" in warnings
    assert "[learn.config]" in warnings
    assert app.config[name] == ("auto" if name == "learn_execution_strict" else {})


GOOD_LAUNCH = {
    "repository": "https://github.com/o/r",
    "binder": "https://mybinder.org",
    "colab": True,
    "custom": [{"label": "Open on GitHub", "url": "{repository_url}/blob/{branch}/{path}"}],
}


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        ({"jupyterhub": "javascript:alert(1)"}, "'jupyterhub' is not an http(s) address"),
        ({"jupyterlite": "data:text/html,x"}, "'jupyterlite' is neither"),
        ({"binderhub": "https://mybinder.org"}, "unknown key 'binderhub'"),
        ({"branch": 3}, "'branch' is not a string"),
        (
            {"custom": [{"label": "X"}]},
            "each 'custom' entry must be a dict with exactly 'label' and 'url'",
        ),
        (
            {"custom": [{"label": "X", "url": "https://x.example/{secret}"}]},
            "unknown placeholder(s) 'secret'",
        ),
        (
            {"custom": [{"label": "X", "url": "{path}"}]},
            "the 'custom' URL '{path}' does not give an http(s) address",
        ),
        (
            {"custom": [{"label": "X", "url": "javascript:{path}"}]},
            "the 'custom' URL 'javascript:{path}' does not give an http(s) address",
        ),
        (
            {"custom": [{"label": "X", "url": "https://x.example/{path:>9}"}]},
            "the 'custom' URL 'https://x.example/{path:>9}' formats a placeholder",
        ),
    ],
)
def test_a_bad_launch_entry_is_left_out_alone(root_app, bad, problem):
    """One typo in ``learn_launch`` must not take the Binder and Colab links with it."""
    value = copy.deepcopy(GOOD_LAUNCH)
    for key, item in bad.items():
        if key == "custom":
            value["custom"] = [*value["custom"], *item]
        else:
            value[key] = item
    app = root_app("basic", confoverrides={"learn_launch": value})
    warnings = warnings_of(app)
    assert f"invalid entry in 'learn_launch' ({problem}" in warnings, warnings
    assert warnings.count("[learn.config]") == 1, warnings
    assert app.config.learn_launch == GOOD_LAUNCH
    from sphinx_numpy_learn.notebooks.launch import launch_links, launch_settings

    links = launch_links(launch_settings(app.config), "intro/page")
    assert [link["key"] for link in links] == ["binder", "colab", "custom-1"]
    assert links[2]["url"] == "https://github.com/o/r/blob/main/intro/page.ipynb"


def test_repository_placeholder_without_repository(root_app):
    custom = [
        {"label": "Open on GitHub", "url": "{repository_url}/blob/{branch}/{path}"},
        {"label": "Open online", "url": "https://open.example/?nb={docname}"},
    ]
    app = root_app("basic", confoverrides={"learn_launch": {"custom": custom}})
    warnings = warnings_of(app)
    assert "the learn_launch link 'Open on GitHub' uses {repository_url}" in warnings
    assert "[learn.launch]" in warnings
    from sphinx_numpy_learn.notebooks.launch import launch_links, launch_settings

    links = launch_links(launch_settings(app.config), "page")
    assert [link["url"] for link in links] == ["https://open.example/?nb=page"]


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            {"repository": "https://gitlab.com/group/sub/project", "binder": "https://b.example"},
            "https://b.example/v2/gl/group%2Fsub%2Fproject/main?labpath=intro%2Fpage.ipynb",
        ),
        (
            {"repository": "https://git.example/p.git", "binder": "https://b.example/"},
            "https://b.example/v2/git/https%3A%2F%2Fgit.example%2Fp.git/main"
            "?labpath=intro%2Fpage.ipynb",
        ),
        (
            {
                "repository": "https://github.com/o/r",
                "branch": "feature/new notebooks",
                "binder": "https://mybinder.org",
            },
            "https://mybinder.org/v2/gh/o/r/feature%2Fnew%20notebooks?labpath=intro%2Fpage.ipynb",
        ),
    ],
)
def test_launch_urls_quote_every_part(settings, expected):
    from sphinx_numpy_learn.notebooks.launch import launch_links

    (link,) = launch_links(settings, "intro/page")
    assert link["url"] == expected


def test_colab_needs_github(root_app):
    app = root_app(
        "basic",
        confoverrides={"learn_launch": {"repository": "https://gitlab.com/a/b", "colab": True}},
    )
    assert "Google Colab opens notebooks from GitHub only" in warnings_of(app)
    from sphinx_numpy_learn.notebooks.launch import launch_links, launch_settings

    assert launch_links(launch_settings(app.config), "page") == []


@pytest.mark.parametrize(
    ("setting", "ci", "expected"),
    [
        ("auto", None, False),
        ("auto", "true", True),
        ("auto", "1", True),
        ("auto", "false", False),
        ("auto", "", False),
        (True, None, True),
        (False, "true", False),
    ],
)
def test_strictness_follows_the_setting_and_ci(monkeypatch, setting, ci, expected):
    from types import SimpleNamespace

    from sphinx_numpy_learn.notebooks.run import strict

    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    app = SimpleNamespace(config=SimpleNamespace(learn_execution_strict=setting))
    assert strict(app) is expected


def test_execution_can_be_left_to_myst_nb(root_app):
    app = root_app("execution", confoverrides={"learn_execution": False})
    app.build()
    assert executed(app) == []
    assert app.status.getvalue().count("Executing notebook") == 2  # MyST-NB ran them
    assert {k: v["status"] for k, v in records(app).items()} == {
        "read-data": "ok",
        "shapes": "ok",
    }
    assert soup_of(app, "read-data").select_one(".learn-execution-ok") is not None


@pytest.mark.parametrize(
    ("path", "text", "notebook"),
    [
        # MyST-NB's two markers of a text notebook, and files that are always notebooks.
        ("a.md", "---\njupytext:\n  text_representation:\n    format_name: myst\n---\n", True),
        ("a.md", "---\nfile_format: mystnb\n---\n\n# A\n", True),
        ("a.ipynb", "{}", True),
        ("a.mystnb", "# no front matter", True),
        # Plain pages are skipped without parsing: no front matter, other keys only,
        # or a marker word that appears only after the front matter ends.
        ("a.md", "# A page\n\njupytext\n", False),
        ("a.md", "---\nlearn:\n  level: beginner\n---\n\n# A\n", False),
        ("a.md", "---\nlearn: {}\n---\n\nfile_format: mystnb\n", False),
        ("a.md", "---", False),
    ],
)
def test_only_possible_notebooks_are_opened_before_reading(path, text, notebook):
    nb_config = SimpleNamespace(custom_formats={".mystnb": ("reader", {}, False)})
    assert may_be_notebook(path, text, nb_config) is notebook
