"""A "Copy" button on every code block of an HTML page.

Our own (``static/learn-copy.js``, under 900 bytes with its stylesheet), not
sphinx-copybutton: that one shows its buttons on hover only (and hides its focus
ring), says nothing to screen readers and ships clipboard.js, 9 KB that 2026
browsers do not need. The doctree is not changed: the script makes the buttons, so a
page without JavaScript (and every other builder) shows none. A page loads the
script when it has a code block that is not a notebook cell's output.
"""

from __future__ import annotations

from docutils import nodes

from sphinx_numpy_learn.i18n import _
from sphinx_numpy_learn.nodes_util import in_cell_output
from sphinx_numpy_learn.rich_text import is_code

SCRIPT = "learn-copy.js"


def is_copyable(node: nodes.Node) -> bool:
    """A code block a reader may copy: a code cell's input, a literal, code, doctest or
    console block (not what a cell printed)."""
    return is_code(node) and not in_cell_output(node)


def script_labels() -> dict[str, str]:
    """The script tag's translated labels (``data-learn-*``; Sphinx escapes them)."""
    return {
        "data-learn-copy": _("Copy"),
        "data-learn-copied": _("Copied"),
        "data-learn-failed": _("Could not copy: select the code and copy it"),
    }
