# nianbao: `make run` ingests raw/ into output/, `make test` runs the whole test suite,
# `make lint` runs ruff and `make typecheck` (mypy, configured in pyproject.toml).
# Each creates .venv (python3.11) on first use and re-installs only when pyproject.toml changed.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.nianbao-installed

.PHONY: bench-backfill setup run test lint typecheck format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/nianbao ingest raw/ --output output/

test: setup
	$(BIN)/pytest -q

lint: setup typecheck
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup
	$(BIN)/python bench/bench_structure.py raw/cqipc-2022.pdf

bench-backfill: setup
	$(BIN)/python bench/bench_backfill.py raw/cqipc-2022.pdf

clean:
	rm -rf output/*/ output/.tmp-* output/.old-* .pytest_cache .hypothesis .ruff_cache .mypy_cache
