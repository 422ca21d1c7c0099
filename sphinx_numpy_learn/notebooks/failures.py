"""A failing cell, told from the writer's side: the line of *their* code first.

A cell that fails inside a library (``np.loadtxt`` of a missing file, a network call)
has a traceback whose last frames are all the library's. This module reads the
kernel's error output into the innermost frame of the cell (the writer's failing
line, IPython's arrow on it) and the last library frames, places that line in the
source file (the ``.md`` line of a MyST notebook, the JSON line of an ``.ipynb``),
and shortens the build machine's paths (``~/...``, ``<venv>/.../numpy/...``) so that
the log, the report and the page show the same short, private-enough text.

On the page of a failed notebook, the failing cell's traceback output becomes a
compact box (:class:`execution_failure`): the exception, the failing line, and the
full traceback in a closed disclosure (HTML ``<details>``; other builders plain text).
"""

from __future__ import annotations

import os
import re
import sys
import sysconfig
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_numpy_learn.i18n import _
from sphinx_numpy_learn.nodes_util import add_node_everywhere, like
from sphinx_numpy_learn.untrusted import printable

if TYPE_CHECKING:
    from nbformat import NotebookNode
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

    from sphinx_numpy_learn.records import ExecutionRecord

LIBRARY_FRAMES = 3
"""Library frames the log shows after the cell's own frame."""

_BANNER = re.compile(r"^\S+\s+Traceback \(most recent call last\)\s*$")
# IPython 8.5+: "Cell In[2], line 4" (", in f(x)" inside a function of the cell);
# IPython 8.0-8.4: "Input In [2], in <cell line: 4>()".
_CELL_FRAME = re.compile(
    r"^\s*(?:Cell In ?\[[^\]]*\], line (?P<line>\d+)|Input In ?\[[^\]]*\], in .*?<cell line: "
    r"(?P<old>\d+)>)"
)
_LIBRARY_FRAME = re.compile(r"^\s*File \S")
_MARKED = re.compile(r"^\s*-+>\s*(?P<line>\d+)\s?(?P<code>.*)$")


# -- Paths of the build machine --------------------------------------------------------------


@cache
def _prefixes() -> tuple[tuple[str, str], ...]:
    """What :func:`shorten_paths` replaces, longest first: the environment's
    ``site-packages`` (``<venv>/...``), the virtual environment itself, the home folder."""
    in_env = (
        sys.prefix != sys.base_prefix
        or bool(os.environ.get("VIRTUAL_ENV"))
        or os.environ.get("CONDA_PREFIX") == sys.prefix
    )
    found: dict[str, str] = {}
    for key in ("purelib", "platlib"):
        with_packages = sysconfig.get_paths().get(key)
        if with_packages and in_env:
            found[with_packages] = "<venv>/\u2026"
    if in_env:
        found[sys.prefix] = "<venv>"
    home = os.path.expanduser("~")
    if home and home not in {"~", os.sep}:
        found[home] = "~"
    return tuple(sorted(found.items(), key=lambda item: len(item[0]), reverse=True))


def _literally(replacement: str) -> Callable[[re.Match[str]], str]:
    return lambda _match: replacement


def shorten_paths(text: str) -> str:
    """``text`` with the build machine's home and virtual environment shortened:
    ``~/...`` and ``<venv>/.../numpy/lib/_npyio_impl.py``."""
    for prefix, short in _prefixes():
        # A function, not a template: a Windows user name may hold a backslash.
        text = re.sub(re.escape(prefix) + r"(?=[/\\])", _literally(short), text)
    return text


# -- The kernel's error output ----------------------------------------------------------------


@dataclass
class CellError:
    """A cell's error output, read for the writer."""

    name: str
    value: str
    cell_line: int | None = None
    """The failing line in the cell (1-based): the innermost frame of the cell."""
    code: str = ""
    """That line's code."""
    frames: list[str] = field(default_factory=list)
    """What the log shows: the innermost frame of the cell, then the last library frames."""
    traceback: str = ""
    """The whole traceback, for the page's disclosure."""

    @property
    def summary(self) -> str:
        return f"{self.name}: {self.value}" if self.value else self.name


def _clean(text: str) -> str:
    return shorten_paths(printable(str(text))).rstrip()


