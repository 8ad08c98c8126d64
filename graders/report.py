"""Per-student, per-exercise scores from the gradebook, and the mistakes that trip the class."""

import re
from collections import Counter

import nbformat
from nbgrader.api import Gradebook

from graders.exercises import exercises

_MISTAKE = re.compile(r"Likely mistake \(([^)]+)\)")


def exercise_scores(gradebook, assignment, notebook, student):
    """{exercise name: (score, max score)} for one submission."""
    scores = {}
    for exercise in exercises(assignment):
        got = total = 0.0
        for test in exercise.tests:
            grade = gradebook.find_grade(test.grade_id, notebook, assignment, student)
            got += grade.score
            total += grade.max_score
        scores[exercise.name] = (got, total)
    return scores


def diagnosed_mistakes(course, assignment, student):
    """Names of the catalogued mistakes the hidden checks found in one autograded notebook."""
    path = course / "autograded" / student / assignment / f"{assignment}.ipynb"
    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found += _MISTAKE.findall(output.get("evalue", ""))
    return found


def class_report(course, assignments):
    """A text table per assignment: one row per student, one column per exercise."""
    lines = []
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for assignment in assignments:
            names = [ex.name for ex in exercises(assignment)]
            students = sorted(s.student.id for s in gradebook.find_assignment(assignment).submissions)
            lines.append(f"\n{assignment}")
            lines += [f"  E{i + 1:<2} {name}" for i, name in enumerate(names)]
            header = "  student           " + "".join(f"E{i + 1:<5}" for i in range(len(names)))
            lines.append(header + "total")
            column_totals, mistakes = Counter(), Counter()
            for student in students:
                scores = exercise_scores(gradebook, assignment, assignment, student)
                cells = "".join(f"{got:>2.0f}/{top:<3.0f}" for got, top in scores.values())
                got = sum(s for s, _ in scores.values())
                top = sum(t for _, t in scores.values())
                lines.append(f"  {student:<18}{cells}{got:>3.0f}/{top:.0f}")
                column_totals.update({name: s for name, (s, _) in scores.items()})
                mistakes.update(diagnosed_mistakes(course, assignment, student))
            maxima = {name: t for name, (_, t) in scores.items()}
            share = "".join(f"{100 * column_totals[n] / (maxima[n] * len(students)):>4.0f}% " for n in names)
            lines.append(f"  {'class average':<18}{share}")
            if mistakes:
                lines.append("  mistakes found: " + ", ".join(f"{m} x{n}" for m, n in mistakes.most_common()))
    return "\n".join(lines)


def gradebook_scores(db_url):
    """{(assignment, student, notebook, grade cell): (score, needs manual grade)} for a whole gradebook.

    Used to prove two ways of grading gave the same results.
    """
    scores = {}
    with Gradebook(db_url) as gradebook:
        for assignment in gradebook.assignments:
            for submission in gradebook.assignment_submissions(assignment.name):
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        key = (assignment.name, submission.student.id, notebook.name, grade.name)
                        scores[key] = (grade.score, grade.needs_manual_grade)
    return scores
