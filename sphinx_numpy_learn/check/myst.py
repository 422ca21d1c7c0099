"""MyST Markdown (and the Markdown cells of ``.ipynb`` notebooks) read with MyST-Parser's
markdown-it parser, token by token, without building a docutils tree: that is what
keeps ``check`` an order of magnitude faster than a build.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sphinx_numpy_learn import derive, metadata
from sphinx_numpy_learn.check.outline import (
    CODE_DIRECTIVES,
    CONTAINER_DIRECTIVES,
    IMAGE_DIRECTIVES,
    LITERAL_ROLES,
    Block,
    Checkpoint,
    Heading,
    Image,
    Outline,
    directive_options,
    read_included,
    role_text,
)
from sphinx_numpy_learn.task_lists import MARKER, CheckpointShape, ChoiceShape


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
                text = role_text(child.content)
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
                segments.append((role_text(child.content), literal))
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
