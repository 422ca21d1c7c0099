"""Notebook execution that fails loudly, never hangs silently and caches honestly.

MyST-NB executes a notebook while it parses it, inside Sphinx's (possibly parallel)
readers, and keys its jupyter-cache on code cells and kernel only. In ``cache``
mode (our recommended default) we execute first instead, in the main process,
just before Sphinx reads the documents (``env-before-read-docs``):

- each notebook about to be read is read with MyST-NB's own reader, so it matches
  the cache exactly as MyST-NB will. A cached record counts only when the content
  of the files the page declares as ``inputs`` is unchanged too;
- a notebook without a valid record runs under nbclient (``learn_execution_workers``
  at once, or on a Dask cluster: :mod:`sphinx_numpy_learn.notebooks.executors`),
  and the executed notebook is stored in the cache whether it succeeded or not.
  MyST-NB then finds every notebook in the cache, so no parallel reader
  executes a notebook or writes a new cache record;
- a failure names the document, the code cell, the failing line of the writer's code
  (:mod:`sphinx_numpy_learn.notebooks.failures`), the exception and the last library frames, and
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

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_numpy_learn import _compat
from sphinx_numpy_learn.domain import get_domain, page_may_show
from sphinx_numpy_learn.log import LOGGER, WARNING_TYPE, warn
from sphinx_numpy_learn.notebooks.cache import cached_record, store
from sphinx_numpy_learn.notebooks.executors import run_jobs
from sphinx_numpy_learn.notebooks.failures import (
    cell_error,
    cell_source_starts,
    format_frames,
    place_failure_box,
    shorten_paths,
)
from sphinx_numpy_learn.notebooks.read import myst_nb_read, prepare_job, read_notebook
from sphinx_numpy_learn.notebooks.run import (
    CACHED,
    EXECUTED,
    FAILED,
    FAILURES,
    IMPORTED,
    KERNEL_DIED,
    NOT_EXECUTED,
    NOT_RUN,
    OK,
    TIMED_OUT,
    NotebookJob,
    Outcome,
    strict,
)
from sphinx_numpy_learn.notebooks.shards import import_executed
from sphinx_numpy_learn.notebooks.state import _record, build_state, executions, shows_failure_box
from sphinx_numpy_learn.notebooks.unreadable import (
    EMPTY_IPYNB,
    UNREADABLE_KEY,
    Unreadable,
    report_unreadable,
    unreadable_message,
    unreadable_reason,
    unreadable_record,
)
from sphinx_numpy_learn.records import ExecutionRecord, execution_record, notebook_record
from sphinx_numpy_learn.untrusted import printable

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


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


def log_outcome(
    number: int, total: int, job: NotebookJob, outcome: Outcome, how: str | None = None
) -> None:
    """A notebook's line in the log once it has run, the ``number``-th of ``total``:
    ``[learn] (i/N) docname: status in 1.2 s``, or ``how`` in place of the time."""
    if how is None:
        how = f"in {outcome.runtime:.1f} s"
    LOGGER.info("[learn] (%d/%d) %s: %s %s", number, total, job.docname, outcome.status, how)


def execute_before_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: bring every notebook about to be read up to date."""
    state = build_state(app)
    state.to_read, state.read = set(docnames), []
    state.unreadable, state.checked = {}, False
    state.taken_over, state.configs = set(), None
    state.notebooks = {}
    if not app.config.learn_execution or _compat.mystnb_config(env) is None:
        return
    if _compat.mystnb_reader_factory() is None:
        warn(
            "this MyST-NB version has no reader sphinx-numpy-learn knows "
            "(myst_nb.core.read.create_nb_reader), so MyST-NB runs the notebooks itself "
            "and a declared input's change does not run a notebook again",
            subtype="setup",
        )
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
    # Notebooks a CI shard executed with the same key are stored, not run (shards.py).
    jobs = import_executed(app, jobs, previous, records)
    if not jobs:
        return

    # Several at a time, locally or on a Dask cluster; back in the jobs' order.
    for number, (job, outcome) in enumerate(run_jobs(app, jobs), start=1):
        store(job, outcome)
        record = _record(job, outcome, EXECUTED, previous[job.docname], time.time())
        records[job.docname] = record
        log_outcome(number, len(jobs), job, outcome)
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
                {CACHED: "from cache", NOT_RUN: "none", IMPORTED: "imported"}.get(
                    record["source"], "executed"
                ),
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
    if not page_may_show(app.env, app.builder, docname, ("outputs",)):
        return
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
