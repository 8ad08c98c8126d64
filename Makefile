# One entry point for people and CI: `make demo` and `make test` (see README).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The student package is installed as a copy, not editable: graded kernels run in a jail that
# shows the Python environment but not this repository, and their notebooks import it.
SELFCHECK := $(VENV)/.selfcheck
SELFCHECK_FILES := graders/selfcheck/pyproject.toml $(shell find graders/selfcheck/mdsi_selfcheck -type f ! -name '*.pyc')
CHROMIUM := /usr/bin/chromium

.PHONY: setup demo test lint build bench mutations student-wheel clean report

$(STAMP): pyproject.toml graders/selfcheck/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' ./graders/selfcheck
	touch $(STAMP)

$(SELFCHECK): $(STAMP) $(SELFCHECK_FILES)
	$(BIN)/python -m pip install --quiet --no-deps --force-reinstall ./graders/selfcheck
	touch $(SELFCHECK)

# Debian's Chromium, driven by Playwright in the browser tests (no browser download).
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "browser tests need Debian's chromium: sudo apt-get install chromium"; \
	fi

setup: $(SELFCHECK) $(CHROMIUM)

demo: $(SELFCHECK)  ## build the course, grade a simulated class in demo-course/, write its class report
	$(BIN)/mdsi-course demo

test: $(SELFCHECK) $(CHROMIUM) lint  ## the whole test suite (what CI runs)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

build: $(SELFCHECK)  ## rebuild source/ and release/ after editing templates/ or solutions/
	$(BIN)/mdsi-course build

report: $(SELFCHECK)  ## the class report of the course at the root: report.html (plots) and report.csv
	$(BIN)/mdsi-course report --html report.html --csv report.csv

bench: $(SELFCHECK)  ## stock nbgrader autograde vs mdsi-course grade on 40 students x all assignments
	$(BIN)/python bench/autograde_benchmark.py --students 40

mutations: $(STAMP)  ## count the wrong / correct implementations each check is tested against
	$(BIN)/mdsi-course mutations

student-wheel: $(STAMP)  ## the package students install (self-check only): dist/mdsi_selfcheck-*.whl
	$(BIN)/python -m pip wheel --quiet --no-deps -w dist graders/selfcheck

clean:
	rm -rf .demo demo-course gradebook.db .pytest_cache .fastgrade dist
