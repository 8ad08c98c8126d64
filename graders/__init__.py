"""Hidden checks and grading tools of the course (instructor side only).

Hidden test cells call :func:`check`; everything else (the check
declarations, the engine, the notebook build and the demo) lives in the
submodules.
"""

from graders.engine import Status, evaluate
from graders.exercises import find


class CheckFailed(AssertionError):
    """A hidden check rejected the learner's function; the message says why."""


def check(assignment, grade_id, candidate):
    """Grade ``candidate`` on the graded test ``grade_id``; raise if it does not pass.

    This is the whole body of a hidden test region.  A pass prints one line;
    a failure raises :class:`CheckFailed` (nbgrader then gives the cell no
    points) with the teaching message, and an untouched stub re-raises
    ``NotImplementedError``.
    """
    result = evaluate(*find(assignment, grade_id), candidate)
    if result.status is Status.NOT_ATTEMPTED:
        raise NotImplementedError(result.message) from None
    if result.status is Status.FAILED:
        raise CheckFailed(result.message) from None
    print(result.message)
