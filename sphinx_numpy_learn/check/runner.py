"""``sphinx-numpy-learn check``: check a Sphinx project's tutorials without building it.

The project's ``conf.py`` is loaded by Sphinx itself (extensions set up, ``learn_*``
settings validated, documents discovered with the project's ``exclude_patterns``),
but no page is read or written by Sphinx. Each page is parsed on its own
(:mod:`sphinx_numpy_learn.check.parse`) and the rules of
:mod:`sphinx_numpy_learn.check.rules` run on it. Nothing in the project is written.
"""

from __future__ import annotations

import fnmatch
import gc
import io
import multiprocessing
import os
import sys
import tempfile
import traceback
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_numpy_learn import derive, untrusted
from sphinx_numpy_learn.check.content import (
    checkpoint_findings,
    image_findings,
    readability_findings,
    stored_output_findings,
)
from sphinx_numpy_learn.check.outline import InputError, Outline, Page
from sphinx_numpy_learn.check.output import one_line, shown_path
from sphinx_numpy_learn.check.parse import PageParser
from sphinx_numpy_learn.check.registry import ERROR, INFO, RULES_BY_KEY, WARNING, Finding
from sphinx_numpy_learn.check.rules import (
    ProjectFacts,
    Tutorial,
    cycle_findings,
    structure_findings,
    tutorial_of,
)
from sphinx_numpy_learn.check.titles import sentence_case_findings

if TYPE_CHECKING:
    from sphinx.application import Sphinx


DEFAULT_DOCS_DIRS = (".", "docs", "doc", "docs/source", "doc/source")
SEVERITY_RANK = {INFO: 0, WARNING: 1, ERROR: 2}


class UsageError(Exception):
    """A problem with the command line or the project's configuration (exit status 2)."""


@dataclass
class Reported:
    """A finding as shown to the user."""

    path: str
    line: int | None
    cell: int | None
    rule: str | None
    """``None`` for an input error (a file that could not be checked)."""
    name: str | None
    severity: str
    message: str
    details: list[str] = field(default_factory=list)


@dataclass
class Result:
    project: str
    documents: int = 0
    tutorials: int = 0
    findings: list[Reported] = field(default_factory=list)
    input_errors: list[Reported] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def exit_status(self, fail_on: str = ERROR) -> int:
        if self.input_errors:
            return 2
        threshold = SEVERITY_RANK[fail_on]
        return int(any(SEVERITY_RANK[f.severity] >= threshold for f in self.findings))


# -- The project ----------------------------------------------------------------------------


def find_docs_dir(given: str | None) -> Path:
    """The folder holding ``conf.py``: ``given``, or the first usual place that has one."""
    try:
        return _find_docs_dir(given)
    except OSError as exc:  # a path too long for the system, a folder we may not read...
        where = one_line(os.fsdecode(exc.filename)) if exc.filename else one_line(given or ".")
        raise UsageError(f"{where}: {exc.strerror or type(exc).__name__}") from None


def _find_docs_dir(given: str | None) -> Path:
    if given is not None:
        path = Path(given)
        shown = one_line(given)
        if not path.exists():
            raise UsageError(f"{shown}: no such folder")
        if not path.is_dir():
            raise UsageError(f"{shown}: not a folder; give the folder that holds conf.py")
        if not (path / "conf.py").is_file():
            raise UsageError(f"{shown}: not a Sphinx project (it has no conf.py)")
        return path
    for candidate in DEFAULT_DOCS_DIRS:
        if Path(candidate, "conf.py").is_file():
            return Path(candidate)
    tried = ", ".join(DEFAULT_DOCS_DIRS)
    raise UsageError(
        f"no Sphinx project found (no conf.py in {tried}); give the folder that holds conf.py"
    )


@dataclass
class Project:
    """A loaded Sphinx project: its settings and documents, nothing read yet."""

    app: Sphinx
    srcdir: Path
    facts: ProjectFacts
    myst_settings: dict[str, Any]
    ignore: set[str]
    per_file_ignores: dict[str, list[str]]
    severity: dict[str, str]
    workdir: tempfile.TemporaryDirectory[str]
    quotes: derive.Quotes | None = None
    """The project's smart quotes, as Sphinx applies them to an HTML build's doctree."""

    def close(self) -> None:
        self.workdir.cleanup()

    def path_of(self, docname: str) -> Path:
        return Path(self.app.env.doc2path(docname))


