# Pages named after JavaScript object properties (constructor, __proto__ ...), and
# components that need ids and storage keys of their own: two same-title checklists
# on one page, a checkpoint and an exercise with its solution on two pages, and a
# catalog on two pages (singlehtml puts them all on one page).
project = "Keys"
extensions = ["sphinx_numpy_learn"]
nb_execution_mode = "off"
exclude_patterns = ["_build"]
