"""The theme's layer: options (validated, documented), article-header actions,
sidebar progress lines, the print stylesheet, and the landing component."""

from __future__ import annotations

import copy
import json
import tomllib
from html import escape
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import example, given
from hypothesis import strategies as st

from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.theme.header import (
    link_tooltips,
    row_may_clip,
    site_title_tooltip,
    title_tooltip,
)
from sphinx_numpy_learn.theme.header import shown_links as row_of
from sphinx_numpy_learn.theme.options import THEME_OPTIONS

from .conftest import assert_warnings_exactly, soup_of, warnings_of

THEME_TOML = Path(__file__).parents[1] / "sphinx_numpy_learn/theme/sphinx_numpy_learn/theme.toml"


def test_theme_toml_declares_exactly_the_schema():
    declared = tomllib.loads(THEME_TOML.read_text(encoding="utf-8"))["options"]
    assert declared == {option.name: option.default for option in THEME_OPTIONS}


# -- Options ------------------------------------------------------------------------------------


@pytest.mark.sphinx(
    "html",
    testroot="nav",
    freshenv=True,
    confoverrides={
        "html_theme_options": {"nav_badges": "maybe", "print_solutions": "never"},
    },
)
def test_invalid_options_warn_and_fall_back(app):
    app.build()
    conf = f"{app.confdir / 'conf.py'}"
    assert_warnings_exactly(
        app,
        [
            ("", "'maybe' for the theme option 'nav_badges'", "learn.theme"),
            ("", "'never' for the theme option 'print_solutions'", "learn.theme"),
        ],
    )
    # -D/confoverrides have no conf.py line; the defaults are used.
    assert conf not in warnings_of(app)
    assert soup_of(app, "tutorials/first").select(".learn-nav-badge")
    assert not soup_of(app, "tutorials/first").select('link[media="print"]')


def test_invalid_option_in_conf_py_points_at_it(root_app):
    app = root_app("nav")
    conf = app.srcdir / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8") + 'html_theme_options = {"nav_progress": 3}\n',
        encoding="utf-8",
    )
    app = root_app.again(app.srcdir)
    app.build()
    line = (
        conf.read_text(encoding="utf-8")
        .splitlines()
        .index('html_theme_options = {"nav_progress": 3}')
    )
    assert_warnings_exactly(
        app, [(f"{conf}:{line + 1}:", "3 for the theme option 'nav_progress'", "learn.theme")]
    )


@pytest.mark.sphinx(
    "html",
    testroot="nav",
    freshenv=True,
    confoverrides={"html_theme_options.nav_badges": "false"},
)
def test_command_line_strings_work_as_booleans(app):
    app.build()
    assert warnings_of(app) == ""
    assert not soup_of(app, "tutorials/first").select(".learn-nav-badge")


def test_options_reference_table_lists_every_option(root_app):
    app = root_app("nav")
    (app.srcdir / "options.rst").write_text(
        ":orphan:\n\nOptions\n=======\n\n.. learn-theme-options::\n", encoding="utf-8"
    )
    app.build()
    assert warnings_of(app) == ""
    rows = soup_of(app, "options").select("table.learn-theme-options tbody tr")
    assert [row.select_one("td code").get_text() for row in rows] == [
        option.name for option in THEME_OPTIONS
    ]
    first = [td.get_text(" ", strip=True) for td in rows[0].select("td")]
    assert first[:3] == ["nav_badges", "True or False", "True"]


# -- Article header and sidebar -----------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="nav", freshenv=True)
def test_mark_as_done_sits_in_the_article_header(app):
    app.build()
    soup = soup_of(app, "tutorials/first")
    toggle = soup.select_one(".bd-header-article .learn-page-actions .learn-done")
    assert toggle is not None
    assert toggle.has_attr("hidden")
    assert toggle.select_one("input")["data-learn-doc"] == "tutorials/first"
    assert len(soup.select(".learn-done")) == 1  # not in the header card too
    assert not soup_of(app, "tutorials/plain").select(".learn-done")


