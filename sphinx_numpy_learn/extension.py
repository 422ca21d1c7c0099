"""Wiring: each feature module exposes a ``setup_*``/``register_*`` function called here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_numpy_learn import __version__
from sphinx_numpy_learn.config import register_config
from sphinx_numpy_learn.config_reference import setup_config_reference
from sphinx_numpy_learn.defaults import register_defaults

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

# Bump whenever the shape of data we keep in the build environment changes,
# so Sphinx discards pickled environments written by an older version.
ENV_VERSION = 1


def setup_extension(app: Sphinx) -> ExtensionMetadata:
    app.require_sphinx("8.1")
    # MyST-NB reads and executes the tutorials; it brings MyST-Parser with it.
    app.setup_extension("myst_nb")

    register_config(app)
    register_defaults(app)
    setup_config_reference(app)

    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
