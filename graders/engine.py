"""The one engine that runs a check declaration against a learner's callable.

A declaration (:class:`Exercise`) is data: the reference, a comparator, the
graded tests (one per nbgrader grade cell, each a list of :class:`Case`) and
the catalogue of known mistakes.  :func:`evaluate` calls the learner's function
on copies of each case's inputs, compares the plain result with the
reference's, and when it fails, names the known mistake whose outputs the
learner's outputs reproduce.
"""

import contextlib
import copy
import enum
import io
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Case:
    """One call of the function under test.

    ``label`` describes the inputs in words (feedback shows it, never the
    inputs themselves).  By default the case calls ``fn(*args, **kwargs)``;
    ``run`` replaces that for cases that need several calls (reproducibility
    from a seed) or a class (fit, then predict).  ``raises`` makes the case
    expect that exception type (such cases belong in a ``test_F_errors`` cell),
    ``says`` is ``(regular expression, what it means)`` that the exception's
    message must match, and ``compare`` overrides the exercise's comparator.
    """

    label: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    run: Callable[[Callable], Any] | None = None
    raises: type[BaseException] | None = None
    says: tuple[str, str] | None = None
    compare: Any = None

    def message_fits(self, error):
        """True unless the case asks the message of ``error`` to say something it does not."""
        return self.says is None or re.search(self.says[0], str(error), re.IGNORECASE) is not None

    def call(self, fn):
        """Run the case on ``fn`` with fresh copies of the inputs."""
        if self.run is not None:
            return self.run(fn)
        return fn(*copy.deepcopy(self.args), **copy.deepcopy(self.kwargs))


@dataclass(frozen=True)
class Mistake:
    """A realistic wrong implementation and the lesson that goes with it.

    ``book`` names the book's "common mistake" it embodies, if any, as
    ``"Q<question>.<k>"`` (the k-th common mistake listed under that question;
    see ``docs/book-mistakes.md``).
    """

    name: str
    message: str
    impl: Callable
    book: str = ""


@dataclass(frozen=True)
class GradedTest:
    """The cases behind one nbgrader grade cell (``grade_id`` ``test_<function>...``)."""

    grade_id: str
    points: int
    description: str
    cases: tuple[Case, ...]


@dataclass(frozen=True)
class Exercise:
    """Everything the graders know about one graded function or class.

    ``alternatives`` are correct implementations in other styles; ``minimal``
    is a correct one that validates nothing beyond the stub's Raises section,
    so the tests can prove that a learner who computes the right answers and
    raises only what the notebook asks for gets every point.
    """

    name: str
    reference: Callable
    compare: Any
    tests: tuple[GradedTest, ...]
    mistakes: tuple[Mistake, ...]
    alternatives: tuple[Callable, ...] = ()
    minimal: Callable | None = None
    # Attributes and methods the learner's code may use on objects a case passes in (a fitted
    # model, say).  Under safe grading those objects stay with the grader, and every other
    # attribute is refused; plain functions passed in can always be called.
    callbacks: frozenset[str] = frozenset()

    @property
    def variants(self):
        """Every catalogued correct implementation other than the reference."""
        return self.alternatives + ((self.minimal,) if self.minimal is not None else ())


