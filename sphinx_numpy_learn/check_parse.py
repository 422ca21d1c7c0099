"""Reading pages for ``sphinx-numpy-learn check``, fast and without a Sphinx build.

A page becomes an :class:`Outline`: its headings, horizontal rules, paragraphs and
lists in document order, its images and raw HTML, with line numbers. The rules in
:mod:`sphinx_numpy_learn.check_rules` work on outlines only.

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

import contextlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Directive, directives, roles
from docutils.parsers.rst import Parser as RstParser
from docutils.transforms.misc import Transitions
from docutils.utils import new_document

from sphinx_numpy_learn import derive, metadata
from sphinx_numpy_learn.notebook_format import NotebookProblem, cell_source_lines, read_ipynb
from sphinx_numpy_learn.task_lists import MARKER, CheckpointShape, ChoiceShape, read_checkpoint
from sphinx_numpy_learn.untrusted import printable

# Directives whose content is ordinary page content: ours, and docutils' admonitions.
CONTAINER_DIRECTIVES = frozenset(
    {
        "exercise",
        "solution",
        "hint",
        "new-contributor",
        "maintainer-note",
        "first-time-setup",
        "dropdown",
        "tab-set",
        "tab-item",
        "seealso",
        "admonition",
        "note",
        "tip",
        "important",
        "warning",
        "caution",
        "attention",
        "danger",
        "error",
        "topic",
        "sidebar",
        # Sphinx keeps its content in the doctree (each builder picks at write time).
        "only",
    }
)
# Directives whose content is code: they make a section "clearly content".
CODE_DIRECTIVES = frozenset({"code-cell", "code-block", "code", "sourcecode", "literalinclude"})
# Included files nest no deeper than this (a file that includes itself stops here).
MAX_INCLUDE_DEPTH = 8
IMAGE_DIRECTIVES = frozenset({"image", "figure"})
# Roles whose text is code or maths, not prose.
LITERAL_ROLES = re.compile(
    r"^(?:\w+:)?(?:math|code|samp|kbd|file|command|program|envvar|option|func|meth|class|"
    r"mod|attr|data|obj|exc|const|type|member|var|macro|enum|expr|texpr)$"
)
_ADORNMENT = re.compile(r"^([!-/:-@\[-`{-~])\1+\s*$")
_ROLE_TITLE = re.compile(r"^(?P<title>.+?)\s*<[^<>]+>$", re.DOTALL)
DISABLE_COMMENT = re.compile(
    r"^\s*(?:%|\.\.|<!--)\s*learn-check:\s*disable\s*=\s*(?P<rules>[\w\s,-]+?)\s*(?:-->)?\s*$",
    re.MULTILINE,
)


class InputError(Exception):
    """A file the checker cannot read: reported with its line, and exit status 2."""

    def __init__(self, message: str, line: int | None = None, cell: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.cell = cell
        """1-based number of the notebook cell at fault."""


# -- The outline of a page ----------------------------------------------------------------


@dataclass
class Heading:
    level: int
    segments: list[tuple[str, bool]]
    """The title's text in pieces, each marked ``True`` when it is code or maths."""
    line: int | None

    @property
    def text(self) -> str:
        return " ".join("".join(text for text, _code in self.segments).split())


@dataclass
class Block:
    """One element of the page, in document order."""

    kind: str
    """``heading``, ``rule`` (a horizontal rule), ``paragraph``, ``list`` or ``code``
    (a code block, or a notebook's code cell when ``text`` is ``"cell"``)."""
    line: int | None
    heading: Heading | None = None
    text: str = ""
    """A paragraph's text."""
    items: list[str] = field(default_factory=list)
    """A list's items, as plain text."""
    nested: bool = False
    """Inside a directive or another list: not part of the section's own content."""
    content: dict[str, Any] | None = None
    """A paragraph's or a list's rich text (:mod:`sphinx_numpy_learn.derive`)."""


@dataclass
class Image:
    uri: str
    alt: str
    line: int | None


