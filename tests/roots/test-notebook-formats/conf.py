project = "Notebook formats"
extensions = ["sphinx_numpy_learn"]
exclude_patterns = ["_build"]
# Lenient: the broken notebooks are warnings. Strict builds are tested elsewhere.
learn_execution_strict = False
