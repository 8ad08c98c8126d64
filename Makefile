# One entry point for people and CI: `make demo` and `make test` (see README).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint build bench clean

$(STAMP): pyproject.toml graders/selfcheck/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' -e graders/selfcheck
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)  ## build the course, grade a simulated class, print the summary
	$(BIN)/mdsi-course demo

test: $(STAMP) lint  ## the whole test suite (what CI runs)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

build: $(STAMP)  ## rebuild source/ and release/ after editing templates/ or solutions/
	$(BIN)/mdsi-course build

clean:
	rm -rf .demo gradebook.db .pytest_cache
