# The README's two commands: `make run` and `make test`. Both bootstrap their own .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ARGS   ?=

.PHONY: run test test-fast test-dates lint bench screenshot icons clean package package-test install-desktop uninstall-desktop

# Every version the .venv gets (the app's libraries, the test tools, PyInstaller and what
# they pull in) is pinned here, so a fresh clone next month gets the same verdict as today;
# pyproject.toml keeps ranges for `pip install`, their lower bounds at the tested versions.
CONSTRAINTS := constraints.txt
PIP := $(BIN)/python -m pip install --quiet --constraint $(CONSTRAINTS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip

$(VENV)/.installed-app: pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(PIP) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(PIP) -e '.[test]'
	touch $@ $(VENV)/.installed-app

# PyInstaller: only `make package` needs it.
$(VENV)/.installed-package: pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(PIP) -e '.[package]'
	touch $@ $(VENV)/.installed-app

## Install the app into .venv and open the window on the default journal.
run: $(VENV)/.installed-app
	$(BIN)/rejection-journal $(ARGS)

## Add the app (as `make run` starts it) to your desktop's application menu; undo with
## `make uninstall-desktop`. Installed packages (pip, pipx) use `rejection-journal --install-desktop-entry`.
install-desktop: $(VENV)/.installed-app
	$(BIN)/rejection-journal --install-desktop-entry

uninstall-desktop: $(VENV)/.installed-app
	$(BIN)/rejection-journal --uninstall-desktop-entry

# pytest-xdist: one worker per core. Every test has its own temp folders, journal, HOME and
# QApplication (one per worker process), so the workers share nothing but the CPU.
WORKERS ?= auto
PYTEST  := QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

## Lint, check the layer contracts, and run the whole suite headless: everything on every
## core, then on their own the tests a loaded machine can upset: the long trials (kill -9
## loops, fuzzing, a full disk: marker `reliability`) and those that time a real window
## (marker `serial`).
test: lint
	$(PYTEST) -n $(WORKERS) -m "not reliability and not serial and not package"
	$(PYTEST) -m "(reliability or serial) and not package"

## The fast loop while working (under a minute on 2 cores): domain, services, storage and
## charts (tests/unit) with no windows and no processes started (tests marked `subprocess`
## are left out; tests/conftest.py fails a unit test that opens a window or starts a
## process unmarked). `make test` is the full suite that CI runs.
test-fast: $(VENV)/.installed-test
	$(PYTEST) -n $(WORKERS) -q tests/unit -m "not reliability and not slow and not package and not subprocess"

## The suite without the long trials (windows and the command line included) again at two
## awkward moments: the last half-minute of 2027, and of 29 February 2028. libfaketime
## (apt: faketime) moves the clock of every process by one offset, so the tests, the
## pytest-xdist workers and the commands they start (and SQLite in all) agree on the time,
## and the clock runs on: the run crosses midnight. The suite must pass on any day.
FAKE_MOMENTS ?= 2027-12-31 23:59:30|2028-02-29 23:59:30
test-dates: $(VENV)/.installed-test
	@command -v faketime >/dev/null || { echo "make test-dates needs faketime (apt install faketime)"; exit 1; }
	@moments='$(FAKE_MOMENTS)'; IFS='|'; for moment in $$moments; do \
		offset=$$(( $$(date -d "$$moment" +%s) - $$(date +%s) )); \
		echo "== the suite without the long trials, starting at $$moment"; \
		QT_QPA_PLATFORM=offscreen faketime -f "+$$offset" $(BIN)/python -m pytest -n $(WORKERS) \
			-m "not reliability and not slow and not package and not serial" -q || exit 1; \
		QT_QPA_PLATFORM=offscreen faketime -f "+$$offset" $(BIN)/python -m pytest \
			-m "serial and not reliability and not slow and not package" -q || exit 1; \
	done

lint: $(VENV)/.installed-test
	$(BIN)/ruff check rejection_journal tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy rejection_journal tests

## Benchmarks (not part of make test): every performance figure against its baseline in the
## same run (start-up, saving, charts, memory, import, search, sorting), one table at the end,
## also written to benchmarks/results/latest.json. BENCH_RUNS=N alternating runs (default 5).
bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench.py

## dist/rejection-journal_<version>_<arch>.deb: a trimmed PyInstaller one-folder bundle
## (packaging/rejection-journal.spec) wrapped by packaging/linux/build_deb.py. Debian/Ubuntu.
DIST  ?= dist
BUILD ?= build
package: $(VENV)/.installed-package
	rm -rf $(DIST)/rejection-journal $(BUILD)/pyinstaller
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath $(DIST) \
		--workpath $(BUILD)/pyinstaller packaging/rejection-journal.spec
	$(BIN)/python packaging/linux/build_deb.py --bundle $(DIST)/rejection-journal \
		--out $(DIST) --work $(BUILD)/deb

## Build the .deb and test it (tests/packaging, marker `package`; not part of `make test`).
package-test: $(VENV)/.installed-package $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m package tests/packaging -v

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
