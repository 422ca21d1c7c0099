"""The files of a CI shard (:mod:`sphinx_numpy_learn.notebooks.shards`): written by
``sphinx-numpy-learn execute --shard I/N --output DIR``, read by the build.

``DIR/learn-shard-I-of-N.json`` is the manifest; ``DIR/learn-shard-I-of-N/`` holds
the executed notebooks (``<docname>.ipynb``). Each shard has its own names, so the
folders of several shards can be merged into one, or kept one per folder.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from sphinx_numpy_learn import __version__
from sphinx_numpy_learn.log import LOGGER, warn
from sphinx_numpy_learn.notebooks.run import FAILURES, OK, NotebookJob, Outcome
from sphinx_numpy_learn.untrusted import printable

FORMAT = 1
"""The manifest's format: a build reads only the format it knows."""
MANIFEST_PATTERN = "learn-shard-*-of-*.json"
_MANIFEST_NAME = re.compile(r"learn-shard-(\d+)-of-(\d+)\.json")


def shard_name(index: int, count: int) -> str:
    return f"learn-shard-{index}-of-{count}"


# -- Writing a shard ---------------------------------------------------------------------


class ShardWriter:
    """Writes one shard's executed notebooks as they come, then its manifest."""

    def __init__(self, output: Path, index: int, count: int, srcdir: str | os.PathLike[str]):
        self.output, self.index, self.count = output, index, count
        self.name = shard_name(index, count)
        self.srcdir = srcdir
        self.folder = output / self.name
        self.entries: list[dict[str, Any]] = []
        if self.folder.exists():
            shutil.rmtree(self.folder)  # this shard's earlier run: nothing of it may stay
        self.folder.mkdir(parents=True)

    def add(self, job: NotebookJob, outcome: Outcome, key: str | None, when: float) -> None:
        """Write the executed notebook of ``job``; ``key``: its jupyter-cache hash
        before it ran (``None``: jupyter-cache cannot store it, so the build runs it)."""
        import nbformat

        if key is None:
            LOGGER.info(
                "[learn] %s: jupyter-cache cannot store it; the build runs it", job.docname
            )
            return
        written = self.folder.joinpath(*f"{job.docname}.ipynb".split("/"))
        written.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(job.notebook, written)
        failure = None
        if outcome.status != OK:
            failure = {
                "cell": outcome.cell,
                "error": outcome.error,
                "frames": outcome.frames,
                "cell_line": outcome.cell_line,
                "code": outcome.code,
                "traceback": outcome.traceback,
            }
        self.entries.append(
            {
                "docname": job.docname,
                "source": PurePosixPath(os.path.relpath(job.path, self.srcdir)).as_posix(),
                "notebook": f"{self.name}/{job.docname}.ipynb",
                "hash": key,
                "inputs": job.inputs_digest,
                "status": outcome.status,
                "runtime": round(outcome.runtime, 2),
                "executed_at": when,
                "failure": failure,
            }
        )

    def finish(self) -> None:
        """Write the manifest last, whole or not at all: a folder without one imports
        nothing."""
        manifest = {
            "format": FORMAT,
            "shard": f"{self.index}/{self.count}",
            "generator": f"sphinx-numpy-learn {__version__}",
            "created": time.time(),
            "notebooks": self.entries,
        }
        path = self.output / f"{self.name}.json"
        partial = path.with_suffix(".json.partial")
        partial.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        partial.replace(path)


# -- Reading shards ----------------------------------------------------------------------


@dataclass(frozen=True)
class Executed:
    """A notebook a shard executed, as its manifest describes it."""

    docname: str
    notebook: Path
    key: str
    inputs: str
    outcome: Outcome
    executed_at: float
    shard: str
    """``"2/4"``: which shard ran it."""


class BadManifest(Exception):
    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


def file_location(path: Path, line: int = 1) -> str:
    """A warning's location in a file that is not a document: ``path:line``."""
    return f"{path}:{line}"


def _text(entry: dict[str, Any], key: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str):
        raise BadManifest(f"its {key!r} is not text")
    return value


