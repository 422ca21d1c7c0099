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
"""

from __future__ import annotations

import random
import struct
import zlib
from pathlib import Path

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


def _exercise(number: int, rng: random.Random) -> str:
    label = f"{page_name(number)}-grid-of-zeros"
    rows, columns = rng.randint(2, 5), rng.randint(2, 5)
    return f"""\
::::{{exercise}} Make a grid of zeros
:label: {label}

Create a {rows} by {columns} array of zeros and print its `shape`.

:::{{hint}}
`np.zeros` takes the shape as one tuple.
:::
::::

::::{{solution}} {label}
```{{code-block}} python
grid = np.zeros(({rows}, {columns}))
grid.shape  # ({rows}, {columns})
```
::::

:::{{checkpoint}} What is the shape of `np.zeros(({rows}, {columns}))`?
- [x] `({rows}, {columns})`

  Right: the tuple you pass is the shape, rows first.
- [ ] `({columns}, {rows})`

  The first number counts rows, the second columns.
- [ ] `{rows * columns}`

  {rows * columns} is the `size`, the number of elements.
:::"""


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
    rng = random.Random(seed * 1_000_003 + number)
    level = LEVELS[(number - 1) % len(LEVELS)]
    learn = [f"  level: {level}", f"  duration: {rng.choice((20, 30, 40, 45, 60))}"]
    if number > 1:
        earlier = rng.randint(max(1, number - 3), number - 1)
        learn.append(f"  prerequisites: [{page_name(earlier)}]")
    learn.append(f"  tags: [{', '.join(rng.sample(TAGS, 2))}]")
    front = "---\nlearn:\n" + "\n".join(learn) + "\n---"

    noun, noun2 = rng.sample(NOUNS, 2)
    opening = [
        f"# {page_title(number)}",
        "In this lesson you work with numbers in NumPy. "
        + _paragraph(rng, 5)
        + " By the end you will have a small tool of your own.",
        "## What you'll do",
        f"You'll make a {rng.choice(ADJECTIVES)} {noun} from the {noun2}s in a set of numbers.",
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
        body.insert(2, f"## Try it yourself\n\n{practice}\n\n{_exercise(number, rng)}")
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
    return front + "\n\n" + "\n\n".join([*opening, *body, *closing]) + "\n"


def index_text(pages: int) -> str:
    names = [page_name(number) for number in range(1, pages + 1)]
    path = "\n".join(names[:PATH_STEPS])
    toctree = "\n".join(names)
    return f"""\
# Synthetic tutorials

These tutorials are made up for a benchmark. Take the first ones in order.

```{{learning-path}} Your first week
:name: first-week

{path}
```

## All tutorials

```{{tutorial-catalog}}
```

```{{toctree}}
:maxdepth: 1

{toctree}
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
