"""Local workers (``learn_execution_workers``): however many notebooks run at once, the
build stores, records, logs and summarises them in the same order, with the same
failures at the same lines. Timeouts, dead kernels and failing cells are tested in
``test_execution.py`` and ``test_broken_notebooks.py``, which run with the default
(one worker per CPU)."""

from __future__ import annotations

import re
import shutil
from io import StringIO

import pytest

from tests.conftest import warnings_of
from tests.test_execution import records

# Notebooks that fail (a cell error, a timeout, a raises-exception cell that does not
# raise, a cell that kills its kernel) and notebooks that pass, one with a declared
# input file.
FAILING = ["dies", "divide", "quiet", "slow"]
PASSING = ["read-data", "shapes"]


def mixed_corpus(rootdir, folder):
    """Some of tests/roots/test-execution-failures, test-broken-notebooks and
    test-execution, in one project."""
    shutil.copytree(rootdir / "test-execution-failures", folder)
    for name in ("deep.ipynb", "load.md"):
        (folder / name).unlink()
    shutil.copy(rootdir / "test-broken-notebooks" / "dies.md", folder)
    for name in PASSING:
        shutil.copy(rootdir / "test-execution" / f"{name}.md", folder)
    shutil.copytree(rootdir / "test-execution" / "data", folder / "data")
    pages = ["dies", "divide", "read-data", "shapes", "slow", "quiet", "report"]
    (folder / "index.md").write_text(
        "# Mixed\n\n```{toctree}\n" + "\n".join(pages) + "\n```\n", encoding="utf-8"
    )
    return folder


def build(rootdir, folder, workers: int):
    from sphinx.testing.util import SphinxTestApp

    srcdir = mixed_corpus(rootdir, folder)
    app = SphinxTestApp(
        "html",
        srcdir=srcdir,
        status=StringIO(),
        warning=StringIO(),
        confoverrides={"learn_execution_workers": workers},
    )
    app.build()
    app.cleanup()
    return app


@pytest.fixture(scope="module")
def builds(rootdir, tmp_path_factory):
    """The corpus built with one worker and with three."""
    folder = tmp_path_factory.mktemp("workers")
    return {workers: build(rootdir, folder / str(workers), workers) for workers in (1, 3)}


def _log(app) -> str:
    """What a build printed, with its own folder and the run times left out."""
    text = app.status.getvalue() + warnings_of(app)
    text = text.replace(str(app.srcdir), "<src>").replace(str(app.outdir), "<out>")
    return re.sub(r"\d+\.\d+ s\b", "<t> s", text)


def _learn_lines(app) -> list[str]:
    return [
        line
        for line in _log(app).splitlines()
        if "[learn]" in line or "[learn." in line or line.startswith("  ")
    ]


TIMES = {"runtime", "executed_at", "last_success"}


def _records(app) -> dict:
    return {
        docname: {key: value for key, value in record.items() if key not in TIMES}
        for docname, record in records(app).items()
    }


def test_the_log_says_how_many_run_at_once(builds):
    assert "[learn] executing 6 notebook(s)\n" in builds[1].status.getvalue()
    assert "[learn] executing 6 notebook(s) (3 at a time)" in builds[3].status.getvalue()


def test_one_worker_and_three_give_the_same_records_log_and_summary(builds):
    one, three = builds[1], builds[3]
    assert _records(one) == _records(three)
    statuses = {docname: record["status"] for docname, record in records(three).items()}
    assert {docname for docname, status in statuses.items() if status == "ok"} == set(PASSING)
    assert set(statuses) == {*FAILING, *PASSING}
    # The log (every notebook's line, the failures with their frames, the summary)
    # in the same order; only the announcement differs.
    lines = {
        workers: [line for line in _learn_lines(app) if "[learn] executing" not in line]
        for workers, app in builds.items()
    }
    assert lines[1] == lines[3]
    done = [re.match(r"\[learn\] \(\d/6\) (\S+):", line) for line in lines[3]]
    assert [m.group(1) for m in done if m] == sorted([*FAILING, *PASSING])
    assert one.statuscode == three.statuscode == 1  # strict: the failures count


def test_every_failure_is_reported_at_its_line_with_three_workers(builds):
    warnings = warnings_of(builds[3])
    src = builds[3].srcdir
    divide = f"{src / 'divide.md'}:24: ERROR: notebook divide: code cell 2, line 2 failed"
    assert divide in warnings
    assert "notebook slow: code cell 2 timed out" in warnings
    assert f"{src / 'dies.md'}:23: ERROR: notebook dies: code cell 2 kernel died" in warnings
    assert "locked" not in _log(builds[3])
    assert "Traceback" not in warnings


def _built_with(make_app, tmp_path, setting: str, value):
    """A one-page project whose ``conf.py`` sets ``setting = value`` on its line 2, built;
    and its warnings."""
    (tmp_path / "conf.py").write_text(
        f'extensions = ["sphinx_numpy_learn"]\n{setting} = {value!r}\n', encoding="utf-8"
    )
    (tmp_path / "index.md").write_text("# Home\n", encoding="utf-8")
    app = make_app("html", srcdir=tmp_path)
    return app, warnings_of(app)


@pytest.mark.parametrize("value", [0, -2, 1.5, "4", True])
def test_a_bad_worker_count_warns_and_uses_one_per_cpu(make_app, tmp_path, value):
    import os

    from sphinx_numpy_learn.notebooks.executors import execution_workers

    app, warnings = _built_with(make_app, tmp_path, "learn_execution_workers", value)
    assert f"invalid value {value!r} for 'learn_execution_workers'" in warnings
    assert "[learn.config]" in warnings
    assert app.config.learn_execution_workers is None
    assert execution_workers(app) == max(1, os.cpu_count() or 1, app.parallel)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("localhost:8786", "no scheme: write 'tcp://host:8786'"),
        ("tcp://host :8786", "an address has no spaces"),
        (8786, "not an address"),
    ],
)
def test_a_bad_cluster_address_warns_and_runs_here(make_app, tmp_path, value, problem):
    app, warnings = _built_with(make_app, tmp_path, "learn_execution_cluster", value)
    assert f"invalid value {value!r} for 'learn_execution_cluster' ({problem})" in warnings
    assert f"{tmp_path / 'conf.py'}:2:" in warnings
    assert app.config.learn_execution_cluster is None


def test_a_worker_at_another_version_hands_the_notebook_back():
    """Run on a worker whose sphinx-numpy-learn is not the build's, a notebook raises
    (the build then runs it itself) instead of running there."""
    import nbformat

    from sphinx_numpy_learn.notebooks.executors import RemoteJob, WrongVersion, run_on_worker

    remote = RemoteJob(
        docname="page",
        source="page.ipynb",
        notebook=nbformat.v4.new_notebook(),
        text="",
        files={},
        cwd="",
        timeout=10,
        allow_errors=False,
        version="0.0.1",
    )
    with pytest.raises(WrongVersion, match=r"has sphinx-numpy-learn \S+, the build 0\.0\.1"):
        run_on_worker(remote)
