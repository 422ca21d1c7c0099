"""*Edit this page* / *Report a problem with this page* (``learn_contributor``), link
previews (``<meta name="description">``, OpenGraph, Twitter card) and ``sitemap.xml``.

The site is ``tests/roots/test-page-links``: a flat toctree, a long title, rST, MyST, a
notebook and a notebook paired with its MyST text through Jupytext.
"""

from __future__ import annotations

import json
import re
import shutil
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from sphinx_numpy_learn.contributor_urls import edit_url, paired_source, report_url
from sphinx_numpy_learn.page_meta import trim

from .conftest import warnings_of

ROOT = Path(__file__).parent / "roots" / "test-page-links"
PAGES = ["guide", "index", "long-title", "notebook", "own-description", "paired", "reshaping"]
BASE = "https://example.org/docs/"
REPOSITORY = "https://github.com/org/repo"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}

# -- The addresses -------------------------------------------------------------------------

GITHUB = {"repository": REPOSITORY + "/"}
GITLAB = {
    "repository": "https://gitlab.example.org/group/project",
    "host": "gitlab",
    "branch": "dev",
    "docs_path": "/docs/",
}


def test_edit_urls_quote_paths_with_spaces_and_unicode():
    assert edit_url(GITHUB, "tutorials/a b/ñandú.md") == (
        REPOSITORY + "/edit/main/tutorials/a%20b/%C3%B1and%C3%BA.md"
    )
    assert edit_url(GITLAB, "café.ipynb") == (
        "https://gitlab.example.org/group/project/-/edit/dev/docs/caf%C3%A9.ipynb"
    )
    assert edit_url({**GITHUB, "branch": "release/2.0"}, "x.rst") == (
        REPOSITORY + "/edit/release/2.0/x.rst"
    )


def test_report_urls_name_the_page_title_and_address():
    title = "Arrays & \u201cshapes\u201d #1 ?x=1"
    url = report_url(GITHUB, title, BASE + "a b/ñ.html")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "github.com",
        "/org/repo/issues/new",
    )
    assert not parts.fragment  # the "#" of the title is encoded
    query = parse_qs(parts.query)
    assert query["title"] == [f"Problem on the page \u201c{title}\u201d"]
    assert query["body"][0].startswith(f"Page: {BASE}a b/ñ.html\n")
    gitlab = urlsplit(report_url(GITLAB, "T", "t.html"))
    assert gitlab.path == "/group/project/-/issues/new"
    query = parse_qs(gitlab.query)
    assert query["issue[title]"] == ["Problem on the page \u201cT\u201d"]
    assert query["issue[description]"][0].startswith("Page: t.html\n")
    assert report_url({}, "T", "t.html") is None


def _notebook(path: Path, formats: object) -> None:
    metadata = {"jupytext": {"formats": formats}} if formats is not None else {}
    path.write_text(json.dumps({"cells": [], "metadata": metadata}), encoding="utf-8")


def test_a_paired_notebook_is_edited_as_its_text(tmp_path):
    _notebook(tmp_path / "a b.ipynb", "ipynb,md:myst")
    (tmp_path / "a b.md").write_text("# A\n", encoding="utf-8")
    assert paired_source(tmp_path / "a b.ipynb") == tmp_path / "a b.md"
    _notebook(tmp_path / "script.ipynb", "ipynb,py:percent")
    (tmp_path / "script.py").write_text("", encoding="utf-8")
    assert paired_source(tmp_path / "script.ipynb") == tmp_path / "script.py"
    # The text is not there, is kept in another folder, or the metadata is not Jupytext's.
    _notebook(tmp_path / "alone.ipynb", "ipynb,md:myst")
    _notebook(tmp_path / "elsewhere.ipynb", "notebooks//ipynb,md//md:myst")
    (tmp_path / "elsewhere.md").write_text("", encoding="utf-8")
    _notebook(tmp_path / "odd.ipynb", ["ipynb", "md"])
    (tmp_path / "odd.md").write_text("", encoding="utf-8")
    (tmp_path / "broken.ipynb").write_text("{not json", encoding="utf-8")
    for name in ("alone.ipynb", "elsewhere.ipynb", "odd.ipynb", "broken.ipynb", "a b.md"):
        assert paired_source(tmp_path / name) is None, name


