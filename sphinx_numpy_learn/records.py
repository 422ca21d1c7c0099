"""The records the ``learn`` domain stores, one type and one constructor per kind.

Every record is a :class:`~typing.TypedDict`: for the type checker a record with
named, typed keys; at run time the plain ``dict`` it always was. That is why they
are not dataclasses: Sphinx pickles the domain's data with the environment, and
:meth:`~sphinx_numpy_learn.domain.LearnDomain.merge_domaindata` copies it between
the processes of a parallel (``-j``) build. Plain dicts, lists, strings and numbers
pickle without naming a class of ours, so an environment never depends on where a
class lives in this package, and a record compares, copies and hashes (as JSON, in
``LearnDomain.shown``) like any other value.

Build each record with its constructor, never by hand: the constructor fills the
defaults, and its keys are exactly the type's (``tests/test_records.py``). A change
to a record's keys or to what a key holds changes what the environment keeps: bump
``LearnDomain.data_version`` (:mod:`sphinx_numpy_learn.domain`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypedDict, Unpack, final

# -- Tutorials ---------------------------------------------------------------------------


@final  # so that ``"doc" in prerequisite`` tells the two kinds apart
class LocalPrerequisite(TypedDict):
    """A prerequisite that is a document of the project."""

    doc: str
    line: int | None
    """Where the prerequisites are declared."""


@final
class ExternalPrerequisite(TypedDict):
    """A prerequisite on another site."""

    title: str
    url: str


Prerequisite = LocalPrerequisite | ExternalPrerequisite


class TutorialRecord(TypedDict):
    """A tutorial page's metadata, merged from its directive, front matter and
    opening sections (:mod:`sphinx_numpy_learn.tutorial`)."""

    title: str
    line: int | None
    """Where the metadata is declared (``None``: only derived)."""
    level: str | None
    duration: int
    """Minutes, declared or estimated."""
    duration_estimated: bool
    prerequisites: list[Prerequisite]
    objectives: list[str]
    outcome: str
    needs: list[str]
    keypoints: list[str]
    """What to remember, declared or read from a closing "Key points" section."""
    tags: list[str]
    audience: str
    audience_description: str
    summary: str
    rich: dict[str, list[dict[str, Any]]]
    """Inline markup of the fields read from the page's opening sections, as
    :mod:`sphinx_numpy_learn.derive`'s plain data (spans or blocks)."""
    sources: dict[str, str]
    """Field -> where its value came from (``directive``, ``front matter``, ``headings``)."""
    shown_in_page: list[str]
    """The fields the page's own opening sections show."""


def tutorial_record(
    *,
    title: str,
    line: int | None,
    duration: int,
    duration_estimated: bool,
    level: str | None = None,
    prerequisites: Iterable[Prerequisite] = (),
    objectives: Iterable[str] = (),
    outcome: str = "",
    needs: Iterable[str] = (),
    keypoints: Iterable[str] = (),
    tags: Iterable[str] = (),
    audience: str = "learner",
    audience_description: str = "",
    summary: str = "",
    rich: dict[str, list[dict[str, Any]]] | None = None,
    sources: dict[str, str] | None = None,
    shown_in_page: Iterable[str] = (),
) -> TutorialRecord:
    return {
        "title": title,
        "line": line,
        "level": level,
        "duration": duration,
        "duration_estimated": duration_estimated,
        "prerequisites": list(prerequisites),
        "objectives": list(objectives),
        "outcome": outcome,
        "needs": list(needs),
        "keypoints": list(keypoints),
        "tags": list(tags),
        "audience": audience,
        "audience_description": audience_description,
        "summary": summary,
        "rich": {} if rich is None else rich,
        "sources": {} if sources is None else sources,
        "shown_in_page": list(shown_in_page),
    }


# -- Learning paths and landings -----------------------------------------------------------


class PathRecord(TypedDict):
    """A ``learning-path`` directive (:mod:`sphinx_numpy_learn.paths`)."""

    name: str
    title: str
    docname: str
    line: int
    steps: list[str]
    """The docnames of its steps, in order (those that name no document left out)."""


def path_record(
    *, name: str, title: str, docname: str, line: int, steps: Iterable[str]
) -> PathRecord:
    return {"name": name, "title": title, "docname": docname, "line": line, "steps": list(steps)}


class RevisionSheetRecord(TypedDict):
    """A ``key-points-summary`` directive (:mod:`sphinx_numpy_learn.key_points`)."""

    line: int
    path: str
    """The name of the learning path it sums up (``""``: every tutorial)."""


def revision_sheet_record(*, line: int, path: str = "") -> RevisionSheetRecord:
    return {"line": line, "path": path}


