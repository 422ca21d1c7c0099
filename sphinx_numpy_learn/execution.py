"""Notebook execution that fails loudly, never hangs silently and caches honestly.

MyST-NB executes a notebook while it parses it, inside Sphinx's (possibly parallel)
readers, and keys its jupyter-cache on code cells and kernel only. In ``cache``
mode (our recommended default) we execute first instead, in the main process,
just before Sphinx reads the documents (``env-before-read-docs``):

- each notebook about to be read is read with MyST-NB's own reader, so it matches
  the cache exactly as MyST-NB will. A cached record counts only when the content
  of the files the page declares as ``inputs`` is unchanged too;
- a notebook without a valid record runs under nbclient (several at once with
  ``-j``), and the executed notebook is stored in the cache whether it succeeded
  or not. MyST-NB then finds every notebook in the cache, so no parallel reader
  executes a notebook or writes a new cache record;
- a failure names the document, the code cell, the failing line of the writer's code
  (:mod:`sphinx_numpy_learn.failures`), the exception and the last library frames, and
  (``learn_execution_strict``) the build exits non-zero;
- a notebook that failed is read again on the next build, so no cached output hides
  a failure.

``force``, ``auto`` and ``lazy`` are run the same way: we run each notebook the mode
would run (every one; those missing an output; those without any), and MyST-NB reads
it from the cache (:func:`use_mystnb_config`), so a failure is reported as in ``cache``
mode and never stops the build. ``inline`` stays MyST-NB's (its kernel stays alive for
``{eval}``), without its ``ExecutionError``; its failures are read from the notebook it
ran. ``off`` runs nothing.
"""

from __future__ import annotations

import atexit
import contextlib
import fnmatch
import hashlib
import os
import posixpath
import re
import tempfile
import time
import weakref
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_numpy_learn import _compat, metadata
from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.failures import (
    cell_error,
    cell_source_starts,
    failing_file_line,
    format_frames,
    place_failure_box,
    shorten_paths,
)
from sphinx_numpy_learn.log import LOGGER, WARNING_TYPE, warn
from sphinx_numpy_learn.notebook_format import NotebookProblem, check_version, read_ipynb
from sphinx_numpy_learn.records import ExecutionRecord, execution_record, notebook_record
from sphinx_numpy_learn.untrusted import printable

if TYPE_CHECKING:
    from nbformat import NotebookNode
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

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


def _front_matter_settings(text: str, suffix: str) -> tuple[list[str], int | None, int | None]:
    """``learn: inputs`` and ``learn: timeout`` of a page (invalid values are left to
    the metadata check, which reports them once, when the page is read)."""
    declared = metadata.from_front_matter(text, suffix)
    if declared is None or declared.unreadable:
        return [], None, None
    inputs = declared.values.get("inputs", [])
    if isinstance(inputs, str):
        inputs = [inputs]
    if not isinstance(inputs, list) or not all(isinstance(i, str) and i for i in inputs):
        inputs = []
    timeout = declared.values.get("timeout")
    if isinstance(timeout, bool) or not isinstance(timeout, int) or timeout <= 0:
        timeout = None
    return inputs, timeout, declared.lines.get("inputs", declared.line)


