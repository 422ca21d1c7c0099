"""Notebooks MyST-NB's reader rejects: the reason in words, with its line, reported once;
the page shows the error instead of the build stopping with a traceback.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sphinx_numpy_learn.log import LOGGER, WARNING_TYPE, warn
from sphinx_numpy_learn.notebooks.format import NotebookProblem
from sphinx_numpy_learn.notebooks.run import FAILED, NOT_RUN, strict
from sphinx_numpy_learn.records import ExecutionRecord, execution_record
from sphinx_numpy_learn.untrusted import printable

if TYPE_CHECKING:
    from sphinx.application import Sphinx


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


UNREADABLE_KEY = "learn_unreadable"
# What MyST-NB reads instead of a notebook its reader rejects: an empty notebook for
# the JSON reader (run by no one), nothing for text formats (then plain Markdown).
EMPTY_IPYNB = (
    '{"cells": [], "metadata": {"mystnb": {"execution_mode": "off"}}, '
    '"nbformat": 4, "nbformat_minor": 5}'
)