@dataclass
class Checkpoint:
    """A ``checkpoint`` directive, read as the build reads it."""

    shape: CheckpointShape
    line: int | None
    choice_lines: list[int | None]


@dataclass
class Outline:
    blocks: list[Block] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    raw_html: list[tuple[str, int | None]] = field(default_factory=list)
    prose: list[tuple[str, int | None]] = field(default_factory=list)
    """Paragraphs of prose (not code, maths, tables or headings) with their lines."""
    checkpoints: list[Checkpoint] = field(default_factory=list)

    @cached_property
    def headings(self) -> list[Heading]:
        return [b.heading for b in self.blocks if b.heading is not None]

    @property
    def title(self) -> Heading | None:
        return self.headings[0] if self.headings else None

    def parts(self) -> list[Block]:
        """The sections directly under the title and the horizontal rules between them,
        as docutils nests them: a rule counts when it ends a section (the next block
        is a heading at that level or above, or the end of the page)."""
        title = self.title
        if title is None:
            return []
        start = self.blocks.index(next(b for b in self.blocks if b.heading is title))
        rest = self.blocks[start + 1 :]
        deeper = [b.heading.level for b in rest if b.heading and b.heading.level > title.level]
        ended = next(
            (i for i, b in enumerate(rest) if b.heading and b.heading.level <= title.level),
            len(rest),
        )
        rest = rest[:ended]
        if not deeper:
            return [b for b in rest if b.kind == "rule" and not b.nested]
        child = min(deeper)
        found: list[Block] = []
        for index, block in enumerate(rest):
            if block.heading is not None and block.heading.level == child:
                found.append(block)
            elif block.kind == "rule" and not block.nested:
                following = next(
                    (b for b in rest[index + 1 :] if b.kind in {"heading", "paragraph", "list"}),
                    None,
                )
                if following is None or (
                    following.heading is not None and following.heading.level <= child
                ):
                    found.append(block)
        return found

    def section_content(self, heading_block: Block) -> list[Block]:
        """The blocks of a section up to its next heading."""
        index = self.blocks.index(heading_block)
        content = []
        for block in self.blocks[index + 1 :]:
            if block.heading is not None:
                break
            content.append(block)
        return content


@dataclass
class Cell:
    """Where one notebook cell sits in the MyST text made from the notebook."""

    index: int
    cell_type: str
    first_line: int
    """First line of the cell's source in the MyST text (1-based)."""
    file_line: int | None
    """First line of the cell's source in the ``.ipynb`` file, where found."""


@dataclass
class Page:
    """One document of the project, read for checking."""

    docname: str
    path: Path
    suffix: str
    outline: Outline
    front_matter: metadata.Declared | None = None
    directive: metadata.Declared | None = None
    disabled: set[str] = field(default_factory=set)
    """Rule ids or names disabled by a ``learn-check: disable=`` comment."""
    notebook: dict[str, Any] | None = None
    cells: list[Cell] = field(default_factory=list)

    def where(self, line: int | None) -> tuple[int | None, int | None]:
        """The file line and the notebook cell (1-based) of a line of the page's text
        (for an ``.ipynb``, the MyST text made of its cells)."""
        if not self.cells or line is None:
            return line, None
        cell = next((c for c in reversed(self.cells) if c.first_line <= line), None)
        if cell is None:
            return None, None
        file_line = cell.file_line + (line - cell.first_line) if cell.file_line else None
        return file_line, cell.index + 1


# -- Shared helpers ------------------------------------------------------------------------


def directive_options(content: str) -> tuple[dict[str, str], int]:
    """A MyST directive's options (``:key: value`` lines or a ``---`` YAML block) and the
    number of lines they take at the top of ``content``."""
    lines = content.splitlines()
    options: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), None)
        if end is None:
            return options, 0
        try:
            data = yaml.load("\n".join(lines[1:end]), Loader=metadata.YAML_LOADER)
        except yaml.YAMLError:
            data = None
        if isinstance(data, dict):
            options = {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in data.items()}
        return options, end + 1
    used = 0
    key = None
    for line in lines:
        match = re.match(r"^:(?P<key>[\w-]+):\s?(?P<value>.*)$", line)
        if match:
            key = match["key"]
            options[key] = match["value"]
        elif key is not None and line.startswith((" ", "\t")) and line.strip():
            options[key] += "\n" + line.strip()
        else:
            break
        used += 1
    return options, used


