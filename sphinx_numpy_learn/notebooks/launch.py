"""Download and launch buttons for notebook pages, themed or not.

Every notebook page of an HTML build gets downloadable copies under
``_notebooks/``, laid out like the source directory:

- ``<docname>.ipynb``: the executed notebook, converted from MyST Markdown with
  jupytext (markdown cells stay markdown), with the outputs of the build;
- ``<docname>.md`` (the source as written), when the source is not an ``.ipynb``;
- the files the page declares as ``inputs``, at their relative paths, and
  ``<docname>.zip`` with the notebook and those files, so a download runs as-is.

Launch links (``learn_launch``) open the ``.ipynb`` on Binder, a JupyterHub
(through nbgitpuller), Google Colab, JupyterLite or a custom service. They are
plain URLs built from the repository, branch and path, each part URL-quoted;
nothing is fetched at build time.

The links reach the page as ``learn_notebook`` in the template context, rendered
by the ``learn-notebook-buttons.html`` component: the sphinx_numpy_learn theme
puts it in the article header, and any pydata-sphinx-theme site can add it to a
template slot.
"""

from __future__ import annotations

import copy
import posixpath
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.i18n import _
from sphinx_numpy_learn.log import LOGGER, warn
from sphinx_numpy_learn.notebooks.cache import executed_notebook
from sphinx_numpy_learn.notebooks.state import build_state
from sphinx_numpy_learn.untrusted import printable
from sphinx_numpy_learn.validators import (
    REPOSITORY_PLACEHOLDERS,
    is_http_url,
    template_placeholders,
)

if TYPE_CHECKING:
    import nbformat
    from sphinx.application import Sphinx
    from sphinx.config import Config

    from sphinx_numpy_learn.records import NotebookRecord

DOWNLOAD_DIR = "_notebooks"
TEMPLATES_DIR = Path(__file__).parents[1] / "templates"
# A fixed timestamp inside zip files keeps builds reproducible.
ZIP_DATE = (2020, 1, 1, 0, 0, 0)
# Notebook metadata that only makes sense to the build.
BUILD_ONLY_METADATA = ("source_map", "jupytext")


# -- Launch URLs ------------------------------------------------------------------------


def launch_settings(config: Config) -> dict[str, Any]:
    """``learn_launch`` with the repository and branch filled in from
    ``learn_contributor`` when it leaves them out."""
    settings = dict(config.learn_launch)
    contributor = config.learn_contributor
    if "repository" not in settings and "repository" in contributor:
        settings["repository"] = contributor["repository"]
        settings.setdefault("branch", contributor.get("branch", "main"))
        settings.setdefault("notebooks_path", contributor.get("docs_path", ""))
    settings.setdefault("branch", "main")
    settings.setdefault("notebooks_path", "")
    return settings


def repository_parts(url: str) -> tuple[str, str, str]:
    """``(host kind, owner path, repository name)`` of a repository address."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.strip("/").removesuffix(".git").split("/") if s]
    repo = segments[-1] if segments else ""
    owner = "/".join(segments[:-1])
    netloc = parts.netloc.lower()
    kind = "github" if netloc == "github.com" else "gitlab" if "gitlab" in netloc else "git"
    return kind, owner, repo


def notebook_path(settings: dict[str, Any], docname: str) -> str:
    """Where the page's ``.ipynb`` is in the repository."""
    folder = settings.get("notebooks_path", "").strip("/")
    return posixpath.join(folder, docname + ".ipynb") if folder else docname + ".ipynb"


def launch_links(settings: dict[str, Any], docname: str) -> list[dict[str, str]]:
    """The launch links of one page: ``{"key", "label", "url"}``, in a fixed order.

    JupyterLite links may be relative to the site root; the caller resolves them.
    """
    links: list[dict[str, str]] = []
    repository = settings.get("repository", "").rstrip("/")
    branch = settings.get("branch", "main")
    path = notebook_path(settings, docname)
    kind, owner, repo = repository_parts(repository) if repository else ("", "", "")
    if repository and settings.get("binder"):
        binder = settings["binder"].rstrip("/")
        if kind == "github":
            spec = f"gh/{quote(owner)}/{quote(repo)}"
        elif kind == "gitlab":
            spec = f"gl/{quote(owner + '/' + repo, safe='')}"
        else:
            spec = f"git/{quote(repository, safe='')}"
        url = f"{binder}/v2/{spec}/{quote(branch, safe='')}?labpath={quote(path, safe='')}"
        links.append({"key": "binder", "label": "Binder", "url": url})
    if repository and settings.get("jupyterhub"):
        hub = settings["jupyterhub"].rstrip("/")
        url = (
            f"{hub}/hub/user-redirect/git-pull?repo={quote(repository, safe='')}"
            f"&branch={quote(branch, safe='')}"
            f"&urlpath={quote(f'lab/tree/{repo}/{path}', safe='')}"
        )
        links.append({"key": "jupyterhub", "label": "JupyterHub", "url": url})
    if repository and settings.get("colab") and kind == "github":
        url = (
            f"https://colab.research.google.com/github/{quote(owner)}/{quote(repo)}"
            f"/blob/{quote(branch)}/{quote(path)}"
        )
        links.append({"key": "colab", "label": "Colab", "url": url})
    if settings.get("jupyterlite"):
        lite = settings["jupyterlite"].rstrip("/")
        url = f"{lite}/lab/index.html?path={quote(docname + '.ipynb', safe='')}"
        links.append({"key": "jupyterlite", "label": "JupyterLite", "url": url})
    values = {
        "repository_url": quote(repository, safe=":/"),
        "org": quote(owner),
        "repo": quote(repo),
        "branch": quote(branch, safe=""),
        "path": quote(path),
        "docname": quote(docname),
    }
    for number, item in enumerate(settings.get("custom", []), start=1):
        url = item["url"].format(**values)
        if not is_http_url(url):
            continue  # "{repository_url}/..." with no repository (check_launch warned)
        links.append({"key": f"custom-{number}", "label": item["label"], "url": url})
    return links


