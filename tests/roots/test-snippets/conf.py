project = "Snippets"
extensions = ["sphinx_numpy_learn"]
nb_execution_mode = "off"
exclude_patterns = ["_build"]
learn_contributor = {
    "repository": "https://github.com/numpy/numpy",
    "chat": "https://numpy.org/community/",
    "docs_path": "doc/source",
}
