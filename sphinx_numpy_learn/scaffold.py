"""``sphinx-numpy-learn new``: start a tutorial or contributor page from a skeleton.

The tutorial skeleton follows NumPy's tutorial style guide: metadata, the opening
sections "What you'll do", "What you'll learn" and "What you'll need", a
horizontal rule, a first step with a code cell, an exercise and a checkpoint,
another rule, and the closing sections. What it writes passes
``sphinx-numpy-learn check`` and builds without warnings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from string import Template

from sphinx_numpy_learn.tiers import DEFAULT_TIERS, tiers_validator

KINDS = ("tutorial", "contributor-page")
FORMATS = {"myst": ".md", "rst": ".rst"}
DOCUMENT_SUFFIXES = (".md", ".rst", ".ipynb", ".txt")


class ScaffoldError(Exception):
    """Why a skeleton was not written (exit status 2)."""


def slugify(title: str) -> str:
    """A file name from a title: lower case, words joined by hyphens; accents are
    dropped, and letters of other scripts are kept."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    text = ascii_text if re.search(r"[A-Za-z0-9]", ascii_text) else title
    slug = re.sub(r"[^\w]+", "-", text.lower(), flags=re.UNICODE).strip("-_")
    return re.sub(r"-{2,}", "-", slug)


def _rst_underline(title: str, char: str) -> str:
    # East Asian wide characters take two columns, and docutils counts columns.
    width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in title)
    return char * max(width, 1)


def _yaml_text(text: str) -> str:
    """``text`` as a double-quoted YAML scalar."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


# -- The skeletons ----------------------------------------------------------------------------

TUTORIAL_MYST = Template(
    """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
kernelspec:
  display_name: Python 3 (ipykernel)
  language: python
  name: python3
learn:
  level: $level
  duration: $duration  # minutes
  # Pages to read first, written as for {doc} links (e.g. ../tutorials/first-steps),
  # or another site's page as {title: ..., url: https://...}.
  prerequisites: []
  tags: []
  # The outcome, objectives and needs come from the sections "What you'll do",
  # "What you'll learn" and "What you'll need" below.
---

# $title

Start with the problem this tutorial solves, in words a beginner uses.
Say why it matters to them, and what they will have at the end.

## What you'll do

You'll make one thing: name it in a single sentence.

## What you'll learn

- how to do the first thing this tutorial teaches
- how to do the second thing, in words you can test

## What you'll need

- NumPy
- the Python you need: lists, loops and functions

***

## Take the first step

Explain what the code does before the reader runs it.
Keep each step short: one idea, one cell, one result to look at.

```{code-cell} ipython3
import numpy as np

np.arange(5)
```

Then say what the result shows.

::::{exercise} Try it yourself
:label: $slug-first-exercise

Ask the reader to change the code above a little and predict the result.
::::

::::{solution} $slug-first-exercise
Show the answer, and say why it is right.
::::

:::{checkpoint} What does `np.arange(5)` give you?
- [x] The numbers 0 to 4

  Right: it stops before 5.
- [ ] The numbers 1 to 5

  Not quite: it starts at 0.
:::

***

## On your own

Give the reader a task that uses what they learned, with the answer out of sight.

## In practice

Tell the reader what this tutorial left out on purpose, and where to read about it.

## Further reading