def check_launch(app: Sphinx, config: Config) -> None:
    """``config-inited``: settings that are valid but cannot give a link."""
    if not config.learn_launch:
        return
    settings = launch_settings(config)
    repository = settings.get("repository", "")
    wanted = [k for k in ("binder", "jupyterhub", "colab") if settings.get(k)]
    if wanted and not repository:
        warn(
            f"learn_launch asks for {', '.join(wanted)} but names no repository (set "
            "'repository' in learn_launch or learn_contributor); those links are left out",
            subtype="launch",
        )
    if settings.get("colab") and repository and repository_parts(repository)[0] != "github":
        warn(
            "Google Colab opens notebooks from GitHub only; the Colab link is left out",
            subtype="launch",
        )
    if not repository:
        for item in settings.get("custom", []):
            needed = template_placeholders(item["url"]) & REPOSITORY_PLACEHOLDERS
            if needed:
                warn(
                    f"the learn_launch link {item['label']!r} uses "
                    f"{', '.join(sorted('{' + n + '}' for n in needed))} but no repository is "
                    "named (set 'repository' in learn_launch or learn_contributor); that "
                    "link is left out",
                    subtype="launch",
                )


# -- Downloads ----------------------------------------------------------------------------


def _strip_build_metadata(notebook: nbformat.NotebookNode) -> None:
    for key in BUILD_ONLY_METADATA:
        notebook.metadata.pop(key, None)


