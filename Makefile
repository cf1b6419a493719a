# The two commands of the README: `make serve` and `make test`. Both run the same set-up
# (tools/setup.sh), which is idempotent: a second run only checks and is fast.
VENV ?= .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2
# `make measurements PROBLEMS="c1-basic-regression c2-fashion-mnist"` measures only those.
PROBLEMS ?=
empty :=
space := $(empty) $(empty)

.PHONY: setup venv serve build test test-fast test-unit lint typecheck measurements clean benchmark

## setup: system packages, the virtual environment, npm packages, the datasets
setup:
	@bash tools/setup.sh

## venv: only the virtual environment (no system packages, npm or dataset downloads)
venv:
	@bash tools/setup.sh python

## serve: set everything up, build the site (English and Korean), serve it on 127.0.0.1:8000
serve: setup
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

## build: the static site into site/ as the Pages job publishes it (tools/build_site.py)
build: setup
	$(BIN)/python tools/build_site.py --complete site

## test: set everything up, then the whole test suite; the tests must leave the tree as it was
test: setup
	@$(BIN)/python tools/tree_unchanged.py save .cache/tree-before-test.json
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	@$(BIN)/python tools/tree_unchanged.py check .cache/tree-before-test.json

## test-fast: the quick loop while working: no training (slow), no browser, no site doc blocks
test-fast: setup
	$(BIN)/python -m pytest tests -m "not slow and not browser" $(PYTEST_ARGS)

## test-unit: the fast CI job's tests: no training, no browser, no dataset (TFCERT_OFFLINE)
test-unit: venv
	TFCERT_OFFLINE=1 $(BIN)/python -m pytest tests -m "not slow and not browser and not data" $(PYTEST_ARGS)

## lint: ruff (needs only the virtual environment)
lint: venv
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

## typecheck: mypy --strict on the grader (needs only the virtual environment)
typecheck: venv
	$(BIN)/mypy

## measurements: run every example as a notebook and graded (tests/test_solutions.py), then
## publish what that run measured: notebooks, score boxes, training curves
measurements: setup
	$(BIN)/python -m pytest tests/test_solutions.py -m slow \
	  $(if $(strip $(PROBLEMS)),-k "$(subst $(space), or ,$(strip $(PROBLEMS)))") $(PYTEST_ARGS); \
	  tested=$$?; $(BIN)/python tools/solution_measurements.py $(PROBLEMS) && exit $$tested

clean:
	rm -rf site .cache build artifacts

## benchmark: train every solution and its course-style baseline, write the tables in docs/includes
benchmark: setup
	$(BIN)/python tools/benchmark.py
