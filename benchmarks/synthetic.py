"""A deterministic synthetic Sphinx project of tutorial pages, for benchmarks.

``write_site(root, pages, seed)`` writes ``conf.py`` (the sphinx_numpy_learn
extension and theme, no notebook execution), an ``index.md`` with a toctree of
every page, a ``tutorial-catalog`` and a ``learning-path`` over the first five
pages, a small PNG image ``chart.png`` and N plain MyST Markdown pages
``page-0001.md`` ... (not notebooks). Each page is a tutorial of about 1200 words
that follows NumPy's tutorial style guide: ``learn:`` front matter (level, duration,
a prerequisite on an earlier page, tags), a sentence-case title, the opening
sections, a horizontal rule, five or six steps (prose in short sentences and short
words, ``python`` code blocks, a note, a table, inline maths, the image, a link to
another page), a horizontal rule and the closing sections. Every tenth page also
holds an exercise with a hint and a solution, and a checkpoint.

The words vary with ``random.Random``, seeded from ``seed`` and the page number, so
the same arguments always give the same files. The project builds with
``sphinx-build -W`` and ``sphinx-numpy-learn check`` finds no problem in it.

``write_flavour(root, flavour, pages, notebooks, execution_cache=...)`` writes the same
pages (each with a level badge below its first paragraph; without sphinx_numpy_learn,
whose tutorial header shows them, also the duration and the prerequisite, by hand),
plus M MyST notebooks
(``notebook-001.md`` ...: jupytext front matter with a ``python3`` kernel, seeded NumPy
cells and one matplotlib figure), in one of three :data:`FLAVOURS` for
:mod:`benchmarks.stacks`: ``learn`` (sphinx_numpy_learn's markup, as above), ``plain``
(no sphinx_numpy_learn: levels as emphasised text, the practice sections as
``admonition`` blocks, the catalog and the path as lists of links) and
``jupyter-book`` (sphinx-design badges, cards and dropdowns, sphinx-exercise,
sphinx-togglebutton). The prose, code, tables, maths and links are the same in all
three; :class:`Markup` and its subclasses write what differs. Each ``conf.py``
executes notebooks with MyST-NB's ``cache`` mode into ``execution_cache``.
"""

from __future__ import annotations

import random
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

CONF = """\
project = "Synthetic tutorials"
extensions = ["sphinx_numpy_learn"]
html_theme = "sphinx_numpy_learn"
exclude_patterns = ["_build"]
nb_execution_mode = "off"
"""
LEVELS = ("beginner", "intermediate", "advanced")
IMAGE = "chart.png"
EXERCISE_EVERY = 10
PATH_STEPS = 5
PATH_TITLE = "Your first week"
INTRO_END = "By the end you will have a small tool of your own."

TAGS = ("arrays", "indexing", "statistics", "plotting", "shapes", "sorting", "files", "maths")
VERBS = ("Sort", "Sum", "Scale", "Slice", "Count", "Join", "Plot", "Clean", "Check", "Split")
OBJECTS = (
    "the rows of a grid",
    "a list of test scores",
    "daily rain data",
    "the sales of a small shop",
    "a week of bus times",
    "the heights of a class",
    "a set of dice rolls",
    "the pixels of a small image",
)
STEP_TITLES = (
    "Make the first array",
    "Add up the rows",
    "Find the mean of each column",
    "Sort the values",
    "Pick out the big values",
    "Change the shape of the grid",
    "Save the result to a file",
    "Plot the numbers",
    "Check your work",
    "Join two arrays",
    "Fill the gaps with zeros",
    "Count how often each value comes up",
)
NOUNS = (
    "array",
    "row",
    "grid",
    "list",
    "value",
    "sum",
    "mean",
    "score",
    "count",
    "table",
    "chart",
    "file",
    "cell",
    "line",
    "set",
)
VERBS_PLAIN = ("make", "sort", "sum", "print", "check", "scale", "count", "split", "join", "plot")
ADJECTIVES = ("small", "big", "new", "short", "long", "full", "clean", "plain", "neat", "wide")

