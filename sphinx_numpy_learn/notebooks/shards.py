"""CI sharding: notebooks executed ahead of the build, in several jobs, and imported.

``sphinx-numpy-learn execute DOCS --shard I/N --output DIR`` (:func:`execute_shard`)
loads the project as the build does, finds the notebooks the build would run (those
without a valid record in the project's jupyter-cache, the same lookup and the same
keys as :func:`~sphinx_numpy_learn.notebooks.events.execute_before_reading`, declared
inputs included), takes its share of them and runs it. It writes into ``DIR``:

- ``learn-shard-I-of-N/<docname>.ipynb``: each executed notebook, failures included;
- ``learn-shard-I-of-N.json``: the manifest. Per notebook: its document name and source
  file, its cache key (the notebook's hash as jupyter-cache computes it, and the digest
  of its declared inputs), the outcome (status, run time, when, and a failure's cell,
  line, error and frames).

The share is deterministic: the notebooks to run, sorted by document name, dealt
round-robin (shard I takes the I-th, the (I+N)-th, ...). Shards that see the same
sources and the same cache (one commit, one cache or none) are disjoint and together
cover every notebook; their sizes differ by one at most.

The build imports such folders (``learn_execution_import``, :func:`import_executed`):
a notebook missing from the cache whose executed copy has the *same* key, recomputed
from the current source, is stored into jupyter-cache instead of being run; any other
runs as usual, so nothing stale is ever used and nothing done is run again. A failure
is imported once, with the same message as a failure of the build's own; like one, it
runs again on the next build. ``execute --merge DIR...`` (:func:`merge`) stores the
folders' successful notebooks into the project's cache without building.
"""

from __future__ import annotations

import dataclasses
import os
import re
import time
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from sphinx_numpy_learn import _compat
from sphinx_numpy_learn.log import LOGGER, warn
from sphinx_numpy_learn.notebooks.cache import cached_record, store
from sphinx_numpy_learn.notebooks.executors import run_jobs
from sphinx_numpy_learn.notebooks.read import prepare_job
from sphinx_numpy_learn.notebooks.run import (
    EXECUTED,
    IMPORTED,
    OK,
    NotebookJob,
    Outcome,
    strict,
)
from sphinx_numpy_learn.notebooks.shard_manifest import (
    Executed,
    ShardWriter,
    file_location,
    read_folders,
)
from sphinx_numpy_learn.notebooks.state import _record
from sphinx_numpy_learn.untrusted import printable

if TYPE_CHECKING:
    from nbformat import NotebookNode
    from sphinx.application import Sphinx

    from sphinx_numpy_learn.check.runner import Project
    from sphinx_numpy_learn.records import ExecutionRecord


# -- Which notebooks a shard runs --------------------------------------------------------


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/4"`` as ``(2, 4)``; raises :class:`ValueError` saying what is wrong."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if match is None:
        raise ValueError(
            f"expected I/N (this shard's number and the number of shards, such as 2/4), "
            f"got {text!r}"
        )
    index, count = int(match.group(1)), int(match.group(2))
    if count < 1 or not 1 <= index <= count:
        raise ValueError(f"expected 1 <= I <= N in I/N, got {text!r}")
    return index, count


def share(docnames: Sequence[str], index: int, count: int) -> list[str]:
    """Shard ``index`` of ``count``'s share of ``docnames``: sorted, dealt round-robin."""
    return sorted(docnames)[index - 1 :: count]


def cache_key(job: NotebookJob) -> str | None:
    """The notebook's hash as jupyter-cache computes it (the key MyST-NB looks up);
    ``None`` when jupyter-cache cannot hash it (it cannot store it either)."""
    from jupyter_cache import get_cache

    try:
        return str(get_cache(job.cache_path).create_hashed_notebook(job.notebook)[1])
    except Exception:  # a notebook version jupyter-cache refuses: the build reports it
        return None


def _has_cache(cache_path: str) -> bool:
    """Whether the jupyter-cache exists: a shard only reads it, and never creates one."""
    from jupyter_cache.cache.db import DB_NAME

    return Path(cache_path, DB_NAME).is_file()


def jobs_to_run(app: Sphinx) -> list[NotebookJob]:
    """The notebooks the build would run, sorted by name: prepared and looked up in
    the cache as :func:`execute_before_reading` does."""
    jobs = []
    for docname in sorted(app.env.found_docs):
        job = prepare_job(app, docname)
        if job is None:
            continue
        if job.mode == "cache" and _has_cache(job.cache_path) and cached_record(job):
            continue
        jobs.append(job)
    return jobs


def run_share(
    app: Sphinx, jobs: list[NotebookJob], workers: int
) -> Iterator[tuple[NotebookJob, Outcome]]:
    """Run ``jobs`` as the build runs notebooks, ``workers`` at a time (or on the Dask
    cluster of ``learn_execution_cluster``); yield each job with its outcome, in the
    jobs' order."""
    yield from run_jobs(app, jobs, workers=workers, announce=False)


