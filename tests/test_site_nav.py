"""The theme's site navigation (theme option ``sidebar_nav``): the site's pages in the
left sidebar where pydata-sphinx-theme's section navigation would be empty.

tests/roots/test-flat-site is a tutorial collection as people write it: one flat
toctree of eleven pages with long titles, MyST and reStructuredText, levels on some,
and a ``conf.py`` with nothing but the extension and the theme.
"""

from __future__ import annotations

import json
import posixpath
import shutil
from pathlib import Path

import pytest
import sphinx.locale
from bs4 import BeautifulSoup
from docutils import nodes

from sphinx_numpy_learn.theme import site_nav

from .conftest import assert_warnings_exactly, soup_of, warnings_of
from .test_tutorials import edit

# The flat root's toctree, in order: (docname, title, level badge or None).
FLAT_PAGES = [
    (
        "weather",
        "Analysing the 2015 Seattle weather data set with NumPy\u2019s structured arrays and "
        "datetime64",
        "Intermediate",
    ),
    (
        "moores-law",
        "Determining Moore\u2019s Law with real data: fitting an exponential to 50 years of "
        "transistor counts",
        "Beginner",
    ),
    (
        "saving-arrays",
        "Saving and sharing your NumPy arrays between Python sessions with .npy, .npz and "
        "text files",
        "Beginner",
    ),
    (
        "x-ray-images",
        "Processing chest X-ray images with NumPy, imageio and Matplotlib: edges, masks and "
        "histograms",
        "Intermediate",
    ),
    (
        "masked-arrays",
        "Using masked arrays to fill gaps in the COVID-19 case counts reported by Johns "
        "Hopkins University",
        None,
    ),
    (
        "tabular-data",
        "Working with tabular data: from NumPy record arrays to pandas DataFrames and back again",
        "Beginner",
    ),
    (
        "static-equilibrium",
        "Determining the static equilibrium of rigid bodies with NumPy: forces, moments and "
        "resultant vectors",
        None,
    ),
    (
        "svd-compression",
        "Compressing a photograph of a raccoon with the singular value decomposition in "
        "numpy.linalg",
        "Advanced",
    ),
    (
        "sentiment-analysis",
        "Sentiment analysis of 50,000 IMDb movie reviews with a long short-term memory "
        "network written in NumPy",
        "Advanced",
    ),
    (
        "deep-learning-mnist",
        "Deep learning on MNIST: training a three-layer network from scratch with nothing "
        "but NumPy",
        "Advanced",
    ),
    ("about", "About these tutorials and how to contribute one of your own", None),
]
FLAT_DOCS = [doc for doc, _title, _level in FLAT_PAGES]
FLAT_TUTORIALS = [doc for doc, _title, level in FLAT_PAGES if level]
# Every page a flat build writes with a sidebar, the special ones included.
SPECIAL_PAGES = ["genindex", "search"]
PATH = """\
```{learning-path} Your first week
:name: first-week

moores-law
saving-arrays
weather
```

"""


def html_soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page_file(app, page: str) -> Path:
    uri = app.builder.get_target_uri(page)
    return Path(app.outdir, uri + "index.html" if uri.endswith("/") or not uri else uri)


def site_nav_of(soup: BeautifulSoup):
    navs = soup.select("#pst-primary-sidebar nav.bd-docs-nav")
    assert len(navs) == 1, [n.get("aria-label") for n in navs]
    assert "learn-site-nav" in navs[0]["class"]
    return navs[0]


def link_text(a) -> str:
    """A link's visible title, without its badge."""
    return "".join(t for t in a.find_all(string=True, recursive=False)).strip()


def add_path(srcdir: Path) -> None:
    edit(srcdir / "index.md", "```{toctree}", PATH + "```{toctree}")


def with_captions(srcdir: Path) -> None:
    """The flat toctree split in two, each with a caption."""
    edit(
        srcdir / "index.md",
        ":maxdepth: 1\n\nweather\n",
        ":maxdepth: 1\n:caption: Start with these\n\nweather\n",
    )
    edit(
        srcdir / "index.md",
        "masked-arrays\n",
        "masked-arrays\n```\n\n```{toctree}\n:maxdepth: 1\n:caption: Go further\n\n",
    )


