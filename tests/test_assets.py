"""Each page loads only the stylesheets and scripts of its components, minified."""

from __future__ import annotations

import shutil

import pytest

from sphinx_numpy_learn import assets

from .conftest import soup_of

PLAIN_PAGE = "---\norphan: true\n---\n\n# A plain page\n\nJust prose, no component.\n"


def ours(soup) -> tuple[list[str], list[str]]:
    """The extension's stylesheets and scripts a page loads, by file name, in order."""
    known = set(assets.STYLESHEETS) | set(assets.SCRIPTS)

    def name(url: str) -> str:
        return url.split("?")[0].rsplit("/", 1)[-1]

    styles = [name(link["href"]) for link in soup.select('link[rel="stylesheet"]')]
    scripts = [name(script["src"]) for script in soup.select("script[src]")]
    return [n for n in styles if n in known], [n for n in scripts if n in known]


@pytest.fixture
def tutorials_app(make_app, rootdir, tmp_path):
    """The tutorials root with one more page that holds no component."""

    def factory(**kwargs):
        srcdir = tmp_path / "tutorials"
        shutil.copytree(rootdir / "test-tutorials", srcdir)
        (srcdir / "plain.md").write_text(PLAIN_PAGE, encoding="utf-8")
        app = make_app("html", srcdir=srcdir, **kwargs)
        app.build()
        return app

    return factory


def test_static_folder_holds_exactly_the_registered_files():
    # Every CSS and JS source we ship is in the one asset table, once.
    names = [asset.name for asset in assets.ASSETS]
    assert len(names) == len(set(names))
    # (the theme's own static folder Sphinx copies as it is)
    folders = (
        assets.STATIC_DIR,
        assets.THEME_DIR / "styles",
        assets.THEME_DIR / "scripts",
        assets.THEME_DIR / "sphinx_numpy_learn" / "static",
    )
    on_disk = {p for folder in folders for p in folder.rglob("*") if p.suffix in {".css", ".js"}}
    assert {asset.source for asset in assets.ASSETS} == on_disk
    # The MathML stylesheets are written by the math renderer, not with the features.
    math = {asset.name for asset in assets.ASSETS if asset.owner == assets.MATH}
    assert math == {assets.MATH_STYLESHEET, assets.MATH_BLOCK_STYLESHEET}
    registered = set(assets.STYLESHEETS) | set(assets.SCRIPTS)
    assert len(registered) == len(assets.STYLESHEETS) + len(assets.SCRIPTS)
    assert registered == {a.name for a in assets.ASSETS if a.owner == assets.EXTENSION}
    # Each feature loads registered files, and every file but the core stylesheet
    # belongs to a feature.
    stylesheets = {name for feature in assets.FEATURES.values() for name in feature[0]}
    scripts = {name for feature in assets.FEATURES.values() for name in feature[1]}
    assert stylesheets == set(assets.STYLESHEETS) - {assets.CORE_STYLESHEET}
    assert scripts == set(assets.SCRIPTS)


def test_the_minified_files_are_what_is_written(tutorials_app):
    app = tutorials_app()
    for name in (*assets.STYLESHEETS, *assets.SCRIPTS):
        written = (app.outdir / "_static" / name).read_text(encoding="utf-8")
        source = (assets.STATIC_DIR / name).read_text(encoding="utf-8")
        assert len(written) < len(source), name
        assert "/*" not in written, name  # comments are gone


def test_a_plain_page_loads_only_the_core(tutorials_app):
    app = tutorials_app()
    for page in ("plain", "genindex", "search"):
        assert ours(soup_of(app, page)) == ([assets.CORE_STYLESHEET], []), page


def test_catalog_page_gets_the_catalog_script_and_a_tutorial_does_not(tutorials_app):
    app = tutorials_app()
    styles, scripts = ours(soup_of(app, "index"))
    assert "learn-catalog.css" in styles
    # The progress script comes first: the summary script uses what it defines.
    assert scripts == [
        "learn-progress.js",
        "learn-summary.js",
        "learn-catalog.js",
    ]
    styles, scripts = ours(soup_of(app, "first"))
    assert styles == [
        assets.CORE_STYLESHEET,
        "learn-tutorial.css",
        "learn-paths.css",
        "learn-progress.css",
    ]
    assert scripts == ["learn-progress.js"]
    script = soup_of(app, "first").select_one("script[src*='learn-progress.js']")
    assert script["data-learn-project"] == "Tutorials"
    assert script["data-learn-storage"] == "1"
    assert script.has_attr("defer")


