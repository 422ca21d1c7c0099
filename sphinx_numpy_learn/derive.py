"""Reading a tutorial from its opening sections: one judge for the build and ``check``.

Pages written to NumPy's tutorial style guide declare nothing: they open with short
sections ("What you'll do", "What you'll learn", "Prerequisites" ...) and then
teach. This module decides, from those sections, whether a page is a tutorial and
what its metadata says. It works on plain data only, so that the build (which
reads Sphinx's doctree) and ``sphinx-numpy-learn check`` (which reads markdown-it
tokens, or a docutils tree made without Sphinx) hand it the same input and get the
same answer. Each side only turns its own tree into :class:`Part` objects;
:func:`sphinx_numpy_learn.rich_text.parts_of_doctree` is the docutils side, shared by
the build and by ``check``'s reading of reStructuredText.

Section content is kept as *rich text*: JSON-ready lists and dicts, not docutils
nodes, so that it can live in the domain (pickled, merged across ``-j`` workers)
and be turned back into nodes for the header card and catalog cards. A span is
``{"text": ...}`` with optional ``"code"``, ``"em"``, ``"strong"`` (``True``) and
``"href"`` (an http(s) address); a block is ``{"paragraph": [span, ...]}`` or
``{"list": [item, ...], "ordered": bool}``, and an item is ``{"text": [span, ...],
"items": [item, ...]}``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

Span = dict[str, Any]
Item = dict[str, Any]
RichBlock = dict[str, Any]
Quotes = Callable[[list[Span]], list[Span]]

# Headings of the opening sections, compared after normal_heading().
HEADING_FIELDS: dict[str, tuple[str, ...]] = {
    "outcome": ("what you'll do", "what you will do"),
    "objectives": (
        "what you'll learn",
        "what you will learn",
        "skills you'll learn",
        "skills you will learn",
        "learning objectives",
        "learning goals",
    ),
    "needs": ("what you'll need", "what you will need", "prerequisites"),
    "audience_description": (
        "learner profile",
        "who this is for",
        "who is this for",
        "who this tutorial is for",
        "target audience",
    ),
}
# Fields whose value is one piece of text; the others are lists of items.
TEXT_FIELDS = ("outcome", "audience_description")
CLOSING_HEADINGS = (
    "on your own",
    "in practice",
    "further reading",
    "wrapping up",
    "in conclusion",
    "next steps",
)

# A closing section that sums up what the reader learned: it fills ``keypoints`` when
# the metadata declares none (compared like closing headings, see closing_kind()).
KEYPOINTS_HEADINGS = (
    "key points",
    "keypoints",
    "key takeaways",
    "takeaways",
    "main takeaways",
    "recap",
    "quick recap",
    "summary",
    "in summary",
    "what you learned",
    "what you've learned",
    "what you have learned",
)
# Pointers onward, sources and credits: back matter (a "Key points" box goes before
# it) and sections that may follow the closing ones.
_SOURCES_AND_CREDITS = (
    "learn more",
    "see also",
    "what's next",
    "resources",
    "additional resources",
    "further resources",
    "references",
    "bibliography",
    "citations",
    "sources",
    "data sources",
    "acknowledgements",
    "acknowledgments",
    "credits",
    "license",
    "licence",
    "appendix",
)
# Sections a "Key points" box goes before: reading on, sources and credits.
BACK_MATTER = ("further reading", "next steps", *_SOURCES_AND_CREDITS)

# Sections that may follow the closing sections, or end a page without them; they
# never need a horizontal rule and are never "a step after the closing sections".
CLOSING_EXTRAS = (
    *KEYPOINTS_HEADINGS,
    *_SOURCES_AND_CREDITS,
    "conclusion",
    "conclusions",
    "final thoughts",
    "exercises",
    "solutions",
    "answers",
)
# Punctuation writers end a closing heading with: "In practice...", "In practice…",
# "Further reading:", "On your own?".
_CLOSING_END = re.compile(r"[\s.\u2026:?!]+$")
_NUMBERED = re.compile(r"^\d+(?:\.\d+)*[.):]?\s+")
_JOINED = re.compile(r"\s*(?:,|&|/|\+|\band\b)\s*")


def _closing_name(title: str) -> str:
    text = " ".join(title.replace("\u2019", "'").lower().split())
    return _CLOSING_END.sub("", _NUMBERED.sub("", text))


def closing_kind(title: str) -> str | None:
    """``closing`` for a closing section of the style guide (or a common variant, in
    :data:`CLOSING_HEADINGS`), ``extra`` for one of :data:`CLOSING_EXTRAS`, else
    ``None``. Case, a number in front and the punctuation at the end do not matter,
    nor a subtitle after a colon ("On your own: plot the median"), and names may be
    joined ("References and further reading")."""
    name = _closing_name(title)
    candidates = [name]
    if ":" in name:
        candidates.append(name.split(":", 1)[0].strip())
    for candidate in candidates:
        names = [n for n in _JOINED.split(candidate) if n]
        if names and all(n in CLOSING_HEADINGS or n in CLOSING_EXTRAS for n in names):
            return "closing" if any(n in CLOSING_HEADINGS for n in names) else "extra"
    return None


def _names_of(title: str) -> list[list[str]]:
    """The names a heading is made of, as :func:`closing_kind` reads it: the whole
    heading, then the part before a colon; each split where names are joined."""
    name = _closing_name(title)
    candidates = [name]
    if ":" in name:
        candidates.append(name.split(":", 1)[0].strip())
    return [[n for n in _JOINED.split(candidate) if n] for candidate in candidates]


def is_keypoints_heading(title: str) -> bool:
    """A closing section that sums up the tutorial ("Key points", "Recap", "Summary",
    "Key takeaways" ...), written as :func:`closing_kind` accepts headings, and also
    when joined to back matter ("Summary and next steps")."""
    return any(
        any(n in KEYPOINTS_HEADINGS for n in names)
        and all(n in KEYPOINTS_HEADINGS or n in BACK_MATTER for n in names)
        for names in _names_of(title)
    )


def is_back_matter(title: str) -> bool:
    """A section that points elsewhere or credits sources: a "Key points" box goes
    before the last run of them."""
    return any(names and all(n in BACK_MATTER for n in names) for names in _names_of(title))


def find_keypoints(parts: Sequence[Part]) -> Part | None:
    """The page's own key points section: the last section directly under the title
    whose heading is one of :data:`KEYPOINTS_HEADINGS`."""
    for part in reversed(parts):
        if part.title is not None and is_keypoints_heading(part.title):
            return part
    return None


def keypoints_values(part: Part | None) -> tuple[list[str], list[RichBlock]]:
    """The key points a section states (each paragraph and list item, as
    :func:`items_of` reads a list field) and its blocks, as rich text."""
    if part is None:
        return [], []
    items = items_of(part.blocks)
    if not items:
        return [], []
    return [plain(item) for item in items], [
        b for b in part.blocks if "list" in b or b["paragraph"]
    ]


# Code in a declared key point, written as in MyST or rST: `np.zeros` or ``np.zeros``.
_CODE = re.compile(r"``(.+?)``|`([^`]+)`")


def declared_points(texts: Iterable[str]) -> tuple[list[str], list[RichBlock]]:
    """Key points declared in metadata, read as a page's own section gives them: as
    plain text, and as rich text (one paragraph each; back-quoted parts are code)."""
    paragraphs: list[list[Span]] = []
    for text in texts:
        spans: list[Span] = []
        end = 0
        for match in _CODE.finditer(text):
            if match.start() > end:
                spans.append({"text": text[end : match.start()]})
            spans.append({"text": match[1] or match[2], "code": True})
            end = match.end()
        if end < len(text):
            spans.append({"text": text[end:]})
        paragraphs.append(spans)
    return [plain(spans) for spans in paragraphs], [{"paragraph": s} for s in paragraphs]


# An unknown section with more paragraphs and lists than this is the tutorial's
# content, not a short aside among the opening sections.
MAX_SKIPPED_BLOCKS = 3
# A page with one opening section is a tutorial when it is a notebook and that
# section is among its first this many sections.
SINGLE_SECTION_WITHIN = 3
_CITATION = re.compile(r"\s?\[\d{1,3}\](?=$|[\s.,;:!?)])")
_END_PUNCTUATION = (".", "!", "?", "\u2026")
_CLOSING_PUNCTUATION = ".,;:!?)"
_SPACE_BEFORE_PUNCTUATION = re.compile(r" (?=[.,;:!?)])")


def normal_heading(title: str) -> str:
    """A heading as the lists above compare it: lower case, straight apostrophes,
    single spaces, no trailing colon."""
    return " ".join(title.replace("\u2019", "'").lower().split()).rstrip(":").strip()


def heading_field(title: str) -> str | None:
    """The metadata field an opening heading fills, if any (case-insensitive)."""
    text = normal_heading(title)
    for name, headings in HEADING_FIELDS.items():
        if text in headings:
            return name
    return None


# -- Rich text --------------------------------------------------------------------------


def clean_spans(spans: Iterable[Span]) -> list[Span]:
    """Spans with white space collapsed (as HTML shows it), citation markers such as
    "[1]" taken out of prose, empty spans dropped and neighbours of the same kind
    joined: the form both readers must agree on."""
    merged: list[Span] = []
    for span in spans:
        text = span["text"]
        text = re.sub(r"\s+", " ", text)
        if not span.get("code"):
            text = _SPACE_BEFORE_PUNCTUATION.sub("", _CITATION.sub("", text))
        if not text:
            continue
        marks = {k: v for k, v in span.items() if k != "text" and v}
        if merged and {k: v for k, v in merged[-1].items() if k != "text"} == marks:
            merged[-1]["text"] += text
        else:
            merged.append({"text": text, **marks})
    # No space at either end, none doubled where two spans meet, and none left
    # before punctuation where a dropped reference stood ("lstsq [1].").
    for index, span in enumerate(merged):
        before = merged[index - 1] if index else None
        if before is None or not before["text"].endswith(" "):
            continue
        if span["text"].startswith(" "):
            span["text"] = span["text"][1:]
        elif not span.get("code") and span["text"][:1] in _CLOSING_PUNCTUATION:
            before["text"] = before["text"][:-1]
    if merged:
        merged[0]["text"] = merged[0]["text"].lstrip()
        merged[-1]["text"] = merged[-1]["text"].rstrip()
    return [span for span in merged if span["text"]]


# What docutils' smart quotes change: quotes, backticks, dashes, ellipses, entities and
# backslash escapes (its "-1" action changes more).
_EDUCATED = ("'", '"', "`", "--", "..", ". .", "&", "\\")


def educate(spans: list[Span], action: str, language: str) -> list[Span]:
    """Apply Sphinx's smart quotes (``smartquotes_action``) to one paragraph's spans,
    as its SmartQuotes transform does to the doctree: code is left alone. ``check``
    needs this; the build's doctree has it done already."""
    texts = [span["text"] for span in spans if not span.get("code")]
    if action != "-1" and not any(mark in text for text in texts for mark in _EDUCATED):
        return spans  # nothing the transform would change (most paragraphs)
    from docutils.utils import normalize_language_tag
    from docutils.utils.smartquotes import educate_tokens, smartchars

    tag = next((t for t in normalize_language_tag(language or "en") if t in smartchars.quotes), "")
    tokens = [("literal" if span.get("code") else "plain", span["text"]) for span in spans]
    educated = educate_tokens(tokens, attr=action, language=tag)
    return [{**span, "text": text} for span, text in zip(spans, educated, strict=True)]