def resolve_inputs(
    app: Sphinx, docname: str, patterns: list[str], line: int | None
) -> tuple[list[str], list[str], str]:
    """Existing files matching ``patterns`` (relative to the page, or to the source
    directory when they start with ``/``), the patterns that match nothing, and a
    digest of the names and content of the files.

    A pattern that matches nothing is a warning. It enters the digest, and the page
    depends on it (:func:`note_notebook`), so the page is read and the notebook runs
    again once the file appears.

    Symbolic links are never followed into a loop or out of the source directory: a
    file comes once, under the first name that reaches it, and a link that leads out
    of the source directory is left out with a warning (and counts as missing, so
    the page is read again once it is fixed).
    """
    srcdir = Path(app.srcdir)
    real_srcdir = srcdir.resolve()
    page_dir = posixpath.dirname(docname)
    location = (docname, line) if line else docname
    found: list[str] = []
    missing: list[str] = []
    seen: set[Path] = set()
    digest = hashlib.sha256()
    for pattern in patterns:
        relative = pattern[1:] if pattern.startswith("/") else posixpath.join(page_dir, pattern)
        relative = posixpath.normpath(relative)
        matches = matching_files(srcdir, relative)
        if not matches:
            warn(
                f"declared input {pattern!r} matches no file (looked for {relative!r} in the "
                "source directory)",
                subtype="execution",
                location=location,
            )
            digest.update(f"missing:{relative}\n".encode())
            missing.append(relative)
            continue
        # A file reached under two names (a link to it) comes once, under its own.
        matches.sort(key=Path.is_symlink)
        named: dict[Path, Path] = {}
        for match in matches:
            named.setdefault(match.resolve(), match)
        for match in sorted(named.values()):
            name = PurePosixPath(os.path.relpath(match, srcdir).replace(os.sep, "/")).as_posix()
            real = match.resolve()
            if real in seen:
                continue  # matched by an earlier pattern already
            if name.startswith("../"):
                warn(
                    f"declared input {name!r} lies outside the source directory: the "
                    "notebook's cache follows it, but it cannot be offered for download",
                    subtype="execution",
                    location=location,
                )
            elif not real.is_relative_to(real_srcdir):
                warn(
                    f"declared input {name!r} is a symbolic link that leads out of the source "
                    f"directory (to {str(real)!r}); it is left out",
                    subtype="execution",
                    location=location,
                )
                digest.update(f"outside:{name}\n".encode())
                missing.append(name)
                continue
            seen.add(real)
            found.append(name)
            digest.update(f"{name}\0{_file_hash(match)}\n".encode())
    return found, missing, digest.hexdigest() if patterns else ""


_GLOB_MAGIC = re.compile(r"[*?[]")


def matching_files(srcdir: Path, pattern: str) -> list[Path]:
    """Files matching a glob ``pattern`` (POSIX, relative to ``srcdir``), sorted.

    ``**`` does not descend into symbolic links to folders (pathlib's rule, on every
    Python we support), so a link to a parent folder is no endless loop; ``glob.glob``
    follows them. Like ``glob.glob``, a wildcard does not match a hidden name (a
    leading dot) unless the pattern spells the dot.
    """
    parts = PurePosixPath(pattern).parts
    literal = next((i for i, part in enumerate(parts) if _GLOB_MAGIC.search(part)), len(parts))
    base, wild = srcdir.joinpath(*parts[:literal]), parts[literal:]
    if not wild:
        return [base] if base.is_file() else []
    if not base.is_dir():
        return []
    if wild[-1] == "**":
        wild += ("*",)  # glob.glob's "every file below"; pathlib's differs by version
    dotted = [part for part in wild if part.startswith(".")]
    return sorted(
        match
        for match in base.glob("/".join(wild))
        if match.is_file()
        and all(
            not name.startswith(".") or any(fnmatch.fnmatchcase(name, p) for p in dotted)
            for name in match.relative_to(base).parts
        )
    )


def _file_hash(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)", re.MULTILINE)


def may_be_notebook(path: str, text: str, nb_config: Any) -> bool:
    """False when MyST-NB surely reads ``path`` as plain Markdown, without parsing.

    MyST-NB takes a Markdown page for a notebook only when its front matter has a
    ``file_format`` or ``jupytext`` key, and finds out by parsing that front matter
    with pure-Python YAML. Doing that again for every page of a large site, before
    reading, was most of this layer's cost on a build; a page whose front matter
    does not even contain those words is skipped.
    """
    suffixes = (".ipynb", *nb_config.custom_formats)
    if path.endswith(suffixes):
        return True
    if not text.startswith("---"):
        return False
    end = _FRONT_MATTER_END.search(text, text.find("\n") + 1)
    head = text[: end.start()] if end else text
    return "file_format" in head or "jupytext" in head


def myst_nb_read(app: Sphinx, path: Path, text: str, nb_config: Any) -> NotebookNode | None:
    """The notebook MyST-NB's reader makes of ``text`` (``None``: not a notebook);
    raises what makes it unreadable, :class:`NotebookProblem` when we can say it."""
    from myst_nb.core.read import create_nb_reader

    if path.suffix == ".ipynb":
        # nbformat only logs a broken structure; the reader then fails on it, or
        # nbclient does, with a TypeError that names no cell.
        read_ipynb(text)
    reader = create_nb_reader(str(path), _compat.myst_config(app.env), nb_config, text)
    notebook = reader.read(text) if reader is not None else None
    if notebook is not None:
        check_version(notebook)
    return notebook


