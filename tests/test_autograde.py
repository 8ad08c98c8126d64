"""Does stock ``nbgrader autograde`` give the grades the checks promise, end to end?

For every assignment: the reference gets full marks, the untouched release
gets zero, a submission with one wrong function loses exactly that
function's points, and a submission whose every function is correct but
checks no argument loses exactly the points of the ``test_F_errors`` cells.
Chapter 3 also gets a correct submission that emits warnings (stock nbgrader
would score its stderr output as a failure).
"""

import pytest
from nbgrader.api import Gradebook

from graders.exercises import ASSIGNMENTS, exercises, grades_errors, is_errors_cell
from graders.nbgrader_run import run_nbgrader


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
def test_one_wrong_function_loses_exactly_its_points(graded, wrong_choices, assignment):
    wrong, _ = wrong_choices[assignment]
    scores = _scores(graded, assignment, "one-wrong")
    for grade_id, (got, top) in scores.items():
        lost = grade_id == f"test_{wrong.name}" or grade_id.startswith(f"test_{wrong.name}_")
        assert got == (0 if lost else top), (grade_id, got, scores)


@pytest.mark.parametrize("assignment", [a for a in ASSIGNMENTS if grades_errors(a)])
def test_correct_answers_without_validation_lose_only_the_error_cells(graded, assignment):
    scores = _scores(graded, assignment, "unvalidated")
    errors = {t.grade_id for ex in exercises(assignment) for t in ex.tests if is_errors_cell(ex, t)}
    for grade_id, (got, top) in scores.items():
        assert got == (0 if grade_id in errors else top), (grade_id, got, scores)


def test_warnings_cost_no_points(graded):
    scores = _scores(graded, "ch03_loss_functions", "warns")
    assert all(got == top for got, top in scores.values()), scores


def test_feedback_shows_the_diagnosis_but_no_hidden_tests(graded, wrong_choices):
    run_nbgrader(graded, "generate_feedback", "ch03_loss_functions")
    html = (graded / "feedback" / "one-wrong" / "ch03_loss_functions" / "ch03_loss_functions.html").read_text()
    _, mistake = wrong_choices["ch03_loss_functions"]
    assert "Likely mistake" in html and mistake.name in html
    for secret in ("BEGIN HIDDEN TESTS", "from graders import", "graders/engine.py"):
        assert secret not in html, secret
