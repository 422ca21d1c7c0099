"""Reading pages for ``sphinx-numpy-learn check``, fast and without a Sphinx build.

A page becomes an :class:`Outline`: its headings, horizontal rules, paragraphs and
lists in document order, its images and raw HTML, with line numbers. The rules in
:mod:`sphinx_numpy_learn.check.rules` work on outlines only.

MyST Markdown (and the Markdown cells of ``.ipynb`` notebooks) is read with
MyST-Parser's markdown-it parser, token by token, without building a docutils
tree: that is what keeps ``check`` an order of magnitude faster than a build.
reStructuredText (and MyST's ``eval-rst`` blocks) is parsed with plain docutils.
In both, Sphinx, MyST-NB and extension directives are not run: their content is
skipped (code never reads as prose or headings), except admonitions, ``only`` and
our own container directives (exercises, solutions, callouts), whose content is
read as the build reads it, and the ``tutorial`` directive, whose options are read
as metadata. ``include`` is followed, as the build follows it, for files inside
the project's source folder; nothing else is read or fetched.

Paragraphs and lists keep their rich text (:mod:`sphinx_numpy_learn.derive`), so
that a page's opening sections give ``check`` exactly the metadata they give the
build.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import yaml
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser as RstParser
from docutils.transforms.misc import Transitions
from docutils.utils import new_document

from sphinx_numpy_learn import derive, metadata
from sphinx_numpy_learn.check.myst import MystReader
from sphinx_numpy_learn.check.outline import Cell, InputError, Outline, Page, disabled_rules
from sphinx_numpy_learn.check.rst import lenient_markup, outline_of_doctree
from sphinx_numpy_learn.notebooks.format import NotebookProblem, cell_source_lines, read_ipynb
from sphinx_numpy_learn.untrusted import printable

_ADORNMENT = re.compile(r"^([!-/:-@\[-`{-~])\1+\s*$")


def _front_matter_problem(source: str) -> None:
    lines = source.splitlines()
    if not lines or lines[0].rstrip() != "---":
        return
    end = next(
        (i for i, line in enumerate(lines[1:], start=1) if line.rstrip() in {"---", "..."}),
        None,
    )
    if end is None:
        return  # a thematic break, not front matter
    text = "\n".join(lines[1:end])
    try:
        yaml.load(text, Loader=metadata.YAML_LOADER)
    except yaml.YAMLError as fast_error:
        exc = metadata.pure_python_error(text) or fast_error
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"front matter is not valid YAML: {problem}", line) from None


class PageParser:
    """Reads the pages of one project: rST, MyST Markdown and notebooks."""

    def __init__(
        self,
        myst_settings: dict[str, Any] | None = None,
        *,
        srcdir: Path | None = None,
        quotes: derive.Quotes | None = None,
    ) -> None:
        """``srcdir``: follow ``include`` inside it; ``quotes``: the project's smart
        quotes, applied to rich text as Sphinx applies them to the doctree."""
        self._srcdir = srcdir
        self._quotes = quotes
        self._myst = MystReader(myst_settings or {}, rst=self._eval_rst, quotes=quotes)
        self._rst = RstParser()
        settings = get_default_settings(RstParser)
        settings.report_level = 5  # the build reports markup errors; we check content
        settings.halt_level = 5
        settings.warning_stream = io.StringIO()
        settings.file_insertion_enabled = False  # never read other files or URLs
        settings.line_length_limit = 10**7
        settings.learn_directives = []
        settings.learn_include_from = None
        self._rst_settings = settings

    def parse(self, docname: str, path: Path, encoding: str = "utf-8-sig") -> Page:
        suffix = path.suffix.lower()
        include_from = (self._srcdir, path.parent) if self._srcdir is not None else None
        self._myst.include_from = self._rst_settings.learn_include_from = include_from
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read the file: {exc.strerror or exc}") from None
        try:
            source = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise InputError(f"not valid {encoding} text: {exc.reason}", line) from None
        if suffix == ".ipynb":
            return self._notebook(docname, path, source)
        front_matter = metadata.from_front_matter(source, suffix)
        if front_matter is None or front_matter.unreadable:
            _front_matter_problem(source)  # read as valid YAML otherwise
        if suffix == ".rst":
            outline, declared = self._restructuredtext(path, source)
        else:
            outline = self._myst.read(source)
            declared = self._myst.directives[0] if self._myst.directives else None
        return Page(
            docname,
            path,
            suffix,
            outline,
            front_matter=front_matter,
            directive=declared,
            disabled=disabled_rules(source),
        )

    def _eval_rst(self, text: str, first_line: int) -> tuple[Outline, list[metadata.Declared]]:
        """A MyST ``eval-rst`` block, its lines counted from ``first_line``."""
        settings = self._rst_settings
        settings.learn_directives = []
        document = new_document("eval-rst", settings)
        with lenient_markup():
            self._rst.parse("\n" * (first_line - 1) + text, document)
        return outline_of_doctree(document, self._quotes), list(settings.learn_directives)

    def _restructuredtext(self, path: Path, text: str) -> tuple[Outline, metadata.Declared | None]:
        settings = self._rst_settings
        settings.learn_directives = []
        document = new_document(str(path), settings)
        with lenient_markup():
            self._rst.parse(text, document)
        document.transformer.add_transform(Transitions)
        document.transformer.apply_transforms()
        found: list[metadata.Declared] = settings.learn_directives
        outline = outline_of_doctree(document, self._quotes)
        # docutils places a section at its underline; point at the title's text.
        lines = text.splitlines()
        for heading in outline.headings:
            line = heading.line
            if line and 2 <= line <= len(lines) and _ADORNMENT.match(lines[line - 1]):
                heading.line = line - 1
        for block in outline.blocks:
            if block.heading is not None:
                block.line = block.heading.line
        return outline, (found[0] if found else None)

    def _notebook(self, docname: str, path: Path, source: str) -> Page:
        # As the build reads it: any nbformat version, upgraded to 4, its structure
        # checked against nbformat's schema first.
        try:
            notebook = read_ipynb(source)
        except NotebookProblem as problem:
            raise InputError(
                printable(f"not a valid notebook: {problem.message}"),
                problem.line,
                problem.cell + 1 if problem.cell is not None else None,
            ) from None
        file_lines = cell_source_lines(source)
        parts: list[str] = []
        cells: list[Cell] = []
        line = 1
        for index, cell in enumerate(notebook.cells):
            text = cell.source  # one string once nbformat has read it
            cell_type = cell.cell_type
            if cell_type == "code":
                block = "```{code-cell}\n" + text + "\n```"
                first = line + 1
            else:
                block = text
                first = line
            file_line = file_lines[index] if index < len(file_lines) else None
            cells.append(Cell(index, cell_type, first, file_line))
            parts.append(block)
            line += block.count("\n") + 2
        text = "\n\n".join(parts) + "\n"
        outline = self._myst.read(text)
        return Page(
            docname,
            path,
            ".ipynb",
            outline,
            front_matter=metadata.from_front_matter(source, ".ipynb"),
            directive=self._myst.directives[0] if self._myst.directives else None,
            disabled=disabled_rules(text),
            notebook=notebook,
            cells=cells,
        )