def read_notebook(app: Sphinx, docname: str) -> tuple[NotebookNode, Any, str] | None:
    """The notebook MyST-NB will parse for ``docname``, the MyST-NB settings it will
    use for it, and the source text; ``None`` when the page is not a notebook."""
    import nbformat
    from myst_nb.core.nb_to_tokens import nb_node_to_dict

    env = app.env
    nb_config = _compat.mystnb_config(env)
    path = Path(env.doc2path(docname))
    try:
        text = path.read_text(encoding=app.config.source_encoding)
    except (OSError, UnicodeDecodeError):
        return None  # Sphinx reports unreadable sources when it reads them
    if not may_be_notebook(str(path), text, nb_config):
        return None
    try:
        notebook = myst_nb_read(app, path, text, nb_config)
    except Exception as exc:  # any reader error is the notebook's
        problem = unreadable_reason(exc)
        build_state(app).unreadable[docname] = problem
        report_unreadable(app, docname, problem)
        return None
    if notebook is None:
        return None
    # nbformat upgrades an nbformat 3 notebook into its v3 NotebookNode class, which
    # jupyter-cache refuses to store: the same content, in the class everyone expects.
    notebook = nbformat.from_dict(notebook)
    # Mirror MyST-NB's own per-notebook adjustments, so the cache key is the same.
    kernelspec = notebook.metadata.get("kernelspec", {})
    kernel_name = kernelspec.get("name") if isinstance(kernelspec, dict) else None
    if kernel_name is not None:
        for pattern, alias in nb_config.kernel_rgx_aliases.items():
            if re.fullmatch(pattern, kernel_name):
                notebook.metadata["kernelspec"]["name"] = alias
                break
    if nb_config.metadata_key in notebook.metadata:
        overrides = nb_node_to_dict(notebook.metadata[nb_config.metadata_key])
        overrides.pop("output_folder", None)
        with contextlib.suppress(Exception):  # MyST-NB reports bad overrides itself
            nb_config = nb_config.copy(**overrides)
    return notebook, nb_config, text


@dataclass(frozen=True)
class Unreadable:
    """Why MyST-NB's reader rejects a notebook's source, and the line it points at."""

    reason: str
    line: int | None = None


_AT_LINE = re.compile(r"\bat line (\d+)")
# MyST-NB quotes the repr of its parser's warning: keep the words.
_PARSE_WARNING = re.compile(r"ParseWarnings\(msg=(?P<q>['\"])(?P<msg>.*?)(?P=q)[^)]*\)")


def unreadable_reason(exc: Exception) -> Unreadable:
    """The reader's error in words, with its line: a JSON error's own position (nbformat
    quotes the file's first characters instead), or MyST-NB's "at line N"."""
    import json

    if isinstance(exc, NotebookProblem):
        return Unreadable(exc.described, exc.line)
    for error in (exc, exc.__cause__, exc.__context__):
        if isinstance(error, json.JSONDecodeError):
            return Unreadable(
                f"it is not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})",
                error.lineno,
            )
    text = _PARSE_WARNING.sub(r"\g<msg>", " ".join(printable(str(exc)).split()))
    if len(text) > 300:
        text = text[:300] + "\u2026"
    found = _AT_LINE.search(text)
    return Unreadable(f"{type(exc).__name__}: {text}", int(found[1]) if found else None)


def unreadable_message(docname: str, problem: Unreadable) -> str:
    return printable(f"notebook {docname} cannot be read: {problem.reason}")


def report_unreadable(app: Sphinx, docname: str, problem: Unreadable) -> None:
    """Once per read of the page: an error with strict execution, else a warning."""
    location = (docname, problem.line) if problem.line else docname
    message = unreadable_message(docname, problem)
    if strict(app):
        LOGGER.error(message, type=WARNING_TYPE, subtype="execution", location=location)
    else:
        warn(message, subtype="execution", location=location)


def prepare_job(app: Sphinx, docname: str, *, any_mode: bool = False) -> NotebookJob | None:
    """What it takes to run ``docname``, or ``None`` when it is not a notebook we
    execute (MyST-NB then decides). ``any_mode`` prepares notebooks whatever
    MyST-NB's execution mode (for ``sphinx-numpy-learn check --execute``)."""
    found = read_notebook(app, docname)
    if found is None:
        return None
    notebook, nb_config, text = found
    path = Path(app.env.doc2path(docname))
    mode = nb_config.execution_mode
    if not any_mode and not runs_before_reading(mode, notebook):
        return None
    posix_path = PurePosixPath(path.as_posix())
    if any(posix_path.match(pattern) for pattern in nb_config.execution_excludepatterns):
        return None

    patterns, timeout, inputs_line = _front_matter_settings(text, path.suffix)
    inputs, missing, digest = resolve_inputs(app, docname, patterns, inputs_line)
    return NotebookJob(
        docname=docname,
        path=path,
        notebook=notebook,
        cache_path=str(nb_config.execution_cache_path),
        timeout=timeout or nb_config.execution_timeout,
        allow_errors=nb_config.execution_allow_errors,
        cwd=None if nb_config.execution_in_temp else str(path.parent),
        inputs=inputs,
        inputs_digest=digest,
        missing=missing,
        mode=mode if not any_mode else "force",
        text=text,
        starts=cell_source_starts(notebook, text, path.suffix),
    )


