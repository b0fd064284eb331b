# The two quick-start commands (make demo, make test) do all the set-up themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python scripts/demo.py

test: $(STAMP)
	bash scripts/with-keyring.sh $(BIN)/python -m pytest $(PYTEST_ARGS)

# ruff (style), mypy (types, over the package), the layers' import contract (scripts/check_imports.py) and dead
# code (vulture: settings in pyproject's [tool.vulture], names used from outside in scripts/vulture_allowlist.py).
lint: $(STAMP)
	$(BIN)/ruff check slackctl tests bench scripts
	$(BIN)/mypy
	$(BIN)/python scripts/check_imports.py
	$(BIN)/vulture

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build dist *.egg-info