def disabled_rules(text: str) -> set[str]:
    """Rules a page turns off with ``learn-check: disable=LRN104, sentence-case``
    in a comment (``%`` or ``<!-- -->`` in MyST, ``..`` in rST)."""
    disabled: set[str] = set()
    for match in DISABLE_COMMENT.finditer(text):
        disabled.update(
            item.strip() for item in re.split(r"[\s,]+", match["rules"]) if item.strip()
        )
    return disabled


def read_included(
    include_from: tuple[Path, Path] | None, argument: str, options: dict[str, Any], depth: int
) -> str | None:
    """The part of a file that ``include`` inserts, resolved as Sphinx resolves it
    (relative to the page's folder, or to the source folder when it starts with
    ``/``); ``None`` when the file is outside the source folder, missing, or
    included too deeply (the build reports those)."""
    if include_from is None or depth >= MAX_INCLUDE_DEPTH:
        return None
    srcdir, page_dir = include_from
    target = "".join(part.strip() for part in argument.splitlines())
    if not target or target.startswith("<"):
        return None  # docutils' own standard includes
    path = (srcdir / target.lstrip("/")) if target.startswith("/") else (page_dir / target)
    try:
        path = path.resolve()
        if not path.is_relative_to(srcdir.resolve()) or not path.is_file():
            return None
        text = path.read_text(encoding=str(options.get("encoding") or "utf-8"), errors="replace")
    except (OSError, ValueError):
        return None

    def number(name: str) -> int | None:
        try:
            return int(options[name]) if options.get(name) not in {None, ""} else None
        except (TypeError, ValueError):
            return None

    text = "\n".join(text.splitlines()[number("start-line") : number("end-line")])
    after, before = options.get("start-after"), options.get("end-before")
    if after and after in text:
        text = text[text.index(after) + len(after) :]
    if before and before in text:
        text = text[: text.index(before)]
    return text


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


# -- MyST Markdown, token by token ----------------------------------------------------------


