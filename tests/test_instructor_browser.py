"""The Instructor view button in Chromium (keyboard only, remembered, printed per view,
axe in both colour modes, a phone's width, blocked storage), the notes without
JavaScript, and a learning path on one page printed one step per sheet."""

from __future__ import annotations

import pytest

from .conftest import served_folder
from .test_accessibility import (
    OVERFLOW,
    PHONE,
    describe_violations,
    open_page,
    run_axe,
    screenshot,
)

pytestmark = pytest.mark.browser

TUTORIAL = "tutorials/index-and-slice-arrays.html"
OTHER_TUTORIAL = "tutorials/create-your-first-arrays.html"
BOOK = "first-steps-on-one-page.html"


@pytest.fixture(scope="module")
def site(example_build):
    with served_folder(example_build.outdir) as url:
        yield url


@pytest.fixture(scope="module")
def axe_source() -> str:
    from .test_accessibility import AXE_SCRIPT

    return AXE_SCRIPT.read_text(encoding="utf-8")


def shown(page, selector: str) -> list[bool]:
    return page.eval_on_selector_all(selector, "els => els.map(e => e.checkVisibility())")


def tab_to(page, selector: str) -> None:
    page.locator("body").focus()
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_instructor_view_with_the_keyboard(site, browser, axe_source, mode):
    with open_page(browser, f"{site}/{TUTORIAL}", mode=mode) as page:
        button = page.locator("button.learn-inote-toggle")
        # Learner view: notes and totals hidden, on screen and on paper.
        assert button.is_visible()
        assert button.get_attribute("aria-pressed") == "false"
        assert not any(shown(page, ".learn-inote"))
        assert not page.locator(".learn-inote-only").is_visible()
        page.emulate_media(media="print")
        assert not any(shown(page, ".learn-inote"))
        page.emulate_media(media="screen")

        tab_to(page, "button.learn-inote-toggle")
        page.keyboard.press("Enter")
        assert button.get_attribute("aria-pressed") == "true"
        notes = page.locator("details.learn-inote")
        assert notes.count() == 4
        assert all(shown(page, "details.learn-inote"))
        assert all(notes.nth(i).get_attribute("open") is not None for i in range(4))
        totals = page.locator(".learn-inote-only")
        assert totals.is_visible()
        assert totals.inner_text() == "Timing for this page: 25 min teaching, 20 min exercises"
        page.emulate_media(media="print")
        assert all(shown(page, "details.learn-inote"))
        page.emulate_media(media="screen")
        page.locator(".learn-inote").first.scroll_into_view_if_needed()
        screenshot(page, f"instructor-view-{mode}", full_page=False)
        violations = run_axe(page, axe_source)
        assert not violations, describe_violations(violations)

        # Remembered across pages of the site (under the progress key's name), and
        # off again with Space. Only the notes (disclosures) are opened.
        page.goto(f"{site}/{OTHER_TUTORIAL}", wait_until="networkidle")
        assert button.get_attribute("aria-pressed") == "true"
        assert all(shown(page, "details.learn-inote"))
        assert page.locator(".learn-inote-only").is_visible()
        assert page.locator(".learn-inote-only[open]").count() == 0
        project = page.eval_on_selector(
            "script[data-learn-project]", "e => e.dataset.learnProject"
        )
        views = [key for key in page.evaluate("Object.keys(localStorage)") if "view" in key]
        assert views == [f"sphinx-numpy-learn:v1:/:{project}:view"]
        tab_to(page, "button.learn-inote-toggle")
        page.keyboard.press("Space")
        assert button.get_attribute("aria-pressed") == "false"
        assert not any(shown(page, ".learn-inote"))
        assert page.errors == []


def test_instructor_view_fits_a_phone_and_works_without_storage(site, browser):
    with open_page(browser, f"{site}/{TUTORIAL}", viewport=PHONE) as page:
        # Storage blocked (as some browsers' privacy settings do): the view is not
        # remembered, but the button works.
        page.add_init_script(
            "Object.defineProperty(window, 'localStorage',"
            " {get() { throw new DOMException('blocked', 'SecurityError') }})"
        )
        page.reload()
        assert not any(shown(page, ".learn-inote"))
        page.locator("button.learn-inote-toggle").click()
        assert page.locator("button.learn-inote-toggle").get_attribute("aria-pressed") == "true"
        assert all(shown(page, "details.learn-inote"))
        page.locator(".learn-inote").first.scroll_into_view_if_needed()
        screenshot(page, "instructor-view-mobile", full_page=False)
        result = page.evaluate(OVERFLOW)
    assert result["html"] <= result["innerWidth"], result["wide"]


def test_notes_without_javascript_are_closed_disclosures(site, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site}/{TUTORIAL}", wait_until="load")
        assert not page.locator("button.learn-inote-toggle").is_visible()
        assert not page.locator(".learn-inote-only").is_visible()
        note = page.locator("details.learn-inote").first
        assert note.is_visible()
        assert note.get_attribute("open") is None
        note.locator("summary").click()
        assert note.get_attribute("open") is not None
    finally:
        context.close()


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_a_path_on_one_page(site, browser, axe_source, mode):
    with open_page(browser, f"{site}/{BOOK}", mode=mode) as page:
        steps = page.locator("section.learn-book-step")
        assert steps.count() == 5
        assert (
            page.locator("section.learn-book-step h2")
            .first.inner_text()
            .startswith("Create and explore your first arrays")
        )
        # One Instructor view button for the whole path.
        assert page.locator("button.learn-inote-toggle").count() == 1
        screenshot(page, f"path-book-{mode}", full_page=False)
        violations = run_axe(page, axe_source)
        assert not violations, describe_violations(violations)
        # On paper: a step per sheet, no sidebars.
        page.emulate_media(media="print")
        breaks = steps.evaluate_all("els => els.map(e => getComputedStyle(e).breakBefore)")
        assert breaks == ["page"] * 5
        assert not page.locator(".bd-sidebar-primary").is_visible()
        assert page.errors == []


def test_a_path_on_one_page_fits_a_phone(site, browser):
    with open_page(browser, f"{site}/{BOOK}", viewport=PHONE) as page:
        screenshot(page, "path-book-mobile", full_page=False)
        result = page.evaluate(OVERFLOW)
    assert result["html"] <= result["innerWidth"], result["wide"]
