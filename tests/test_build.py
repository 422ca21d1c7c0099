"""The extension and theme build under every builder and with other themes."""

from __future__ import annotations

import re

import pytest

import sphinx_numpy_learn

from .conftest import soup_of, warnings_of


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_extension_metadata(app):
    extension = app.extensions["sphinx_numpy_learn"]
    assert extension.version == sphinx_numpy_learn.__version__
    assert extension.parallel_read_safe is True
    assert extension.parallel_write_safe is True
    # The learn domain's data version (tests/test_records.py checks it follows).
    assert extension.metadata["env_version"] == 15
    assert "myst_nb" in app.extensions


@pytest.mark.sphinx(
    "html", testroot="basic", freshenv=True, confoverrides={"html_theme": "sphinx_numpy_learn"}
)
def test_theme_is_ours_on_pydata_layout(app):
    app.build()
    assert warnings_of(app) == ""
    soup = soup_of(app)
    stylesheets = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    assert any("styles/learn-theme.css" in href for href in stylesheets)
    assert any("styles/pydata-sphinx-theme.css" in href for href in stylesheets)
    # Our stylesheet comes after the parent's, so its variables win.
    ours = next(i for i, h in enumerate(stylesheets) if "learn-theme.css" in h)
    parents = next(i for i, h in enumerate(stylesheets) if "pydata-sphinx-theme.css" in h)
    assert ours > parents
    # pydata-sphinx-theme's layout underneath ...
    assert soup.select_one("header.bd-header") is not None
    assert soup.select_one("div.bd-sidebar-primary") is not None
    # ... and our name in the footer slot instead of the parent's credit.
    credit = soup.select_one("footer .learn-theme-version")
    assert credit is not None
    assert "sphinx-numpy-learn theme" in credit.get_text()
    assert sphinx_numpy_learn.__version__ in credit.get_text()
    assert soup.select_one("footer .theme-version") is None
    assert (app.outdir / "_static" / "styles" / "learn-theme.css").is_file()


@pytest.mark.parametrize("theme", ["alabaster", "furo", "pydata_sphinx_theme"])
def test_extension_works_under_other_themes(root_app, theme):
    app = root_app("basic", confoverrides={"html_theme": theme})
    app.build()
    assert warnings_of(app) == ""
    html = (app.outdir / "reference.html").read_text(encoding="utf-8")
    assert 'id="confval-learn_recommended_defaults"' in html
    # The theme's assets and footer belong to the theme only.
    assert "learn-theme.css" not in html
    assert "learn-theme-version" not in html


@pytest.mark.sphinx("html", testroot="theme-only", freshenv=True)
def test_theme_alone_loads_the_extension(app):
    """``html_theme`` without ``extensions``: the extension, MyST-NB and our
    config checks are all loaded late, when Sphinx imports the theme."""
    app.build()
    warnings = warnings_of(app)
    assert "sphinx_numpy_learn" in app.extensions
    assert "myst_nb" in app.extensions
    # The config-inited handlers that ran late: validation and defaults.
    assert "invalid value 'yes please' for 'learn_recommended_defaults'" in warnings
    # Loading late costs incremental builds; the user is told how to fix it.
    conf_py = app.srcdir / "conf.py"
    assert f"{conf_py}:2: WARNING: " in warnings
    assert "the sphinx_numpy_learn theme loaded the sphinx_numpy_learn extension" in warnings
    assert "[learn.setup]" in warnings
    assert app.config.nb_execution_timeout == 120
    # The MyST notebook was found, parsed by MyST-NB and executed.
    assert (app.outdir / "notebook.html").is_file()
    output = soup_of(app, "notebook").select_one("div.cell_output")
    assert output is not None
    assert "42" in output.get_text()
    # Directives registered by config-inited handlers exist too.
    index = soup_of(app, "index")
    assert index.select_one("div.learn-exercise > p").get_text() == "Exercise 1: Loaded late"
    assert index.select_one("details.learn-solution > summary").get_text() == (
        "Solution to Exercise 1"
    )
    # Only those two.
    assert warnings.count("WARNING") == 2, warnings


@pytest.mark.parametrize(
    ("builder", "expected_file"),
    [
        ("latex", "basic.tex"),
        ("text", "reference.txt"),
        ("man", "basic.1"),
        ("texinfo", "basic.texi"),
        ("epub", "reference.xhtml"),
        ("singlehtml", "index.html"),
        ("dirhtml", "reference/index.html"),
    ],
)
def test_every_builder(root_app, builder, expected_file):
    app = root_app("basic", builder)
    app.build()
    warnings = warnings_of(app)
    # epub always warns about conf values a real book must set; nothing of ours.
    ours = [line for line in warnings.splitlines() if "epub" not in line.lower()]
    assert ours == [], warnings
    output = app.outdir / expected_file
    if not output.exists():
        candidates = sorted(p.name for p in app.outdir.iterdir())
        pytest.fail(f"{expected_file} not in {candidates}")
    if builder in {"text", "latex", "man", "texinfo"}:
        text = output.read_text(encoding="utf-8").replace("\\_", "_")  # LaTeX escapes
        assert "learn_recommended_defaults" in text
        assert "nb_execution_timeout" in text
        assert "LRN105" in text  # the check rules table
        assert "<" + "table" not in text  # no HTML leftovers


@pytest.mark.sphinx("html", testroot="parallel", freshenv=True, parallel=2)
def test_parallel_build_is_clean(app):
    app.build()
    warnings = warnings_of(app)
    assert "parallel" not in warnings
    assert warnings == ""
    assert app.parallel == 2
    for i in range(1, 9):
        assert (app.outdir / f"page{i}.html").is_file()


@pytest.mark.sphinx(
    "html", testroot="basic", freshenv=True, confoverrides={"html_theme": "sphinx_numpy_learn"}
)
def test_theme_footer_fragment(app, file_regression):
    app.build()
    fragment = soup_of(app).select_one("footer .learn-theme-version").prettify()
    fragment = fragment.replace(sphinx_numpy_learn.__version__, "VERSION")
    fragment = re.sub(
        r"PyData Sphinx Theme [0-9][^ <.]*(\.[0-9]+)*", "PyData Sphinx Theme PST", fragment
    )
    file_regression.check(fragment, basename="theme_footer", extension=".html")


@pytest.mark.parametrize("root", ["basic", "parallel"])
def test_unchanged_rebuild_reads_nothing(root_app, root):
    """Setting recommended defaults at config-inited must not look like a config
    change to the next build (a full re-read on every build, sphinx-needs#1710)."""
    first = root_app(root)
    first.build()
    first.cleanup()
    second = root_app.again(first.srcdir)
    second.build()
    status = second.status.getvalue()
    assert "0 added, 0 changed, 0 removed" in status, status
    assert "config changed" not in status


def test_epub_gets_no_web_site_json(root_app):
    """``learn-catalog.json`` is for web sites; in an epub it was a file of unknown
    type (``-W`` failed on every site with tutorials)."""
    html = root_app("tutorials")
    html.build()
    assert (html.outdir / "learn-catalog.json").is_file()
    html.cleanup()  # one app at a time
    # What a real book sets (Sphinx warns without them).
    book = {"version": "1.0", "copyright": "2026, The authors"}
    epub = root_app.again(html.srcdir, "epub", confoverrides=book)
    epub.build()
    assert warnings_of(epub) == ""
    assert not (epub.outdir / "learn-catalog.json").exists()
    assert "learn-catalog.json" not in (epub.outdir / "content.opf").read_text(encoding="utf-8")
