"""What ``check`` reads of a page: its :class:`Outline` (headings, rules, paragraphs,
lists, images, raw HTML, checkpoints, with line numbers), and the helpers both readers
share (directive options, ``include``, disabled rules).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from sphinx_numpy_learn import metadata
from sphinx_numpy_learn.task_lists import CheckpointShape

# Directives whose content is ordinary page content: ours, and docutils' admonitions.
CONTAINER_DIRECTIVES = frozenset(
    {
        "exercise",
        "solution",
        "hint",
        "new-contributor",
        "maintainer-note",
        "instructor-note",
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


ROLE_TITLE = re.compile(r"^(?P<title>.+?)\s*<[^<>]+>$", re.DOTALL)
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


def role_text(content: str) -> str:
    match = ROLE_TITLE.match(content)
    return match["title"] if match else content.lstrip("!~")
