"""Validators for ``learn_*`` settings: a check plus the words that explain it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Validator:
    """A check on one config value, with the words to tell a user what is accepted."""

    accepted: str
    """What the value may be, as shown in warnings and in the reference ("True or False")."""
    types: frozenset[type]
    """Types passed to Sphinx's ``add_config_value`` so its own check stays on."""
    problem: Callable[[Any], str | None]
    """What is wrong with a value, in words, or ``None`` when it is valid."""

    def __call__(self, value: Any) -> bool:
        return self.problem(value) is None


def boolean() -> Validator:
    # bool is a subclass of int, but 0/1 are not accepted: conf.py should say True/False.
    return Validator(
        "True or False",
        frozenset({bool}),
        lambda v: None if isinstance(v, bool) else "not a boolean",
    )


def positive_number(*, maximum: float) -> Validator:
    def problem(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "not a number"
        if not 0 < value <= maximum:
            return f"outside 0 < value <= {maximum:g}"
        return None

    return Validator(f"a number above 0 and at most {maximum:g}", frozenset({int, float}), problem)


def choices(allowed: Iterable[str]) -> Validator:
    """A list of names, each one of ``allowed``."""
    allowed = tuple(allowed)

    def problem(value: Any) -> str | None:
        if isinstance(value, str) or not isinstance(value, list | tuple):
            return "not a list"
        unknown = [item for item in value if item not in allowed]
        return f"unknown name(s) {', '.join(map(repr, unknown))}" if unknown else None

    return Validator(
        f"a list of names from {', '.join(allowed)}", frozenset({list, tuple}), problem
    )


def one_of(allowed: Iterable[str]) -> Validator:
    """One name out of ``allowed``."""
    allowed = tuple(allowed)
    return Validator(
        f"one of {', '.join(map(repr, allowed))}",
        frozenset({str}),
        lambda v: None if v in allowed else "not one of the accepted values",
    )


def string_list() -> Validator:
    """A list of non-empty strings."""

    def problem(value: Any) -> str | None:
        if isinstance(value, str) or not isinstance(value, list | tuple):
            return "not a list"
        bad = [item for item in value if not isinstance(item, str) or not item.strip()]
        return f"not text: {', '.join(map(repr, bad))}" if bad else None

    return Validator("a list of strings", frozenset({list, tuple}), problem)


def dict_of(keys: str, key_allowed: Iterable[str] | None, values: Validator) -> Validator:
    """A dict from strings (``keys`` describes them; ``key_allowed`` limits them) to
    values that ``values`` accepts."""
    allowed = tuple(key_allowed) if key_allowed is not None else None

    def problem(value: Any) -> str | None:
        if not isinstance(value, dict):
            return "not a dict"
        for key, item in value.items():
            if not isinstance(key, str) or (allowed is not None and key not in allowed):
                return f"unknown key {key!r}"
            why = values.problem(item)
            if why is not None:
                return f"{key!r}: {why}"
        return None

    return Validator(f"a dict from {keys} to {values.accepted}", frozenset({dict}), problem)


def string_mapping(keys: dict[str, str], *, urls: Iterable[str] = ()) -> Validator:
    """A dict whose keys are among ``keys`` (name -> what it is) and whose values are
    strings; the keys in ``urls`` must hold ``http(s)://`` addresses."""
    urls = tuple(urls)

    def problem(value: Any) -> str | None:
        if not isinstance(value, dict):
            return "not a dict"
        unknown = sorted(set(value) - set(keys))
        if unknown:
            return f"unknown key(s) {', '.join(map(repr, unknown))}"
        for key, item in value.items():
            if not isinstance(item, str):
                return f"{key!r} is not a string"
            if key in urls and not item.startswith(("https://", "http://")):
                return f"{key!r} is not an http(s) address"
        return None

    described = ", ".join(f"{k!r} ({what})" for k, what in keys.items())
    return Validator(f"a dict with the keys {described}", frozenset({dict}), problem)


def flag_or(word: str) -> Validator:
    """``True``, ``False`` or the string ``word`` (e.g. ``'auto'``)."""
    return Validator(
        f"True, False or {word!r}",
        frozenset({bool, str}),
        lambda v: None if isinstance(v, bool) or v == word else "not accepted",
    )


# Placeholders a custom launch URL template may use (filled in, URL-quoted, per page).
LAUNCH_PLACEHOLDERS = ("repository_url", "org", "repo", "branch", "path", "docname")
LAUNCH_KEYS = {
    "repository": "the repository address (default: learn_contributor's)",
    "branch": "the branch holding the .ipynb files",
    "notebooks_path": "their folder in the repository",
    "binder": "a BinderHub address",
    "jupyterhub": "a JupyterHub address",
    "colab": "True for Google Colab",
    "jupyterlite": "a JupyterLite address",
    "custom": "a list of {'label', 'url'} dicts",
}
_HTTP = ("https://", "http://")


def _is_http(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    return value.startswith(_HTTP) and not any(c.isspace() for c in value)


def _custom_problem(items: Any) -> str | None:
    import string

    if not isinstance(items, list | tuple):
        return "'custom' is not a list"
    for item in items:
        if not isinstance(item, dict) or set(item) != {"label", "url"}:
            return "each 'custom' entry must be a dict with exactly 'label' and 'url'"
        if not isinstance(item["label"], str) or not item["label"].strip():
            return "a 'custom' label is empty or not text"
        if not _is_http(item["url"]):
            return f"the 'custom' URL {item['url']!r} is not an http(s) address"
        try:
            fields = [f for f in string.Formatter().parse(item["url"]) if f[1] is not None]
        except ValueError as exc:
            return f"the 'custom' URL {item['url']!r} is not a valid template ({exc})"
        # "{path!r}" or "{path:>9}" would put quotes or spaces in the address, and an
        # unknown one ("{path:d}") would fail only when the page is written.
        if any(spec or conversion for _, _, spec, conversion in fields):
            return (
                f"the 'custom' URL {item['url']!r} formats a placeholder; write each as "
                "a plain {name}"
            )
        names = {name for _, name, _, _ in fields}  # "{}" is an unknown (empty) name
        unknown = sorted(names - set(LAUNCH_PLACEHOLDERS))
        if unknown:
            return (
                f"unknown placeholder(s) {', '.join(map(repr, unknown))} in a 'custom' URL "
                f"(known: {', '.join(LAUNCH_PLACEHOLDERS)})"
            )
    return None


def launch_settings() -> Validator:
    """The ``learn_launch`` dict."""

    def problem(value: Any) -> str | None:
        if not isinstance(value, dict):
            return "not a dict"
        unknown = sorted(set(value) - set(LAUNCH_KEYS))
        if unknown:
            return f"unknown key(s) {', '.join(map(repr, unknown))}"
        for key in ("repository", "binder", "jupyterhub"):
            if key in value and not _is_http(value[key]):
                return f"{key!r} is not an http(s) address"
        for key in ("branch", "notebooks_path"):
            if key in value and not isinstance(value[key], str):
                return f"{key!r} is not a string"
        if "colab" in value and not isinstance(value["colab"], bool):
            return "'colab' is not True or False"
        lite = value.get("jupyterlite")
        if lite is not None and not (
            _is_http(lite) or (isinstance(lite, str) and lite and ":" not in lite.split("/")[0])
        ):
            return "'jupyterlite' is neither an http(s) address nor a relative path"
        if "custom" in value:
            return _custom_problem(value["custom"])
        return None

    described = ", ".join(f"{k!r} ({what})" for k, what in LAUNCH_KEYS.items())
    return Validator(f"a dict with the keys {described}", frozenset({dict}), problem)
