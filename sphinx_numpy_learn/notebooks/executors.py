"""Where the notebooks a build must run are executed: on this machine, several at once
(``learn_execution_workers``), or on the workers of a Dask cluster
(``learn_execution_cluster``).

:func:`run_jobs` yields each job with its outcome in the jobs' order, whatever order
they finish in, so the log, the records and the summary do not depend on timing. Only
the main process writes the cache (:func:`sphinx_numpy_learn.notebooks.cache.store`,
called by the caller): a Dask worker gets the notebook and its declared input files'
bytes, runs the same :func:`~sphinx_numpy_learn.notebooks.run.run_notebook` in a
temporary folder laid out like the source folder, and sends the executed notebook and
its :class:`~sphinx_numpy_learn.notebooks.run.Outcome` back.

Local workers are threads: each drives one nbclient run, whose kernel is a process of
its own (nbclient runs its event loop per thread, and starts the kernel in the folder
it is given, without changing the build's working directory). When the cluster cannot
be reached, or fails to return a notebook (a worker lost, the scheduler gone), that
notebook and every notebook not yet back run here, with one ``learn.execution`` warning:
nothing is lost, and no notebook whose result came back runs again.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from sphinx_numpy_learn.log import LOGGER, warn
from sphinx_numpy_learn.notebooks.run import FAILED, NotebookJob, Outcome, run_notebook

if TYPE_CHECKING:
    from nbformat import NotebookNode
    from sphinx.application import Sphinx

DISTRIBUTION = "sphinx-numpy-learn"
CONNECT_TIMEOUT = 10.0
"""Seconds to reach the scheduler, and to wait for it when the connection drops."""
_DASK_EXTRA = "pip install 'sphinx-numpy-learn[dask]'"


def execution_workers(app: Sphinx) -> int:
    """``learn_execution_workers``; by default one per CPU, or ``-j``'s number of
    processes when it asks for more."""
    setting = app.config.learn_execution_workers
    if isinstance(setting, int) and not isinstance(setting, bool) and setting > 0:
        return setting
    return max(1, os.cpu_count() or 1, app.parallel)


def run_jobs(
    app: Sphinx, jobs: list[NotebookJob], *, workers: int | None = None, announce: bool = True
) -> Iterator[tuple[NotebookJob, Outcome]]:
    """Run ``jobs``; yield each with its outcome, in the jobs' order. ``job.notebook``
    holds the executed notebook when its pair is yielded. Never raises for a notebook
    or a cluster that fails. ``workers``: how many run at once on this machine, instead
    of ``learn_execution_workers``; ``announce``: log how many run (locally) first."""
    if not jobs:
        return
    at_once = workers if workers is not None and workers > 0 else execution_workers(app)
    address = app.config.learn_execution_cluster
    if address:
        with _quiet_dask():
            cluster = Cluster.connect(app, address, len(jobs))
            if cluster is not None:
                try:
                    yield from cluster.run(jobs, at_once)
                finally:
                    cluster.close()
                return
    yield from run_locally(jobs, at_once, announce=announce)


def run_locally(
    jobs: list[NotebookJob], workers: int, *, announce: bool = True
) -> Iterator[tuple[NotebookJob, Outcome]]:
    workers = max(1, min(workers, len(jobs)))
    if announce:
        LOGGER.info(
            "[learn] executing %d notebook(s)%s",
            len(jobs),
            f" ({workers} at a time)" if workers > 1 else "",
        )
    # A thread even for one: the next notebook runs while the caller stores the last.
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="learn-nb") as pool:
        futures: list[tuple[NotebookJob, Future[Outcome]]] = [
            (job, pool.submit(run_notebook, job)) for job in jobs
        ]
        try:
            for job, future in futures:
                yield job, future.result()
        finally:
            for _job, future in futures:  # the build stopped: start nothing more
                future.cancel()


# -- A Dask cluster -------------------------------------------------------------------------------


@dataclass
class RemoteJob:
    """What a Dask worker needs to run one notebook: no path of this machine."""

    docname: str
    source: str
    """The notebook's file, relative to the source folder (POSIX)."""
    notebook: NotebookNode
    text: str
    files: dict[str, bytes]
    """The declared input files' contents, by path relative to the source folder."""
    cwd: str | None
    """The folder to run in, relative to the source folder; ``None``: a temporary one."""
    timeout: int
    allow_errors: bool
    version: str
    """The build's sphinx-numpy-learn version."""
    kernel: str = ""
    """The kernel the notebook names ('' for the default)."""


