"""What happened to each exercise of a graded notebook, read from its test cells' outputs.

Both graders write a graded test cell's verdict as its output: a passing
check prints one line, a failing one raises ``CheckFailed`` with the teaching
message (which names a catalogued mistake as ``Likely mistake (<name>): ...``)
and an untouched stub raises ``NotImplementedError``.  The public asserts
after a passing check raise ``PublicTestFailed`` (or ``ExerciseNotAttempted``)
from the student runtime, ``mdsi_selfcheck.notebook``.  The class report and the
students' feedback both classify an exercise from those outputs, here, so that
they always agree.
"""

import re
from dataclasses import dataclass

from graders.exercises import exercises

PASSED, WRONG, NOT_ATTEMPTED, COULD_NOT_RUN = "passed", "wrong", "not attempted", "could not run"
OUTCOMES = (PASSED, WRONG, NOT_ATTEMPTED, COULD_NOT_RUN)

# Errors that mean the learner's code never got a verdict: the kernel died, hung
# or ran out of time; or, raised by the hidden check itself, the function was
# not defined (its cell failed).
_STOPPED = {"KernelDied", "NotRun", "CellTimeoutError", "DeadKernelError", "TimeoutError"}
_UNDEFINED = re.compile(r"raised NameError: name '[^']+' is not defined")


@dataclass(frozen=True)
class TestOutcome:
    """One graded test cell: its outcome, the message to show and the catalogued mistake it names."""

    grade_id: str
    outcome: str
    score: float
    max_score: float
    message: str = ""
    mistake: str | None = None


@dataclass(frozen=True)
class ExerciseOutcome:
    """One graded function: the outcome over all its test cells, with their points."""

    name: str
    tests: tuple[TestOutcome, ...]

    @property
    def score(self):
        return sum(t.score for t in self.tests)

    @property
    def max_score(self):
        return sum(t.max_score for t in self.tests)

    @property
    def outcome(self):
        """Could not run, else wrong, else not attempted, else passed: the worst of its tests."""
        found = {t.outcome for t in self.tests}
        return next(o for o in (COULD_NOT_RUN, WRONG, NOT_ATTEMPTED, PASSED) if o in found)

    @property
    def mistakes(self):
        """Catalogued mistakes named by its tests, each once, in test order."""
        return list(dict.fromkeys(t.mistake for t in self.tests if t.mistake))

    @property
    def diagnosis(self):
        """The message of each test that did not pass, or the passing line when all passed."""
        failing = [t.message for t in self.tests if t.outcome != PASSED and t.message]
        if failing:
            return " ".join(dict.fromkeys(failing))
        return f"{self.name}: all graded tests passed." if self.outcome == PASSED else ""


def _text(output):
    text = output.get("text", "")
    return "".join(text) if isinstance(text, list) else text


def _error_message(output):
    return f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".strip()


def classify_test(cell, score, max_score, catalogue, definition_error=None):
    """The :class:`TestOutcome` of one graded test cell, from its outputs and its score.

    ``catalogue`` holds the exercise's mistake names; ``definition_error`` is
    the error the cell defining the exercise raised, if it did.
    """
    grade_id = cell.metadata["nbgrader"]["grade_id"]
    outputs = cell.get("outputs", [])
    errors = [o for o in outputs if o.get("output_type") == "error"]
    if score is None:  # not scored yet: judge by the outputs alone
        score = 0.0 if errors else max_score
    if not errors and score >= max_score:
        message = "".join(_text(o) for o in outputs if o.get("output_type") == "stream").strip()
        return TestOutcome(grade_id, PASSED, score, max_score, message)
    first = errors[0] if errors else {}
    ename, evalue = first.get("ename", ""), first.get("evalue", "")
    if ename in ("NotImplementedError", "ExerciseNotAttempted"):
        return TestOutcome(grade_id, NOT_ATTEMPTED, score, max_score, evalue or "not implemented yet")
    checked = bool(errors) and outputs[0].get("output_type") == "stream"  # the hidden check passed
    undefined = not checked and (ename == "NameError" or _UNDEFINED.search(evalue))
    if ename in _STOPPED or undefined:
        message = _error_message(first)
        if definition_error and undefined:  # the same for every test of the exercise: shown once
            message = f"the cell that defines it raised {definition_error}, so it was never defined: fix that cell"
        return TestOutcome(grade_id, COULD_NOT_RUN, score, max_score, message)
    mistake = next((name for name in catalogue if f"Likely mistake ({name}):" in evalue), None)
    if ename == "CheckFailed":
        return TestOutcome(grade_id, WRONG, score, max_score, evalue, mistake)
    message = _error_message(first) if first else "the test did not pass"
    if ename == "PublicTestFailed":  # the notebook runtime's paragraph (mdsi_selfcheck.notebook) says it all
        message = evalue
    if checked:
        message = f"a public test failed: {message}"
    return TestOutcome(grade_id, WRONG, score, max_score, message, mistake)


def _definition_errors(cells):
    """{function name: "ErrorName: message"} for solution cells whose code raised."""
    found = {}
    for cell in cells:
        meta = cell.metadata.get("nbgrader", {})
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if meta.get("solution") and errors:
            found[meta.get("grade_id")] = _error_message(errors[0])
    return found


def exercise_outcomes(assignment, notebook, scores=None):
    """[:class:`ExerciseOutcome`] of every exercise of ``assignment`` in an autograded notebook.

    ``scores`` maps grade ids to ``(score, max score)`` (from the gradebook);
    without it, the scores nbgrader's ``GetGrades`` wrote into the cells are used.
    A test cell missing from the notebook counts as not run.  With no notebook
    at all (``None``), only the points are known: full marks passed, less was wrong.
    """
    all_cells = notebook.cells if notebook is not None else []
    cells = {c.metadata["nbgrader"]["grade_id"]: c for c in all_cells
             if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")}
    broken = _definition_errors(all_cells)
    found = []
    for exercise in exercises(assignment):
        catalogue = [m.name for m in exercise.mistakes]
        tests = []
        for test in exercise.tests:
            cell = cells.get(test.grade_id)
            if scores is not None:
                score, top = scores.get(test.grade_id, (0.0, float(test.points)))
            else:
                meta = cell.metadata["nbgrader"] if cell is not None else {}
                score, top = meta.get("score"), float(meta.get("points", test.points))
            if notebook is None:
                tests.append(TestOutcome(test.grade_id, PASSED if score >= top else WRONG, score, top))
            elif cell is None:
                tests.append(TestOutcome(test.grade_id, COULD_NOT_RUN, score or 0.0, top, "the test cell is missing"))
            else:
                tests.append(classify_test(cell, score, top, catalogue, broken.get(exercise.name)))
        found.append(ExerciseOutcome(exercise.name, tuple(tests)))
    return found
