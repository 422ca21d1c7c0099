"""``python -m sphinx_numpy_learn``: the same as the ``sphinx-numpy-learn`` command."""

from sphinx_numpy_learn.cli import run

if __name__ == "__main__":
    run()
