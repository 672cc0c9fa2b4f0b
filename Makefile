# The README's two commands: `make run` and `make test`. Both bootstrap their own .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ARGS   ?=

.PHONY: run test test-fast lint bench screenshot icons clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-app

## Install the app into .venv and open the window on the default journal.
run: $(VENV)/.installed-app
	$(BIN)/rejection-journal $(ARGS)

## Lint, check the layer contracts, and run the whole suite headless.
test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

## The suite without the long trials (kill -9 loops, fuzzing, slow subprocess tests): for
## quick feedback while working. `make test` is the full suite that CI runs.
test-fast: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m "not reliability and not slow" -q

lint: $(VENV)/.installed-test
	$(BIN)/ruff check rejection_journal tests benchmarks
	$(BIN)/lint-imports

## Benchmarks (not part of make test): startup vs a bare PySide6 window, and save
## responsiveness at 100,000 entries vs 1,000, each measured in one run.
bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/save_latency.py
	$(BIN)/python benchmarks/chart_draw.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