def test_without_progress_a_tutorial_loads_no_script(tutorials_app):
    app = tutorials_app(confoverrides={"learn_progress": False})
    assert ours(soup_of(app, "first")) == (
        [
            assets.CORE_STYLESHEET,
            "learn-tutorial.css",
            "learn-paths.css",
        ],
        [],
    )
    assert ours(soup_of(app, "index"))[1] == ["learn-catalog.js"]


def test_components_load_their_files(root_app):
    app = root_app("components")
    app.build()
    styles, scripts = ours(soup_of(app, "answers"))
    assert "learn-exercises.css" in styles
    styles, scripts = ours(soup_of(app, "guide"))
    # Callouts, and a first-time setup checklist, which keeps its ticks with the progress.
    assert styles == [
        "learn-core.css",
        "learn-callouts.css",
        "learn-checklists.css",
    ]
    assert scripts == ["learn-progress.js", "learn-checklists.js"]
    # Code blocks and sphinx-design's tabs (its own files are not ours: test_components).
    styles, scripts = ours(soup_of(app, "install"))
    assert {"learn-copy.css", "learn-tabs.css"} <= set(styles)
    assert {"learn-copy.js", "learn-tabs.js"} <= set(scripts)
    # A "Key points" box and links to glossary terms (with their tooltips).
    styles, scripts = ours(soup_of(app, "arrays"))
    assert {"learn-key-points.css", "learn-glossary.css"} <= set(styles)
    assert "learn-glossary.js" in scripts
    # A page with its own "Recap" section shows no box; a revision sheet is styled.
    assert "learn-key-points.css" not in ours(soup_of(app, "recap"))[0]
    assert "learn-key-points.css" in ours(soup_of(app, "revision"))[0]
    # The glossary's own page shows no tooltips.
    styles, scripts = ours(soup_of(app, "glossary"))
    assert "learn-glossary.css" not in styles
    assert "learn-glossary.js" not in scripts
    # Instructor notes: their stylesheet and the Instructor view button's script, the
    # progress one (loaded by a page with the button even when progress is off).
    styles, scripts = ours(soup_of(app, "shapes"))
    assert "learn-instructor.css" in styles
    assert "learn-progress.js" in scripts
    assert assets.page_assets({"instructor-view"}) == ([], ["learn-progress.js"])
    # A path on one page: the print stylesheet and its steps' files.
    styles, scripts = ours(soup_of(app, "workshop-book"))
    assert {"learn-path-book.css", "learn-exercises.css", "learn-instructor.css"} <= set(styles)
    assert "learn-checkpoints.js" in scripts


def test_singlehtml_loads_what_every_document_needs(root_app):
    app = root_app("components", "singlehtml")
    app.build()
    styles, scripts = ours(soup_of(app, "index"))
    assert {
        "learn-callouts.css",
        "learn-exercises.css",
        "learn-checkpoints.css",
    } <= set(styles)
    assert "learn-checkpoints.js" in scripts


def test_sidebar_progress_loads_the_progress_script_under_the_theme(root_app):
    app = root_app("nav")
    app.build()
    # A page that is no tutorial, in a section of tutorials: the sidebar counts them.
    assert ours(soup_of(app, "tutorials/plain")) == (
        [assets.CORE_STYLESHEET],
        ["learn-progress.js"],
    )
    app = root_app.again(
        app.srcdir, confoverrides={"html_theme_options.nav_progress": "false"}, freshenv=True
    )
    app.build()
    assert ours(soup_of(app, "tutorials/plain")) == ([assets.CORE_STYLESHEET], [])


def test_a_page_needs_the_copy_script_for_code_a_reader_wrote_not_for_output():
    """A literal or doctest block, or a notebook's code cell: yes. A block inside a
    cell's output (what the kernel printed): no."""
    from docutils import nodes
    from docutils.utils import new_document

    from sphinx_numpy_learn.copy_buttons import is_copyable
    from sphinx_numpy_learn.nodes_util import in_cell_output

    def page(*children: nodes.Node) -> nodes.document:
        document = new_document("page.md")
        document += nodes.section("", nodes.title("", "A page"), *children)
        return document

    def has_code(document: nodes.document) -> bool:
        return any(True for _ in document.findall(is_copyable))

    printed = nodes.literal_block("", "[1 2 3]")
    output = page(nodes.container("", printed, classes=["cell", "cell_output"]))
    assert in_cell_output(printed)
    assert not has_code(output)
    assert not in_cell_output(nodes.literal_block("", "x"))
    assert has_code(page(nodes.literal_block("", "np.zeros(3)")))
    assert has_code(page(nodes.doctest_block("", ">>> 1 + 1\n2")))
    assert has_code(page(nodes.container("", nb_element="cell_code")))
