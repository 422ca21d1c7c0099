"""Reading a notebook as MyST-NB will (its own reader, its per-notebook settings), so a
run and the cache key match what MyST-NB parses, and what a page declares it reads.
"""

from __future__ import annotations

import contextlib
import copy
import fnmatch
import hashlib
import os
import posixpath
import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from sphinx_numpy_learn import _compat, metadata
from sphinx_numpy_learn.log import warn
from sphinx_numpy_learn.notebooks.failures import cell_source_starts
from sphinx_numpy_learn.notebooks.format import check_version, read_ipynb
from sphinx_numpy_learn.notebooks.run import NotebookJob
from sphinx_numpy_learn.notebooks.state import build_state
from sphinx_numpy_learn.notebooks.unreadable import report_unreadable, unreadable_reason

if TYPE_CHECKING:
    from nbformat import NotebookNode
    from sphinx.application import Sphinx


def _front_matter_settings(text: str, suffix: str) -> tuple[list[str], int | None, int | None]:
    """``learn: inputs`` and ``learn: timeout`` of a page (invalid values are left to
    the metadata check, which reports them once, when the page is read)."""
    declared = metadata.from_front_matter(text, suffix)
    if declared is None or declared.unreadable:
        return [], None, None
    inputs = declared.values.get("inputs", [])
    if isinstance(inputs, str):
        inputs = [inputs]
    if not isinstance(inputs, list) or not all(isinstance(i, str) and i for i in inputs):
        inputs = []
    timeout = declared.values.get("timeout")
    if isinstance(timeout, bool) or not isinstance(timeout, int) or timeout <= 0:
        timeout = None
    return inputs, timeout, declared.lines.get("inputs", declared.line)


def resolve_inputs(
    app: Sphinx, docname: str, patterns: list[str], line: int | None
) -> tuple[list[str], list[str], str]:
    """Existing files matching ``patterns`` (relative to the page, or to the source
    directory when they start with ``/``), the patterns that match nothing, and a
    digest of the names and content of the files.

    A pattern that matches nothing is a warning. It enters the digest, and the page
    depends on it (:func:`note_notebook`), so the page is read and the notebook runs
    again once the file appears.

    Symbolic links are never followed into a loop or out of the source directory: a
    file comes once, under the first name that reaches it, and a link that leads out
    of the source directory is left out with a warning (and counts as missing, so
    the page is read again once it is fixed).
    """
    srcdir = Path(app.srcdir)
    real_srcdir = srcdir.resolve()
    page_dir = posixpath.dirname(docname)
    location = (docname, line) if line else docname
    found: list[str] = []
    missing: list[str] = []
    seen: set[Path] = set()
    digest = hashlib.sha256()
    for pattern in patterns:
        relative = pattern[1:] if pattern.startswith("/") else posixpath.join(page_dir, pattern)
        relative = posixpath.normpath(relative)
        matches = matching_files(srcdir, relative)
        if not matches:
            warn(
                f"declared input {pattern!r} matches no file (looked for {relative!r} in the "
                "source directory)",
                subtype="execution",
                location=location,
            )
            digest.update(f"missing:{relative}\n".encode())
            missing.append(relative)
            continue
        # A file reached under two names (a link to it) comes once, under its own.
        matches.sort(key=Path.is_symlink)
        named: dict[Path, Path] = {}
        for match in matches:
            named.setdefault(match.resolve(), match)
        for match in sorted(named.values()):
            name = PurePosixPath(os.path.relpath(match, srcdir).replace(os.sep, "/")).as_posix()
            real = match.resolve()
            if real in seen:
                continue  # matched by an earlier pattern already
            if name.startswith("../"):
                warn(
                    f"declared input {name!r} lies outside the source directory: the "
                    "notebook's cache follows it, but it cannot be offered for download",
                    subtype="execution",
                    location=location,
                )
            elif not real.is_relative_to(real_srcdir):
                warn(
                    f"declared input {name!r} is a symbolic link that leads out of the source "
                    f"directory (to {str(real)!r}); it is left out",
                    subtype="execution",
                    location=location,
                )
                digest.update(f"outside:{name}\n".encode())
                missing.append(name)
                continue
            seen.add(real)
            found.append(name)
            digest.update(f"{name}\0{_file_hash(match)}\n".encode())
    return found, missing, digest.hexdigest() if patterns else ""


