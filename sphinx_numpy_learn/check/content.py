"""The rules on a page's content: image alt text, stored notebook outputs, readability
and checkpoints.
"""

from __future__ import annotations

import functools
import html.parser
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from sphinx_numpy_learn.check.registry import Finding
from sphinx_numpy_learn.check.rules import page_title_line

if TYPE_CHECKING:
    from sphinx_numpy_learn.check.outline import Page


# -- Images ---------------------------------------------------------------------------------


class _ImgFinder(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.missing: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img" and "alt" not in dict(attrs):
            # alt="" is HTML's explicit mark for a decorative image, so it passes.
            self.missing.append(dict(attrs).get("src") or "")


def image_findings(page: Page) -> Iterator[Finding]:
    for image in page.outline.images:
        if not image.alt.strip():
            yield Finding(
                "LRN105",
                f"image {image.uri!r} has no alt text: describe what it shows (MyST: "
                f"![what it shows]({image.uri}); rST: the :alt: option)",
                image.line,
            )
    for html_text, line in page.outline.raw_html:
        finder = _ImgFinder()
        finder.feed(html_text)
        for src in finder.missing:
            yield Finding(
                "LRN105",
                f"<img src={src!r}> has no alt attribute: describe what it shows "
                '(alt="" marks a purely decorative image)',
                line,
            )


# -- Notebooks --------------------------------------------------------------------------


def stored_output_findings(page: Page) -> Iterator[Finding]:
    notebook = page.notebook or {}
    with_outputs = [
        index
        for index, cell in enumerate(notebook.get("cells", []))
        if isinstance(cell, dict)
        and cell.get("cell_type") == "code"
        and (cell.get("outputs") or cell.get("execution_count") is not None)
    ]
    if not with_outputs:
        return
    first = next(c for c in page.cells if c.index == with_outputs[0])
    count = len(with_outputs)
    cells = "1 code cell has" if count == 1 else f"{count} code cells have"
    yield Finding(
        "LRN106",
        f"{cells} stored outputs or execution counts (first: cell {first.index + 1}); the "
        "build runs the notebook, so commit it cleared (jupyter nbconvert "
        "--clear-output --inplace, or nbstripout)",
        first.first_line,
    )


# -- Readability ----------------------------------------------------------------------------

_PROSE_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")


@cache
def _hyphenator() -> Any:
    import pyphen

    return pyphen.Pyphen(lang="en_US")


@functools.lru_cache(maxsize=65536)
def _syllables(word: str) -> int:
    return len(_hyphenator().positions(word)) + 1


@dataclass
class Readability:
    score: float
    words: int
    sentences: int


def flesch_reading_ease(paragraphs: list[str]) -> Readability:
    """Flesch reading ease of the paragraphs: 206.835 - 1.015 (words per sentence)
    - 84.6 (syllables per word). A paragraph or list item without end punctuation
    counts as one sentence. Syllables come from Pyphen's English hyphenation
    dictionary (the counter textstat falls back on), which needs no download."""
    words = sentences = syllables = 0
    for paragraph in paragraphs:
        found = _PROSE_WORD.findall(paragraph)
        if not found:
            continue
        words += len(found)
        syllables += sum(_syllables(word.lower()) for word in found)
        text = paragraph.rstrip()
        ends = len(_SENTENCE_END.findall(text))
        if not text.endswith((".", "!", "?")):
            ends += 1  # a list item or a fragment without end punctuation
        sentences += ends
    if not words:
        return Readability(100.0, 0, 0)
    score = 206.835 - 1.015 * (words / max(sentences, 1)) - 84.6 * (syllables / words)
    return Readability(round(score, 1), words, sentences)


MINIMUM_WORDS = 100


def readability_findings(page: Page, minimum: float) -> Iterator[Finding]:
    paragraphs = page.outline.prose
    result = flesch_reading_ease([text for text, _line in paragraphs])
    if result.words < MINIMUM_WORDS or result.score >= minimum:
        return
    hardest = min(
        (p for p in paragraphs if len(_PROSE_WORD.findall(p[0])) >= 20),
        key=lambda p: flesch_reading_ease([p[0]]).score,
        default=None,
    )
    where = ""
    line = page_title_line(page)
    if hardest is not None:
        line = hardest[1] or line
        start = " ".join(hardest[0].split()[:8])
        where = f'; the hardest paragraph starts "{start} ..."'
    yield Finding(
        "LRN107",
        f"the prose scores {result.score:g} for Flesch reading ease, below "
        f"learn_check_readability ({minimum:g}): shorter sentences and plainer words help "
        f"beginners{where}",
        line,
    )


# -- Checkpoints ----------------------------------------------------------------------------


def checkpoint_findings(page: Page) -> Iterator[Finding]:
    """LRN108: what the build would warn about each checkpoint (the same checks, on the
    same reading of its list: :mod:`sphinx_numpy_learn.task_lists`)."""
    for checkpoint in page.outline.checkpoints:
        for problem in checkpoint.shape.problems():
            line = checkpoint.line
            if problem.choice is not None:
                line = checkpoint.choice_lines[problem.choice] or line
            yield Finding("LRN108", f"checkpoint: {problem.message}", line)
