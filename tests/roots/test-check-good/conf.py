extensions = ["sphinx_numpy_learn"]
exclude_patterns = ["_build"]
learn_required_fields = ["level"]
learn_check_proper_nouns = ["Seattle"]
nb_execution_mode = "off"
