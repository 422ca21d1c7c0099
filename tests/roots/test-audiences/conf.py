project = "Audiences"
extensions = ["sphinx_numpy_learn"]
html_theme = "sphinx_numpy_learn"
nb_execution_mode = "off"
exclude_patterns = ["_build"]
learn_contributor = {
    "repository": "https://github.com/example/project",
    "good_first_issue_label": "help wanted",
}
