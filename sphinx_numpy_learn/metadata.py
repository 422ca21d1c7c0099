"""Tutorial metadata: the published JSON Schema, and the three ways to declare it.

A tutorial's metadata comes from, in order of precedence:

1. the ``tutorial`` directive (rST or MyST; options are text, converted here);
2. the ``learn:`` key of the page's front matter (MyST Markdown, MyST notebooks,
   or the notebook metadata of an ``.ipynb``);
3. the page itself, when it follows the NumPy tutorial style guide: its opening
   sections "What you'll do", "What you'll learn", "What you'll need" and
   "Learner profile" (and their common variants) fill ``outcome``, ``objectives``,
   ``needs`` and ``audience_description`` (:mod:`sphinx_numpy_learn.derive`); a
   closing "Key points" (or "Recap", "Summary" ...) section fills ``keypoints``.

Everything here works on plain data and reports :class:`Problem` objects with a
line number; :mod:`sphinx_numpy_learn.tutorial` turns them into warnings.
"""

from __future__ import annotations

import copy
import difflib
import json
import posixpath
import re
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from sphinx_numpy_learn import derive
from sphinx_numpy_learn.records import Prerequisite

SCHEMA_PATH = Path(__file__).parent / "schemas" / "tutorial-metadata.schema.json"
LIST_FIELDS = ("prerequisites", "objectives", "needs", "keypoints", "tags", "inputs")
# Fields that tell the build how to run a notebook; they do not make a page a tutorial.
EXECUTION_FIELDS = ("inputs", "timeout")
FRONT_MATTER_KEY = "learn"
# LibYAML's loader when PyYAML was built with it: the same results, ten times faster.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# What loading YAML can raise: PyYAML lets ValueError out for some scalars (a date
# like 2021-99-99, an integer of more than 4300 digits), and deep nesting recurses.
YAML_ERRORS = (yaml.YAMLError, ValueError, RecursionError)


# Front matter that ``shared_safe_load`` read, text -> data (LibYAML's, never handed out).
_LOADED: dict[str, Any] = {}
_LOADED_LIMIT = 1024  # texts: a page's front matter is asked for a few times in a row
_PURE_SAFE_LOAD = yaml.safe_load


def shared_safe_load(stream: Any) -> Any:
    """``yaml.safe_load`` for MyST-Parser and MyST-NB, which parse a page's front matter
    with PyYAML's pure-Python loader three times (MyST-NB's notebook check, then
    MyST-Parser's settings and its page metadata): each text is read once, with LibYAML,
    and every caller gets its own copy.

    Anything LibYAML does not read, or that holds characters PyYAML's reader rejects, is
    left to the pure-Python loader, so an error is the one it reports, word for word.
    Installed by :func:`sphinx_numpy_learn._compat.share_yaml_safe_load`."""
    if not isinstance(stream, str) or yaml.reader.Reader.NON_PRINTABLE.search(stream):
        return _PURE_SAFE_LOAD(stream)
    try:
        data = _LOADED[stream]
    except KeyError:
        try:
            data = yaml.load(stream, Loader=YAML_LOADER)
        except YAML_ERRORS:
            return _PURE_SAFE_LOAD(stream)
        if len(_LOADED) >= _LOADED_LIMIT:
            _LOADED.clear()
        _LOADED[stream] = data
    return copy.deepcopy(data)


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _validator() -> Draft202012Validator:
    # The schema is ours: tests/test_tutorials.py checks it once, not every build.
    return Draft202012Validator(schema())


def field_names() -> tuple[str, ...]:
    return tuple(schema()["properties"])


def tutorial_field_names() -> tuple[str, ...]:
    """The fields that describe a tutorial (not how its notebook runs)."""
    return tuple(name for name in field_names() if name not in EXECUTION_FIELDS)


@dataclass
class Problem:
    message: str
    line: int | None = None
    kind: str = "metadata"
    """What is wrong: ``metadata`` (the schema), ``level``, ``required`` or
    ``prerequisite``; the build and ``check`` each name it in their own terms."""


@dataclass
class Declared:
    """Metadata as one source declared it, before merging."""

    source: str
    """``directive``, ``front-matter`` or ``headings``."""
    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    """Source line of each field, where known."""
    line: int | None = None
    """Line of the declaration itself (the directive, the ``learn:`` key)."""
    problems: list[Problem] = field(default_factory=list)
    unreadable: bool = False
    """The declaration could not be read at all (broken YAML, not a mapping)."""


