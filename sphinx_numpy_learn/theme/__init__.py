"""The ``sphinx_numpy_learn`` HTML theme: a child of pydata-sphinx-theme.

Sphinx imports this module through the ``sphinx.html_themes`` entry point when a
project sets ``html_theme = "sphinx_numpy_learn"``. Using the theme also loads the
extension, so a project that only sets the theme still gets every directive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup(app: Sphinx) -> ExtensionMetadata:
    """Sphinx entry point; the wiring lives in :mod:`sphinx_numpy_learn.theme.extension`."""
    # Imported lazily: the extension's modules import theme.options, which imports
    # this package first.
    from sphinx_numpy_learn.theme.extension import setup_theme

    return setup_theme(app)