# -- A flat site ---------------------------------------------------------------------------


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_flat_site_lists_every_page_on_every_page(root_app, builder):
    app = root_app("flat-site", builder)
    app.build()
    assert warnings_of(app) == ""
    assert app.config.project == "Project name not set"  # no project, no html_title
    for page in ["index", *FLAT_DOCS, *SPECIAL_PAGES]:
        path = page_file(app, page)
        soup = html_soup(path)
        sidebar = soup.select_one("#pst-primary-sidebar")
        assert "hide-on-wide" not in sidebar["class"], page
        assert sidebar.select_one(".pst-sidebar-collapse"), page  # the collapse button stays
        nav = site_nav_of(soup)
        assert nav["aria-label"] == "Site navigation"
        assert nav.select_one("p.bd-links__title").get_text(strip=True) == "Site navigation"
        assert not nav.select("p.caption")  # the toctree has no caption
        links = nav.select("ul.bd-sidenav > li > a")
        assert [link_text(a) for a in links] == [title for _doc, title, _level in FLAT_PAGES]
        # Each link leads to its page, from wherever this page is.
        for a, doc in zip(links, FLAT_DOCS, strict=True):
            target = Path(posixpath.normpath(posixpath.join(path.parent.as_posix(), a["href"])))
            if a["href"].endswith("/"):
                target /= "index.html"
            assert target == page_file(app, doc), (page, a["href"])
        badges = [
            a.select_one(".learn-nav-badge")["title"] if a.select(".learn-nav-badge") else None
            for a in links
        ]
        assert badges == [level for _doc, _title, level in FLAT_PAGES], page
        # The current page, and only it, is marked.
        current = nav.select('a[aria-current="page"]')
        if page in FLAT_DOCS:
            assert [link_text(a) for a in current] == [{d: t for d, t, _l in FLAT_PAGES}[page]], (
                page
            )
            assert current[0].parent["class"] == ["toctree-l1", "current", "active"]
        else:
            assert current == [], page
            assert not nav.select("li.current")
        # Tutorials carry their name for the done marks; one progress line counts them.
        assert [li["data-learn-doc"] for li in nav.select("li[data-learn-doc]")] == (
            FLAT_TUTORIALS
        )
        (line,) = nav.select("p.learn-nav-progress")
        assert line.has_attr("hidden")
        assert json.loads(line["data-learn-docs"]) == FLAT_TUTORIALS
        assert line["data-learn-progress"] == "{done} of 8 done"
        scripts = [s["src"] for s in soup.select("script[src]")]
        assert any("learn-progress.js" in src for src in scripts), page


def test_site_navigation_groups_by_toctree_caption(root_app):
    app = root_app("flat-site")
    with_captions(app.srcdir)
    app.build()
    assert warnings_of(app) == ""
    nav = site_nav_of(soup_of(app, "tabular-data"))
    groups = []
    for caption in nav.select("p.caption"):
        listing = caption.find_next_sibling("ul")
        line = listing.find_next_sibling()
        groups.append(
            (
                caption.get_text(strip=True),
                [a["href"] for a in listing.select("a")],
                json.loads(line["data-learn-docs"]),
            )
        )
    assert groups == [
        (
            "Start with these",
            [f"{doc}.html" for doc in FLAT_DOCS[:5]],
            ["weather", "moores-law", "saving-arrays", "x-ray-images"],
        ),
        (
            "Go further",
            [f"{doc}.html" for doc in FLAT_DOCS[5:]],
            ["tabular-data", "svd-compression", "sentiment-analysis", "deep-learning-mnist"],
        ),
    ]
    assert caption["role"] == "heading"


def test_a_learning_path_step_shows_the_path_first(root_app):
    app = root_app("flat-site")
    add_path(app.srcdir)
    app.build()
    assert warnings_of(app) == ""
    nav = site_nav_of(soup_of(app, "saving-arrays"))
    first = nav.select_one(".bd-toc-item > *")
    assert first.get_text(strip=True) == "Learning path: Your first week"
    steps = first.find_next_sibling("ol")
    assert "learn-nav-steps" in steps["class"]
    assert [li["data-learn-doc"] for li in steps.select("li")] == [
        "moores-law",
        "saving-arrays",
        "weather",
    ]
    line = steps.find_next_sibling("p")
    assert json.loads(line["data-learn-docs"]) == ["moores-law", "saving-arrays", "weather"]
    # Then the whole site; the page is current in both, "active" (where the parent's
    # script scrolls to) only in the path.
    assert len(nav.select("ul.bd-sidenav > li")) == len(FLAT_DOCS)
    marked = nav.select('a[aria-current="page"]')
    assert [a.parent["class"] for a in marked] == [
        ["toctree-l1", "current", "active"],
        ["toctree-l1", "current"],
    ]
    # Not a step: no path.
    assert not site_nav_of(soup_of(app, "about")).select("ol")


