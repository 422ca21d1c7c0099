project = "Untrusted errors"
extensions = ["sphinx_numpy_learn"]
exclude_patterns = ["_build"]
# Lenient: the failing notebook is a warning, and its page is still written.
learn_execution_strict = False
