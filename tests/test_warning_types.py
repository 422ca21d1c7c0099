"""The ``learn.*`` warning types: one registry, the one the code uses and the docs show."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import sphinx_numpy_learn
from sphinx_numpy_learn.exercises import GateEndDirective
from sphinx_numpy_learn.log import WARNING_SUBTYPES
from sphinx_numpy_learn.tutorial import PROBLEM_SUBTYPES

from .conftest import soup_of

PACKAGE = Path(sphinx_numpy_learn.__file__).parent


def subtypes_in_code() -> dict[str, list[str]]:
    """Each literal ``subtype=...`` of a call in the package -> where it is (file:line)."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg == "subtype" and isinstance(keyword.value, ast.Constant):
                    where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
                    found.setdefault(keyword.value.value, []).append(where)
    return found


def dynamic_subtypes() -> set[str]:
    """Subtypes the code passes as variables: the metadata problems' kinds and the
    ``exercise-end``/``solution-end`` gates' kinds."""
    gates = {directive.kind for directive in GateEndDirective.__subclasses__()}
    return set(PROBLEM_SUBTYPES.values()) | gates


def test_every_subtype_the_code_uses_is_documented():
    used = subtypes_in_code()
    assert used, "no subtype=... calls found: the scan is broken"
    undocumented = {name: where for name, where in used.items() if name not in WARNING_SUBTYPES}
    assert not undocumented, f"add these to log.WARNING_SUBTYPES: {undocumented}"
    assert dynamic_subtypes() <= set(WARNING_SUBTYPES)


def test_every_documented_subtype_is_used():
    used = set(subtypes_in_code()) | dynamic_subtypes()
    assert set(WARNING_SUBTYPES) - used == set()


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_the_reference_table_lists_every_type(app):
    (app.srcdir / "warnings.rst").write_text(
        ":orphan:\n\nWarnings\n========\n\n.. learn-warning-types::\n", encoding="utf-8"
    )
    app.build()
    rows = soup_of(app, "warnings").select("table.learn-warning-types tbody tr")
    shown = [row.select_one("td code").get_text() for row in rows]
    assert shown == [f"learn.{subtype}" for subtype in WARNING_SUBTYPES]
    # The help text's ``code`` markup is parsed, not shown as backquotes.
    metadata_row = rows[0].get_text(" ", strip=True)
    assert "tutorial" in metadata_row
    assert "``" not in metadata_row