TAKEN_OVER = ("force", "auto", "lazy")
"""MyST-NB's modes that execute before parsing: we run those notebooks instead."""


def runs_before_reading(mode: str, notebook: NotebookNode) -> bool:
    """Whether we run ``notebook`` before reading in MyST-NB's ``mode``: always in
    ``cache`` (where a valid record may still spare the run) and ``force``; in
    ``auto`` when a code cell has no output, in ``lazy`` when none has any (MyST-NB's
    rules). ``inline`` and ``off`` are MyST-NB's."""
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    if mode == "auto":
        return any(not cell.get("outputs") for cell in code)
    if mode == "lazy":
        return all(not cell.get("outputs") for cell in code)
    return mode in {"cache", "force"}


# -- Running a notebook -------------------------------------------------------------------


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
    atexit.unregister(client._cleanup_kernel)
    if client.km is not None:  # still set: a kernel that failed to start, or ran
        with contextlib.suppress(Exception):  # a kernel that is gone already
            client._cleanup_kernel()
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


# -- The cache -----------------------------------------------------------------------------


def cached_record(job: NotebookJob) -> dict[str, Any] | None:
    """The cache's data for this notebook, when its outputs are still valid."""
    from jupyter_cache import get_cache

    cache = get_cache(job.cache_path)
    try:
        record = cache.match_cache_notebook(job.notebook)
    except KeyError:
        return None
    data = dict(record.data or {})
    if data.get("learn_status", OK) != OK:
        return None  # a failure is never re-used
    if data.get("learn_inputs", "") != job.inputs_digest:
        return None  # a declared input changed
    data["created"] = record.created.timestamp()
    return data


def executed_notebook(app: Sphinx, docname: str) -> NotebookNode | None:
    """The notebook with the outputs of its last run, from the cache (MyST-NB's
    ``jupyter_execute`` copy has no outputs when they came from the cache), else
    from the notebook MyST-NB wrote after running it itself."""
    import nbformat
    from jupyter_cache import get_cache

    found = read_notebook(app, docname)
    if found is None:
        return None
    notebook, nb_config, _text = found
    if nb_config.execution_mode == "cache":
        with contextlib.suppress(KeyError):
            return get_cache(nb_config.execution_cache_path).merge_match_into_notebook(notebook)[1]
    written = Path(_compat.mystnb_config(app.env).output_folder, *f"{docname}.ipynb".split("/"))
    return nbformat.read(written, as_version=4) if written.is_file() else None


def store(job: NotebookJob, outcome: Outcome) -> None:
    """Put the executed notebook in the cache, where MyST-NB's reader will find it."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    get_cache(job.cache_path).cache_notebook_bundle(
        CacheBundleIn(
            job.notebook,
            str(job.path),
            data={
                "execution_seconds": outcome.runtime,
                "learn_inputs": job.inputs_digest,
                "learn_status": outcome.status,
            },
        ),
        check_validity=False,
        overwrite=True,
    )


# -- The build ---------------------------------------------------------------------------


@dataclass
class BuildState:
    """What this build read and executed (main process only)."""

    to_read: set[str] = field(default_factory=set)
    """Every page Sphinx reads in this build."""
    read: list[str] = field(default_factory=list)
    """The notebooks among them that we ran or took from the cache."""
    unreadable: dict[str, Unreadable] = field(default_factory=dict)
    """The notebooks among them that MyST-NB's reader rejects (reported once, here)."""
    checked: bool = False
    """Whether every page to read went through :func:`read_notebook` before reading
    (parallel readers are forked afterwards and see the same answers)."""
    taken_over: set[str] = field(default_factory=set)
    """Notebooks we ran in a mode where MyST-NB would run them (``force`` ...): MyST-NB
    reads them from the cache."""
    configs: tuple[Any, Any, Any] | None = None
    """MyST-NB's settings as ``builder-inited`` made them; the same without its
    ``ExecutionError``; and those in ``cache`` mode (``None``: left alone)."""


