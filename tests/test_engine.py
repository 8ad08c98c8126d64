"""Does the engine grade fairly: plain data only, copies of inputs, no penalty for warnings?"""

import sys
import warnings

import numpy as np
import pytest

from graders import CheckFailed, check
from graders.compare import Array, Record, Scalar, Sequence
from graders.engine import Case, Exercise, GradedTest, Mistake, Status, evaluate


def _double(x):
    return np.asarray(x, dtype=float) * 2


_EXERCISE = Exercise(
    name="double",
    reference=_double,
    compare=Array(),
    tests=(GradedTest("test_double", 1, "doubles", (
        Case("three numbers", ([1.0, 2.0, 3.0],)),
        Case("an empty input", ([],)),
    )),),
    mistakes=(Mistake("adds instead", "you added 2; multiply by 2.", lambda x: np.asarray(x, float) + 2),),
)
_TEST = _EXERCISE.tests[0]


def test_reference_passes():
    assert evaluate(_EXERCISE, _TEST, _double).status is Status.PASSED


def test_stub_is_not_attempted():
    def stub(x):
        raise NotImplementedError()

    result = evaluate(_EXERCISE, _TEST, stub)
    assert result.status is Status.NOT_ATTEMPTED


def test_known_mistake_is_named():
    result = evaluate(_EXERCISE, _TEST, lambda x: np.asarray(x, float) + 2)
    assert result.status is Status.FAILED
    assert result.mistake == "adds instead"
    assert "three numbers" in result.message and "multiply by 2" in result.message


def test_unknown_mistake_has_no_diagnosis():
    result = evaluate(_EXERCISE, _TEST, lambda x: np.asarray(x, float) * 3)
    assert result.status is Status.FAILED and result.mistake is None


def test_exceptions_are_reported_not_raised():
    result = evaluate(_EXERCISE, _TEST, lambda x: 1 / 0)
    assert result.status is Status.FAILED
    assert "raised ZeroDivisionError" in result.message


def test_warnings_and_printing_do_not_fail_a_correct_function(capsys):
    def noisy(x):
        warnings.warn("this API is deprecated", DeprecationWarning, stacklevel=1)
        print("debug output", file=sys.stderr)
        with np.errstate(divide="warn"):
            np.log(np.zeros(1))
        return _double(x)

    assert evaluate(_EXERCISE, _TEST, noisy).status is Status.PASSED
    assert capsys.readouterr().err == ""


def test_learner_mutating_its_input_does_not_change_later_cases():
    seen = []

    def mutating(x):
        x = np.asarray(x)
        seen.append(x.copy())
        if x.size:
            x[...] = 0  # mutates only the copy the engine handed over
        return _double(seen[-1])

    assert evaluate(_EXERCISE, _TEST, mutating).status is Status.PASSED
    assert evaluate(_EXERCISE, _TEST, _double).status is Status.PASSED


@pytest.mark.parametrize(("value", "problem"), [
    ([2.0, 4.0, 6.0], "expected a numpy.ndarray - wrap it with np.asarray"),
    (np.array([2.0, 4.0]), "shape (2,); expected shape (3,)"),
    (np.array(["2", "4", "6"], dtype=object), None),
])
def test_array_comparator_checks_type_and_shape(value, problem):
    got = Array().compare(value, np.array([2.0, 4.0, 6.0]))
    assert got is None if problem is None else problem in got


@pytest.mark.parametrize(("value", "accepted"), [
    (1.0, True), (np.float64(1.0), True), (1, True), (True, False), (np.array(1.0), False),
    ([1.0], False), ("1.0", False), (1.0 + 1e-12, True), (1.001, False), (float("nan"), False),
])
def test_scalar_comparator_accepts_only_real_numbers(value, accepted):
    assert (Scalar().compare(value, 1.0) is None) is accepted


def test_scalar_comparator_matches_infinities_and_nan():
    assert Scalar().compare(float("inf"), np.inf) is None
    assert Scalar().compare(float("-inf"), np.inf) is not None
    assert Scalar().compare(float("nan"), float("nan")) is None


def test_composite_comparators_name_the_bad_part():
    pair = Sequence((Scalar(), Array()))
    assert pair.compare((1.0, np.ones(2)), (1.0, np.ones(2))) is None
    assert "item 1" in pair.compare((1.0, np.zeros(2)), (1.0, np.ones(2)))
    assert "tuple of 2" in pair.compare([1.0, np.ones(2)], (1.0, np.ones(2)))
    record = Record({"a": Scalar()})
    assert record.compare({"a": 1.0}, {"a": 1.0}) is None
    assert "keys" in record.compare({"b": 1.0}, {"a": 1.0})
    assert "['a']" in record.compare({"a": 2.0}, {"a": 1.0})


def test_check_raises_with_the_teaching_message():
    from solutions.ch03_loss_functions import log_loss

    check("ch03_loss_functions", "test_log_loss", log_loss)
    with pytest.raises(CheckFailed, match="Likely mistake \\(sum instead of mean\\)"):
        check("ch03_loss_functions", "test_log_loss",
              lambda y, p, eps=1e-15: float(np.sum(-np.log(np.where(np.asarray(y) == 1, p, 1 - np.asarray(p))))))
    with pytest.raises(NotImplementedError, match="not implemented yet"):
        check("ch03_loss_functions", "test_log_loss", lambda *a, **k: (_ for _ in ()).throw(NotImplementedError()))


def test_unknown_grade_id_is_a_clear_error():
    with pytest.raises(ValueError, match="no graded test 'test_nope'"):
        check("ch03_loss_functions", "test_nope", print)
    with pytest.raises(ValueError, match="unknown assignment"):
        check("ch99_nothing", "test_nope", print)


def _positive_root(x):
    if x < 0:
        raise ValueError(f"`x` must be non-negative; got {x}")
    return float(np.sqrt(x))


def _vague_root(x):
    if x < 0:
        raise ValueError("bad input")
    return float(np.sqrt(x))


_ROOT = Exercise(
    name="root",
    reference=_positive_root,
    compare=Scalar(),
    tests=(GradedTest("test_root_errors", 1, "negative input", (
        Case("x = -4", (-4.0,), raises=ValueError, says=(r"negative", "x must not be negative")),
    )),),
    mistakes=(Mistake("vague message", "say what is wrong with x.", _vague_root),
              Mistake("no check", "raise ValueError for negative x.", lambda x: float(np.sqrt(x)))),
)


def test_an_expected_exception_must_say_what_is_wrong_when_the_case_asks():
    """Is a ValueError with the wrong message refused, and diagnosed by its message?"""
    test = _ROOT.tests[0]
    assert evaluate(_ROOT, test, _positive_root).status is Status.PASSED
    vague = evaluate(_ROOT, test, _vague_root)
    assert vague.status is Status.FAILED and "does not say that x must not be negative" in vague.message
    assert vague.mistake == "vague message"
    unchecked = evaluate(_ROOT, test, lambda x: float(np.sqrt(x)))
    assert unchecked.mistake == "no check" and "expected it to raise ValueError" in unchecked.message
