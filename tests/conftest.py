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
