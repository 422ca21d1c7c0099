"""The rules of ``sphinx-numpy-learn check``: ids, explanations and the checks.

Every rule has a stable id (``LRN001``), a name (``metadata-schema``), a default
severity and a one-line explanation. The metadata rules use the same schema,
tiers and document resolution as the build (:mod:`sphinx_numpy_learn.metadata`),
so ``check`` and ``sphinx-build`` never disagree about a tutorial; the style rules
follow NumPy's tutorial style guide.
"""

from __future__ import annotations

import functools
import html.parser
import itertools
import operator
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from sphinx_numpy_learn import derive, metadata

if TYPE_CHECKING:
    from sphinx_numpy_learn.check_parse import Outline, Page

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: str
    summary: str
    applies_to: str


RULES: tuple[Rule, ...] = (
    Rule(
        "LRN001",
        "metadata-schema",
        ERROR,
        "Tutorial metadata matches the published schema: known fields, the right types, "
        "durations in range.",
        "tutorials",
    ),
    Rule(
        "LRN002",
        "unknown-level",
        ERROR,
        "The level is one of the tiers in learn_tiers.",
        "tutorials",
    ),
    Rule(
        "LRN003",
        "required-field",
        ERROR,
        "Every field listed in learn_required_fields is declared.",
        "tutorials",
    ),
    Rule(
        "LRN004",
        "unknown-prerequisite",
        ERROR,
        "Each prerequisite is another document of the project.",
        "tutorials",
    ),
    Rule(
        "LRN005",
        "prerequisite-cycle",
        ERROR,
        "Prerequisites do not form a cycle.",
        "tutorials",
    ),
    Rule(
        "LRN006",
        "metadata-link",
        ERROR,
        "Links in metadata are http(s) addresses or relative.",
        "tutorials",
    ),
    Rule(
        "LRN101",
        "opening-sections",
        WARNING,
        "A tutorial says what you'll do, what you'll learn and what you'll need, as "
        "opening headings or as metadata.",
        "learner tutorials",
    ),
    Rule(
        "LRN102",
        "opening-order",
        WARNING,
        "The opening sections come first, in the order do, learn, need, and a "
        "horizontal rule separates them from the first step.",
        "learner tutorials",
    ),
    Rule(
        "LRN103",
        "closing-sections",
        WARNING,
        "Closing sections (On your own, In practice, Further reading, and variants such "
        "as Next steps) come last, after a horizontal rule; References, Acknowledgements "
        "and the like may follow them.",
        "learner tutorials",
    ),
    Rule(
        "LRN104",
        "sentence-case",
        WARNING,
        "The title and headings are in sentence case: only the first word and proper "
        "nouns are capitalised.",
        "tutorials",
    ),
    Rule(
        "LRN105",
        "image-alt",
        ERROR,
        "Every image has alt text.",
        "every page",
    ),
    Rule(
        "LRN106",
        "stored-outputs",
        ERROR,
        "Notebooks are committed without outputs.",
        ".ipynb pages",
    ),
    Rule(
        "LRN107",
        "readability",
        WARNING,
        "The prose of a tutorial at the easiest level is easy to read: its Flesch "
        "reading ease is at least learn_check_readability.",
        "tutorials at the easiest level",
    ),
    Rule(
        "LRN108",
        "checkpoint",
        ERROR,
        "A checkpoint has a question and one list of at least two choices, each starting "
        "with [x] (right) or [ ] (wrong), at least one of them [x]; the build warns "
        "about the same problems.",
        "every page",
    ),
    Rule(
        "LRN201",
        "notebook-execution",
        ERROR,
        "Every notebook runs from top to bottom (checked with --execute).",
        "notebooks",
    ),
)
RULES_BY_KEY: dict[str, Rule] = {
    **{rule.id: rule for rule in RULES},
    **{rule.name: rule for rule in RULES},
}


# The rule of each kind of metadata problem the build reports (metadata.Problem.kind).
PROBLEM_RULES = {
    "metadata": "LRN001",
    "level": "LRN002",
    "required": "LRN003",
    "prerequisite": "LRN004",
}


def rule_keys() -> tuple[str, ...]:
    """Every id and name a setting or comment may use to name a rule."""
    return tuple(RULES_BY_KEY)


