"""Broken notebooks: invalid JSON, unreadable cell options, no kernelspec, a cell that
kills its kernel, an endless loop. Each is named with its file (and line, and cell) in
a ``learn.execution`` warning, never a traceback; every other page still builds, the
execution report lists each one with its reason, strict execution exits non-zero
after writing everything, and the next build after a fix recovers.

Failing cells, timeouts named by cell and ``raises-exception`` are tested in
``test_execution.py``; this module covers notebooks that break the reader or the
kernel itself.
"""

from __future__ import annotations

import json
import re
import time

import pytest

from tests.conftest import assert_warnings_exactly, soup_of, warnings_of
from tests.test_execution import built_once, executed, records
from tests.typed_data import assert_typed

PAGES = [
    "index",
    "good",
    "invalid-json",
    "no-kernel",
    "no-kernel-myst",
    "bad-cell-options",
    "dies",
    "endless",
    "report",
]
NO_KERNEL = "names no kernel (its metadata has no 'kernelspec'), so it runs on the default"


def expected_warnings(app) -> list[tuple[str, str, str]]:
    """``(location, text, type)`` of every warning the broken root gives."""
    src = app.srcdir
    return [
        (
            f"{src / 'invalid-json.ipynb'}:6: ",
            "notebook invalid-json cannot be read: it is not valid JSON (Expecting ',' "
            "delimiter at line 6, column 2)",
            "learn.execution",
        ),
        (
            f"{src / 'bad-cell-options.md'}:14: ",
            "notebook bad-cell-options cannot be read: MystMetadataParsingError: Code cell 1 "
            "at line 14 could not be read: Invalid options format (bad YAML)",
            "learn.execution",
        ),
        (f"{src / 'no-kernel.ipynb'}: ", f"notebook no-kernel {NO_KERNEL}", "learn.execution"),
        (
            f"{src / 'no-kernel-myst.md'}:1: ",
            f"notebook no-kernel-myst {NO_KERNEL}",
            "learn.execution",
        ),
        (
            f"{src / 'dies.md'}:23: ",
            "notebook dies: code cell 2 kernel died: the kernel died while running this cell",
            "learn.execution",
        ),
        (
            f"{src / 'endless.md'}:17: ",
            "notebook endless: code cell 1 timed out: did not finish within 3 s",
            "learn.execution",
        ),
    ]


@pytest.fixture(scope="module")
def broken(rootdir, tmp_path_factory):
    """The broken root, built once, lenient (its kernels die and time out)."""
    start = time.perf_counter()
    app = built_once(rootdir, tmp_path_factory, "broken-notebooks")
    app.seconds = time.perf_counter() - start
    return app


def report_rows(app) -> dict[str, str]:
    table = soup_of(app, "report").select_one("table.learn-execution-report")
    return {
        row.select("td")[0].get_text(strip=True): " | ".join(
            td.get_text(" ", strip=True) for td in row.select("td")[1:]
        )
        for row in table.select("tbody tr")
    }


def test_each_broken_notebook_is_named_with_its_file_and_line(broken):
    assert broken.statuscode == 0
    assert_warnings_exactly(broken, expected_warnings(broken))
    # The reader's errors never reach Sphinx: no traceback, no crash report.
    log = broken.status.getvalue() + warnings_of(broken)
    assert "Traceback" not in log
    assert "Exception occurred" not in log


def test_every_other_page_still_builds(broken):
    for page in PAGES:
        assert (broken.outdir / f"{page}.html").is_file(), page
    good = soup_of(broken, "good")
    assert "42" in good.select_one("div.cell_output").get_text()
    cards = [li["data-learn-doc"] for li in soup_of(broken, "index").select("li.learn-card")]
    assert sorted(cards) == ["dies", "endless", "good", "no-kernel", "no-kernel-myst"]
    catalog = json.loads((broken.outdir / "learn-catalog.json").read_text(encoding="utf-8"))
    assert sorted(t["docname"] for t in catalog["tutorials"]) == sorted(cards)


def test_the_records_of_broken_notebooks_are_typed(broken):
    assert_typed(broken.env.domains["learn"].data)
    # Records of each kind: never run (unreadable), died, timed out, ran.
    statuses = {(r["source"], r["status"]) for r in records(broken).values()}
    assert {("not run", "failed"), ("executed", "kernel died")} <= statuses
    assert {("executed", "timed out"), ("executed", "ok")} <= statuses


def test_an_unreadable_notebook_gets_a_page_that_names_the_file_and_the_error(broken):
    for page, name, error in (
        ("invalid-json", "invalid-json.ipynb", "it is not valid JSON (Expecting ',' delimiter"),
        ("bad-cell-options", "bad-cell-options.md", "Invalid options format (bad YAML)"),
    ):
        soup = soup_of(broken, page)
        assert soup.select_one("h1").get_text(strip=True).rstrip("¶") == name
        shown = soup.select_one("div.admonition.error").get_text(" ", strip=True)
        assert f"notebook {page} cannot be read:" in shown
        assert error in shown
        # The table of contents names it by its file.
        toc = soup_of(broken, "index").select("div.toctree-wrapper a")
        assert name in [a.get_text(strip=True) for a in toc]
        # Nothing to download or launch: there is no notebook.
        assert not (broken.outdir / "_notebooks" / f"{page}.ipynb").exists()


