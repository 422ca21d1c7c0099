"""The sentence-case rule: headings in sentence case, proper nouns kept capitalised."""

from __future__ import annotations

import functools
import itertools
import operator
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sphinx_numpy_learn.check.registry import MAX_NAME_WORDS, Finding

if TYPE_CHECKING:
    from sphinx_numpy_learn.check.outline import Page


# Names that often appear in a tutorial's headings (one word or a phrase). A project
# adds its own with learn_check_proper_nouns, and each page adds the names its prose
# capitalises mid-sentence.
PROPER_NOUNS = frozenset(
    (
        "Python",
        "NumPy",
        "SciPy",
        "Jupyter",
        "JupyterLab",
        "JupyterLite",
        "Matplotlib",
        "Pandas",
        "Git",
        "GitHub",
        "GitLab",
        "Linux",
        "Windows",
        "Unix",
        "Conda",
        "Anaconda",
        "Miniforge",
        "Binder",
        "Colab",
        "Google",
        "Markdown",
        "MyST",
        "Sphinx",
        "Spyder",
        "PyPI",
        "Meson",
        "Cython",
        "Fortran",
        "English",
        "Fourier",
        "Gauss",
        "Gaussian",
        "Bayes",
        "Bayesian",
        "Euler",
        "Newton",
        "Poisson",
        "Boolean",
        "Cartesian",
        "Celsius",
        "Fahrenheit",
        "Kelvin",
        "Earth",
        "Cholesky",
        "Hessian",
        "Jacobian",
        "Laplace",
        "Laplacian",
        "Lagrange",
        "Markov",
        "Pearson",
        "Taylor",
        "Mandelbrot",
        "Monte Carlo",
        "Excel",
        "Kaggle",
        "Wikipedia",
        "Stack Overflow",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    )
)
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
# Quotation marks and what closes each: a quoted heading or title keeps its own
# capitals. A single quote counts only where it is not an apostrophe (you'll, Moore's).
_QUOTES = {
    '"': '"',
    "\u201c": "\u201d",
    "\u201e": "\u201c\u201d",
    "\u00ab": "\u00bb",
    "'": "'",
    "\u2018": "\u2019",
}
_QUOTE_MARK = re.compile("[\"'\u2018\u2019\u201c\u201d\u201e\u00ab\u00bb]")
_SINGLE = "'\u2018\u2019"
_CLAUSE_BREAK = re.compile(r"[:?!.\u2026][\"'\u2019\u201d)\]]*(?:\s|$)")
# A full stop after these, or after a single letter ("e.g.", "John F. Kennedy"), does
# not end a sentence.
_ABBREVIATIONS = frozenset({"cf", "vs", "dr", "mr", "mrs", "ms", "prof", "st", "fig"})
# Words that title case capitalises: a capitalised "With" mid-sentence is part of a
# quoted title, not a name, so it is never learned from the prose.
_MINOR_WORDS = frozenset(
    (
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "nor",
        "of",
        "on",
        "onto",
        "or",
        "over",
        "per",
        "the",
        "to",
        "via",
        "vs",
        "with",
    )
)
_CODE = "\x00"  # stands in for each character of code in a title


@dataclass
class _Token:
    word: str
    start: int
    starts_clause: bool
    quoted: bool
    joined: bool
    """Only spaces separate it from the token before (it may continue a name)."""
    index: int
    """Its place among all the words of the text."""

    @property
    def stem(self) -> str:
        """The word without a possessive ending: Moore's, Bayes' -> Moore, Bayes."""
        return self.word.split("'")[0].split("\u2019")[0]

    @property
    def capitalised(self) -> bool:
        return self.word[0].isupper()


