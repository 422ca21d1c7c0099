"""Notebooks run on a Dask cluster (``learn_execution_cluster``): a real
``distributed.LocalCluster`` with two worker processes, shared by the module. The
executed notebooks come back into the local cache; a failure is reported at the same
line as locally; a worker lost mid-run or a scheduler that cannot be reached leaves the
notebooks to this machine, with one warning, each run once."""

from __future__ import annotations

import re
import shutil
import socket
from io import StringIO

import pytest

from tests.conftest import myst_notebook, warnings_of
from tests.test_execution import executed, records

distributed = pytest.importorskip("distributed")

# A scheduler and two worker processes: make test runs them, make test-quick does not.
pytestmark = pytest.mark.slow

DONE_LINE = re.compile(r"\[learn\] \(\d+/\d+\) (\S+): ")


@pytest.fixture(scope="module")
def cluster():
    import dask

    # A worker that dies fails its notebook at once (Dask's default retries it on
    # another worker first): the build's own fallback is what is tested.
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        cluster = distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=50,
        )
    with distributed.Client(cluster, set_as_default=False) as client:
        cluster.test_client = client
        yield cluster
    cluster.close()


@pytest.fixture
def address(cluster):
    """The scheduler's address, once both workers are up (a test may kill one)."""
    cluster.test_client.wait_for_workers(2, timeout=60)
    return cluster.scheduler_address


def build(srcdir, **overrides):
    from sphinx.testing.util import SphinxTestApp

    app = SphinxTestApp(
        "html", srcdir=srcdir, status=StringIO(), warning=StringIO(), confoverrides=overrides
    )
    app.build()
    app.cleanup()
    return app


def copy_root(rootdir, tmp_path, name: str):
    srcdir = tmp_path / name
    shutil.copytree(rootdir / f"test-{name}", srcdir)
    return srcdir


def done(app) -> list[str]:
    """Each line of a notebook the build finished, in the log's order."""
    return DONE_LINE.findall(app.status.getvalue())


def test_notebooks_run_on_the_cluster_and_come_back_into_the_cache(address, rootdir, tmp_path):
    srcdir = copy_root(rootdir, tmp_path, "execution")
    app = build(srcdir, learn_execution_cluster=address)
    log = app.status.getvalue()
    assert f"[learn] executing 2 notebook(s) on the Dask cluster {address} (2 worker(s))" in log
    assert warnings_of(app) == ""
    assert executed(app) == ["read-data", "shapes"]
    assert {d: r["status"] for d, r in records(app).items()} == {"read-data": "ok", "shapes": "ok"}
    # The declared input travelled with the notebook: its output is on the page.
    page = (app.outdir / "read-data.html").read_text(encoding="utf-8")
    assert "6.0" in page
    # The next build finds both in the cache: nothing runs.
    again = build(srcdir, learn_execution_cluster=address)
    assert executed(again) == []
    assert "[learn] executing" not in again.status.getvalue()


FAILING_ON_WORKER = {
    "missing-module.md": myst_notebook(
        "# Missing module\n\n```{code-cell} ipython3\nimport numpy_that_does_not_exist\n```\n"
    ),
    "other-kernel.md": myst_notebook(
        "# Other kernel\n\n```{code-cell} julia\n1 + 1\n```\n",
        kernel=("Julia", "julia", "julia-that-is-not-installed"),
    ),
}


def test_a_failure_on_a_worker_is_reported_at_its_line(address, rootdir, tmp_path):
    srcdir = copy_root(rootdir, tmp_path, "execution-failures")
    for name in ("deep.ipynb", "load.md", "slow.md", "quiet.md"):
        (srcdir / name).unlink()
    for name, text in FAILING_ON_WORKER.items():
        (srcdir / name).write_text(text, encoding="utf-8")
    (srcdir / "index.md").write_text(
        "# Failures\n\n```{toctree}\ndivide\nmissing-module\nother-kernel\nreport\n```\n",
        encoding="utf-8",
    )
    app = build(srcdir, learn_execution_cluster=address)
    warnings = warnings_of(app)
    assert f"{srcdir / 'divide.md'}:24: ERROR: notebook divide: code cell 2, line 2 failed: " in (
        warnings
    )
    assert "ZeroDivisionError: division by zero" in warnings
    assert "----> 2     return a / b" in warnings
    assert (
        f"{srcdir / 'missing-module.md'}:15: ERROR: notebook missing-module: code cell 1, "
        "line 1 failed: ModuleNotFoundError: No module named 'numpy_that_does_not_exist'"
    ) in warnings
    kernel = re.search(r".*notebook other-kernel: .*", warnings)
    assert kernel is not None, warnings
    assert (
        "the notebook failed: no Jupyter kernel named 'julia-that-is-not-installed' is "
        "installed on the Dask worker tcp://"
    ) in kernel.group(0)
    assert "Traceback" not in warnings
    assert done(app) == ["divide", "missing-module", "other-kernel"]
    assert app.statuscode == 1  # strict, as locally


