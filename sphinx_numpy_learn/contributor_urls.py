"""Addresses built from ``learn_contributor``: the tracker's good first issues, a page's
source in the repository's web editor, and a new issue about a page.

The ``new-contributor`` callout and the *Edit this page* / *Report a problem with this
page* links of every page (:mod:`sphinx_numpy_learn.page_links`) use these, so a
page's source has one address wherever it is linked from.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, quote_plus, urlencode, urlsplit

from sphinx_numpy_learn.i18n import _

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

HOSTS = ("github", "gitlab")


def host(settings: dict[str, str]) -> str:
    """``github`` or ``gitlab``: as set, else guessed from the repository's address."""
    if settings.get("host") in HOSTS:
        return settings["host"]
    return "gitlab" if "gitlab" in urlsplit(settings["repository"]).netloc else "github"


def good_first_issues_url(settings: dict[str, str]) -> str | None:
    """The issue tracker's search for open issues with the good-first-issue label."""
    if "repository" not in settings:
        return None
    repository = settings["repository"].rstrip("/")
    label = settings.get("good_first_issue_label", "good first issue")
    if host(settings) == "gitlab":
        return f"{repository}/-/issues?state=opened&label_name[]={quote(label)}"
    query = quote_plus('is:issue is:open label:"' + label + '"')
    return f"{repository}/issues?q={query}"


def edit_url(settings: dict[str, str], source_path: str) -> str | None:
    """Where the page's source (a path relative to the source folder, with ``/``) is
    edited in the repository's web editor, on ``branch``."""
    if "repository" not in settings:
        return None
    repository = settings["repository"].rstrip("/")
    branch = settings.get("branch", "main")
    folder = settings.get("docs_path", "").strip("/")
    path = f"{folder}/{source_path}" if folder else source_path
    edit = "-/edit" if host(settings) == "gitlab" else "edit"
    return f"{repository}/{edit}/{quote(branch)}/{quote(path)}"


def report_url(settings: dict[str, str], title: str, page_url: str) -> str | None:
    """A new issue in the repository's tracker, its title and text naming the page."""
    if "repository" not in settings:
        return None
    repository = settings["repository"].rstrip("/")
    issue_title = _("Problem on the page \u201c%s\u201d") % title
    body = _("Page: %s") % page_url + "\n\n" + _("What is wrong or unclear?") + "\n"
    if host(settings) == "gitlab":
        query = {"issue[title]": issue_title, "issue[description]": body}
        return f"{repository}/-/issues/new?" + urlencode(query, quote_via=quote)
    query = {"title": issue_title, "body": body}
    return f"{repository}/issues/new?" + urlencode(query, quote_via=quote)


# Jupytext's text formats: the extension of the file a notebook is paired with.
_PAIRED_SUFFIXES = {"md": ".md", "myst": ".md", "rmd": ".Rmd", "py": ".py", "qmd": ".qmd"}
# The page's source to edit, in ``env.metadata[docname]`` (worked out when the page is
# read; the callout and the page links both read it).
EDIT_SOURCE_KEY = "learn_edit_source"


def jupytext_formats(metadata: Any) -> str:
    """Jupytext's ``formats`` (e.g. ``"ipynb,md:myst"``) from a notebook's ``jupytext``
    metadata: a mapping, or the JSON text MyST-NB leaves in ``env.metadata``."""
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except ValueError:
            return ""
    formats = metadata.get("formats", "") if isinstance(metadata, dict) else ""
    return formats if isinstance(formats, str) else ""


def paired_source(path: Path, formats: str) -> Path | None:
    """The text file a ``.ipynb`` notebook is paired with through Jupytext (``formats``,
    from its ``jupytext`` metadata), when it exists beside it: that is the file people
    edit. ``None`` for anything else."""
    if path.suffix != ".ipynb":
        return None
    for entry in formats.split(","):
        extension = entry.split(":")[0].strip().lower().lstrip(".")
        if "/" in entry or extension not in _PAIRED_SUFFIXES:
            continue  # a format kept in another folder: not followed
        candidate = path.with_suffix(_PAIRED_SUFFIXES[extension])
        if candidate.is_file():
            return candidate
    return None


def edit_source(env: BuildEnvironment, docname: str) -> str:
    """The page's source file to edit, relative to the source folder, with ``/``: the
    file Sphinx read, or the text file a notebook is paired with.

    Worked out once, while the page is read (the ``new-contributor`` callout, or
    :func:`note_edit_source` at ``doctree-read``), and kept in the page's metadata, so
    the callout and the page links name the same file whatever changes in the source
    folder before the page is written. A paired text file is a dependency of the
    page: when it is edited or removed, the notebook is read again."""
    metadata = env.metadata[docname]
    if EDIT_SOURCE_KEY not in metadata:
        path = Path(env.doc2path(docname))
        paired = paired_source(path, jupytext_formats(metadata.get("jupytext")))
        if paired is not None:
            env.note_dependency(paired)
        path = paired or path
        try:
            relative = path.relative_to(env.srcdir)
        except ValueError:
            relative = Path(env.doc2path(docname, False))
        metadata[EDIT_SOURCE_KEY] = relative.as_posix()
    return str(metadata[EDIT_SOURCE_KEY])


def note_edit_source(app: Sphinx, doctree: Any) -> None:
    """``doctree-read``: the page's source to edit, while the page is read."""
    edit_source(app.env, app.env.docname)
