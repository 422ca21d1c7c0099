"""The theme's options: one schema, validated once, documented from itself.

``theme.toml`` declares the same names (Sphinx only accepts options a theme
declares); a test keeps its defaults equal to :data:`THEME_OPTIONS`. Values come
from ``html_theme_options`` as Python values, or as strings from the command line
(``-D html_theme_options.nav_badges=false``), so booleans accept both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sphinx_numpy_learn.config import conf_location
from sphinx_numpy_learn.log import warn
from sphinx_numpy_learn.validators import Validator, one_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx

THEME_NAME = "sphinx_numpy_learn"
PAGE_ACTIONS = "learn-page-actions"
PAGE_LINKS = "learn-page-links"
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0", ""}


def is_on(value: Any) -> bool:
    """A yes/no theme option as Python gives it (``True``, ``1``) or the command line
    does (``-D html_theme_options.name=yes``): ``true``, ``yes``, ``on`` or ``1``."""
    return str(value).strip().lower() in _TRUE


def theme_boolean() -> Validator:
    def problem(value: Any) -> str | None:
        if isinstance(value, bool):
            return None
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return None
        return "not a boolean"

    return Validator("True or False", frozenset({bool, str}), problem)


@dataclass(frozen=True)
class ThemeOption:
    name: str
    default: Any
    validator: Validator
    help: str
    parent: bool = False
    """An option of pydata-sphinx-theme whose default this theme changes."""


# pydata-sphinx-theme's slots take a component name or a list of them; PST checks the
# names when it renders the slot.
COMPONENT_NAMES = Validator("component names", frozenset({str, list}), lambda value: None)

THEME_OPTIONS: tuple[ThemeOption, ...] = (
    ThemeOption(
        "nav_badges",
        True,
        theme_boolean(),
        "Show each tutorial's level icon beside its entry in the sidebar navigation "
        "(with the level's name for screen readers).",
    ),
    ThemeOption(
        "nav_progress",
        True,
        theme_boolean(),
        "Under each sidebar section that lists tutorials, show how many of them the "
        "reader has marked as done (saved in the reader's browser only). Needs "
        "``learn_progress``.",
    ),
    # -- The site navigation in the primary sidebar (theme/site_nav.py) --
    ThemeOption(
        "sidebar_nav",
        "auto",
        one_of(("auto", "section", "site", "path")),
        "What the left sidebar lists. ``'auto'``: pydata-sphinx-theme's section "
        "navigation (the pages of the current top-level section) where it has pages, "
        "and elsewhere, as on a flat site or the home page, every page of the root "
        "toctree, grouped by caption. ``'section'``: the section navigation only. "
        "``'site'``: every page of the root toctree on every page. ``'path'``: on a "
        "step of a learning path only that path's steps, elsewhere as ``'auto'``. "
        "On a step of a learning path, ``'auto'`` and ``'site'`` list the path's "
        "steps first.",
    ),
    # -- end of the site navigation --
    ThemeOption(
        "print_solutions",
        "show",
        one_of(("show", "hide")),
        "When a reader prints a tutorial: ``'show'`` prints every solution expanded, "
        "``'hide'`` leaves solutions out of the handout.",
    ),
    ThemeOption(
        "article_header_end",
        PAGE_ACTIONS,
        COMPONENT_NAMES,
        "pydata-sphinx-theme's slot at the right of the article header. Here it holds "
        "the *Download* and *Launch* menus of notebook pages and the *Mark as done* "
        "checkbox of tutorials.",
        parent=True,
    ),
    ThemeOption(
        "article_footer_items",
        PAGE_LINKS,
        COMPONENT_NAMES,
        "pydata-sphinx-theme's slot at the end of the article. Here it holds the *Edit "
        "this page* and *Report a problem with this page* links (from "
        "``learn_contributor``).",
        parent=True,
    ),
    ThemeOption(
        "footer_end",
        "learn-theme-version",
        COMPONENT_NAMES,
        "pydata-sphinx-theme's slot at the right of the footer. Here it says which "
        "theme built the page.",
        parent=True,
    ),
)


# -- The header: one row at any width (theme/header.py) ----------------------------------
SEARCH_BUTTON = "learn-search-button"


def header_link_count() -> Validator:
    def problem(value: Any) -> str | None:
        if value == "auto":
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return None if value >= 0 else "a negative number"
        if isinstance(value, str) and value.strip().isdigit():  # from -D
            return None
        return "neither 'auto' nor a whole number"

    return Validator("'auto' or a whole number", frozenset({int, str}), problem)


THEME_OPTIONS += (
    ThemeOption(
        "header_links_before_dropdown",
        "auto",
        header_link_count(),
        "How many links the header shows before the *More* menu. ``'auto'`` shows as "
        "many as fit in one row beside the search button at 1024 pixels, from the length "
        "of their titles; a number shows that many. Either way the header stays one row: "
        "a link that does not fit is shortened with an ellipsis.",
        parent=True,
    ),
    ThemeOption(
        "navbar_persistent",
        SEARCH_BUTTON,
        COMPONENT_NAMES,
        "pydata-sphinx-theme's slot for the header's search button. Here it holds a "
        "search button whose name for assistive technology is the text it shows "
        '("Search Ctrl+K"), so speech input users can say what they see.',
        parent=True,
    ),
)
# -- End of the header's options ---------------------------------------------------------


def uses_theme(app: Sphinx) -> bool:
    return app.config.html_theme == THEME_NAME and app.builder.format == "html"


def theme_options(app: Sphinx) -> dict[str, Any]:
    """The effective values of our options: booleans as ``bool``, invalid ones as the default."""
    given = app.config.html_theme_options or {}
    values: dict[str, Any] = {}
    for option in THEME_OPTIONS:
        value = given.get(option.name, option.default)
        if not option.validator(value):
            value = option.default
        if isinstance(option.default, bool) and isinstance(value, str):
            value = is_on(value)
        values[option.name] = value
    return values


def page_actions_in_header(app: Sphinx) -> bool:
    """Whether this build's pages render the page-actions component in a slot."""
    if not uses_theme(app):
        return False
    slot = theme_options(app)["article_header_end"]
    names = [slot] if isinstance(slot, str) else list(slot)
    return PAGE_ACTIONS in names


def validate_theme_options(app: Sphinx) -> None:
    """``builder-inited``: warn once about each invalid option; the default is used."""
    if not uses_theme(app):
        return
    given = app.config.html_theme_options or {}
    corrected = dict(given)
    for option in THEME_OPTIONS:
        if option.name not in given:
            continue
        value = given[option.name]
        problem = option.validator.problem(value)
        if problem is None:
            continue
        warn(
            f"invalid value {value!r} for the theme option {option.name!r} ({problem}): "
            f"expected {option.validator.accepted}; using the default {option.default!r}",
            subtype="theme",
            location=conf_location(app, "html_theme_options"),
        )
        corrected[option.name] = option.default
    if corrected != given and hasattr(app.builder, "theme_options"):
        # The templates read the builder's options. A new dict: the configuration
        # itself stays as conf.py wrote it, so the next build does not see a change.
        app.builder.theme_options = corrected