def load_project(docs_dir: Path) -> Project:
    """Let Sphinx load ``conf.py`` and discover the documents; raise :class:`UsageError`
    with one clear line when that fails."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    from sphinx_numpy_learn.config import get_learn_config
    from sphinx_numpy_learn.tiers import tiers_of

    conf_py = docs_dir / "conf.py"
    workdir = tempfile.TemporaryDirectory(prefix="learn-check-")
    warnings = io.StringIO()
    try:
        # The namespace keeps the directives that extensions register out of
        # docutils' global registry, which our own parsing uses.
        with patch_docutils(docs_dir), docutils_namespace():
            app = Sphinx(
                str(docs_dir),
                str(docs_dir),
                str(Path(workdir.name, "out")),
                str(Path(workdir.name, "doctrees")),
                "dummy",
                status=None,
                warning=warnings,
                freshenv=True,
            )
    except BaseException as exc:
        workdir.cleanup()
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise UsageError(_load_error(exc, conf_py)) from None
    finally:
        # The extension froze what its setup left (gc_freeze.py) for a build that
        # hands it back when it ends; no build follows here.
        gc.unfreeze()
    if "sphinx_numpy_learn" not in app.extensions:
        workdir.cleanup()
        raise UsageError(
            f"{one_line(str(conf_py))}: the project does not load sphinx-numpy-learn; add "
            '"sphinx_numpy_learn" to extensions'
        )
    config_problems = [
        line.strip() for line in warnings.getvalue().splitlines() if "[learn.config]" in line
    ]
    if config_problems:
        workdir.cleanup()
        raise UsageError("\n".join(untrusted.printable(line) for line in config_problems))
    config = get_learn_config(app.config)
    facts = ProjectFacts(
        docnames=set(app.env.found_docs),
        source_suffixes=list(app.config.source_suffix),
        tiers=list(tiers_of(app.config)),
        required_fields=list(config.required_fields),
        derive_metadata=config.derive_metadata,
        tutorial_patterns=list(config.tutorial_patterns),
        proper_nouns=set(config.check_proper_nouns),
        readability_minimum=float(config.check_readability),
    )
    myst_config = getattr(app.env, "myst_config", None)
    myst_settings: dict[str, Any] = {}
    if myst_config is not None:
        myst_settings = {
            name: getattr(myst_config, name) for name in type(myst_config).__dataclass_fields__
        }
    return Project(
        app=app,
        quotes=smart_quotes(app),
        srcdir=Path(app.srcdir),
        facts=facts,
        myst_settings=myst_settings,
        ignore={_rule_id(key) for key in config.check_ignore},
        per_file_ignores={
            pattern: [_rule_id(key) for key in keys]
            for pattern, keys in config.check_per_file_ignores.items()
        },
        severity={_rule_id(key): level for key, level in config.check_severity.items()},
        workdir=workdir,
    )


def smart_quotes(app: Sphinx) -> derive.Quotes | None:
    """What Sphinx's smart quotes do to an HTML build's text (``None``: nothing), so
    that ``check`` reads the same opening-section text as the build."""
    from docutils.utils import normalize_language_tag
    from docutils.utils.smartquotes import smartchars

    config = app.config
    language = config.language or "en"
    excludes = config.smartquotes_excludes or {}
    if (
        not config.smartquotes
        or "html" in excludes.get("builders", [])
        or language in excludes.get("languages", [])
        or not any(tag in smartchars.quotes for tag in normalize_language_tag(language))
    ):
        return None
    action = config.smartquotes_action

    def quotes(spans: list[derive.Span]) -> list[derive.Span]:
        return derive.educate(spans, action, language)

    return quotes


def _load_error(exc: BaseException, conf_py: Path) -> str:
    """One line for an exception raised while Sphinx loaded the project: the error in
    ``conf.py`` (with its line) rather than Sphinx's wrapper and traceback."""
    cause = exc.__cause__ or exc
    line = None
    if isinstance(cause, SyntaxError):
        line = cause.lineno
        text = f"SyntaxError: {cause.msg}"
    else:
        for frame in traceback.extract_tb(cause.__traceback__):
            if Path(frame.filename).resolve() == conf_py.resolve():
                line = frame.lineno
        message = " ".join(str(cause).split())
        if cause is exc:  # a Sphinx error of its own, e.g. an extension that is missing
            text = message or type(exc).__name__
        else:
            text = f"{type(cause).__name__}: {message}" if message else type(cause).__name__
    where = f"{conf_py}:{line}" if line else str(conf_py)
    # One line, whatever conf.py raised (a message may hold new lines or control characters).
    return one_line(f"{where}: cannot load the Sphinx project: {text}")


