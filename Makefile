# nianbao: `make run` ingests raw/ into output/, `make test` runs the whole test suite,
# `make lint` runs ruff and `make typecheck` (mypy, configured in pyproject.toml).
# Each creates .venv (python3.11) on first use and re-installs only when pyproject.toml changed.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.nianbao-installed

.PHONY: bench-backfill table-sweep conventions setup run test lint typecheck format bench clean fuzz

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

# thousands of mutated PDFs through load → emit; a crashing input is kept in tests/fuzz_regressions/
fuzz: setup
	FUZZ_CASES=$${FUZZ_CASES:-3000} FUZZ_KEEP=1 $(BIN)/pytest -q -s -p no:cacheprovider tests/test_fuzz.py

lint: setup typecheck
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# every layout convention alone, in pairs and all together, on the three synthetic reports (issue 10)
conventions: setup
	$(BIN)/python bench/sweep_conventions.py --jobs $${JOBS:-2}

bench: setup
	$(BIN)/python bench/bench_structure.py raw/cqipc-2022.pdf

bench-backfill: setup
	$(BIN)/python bench/bench_backfill.py raw/cqipc-2022.pdf

# every table convention alone, paired and with each layout flag, through process_pdf (minutes; not in `make test`)
table-sweep: setup
	nice $(BIN)/python bench/sweep_tables.py $(SWEEP_ARGS)

clean:
	rm -rf output/*/ output/.tmp-* output/.old-* .pytest_cache .hypothesis .ruff_cache .mypy_cache
