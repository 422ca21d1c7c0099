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

SCRIPT = "learn-copy.js"


def _is_output(node: nodes.Element) -> bool:
    """Inside a MyST-NB cell's output (``<container classes="cell_output">``)."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.Element) and "cell_output" in parent.get("classes", ()):
            return True
        parent = parent.parent
    return False


def is_copyable(node: nodes.Node) -> bool:
    """A code block a reader may copy: a code cell's input, a literal, code, doctest or
    console block (not a cell's output)."""
    return isinstance(node, nodes.literal_block | nodes.doctest_block) and not _is_output(node)


def script_labels() -> dict[str, str]:
    """The script tag's translated labels (``data-learn-*``; Sphinx escapes them)."""
    return {
        "data-learn-copy": _("Copy"),
        "data-learn-copied": _("Copied"),
        "data-learn-failed": _("Could not copy: select the code and copy it"),
    }