_STATE: weakref.WeakKeyDictionary[Sphinx, BuildState] = weakref.WeakKeyDictionary()


def build_state(app: Sphinx) -> BuildState:
    return _STATE.setdefault(app, BuildState())


def executions(env: BuildEnvironment) -> dict[str, ExecutionRecord]:
    return get_domain(env).executions


def _record(
    job: NotebookJob, outcome: Outcome, source: str, previous: ExecutionRecord | None, when: float
) -> ExecutionRecord:
    last_success = (
        when if outcome.status == OK else (previous["last_success"] if previous else None)
    )
    index = outcome.cell
    return execution_record(
        status=outcome.status,
        runtime=round(outcome.runtime, 2),
        source=source,
        executed_at=when,
        last_success=last_success,
        error=outcome.error,
        cell=code_cell_number(job.notebook, index) if index is not None else None,
        line=failing_file_line(job.starts, job.text, job.path.suffix, index, outcome.cell_line),
        index=index,
        cell_line=outcome.cell_line,
        code=outcome.code,
        traceback=outcome.traceback,
        inputs=job.inputs,
        missing=job.missing,
    )


def unreadable_record(problem: Unreadable, previous: ExecutionRecord | None) -> ExecutionRecord:
    """The report's record of a notebook its reader rejects: failed, never run."""
    return execution_record(
        status=FAILED,
        runtime=0.0,
        source=NOT_RUN,
        executed_at=time.time(),
        last_success=previous["last_success"] if previous else None,
        error=f"cannot be read: {problem.reason}",
        cell=None,
        line=problem.line,
        inputs=[],
        missing=[],
    )


def warn_no_kernel(app: Sphinx, job: NotebookJob) -> None:
    from jupyter_client.kernelspec import NATIVE_KERNEL_NAME

    # A text notebook declares its kernel in the front matter, which starts on line 1.
    location = job.docname if job.path.suffix == ".ipynb" else (job.docname, 1)
    warn(
        f"notebook {job.docname} names no kernel (its metadata has no 'kernelspec'), so "
        f"it runs on the default kernel {NATIVE_KERNEL_NAME!r}; declare the kernel so that "
        "the build, the download and the launch links use the same one",
        subtype="execution",
        location=location,
    )


def where_it_failed(record: ExecutionRecord) -> str:
    """``code cell 2, line 4``, ``code cell 2`` or ``the notebook``."""
    if not record.get("cell"):
        return "the notebook"
    line = f", line {record['cell_line']}" if record.get("cell_line") else ""
    return f"code cell {record['cell']}{line}"


def failure_message(docname: str, record: ExecutionRecord, frames: list[str]) -> str:
    text = f"notebook {docname}: {where_it_failed(record)} {record['status']}: {record['error']}"
    if frames and record["status"] == FAILED and record["cell"]:
        # A failing cell: its own frame (the writer's line), then the library's.
        text += "\n" + "\n".join("  " + line for line in format_frames(frames))
    elif frames:  # a kernel's own output
        text += "\n  Details:\n" + "\n".join(
            "    " + line for frame in frames for line in frame.splitlines()
        )
    return printable(text)  # the error and the frames are the notebook's words


def report_failure(app: Sphinx, docname: str, record: ExecutionRecord, frames: list[str]) -> None:
    location = (docname, record["line"]) if record["line"] else docname
    message = failure_message(docname, record, frames)
    if strict(app):
        LOGGER.error(message, type=WARNING_TYPE, subtype="execution", location=location)
    else:
        warn(message, subtype="execution", location=location)


