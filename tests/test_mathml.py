"""Maths become MathML at build time: no MathJax, nothing fetched from a CDN."""

from __future__ import annotations

import pytest

from sphinx_numpy_learn.mathml import RENDERER, MathConversionError, latex_to_mathml

from .conftest import assert_warnings_exactly, soup_of, warnings_of

MATH_PAGES = ("rst-page", "myst-page")


def assert_no_mathjax(outdir) -> None:
    """No page loads MathJax or anything from jsdelivr."""
    from bs4 import BeautifulSoup

    pages = sorted(outdir.rglob("*.html"))
    assert pages, f"no pages in {outdir}"
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "jsdelivr" not in html, page
        soup = BeautifulSoup(html, "html.parser")
        for script in soup.find_all("script"):
            assert "mathjax" not in (script.get("src", "") + script.get_text()).lower(), page
        for tag in soup.find_all(["link", "script"]):
            assert "://" not in (tag.get("src", "") + tag.get("href", "")), (page, tag)


@pytest.fixture
def math_app(root_app):
    app = root_app("math")
    app.build()
    return app


def test_maths_are_mathml_without_javascript(math_app):
    assert math_app.builder.math_renderer_name == RENDERER
    assert warnings_of(math_app) == ""
    assert_no_mathjax(math_app.outdir)
    for page in MATH_PAGES:
        soup = soup_of(math_app, page)
        maths = soup.find_all("math")
        assert maths, page
        for math in maths:
            assert math["alttext"].strip(), math
            assert math["display"] in {"inline", "block"}
            assert math.find(["mi", "mn", "mo", "mtext", "mtable"]) is not None
        inline = soup.select("span.math > math[display=inline]")
        block = soup.select(
            "div.math.learn-math-block > div.learn-math-scroll > math[display=block]"
        )
        assert inline
        assert block
        assert soup.select_one(".learn-math-source") is None
    # The source is the text alternative.
    assert soup_of(math_app, "myst-page").find("math", alttext="Ax = b") is not None


def test_stylesheet_only_on_pages_with_maths(math_app):
    assert (math_app.outdir / "_static" / "learn-math.css").is_file()

    def stylesheets(page):
        return [
            link["href"] for link in soup_of(math_app, page).find_all("link", rel="stylesheet")
        ]

    for page in MATH_PAGES:
        assert any("learn-math.css" in href for href in stylesheets(page)), page
    assert not any("learn-math.css" in href for href in stylesheets("plain"))


def test_equation_numbers_anchors_and_references(math_app):
    rst = soup_of(math_app, "rst-page")
    block = rst.select_one("div#equation-pythagoras")
    assert block is not None
    eqno = block.select_one("span.eqno")
    assert eqno.get_text().startswith("(1)")
    assert eqno.select_one("a.headerlink")["href"] == "#equation-pythagoras"
    assert rst.select_one("div#equation-system span.eqno").get_text().startswith("(2)")
    # :eq: on the same page and to the MyST page ...
    links = {a["href"]: a.get_text() for a in rst.select("a.reference.internal")}
    assert links["#equation-pythagoras"] == "(1)"
    assert links["#equation-system"] == "(2)"
    assert links["myst-page.html#equation-quadratic"] == "(1)"
    # ... and {eq} from MyST.
    myst = soup_of(math_app, "myst-page")
    assert myst.select_one("div#equation-quadratic span.eqno").get_text().startswith("(1)")
    links = {a["href"]: a.get_text() for a in myst.select("a.reference.internal")}
    assert links["#equation-quadratic"] == "(1)"
    assert links["rst-page.html#equation-pythagoras"] == "(1)"
    # Unlabelled blocks have no number.
    assert len(rst.select("span.eqno")) == 2


def test_aligned_blocks_are_tables(math_app):
    rst = soup_of(math_app, "rst-page")
    # `&` and `\\` in a plain block (as Sphinx's MathJax renderer wraps it in `split`).
    rows = rst.select("div#equation-system mtable > mtr")
    assert len(rows) == 2
    assert [td.get("columnalign") for td in rows[0].find_all("mtd", recursive=False)] == [
        "right",
        "left",
    ]
    # Two paragraphs in one block: two equations, one above the other.
    two = next(m for m in rst.find_all("math") if m["alttext"].startswith("x = 1"))
    assert len(two.select("mtable > mtr")) == 2
    # `aligned` in MyST, which latex2mathml alone would flatten onto one line.
    myst = soup_of(math_app, "myst-page")
    aligned = next(m for m in myst.find_all("math") if "aligned" in m["alttext"])
    assert len(aligned.select("mtable > mtr")) == 2
    # Matrices.
    matrix = next(m for m in myst.find_all("math") if "bmatrix" in m["alttext"])
    assert len(matrix.find_all("mtable")) == 3
    # No stray alignment characters (only the escaped one) or unconverted commands.
    for soup in (rst, myst):
        for token in soup.find_all(["mi", "mo"]):
            if "\\&" not in token.find_parent("math")["alttext"]:
                assert token.get_text() != "&", token
            assert not token.get_text().startswith("\\"), token


