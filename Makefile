# Two commands for a fresh machine with only Python 3.11+ and pip:
#   make docs   build the example site (every notebook executed) and serve it
#   make test   run the whole test suite
# Both create and reuse a virtual environment in .venv.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
DOCS_OUT := example_docs/_build/html
SPHINXOPTS ?= -W --keep-going -n

.PHONY: help docs html serve test lint format clean

help:
	@echo "make docs    build example_docs (notebooks executed) and serve it on http://127.0.0.1:$(PORT)/"
	@echo "make html    build example_docs without serving"
	@echo "make test    lint and run the whole test suite"
	@echo "make clean   remove the virtual environment and build output"

# Reinstall only when the package metadata changes.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@

html: $(VENV)/.installed
	$(BIN)/python -m sphinx $(SPHINXOPTS) -b html example_docs $(DOCS_OUT)

serve:
	@echo ""
	@echo "  The example site is at  http://127.0.0.1:$(PORT)/  (Ctrl+C to stop)"
	@echo ""
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory $(DOCS_OUT)

docs: html serve

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check sphinx_numpy_learn tests

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format sphinx_numpy_learn tests

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) example_docs/_build