class LandingRecord(TypedDict):
    """A ``landing`` directive (:mod:`sphinx_numpy_learn.landing`)."""

    line: int
    start: str
    """The path or page of the "Start here" card (``""``: none)."""
    contribute: str
    """The path or page of the "Contribute" card (``""``: none)."""


def landing_record(*, line: int, start: str = "", contribute: str = "") -> LandingRecord:
    return {"line": line, "start": start, "contribute": contribute}


class BookRecord(TypedDict):
    """A ``learning-path-book`` directive (:mod:`sphinx_numpy_learn.path_book`)."""

    name: str
    """The name of the learning path whose steps the page shows."""
    line: int


def book_record(*, name: str, line: int) -> BookRecord:
    return {"name": name, "line": line}


# -- Exercises, solutions and checkpoints ---------------------------------------------------


class ExerciseRecord(TypedDict):
    """An exercise (:mod:`sphinx_numpy_learn.exercises`)."""

    label: str
    """Its ``:label:`` (``""``: none), which solutions name."""
    id: str
    number: int | None
    """Its number on the page (``None``: ``:nonumber:``)."""
    title: str
    docname: str
    line: int | None
    objective: str
    order: int
    """Its position among the page's exercises and solutions."""


def exercise_record(
    *,
    label: str,
    id: str,
    number: int | None,
    title: str,
    docname: str,
    line: int | None,
    objective: str = "",
    order: int,
) -> ExerciseRecord:
    return {
        "label": label,
        "id": id,
        "number": number,
        "title": title,
        "docname": docname,
        "line": line,
        "objective": objective,
        "order": order,
    }


class SolutionRecord(TypedDict):
    """A solution (:mod:`sphinx_numpy_learn.exercises`)."""

    target: str
    """The label of its exercise."""
    id: str
    label: str
    line: int | None
    order: int
    """Its position among the page's exercises and solutions."""


def solution_record(
    *, target: str, id: str, label: str = "", line: int | None, order: int
) -> SolutionRecord:
    return {"target": target, "id": id, "label": label, "line": line, "order": order}


class CheckpointRecord(TypedDict):
    """A checkpoint question (:mod:`sphinx_numpy_learn.checkpoints`)."""

    id: str
    label: str
    objective: str
    line: int


def checkpoint_record(
    *, id: str, label: str = "", objective: str = "", line: int
) -> CheckpointRecord:
    return {"id": id, "label": label, "objective": objective, "line": line}


# -- Glossaries ----------------------------------------------------------------------------


class GlossaryTermRecord(TypedDict):
    """A term of a ``glossary`` (:mod:`sphinx_numpy_learn.glossary`)."""

    term: str
    id: str
    """The term's anchor on its page (``term-array``)."""
    text: str
    """The first paragraph of its definition, as plain text."""


def glossary_term_record(*, term: str, id: str, text: str) -> GlossaryTermRecord:
    return {"term": term, "id": id, "text": text}


# -- Notebooks and their execution ------------------------------------------------------------


class NotebookRecord(TypedDict):
    """A notebook page: what its download and launch links need
    (:mod:`sphinx_numpy_learn.launch`)."""

    suffix: str
    """Its source file's suffix (``.ipynb``, ``.md``)."""
    inputs: list[str]
    """The data files it declares, relative to the source directory."""


def notebook_record(*, suffix: str, inputs: Iterable[str] = ()) -> NotebookRecord:
    return {"suffix": suffix, "inputs": list(inputs)}


class ExecutionDetails(TypedDict, total=False):
    """The keys an execution record has only when they are known."""

    index: int | None
    """The failing cell's index in the notebook (a run of ours)."""
    cell_line: int | None
    """The failing line within its cell."""
    code: str
    """The failing line's code."""
    traceback: str
    """The error's traceback, as the notebook shows it."""
    missing: list[str]
    """Declared inputs that do not exist."""
    frames: list[str]
    """The traceback's frames, while the failure is reported (never stored)."""


class ExecutionRecord(ExecutionDetails):
    """A notebook's last execution (:mod:`sphinx_numpy_learn.notebooks`)."""

    status: str
    """A word of :mod:`sphinx_numpy_learn.notebooks.run`: ``ok``, ``failed``, ``timed out``,
    ``kernel died`` or ``not executed``."""
    runtime: float
    """Seconds, rounded to hundredths."""
    source: str
    """How its outputs were got: ``executed``, ``cache``, ``imported`` (executed by a CI
    shard) or ``not run`` (unreadable)."""
    executed_at: float | None
    """When (a POSIX timestamp)."""
    last_success: float | None
    """When it last ran without failing."""
    error: str
    """What went wrong (``""``: nothing)."""
    cell: int | None
    """The failing code cell's number, counting code cells from 1."""
    line: int | None
    """The failing line in the source file."""
    inputs: list[str]


