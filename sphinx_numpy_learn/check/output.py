"""What ``check`` prints: text, JSON or GitHub annotations, and the summary line."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_numpy_learn import untrusted
from sphinx_numpy_learn.check.registry import ERROR, INFO, WARNING

if TYPE_CHECKING:
    from sphinx_numpy_learn.check.runner import Result


def shown_path(path: Path) -> str:
    """``path`` relative to the working directory when it is inside it (as GitHub
    annotations want), else absolute; always with forward slashes."""
    absolute = path.resolve()
    try:
        return absolute.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return absolute.as_posix()


_LINE_BREAK = re.compile("[\n\u2028\u2029]")


def one_line(text: str) -> str:
    """``text`` made safe to show (:func:`untrusted.printable`: no terminal escapes,
    control characters and undecodable file names as escapes) and kept on one line: a
    line break is shown as ``\\n``, so that a report line or an error stays one line."""
    return _LINE_BREAK.sub(
        lambda match: match[0].encode("unicode_escape").decode("ascii"),
        untrusted.printable(text),
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def summary_line(result: Result) -> str:
    checked = (
        f"Checked {_plural(result.documents, 'document')} "
        f"({_plural(result.tutorials, 'tutorial')}) in {result.project}"
    )
    counts = [
        _plural(result.count(severity), severity)
        for severity in (ERROR, WARNING, INFO)
        if result.count(severity)
    ]
    if result.input_errors:
        counts.insert(0, _plural(len(result.input_errors), "file") + " could not be checked")
    return f"{checked}: {', '.join(counts) if counts else 'no problems found'}."


def format_text(result: Result) -> str:
    lines = []
    for item in [*result.input_errors, *result.findings]:
        where = one_line(item.path) + (f":{item.line}" if item.line else "")
        cell = f"cell {item.cell}: " if item.cell else ""
        code = f"  [{item.rule} {item.name}]" if item.rule else ""
        lines.append(f"{where}: {item.severity}: {cell}{one_line(item.message)}{code}")
        lines.extend(f"    {one_line(detail)}" for detail in item.details)
    lines.append(one_line(summary_line(result)))
    return "\n".join(lines) + "\n"


def format_json(result: Result) -> str:
    data = {
        "project": result.project,
        "documents": result.documents,
        "tutorials": result.tutorials,
        "summary": {
            "errors": result.count(ERROR),
            "warnings": result.count(WARNING),
            "info": result.count(INFO),
            "input_errors": len(result.input_errors),
        },
        "findings": [asdict(f) for f in result.findings],
        "input_errors": [asdict(f) for f in result.input_errors],
    }
    # ASCII: valid JSON on a stream of any encoding, and a file name the file system
    # could not decode (a lone surrogate) is kept as a \udcXX escape.
    return json.dumps(data, indent=2, ensure_ascii=True) + "\n"


def _escape_data(text: str) -> str:
    # GitHub's own escapes for what ends a command; other control characters as text.
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return one_line(escaped)


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


GITHUB_LEVEL = {ERROR: "error", WARNING: "warning", INFO: "notice"}


def format_github(result: Result) -> str:
    """GitHub Actions workflow commands: one annotation per finding."""
    lines = []
    for item in [*result.input_errors, *result.findings]:
        properties = [f"file={_escape_property(item.path)}"]
        if item.line:
            properties.append(f"line={item.line}")
        title = f"{item.rule} {item.name}" if item.rule else "sphinx-numpy-learn"
        properties.append(f"title={_escape_property(title)}")
        cell = f"cell {item.cell}: " if item.cell else ""
        message = "\n".join([cell + item.message, *item.details])
        lines.append(
            f"::{GITHUB_LEVEL[item.severity]} {','.join(properties)}::{_escape_data(message)}"
        )
    lines.append(one_line(summary_line(result)))
    return "\n".join(lines) + "\n"


FORMATS = {"text": format_text, "json": format_json, "github": format_github}
