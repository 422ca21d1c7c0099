"""The example site as people use it, in Chromium (through Playwright): axe-core finds no
WCAG 2.2 A/AA violation in light or dark mode; every control works from the keyboard
alone and shows where the focus is; every page is complete without JavaScript; nothing
scrolls sideways on a 375 px phone; no page fetches anything from the network. Each page
type is also saved as screenshots (light, dark, phone) for a person to look at.

Screenshots go to ``tests/output/screenshots/``, or to ``$LEARN_TEST_OUTPUT/screenshots/``
when that variable names another output folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path

import pytest

from .conftest import TESTS_DIR, playwright_api, served_folder

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# One page of each type the site has, by the name the tests and screenshots use.
PAGES = {
    "landing": "index.html",
    "catalog": "tutorials/index.html",
    "tutorial": "tutorials/create-your-first-arrays.html",
    "contributor": "contributing/make-your-first-pull-request.html",
    "setup": "contributing/set-up-a-development-environment.html",
    "execution-report": "execution-report.html",
    "maths": "tutorials/solve-linear-systems.html",
    "revision": "first-steps-key-points.html",
}

# What makes each page the type it stands for here: checked so that an edit to the
# example site cannot quietly turn a test of a tutorial into a test of a plain page.
PAGE_HAS = {
    "landing": ["div.learn-catalog li.learn-card", "form.learn-catalog-filters"],
    "catalog": ["div.learn-catalog li.learn-card"],
    "tutorial": [
        "details.learn-solution",
        "details.learn-hint",
        "section.learn-checkpoint",
        ".learn-term [role=tooltip]",
    ],
    "contributor": ["aside.learn-new-contributor", "aside.learn-key-points"],
    "setup": ["aside.learn-first-time-setup", "div.sd-tab-set"],
    "execution-report": ["table.learn-execution-report"],
    "maths": [".math, math"],
    "revision": ["div.learn-revision-sheet h2 a"],
}

MODES = ["light", "dark"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
# Any URL but the test server's (data: and blob: URLs never reach a route).
NOT_LOCAL = re.compile(r"^(?!https?://127\.0\.0\.1[:/])")


def output_dir() -> Path:
    root = os.environ.get("LEARN_TEST_OUTPUT") or TESTS_DIR / "output"
    folder = Path(root) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def screenshot(page, name: str, *, full_page: bool) -> None:
    path = output_dir() / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    assert path.is_file(), path
    assert path.stat().st_size > 0, path


@pytest.fixture(scope="module")
def site(example_build):
    """The session's build of the example site, served over HTTP from a thread."""
    with served_folder(example_build.outdir) as url:
        yield url


# axe-core as published on npm, vendored so that the tests need no npm; `make update-axe`
# brings the newest release. Older releases miss rules (4.14's label-content-name-mismatch
# on inherited controls), so the tests say which one they run and refuse an old one.
AXE_SCRIPT = TESTS_DIR / "vendor" / "axe-core" / "axe.min.js"
AXE_MINIMUM = (4, 14)


def axe_version(source: str) -> tuple[int, ...]:
    found = re.match(r"/\*! axe v(\d+)\.(\d+)\.(\d+)", source)
    assert found, f"{AXE_SCRIPT} does not start with axe-core's banner"
    return tuple(int(part) for part in found.groups())


@pytest.fixture(scope="module")
def axe_source() -> str:
    source = AXE_SCRIPT.read_text(encoding="utf-8")
    assert axe_version(source)[:2] >= AXE_MINIMUM, "run `make update-axe`"
    return source