def read_error_output(output: dict[str, Any]) -> CellError:
    """The writer's view of one ``error`` output of a cell."""
    name = _clean(output.get("ename") or "Error")
    value = _clean(output.get("evalue") or "")
    frames = [_clean(frame) for frame in output.get("traceback") or []]
    full = "\n".join(frames)
    # IPython ends with "Name: value" and starts with a banner: keep the frames.
    if frames and frames[-1].strip().startswith(name):
        frames = frames[:-1]
    frames = [
        frame
        for frame in frames
        if frame.strip() and set(frame.strip()) != {"-"} and not _BANNER.match(frame.strip())
    ]
    error = CellError(name, value, traceback=full)
    cell_frames = [i for i, frame in enumerate(frames) if _CELL_FRAME.match(frame)]
    if not cell_frames:
        error.frames = frames[-LIBRARY_FRAMES:]
        return error
    innermost = cell_frames[-1]
    frame = frames[innermost]
    found = _CELL_FRAME.match(frame)
    assert found is not None
    error.cell_line = int(found["line"] or found["old"])
    lines = frame.splitlines()
    marked = next((m for line in lines if (m := _MARKED.match(line))), None)
    if marked is not None:
        error.cell_line = int(marked["line"])
        error.code = marked["code"].rstrip()
    elif len(lines) > 1:  # a SyntaxError: the line follows the header, then a caret
        error.code = lines[1].strip()
    library = [f for f in frames[innermost + 1 :] if _LIBRARY_FRAME.match(f)]
    error.frames = [frame, *map(_compact, library[-LIBRARY_FRAMES:])]
    return error


def _compact(frame: str) -> str:
    """A library frame as its header and its marked line: where, not the library's
    neighbouring code."""
    lines = frame.splitlines()
    marked = [line for line in lines[1:] if _MARKED.match(line)]
    return "\n".join([lines[0].strip(), *(line.strip() for line in marked)])


def cell_error(cell: NotebookNode | None) -> CellError | None:
    """The first error output of ``cell``, read (``None``: it has none)."""
    outputs: list[Any] = cell.get("outputs", []) if cell is not None else []
    for output in outputs:
        if output.get("output_type") == "error":
            return read_error_output(output)
    return None


def format_frames(frames: list[str], indent: str = "    ") -> list[str]:
    """The frames as log lines: the cell's own frame under its heading, then the
    library's (the first frame is the cell's when it starts with ``Cell In``)."""
    if not frames:
        return []
    lines: list[str] = []
    rest = frames
    if _CELL_FRAME.match(frames[0]):
        lines.append("In the cell:")
        lines.extend(indent + line for line in frames[0].splitlines())
        rest = frames[1:]
    if rest:
        lines.append("Last library frames:" if lines else "Last frames of the traceback:")
        lines.extend(indent + line for frame in rest for line in frame.splitlines())
    return lines


# -- Where the failing line is in the source file ---------------------------------------------


def cell_source_starts(notebook: NotebookNode, text: str, suffix: str) -> list[int | None]:
    """Per cell, the file line (1-based) of the first line of its source: after the
    ``{code-cell}`` fence and its options in a MyST notebook, the first ``"source"``
    item in an ``.ipynb``."""
    from sphinx_numpy_learn.notebooks.format import cell_source_lines

    if suffix == ".ipynb":
        return list(cell_source_lines(text))
    lines = text.splitlines()
    source_map = notebook.metadata.get("source_map") or []
    starts: list[int | None] = []
    for index, cell in enumerate(notebook.cells):
        if index >= len(source_map) or not cell.source.strip():
            starts.append(None)
            continue
        # MyST-NB's map: the fence's line (1-based), so the 0-based index of the line
        # after it, where the options (if any) and then the source start.
        after = int(source_map[index])
        if cell.cell_type != "code":
            starts.append(after)
            continue
        source = cell.source.splitlines()
        end = int(source_map[index + 1]) if index + 1 < len(source_map) else len(lines)
        starts.append(
            next(
                (
                    number + 1
                    for number in range(after, max(end, after))
                    if lines[number : number + len(source)] == source
                ),
                after + 1,  # the line after the fence: the best guess
            )
        )
    return starts