SENTENCES = (
    "Now {verb} the {noun}.",
    "Each {noun} holds a few {noun2}s.",
    "You can see the {noun} in the code below.",
    "This step is short.",
    "Look at the {noun} and then at the {noun2}.",
    "The code takes the {noun} and gives back the {noun2}.",
    "Try it with your own {noun}s.",
    "It works the same way for a {adj} {noun}.",
    "Run the code and read what it prints.",
    "Do not worry if the {noun} looks odd at first.",
    "The {adj} {noun} is what we want.",
    "We use NumPy to {verb} it in one line.",
    "That is much less work than a loop.",
    "Keep the {noun} for the next step.",
    "You will {verb} a {adj} {noun} next.",
    "Then {verb} the {noun} once more.",
    "The {noun} has one {noun2} for each day.",
    "See how fast that was?",
    "If it looks wrong, go back one step.",
    "A {adj} {noun} is easy to read.",
)


def page_name(number: int) -> str:
    return f"page-{number:04d}"


def page_title(number: int) -> str:
    verb = VERBS[(number - 1) % len(VERBS)]
    obj = OBJECTS[(number - 1) // len(VERBS) % len(OBJECTS)]
    return f"{verb} {obj}, lesson {number}"


def _sentence(rng: random.Random) -> str:
    template = rng.choice(SENTENCES)
    noun, noun2 = rng.sample(NOUNS, 2)
    return template.format(
        noun=noun, noun2=noun2, verb=rng.choice(VERBS_PLAIN), adj=rng.choice(ADJECTIVES)
    )


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def _code(rng: random.Random, step: int) -> str:
    rows, columns = rng.randint(2, 6), rng.randint(2, 6)
    seed = rng.randint(0, 999)
    return (
        "```python\n"
        "import numpy as np\n\n"
        f"rng = np.random.default_rng({seed})\n"
        f"grid = rng.integers(0, 10, size=({rows}, {columns}))\n"
        f"step_{step} = grid.sum(axis={rng.randint(0, 1)})\n"
        f"print(step_{step})\n"
        "```"
    )


def _table(rng: random.Random) -> str:
    rows = ["| day | value |", "| --- | ---: |"]
    for day in ("one", "two", "three"):
        rows.append(f"| {day} | {rng.randint(1, 99)} |")
    return "\n".join(rows)


def _exercise(number: int, rng: random.Random, markup: Markup | None = None) -> str:
    rows, columns = rng.randint(2, 5), rng.randint(2, 5)
    practice = Practice(label=f"{page_name(number)}-grid-of-zeros", rows=rows, columns=columns)
    return (markup or LEARN).practice(practice)


def _step(number: int, index: int, title: str, rng: random.Random, pages: int) -> str:
    parts = [f"## {title}", _paragraph(rng, 8), _code(rng, index), _paragraph(rng, 7)]
    extra = index % 5
    if extra == 0:
        parts.append(":::{note}\n" + _paragraph(rng, 3) + "\n:::")
    elif extra == 1:
        parts.append("Here is a small table of the values.")
        parts.append(_table(rng))
    elif extra == 2:
        parts.append(
            f"The square of a value $x$ is $x^2$, so $x = {rng.randint(2, 9)}$ gives a "
            "bigger number. " + _paragraph(rng, 2)
        )
    elif extra == 3:
        parts.append("The chart shows the values of this step.")
        parts.append(f"![A chart of the results]({IMAGE})")
    else:
        other = number - 1 if number > 1 else min(2, pages)
        label = "previous page" if number > 1 else "next page"
        if other != number:
            parts.append(
                f"You saw a step like this one on the [{label}]({page_name(other)}.md). "
                + _paragraph(rng, 2)
            )
    parts.append(_paragraph(rng, 7))
    return "\n\n".join(parts)


def page_text(number: int, pages: int, seed: int = 0) -> str:
    return tutorial(number, pages, seed, SITE).text


def tutorial(number: int, pages: int, seed: int = 0, markup: Markup | None = None) -> Tutorial:
    """Tutorial page ``number`` of ``pages``, its features written with ``markup``
    (default: sphinx_numpy_learn's, with a level badge). The prose, code, tables, maths
    and links are the same whatever the markup."""
    markup = markup or LEARN
    rng = random.Random(seed * 1_000_003 + number)
    level = LEVELS[(number - 1) % len(LEVELS)]
    duration = rng.choice((20, 30, 40, 45, 60))
    learn = [f"  level: {level}", f"  duration: {duration}"]
    earlier = None
    if number > 1:
        earlier = rng.randint(max(1, number - 3), number - 1)
        learn.append(f"  prerequisites: [{page_name(earlier)}]")
    learn.append(f"  tags: [{', '.join(rng.sample(TAGS, 2))}]")

    noun, noun2 = rng.sample(NOUNS, 2)
    intro = (
        "In this lesson you work with numbers in NumPy. " + _paragraph(rng, 5) + f" {INTRO_END}"
    )
    outcome = (
        f"You'll make a {rng.choice(ADJECTIVES)} {noun} from the {noun2}s in a set of numbers."
    )
    opening = [
        f"# {page_title(number)}",
        intro,
        *markup.facts_line(level, duration, earlier),
        "## What you'll do",
        outcome,
        "## What you'll learn",
        "\n".join(
            f"- how to {verb} the {rng.choice(NOUNS)}s with NumPy"
            for verb in rng.sample(VERBS_PLAIN, 3)
        ),
        "## What you'll need",
        "- NumPy\n- the Python you need: lists, loops and functions",
        "***",
    ]
    steps = rng.sample(STEP_TITLES, rng.choice((5, 6)))
    body = [_step(number, index, title, rng, pages) for index, title in enumerate(steps)]
    if number % EXERCISE_EVERY == 0:
        practice = _paragraph(rng, 3)
        body.insert(2, f"## Try it yourself\n\n{practice}\n\n{_exercise(number, rng, markup)}")
    closing = [
        "***",
        "## On your own",
        _paragraph(rng, 6),
        "## In practice",
        _paragraph(rng, 6),
        "## Further reading",
        "- [NumPy: the absolute basics for beginners]"
        "(https://numpy.org/doc/stable/user/absolute_beginners.html): a short tour of "
        "arrays.",
    ]
    text = markup.front_matter(learn) + "\n\n".join([*opening, *body, *closing]) + "\n"
    return Tutorial(page_name(number), page_title(number), level, duration, outcome, text)


def index_text(pages: int) -> str:
    names = [page_name(number) for number in range(1, pages + 1)]
    return _learn_index(names[:PATH_STEPS], names)


def _learn_index(path: list[str], toctree: list[str]) -> str:
    steps = "\n".join(path)
    entries = "\n".join(toctree)
    return f"""\
# Synthetic tutorials

These tutorials are made up for a benchmark. Take the first ones in order.

```{{learning-path}} {PATH_TITLE}
:name: first-week

{steps}
```

## All tutorials

```{{tutorial-catalog}}
```

```{{toctree}}
:maxdepth: 1

{entries}
```
"""


def png(width: int = 8, height: int = 8) -> bytes:
    """A small valid grey-scale PNG image (a diagonal gradient)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(
        b"\x00" + bytes((x + y) * 255 // (width + height - 2) for x in range(width))
        for y in range(height)
    )
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def write_site(root: Path, pages: int, seed: int = 0) -> None:
    """Write the project into ``root`` (created if needed; existing files are replaced)."""
    if pages < 1:
        raise ValueError("pages must be at least 1")
    root.mkdir(parents=True, exist_ok=True)
    (root / "conf.py").write_text(CONF, encoding="utf-8")
    (root / "index.md").write_text(index_text(pages), encoding="utf-8")
    (root / IMAGE).write_bytes(png())
    for number in range(1, pages + 1):
        (root / f"{page_name(number)}.md").write_text(
            page_text(number, pages, seed), encoding="utf-8"
        )


# -- One corpus in three flavours (benchmarks.stacks) ----------------------------------------

FLAVOURS = ("plain", "learn", "jupyter-book")
TIER_LABELS = {"beginner": "Beginner", "intermediate": "Intermediate", "advanced": "Advanced"}
# sphinx-design colours closest to our tiers' green, blue and purple.
BADGE_COLOURS = {"beginner": "success", "intermediate": "primary", "advanced": "secondary"}


def notebook_front_matter(
    display_name: str = "Python 3", language: str = "python", name: str = "python3"
) -> str:
    """The front matter of a MyST Markdown notebook, without its closing ``---`` (for
    more keys): jupytext's format, then the kernel."""
    return (
        "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
        f"kernelspec:\n  display_name: {display_name}\n  language: {language}\n  name: {name}\n"
    )


NOTEBOOK_FRONT_MATTER = notebook_front_matter()
CONF_COMMON = """\
project = "Synthetic tutorials"
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath"]
myst_heading_anchors = 3
nb_execution_mode = "cache"
nb_execution_cache_path = {cache!r}
nb_execution_timeout = 120
nb_execution_raise_on_error = True
"""
INDEX_OPENING = """\
# Synthetic tutorials

These tutorials are made up for a benchmark. Take the first ones in order.
"""


@dataclass(frozen=True)
class Practice:
    """The practice section of every tenth page: an exercise with a hint, its solution
    and a checkpoint, as data each markup writes its own way."""

    label: str
    rows: int
    columns: int
    title: ClassVar[str] = "Make a grid of zeros"
    hint: ClassVar[str] = "`np.zeros` takes the shape as one tuple."

    @property
    def task(self) -> str:
        return f"Create a {self.rows} by {self.columns} array of zeros and print its `shape`."

    @property
    def solution(self) -> str:
        return (
            "```{code-block} python\n"
            f"grid = np.zeros(({self.rows}, {self.columns}))\n"
            f"grid.shape  # ({self.rows}, {self.columns})\n"
            "```"
        )

    @property
    def question(self) -> str:
        return f"What is the shape of `np.zeros(({self.rows}, {self.columns}))`?"

    @property
    def options(self) -> list[tuple[bool, str, str]]:
        """(right answer, answer, explanation) for each choice."""
        size = self.rows * self.columns
        return [
            (
                True,
                f"`({self.rows}, {self.columns})`",
                "Right: the tuple you pass is the shape, rows first.",
            ),
            (
                False,
                f"`({self.columns}, {self.rows})`",
                "The first number counts rows, the second columns.",
            ),
            (False, f"`{size}`", f"{size} is the `size`, the number of elements."),
        ]


@dataclass(frozen=True)
class Tutorial:
    """A generated page (tutorial or notebook) and what a catalog says about it."""

    docname: str
    title: str
    level: str
    duration: int
    outcome: str
    text: str


@dataclass(frozen=True)
class Markup:
    """How a site writes the features: this class writes sphinx_numpy_learn's markup
    (``learn:`` metadata, ``{level}`` badges, ``exercise``/``hint``/``solution``,
    ``checkpoint``, ``learning-path`` and ``tutorial-catalog``). ``badges`` adds a
    level badge below each page's first paragraph (``write_site``'s pages have none)."""

    badges: bool = True

    def metadata(self, learn: list[str]) -> list[str]:
        """Front matter lines for a tutorial's metadata (``learn`` as YAML lines)."""
        return ["learn:", *learn]

    def front_matter(self, learn: list[str]) -> str:
        lines = self.metadata(learn)
        return "---\n" + "\n".join(lines) + "\n---\n\n" if lines else ""

    def badge(self, level: str) -> str:
        return f"{{level}}`{level}`"

    def facts_line(self, level: str, duration: int, prerequisite: int | None = None) -> list[str]:
        """The paragraph below a page's first one: its level badge (our tutorial header
        shows the duration and prerequisites from the metadata)."""
        return [f"Level: {self.badge(level)}"] if self.badges else []

    def written_facts(self, level: str, duration: int, prerequisite: int | None) -> list[str]:
        """The level badge, and the duration and prerequisite our tutorial header
        shows, written by hand (for the stacks without sphinx_numpy_learn)."""
        facts = f"Level: {self.badge(level)}. {duration} minutes."
        if prerequisite is not None:
            link = f"[{page_title(prerequisite)}]({page_name(prerequisite)}.md)"
            facts += f" Prerequisites: {link}."
        return [facts]

    def practice(self, practice: Practice) -> str:
        options = "\n".join(
            f"- [{'x' if right else ' '}] {answer}\n\n  {why}"
            for right, answer, why in practice.options
        )
        return f"""\
::::{{exercise}} {practice.title}
:label: {practice.label}

{practice.task}

:::{{hint}}
{practice.hint}
:::
::::

::::{{solution}} {practice.label}
{practice.solution}
::::

:::{{checkpoint}} {practice.question}
{options}
:::"""

    def index(self, path: list[Tutorial], tutorials: list[Tutorial]) -> str:
        return _learn_index([t.docname for t in path], [t.docname for t in tutorials])

    def conf(self, cache: Path) -> str:
        return (
            CONF_COMMON.format(cache=str(cache))
            + 'extensions = ["sphinx_numpy_learn"]\nhtml_theme = "sphinx_numpy_learn"\n'
        )

    # Shared by the other markups.

    def facts(self, tutorial: Tutorial) -> str:
        return f"{self.badge(tutorial.level)}, {tutorial.duration} minutes"

    def toctree(self, tutorials: list[Tutorial]) -> str:
        entries = "\n".join(t.docname for t in tutorials)
        return f"```{{toctree}}\n:maxdepth: 1\n\n{entries}\n```\n"

    def path_list(self, path: list[Tutorial]) -> str:
        return "\n".join(
            f"{step}. [{t.title}]({t.docname}.md): {self.facts(t)}"
            for step, t in enumerate(path, start=1)
        )


class HandWrittenMarkup(Markup):
    """A stack without sphinx_numpy_learn: no metadata, so the facts our tutorial
    header shows are written by hand, and a checkpoint's choices as a plain list."""

    def facts_line(self, level: str, duration: int, prerequisite: int | None = None) -> list[str]:
        return self.written_facts(level, duration, prerequisite)

    def metadata(self, learn: list[str]) -> list[str]:
        return []

    def written_options(self, practice: Practice) -> str:
        return "\n".join(
            f"- {answer}{' (right answer)' if right else ''}: {why}"
            for right, answer, why in practice.options
        )


class PlainMarkup(HandWrittenMarkup):
    """The baseline: no sphinx_numpy_learn, the features as plain MyST (emphasised
    levels, admonitions, lists of links)."""

    def badge(self, level: str) -> str:
        return f"*{TIER_LABELS[level]}*"

    def practice(self, practice: Practice) -> str:
        options = self.written_options(practice)
        return f"""\
::::{{admonition}} Exercise: {practice.title}
:class: exercise

{practice.task}

:::{{admonition}} Hint
:class: hint

{practice.hint}
:::
::::

::::{{admonition}} Solution
:class: solution

{practice.solution}
::::

:::{{admonition}} Checkpoint: {practice.question}
:class: checkpoint

{options}
:::"""

    def index(self, path: list[Tutorial], tutorials: list[Tutorial]) -> str:
        catalog = "\n".join(
            f"- [{t.title}]({t.docname}.md): {self.facts(t)}. {t.outcome}" for t in tutorials
        )
        return (
            f"{INDEX_OPENING}\n**{PATH_TITLE}**\n\n{self.path_list(path)}\n\n"
            f"## All tutorials\n\n{catalog}\n\n{self.toctree(tutorials)}"
        )

    def conf(self, cache: Path) -> str:
        return (
            CONF_COMMON.format(cache=str(cache))
            + 'extensions = ["myst_nb"]\nhtml_theme = "pydata_sphinx_theme"\n'
        )


class BookMarkup(HandWrittenMarkup):
    """The Jupyter Book 1 stack: sphinx-design badges, cards and dropdowns,
    sphinx-exercise's exercises and solutions, sphinx-togglebutton's dropdown hints."""

    def badge(self, level: str) -> str:
        return f"{{bdg-{BADGE_COLOURS[level]}}}`{TIER_LABELS[level]}`"

    def practice(self, practice: Practice) -> str:
        options = self.written_options(practice)
        return f"""\
::::{{exercise}} {practice.title}
:label: {practice.label}

{practice.task}

:::{{admonition}} Hint
:class: dropdown

{practice.hint}
:::
::::

::::{{solution}} {practice.label}
:label: {practice.label}-solution
:class: dropdown

{practice.solution}
::::

:::{{dropdown}} Checkpoint: {practice.question}
{options}
:::"""

    def index(self, path: list[Tutorial], tutorials: list[Tutorial]) -> str:
        cards = "\n\n".join(
            f":::{{grid-item-card}} {t.title}\n:link: {t.docname}\n:link-type: doc\n\n"
            f"{self.facts(t)}\n\n{t.outcome}\n:::"
            for t in tutorials
        )
        return (
            f"{INDEX_OPENING}\n**{PATH_TITLE}**\n\n{self.path_list(path)}\n\n"
            f"## All tutorials\n\n::::{{grid}} 1 2 2 3\n:gutter: 2\n\n{cards}\n::::\n\n"
            f"{self.toctree(tutorials)}"
        )

    def conf(self, cache: Path) -> str:
        return CONF_COMMON.format(cache=str(cache)) + (
            'extensions = ["myst_nb", "sphinx_design", "sphinx_exercise", '
            '"sphinx_togglebutton"]\nhtml_theme = "sphinx_book_theme"\n'
        )


SITE = Markup(badges=False)
LEARN = Markup()
MARKUPS: dict[str, Markup] = {"plain": PlainMarkup(), "learn": LEARN, "jupyter-book": BookMarkup()}


def notebook_name(number: int) -> str:
    return f"notebook-{number:03d}"


def notebook(number: int, seed: int = 0, markup: Markup | None = None) -> Tutorial:
    """MyST notebook ``number``: NumPy cells on a seeded array and one matplotlib
    figure, its features written with ``markup``."""
    markup = markup or LEARN
    rng = random.Random(f"notebook {seed} {number}")
    level = LEVELS[(number - 1) % len(LEVELS)]
    duration = rng.choice((10, 15, 20))
    learn = [
        f"  level: {level}",
        f"  duration: {duration}",
        f"  tags: [{', '.join(rng.sample(TAGS, 2))}]",
    ]
    obj = OBJECTS[(number - 1) % len(OBJECTS)]
    title = f"Chart {obj}, notebook {number}"
    outcome = f"You'll draw a bar chart of the row sums of {obj}."
    rows, columns = rng.randint(3, 6), rng.randint(2, 5)
    cells = (
        "import numpy as np\nimport matplotlib.pyplot as plt\n\n"
        f"rng = np.random.default_rng({rng.randint(0, 999)})\n"
        f"grid = rng.integers(0, 10, size=({rows}, {columns}))\ngrid",
        "row_sums = grid.sum(axis=1)\nrow_sums, grid.mean(axis=0).round(2)",
        "fig, ax = plt.subplots(figsize=(4, 3))\n"
        "ax.bar(np.arange(len(row_sums)), row_sums)\n"
        'ax.set_xlabel("row")\nax.set_ylabel("sum")\nplt.show()',
    )
    steps = ("Make the grid", "Add up the rows", "Plot the sums")
    body = [
        f"## {step}\n\n{_paragraph(rng, 4)}\n\n```{{code-cell}} ipython3\n{cell}\n```"
        for step, cell in zip(steps, cells, strict=True)
    ]
    parts = [
        f"# {title}",
        "In this notebook you chart numbers with NumPy and matplotlib. " + _paragraph(rng, 3),
        *markup.facts_line(level, duration),
        "## What you'll do",
        outcome,
        "## What you'll learn",
        "- how to add up the rows of an array\n- how to draw a bar chart of an array",
        "***",
        *body,
        "***",
        "## On your own",
        _paragraph(rng, 3),
    ]
    metadata = "".join(f"{line}\n" for line in markup.metadata(learn))
    front = NOTEBOOK_FRONT_MATTER + metadata + "---\n\n"
    return Tutorial(
        notebook_name(number), title, level, duration, outcome, front + "\n\n".join(parts) + "\n"
    )


def write_flavour(
    root: Path,
    flavour: str,
    pages: int,
    notebooks: int,
    *,
    execution_cache: Path,
    seed: int = 0,
) -> list[Tutorial]:
    """Write the site in one of :data:`FLAVOURS` into ``root`` and return its pages.

    ``tutorial(n, pages, seed, markup)`` for each of the N pages and ``notebook(n,
    seed, markup)`` for each of the M notebooks; ``index.md`` with a learning path
    over the first five and a catalog and toctree of them all; the image; and a
    ``conf.py`` that executes notebooks with MyST-NB's ``cache`` mode into
    ``execution_cache``. Every flavour has the same prose, code, tables, maths and
    links: only the feature markup, the extensions and the theme differ."""
    if pages < 1 or notebooks < 0:
        raise ValueError("pages must be at least 1, notebooks at least 0")
    markup = MARKUPS[flavour]
    root.mkdir(parents=True, exist_ok=True)
    tutorials = [tutorial(n, pages, seed, markup) for n in range(1, pages + 1)]
    tutorials += [notebook(n, seed, markup) for n in range(1, notebooks + 1)]
    for page in tutorials:
        (root / f"{page.docname}.md").write_text(page.text, encoding="utf-8")
    (root / IMAGE).write_bytes(png())
    (root / "index.md").write_text(
        markup.index(tutorials[:PATH_STEPS], tutorials), encoding="utf-8"
    )
    (root / "conf.py").write_text(markup.conf(execution_cache), encoding="utf-8")
    return tutorials