def execution_record(
    *,
    status: str,
    runtime: float,
    source: str,
    executed_at: float | None,
    last_success: float | None,
    error: str,
    cell: int | None = None,
    line: int | None = None,
    inputs: Iterable[str] = (),
    **details: Unpack[ExecutionDetails],
) -> ExecutionRecord:
    """An execution record; of the ``details``, only those given are kept."""
    record: ExecutionRecord = {
        "status": status,
        "runtime": runtime,
        "source": source,
        "executed_at": executed_at,
        "last_success": last_success,
        "error": error,
        "cell": cell,
        "line": line,
        **_failing_cell(details),
        "inputs": list(inputs),
    }
    # In the order a stored record has always had them.
    if "missing" in details:
        record["missing"] = details["missing"]
    if "frames" in details:
        record["frames"] = details["frames"]
    return record


def _failing_cell(details: ExecutionDetails) -> ExecutionDetails:
    """The details of the failing cell, in the order a stored record has them."""
    cell: ExecutionDetails = {}
    if "index" in details:
        cell["index"] = details["index"]
    if "cell_line" in details:
        cell["cell_line"] = details["cell_line"]
    if "code" in details:
        cell["code"] = details["code"]
    if "traceback" in details:
        cell["traceback"] = details["traceback"]
    return cell


# -- What the last write showed ------------------------------------------------------------


class Shown(TypedDict, total=False):
    """What catalogs, paths and badges showed of other pages at the last write,
    hashed per part (``LearnDomain.shown``); empty before the first write."""

    tutorials: dict[str, str]
    titles: dict[str, str]
    """The title of each page named as a prerequisite: all its link shows of it."""
    paths: str
    members: list[str]
    catalogs: list[str]
    executions: str
    solutions: dict[str, str]
    keypoints: str
    terms: dict[str, str]


# -- The domain's data -------------------------------------------------------------------------


class _LaterKeys(TypedDict, total=False):
    """Keys of ``LearnDomain.data`` that are not in ``initial_data``."""

    site_navigation: str
    """The same as ``navigation``, for the theme's site navigation (set when it is
    first written)."""
    version: int
    """Added by Sphinx: ``LearnDomain.data_version``."""


class LearnData(_LaterKeys):
    """``LearnDomain.data``: per document, except ``written``, ``navigation`` and
    ``site_navigation``."""

    tutorials: dict[str, TutorialRecord]
    paths: dict[str, list[PathRecord]]
    """The learning paths defined on each page."""
    catalogs: dict[str, int]
    """How many catalogs each page has."""
    badge_pages: dict[str, bool]
    """The pages that show a linked tier badge."""
    exercises: dict[str, list[ExerciseRecord]]
    """In page order, as are solutions and checkpoints."""
    solutions: dict[str, list[SolutionRecord]]
    checkpoints: dict[str, list[CheckpointRecord]]
    interactive: dict[str, bool]
    """The pages with a component that needs the script."""
    notebooks: dict[str, NotebookRecord]
    execution_reports: dict[str, bool]
    """The pages that show the execution report."""
    landings: dict[str, list[LandingRecord]]
    revision_sheets: dict[str, list[RevisionSheetRecord]]
    glossary: dict[str, list[GlossaryTermRecord]]
    """The terms each page's glossaries define."""
    terms_used: dict[str, list[str]]
    """Sorted terms (as written) the page's ``term`` roles name outside titles and
    links: the page is written again when one of their definitions changes."""
    books: dict[str, list[BookRecord]]
    """The learning paths each page shows whole (``learning-path-book``)."""
    features: dict[str, list[str]]
    """Sorted names of the components on the page that no other key records
    (``callouts``, ``checklists``): which stylesheets and scripts it loads."""
    named: dict[str, list[str]]
    """Sorted docnames the page's prerequisites, path steps and catalog lists name,
    found or not: the page is read again when one appears or goes."""
    executions: dict[str, ExecutionRecord]
    """The notebook's last execution. Not cleared when a page is read again (the
    record is replaced just before reading, and its last successful run carried
    over); removed with the page (``execution.read_failed_again``)."""
    written: Shown
    """Main-process bookkeeping: what the last write showed."""
    navigation: str
    """The same, for the theme's navigation badges."""


def learn_data() -> LearnData:
    """The domain's data before anything is read."""
    return {
        "tutorials": {},
        "paths": {},
        "catalogs": {},
        "badge_pages": {},
        "exercises": {},
        "solutions": {},
        "checkpoints": {},
        "interactive": {},
        "notebooks": {},
        "execution_reports": {},
        "landings": {},
        "revision_sheets": {},
        "glossary": {},
        "terms_used": {},
        "books": {},
        "features": {},
        "named": {},
        "executions": {},
        "written": {},
        "navigation": "",
    }
