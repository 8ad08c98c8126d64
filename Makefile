# One entry point for people and CI: `make demo` and `make test` (see README).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint build bench mutations student-wheel clean

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

bench: $(STAMP)  ## stock nbgrader autograde vs mdsi-course grade on 40 students x all assignments
	$(BIN)/python bench/autograde_benchmark.py --students 40

mutations: $(STAMP)  ## count the wrong / correct implementations each check is tested against
	$(BIN)/mdsi-course mutations

student-wheel: $(STAMP)  ## the package students install (self-check only): dist/mdsi_selfcheck-*.whl
	$(BIN)/python -m pip wheel --quiet --no-deps -w dist graders/selfcheck

clean:
	rm -rf .demo gradebook.db .pytest_cache .fastgrade dist