def test_descriptions_are_cut_at_a_word():
    assert trim("  short\n text ") == "short text"
    text = "word " * 50
    assert trim(text) == ("word " * 32).strip() + "\u2026"
    assert len(trim(text)) <= 160
    assert trim("x" * 200, 10) == "x" * 9 + "\u2026"  # one long word: cut inside it
    assert trim("Ends with a comma, " + "y" * 150, 30) == "Ends with a comma\u2026"


# -- Built pages ---------------------------------------------------------------------------


def build(srcdir: Path, buildername: str = "html", **kwargs) -> SphinxTestApp:
    app = SphinxTestApp(
        buildername, srcdir=srcdir, status=StringIO(), warning=StringIO(), **kwargs
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def fresh_copy(folder: Path) -> Path:
    shutil.copytree(ROOT, folder)
    return folder


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> SphinxTestApp:
    app = build(fresh_copy(tmp_path_factory.mktemp("page-links") / "src"))
    assert warnings_of(app) == ""
    return app


def page(app: SphinxTestApp, name: str) -> BeautifulSoup:
    path = Path(app.outdir, f"{name}.html")
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def head_tags(soup: BeautifulSoup) -> dict[str, str]:
    """The page's description, OpenGraph and Twitter tags (each must be there once)."""
    tags: dict[str, str] = {}
    for meta in soup.select("head meta"):
        key = meta.get("property") or meta.get("name")
        if key == "description" or str(key).startswith(("og:", "twitter:")):
            assert key not in tags, f"{key} twice"
            tags[key] = meta["content"]
    return tags


def links(soup: BeautifulSoup) -> dict[str, str]:
    return {a.get_text(strip=True): a["href"] for a in soup.select("ul.learn-page-links a")}


def sitemap(app: SphinxTestApp) -> list[str]:
    tree = ElementTree.parse(Path(app.outdir, "sitemap.xml"))
    return [loc.text for loc in tree.getroot().findall("s:url/s:loc", SITEMAP_NS)]


def test_every_page_links_to_its_source_and_to_a_new_issue(site):
    expected_sources = {
        "index": "index.md",
        "long-title": "long-title.rst",
        "notebook": "notebook.ipynb",
        "paired": "paired.md",  # Jupytext's text, not the .ipynb Sphinx read
        "reshaping": "reshaping.md",
        "own-description": "own-description.rst",
    }
    for name, source in expected_sources.items():
        shown = links(page(site, name))
        assert list(shown) == ["Edit this page", "Report a problem with this page"], name
        assert shown["Edit this page"] == f"{REPOSITORY}/edit/main/docs/source/{source}"
        report = urlsplit(shown["Report a problem with this page"])
        assert report.path == "/org/repo/issues/new"
        query = parse_qs(report.query)
        title = page(site, name).select_one("h1").get_text().rstrip("#¶").strip()
        assert query["title"] == [f"Problem on the page \u201c{title}\u201d"], name
        assert query["body"][0].startswith(f"Page: {BASE}{name}.html\n")
    # The guide's new-contributor callout links to the same source: one edit link.
    guide = page(site, "guide")
    assert list(links(guide)) == ["Report a problem with this page"]
    edits = [a for a in guide.select("a[href]") if "/edit/" in a["href"]]
    assert len(edits) == 1
    assert edits[0]["href"].endswith("/docs/source/guide.md")
    # Generated pages have no source.
    for name in ("genindex", "search"):
        assert not page(site, name).select("ul.learn-page-links"), name


def test_pages_describe_themselves_for_link_previews(site):
    reshaping = head_tags(page(site, "reshaping"))
    summary = "Change the shape of an array without copying its data, & see when NumPy copies."
    assert reshaping == {
        "description": summary + " Beginner, 25 minutes.",
        "og:title": "Reshaping arrays",
        "og:description": summary + " Beginner, 25 minutes.",
        "og:type": "article",
        "og:site_name": "Array tutorials",
        "og:url": BASE + "reshaping.html",
        "og:image": BASE + "_static/preview.png",
        "twitter:card": "summary_large_image",
    }
    # Other pages: the first paragraph of prose (not the note before it), cut at a word.
    long_title = head_tags(page(site, "long-title"))
    assert long_title["description"].startswith("Record arrays hold rows of mixed types.")
    assert long_title["description"].endswith("\u2026")
    assert len(long_title["description"]) <= 160
    assert long_title["og:title"].startswith("Working with tabular data")
    index = head_tags(page(site, "index"))
    assert index["og:type"] == "website"
    assert index["og:url"] == BASE + "index.html"
    # A page's own description is kept, and is the only one.
    own = head_tags(page(site, "own-description"))
    assert own["description"] == "The page's own description."
    assert head_tags(page(site, "notebook"))["description"] == "Run each cell in order."
    assert "og:title" not in head_tags(page(site, "genindex"))


def test_the_sitemap_lists_every_page_after_parallel_and_incremental_builds(site, tmp_path):
    expected = [f"{BASE}{name}.html" for name in PAGES]
    assert sitemap(site) == expected
    srcdir = fresh_copy(tmp_path / "src")
    parallel = build(srcdir, parallel=2)
    assert sitemap(parallel) == expected
    for name in PAGES:
        assert head_tags(page(parallel, name)) == head_tags(page(site, name)), name
        assert links(page(parallel, name)) == links(page(site, name)), name
    # One page changes: the next build writes only it, and the sitemap still lists all.
    (srcdir / "long-title.rst").write_text(
        (srcdir / "long-title.rst").read_text(encoding="utf-8") + "\nMore text.\n",
        encoding="utf-8",
    )
    again = build(srcdir, parallel=2)
    assert "long-title" in again.builder.env.all_docs
    assert sitemap(again) == expected


def test_dirhtml_addresses(tmp_path):
    app = build(fresh_copy(tmp_path / "src"), "dirhtml")
    assert sitemap(app) == [BASE + ("" if name == "index" else f"{name}/") for name in PAGES]
    soup = BeautifulSoup(
        Path(app.outdir, "long-title", "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert head_tags(soup)["og:url"] == BASE + "long-title/"
    report = parse_qs(urlsplit(links(soup)["Report a problem with this page"]).query)
    assert report["body"][0].startswith(f"Page: {BASE}long-title/\n")


def test_the_projects_own_settings_win(tmp_path):
    """pydata-sphinx-theme's own edit button: no second edit link. No html_baseurl: no
    og:url, no og:image from a path (a warning says why), no sitemap, page paths.
    Another theme: the pages build, with their tags. OpenGraph off: only descriptions."""
    app = build(
        fresh_copy(tmp_path / "pst"),
        confoverrides={
            "html_theme_options": {"use_edit_page_button": True},
            "html_context": {
                "github_user": "org",
                "github_repo": "repo",
                "github_version": "main",
                "doc_path": "docs/source",
            },
            "html_baseurl": "",
        },
    )
    soup = page(app, "long-title")
    assert list(links(soup)) == ["Report a problem with this page"]
    assert len(soup.select(".editthispage a")) == 1  # pydata-sphinx-theme's
    report = parse_qs(urlsplit(links(soup)["Report a problem with this page"]).query)
    assert report["body"][0].startswith("Page: long-title.html\n")
    tags = head_tags(soup)
    assert "og:url" not in tags
    assert "og:image" not in tags
    assert tags["twitter:card"] == "summary"
    assert not Path(app.outdir, "sitemap.xml").exists()
    # The picture is a path, and without html_baseurl it has no full address.
    (line,) = [ln for ln in warnings_of(app).splitlines() if "[learn." in ln]
    assert re.match(r".*conf\.py:\d+: WARNING: learn_opengraph_image '_static/preview\.png'", line)
    assert line.endswith("[learn.config]")

    other = build(
        fresh_copy(tmp_path / "alabaster"),
        confoverrides={"html_theme": "alabaster", "learn_opengraph": False},
    )
    assert warnings_of(other) == ""
    assert list(head_tags(page(other, "reshaping"))) == ["description"]
    assert Path(other.outdir, "sitemap.xml").exists()
