"""Check plain data against the types of :mod:`sphinx_numpy_learn.records` at run time.

A build's domain data is plain dicts and lists; :func:`type_errors` walks it beside
its type and names every key that is missing, unknown or of another kind, so a
record built by hand, or a constructor that drifts from its type, fails a test.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from typing import Any, Literal, Union, get_args, get_origin

from sphinx_numpy_learn import records


def type_errors(value: Any, expected: Any, where: str = "data") -> Iterator[str]:
    """Where ``value`` does not match ``expected`` (a TypedDict, ``dict[K, V]``,
    ``list[T]``, a union, a literal or a plain class), one line each."""
    origin = get_origin(expected)
    if expected is Any:
        return
    if typing.is_typeddict(expected):
        yield from _typeddict_errors(value, expected, where)
    elif origin in (Union, types.UnionType):
        options = get_args(expected)
        if all(list(type_errors(value, option, where)) for option in options):
            yield f"{where}: {value!r} is none of {expected}"
    elif origin is Literal:
        if value not in get_args(expected):
            yield f"{where}: {value!r} is not one of {get_args(expected)}"
    elif origin is dict:
        if not isinstance(value, dict):
            yield f"{where}: {type(value).__name__}, not a dict"
            return
        key_type, value_type = get_args(expected)
        for key, item in value.items():
            yield from type_errors(key, key_type, f"{where} key {key!r}")
            yield from type_errors(item, value_type, f"{where}[{key!r}]")
    elif origin is list:
        if not isinstance(value, list):
            yield f"{where}: {type(value).__name__}, not a list"
            return
        (item_type,) = get_args(expected)
        for index, item in enumerate(value):
            yield from type_errors(item, item_type, f"{where}[{index}]")
    elif expected is float:
        # An int is a float for the type checker too.
        if not isinstance(value, int | float) or isinstance(value, bool):
            yield f"{where}: {value!r} is not a number"
    elif expected is int:
        if not isinstance(value, int) or isinstance(value, bool):
            yield f"{where}: {value!r} is not an int"
    elif expected is type(None):
        if value is not None:
            yield f"{where}: {value!r} is not None"
    elif not isinstance(value, expected):
        yield f"{where}: {value!r} is not a {expected.__name__}"


def _typeddict_errors(value: Any, expected: Any, where: str) -> Iterator[str]:
    if not isinstance(value, dict):
        yield f"{where}: {type(value).__name__}, not a {expected.__name__}"
        return
    hints = typing.get_type_hints(expected, vars(records))
    missing = expected.__required_keys__ - value.keys()
    unknown = value.keys() - hints.keys()
    if missing:
        yield f"{where}: {expected.__name__} without {sorted(missing)}"
    if unknown:
        yield f"{where}: {expected.__name__} with unknown {sorted(unknown)}"
    for key in sorted(value.keys() & hints.keys()):
        yield from type_errors(value[key], hints[key], f"{where}[{key!r}]")


def assert_typed(value: Any, expected: Any = records.LearnData) -> None:
    """``value`` (by default a build's learn domain data) matches its type."""
    errors = list(type_errors(value, expected))
    assert not errors, "\n".join(errors[:20])
