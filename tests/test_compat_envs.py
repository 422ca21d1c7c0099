"""Compatibility with themes that cannot share our test environment.

sphinx-book-theme pins an older pydata-sphinx-theme, so it gets a virtual
environment of its own (conftest's ``book_theme_python``, shared with the stacks
benchmark's test), where pip resolves our package next to it. There we build a small
project with sphinx-book-theme (the extension must work under it) and with our own
theme (which must work on that older pydata-sphinx-theme).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import TESTS_DIR

pytestmark = pytest.mark.compat


def build(python: Path, tmp_path: Path, theme: str) -> Path:
    srcdir = tmp_path / "src"
    shutil.copytree(TESTS_DIR / "roots" / "test-basic", srcdir)
    outdir = tmp_path / "html"
    result = subprocess.run(
        [
            str(python),
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-b",
            "html",
            "-D",
            f"html_theme={theme}",
            str(srcdir),
            str(outdir),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return outdir


def installed_version(python: Path, distribution: str) -> str:
    code = f"from importlib.metadata import version; print(version({distribution!r}))"
    return subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_extension_under_sphinx_book_theme(book_theme_python, tmp_path):
    outdir = build(book_theme_python, tmp_path, "sphinx_book_theme")
    html = (outdir / "reference.html").read_text(encoding="utf-8")
    assert 'id="confval-learn_recommended_defaults"' in html
    assert "sphinx-book-theme" in html


def test_our_theme_on_the_book_themes_pydata_version(book_theme_python, tmp_path):
    # sphinx-book-theme 1.4 pins pydata-sphinx-theme 0.20, older than our test env's.
    pydata_version = installed_version(book_theme_python, "pydata-sphinx-theme")
    outdir = build(book_theme_python, tmp_path, "sphinx_numpy_learn")
    html = (outdir / "index.html").read_text(encoding="utf-8")
    assert "learn-theme-version" in html
    assert f"PyData Sphinx Theme {pydata_version}" in html
    soup = BeautifulSoup(html, "html.parser")
    # The layout's filter of the parent's header: the site title, which may be cut short
    # on a phone, has its tooltip; the row's short links have none.
    assert soup.select_one(".bd-header .logo__title")["title"] == "Basic documentation"
    assert soup.select(".bd-header .navbar-nav a.nav-link")
    assert not soup.select(".bd-header .navbar-nav a.nav-link[title]")
    # The layout's filter of the parent's head: no search script (search-as-you-type is
    # off), and the search page keeps them.
    assert search_scripts(html) == []
    search_page = (outdir / "search.html").read_text(encoding="utf-8")
    assert sorted(search_scripts(search_page)) == ["language_data", "searchindex", "searchtools"]


def search_scripts(html: str) -> list[str]:
    return re.findall(r'src="[^"]*?(searchindex|searchtools|language_data)\.js', html)
