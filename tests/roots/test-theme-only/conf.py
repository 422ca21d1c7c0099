project = "Theme only"
html_theme = "sphinx_numpy_learn"
# Invalid on purpose: proves the extension's config-inited handlers still ran.
learn_recommended_defaults = "yes please"
# Already lists a suffix MyST-NB registers: the late load must not trip over it.
source_suffix = {".rst": "restructuredtext", ".ipynb": "myst-nb"}
exclude_patterns = ["_build"]
