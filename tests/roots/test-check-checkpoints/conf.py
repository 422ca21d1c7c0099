# Checkpoints, good and bad, in MyST and reStructuredText: the build's warnings and
# check's findings must agree (tests/test_check.py), with MyST's tasklist extension
# on (the test adds it) or off.
extensions = ["sphinx_numpy_learn"]
exclude_patterns = ["_build"]
nb_execution_mode = "off"