def _rule_id(key: str) -> str:
    return RULES_BY_KEY[key].id


# -- Running the rules ----------------------------------------------------------------------


@dataclass
class PageResult:
    """What checking one page found; small enough to send back from a worker."""

    docname: str
    path: Path
    page: Page | None
    """The page, without its outline (``None`` when it could not be read)."""
    error: tuple[str, int | None, int | None] | None = None
    """What made the page unreadable: the message, its line and notebook cell."""
    tutorial: Tutorial | None = None
    findings: list[Finding] = field(default_factory=list)


def check_page(
    parser: PageParser, facts: ProjectFacts, docname: str, path: Path, encoding: str
) -> PageResult:
    """Every rule that looks at one page alone."""
    try:
        page = parser.parse(docname, path, encoding)
    except InputError as error:
        return PageResult(docname, path, None, error=(error.message, error.line, error.cell))
    tutorial, findings = tutorial_of(page, facts)
    findings.extend(image_findings(page))
    findings.extend(checkpoint_findings(page))
    if page.notebook is not None:
        findings.extend(stored_output_findings(page))
    if tutorial is not None:
        findings.extend(sentence_case_findings(page, facts.proper_nouns))
        if tutorial.values.get("audience", "learner") == "learner":
            findings.extend(structure_findings(page, tutorial))
        if facts.tiers and tutorial.values.get("level") == facts.tiers[0]:
            findings.extend(readability_findings(page, facts.readability_minimum))
    page.outline = Outline()  # read; no need to carry it further
    return PageResult(docname, path, page, tutorial=tutorial, findings=findings)


# Set in the parent before forking, so workers inherit it instead of unpickling it.
_WORKER: dict[str, Any] = {}
# Below this many pages, starting worker processes costs more than it saves.
PARALLEL_MINIMUM = 100


def _check_chunk(entries: list[tuple[str, Path]]) -> list[PageResult]:
    parser, facts, encoding = _WORKER["parser"], _WORKER["facts"], _WORKER["encoding"]
    return [check_page(parser, facts, docname, path, encoding) for docname, path in entries]


def _check_pages(project: Project, entries: list[tuple[str, Path]], jobs: int) -> list[PageResult]:
    """Check the pages, in ``jobs`` forked processes when there are many of them."""
    parser = PageParser(project.myst_settings, srcdir=project.srcdir, quotes=project.quotes)
    encoding = project.app.config.source_encoding
    _WORKER.update(parser=parser, facts=project.facts, encoding=encoding)
    can_fork = "fork" in multiprocessing.get_all_start_methods() and sys.platform == "linux"
    if jobs < 2 or len(entries) < PARALLEL_MINIMUM or not can_fork:
        return _check_chunk(entries)
    chunks = [entries[start::jobs] for start in range(jobs)]
    context = multiprocessing.get_context("fork")
    # What the workers inherit stays out of their collections (and is not copied).
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            results = [result for chunk in pool.map(_check_chunk, chunks) for result in chunk]
    finally:
        gc.unfreeze()
    return sorted(results, key=lambda r: r.docname)


def tutorials_of(project: Project) -> dict[str, Tutorial]:
    """The pages ``check`` judges to be tutorials, with their merged metadata: the
    build must find the same (``tests/test_derive.py`` compares them)."""
    entries = [(doc, project.path_of(doc)) for doc in sorted(project.facts.docnames)]
    return {r.docname: r.tutorial for r in _check_pages(project, entries, 1) if r.tutorial}


