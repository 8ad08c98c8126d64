"""The main job: build the course, grade a simulated class with nbgrader, show the result.

Runs in its own course directory (``demo-course/`` by default, a folder the
formgrader can be started in) so that the demo's students never enter the
instructor's real gradebook.
"""

import random
import shutil
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from graders.cli import build
from graders.exercises import ASSIGNMENTS, exercises
from graders.fastgrade.command import grade_class
from graders.nbgrader_run import run_nbgrader
from graders.notebook_build import ROOT
from graders.report import collect, course_directory, text_summary, write_csv
from graders.report.page import render
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


def register_students(course, students):
    """Give the simulated students names in the gradebook ("ada-reference" is Ada Reference), for the formgrader."""
    with Gradebook(course_directory(course).db_url) as gradebook:
        for student in students:
            first, _, last = student.partition("-")
            gradebook.update_or_create_student(student, first_name=first.title(), last_name=last.title())


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


def run_demo(workdir, assignments=ASSIGNMENTS, rebuild=True):
    """Build, simulate a class, autograde (sandboxed, in parallel), give feedback, export, report.

    ``rebuild=False`` uses the committed ``source/`` as it is (the tests do).
    """
    course = Path(workdir).resolve()
    if rebuild:
        build(assignments)
    prepare_course(course, assignments)
    for assignment in assignments:
        write_submissions(course, assignment, simulated_class(assignment))
        register_students(course, simulated_class(assignment))
    print(grade_class(course, assignments).summary(), flush=True)
    log = course / "nbgrader.log"
    for assignment in assignments:
        run_nbgrader(course, "generate_feedback", assignment, log=log)
    run_nbgrader(course, "export", "--to", "grades.csv", log=log)
    results = collect(course, assignments)
    (course / "report.html").write_text(render(results, course))
    write_csv(results, course / "report.csv")
    print(text_summary(results))
    print(f"\nClass report: {course / 'report.html'} (and report.csv); grades: {course / 'grades.csv'}; "
          f"feedback: {course / 'feedback'}; log: {log}")
    print(f"Formgrader: cd {course} && jupyter lab  (then Nbgrader > Formgrader)")
    return course