def execute_shard(app: Sphinx, index: int, count: int, output: Path, workers: int) -> int:
    """Run shard ``index`` of ``count`` and write it to ``output``; the exit status:
    1 when a notebook failed and the build would fail for it (strict execution)."""
    from sphinx_numpy_learn.notebooks.events import log_outcome, report_failure

    jobs = jobs_to_run(app)
    mine = set(share([job.docname for job in jobs], index, count))
    jobs = [job for job in jobs if job.docname in mine]
    keys = {job.docname: cache_key(job) for job in jobs}  # before running: it adds outputs
    writer = ShardWriter(output, index, count, app.srcdir)
    at_once = min(workers, len(jobs))
    LOGGER.info(
        "[learn] shard %d/%d: executing %d notebook(s)%s",
        index,
        count,
        len(jobs),
        f" ({at_once} at a time)" if at_once > 1 else "",
    )
    failed = []
    for number, (job, outcome) in enumerate(run_share(app, jobs, workers), start=1):
        when = time.time()
        log_outcome(number, len(jobs), job, outcome)
        if outcome.status != OK:
            failed.append(job.docname)
            record = _record(job, outcome, EXECUTED, None, when)
            report_failure(app, job.docname, record, outcome.frames)
        writer.add(job, outcome, keys[job.docname], when)
    writer.finish()
    LOGGER.info(
        "[learn] shard %d/%d: wrote %d notebook(s) to %s%s",
        index,
        count,
        len(writer.entries),
        output,
        f" ({len(failed)} failed: {', '.join(failed)})" if failed else "",
    )
    return 1 if failed and strict(app) else 0


def import_folders(app: Sphinx) -> list[Path]:
    """``learn_execution_import``'s folders, relative to the folder of ``conf.py``; a
    missing one is a ``learn.execution`` warning, and skipped."""
    base = Path(app.confdir or app.srcdir)
    folders = []
    for entry in app.config.learn_execution_import:
        folder = Path(os.path.normpath(base / entry))
        if folder.is_dir():
            folders.append(folder)
            _warn_if_read_as_pages(app, folder)
        else:
            warn(
                f"execution import folder {printable(str(entry))!r} does not exist (looked "
                f"for {printable(str(folder))!r}); it is skipped, and the notebooks it would "
                "have brought are executed",
                subtype="execution",
                location=conf_location_of_import(app),
            )
    return folders


def _warn_if_read_as_pages(app: Sphinx, folder: Path) -> None:
    """Executed notebooks inside the source folder are pages too, unless excluded."""
    try:
        inside = PurePosixPath(folder.resolve().relative_to(Path(app.srcdir).resolve()))
    except ValueError:
        return  # outside the source folder: the usual place
    prefix = "" if str(inside) == "." else f"{inside.as_posix()}/"
    if any(docname.startswith(prefix) for docname in app.env.found_docs if prefix):
        warn(
            f"execution import folder {printable(str(folder))!r} lies in the source folder, "
            "so Sphinx reads its executed notebooks as pages: put it outside the source "
            "folder, or add it to exclude_patterns",
            subtype="execution",
            location=conf_location_of_import(app),
        )


def conf_location_of_import(app: Sphinx) -> str | None:
    from sphinx_numpy_learn.config import conf_location

    return conf_location(app, "learn_execution_import")


# -- Taking a notebook from a shard ------------------------------------------------------


def _fresh(
    job: NotebookJob, candidates: list[Executed], previous: ExecutionRecord | None
) -> tuple[Executed, NotebookNode] | None:
    """The first of ``candidates`` that ran this very notebook (same key, recomputed
    from the current source), with its executed notebook; ``None``: run it."""
    import nbformat

    key = cache_key(job)
    same = [
        c for c in candidates if key is not None and (c.key, c.inputs) == (key, job.inputs_digest)
    ]
    if candidates and not same:
        LOGGER.info(
            "[learn] %s: changed since shard %s ran it; it is executed",
            job.docname,
            candidates[0].shard,
        )
    for candidate in same:
        if (
            candidate.outcome.status != OK
            and previous is not None
            and (previous["executed_at"] or 0) >= candidate.executed_at
        ):
            continue  # a failure reported once already runs again, as any failure does
        try:
            notebook = nbformat.read(candidate.notebook, as_version=4)
        except Exception as exc:  # missing, or not a notebook
            warn(
                f"the notebook shard {candidate.shard} executed for {job.docname} cannot be "
                f"read ({printable(type(exc).__name__)}); it is executed instead",
                subtype="execution",
                location=file_location(candidate.notebook),
            )
            continue
        cell = candidate.outcome.cell
        if cache_key(dataclasses.replace(job, notebook=notebook)) != key or (
            cell is not None and cell >= len(job.notebook.cells)
        ):
            warn(
                f"the notebook shard {candidate.shard} executed for {job.docname} is not "
                "the one its manifest names (its code differs); it is executed instead",
                subtype="execution",
                location=file_location(candidate.notebook),
            )
            continue
        return candidate, notebook
    return None


