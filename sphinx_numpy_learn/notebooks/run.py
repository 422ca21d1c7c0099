"""Running one notebook with nbclient: the job, its outcome and the statuses a record
can have. A run never raises and never hangs: every kernel is stopped, however the
run ended.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_numpy_learn import _compat
from sphinx_numpy_learn.notebooks.failures import cell_error, shorten_paths
from sphinx_numpy_learn.untrusted import printable

if TYPE_CHECKING:
    from nbformat import NotebookNode
    from sphinx.application import Sphinx


# Record statuses. Words, not codes: they appear in the log and the report.
OK = "ok"
FAILED = "failed"
TIMED_OUT = "timed out"
KERNEL_DIED = "kernel died"
NOT_EXECUTED = "not executed"
FAILURES = (FAILED, TIMED_OUT, KERNEL_DIED)

# Sources of a record's outputs.
EXECUTED = "executed"
CACHED = "cache"
NOT_RUN = "not run"  # the notebook could not be read
IMPORTED = "imported"  # executed by a CI shard (learn_execution_import)

FALSE_WORDS = {"", "0", "false", "no", "off"}


# -- What one notebook needs to run ------------------------------------------------------


@dataclass
class NotebookJob:
    """A notebook about to be read, as MyST-NB will see it."""

    docname: str
    path: Path
    notebook: NotebookNode
    cache_path: str
    timeout: int
    allow_errors: bool
    cwd: str | None
    """``None``: a temporary directory (``nb_execution_in_temp``)."""
    inputs: list[str]
    """Declared input files that exist, relative to the source directory (POSIX)."""
    inputs_digest: str
    missing: list[str] = field(default_factory=list)
    """Declared inputs that match no file yet (or a link out of the source directory),
    relative to the source directory: the page depends on them."""
    mode: str = "cache"
    """MyST-NB's execution mode for this notebook: ``cache`` re-uses a valid record."""
    text: str = ""
    """The source file's text."""
    starts: list[int | None] = field(default_factory=list)
    """Per cell, the file line where its source starts."""


@dataclass
class Outcome:
    status: str
    runtime: float
    cell: int | None = None
    """Index of the failing cell in the notebook."""
    error: str = ""
    frames: list[str] = field(default_factory=list)
    """The innermost frame of the cell, then the last library frames (or the kernel's
    output, when it died)."""
    cell_line: int | None = None
    """The failing line in the cell (1-based)."""
    code: str = ""
    """That line's code."""
    traceback: str = ""
    """The whole traceback, for the page."""


def strict(app: Sphinx) -> bool:
    """Whether a failed notebook makes the build exit non-zero."""
    setting = app.config.learn_execution_strict
    if setting == "auto":
        return os.environ.get("CI", "").strip().lower() not in FALSE_WORDS
    return bool(setting)


def code_cell_number(notebook: NotebookNode, index: int) -> int:
    """1-based position of cell ``index`` among the notebook's code cells."""
    return sum(1 for cell in notebook.cells[: index + 1] if cell.cell_type == "code")


def cell_line(notebook: NotebookNode, index: int | None) -> int | None:
    """Line of cell ``index`` in a MyST Markdown file (MyST-NB's source map)."""
    source_map = notebook.metadata.get("source_map")
    if index is None or not source_map or index >= len(source_map):
        return None
    return int(source_map[index]) + 1


def _stderr_tail(stream: Any, lines: int = 5) -> list[str]:
    """The last lines the kernel wrote to stderr, without ipykernel's notices."""
    stream.seek(0)
    text = shorten_paths(printable(stream.read().decode("utf-8", "replace")))
    kept = [line for line in text.splitlines() if line.strip() and "[IPKernelApp]" not in line]
    return ["Kernel output (stderr):\n" + "\n".join(kept[-lines:])] if kept else []


KERNEL_STARTUP_MINIMUM = 10
"""Seconds a kernel may always take to start: a cold start on a busy CI machine."""
KERNEL_STARTUP_UNLIMITED = 60
"""nbclient's own wait, when the notebook has no timeout."""


def kernel_startup_timeout(cell_timeout: int | None) -> int:
    """How long a kernel may take to answer its first request: the notebook's
    timeout (a kernel that never answers is found as soon as a cell that never ends
    would be), but at least :data:`KERNEL_STARTUP_MINIMUM` seconds."""
    if cell_timeout is None or cell_timeout <= 0:
        return KERNEL_STARTUP_UNLIMITED
    return max(cell_timeout, KERNEL_STARTUP_MINIMUM)


