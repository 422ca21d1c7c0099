"""The jupyter-cache store MyST-NB reads from: a record counts only while the page's
declared inputs are unchanged, and a failure is never re-used.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_numpy_learn import _compat
from sphinx_numpy_learn.notebooks.read import read_notebook
from sphinx_numpy_learn.notebooks.run import OK, NotebookJob, Outcome

if TYPE_CHECKING:
    from nbformat import NotebookNode
    from sphinx.application import Sphinx


def cached_record(job: NotebookJob) -> dict[str, Any] | None:
    """The cache's data for this notebook, when its outputs are still valid."""
    from jupyter_cache import get_cache

    cache = get_cache(job.cache_path)
    try:
        record = cache.match_cache_notebook(job.notebook)
    except KeyError:
        return None
    data = dict(record.data or {})
    if data.get("learn_status", OK) != OK:
        return None  # a failure is never re-used
    if data.get("learn_inputs", "") != job.inputs_digest:
        return None  # a declared input changed
    data["created"] = record.created.timestamp()
    return data


def executed_notebook(app: Sphinx, docname: str) -> NotebookNode | None:
    """The notebook with the outputs of its last run, from the cache (MyST-NB's
    ``jupyter_execute`` copy has no outputs when they came from the cache), else
    from the notebook MyST-NB wrote after running it itself."""
    import nbformat
    from jupyter_cache import get_cache

    found = read_notebook(app, docname)
    if found is None:
        return None
    notebook, nb_config, _text = found
    if nb_config.execution_mode == "cache":
        with contextlib.suppress(KeyError):
            return get_cache(nb_config.execution_cache_path).merge_match_into_notebook(notebook)[1]
    written = Path(_compat.mystnb_config(app.env).output_folder, *f"{docname}.ipynb".split("/"))
    return nbformat.read(written, as_version=4) if written.is_file() else None


def store(job: NotebookJob, outcome: Outcome) -> None:
    """Put the executed notebook in the cache, where MyST-NB's reader will find it."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    get_cache(job.cache_path).cache_notebook_bundle(
        CacheBundleIn(
            job.notebook,
            str(job.path),
            data={
                "execution_seconds": outcome.runtime,
                "learn_inputs": job.inputs_digest,
                "learn_status": outcome.status,
            },
        ),
        check_validity=False,
        overwrite=True,
    )
