"""The search index is loaded when a reader searches, not with every page
(theme/search.py): built pages, and searching in Chromium with and without
pydata-sphinx-theme's search-as-you-type."""

from __future__ import annotations

import re
import sys
from types import SimpleNamespace

import pytest

from sphinx_numpy_learn.assets import SEARCH_SCRIPT
from sphinx_numpy_learn.theme.page_assets import page_files
from sphinx_numpy_learn.theme.search import search_as_you_type, search_head

from .conftest import TESTS_DIR, served_folder, sphinx_build
from .test_accessibility import open_page

SEARCH_SCRIPTS = re.compile(r'src="[^"]*(searchindex|searchtools|language_data)\.js')
PARENT_HEAD = """
  <meta name="viewport" content="width=device-width, initial-scale=1"/>
    <script src="../_static/searchtools.js"></script>
    <script src="../_static/language_data.js"></script>
    <script src="../searchindex.js"></script>
"""


def scripts_of(html: str) -> list[str]:
    return [match[1] for match in SEARCH_SCRIPTS.finditer(html)]


def test_the_head_loses_the_scripts_the_page_does_not_need():
    assert scripts_of(search_head(PARENT_HEAD, as_you_type=False)) == []
    kept = search_head(PARENT_HEAD, as_you_type=True)
    assert scripts_of(kept) == ["searchtools", "language_data"]
    assert '<meta name="viewport"' in kept
    # A tag written another way (attributes, a query string) goes too.
    other = '<script defer="defer" src="searchindex.js?v=1" data-x="y"></script>\n'
    assert search_head(other, as_you_type=True) == ""
    # Anything else stays as it is.
    assert search_head('<script src="my-searchindex-notes.js"></script>', as_you_type=False) != ""


@pytest.mark.parametrize(
    ("value", "on"),
    [(True, True), ("True", True), ("1", True), (False, False), ("false", False), ("0", False)],
)
def test_search_as_you_type_is_read_as_the_parent_reads_it(value, on):
    assert search_as_you_type({"theme_search_as_you_type": value}) is on
    assert search_as_you_type({}) is False


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """test-basic with the theme: search-as-you-type off (the parent's default) and on."""
    folders = {}
    for name, options in [("off", []), ("on", ["-D", "html_theme_options.search_as_you_type=1"])]:
        outdir = tmp_path_factory.mktemp(f"search-{name}") / "html"
        sphinx_build(
            [
                sys.executable,
                "-m",
                "sphinx",
                "-q",
                "-b",
                "html",
                "-D",
                "html_theme=sphinx_numpy_learn",
                *options,
                str(TESTS_DIR / "roots" / "test-basic"),
                str(outdir),
            ]
        )
        folders[name] = outdir
    return folders


def test_pages_load_no_index_and_the_search_page_keeps_it(sites):
    off, on = sites["off"], sites["on"]
    assert scripts_of((off / "index.html").read_text(encoding="utf-8")) == []
    assert scripts_of((off / "markdown.html").read_text(encoding="utf-8")) == []
    assert scripts_of((on / "index.html").read_text(encoding="utf-8")) == [
        "searchtools",
        "language_data",
    ]
    assert "scripts/learn-search.js" in (on / "index.html").read_text(encoding="utf-8")
    assert "learn-search.js" not in (off / "index.html").read_text(encoding="utf-8")
    for site in (off, on):
        search_page = (site / "search.html").read_text(encoding="utf-8")
        assert sorted(scripts_of(search_page)) == ["language_data", "searchindex", "searchtools"]
        assert "learn-search.js" not in search_page


def index_requests(page) -> list[str]:
    """The page's requests for the search index: none while it loaded, and those made
    from now on."""
    loaded = page.evaluate("performance.getEntriesByType('resource').map(entry => entry.name)")
    assert [url for url in loaded if "searchindex" in url] == [], loaded
    assert any(url.endswith(".css") or "css?" in url for url in loaded), loaded
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    return requests


@pytest.mark.browser
def test_search_from_the_dialog_opens_the_search_page(sites, browser):
    with served_folder(sites["off"]) as base, open_page(browser, f"{base}/markdown.html") as page:
        requests = index_requests(page)
        page.keyboard.press("Control+k")
        box = page.locator("#pst-search-dialog input[name=q]")
        box.wait_for()
        box.fill("reStructuredText")
        box.press("Enter")
        page.wait_for_url(re.compile(r"/search\.html\?q=reStructuredText"))
        page.locator("#search-results li").first.wait_for()
        assert f"{base}/searchindex.js" in requests
        assert page.errors == []


@pytest.mark.browser
def test_search_as_you_type_loads_the_index_when_the_dialog_opens(sites, browser):
    with served_folder(sites["on"]) as base, open_page(browser, f"{base}/markdown.html") as page:
        requests = index_requests(page)
        page.keyboard.press("Control+k")
        box = page.locator("#pst-search-dialog input[name=q]")
        box.wait_for()
        # Typed at once: the query waits for the index, then runs.
        box.press_sequentially("reStructuredText")
        page.locator("#search-results li").first.wait_for()
        assert [url for url in requests if "searchindex" in url] == [f"{base}/searchindex.js"]
        assert page.url == f"{base}/markdown.html"
        assert page.errors == []


def test_the_index_loader_is_one_of_the_themes_page_files():
    app = SimpleNamespace(builder=SimpleNamespace(), env=SimpleNamespace(found_docs=set()))
    assert SEARCH_SCRIPT in page_files(app, "index", {"theme_search_as_you_type": True})
    assert SEARCH_SCRIPT in page_files(app, "index", {"theme_search_as_you_type": "1"})
    assert SEARCH_SCRIPT not in page_files(app, "index", {"theme_search_as_you_type": False})
    assert SEARCH_SCRIPT not in page_files(app, "index", {})
    assert SEARCH_SCRIPT not in page_files(app, "search", {"theme_search_as_you_type": True})
