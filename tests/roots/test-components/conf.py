project = "Components"
extensions = ["sphinx_numpy_learn"]
exclude_patterns = ["_build"]
numfig = True
learn_contributor = {
    "repository": "https://gitlab.com/numpy/numpy",
    "branch": "develop",
    "docs_path": "doc/source",
    "chat": "https://numpy.org/community/",
    "guide": "guide",
}
