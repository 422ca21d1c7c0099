"""Addresses built from ``learn_contributor``: the tracker's good first issues, a page's
source in the repository's web editor, and a new issue about a page.

The ``new-contributor`` callout and the *Edit this page* / *Report a problem with this
page* links of every page (:mod:`sphinx_numpy_learn.page_links`) use these, so a
page's source has one address wherever it is linked from.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, quote_plus, urlencode, urlsplit

from sphinx_numpy_learn.i18n import _

if TYPE_CHECKING:
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


def paired_source(path: Path) -> Path | None:
    """The text file a ``.ipynb`` notebook is paired with through Jupytext (its
    ``jupytext.formats`` metadata, e.g. ``"ipynb,md:myst"``), when it exists beside it:
    that is the file people edit. ``None`` for anything else."""
    if path.suffix != ".ipynb":
        return None
    try:
        metadata = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
        formats = metadata.get("jupytext", {}).get("formats", "")
    except (OSError, ValueError, AttributeError):
        return None
    if not isinstance(formats, str):
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
    file Sphinx read, or the text file a notebook is paired with."""
    path = Path(env.doc2path(docname))
    path = paired_source(path) or path
    try:
        relative = path.relative_to(env.srcdir)
    except ValueError:
        relative = Path(env.doc2path(docname, False))
    return relative.as_posix()
