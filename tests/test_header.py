"""The header and the path box on real sites, in Chromium (through Playwright).

Three sites: the example site, and two flat ones (every tutorial in the root toctree,
long real titles, no ``html_title``; one grown by conftest's ``flat_site_build`` with a
learning path, a notebook that fails and the execution report), where the parent
theme's header wrapped onto three rows and pushed search off a phone's screen. At
1024 and 1280 px the header is one row with search in it; from 320 px up nothing
scrolls sideways (one page load per page and mode, the window resized through the
widths); the search button is named by the text it shows; a step of a
learning path offers one "next".
Screenshots (light and dark, every width) go where test_accessibility puts its own.
"""

from __future__ import annotations

import contextlib
import re
import sys

import pytest

from . import test_accessibility
from .conftest import TESTS_DIR, served_folder, sphinx_build
from .test_accessibility import OVERFLOW, open_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDE = [1024, 1280]
WIDTHS = [320, 375, *WIDE]
MODES = ["light", "dark"]
# One header row: the parent theme's 4rem of items and .5rem above and below.
ONE_ROW = 82

# Site -> {name: page}: the home page and a tutorial on a learning path.
PAGES = {
    "example": {"home": "index.html", "step": "tutorials/index-and-slice-arrays.html"},
    "flat-header": {"home": "index.html", "step": "the-absolute-basics.html"},
    "flat-site": {
        "home": "index.html",
        "step": "weather.html",
        "failed": "temperature-anomalies.html",
        "report": "execution-report.html",
    },
}
SITE_PAGES = [(site, name) for site, pages in PAGES.items() for name in pages]


def build_root(name: str, outdir) -> None:
    sphinx_build(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-q",
            "-b",
            "html",
            str(TESTS_DIR / "roots" / name),
            str(outdir),
        ]
    )


@pytest.fixture(scope="module")
def sites(example_build, flat_site_build, tmp_path_factory):
    """Each site's HTML folder, served over HTTP from a thread: site -> base URL."""
    folders = {"example": example_build.outdir, "flat-site": flat_site_build.outdir}
    folders["flat-header"] = tmp_path_factory.mktemp("flat-header") / "html"
    build_root("test-flat-header", folders["flat-header"])
    with contextlib.ExitStack() as stack:
        yield {
            site: stack.enter_context(served_folder(folder)) for site, folder in folders.items()
        }


# axe-core as tests/test_accessibility.py loads it (vendored, version-checked).
axe_source = test_accessibility.axe_source


def run_axe_rules(page, source: str, rules: list[str]) -> list[dict]:
    page.add_script_tag(content=source)
    result = page.evaluate(
        "rules => axe.run(document, {runOnly: {type: 'rule', values: rules}})", rules
    )
    return result["violations"]


HEADER_ROW = """() => {
    const box = el => el.getBoundingClientRect();
    const shown = el => el.getClientRects().length > 0;
    const header = document.querySelector(".bd-header");
    const items = [...header.querySelectorAll(
        ".navbar-nav > .nav-item > .nav-link, .navbar-nav > .nav-item > .dropdown-toggle"
    )].filter(shown);
    const search = [...header.querySelectorAll(".search-button__button")].filter(shown);
    const middle = el => Math.round((box(el).top + box(el).bottom) / 2);
    return {
        height: Math.round(box(header).height),
        items: items.map(el => ({text: el.textContent.trim(), top: Math.round(box(el).top),
                                 middle: middle(el)})),
        search: search.map(el => ({top: Math.round(box(el).top), middle: middle(el),
                                   bottom: Math.round(box(el).bottom)})),
        title: (() => {
            const el = header.querySelector(".logo__title");
            return el && {clipped: el.scrollWidth > el.clientWidth,
                          tooltip: el.getAttribute("title"), text: el.textContent.trim()};
        })(),
    };
}"""


def header_row_problems(row: dict, where: str) -> list[str]:
    """What is wrong with the header at a wide width: empty when it is one row."""
    problems = []
    if row["height"] > ONE_ROW:
        problems.append(f"{where}: the header is {row['height']} px high: {row}")
    if not row["items"]:  # at least one link (and "More") in the row
        problems.append(f"{where}: no links in the header: {row}")
        return problems
    middles = {item["middle"] for item in row["items"]}
    if max(middles) - min(middles) > 2:
        problems.append(f"{where}: rows of links: {row['items']}")
    if len(row["search"]) != 1:
        problems.append(f"{where}: {len(row['search'])} search buttons: {row}")
        return problems
    search = row["search"][0]
    # In the links' row: their middles line up (the button is taller than a link).
    if abs(search["middle"] - row["items"][0]["middle"]) > 2 or search["bottom"] > row["height"]:
        problems.append(f"{where}: search is not in the links' row: {row}")
    return problems


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("site", "name"), SITE_PAGES)
def test_header_fits_every_width(sites, browser, site, name, mode):
    """From 320 px up nothing scrolls sideways; at 1024 and 1280 px the header is one
    row with search in it, and the "More" menu, open, stays inside the window.

    One page load per page and colour mode: the window is resized through the widths,
    widest first, as a reader resizes it (the page lays itself out again each time).
    """
    url = f"{sites[site]}/{PAGES[site][name]}"
    problems: list[str] = []
    with open_page(browser, url, mode=mode, viewport={"width": WIDE[-1], "height": 900}) as page:
        for width in reversed(WIDTHS):
            height = 900 if width in WIDE else 800
            page.set_viewport_size({"width": width, "height": height})
            where = f"{url} at {width} px ({mode})"
            prefix = "header" if width in WIDE else "width"
            screenshot(page, f"{prefix}-{site}-{name}-{width}-{mode}", full_page=False)
            result = page.evaluate(OVERFLOW)
            if not result["html"] <= result["innerWidth"] == width:
                wide = "\n".join(
                    f"  {w['element']}: right edge {w['right']} px" for w in result["wide"]
                )
                problems.append(f"{where} is {result['html']} px wide:\n{wide}")
            if width not in WIDE:
                continue
            problems += header_row_problems(page.evaluate(HEADER_ROW), where)
            more = page.locator(".bd-header .navbar-nav .dropdown-toggle")
            if mode == "light" and more.count() and more.is_visible():
                more.click()
                menu = page.locator(".bd-header .dropdown-menu.show")
                menu.wait_for()
                box = menu.bounding_box()
                inside = (
                    box["x"] >= 0
                    and box["x"] + box["width"] <= width
                    and box["y"] + box["height"] <= height
                    and page.evaluate("document.documentElement.scrollWidth") <= width
                )
                if not inside:
                    problems.append(f"{where}: the open 'More' menu is at {box}")
                page.keyboard.press("Escape")
                menu.wait_for(state="hidden")
    assert not problems, "\n".join(problems)


