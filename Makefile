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

.PHONY: help docs html serve test test-quick lint lint-js format clean translations update-axe

help:
	@echo "make docs    build example_docs (notebooks executed) and serve it on http://127.0.0.1:$(PORT)/"
	@echo "make html    build example_docs without serving"
	@echo "make test    lint and run the whole test suite"
	@echo "make test-quick  no lint, and no slow, browser or compat tests (while developing)"
	@echo "make lint-js type-check our JavaScript with TypeScript (needs Node.js and npm)"
	@echo "make translations  extract labels, update the es/fr catalogs and compile them"
	@echo "make update-axe  vendor the newest axe-core from npm for the accessibility tests"
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
	$(BIN)/mypy
	$(BIN)/sphinx-numpy-learn check example_docs

# TypeScript checks our browser scripts (tsconfig.json; types/ declares what they share).
# It needs Node.js and npm, so `make test` leaves it out: .ci/run and pre-commit run it.
# TypeScript's version is pinned in package-lock.json; `npm ci` reinstalls it when that
# file changes.
NPM ?= npm
node_modules/.installed: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	@touch $@

lint-js: node_modules/.installed
	node_modules/.bin/tsc --project tsconfig.json

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format sphinx_numpy_learn tests

# One worker per core; a module's tests stay on one worker, so its built site and
# browser are made once (the property and benchmark tests spread, slow work first, and
# the example site is built once for all workers: tests/conftest.py).
test: lint
	$(BIN)/python -m pytest -n auto --dist loadfile $(PYTEST_ARGS)

# While developing: no lint, and none of the tests marked slow (the example site with
# every notebook executed, the property tests), browser or compat. `make test` runs them.
test-quick: $(VENV)/.installed
	$(BIN)/python -m pytest -n auto --dist loadfile -m "not slow and not browser and not compat" $(PYTEST_ARGS)

# Message catalogs of the labels the extension writes into pages (sphinx_numpy_learn/i18n.py).
# The template is replaced only when its messages change, not for a new creation date.
LOCALE_DIR := sphinx_numpy_learn/locale
DOMAIN := sphinx_numpy_learn
POT := $(LOCALE_DIR)/$(DOMAIN).pot
LANGUAGES := es fr

translations: $(VENV)/.installed
	$(BIN)/pybabel extract --mapping-file=babel.cfg --no-location --sort-output \
		--keyword=_ --keyword=N_ --keyword=ngettext:1,2 \
		--project=sphinx-numpy-learn --copyright-holder="The sphinx-numpy-learn developers" \
		--msgid-bugs-address=https://github.com/numpy/sphinx-numpy-learn/issues \
		--output-file=$(POT).new .
	@if [ -f $(POT) ] && diff -q -I '^"POT-Creation-Date: ' -I '^# ' $(POT) $(POT).new >/dev/null; \
	then rm $(POT).new; else mv $(POT).new $(POT); fi
	for lang in $(LANGUAGES); do \
		$(BIN)/pybabel update --init-missing --input-file=$(POT) \
			--output-dir=$(LOCALE_DIR) --domain=$(DOMAIN) --locale=$$lang || exit 1; \
	done
	$(BIN)/pybabel compile --statistics --directory=$(LOCALE_DIR) --domain=$(DOMAIN)

# The accessibility tests run the axe-core build vendored in tests/vendor/axe-core, so
# that `make test` needs no npm; this refreshes it from the npm registry (needs npm).
AXE_DIR := tests/vendor/axe-core
update-axe:
	@tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent axe-core@latest >/dev/null \
		&& tar xzf axe-core-*.tgz \
		&& cp package/axe.min.js package/LICENSE package/LICENSE-3RD-PARTY.txt $(CURDIR)/$(AXE_DIR)/ \
		&& rm -rf $$tmp
	@head -n 1 $(AXE_DIR)/axe.min.js

clean:
	rm -rf $(VENV) node_modules example_docs/_build