class MystReader:
    """Turns MyST Markdown into an :class:`Outline` from markdown-it tokens."""

    def __init__(
        self,
        myst_settings: dict[str, Any],
        rst: Any = None,
        quotes: derive.Quotes | None = None,
    ) -> None:
        from markdown_it.renderer import RendererHTML
        from myst_parser.config.main import MdParserConfig
        from myst_parser.parsers.mdit import create_md_parser

        known = set(MdParserConfig.__dataclass_fields__)
        config = MdParserConfig(**{k: v for k, v in myst_settings.items() if k in known})
        self._md = create_md_parser(config, RendererHTML)
        self._rst = rst
        """Reads an ``eval-rst`` block: (text, first line) -> (outline, directives)."""
        self._quotes = quotes
        self.directives: list[metadata.Declared] = []
        self.include_from: tuple[Path, Path] | None = None
        """The source folder and the page's folder, when ``include`` is followed."""
        self._depth = 0

    def read(self, text: str) -> Outline:
        self.directives = []
        outline = Outline()
        self._walk(self._md.parse(text), outline, offset=0, nested=False)
        return outline

    def _walk(
        self,
        tokens: list[Any],
        outline: Outline,
        *,
        offset: int,
        nested: bool,
        fixed_line: int | None = None,
    ) -> None:
        """``fixed_line`` places every block of an included file at the ``include``."""
        index = 0
        list_depth = 0
        table_depth = 0
        footnotes = 0  # inside a footnote definition: not its section's content
        while index < len(tokens):
            token = tokens[index]
            line = token.map[0] + 1 + offset if token.map else None
            if fixed_line is not None:
                line = fixed_line
            kind = token.type
            if kind == "heading_open":
                inline = tokens[index + 1]
                heading = Heading(int(token.tag[1:]), self._segments(inline), line)
                outline.blocks.append(Block("heading", line, heading=heading, nested=nested))
                self._images(inline, outline, line)
                index += 3
                continue
            if kind == "hr":
                outline.blocks.append(Block("rule", line, nested=nested or list_depth > 0))
            elif kind in {"bullet_list_open", "ordered_list_open"}:
                if list_depth == 0:
                    items = self._list_items(tokens, index)
                    inside = nested or footnotes > 0
                    content = {
                        "list": self._rich_items(tokens, index),
                        "ordered": kind == "ordered_list_open",
                    }
                    outline.blocks.append(
                        Block("list", line, items=items, nested=inside, content=content)
                    )
                list_depth += 1
            elif kind in {"bullet_list_close", "ordered_list_close"}:
                list_depth -= 1
            elif kind in {"footnote_block_open", "footnote_reference_open"}:
                footnotes += 1
            elif kind in {"footnote_block_close", "footnote_reference_close"}:
                footnotes -= 1
            elif kind == "table_open":
                table_depth += 1
            elif kind == "table_close":
                table_depth -= 1
            elif kind == "inline":
                self._images(token, outline, line)
                if table_depth == 0 and tokens[index - 1].type == "paragraph_open":
                    prose = " ".join(self._prose(token).split())
                    if prose:
                        outline.prose.append((prose, line))
                    if list_depth == 0:
                        text = " ".join(self._text(token).split())
                        content = {"paragraph": self._rich_text(token)}
                        inside = nested or footnotes > 0
                        outline.blocks.append(
                            Block("paragraph", line, text=text, nested=inside, content=content)
                        )
            elif kind == "html_block":
                outline.raw_html.append((token.content, line))
            elif kind == "code_block":
                outline.blocks.append(Block("code", line, nested=True))
            elif kind in {"fence", "colon_fence"}:
                self._directive(token, outline, line, offset, nested, fixed_line)
            index += 1

    def _rich_text(self, inline: Any) -> list[derive.Span]:
        """A paragraph's rich text, as the build's doctree holds it."""
        spans: list[derive.Span] = []
        marks: dict[str, Any] = {}
        for child in inline.children or []:
            kind = child.type
            if kind in {"text", "text_special"}:
                spans.append({"text": child.content, **marks})
            elif kind in {"softbreak", "hardbreak", "html_inline"}:
                spans.append({"text": " ", **marks})
            elif kind in {"code_inline", "math_inline"}:
                spans.append({"text": child.content, **marks, "code": True})
            elif kind == "myst_role":
                literal = bool(LITERAL_ROLES.match(str(child.meta.get("name", ""))))
                text = _role_text(child.content)
                spans.append({"text": text, **marks, **({"code": True} if literal else {})})
            elif kind in {"em_open", "strong_open"}:
                marks[kind.removesuffix("_open")] = True
            elif kind in {"em_close", "strong_close"}:
                marks.pop(kind.removesuffix("_close"), None)
            elif kind == "link_open":
                href = str(child.attrs.get("href", ""))
                if re.match(r"^https?://", href):
                    marks["href"] = href
            elif kind == "link_close":
                marks.pop("href", None)
        if self._quotes is not None:
            spans = self._quotes(spans)
        return derive.clean_spans(spans)

    def _rich_items(self, tokens: list[Any], start: int) -> list[derive.Item]:
        """The items of the list opening at ``tokens[start]``, nested lists nested."""
        return self._rich_list(tokens, start)[0]

    def _rich_list(self, tokens: list[Any], start: int) -> tuple[list[derive.Item], int]:
        """The list's items and the index of its closing token."""
        level = tokens[start].level
        items: list[derive.Item] = []
        index = start + 1
        while index < len(tokens):
            token = tokens[index]
            if token.level == level and token.nesting == -1:
                break
            if token.type in {"bullet_list_open", "ordered_list_open"} and items:
                nested, index = self._rich_list(tokens, index)
                items[-1]["items"].extend(nested)
            elif token.type == "list_item_open" and token.level == level + 1:
                items.append({"text": [], "items": []})
            elif (
                token.type == "inline"
                and items
                and tokens[index - 1].type == "paragraph_open"
                and tokens[index - 1].level == level + 2
            ):
                spans = items[-1]["text"]
                if spans:
                    spans.append({"text": " "})
                spans.extend(self._rich_text(token))
            index += 1
        for item in items:
            item["text"] = derive.clean_spans(item["text"])
        return items, index

    def _list_items(self, tokens: list[Any], start: int) -> list[str]:
        depth = 0
        items: list[str] = []
        current: list[str] | None = None
        for index in range(start, len(tokens)):
            token = tokens[index]
            if token.type in {"bullet_list_open", "ordered_list_open"}:
                depth += 1
            elif token.type in {"bullet_list_close", "ordered_list_close"}:
                depth -= 1
                if depth == 0:
                    return items
            elif token.type == "list_item_open" and depth == 1:
                current = []
            elif token.type == "list_item_close" and depth == 1 and current is not None:
                items.append(" ".join(" ".join(current).split()))
                current = None
            elif token.type == "inline" and current is not None:
                current.append(self._text(token))
        return items

    def _directive(
        self,
        token: Any,
        outline: Outline,
        line: int | None,
        offset: int,
        nested: bool = False,
        fixed_line: int | None = None,
    ) -> None:
        match = re.match(r"^\{(?P<name>[^}\s]+)\}\s*(?P<argument>.*)$", token.info.strip())
        if match is None:
            if token.type == "fence":  # a code block (a colon fence is a paragraph)
                outline.blocks.append(Block("code", line, nested=True))
            return
        name = match["name"].lower().removeprefix("learn:")
        if name in CODE_DIRECTIVES:
            kind = "cell" if name == "code-cell" else ""
            outline.blocks.append(Block("code", line, text=kind, nested=True))
        elif name == "eval-rst" and self._rst is not None:
            first = (token.map[0] + 1 + offset) if token.map else offset
            self._eval_rst(token.content, outline, fixed_line or first, nested)
        elif name == "include":
            self._include(match["argument"], token.content, outline, line, nested)
        elif name == "tutorial":
            options, _used = directive_options(token.content)
            if not self.directives:
                known = metadata.tutorial_field_names()
                self.directives.append(
                    metadata.from_options(
                        {k: v for k, v in options.items() if k in known}, line or 1
                    )
                )
        elif name in IMAGE_DIRECTIVES:
            options, _used = directive_options(token.content)
            outline.images.append(Image(match["argument"].strip(), options.get("alt", ""), line))
        elif name in CONTAINER_DIRECTIVES:
            _options, used = directive_options(token.content)
            body = "\n".join(token.content.splitlines()[used:])
            first = (token.map[0] + 1 + used + offset) if token.map else offset
            self._walk(
                self._md.parse(body), outline, offset=first, nested=True, fixed_line=fixed_line
            )
        elif name == "checkpoint":
            _options, used = directive_options(token.content)
            body = "\n".join(token.content.splitlines()[used:])
            first = (token.map[0] + 1 + used + offset) if token.map else offset
            question = bool(match["argument"].strip())
            outline.checkpoints.append(
                self._checkpoint(self._md.parse(body), question, offset=first, line=line)
            )

    def _eval_rst(self, text: str, outline: Outline, first: int, nested: bool) -> None:
        """An ``eval-rst`` block: its paragraphs, lists and directives are the page's
        own, as MyST puts them straight into the doctree."""
        found, directives = self._rst(text, first)
        for block in found.blocks:
            if block.heading is None:
                block.nested = block.nested or nested
                outline.blocks.append(block)
        outline.images += found.images
        outline.raw_html += found.raw_html
        outline.prose += found.prose
        outline.checkpoints += found.checkpoints
        if directives and not self.directives:
            self.directives.append(directives[0])

    def _include(
        self, argument: str, content: str, outline: Outline, line: int | None, nested: bool
    ) -> None:
        """MyST's ``include``: the file read as MyST, where the directive stands."""
        options, _used = directive_options(content)
        text = read_included(self.include_from, argument, options, self._depth)
        if text is None:
            return
        if "literal" in options or "code" in options:
            outline.blocks.append(Block("code", line, nested=True))
            return
        self._depth += 1
        try:
            self._walk(self._md.parse(text), outline, offset=0, nested=nested, fixed_line=line)
        finally:
            self._depth -= 1

    def _checkpoint(
        self, tokens: list[Any], question: bool, *, offset: int, line: int | None
    ) -> Checkpoint:
        """A checkpoint's content: its blocks at the top, and the items of its list.
        A choice's marker is text, or (with MyST's ``tasklist`` extension) the state
        markdown-it has read from it."""
        top = [t for t in tokens if t.level == 0 and t.nesting >= 0]
        lists = [t for t in top if t.type in {"bullet_list_open", "ordered_list_open"}]
        choices: list[ChoiceShape] = []
        choice_lines: list[int | None] = []
        if len(lists) == 1:
            start = tokens.index(lists[0])
            for index in range(start + 1, len(tokens)):
                token = tokens[index]
                if token.level == 0:
                    break  # the list's end
                if token.type != "list_item_open" or token.level != 1:
                    continue
                choice_lines.append(token.map[0] + 1 + offset if token.map else None)
                inline = tokens[index + 2] if tokens[index + 1].type == "paragraph_open" else None
                choices.append(self._choice(token, inline))
        shape = CheckpointShape(
            question=question or len(top) > len(lists), lists=len(lists), choices=tuple(choices)
        )
        return Checkpoint(shape, line, choice_lines)

    def _choice(self, item: Any, inline: Any) -> ChoiceShape:
        if inline is None:
            return ChoiceShape(None, False)
        # The build reads raw HTML as text: it counts towards a choice's content.
        text = self._text(inline) + "".join(
            child.content for child in inline.children or [] if child.type == "html_inline"
        )
        if "checked" in (item.meta or {}):
            return ChoiceShape(bool(item.meta["checked"]), not text.strip())
        first = (inline.children or [None])[0]
        is_text = first is not None and first.type == "text"
        marker = MARKER.match(first.content) if is_text else None
        if marker is None:
            return ChoiceShape(None, False)
        return ChoiceShape(marker.group(1) in "xX", not text[marker.end() :].strip())

    @staticmethod
    def _segments(inline: Any) -> list[tuple[str, bool]]:
        segments: list[tuple[str, bool]] = []
        for child in inline.children or []:
            if child.type in {"text", "softbreak", "hardbreak"}:
                segments.append((child.content or " ", False))
            elif child.type in {"code_inline", "math_inline"}:
                segments.append((child.content, True))
            elif child.type == "myst_role":
                literal = bool(LITERAL_ROLES.match(str(child.meta.get("name", ""))))
                segments.append((_role_text(child.content), literal))
        return segments

    def _text(self, inline: Any) -> str:
        return "".join(text for text, _code in self._segments(inline))

    def _prose(self, inline: Any) -> str:
        return "".join(text if not code else " " for text, code in self._segments(inline))

    @staticmethod
    def _images(inline: Any, outline: Outline, line: int | None) -> None:
        for child in inline.children or []:
            if child.type == "image":
                outline.images.append(Image(str(child.attrs.get("src", "")), child.content, line))
            elif child.type == "html_inline":
                outline.raw_html.append((child.content, line))


