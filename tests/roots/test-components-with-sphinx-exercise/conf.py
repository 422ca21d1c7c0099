import sys
from pathlib import Path

# A stand-in for sphinx-exercise (which cannot be installed next to
# pydata-sphinx-theme 0.24): it registers the same directive names.
sys.path.insert(0, str(Path(__file__).parent))

project = "With sphinx-exercise"
# Ours first: the check must not depend on the order.
extensions = ["sphinx_numpy_learn", "sphinx_exercise"]
nb_execution_mode = "off"
exclude_patterns = ["_build"]
