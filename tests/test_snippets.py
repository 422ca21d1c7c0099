"""The documentation's snippets: the same doctree from reStructuredText and MyST.

Every ``example_docs/snippets/rst/NAME.rst`` has a ``snippets/myst/NAME.md`` twin.
Both are built as the index of a small project; their doctrees, before and after
post-transforms, must match the same stored regression files. So must the MyST
snippets with ``[x]``/``[ ]`` lists when MyST's ``tasklist`` extension (on in
Jupyter Book) has made checkboxes of the markers, and the setup checklist with its
steps written as a task list, with the extension on or off.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from .conftest import SNIPPETS, warnings_of

SNIPPET_NAMES = sorted(path.stem for path in (SNIPPETS / "rst").glob("*.rst"))


def normalize_doctree(text: str) -> str:
    # The document node carries the source path, and "Edit this page" links end
    # in the source's suffix; nothing else differs between the two syntaxes.
    text = re.sub(r"<document [^>]*>", "<document>", text)
    # A MyST page with front matter (``myst: html_meta:``) is read as a text notebook,
    # whose sections MyST-NB marks for MathJax and the heading anchors.
    text = re.sub(r' classes="tex2jax_ignore mathjax_ignore"| slug="[^"]*"', "", text)
    return re.sub(r'/index\.(?:rst|md)"', '/index.SOURCE"', text)


def build_snippet(root_app, snippet: Path, source: str | None = None, **kwargs):
    """Build ``snippet`` (or ``source`` in its place) as the index page of the
    ``test-snippets`` project."""
    app = root_app("snippets", **kwargs)
    index = app.srcdir / f"index{snippet.suffix}"
    if source is None:
        shutil.copy(snippet, index)
    else:
        index.write_text(source, encoding="utf-8")
    app.build()
    assert warnings_of(app) == ""
    before = app.env.get_doctree("index").pformat()
    after = app.env.get_and_resolve_doctree("index", app.builder, tags=app.tags).pformat()
    return normalize_doctree(before), normalize_doctree(after)


def test_every_snippet_has_both_syntaxes():
    rst = {path.stem for path in (SNIPPETS / "rst").glob("*.rst")}
    myst = {path.stem for path in (SNIPPETS / "myst").glob("*.md")}
    assert rst == myst
    assert rst, "no snippets found"


@pytest.mark.parametrize("syntax", ["rst", "myst"])
@pytest.mark.parametrize("name", SNIPPET_NAMES)
def test_snippet_doctree(root_app, file_regression, name, syntax):
    """Both syntaxes are checked against one stored file, so they must agree."""
    suffix = ".rst" if syntax == "rst" else ".md"
    before, after = build_snippet(root_app, (SNIPPETS / syntax / name).with_suffix(suffix))
    file_regression.check(before, basename=f"{name}.read", extension=".xml")
    file_regression.check(after, basename=f"{name}.resolved", extension=".xml")


WITH_TASKLIST = {"myst_enable_extensions": ["colon_fence", "deflist", "dollarmath", "tasklist"]}
TASK_ITEM = re.compile(r"^ *[-*+] \[[ xX]\] ", flags=re.MULTILINE)
TASK_LIST_SNIPPETS = [
    name
    for name in SNIPPET_NAMES
    if TASK_ITEM.search((SNIPPETS / "myst" / name).with_suffix(".md").read_text("utf-8"))
]


@pytest.mark.parametrize("name", TASK_LIST_SNIPPETS)
def test_snippet_doctree_with_the_tasklist_extension(root_app, file_regression, name):
    """The extension turns ``- [x]`` into a checkbox before a checkpoint reads its list;
    the checkpoint reads the checkbox, and nothing else changes."""
    assert "checkpoint" in TASK_LIST_SNIPPETS
    snippet = (SNIPPETS / "myst" / name).with_suffix(".md")
    before, after = build_snippet(root_app, snippet, confoverrides=WITH_TASKLIST)
    assert "task-list" not in before + after
    file_regression.check(before, basename=f"{name}.read", extension=".xml")
    file_regression.check(after, basename=f"{name}.resolved", extension=".xml")


@pytest.mark.parametrize("tasklist", [False, True], ids=["tasklist-off", "tasklist-on"])
def test_setup_steps_written_as_a_task_list(root_app, file_regression, tasklist):
    """The script gives each step its checkbox, so a step's own ``[ ]`` (or the
    checkbox MyST made of it) is dropped: the same steps, with the same keys."""
    snippet = SNIPPETS / "myst" / "first-time-setup.md"
    steps = re.sub(r"^- ", "- [ ] ", snippet.read_text(encoding="utf-8"), flags=re.MULTILINE)
    steps = steps.replace("- [ ] Fork", "- [x] Fork")
    assert steps.count("[ ]") == 2
    kwargs = {"confoverrides": WITH_TASKLIST} if tasklist else {}
    before, after = build_snippet(root_app, snippet, steps, **kwargs)
    file_regression.check(before, basename="first-time-setup.read", extension=".xml")
    file_regression.check(after, basename="first-time-setup.resolved", extension=".xml")
