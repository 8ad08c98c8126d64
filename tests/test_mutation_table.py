"""Can every hidden check fail, and does it accept every correct style?

The mutation table of each exercise is its declaration: the catalogued
mistakes must each be rejected (and diagnosed as themselves), the catalogued
alternative implementations must each pass, and every graded test must be
failed by at least one mistake.  Runs in-process against graders/.
"""

import pytest

from graders.engine import Status, evaluate
from graders.exercises import ASSIGNMENTS, exercises

EXERCISES = [(a, ex) for a in ASSIGNMENTS for ex in exercises(a)]
IDS = [f"{a}:{ex.name}" for a, ex in EXERCISES]


@pytest.mark.parametrize(("assignment", "exercise"), EXERCISES, ids=IDS)
def test_table_is_large_enough(assignment, exercise):
    assert len(exercise.mistakes) >= 3, "at least three realistic wrong implementations"
    assert len(exercise.alternatives) >= 2, "at least two stylistically different correct ones"
    assert len({m.name for m in exercise.mistakes}) == len(exercise.mistakes), "mistake names are unique"


@pytest.mark.parametrize(("assignment", "exercise"), EXERCISES, ids=IDS)
def test_reference_and_alternatives_pass_every_test(assignment, exercise):
    for test in exercise.tests:
        for index, candidate in enumerate((exercise.reference, *exercise.alternatives)):
            result = evaluate(exercise, test, candidate)
            assert result.status is Status.PASSED, f"{test.grade_id}, candidate {index}: {result.message}"


@pytest.mark.parametrize(("assignment", "exercise"), EXERCISES, ids=IDS)
def test_every_mistake_is_rejected_and_named(assignment, exercise):
    for mistake in exercise.mistakes:
        results = [evaluate(exercise, test, mistake.impl) for test in exercise.tests]
        failed = [r for r in results if r.status is Status.FAILED]
        assert failed, f"mistake {mistake.name!r} passes every test"
        assert mistake.name in {r.mistake for r in failed}, (
            f"mistake {mistake.name!r} is rejected but diagnosed as {[r.mistake for r in failed]}"
        )
        assert mistake.message in failed[[r.mistake for r in failed].index(mistake.name)].message


@pytest.mark.parametrize(("assignment", "exercise"), EXERCISES, ids=IDS)
def test_every_graded_test_can_fail(assignment, exercise):
    for test in exercise.tests:
        assert any(evaluate(exercise, test, m.impl).status is Status.FAILED for m in exercise.mistakes), (
            f"no catalogued mistake fails {test.grade_id}"
        )


@pytest.mark.parametrize(("assignment", "exercise"), EXERCISES, ids=IDS)
def test_untouched_stub_is_not_attempted(assignment, exercise):
    def stub(*args, **kwargs):
        raise NotImplementedError()

    for test in exercise.tests:
        assert evaluate(exercise, test, stub).status is Status.NOT_ATTEMPTED
