"""Every use of a private Sphinx or MyST-NB attribute, in one guarded place.

Sphinx gives extensions no public way to ask some questions we need answered (for
example "did ``conf.py`` set this value, or is it the default?"). The answers live in
private attributes that have been stable for many releases. Each accessor here
checks the shape of what it reads and returns ``None`` when it is not what we
expect, so that a change in Sphinx makes the caller *fail closed* (do less, and say
so) instead of silently doing the wrong thing, such as overriding a user's setting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.config import Config


def command_line_overrides(config: Config) -> dict[str, Any] | None:
    """The ``-D name=value`` settings of a build (public since Sphinx 7.3)."""
    overrides = getattr(config, "overrides", None)
    if overrides is None:
        overrides = getattr(config, "_overrides", None)
    return overrides if isinstance(overrides, dict) else None


def user_set_config_names(config: Config) -> set[str] | None:
    """Names set in ``conf.py`` or with ``-D``, or ``None`` when this Sphinx does not
    let us tell.

    Sphinx has no public way to tell "unset" from "set to the default value"
    (sphinx-exercise#85 runs into the same wall). ``Config`` keeps the ``conf.py``
    namespace in ``_raw_config``, stable since Sphinx 1.x.
    """
    namespace = getattr(config, "_raw_config", None)
    overrides = command_line_overrides(config)
    if not isinstance(namespace, dict) or overrides is None:
        return None
    return set(namespace) | set(overrides)


def copied_mystnb_config(nb_config: Any, **changes: Any) -> Any | None:
    """A copy of MyST-NB's ``NbParserConfig`` with ``changes``, or ``None`` when it is
    not the dataclass with a validating ``copy`` we know (MyST-NB 1.x)."""
    fields = getattr(type(nb_config), "__dataclass_fields__", None)
    copy = getattr(nb_config, "copy", None)
    if not isinstance(fields, dict) or not callable(copy) or not set(changes) <= set(fields):
        return None
    try:
        return copy(**changes)
    except Exception:  # a value this MyST-NB rejects
        return None


def set_mystnb_config(env: Any, nb_config: Any) -> None:
    """Give MyST-NB's parser ``nb_config`` for the next page: it reads
    ``env.mystnb_config`` afresh for each page (MyST-NB 1.x), which ``builder-inited``
    sets on every build."""
    if hasattr(env, "mystnb_config"):
        env.mystnb_config = nb_config


def mystnb_config(env: Any) -> Any:
    """MyST-NB's ``NbParserConfig`` of this build (``env.mystnb_config``, set by its
    ``builder-inited``), or ``None`` without MyST-NB 1.x's attribute."""
    return getattr(env, "mystnb_config", None)


def myst_config(env: Any) -> Any:
    """MyST-Parser's ``MdParserConfig`` of this build (``env.myst_config``), or ``None``."""
    return getattr(env, "myst_config", None)