def test_the_report_lists_each_broken_notebook_with_its_reason(broken):
    rows = report_rows(broken)
    assert rows["Good"].startswith("Succeeded |")
    assert rows["invalid-json.ipynb"].startswith(
        "Failed : cannot be read: it is not valid JSON (Expecting ',' delimiter at line 6"
    )
    assert rows["invalid-json.ipynb"].endswith("| never | none")
    assert rows["bad-cell-options.md"].startswith("Failed : cannot be read: Mys")
    assert rows["Dies"].startswith(
        "Kernel died (code cell 2) : the kernel died while running this cell |"
    )
    assert rows["Endless"].startswith("Timed out (code cell 1) : did not finish within 3 s")
    assert rows["No kernel"].startswith("Succeeded |")
    assert rows["No kernel in MyST"].startswith("Succeeded |")
    status = broken.status.getvalue()
    assert re.search(r"invalid-json\s+failed\s+0\.0 s\s+none", status)
    assert re.search(r"dies\s+kernel died \(code cell 2\)", status)
    assert re.search(r"endless\s+timed out \(code cell 1\)", status)


def test_kernel_death_and_timeout_do_not_hang_the_build(broken):
    runs = records(broken)
    assert runs["dies"]["status"] == "kernel died"
    assert runs["endless"]["status"] == "timed out"
    assert runs["endless"]["runtime"] < 20  # a 3 s timeout, then the kernel is stopped
    assert runs["dies"]["runtime"] < 20
    assert broken.seconds < 120


def test_a_notebook_without_kernelspec_is_still_a_notebook_page(broken):
    for page in ("no-kernel", "no-kernel-myst"):
        soup = soup_of(broken, page)
        badge = soup.select_one(".learn-execution-badge")
        assert badge.get_text().startswith("Executed successfully"), page
        assert (broken.outdir / "_notebooks" / f"{page}.ipynb").is_file(), page
    assert "4" in soup_of(broken, "no-kernel").select_one("div.cell_output").get_text()


def test_unreadable_notebooks_are_caught_when_myst_nb_executes(rootdir, tmp_path, make_app):
    """With ``learn_execution = False`` nothing reads the notebooks before Sphinx does:
    the same check runs as each page is read."""
    import shutil

    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-broken-notebooks", srcdir)
    for name in ("dies.md", "endless.md", "no-kernel.ipynb", "no-kernel-myst.md"):
        (srcdir / name).unlink()
    (srcdir / "index.md").write_text(
        "# Broken notebooks\n\n```{toctree}\ngood\ninvalid-json\nbad-cell-options\nreport\n```\n",
        encoding="utf-8",
    )
    app = make_app(
        "html",
        srcdir=srcdir,
        confoverrides={"learn_execution": False, "nb_execution_mode": "off"},
    )
    app.build()
    assert app.statuscode == 0
    assert_warnings_exactly(app, expected_warnings(app)[:2])
    for page in ("index", "good", "invalid-json", "bad-cell-options", "report"):
        assert (app.outdir / f"{page}.html").is_file(), page
    rows = report_rows(app)
    assert rows["invalid-json.ipynb"].startswith("Failed : cannot be read: it is not valid JSON")
    assert rows["bad-cell-options.md"].startswith("Failed : cannot be read: Myst")


# -- Builds after the first (these change the shared source folder: keep them last) ----------


def test_strict_execution_exits_non_zero_and_still_writes_every_page(broken, make_app):
    for page in PAGES:
        (broken.outdir / f"{page}.html").unlink()
    app = make_app("html", srcdir=broken.srcdir, confoverrides={"learn_execution_strict": True})
    app.build()
    assert app.statuscode == 1
    warnings = warnings_of(app)
    for location, text, _kind in expected_warnings(app):
        kind = "WARNING" if NO_KERNEL in text else "ERROR"
        assert f"{location}{kind}: {text}" in warnings, warnings
    assert "Traceback" not in warnings
    status = app.status.getvalue()
    assert (
        "4 notebook(s) failed to execute: bad-cell-options, dies, endless, invalid-json" in status
    )
    for page in PAGES:
        assert (app.outdir / f"{page}.html").is_file(), page
    assert set(report_rows(app)) == {
        "Good",
        "invalid-json.ipynb",
        "No kernel",
        "No kernel in MyST",
        "bad-cell-options.md",
        "Dies",
        "Endless",
    }


def fix(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_next_build_after_a_fix_recovers(broken, make_app):
    src = broken.srcdir
    kernelspec = (
        "kernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\nlearn:"
    )
    fix(src / "invalid-json.ipynb", " ]\n", " ],\n")
    fix(src / "bad-cell-options.md", "[unclosed", "[closed]")
    fix(src / "dies.md", "os._exit(1)", "print(os.getpid() > 0)")
    fix(src / "endless.md", "while True:\n    pass", "x = 1")
    fix(src / "no-kernel-myst.md", "learn:", kernelspec)
    fix(
        src / "no-kernel.ipynb",
        '"metadata": {"learn"',
        '"metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", '
        '"name": "python3"}, "learn"',
    )
    app = make_app("html", srcdir=src)
    app.build()
    assert app.statuscode == 0
    assert "[learn." not in warnings_of(app), warnings_of(app)
    # The fixed notebooks run again; the good one comes from the cache.
    assert executed(app) == [
        "bad-cell-options",
        "dies",
        "endless",
        "invalid-json",
        "no-kernel",
        "no-kernel-myst",
    ]
    assert {name: r["status"] for name, r in records(app).items()} == dict.fromkeys(
        [
            "bad-cell-options",
            "dies",
            "endless",
            "good",
            "invalid-json",
            "no-kernel",
            "no-kernel-myst",
        ],
        "ok",
    )
    rows = report_rows(app)
    assert "Invalid JSON" in rows
    assert all(row.startswith("Succeeded |") for row in rows.values()), rows
    assert soup_of(app, "invalid-json").select_one("div.admonition.error") is None
    assert (app.outdir / "_notebooks" / "invalid-json.ipynb").is_file()