@dataclass
class Finding:
    rule: str
    message: str
    line: int | None = None
    """Line in the page's text (for an ``.ipynb``, the MyST text made of its cells)."""
    cell: int | None = None
    """Notebook cell (1-based), when the line alone does not say."""
    details: list[str] = field(default_factory=list)


@dataclass
class ProjectFacts:
    """What the rules know about the project, from ``conf.py`` and its file list."""

    docnames: set[str]
    source_suffixes: list[str]
    tiers: list[str]
    required_fields: list[str] = field(default_factory=list)
    derive_metadata: bool = True
    tutorial_patterns: list[str] = field(default_factory=list)
    proper_nouns: set[str] = field(default_factory=set)
    readability_minimum: float = 50.0


@dataclass
class Tutorial:
    """A page the build would treat as a tutorial, with its merged metadata."""

    docname: str
    values: dict[str, Any]
    lines: dict[str, int]
    line: int | None
    """Line of the metadata declaration (directive or ``learn:`` key)."""
    prerequisite_docs: list[str]
    reason: str = ""
    """Why the page is a tutorial (as the build logs it)."""


# -- Metadata ---------------------------------------------------------------------------

_SCHEME = re.compile(r"^(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*):")
_LINK_TARGETS = (
    # Markdown [text](target); one level of parentheses inside the target
    re.compile(r"\]\(\s*<?(?P<target>(?:[^()\s<>]|\([^()\s]*\))+)"),
    re.compile(r"<(?P<target>[^<>\s]+)>`"),  # rST `text <target>`_
    re.compile(r"<(?P<target>[a-zA-Z][a-zA-Z0-9+.-]*:[^<>\s]*)>"),  # <scheme:...>
)


def _bad_link(target: str) -> str | None:
    """Why ``target`` is not allowed as a link, or ``None``."""
    target = target.strip()
    if target.startswith("//"):
        return "which leaves out the scheme (write https://)"
    match = _SCHEME.match(target)
    if match and match["scheme"].lower() not in {"http", "https"}:
        return f"which uses the {match['scheme'].lower()}: scheme"
    return None


def _link_findings(declared: metadata.Declared) -> tuple[metadata.Declared, list[Finding]]:
    """LRN006 for every link in the metadata that is not http(s) or relative; the
    offending prerequisites are taken out before the schema check sees them."""
    findings: list[Finding] = []
    values = dict(declared.values)
    for name, value in declared.values.items():
        items = value if isinstance(value, list) else [value]
        kept = []
        for item in items:
            line = declared.lines.get(name, declared.line)
            targets: list[str] = []
            if isinstance(item, dict) and isinstance(item.get("url"), str):
                targets.append(item["url"])
            elif isinstance(item, str):
                targets.extend(m["target"] for p in _LINK_TARGETS for m in p.finditer(item))
                if name == "prerequisites" and _SCHEME.match(item.strip()):
                    targets.append(item)
            problems = [(t, why) for t in targets if (why := _bad_link(t))]
            for target, why in problems:
                findings.append(
                    Finding(
                        "LRN006",
                        f"{name!r} links to {target!r}, {why}: metadata links must be "
                        "http(s) addresses or relative",
                        line,
                    )
                )
            if not (problems and name == "prerequisites"):
                kept.append(item)
        if name == "prerequisites" and isinstance(value, list):
            values[name] = kept
    cleaned = metadata.Declared(
        declared.source,
        values,
        declared.lines,
        declared.line,
        declared.problems,
        declared.unreadable,
    )
    return cleaned, findings