def test_mark_as_done_stays_in_the_card_without_the_theme(root_app):
    app = root_app("nav", confoverrides={"html_theme": "pydata_sphinx_theme"})
    app.build()
    soup = soup_of(app, "tutorials/first")
    assert soup.select_one(".learn-tutorial-header .learn-done") is not None
    assert not soup.select(".learn-page-actions")


@pytest.mark.sphinx("html", testroot="nav", freshenv=True)
def test_each_sidebar_section_gets_a_progress_line(app):
    app.build()
    nav = soup_of(app, "tutorials/first").select_one("nav.bd-docs-nav")
    lines = nav.select("p.learn-nav-progress")
    # "Start" lists two tutorials; "More" lists a plain page only, so no line.
    assert len(lines) == 1
    line = lines[0]
    assert line.has_attr("hidden")  # shown by the script
    assert json.loads(line["data-learn-docs"]) == ["tutorials/first", "tutorials/second"]
    assert line["data-learn-progress"] == "{done} of 2 done"
    caption = line.find_previous("p", class_="caption")
    assert caption.get_text(strip=True) == "Start"


@pytest.mark.parametrize(
    "config",
    [
        {"html_theme_options": {"nav_progress": False}},
        {"learn_progress": False},
    ],
)
def test_sidebar_progress_can_be_turned_off(root_app, config):
    app = root_app("nav", confoverrides=config)
    app.build()
    soup = soup_of(app, "tutorials/first")
    assert not soup.select(".learn-nav-progress")
    assert soup.select(".learn-nav-badge")  # badges stay


# -- Print --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("mode", "hidden"), [("show", False), ("hide", True)])
def test_print_solutions_option_picks_a_print_stylesheet(root_app, mode, hidden):
    app = root_app("nav", confoverrides={"html_theme_options": {"print_solutions": mode}})
    app.build()
    links = soup_of(app, "tutorials/first").select('link[media="print"]')
    assert bool(links) is hidden
    if hidden:
        href = links[0]["href"].split("?")[0]
        css = (app.outdir / "tutorials" / href).read_text(encoding="utf-8")
        assert ".learn-solution" in css


# -- Landing ------------------------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="nav", freshenv=True)
def test_landing_has_start_and_contribute_cards_then_the_catalog(app):
    app.build()
    assert warnings_of(app) == ""
    soup = soup_of(app, "index")
    cards = soup.select("div.learn-landing > section.learn-landing-card")
    assert [card.select_one("h2").get_text() for card in cards] == ["Start here", "Contribute"]
    start = cards[0]
    path = start.select_one(".learn-landing-path")
    assert path.a["href"] == "tutorials/index.html#learn-path-getting-started"
    assert "2 tutorials" in path.get_text()
    assert start.select_one("a.learn-landing-first")["href"] == "tutorials/first.html"
    assert cards[1].a["href"] == "tutorials/plain.html"
    title = soup.select_one("div.learn-landing ~ h2.rubric")
    assert title.get_text() == "All tutorials"
    assert title.find_next_sibling("div")["class"][0] == "learn-catalog"


def test_landing_reports_unknown_targets(root_app):
    app = root_app("nav")
    index = app.srcdir / "index.rst"
    index.write_text(
        index.read_text(encoding="utf-8").replace("getting-started", "getting-startd"),
        encoding="utf-8",
    )
    app = root_app.again(app.srcdir)
    app.build()
    assert_warnings_exactly(
        app,
        [
            (
                f"{index}:4:",
                "landing :start: 'getting-startd' is neither a learning-path name",
                "learn.landing",
            )
        ],
    )
    titles = [h.get_text(strip=True) for h in soup_of(app, "index").select("h2.rubric")]
    assert titles[0] == "Contribute"