# -- Validation ---------------------------------------------------------------------


def shown(value: Any, limit: int = 60) -> str:
    """A value as a message quotes it: its ``repr``, cut short when long (a 10,000
    character title must not make a 10,000 character warning)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _type_words(expected: Any) -> str:
    words = {
        "integer": "a whole number",
        "string": "text",
        "array": "a list",
        "object": "a mapping",
    }
    if isinstance(expected, list):
        return " or ".join(words.get(e, str(e)) for e in expected)
    return words.get(expected, str(expected))


def validate(declared: Declared) -> Declared:
    """Check ``declared.values`` against the schema; drop (and report) invalid fields."""
    values = dict(declared.values)
    for name in LIST_FIELDS:
        if isinstance(values.get(name), str):
            values[name] = [values[name]]  # one item may be written without a list
    problems = list(declared.problems)
    bad_fields: set[str] = set()
    known = field_names()
    for error in sorted(_validator().iter_errors(values), key=lambda e: list(e.absolute_path)):
        path = list(error.absolute_path)
        if error.validator == "additionalProperties" and not path:
            for name in sorted(set(values) - set(known)):
                close = difflib.get_close_matches(name, known, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                problems.append(
                    Problem(
                        f"unknown tutorial metadata field {shown(name)} (known fields: "
                        f"{', '.join(known)}){hint}",
                        declared.lines.get(name, declared.line),
                    )
                )
                bad_fields.add(name)
            continue
        name = str(path[0]) if path else ""
        where = name + "".join(f"[{p}]" for p in path[1:])
        got = shown(error.instance)
        if error.validator == "type":
            detail = f"expected {_type_words(error.validator_value)}, got {got}"
        elif error.validator == "anyOf" and name == "prerequisites":
            detail = (
                f"expected a document name or a mapping with 'title' and an http(s) "
                f"'url', got {got}"
            )
        elif error.validator == "enum":
            allowed = ", ".join(map(str, error.validator_value))
            detail = f"expected one of {allowed}, got {got}"
        elif error.validator in {"minimum", "maximum"}:
            low, high = (1, 86400) if name == "timeout" else (1, 1440)
            unit = "seconds" if name == "timeout" else "minutes"
            detail = f"expected {unit} between {low} and {high}, got {got}"
        elif error.validator == "minLength":
            detail = "expected text, got an empty value"
        elif error.validator == "maxLength":
            limit = error.validator_value
            detail = f"expected at most {limit} characters, got {len(error.instance)}: {got}"
        elif error.validator == "uniqueItems":
            detail = f"expected each item once, got {got}"
        else:
            detail = shown(error.message, 200)
        problems.append(
            Problem(f"invalid tutorial metadata {where!r}: {detail}", declared.lines.get(name))
        )
        bad_fields.add(name)
    clean = {k: v for k, v in values.items() if k not in bad_fields and k in known}
    return Declared(
        declared.source, clean, declared.lines, declared.line, problems, declared.unreadable
    )


# -- Front matter -----------------------------------------------------------------------


def _front_matter_text(source: str) -> tuple[str, int] | None:
    """The YAML between the opening and closing ``---`` and its first line number."""
    lines = source.splitlines()
    if not lines or lines[0].rstrip() != "---":
        return None
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() in {"---", "..."}:
            return "\n".join(lines[1:index]), 2
    return None


def pure_python_error(text: str) -> Exception | None:
    """The error PyYAML's pure-Python loader reports: its marks point at the culprit,
    where LibYAML's may point at the end of the block."""
    try:
        yaml.safe_load(text)
    except YAML_ERRORS as exc:
        return exc
    return None