def tutorial_of(page: Page, facts: ProjectFacts) -> tuple[Tutorial | None, list[Finding]]:
    """Validate the page's metadata the way the build does; ``None`` when the page is
    not a tutorial."""
    findings: list[Finding] = []
    explicit: list[metadata.Declared] = []
    for declared in (page.directive, page.front_matter):
        if declared is None:
            continue
        cleaned, link_findings = _link_findings(declared)
        findings.extend(link_findings)
        valid = metadata.validate(cleaned)
        findings.extend(Finding(PROBLEM_RULES[p.kind], p.message, p.line) for p in valid.problems)
        if not valid.unreadable:
            explicit.append(valid)
    judgement, headings = judge_page(page, explicit, facts)
    if not judgement.is_tutorial:
        return None, findings
    sources = explicit + ([headings] if headings is not None else [])
    values, _origin, lines = metadata.merge(sources)
    declared_line = next((d.line for d in explicit if d.line), None)

    problems, prerequisites = metadata.value_problems(
        page.docname,
        values,
        lines,
        declared_line,
        tiers=facts.tiers,
        required_fields=facts.required_fields,
        docnames=facts.docnames,
        source_suffixes=facts.source_suffixes,
    )
    findings.extend(Finding(PROBLEM_RULES[p.kind], p.message, p.line) for p in problems)
    prerequisite_docs = [p["doc"] for p in prerequisites if "doc" in p]
    tutorial = Tutorial(
        page.docname, values, lines, declared_line, prerequisite_docs, judgement.reason
    )
    return tutorial, findings


def judge_page(
    page: Page, explicit: list[metadata.Declared], facts: ProjectFacts
) -> tuple[derive.Judgement, metadata.Declared | None]:
    """Whether the page is a tutorial, by the build's rule (:func:`derive.judge`), and
    what its opening sections declare (``None`` when derivation is off)."""
    opening = derive.find_opening(parts_of_outline(page.outline))
    headings = metadata.from_opening(opening)[0] if facts.derive_metadata else None
    notebook = page.notebook is not None or any(
        b.kind == "code" and b.text == "cell" for b in page.outline.blocks
    )
    judgement = derive.judge(
        declares=metadata.declares_metadata(explicit),
        pattern=metadata.matching_pattern(facts.tutorial_patterns, page.docname),
        opening=opening if facts.derive_metadata else None,
        derived=headings.values if headings is not None else (),
        notebook=notebook,
    )
    return judgement, headings


def cycle_findings(tutorials: dict[str, Tutorial]) -> Iterator[tuple[str, Finding]]:
    """LRN005 on every tutorial caught in a prerequisite cycle."""
    graph = {
        doc: [p for p in t.prerequisite_docs if p in tutorials] for doc, t in tutorials.items()
    }
    for cycle in metadata.prerequisite_cycles(graph):
        shown = " -> ".join([*cycle, cycle[0]])
        for docname in cycle:
            tutorial = tutorials[docname]
            yield (
                docname,
                Finding(
                    "LRN005",
                    f"prerequisites form a cycle ({shown}): no reading order puts each "
                    "page after what it requires",
                    tutorial.lines.get("prerequisites", tutorial.line),
                ),
            )


# -- Structure (NumPy's tutorial style guide) ------------------------------------------------

OPENING_ORDER = ("outcome", "objectives", "needs")
OPENING_HEADINGS = {
    "outcome": "What you'll do",
    "objectives": "What you'll learn",
    "needs": "What you'll need",
}
# The closing sections and what may follow them: shared with the build (derive.py).
CLOSING_HEADINGS = derive.CLOSING_HEADINGS
CLOSING_EXTRAS = derive.CLOSING_EXTRAS
closing_kind = derive.closing_kind


def parts_of_outline(outline: Outline) -> list[derive.Part]:
    """The sections and horizontal rules under the page's title, with each section's
    own paragraphs and lists: what :func:`derive.parts_of_doctree` finds in a doctree."""
    parts: list[derive.Part] = []
    for block in outline.parts():
        if block.heading is None:
            parts.append(derive.Part(None, block.line))
            continue
        level = block.heading.level
        own: list[dict[str, Any]] = []
        code = subsections = False
        for following in outline.blocks[outline.blocks.index(block) + 1 :]:
            if following.heading is not None:
                if following.heading.level <= level:
                    break
                subsections = True
            elif following.kind == "code":
                code = True
            elif not subsections and not following.nested and following.content is not None:
                own.append(following.content)
        parts.append(derive.Part(block.heading.text, block.line, own, code, subsections))
    return parts


@dataclass
class _Part:
    kind: str
    """``opening``, ``closing``, ``extra`` (references and the like: see
    :func:`closing_kind`), ``step`` or ``rule`` (a horizontal rule)."""
    title: str = ""
    field: str = ""
    line: int | None = None