@pytest.mark.parametrize("builder", ["latex", "text", "man", "texinfo", "epub", "singlehtml"])
def test_landing_in_every_builder(root_app, builder):
    app = root_app("nav", builder)
    app.build()
    assert "Traceback" not in warnings_of(app)
    assert "landing" not in warnings_of(app)


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_sidebar_badges_find_tutorials_from_any_folder(root_app, builder):
    app = root_app("nav", builder)
    app.build()
    for page in ("index", "tutorials/index", "tutorials/first", "tutorials/plain"):
        name = app.builder.get_target_uri(page) or "index.html"
        if name.endswith("/"):
            name += "index.html"
        soup = BeautifulSoup((app.outdir / name).read_text(encoding="utf-8"), "html.parser")
        nav = soup.select_one("nav.bd-docs-nav")
        if nav is None:  # the root page has no section navigation
            continue
        titled = {
            a.get_text(" ", strip=True) for a in nav.select("a") if a.select(".learn-nav-badge")
        }
        assert titled == {"First tutorial (Beginner)", "Second tutorial (Advanced)"}, page


def test_landing_is_rewritten_when_a_tutorial_on_its_path_changes(root_app):
    """Incremental: the landing page is not re-read, but written again with the
    path's new total time, as a clean build would show it."""
    from .test_tutorials import edit, read_docs, written_docs

    # Alabaster: pydata-sphinx-theme changes its options at build time, which makes
    # Sphinx write every page on every build and would hide what this test checks.
    config = {"html_theme": "alabaster", "learn_recommended_defaults": False}
    first = root_app("nav", confoverrides=config)
    # Without its catalog, which is rewritten for its own reasons.
    edit(first.srcdir / "index.rst", "   :contribute:", "   :no-catalog:\n   :contribute:")
    first.build()
    before = soup_of(first, "index").select_one(".learn-landing-path").get_text()
    shown_before = copy.deepcopy(get_domain(first.env).data["written"])
    first.cleanup()
    edit(
        first.srcdir / "tutorials/second.md",
        "  level: advanced\n",
        "  level: advanced\n  duration: 90\n",
    )
    again = root_app.again(first.srcdir, confoverrides=config)
    read, written = read_docs(again), written_docs(again)
    again.build()
    assert read == ["tutorials/second"]
    assert "index" in written
    # Written because the landing shows the path's total time, not by chance: the
    # page is on the domain's own list (Sphinx may write it for reasons of its own).
    domain = get_domain(again.env)
    assert "index" in domain.pages_to_rewrite(shown_before, domain.shown())
    after = soup_of(again, "index").select_one(".learn-landing-path").get_text()
    assert after != before
    assert "about 1 h" in after


def test_contribute_card_defaults_to_the_contributor_guide(root_app):
    app = root_app("nav", confoverrides={"learn_contributor": {"guide": "tutorials/plain"}})
    index = app.srcdir / "index.rst"
    index.write_text(
        index.read_text(encoding="utf-8").replace("   :contribute: tutorials/plain\n", ""),
        encoding="utf-8",
    )
    app.build()
    assert warnings_of(app) == ""
    card = soup_of(app, "index").select_one("section.learn-landing-contribute")
    assert card.a["href"] == "tutorials/plain.html"


def test_landing_in_a_parallel_build(root_app):
    """Cards come from merged domain data (paths read in other processes)."""
    app = root_app("nav", parallel=2)
    merged: list[str] = []
    app.connect("env-merge-info", lambda app, env, docnames, other: merged.extend(docnames))
    app.build()
    assert warnings_of(app) == ""
    assert merged  # really read in worker processes
    start = soup_of(app, "index").select_one("section.learn-landing-start")
    assert "2 tutorials" in start.get_text()
    assert start.select_one("a.learn-landing-first")["href"] == "tutorials/first.html"


# -- Header: one row, a search button named by its text -------------------------------------


def header_links(soup) -> tuple[list[str], list[str]]:
    """The header's link texts in the row and in the *More* menu."""
    nav = soup.select_one(".bd-header ul.navbar-nav")
    row = [a.get_text(strip=True) for a in nav.select(":scope > li.nav-item > a.nav-link")]
    more = [a.get_text(strip=True) for a in nav.select(".dropdown-menu a")]
    return row, more


