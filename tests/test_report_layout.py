"""The execution report with failed notebooks, in Chromium: long errors wrap or fold,
every column stays on screen at 1280 px, and on a 375 px phone each notebook is a
block of labelled values with nothing scrolling sideways. Screenshots of both go
with the others (see test_accessibility)."""

from __future__ import annotations

import itertools

import pytest

from .conftest import served_folder
from .test_accessibility import DESKTOP, PHONE, open_page, screenshot
from .test_execution import built_once

pytestmark = [pytest.mark.browser]

# Where every cell of the report is, against the element the table sits in (the
# theme's scrollable wrapper) and the article.
GEOMETRY = """() => {
    const table = document.querySelector("table.learn-execution-report");
    const box = el => {
        const r = el.getBoundingClientRect();
        return {left: r.left, right: r.right, top: r.top, width: r.width, height: r.height};
    };
    const cells = [...table.querySelectorAll("th, td")].map(cell => ({
        ...box(cell),
        text: cell.innerText.trim().slice(0, 40),
        label: cell.dataset.label || null,
        before: getComputedStyle(cell, "::before").content,
        display: getComputedStyle(cell).display,
        head: cell.tagName === "TH",
    }));
    const errors = ".learn-execution-error, .learn-execution-error > *";
    const codes = [...table.querySelectorAll(errors)].map(code => ({
        text: code.textContent.slice(0, 40),
        scrolls: code.scrollWidth > code.clientWidth + 1,
        right: code.getBoundingClientRect().right,
    }));
    return {
        table: box(table),
        container: {...box(table.parentElement), scrolls:
            table.parentElement.scrollWidth > table.parentElement.clientWidth + 1},
        article: box(document.querySelector("article")),
        thead: box(table.tHead),
        cells,
        codes,
        page: document.documentElement.scrollWidth,
        viewport: window.innerWidth,
    };
}"""


@pytest.fixture(scope="module")
def report_url(rootdir, tmp_path_factory):
    """The failures root (five failing notebooks, one with a long error), served."""
    app = built_once(rootdir, tmp_path_factory, "execution-failures")
    with served_folder(app.outdir) as url:
        yield f"{url}/report.html"


def assert_every_column_fits(state: dict) -> None:
    table, container = state["table"], state["container"]
    assert table["right"] <= container["right"] + 0.5, state
    assert container["right"] <= state["article"]["right"] + 0.5, state
    assert not container["scrolls"], "the table scrolls sideways in its wrapper"
    assert state["page"] <= state["viewport"]
    # Every column, header and body, is on screen and wide enough to read.
    assert sum(cell["head"] for cell in state["cells"]) == 5
    for cell in state["cells"]:
        assert cell["display"] == "table-cell", cell
        assert cell["left"] >= container["left"] - 0.5, cell
        assert cell["right"] <= container["right"] + 0.5, cell
        assert cell["width"] >= 48, cell
    # No error runs past its cell: they wrap, however long the word.
    for code in state["codes"]:
        assert not code["scrolls"], code
        assert code["right"] <= container["right"] + 0.5, code


def assert_stacked(state: dict, notebooks: int = 5) -> None:
    assert state["viewport"] == PHONE["width"]
    assert state["page"] <= state["viewport"], "the page scrolls sideways"
    assert not state["container"]["scrolls"], "the report scrolls sideways in its wrapper"
    # The header row is out of sight; each value is shown next to its column's name.
    assert state["thead"]["height"] <= 1
    body = [cell for cell in state["cells"] if not cell["head"]]
    assert len(body) == notebooks * 5
    assert sum(1 for cell in body if cell["label"]) == notebooks * 4  # all but the titles
    for cell in body:
        assert cell["display"] in {"block", "grid"}, cell
        assert cell["left"] >= 0, cell
        assert cell["right"] <= state["viewport"], cell
        if cell["label"]:
            assert cell["before"] == f'"{cell["label"]}"', cell
        else:
            assert cell["before"] in {"none", "normal"}, cell  # the title heads the block
    # Stacked: each value below the one before it.
    for first, second in itertools.pairwise(body):
        assert second["top"] > first["top"], (first, second)
    for code in state["codes"]:
        assert not code["scrolls"], code
        assert code["right"] <= state["viewport"], code


def open_the_long_error(page) -> None:
    summary = page.locator("details.learn-execution-error > summary")
    assert summary.count() == 1  # only the long error folds
    summary.click()
    assert page.locator("details.learn-execution-error").evaluate("e => e.open")


def test_every_column_fits_at_desktop_width(report_url, browser):
    with open_page(browser, report_url, viewport=DESKTOP) as page:
        screenshot(page, "execution-report-failures", full_page=True)
        assert_every_column_fits(page.evaluate(GEOMETRY))
        open_the_long_error(page)
        screenshot(page, "execution-report-failures-open", full_page=True)
        opened = page.evaluate(GEOMETRY)
        assert page.errors == []
    assert_every_column_fits(opened)
    # Opened, the folded error shows all of it.
    assert any(c["text"].startswith("FileNotFoundError:") for c in opened["codes"])


def test_rows_become_labelled_blocks_on_a_phone(report_url, browser):
    with open_page(browser, report_url, viewport=PHONE) as page:
        assert_stacked(page.evaluate(GEOMETRY))
        open_the_long_error(page)
        screenshot(page, "execution-report-failures-mobile", full_page=True)
        assert_stacked(page.evaluate(GEOMETRY))


@pytest.fixture(scope="module")
def flat_site_report_url(flat_site_build):
    """The grown flat site's report (see conftest): one notebook, failed inside NumPy."""
    with served_folder(flat_site_build.outdir) as url:
        yield f"{url}/execution-report.html"


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_a_flat_sites_report_fits_on_a_desktop_and_a_phone(flat_site_report_url, browser, mode):
    with open_page(browser, flat_site_report_url, mode=mode, viewport=DESKTOP) as page:
        screenshot(page, f"flat-site-execution-report-{mode}", full_page=True)
        desktop = page.evaluate(GEOMETRY)
        failed = page.locator("table.learn-execution-report tbody tr").inner_text()
    assert_every_column_fits(desktop)
    assert "FileNotFoundError" in failed
    with open_page(browser, flat_site_report_url, mode=mode, viewport=PHONE) as page:
        screenshot(page, f"flat-site-execution-report-phone-{mode}", full_page=True)
        assert_stacked(page.evaluate(GEOMETRY), notebooks=1)
