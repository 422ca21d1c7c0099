"""CI sharding: ``sphinx-numpy-learn execute --shard I/N``, then a build that imports
the shards (``learn_execution_import``) or a cache they were merged into."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from sphinx.util.console import strip_escape_sequences

from sphinx_numpy_learn.cli import main
from sphinx_numpy_learn.notebooks.shards import parse_shard, share
from tests.conftest import soup_of, warnings_of

NOTEBOOKS = ["arrays", "broken", "data", "shapes"]
# What the build log shows per notebook it executes (not per one it imports).
EXECUTED_LINE = re.compile(r"\[learn\] \(\d+/\d+\) (\S+): \S+ in ")
IMPORTED_LINE = re.compile(r"\[learn\] \(\d+/\d+\) (\S+): (\S+) \(imported from shard (\d/\d)\)")


def executed(app) -> list[str]:
    return sorted(EXECUTED_LINE.findall(app.status.getvalue()))


def records(app) -> dict:
    return app.env.domains["learn"].data["executions"]


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(args))
    return status, strip_escape_sequences(out.getvalue()), strip_escape_sequences(err.getvalue())


def build(srcdir: Path, **confoverrides):
    from sphinx.testing.util import SphinxTestApp

    app = SphinxTestApp(
        "html",
        srcdir=srcdir,
        parallel=2,  # notebooks run two at a time
        status=io.StringIO(),
        warning=io.StringIO(),
        confoverrides={"learn_execution_strict": True, **confoverrides},
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return app


@pytest.fixture(scope="module")
def site(rootdir, tmp_path_factory):
    """The root run as two shards (in strict mode, as on CI), the same root built
    normally, and a copy built importing both shards."""
    base = tmp_path_factory.mktemp("shards")
    shutil.copytree(rootdir / "test-execution-shards", base / "src")
    runs = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CI", "true")
        for index in (1, 2):
            runs[index] = run_cli(
                "execute", str(base / "src"), "--shard", f"{index}/2", "-o", str(base / "out")
            )
    shutil.copytree(rootdir / "test-execution-shards", base / "local")
    shutil.copytree(rootdir / "test-execution-shards", base / "imported")
    return SimpleNamespace(
        base=base,
        out=base / "out",
        runs=runs,
        local=build(base / "local"),
        imported=build(base / "imported", learn_execution_import=[str(base / "out")]),
    )


def manifest(site, index: int) -> dict:
    return json.loads((site.out / f"learn-shard-{index}-of-2.json").read_text())


# -- Shards --------------------------------------------------------------------------------------


def test_shards_are_disjoint_and_cover_every_notebook(site):
    first = [entry["docname"] for entry in manifest(site, 1)["notebooks"]]
    second = [entry["docname"] for entry in manifest(site, 2)["notebooks"]]
    assert (first, second) == (["arrays", "data"], ["broken", "shapes"])
    for docname in NOTEBOOKS:
        assert (
            (site.out / f"learn-shard-{1 if docname in first else 2}-of-2")
            .joinpath(f"{docname}.ipynb")
            .is_file()
        )
    entry = manifest(site, 1)["notebooks"][1]
    assert entry["source"] == "data.md"
    assert re.fullmatch(r"[0-9a-f]{32}", entry["hash"])  # jupyter-cache's key
    assert re.fullmatch(r"[0-9a-f]{64}", entry["inputs"])  # and the declared input's
    assert entry["status"] == "ok"
    assert entry["failure"] is None


@pytest.mark.parametrize("count", [1, 2, 3, 4, 9])
def test_shares_are_disjoint_even_and_cover_everything(count):
    names = [f"nb{n}" for n in range(7, 0, -1)]
    shares = [share(names, index, count) for index in range(1, count + 1)]
    assert sorted(name for part in shares for name in part) == sorted(names)
    assert len({name for part in shares for name in part}) == len(names)
    assert max(map(len, shares)) - min(map(len, shares)) <= 1


def test_a_shard_with_a_failure_exits_1_in_strict_mode(site):
    (status1, out1, err1), (status2, out2, err2) = site.runs[1], site.runs[2]
    assert (status1, status2) == (0, 1)
    assert "[learn] shard 1/2: executing 2 notebook(s)" in out1
    assert "[learn] (2/2) data: ok in " in out1
    assert err1 == ""
    assert "1 failed: broken" in out2
    first = err2.splitlines()[0]
    src = site.base / "src"
    assert first.startswith(f"{src / 'broken.md'}:21: ERROR: notebook broken: code cell 2, line 2")
    assert "ZeroDivisionError: division by zero" in first
    entry = manifest(site, 2)["notebooks"][0]
    assert (entry["docname"], entry["status"]) == ("broken", "failed")
    assert entry["failure"]["cell"] == 2  # the cell's index in the notebook
    assert entry["failure"]["cell_line"] == 2


def test_a_shard_writes_nothing_into_the_project(site, rootdir):
    src = site.base / "src"
    assert sorted(p.name for p in src.iterdir()) == sorted(
        p.name for p in (rootdir / "test-execution-shards").iterdir()
    )


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("0/2", "expected 1 <= I <= N in I/N, got '0/2'"),
        ("3/2", "expected 1 <= I <= N in I/N, got '3/2'"),
        ("1/0", "expected 1 <= I <= N in I/N, got '1/0'"),
        ("2", "expected I/N (this shard's number and the number of shards, such as 2/4)"),
        ("a/b", "expected I/N"),
    ],
)
def test_a_bad_shard_is_a_usage_error(capsys, rootdir, tmp_path, value, problem):
    with pytest.raises(ValueError, match=re.escape(problem)):
        parse_shard(value)
    with pytest.raises(SystemExit) as exit_:
        main(["execute", str(rootdir / "test-execution-shards"), "--shard", value, "-o", "x"])
    assert exit_.value.code == 2
    assert f"argument --shard: {problem}" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--shard", "1/2"], "--shard needs --output DIR"),
        (["--merge", "no-such-folder"], "--merge: no such folder: no-such-folder"),
        (["--merge", ".", "-o", "x"], "--output goes with --shard"),
        (["--shard", "1/2", "-o", "{root}/conf.py"], "--output: {root}/conf.py is not a folder"),
    ],
)
def test_execute_usage_errors_exit_2(capsys, rootdir, args, message):
    root = str(rootdir / "test-execution-shards")
    assert main(["execute", root, *(arg.format(root=root) for arg in args)]) == 2
    message = message.format(root=root)
    assert message in capsys.readouterr().err


# -- The build that imports them ------------------------------------------------------------------


def article(app, page: str) -> str:
    found = soup_of(app, page).select_one("article")
    for badge in found.select(".learn-execution-badge"):
        badge.decompose()  # the run time differs from run to run
    return str(found)


def test_a_build_importing_every_shard_executes_nothing(site):
    app = site.imported
    status = app.status.getvalue()
    assert "[learn] executing" not in status
    assert executed(app) == []
    assert sorted(IMPORTED_LINE.findall(status)) == [
        ("arrays", "ok", "1/2"),
        ("broken", "failed", "2/2"),
        ("data", "ok", "1/2"),
        ("shapes", "ok", "2/2"),
    ]
    assert {
        docname: record["source"] for docname, record in records(app).items()
    } == dict.fromkeys(NOTEBOOKS, "imported")
    assert re.search(r"shapes\s+ok\s+\d+\.\d s\s+imported", status)
    assert executed(site.local) == NOTEBOOKS


def test_an_imported_build_gives_the_html_of_a_normal_build(site):
    for page in NOTEBOOKS:
        assert article(site.imported, page) == article(site.local, page), page
        assert (site.imported.outdir / "_notebooks" / f"{page}.ipynb").read_bytes() == (
            site.local.outdir / "_notebooks" / f"{page}.ipynb"
        ).read_bytes()
    assert "['1', '2', '3']" in soup_of(site.imported, "data").select_one("div.output").get_text()


def failure_lines(app) -> list[str]:
    warnings = warnings_of(app).replace(str(app.srcdir), "<src>")
    lines = warnings.splitlines()
    first = next(i for i, line in enumerate(lines) if "notebook broken:" in line)
    end = next(i for i in range(first, len(lines)) if lines[i].endswith("[learn.execution]"))
    return lines[first : end + 1]


def test_a_failure_in_a_shard_is_reported_as_a_local_one(site):
    failure = failure_lines(site.imported)
    assert failure == failure_lines(site.local)
    assert failure[0].startswith("<src>/broken.md:21: ERROR: notebook broken: code cell 2, line 2")
    assert site.imported.statuscode == site.local.statuscode == 1
    assert records(site.imported)["broken"]["line"] == 21
    box = soup_of(site.imported, "broken").select_one(".learn-execution-failure")
    assert "ZeroDivisionError" in box.get_text()


def test_edited_notebooks_run_and_import_problems_warn(site, rootdir):
    """A notebook whose code or declared input changed after its shard ran is executed,
    not imported; a missing folder, one with no manifest and a broken manifest are
    warnings at conf.py's line or the manifest; an imported failure runs again on the
    next build, as any failure does."""
    src = site.base / "edited"
    shutil.copytree(rootdir / "test-execution-shards", src)
    (site.base / "empty").mkdir()
    (site.base / "bad").mkdir()
    (site.base / "bad" / "learn-shard-1-of-1.json").write_text("{", encoding="utf-8")
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('learn_execution_import = ["../out", "no-such-folder", "../empty", "../bad"]\n')
    shapes = src / "shapes.md"
    shapes.write_text(shapes.read_text().replace("(2, 3)", "(4, 5)"), encoding="utf-8")
    (src / "data" / "values.csv").write_text("4\n", encoding="utf-8")
    app = build(src)
    assert executed(app) == ["data", "shapes"]
    assert sorted(name for name, *_ in IMPORTED_LINE.findall(app.status.getvalue())) == [
        "arrays",
        "broken",
    ]
    assert (
        "[learn] shapes: changed since shard 2/2 ran it; it is executed" in app.status.getvalue()
    )
    assert "(4, 5)" in soup_of(app, "shapes").select_one("div.output").get_text()
    assert "['4']" in soup_of(app, "data").select_one("div.output").get_text()
    warnings = warnings_of(app)
    conf_line = f"{src / 'conf.py'}:5: WARNING: execution import folder 'no-such-folder' does not"
    assert conf_line in warnings
    assert "execution import folder " in warnings
    assert f"folder '{site.base / 'empty'}' holds no shard manifest" in warnings
    bad = site.base / "bad" / "learn-shard-1-of-1.json"
    assert f"{bad}:1: WARNING: shard manifest skipped: not valid JSON: " in warnings
    assert warnings.count("[learn.execution]") == 4  # and the failure of broken
    assert "Traceback" not in warnings

    again = build(src)
    assert executed(again) == ["broken"]
    assert IMPORTED_LINE.findall(again.status.getvalue()) == []
    assert failure_lines(again)[1:] == failure_lines(app)[1:]


def test_merged_shards_fill_the_cache_and_failures_run_in_the_build(site, rootdir):
    src = site.base / "merged"
    shutil.copytree(rootdir / "test-execution-shards", src)
    status, out, err = run_cli(
        "execute",
        str(src),
        "--merge",
        str(site.out),
        "--build-dir",
        str(src / "_build" / "html"),
        "-d",
        str(src / "_build" / "doctrees"),
    )
    assert (status, err) == (0, "")
    assert "[learn] shapes: merged from shard 2/2" in out
    assert "[learn] broken: not merged (failed in shard 2/2)" in out
    assert f"merged 3 notebook(s) into {src / '_build' / 'doctrees' / 'jupyter_cache'}" in out
    app = build(src)
    assert executed(app) == ["broken"]
    assert re.search(r"arrays\s+ok\s+\d+\.\d s\s+from cache", app.status.getvalue())


@pytest.mark.parametrize(
    ("value", "problem", "kept"),
    [
        ({"a": 1}, "invalid value {'a': 1} for 'learn_execution_import' (not a list)", []),
        (["a", 3], "invalid entry in 'learn_execution_import' (3 is not a path)", ["a"]),
    ],
)
def test_a_bad_import_setting_warns_and_falls_back(root_app, value, problem, kept):
    app = root_app("basic", confoverrides={"learn_execution_import": value})
    warnings = warnings_of(app)
    assert problem in warnings
    assert "[learn.config]" in warnings
    assert app.config.learn_execution_import == kept


def test_an_import_folder_read_as_pages_warns(monkeypatch, tmp_path):
    from sphinx_numpy_learn.notebooks import shards

    seen: list[str] = []
    monkeypatch.setattr(shards, "warn", lambda message, **kwargs: seen.append(message))
    monkeypatch.setattr(shards, "conf_location_of_import", lambda app: None)
    found = {"index", "executed/learn-shard-1-of-2/arrays"}
    app = SimpleNamespace(srcdir=str(tmp_path), env=SimpleNamespace(found_docs=found))
    for folder in ("executed", "excluded", "../outside"):
        (tmp_path / folder).mkdir()
        shards._warn_if_read_as_pages(app, tmp_path / folder)
    (message,) = seen
    assert f"{tmp_path / 'executed'}' lies in the source folder" in message
    assert "add it to exclude_patterns" in message


GOOD_ENTRY = {
    "docname": "tutorials/arrays",
    "hash": "0" * 32,
    "inputs": "",
    "status": "failed",
    "runtime": 1.5,
    "executed_at": 1.0,
    "failure": {"cell": 2, "error": "E", "frames": ["f"], "cell_line": 3},
}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({}, None),
        ({"docname": "../../etc/passwd"}, "the document name '../../etc/passwd' is not one"),
        ({"docname": "/abs"}, "the document name '/abs' is not one"),
        ({"status": "fine"}, "unknown status 'fine'"),
        ({"runtime": "1"}, "its 'runtime' is not a number"),
        ({"hash": None}, "its 'hash' is not text"),
        ({"failure": {"cell": 1.5}}, "its 'cell' is not a cell or line number"),
        ({"failure": {"frames": "f"}}, "its failure's 'frames' are not text"),
        ({"format": 2}, "format 2 is not 1"),
    ],
)
def test_a_manifest_is_read_strictly(tmp_path, change, problem):
    from sphinx_numpy_learn.notebooks.shard_manifest import BadManifest, read_manifest

    entry = {**GOOD_ENTRY, **{k: v for k, v in change.items() if k != "format"}}
    manifest = {"format": change.get("format", 1), "notebooks": [entry]}
    path = tmp_path / "learn-shard-3-of-4.json"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    if problem is None:
        (executed,) = read_manifest(path)
        assert executed.shard == "3/4"
        assert executed.notebook == tmp_path / "learn-shard-3-of-4" / "tutorials" / "arrays.ipynb"
        assert (executed.outcome.cell, executed.outcome.cell_line) == (2, 3)
    else:
        with pytest.raises(BadManifest, match=re.escape(problem)):
            read_manifest(path)
