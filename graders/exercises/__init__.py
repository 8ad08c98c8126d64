"""Registry of the check declarations, one module per assignment.

Each module ``graders.exercises.<assignment_id>`` defines ``EXERCISES``, a tuple
of :class:`graders.engine.Exercise` in notebook order.
"""

import importlib
import pkgutil
import re

ASSIGNMENTS = tuple(sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("ch")))


def exercises(assignment):
    """The exercises of one assignment, in notebook order."""
    if assignment not in ASSIGNMENTS:
        raise ValueError(f"unknown assignment {assignment!r}; known: {', '.join(ASSIGNMENTS)}")
    return importlib.import_module(f"graders.exercises.{assignment}").EXERCISES


def find(assignment, grade_id):
    """The (exercise, graded test) pair behind one grade cell."""
    for exercise in exercises(assignment):
        for test in exercise.tests:
            if test.grade_id == grade_id:
                return exercise, test
    raise ValueError(f"{assignment} has no graded test {grade_id!r}")


def is_errors_cell(exercise, test):
    """True for a grade cell that grades error handling (``test_F_errors`` or ``test_F_errors_...``).

    By the contract's convention only such cells expect exceptions, and they
    expect nothing else.
    """
    return re.fullmatch(rf"test_{re.escape(exercise.name)}_errors(_\w+)?", test.grade_id) is not None


def grades_errors(assignment):
    """True if some grade cell of ``assignment`` grades error handling."""
    return any(is_errors_cell(ex, t) for ex in exercises(assignment) for t in ex.tests)
