"""Do a test cell's public asserts agree with its hidden check?

A graded test cell scores only if its hidden check and its public asserts
both pass.  A public assert that fails where the hidden check passes takes
points the hidden check would give, and whether it does may depend on chance:
two draws from a learner's global random state agree now and then.  So for
every catalogued implementation (reference, correct variants, the minimal one,
every mistake) and every test cell whose hidden check it passes, the cell's
public asserts must pass too.  The source notebooks run in-process with the
reference solutions in place and the hidden regions removed, as a learner's
kernel would run the released notebook.
"""

import copy
import warnings

import matplotlib
import nbformat
import numpy as np
import pytest
from nbgrader.preprocessors import ClearHiddenTests

from graders.engine import Status, evaluate
from graders.exercises import ASSIGNMENTS, exercises
from graders.notebook_build import ROOT

matplotlib.use("Agg")


def _visible(cell):
    """The cell's source as the released notebook shows it (hidden tests removed)."""
    copied = copy.deepcopy(cell)
    ClearHiddenTests()._remove_hidden_test_region(copied)
    return copied.source


def _run_notebook(assignment):
    """Run the source notebook; return {exercise: namespace before its solution cell} and {grade id: source}."""
    notebook = nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    names = {ex.name for ex in exercises(assignment)}
    namespace, before, test_cells = {"__name__": "__main__"}, {}, {}
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id") in names:
            before[meta["grade_id"]] = dict(namespace)
        source = _visible(cell)
        if meta.get("grade") and not meta.get("solution"):
            test_cells[meta["grade_id"]] = source
        exec(compile(source, f"<{assignment} cell {index + 1}>", "exec"), namespace)  # noqa: S102 - our notebook
    return before, test_cells


RUNS = {}


def _notebook(assignment):
    if assignment not in RUNS:
        RUNS[assignment] = _run_notebook(assignment)
    return RUNS[assignment]


def _fresh(namespace):
    """A copy of a namespace whose data a learner's function may change in place without harm to the next."""
    return {name: copy.deepcopy(value) if isinstance(value, np.ndarray | list | dict) and not name.startswith("__")
            else value for name, value in namespace.items()}


def _public_failure(source, namespace):
    """None if the cell's public asserts pass in ``namespace``, else what went wrong."""
    try:
        with warnings.catch_warnings():  # wrong implementations divide by zero and the like: not news here
            warnings.simplefilter("ignore")
            exec(compile(source, "<public test>", "exec"), namespace)  # noqa: S102 - our notebook
    except Exception as exc:  # a public test fails with PublicTestFailed, a learner's error with anything
        return f"{type(exc).__name__}: {str(exc)[:300]}"
    return None


def _candidates(exercise):
    yield "reference", exercise.reference
    for index, variant in enumerate(exercise.variants):
        yield f"correct variant {index}", variant
    for mistake in exercise.mistakes:
        yield f"mistake {mistake.name!r}", mistake.impl


EXERCISES = [(a, ex) for a in ASSIGNMENTS for ex in exercises(a)]


def _disagreements(exercise, before, test_cells):
    """Every (test cell, implementation) whose hidden check passes while the cell's public asserts fail."""
    found = []
    for label, candidate in _candidates(exercise):
        namespace = _fresh(before[exercise.name])
        namespace[exercise.name] = candidate
        np.random.seed(0)  # a learner's global random state, the same on every run of this test
        for test in exercise.tests:
            failure = _public_failure(test_cells[test.grade_id], namespace)
            if failure and evaluate(exercise, test, candidate).status is Status.PASSED:
                found.append(f"{test.grade_id}, {label}: the hidden check passes, the public test fails with {failure}")
    return found


@pytest.mark.parametrize(("assignment", "exercise"), EXERCISES, ids=[f"{a}:{ex.name}" for a, ex in EXERCISES])
def test_public_asserts_pass_wherever_the_hidden_check_passes(assignment, exercise):
    before, test_cells = _notebook(assignment)
    disagreements = _disagreements(exercise, before, test_cells)
    assert not disagreements, "\n".join(disagreements)


def test_a_public_assert_that_asks_more_than_its_hidden_check_is_found():
    """The test above can fail: a public assert that only the reference meets is reported for each variant."""
    assignment, exercise = EXERCISES[0]
    before, test_cells = _notebook(assignment)
    test = exercise.tests[0]
    stricter = dict(test_cells)
    only_the_reference = f"{exercise.name}.__name__ == {exercise.reference.__name__!r}"
    stricter[test.grade_id] += f"\nassert {only_the_reference}, 'the reference'\n"
    found = _disagreements(exercise, before, stricter)
    assert found and all(test.grade_id in line and "the reference" in line for line in found)
    assert not [line for line in found if ", reference:" in line]
