extensions = ["sphinx_numpy_learn"]
exclude_patterns = ["_build"]
learn_required_fields = ["level", "duration"]
nb_execution_mode = "off"
