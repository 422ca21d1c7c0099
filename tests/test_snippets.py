"""The documentation's snippets: the same doctree from reStructuredText and MyST.

Every ``example_docs/snippets/rst/NAME.rst`` has a ``snippets/myst/NAME.md`` twin.
Both are built as the index of a small project; their doctrees, before and after
post-transforms, must match the same stored regression files.
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
    return re.sub(r'/index\.(?:rst|md)"', '/index.SOURCE"', text)


def build_snippet(root_app, snippet: Path):
    """Build ``snippet`` as the index page of the ``test-snippets`` project."""
    app = root_app("snippets")
    shutil.copy(snippet, app.srcdir / f"index{snippet.suffix}")
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
