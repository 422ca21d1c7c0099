# A collection written in the drifted styles of real NumPy tutorials: no metadata,
# opening sections in varying order and wording, read by derivation alone.
project = "Drifted collection"
extensions = ["sphinx_numpy_learn"]
nb_execution_mode = "off"
exclude_patterns = ["_build", "_parts"]
learn_tutorial_patterns = ["patterned/*"]