def _role_text(content: str) -> str:
    match = _ROLE_TITLE.match(content)
    return match["title"] if match else content.lstrip("!~")


# -- reStructuredText, with docutils -------------------------------------------------------


class _AnyOptions(dict[str, Any]):
    """Accepts every option. Never empty: docutils skips option parsing for an empty
    (falsy) spec."""

    def __missing__(self, key: str) -> Any:
        return directives.unchanged


class _SkippedDirective(Directive):
    """Any directive we do not know: its content is neither prose nor structure."""

    optional_arguments = 100
    final_argument_whitespace = True
    has_content = True
    option_spec = _AnyOptions(name=directives.unchanged)

    def run(self) -> list[nodes.Node]:
        if self.name.lower() in CODE_DIRECTIVES:
            # Code, as the build has it: it makes a section clearly content.
            return [nodes.literal_block()]
        # An empty comment still says something was there (a checkpoint's question
        # may be a code block), and comments are neither prose nor structure.
        return [nodes.comment()]


class _ContainerDirective(_SkippedDirective):
    """A directive whose body is ordinary content (an exercise, a callout)."""

    def run(self) -> list[nodes.Node]:
        container = nodes.container(classes=["learn-check-nested"])
        container.line = self.lineno
        self.state.nested_parse(self.content, self.content_offset, container)
        return [container]


