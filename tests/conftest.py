from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

# The roots are Sphinx projects, not test modules.
collect_ignore = ["roots"]

TESTS_DIR = Path(__file__).parent
REPO_DIR = TESTS_DIR.parent
EXAMPLE_DOCS = REPO_DIR / "example_docs"
SNIPPETS = EXAMPLE_DOCS / "snippets"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return TESTS_DIR / "roots"


def soup_of(app, page: str = "index"):
    """The parsed HTML of ``page`` in an HTML build's output."""
    from bs4 import BeautifulSoup

    return BeautifulSoup((app.outdir / f"{page}.html").read_text(encoding="utf-8"), "html.parser")


def assert_warnings_exactly(app, expected: list[tuple[str, str, str]]) -> None:
    """The build warned once per ``(location, text, type)`` and about nothing else of ours:
    each line starts with ``location`` (``file:line:``), contains ``text`` and ends with
    ``[type]``; and no traceback was printed."""
    warnings = warnings_of(app)
    lines = warnings.splitlines()
    for location, text, kind in expected:
        matching = [line for line in lines if line.startswith(location) and text in line]
        assert len(matching) == 1, f"{location} {text!r} not found once in:\n{warnings}"
        assert matching[0].endswith(f"[{kind}]"), matching[0]
    ours = [line for line in lines if "[learn." in line]
    assert len(ours) == len(expected), warnings
    assert "Traceback" not in warnings


def warnings_of(app) -> str:
    """The build's warnings, with ANSI colours removed."""
    from sphinx.util.console import strip_escape_sequences

    return strip_escape_sequences(app.warning.getvalue())


@pytest.fixture
def root_app(make_app, rootdir, tmp_path):
    """Build a copy of ``tests/roots/test-NAME`` in a fresh folder, with any builder.

    For tests parametrized over builders or themes, where the ``sphinx`` marker's
    shared source folder would let one build's environment leak into the next.
    """
    import shutil

    def factory(name: str, buildername: str = "html", **kwargs):
        srcdir = tmp_path / name
        shutil.copytree(rootdir / f"test-{name}", srcdir)
        return make_app(buildername, srcdir=srcdir, **kwargs)

    def again(srcdir, buildername: str = "html", **kwargs):
        """A new build of a folder already built, as the next ``sphinx-build`` run."""
        return make_app(buildername, srcdir=srcdir, **kwargs)

    factory.again = again
    return factory
