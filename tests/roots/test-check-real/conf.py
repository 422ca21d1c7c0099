# Shaped like a real collection of NumPy tutorials (numpy/numpy-tutorials): jupytext
# MyST notebooks, an rST page and an .ipynb, no learn: metadata, the style guide's
# opening and closing headings with the punctuation writers really use, and headings
# that name places, people, laws, acronyms and other headings.
project = "Real tutorials"
extensions = ["sphinx_numpy_learn"]
exclude_patterns = ["_build"]
nb_execution_mode = "off"
learn_check_proper_nouns = ["Johns Hopkins University"]
