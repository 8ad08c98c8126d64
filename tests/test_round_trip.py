"""Does an assignment make the whole trip on one machine, as the README tells instructor and student to do it?

release -> fetch -> submit -> collect -> grade -> generate and release feedback
-> fetch feedback, on a temporary exchange (sticky, 1777, like ``/tmp``).  The
instructor works in a copy of the course (``MDSI_EXCHANGE`` points the
course's ``nbgrader_config.py`` at the exchange); the student has a home, a
Jupyter config and data folder and a working folder of their own, configured
only by ``mdsi-setup``.  The student is the account running the tests (root
in CI): ``nbgrader submit`` names the submission after it, and the course's
hardened collect accepts it because that account owns it, as it would for a
real student, so nothing needs root's privileges or a second account.
"""

import getpass
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from graders.exercises import exercises
from graders.notebook_build import ROOT
from graders.submissions import fill

ASSIGNMENT = "ch05_information_criteria"  # small, and quick to run
BIN = Path(sys.executable).parent


def _run(cwd, env, *command):
    done = subprocess.run([*command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{' '.join(map(str, command))} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def _environments(tmp_path):
    """(instructor env, student env): the same programs, separate Jupyter folders, one exchange."""
    base = {key: value for key, value in os.environ.items()
            if not key.startswith(("JUPYTER_", "MDSI_", "VIRTUAL_ENV"))}
    base["PATH"] = f"{BIN}{os.pathsep}{os.environ['PATH']}"
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    exchange.chmod(0o1777)
    instructor = dict(base, MDSI_EXCHANGE=str(exchange), JUPYTER_CONFIG_DIR=str(tmp_path / "instructor-jupyter"),
                      JUPYTER_DATA_DIR=str(tmp_path / "instructor-data"))
    home = tmp_path / "student-home"
    student = dict(base, HOME=str(home), JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
                   JUPYTER_DATA_DIR=str(home / ".local" / "share" / "jupyter"))
    return exchange, instructor, student


def test_release_fetch_submit_collect_grade_feedback(tmp_path):
    exchange, instructor, student = _environments(tmp_path)
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "source" / ASSIGNMENT, course / "source" / ASSIGNMENT)
    _run(course, instructor, BIN / "nbgrader", "generate_assignment", ASSIGNMENT, "--force")
    _run(course, instructor, BIN / "nbgrader", "release_assignment", ASSIGNMENT)

    work = Path(student["HOME"]) / "work"
    work.mkdir(parents=True)
    _run(work, student, BIN / "mdsi-setup", "--exchange", str(exchange))
    assert "ch05" in _run(work, student, BIN / "nbgrader", "list")
    _run(work, student, BIN / "nbgrader", "fetch_assignment", ASSIGNMENT)
    fetched = work / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    first = exercises(ASSIGNMENT)[0]
    nbformat.write(fill(nbformat.read(fetched, as_version=4), ASSIGNMENT, {first.name: "reference"}), fetched)
    _run(work, student, BIN / "nbgrader", "submit", ASSIGNMENT)

    me = getpass.getuser()
    collected = _run(course, instructor, BIN / "nbgrader", "collect", ASSIGNMENT)
    assert f"COLLECTED {ASSIGNMENT} / {me}" in collected, collected
    _run(course, instructor, BIN / "mdsi-course", "grade", ASSIGNMENT, "--workers", "1")
    _run(course, instructor, BIN / "nbgrader", "generate_feedback", ASSIGNMENT)
    _run(course, instructor, BIN / "nbgrader", "release_feedback", ASSIGNMENT)

    _run(work, student, BIN / "nbgrader", "fetch_feedback", ASSIGNMENT)
    pages = list((work / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html"))
    assert len(pages) == 1, sorted((work / ASSIGNMENT).rglob("*"))
    points = sum(test.points for test in first.tests)
    total = sum(test.points for exercise in exercises(ASSIGNMENT) for test in exercise.tests)
    text = re.sub(r"<[^>]+>", " ", pages[0].read_text())
    assert re.search(rf"Score:\s*{points}(\.0)?\s*/\s*{total}(\.0)?", text), re.findall(r"Score:.{0,40}", text)
