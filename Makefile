# nianbao: `make run` ingests raw/ into output/, `make test` runs the whole test suite.
# Both create .venv (python3.11) on first use and re-install only when pyproject.toml changed.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.nianbao-installed

.PHONY: setup run test lint format bench clean

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

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup
	$(BIN)/python bench/bench_structure.py raw/cqipc-2022.pdf

clean:
	rm -rf output/*/ output/.tmp-* output/.old-* .pytest_cache .hypothesis .ruff_cache