def failing_file_line(
    starts: list[int | None], text: str, suffix: str, index: int | None, cell_line: int | None
) -> int | None:
    """The file line of line ``cell_line`` of cell ``index``; the cell's first line
    when the failing line is not known."""
    if index is None or index >= len(starts) or starts[index] is None:
        return None
    start = starts[index]
    assert start is not None
    if not cell_line:
        return start
    if suffix == ".ipynb":
        lines = text.splitlines()
        # A source kept as one JSON string sits on one line.
        if 0 < start <= len(lines) and lines[start - 1].lstrip().startswith('"source"'):
            return start
    return start + cell_line - 1


# -- The failure box on the page ---------------------------------------------------------------


class execution_failure(nodes.General, nodes.Element):
    """A failed notebook's box: the exception, the failing line, the full traceback.
    A container in every builder; HTML marks it up as an error admonition."""


class execution_traceback(nodes.General, nodes.Element):
    """The full traceback: a closed ``<details>`` in HTML, plain text elsewhere."""


def visit_failure_html(self: HTML5Translator, node: execution_failure) -> None:
    self.body.append(
        self.starttag(node, "div", "", CLASS="admonition error learn-execution-failure")
    )


def depart_failure_html(self: HTML5Translator, node: execution_failure) -> None:
    self.body.append("</div>\n")


def visit_traceback_html(self: HTML5Translator, node: execution_traceback) -> None:
    self.body.append(self.starttag(node, "details", "", CLASS="learn-execution-traceback"))
    self.body.append(f"<summary>{self.encode(node['label'])}</summary>")
    self.body.append(f"<pre>{self.encode(node['text'])}</pre></details>\n")
    raise nodes.SkipNode


def failure_box(record: ExecutionRecord) -> execution_failure:
    """The box for a failed notebook's record (builder-neutral nodes)."""
    box = execution_failure()
    box += nodes.paragraph(
        "",
        _("This notebook failed when the documentation was built."),
        classes=["admonition-title"],
    )
    box += nodes.paragraph("", "", nodes.literal("", printable(record.get("error") or "")))
    if record.get("cell"):
        if record.get("cell_line"):
            where = _("Code cell %(cell)d, line %(line)d:") % {
                "cell": record["cell"],
                "line": record["cell_line"],
            }
        else:
            where = _("Code cell %(cell)d") % {"cell": record["cell"]}
        box += nodes.paragraph("", where)
        if record.get("code"):
            code = printable(record["code"])
            box += nodes.literal_block(code, code, language="none", classes=["learn-failing-line"])
    if record.get("traceback"):
        label = _("Full traceback")
        text = printable(record["traceback"])
        box += execution_traceback(
            "",
            nodes.paragraph("", label + ":"),
            nodes.literal_block(text, text, language="none"),
            label=label,
            text=text,
        )
    return box


def place_failure_box(doctree: nodes.document, record: ExecutionRecord, index: int | None) -> None:
    """Put the box in place of the failing cell's traceback output, else after the
    cell, else at the top of the page."""
    box = failure_box(record)
    cell = None
    if index is not None:
        cell = next(
            (
                node
                for node in doctree.findall(nodes.container)
                if node.get("nb_element") == "cell_code" and node.get("cell_index") == index
            ),
            None,
        )
    if cell is not None:
        shown = next(
            (node for node in cell.findall(nodes.literal_block) if "traceback" in node["classes"]),
            None,
        )
        if shown is not None:
            shown.replace_self(box)
            box["classes"] = []  # not MyST-NB's output classes, which replace_self copied
        else:
            cell.parent.insert(cell.parent.index(cell) + 1, box)
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    parent = section if section is not None else doctree
    title = next((i + 1 for i, c in enumerate(parent.children) if isinstance(c, nodes.title)), 0)
    parent.insert(title, box)


def setup_failures(app: Sphinx) -> None:
    add_node_everywhere(
        app,
        execution_failure,
        html=(visit_failure_html, depart_failure_html),
        other=like("container"),
    )
    add_node_everywhere(
        app,
        execution_traceback,
        html=(visit_traceback_html, lambda _self, _node: None),
        other=like("container"),
    )
