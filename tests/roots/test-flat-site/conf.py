# A tutorial collection as people write it: the extension and the theme, nothing else
# (no project name, no html_title, no theme options).
extensions = ["sphinx_numpy_learn"]
html_theme = "sphinx_numpy_learn"
exclude_patterns = ["_build"]
