"""Wiring: each feature module exposes a ``setup_*``/``register_*`` function called here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_numpy_learn import __version__
from sphinx_numpy_learn.assets import setup_assets
from sphinx_numpy_learn.callouts import setup_callouts
from sphinx_numpy_learn.catalog import setup_catalog
from sphinx_numpy_learn.checkpoints import setup_checkpoints
from sphinx_numpy_learn.config import register_config
from sphinx_numpy_learn.defaults import register_defaults
from sphinx_numpy_learn.domain import LearnDomain, setup_domain
from sphinx_numpy_learn.exercises import setup_exercises
from sphinx_numpy_learn.gc_freeze import setup_gc_freeze
from sphinx_numpy_learn.glossary import setup_glossary
from sphinx_numpy_learn.i18n import setup_i18n
from sphinx_numpy_learn.instructor import setup_instructor
from sphinx_numpy_learn.jsonld import setup_jsonld
from sphinx_numpy_learn.key_points import setup_key_points
from sphinx_numpy_learn.landing import setup_landing
from sphinx_numpy_learn.mathml import setup_mathml
from sphinx_numpy_learn.nodes_util import setup_page_release
from sphinx_numpy_learn.notebooks.events import setup_execution
from sphinx_numpy_learn.notebooks.failures import setup_failures
from sphinx_numpy_learn.notebooks.launch import setup_launch
from sphinx_numpy_learn.notebooks.report import setup_report
from sphinx_numpy_learn.page_links import setup_page_links
from sphinx_numpy_learn.page_meta import setup_page_meta
from sphinx_numpy_learn.path_book import setup_path_book
from sphinx_numpy_learn.paths import setup_paths
from sphinx_numpy_learn.progress import setup_progress
from sphinx_numpy_learn.reference import setup_reference
from sphinx_numpy_learn.tabs import setup_tabs
from sphinx_numpy_learn.tiers import setup_tiers
from sphinx_numpy_learn.tutorial import setup_tutorial

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup_extension(app: Sphinx) -> ExtensionMetadata:
    app.require_sphinx("8.1")
    # MyST-NB reads and executes the tutorials; it brings MyST-Parser with it.
    app.setup_extension("myst_nb")
    # sphinx-design's tabs (tab-set, tab-item) and other components: sphinx_numpy_learn.tabs.
    app.setup_extension("sphinx_design")

    register_config(app)
    register_defaults(app)
    setup_reference(app)
    setup_i18n(app)
    setup_domain(app)
    setup_tiers(app)
    setup_tutorial(app)
    setup_catalog(app)
    setup_paths(app)
    setup_key_points(app)
    setup_glossary(app)
    setup_path_book(app)
    setup_landing(app)
    setup_callouts(app)
    setup_tabs(app)
    setup_instructor(app)
    setup_exercises(app)
    setup_checkpoints(app)
    setup_progress(app)
    setup_execution(app)
    setup_failures(app)
    setup_report(app)
    setup_launch(app)
    setup_jsonld(app)
    setup_page_meta(app)
    setup_page_links(app)
    setup_assets(app)
    setup_mathml(app)
    setup_page_release(app)
    setup_gc_freeze(app)

    return {
        "version": __version__,
        # Everything we keep in the build environment is the learn domain's data: its
        # version is the one number to bump (sphinx_numpy_learn.domain says when), and
        # a new one makes Sphinx discard environments pickled by an older version.
        "env_version": LearnDomain.data_version,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
