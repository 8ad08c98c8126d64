"""Does stock ``nbgrader autograde`` give the grades the checks promise, end to end?

For every assignment: the reference gets full marks, the untouched release
gets zero, and a submission with one wrong function loses exactly that
function's points.  Chapter 3 also gets a correct submission that emits
warnings (stock nbgrader would score its stderr output as a failure).
"""

import inspect
import re

import nbformat
import pytest
from nbgrader.api import Gradebook

from graders.engine import Status, evaluate
from graders.exercises import ASSIGNMENTS, exercises
from graders.nbgrader_run import run_nbgrader
from graders.submissions import fill

WARNING_ENTROPY = '''import sys
import warnings


def entropy(p):
    """A correct entropy that warns: nansum drops the nan from 0 * log(0)."""
    print("Warning: zero probabilities present", file=sys.stderr)
    warnings.warn("entropy() is slow", DeprecationWarning, stacklevel=1)
    p = np.asarray(p, dtype=float)
    return float(-np.nansum(p * np.log(p)))
'''


def one_wrong(assignment):
    """(exercise, mistake): the last exercise no other one calls, with a mistake failing all its tests."""
    declared = exercises(assignment)
    sources = {ex.name: inspect.getsource(ex.reference) for ex in declared}
    for exercise in reversed(declared):
        calls = re.compile(rf"\b{exercise.name}\(")
        if any(calls.search(src) for name, src in sources.items() if name != exercise.name):
            continue
        for mistake in exercise.mistakes:
            if all(evaluate(exercise, t, mistake.impl).status is Status.FAILED for t in exercise.tests):
                return exercise, mistake
    raise AssertionError(f"{assignment}: no independent exercise with an all-failing mistake")


def _submit(course, student, assignment, notebook):
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / f"{assignment}.ipynb")


@pytest.fixture(scope="session")
def graded(course):
    """The course after autograding the simulated submissions of every assignment."""
    for assignment in ASSIGNMENTS:
        release = nbformat.read(course / "release" / assignment / f"{assignment}.ipynb", as_version=4)
        names = [ex.name for ex in exercises(assignment)]
        wrong, mistake = one_wrong(assignment)
        _submit(course, "reference", assignment, fill(release, assignment, dict.fromkeys(names, "reference")))
        _submit(course, "untouched", assignment, release)
        _submit(course, "one-wrong", assignment, fill(release, assignment, {
            **dict.fromkeys(names, "reference"), wrong.name: f"mistake:{mistake.name}"}))
        if assignment == "ch03_loss_functions":
            warns = fill(release, assignment, dict.fromkeys(names, "reference"))
            cell = next(c for c in warns.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "entropy")
            cell.source = WARNING_ENTROPY
            _submit(course, "warns", assignment, warns)
        run_nbgrader(course, "autograde", assignment)
    return course


def _scores(course, assignment, student):
    """{grade_id: (score, max_score)} from the gradebook."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {t.grade_id: (gradebook.find_grade(t.grade_id, assignment, assignment, student).score,
                             t.points)
                for ex in exercises(assignment) for t in ex.tests}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_gets_full_marks(graded, assignment):
    scores = _scores(graded, assignment, "reference")
    assert all(got == top for got, top in scores.values()), scores


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_untouched_release_gets_zero(graded, assignment):
    scores = _scores(graded, assignment, "untouched")
    assert all(got == 0 for got, _ in scores.values()), scores


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_one_wrong_function_loses_exactly_its_points(graded, assignment):
    wrong, _ = one_wrong(assignment)
    scores = _scores(graded, assignment, "one-wrong")
    for grade_id, (got, top) in scores.items():
        lost = grade_id == f"test_{wrong.name}" or grade_id.startswith(f"test_{wrong.name}_")
        assert got == (0 if lost else top), (grade_id, got, scores)


def test_warnings_cost_no_points(graded):
    scores = _scores(graded, "ch03_loss_functions", "warns")
    assert all(got == top for got, top in scores.values()), scores


def test_feedback_shows_the_diagnosis_but_no_hidden_tests(graded):
    run_nbgrader(graded, "generate_feedback", "ch03_loss_functions")
    html = (graded / "feedback" / "one-wrong" / "ch03_loss_functions" / "ch03_loss_functions.html").read_text()
    _, mistake = one_wrong("ch03_loss_functions")
    assert "Likely mistake" in html and mistake.name in html
    for secret in ("BEGIN HIDDEN TESTS", "from graders import", "graders/engine.py"):
        assert secret not in html, secret