# The header's texts the stylesheet may cut short: the site title and the row's links.
CLIPPED = """() => [...document.querySelectorAll(
        ".bd-header :is(.logo__title, .navbar-nav > .nav-item > .nav-link)")]
    .filter(el => el.getClientRects().length > 0)
    .map(el => ({text: el.textContent.replace(/\\s+/g, " ").trim(),
                 clipped: el.scrollWidth > el.clientWidth,
                 tooltip: el.getAttribute("title")}))"""


def test_a_clipped_site_title_shows_in_full_as_a_tooltip(sites, browser):
    """The build writes the tooltips (no script): every header text cut short at a
    phone's width or at 1024 px has its whole text as one, on every site."""
    problems = []
    for site in PAGES:
        url = f"{sites[site]}/index.html"
        with open_page(browser, url, viewport={"width": 1024, "height": 800}) as page:
            if site == "flat-site":
                # "Project name not set documentation" does not fit beside a long link.
                title = page.evaluate(HEADER_ROW)["title"]
                assert title["clipped"], title
                # Sphinx's default title has two spaces (no release); the tooltip has one.
                assert title["tooltip"] == " ".join(title["text"].split())
                assert title["tooltip"] == "Project name not set documentation"
            if site == "example":
                # A title that fits anywhere gets no tooltip.
                title = page.evaluate(HEADER_ROW)["title"]
                assert title == {"clipped": False, "tooltip": None, "text": "Learn NumPy"}
            for width in [1024, 375]:
                page.set_viewport_size({"width": width, "height": 800})
                problems += [
                    f"{url} at {width} px: {text}"
                    for text in page.evaluate(CLIPPED)
                    if text["clipped"] and text["tooltip"] != text["text"]
                ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", [1280, 375])
def test_search_button_is_named_by_what_it_shows(sites, browser, axe_source, width):
    with open_page(
        browser, f"{sites['example']}/index.html", viewport={"width": width, "height": 800}
    ) as page:
        # Run by name, so that it runs in axe-core before 4.14 too (an "experimental"
        # rule there, not in the WCAG tags); 4.14 failed the parent theme's button.
        violations = run_axe_rules(
            page, axe_source, ["label-content-name-mismatch", "button-name"]
        )
        # Wide: "Search Ctrl+K", all it shows. Narrow, only the icon shows: its title.
        name = r"^Search Ctrl ?\+ ?K$" if width == 1280 else r"^Search$"
        assert page.get_by_role("button", name=re.compile(name)).count() == 1
    assert violations == []


NEXT_LINKS = """() => [...document.querySelectorAll(".bd-main a, .bd-footer a")]
    .filter(a => a.getClientRects().length > 0 && /\\bnext\\b/i.test(a.textContent))
    .map(a => ({href: a.href, text: a.textContent.replace(/\\s+/g, " ").trim()}))"""

LABEL_IN_LINK = """() => {
    const link = document.querySelector("nav.learn-path-nav a.learn-path-next");
    const label = link.querySelector(".learn-path-label").getBoundingClientRect();
    const title = link.querySelector(".learn-path-title").getBoundingClientRect();
    const box = link.getBoundingClientRect();
    return {labelInside: label.top >= box.top && label.bottom <= box.bottom,
            titleBelowLabel: title.top >= label.bottom - 1};
}"""


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("site", ["example", "flat-header", "flat-site"])
def test_a_path_step_shows_one_next(sites, browser, site, width):
    url = f"{sites[site]}/{PAGES[site]['step']}"
    with open_page(browser, url, viewport={"width": width, "height": 900}) as page:
        page.locator("nav.learn-path-nav").scroll_into_view_if_needed()
        screenshot(page, f"path-{site}-{width}", full_page=False)
        links = page.evaluate(NEXT_LINKS)
        layout = page.evaluate(LABEL_IN_LINK)
        head = page.evaluate("document.querySelector('link[rel=next]').href")
    assert len(links) == 1, f"{url}: more than one 'next': {links}"
    assert links[0]["text"].startswith("Next step")
    assert links[0]["href"] == head
    assert layout == {"labelInside": True, "titleBelowLabel": True}