def _stop_kernel(client: Any) -> None:
    """Leave no kernel, channel or exit handler behind, however the run ended.

    nbclient registers an ``atexit`` clean-up for each run and removes it only after
    a kernel has answered; when a kernel never answers, it stops the kernel but leaves
    the handler, which fails at exit ("Exception ignored in atexit callback ...
    AssertionError") and keeps the notebook in memory until then.
    """
    cleanup = _compat.kernel_cleanup(client)
    if cleanup is not None:  # else an nbclient we do not know: its own clean-up stays
        atexit.unregister(cleanup)
        if client.km is not None:  # still set: a kernel that failed to start, or ran
            with contextlib.suppress(Exception):  # a kernel that is gone already
                cleanup()
    if client.kc is not None:
        with contextlib.suppress(Exception):
            client.kc.stop_channels()


def run_notebook(job: NotebookJob) -> Outcome:
    """Execute ``job.notebook`` in place with nbclient; never raises."""
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    notebook = job.notebook
    running: dict[str, Any] = {"cell": None, "kernel ready": False}

    def on_notebook_start(notebook: NotebookNode) -> None:
        running["kernel ready"] = True  # the kernel answered: it runs the cells next

    def on_cell_start(cell: NotebookNode, cell_index: int) -> None:
        running["cell"] = cell_index

    declared = notebook.metadata.get("kernelspec")
    kernelspec = dict(declared) if isinstance(declared, dict) else None
    startup_timeout = kernel_startup_timeout(job.timeout)
    start = time.perf_counter()
    with contextlib.ExitStack() as stack:
        cwd = job.cwd or stack.enter_context(tempfile.TemporaryDirectory())
        client = NotebookClient(
            notebook,
            timeout=job.timeout,
            startup_timeout=startup_timeout,
            allow_errors=job.allow_errors,
            resources={"metadata": {"path": cwd}},
            on_notebook_start=on_notebook_start,
            on_cell_start=on_cell_start,
            record_timing=False,  # timings in cell metadata would change the cache key
        )
        stack.callback(_stop_kernel, client)
        # The kernel's own stderr (ipykernel's start-up notices, its complaints when
        # it is shut down mid-cell) would interleave with the build log; keep it, and
        # show its end only when the kernel dies.
        kernel_stderr = stack.enter_context(tempfile.TemporaryFile())
        try:
            client.execute(stderr=kernel_stderr)
        except CellTimeoutError:
            index = running["cell"]
            return Outcome(
                TIMED_OUT,
                time.perf_counter() - start,
                index,
                f"did not finish within {job.timeout} s (the per-cell timeout); the kernel "
                "was shut down",
            )
        except DeadKernelError:
            return Outcome(
                KERNEL_DIED,
                time.perf_counter() - start,
                running["cell"],
                "the kernel died while running this cell",
                _stderr_tail(kernel_stderr),
            )
        except CellExecutionError:
            index = running["cell"]
            error = cell_error(notebook.cells[index] if index is not None else None)
            if error is None:
                return Outcome(FAILED, time.perf_counter() - start, index)
            return Outcome(
                FAILED,
                time.perf_counter() - start,
                index,
                error.summary,
                error.frames,
                error.cell_line,
                error.code,
                error.traceback,
            )
        except NoSuchKernel as exc:
            return Outcome(
                FAILED,
                time.perf_counter() - start,
                None,
                f"no Jupyter kernel named {exc.name!r} is installed (set the notebook's "
                "kernelspec, or nb_kernel_rgx_aliases in conf.py)",
            )
        except Exception as exc:  # a kernel that cannot start, a bad notebook
            reason = f"{type(exc).__name__}: {shorten_paths(printable(str(exc))).strip()}"
            if not running["kernel ready"]:
                # Started, but never answered (or died first): nothing ran.
                name = client.kernel_name or (kernelspec or {}).get("name", "")
                return Outcome(
                    FAILED,
                    time.perf_counter() - start,
                    None,
                    f"the kernel {printable(str(name))!r} did not start: {reason}",
                    _stderr_tail(kernel_stderr),
                )
            return Outcome(FAILED, time.perf_counter() - start, running["cell"], reason)
        finally:
            # nbclient may rewrite the kernelspec; the cache key must stay MyST-NB's.
            if kernelspec:
                notebook.metadata["kernelspec"] = kernelspec
    runtime = time.perf_counter() - start
    for index, cell in enumerate(notebook.cells):
        tags = cell.get("metadata", {}).get("tags", [])
        if (
            cell.cell_type == "code"
            and "raises-exception" in tags
            and "skip-execution" not in tags
            and not any(o.get("output_type") == "error" for o in cell.get("outputs", []))
        ):
            return Outcome(
                FAILED,
                runtime,
                index,
                "tagged raises-exception, but it raised no exception",
            )
    return Outcome(OK, runtime)