def test_header_links_that_fit_by_title_length():
    from sphinx_numpy_learn.theme.header import links_that_fit, text_width

    assert text_width("NumPy") == 2.5
    assert text_width("数组") == 2.0  # wide characters count double
    short = ("Install", "User guide", "API", "Tutorials", "Development")
    assert links_that_fit(short) == 5  # all of them
    assert links_that_fit((*short, "Release notes")) == 4
    # Four links, at most two fit: a count of 3 would show all four (no one-link menu).
    four = ("Tutorials", "Contribute to NumPy", "Writing with sphinx-numpy-learn", "Report")
    assert links_that_fit(four) == 2
    # However long the first title, one link shows (the stylesheet shortens it).
    assert links_that_fit(("A" * 200, "B", "C")) == 1
    assert links_that_fit(()) == 1


def shown_links(count: int, total: int) -> int:
    """How many links pydata-sphinx-theme puts in the row for a count (never a menu of one)."""
    return total if total <= count + 1 else count


@given(
    st.lists(st.text(alphabet="aé数 W-", max_size=40), max_size=60),
    st.floats(min_value=1, max_value=80),
)
# Two short links and *More* fit, but a count of 2 would show the long third one too.
@example(titles=["aaaa", "aaaa", "a" * 30], row=12.0)
def test_header_count_is_the_largest_that_fits(titles, row):
    """Against the definition: every larger count overflows the row, and the count
    found fits (unless not even one link does)."""
    from sphinx_numpy_learn.theme.header import (
        LINK_PADDING,
        MORE_BUTTON,
        links_that_fit,
        text_width,
    )

    widths = [text_width(title) + LINK_PADDING for title in titles]

    def needed(count: int) -> float:
        shown = shown_links(count, len(widths))
        return sum(widths[:shown]) + (MORE_BUTTON if shown < len(widths) else 0)

    found = links_that_fit(tuple(titles), row)
    assert 1 <= found <= max(len(widths), 1)
    assert all(needed(count) > row for count in range(found + 1, len(widths) + 1))
    if found > 1:
        assert needed(found) <= row


def test_flat_site_header_links_fit_one_row(root_app):
    app = root_app("flat-header")
    app.build()
    assert warnings_of(app) == ""
    soup = soup_of(app, "moores-law")
    row, more = header_links(soup)
    # Ten tutorials with long titles: one in the row, nine behind "More" (PST showed five).
    assert row == ["NumPy: the absolute basics for beginners"]
    assert len(more) == 9
    assert "Linear algebra on n-dimensional arrays" in more


def test_header_link_count_can_still_be_set(root_app):
    app = root_app(
        "flat-header", confoverrides={"html_theme_options": {"header_links_before_dropdown": 3}}
    )
    app.build()
    assert warnings_of(app) == ""
    soup = soup_of(app, "index")
    row, more = header_links(soup)
    assert len(row) == 3
    assert len(more) == 7
    # Three long titles may not fit whole: each link of the row has its text as a
    # tooltip (the build decides; no script), "More"'s links wrap and have none.
    links = soup.select(".bd-header .navbar-nav > .nav-item > a.nav-link")
    assert [a.get("title") for a in links] == row
    assert not soup.select(".bd-header a.dropdown-item[title]")
    title = soup.select_one(".bd-header .logo__title")
    assert title["title"] == "NumPy tutorials documentation"


def test_invalid_header_link_count_warns(root_app):
    app = root_app(
        "flat-header", confoverrides={"html_theme_options.header_links_before_dropdown": "many"}
    )
    app.build()
    assert_warnings_exactly(
        app, [("", "'many' for the theme option 'header_links_before_dropdown'", "learn.theme")]
    )
    row, _more = header_links(soup_of(app, "index"))
    assert len(row) == 1  # "auto"


def test_site_title_can_be_shortened_and_keeps_its_text(root_app):
    title = "The complete NumPy tutorials for scientists, engineers and students"
    app = root_app("flat-header", confoverrides={"html_title": title})
    app.build()
    soup = soup_of(app, "index")
    # The whole title is in the page (read by screen readers); the stylesheet clips it,
    # and it is long enough to be clipped: the build wrote it as a tooltip too.
    site_title = soup.select_one(".bd-header .logo__title")
    assert site_title.get_text(strip=True) == title
    assert site_title["title"] == title
    # No script for it (the page weight): the theme writes and loads none.
    scripts = [s["src"] for s in soup.select("script[src]")]
    assert not [src for src in scripts if "learn-header" in src]
    assert not (app.outdir / "_static" / "scripts" / "learn-header.js").exists()


