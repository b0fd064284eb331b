# The two quick-start commands (make demo, make test) do all the set-up themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The demo needs slackctl alone: no test extras, no browser or Node (scripts/with-keyring.sh installs those only
# for make test, which sets SLACKCTL_TEST_TOOLS).
DEMO_STAMP := $(VENV)/.installed-demo

.PHONY: demo test lint docs bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,docs]'
	@touch $(STAMP)

$(DEMO_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e .
	@touch $(DEMO_STAMP)

demo: $(DEMO_STAMP)
	$(BIN)/python scripts/demo.py

test: $(STAMP)
	SLACKCTL_TEST_TOOLS=1 bash scripts/with-keyring.sh $(BIN)/python -m pytest $(PYTEST_ARGS)

# ruff (style), mypy (types, over the package), the layers' import contract (scripts/check_imports.py), dead
# code (vulture: settings in pyproject's [tool.vulture], names used from outside in scripts/vulture_allowlist.py),
# a current command reference (docs/reference/ is generated from the command tree) and a manual without broken links.
lint: $(STAMP)
	$(BIN)/ruff check slackctl tests bench scripts
	$(BIN)/ruff format --check slackctl tests bench scripts
	$(BIN)/mypy
	$(BIN)/python scripts/check_imports.py
	$(BIN)/vulture
	$(BIN)/python scripts/gen_reference.py --check
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir $(VENV)/site-lint

# The manual as a site in site/ (offline; --strict fails on a broken link or a page left out of the nav).
docs: $(STAMP)
	$(BIN)/python scripts/gen_reference.py
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build dist site *.egg-info
