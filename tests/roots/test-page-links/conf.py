# A small site shaped like real projects: a flat toctree, long titles, rST, MyST and
# notebooks (one paired with its MyST Markdown text through Jupytext), with the
# settings "Edit this page", "Report a problem" and the link previews read.
extensions = ["sphinx_numpy_learn"]
html_theme = "sphinx_numpy_learn"
project = "Array tutorials"
html_baseurl = "https://example.org/docs/"
exclude_patterns = ["_build", "paired.md"]  # Jupytext's text of paired.ipynb
learn_contributor = {
    "repository": "https://github.com/org/repo",
    "branch": "main",
    "docs_path": "docs/source",
}
learn_opengraph_image = "_static/preview.png"  # a path from the site's root
learn_execution = False
nb_execution_mode = "off"