def downloadable_notebook(source: Path, run: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook a reader downloads: the source converted by jupytext, with the
    outputs of its last run."""
    import jupytext
    import nbformat

    run = copy.deepcopy(run)
    if source.suffix == ".ipynb":
        if run.nbformat_minor >= 5 and not _has_cell_ids(source):
            # nbformat gave the cells of an nbformat 3 notebook random ids when it
            # upgraded it: number them, so that each build writes the same file.
            for number, cell in enumerate(run.cells, start=1):
                cell.id = f"cell-{number}"
        _strip_build_metadata(run)
        return run
    notebook = jupytext.reads(source.read_text(encoding="utf-8"), fmt="md:myst")
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    run_code = [cell for cell in run.cells if cell.cell_type == "code"]
    if len(code) != len(run_code):
        # Two readers disagree about the cells: the executed notebook is still right.
        _strip_build_metadata(run)
        return run
    for cell, ran in zip(code, run_code, strict=True):
        cell.outputs = ran.get("outputs", [])
        cell.execution_count = ran.get("execution_count")
    for key in ("kernelspec", "language_info"):
        if key in run.metadata:
            notebook.metadata[key] = run.metadata[key]
    # jupytext gives each cell a random id: number them instead, so two builds of one
    # source write the same file (and an unchanged download keeps its timestamp).
    for number, cell in enumerate(notebook.cells, start=1):
        cell.id = f"cell-{number}"
    _strip_build_metadata(notebook)
    notebook.nbformat, notebook.nbformat_minor = 4, max(notebook.nbformat_minor, 5)
    nbformat.validator.normalize(notebook)
    return notebook


def _has_cell_ids(source: Path) -> bool:
    """Whether the ``.ipynb`` file is nbformat 4.5 or later, whose cells carry ids."""
    import json

    raw = json.loads(source.read_text(encoding="utf-8-sig"))
    if not isinstance(raw, dict):
        return False
    major, minor = raw.get("nbformat"), raw.get("nbformat_minor")
    return isinstance(major, int) and isinstance(minor, int) and (major, minor) >= (4, 5)


def _write_if_changed(path: Path, content: bytes) -> None:
    if path.is_file() and path.read_bytes() == content:
        return  # keep the timestamp: unchanged downloads are not re-uploaded by deploys
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def _inside(base: Path, target: Path) -> bool:
    return target.resolve().is_relative_to(base.resolve())


def write_downloads(app: Sphinx, docname: str, record: NotebookRecord) -> None:
    import nbformat

    srcdir, out = Path(app.srcdir), Path(app.outdir, DOWNLOAD_DIR)
    source = Path(app.env.doc2path(docname))
    try:
        run = executed_notebook(app, docname)
        if run is None:
            return  # not executed yet: nothing to offer
        notebook = downloadable_notebook(source, run)
    except Exception as exc:  # a download must never break the build
        warn(
            f"cannot prepare the notebook download: {type(exc).__name__}: {printable(str(exc))}",
            subtype="download",
            location=docname,
        )
        return
    ipynb = nbformat.writes(notebook).encode("utf-8") + b"\n"
    _write_if_changed(out / f"{docname}.ipynb", ipynb)
    if source.suffix != ".ipynb":
        _write_if_changed(out / f"{docname}{source.suffix}", source.read_bytes())
    # Inputs outside the source directory were reported when the page was read. The
    # record may come from an older build: no file from outside (through a link),
    # none twice, and never one that is written outside the download folder.
    files: dict[str, bytes] = {}
    seen: set[Path] = set()
    for name in record.get("inputs", []):
        path = srcdir / name
        if not (_inside(out, out / name) and _inside(srcdir, path)) or path.resolve() in seen:
            continue
        seen.add(path.resolve())
        try:
            files[name] = path.read_bytes()
        except OSError as exc:  # gone since the page was read
            warn(
                f"declared input {name!r} cannot be added to the download: "
                f"{exc.strerror or type(exc).__name__}",
                subtype="download",
                location=docname,
            )
    for name, content in files.items():
        _write_if_changed(out / name, content)
    if files:
        files[f"{docname}.ipynb"] = ipynb
        _write_if_changed(out / f"{docname}.zip", _zip(files, posixpath.dirname(docname)))


def _zip(files: dict[str, bytes], folder: str) -> bytes:
    """An archive of ``files`` (paths relative to the source directory), laid out from
    the notebook's ``folder`` when every file is inside it."""
    import io

    prefix = folder + "/" if folder else ""
    if prefix and all(name.startswith(prefix) for name in files):
        files = {name[len(prefix) :]: content for name, content in files.items()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def offers_buttons(app: Sphinx) -> bool:
    return app.builder.name in {"html", "dirhtml"}


def write_all_downloads(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: the downloadable notebooks of every notebook page."""
    if exception is not None or not offers_buttons(app) or not app.config.learn_downloads:
        return
    notebooks = get_domain(app.env).data["notebooks"]
    # A notebook's outputs change only when its page is read again; the others keep
    # the downloads of an earlier build (unless those went missing).
    read = build_state(app).to_read
    outdir = Path(app.outdir, DOWNLOAD_DIR)
    wanted = [
        docname
        for docname in sorted(notebooks)
        if docname in read or not (outdir / f"{docname}.ipynb").is_file()
    ]
    for docname in wanted:
        write_downloads(app, docname, notebooks[docname])
    if wanted:
        LOGGER.info("[learn] %d notebook download(s) written to %s", len(wanted), DOWNLOAD_DIR)


# -- The page component -----------------------------------------------------------------


def add_notebook_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: ``learn_notebook`` for notebook pages (else ``None``)."""
    context["learn_notebook"] = None
    record = get_domain(app.env).data["notebooks"].get(pagename)
    if record is None or not offers_buttons(app) or "pathto" not in context:
        return
    pathto = context["pathto"]
    downloads: list[dict[str, str]] = []
    if app.config.learn_downloads:
        downloads.append(
            {
                "label": _("Notebook (.ipynb)"),
                "url": pathto(f"{DOWNLOAD_DIR}/{pagename}.ipynb", 1),
                "filename": posixpath.basename(pagename) + ".ipynb",
            }
        )
        suffix = record["suffix"]
        if suffix != ".ipynb":
            downloads.append(
                {
                    "label": _("Source (%s)") % suffix,
                    "url": pathto(f"{DOWNLOAD_DIR}/{pagename}{suffix}", 1),
                    "filename": posixpath.basename(pagename) + suffix,
                }
            )
        if record.get("inputs"):
            downloads.append(
                {
                    "label": _("Notebook and data (.zip)"),
                    "url": pathto(f"{DOWNLOAD_DIR}/{pagename}.zip", 1),
                    "filename": posixpath.basename(pagename) + ".zip",
                }
            )
    launch = launch_links(launch_settings(app.config), pagename)
    for link in launch:
        if link["key"] == "jupyterlite" and "://" not in link["url"]:
            link["url"] = pathto(link["url"], 1)
    if not downloads and not launch:
        return
    context["learn_notebook"] = {
        "downloads": downloads,
        "launch": launch,
        "download_label": _("Download"),
        "download_title": _("Download this notebook"),
        "launch_label": _("Launch"),
        "launch_title": _("Run this notebook online"),
    }


def add_templates(app: Sphinx, config: Config) -> None:
    """``config-inited``: make ``learn-notebook-buttons.html`` available to any theme."""
    path = str(TEMPLATES_DIR)
    if path not in config.templates_path:
        config.templates_path = [*config.templates_path, path]


def setup_launch(app: Sphinx) -> None:
    app.connect("config-inited", add_templates)
    app.connect("config-inited", check_launch, priority=450)
    app.connect("html-page-context", add_notebook_context)
    app.connect("build-finished", write_all_downloads)