def _quoted(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` in quotation marks, in one pass (page text is untrusted)."""

    def word_at(index: int) -> bool:
        return 0 <= index < len(text) and (text[index].isalnum() or text[index] == "_")

    spans: list[tuple[int, int]] = []
    opened: tuple[str, int] | None = None
    for match in _QUOTE_MARK.finditer(text):
        mark, at = match.group(), match.start()
        if opened is not None:
            closers, start = opened
            if mark in closers and not (mark in _SINGLE and word_at(at + 1)):
                spans.append((start, at + 1))
                opened = None
        elif mark in _QUOTES and not (mark in _SINGLE and word_at(at - 1)):
            opened = (_QUOTES[mark], at)
    return spans


def _tokens(text: str, *, capitalised_only: bool = False) -> list[_Token]:
    """The words of ``text`` (code already replaced by :data:`_CODE`); only the
    capitalised ones with ``capitalised_only``. The prose of a page is long, so the
    words and the gaps between them are split out by the regex engine."""
    words = _WORD.findall(text)
    gaps = _WORD.split(text)  # gaps[i] comes before words[i]
    wanted = (
        [i for i, word in enumerate(words) if word[0].isupper()]
        if capitalised_only
        else range(len(words))
    )
    if not wanted:
        return []
    quotes = _quoted(text)
    ends = list(itertools.accumulate(map(operator.add, map(len, gaps), map(len, words))))
    tokens: list[_Token] = []
    quote = 0
    for i in wanted:
        word, gap = words[i], gaps[i]
        start = ends[i] - len(word)
        if i == 0:
            starts = _CODE not in gap
        else:
            previous = words[i - 1].lower()
            abbreviated = gap.startswith(".") and (
                len(previous) == 1 or previous in _ABBREVIATIONS
            )
            starts = bool(_CLAUSE_BREAK.search(gap)) and not abbreviated
        while quote < len(quotes) and quotes[quote][1] <= start:
            quote += 1
        quoted = quote < len(quotes) and quotes[quote][0] <= start
        # Joined to the token before only if no word (of any case) lies between them.
        joined = i > 0 and not gap.strip() and bool(tokens) and tokens[-1].index == i - 1
        tokens.append(_Token(word, start, starts, quoted, joined, i))
    return tokens


@dataclass
class ProperNames:
    """Names a sentence-case title keeps capitalised: single words, and phrases that
    count only as a whole (the "New" of "New York" is not a name by itself)."""

    words: set[str] = field(default_factory=set)
    phrases: set[tuple[str, ...]] = field(default_factory=set)
    """Every run of two or more words within a known multi-word name."""
    longest: int = 1

    def add(self, name: tuple[str, ...]) -> None:
        if len(name) == 1:
            self.words.add(name[0])
            return
        self.longest = max(self.longest, len(name))
        for first in range(len(name)):
            for last in range(first + 2, len(name) + 1):
                self.phrases.add(name[first:last])

    def update(self, other: ProperNames) -> None:
        self.words |= other.words
        self.phrases |= other.phrases
        self.longest = max(self.longest, other.longest)

    @classmethod
    def listed(cls, entries: Iterable[str]) -> ProperNames:
        """The names of a list such as learn_check_proper_nouns ("Moore's Law")."""
        names = cls()
        for entry in entries:
            stems = tuple(t.stem for t in _tokens(entry))
            if 0 < len(stems) <= MAX_NAME_WORDS:
                names.add(stems)
        return names

    @classmethod
    def in_prose(cls, paragraphs: Iterable[str]) -> ProperNames:
        """The names a page's prose capitalises where a sentence does not start: runs
        of capitalised words ("Johns Hopkins University") with their last word, each
        possessive ("Moore's"), but neither quoted text nor a word that only ever starts
        a sentence."""
        names = cls()
        for text in paragraphs:
            runs: list[list[_Token]] = []
            for token in _tokens(text, capitalised_only=True):
                if not _name_like(token):
                    runs.append([])
                elif runs and runs[-1] and token.joined and not token.starts_clause:
                    runs[-1].append(token)
                else:
                    runs.append([token])
            for run in runs:
                # A word that starts a sentence counts only with the name it begins.
                evidence = run[1:] if run and run[0].starts_clause else run
                if not evidence:
                    continue
                if len(run) <= MAX_NAME_WORDS:
                    names.add(tuple(t.stem for t in run))
                # A name's last word is often used alone: Canny for John Canny. So is
                # the owner of a possessive (Moore's Law).
                names.words.add(run[-1].stem)
                names.words.update(t.stem for t in evidence if t.word != t.stem)
        return names


def _name_like(token: _Token) -> bool:
    return token.capitalised and not token.quoted and token.stem.lower() not in _MINOR_WORDS


@functools.cache
def _built_in_names() -> ProperNames:
    return ProperNames.listed(PROPER_NOUNS)


def _acronym_or_mixed(stem: str) -> bool:
    # CSV, NumPy, CSVs, and a capital letter joined to a word (X-ray, T-test)
    return stem.isupper() or any(c.isupper() for c in stem[1:]) or bool(re.match(r"[A-Z]-", stem))


def sentence_case_problem(
    title: str | list[tuple[str, bool]],
    proper_nouns: Iterable[str] = (),
    prose: Iterable[str] = (),
) -> str | None:
    """The sentence-case form of ``title`` if it is written in title case, else ``None``.

    A word counts against the title when it is capitalised, not first in its clause,
    not quoted, not an acronym (``CSV``), not mixed case (``NumPy``) and not part of
    a known name: a built-in one, one of ``proper_nouns``, or one that ``prose``
    capitalises mid-sentence. The title is flagged when two or more words count
    against it, or more than half of the words that could; a single capitalised word
    is usually a proper noun. The suggestion lowercases those words only, so it never
    touches a name, quoted text or code.
    """
    names = ProperNames()
    names.update(_built_in_names())
    names.update(ProperNames.listed(proper_nouns))
    names.update(ProperNames.in_prose(prose))
    segments = [(title, False)] if isinstance(title, str) else title
    return _sentence_case_fix(segments, names)


def _sentence_case_fix(segments: list[tuple[str, bool]], names: ProperNames) -> str | None:
    text = "".join(part for part, _code in segments)
    masked = "".join(_CODE * len(part) if code else part for part, code in segments)
    tokens = [t for t in _tokens(masked) if not t.quoted]
    named = {i for i, t in enumerate(tokens) if t.stem in names.words or t.word in names.words}
    for first in range(len(tokens)):
        for last in range(first + 2, min(len(tokens), first + names.longest) + 1):
            if not tokens[last - 1].joined:
                break
            if tuple(t.stem for t in tokens[first:last]) in names.phrases:
                named.update(range(first, last))
    eligible = 0
    offenders: list[_Token] = []
    for index, token in enumerate(tokens):
        if token.starts_clause or len(token.word) < 2:
            continue
        if index in named and token.capitalised:  # a listed "pandas" changes no count
            continue
        if _acronym_or_mixed(token.stem):
            continue
        eligible += 1
        if token.capitalised:
            offenders.append(token)
    if not offenders or (len(offenders) < 2 and len(offenders) * 2 <= eligible):
        return None
    chars = list(text)
    for token in offenders:
        chars[token.start] = chars[token.start].lower()
    return " ".join("".join(chars).split())


def sentence_case_findings(page: Page, proper_nouns: Iterable[str]) -> Iterator[Finding]:
    names = ProperNames()
    names.update(_built_in_names())
    names.update(ProperNames.listed(proper_nouns))
    # Knowing more names only ever clears a heading, so the prose (long) is read only
    # when a heading looks wrong without it.
    with_prose: ProperNames | None = None
    for heading in page.outline.headings:
        fixed = _sentence_case_fix(heading.segments, names)
        if fixed is not None:
            if with_prose is None:
                with_prose = ProperNames()
                with_prose.update(names)
                with_prose.update(ProperNames.in_prose(text for text, _line in page.outline.prose))
            fixed = _sentence_case_fix(heading.segments, with_prose)
        if fixed is not None:
            yield Finding(
                "LRN104",
                f"{heading.text!r} is not in sentence case: write {fixed!r} (capitalise "
                "the first word and proper nouns only; list your project's proper nouns in "
                "learn_check_proper_nouns)",
                heading.line,
            )
