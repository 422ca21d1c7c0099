project = "User config"
extensions = ["sphinx_numpy_learn"]
nb_execution_mode = "off"
# Equal to MyST-NB's own default: still the user's choice, so it must be kept.
nb_execution_timeout = 30
# MyST-NB's legacy name for nb_execution_show_tb.
execution_show_tb = False
myst_enable_extensions = ["deflist"]
exclude_patterns = ["_build"]
