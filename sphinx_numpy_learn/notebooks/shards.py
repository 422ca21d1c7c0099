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
import json
import os
import re
import shutil
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from sphinx_numpy_learn import __version__, _compat
from sphinx_numpy_learn.log import LOGGER, warn
from sphinx_numpy_learn.notebooks.cache import cached_record, store
from sphinx_numpy_learn.notebooks.read import prepare_job
from sphinx_numpy_learn.notebooks.run import (
    EXECUTED,
    FAILURES,
    IMPORTED,
    OK,
    NotebookJob,
    Outcome,
    run_notebook,
    strict,
)
from sphinx_numpy_learn.notebooks.state import _record
from sphinx_numpy_learn.untrusted import printable

if TYPE_CHECKING:
    from nbformat import NotebookNode
    from sphinx.application import Sphinx

    from sphinx_numpy_learn.check.runner import Project
    from sphinx_numpy_learn.records import ExecutionRecord

FORMAT = 1
"""The manifest's format: a build reads only the format it knows."""
MANIFEST_PATTERN = "learn-shard-*-of-*.json"
_MANIFEST_NAME = re.compile(r"learn-shard-(\d+)-of-(\d+)\.json")


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


def shard_name(index: int, count: int) -> str:
    return f"learn-shard-{index}-of-{count}"


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
    """Run ``jobs`` as the build runs notebooks, ``workers`` at a time; yield each job
    with its outcome, in the jobs' order."""
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(jobs)))) as pool:
        futures: list[tuple[NotebookJob, Future[Outcome]]] = [
            (job, pool.submit(run_notebook, job)) for job in jobs
        ]
        for job, future in futures:
            yield job, future.result()


def execute_shard(app: Sphinx, index: int, count: int, output: Path, workers: int) -> int:
    """Run shard ``index`` of ``count`` and write it to ``output``; the exit status:
    1 when a notebook failed and the build would fail for it (strict execution)."""
    import nbformat

    from sphinx_numpy_learn.notebooks.events import report_failure

    name = shard_name(index, count)
    jobs = jobs_to_run(app)
    mine = set(share([job.docname for job in jobs], index, count))
    jobs = [job for job in jobs if job.docname in mine]
    keys = {job.docname: cache_key(job) for job in jobs}  # before running: it adds outputs
    folder = output / name
    if folder.exists():
        shutil.rmtree(folder)  # this shard's earlier run: nothing of it may stay
    folder.mkdir(parents=True)
    total = len(jobs)
    LOGGER.info(
        "[learn] shard %d/%d: executing %d notebook(s)%s",
        index,
        count,
        total,
        f" ({min(workers, total)} at a time)" if min(workers, total) > 1 else "",
    )
    entries = []
    failed = []
    for number, (job, outcome) in enumerate(run_share(app, jobs, workers), start=1):
        when = time.time()
        LOGGER.info(
            "[learn] (%d/%d) %s: %s in %.1f s",
            number,
            len(jobs),
            job.docname,
            outcome.status,
            outcome.runtime,
        )
        if outcome.status != OK:
            failed.append(job.docname)
            report_failure(
                app, job.docname, _record(job, outcome, EXECUTED, None, when), outcome.frames
            )
        written = folder.joinpath(*f"{job.docname}.ipynb".split("/"))
        written.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(job.notebook, written)
        entries.append(
            {
                "docname": job.docname,
                "source": PurePosixPath(os.path.relpath(job.path, app.srcdir)).as_posix(),
                "notebook": f"{name}/{job.docname}.ipynb",
                "hash": keys[job.docname],
                "inputs": job.inputs_digest,
                "status": outcome.status,
                "runtime": round(outcome.runtime, 2),
                "executed_at": when,
                "failure": None
                if outcome.status == OK
                else {
                    "cell": outcome.cell,
                    "error": outcome.error,
                    "frames": outcome.frames,
                    "cell_line": outcome.cell_line,
                    "code": outcome.code,
                    "traceback": outcome.traceback,
                },
            }
        )
    manifest = {
        "format": FORMAT,
        "shard": f"{index}/{count}",
        "generator": f"sphinx-numpy-learn {__version__}",
        "created": time.time(),
        "notebooks": entries,
    }
    # The manifest last, whole or not at all: a folder without one imports nothing.
    path = output / f"{name}.json"
    partial = path.with_suffix(".json.partial")
    partial.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    partial.replace(path)
    LOGGER.info(
        "[learn] shard %d/%d: wrote %d notebook(s) to %s%s",
        index,
        count,
        len(entries),
        output,
        f" ({len(failed)} failed: {', '.join(failed)})" if failed else "",
    )
    return 1 if failed and strict(app) else 0


# -- Reading shards ----------------------------------------------------------------------


@dataclass(frozen=True)
class Executed:
    """A notebook a shard executed, as its manifest describes it."""

    docname: str
    notebook: Path
    key: str
    inputs: str
    outcome: Outcome
    executed_at: float
    shard: str
    """``"2/4"``: which shard ran it."""


class BadManifest(Exception):
    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


def _at(path: Path, line: int = 1) -> str:
    """A warning's location in a file that is not a document: ``path:line``."""
    return f"{path}:{line}"


def _text(entry: dict[str, Any], key: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str):
        raise BadManifest(f"its {key!r} is not text")
    return value


def _number(entry: dict[str, Any], key: str, *, optional: bool = False) -> Any:
    value = entry.get(key)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise BadManifest(f"its {key!r} is not a number")
    return value


