# Two entry points: `make run` (the app on the bundled sample store) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOME_DIR ?= .home

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml briefing/__init__.py | $(BIN)/python
	$(BIN)/pip install -q -e .
	$(BIN)/python -m compileall -q briefing  # bytecode up front: the reader starts faster
	touch $@

$(VENV)/.installed-test: pyproject.toml briefing/__init__.py | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/briefing --home $(HOME_DIR)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check briefing tests bench
	$(BIN)/mypy

test: $(VENV)/.installed-test lint
	$(BIN)/pytest -n 2 -q

bench: $(VENV)/.installed-test
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) $(HOME_DIR) .pytest_cache .mypy_cache .ruff_cache