def plain(spans: Sequence[Span]) -> str:
    return "".join(span["text"] for span in spans)


def _ends_sentence(spans: Sequence[Span]) -> bool:
    return plain(spans).rstrip().endswith(_END_PUNCTUATION)


def _with_end(spans: list[Span], mark: str) -> list[Span]:
    """``spans`` with ``mark`` after them unless they already end a sentence."""
    if not spans or _ends_sentence(spans):
        return spans
    text = plain(spans).rstrip()
    if text.endswith((",", ";", ":")):
        spans = [*spans[:-1], {**spans[-1], "text": spans[-1]["text"].rstrip()[:-1]}]
    return clean_spans([*spans, {"text": mark}])


def item_spans(item: Item) -> list[Span]:
    """An item as one piece of text: a nested list follows its parent after a colon,
    its items separated by semicolons."""
    spans = list(item["text"])
    children = [item_spans(child) for child in item["items"]]
    if not children:
        return spans
    if spans and not plain(spans).rstrip().endswith(":"):
        spans.append({"text": ":"})
    for index, child in enumerate(children):
        spans.append({"text": " " if index == 0 else "; "})
        spans.extend(child)
    return clean_spans(spans)


def _lead_in(blocks: Sequence[RichBlock], index: int) -> bool:
    """A paragraph ending with a colon, right before a list, introduces it."""
    block = blocks[index]
    return (
        "paragraph" in block
        and plain(block["paragraph"]).rstrip().endswith(":")
        and index + 1 < len(blocks)
        and "list" in blocks[index + 1]
    )


