project = "Broken notebooks"
extensions = ["sphinx_numpy_learn"]
exclude_patterns = ["_build"]
# Lenient: a failure is a warning. The strict build is tested with an override.
learn_execution_strict = False
# Short, so the endless loop stops quickly.
nb_execution_timeout = 3
