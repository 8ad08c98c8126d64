"""Do the reference solutions and the graders follow the exercise contract exactly?"""

import ast
import importlib
import inspect
import re

import pytest

from graders.exercises import ASSIGNMENTS, exercises
from graders.notebook_build import ROOT

VENDORED = ROOT / "docs" / "exercises.md"
SHARED = ROOT.parent / "shared" / "spec" / "exercises.md"


def contract():
    """{assignment: {name: signature text}} parsed from the contract's tables.

    A row of an assignment's own table is ``| `f(...)` | ... |``; a row of the "Version 2
    additions" table names its assignment first, ``| ch06 | `f(...)` | ... |``.
    """
    sections, current = {}, None
    for line in VENDORED.read_text().splitlines():
        heading = re.match(r"## (ch\d\d_\w+)", line)
        if heading:
            current = sections.setdefault(heading.group(1), {})
        row = re.match(r"\| (?:(ch\d\d) \| )?`(\w+)\((.*?)\)` \|", line)
        if row and row.group(1):
            current = next(s for name, s in sections.items() if name.startswith(row.group(1) + "_"))
        if current is not None and row:
            current[row.group(2)] = row.group(3)
    return sections


def test_vendored_contract_is_the_shared_one():
    """docs/exercises.md is a copy of the shared contract; refresh it when the contract changes."""
    if SHARED.exists():
        assert VENDORED.read_text() == SHARED.read_text(), "cp ../shared/spec/exercises.md docs/"


def test_every_contract_assignment_has_checks():
    assert set(contract()) >= set(ASSIGNMENTS)
    assert "ch03_loss_functions" in ASSIGNMENTS


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_graded_names_match_the_contract(assignment):
    names = [ex.name for ex in exercises(assignment)]
    assert sorted(names) == sorted(contract()[assignment]) and len(set(names)) == len(names)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_signatures_match_the_contract(assignment):
    module = importlib.import_module(f"solutions.{assignment}")
    for name, params in contract()[assignment].items():
        call = ast.parse(f"f({params})", mode="eval").body
        expected = [(a.id, inspect.Parameter.empty) for a in call.args]
        expected += [(k.arg, ast.literal_eval(k.value)) for k in call.keywords]
        signature = inspect.signature(getattr(module, name))
        got = [(p.name, p.default) for p in signature.parameters.values()]
        assert got == expected, f"{name}{signature} differs from the contract {name}({params})"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_grade_ids_follow_the_naming_rule(assignment):
    seen = set()
    for exercise in exercises(assignment):
        for test in exercise.tests:
            assert re.fullmatch(rf"test_{exercise.name}(_\w+)?", test.grade_id), test.grade_id
            assert test.grade_id not in seen and test.points > 0
            seen.add(test.grade_id)
