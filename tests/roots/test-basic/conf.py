project = "Basic"
extensions = ["sphinx_numpy_learn"]
# Most tests do not need a kernel: notebooks are covered by their own roots.
nb_execution_mode = "off"
exclude_patterns = ["_build"]
