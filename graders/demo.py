"""The main job: build the course, grade a simulated class with nbgrader, show the result.

Runs in its own course directory (``.demo/`` by default) so that the demo's
students never enter the instructor's real gradebook.
"""

import random
import shutil
from pathlib import Path

import nbformat

from graders.cli import build
from graders.exercises import ASSIGNMENTS, exercises
from graders.fastgrade.command import grade_class
from graders.nbgrader_run import run_nbgrader
from graders.notebook_build import ROOT
from graders.report import class_report
from graders.submissions import fill


def simulated_class(assignment, size=7, seed=2026):
    """Student id -> {function: choice} for a varied class of ``size`` students.

    The first seven are fixed profiles (full marks, untouched, correct variants,
    half done, catalogued mistakes, a syntax error, a mix); the rest mix
    reference, variant, stub and random catalogued mistakes, seeded.
    """
    declared = exercises(assignment)
    names = [ex.name for ex in declared]
    rng = random.Random(f"{seed}-{assignment}")

    def mixed():
        options = {ex.name: ["reference", "alternative", "stub"] + [f"mistake:{m.name}" for m in ex.mistakes]
                   for ex in declared}
        return {name: rng.choice(options[name]) for name in names}

    profiles = {
        "ada-reference": dict.fromkeys(names, "reference"),
        "ben-untouched": {},
        "cai-alternative": dict.fromkeys(names, "alternative"),
        "dee-halfway": dict.fromkeys(names[: len(names) // 2], "reference"),
        "eli-mistakes": dict.fromkeys(names, "mistake"),
        "fay-typo": {**dict.fromkeys(names, "reference"), names[-1]: "syntax-error"},
        "gus-mixed": mixed(),
    }
    students = dict(list(profiles.items())[:size])
    for number in range(len(students), size):
        students[f"student-{number + 1:03d}"] = mixed()
    return students


def write_submissions(course, assignment, students):
    """Write ``submitted/<student>/<assignment>/<assignment>.ipynb`` for every student."""
    release = nbformat.read(course / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    for student, choices in students.items():
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(fill(release, assignment, choices), folder / f"{assignment}.ipynb")
        (folder / "timestamp.txt").write_text("2026-11-25 12:00:00.000000 UTC")


def prepare_course(course, assignments):
    """A fresh course directory holding the built sources and the nbgrader config."""
    if course.exists():
        shutil.rmtree(course)
    course.mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    for assignment in assignments:
        shutil.copytree(ROOT / "source" / assignment, course / "source" / assignment)
        run_nbgrader(course, "generate_assignment", assignment, "--force", log=course / "nbgrader.log")


def run_demo(workdir, assignments=ASSIGNMENTS):
    """Build, simulate a class, autograde (sandboxed, in parallel), give feedback, export, print the summary."""
    course = Path(workdir)
    build(assignments)
    prepare_course(course, assignments)
    for assignment in assignments:
        write_submissions(course, assignment, simulated_class(assignment))
    print(grade_class(course, assignments).summary(), flush=True)
    for assignment in assignments:
        run_nbgrader(course, "generate_feedback", assignment, log=course / "nbgrader.log")
    run_nbgrader(course, "export", "--to", "grades.csv", log=course / "nbgrader.log")
    print(class_report(course, assignments))
    print(f"\nGrades: {course / 'grades.csv'}; feedback: {course / 'feedback'}; log: {course / 'nbgrader.log'}")
