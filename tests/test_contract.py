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
    """{assignment: {name: signature text}} parsed from the contract's tables."""
    sections, current = {}, None
    for line in VENDORED.read_text().splitlines():
        heading = re.match(r"## (ch\d\d_\w+)", line)
        if heading:
            current = sections.setdefault(heading.group(1), {})
        row = re.match(r"\| `(\w+)\((.*?)\)` \|", line)
        if current is not None and row:
            current[row.group(1)] = row.group(2)
        # "Version 2 additions" rows name their assignment by its prefix: | ch02 | `f(...)` |
        added = re.match(r"\| (ch\d\d) \| `(\w+)\((.*?)\)` \|", line)
        if added:
            assignment = next(name for name in sections if name.startswith(added.group(1) + "_"))
            sections[assignment][added.group(2)] = added.group(3)
    return sections


def test_vendored_contract_is_the_shared_one():
    """docs/exercises.md is a copy of the shared contract; refresh it when the contract changes."""
    if SHARED.exists():
        assert VENDORED.read_text() == SHARED.read_text(), "cp ../shared/spec/exercises.md docs/"


def test_every_contract_assignment_has_checks():
    assert set(contract()) >= set(ASSIGNMENTS)
    assert "ch03_loss_functions" in ASSIGNMENTS


# "Version 2 additions" of the contract not built yet; a built one must leave this list.
NOT_YET_BUILT = {
    "ch06_statistical_testing": {"paired_confidence_interval", "holm_bonferroni", "family_wise_error_rate"},
    "ch09_production_ml": {"serve_with_preprocessing", "population_stability_index"},
}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_graded_names_match_the_contract(assignment):
    names = [ex.name for ex in exercises(assignment)]
    pending = NOT_YET_BUILT.get(assignment, set())
    assert pending <= set(contract()[assignment])
    assert sorted(names) == sorted(set(contract()[assignment]) - pending) and len(set(names)) == len(names)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_signatures_match_the_contract(assignment):
    module = importlib.import_module(f"solutions.{assignment}")
    for name, params in contract()[assignment].items():
        if name in NOT_YET_BUILT.get(assignment, set()):
            continue
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