def check_project(
    project: Project,
    *,
    ignore: Iterable[str] = (),
    execute: bool = False,
    jobs: int = 1,
) -> Result:
    """Run every rule on every document of ``project``; ``jobs`` processes read the
    pages (when there are many) and run the notebooks (with ``execute``)."""
    ignored = project.ignore | {_rule_id(key) for key in ignore}
    result = Result(project=shown_path(project.srcdir))
    entries = [(doc, project.path_of(doc)) for doc in sorted(project.facts.docnames)]
    pages: dict[str, Page] = {}
    tutorials: dict[str, Tutorial] = {}
    raw: list[tuple[str, Finding]] = []
    for checked in _check_pages(project, entries, jobs):
        if checked.page is None:
            message, line, cell = checked.error or ("cannot be read", None, None)
            result.input_errors.append(
                Reported(shown_path(checked.path), line, cell, None, None, ERROR, message)
            )
            continue
        pages[checked.docname] = checked.page
        raw.extend((checked.docname, f) for f in checked.findings)
        if checked.tutorial is not None:
            tutorials[checked.docname] = checked.tutorial
    result.documents = len(pages)
    result.tutorials = len(tutorials)
    raw.extend(cycle_findings(tutorials))
    if execute:
        raw.extend(_execution_findings(project, pages, jobs))

    for docname, finding in raw:
        page = pages[docname]
        if _disabled(project, page, finding.rule, ignored):
            continue
        rule = RULES_BY_KEY[finding.rule]
        line, cell = page.where(finding.line)
        result.findings.append(
            Reported(
                path=shown_path(page.path),
                line=line,
                cell=cell or finding.cell,
                rule=rule.id,
                name=rule.name,
                severity=project.severity.get(rule.id, rule.severity),
                message=finding.message,
                details=finding.details,
            )
        )
    result.findings.sort(key=lambda f: (f.path, f.line or 0, f.rule or ""))
    return result


def _disabled(project: Project, page: Page, rule_id: str, ignored: set[str]) -> bool:
    if rule_id in ignored:
        return True
    rule = RULES_BY_KEY[rule_id]
    if rule.id in page.disabled or rule.name in page.disabled:
        return True
    relative = page.path.relative_to(project.srcdir).as_posix()
    return any(
        rule.id in ids
        for pattern, ids in project.per_file_ignores.items()
        if fnmatch.fnmatchcase(relative, pattern) or fnmatch.fnmatchcase(page.docname, pattern)
    )


def _execution_findings(
    project: Project, pages: dict[str, Page], jobs: int
) -> list[tuple[str, Finding]]:
    """LRN201: run the notebooks the way the build does and report failing cells."""
    from sphinx_numpy_learn.notebooks.failures import failing_file_line, format_frames
    from sphinx_numpy_learn.notebooks.read import prepare_job
    from sphinx_numpy_learn.notebooks.run import FAILED, OK, code_cell_number, run_notebook

    app = project.app
    if not hasattr(app.env, "mystnb_config"):
        return []
    prepared = [
        job
        for docname in sorted(pages)
        if (job := prepare_job(app, docname, any_mode=True)) is not None
    ]
    found: list[tuple[str, Finding]] = []
    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="learn-check") as pool:
        outcomes = list(pool.map(run_notebook, prepared))
    for job, outcome in zip(prepared, outcomes, strict=True):
        if outcome.status == OK:
            continue
        page = pages[job.docname]
        index = outcome.cell
        where = "the notebook"
        line = None
        if index is not None:
            where = f"code cell {code_cell_number(job.notebook, index)}"
            if outcome.cell_line:
                where += f", line {outcome.cell_line}"
            if page.cells:  # an .ipynb: the failing line in the MyST text made of it
                placed = next((c for c in page.cells if c.index == index), None)
                line = placed.first_line + (outcome.cell_line or 1) - 1 if placed else None
            else:  # a MyST notebook: the failing line itself
                line = failing_file_line(
                    job.starts, job.text, job.path.suffix, index, outcome.cell_line
                )
        details = (
            format_frames(outcome.frames)
            if outcome.status == FAILED and index is not None
            else [ln for frame in outcome.frames for ln in frame.splitlines()]
        )
        found.append(
            (
                job.docname,
                Finding(
                    "LRN201", f"{where} {outcome.status}: {outcome.error}", line, details=details
                ),
            )
        )
    return found
