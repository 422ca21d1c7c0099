project = "Incremental"
extensions = ["sphinx_numpy_learn"]
html_theme = "sphinx_numpy_learn"
nb_execution_mode = "off"
exclude_patterns = ["_build"]
