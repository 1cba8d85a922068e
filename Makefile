# The two commands: `make run` starts the bot locally, `make test` runs every check. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint types unit bench eval clean load

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot serve

test: $(STAMP) lint types unit

lint: $(STAMP)
	$(BIN)/ruff check bot handlers tests benchmarks

types: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m bot bench

load: $(STAMP)
	$(BIN)/python benchmarks/load.py

eval: $(STAMP)
	$(BIN)/python -m bot eval ../shared/corpus/dev.jsonl

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