def _key_lines(node: yaml.Node, first_line: int) -> dict[str, int]:
    """File line of each key of the mapping ``node``."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        str(key.value): key.start_mark.line + first_line
        for key, _value in node.value
        if isinstance(key, yaml.ScalarNode)
    }


def from_front_matter(source: str, docname_suffix: str) -> Declared | None:
    """The ``learn:`` block of a page's front matter (``None`` when there is none)."""
    if docname_suffix == ".ipynb":
        return _from_notebook_json(source)
    block = _front_matter_text(source)
    if block is None:
        return None
    text, first_line = block
    try:
        # One parse: compose (for line numbers), then construct from the same nodes.
        loader = YAML_LOADER(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except YAML_ERRORS as fast_error:
        if f"{FRONT_MATTER_KEY}:" not in text:
            return None  # not ours; MyST reports broken front matter itself
        exc = pure_python_error(text) or fast_error
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + first_line if mark is not None else first_line - 1
        problem = getattr(exc, "problem", None) or str(exc)
        return Declared(
            "front-matter",
            line=line,
            problems=[Problem(f"front matter is not valid YAML: {problem}", line)],
            unreadable=True,
        )
    # (A mapping's data comes from a mapping node: the check tells the type checker.)
    if not isinstance(data, dict) or FRONT_MATTER_KEY not in data:
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    learn_line = _key_lines(root, first_line).get(FRONT_MATTER_KEY)
    learn_node = next(
        (v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "learn"),
        None,
    )
    value = data[FRONT_MATTER_KEY]
    if value is None:
        return Declared("front-matter", line=learn_line)
    if not isinstance(value, dict):
        return Declared(
            "front-matter",
            line=learn_line,
            problems=[
                Problem(
                    f"the {FRONT_MATTER_KEY!r} front matter must be a mapping of fields, "
                    f"got {shown(value)}",
                    learn_line,
                )
            ],
            unreadable=True,
        )
    lines = _key_lines(learn_node, first_line) if learn_node is not None else {}
    return Declared("front-matter", {str(k): v for k, v in value.items()}, lines, learn_line)


def _from_notebook_json(source: str) -> Declared | None:
    try:
        notebook = json.loads(source)
    except ValueError:
        return None  # MyST-NB reports unreadable notebooks
    metadata = notebook.get("metadata") if isinstance(notebook, dict) else None
    if not isinstance(metadata, dict) or FRONT_MATTER_KEY not in metadata:
        return None
    value = metadata[FRONT_MATTER_KEY]
    if not isinstance(value, dict):
        return Declared(
            "front-matter",
            problems=[Problem(f"notebook metadata {FRONT_MATTER_KEY!r} must be a mapping")],
            unreadable=True,
        )
    return Declared("front-matter", dict(value))


# -- Directive options --------------------------------------------------------------------

_LINK = re.compile(r"^(?P<title>.+?)\s*<(?P<url>[^<>\s]+)>$")


def _lines(text: str) -> list[str]:
    if text.startswith("[") and text.endswith("]"):
        # A YAML flow list, as MyST writers may type it: [one, two]
        try:
            items = yaml.safe_load(text)
        except yaml.YAMLError:
            items = None
        if isinstance(items, list):
            return [str(item).strip() for item in items if str(item).strip()]
    return [line.strip().removeprefix("- ").strip() for line in text.splitlines() if line.strip()]


def from_options(options: Mapping[str, str | None], line: int) -> Declared:
    """Convert the text options of the ``tutorial`` directive to metadata values."""
    values: dict[str, Any] = {}
    for name, raw in options.items():
        text = (raw or "").strip()
        if name == "duration":
            digits = text.removesuffix("min").removesuffix("minutes").strip()
            # isdecimal, not isdigit: int() refuses digits such as "²"; and a number
            # too long for int() is no duration either (the schema says so).
            values[name] = int(digits) if digits.isdecimal() and len(digits) < 100 else text
        elif name == "tags":
            text = text.strip("[]")
            values[name] = [t.strip() for t in re.split(r"[,\n]", text) if t.strip()]
        elif name == "prerequisites":
            items: list[Any] = []
            for item in _lines(text):
                match = _LINK.match(item)
                if match and "://" in match["url"]:
                    items.append({"title": match["title"], "url": match["url"]})
                else:
                    items.append(item)
            values[name] = items
        elif name in LIST_FIELDS:
            values[name] = _lines(text)
        else:
            values[name] = text
    return Declared("directive", values, dict.fromkeys(values, line), line)


# -- Style-guide headings -----------------------------------------------------------------

# The opening headings and how they are judged live in derive, shared with ``check``.
HEADING_FIELDS = derive.HEADING_FIELDS
normal_heading = derive.normal_heading
heading_field = derive.heading_field


def from_opening(opening: derive.Opening) -> tuple[Declared, dict[str, Any]]:
    """What the opening sections declare, and the rich text of each field
    (:mod:`sphinx_numpy_learn.derive`)."""
    values, rich, lines = derive.field_values(opening)
    return Declared("headings", values, lines), rich


def from_closing(parts: Sequence[derive.Part]) -> tuple[Declared, dict[str, Any], bool]:
    """What the page's own key points section declares, its rich text, and whether
    the page has such a section at all (then no "Key points" box repeats it)."""
    part = derive.find_keypoints(parts)
    values, rich = derive.keypoints_values(part)
    if not values or part is None:
        return Declared("headings"), {}, part is not None
    lines = {"keypoints": part.line} if part.line else {}
    return Declared("headings", {"keypoints": values}, lines), {"keypoints": rich}, True


# -- What makes a page a tutorial --------------------------------------------------------


def merge(sources: list[Declared]) -> tuple[dict[str, Any], dict[str, str], dict[str, int]]:
    """Field by field, the first source that sets it wins (directive, front matter, headings).

    Returns the values, the source of each, and the line of each where known.
    """
    values: dict[str, Any] = {}
    origin: dict[str, str] = {}
    lines: dict[str, int] = {}
    for declared in sources:
        for name, value in declared.values.items():
            if name not in values:
                values[name] = value
                origin[name] = declared.source
                line = declared.lines.get(name, declared.line)
                if line:
                    lines[name] = line
    return values, origin, lines


def declares_metadata(explicit: list[Declared]) -> bool:
    """Whether a page declares tutorial metadata: a ``tutorial`` directive, or a
    ``learn:`` block that says more than how to run the notebook.

    ``explicit`` holds the validated, readable declarations of the page.
    """
    return any(
        d.source == "directive" or not d.values or set(d.values) - set(EXECUTION_FIELDS)
        for d in explicit
    )


def matching_pattern(patterns: Sequence[str], docname: str) -> str | None:
    """The first of ``learn_tutorial_patterns`` that ``docname`` matches (Sphinx's
    glob rules, as in ``exclude_patterns``: ``*`` stays within a folder, ``**`` does not)."""
    from sphinx.util.matching import patmatch

    return next((pattern for pattern in patterns if patmatch(docname, pattern)), None)


def value_problems(
    docname: str,
    values: dict[str, Any],
    lines: dict[str, int],
    declared_line: int | None,
    *,
    tiers: list[str],
    required_fields: list[str],
    docnames: Set[str],
    source_suffixes: list[str],
) -> tuple[list[Problem], list[Prerequisite]]:
    """What is wrong with a tutorial's merged metadata beyond the schema (an unknown
    level, a missing required field, a prerequisite that is not a document), and its
    prerequisites resolved: ``{"doc", "line"}`` or ``{"title", "url"}``."""
    problems: list[Problem] = []
    level = values.get("level")
    if level is not None and level not in tiers:
        close = difflib.get_close_matches(str(level), tiers, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        problems.append(
            Problem(
                f"unknown level {shown(level)}; known levels: {', '.join(tiers)}{hint}",
                lines.get("level", declared_line),
                "level",
            )
        )
    for name in required_fields:
        if name not in values:
            problems.append(
                Problem(
                    f"tutorial metadata is missing {name!r}, which learn_required_fields requires",
                    declared_line,
                    "required",
                )
            )
    line = lines.get("prerequisites", declared_line)
    resolved: list[Prerequisite] = []
    for item in values.get("prerequisites", []):
        if isinstance(item, dict):
            resolved.append({"title": item["title"], "url": item["url"]})
            continue
        doc = resolve_doc_name(docname, item, source_suffixes)
        if doc not in docnames:
            hint = ""
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", item.strip()):
                hint = "; to link to another site, write a mapping with 'title' and 'url'"
            problems.append(
                Problem(
                    f"prerequisite {shown(item)} is not a document of this project{hint}",
                    line,
                    "prerequisite",
                )
            )
        elif doc == docname:
            problems.append(
                Problem("a tutorial cannot be its own prerequisite", line, "prerequisite")
            )
        else:
            resolved.append({"doc": doc, "line": line})
    return problems, resolved


def resolve_doc_name(docname: str, target: str, source_suffixes: list[str]) -> str:
    """The document a prerequisite names, written as for the ``doc`` role."""
    target = target.strip()
    for suffix in source_suffixes:
        target = target.removesuffix(suffix)
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(docname), target))


def prerequisite_cycles(graph: Mapping[str, list[str]]) -> list[list[str]]:
    """Groups of documents whose prerequisites form a cycle (strongly connected).

    ``graph`` maps each tutorial to the tutorials it requires; every target must be
    a key.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(start: str) -> None:
        # Iterative Tarjan: deep prerequisite chains must not hit the recursion limit.
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in graph[node]:
                        found.append(sorted(component))

    for docname in sorted(graph):
        if docname not in index:
            visit(docname)
    return sorted(found)