def execute_before_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: bring every notebook about to be read up to date."""
    state = build_state(app)
    state.to_read, state.read = set(docnames), []
    state.unreadable, state.checked = {}, False
    state.taken_over, state.configs = set(), None
    if not app.config.learn_execution or _compat.mystnb_config(env) is None:
        return
    state.checked = True
    state.configs = reading_configs(_compat.mystnb_config(env))
    records = executions(env)
    previous = {docname: records.pop(docname, None) for docname in docnames}
    jobs: list[NotebookJob] = []
    for docname in sorted(docnames):
        job = prepare_job(app, docname)
        if docname in state.unreadable:
            records[docname] = unreadable_record(state.unreadable[docname], previous[docname])
        if job is None:
            continue
        if "kernelspec" not in job.notebook.metadata:
            warn_no_kernel(app, job)
        state.read.append(docname)
        if job.mode != "cache":
            state.taken_over.add(docname)
        data = cached_record(job) if job.mode == "cache" else None
        if data is None:
            jobs.append(job)
            continue
        runtime = float(data.get("execution_seconds") or 0.0)
        outcome = Outcome(OK, runtime)
        records[docname] = _record(job, outcome, CACHED, previous[docname], data["created"])
    if not jobs:
        return

    workers = max(1, min(app.parallel, len(jobs)))
    LOGGER.info(
        "[learn] executing %d notebook(s)%s",
        len(jobs),
        f" ({workers} at a time)" if workers > 1 else "",
    )
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="learn-nb") as pool:
        futures: list[tuple[NotebookJob, Future[Outcome]]] = [
            (job, pool.submit(run_notebook, job)) for job in jobs
        ]
        for number, (job, future) in enumerate(futures, start=1):
            outcome = future.result()
            store(job, outcome)
            record = _record(job, outcome, EXECUTED, previous[job.docname], time.time())
            records[job.docname] = record
            LOGGER.info(
                "[learn] (%d/%d) %s: %s in %.1f s",
                number,
                len(jobs),
                job.docname,
                outcome.status,
                outcome.runtime,
            )
            if outcome.status != OK:
                report_failure(app, job.docname, record, outcome.frames)


def reading_configs(nb_config: Any) -> tuple[Any, Any, Any] | None:
    """MyST-NB's settings for reading: as they are; without ``ExecutionError`` (we
    report a failure, with its line, and the other pages are built); and in ``cache``
    mode, for the notebooks we ran. ``None`` when they cannot be copied."""
    changes = {"execution_raise_on_error": False, "execution_show_tb": False}
    quiet = _compat.copied_mystnb_config(nb_config, **changes)
    cached = _compat.copied_mystnb_config(nb_config, execution_mode="cache", **changes)
    if quiet is None or cached is None:
        return None
    return nb_config, quiet, cached


def use_mystnb_config(app: Sphinx, docname: str, content: list[str]) -> None:
    """``source-read``: MyST-NB reads a notebook we ran from the cache we stored it in,
    whatever its mode; and never stops the build with ``ExecutionError`` (a notebook
    it runs itself, ``inline``, is reported by :func:`note_notebook`)."""
    state = build_state(app)
    if state.configs is None:
        return
    _original, quiet, cached = state.configs
    _compat.set_mystnb_config(app.env, cached if docname in state.taken_over else quiet)


def restore_mystnb_config(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: MyST-NB's own settings again, for writing and the next build."""
    state = build_state(app)
    if state.configs is not None:
        _compat.set_mystnb_config(env, state.configs[0])


UNREADABLE_KEY = "learn_unreadable"
# What MyST-NB reads instead of a notebook its reader rejects: an empty notebook for
# the JSON reader (run by no one), nothing for text formats (then plain Markdown).
EMPTY_IPYNB = (
    '{"cells": [], "metadata": {"mystnb": {"execution_mode": "off"}}, '
    '"nbformat": 4, "nbformat_minor": 5}'
)


def read_problem(app: Sphinx, docname: str, text: str) -> Unreadable | None:
    """Why MyST-NB's reader would reject ``text`` as the source of ``docname``."""
    env = app.env
    path = Path(env.doc2path(docname))
    try:
        myst_nb_read(app, path, text, _compat.mystnb_config(env))
    except Exception as exc:  # any reader error is the notebook's
        return unreadable_reason(exc)
    return None


def replace_unreadable(app: Sphinx, docname: str, content: list[str]) -> None:
    """``source-read``: a notebook MyST-NB's reader rejects would stop the whole build
    with a traceback. Its page is read from an empty notebook instead, and shows the
    error (:func:`show_unreadable`); the problem is reported once, with its line."""
    if _compat.mystnb_config(app.env) is None:
        return
    state = build_state(app)
    problem = state.unreadable.get(docname)
    if problem is None and not state.checked:
        # Execution is left to MyST-NB: nothing read the notebooks before.
        problem = read_problem(app, docname, content[0])
        if problem is not None:
            report_unreadable(app, docname, problem)
    if problem is None:
        return
    content[0] = EMPTY_IPYNB if str(app.env.doc2path(docname)).endswith(".ipynb") else ""
    app.env.temp_data[UNREADABLE_KEY] = problem


