"""Every ``conf.py`` example in the documentation builds, and is taken as written.

A reader copies these blocks into their own ``conf.py``; one that a validator
rejects (and replaces by the default) would silently undo what the page promises.
Each Python block of the docs that only assigns settings is appended to a small
project's ``conf.py`` and built: there must be no warning, and every ``learn_*``
value must still be the one the block wrote.
"""

from __future__ import annotations

import ast
import re

import pytest

from .conftest import EXAMPLE_DOCS, REPO_DIR, myst_notebook, warnings_of

DOCUMENTS = [*sorted((EXAMPLE_DOCS / "writing").glob("*.md")), REPO_DIR / "README.md"]
FENCE = re.compile(r"^(`{3,})[ \t]*(?:\{code-block\}[ \t]*)?python[ \t]*\n(.*?)^\1", re.M | re.S)
NOTEBOOK_PAGE = myst_notebook("# A notebook page\n\n```{code-cell} ipython3\n1 + 1\n```\n")


def conf_snippets() -> list:
    """``pytest.param(code, id="file:line")`` for each settings-only Python block."""
    found = []
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            code = match.group(2)
            statements = ast.parse(code).body
            if not statements or not all(
                isinstance(s, ast.Assign) and all(isinstance(t, ast.Name) for t in s.targets)
                for s in statements
            ):
                continue  # tutorial code, not settings
            line = text.count("\n", 0, match.start()) + 1
            found.append(pytest.param(code, id=f"{document.name}:{line}"))
    return found


SNIPPETS = conf_snippets()


def test_the_docs_have_conf_snippets():
    ids = {param.id for param in SNIPPETS}
    # The launch examples are the ones that were once rejected as a whole.
    assert {"notebooks.md:273", "notebooks.md:349", "README.md:58"} <= ids, ids
    assert len(SNIPPETS) >= 15


@pytest.mark.parametrize("code", SNIPPETS)
def test_conf_snippet_builds_as_written(make_app, tmp_path, code):
    written: dict = {}
    exec(compile(code, "<snippet>", "exec"), {}, written)
    srcdir = tmp_path / "docs"
    (srcdir / "_static").mkdir(parents=True)
    (srcdir / "_static" / "brand.css").write_text("/* brand */\n")
    (srcdir / "conf.py").write_text(
        'project = "Snippet"\n'
        'extensions = ["sphinx_numpy_learn"]\n'
        'html_theme = "sphinx_numpy_learn"\n'
        'nb_execution_mode = "off"\n'
        'exclude_patterns = ["_build"]\n'
        # As on the example site, whose launch example takes this repository.
        'learn_contributor = {"repository": "https://github.com/numpy/numpy"}\n' + code,
        encoding="utf-8",
    )
    (srcdir / "index.md").write_text(
        "# Snippet\n\n```{toctree}\nnotebook\n```\n", encoding="utf-8"
    )
    (srcdir / "notebook.md").write_text(NOTEBOOK_PAGE, encoding="utf-8")
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert warnings_of(app) == ""
    for name, value in written.items():
        if name.startswith("learn_"):
            assert app.config[name] == value, name

    if "learn_launch" in written:
        from sphinx_numpy_learn.notebooks.launch import launch_links, launch_settings

        settings = written["learn_launch"]
        wanted = sum(
            1 for key in ("binder", "jupyterhub", "colab", "jupyterlite") if key in settings
        )
        wanted += len(settings.get("custom", []))
        links = launch_links(launch_settings(app.config), "notebook")
        assert len(links) == wanted, links
        html = (app.outdir / "notebook.html").read_text(encoding="utf-8")
        for link in links:
            assert f"learn-launch-{link['key']}" in html