class Status(enum.Enum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_ATTEMPTED = "not attempted"


@dataclass(frozen=True)
class Result:
    """The outcome of one graded test: a status, a teaching message, the mistake if known."""

    status: Status
    message: str
    mistake: str | None = None


@dataclass(frozen=True)
class _Outcome:
    value: Any = None
    error: BaseException | None = None


@contextlib.contextmanager
def quiet():
    """Silence warnings and printed output of the code under test.

    Stock nbgrader scores any stderr output in a test cell as a failure, so a
    correct function that triggers a NumPy RuntimeWarning would lose points.
    """
    sink = io.StringIO()
    with contextlib.ExitStack() as stack:
        stack.enter_context(warnings.catch_warnings())
        warnings.simplefilter("ignore")
        stack.enter_context(np.errstate(all="ignore"))
        stack.enter_context(contextlib.redirect_stdout(sink))
        stack.enter_context(contextlib.redirect_stderr(sink))
        yield


def _attempt(case, fn):
    """Run ``case`` on ``fn``, catching whatever it raises."""
    try:
        with quiet():
            return _Outcome(value=case.call(fn))
    except Exception as exc:  # the learner's code may raise anything
        return _Outcome(error=exc)


def _judge(case, comparator, got, want):
    """None if the outcome ``got`` is acceptable given the reference's ``want``, else why not."""
    if case.raises is not None:
        if isinstance(got.error, case.raises):
            if case.message_fits(got.error):
                return None
            return f"raised {type(got.error).__name__}, but its message does not say that {case.says[1]}"
        if got.error is not None:
            return f"raised {type(got.error).__name__}; expected {case.raises.__name__}"
        return f"returned normally; expected it to raise {case.raises.__name__}"
    if got.error is not None:
        return f"raised {type(got.error).__name__}: {got.error}"
    if want.error is not None:
        raise RuntimeError(f"the reference raised on case {case.label!r}: {want.error!r}")
    return (case.compare or comparator).compare(got.value, want.value)


def _resembles(a, b):
    """True if two return values are the same plain data up to float rounding."""
    scalars = (int, float, np.integer, np.floating)
    if isinstance(a, scalars) and isinstance(b, scalars):
        return bool(np.isclose(float(a), float(b), rtol=1e-9, atol=1e-12, equal_nan=True))
    if type(a) is not type(b):
        return False
    if isinstance(a, str | bool | type(None)):
        return a == b
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_resembles(a[k], b[k]) for k in a)
    if isinstance(a, tuple | list):
        return len(a) == len(b) and all(_resembles(x, y) for x, y in zip(a, b, strict=True))
    try:
        a_arr, b_arr = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return False
    return a_arr.shape == b_arr.shape and bool(
        np.all(np.isclose(a_arr, b_arr, rtol=1e-9, atol=1e-12, equal_nan=True))
    )


def _same_behaviour(cases, ours, theirs):
    """True if two implementations' outcomes agree on every case.

    Errors agree when their types do and, where a case asks its message to say
    something, when both messages do or both do not.
    """
    for case, a, b in zip(cases, ours, theirs, strict=True):
        if (a.error is None) != (b.error is None):
            return False
        if a.error is not None:
            if type(a.error) is not type(b.error) or case.message_fits(a.error) != case.message_fits(b.error):
                return False
        elif not _resembles(a.value, b.value):
            return False
    return True


def diagnose(exercise, test, outcomes):
    """The first known mistake whose outcomes on ``test`` equal the learner's, or None."""
    for mistake in exercise.mistakes:
        theirs = [_attempt(case, mistake.impl) for case in test.cases]
        if _same_behaviour(test.cases, outcomes, theirs):
            return mistake
    return None


def evaluate(exercise, test, candidate):
    """Grade ``candidate`` (a learner's function) on one graded test of ``exercise``."""
    outcomes = [_attempt(case, candidate) for case in test.cases]
    if isinstance(outcomes[0].error, NotImplementedError):
        return Result(Status.NOT_ATTEMPTED, f"{exercise.name} is not implemented yet.")
    for case, got in zip(test.cases, outcomes, strict=True):
        problem = _judge(case, exercise.compare, got, _attempt(case, exercise.reference))
        if problem is None:
            continue
        message = f"{exercise.name} on {case.label}: {problem}."
        mistake = diagnose(exercise, test, outcomes)
        if mistake is not None:
            message += f" Likely mistake ({mistake.name}): {mistake.message}"
        return Result(Status.FAILED, message, mistake.name if mistake else None)
    return Result(Status.PASSED, f"{exercise.name}: all {len(test.cases)} cases of {test.grade_id} passed.")