def _number(entry: dict[str, Any], key: str) -> float:
    value = entry.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise BadManifest(f"its {key!r} is not a number")
    return float(value)


def _index(entry: dict[str, Any], key: str) -> int | None:
    value = entry.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise BadManifest(f"its {key!r} is not a cell or line number")
    return value


def _executed(entry: Any, folder: Path, shard: str) -> Executed:
    if not isinstance(entry, dict):
        raise BadManifest("a notebook entry is not an object")
    docname = _text(entry, "docname")
    parts = PurePosixPath(docname).parts
    if not parts or docname.startswith("/") or "\\" in docname or ".." in parts:
        raise BadManifest(f"the document name {docname!r} is not one")
    status = _text(entry, "status")
    if status not in (OK, *FAILURES):
        raise BadManifest(f"{docname}: unknown status {status!r}")
    failure = entry.get("failure") or {}
    if not isinstance(failure, dict):
        raise BadManifest(f"{docname}: its 'failure' is not an object")
    frames = failure.get("frames") or []
    if not isinstance(frames, list) or not all(isinstance(f, str) for f in frames):
        raise BadManifest(f"{docname}: its failure's 'frames' are not text")
    outcome = Outcome(
        status,
        _number(entry, "runtime"),
        _index(failure, "cell"),
        str(failure.get("error") or ""),
        frames,
        _index(failure, "cell_line"),
        str(failure.get("code") or ""),
        str(failure.get("traceback") or ""),
    )
    return Executed(
        docname=docname,
        notebook=folder.joinpath(*parts[:-1], f"{parts[-1]}.ipynb"),
        key=_text(entry, "hash"),
        inputs=_text(entry, "inputs"),
        outcome=outcome,
        executed_at=_number(entry, "executed_at"),
        shard=shard,
    )


def read_manifest(path: Path) -> list[Executed]:
    """The notebooks of one shard's manifest; raises :class:`BadManifest`."""
    match = _MANIFEST_NAME.fullmatch(path.name)
    if match is None:
        raise BadManifest("not a shard manifest (learn-shard-I-of-N.json)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise BadManifest(f"not valid JSON: {exc.msg}", exc.lineno) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadManifest(f"cannot be read: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadManifest(
            f"format {data.get('format') if isinstance(data, dict) else None!r} is not "
            f"{FORMAT}, the one this sphinx-numpy-learn writes; run the shards again with it"
        )
    notebooks = data.get("notebooks")
    if not isinstance(notebooks, list):
        raise BadManifest("its 'notebooks' is not a list")
    shard = f"{match.group(1)}/{match.group(2)}"
    folder = path.with_suffix("")
    return [_executed(entry, folder, shard) for entry in notebooks]


def manifests_in(folder: Path) -> list[Path]:
    """The manifests in ``folder`` and in its sub-folders (one per downloaded artifact)."""
    return sorted(folder.glob(MANIFEST_PATTERN)) + sorted(folder.glob(f"*/{MANIFEST_PATTERN}"))


def read_folders(folders: Sequence[Path]) -> dict[str, list[Executed]]:
    """Every executed notebook of ``folders``, by document name, in the folders' order;
    a folder without manifests and a bad manifest are ``learn.execution`` warnings."""
    found: dict[str, list[Executed]] = {}
    for folder in folders:
        manifests = manifests_in(folder)
        if not manifests:
            warn(
                f"execution import folder {printable(str(folder))!r} holds no shard manifest "
                "(learn-shard-I-of-N.json, written by `sphinx-numpy-learn execute --shard`); "
                "it is skipped",
                subtype="execution",
            )
        for manifest in manifests:
            try:
                executed = read_manifest(manifest)
            except BadManifest as exc:
                warn(
                    f"shard manifest skipped: {printable(str(exc))}",
                    subtype="execution",
                    location=file_location(manifest, exc.line),
                )
                continue
            for item in executed:
                found.setdefault(item.docname, []).append(item)
    return found