def test_path_mode_shows_only_the_path_on_its_steps(root_app):
    app = root_app("flat-site", confoverrides={"html_theme_options": {"sidebar_nav": "path"}})
    add_path(app.srcdir)
    app.build()
    assert warnings_of(app) == ""
    nav = site_nav_of(soup_of(app, "weather"))
    assert [a["href"] for a in nav.select("a")] == [
        "moores-law.html",
        "saving-arrays.html",
        "weather.html",
    ]
    assert nav.select_one("ol li.current a")["aria-current"] == "page"
    assert len(site_nav_of(soup_of(app, "about")).select("a")) == len(FLAT_DOCS)


def test_section_mode_keeps_the_parents_sidebar(root_app):
    app = root_app("flat-site", confoverrides={"html_theme_options": {"sidebar_nav": "section"}})
    app.build()
    assert warnings_of(app) == ""
    soup = soup_of(app, "weather")
    assert not soup.select(".learn-site-nav")
    nav = soup.select_one("nav.bd-docs-nav")
    assert nav["aria-label"] == "Section Navigation"
    assert not nav.select("a")  # pydata-sphinx-theme's empty section navigation
    assert not soup_of(app, "index").select("nav.bd-docs-nav")


def test_invalid_sidebar_nav_warns_and_uses_auto(root_app):
    app = root_app(
        "flat-site", confoverrides={"html_theme_options": {"sidebar_nav": "everything"}}
    )
    app.build()
    assert_warnings_exactly(
        app, [("", "'everything' for the theme option 'sidebar_nav'", "learn.theme")]
    )
    assert "one of 'auto', 'section', 'site', 'path'" in warnings_of(app)
    assert len(site_nav_of(soup_of(app, "weather")).select("a")) == len(FLAT_DOCS)


def test_titles_are_escaped(root_app):
    app = root_app("flat-site")
    edit(
        app.srcdir / "masked-arrays.rst",
        "Using masked arrays to fill gaps in the COVID-19 case counts reported by Johns "
        "Hopkins University\n",
        "Masks & <script>alert(1)</script>\n",
    )
    edit(app.srcdir / "masked-arrays.rst", "=" * 96 + "\n", "=" * 40 + "\n")
    app.build()
    nav = site_nav_of(soup_of(app, "weather"))
    assert not nav.select("script")
    assert nav.select("a")[4].get_text() == "Masks & <script>alert(1)</script>"


# -- A site in sections ----------------------------------------------------------------------


def test_sections_keep_their_section_navigation(root_app):
    """tests/roots/test-nav: index > tutorials/index > its pages, like example_docs."""
    app = root_app("nav")
    app.build()
    for page in ("tutorials/index", "tutorials/first", "tutorials/plain"):
        soup = soup_of(app, page)
        assert not soup.select(".learn-site-nav"), page
        nav = soup.select_one("nav.bd-docs-nav")
        assert nav["aria-label"] == "Section Navigation"
        assert [c.get_text(strip=True) for c in nav.select("p.caption")] == ["Start", "More"]
    # The home page has no section: the site, its sections collapsed.
    nav = site_nav_of(soup_of(app, "index"))
    section = nav.select_one("li.toctree-l1.has-children")
    assert section.a["href"] == "tutorials/index.html"
    details = section.select_one("details")
    assert not details.has_attr("open")
    assert details.summary.get_text(strip=True) == "Pages under Tutorials"
    assert [a["href"] for a in details.select("li.toctree-l2 > a")] == [
        "tutorials/first.html",
        "tutorials/second.html",
        "tutorials/plain.html",
    ]


def test_site_mode_opens_the_current_branch(root_app):
    app = root_app("nav", confoverrides={"html_theme_options": {"sidebar_nav": "site"}})
    app.build()
    nav = site_nav_of(soup_of(app, "tutorials/second"))
    # A step of the "Getting started" path: its steps, then the site.
    assert nav.select_one("p.caption").get_text() == "Learning path: Getting started"
    section = nav.select_one("ul.bd-sidenav > li.toctree-l1")
    assert section["class"] == ["toctree-l1", "has-children"]
    # Links go through the site root: one rendering serves every folder.
    assert section.a["href"] == "../tutorials/index.html"
    assert section.select_one("details").has_attr("open")
    current = section.select_one('a[aria-current="page"]')
    assert current["href"] == "../tutorials/second.html"
    assert current.parent["class"] == ["toctree-l2", "current"]
    # Elsewhere the branch stays closed.
    nav = site_nav_of(soup_of(app, "index"))
    assert not nav.select_one("details").has_attr("open")