@pytest.mark.parametrize(
    ("title", "tooltip"),
    [
        ("Learn NumPy", None),  # fits anywhere: no tooltip
        ('NumPy "arrays" & <dtypes>, from the first array to broadcasting', "same"),
    ],
)
def test_site_title_tooltip_only_when_it_may_be_clipped(title, tooltip):
    header = f'<a class="navbar-brand logo"><p class="title logo__title">{escape(title)}</p></a>'
    # The parent shows the logo's text, else docstitle (written as it is, so as HTML).
    context = {"docstitle": escape(title), "theme_logo": {"image_relative": {}}}
    written = title_tooltip(header, site_title_tooltip(context))
    if tooltip is None:
        assert written == header
    else:
        # Only the attribute is added, escaped: the text stays as it was.
        assert written == header.replace('logo__title">', f'logo__title" title="{escape(title)}">')
    # Beside a logo, a title has less room: "Learn NumPy" may be cut short on a phone.
    images = {"light": "l.svg", "dark": "d.svg"}
    logo = {"text": "Learn NumPy", "image_relative": images}
    assert site_title_tooltip({"docstitle": "Other", "theme_logo": logo}) == "Learn NumPy"
    # A logo alone: no title shown, no tooltip.
    alone = {"docstitle": escape(title) * 3, "theme_logo": {"image_relative": images}}
    assert site_title_tooltip(alone) is None


def test_header_links_tooltips_only_when_the_row_may_be_clipped():
    def link(text: str) -> str:
        anchor = '<a class="nav-link nav-internal" href="x.html">'
        return f'<li class="nav-item ">{anchor}\n  {text}\n</a></li>'

    # The decision: from the titles and the count, as pydata-sphinx-theme shows them.
    short = ["Learn", "Tutorials", "Reference"]
    titles = ["Your first arrays & their shapes", "Indexing <and> slicing", 'The "axis" argument']
    assert not row_may_clip(*row_of(short, 5))
    assert row_may_clip(*row_of(titles, 5))
    assert row_of(short * 2, 5) == (short * 2, False)  # never one link in More
    assert row_of(short * 3, 5) == ((short * 3)[:5], True)
    # The attribute: added to the row's links only when asked.
    row = "\n".join(link(t) for t in short)
    assert link_tooltips(row, on=False) == row
    long = "\n".join(link(escape(t, quote=False)) for t in titles)
    written = BeautifulSoup(link_tooltips(long, on=True), "html.parser")
    assert [a["title"] for a in written.select("a")] == titles
    # "More"'s links wrap instead: none.
    more = '<a class="nav-link dropdown-item" href="y.html">A long title in the menu</a>'
    assert link_tooltips(long + more, on=True).endswith(more)


@pytest.mark.sphinx("html", testroot="nav", freshenv=True)
def test_search_button_is_named_by_the_text_it_shows(app):
    app.build()
    soup = soup_of(app, "tutorials/first")
    buttons = soup.select(".bd-header .search-button__button")
    # The desktop row and the narrow-window header each have one.
    assert len(buttons) == 2
    for button in buttons:
        # No aria-label: the name is the visible "Search Ctrl+K" (WCAG 2.5.3); the
        # title names it where only the icon shows.
        assert not button.has_attr("aria-label")
        assert button["title"] == "Search"
        assert " ".join(button.get_text(" ").split()) == "Search Ctrl + K"
        assert button.select_one("i")["aria-hidden"] == "true"
        # No Bootstrap tooltip: it would move the title away and leave the icon unnamed.
        assert not button.has_attr("data-bs-toggle")


def test_search_button_slot_can_be_set_back(root_app):
    app = root_app(
        "nav", confoverrides={"html_theme_options": {"navbar_persistent": "search-button-field"}}
    )
    app.build()
    button = soup_of(app, "index").select_one(".navbar-persistent--container button")
    assert button["aria-label"] == "Search"  # the parent's own component
