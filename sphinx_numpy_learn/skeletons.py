"""The pages ``sphinx-numpy-learn new`` writes, as templates: a tutorial to NumPy's
tutorial style guide and a contributor page, each in MyST Markdown and
reStructuredText. :mod:`sphinx_numpy_learn.scaffold` fills them in, escaped.
"""

from __future__ import annotations

from string import Template

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
:label: $exercise

Ask the reader to change the code above a little and predict the result.
::::

::::{solution} $exercise
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
   :label: $exercise

   Ask the reader to change the code above a little and predict the result.

.. solution:: $exercise

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