def installed_version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        from sphinx_numpy_learn import __version__

        return __version__


def _relative(path: Path | str, srcdir: Path) -> str | None:
    try:
        return Path(path).resolve().relative_to(srcdir.resolve()).as_posix()
    except ValueError:
        return None


def remote_job(app: Sphinx, job: NotebookJob, version: str) -> RemoteJob:
    srcdir = Path(app.srcdir)
    source = _relative(job.path, srcdir) or job.path.name
    cwd = None
    if job.cwd is not None:
        cwd = _relative(job.cwd, srcdir)
        if cwd is None:  # outside the source folder: the notebook's own folder
            cwd = PurePosixPath(source).parent.as_posix()
    files = {}
    for name in job.inputs:
        with contextlib.suppress(OSError):  # gone since it was hashed: the run says so
            files[name] = (srcdir / name).read_bytes()
    spec = job.notebook.metadata.get("kernelspec")
    kernel = str(spec.get("name") or "") if isinstance(spec, dict) else ""
    return RemoteJob(
        docname=job.docname,
        source=source,
        notebook=job.notebook,
        text=job.text,
        files=files,
        cwd=cwd,
        timeout=job.timeout,
        allow_errors=job.allow_errors,
        version=version,
        kernel=kernel,
    )


def _inside(folder: Path, relative: str) -> Path:
    """``folder / relative``, refusing a path that would lead out of ``folder``."""
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts:
        raise ValueError(f"not a path inside the source folder: {relative!r}")
    return folder.joinpath(*path.parts)


class WrongVersion(RuntimeError):
    """A worker whose sphinx-numpy-learn is not the build's."""


def run_on_worker(remote: RemoteJob) -> tuple[NotebookNode, Outcome]:
    """Run on a Dask worker: one notebook, in a temporary copy of the part of the source
    folder it needs. Raises only :class:`WrongVersion`; anything else is an outcome."""
    where = _worker_address()
    mine = installed_version()
    if mine != remote.version:  # the build runs this notebook itself
        raise WrongVersion(
            f"the Dask worker {where} has sphinx-numpy-learn {mine}, the build {remote.version}"
        )
    missing_kernel = _missing_kernel(remote.kernel)
    if missing_kernel is not None:
        return remote.notebook, Outcome(
            FAILED,
            0.0,
            None,
            f"no Jupyter kernel named {missing_kernel!r} is installed on the Dask worker "
            f"{where} (install ipykernel, or that kernel, in the workers' environment)",
        )
    try:
        with tempfile.TemporaryDirectory(prefix="learn-dask-") as name:
            folder = Path(name)
            for relative, content in remote.files.items():
                target = _inside(folder, relative)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
            path = _inside(folder, remote.source)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(remote.text, encoding="utf-8")
            job = NotebookJob(
                docname=remote.docname,
                path=path,
                notebook=remote.notebook,
                cache_path="",
                timeout=remote.timeout,
                allow_errors=remote.allow_errors,
                cwd=None if remote.cwd is None else str(_inside(folder, remote.cwd)),
                inputs=sorted(remote.files),
                inputs_digest="",
            )
            outcome = run_notebook(job)
    except Exception as exc:  # the worker's disk: say so, as a failure of this notebook
        return remote.notebook, Outcome(
            FAILED,
            0.0,
            None,
            f"the Dask worker {where} could not prepare the notebook's folder: "
            f"{type(exc).__name__}: {exc}",
        )
    if outcome.cell is None and outcome.error.startswith("no Jupyter kernel named"):
        outcome.error = outcome.error.replace(
            " is installed", f" is installed on the Dask worker {where}", 1
        )
    return job.notebook, outcome