@contextlib.contextmanager
def open_page(browser, url: str, *, mode: str | None = "light", **context_options):
    """A fresh browser context (its own localStorage) showing ``url`` in colour ``mode``.

    Requests to anything but 127.0.0.1 are blocked and listed in ``page.external``.
    The page is returned once its scripts have run and the network is idle.
    """
    context_options.setdefault("viewport", DESKTOP)
    context = browser.new_context(**context_options)
    external: list[str] = []

    def block(route):
        external.append(route.request.url)
        route.abort()

    # A regular expression is matched in the browser's driver: local requests never
    # make the round trip to Python (which would slow every page down).
    context.route(NOT_LOCAL, block)
    if mode is not None:
        # pydata-sphinx-theme reads the chosen mode ("mode") and the theme it resolved
        # to ("theme") from localStorage before the page is drawn.
        theme = "" if mode == "auto" else mode
        context.add_init_script(
            "try {"
            f" localStorage.setItem('mode', {json.dumps(mode)});"
            f" localStorage.setItem('theme', {json.dumps(theme)});"
            " } catch (error) {}"  # about:blank has no storage
        )
    page = context.new_page()
    page.external = external
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    page.goto(url)
    page.wait_for_load_state("networkidle")
    try:
        yield page
    finally:
        context.close()


def any_visible(locator) -> bool:
    return any(locator.nth(i).is_visible() for i in range(locator.count()))


def theme_of(page) -> str:
    return page.evaluate("document.documentElement.dataset.theme")


# -- axe-core --------------------------------------------------------------------------------


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}"
            f" [{len(violation['nodes'])} element(s)]"
        )
        for node in violation["nodes"]:
            target = " >> ".join(t if isinstance(t, str) else " ".join(t) for t in node["target"])
            lines.append(f"  - {target}")
            for summary_line in (node.get("failureSummary") or "").splitlines():
                if summary_line.strip():
                    lines.append(f"      {summary_line.strip()}")
    return "\n".join(lines)


