# healthplan — every target sets up the pinned environment first (idempotent).
BENCH_ARGS ?=
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
READY  := $(VENV)/.bytecode
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
# Absolute, so dbt and the sqlfluff dbt templater find it from any working directory.
export HEALTHPLAN_WAREHOUSE ?= $(CURDIR)/warehouse/healthplan.duckdb

.PHONY: install run test lint typecheck sqllint fmt hooks dev docs bench generate clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	# --no-compile: pip compiles package by package on one core; $(READY) compiles on every core
	$(BIN)/pip install --quiet --disable-pip-version-check --no-compile -c constraints.txt -e '.[dev]'
	touch $(STAMP)

## Bytecode of every installed module and of ours, written once: where PYTHONDONTWRITEBYTECODE is
## set (as on these machines) Python never caches what it compiles, so every process would compile
## each module it imports again (GX's import 7 s -> 3 s, dbt's 2.8 -> 1.5 s; docs/benchmark.md).
$(READY): $(STAMP)
	$(BIN)/python -m compileall -q -j 0 $(VENV)/lib pipelines orchestration expectations bench > /dev/null
	touch $(READY)

install: $(READY)

## The main job: ingest raw/, build every model, validate, report, publish.
run: $(READY)
	$(BIN)/healthplan run

## The whole suite: lint (ruff; mypy beside sqlfluff, each mostly one core) then pytest. Two
## workers; tests/conftest.py groups the tests (one file, or tests/spark whole, per worker) and
## hands out the costliest groups first; the slowest tests are listed at the end.
test: lint
	$(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder --durations=20

lint: $(READY)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MAKE) --no-print-directory --output-sync=target -j2 typecheck sqllint

typecheck: $(READY)
	$(BIN)/mypy

sqllint: $(READY)
	$(BIN)/healthplan prepare
	$(BIN)/sqlfluff lint dbt_project/models dbt_project/tests --processes 2

## The same checks on every commit: `make hooks` installs them (git's pre-commit hook).
hooks: $(READY)
	$(BIN)/pre-commit install

fmt: $(READY)
	$(BIN)/ruff format . && $(BIN)/ruff check --fix . && $(BIN)/sqlfluff fix dbt_project/models dbt_project/tests

## Dagster UI on http://127.0.0.1:3000
dev: $(READY)
	$(BIN)/healthplan prepare
	$(BIN)/dagster dev -h 127.0.0.1 -p 3000 -m orchestration.definitions

docs: $(READY)
	$(BIN)/healthplan docs

bench: $(READY)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

generate: $(READY)
	$(BIN)/healthplan generate --help

clean:
	rm -rf warehouse/*.duckdb* warehouse/published warehouse/reports dbt_project/target
