"""Sphinx configuration for the sphinx-numpy-learn example site: "Learn NumPy"."""

from sphinx_numpy_learn import __version__

project = "Learn NumPy"
author = "The sphinx-numpy-learn developers"
copyright = "2026, The sphinx-numpy-learn developers"
release = __version__
version = ".".join(release.split(".")[:2])  # e-books (epub) need one

# The two lines a project needs: the extension (which also loads MyST-NB) and the theme.
extensions = ["sphinx_numpy_learn"]
html_theme = "sphinx_numpy_learn"

html_title = "Learn NumPy"
# The published address: each page's link preview (og:url), its "Report a problem"
# issue and sitemap.xml use it.
html_baseurl = "https://numpy.github.io/sphinx-numpy-learn/"
html_static_path = ["_static"]
html_css_files = ["example-docs.css"]
html_theme_options = {
    "github_url": "https://github.com/numpy/sphinx-numpy-learn",
    "show_toc_level": 2,
}

# Where the "new contributor" callouts send people: the issue tracker's good first
# issues, the community page, the page's source, and the contributor guide.
learn_contributor = {
    "repository": "https://github.com/numpy/sphinx-numpy-learn",
    "docs_path": "example_docs",
    "good_first_issue_label": "good first issue",
    "chat": "https://numpy.org/community/",
    "guide": "contributing/index",
}

# "Launch" buttons on each tutorial, for Binder and Google Colab. They open .ipynb
# files, and the tutorials here are MyST Markdown, so the .ipynb files (converted
# with jupytext) are published on a `notebooks` branch, in the same folders. The
# repository comes from learn_contributor.
learn_launch = {
    "branch": "notebooks",
    "notebooks_path": "example_docs",
    "binder": "https://mybinder.org",
    "colab": True,
}

# Each learning path as one PDF (``make latexpdf``): its page on one page, as a LaTeX
# document of its own; each step becomes a chapter.
latex_documents = [
    ("index", "learn-numpy.tex", "Learn NumPy", author, "manual"),
    (
        "first-steps-on-one-page",
        "first-steps-with-numpy.tex",
        "Your first steps with NumPy",
        author,
        "manual",
    ),
    (
        "contributing/first-contribution-on-one-page",
        "first-contribution.tex",
        "From a fresh computer to your first contribution",
        author,
        "manual",
    ),
]

exclude_patterns = ["_build", "**.ipynb_checkpoints", "**/README.md", "snippets"]

# Everything else (notebook execution with a cache, a 120 s cell timeout,
# failing cells failing the build, MyST extensions) comes from the extension's
# recommended defaults: see "Writing with sphinx-numpy-learn > Configuration".

# Build matplotlib's font cache here, in the Sphinx process, so that the first
# notebook kernel does not print "Matplotlib is building the font cache" into a
# tutorial's output on a fresh machine. The kernels share the same cache folder.
import matplotlib.font_manager  # noqa: F401
