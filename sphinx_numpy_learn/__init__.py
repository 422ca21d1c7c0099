"""sphinx-numpy-learn: beginner-friendly tutorials and contributor guides for Sphinx."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0.dev0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup(app: Sphinx) -> ExtensionMetadata:
    """Sphinx entry point; the wiring lives in :mod:`sphinx_numpy_learn.extension`."""
    # Imported lazily so that ``import sphinx_numpy_learn`` (e.g. for __version__)
    # does not import Sphinx and myst-nb.
    from sphinx_numpy_learn.extension import setup_extension

    return setup_extension(app)
