"""``sphinx-numpy-learn check``: check a Sphinx project's tutorials without building it.

The project's ``conf.py`` is loaded by Sphinx itself (extensions set up, ``learn_*``
settings validated, documents discovered with the project's ``exclude_patterns``),
but no page is read or written by Sphinx. Each page is parsed on its own
(:mod:`sphinx_numpy_learn.check_parse`) and the rules of
:mod:`sphinx_numpy_learn.check_rules` run on it. Nothing in the project is written.
"""

from __future__ import annotations

import fnmatch
import io
import json
import multiprocessing
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_numpy_learn import check_rules, derive, untrusted
from sphinx_numpy_learn.check_parse import InputError, Outline, Page, PageParser
from sphinx_numpy_learn.check_rules import ERROR, INFO, RULES_BY_KEY, WARNING, Finding

if TYPE_CHECKING:
    from sphinx.application import Sphinx

# Where ``check`` looks for conf.py when no folder is given.
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
    facts: check_rules.ProjectFacts
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
    facts = check_rules.ProjectFacts(
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
    tutorial: check_rules.Tutorial | None = None
    findings: list[Finding] = field(default_factory=list)


def check_page(
    parser: PageParser, facts: check_rules.ProjectFacts, docname: str, path: Path, encoding: str
) -> PageResult:
    """Every rule that looks at one page alone."""
    try:
        page = parser.parse(docname, path, encoding)
    except InputError as error:
        return PageResult(docname, path, None, error=(error.message, error.line, error.cell))
    tutorial, findings = check_rules.tutorial_of(page, facts)
    findings.extend(check_rules.image_findings(page))
    findings.extend(check_rules.checkpoint_findings(page))
    if page.notebook is not None:
        findings.extend(check_rules.stored_output_findings(page))
    if tutorial is not None:
        findings.extend(check_rules.sentence_case_findings(page, facts.proper_nouns))
        if tutorial.values.get("audience", "learner") == "learner":
            findings.extend(check_rules.structure_findings(page, tutorial))
        if facts.tiers and tutorial.values.get("level") == facts.tiers[0]:
            findings.extend(check_rules.readability_findings(page, facts.readability_minimum))
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
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        results = [result for chunk in pool.map(_check_chunk, chunks) for result in chunk]
    return sorted(results, key=lambda r: r.docname)


def tutorials_of(project: Project) -> dict[str, check_rules.Tutorial]:
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
    tutorials: dict[str, check_rules.Tutorial] = {}
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
    raw.extend(check_rules.cycle_findings(tutorials))
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
    from sphinx_numpy_learn.execution import (
        FAILED,
        OK,
        code_cell_number,
        prepare_job,
        run_notebook,
    )
    from sphinx_numpy_learn.failures import failing_file_line, format_frames

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


def shown_path(path: Path) -> str:
    """``path`` relative to the working directory when it is inside it (as GitHub
    annotations want), else absolute; always with forward slashes."""
    absolute = path.resolve()
    try:
        return absolute.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return absolute.as_posix()


# -- Output -----------------------------------------------------------------------------------

_LINE_BREAK = re.compile("[\n\u2028\u2029]")


def one_line(text: str) -> str:
    """``text`` made safe to show (:func:`untrusted.printable`: no terminal escapes,
    control characters and undecodable file names as escapes) and kept on one line: a
    line break is shown as ``\\n``, so that a report line or an error stays one line."""
    return _LINE_BREAK.sub(
        lambda match: match[0].encode("unicode_escape").decode("ascii"),
        untrusted.printable(text),
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def summary_line(result: Result) -> str:
    checked = (
        f"Checked {_plural(result.documents, 'document')} "
        f"({_plural(result.tutorials, 'tutorial')}) in {result.project}"
    )
    counts = [
        _plural(result.count(severity), severity)
        for severity in (ERROR, WARNING, INFO)
        if result.count(severity)
    ]
    if result.input_errors:
        counts.insert(0, _plural(len(result.input_errors), "file") + " could not be checked")
    return f"{checked}: {', '.join(counts) if counts else 'no problems found'}."


def format_text(result: Result) -> str:
    lines = []
    for item in [*result.input_errors, *result.findings]:
        where = one_line(item.path) + (f":{item.line}" if item.line else "")
        cell = f"cell {item.cell}: " if item.cell else ""
        code = f"  [{item.rule} {item.name}]" if item.rule else ""
        lines.append(f"{where}: {item.severity}: {cell}{one_line(item.message)}{code}")
        lines.extend(f"    {one_line(detail)}" for detail in item.details)
    lines.append(one_line(summary_line(result)))
    return "\n".join(lines) + "\n"


def format_json(result: Result) -> str:
    data = {
        "project": result.project,
        "documents": result.documents,
        "tutorials": result.tutorials,
        "summary": {
            "errors": result.count(ERROR),
            "warnings": result.count(WARNING),
            "info": result.count(INFO),
            "input_errors": len(result.input_errors),
        },
        "findings": [asdict(f) for f in result.findings],
        "input_errors": [asdict(f) for f in result.input_errors],
    }
    # ASCII: valid JSON on a stream of any encoding, and a file name the file system
    # could not decode (a lone surrogate) is kept as a \udcXX escape.
    return json.dumps(data, indent=2, ensure_ascii=True) + "\n"


def _escape_data(text: str) -> str:
    # GitHub's own escapes for what ends a command; other control characters as text.
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return one_line(escaped)


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


GITHUB_LEVEL = {ERROR: "error", WARNING: "warning", INFO: "notice"}


def format_github(result: Result) -> str:
    """GitHub Actions workflow commands: one annotation per finding."""
    lines = []
    for item in [*result.input_errors, *result.findings]:
        properties = [f"file={_escape_property(item.path)}"]
        if item.line:
            properties.append(f"line={item.line}")
        title = f"{item.rule} {item.name}" if item.rule else "sphinx-numpy-learn"
        properties.append(f"title={_escape_property(title)}")
        cell = f"cell {item.cell}: " if item.cell else ""
        message = "\n".join([cell + item.message, *item.details])
        lines.append(
            f"::{GITHUB_LEVEL[item.severity]} {','.join(properties)}::{_escape_data(message)}"
        )
    lines.append(one_line(summary_line(result)))
    return "\n".join(lines) + "\n"


FORMATS = {"text": format_text, "json": format_json, "github": format_github}