def items_of(blocks: Sequence[RichBlock]) -> list[list[Span]]:
    """A list field from a section's content: each paragraph and each list item, in
    order. A paragraph that introduces a list ("You'll need:") is not an item."""
    items: list[list[Span]] = []
    for index, block in enumerate(blocks):
        if "paragraph" in block:
            if not _lead_in(blocks, index) and block["paragraph"]:
                items.append(block["paragraph"])
        else:
            items.extend(spans for item in block["list"] if (spans := item_spans(item)))
    return items


def sentences_of(blocks: Sequence[RichBlock]) -> list[Span]:
    """A text field from a section's content: paragraphs and list items joined so
    that every sentence ends with punctuation. A list's items are joined with
    semicolons after the paragraph that introduces it, or as sentences."""
    pieces: list[list[Span]] = []
    for index, block in enumerate(blocks):
        if "paragraph" in block:
            if _lead_in(blocks, index):
                continue
            pieces.append(_with_end(list(block["paragraph"]), "."))
            continue
        items = [spans for item in block["list"] if (spans := item_spans(item))]
        if not items:
            continue
        lead = blocks[index - 1]["paragraph"] if index and _lead_in(blocks, index - 1) else []
        if lead or not all(_ends_sentence(item) for item in items):
            joined: list[Span] = list(lead)
            for number, item in enumerate(items):
                last = number == len(items) - 1
                trimmed = _without_end(item)
                joined += [{"text": " "}, *trimmed] if joined else list(trimmed)
                if not last:
                    joined.append({"text": ";"})
            pieces.append(_with_end(clean_spans(joined), "."))
        else:
            pieces.extend(items)
    joined_all: list[Span] = []
    for piece in pieces:
        if joined_all:
            joined_all.append({"text": " "})
        joined_all.extend(piece)
    return clean_spans(joined_all)


