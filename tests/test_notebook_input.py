"""Notebook input that must build (or be reported with its file, line and cell) and never
end in a traceback: notebooks saved in older formats (nbformat 3 with worksheets, 4.0 to
4.4), notebooks whose structure breaks nbformat's schema, error text full of terminal
control sequences, a kernel that starts but never answers, and declared inputs behind
symbolic links. The build and ``check`` must agree on each."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from xml.dom import minidom

import nbformat
import pytest

from tests.conftest import assert_warnings_exactly, soup_of, warnings_of
from tests.test_broken_notebooks import report_rows
from tests.test_check import run_check
from tests.test_execution import built_once, executed, records

# Control characters but tab and newline: what a terminal or an XML parser acts on.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
OLDER_FORMATS = ["legacy", "minor-4-0", "minor-4-4"]
DELETE = object()  # a key _notebook_json removes


# -- Older formats and broken structure: the build -----------------------------------------


@pytest.fixture(scope="module")
def formats(rootdir, tmp_path_factory):
    return built_once(rootdir, tmp_path_factory, "notebook-formats")


def test_older_formats_execute_like_any_other_notebook(formats):
    assert formats.statuscode == 0
    assert executed(formats) == OLDER_FORMATS
    runs = records(formats)
    assert {name: runs[name]["status"] for name in OLDER_FORMATS} == dict.fromkeys(
        OLDER_FORMATS, "ok"
    )
    # The declared input of the nbformat 3 notebook (in its metadata) was read.
    assert runs["legacy"]["inputs"] == ["data/numbers.csv"]
    outputs = [div.get_text() for div in soup_of(formats, "legacy").select("div.cell_output")]
    assert [text.strip() for text in outputs] == ["42", "600"]
    assert soup_of(formats, "legacy").select_one("h1").get_text().startswith("A notebook from")
    rows = report_rows(formats)
    for title in ("A notebook from IPython 2", "A notebook in nbformat 4.0"):
        assert rows[title].startswith("Succeeded |"), rows


def test_older_formats_download_as_current_notebooks(formats):
    folder = formats.outdir / "_notebooks"
    notebook = nbformat.read(folder / "legacy.ipynb", as_version=nbformat.NO_CONVERT)
    nbformat.validate(notebook)
    assert (notebook.nbformat, notebook.nbformat_minor) == (4, 5)
    assert [cell.cell_type for cell in notebook.cells] == ["markdown", "markdown", "code", "code"]
    assert notebook.cells[0].source == "# A notebook from IPython 2"
    # Numbered ids: nbformat makes random ones when it upgrades, which would write
    # a different file on every build.
    assert [cell.id for cell in notebook.cells] == ["cell-1", "cell-2", "cell-3", "cell-4"]
    assert notebook.cells[2].outputs[0]["text"] == "42\n"
    assert notebook.cells[3].outputs[0]["data"]["text/plain"] == "600"
    with zipfile.ZipFile(folder / "legacy.zip") as archive:
        assert sorted(archive.namelist()) == ["data/numbers.csv", "legacy.ipynb"]
    for name in ("minor-4-0", "minor-4-4"):
        nbformat.validate(nbformat.read(folder / f"{name}.ipynb", as_version=4))


def test_a_broken_structure_is_named_with_file_line_and_cell(formats):
    src = formats.srcdir
    assert_warnings_exactly(
        formats,
        [
            (
                f"{src / 'source-not-text.ipynb'}:18: ",
                "notebook source-not-text cannot be read: cell 2: 'source[0]' must be text, "
                "not a number",
                "learn.execution",
            ),
            (
                f"{src / 'outputs-not-list.ipynb'}:30: ",
                "notebook outputs-not-list cannot be read: cell 3: 'outputs' must be a list, "
                "not a mapping",
                "learn.execution",
            ),
        ],
    )
    rows = report_rows(formats)
    assert rows["source-not-text.ipynb"].startswith(
        "Failed : cannot be read: cell 2: 'source[0]' must be text, not a number |"
    )
    shown = soup_of(formats, "outputs-not-list").select_one("div.admonition.error").get_text()
    assert "cell 3: 'outputs' must be a list, not a mapping" in shown


def test_the_next_build_takes_older_formats_from_the_cache(formats, make_app):
    folder = formats.outdir / "_notebooks"
    before = {name: (folder / f"{name}.ipynb").read_bytes() for name in OLDER_FORMATS}
    for name in OLDER_FORMATS:
        (formats.srcdir / f"{name}.ipynb").touch()  # read again, same code
    app = make_app("html", srcdir=formats.srcdir)
    app.build()
    assert executed(app) == []
    status = app.status.getvalue()
    for name in OLDER_FORMATS:
        assert re.search(rf"{name}\s+ok\s+\d+\.\d s\s+from cache", status), status
        assert (folder / f"{name}.ipynb").read_bytes() == before[name], name


def _notebook_json(**changes) -> dict:
    notebook = {
        "cells": [
            {"cell_type": "markdown", "id": "a", "metadata": {}, "source": "# Title"},
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "b",
                "metadata": {},
                "outputs": [],
                "source": "x = 1",
            },
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    for path, value in changes.items():
        *parents, key = path.split("__")
        target = notebook
        for part in parents:
            target = target[int(part) if part.isdigit() else part]
        if value is DELETE:
            del target[key]
        else:
            target[key] = value
    return notebook


# What the schema says is wrong, in one line: (JSON changes, line, cell, message).
BROKEN = {
    "cell-metadata": ({"cells__1__metadata": []}, 2, "'metadata' must be a mapping, not a list"),
    "cell-tags": (
        {"cells__1__metadata": {"tags": 3}},
        2,
        "'metadata.tags' must be a list, not a number",
    ),
    "no-cell-type": ({"cells__1__cell_type": DELETE}, 2, "the cell has no 'cell_type'"),
    "unknown-cell-type": (
        {"cells__1__cell_type": "kode"},
        2,
        "the cell has an unknown 'cell_type': 'kode'",
    ),
    "output-text": (
        {"cells__1__outputs": [{"output_type": "stream", "name": "stdout", "text": 3}]},
        2,
        "'outputs[0].text' must be text or a list, not a number",
    ),
    "kernelspec": (
        {"metadata__kernelspec": "python3"},
        None,
        "'metadata.kernelspec' must be a mapping, not text",
    ),
    "no-nbformat": ({"nbformat": DELETE}, None, "it has no 'nbformat' version"),
    "cells": ({"cells": {}}, None, "'cells' must be a list, not a mapping"),
    "too-new": (
        {"nbformat_minor": 6},
        None,
        "its format, nbformat 4.6, is newer than the installed nbformat",
    ),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_each_schema_violation_is_one_line_in_the_build(make_app, tmp_path, name):
    changes, cell, message = BROKEN[name]
    (tmp_path / "conf.py").write_text('extensions = ["sphinx_numpy_learn"]\n')
    (tmp_path / "index.md").write_text("# Index\n\n```{toctree}\nbroken\n```\n")
    (tmp_path / "broken.ipynb").write_text(json.dumps(_notebook_json(**changes), indent=1))
    app = make_app("html", srcdir=tmp_path, confoverrides={"learn_execution_strict": False})
    app.build()
    warnings = warnings_of(app)
    where = f"cell {cell}: " if cell else ""
    assert f"notebook broken cannot be read: {where}{message}" in warnings, warnings
    assert "Traceback" not in warnings + app.status.getvalue()
    assert records(app)["broken"]["status"] == "failed"


# -- Older formats and broken structure: check ------------------------------------------------


def test_check_reads_older_formats_and_names_broken_cells(capsys, rootdir):
    status, out, err = run_check(
        capsys, str(rootdir / "test-notebook-formats"), "--format", "json"
    )
    assert status == 2
    assert "Traceback" not in out + err
    report = json.loads(out)
    # The nbformat 3 notebook is read, its cells numbered and placed in the file.
    (stored,) = report["findings"]
    assert stored["path"].endswith("/legacy.ipynb")
    assert (stored["rule"], stored["line"], stored["cell"]) == ("LRN106", 38, 3)
    assert "2 code cells have stored outputs" in stored["message"]
    errors = {item["path"].rsplit("/", 1)[1]: item for item in report["input_errors"]}
    assert set(errors) == {"source-not-text.ipynb", "outputs-not-list.ipynb"}
    broken = errors["source-not-text.ipynb"]
    assert (broken["line"], broken["cell"]) == (18, 2)
    assert broken["message"] == "not a valid notebook: 'source[0]' must be text, not a number"
    outputs = errors["outputs-not-list.ipynb"]
    assert (outputs["line"], outputs["cell"]) == (30, 3)


@pytest.mark.parametrize("name", list(BROKEN))
def test_each_schema_violation_is_one_line_in_check(capsys, tmp_path, rootdir, name):
    changes, cell, message = BROKEN[name]
    root = tmp_path / "project"
    shutil.copytree(rootdir / "test-check-good", root)
    (root / "broken.ipynb").write_text(json.dumps(_notebook_json(**changes), indent=1))
    status, out, err = run_check(capsys, str(root))
    assert status == 2
    assert "Traceback" not in out + err
    (line,) = [line for line in out.splitlines() if "broken.ipynb" in line]
    where = f"cell {cell}: " if cell else ""
    assert f": error: {where}not a valid notebook: {message}" in line


# -- Error text with terminal control sequences ------------------------------------------------


def _assert_plain(text: str, what: str, *, shows_source: bool = False) -> None:
    """No control character in ``text``, and no remains of an escape sequence (a page
    shows the cell's source, which spells the sequences as Python escapes)."""
    assert not CONTROL.search(text), (what, CONTROL.findall(text))
    for dropped in ("evil.example", "8;;", "window-title", "[1;31m", "[2J"):
        assert shows_source or dropped not in text, (what, dropped)


# How Sphinx colours its own log (a two-digit code, then its reset), which none of the
# notebook's sequences look like.
SPHINX_COLOUR = re.compile(r"\x1b\[(?:\d\d|39;49;00)m")


def test_control_sequences_in_error_text_reach_no_log_page_or_report(root_app, monkeypatch):
    # Sphinx's progress lines end in a carriage return when it colours its log (as it
    # does when CI is set): not the notebook's, and not what is tested here.
    monkeypatch.setenv("NO_COLOR", "1")
    app = root_app("untrusted-errors")
    app.build()
    warning = SPHINX_COLOUR.sub("", app.warning.getvalue())
    _assert_plain(warning, "warnings")
    shown = "notebook shout: code cell 2, line 1 failed: ValueError: raised red link  bell\\x07"
    assert shown in warning
    assert "nul\\x00 c1 del\\x7f reset end" in warning
    _assert_plain(SPHINX_COLOUR.sub("", app.status.getvalue()), "status")
    report = (app.outdir / "report.html").read_text(encoding="utf-8")
    _assert_plain(report, "report")
    # Verbatim, as in the warning: the report's error is one wrapping block of code.
    assert "ValueError: raised red link  bell\\x07 nul\\x00" in report_rows(app)["Shout"]
    page = (app.outdir / "shout.html").read_text(encoding="utf-8")
    _assert_plain(page, "page", shows_source=True)
    app.cleanup()

    # Pages whose XML must be well formed: epub's XHTML, and the XML builder's.
    epub = root_app.again(app.srcdir, "epub")
    epub.build()
    for page in ("shout", "report"):
        text = (epub.outdir / f"{page}.xhtml").read_text(encoding="utf-8")
        _assert_plain(text, f"{page}.xhtml", shows_source=True)
        minidom.parseString(text)
    epub.cleanup()
    xml = root_app.again(app.srcdir, "xml")
    xml.build()
    for page in ("shout", "report"):
        document = minidom.parse(str(xml.outdir / f"{page}.xml"))
        _assert_plain(document.documentElement.toxml(), f"{page}.xml", shows_source=True)
    # The page's outputs show each control character as an escape; none is lost.
    shout = minidom.parse(str(xml.outdir / "shout.xml"))
    outputs = [
        block.firstChild.data
        for block in shout.getElementsByTagName("literal_block")
        if "output" in block.getAttribute("classes").split()
    ]
    assert outputs[0] == "printed red link  bell\\x07 nul\\x00 c1 del\\x7f reset end\n"
    # The traceback is in the failure box, which replaced MyST-NB's output.
    (box,) = shout.getElementsByTagName("execution_traceback")
    assert box.getElementsByTagName("literal_block")[0].firstChild.data.endswith(
        "ValueError: raised red link  bell\\x07 nul\\x00 c1 del\\x7f reset end"
    )


def test_check_execute_reports_control_sequences_as_plain_text(capsys, rootdir):
    status, out, err = run_check(
        capsys, str(rootdir / "test-untrusted-errors"), "--execute", "--format", "json"
    )
    assert status == 1, err
    (finding,) = [f for f in json.loads(out)["findings"] if f["rule"] == "LRN201"]
    assert finding["message"].startswith("code cell 2, line 1 failed: ValueError: raised red link")
    _assert_plain(finding["message"] + "\n".join(finding["details"]), "finding")


# -- A kernel that starts but never answers -------------------------------------------------------


def test_a_kernel_that_never_answers_is_stopped_without_an_exit_error(rootdir, tmp_path):
    """The kernel reads its connection file and sleeps. The build waits as long as a
    cell may run (at least 10 s), names the kernel, stops it, and leaves no nbclient
    exit handler to fail when Python exits."""
    kernel = tmp_path / "jupyter" / "kernels" / "never-answers"
    kernel.mkdir(parents=True)
    never_answers = "import sys, time; open(sys.argv[1]).read(); time.sleep(600)"
    spec = {
        "argv": [sys.executable, "-c", never_answers, "{connection_file}"],
        "display_name": "Never answers",
        "language": "python",
    }
    (kernel / "kernel.json").write_text(json.dumps(spec))
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-kernel-never-answers", srcdir)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", str(srcdir), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env={**os.environ, "JUPYTER_PATH": str(tmp_path / "jupyter"), "NO_COLOR": "1"},
        check=False,
        timeout=300,
    )
    seconds = time.perf_counter() - start
    assert done.returncode == 0, done.stderr
    warning = (
        f"{srcdir / 'silent.md'}: WARNING: notebook silent: the notebook failed: the kernel "
        "'never-answers' did not start: RuntimeError: Kernel didn't respond in 10 seconds"
    )
    start = done.stderr.index(warning)
    end = done.stderr.index("[learn.execution]", start)
    # Only the warning (which ends with what the kernel wrote to stderr) may hold one.
    elsewhere = done.stderr[:start] + done.stderr[end:]
    assert "Exception ignored" not in elsewhere, done.stderr
    assert "Traceback" not in elsewhere, done.stderr
    assert re.search(r"silent\s+failed\s+\d+\.\d s", done.stdout), done.stdout
    assert seconds < 50  # 10 s to answer, 5 s to shut down; not nbclient's 60 s