def _executed(entry: Any, folder: Path, shard: str) -> Executed:
    if not isinstance(entry, dict):
        raise BadManifest("a notebook entry is not an object")
    docname = _text(entry, "docname")
    parts = PurePosixPath(docname).parts
    if not parts or docname.startswith("/") or "\\" in docname or ".." in parts:
        raise BadManifest(f"the document name {docname!r} is not one")
    status = _text(entry, "status")
    if status not in (OK, *FAILURES):
        raise BadManifest(f"{docname}: unknown status {status!r}")
    failure = entry.get("failure") or {}
    if not isinstance(failure, dict):
        raise BadManifest(f"{docname}: its 'failure' is not an object")
    frames = failure.get("frames") or []
    if not isinstance(frames, list) or not all(isinstance(f, str) for f in frames):
        raise BadManifest(f"{docname}: its failure's 'frames' are not text")
    outcome = Outcome(
        status,
        float(_number(entry, "runtime")),
        _number(failure, "cell", optional=True),
        str(failure.get("error") or ""),
        frames,
        _number(failure, "cell_line", optional=True),
        str(failure.get("code") or ""),
        str(failure.get("traceback") or ""),
    )
    return Executed(
        docname=docname,
        notebook=folder.joinpath(*parts[:-1], f"{parts[-1]}.ipynb"),
        key=_text(entry, "hash"),
        inputs=_text(entry, "inputs"),
        outcome=outcome,
        executed_at=float(_number(entry, "executed_at")),
        shard=shard,
    )


def read_manifest(path: Path) -> list[Executed]:
    """The notebooks of one shard's manifest; raises :class:`BadManifest`."""
    match = _MANIFEST_NAME.fullmatch(path.name)
    if match is None:
        raise BadManifest("not a shard manifest (learn-shard-I-of-N.json)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise BadManifest(f"not valid JSON: {exc.msg}", exc.lineno) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadManifest(f"cannot be read: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadManifest(
            f"format {data.get('format') if isinstance(data, dict) else None!r} is not "
            f"{FORMAT}, the one this sphinx-numpy-learn writes; run the shards again with it"
        )
    notebooks = data.get("notebooks")
    if not isinstance(notebooks, list):
        raise BadManifest("its 'notebooks' is not a list")
    shard = f"{match.group(1)}/{match.group(2)}"
    folder = path.with_suffix("")
    return [_executed(entry, folder, shard) for entry in notebooks]


def manifests_in(folder: Path) -> list[Path]:
    """The manifests in ``folder`` and in its sub-folders (one per downloaded artifact)."""
    return sorted(folder.glob(MANIFEST_PATTERN)) + sorted(folder.glob(f"*/{MANIFEST_PATTERN}"))


def read_folders(folders: Sequence[Path]) -> dict[str, list[Executed]]:
    """Every executed notebook of ``folders``, by document name, in the folders' order;
    a folder without manifests and a bad manifest are ``learn.execution`` warnings."""
    found: dict[str, list[Executed]] = {}
    for folder in folders:
        manifests = manifests_in(folder)
        if not manifests:
            warn(
                f"execution import folder {printable(str(folder))!r} holds no shard manifest "
                "(learn-shard-I-of-N.json, written by `sphinx-numpy-learn execute --shard`); "
                "it is skipped",
                subtype="execution",
            )
        for manifest in manifests:
            try:
                executed = read_manifest(manifest)
            except BadManifest as exc:
                warn(
                    f"shard manifest skipped: {printable(str(exc))}",
                    subtype="execution",
                    location=_at(manifest, exc.line),
                )
                continue
            for item in executed:
                found.setdefault(item.docname, []).append(item)
    return found


def import_folders(app: Sphinx) -> list[Path]:
    """``learn_execution_import``'s folders, relative to the folder of ``conf.py``; a
    missing one is a ``learn.execution`` warning, and skipped."""
    from sphinx_numpy_learn.config import conf_location

    base = Path(app.confdir or app.srcdir)
    folders = []
    for entry in app.config.learn_execution_import:
        folder = Path(os.path.normpath(base / entry))
        if folder.is_dir():
            folders.append(folder)
        else:
            warn(
                f"execution import folder {printable(str(entry))!r} does not exist (looked "
                f"for {printable(str(folder))!r}); it is skipped, and the notebooks it would "
                "have brought are executed",
                subtype="execution",
                location=conf_location(app, "learn_execution_import"),
            )
    return folders


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
                location=_at(candidate.notebook),
            )
            continue
        if cache_key(dataclasses.replace(job, notebook=notebook)) != key:
            warn(
                f"the notebook shard {candidate.shard} executed for {job.docname} is not "
                "the one its manifest names (its code differs); it is executed instead",
                subtype="execution",
                location=_at(candidate.notebook),
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
    from sphinx_numpy_learn.notebooks.events import report_failure

    LOGGER.info("[learn] importing %d notebook(s) executed by shards", len(taken))
    for number, (job, executed, notebook) in enumerate(taken, start=1):
        outcome = dataclasses.replace(executed.outcome, frames=list(executed.outcome.frames))
        store(dataclasses.replace(job, notebook=notebook), outcome)
        record = _record(job, outcome, IMPORTED, previous.get(job.docname), executed.executed_at)
        records[job.docname] = record
        LOGGER.info(
            "[learn] (%d/%d) %s: %s (imported from shard %s)",
            number,
            len(taken),
            job.docname,
            outcome.status,
            executed.shard,
        )
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