- [NumPy: the absolute basics for beginners](https://numpy.org/doc/stable/user/absolute_beginners.html):
  say in a few words why it is worth reading.
"""
)

TUTORIAL_RST = Template(
    """\
$title
$underline

.. Tutorial metadata: the level is one of the project's tiers, the duration is in
   minutes. Add :prerequisites: (pages to read first, one per line) and :tags:.
   The outcome, objectives and needs come from the sections "What you'll do",
   "What you'll learn" and "What you'll need" below.

.. tutorial::
   :level: $level
   :duration: $duration

Start with the problem this tutorial solves, in words a beginner uses.
Say why it matters to them, and what they will have at the end.

What you'll do
--------------

You'll make one thing: name it in a single sentence.

What you'll learn
-----------------

- how to do the first thing this tutorial teaches
- how to do the second thing, in words you can test

What you'll need
----------------

- NumPy
- the Python you need: lists, loops and functions

----

Take the first step
-------------------

Explain what the code does before the reader runs it.
Keep each step short: one idea, one cell, one result to look at.

.. code-block:: python

   import numpy as np

   np.arange(5)

Then say what the result shows.

.. exercise:: Try it yourself
   :label: $slug-first-exercise

   Ask the reader to change the code above a little and predict the result.

.. solution:: $slug-first-exercise

   Show the answer, and say why it is right.

.. checkpoint:: What does ``np.arange(5)`` give you?

   - [x] The numbers 0 to 4

     Right: it stops before 5.
   - [ ] The numbers 1 to 5

     Not quite: it starts at 0.

----

On your own
-----------

Give the reader a task that uses what they learned, with the answer out of sight.

In practice
-----------

Tell the reader what this tutorial left out on purpose, and where to read about it.

Further reading
---------------

- `NumPy: the absolute basics for beginners
  <https://numpy.org/doc/stable/user/absolute_beginners.html>`__:
  say in a few words why it is worth reading.
"""
)

CONTRIBUTOR_MYST = Template(
    """\
---
learn:
  level: $level
  audience: contributor
  duration: $duration  # minutes
  # Pages to read first, written as for {doc} links (e.g. set-up-a-development-environment).
  prerequisites: []
  summary: $summary
  tags: []
---

# $title

Say what the reader will have done by the end of this page.
Then say how it helps the project, and who will help them along the way.

:::{new-contributor}
Never contributed before? You are in the right place: ask in the chat when you are stuck.
:::

## Before you start

- the tools this page uses, and where it shows how to install them
- the pages to read first

## Take the first step

Tell the reader what to do and what they should see.

```{code-block} bash
git switch -c my-first-change
```

:::{checkpoint} How do you know the first step worked?
- [x] The command prints the name of the new branch

  Right: you are now on your own branch.
- [ ] Nothing happens

  Check that you ran the command inside the project folder.
:::

## Next steps

Point to the next page of the contributor guide.
"""
)

CONTRIBUTOR_RST = Template(
    """\
$title
$underline

.. Contributor page metadata: the level is one of the project's tiers, the
   duration is in minutes. Add :prerequisites: (pages to read first) and :tags:.

.. tutorial::
   :level: $level
   :audience: contributor
   :duration: $duration
   :summary: $summary

Say what the reader will have done by the end of this page.
Then say how it helps the project, and who will help them along the way.

.. new-contributor::

   Never contributed before? You are in the right place: ask in the chat when you are stuck.

Before you start
----------------

- the tools this page uses, and where it shows how to install them
- the pages to read first

Take the first step
-------------------

Tell the reader what to do and what they should see.

.. code-block:: bash

   git switch -c my-first-change

.. checkpoint:: How do you know the first step worked?

   - [x] The command prints the name of the new branch

     Right: you are now on your own branch.
   - [ ] Nothing happens

     Check that you ran the command inside the project folder.

Next steps
----------

Point to the next page of the contributor guide.
"""
)

TEMPLATES = {
    ("tutorial", "myst"): TUTORIAL_MYST,
    ("tutorial", "rst"): TUTORIAL_RST,
    ("contributor-page", "myst"): CONTRIBUTOR_MYST,
    ("contributor-page", "rst"): CONTRIBUTOR_RST,
}


# -- Writing --------------------------------------------------------------------------------


@dataclass
class Created:
    path: Path
    docname: str | None
    """The page's document name in its Sphinx project, when one was found."""
    srcdir: Path | None
    level: str


def project_of(folder: Path) -> Path | None:
    """The nearest folder at or above ``folder`` holding a ``conf.py``."""
    for candidate in [folder, *folder.parents]:
        if (candidate / "conf.py").is_file():
            return candidate
    return None


def project_tiers(srcdir: Path | None) -> list[str]:
    """The tier names of the project's ``learn_tiers`` (the defaults when unset or
    unreadable: ``new`` never fails on someone else's conf.py)."""
    default = [tier["name"] for tier in DEFAULT_TIERS]
    if srcdir is None:
        return default
    from sphinx.config import eval_config_file
    from sphinx.util.tags import Tags

    try:
        namespace = eval_config_file(srcdir / "conf.py", Tags())
    except BaseException:
        return default
    tiers = namespace.get("learn_tiers")
    if tiers is None or tiers_validator().problem(tiers) is not None:
        return default
    return [tier["name"] for tier in tiers]


def create(
    kind: str,
    title: str,
    *,
    folder: Path,
    markup: str = "myst",
    level: str | None = None,
    duration: int = 30,
    name: str | None = None,
) -> Created:
    """Write the skeleton; never overwrite a file or shadow another document."""
    title = " ".join(title.split())
    if not title:
        raise ScaffoldError("the title is empty")
    slug = name or slugify(title)
    if not slug or not re.fullmatch(r"[\w][\w.-]*", slug):
        raise ScaffoldError(
            f"cannot make a file name from {title!r}; give one with --name (e.g. --name "
            "my-tutorial)"
        )
    if not folder.exists():
        raise ScaffoldError(f"{folder}: no such folder")
    if not folder.is_dir():
        raise ScaffoldError(f"{folder}: not a folder")
    if not 1 <= duration <= 1440:
        raise ScaffoldError(f"--duration must be between 1 and 1440 minutes, got {duration}")
    srcdir = project_of(folder.resolve())
    tiers = project_tiers(srcdir)
    level = level or tiers[0]
    if level not in tiers:
        where = f"{srcdir / 'conf.py'}" if srcdir else "the default tiers"
        raise ScaffoldError(f"unknown level {level!r}; {where} has: {', '.join(tiers)}")

    path = folder / f"{slug}{FORMATS[markup]}"
    taken = [folder / f"{slug}{suffix}" for suffix in DOCUMENT_SUFFIXES]
    existing = next((p for p in taken if p.exists()), None)
    if existing is not None:
        what = "already exists" if existing == path else "already holds this document name"
        raise ScaffoldError(
            f"{existing} {what}; nothing was written (choose another title or --name)"
        )
    underline_char = "="
    text = TEMPLATES[(kind, markup)].substitute(
        title=title,
        underline=_rst_underline(title, underline_char),
        level=level,
        duration=duration,
        slug=slug,
        summary=_summary(title, markup),
    )
    try:
        with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; nothing was written") from None
    except OSError as exc:
        raise ScaffoldError(f"{path}: cannot write: {exc.strerror or exc}") from None
    docname = None
    if srcdir is not None:
        docname = path.resolve().relative_to(srcdir).with_suffix("").as_posix()
    return Created(path, docname, srcdir, level)


def _summary(title: str, markup: str) -> str:
    text = f"{title}: say in one line what the reader will have done."
    return _yaml_text(text) if markup == "myst" else text


def next_steps(created: Created, markup: str) -> str:
    """What to do after ``new``: where the file is, how to list it."""
    name = created.path.stem
    lines = [f"Created {created.path} (level: {created.level})."]
    from sphinx_numpy_learn.checker import shown_path

    docs_folder = shown_path(created.srcdir) if created.srcdir else "<docs folder>"
    if markup == "myst":
        toctree = f"  ```{{toctree}}\n  {name}\n  ```"
        path_block = f"  ```{{learning-path}} Your path\n  ...\n  {name}\n  ```"
    else:
        toctree = f"  .. toctree::\n\n     {name}"
        path_block = f"  .. learning-path:: Your path\n\n     ...\n     {name}"
    index = next(
        (
            created.path.parent / f"index{s}"
            for s in DOCUMENT_SUFFIXES
            if (created.path.parent / f"index{s}").exists()
        ),
        None,
    )
    where = f" in {index}" if index else ""
    lines += [
        "",
        f"Next, add it to a toctree{where}:",
        "",
        toctree,
        "",
        "or make it a step of a learning path (paths list document names, relative to "
        "the page that holds the path):",
        "",
        path_block,
        "",
        "Then fill in each section and check your work:",
        "",
        f"  sphinx-numpy-learn check {docs_folder}",
    ]
    return "\n".join(lines) + "\n"
