"""The package's layout: modules short enough to read, private APIs in one place."""

from __future__ import annotations

import ast
from pathlib import Path

import sphinx_numpy_learn

PACKAGE = Path(sphinx_numpy_learn.__file__).parent
MAX_LINES = 600
# Our own private names read from another of our modules (none today); a private
# name of Sphinx, docutils, MyST-NB or nbclient belongs in _compat.py.
OWN_PRIVATE_READS: set[tuple[str, str]] = set()


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_module_is_longer_than_600_lines():
    long = {
        str(path.relative_to(PACKAGE)): n
        for path in modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"split these modules (over {MAX_LINES} lines): {long}"


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name != "_"


def private_reads(tree: ast.AST) -> list[tuple[int, str, str]]:
    """``(line, object, name)`` of each private attribute read on something that is
    not ``self`` or ``cls``, by attribute, ``getattr``/``hasattr``/``setattr``, or
    ``from x import _name`` of another package."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            base = ast.unparse(node.value)
            if base not in {"self", "cls"}:
                found.append((node.lineno, base, node.attr))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"getattr", "hasattr", "setattr", "delattr"}
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _private(node.args[1].value)
        ):
            found.append((node.lineno, ast.unparse(node.args[0]), node.args[1].value))
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module
            and not node.module.startswith("sphinx_numpy_learn")
        ):
            found.extend(
                (node.lineno, node.module, alias.name)
                for alias in node.names
                if _private(alias.name)
            )
    return found


def test_private_apis_are_read_in_compat_only():
    outside = [
        f"{path.relative_to(PACKAGE)}:{line}: {base}.{name}"
        for path in modules()
        if path.name != "_compat.py"
        for line, base, name in private_reads(ast.parse(path.read_text(encoding="utf-8")))
        if (base, name) not in OWN_PRIVATE_READS
    ]
    assert not outside, "read these through sphinx_numpy_learn._compat:\n" + "\n".join(outside)


def test_the_walk_finds_private_reads():
    source = (
        "from docutils.parsers.rst import directives\n"
        "from nbclient.client import _private\n"
        "names = directives._directive_registry\n"
        "cleanup = getattr(client, '_cleanup_kernel')\n"
        "self._mine = cls._ours = None\n"
    )
    assert [name for _line, _base, name in private_reads(ast.parse(source))] == [
        "_private",
        "_directive_registry",
        "_cleanup_kernel",
    ]
