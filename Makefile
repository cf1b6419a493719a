# The two commands of the README: `make serve` and `make test`. Both run the same set-up
# (tools/setup.sh), which is idempotent: a second run only checks and is fast.
VENV ?= .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: setup serve build test test-fast lint clean benchmark

setup:
	@bash tools/setup.sh

## serve: set everything up, build the site (English and Korean), serve it on 127.0.0.1:8000
serve: setup
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

## build: the static site into site/, failing on any warning
build: setup
	$(BIN)/mkdocs build --strict

## test: set everything up, then the whole test suite
test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## test-fast: the quick loop while working: no training (slow), no browser, no site doc blocks
test-fast: setup
	$(BIN)/python -m pytest tests -m "not slow and not browser" $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf site .cache build

## benchmark: train every solution and its course-style baseline, write the tables in docs/includes
benchmark: setup
	$(BIN)/python tools/benchmark.py
