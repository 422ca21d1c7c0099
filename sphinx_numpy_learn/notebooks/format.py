"""Reading ``.ipynb`` files of any nbformat version, and saying what is wrong with one.

nbformat reads every version and upgrades older ones (nbformat 3 with its
``worksheets``, 4.0 to 4.4) to the current 4.5. But it only logs a notebook that
breaks the schema, and a broken structure (a ``source`` list holding a number,
``outputs`` that are not a list, a cell without ``cell_type``) then fails later with
a ``TypeError`` deep inside a reader. The build and ``check`` both validate a
notebook here first, with nbformat's own schema, and report the first violation in
one line, with its cell.

Unknown keys, the cell ids and execution counts that readers fill in, and what
``metadata`` holds are accepted (but for a wrong type where MyST-NB and nbclient
look, such as ``tags`` that are not a list): what MyST-NB builds, the checker reads.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import ValidationError
    from nbformat import NotebookNode

# Words for JSON Schema types, as a notebook's author knows them.
TYPE_WORDS = {
    "string": "text",
    "array": "a list",
    "object": "a mapping",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


# Metadata that MyST-NB, nbclient or the build read: a value of the wrong type there
# breaks them (paths within the notebook, and within a cell; "*": any item).
READ_NOTEBOOK_METADATA = {
    ("metadata", "kernelspec"),
    ("metadata", "kernelspec", "name"),
    ("metadata", "language_info"),
    ("metadata", "language_info", "name"),
    ("metadata", "language_info", "pygments_lexer"),
}
READ_CELL_METADATA = {("metadata", "tags"), ("metadata", "tags", "*")}


class NotebookProblem(Exception):
    """Why a notebook cannot be read: one line, with the cell and the file line."""

    def __init__(self, message: str, cell: int | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.cell = cell
        """0-based index of the cell in the (upgraded) notebook."""
        self.line = line

    @property
    def described(self) -> str:
        """The message, with the cell it is about."""
        return f"cell {self.cell + 1}: {self.message}" if self.cell is not None else self.message


def read_ipynb(text: str) -> NotebookNode:
    """The notebook in ``text``, upgraded to nbformat 4 (in nbformat's own
    ``NotebookNode`` class); :class:`NotebookProblem` when it cannot be read."""
    import nbformat

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookProblem(
            f"it is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})",
            line=exc.lineno,
        ) from None
    problem = structure_problem(data)
    if problem is not None:
        if problem.cell is not None:
            problem.line = cell_line(text, problem.cell)
        raise problem
    major, minor = data["nbformat"], data.get("nbformat_minor", 0)
    try:
        notebook = nbformat.versions[major].to_notebook_json(data, minor=minor)
        notebook = nbformat.from_dict(nbformat.convert(notebook, 4))
    except Exception as exc:  # the schema allowed it, the upgrade did not
        raise NotebookProblem(
            f"nbformat cannot upgrade it from nbformat {major}.{minor}: "
            f"{type(exc).__name__}: {exc}"
        ) from None
    check_version(notebook)
    return notebook


def check_version(notebook: Any) -> None:
    """Refuse a notebook newer than nbformat knows: nbformat leaves it as it is, and
    jupyter-cache (the build's and MyST-NB's) fails on it with a traceback."""
    import nbformat

    version = (notebook.get("nbformat"), notebook.get("nbformat_minor", 0))
    newest = (nbformat.current_nbformat, nbformat.current_nbformat_minor)
    if all(isinstance(part, int) for part in version) and version > newest:
        raise NotebookProblem(
            f"its format, nbformat {version[0]}.{version[1]}, is newer than the installed "
            f"nbformat {nbformat.__version__} reads ({newest[0]}.{newest[1]} at most)"
        )


def structure_problem(data: Any) -> NotebookProblem | None:
    """The first way parsed notebook JSON breaks nbformat's schema for its version,
    or ``None``. Unknown keys, missing cell ids and execution counts, and what
    ``metadata`` mappings hold pass."""
    import nbformat
    from nbformat.validator import get_validator

    if not isinstance(data, dict):
        return NotebookProblem(f"it is {_kind(data)}, not a notebook (a JSON object)")
    major = data.get("nbformat")
    if isinstance(major, bool) or not isinstance(major, int):
        if "nbformat" not in data:
            return NotebookProblem("it has no 'nbformat' version: it is not a notebook")
        return NotebookProblem(f"its 'nbformat' version must be a whole number, not {major!r}")
    minor = data.get("nbformat_minor", 0)
    if isinstance(minor, bool) or not isinstance(minor, int):
        return NotebookProblem(
            f"its 'nbformat_minor' version must be a whole number, not {minor!r}"
        )
    try:
        check_version(data)
    except NotebookProblem as problem:
        return problem
    if major not in nbformat.versions:
        return NotebookProblem(f"nbformat {major} is not a notebook format")
    # Relaxed: unknown keys pass. The fast validator gives the verdict; jsonschema,
    # only for a notebook that has a violation, the details.
    fast = get_validator(major, minor, relax_add_props=True)
    if fast is None:
        return None  # nbformat 1 and 2 have no schema: nbformat upgrades them or says why
    checked = _with_reader_defaults(data)
    if next(iter(fast.iter_errors(checked)), None) is None:
        return None
    detailed = get_validator(major, minor, relax_add_props=True, name="jsonschema")
    for error in detailed.iter_errors(checked):
        for specific, path in _specific_errors(error, list(error.absolute_path)):
            if not _tolerated(specific, path, data):
                return _problem(specific, path, data)
    return None


def _specific_errors(
    error: ValidationError, path: list[Any]
) -> Iterator[tuple[ValidationError, list[Any]]]:
    """The errors that say what is wrong, with their paths from the notebook's root.

    "Not valid under any of the given schemas" says nothing: a cell (or output) is
    checked against the alternative its ``cell_type`` (``output_type``) names; a
    value with no such key, against the alternative that went deepest (a ``source``
    list's item that is not text)."""
    if error.validator not in {"oneOf", "anyOf"} or not error.context:
        yield error, path
        return
    chosen = _named_alternative(error)
    if chosen is not None:
        for sub in error.context:
            if sub.relative_schema_path and sub.relative_schema_path[0] == chosen:
                yield from _specific_errors(sub, path + list(sub.relative_path))
        return
    deeper = max(error.context, key=lambda sub: len(sub.relative_path))
    if deeper.relative_path and not _names_a_kind(error.instance):
        yield from _specific_errors(deeper, path + list(deeper.relative_path))
    else:
        yield error, path


def _names_a_kind(instance: Any) -> bool:
    return isinstance(instance, dict) and ("cell_type" in instance or "output_type" in instance)


def _named_alternative(error: ValidationError) -> int | None:
    instance = error.instance
    if not isinstance(instance, dict):
        return None
    names = {f"{instance.get('cell_type')}_cell", str(instance.get("output_type"))}
    for index, alternative in enumerate(error.validator_value):
        ref = alternative.get("$ref", "") if isinstance(alternative, dict) else ""
        if ref.rpartition("/")[2] in names:
            return index
    return None


def _tolerated(error: ValidationError, path: list[Any], data: dict[str, Any]) -> bool:
    """What lies within a ``metadata`` mapping is the notebook's own business (a
    kernelspec without ``display_name`` still runs), but for a wrong type where the
    readers look: MyST-NB and nbclient fail on ``tags`` that are not a list."""
    cell, rest = _cell_of(path, data)
    if "metadata" not in rest[:-1]:
        return False  # not within a metadata mapping (perhaps the mapping itself)
    if error.validator != "type":
        return True
    inner = tuple("*" if isinstance(part, int) else part for part in rest)
    return inner not in (READ_CELL_METADATA if cell is not None else READ_NOTEBOOK_METADATA)


def _with_reader_defaults(data: dict[str, Any]) -> dict[str, Any]:
    """A shallow copy with what nbformat and nbclient add themselves (a cell id, a
    code cell's execution count), so that their absence is not a violation."""
    cells = data.get("cells")
    if data.get("nbformat") != 4 or not isinstance(cells, list):
        return data
    with_ids = data.get("nbformat_minor", 0) >= 5
    filled = []
    for number, cell in enumerate(cells, start=1):
        if isinstance(cell, dict):
            cell = {"id": f"cell-{number}", **cell} if with_ids else dict(cell)
            if cell.get("cell_type") == "code":
                cell.setdefault("execution_count", None)
        filled.append(cell)
    return {**data, "cells": filled}


def _problem(error: ValidationError, path: list[Any], data: dict[str, Any]) -> NotebookProblem:
    cell, rest = _cell_of(path, data)
    where = _path_words(rest) or ("the cell" if cell is not None else "the notebook")
    instance = error.instance
    alternatives = list(error.context or [])
    if error.validator == "type" or (
        alternatives and all(sub.validator == "type" for sub in alternatives)
    ):
        # One type, or a choice of types (text, or a list of lines).
        names: list[str] = []
        for sub in alternatives or [error]:
            expected = sub.validator_value
            names += expected if isinstance(expected, list) else [expected]
        wanted = " or ".join(dict.fromkeys(TYPE_WORDS.get(name, name) for name in names))
        message = f"{where} must be {wanted}, not {_kind(instance)}"
    elif error.validator == "required" and isinstance(instance, dict):
        missing = [name for name in error.validator_value if name not in instance]
        message = f"{where} has no {missing[0]!r}" if missing else error.message
    elif error.validator in {"oneOf", "anyOf"} and isinstance(instance, dict):
        key = "output_type" if "output_type" in instance or rest else "cell_type"
        kind = instance.get(key)
        if kind is None:
            message = f"{where} has no {key!r}"
        else:
            message = f"{where} has an unknown {key!r}: {_short(repr(kind), 40)}"
    elif error.validator == "enum":
        message = f"{where} must be one of {', '.join(map(repr, error.validator_value))}"
    else:
        message = f"{where} is not valid: {_short(error.message)}"
    return NotebookProblem(message, cell)


def _cell_of(path: list[Any], data: dict[str, Any]) -> tuple[int | None, list[Any]]:
    """The cell a schema path points into (its index once worksheets are flattened,
    as nbformat does when it upgrades nbformat 3) and the rest of the path."""
    if len(path) >= 2 and path[0] == "cells" and isinstance(path[1], int):
        return path[1], path[2:]
    if len(path) >= 4 and path[0] == "worksheets" and path[2] == "cells":
        sheets = data.get("worksheets") or []
        before = sum(
            len(sheet.get("cells") or [])
            for sheet in sheets[: path[1]]
            if isinstance(sheet, dict) and isinstance(sheet.get("cells"), list)
        )
        return before + path[3], path[4:]
    return None, path


def _path_words(path: Sequence[Any]) -> str:
    """``source[0]``, ``metadata.kernelspec.name``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return f"'{text}'" if text else ""


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def cell_line(text: str, index: int) -> int | None:
    found = cell_source_lines(text)
    return found[index] if index < len(found) else None


def cell_source_lines(source: str) -> list[int | None]:
    """Per cell, the file line where its source text starts (nbformat's layout: one
    ``"cell_type"`` key per cell, its ``"source"`` list after it, a line per item; an
    nbformat 3 code cell has ``"input"`` instead)."""
    found: list[int | None] = []
    current: int | None = None
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith('"cell_type"'):
            if current is not None:
                found.append(None)  # the previous cell had no source we could place
            current = number
        elif current is not None and stripped.startswith(('"source"', '"input"')):
            inline = not stripped.rstrip(",").endswith("[")
            found.append(number if inline else number + 1)
            current = None
    if current is not None:
        found.append(None)
    return found
