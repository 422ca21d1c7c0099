project = "Durations"
extensions = ["sphinx_numpy_learn"]
html_theme = "sphinx_numpy_learn"
nb_execution_mode = "off"
exclude_patterns = ["_build"]
# One word a minute and ten minutes a code block: easy sums in the tests.
learn_reading_speed = 1
learn_minutes_per_cell = 10
