# A flat site as people first write one: every tutorial in the root toctree, no
# html_title (so the header shows "NumPy tutorials documentation"), one path.
project = "NumPy tutorials"
extensions = ["sphinx_numpy_learn"]
html_theme = "sphinx_numpy_learn"
nb_execution_mode = "off"
exclude_patterns = ["_build"]
