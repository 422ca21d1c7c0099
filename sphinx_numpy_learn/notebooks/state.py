"""What this build read and ran (per application), and the execution records kept in
the ``learn`` domain.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.notebooks.failures import failing_file_line
from sphinx_numpy_learn.notebooks.run import (
    FAILURES,
    NOT_EXECUTED,
    NOT_RUN,
    OK,
    NotebookJob,
    Outcome,
    code_cell_number,
)
from sphinx_numpy_learn.notebooks.unreadable import Unreadable
from sphinx_numpy_learn.records import ExecutionRecord, execution_record

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


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
    notebooks: dict[tuple[str, str], tuple[Any, Any, Any]] = field(default_factory=dict)
    """(docname, source text) -> (MyST-NB's settings it was read with, the notebook, its
    own settings): each notebook is read once a build (before reading, then for its
    download), not once for each."""


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


def failed(record: ExecutionRecord) -> bool:
    """Whether the header card's execution badge says "Execution failed"."""
    return record["status"] not in (OK, NOT_EXECUTED)


def shows_failure_box(record: ExecutionRecord) -> bool:
    """Whether the page of the notebook with this record shows the failure box."""
    return record["status"] in FAILURES and record["source"] != NOT_RUN
