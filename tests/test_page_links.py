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
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from sphinx_numpy_learn import page_meta
from sphinx_numpy_learn.contributor_urls import (
    edit_url,
    jupytext_formats,
    paired_source,
    report_url,
)
from sphinx_numpy_learn.page_links import theme_edit_button
from sphinx_numpy_learn.page_meta import site_url, web_pages, writes_opengraph, writes_sitemap
from sphinx_numpy_learn.rich_text import trim

from .conftest import warnings_of

ROOT = Path(__file__).parent / "roots" / "test-page-links"
PAGES = [
    "broadcasting",
    "guide",
    "index",
    "long-title",
    "notebook",
    "own-description",
    "paired",
    "reshaping",
]
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


def test_a_paired_notebook_is_edited_as_its_text(tmp_path):
    for name in ("a b.ipynb", "a b.md", "script.ipynb", "script.py", "elsewhere.md"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert paired_source(tmp_path / "a b.ipynb", "ipynb,md:myst") == tmp_path / "a b.md"
    assert paired_source(tmp_path / "script.ipynb", "ipynb,py:percent") == tmp_path / "script.py"
    # The text is not there, is kept in another folder, or the page is not a notebook.
    assert paired_source(tmp_path / "alone.ipynb", "ipynb,md:myst") is None
    assert paired_source(tmp_path / "elsewhere.ipynb", "notebooks//ipynb,md//md:myst") is None
    assert paired_source(tmp_path / "a b.md", "ipynb,md:myst") is None
    # Jupytext's metadata: a mapping, or the JSON text MyST-NB leaves in env.metadata.
    assert jupytext_formats({"formats": "ipynb,md:myst"}) == "ipynb,md:myst"
    assert jupytext_formats('{"formats": "ipynb,py:percent"}') == "ipynb,py:percent"
    for odd in ({"formats": ["ipynb", "md"]}, "{not json", None, ["ipynb"], '"text"'):
        assert jupytext_formats(odd) == "", odd


def test_descriptions_are_cut_at_a_word():
    assert trim("  short\n text ", 160) == "short text"
    text = "word " * 50
    assert trim(text, 160) == ("word " * 32).strip() + "\u2026"
    assert len(trim(text, 160)) <= 160
    assert trim("x" * 200, 10) == "x" * 9 + "\u2026"  # one long word: cut inside it
    assert trim("Ends with a comma, " + "y" * 150, 30) == "Ends with a comma\u2026"


# -- Built pages ---------------------------------------------------------------------------


def build(srcdir: Path, buildername: str = "html", **kwargs) -> SphinxTestApp:
    kwargs.setdefault("status", StringIO())
    app = SphinxTestApp(buildername, srcdir=srcdir, warning=StringIO(), **kwargs)
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
    # A tutorial without a summary or outcome: its first paragraph of prose, not the note
    # before it, in its JSON-LD and its tags alike.
    broadcasting = page(site, "broadcasting")
    first = "Broadcasting lets NumPy combine arrays of different shapes without copying them."
    json_ld = json.loads(broadcasting.select_one('script[type="application/ld+json"]').string)
    assert json_ld["description"] == first
    assert head_tags(broadcasting)["description"] == first + " Beginner, 10 minutes."
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
    status = StringIO()
    again = build(srcdir, parallel=2, status=status)
    output = re.sub(r"\x1b\[[0-9;]*m|\x1b\[2K", "", status.getvalue())
    written = re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", output)
    assert written == ["long-title"], output
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
    """pydata-sphinx-theme's own edit button (on in a child theme): no second edit
    link. No html_baseurl: no og:url, no og:image from a path (a warning says why), no
    sitemap, page paths.
    Another theme: the pages build, with their tags. OpenGraph off: only descriptions."""
    srcdir = fresh_copy(tmp_path / "pst")
    # A child theme turns pydata-sphinx-theme's button on in its theme.toml.
    (srcdir / "_themes" / "child").mkdir(parents=True)
    (srcdir / "_themes" / "child" / "theme.toml").write_text(
        '[theme]\ninherit = "sphinx_numpy_learn"\n\n[options]\nuse_edit_page_button = true\n',
        encoding="utf-8",
    )
    app = build(
        srcdir,
        confoverrides={
            "html_theme": "child",
            "html_theme_path": ["_themes"],
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


def test_a_notebook_has_one_edit_link_when_its_text_appears_later(tmp_path):
    """The source to edit is worked out when the page is read, once: a notebook's
    ``new-contributor`` callout and its page links name the same file, even when the
    paired text appears after the notebook was read (the next build writes every page
    again and reads none)."""
    srcdir = fresh_copy(tmp_path / "src")
    (srcdir / "paired.md").unlink()
    path = srcdir / "paired.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    callout = [":::{new-contributor}\n", ":links: edit\n", "Fix a typo.\n", ":::"]
    notebook["cells"].insert(
        1, {"cell_type": "markdown", "id": "c", "metadata": {}, "source": callout}
    )
    path.write_text(json.dumps(notebook), encoding="utf-8")
    build(srcdir)
    (srcdir / "paired.md").write_text("# A paired notebook\n", encoding="utf-8")
    status = StringIO()
    again = SphinxTestApp("html", srcdir=srcdir, status=status, warning=StringIO())
    try:
        again.build(force_all=True)
    finally:
        again.cleanup()
    assert "0 changed" in status.getvalue()  # nothing read again
    soup = page(again, "paired")
    edits = {a["href"] for a in soup.select("a[href]") if "/edit/" in a["href"]}
    assert edits == {f"{REPOSITORY}/edit/main/docs/source/paired.ipynb"}
    assert list(links(soup)) == ["Report a problem with this page"]
    # Read again (the notebook changed): both name the text now, and the text is a
    # dependency of the page: when it goes, the notebook is read again.
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    for text in ("paired.md", "paired.ipynb"):
        soup = page(build(srcdir), "paired")
        edits = {a["href"] for a in soup.select("a[href]") if "/edit/" in a["href"]}
        assert edits == {f"{REPOSITORY}/edit/main/docs/source/{text}"}
        assert list(links(soup)) == ["Report a problem with this page"]
        (srcdir / "paired.md").unlink(missing_ok=True)


@pytest.mark.parametrize(
    ("value", "on"), [(True, True), (1, True), (False, False), ("true", False), (None, False)]
)
def test_the_parents_edit_button_is_read_as_its_template_reads_it(value, on):
    # pydata-sphinx-theme's template: ``theme_use_edit_page_button==true``.
    assert theme_edit_button({"theme_use_edit_page_button": value}) is on
    assert theme_edit_button({}) is False


def fake_app(builder: str = "html", extensions: tuple[str, ...] = (), **config) -> SimpleNamespace:
    settings = {
        "learn_opengraph": True,
        "learn_sitemap": True,
        "learn_opengraph_image": "_static/preview.png",
        "html_baseurl": BASE,
        **config,
    }
    return SimpleNamespace(
        config=SimpleNamespace(**settings),
        extensions=dict.fromkeys(extensions),
        builder=SimpleNamespace(
            name=builder, format="html" if "html" in builder or builder == "epub" else builder
        ),
    )


def test_our_tags_and_sitemap_step_aside_for_the_packages_that_write_them():
    assert writes_opengraph(fake_app())
    assert writes_sitemap(fake_app())
    assert not writes_opengraph(fake_app(extensions=("sphinxext.opengraph",)))
    assert writes_sitemap(fake_app(extensions=("sphinxext.opengraph",)))
    assert not writes_sitemap(fake_app(extensions=("sphinx_sitemap",)))
    assert writes_opengraph(fake_app(extensions=("sphinx_sitemap",)))
    assert not writes_opengraph(fake_app(learn_opengraph=False))
    assert not writes_sitemap(fake_app(html_baseurl=""))
    assert writes_sitemap(fake_app("dirhtml"))
    for builder in ("singlehtml", "epub", "latex"):
        assert not writes_sitemap(fake_app(builder)), builder
    assert web_pages(fake_app("singlehtml"))
    assert not web_pages(fake_app("epub"))
    assert not web_pages(fake_app("latex"))


def test_a_picture_path_without_the_sites_address_warns_only_where_tags_are_written(
    monkeypatch,
):
    warned: list[str] = []
    monkeypatch.setattr(page_meta, "warn", lambda message, **kwargs: warned.append(message))
    monkeypatch.setattr(page_meta, "conf_location", lambda app, name: None)
    page_meta.check_image(fake_app(html_baseurl=""))
    assert len(warned) == 1
    for app in (
        fake_app("latex", html_baseurl=""),
        fake_app("epub", html_baseurl=""),
        fake_app(html_baseurl="", extensions=("sphinxext.opengraph",)),
        fake_app(html_baseurl="", learn_opengraph_image="https://example.org/a.png"),
    ):
        page_meta.check_image(app)
    assert len(warned) == 1


def test_site_addresses_are_joined_and_quoted_once():
    app = fake_app(html_baseurl="https://example.org/docs")
    assert site_url(app, "a b/") == "https://example.org/docs/a%20b/"  # dirhtml's path
    assert site_url(app, "a%20b.html#x") == "https://example.org/docs/a%20b.html#x"
    assert site_url(app, "/_static/preview.png") == "https://example.org/docs/_static/preview.png"
    assert site_url(fake_app(html_baseurl=""), "a.html") is None


def test_latex_and_singlehtml_builds(tmp_path):
    """LaTeX: no warning about the picture (no tags are written). singlehtml: the one
    page has its tags and links; no sitemap."""
    latex = build(fresh_copy(tmp_path / "latex"), "latex", confoverrides={"html_baseurl": ""})
    assert "[learn." not in warnings_of(latex)
    single = build(fresh_copy(tmp_path / "single"), "singlehtml")
    assert "[learn." not in warnings_of(single)
    soup = page(single, "index")
    tags = head_tags(soup)
    assert tags["og:title"] == "Array tutorials"
    # One page holds every page: own-description's own tag is the page's description.
    assert tags["description"] == "The page's own description."
    assert tags["og:description"].startswith("Short lessons on NumPy arrays")
    assert tags["og:url"] == BASE + "index.html"
    assert list(links(soup)) == ["Edit this page", "Report a problem with this page"]
    assert links(soup)["Edit this page"] == f"{REPOSITORY}/edit/main/docs/source/index.md"
    report = parse_qs(urlsplit(links(soup)["Report a problem with this page"]).query)
    assert report["body"][0].startswith(f"Page: {BASE}index.html\n")
    assert not Path(single.outdir, "sitemap.xml").exists()