class _IncludeDirective(_SkippedDirective):
    """``include``: the file's text inserted where the directive stands, as in the
    build (only inside the source folder; see :func:`read_included`)."""

    def run(self) -> list[nodes.Node]:
        settings = self.state.document.settings
        depth = self.state.document.get("learn_include_depth", 0)
        text = read_included(settings.learn_include_from, self.arguments[0], self.options, depth)
        if text is None:
            return [nodes.comment()]
        if "literal" in self.options or "code" in self.options:
            return [nodes.literal_block(text, text)]
        self.state.document["learn_include_depth"] = depth + 1
        self.state_machine.insert_input(text.splitlines(), self.arguments[0])
        return []


class _TutorialDirective(_SkippedDirective):
    """Reads the ``tutorial`` directive's options as metadata."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        store = self.state.document.settings.learn_directives
        if not store:
            known = metadata.tutorial_field_names()
            options = {k: v for k, v in self.options.items() if k in known}
            store.append(metadata.from_options(options, self.lineno))
        return []


def _generic_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Any,
    options: Any = None,
    content: Any = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    if LITERAL_ROLES.match(name):
        return [nodes.literal(rawtext, text)], []
    return [nodes.inline(rawtext, _role_text(text))], []


class _checkpoint_read(nodes.Element):
    """Where a checkpoint was: ``checkpoint`` holds what :func:`read_checkpoint` found."""


class _CheckpointDirective(_SkippedDirective):
    """Reads a checkpoint's content the way the build does; the content itself is not
    page prose (a choice is not a sentence)."""

    def run(self) -> list[nodes.Node]:
        container = nodes.container()
        self.state.nested_parse(self.content, self.content_offset, container)
        content = read_checkpoint(bool(self.arguments), container.children)
        lines = [_line(item) for item in content.items]
        found = _checkpoint_read(checkpoint=Checkpoint(content.shape, self.lineno, lines))
        return [found]


_OUR_DIRECTIVES: dict[str, type[Directive]] = {
    **{
        name: _ContainerDirective
        for name in CONTAINER_DIRECTIVES
        if name not in directives._directive_registry
    },
    "tutorial": _TutorialDirective,
    "checkpoint": _CheckpointDirective,
    "include": _IncludeDirective,
}
_STANDARD_DIRECTIVES = set(directives._directive_registry)  # docutils' own
_STANDARD_ROLES = set(roles._role_registry)


@contextlib.contextmanager
def lenient_markup() -> Iterator[None]:
    """Parse with docutils' own directives and roles, ours above, and leniency for
    the rest. The registry lookups are swapped only while parsing."""
    lookup_directive = directives.directive
    lookup_role = roles.role

    def directive(name: str, language: Any, document: Any) -> tuple[Any, list[Any]]:
        bare = name.lower().removeprefix("learn:")
        if bare in _OUR_DIRECTIVES:
            return _OUR_DIRECTIVES[bare], []
        if name.lower() in _STANDARD_DIRECTIVES:
            return lookup_directive(name, language, document)
        return _SkippedDirective, []

    def role(name: str, language: Any, lineno: int, reporter: Any) -> tuple[Any, list[Any]]:
        if name.lower() in _STANDARD_ROLES and not LITERAL_ROLES.match(name.lower()):
            return lookup_role(name, language, lineno, reporter)
        return _generic_role, []

    directives.directive = directive
    roles.role = role
    try:
        yield
    finally:
        directives.directive = lookup_directive
        roles.role = lookup_role


_NOT_PROSE = (
    nodes.literal_block,
    nodes.literal,
    nodes.math,
    nodes.math_block,
    nodes.raw,
    nodes.comment,
    nodes.system_message,
    nodes.problematic,
    nodes.table,
    nodes.title,
    nodes.caption,
)


def _ancestors(node: nodes.Node) -> Iterator[nodes.Node]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _line(node: nodes.Node) -> int | None:
    current: nodes.Node | None = node
    while current is not None:
        if getattr(current, "line", None):
            return current.line
        current = current.parent
    return None


def _own(node: nodes.Node) -> bool:
    """Part of its section's own content, as the build reads a section: not inside a
    footnote, a directive or an admonition."""
    return isinstance(node.parent, nodes.section | nodes.document)


def outline_of_doctree(document: nodes.document, quotes: derive.Quotes | None = None) -> Outline:
    """The outline of a docutils document (reStructuredText)."""
    outline = Outline()

    def nested(node: nodes.Node) -> bool:
        return any(
            isinstance(a, nodes.list_item | nodes.table)
            or (isinstance(a, nodes.container) and "learn-check-nested" in a["classes"])
            or isinstance(a, nodes.Admonition)
            for a in _ancestors(node)
        )

    for node in document.findall(nodes.Element):
        if isinstance(node, nodes.title) and isinstance(node.parent, nodes.section):
            depth = sum(1 for a in _ancestors(node) if isinstance(a, nodes.section))
            segments = [
                (
                    # astext(), not str(): str() keeps docutils' \x00 escape markers.
                    text.astext(),
                    any(isinstance(a, nodes.literal | nodes.math) for a in _ancestors(text)),
                )
                for text in node.findall(nodes.Text)
            ]
            heading = Heading(depth, segments, _line(node))
            outline.blocks.append(Block("heading", heading.line, heading=heading))
        elif isinstance(node, nodes.transition):
            outline.blocks.append(Block("rule", _line(node), nested=nested(node)))
        elif isinstance(node, nodes.bullet_list | nodes.enumerated_list):
            if not any(isinstance(a, nodes.list_item) for a in _ancestors(node)):
                items = [" ".join(item.astext().split()) for item in node.children]
                content = derive.rich_block(node, quotes) if _own(node) else None
                outline.blocks.append(
                    Block("list", _line(node), items=items, nested=nested(node), content=content)
                )
        elif derive.is_code(node):
            outline.blocks.append(Block("code", _line(node), nested=True))
        elif isinstance(node, nodes.paragraph):
            if any(isinstance(a, _NOT_PROSE) for a in _ancestors(node)):
                continue
            prose = "".join(
                t.astext()
                for t in node.findall(nodes.Text)
                if not any(isinstance(a, _NOT_PROSE) for a in _ancestors(t))
            )
            prose = " ".join(prose.split())
            line = _line(node)
            if prose:
                outline.prose.append((prose, line))
            if not any(isinstance(a, nodes.list_item) for a in _ancestors(node)):
                text = " ".join(node.astext().split())
                content = derive.rich_block(node, quotes) if _own(node) else None
                outline.blocks.append(
                    Block("paragraph", line, text=text, nested=nested(node), content=content)
                )
        elif isinstance(node, nodes.image):
            outline.images.append(Image(node.get("uri", ""), node.get("alt") or "", _line(node)))
        elif isinstance(node, _checkpoint_read):
            outline.checkpoints.append(node["checkpoint"])
        elif isinstance(node, nodes.raw) and "html" in node.get("format", "").split():
            outline.raw_html.append((node.astext(), _line(node)))
    return outline


# -- Reading pages -------------------------------------------------------------------------


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
