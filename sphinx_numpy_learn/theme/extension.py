"""The theme's wiring: loads pydata-sphinx-theme and the extension (late, when only
the theme is set), writes the theme's stylesheets and scripts, and adds its context."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape
from sphinx.registry import merge_source_suffix

from sphinx_numpy_learn import __version__, _compat
from sphinx_numpy_learn.assets import (
    ASSETS,
    PRINT_HIDE_SOLUTIONS,
    THEME,
    THEME_STYLESHEET,
    write_minified,
)
from sphinx_numpy_learn.config import conf_location
from sphinx_numpy_learn.i18n import _
from sphinx_numpy_learn.log import warn
from sphinx_numpy_learn.theme.header import setup_header
from sphinx_numpy_learn.theme.header_nav import setup_header_nav
from sphinx_numpy_learn.theme.navigation import setup_navigation
from sphinx_numpy_learn.theme.options import THEME_NAME, theme_options, validate_theme_options
from sphinx_numpy_learn.theme.page_assets import setup_page_assets
from sphinx_numpy_learn.theme.search import setup_search
from sphinx_numpy_learn.theme.site_nav import setup_site_nav

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

THEME_PATH = Path(__file__).parent / THEME_NAME
THEME_URL = "https://github.com/numpy/sphinx-numpy-learn"
# Every file the theme writes minified into _static (path there -> source): its
# stylesheet, on every page, and the files of some pages only
# (theme/page_assets.py). The readable sources live outside the theme's static folder,
# which Sphinx copies as it is at the end of every build.
WRITTEN: dict[str, Path] = {
    asset.name: asset.source
    for asset in ASSETS
    if asset.owner == THEME and not asset.source.is_relative_to(THEME_PATH)
}
EXTENSION = "sphinx_numpy_learn"


def setup_extension_late(app: Sphinx, extname: str) -> None:
    """Load an extension after ``config-inited`` has already been emitted.

    Sphinx imports theme entry points while it initialises the builder, after the
    configuration event. An extension loaded then would miss its ``config-inited``
    handlers (our validation, MyST-NB's custom formats) and Sphinx would not know
    the source suffixes it registers. So we run exactly the handlers it added, in
    priority order, and refresh the project's suffixes before any file is read.
    """
    listeners = _compat.event_listeners(app, "config-inited")
    if listeners is None:
        # Without Sphinx's listeners we cannot run the extension's handlers: load it,
        # and say what the project must do for a complete build.
        app.setup_extension(extname)
        warn(
            f"the {THEME_NAME} theme cannot finish loading the {extname} extension after "
            "Sphinx read conf.py with this Sphinx version; add "
            f"extensions = [{extname!r}] to conf.py",
            subtype="setup",
            location=conf_location(app, "html_theme"),
        )
        return
    before = {listener.id for listener in listeners}
    # After config-inited the registry's suffix map *is* config.source_suffix, so
    # re-registering a suffix the user already listed would raise. Collect the
    # late extension's suffixes apart, then merge them the way Sphinx does.
    app.registry.source_suffix = {}
    app.setup_extension(extname)
    added = sorted(
        (
            lst
            for lst in _compat.event_listeners(app, "config-inited") or []
            if lst.id not in before
        ),
        key=lambda lst: lst.priority,
    )
    for listener in added:
        listener.handler(app, app.config)
    merge_source_suffix(app, app.config)
    # The project copied the suffixes when it was created, before the theme loaded.
    app.project.source_suffix = tuple(app.config.source_suffix)
    _add_late_domains(app)
    # Sphinx compared this build's configuration with the last one before the theme
    # loaded, so the suffixes added here always look new: every page is re-read.
    warn(
        f"the {THEME_NAME} theme loaded the {extname} extension after Sphinx read "
        "conf.py, so every build re-reads every page; add "
        f"extensions = [{extname!r}] to conf.py to keep builds incremental",
        subtype="setup",
        location=conf_location(app, "html_theme"),
    )


def _add_late_domains(app: Sphinx) -> None:
    """Give the already-created environment the domains the late extension added.

    Sphinx creates the environment's domains before it loads the theme, and has
    no public call to add one afterwards; the environment keeps domain data in
    ``env.domaindata``, so rebuilding the container loses nothing.
    """
    env = getattr(app, "env", None)
    if env is None or env.domains is None:
        return
    missing = [name for name in app.registry.domains if name not in env.domains]
    if not missing:
        return
    if isinstance(env.domains, dict):  # Sphinx 8.1
        for domain in app.registry.create_domains(env):
            if domain.name in missing:
                env.domains[domain.name] = domain
                domain.setup()
        return
    if not _compat.rebuild_domains(app, env):
        warn(
            f"this Sphinx version gives no way to add the domains {', '.join(missing)} after "
            f"the build started; add extensions = [{EXTENSION!r}] to conf.py",
            subtype="setup",
            location=conf_location(app, "html_theme"),
        )


def add_theme_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    context["learn_credit"] = credit_html(__version__, _pydata_theme_version())


def credit_html(version: str, pst_version: str) -> Markup:
    """The footer credit: one translated sentence, escaped, with the theme's link."""
    values = {"version": version, "pst_version": pst_version, "theme": "\x00"}
    if pst_version:
        sentence = _(
            "Built with the %(theme)s %(version)s, on the PyData Sphinx Theme %(pst_version)s."
        )
    else:
        sentence = _("Built with the %(theme)s %(version)s.")
    before, _marker, after = (sentence % values).partition("\x00")
    name = escape(_("sphinx-numpy-learn theme"))
    link = f'<a href="{THEME_URL}">{name}</a>'
    return Markup(f"{escape(before)}{link}{escape(after)}")


@cache
def _pydata_theme_version() -> str:
    try:
        return version("pydata-sphinx-theme")
    except PackageNotFoundError:  # e.g. vendored into a docs repository
        return ""


def setup_theme_options(app: Sphinx) -> None:
    """``builder-inited``: check our options; load what they ask for."""
    validate_theme_options(app)
    if app.config.html_theme != THEME_NAME or app.builder.format != "html":
        return
    for name, source in WRITTEN.items():
        write_minified(source, Path(app.outdir, "_static", name))
    app.add_css_file(THEME_STYLESHEET)
    if theme_options(app)["print_solutions"] == "hide":
        # Chosen by file, so no configuration value is ever written into CSS.
        app.add_css_file(PRINT_HIDE_SOLUTIONS, media="print")


def setup_theme(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("pydata_sphinx_theme")
    app.add_html_theme(THEME_NAME, str(THEME_PATH))

    # Listed in conf.py's extensions, the extension is loaded already. Otherwise we
    # are normally imported while the builder starts, after config-inited.
    if getattr(app, "builder", None) is None or EXTENSION in app.extensions:
        app.setup_extension(EXTENSION)
    else:
        setup_extension_late(app, EXTENSION)

    # After pydata-sphinx-theme's own handlers (default priority 500).
    app.connect("html-page-context", add_theme_context, priority=501)
    setup_navigation(app)
    setup_site_nav(app)
    setup_header(app)
    setup_header_nav(app)
    setup_page_assets(app)
    setup_search(app)
    app.connect("builder-inited", setup_theme_options)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
