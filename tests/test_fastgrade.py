"""Does ``mdsi-course grade`` give exactly stock nbgrader's grades, faster, resumably, on Dask too?

Every test grades submissions that stock ``nbgrader autograde`` already graded
in ``test_autograde.py``'s course, and compares the two gradebooks score by
score.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graders.exercises import ASSIGNMENTS
from graders.fastgrade.command import grade_class
from graders.nbgrader_run import run_nbgrader
from graders.report import gradebook_scores

MDSI_COURSE = Path(sys.executable).parent / "mdsi-course"


def _scores(course):
    return gradebook_scores(f"sqlite:///{course / 'gradebook.db'}")


def fresh_copy(graded, destination, assignments=ASSIGNMENTS):
    """A new course with the same sources and submissions as ``graded`` and nothing graded yet."""
    if not (destination / "nbgrader_config.py").exists():
        shutil.copy(graded / "nbgrader_config.py", destination)
    for assignment in assignments:
        shutil.copytree(graded / "source" / assignment, destination / "source" / assignment)
        run_nbgrader(destination, "generate_assignment", assignment, "--force", log=destination / "log")
        for submission in graded.glob(f"submitted/*/{assignment}"):
            shutil.copytree(submission, destination / "submitted" / submission.parent.name / assignment)
    return destination


def _stock_scores(graded, assignments):
    return {key: value for key, value in _scores(graded).items() if key[0] in assignments}


@pytest.fixture(scope="module")
def fast_graded(graded, tmp_path_factory):
    """Every assignment's submissions graded again by ``grade_class`` in a fresh course."""
    course = fresh_copy(graded, tmp_path_factory.mktemp("fast"))
    report = grade_class(course, progress=False)
    return course, report


def test_same_grades_as_stock_nbgrader(graded, fast_graded):
    course, report = fast_graded
    assert not report.failed, report.summary()
    assert _scores(course) == _stock_scores(graded, ASSIGNMENTS)


def _rich_outputs(course, student, assignment):
    """The MIME types each code cell of a graded notebook displays (plots as image/png)."""
    notebook = json.loads((course / "autograded" / student / assignment / f"{assignment}.ipynb").read_text())
    return [sorted(mime for out in cell["outputs"] for mime in out.get("data", {}))
            for cell in notebook["cells"] if cell["cell_type"] == "code"]


def test_graded_notebooks_show_the_plots_and_displays_stock_shows(graded, fast_graded):
    """The feedback a learner reads is built from these outputs: the same figures as stock's kernel makes."""
    course, _ = fast_graded
    ours = {assignment: _rich_outputs(course, "reference", assignment) for assignment in ASSIGNMENTS}
    assert ours == {assignment: _rich_outputs(graded, "reference", assignment) for assignment in ASSIGNMENTS}
    assert any("image/png" in cell for cells in ours.values() for cell in cells)


def test_autograded_notebooks_work_with_feedback_and_export(fast_graded):
    course, report = fast_graded
    for assignment, student in report.graded:
        assert (course / "autograded" / student / assignment / f"{assignment}.ipynb").exists()
    run_nbgrader(course, "generate_feedback", "ch03_loss_functions", log=course / "log")
    run_nbgrader(course, "export", "--to", "grades.csv", log=course / "log")
    assert (course / "feedback" / "one-wrong" / "ch03_loss_functions" / "ch03_loss_functions.html").exists()
    students = {student for _, student in report.graded}
    rows = (course / "grades.csv").read_text().splitlines()[1:]
    assert len(rows) == len(students) * len(ASSIGNMENTS)  # nbgrader exports every student x assignment