def _without_end(spans: list[Span]) -> list[Span]:
    text = plain(spans).rstrip()
    if spans and text.endswith((".", ";", ",")) and not text.endswith(".."):
        last = spans[-1]["text"].rstrip()
        return [*spans[:-1], {**spans[-1], "text": last[:-1]}]
    return spans


# -- The parts of a page ------------------------------------------------------------------


@dataclass
class Part:
    """A section directly under the page's title, or a horizontal rule between them."""

    title: str | None
    """``None`` for a horizontal rule."""
    line: int | None = None
    blocks: list[RichBlock] = field(default_factory=list)
    """The section's own paragraphs and lists, in order (not those of subsections,
    directives or admonitions)."""
    code: bool = False
    """The section or one of its subsections holds code: a code cell, a code block."""
    subsections: bool = False
    node: Any = field(default=None, compare=False, repr=False)
    """The build's section node (to skip it when looking for a first paragraph)."""


@dataclass
class Opening:
    """The opening sections a page has, and why the search stopped where it did."""

    sections: dict[str, Part] = field(default_factory=dict)
    """Field -> the section that fills it (the first one, when two do)."""
    positions: dict[str, int] = field(default_factory=dict)
    """Field -> position of the section among the page's sections (from 0)."""
    skipped: list[str] = field(default_factory=list)
    """Titles of short unknown sections passed over."""
    stop: str = "the end of the page"


