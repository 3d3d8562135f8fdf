# The README's two commands: `make run` (build data/ and serve it) and `make test`.
# Both create .venv on first use and install what the project needs from PyPI.
VENV   ?= .venv
PYTHON ?= python3
HOST   ?= 127.0.0.1
PORT   ?= 8000
BIN    := $(VENV)/bin

HARVEST ?= .venv-harvest

.PHONY: run build test lint browser clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

build: $(VENV)/.installed
	$(BIN)/kg-publisher build data/disclosures --out build

run: build
	$(BIN)/kg-publisher serve build --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy

# Debian's chromium for tests/web/browser/ (installed when absent; the tests skip without it).
browser:
	bash scripts/install-browser.sh

# ckanext-dcat (and the CKAN it imports) in a venv of its own, for tests/web/test_harvest.py.
$(HARVEST)/.installed: scripts/harvest-requirements.txt
	$(PYTHON) -m venv $(HARVEST)
	$(HARVEST)/bin/pip install --quiet -r scripts/harvest-requirements.txt
	touch $@

test: lint browser $(HARVEST)/.installed
	$(BIN)/pytest

clean:
	rm -rf build .pytest_cache tests/artefacts $(HARVEST)