def test_unchanged_submissions_are_not_graded_again(fast_graded):
    course, first = fast_graded
    again = grade_class(course, ["ch03_loss_functions"], progress=False)
    assert again.graded == [] and len(again.skipped) == sum(a == "ch03_loss_functions" for a, _ in first.graded)
    notebook = course / "submitted" / "untouched" / "ch03_loss_functions" / "ch03_loss_functions.ipynb"
    notebook.write_text(notebook.read_text().replace("raise NotImplementedError()", "raise NotImplementedError() "))
    changed = grade_class(course, ["ch03_loss_functions"], progress=False)
    assert changed.graded == [("ch03_loss_functions", "untouched")]


def test_submitted_folder_is_never_modified(graded, fast_graded):
    course, _ = fast_graded
    for notebook in graded.glob("submitted/*/ch0[2-9]*/*.ipynb"):
        if "untouched/ch03" in str(notebook):
            continue  # changed on purpose by the test above
        twin = course / notebook.relative_to(graded)
        assert twin.read_bytes() == notebook.read_bytes()


def test_a_broken_submission_scores_zero_alone(graded, tmp_path):
    course = fresh_copy(graded, tmp_path, ["ch03_loss_functions"])
    broken = course / "submitted" / "broken" / "ch03_loss_functions"
    broken.mkdir(parents=True)
    (broken / "ch03_loss_functions.ipynb").write_text("{ this is not a notebook")
    report = grade_class(course, ["ch03_loss_functions"], progress=False)
    assert report.failed == []
    assert [(a, s) for a, s, _ in report.notes] == [("ch03_loss_functions", "broken")]
    assert "NOTE ch03_loss_functions / broken: ch03_loss_functions.ipynb is not valid JSON" in report.summary()
    scores = _scores(course)
    assert {value for key, value in scores.items() if key[1] == "broken"} == {(0.0, False)}
    others = {key: value for key, value in scores.items() if key[1] != "broken"}
    assert others == _stock_scores(graded, ["ch03_loss_functions"])


def test_a_killed_run_resumes_to_the_same_gradebook(graded, tmp_path):
    course = fresh_copy(graded, tmp_path, ["ch03_loss_functions"])
    state = course / ".fastgrade" / "ch03_loss_functions.json"
    run = subprocess.Popen([MDSI_COURSE, "grade", "--course", str(course), "--workers", "1"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (state.exists() and json.loads(state.read_text())) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    done_before_kill = len(json.loads(state.read_text()))
    assert 1 <= done_before_kill < 4, "the run should be killed part-way"
    resumed = grade_class(course, progress=False)
    assert len(resumed.skipped) == done_before_kill and not resumed.failed
    assert len(resumed.graded) + done_before_kill == 4
    assert _scores(course) == _stock_scores(graded, ["ch03_loss_functions"])


def test_dask_local_cluster_gives_the_same_grades(graded, tmp_path):
    course = fresh_copy(graded, tmp_path, ["ch03_loss_functions"])
    report = grade_class(course, ["ch03_loss_functions"], dask="local", workers=2, progress=False)
    assert len(report.graded) == 4 and not report.failed
    assert _scores(course) == _stock_scores(graded, ["ch03_loss_functions"])


@pytest.fixture
def postgres_url(tmp_path):
    """A throw-away PostgreSQL server (pgserver ships the binaries) and an empty database."""
    import pgserver

    server = pgserver.get_server(tmp_path / "pgdata", cleanup_mode="stop")
    server.psql("CREATE DATABASE gradebook;")
    yield server.get_uri("gradebook")
    server.cleanup()


def test_postgresql_gradebook_gives_the_same_grades(graded, tmp_path, postgres_url):
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(graded / "nbgrader_config.py", course)
    with open(course / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.CourseDirectory.db_url = {postgres_url!r}\n")
    course = fresh_copy(graded, course, ["ch03_loss_functions"])
    report = grade_class(course, ["ch03_loss_functions"], progress=False)
    assert len(report.graded) == 4 and not report.failed
    assert gradebook_scores(postgres_url) == _stock_scores(graded, ["ch03_loss_functions"])
    assert not (course / "gradebook.db").exists()
