"""Recommended settings for MyST-NB and MyST-Parser, applied only where the user is silent.

Tutorial sites need notebooks that are executed, cached, and that fail loudly;
MyST-NB's own defaults (execute when outputs are missing, 30 s per cell, a failing
cell is only a warning with the traceback in a report file) are tuned for other
uses. We set these values on ``config-inited``, before MyST-NB reads them on
``builder-inited``, and never touch a value that ``conf.py`` or ``-D`` set.
Setting them at ``config-inited`` (and to the same values on every build) keeps
incremental builds incremental: Sphinx sees the same configuration each time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_numpy_learn._compat import user_set_config_names
from sphinx_numpy_learn.config import get_learn_config
from sphinx_numpy_learn.log import LOGGER, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


@dataclass(frozen=True)
class RecommendedDefault:
    name: str
    value: Any
    """The value, or for a computed one, how the reference shows it."""
    why: str
    computed: Callable[[Sphinx], Any] | None = None
    """Computes the value for a build (e.g. from its directories)."""

    def value_for(self, app: Sphinx) -> Any:
        if self.computed is not None:
            return self.computed(app)
        # A fresh copy each time: a list shared between builds could be mutated.
        return list(self.value) if isinstance(self.value, list) else self.value


def _cache_next_to_doctrees(app: Sphinx) -> str:
    return str(Path(app.doctreedir, "jupyter_cache"))


RECOMMENDED_DEFAULTS: tuple[RecommendedDefault, ...] = (
    RecommendedDefault(
        "nb_execution_mode",
        "cache",
        "Execute every notebook, and re-use its outputs while its code is unchanged.",
    ),
    RecommendedDefault(
        "nb_execution_cache_path",
        "<doctree directory>/jupyter_cache",
        "The cache lives with the build environment it belongs to. MyST-NB's default, "
        "the output directory's parent, is shared by every build whose output sits in the "
        "same folder (``/tmp/a`` and ``/tmp/b``), so one build would reuse another's "
        "outputs.",
        computed=_cache_next_to_doctrees,
    ),
    RecommendedDefault(
        "nb_execution_timeout",
        120,
        "Seconds one cell may run before it is stopped (MyST-NB's default is 30).",
    ),
    RecommendedDefault(
        "nb_execution_show_tb",
        True,
        "The traceback of a failing cell is printed in the build log, "
        "not only written to a report file.",
    ),
    RecommendedDefault(
        "myst_enable_extensions",
        ["colon_fence", "deflist", "dollarmath"],
        "``:::`` fences for directives (they keep their Markdown readable), "
        "definition lists and ``$...$`` maths.",
    ),
    RecommendedDefault(
        "myst_heading_anchors",
        3,
        "Headings down to level 3 get stable anchors, so a page can link to "
        "another page's *What you'll need* section.",
    ),
)


def legacy_names(name: str) -> set[str]:
    """Older names MyST-NB still accepts for a setting (a user may set those instead)."""
    legacy = _mystnb_legacy_names().get(name)
    return {legacy} if legacy else set()


@cache
def _mystnb_legacy_names() -> dict[str, str]:
    """MyST-NB's settings (``nb_…``) by name, to the older name each still accepts."""
    import dataclasses

    from myst_nb.core.config import NbParserConfig

    return {
        f"nb_{nb_field.name}": nb_field.metadata["legacy_name"]
        for nb_field in dataclasses.fields(NbParserConfig)
        if "legacy_name" in nb_field.metadata
    }


def apply_recommended_defaults(app: Sphinx, config: Config) -> None:
    if not get_learn_config(config).recommended_defaults:
        return
    user_set = user_set_config_names(config)
    if user_set is None:
        # Without knowing what conf.py set, a default could override the user's value.
        warn(
            "this Sphinx version does not let sphinx-numpy-learn tell which settings "
            "conf.py sets, so the recommended MyST-NB defaults are not applied; set "
            "learn_recommended_defaults = False to silence this, and set the values you "
            "want in conf.py",
            subtype="setup",
        )
        return
    for default in RECOMMENDED_DEFAULTS:
        if default.name not in config:
            continue  # the extension that owns it is not loaded
        if user_set & ({default.name} | legacy_names(default.name)):
            LOGGER.debug("[learn] keeping %s from conf.py", default.name)
            continue
        value = default.value_for(app)
        config[default.name] = value
        LOGGER.debug("[learn] recommended default %s = %r", default.name, value)


def register_defaults(app: Sphinx) -> None:
    # After validate_config (300), before MyST-NB's own config-inited handlers (500).
    app.connect("config-inited", apply_recommended_defaults, priority=400)
