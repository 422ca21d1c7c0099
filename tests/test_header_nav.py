"""The header's links, drawn once per build (theme/header_nav.py), are what
pydata-sphinx-theme's own function writes on every page, escaped.

tests/roots/test-header-nav has what real sites put in a root toctree: folders two
deep, "self", an entry with its own title, an external address, the index, a
formula in a title, text that looks like markup, an ``external_links`` option, and
a page no toctree lists.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sphinx_numpy_learn.theme import header_nav

from .conftest import soup_of, warnings_of
from .test_equivalence import html_pages


def pages_of(app) -> dict[str, str]:
    outdir = Path(app.outdir)
    return {
        str(path.relative_to(outdir)): path.read_text(encoding="utf-8") for path in html_pages(app)
    }


@pytest.fixture
def parents_folder(rootdir, tmp_path) -> Path:
    """A second copy of the root, for the build with the parent's function."""
    folder = tmp_path / "parents"
    shutil.copytree(rootdir / "test-header-nav", folder)
    return folder


@pytest.fixture
def count_parent_calls(monkeypatch):
    """How often pydata-sphinx-theme's function drew the header (escaped, as before)."""
    calls: list[str] = []
    original = header_nav._escaped_for_header

    def counted(app):
        calls.append(app.builder.name)
        return original(app)

    monkeypatch.setattr(header_nav, "_escaped_for_header", counted)
    return calls


def build_with_parents_function(root_app, monkeypatch, folder: Path, buildername: str):
    """The site as the parent's function draws its header on every page."""
    with monkeypatch.context() as patch:
        collect = header_nav._collect_links

        def parents_only(app, external_links):
            collected = collect(app, external_links)
            if collected is not None:
                collected.parent_markup = True
            return collected

        patch.setattr(header_nav, "_collect_links", parents_only)
        app = root_app.again(folder, buildername)
        app.build()
    return app


@pytest.mark.parametrize("buildername", ["html", "dirhtml", "singlehtml"])
def test_every_page_is_what_the_parents_function_writes(
    root_app, monkeypatch, parents_folder, count_parent_calls, buildername
):
    parents = build_with_parents_function(root_app, monkeypatch, parents_folder, buildername)
    parent_calls = len(count_parent_calls)
    count_parent_calls.clear()

    app = root_app("header-nav", buildername)
    app.build()
    # Only Sphinx's own (singlehtml: the toctree's "genindex" is no page there); the
    # second app of a test also says the first registered the nodes.
    expected = [line.split(": ", 1)[1] for line in warnings_of(parents).splitlines()]
    assert all("toc.not_readable" in line for line in expected)
    assert [
        line.split(": ", 1)[1]
        for line in warnings_of(app).splitlines()
        if "already registered" not in line
    ] == expected
    ours, theirs = pages_of(app), pages_of(parents)
    assert len(ours) == len(theirs) > (0 if buildername == "singlehtml" else 10)
    for page, html in ours.items():
        assert html == theirs[page], page
    # The parent's function drew every page's two headers (the row and, for narrow
    # screens, the sidebar's), ours once for each: the comparison on the first page.
    assert parent_calls == 2 * len(ours)
    assert count_parent_calls == [buildername, buildername]


def test_what_the_header_shows(root_app):
    app = root_app("header-nav")
    app.build()

    def links(page: str) -> list[tuple[str, str, list[str], str | None, str | None]]:
        row = soup_of(app, page).select_one(".navbar-header-items .bd-navbar-elements")
        return [
            (
                " ".join(a.get_text().split()),
                a["href"],
                a.find_parent("li")["class"],
                a.get("aria-current"),
                a.get("title"),
            )
            for a in row.select("a")
        ]

    deep = links("guide/deep/page")
    # Titles are text, escaped: the formula as its source (as the site navigation
    # shows it; no MathJax to typeset it), "<...>" as written.
    assert [text for text, *_ in deep] == [
        "Header links",
        "Tips & <tricks>",
        "The guide",
        "Arrays and x^2 <for> “beginners”",
        "NumPy's site",
        "Index",
        "The last page",
        "NumPy home",
    ][: len(deep)]
    assert [href for _, href, *_ in deep][:4] == [
        "../../index.html",
        "../../tips.html",
        "../index.html",
        "../../arrays.html",
    ]
    # The page two folders down is inside the guide: its link is current, not the page.
    guide = next(link for link in deep if link[0] == "The guide")
    assert "current" in guide[2]
    assert guide[3] is None
    on_guide = next(link for link in links("guide/index") if link[0] == "The guide")
    assert on_guide[1] == "#"
    assert on_guide[3] == "page"
    # "self" on the root page: the page itself, inside no entry.
    home = links("index")[0]
    assert home[1] == "#"
    assert home[3] == "page"
    assert "current" not in home[2]
    # A page no toctree lists: no current link.
    assert not [link for link in links("orphan") if "current" in link[2] or link[3]]
    # "More" holds the rest, and one id a page.
    soup = soup_of(app, "arrays")
    menu = soup.select_one(".navbar-header-items .dropdown-menu")
    assert menu is not None
    assert menu["id"] == "pst-nav-more-links"
    assert [a.get_text(strip=True) for a in menu.select("a")][-1] == "NumPy home"
    current = soup.select_one(".navbar-header-items li.current")
    assert current is not None
    assert current.a["aria-current"] == "page"


def test_a_changed_parent_markup_makes_the_build_use_the_parents_function(
    root_app, monkeypatch, parents_folder, count_parent_calls
):
    parents = build_with_parents_function(root_app, monkeypatch, parents_folder, "html")
    count_parent_calls.clear()
    # As if pydata-sphinx-theme had changed the markup of its links.
    monkeypatch.setattr(header_nav, "_ITEM", header_nav._ITEM.replace("<li ", "<li data-x "))
    app = root_app("header-nav", verbosity=2)
    app.build()
    assert "this build uses its function" in app.status.getvalue()
    assert pages_of(app) == pages_of(parents)
    pages = len(pages_of(app))
    # The first page: ours, then the parent's to compare (its "More" then has the
    # page's second id). Every other page: the parent's only.
    assert len(count_parent_calls) == 2 * pages


@pytest.mark.parametrize("name", ["flat-header", "flat-site", "nav"])
def test_sites_as_people_write_them_keep_the_build_wide_links(root_app, count_parent_calls, name):
    # No difference from the parent's markup on the first page of these sites either:
    # the whole build uses the links worked out once.
    app = root_app(name, confoverrides={"nb_execution_mode": "off"})
    app.build()
    build = header_nav._BUILD[app.builder][1]
    assert build is not None
    assert not build.parent_markup
    assert len(count_parent_calls) == len(build.checked) <= 2