def _worker_address() -> str:
    try:
        from distributed import get_worker

        return f"{get_worker().address}"
    except Exception:  # not on a worker (called directly)
        return "(unknown address)"


def _missing_kernel(name: str) -> str | None:
    """``name`` when no kernel of that name is installed here."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    if not name:
        return None
    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        return name
    except Exception:  # a broken kernel spec: the run reports it
        return None
    return None


@contextlib.contextmanager
def _quiet_dask() -> Iterator[None]:
    """Dask's loggers report every reconnection attempt and lost worker (at levels its
    configuration sets per logger): the build says what matters in one warning instead."""
    with contextlib.suppress(ImportError):  # its loggers exist once it is imported
        import distributed  # noqa: F401
    names = ["distributed", "tornado"]
    names += [
        name
        for name in list(logging.root.manager.loggerDict)
        if name.startswith(("distributed.", "tornado."))
    ]
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _reason(exc: BaseException) -> str:
    if type(exc).__name__ == "KilledWorker":  # its message is a paragraph
        worker = getattr(getattr(exc, "last_worker", None), "address", None)
        return f"KilledWorker: the Dask worker {worker or ''} running it died".replace("  ", " ")
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text and text[0] else type(exc).__name__


class NoWorkers(RuntimeError):
    """Every worker of the cluster is gone."""


WAIT_STEP = 2.0
"""Seconds between checks that the cluster still has workers, while waiting."""


class Cluster:
    """A connected Dask client and the workers that can run our notebooks."""

    def __init__(self, app: Sphinx, client: Any, address: str, workers: list[str]) -> None:
        self.app = app
        self.client = client
        self.address = address
        self.workers = workers
        """The workers with the build's version (any other runs nothing: it raises
        :class:`WrongVersion` and the build runs the notebook itself)."""
        self.warned = False

    @classmethod
    def connect(cls, app: Sphinx, address: str, count: int) -> Cluster | None:
        """A client of the scheduler at ``address``, or ``None`` (after one warning)
        when notebooks must run here."""
        here = f"the {count} notebook(s) run on this machine"
        try:
            import distributed
        except ImportError:
            _cluster_warning(
                app,
                f"learn_execution_cluster is set, but Dask's distributed package is not "
                f"installed ({_DASK_EXTRA}); {here}",
            )
            return None
        client = None
        try:
            client = distributed.Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
            # A function of the standard library: a worker without our package answers.
            versions = client.run(metadata.version, DISTRIBUTION, on_error="return")
        except Exception as exc:  # OSError, TimeoutError, a bad address...
            if client is not None:
                with contextlib.suppress(Exception):
                    client.close(timeout=CONNECT_TIMEOUT)
            _cluster_warning(
                app, f"cannot reach the Dask scheduler at {address} ({_reason(exc)}); {here}"
            )
            return None
        mine = installed_version()
        workers = sorted(worker for worker, found in versions.items() if found == mine)
        if not workers:
            with contextlib.suppress(Exception):
                client.close(timeout=CONNECT_TIMEOUT)
            if not versions:
                why = "it has no workers"
            else:
                found = sorted({_version_text(value) for value in versions.values()})
                why = (
                    f"no worker has sphinx-numpy-learn {mine} installed (found: "
                    f"{', '.join(found)}; a worker needs {_DASK_EXTRA} at the build's version)"
                )
            _cluster_warning(app, f"the Dask scheduler at {address}: {why}; {here}")
            return None
        return cls(app, client, address, workers)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close(timeout=CONNECT_TIMEOUT)

    def run(self, jobs: list[NotebookJob], here: int) -> Iterator[tuple[NotebookJob, Outcome]]:
        """Run ``jobs`` on the cluster; those it does not return, ``here`` at a time on
        this machine."""
        LOGGER.info(
            "[learn] executing %d notebook(s) on the Dask cluster %s (%d worker(s))",
            len(jobs),
            self.address,
            len(self.workers),
        )
        version = installed_version()
        batch = uuid.uuid4().hex[:8]
        futures: list[Any] = []
        local: dict[int, Future[Outcome]] = {}
        pool: ThreadPoolExecutor | None = None

        def run_here(indexes: list[int]) -> None:
            nonlocal pool
            if pool is None:
                workers = max(1, min(here, len(jobs)))
                pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="learn-nb")
            for index in indexes:
                if index not in local:
                    local[index] = pool.submit(run_notebook, jobs[index])

        try:
            for index, job in enumerate(jobs):
                try:
                    futures.append(
                        self.client.submit(
                            run_on_worker,
                            remote_job(self.app, job, version),
                            key=f"learn-notebook-{batch}-{index}",
                            pure=False,
                        )
                    )
                except Exception as exc:  # the scheduler went away while submitting
                    self.lost(job, exc, gone=True)
                    run_here(list(range(index, len(jobs))))
                    break
            for index, job in enumerate(jobs):
                if index not in local:
                    try:
                        notebook, outcome = self.result(futures[index])
                    except Exception as exc:  # a lost worker or scheduler
                        gone = isinstance(exc, NoWorkers) or self.client.status != "running"
                        self.lost(job, exc, gone)
                        # Without the scheduler, a result done there cannot be fetched.
                        later = list(range(index + 1, len(futures))) if gone else []
                        for i in later:
                            with contextlib.suppress(Exception):
                                futures[i].cancel()
                        run_here([index, *later])
                    else:
                        job.notebook = notebook
                        yield job, outcome
                        continue
                yield job, local[index].result()
        finally:
            for future in futures:
                with contextlib.suppress(Exception):
                    future.cancel()
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)

    def result(self, future: Any) -> tuple[NotebookNode, Outcome]:
        """The future's result. Dask keeps a task waiting while the cluster has no
        worker: after :data:`CONNECT_TIMEOUT` seconds without one, it is lost."""
        without_workers = 0.0
        while True:
            try:
                return future.result(timeout=WAIT_STEP)
            except TimeoutError:
                if future.status != "pending":  # done meanwhile, or its own error
                    return future.result()
            if self.client.status != "running" or self.client.nthreads():
                without_workers = 0.0
                continue
            without_workers += WAIT_STEP
            if without_workers >= CONNECT_TIMEOUT:
                raise NoWorkers(f"no worker for {CONNECT_TIMEOUT:g} s")

    def lost(self, job: NotebookJob, exc: BaseException, gone: bool) -> None:
        """One warning per build: the cluster failed to return a notebook."""
        if self.warned:
            return
        self.warned = True
        if isinstance(exc, NoWorkers):
            reason = f"it has had no worker for {CONNECT_TIMEOUT:g} s"
        elif gone:
            reason = "the connection to the scheduler was lost"
        else:
            reason = _reason(exc)
        _cluster_warning(
            self.app,
            f"the Dask cluster {self.address} did not return notebook {job.docname} "
            f"({reason}); it runs on this machine, and so does every notebook the "
            "cluster does not return",
        )


def _version_text(value: Any) -> str:
    if isinstance(value, BaseException):
        return "none" if type(value).__name__ == "PackageNotFoundError" else _reason(value)
    return str(value)


def _cluster_warning(app: Sphinx, message: str) -> None:
    from sphinx_numpy_learn.config import conf_location

    warn(message, subtype="execution", location=conf_location(app, "learn_execution_cluster"))