def content_reason(part: Part) -> str | None:
    """Why an unknown section is clearly the tutorial's content (``None`` if it is
    short enough to be an aside among the opening sections)."""
    if closing_kind(part.title or "") is not None:
        return "it is a closing section (or one that follows them)"
    if part.code:
        return "it holds code"
    if part.subsections:
        return "it has subsections"
    if len(part.blocks) > MAX_SKIPPED_BLOCKS:
        return f"it has more than {MAX_SKIPPED_BLOCKS} paragraphs and lists"
    return None


def find_opening(parts: Sequence[Part]) -> Opening:
    """The opening sections: every section before the first horizontal rule that
    follows one of them, or before the first section that is clearly content. Known
    headings fill their field; short unknown sections are skipped."""
    opening = Opening()
    position = -1
    for part in parts:
        if part.title is None:
            if opening.sections:
                opening.stop = f"a horizontal rule (line {part.line})"
                break
            continue
        position += 1
        name = heading_field(part.title)
        if name is not None:
            if name not in opening.sections:
                opening.sections[name] = part
                opening.positions[name] = position
            continue
        reason = content_reason(part)
        if reason is not None:
            opening.stop = f"{part.title!r}, which is content: {reason}"
            break
        opening.skipped.append(part.title)
    return opening


def field_values(opening: Opening) -> tuple[dict[str, Any], dict[str, Any], dict[str, int]]:
    """The plain values the opening sections declare, their rich text and lines.

    Text fields are one string; list fields one string per item. An empty section
    declares nothing."""
    values: dict[str, Any] = {}
    rich: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for name, part in opening.sections.items():
        if name in TEXT_FIELDS:
            spans = sentences_of(part.blocks)
            if not spans:
                continue
            values[name] = plain(spans)
            rich[name] = spans
        else:
            items = items_of(part.blocks)
            if not items:
                continue
            values[name] = [plain(item) for item in items]
            rich[name] = [b for b in part.blocks if "list" in b or b["paragraph"]]
        if part.line:
            lines[name] = part.line
    return values, rich, lines


@dataclass
class Judgement:
    """Whether a page is a tutorial, and why (logged at debug level)."""

    is_tutorial: bool
    reason: str


def judge(
    *,
    declares: bool,
    pattern: str | None,
    opening: Opening | None,
    derived: Iterable[str],
    is_notebook: Callable[[], bool],
) -> Judgement:
    """A page is a tutorial when it declares metadata, when its docname matches
    ``learn_tutorial_patterns`` (``pattern``), or when its opening sections declare
    two fields, or one field from one of its first sections in a notebook.

    ``opening`` is ``None`` when derivation is off; ``derived`` names the fields
    the opening sections fill with a value; ``is_notebook`` is asked only when one
    does (it may walk the page)."""
    if declares:
        return Judgement(True, "it declares metadata")
    if pattern is not None:
        return Judgement(True, f"its name matches learn_tutorial_patterns ({pattern!r})")
    if opening is None:
        return Judgement(False, "it declares no metadata and learn_derive_metadata is off")
    filled = sorted(derived)
    where = f"(the search stopped at {opening.stop})"
    if len(filled) >= 2:
        return Judgement(True, f"its opening sections fill {', '.join(filled)} {where}")
    if len(filled) == 1:
        position = opening.positions[filled[0]]
        notebook = is_notebook()
        if notebook and position < SINGLE_SECTION_WITHIN:
            return Judgement(
                True,
                f"it is a notebook whose section {position + 1} fills {filled[0]} {where}",
            )
        why = "it is not a notebook" if not notebook else f"that is section {position + 1}"
        return Judgement(
            False,
            f"one opening section fills {filled[0]}, and {why}: one section makes a "
            f"notebook a tutorial when it is among the first {SINGLE_SECTION_WITHIN} "
            f"{where}",
        )
    return Judgement(False, f"it declares no metadata and has no opening sections {where}")