def show_unreadable(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: the page of an unreadable notebook: its file name as the title
    (so the table of contents and the report can name it) and the reader's error."""
    problem: Unreadable | None = app.env.temp_data.pop(UNREADABLE_KEY, None)
    if problem is None:
        return
    env = app.env
    docname = env.docname
    name = Path(env.doc2path(docname)).name
    section = nodes.section(
        ids=[nodes.make_id(name) or "notebook"], names=[nodes.fully_normalize_name(name)]
    )
    section += nodes.title("", name)
    section += nodes.error(
        "", nodes.paragraph("", "", nodes.literal("", unreadable_message(docname, problem)))
    )
    doctree.clear()
    doctree += section
    executions(env).setdefault(docname, unreadable_record(problem, None))


def failed(record: ExecutionRecord) -> bool:
    """Whether the header card's execution badge says "Execution failed"."""
    return record["status"] not in (OK, NOT_EXECUTED)


def shows_failure_box(record: ExecutionRecord) -> bool:
    """Whether the page of the notebook with this record shows the failure box."""
    return record["status"] in FAILURES and record["source"] != NOT_RUN


def note_notebook(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: record the notebooks MyST-NB ran itself, and make the page
    depend on its declared inputs (so a changed data file re-reads it)."""
    env = app.env
    docname = env.docname
    # A notebook without a kernelspec is still one when it was run (warn_no_kernel).
    if "kernelspec" not in env.metadata.get(docname, {}) and docname not in build_state(app).read:
        return  # not a notebook
    records = executions(env)
    record = records.get(docname)
    if record is None:
        record = _from_myst_nb(app, docname)
        records[docname] = record
        if record["status"] in FAILURES:
            report_failure(app, docname, record, record.pop("frames", []))
    if shows_failure_box(record):
        place_failure_box(doctree, record, record.get("index"))
    get_domain(env).data["notebooks"][docname] = notebook_record(
        suffix=Path(env.doc2path(docname)).suffix,
        inputs=record.get("inputs", []),
    )
    # A missing input is a dependency too: Sphinx reads the page again on every
    # build until the file exists, so the warning stays and the file is picked up.
    for name in record.get("inputs", []) + record.get("missing", []):
        env.note_dependency(str(Path(app.srcdir, name)))


def _from_myst_nb(app: Sphinx, docname: str) -> ExecutionRecord:
    """A record from MyST-NB's own execution data (modes we do not run); a failure's
    cell, line and frames come from the notebook MyST-NB ran and wrote."""
    from myst_nb.sphinx_ import NbMetadataCollector

    env = app.env
    data = NbMetadataCollector.get_doc_data(env).get(docname, {}).get("exec_data") or {}
    succeeded = data.get("succeeded")
    status = NOT_EXECUTED if not data else (OK if succeeded else FAILED)
    when = data.get("mtime")
    error = shorten_paths(printable(str(data.get("error") or "")))  # the notebook's words
    record = execution_record(
        status=status,
        runtime=round(float(data.get("runtime") or 0.0), 2),
        source=CACHED if data.get("method") == "cache" and succeeded else EXECUTED,
        executed_at=when,
        last_success=when if succeeded else None,
        error=error,
        cell=None,
        line=None,
        inputs=[],
    )
    if status == FAILED:
        outcome, job = _myst_nb_failure(app, docname, error)
        if job is not None:
            runtime = record["runtime"]
            record = _record(job, outcome, EXECUTED, None, when or time.time())
            record.update({"runtime": runtime, "inputs": [], "missing": []})
            record["frames"] = outcome.frames
    return record


# MyST-NB names the exception of a run that failed: ours are words.
_MYST_NB_STATUS = {"CellTimeoutError": TIMED_OUT, "DeadKernelError": KERNEL_DIED}


def _myst_nb_failure(app: Sphinx, docname: str, error: str) -> tuple[Outcome, NotebookJob | None]:
    """The failing cell of a notebook MyST-NB ran (the first unexpected error output,
    or for a timeout the last cell that started), from the copy it wrote."""
    import nbformat

    status = _MYST_NB_STATUS.get(error, FAILED)
    outcome = Outcome(status, 0.0, None, error)
    found = read_notebook(app, docname)
    written = Path(_compat.mystnb_config(app.env).output_folder, *f"{docname}.ipynb".split("/"))
    if found is None or not written.is_file():
        return outcome, None
    source, _nb_config, text = found
    try:
        ran = nbformat.read(written, as_version=4)
    except Exception:  # a file MyST-NB wrote badly: keep what its data said
        return outcome, None
    code = [
        (index, cell)
        for index, cell in enumerate(ran.cells)
        if cell.cell_type == "code" and index < len(source.cells)
    ]
    for index, cell in code:
        tags = cell.get("metadata", {}).get("tags", [])
        failure = None if "raises-exception" in tags else cell_error(cell)
        if failure is not None:
            outcome = Outcome(
                FAILED,
                0.0,
                index,
                failure.summary,
                failure.frames,
                failure.cell_line,
                failure.code,
                failure.traceback,
            )
            break
    else:
        started = [index for index, cell in code if cell.get("execution_count") is not None]
        if started:
            outcome.cell = started[-1]
        if status == TIMED_OUT:
            outcome.error = "did not finish within the per-cell timeout; the kernel was shut down"
        elif status == KERNEL_DIED:
            outcome.error = "the kernel died while running this cell"
    path = Path(app.env.doc2path(docname))
    job = NotebookJob(
        docname=docname,
        path=path,
        notebook=source,
        cache_path="",
        timeout=0,
        allow_errors=False,
        cwd=None,
        inputs=[],
        inputs_digest="",
        mode="inline",
        text=text,
        starts=cell_source_starts(source, text, path.suffix),
    )
    return outcome, job


def read_failed_again(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated``: a notebook that failed runs again until it passes."""
    records = executions(env)
    for docname in removed:
        records.pop(docname, None)
    if not app.config.learn_execution:
        return []
    return sorted(
        docname
        for docname, record in records.items()
        if record["status"] in FAILURES and docname in env.found_docs
    )


def summarize(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: a table of the notebooks this build read; a failure makes
    the build exit non-zero when execution is strict."""
    if exception is not None:
        return
    state = build_state(app)
    records = executions(app.env)
    # With the notebooks MyST-NB ran itself (inline), read in this build.
    ran = {d for d in state.to_read if d in records and records[d]["status"] != NOT_EXECUTED}
    read = [d for d in sorted({*state.read, *state.unreadable, *ran}) if d in records]
    if read:
        LOGGER.info("")
        LOGGER.info("[learn] notebook execution summary:")
        for line in summary_table(read, records):
            LOGGER.info("  %s", line)
    failed = sorted(docname for docname, record in records.items() if record["status"] in FAILURES)
    if failed and strict(app):
        LOGGER.info("[learn] %d notebook(s) failed to execute: %s", len(failed), ", ".join(failed))
        app.statuscode = 1


def summary_table(docnames: list[str], records: dict[str, ExecutionRecord]) -> list[str]:
    rows = [("notebook", "status", "time", "outputs")]
    for docname in docnames:
        record = records[docname]
        where = f" (code cell {record['cell']})" if record["cell"] else ""
        rows.append(
            (
                printable(docname),  # a file name may hold control characters too
                record["status"] + where,
                f"{record['runtime']:.1f} s",
                {CACHED: "from cache", NOT_RUN: "none"}.get(record["source"], "executed"),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def clean_outputs(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: the outputs MyST-NB shows (a traceback, a stream) are the
    notebook's text: escape sequences beyond colours (a terminal hyperlink) and
    control characters would make the page's XML invalid (epub, ``-b xml``). HTML
    keeps the colours, which MyST-NB's ANSI lexer turns into styles."""
    keep_colours = app.builder.format == "html"
    for block in doctree.findall(nodes.literal_block):
        if "output" not in block["classes"] or not all(
            isinstance(child, nodes.Text) for child in block.children
        ):
            continue
        # The text as stored: astext() would drop a NUL (docutils' escape marker).
        text = "".join(map(str, block.children))
        cleaned = printable(text, keep_colours=keep_colours)
        if cleaned != text:
            # rawsource too: Sphinx highlights a block only when both agree.
            block.rawsource = cleaned
            block[:] = [nodes.Text(cleaned)]


def setup_execution(app: Sphinx) -> None:
    app.connect("env-before-read-docs", execute_before_reading)
    app.connect("env-get-outdated", read_failed_again)
    # Before tutorial.keep_front_matter (500) reads the source.
    app.connect("source-read", replace_unreadable, priority=400)
    app.connect("source-read", use_mystnb_config, priority=400)
    app.connect("env-updated", restore_mystnb_config)
    # Before Sphinx's title collector (500) looks for the page's title.
    app.connect("doctree-read", show_unreadable, priority=400)
    # Before the tutorial header is built (priority 500), which shows the result.
    app.connect("doctree-read", note_notebook, priority=450)
    app.connect("doctree-resolved", clean_outputs)
    app.connect("build-finished", summarize)
