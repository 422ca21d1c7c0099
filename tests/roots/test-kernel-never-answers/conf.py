project = "A kernel that never answers"
extensions = ["sphinx_numpy_learn"]
exclude_patterns = ["_build"]
learn_execution_strict = False
# The kernel gets as long to start as a cell gets to run, but at least 10 s.
nb_execution_timeout = 3