def test_markup_in_maths_is_escaped(math_app):
    html = (math_app.outdir / "rst-page.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    soup = soup_of(math_app, "rst-page")
    mtext = next(t for t in soup.find_all("mtext") if "alert" in t.get_text())
    assert mtext.get_text() == "<script>alert(1)</script>"
    comparison = soup.find("math", alttext=r"x < y \& z > 0")
    assert comparison is not None
    assert [mo.get_text() for mo in comparison.find_all("mo")] == ["<", ">"]
    assert "&" in [mi.get_text() for mi in comparison.find_all("mi")]  # the escaped \&


def test_bad_latex_warns_once_and_shows_its_source(root_app):
    app = root_app("math-bad")
    app.build()
    assert_warnings_exactly(
        app,
        [(f"{app.srcdir / 'index.rst'}:6:", "cannot convert maths to MathML", "learn.math")],
    )
    soup = soup_of(app)
    source = soup.select_one("div.math code.learn-math-source")
    assert source.get_text() == r"\frac{1}{2} + \left( x"
    assert soup.find("math", alttext="a + b") is not None  # the good one still converts
    assert "The page goes on after it." in soup.get_text()


@pytest.mark.parametrize(
    ("latex", "reason"),
    [
        (r"\frac{1}{2} + \left( x", "extra left or missing right"),
        (r"x^", "missing super script or subscript"),
        (r"\begin{matrix} a", "missing end"),
        (r"\notacommand{x}", r"unknown LaTeX command \notacommand"),
        (r"\begin{gather} a \\ b \end{gather}", "line break"),
    ],
)
def test_unconvertible_latex_raises_our_error(latex, reason):
    with pytest.raises(MathConversionError, match=reason.replace("\\", "\\\\")):
        latex_to_mathml(latex, "block")


def test_conversion_is_escaped_sanitised_and_cached():
    latex_to_mathml.cache_clear()
    markup = latex_to_mathml(r"\href{javascript:alert(1)}{x} < \text{a & b}", "inline")
    assert "href=" not in markup
    assert "<mo>&lt;</mo>" in markup
    assert "<mtext>a\xa0&amp;\xa0b</mtext>" in markup
    assert 'alttext="\\href{javascript:alert(1)}{x} &lt; \\text{a &amp; b}"' in markup
    assert latex_to_mathml(r"\href{https://numpy.org}{x}", "inline").count('href="https') == 1
    latex_to_mathml(r"\href{javascript:alert(1)}{x} < \text{a & b}", "inline")
    assert latex_to_mathml.cache_info().hits == 1


def test_mathjax_when_the_project_chooses_it(root_app):
    app = root_app("math", confoverrides={"html_math_renderer": "mathjax"})
    app.build()
    assert warnings_of(app) == ""
    assert app.builder.math_renderer_name == "mathjax"
    soup = soup_of(app, "rst-page")
    assert soup.find("math") is None
    assert any("mathjax" in script.get("src", "") for script in soup.find_all("script"))
    assert "learn-math.css" not in str(soup)
    assert r"\[a^2 + b^2 = c^2\]" in soup.select_one("div#equation-pythagoras").get_text()


def test_another_renderer_the_project_loads_is_kept(make_app, rootdir, tmp_path):
    # With MathJax, ours and imgmath registered Sphinx cannot choose and would stop.
    import shutil

    srcdir = tmp_path / "math"
    shutil.copytree(rootdir / "test-math", srcdir)
    app = make_app(
        "html",
        srcdir=srcdir,
        confoverrides={"extensions": ["sphinx_numpy_learn", "sphinx.ext.imgmath"]},
    )
    assert app.builder.math_renderer_name == "imgmath"


@pytest.mark.parametrize("builder", ["latex", "text", "man", "texinfo"])
def test_other_builders_keep_their_own_maths(root_app, builder):
    app = root_app("math", builder)
    app.build()
    assert warnings_of(app) == ""
    output = "".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in app.outdir.rglob("*")
        if path.is_file() and path.suffix in {".tex", ".txt", ".1", ".texi"}
    )
    assert "a^2 + b^2 = c^2" in output
    assert "<math" not in output


def test_parallel_build(root_app):
    app = root_app("math", parallel=2)
    app.build()
    assert warnings_of(app) == ""
    for page in MATH_PAGES:
        assert soup_of(app, page).find("math") is not None
    bad = root_app("math-bad", parallel=2)
    bad.build()
    assert warnings_of(bad).count("[learn.math]") == 1
