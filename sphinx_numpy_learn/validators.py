"""Validators for ``learn_*`` settings: a check plus the words that explain it."""

from __future__ import annotations

import os
import string
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
    salvage: Callable[[Any], tuple[Any, list[str]] | None] | None = None
    """For a value made of independent entries: the value without its bad entries,
    and what was wrong with each one (so one typo does not drop the whole setting);
    ``None`` when the value as a whole is wrong."""

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


def optional_count(*, maximum: int) -> Validator:
    """``None`` (a default worked out when it is used) or a whole number from 1."""

    def problem(value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            return "not a whole number"
        if not 1 <= value <= maximum:
            return f"outside 1 <= value <= {maximum}"
        return None

    return Validator(
        f"None or a whole number from 1 to {maximum}", frozenset({int, type(None)}), problem
    )


def dask_address() -> Validator:
    """``None`` or a Dask scheduler's address (``tcp://host:8786``, ``tls://...``)."""

    def problem(value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            return "not an address"
        if any(c.isspace() for c in value.strip()):
            return "an address has no spaces"
        scheme, sep, rest = value.strip().partition("://")
        if not sep or not scheme or not rest:
            return "no scheme: write 'tcp://host:8786'"
        return None

    return Validator(
        "None or the address of a Dask scheduler: a protocol, a host and a port",
        frozenset({str, type(None)}),
        problem,
    )


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


def _list_of(description: str, entry_problem: Callable[[Any], str | None]) -> Validator:
    """A list (or tuple) whose entries ``entry_problem`` judges; a bad entry is left
    out alone, with its reason."""

    def is_list(value: Any) -> bool:
        return isinstance(value, list | tuple) and not isinstance(value, str)

    def problem(value: Any) -> str | None:
        if not is_list(value):
            return "not a list"
        return next((why for item in value if (why := entry_problem(item))), None)

    def salvage(value: Any) -> tuple[Any, list[str]] | None:
        if not is_list(value):
            return None
        kept = [item for item in value if entry_problem(item) is None]
        return kept, [why for item in value if (why := entry_problem(item))]

    return Validator(description, frozenset({list, tuple}), problem, salvage)


def path_list() -> Validator:
    """A list of paths (text or ``pathlib.Path``); a bad entry is left out alone."""

    def entry_problem(item: Any) -> str | None:
        if isinstance(item, os.PathLike):
            item = os.fspath(item)
        if not isinstance(item, str) or not item.strip():
            return f"{item!r} is not a path"
        if "\0" in item:
            return f"{item!r} holds a NUL character"
        return None

    return _list_of("a list of folder paths", entry_problem)


def name_list(*, max_words: int) -> Validator:
    """A list of names, words or phrases ("Seattle", "Moore's Law"): each one a line of
    text with a letter in it and at most ``max_words`` words. A bad entry is left out
    alone."""

    def entry_problem(item: Any) -> str | None:
        if not isinstance(item, str):
            return f"{item!r} is not text"
        if not any(c.isalpha() for c in item):
            return f"{item!r} has no letter"
        if len(item.splitlines()) > 1:
            return f"{item!r} is not one line"
        if len(item.split()) > max_words:
            return f"{item[:40]!r}... has more than {max_words} words"
        return None

    return _list_of(
        f"a list of words or phrases of at most {max_words} words, such as 'Seattle' "
        'or "Moore\'s Law"',
        entry_problem,
    )


def docname_patterns() -> Validator:
    """A list of glob patterns over document names (no file suffix)."""
    suffixes = (".md", ".rst", ".ipynb", ".txt")

    def problem(value: Any) -> str | None:
        if isinstance(value, str) or not isinstance(value, list | tuple):
            return "not a list"
        bad = [item for item in value if not isinstance(item, str) or not item.strip()]
        if bad:
            return f"not text: {', '.join(map(repr, bad))}"
        with_suffix = [item for item in value if item.endswith(suffixes)]
        if with_suffix:
            return (
                f"{', '.join(map(repr, with_suffix))} ends with a file suffix; patterns "
                "match document names, which have none (write 'tutorials/*')"
            )
        return None

    return Validator(
        "a list of glob patterns over document names",
        frozenset({list, tuple}),
        problem,
    )


def _salvage_entries(
    entry_problem: Callable[[Any, Any], str | None],
) -> Callable[[Any], tuple[Any, list[str]] | None]:
    """A ``salvage`` for a dict whose entries ``entry_problem(key, item)`` judges alone."""

    def salvage(value: Any) -> tuple[Any, list[str]] | None:
        if not isinstance(value, dict):
            return None
        kept: dict[Any, Any] = {}
        problems: list[str] = []
        for key, item in value.items():
            why = entry_problem(key, item)
            if why is None:
                kept[key] = item
            else:
                problems.append(why)
        return kept, problems

    return salvage


def _first_problem(
    entry_problem: Callable[[Any, Any], str | None],
) -> Callable[[Any], str | None]:
    def problem(value: Any) -> str | None:
        if not isinstance(value, dict):
            return "not a dict"
        return next((p for k, v in value.items() if (p := entry_problem(k, v))), None)

    return problem


def dict_of(keys: str, key_allowed: Iterable[str] | None, values: Validator) -> Validator:
    """A dict from strings (``keys`` describes them; ``key_allowed`` limits them) to
    values that ``values`` accepts."""
    allowed = tuple(key_allowed) if key_allowed is not None else None

    def entry_problem(key: Any, item: Any) -> str | None:
        if not isinstance(key, str) or (allowed is not None and key not in allowed):
            return f"unknown key {key!r}"
        why = values.problem(item)
        return None if why is None else f"{key!r}: {why}"

    return Validator(
        f"a dict from {keys} to {values.accepted}",
        frozenset({dict}),
        _first_problem(entry_problem),
        _salvage_entries(entry_problem),
    )


def string_mapping(
    keys: dict[str, str],
    *,
    urls: Iterable[str] = (),
    words: dict[str, tuple[str, ...]] | None = None,
) -> Validator:
    """A dict whose keys are among ``keys`` (name -> what it is) and whose values are
    strings; the keys in ``urls`` must hold ``http(s)://`` addresses, those in
    ``words`` one of the words listed."""
    urls = tuple(urls)
    words = dict(words or {})

    def entry_problem(key: Any, item: Any) -> str | None:
        if key not in keys:
            return f"unknown key {key!r}"
        if not isinstance(item, str):
            return f"{key!r} is not a string"
        if key in urls and not item.startswith(("https://", "http://")):
            return f"{key!r} is not an http(s) address"
        if key in words and item not in words[key]:
            return f"{key!r} is none of {', '.join(map(repr, words[key]))}"
        return None

    described = ", ".join(f"{k!r} ({what})" for k, what in keys.items())
    return Validator(
        f"a dict with the keys {described}",
        frozenset({dict}),
        _first_problem(entry_problem),
        _salvage_entries(entry_problem),
    )


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


def is_http_url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    return value.startswith(_HTTP) and not any(c.isspace() for c in value)


def site_address() -> Validator:
    """``""`` (none), an ``http(s)://`` address, or a path from the site's root
    (no scheme: no colon before the first slash, no spaces)."""

    def problem(value: Any) -> str | None:
        if not isinstance(value, str):
            return "not a string"
        if value == "" or is_http_url(value):
            return None
        if any(c.isspace() for c in value):
            return "it holds spaces"
        if ":" in value.split("/")[0]:
            return "only http(s) addresses and paths from the site's root are accepted"
        return None

    return Validator(
        "an http(s) address or a path from the site's root", frozenset({str}), problem
    )


# What the placeholders stand for when a custom URL template is checked: the result
# must be an http(s) address, as it will be on every page.
_SAMPLE_PLACEHOLDERS = {
    "repository_url": "https://git.example/org/repo",
    "org": "org",
    "repo": "repo",
    "branch": "main",
    "path": "folder/page.ipynb",
    "docname": "folder/page",
}
# Placeholders that come from the repository: a link using one needs a repository.
REPOSITORY_PLACEHOLDERS = frozenset({"repository_url", "org", "repo"})


def template_placeholders(template: str) -> set[str]:
    """The ``{names}`` a custom URL template uses (the template is valid)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _custom_entry_problem(item: Any) -> str | None:
    """What is wrong with one ``custom`` launch entry, or ``None``."""
    if not isinstance(item, dict) or set(item) != {"label", "url"}:
        return "each 'custom' entry must be a dict with exactly 'label' and 'url'"
    if not isinstance(item["label"], str) or not item["label"].strip():
        return "a 'custom' label is empty or not text"
    template = item["url"]
    if not isinstance(template, str):
        return f"the 'custom' URL {template!r} is not text"
    try:
        fields = [f for f in string.Formatter().parse(template) if f[1] is not None]
    except ValueError as exc:
        return f"the 'custom' URL {template!r} is not a valid template ({exc})"
    # "{path!r}" or "{path:>9}" would put quotes or spaces in the address, and an
    # unknown one ("{path:d}") would fail only when the page is written.
    if any(spec or conversion for _, _, spec, conversion in fields):
        return (
            f"the 'custom' URL {template!r} formats a placeholder; write each as a plain {{name}}"
        )
    names = {name or "" for _, name, _, _ in fields}  # "{}" is an unknown (empty) name
    unknown = sorted(names - set(LAUNCH_PLACEHOLDERS))
    if unknown:
        return (
            f"unknown placeholder(s) {', '.join(map(repr, unknown))} in a 'custom' URL "
            f"(known: {', '.join(LAUNCH_PLACEHOLDERS)})"
        )
    # Checked once filled in, so "{repository_url}/blob/{branch}/{path}" is fine.
    if not is_http_url(template.format(**_SAMPLE_PLACEHOLDERS)):
        return (
            f"the 'custom' URL {template!r} does not give an http(s) address; start it "
            "with https://, http:// or {repository_url}"
        )
    return None


def _launch_entry_problem(key: str, value: Any) -> str | None:
    """What is wrong with one key of ``learn_launch`` (``custom`` as a whole), or ``None``."""
    if key not in LAUNCH_KEYS:
        return f"unknown key {key!r}"
    if key in ("repository", "binder", "jupyterhub") and not is_http_url(value):
        return f"{key!r} is not an http(s) address"
    if key in ("branch", "notebooks_path") and not isinstance(value, str):
        return f"{key!r} is not a string"
    if key == "colab" and not isinstance(value, bool):
        return "'colab' is not True or False"
    if key == "jupyterlite" and not (
        is_http_url(value) or (isinstance(value, str) and value and ":" not in value.split("/")[0])
    ):
        return "'jupyterlite' is neither an http(s) address nor a relative path"
    if key == "custom":
        if not isinstance(value, list | tuple):
            return "'custom' is not a list"
        return "; ".join(filter(None, map(_custom_entry_problem, value))) or None
    return None


def _salvage_launch(value: Any) -> tuple[Any, list[str]] | None:
    """Like :func:`_salvage_entries`, and within ``custom``, entry by entry."""
    salvaged = _salvage_entries(_launch_entry_problem)(value)
    if salvaged is None:
        return None
    kept, problems = salvaged
    custom = value.get("custom")
    if "custom" not in kept and isinstance(custom, list | tuple):
        kept["custom"] = [entry for entry in custom if _custom_entry_problem(entry) is None]
    return kept, problems


def launch_settings() -> Validator:
    """The ``learn_launch`` dict: a bad key or ``custom`` entry is left out alone."""
    described = ", ".join(f"{k!r} ({what})" for k, what in LAUNCH_KEYS.items())
    return Validator(
        f"a dict with the keys {described}",
        frozenset({dict}),
        _first_problem(_launch_entry_problem),
        _salvage_launch,
    )