def run_axe(page, source: str) -> list[dict]:
    page.add_script_tag(content=source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return result["violations"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_wcag_violation(site, browser, axe_source, name, mode):
    with open_page(browser, f"{site}/{PAGES[name]}", mode=mode) as page:
        assert theme_of(page) == mode
        screenshot(page, f"{name}-{mode}", full_page=True)
        violations = run_axe(page, axe_source)
        assert page.errors == [], f"JavaScript errors on {PAGES[name]}: {page.errors}"
    assert not violations, (
        f"axe-core: {len(violations)} WCAG 2.2 A/AA rule(s) fail on {PAGES[name]} in {mode}"
        f" mode:\n{describe_violations(violations)}"
    )


def test_auto_mode_follows_the_system_setting(site, browser):
    # "auto" chosen in the switch, or no choice made yet (None).
    for mode, scheme in [("auto", "dark"), ("auto", "light"), (None, "dark")]:
        with open_page(
            browser, f"{site}/{PAGES['tutorial']}", mode=mode, color_scheme=scheme
        ) as page:
            assert theme_of(page) == scheme, (mode, scheme)


@pytest.mark.parametrize("name", list(PAGES))
def test_no_asset_comes_from_the_network(site, browser, name):
    with open_page(browser, f"{site}/{PAGES[name]}") as page:
        external = list(page.external)
    assert external == [], f"{PAGES[name]} tries to fetch from the network:\n" + "\n".join(
        external
    )


# -- Keyboard only ---------------------------------------------------------------------------

DESCRIBE_ACTIVE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return "body";
    const cls = el.getAttribute("class");
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
    return el.tagName.toLowerCase() + (cls ? "." + cls.trim().split(/\\s+/).join(".") : "")
        + (text ? ` "${text.slice(0, 40)}"` : "");
}"""


def tab_to(page, selector: str, *, limit: int = 400, from_top: bool = True) -> None:
    """Press Tab until a visible element matching ``selector`` has the focus."""
    if from_top:
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.locator("body").focus()
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            """s => {
                const el = document.activeElement;
                return el.matches(s) && el.getClientRects().length > 0;
            }""",
            selector,
        ):
            return
        seen.append(page.evaluate(DESCRIBE_ACTIVE))
    last = "\n  ".join(seen[-12:])
    pytest.fail(
        f"{selector} never got the focus in {limit} presses of Tab; the last ones went to:"
        f"\n  {last}"
    )


FOCUS_STYLE = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {
        outlineStyle: style.outlineStyle,
        outlineWidth: style.outlineWidth,
        outlineColor: style.outlineColor,
        boxShadow: style.boxShadow,
        focusVisible: el.matches(":focus-visible"),
    };
}"""


def assert_focus_is_visible(page, control: str) -> None:
    """The focused element draws a focus indicator: an outline or a box shadow."""
    style = page.evaluate(FOCUS_STYLE)
    outline = (
        style["outlineStyle"] != "none"
        and float(style["outlineWidth"].removesuffix("px") or 0) > 0
        and style["outlineColor"] not in {"transparent", "rgba(0, 0, 0, 0)"}
    )
    shadow = style["boxShadow"] != "none"
    assert outline or shadow, (
        f"{control} ({page.evaluate(DESCRIBE_ACTIVE)}) has the focus but no visible focus"
        f" indicator: {style}"
    )


def visible_cards(page) -> list[str]:
    return page.eval_on_selector_all(
        "div.learn-catalog li.learn-card",
        "cards => cards.filter(c => c.getClientRects().length > 0).map(c => c.dataset.learnDoc)",
    )


def test_skip_link_comes_first_and_shows(site, browser):
    with open_page(browser, f"{site}/{PAGES['tutorial']}") as page:
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == "#main-content", (
            page.evaluate(DESCRIBE_ACTIVE)
        )
        link = page.locator("#pst-skip-link a")
        assert link.is_visible()
        # It slides in (a 150 ms transition) and ends inside the window.
        try:
            page.wait_for_function(
                "el => el.getBoundingClientRect().top >= 0",
                arg=link.element_handle(),
                timeout=2000,
            )
        except playwright_api.TimeoutError:
            pytest.fail(f"the focused skip link stays above the window: {link.bounding_box()}")
        box = link.bounding_box()
        assert box["width"] > 1, box
        assert box["height"] > 1, box
        assert_focus_is_visible(page, "the skip link")
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main-content"


def test_page_links_follow_the_article_for_the_keyboard(site, browser):
    """*Edit this page* and *Report a problem* come right after the article's last
    link in the tab order, show their focus, and are plain links to the repository."""
    with open_page(browser, f"{site}/{PAGES['tutorial']}") as page:
        links = page.locator("ul.learn-page-links a")
        assert links.count() == 2
        # Start from the article's last link (the learning path's next step).
        page.locator("article.bd-article a[href]").last.focus()
        for index, where in enumerate(("/edit/main/example_docs/", "/issues/new?title=")):
            page.keyboard.press("Tab")
            href = page.evaluate("document.activeElement.getAttribute('href')")
            assert href == links.nth(index).get_attribute("href"), page.evaluate(DESCRIBE_ACTIVE)
            assert href.startswith("https://github.com/numpy/sphinx-numpy-learn"), href
            assert where in href, href
            assert_focus_is_visible(page, f"page link {index + 1}")


def test_catalog_filters_with_the_keyboard(site, browser):
    with open_page(browser, f"{site}/{PAGES['landing']}") as page:
        status = page.locator(".learn-catalog-status")
        everything = visible_cards(page)
        before = status.inner_text()
        assert len(everything) >= 6
        tab_to(page, "form.learn-catalog-filters input[name=level]")
        assert_focus_is_visible(page, "the first level filter")
        level = page.evaluate("document.activeElement.value")
        page.keyboard.press("Space")
        assert page.evaluate("document.activeElement.checked")
        shown = visible_cards(page)
        assert 0 < len(shown) < len(everything), shown
        levels = page.eval_on_selector_all(
            "div.learn-catalog li.learn-card",
            """cards => cards.filter(c => c.getClientRects().length > 0)
                .map(c => c.querySelector('[data-learn-level]')?.dataset.learnLevel)""",
        )
        assert set(levels) == {level}, levels
        assert status.is_visible()
        assert status.inner_text() != before
        assert str(len(shown)) in status.inner_text(), status.inner_text()
        # And back: the same key clears the filter.
        page.keyboard.press("Space")
        assert visible_cards(page) == everything


def test_solution_opens_with_the_keyboard(site, browser):
    with open_page(browser, f"{site}/{PAGES['tutorial']}") as page:
        solution = page.locator("details.learn-solution").first
        assert solution.get_attribute("open") is None
        tab_to(page, "details.learn-solution > summary")
        assert_focus_is_visible(page, "the summary of a solution")
        page.keyboard.press("Enter")
        assert solution.get_attribute("open") is not None
        assert solution.locator("div.cell, p").first.is_visible()


def test_checkpoint_with_the_keyboard(site, browser):
    with open_page(browser, f"{site}/{PAGES['tutorial']}") as page:
        checkpoint = page.locator("section.learn-checkpoint").first
        feedback = checkpoint.locator(".learn-checkpoint-feedback")
        assert feedback.inner_text() == ""
        checkpoint_id = checkpoint.get_attribute("id")
        first_choice = f"section#{checkpoint_id} .learn-choices input"
        tab_to(page, first_choice)
        assert_focus_is_visible(page, "a checkpoint choice")
        kind = page.evaluate("document.activeElement.type")
        page.keyboard.press("Space")
        if kind == "radio":
            page.keyboard.press("ArrowDown")  # radio buttons move (and choose) with arrows
        assert checkpoint.locator(".learn-choices input:checked").count() == 1
        tab_to(page, f"section#{checkpoint_id} button.learn-checkpoint-check", from_top=False)
        assert_focus_is_visible(page, "the checkpoint's Check button")
        page.keyboard.press("Enter")
        try:
            page.wait_for_function(
                "el => el.innerText.trim() !== ''", arg=feedback.element_handle(), timeout=2000
            )
        except playwright_api.TimeoutError:
            pytest.fail("Enter on the checkpoint's Check button gave no feedback")
        assert feedback.is_visible()


def test_mark_as_done_with_the_keyboard(site, browser):
    with open_page(browser, f"{site}/{PAGES['tutorial']}") as page:
        tab_to(page, "input.learn-done-input")
        assert_focus_is_visible(page, "the 'I have finished this tutorial' checkbox")
        assert not page.evaluate("document.activeElement.checked")
        page.keyboard.press("Space")
        assert page.evaluate("document.activeElement.checked")
        page.reload()
        page.wait_for_load_state("networkidle")
        assert page.locator("input.learn-done-input").is_checked()


def test_setup_checklist_with_the_keyboard(site, browser):
    with open_page(browser, f"{site}/{PAGES['setup']}") as page:
        # (One checklist a tab: the first tab's.)
        status = page.locator("aside.learn-first-time-setup .learn-checklist-status").first
        before = status.inner_text()
        tab_to(page, "aside.learn-first-time-setup input[type=checkbox]")
        assert_focus_is_visible(page, "a step of the first-time setup checklist")
        page.keyboard.press("Space")
        assert page.evaluate("document.activeElement.checked")
        assert status.inner_text() != before


def test_tabs_and_copy_buttons_with_the_keyboard(site, browser):
    with open_page(browser, f"{site}/{PAGES['setup']}") as page:
        tab_to(page, "div.sd-tab-set > input")
        # The tab's radio button has the focus; its label shows it.
        label = "el => getComputedStyle(el.nextElementSibling).outlineStyle"
        assert page.evaluate(f"({label})(document.activeElement)") != "none"
        page.keyboard.press("ArrowRight")
        assert page.locator("div.sd-tab-set > input:focus").get_attribute("id")
        assert page.locator("div.sd-tab-set").first.get_by_text("0 of 7 steps done").is_visible()
        tab_to(page, "button.learn-copy")
        assert_focus_is_visible(page, "a code block's Copy button")


def test_colour_mode_switch_with_the_keyboard(site, browser):
    with open_page(browser, f"{site}/{PAGES['tutorial']}", mode="light") as page:
        assert theme_of(page) == "light"
        tab_to(page, "header button.theme-switch-button")
        assert_focus_is_visible(page, "the colour mode switch")
        page.keyboard.press("Enter")
        dark = ".theme-change-button[data-mode=dark]"
        for _ in range(5):
            if page.evaluate("s => document.activeElement.matches(s)", dark):
                break
            page.keyboard.press("ArrowDown")
        else:
            pytest.fail(
                f"the Dark entry of the colour mode menu never got the focus with ArrowDown:"
                f" the focus is on {page.evaluate(DESCRIBE_ACTIVE)}"
            )
        assert_focus_is_visible(page, "the Dark entry of the colour mode menu")
        page.keyboard.press("Enter")
        assert theme_of(page) == "dark"


# -- Without JavaScript ----------------------------------------------------------------------

HEADINGS = """() => Array.from(
    document.querySelectorAll("article h1, article h2, article h3"),
    h => h.textContent.replace(/#$/, "").trim(),
)"""

# (Less the code blocks' "Copy" buttons, which the script adds.)
REVEALED = """() => Array.from(
    document.querySelectorAll(".learn-solution, .learn-hint, .learn-checkpoint-answer"),
    el => {
        const copy = el.cloneNode(true);
        copy.querySelectorAll("button.learn-copy").forEach(button => button.remove());
        return copy.textContent.replace(/\\s+/g, " ").trim();
    },
)"""


@pytest.mark.parametrize("name", list(PAGES))
def test_complete_without_javascript(site, browser, name):
    url = f"{site}/{PAGES[name]}"
    with open_page(browser, url) as page:
        headings = page.evaluate(HEADINGS)
        revealed = page.evaluate(REVEALED)
        cards = page.locator("div.learn-catalog li.learn-card").count()
    with open_page(browser, url, mode=None, java_script_enabled=False) as page:
        for selector in PAGE_HAS[name]:
            assert page.locator(selector).count() > 0, f"{PAGES[name]} has no {selector}"
        assert headings
        assert page.evaluate(HEADINGS) == headings
        # Every solution, hint and checkpoint answer is there, in a <details> that opens.
        assert page.evaluate(REVEALED) == revealed
        assert page.evaluate(
            """() => Array.from(
                document.querySelectorAll(".learn-solution, .learn-hint, .learn-checkpoint-answer")
            ).every(el => el.closest("details") !== null)"""
        )
        disclosures = page.locator(
            "details.learn-solution, details.learn-hint, details.learn-checkpoint-answer"
        )
        for index in range(disclosures.count()):
            details = disclosures.nth(index)
            details.locator(":scope > summary").focus()
            page.keyboard.press("Enter")
            assert details.get_attribute("open") is not None
            assert details.locator(":scope > :not(summary)").first.is_visible()
        # Every card of a catalog is shown.
        all_cards = page.locator("div.learn-catalog li.learn-card")
        assert all_cards.count() == cards
        hidden_cards = [
            all_cards.nth(i).get_attribute("data-learn-doc")
            for i in range(all_cards.count())
            if not all_cards.nth(i).is_visible()
        ]
        assert hidden_cards == []
        # Nothing that needs JavaScript is shown.
        shown = page.eval_on_selector_all(
            "[hidden]",
            """els => els.filter(el => el.getClientRects().length > 0)
                .map(el => el.tagName.toLowerCase() + "." + el.className)""",
        )
        assert shown == [], f"elements with the hidden attribute are visible: {shown}"
        for needs_javascript in (
            "button.learn-checkpoint-check",
            "form.learn-catalog-filters",
            ".learn-done",
            ".learn-catalog-status",
        ):
            assert not any_visible(page.locator(needs_javascript)), needs_javascript


# -- Glossary tooltips ----------------------------------------------------------------------

TOOLTIP_SHOWN = "el => getComputedStyle(el).display !== 'none'"


def test_glossary_tooltip_with_keyboard_and_pointer(site, browser, axe_source):
    """WCAG 1.4.13: shown on focus and hover, stays while hovered, Escape hides it; the
    link names it with aria-describedby; never cut off, on a phone neither; not printed.
    One page load for all of it (the colour mode and the window change in place)."""
    with open_page(browser, f"{site}/{PAGES['tutorial']}") as page:
        tab_to(page, ".learn-term > a")
        link = page.locator(":focus")
        tip = page.locator(f"#{link.get_attribute('aria-describedby')}")
        assert tip.get_attribute("role") == "tooltip"
        assert tip.evaluate(TOOLTIP_SHOWN)
        assert_focus_is_visible(page, "a glossary term")
        assert link.get_attribute("href").startswith("../glossary.html#term-")
        screenshot(page, "glossary-tooltip-light", full_page=False)
        violations = run_axe(page, axe_source)  # with the tooltip shown
        page.evaluate("document.documentElement.dataset.theme = 'dark'")
        screenshot(page, "glossary-tooltip-dark", full_page=False)
        violations += run_axe(page, axe_source)
        assert not violations, describe_violations(violations)
        # Escape hides it; the focus stays where it was.
        page.keyboard.press("Escape")
        assert not tip.evaluate(TOOLTIP_SHOWN)
        assert page.evaluate("document.activeElement.getAttribute('aria-describedby')")
        # Moving on and coming back shows it again.
        page.keyboard.press("Tab")
        page.keyboard.press("Shift+Tab")
        assert tip.evaluate(TOOLTIP_SHOWN)
        # The pointer: hover the term, then move onto the tooltip; it stays.
        page.evaluate("document.activeElement.blur()")
        other = page.locator(".learn-term").nth(2)
        other.scroll_into_view_if_needed()
        other.locator("a").hover()
        other_tip = other.locator("[role=tooltip]")
        assert other_tip.evaluate(TOOLTIP_SHOWN)
        box = other_tip.bounding_box()
        start = other.locator("a").bounding_box()
        x = start["x"] + start["width"] / 2
        for step in range(1, 11):  # straight down, in small steps
            y = start["y"] + start["height"] / 2 + step * (box["y"] + 8 - start["y"]) / 10
            page.mouse.move(x if box["x"] <= x <= box["x"] + box["width"] else box["x"] + 8, y)
            assert other_tip.evaluate(TOOLTIP_SHOWN), f"hidden at y={y}"
        page.keyboard.press("Escape")
        assert not other_tip.evaluate(TOOLTIP_SHOWN)
        page.mouse.move(0, 0)
        assert page.errors == []
        # Never printed.
        tab_to(page, ".learn-term > a")
        page.emulate_media(media="print")
        assert not page.locator(":focus + [role=tooltip]").evaluate(TOOLTIP_SHOWN)
        page.emulate_media(media="screen")
        # On a phone, each tooltip fits the window, the last term of a line included.
        page.set_viewport_size(PHONE)
        terms = page.locator(".learn-term > a")
        widths = []
        for index in range(terms.count()):
            terms.nth(index).focus()
            shown = page.locator(":focus + [role=tooltip]")
            shown_box = shown.bounding_box()
            widths.append(shown_box["width"])
            assert shown_box["x"] >= 0
            assert shown_box["x"] + shown_box["width"] <= PHONE["width"]
            assert page.evaluate(OVERFLOW)["html"] <= PHONE["width"]
        screenshot(page, "glossary-tooltip-mobile", full_page=False)
        assert widths


def test_key_points_box_and_revision_sheet(site, browser):
    with open_page(browser, f"{site}/{PAGES['contributor']}", viewport=PHONE) as page:
        box = page.locator("aside.learn-key-points")
        box.scroll_into_view_if_needed()
        assert box.locator(".admonition-title").inner_text() == "Key points"
        screenshot(page, "key-points-mobile", full_page=False)
        page.goto(f"{site}/{PAGES['revision']}")
        first = page.locator(".learn-revision-sheet h2 a").first
        first.click()
        assert page.url.endswith("tutorials/create-your-first-arrays.html")


# -- Phones ----------------------------------------------------------------------------------

OVERFLOW = """() => {
    const width = window.innerWidth;
    const scrolls = el => {
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
            const x = getComputedStyle(p).overflowX;
            if (x !== "visible") return true;
        }
        return false;
    };
    const wide = [];
    for (const el of document.body.querySelectorAll("*")) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.right <= width + 0.5 || scrolls(el)) continue;
        const cls = (el.getAttribute("class") || "").trim().split(/\\s+/).join(".");
        wide.push({element: el.tagName.toLowerCase() + (cls ? "." + cls : ""),
                   right: Math.round(box.right), width: Math.round(box.width)});
    }
    wide.sort((a, b) => b.right - a.right);
    return {
        innerWidth: width,
        html: document.documentElement.scrollWidth,
        body: document.body.scrollWidth,
        wide: wide.slice(0, 15),
    };
}"""


@pytest.mark.parametrize("name", list(PAGES))
def test_no_sideways_scrolling_on_a_phone(site, browser, name):
    with open_page(browser, f"{site}/{PAGES[name]}", viewport=PHONE) as page:
        screenshot(page, f"{name}-mobile", full_page=False)
        result = page.evaluate(OVERFLOW)
    assert result["innerWidth"] == PHONE["width"]
    wide = "\n".join(f"  {w['element']}: right edge {w['right']} px" for w in result["wide"])
    assert result["html"] <= result["innerWidth"], (
        f"{PAGES[name]} is {result['html']} px wide in a {result['innerWidth']} px window;"
        f" elements past the right edge:\n{wide}"
    )
    assert result["body"] <= result["innerWidth"], (
        f"{PAGES[name]}'s body is {result['body']} px wide in a {result['innerWidth']} px"
        f" window; elements past the right edge:\n{wide}"
    )


def test_sidebar_progress_follows_mark_as_done(site, browser):
    with open_page(browser, f"{site}/{PAGES['tutorial']}") as page:
        line = page.locator("nav.bd-docs-nav p.learn-nav-progress")
        assert line.is_visible()
        assert line.inner_text().strip() == "0 of 6 done"
        page.locator("input.learn-done-input").check()
        assert line.inner_text().strip() == "1 of 6 done"
        bar = line.locator("span")
        assert bar.evaluate("e => e.style.getPropertyValue('--learn-done')").startswith("16.6")


def test_prints_as_a_handout(site, browser):
    """Print media: no navigation or controls, solutions expanded, light colours even
    when the reader chose dark mode."""
    with open_page(browser, f"{site}/{PAGES['tutorial']}", mode="dark") as page:
        page.emulate_media(media="print")
        for chrome in (".bd-header", ".bd-sidebar-primary", ".bd-sidebar-secondary", ".bd-footer"):
            assert not any_visible(page.locator(chrome)), chrome
        assert not page.locator(".learn-page-actions").is_visible()
        solution = page.locator("details.learn-solution").first
        assert not solution.evaluate("e => e.open")  # closed on screen ...
        assert solution.locator(".highlight, p").last.is_visible()  # ... printed open
        text = page.evaluate("getComputedStyle(document.querySelector('article p')).color")
        assert text == "rgb(34, 34, 34)"
        # A PDF of the handout, for a reviewer.
        page.pdf(path=str(output_dir() / "tutorial-print.pdf"))


def test_print_can_leave_solutions_out(example_build, tmp_path, browser):
    """``print_solutions = "hide"`` links a print-only stylesheet that drops them."""
    css = (
        Path(__file__).parents[1]
        / "sphinx_numpy_learn/theme/sphinx_numpy_learn/static/styles"
        / "learn-print-hide-solutions.css"
    ).read_text(encoding="utf-8")
    page_html = (example_build.outdir / PAGES["tutorial"]).read_text(encoding="utf-8")
    (tmp_path / "page.html").write_text(
        page_html.replace("</head>", f'<style media="print">{css}</style></head>'),
        encoding="utf-8",
    )
    context = browser.new_context()
    page = context.new_page()
    page.set_content((tmp_path / "page.html").read_text(encoding="utf-8"))
    page.emulate_media(media="print")
    assert not any_visible(page.locator("details.learn-solution"))
    page.emulate_media(media="screen")
    assert any_visible(page.locator("details.learn-solution"))
    context.close()


def test_notebook_figures_get_a_light_backdrop_in_dark_mode(site, browser):
    """Matplotlib's transparent PNGs stay readable on the dark background."""
    with open_page(browser, f"{site}/{PAGES['tutorial']}", mode="dark") as page:
        figure = page.locator("div.cell_output img").first
        backdrop = figure.evaluate("e => getComputedStyle(e).backgroundColor")
        channels = [int(c) for c in re.findall(r"\d+", backdrop)]
        assert len(channels) == 3, backdrop  # opaque, not rgba(0, 0, 0, 0)
        assert min(channels) > 180, backdrop  # light, whatever the page's background
