"""Lists whose items start with ``[x]`` or ``[ ]``: a checkpoint's choices, and the
steps of a setup checklist written as a task list.

Read the same way by the build and by ``sphinx-numpy-learn check``, so the two never
disagree. A marker is either text (reStructuredText, and MyST without its
``tasklist`` extension) or, with ``myst_enable_extensions = ["tasklist"]`` (Jupyter
Book's default), the checkbox MyST-Parser has already made of it: an item with the
class ``task-list-item`` whose first paragraph starts with raw HTML
``<input class="task-list-item-checkbox" ...>``, ``checked`` when ticked. Both
forms give the same result.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from docutils import nodes

MARKER = re.compile(r"^\s*\[( |x|X)\]\s*")
TASKLIST_ITEM_CLASS = "task-list-item"
TASKLIST_CLASS = "contains-task-list"
_TASKLIST_CHECKBOX = re.compile(
    r'^\s*<input class="task-list-item-checkbox"(?P<attributes>[^<>]*)>\s*$'
)
_CHECKED = re.compile(r'(?:^|\s)checked(?:="checked")?(?=\s|$)')


def read_marker(item: nodes.Element) -> tuple[bool | None, list[nodes.Node]]:
    """Whether ``item`` starts ticked (``True``), unticked (``False``) or with no marker
    (``None``); and its first paragraph's content after the marker. ``item`` is left
    as it is."""
    paragraph = item.children[0] if item.children else None
    if not isinstance(paragraph, nodes.paragraph) or not paragraph.children:
        return None, []
    first, after = paragraph.children[0], list(paragraph.children[1:])
    if isinstance(first, nodes.raw) and TASKLIST_ITEM_CLASS in item.get("classes", []):
        checkbox = _TASKLIST_CHECKBOX.match(first.astext())
        if checkbox is not None and "html" in first.get("format", "").split():
            return bool(_CHECKED.search(checkbox["attributes"])), after
    if isinstance(first, nodes.Text):
        marker = MARKER.match(str(first))
        if marker is not None:
            rest = str(first)[marker.end() :]
            return marker.group(1) in "xX", [nodes.Text(rest), *after] if rest else after
    return None, []


def content_is_empty(content: Sequence[nodes.Node]) -> bool:
    return not "".join(node.astext() for node in content).strip()


@dataclass(frozen=True)
class ChoiceShape:
    """What the checks need to know of one choice."""

    correct: bool | None
    """``[x]``, ``[ ]``, or ``None`` with no marker."""
    empty: bool
    """Nothing but the marker."""


@dataclass(frozen=True)
class CheckpointShape:
    """What the checks need to know of a checkpoint."""

    question: bool
    """It has one: the argument, or content besides the list."""
    lists: int
    """How many lists its content holds at the top."""
    choices: tuple[ChoiceShape, ...]
    """The items of its list, when it has one."""

    def problems(self) -> list[Problem]:
        return checkpoint_problems(question=self.question, lists=self.lists, choices=self.choices)


@dataclass
class CheckpointContent:
    """A checkpoint's content, read: its shape, and the nodes the build needs."""

    shape: CheckpointShape
    choice_list: nodes.Element | None
    items: list[nodes.Element]
    markers: list[tuple[bool | None, list[nodes.Node]]]
    """Each item's :func:`read_marker`."""


def read_checkpoint(has_argument: bool, body: Sequence[nodes.Node]) -> CheckpointContent:
    """Read a checkpoint's parsed content (``body``: its top-level nodes)."""
    lists = [n for n in body if isinstance(n, nodes.bullet_list | nodes.enumerated_list)]
    choice_list = lists[0] if len(lists) == 1 else None
    items = list(choice_list.children) if choice_list is not None else []
    markers = [read_marker(item) for item in items]
    shape = CheckpointShape(
        question=has_argument or any(n not in lists for n in body),
        lists=len(lists),
        choices=tuple(
            ChoiceShape(correct, correct is not None and content_is_empty(content))
            for correct, content in markers
        ),
    )
    return CheckpointContent(shape, choice_list, items, markers)


@dataclass(frozen=True)
class Problem:
    message: str
    choice: int | None = None
    """The choice (from 0) the problem is in; ``None``: the checkpoint as a whole."""
    fatal: bool = True
    """The checkpoint cannot be made; its content is shown as written."""


def checkpoint_problems(
    *, question: bool, lists: int, choices: Sequence[ChoiceShape]
) -> list[Problem]:
    """What is wrong with a checkpoint: ``question`` (it has one), ``lists`` (how many
    lists its content holds at the top) and ``choices`` (the items of its one list)."""
    problems = []
    if not question:
        problems.append(
            Problem("no question: give it as the argument or before the choices", fatal=False)
        )
    if lists != 1:
        return [*problems, Problem(f"needs exactly one list of choices, found {lists}")]
    for index, choice in enumerate(choices):
        if choice.correct is None:
            message = f"choice {index + 1} does not start with [x] (correct) or [ ] (incorrect)"
            return [*problems, Problem(message, choice=index)]
        if choice.empty:
            return [*problems, Problem(f"choice {index + 1} is empty", choice=index)]
    if not any(choice.correct for choice in choices):
        return [*problems, Problem("no choice is marked correct with [x]")]
    if len(choices) < 2:
        return [*problems, Problem("needs at least two choices")]
    return problems