_GLOB_MAGIC = re.compile(r"[*?[]")


def matching_files(srcdir: Path, pattern: str) -> list[Path]:
    """Files matching a glob ``pattern`` (POSIX, relative to ``srcdir``), sorted.

    ``**`` does not descend into symbolic links to folders (pathlib's rule, on every
    Python we support), so a link to a parent folder is no endless loop; ``glob.glob``
    follows them. Like ``glob.glob``, a wildcard does not match a hidden name (a
    leading dot) unless the pattern spells the dot.
    """
    parts = PurePosixPath(pattern).parts
    literal = next((i for i, part in enumerate(parts) if _GLOB_MAGIC.search(part)), len(parts))
    base, wild = srcdir.joinpath(*parts[:literal]), parts[literal:]
    if not wild:
        return [base] if base.is_file() else []
    if not base.is_dir():
        return []
    if wild[-1] == "**":
        wild += ("*",)  # glob.glob's "every file below"; pathlib's differs by version
    dotted = [part for part in wild if part.startswith(".")]
    return sorted(
        match
        for match in base.glob("/".join(wild))
        if match.is_file()
        and all(
            not name.startswith(".") or any(fnmatch.fnmatchcase(name, p) for p in dotted)
            for name in match.relative_to(base).parts
        )
    )


def _file_hash(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)", re.MULTILINE)


def may_be_notebook(path: str, text: str, nb_config: Any) -> bool:
    """False when MyST-NB surely reads ``path`` as plain Markdown, without parsing.

    MyST-NB takes a Markdown page for a notebook only when its front matter has a
    ``file_format`` or ``jupytext`` key, and finds out by parsing that front matter
    with pure-Python YAML. Doing that again for every page of a large site, before
    reading, was most of this layer's cost on a build; a page whose front matter
    does not even contain those words is skipped.
    """
    suffixes = (".ipynb", *nb_config.custom_formats)
    if path.endswith(suffixes):
        return True
    if not text.startswith("---"):
        return False
    end = _FRONT_MATTER_END.search(text, text.find("\n") + 1)
    head = text[: end.start()] if end else text
    return "file_format" in head or "jupytext" in head


def myst_nb_read(app: Sphinx, path: Path, text: str, nb_config: Any) -> NotebookNode | None:
    """The notebook MyST-NB's reader makes of ``text`` (``None``: not a notebook);
    raises what makes it unreadable, :class:`NotebookProblem` when we can say it."""
    create_nb_reader = _compat.mystnb_reader_factory()
    if create_nb_reader is None:
        return None  # MyST-NB reads (and runs) it itself: see execute_before_reading
    if path.suffix == ".ipynb":
        # nbformat only logs a broken structure; the reader then fails on it, or
        # nbclient does, with a TypeError that names no cell.
        read_ipynb(text)
    reader = create_nb_reader(str(path), _compat.myst_config(app.env), nb_config, text)
    notebook = reader.read(text) if reader is not None else None
    if notebook is not None:
        check_version(notebook)
    return notebook


def read_notebook(app: Sphinx, docname: str) -> tuple[NotebookNode, Any, str] | None:
    """The notebook MyST-NB will parse for ``docname``, the MyST-NB settings it will
    use for it, and the source text; ``None`` when the page is not a notebook."""
    env = app.env
    nb_config = _compat.mystnb_config(env)
    path = Path(env.doc2path(docname))
    try:
        text = path.read_text(encoding=app.config.source_encoding)
    except (OSError, UnicodeDecodeError):
        return None  # Sphinx reports unreadable sources when it reads them
    if not may_be_notebook(str(path), text, nb_config):
        return None
    state = build_state(app)
    known = state.notebooks.get((docname, text))
    if known is not None and known[0] is nb_config:
        _config, notebook, page_config = known
        return copy.deepcopy(notebook), page_config, text  # each caller changes its own
    found = _read_notebook(app, docname, path, text, nb_config)
    if found is not None:
        notebook, page_config, _text = found
        state.notebooks[docname, text] = (nb_config, copy.deepcopy(notebook), page_config)
    return found


