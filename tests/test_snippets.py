"""The documentation's snippets: the same doctree from reStructuredText and MyST.

Every ``example_docs/snippets/rst/NAME.rst`` has a ``snippets/myst/NAME.md`` twin.
Both are built as the index of a small project; their doctrees, before and after
post-transforms, must match the same stored regression files.
"""

from __future__ import annotations

import re
import shutil

import pytest

from .conftest import SNIPPETS, warnings_of

SNIPPET_NAMES = sorted(path.stem for path in (SNIPPETS / "rst").glob("*.rst"))


def normalize_doctree(text: str) -> str:
    # The document node carries the source path; nothing else is build-specific.
    return re.sub(r"<document [^>]*>", "<document>", text)


def build_snippet(make_app, rootdir, tmp_path, snippet, syntax: str):
    srcdir = tmp_path / syntax
    shutil.copytree(rootdir / "test-snippets", srcdir)
    source = snippet.with_suffix(".rst") if syntax == "rst" else snippet.with_suffix(".md")
    shutil.copy(source, srcdir / f"index{source.suffix}")
    app = make_app("html", srcdir=srcdir, freshenv=True)
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
def test_snippet_doctree(make_app, rootdir, tmp_path, file_regression, name, syntax):
    """Both syntaxes are checked against one stored file, so they must agree."""
    before, after = build_snippet(make_app, rootdir, tmp_path, SNIPPETS / syntax / name, syntax)
    file_regression.check(before, basename=f"{name}.read", extension=".xml")
    file_regression.check(after, basename=f"{name}.resolved", extension=".xml")