def import_executed(
    app: Sphinx,
    jobs: list[NotebookJob],
    previous: dict[str, ExecutionRecord | None],
    records: dict[str, ExecutionRecord],
) -> list[NotebookJob]:
    """For the build: store the notebooks of ``jobs`` that an imported shard executed
    (same key) into jupyter-cache, record them, and return the jobs left to run."""
    if not app.config.learn_execution_import:
        return jobs
    available = read_folders(import_folders(app))
    if not jobs or not available:
        return jobs
    left: list[NotebookJob] = []
    taken: list[tuple[NotebookJob, Executed, NotebookNode]] = []
    for job in jobs:
        found = _fresh(job, available.get(job.docname, []), previous.get(job.docname))
        if found is None:
            left.append(job)
        else:
            taken.append((job, *found))
    if taken:
        _take(app, taken, previous, records)
    return left


def _take(
    app: Sphinx,
    taken: list[tuple[NotebookJob, Executed, NotebookNode]],
    previous: dict[str, ExecutionRecord | None],
    records: dict[str, ExecutionRecord],
) -> None:
    from sphinx_numpy_learn.notebooks.events import log_outcome, report_failure

    LOGGER.info("[learn] importing %d notebook(s) executed by shards", len(taken))
    for number, (job, executed, notebook) in enumerate(taken, start=1):
        outcome = dataclasses.replace(executed.outcome, frames=list(executed.outcome.frames))
        store(dataclasses.replace(job, notebook=notebook), outcome)
        record = _record(job, outcome, IMPORTED, previous.get(job.docname), executed.executed_at)
        records[job.docname] = record
        log_outcome(number, len(taken), job, outcome, f"(imported from shard {executed.shard})")
        if outcome.status != OK:
            report_failure(app, job.docname, record, outcome.frames)


def merge(app: Sphinx, folders: Sequence[Path]) -> int:
    """``execute --merge``: store the folders' notebooks that the build would run (and
    that succeeded) into the project's jupyter-cache; the number stored."""
    available = read_folders(folders)
    merged = 0
    for job in jobs_to_run(app):
        found = _fresh(job, available.get(job.docname, []), None)
        if found is None:
            continue
        executed, notebook = found
        if executed.outcome.status != OK:
            LOGGER.info(
                "[learn] %s: not merged (%s in shard %s); the build runs it and reports it",
                job.docname,
                executed.outcome.status,
                executed.shard,
            )
            continue
        store(dataclasses.replace(job, notebook=notebook), executed.outcome)
        merged += 1
        LOGGER.info("[learn] %s: merged from shard %s", job.docname, executed.shard)
    LOGGER.info("[learn] merged %d notebook(s) into %s", merged, _cache_of(app))
    return merged


def _cache_of(app: Sphinx) -> str:
    return str(_compat.mystnb_config(app.env).execution_cache_path)


# -- The project, as the build sees it ---------------------------------------------------


def load(docs_dir: Path, build_dir: Path | None, doctree_dir: Path | None) -> Project:
    """The project loaded for ``execute`` (``conf.py`` as the real build, nothing
    written), logging to the terminal, with the jupyter-cache the build of
    ``build_dir`` (sphinx-build's output folder; default ``DOCS/_build/html``) and
    ``doctree_dir`` (its ``-d``; default ``BUILD_DIR/.doctrees``) uses. Raises
    :class:`~sphinx_numpy_learn.check.runner.UsageError`."""
    import sys

    from sphinx.util import logging
    from sphinx.util.console import color_terminal, nocolor

    from sphinx_numpy_learn.check.runner import UsageError, load_project

    project = load_project(docs_dir)
    app = project.app
    if not color_terminal():
        nocolor()
    logging.setup(app, sys.stdout, sys.stderr)
    nb_config = _compat.mystnb_config(app.env)
    problem = None
    if not app.config.learn_execution:
        problem = "learn_execution is False: MyST-NB runs the notebooks itself"
    elif nb_config is None or _compat.mystnb_reader_factory() is None:
        problem = "the project does not load a MyST-NB sphinx-numpy-learn knows (myst_nb 1.x)"
    if problem is None:
        build_dir = build_dir or docs_dir / "_build" / "html"
        doctree_dir = doctree_dir or build_dir / ".doctrees"
        # Where the build keeps its cache: what conf.py sets, else our recommended
        # default (next to the doctrees), else MyST-NB's (next to the output folder).
        where = str(nb_config.execution_cache_path)
        if where == str(Path(app.doctreedir, "jupyter_cache")):
            where = str(Path(doctree_dir, "jupyter_cache").resolve())
        elif where == str(Path(app.outdir).parent.joinpath(".jupyter_cache").resolve()):
            where = str(build_dir.resolve().parent / ".jupyter_cache")
        copied = _compat.copied_mystnb_config(nb_config, execution_cache_path=where)
        if copied is None:
            problem = "this MyST-NB's settings cannot be copied"
        else:
            _compat.set_mystnb_config(app.env, copied)
    if problem is not None:
        project.close()
        raise UsageError(f"{docs_dir}: cannot execute its notebooks ahead of the build: {problem}")
    return project