KILLS_ITS_WORKER = myst_notebook("""\
# Kills its worker

On a Dask worker of this test, the kernel kills the worker that started it; anywhere
else the notebook just runs.

```{code-cell} ipython3
import os
import signal

if os.environ.get("LEARN_TEST_KILL_WORKER"):
    os.kill(os.getppid(), signal.SIGKILL)
```

```{code-cell} ipython3
print("survived")
```
""")


def _set_kill_variable(value: str | None) -> None:
    import os

    if value is None:
        os.environ.pop("LEARN_TEST_KILL_WORKER", None)
    else:
        os.environ["LEARN_TEST_KILL_WORKER"] = value


def test_a_worker_lost_mid_run_leaves_its_notebook_to_this_machine(
    cluster, address, rootdir, tmp_path
):
    srcdir = copy_root(rootdir, tmp_path, "execution")
    (srcdir / "kills.md").write_text(KILLS_ITS_WORKER, encoding="utf-8")
    index = srcdir / "index.md"
    index.write_text(index.read_text().replace("shapes\n", "shapes\nkills\n"), encoding="utf-8")
    client = cluster.test_client
    # Kernels inherit the workers' environment (a restarted worker has it no more).
    client.run(_set_kill_variable, "1")
    try:
        app = build(srcdir, learn_execution_cluster=address)
    finally:
        client.run(_set_kill_variable, None)
    warnings = warnings_of(app)
    ours = [line for line in warnings.splitlines() if "[learn." in line]
    assert len(ours) == 1, warnings
    assert f"the Dask cluster {address} did not return notebook " in ours[0]
    assert "it runs on this machine" in ours[0]
    assert ours[0].endswith("[learn.execution]")
    # Every notebook ran to the end, and was stored and reported once.
    assert done(app) == ["kills", "read-data", "shapes"]
    assert {d: r["status"] for d, r in records(app).items()} == dict.fromkeys(
        ["kills", "read-data", "shapes"], "ok"
    )
    assert "survived" in (app.outdir / "kills.html").read_text(encoding="utf-8")
    assert "Traceback" not in app.status.getvalue() + warnings


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_scheduler_leaves_every_notebook_to_this_machine(
    rootdir, tmp_path, monkeypatch
):
    from sphinx_numpy_learn.notebooks import executors

    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", 2.0)
    srcdir = copy_root(rootdir, tmp_path, "execution")
    nowhere = f"tcp://127.0.0.1:{_free_port()}"
    app = build(srcdir, learn_execution_cluster=nowhere)
    warnings = warnings_of(app)
    ours = [line for line in warnings.splitlines() if "[learn." in line]
    assert len(ours) == 1, warnings
    assert f"cannot reach the Dask scheduler at {nowhere} (" in ours[0]
    assert "the 2 notebook(s) run on this machine" in ours[0]
    assert executed(app) == ["read-data", "shapes"]
    assert {d: r["status"] for d, r in records(app).items()} == {"read-data": "ok", "shapes": "ok"}
    assert "Traceback" not in app.status.getvalue() + warnings


def app_of(srcdir, **overrides):
    """A Sphinx application for ``srcdir``, not built."""
    from sphinx.testing.util import SphinxTestApp

    return SphinxTestApp(
        "html", srcdir=srcdir, status=StringIO(), warning=StringIO(), confoverrides=overrides
    )


def test_without_distributed_the_notebooks_run_here(rootdir, tmp_path, monkeypatch):
    import sys

    from sphinx_numpy_learn.notebooks.executors import Cluster

    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails
    app = app_of(copy_root(rootdir, tmp_path, "execution"))
    try:
        assert Cluster.connect(app, "tcp://127.0.0.1:8786", 2) is None
    finally:
        app.cleanup()
    (warning,) = [line for line in warnings_of(app).splitlines() if "[learn." in line]
    assert "learn_execution_cluster is set, but Dask's distributed package is not installed" in (
        warning
    )
    assert "(pip install 'sphinx-numpy-learn[dask]'); the 2 notebook(s) run on this machine" in (
        warning
    )


def test_workers_without_the_builds_version_run_nothing(address, rootdir, tmp_path, monkeypatch):
    from sphinx_numpy_learn.notebooks import executors

    monkeypatch.setattr(executors, "installed_version", lambda: "0.0.1")
    app = app_of(copy_root(rootdir, tmp_path, "execution"))
    try:
        assert executors.Cluster.connect(app, address, 2) is None
    finally:
        app.cleanup()
    (warning,) = [line for line in warnings_of(app).splitlines() if "[learn." in line]
    version = executors.metadata.version("sphinx-numpy-learn")
    assert (
        f"the Dask scheduler at {address}: no worker has sphinx-numpy-learn 0.0.1 installed "
        f"(found: {version}; a worker needs pip install 'sphinx-numpy-learn[dask]' at the "
        "build's version); the 2 notebook(s) run on this machine"
    ) in warning