def test_a_projects_own_sidebar_is_left_alone(root_app):
    app = root_app("flat-site", confoverrides={"html_sidebars": {"**": ["sidebar-collapse"]}})
    app.build()
    assert not soup_of(app, "weather").select("nav.bd-docs-nav")


# -- Cost and builds ------------------------------------------------------------------------


def test_the_outline_is_read_and_rendered_once_per_build(root_app, monkeypatch):
    """Per page, only the page's own entry changes: the toctree is read and the sidebar
    rendered once per build, not once per page (a quadratic build on a large site)."""
    calls = {"read": 0, "render": 0}
    read, render = site_nav.read_outline, site_nav.Renderer.render

    def counting_read(*args, **kwargs):
        calls["read"] += 1
        return read(*args, **kwargs)

    def counting_render(self, groups):
        calls["render"] += 1
        return render(self, groups)

    monkeypatch.setattr(site_nav, "read_outline", counting_read)
    monkeypatch.setattr(site_nav.Renderer, "render", counting_render)
    app = root_app("flat-site")
    add_path(app.srcdir)
    written: list[str] = []
    app.connect("html-page-context", lambda app, page, *args: written.append(page))
    app.build()
    assert len(written) >= len(FLAT_DOCS) + 1
    # Once, to see whether it changed since the last build; the pages use the same.
    assert calls["read"] == 1
    # The site, and the site after the path's steps.
    assert calls["render"] == 2


def test_parallel_build_gives_the_same_sidebars(root_app, make_app, tmp_path):
    serial = root_app("flat-site")
    add_path(serial.srcdir)
    copy = tmp_path / "parallel"
    shutil.copytree(serial.srcdir, copy)
    serial.build()
    parallel = make_app("html", srcdir=copy, parallel=2)
    merged: list[str] = []
    parallel.connect("env-merge-info", lambda app, env, docnames, other: merged.extend(docnames))
    parallel.build()
    assert merged  # read in worker processes
    for page in ["index", *FLAT_DOCS, *SPECIAL_PAGES]:
        one = site_nav_of(soup_of(serial, page)).prettify()
        two = site_nav_of(soup_of(parallel, page)).prettify()
        assert one == two, page


def test_navigation_changes_rewrite_every_page(root_app):
    """Sphinx writes again only the pages it reads again (and their toctree parents);
    every page shows every title, so a changed title rewrites them all."""
    app = root_app("flat-site")
    app.build()
    env = app.env

    def stale() -> list[str]:
        site_nav.forget_build_nav(app, env)  # as env-updated does, before
        return site_nav.pages_with_stale_site_nav(app, env)

    assert stale() == []
    env.titles["weather"] = nodes.title("", "Seattle weather")
    assert stale() == sorted(env.found_docs)
    assert stale() == []


def test_labels_follow_the_language(root_app):
    # Forget catalogs an earlier build of this process loaded (see tests/test_i18n.py).
    sphinx.locale.translators.clear()
    app = root_app("nav", confoverrides={"language": "es"})
    app.build()
    nav = site_nav_of(soup_of(app, "index"))
    assert nav["aria-label"] == "Navegación del sitio"
    assert nav.select_one("summary").get_text(strip=True) == "Páginas en Tutorials"
    assert nav.select_one("p.learn-nav-progress")["data-learn-progress"] == "{done} de 2 hechos"


def test_badge_icons_are_drawn_once_and_referenced(root_app):
    """A flat site lists every tutorial with its badge: each icon is one ``<symbol>``
    per page, which every badge's ``<use>`` names (not the icon's shapes again)."""
    app = root_app("flat-site")
    add_path(app.srcdir)
    app.build()
    soup = soup_of(app, "saving-arrays")
    nav = site_nav_of(soup)
    badges = nav.select(".learn-nav-badge svg.learn-badge-icon")
    assert len(badges) >= 3
    targets = {badge.select_one("use")["href"] for badge in badges}
    for badge in badges:
        assert [child.name for child in badge.children] == ["use"]
    symbols = soup.select("symbol[id]")
    ids = [symbol["id"] for symbol in symbols]
    assert len(ids) == len(set(ids))  # each once on the page
    assert {f"#{id_}" for id_ in ids} >= targets
    sprite = symbols[0].parent
    assert sprite.has_attr("hidden")
    assert sprite["aria-hidden"] == "true"
    assert all(symbol.find(True) for symbol in symbols)  # the shapes
