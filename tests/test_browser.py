"""The catalog in a real browser (Chromium, through Playwright): filters work with
the keyboard, announce their result, and without JavaScript every card is shown."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading

import pytest

pytestmark = pytest.mark.browser

try:
    from playwright import sync_api as playwright_api
except ImportError:  # pragma: no cover - the test extra installs it
    playwright_api = None


def missing(what: str) -> None:
    """Never skip silently: without the browser these tests fail, saying what to install.
    (Deselect them on purpose with ``-m "not browser"``.)"""
    pytest.fail(f"{what} is needed for the browser tests")


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if path is None:
        missing("Chromium (apt-get install chromium)")
    return path


@pytest.fixture(scope="module")
def site(rootdir, tmp_path_factory):
    """The ``tutorials`` test project, built once and served over HTTP."""
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    srcdir = tmp_path_factory.mktemp("browser") / "tutorials"
    shutil.copytree(rootdir / "test-tutorials", srcdir)
    app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO())
    app.build()
    assert app.warning.getvalue() == ""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(app.outdir))
    handler.log_message = lambda *args: None  # keep the test output quiet
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    app.cleanup()


@pytest.fixture(scope="module")
def browser():
    if playwright_api is None:
        missing("Playwright (pip install -e '.[test]')")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path(), args=["--no-sandbox"]
        )
        yield chromium
        chromium.close()


def visible_cards(page) -> list[str]:
    return page.eval_on_selector_all(
        "li.learn-card:not([hidden])", "cards => cards.map(c => c.dataset.learnDoc)"
    )


def test_filters_work_with_the_keyboard(site, browser):
    page = browser.new_page()
    page.goto(f"{site}/index.html")
    form = page.locator("form.learn-catalog-filters")
    assert form.is_visible()
    assert visible_cards(page) == ["first", "second", "notebook", "third"]

    # Tab into the form: the first control is the "Beginner" checkbox.
    page.locator("body").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "level":
            break
    assert page.evaluate("document.activeElement.value") == "beginner"
    page.keyboard.press("Space")
    assert visible_cards(page) == ["first"]
    status = page.locator(".learn-catalog-status")
    assert status.get_attribute("role") == "status"
    assert status.inner_text() == "Showing 1 of 4 tutorials"
    # Groups with no card left are hidden with their title.
    assert not page.locator("#learn-level-intermediate").is_visible()

    page.keyboard.press("Tab")  # Intermediate
    page.keyboard.press("Space")
    assert visible_cards(page) == ["first", "second"]

    page.locator('select[name="tag"]').focus()
    page.keyboard.press("ArrowDown")  # "arrays"
    page.keyboard.press("ArrowDown")  # "indexing"
    assert visible_cards(page) == ["second"]

    page.locator('button[type="reset"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('li.learn-card:not([hidden])').length == 4")
    assert status.inner_text() == "Showing 4 of 4 tutorials"
    page.close()


def test_no_match_is_announced(site, browser):
    page = browser.new_page()
    page.goto(f"{site}/index.html")
    page.get_by_label("Advanced").check()
    page.locator('select[name="tag"]').select_option("indexing")
    assert visible_cards(page) == []
    assert page.locator(".learn-catalog-status").inner_text() == (
        "No tutorial matches these filters."
    )
    page.close()


def test_without_javascript_every_card_is_shown(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/index.html")
    assert not page.locator("form.learn-catalog-filters").is_visible()
    assert page.locator("li.learn-card").count() == 4
    assert all(card.is_visible() for card in page.locator("li.learn-card").all())
    context.close()
