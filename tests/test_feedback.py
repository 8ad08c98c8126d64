"""Is the feedback readable and safe, and does the course refuse hand edits of its built source notebooks?"""

import json
import re
import shutil
import subprocess

import nbformat
import pytest
from traitlets.config.loader import PyFileConfigLoader

from graders.exercises import exercises
from graders.nbgrader_run import run_nbgrader
from graders.notebook_build import ROOT, write_source
from graders.source_guard import STAMP, HandEdited

ASSIGNMENT = "ch05_information_criteria"


def test_the_course_config_loads_without_errors():
    """nbgrader only logs a broken nbgrader_config.py and goes on without it, so load it strictly here."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    assert config.GenerateAssignment.preprocessors[0] == "graders.source_guard.RequireBuiltSource"
    assert config.GenerateFeedback.exporter_class == "graders.feedback.FeedbackExporter"


@pytest.fixture(scope="module")
def feedback(graded):
    """(course, log text) after generating ch05's feedback in the graded course."""
    log = graded / "feedback-ch05.log"
    run_nbgrader(graded, "generate_feedback", ASSIGNMENT, log=log)
    return graded, log.read_text()


def _page(course, student):
    return (course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()


def test_feedback_runs_without_config_warnings(feedback):
    _, log = feedback
    assert "not recognized" not in log, log


def test_summary_names_every_exercise_with_points_and_diagnosis(feedback, wrong_choices):
    course, _ = feedback
    html = _page(course, "one-wrong")
    summary = html[html.index('id="summary"'):html.index("</table>")]
    wrong, mistake = wrong_choices[ASSIGNMENT]
    for number, exercise in enumerate(exercises(ASSIGNMENT), start=1):
        assert f"{number}. <a href=\"#{exercise.tests[0].grade_id}\"><code>{exercise.name}</code>" in summary
    assert summary.count("outcome-wrong") == 1 and summary.count("outcome-passed") == len(exercises(ASSIGNMENT)) - 1
    assert f"Likely mistake ({mistake.name}):" in summary and mistake.message in summary
    assert f"Exercise {[e.name for e in exercises(ASSIGNMENT)].index(wrong.name) + 1}: {wrong.name} - test_" in html


def test_feedback_shows_no_hidden_code_no_traceback_and_loads_nothing(feedback):
    course, _ = feedback
    for student in ("one-wrong", "untouched", "reference"):
        html = _page(course, student)
        for secret in ("BEGIN HIDDEN TESTS", "from graders import", f"check({ASSIGNMENT!r}", "graders/engine.py"):
            assert secret not in html, (student, secret)
        for remote in ("<script", "<link", 'src="http', "@import", "cdnjs", "mathjax.js", "latest.js"):
            assert remote not in html.lower(), (student, remote)
    # one-wrong's only errors are its failed checks: each is one line, "CheckFailed: <message>", no traceback
    errors = re.findall(r'class="output_subarea output_text output_error">\s*<pre>(.*?)</pre>',
                        _page(course, "one-wrong"), re.S)
    assert errors and all(e.strip().startswith("CheckFailed: ") and "Traceback" not in e for e in errors), errors
    assert "<math" in _page(course, "reference"), "math is MathML, drawn by the browser itself"


@pytest.fixture
def small_course(tmp_path):
    """A course with one built assignment, its template and a git repository holding the build."""
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    shutil.copytree(ROOT / "source" / ASSIGNMENT, tmp_path / "source" / ASSIGNMENT)
    (tmp_path / "templates").mkdir()
    shutil.copy(ROOT / "templates" / f"{ASSIGNMENT}.py", tmp_path / "templates")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "built"], cwd=tmp_path,
                   check=True)
    return tmp_path


def _edit_source(course):
    path = course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[0].source += "\n\nAn instructor's note typed into the formgrader's notebook."
    nbformat.write(notebook, path)
    return path


def test_generating_a_release_from_a_hand_edited_source_fails_and_says_why(small_course):
    run_nbgrader(small_course, "generate_assignment", ASSIGNMENT, log=small_course / "log")
    release = json.loads((small_course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
    assert STAMP not in release["metadata"], "the build stamp stays out of the student's notebook"
    _edit_source(small_course)
    with pytest.raises(RuntimeError, match="generate_assignment"):
        run_nbgrader(small_course, "generate_assignment", ASSIGNMENT, "--force", log=small_course / "log")
    log = (small_course / "log").read_text()
    assert "was edited by hand after `mdsi-course build` made it (cell 1 (markdown" in log
    assert f"Move the edit to templates/{ASSIGNMENT}.py" in log


def test_the_build_will_not_overwrite_a_hand_edit(small_course):
    _edit_source(small_course)
    with pytest.raises(HandEdited, match=f"Move the edit to templates/{ASSIGNMENT}.py"):
        write_source(ASSIGNMENT, root=small_course)
    path = write_source(ASSIGNMENT, root=small_course, overwrite=True)
    assert "formgrader" not in path.read_text()
    _edit_source(small_course)
    subprocess.run(["git", "commit", "-qam", "committed on purpose"], cwd=small_course, check=True)
    write_source(ASSIGNMENT, root=small_course)  # what git holds (a merge, say) is not a stray hand edit