def _parts(outline: Outline) -> list[_Part]:
    parts: list[_Part] = []
    for block in outline.parts():
        if block.heading is None:
            parts.append(_Part("rule", line=block.line))
            continue
        title = block.heading.text
        name = metadata.heading_field(title)
        if name is not None:
            parts.append(_Part("opening", title, name, block.line))
        elif (kind := closing_kind(title)) is not None:
            parts.append(_Part(kind, title, line=block.line))
        else:
            parts.append(_Part("step", title, line=block.line))
    return parts


def structure_findings(page: Page, tutorial: Tutorial) -> Iterator[Finding]:
    """LRN101-LRN103 for a learner tutorial."""
    parts = _parts(page.outline)
    opening = [p for p in parts if p.kind == "opening"]
    fields_shown = {p.field for p in opening}
    title_line = _title_line(page)
    missing = [
        name for name in OPENING_ORDER if name not in fields_shown and name not in tutorial.values
    ]
    if missing:
        headings = " or ".join(f'"{OPENING_HEADINGS[name]}"' for name in missing)
        names = ", ".join(repr(name) for name in missing)
        yield Finding(
            "LRN101",
            f"no {headings} section: add {'it' if len(missing) == 1 else 'them'} after the "
            f"introduction, or declare {names} in the metadata",
            title_line,
        )
    # Order among the opening sections.
    ordered = [p for p in opening if p.field in OPENING_ORDER]
    ranks = [OPENING_ORDER.index(p.field) for p in ordered]
    for previous, part, rank, previous_rank in zip(
        ordered, ordered[1:], ranks[1:], ranks, strict=False
    ):
        if rank < previous_rank:
            yield Finding(
                "LRN102",
                f'"{part.title}" comes after "{previous.title}"; the opening sections go '
                "in the order: what you'll do, what you'll learn, what you'll need",
                part.line,
            )
            break
    # Opening sections come before every step, and a rule follows them.
    first_step = next((i for i, p in enumerate(parts) if p.kind == "step"), None)
    if first_step is not None:
        for part in parts[first_step:]:
            if part.kind == "opening":
                yield Finding(
                    "LRN102",
                    f'"{part.title}" comes after the first step "{parts[first_step].title}"; '
                    "move it up to the opening sections",
                    part.line,
                )
        last_opening = max(
            (i for i, p in enumerate(parts[:first_step]) if p.kind == "opening"), default=None
        )
        if last_opening is not None and not any(
            p.kind == "rule" for p in parts[last_opening + 1 : first_step]
        ):
            yield Finding(
                "LRN102",
                f"no horizontal rule between the opening sections and the first step "
                f'"{parts[first_step].title}": add one before it (*** in MyST, ---- in rST)',
                parts[first_step].line,
            )
    # Closing sections come last, after a rule.
    first_closing = next((i for i, p in enumerate(parts) if p.kind == "closing"), None)
    if first_closing is None:
        return
    closing = parts[first_closing]
    before = parts[:first_closing]
    last_content = max(
        (i for i, p in enumerate(before) if p.kind in {"step", "opening"}), default=-1
    )
    if not any(p.kind == "rule" for p in before[last_content + 1 :]):
        yield Finding(
            "LRN103",
            f'no horizontal rule before the closing section "{closing.title}": add one '
            "after the last step (*** in MyST, ---- in rST)",
            closing.line,
        )
    for part in parts[first_closing + 1 :]:
        if part.kind == "step":
            yield Finding(
                "LRN103",
                f'"{part.title}" comes after the closing section "{closing.title}"; the '
                "closing sections (On your own, In practice, Further reading) end the page; "
                "only references, acknowledgements and the like may follow them",
                part.line,
            )
            break


def _title_line(page: Page) -> int | None:
    title = page.outline.title
    return title.line if title else None


# -- Sentence case --------------------------------------------------------------------------

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


# The longest name, in words, that learn_check_proper_nouns accepts and the prose
# teaches: a longer run of capitalised words is a title, not a name.
MAX_NAME_WORDS = 8


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
    line = _title_line(page)
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