def _read_notebook(
    app: Sphinx, docname: str, path: Path, text: str, nb_config: Any
) -> tuple[NotebookNode, Any, str] | None:
    import nbformat
    from myst_nb.core.nb_to_tokens import nb_node_to_dict

    try:
        notebook = myst_nb_read(app, path, text, nb_config)
    except Exception as exc:  # any reader error is the notebook's
        problem = unreadable_reason(exc)
        build_state(app).unreadable[docname] = problem
        report_unreadable(app, docname, problem)
        return None
    if notebook is None:
        return None
    # nbformat upgrades an nbformat 3 notebook into its v3 NotebookNode class, which
    # jupyter-cache refuses to store: the same content, in the class everyone expects.
    notebook = nbformat.from_dict(notebook)
    # Mirror MyST-NB's own per-notebook adjustments, so the cache key is the same.
    kernelspec = notebook.metadata.get("kernelspec", {})
    kernel_name = kernelspec.get("name") if isinstance(kernelspec, dict) else None
    if kernel_name is not None:
        for pattern, alias in nb_config.kernel_rgx_aliases.items():
            if re.fullmatch(pattern, kernel_name):
                notebook.metadata["kernelspec"]["name"] = alias
                break
    if nb_config.metadata_key in notebook.metadata:
        overrides = nb_node_to_dict(notebook.metadata[nb_config.metadata_key])
        overrides.pop("output_folder", None)
        with contextlib.suppress(Exception):  # MyST-NB reports bad overrides itself
            nb_config = nb_config.copy(**overrides)
    return notebook, nb_config, text


def prepare_job(app: Sphinx, docname: str, *, any_mode: bool = False) -> NotebookJob | None:
    """What it takes to run ``docname``, or ``None`` when it is not a notebook we
    execute (MyST-NB then decides). ``any_mode`` prepares notebooks whatever
    MyST-NB's execution mode (for ``sphinx-numpy-learn check --execute``)."""
    found = read_notebook(app, docname)
    if found is None:
        return None
    notebook, nb_config, text = found
    path = Path(app.env.doc2path(docname))
    mode = nb_config.execution_mode
    if not any_mode and not runs_before_reading(mode, notebook):
        return None
    posix_path = PurePosixPath(path.as_posix())
    if any(posix_path.match(pattern) for pattern in nb_config.execution_excludepatterns):
        return None

    patterns, timeout, inputs_line = _front_matter_settings(text, path.suffix)
    inputs, missing, digest = resolve_inputs(app, docname, patterns, inputs_line)
    return NotebookJob(
        docname=docname,
        path=path,
        notebook=notebook,
        cache_path=str(nb_config.execution_cache_path),
        timeout=timeout or nb_config.execution_timeout,
        allow_errors=nb_config.execution_allow_errors,
        cwd=None if nb_config.execution_in_temp else str(path.parent),
        inputs=inputs,
        inputs_digest=digest,
        missing=missing,
        mode=mode if not any_mode else "force",
        text=text,
        starts=cell_source_starts(notebook, text, path.suffix),
    )


TAKEN_OVER = ("force", "auto", "lazy")
"""MyST-NB's modes that execute before parsing: we run those notebooks instead."""


def runs_before_reading(mode: str, notebook: NotebookNode) -> bool:
    """Whether we run ``notebook`` before reading in MyST-NB's ``mode``: always in
    ``cache`` (where a valid record may still spare the run) and ``force``; in
    ``auto`` when a code cell has no output, in ``lazy`` when none has any (MyST-NB's
    rules). ``inline`` and ``off`` are MyST-NB's."""
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    if mode == "auto":
        return any(not cell.get("outputs") for cell in code)
    if mode == "lazy":
        return all(not cell.get("outputs") for cell in code)
    return mode in {"cache", "force"}
