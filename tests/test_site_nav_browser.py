"""The site navigation of a flat tutorial collection (tests/roots/test-flat-site, grown
by conftest's ``flat_site_build``: a learning path, a failing notebook, the report) in
Chromium: axe-core finds no WCAG 2.2 A/AA violation in light or dark mode, on a desktop
or in a phone's open sidebar; the links work from the keyboard; done tutorials get a
tick and the progress line counts them; without JavaScript every link is there.
Screenshots go where tests/test_accessibility.py puts them (``flat-site-*.png``).
"""

from __future__ import annotations

import pytest

from . import test_accessibility
from .conftest import FLAT_SITE_ADDED, served_folder
from .test_accessibility import (
    PHONE,
    any_visible,
    assert_focus_is_visible,
    describe_violations,
    open_page,
    run_axe,
    screenshot,
    tab_to,
    theme_of,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# axe-core's source, as tests/test_accessibility.py loads it (a fixture).
axe_source = test_accessibility.axe_source

# A tutorial that is not a step of the site's learning path (whose steps come first).
TUTORIAL = "x-ray-images.html"
PAGES = 11 + len(FLAT_SITE_ADDED)  # in the flat toctree
TUTORIALS = 9  # of them with a level


@pytest.fixture(scope="module")
def flat_site(flat_site_build):
    """The grown flat site (see conftest), served over HTTP from a thread."""
    with served_folder(flat_site_build.outdir) as url:
        yield url


def open_sidebar(page) -> None:
    """On a phone, the sidebar is a dialog opened from the header's menu button."""
    page.locator("button.primary-toggle").click()
    nav = page.locator("#pst-primary-sidebar-modal .learn-site-nav")
    nav.wait_for(state="visible")
    # It slides in from the left.
    page.wait_for_function(
        "el => el.getBoundingClientRect().left >= 0", arg=nav.element_handle(), timeout=3000
    )
    page.wait_for_timeout(300)


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize(
    "page_name",
    # Home, a tutorial, a learning path's step, a notebook that failed, the report.
    [
        "index.html",
        TUTORIAL,
        "weather.html",
        "temperature-anomalies.html",
        "execution-report.html",
    ],
)
def test_axe_finds_no_violation_in_the_site_navigation(
    flat_site, browser, axe_source, page_name, mode
):
    with open_page(browser, f"{flat_site}/{page_name}", mode=mode) as page:
        assert theme_of(page) == mode
        nav = page.locator("#pst-primary-sidebar .learn-site-nav")
        assert nav.is_visible()
        assert nav.locator("ul.bd-sidenav a").count() == PAGES
        name = page_name.removesuffix(".html")
        screenshot(page, f"flat-site-{name}-{mode}", full_page=False)
        violations = run_axe(page, axe_source)
        assert page.errors == []
    assert not violations, describe_violations(violations)


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_phone_sidebar_lists_every_page_once(flat_site, browser, axe_source, mode):
    with open_page(browser, f"{flat_site}/{TUTORIAL}", mode=mode, viewport=PHONE) as page:
        open_sidebar(page)
        screenshot(page, f"flat-site-phone-sidebar-{mode}", full_page=False)
        dialog = page.locator("#pst-primary-sidebar-modal")
        # The header's links are the same pages: shown once, with their badges.
        links = dialog.locator("a[href$='.html']")
        shown = [
            links.nth(i).get_attribute("href")
            for i in range(links.count())
            if links.nth(i).is_visible()
        ]
        assert len(shown) == PAGES, shown
        assert len(set(shown)) == PAGES, shown
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        violations = run_axe(page, axe_source)
    assert not violations, describe_violations(violations)


def test_site_navigation_with_the_keyboard(flat_site, browser):
    with open_page(browser, f"{flat_site}/{TUTORIAL}") as page:
        tab_to(page, ".learn-site-nav a[href='tabular-data.html']")
        assert_focus_is_visible(page, "a link of the site navigation")
        page.keyboard.press("Enter")
        page.wait_for_url("**/tabular-data.html")
        current = page.locator('.learn-site-nav a[aria-current="page"]')
        assert current.get_attribute("href") == "tabular-data.html"


def test_done_tutorials_get_a_tick_and_count(flat_site, browser):
    with open_page(browser, f"{flat_site}/{TUTORIAL}") as page:
        line = page.locator(".learn-site-nav p.learn-nav-progress")
        assert line.inner_text().strip() == f"0 of {TUTORIALS} done"
        item = page.locator('.learn-site-nav li[data-learn-doc="x-ray-images"]')
        assert item.locator(".learn-nav-done").count() == 0
        page.locator("input.learn-done-input").check()
        assert line.inner_text().strip() == f"1 of {TUTORIALS} done"
        assert "learn-is-done" in item.get_attribute("class")
        # Seen as a tick, read as a word: part of the link's name.
        assert item.locator("a").inner_text().endswith("(Done)")
        page.goto(f"{flat_site}/about.html")
        page.wait_for_load_state("networkidle")
        assert page.locator(".learn-site-nav .learn-nav-done").count() == 1
        page.locator(
            '.learn-site-nav li[data-learn-doc="x-ray-images"]'
        ).scroll_into_view_if_needed()
        screenshot(page, "flat-site-done", full_page=False)


def test_site_navigation_without_javascript(flat_site, browser):
    url = f"{flat_site}/{TUTORIAL}"
    with open_page(browser, url, mode=None, java_script_enabled=False) as page:
        nav = page.locator("#pst-primary-sidebar .learn-site-nav")
        assert nav.is_visible()
        links = nav.locator("a")
        assert links.count() == PAGES
        assert all(links.nth(i).is_visible() for i in range(PAGES))
        # Progress needs the script: the line stays hidden, no tick is drawn.
        assert not any_visible(nav.locator(".learn-nav-progress"))
        assert nav.locator(".learn-nav-done").count() == 0


def test_tabs_and_copy_buttons_on_a_real_projects_page(flat_site, browser, axe_source):
    """Long tab labels on a phone, the reader's choice, a Copy button without the "$ "."""
    with open_page(
        browser, f"{flat_site}/about.html", viewport=PHONE, permissions=["clipboard-read"]
    ) as page:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.locator("div.sd-tab-set > label").nth(1).click()
        assert page.get_by_text("conda install -c conda-forge").is_visible()
        page.locator("button.learn-copy:visible").click()
        assert page.evaluate("navigator.clipboard.readText()") == (
            "conda install -c conda-forge numpy matplotlib jupyterlab"
        )
        screenshot(page, "flat-site-tabs-phone", full_page=False)
        violations = run_axe(page, axe_source)
    assert not violations, describe_violations(violations)