def test_the_kernel_start_waits_as_long_as_a_cell_may_run():
    from sphinx_numpy_learn.notebooks.run import kernel_startup_timeout

    assert kernel_startup_timeout(3) == 10  # never less: a cold start on a busy machine
    assert kernel_startup_timeout(120) == 120
    assert kernel_startup_timeout(-1) == 60  # no timeout: nbclient's own wait


# -- Declared inputs behind symbolic links ------------------------------------------------------


def test_declared_inputs_follow_no_link_into_a_loop_or_out(root_app, tmp_path):
    # Sphinx follows the loop itself when it looks for pages: not there.
    app = root_app("execution", confoverrides={"exclude_patterns": ["_build", "data/loop"]})
    src = app.srcdir
    page = src / "read-data.md"
    page.write_text(page.read_text().replace("[data/values.csv]", '["data/**/*.csv"]'))
    (src / "data" / "loop").symlink_to("..")  # every folder again, without end
    (src / "data" / "alias.csv").symlink_to("values.csv")  # a file already found
    (src / "shared").mkdir()
    (src / "shared" / "more.csv").write_text("4\n")
    (src / "data" / "more.csv").symlink_to("../shared/more.csv")  # inside: comes once
    (tmp_path / "secret.csv").write_text("secret\n")
    (src / "data" / "secret.csv").symlink_to(tmp_path / "secret.csv")  # outside: left out
    app.build()
    assert_warnings_exactly(
        app,
        [
            (
                f"{page}:12: ",
                "declared input 'data/secret.csv' is a symbolic link that leads out of the "
                f"source directory (to '{tmp_path / 'secret.csv'}'); it is left out",
                "learn.execution",
            )
        ],
    )
    record = records(app)["read-data"]
    assert record["inputs"] == ["data/more.csv", "data/values.csv"]
    assert record["missing"] == ["data/secret.csv"]
    folder = app.outdir / "_notebooks"
    with zipfile.ZipFile(folder / "read-data.zip") as archive:
        assert sorted(archive.namelist()) == [
            "data/more.csv",
            "data/values.csv",
            "read-data.ipynb",
        ]
        assert archive.read("data/more.csv") == b"4\n"
    assert not (folder / "data" / "secret.csv").exists()
    assert not (folder / "data" / "loop").exists()
