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
