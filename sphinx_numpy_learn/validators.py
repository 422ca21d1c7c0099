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
