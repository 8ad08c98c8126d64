"""Can every hidden check fail, and does it accept every correct style?

The mutation table of each exercise is its declaration: the catalogued
mistakes must each be rejected (and diagnosed as themselves), the catalogued
alternative implementations must each pass, and every graded test must be
failed by at least one mistake.  Runs in-process against graders/.
"""

import contextlib
import copy
import inspect

import numpy as np
import pytest

from graders.engine import Status, evaluate
from graders.exercises import ASSIGNMENTS, exercises

EXERCISES = [(a, ex) for a in ASSIGNMENTS for ex in exercises(a)]
IDS = [f"{a}:{ex.name}" for a, ex in EXERCISES]


@pytest.mark.parametrize(("assignment", "exercise"), EXERCISES, ids=IDS)
def test_table_is_large_enough(assignment, exercise):
    assert len(exercise.mistakes) >= 3, "at least three realistic wrong implementations"
    assert len(exercise.alternatives) >= 2, "at least two stylistically different correct ones"
    assert len({m.name for m in exercise.mistakes}) == len(exercise.mistakes), "mistake names are unique"


@pytest.mark.parametrize(("assignment", "exercise"), EXERCISES, ids=IDS)
def test_reference_and_alternatives_pass_every_test(assignment, exercise):
    for test in exercise.tests:
        for index, candidate in enumerate((exercise.reference, *exercise.alternatives)):
            result = evaluate(exercise, test, candidate)
            assert result.status is Status.PASSED, f"{test.grade_id}, candidate {index}: {result.message}"


@pytest.mark.parametrize(("assignment", "exercise"), EXERCISES, ids=IDS)
def test_every_mistake_is_rejected_and_named(assignment, exercise):
    for mistake in exercise.mistakes:
        results = [evaluate(exercise, test, mistake.impl) for test in exercise.tests]
        failed = [r for r in results if r.status is Status.FAILED]
        assert failed, f"mistake {mistake.name!r} passes every test"
        assert mistake.name in {r.mistake for r in failed}, (
            f"mistake {mistake.name!r} is rejected but diagnosed as {[r.mistake for r in failed]}"
        )
        assert mistake.message in failed[[r.mistake for r in failed].index(mistake.name)].message


@pytest.mark.parametrize(("assignment", "exercise"), EXERCISES, ids=IDS)
def test_every_graded_test_can_fail(assignment, exercise):
    for test in exercise.tests:
        assert any(evaluate(exercise, test, m.impl).status is Status.FAILED for m in exercise.mistakes), (
            f"no catalogued mistake fails {test.grade_id}"
        )


@pytest.mark.parametrize(("assignment", "exercise"), EXERCISES, ids=IDS)
def test_untouched_stub_is_not_attempted(assignment, exercise):
    def stub(*args, **kwargs):
        raise NotImplementedError()

    for test in exercise.tests:
        assert evaluate(exercise, test, stub).status is Status.NOT_ATTEMPTED


# --- degenerate implementations: no grade cell may pay them ------------------------------
#
# A constant, a function that hands back its input, and (where the function takes an
# `rng`) one that returns noise drawn from it must each fail every grade cell: a cell that
# pays them checks something other than the answer (a reproducibility-only cell, a check
# that loops over what the learner reports).  The constants copy the type and shape of
# the reference's first result on the cell, so they are as plausible as a constant can be.


def _zeros_like(value):
    """A value of the same plain type and shape as ``value``, every number 0."""
    if isinstance(value, bool | np.bool_):
        return False
    if isinstance(value, int | np.integer):
        return 0
    if isinstance(value, float | np.floating):
        return 0.0
    if isinstance(value, np.ndarray):
        return np.zeros(value.shape, dtype=value.dtype if value.dtype != object else float)
    if isinstance(value, tuple | list):
        return type(value)(_zeros_like(item) for item in value)
    if isinstance(value, dict):
        return {key: _zeros_like(item) for key, item in value.items()}
    return type(value)() if isinstance(value, str) else None


def _empty_like(value):
    """An empty result of the same kind as ``value`` (0.0 for a number)."""
    if isinstance(value, np.ndarray):
        return np.zeros((0, *value.shape[1:]), dtype=value.dtype if value.dtype != object else float)
    if isinstance(value, tuple | list | dict | str):
        return type(value)()
    return 0.0


def _noise_like(value, rng):
    """A value shaped like ``value`` whose numbers are drawn from ``rng``."""
    if isinstance(value, bool | np.bool_):
        return bool(rng.random() < 0.5)
    if isinstance(value, int | np.integer | float | np.floating):
        return type(value)(rng.random())
    if isinstance(value, np.ndarray):
        return rng.random(value.shape)
    if isinstance(value, tuple | list):
        return type(value)(_noise_like(item, rng) for item in value)
    if isinstance(value, dict):
        return {key: _noise_like(item, rng) for key, item in value.items()}
    return value


def _first_results(exercise, test):
    """{method name (None for a function): the first value the reference returns on the cell's cases}."""
    seen = {}

    def recording(name, method):
        def call(*args, **kwargs):
            result = method(*args, **kwargs)
            if not (args and result is args[0]):  # fit returns self: nothing to imitate
                seen.setdefault(name, copy.deepcopy(result))
            return result
        return call

    if inspect.isclass(exercise.reference):
        candidate = type("Recording", (exercise.reference,), {
            name: recording(name, method) for name, method in inspect.getmembers(exercise.reference, inspect.isfunction)
            if not name.startswith("_")})
    else:
        candidate = recording(None, exercise.reference)
    for case in test.cases:
        with contextlib.suppress(Exception):
            case.call(candidate)
    return seen


def _rng_among(args, kwargs):
    return next((a for a in (*args, *kwargs.values()) if isinstance(a, np.random.Generator)), None)


def _takes_rng(reference):
    """True if the function, or a public method of the class, has an `rng` parameter (the contract's name)."""
    functions = [m for n, m in inspect.getmembers(reference, inspect.isfunction) if not n.startswith("_")] \
        if inspect.isclass(reference) else [reference]
    return any("rng" in inspect.signature(f).parameters for f in functions)


def _returning(value):
    """A function that ignores its arguments and returns (a copy of) ``value``."""
    return lambda *args, **kwargs: copy.deepcopy(value)


def _first_input(*args, **kwargs):
    return copy.deepcopy(args[0]) if args else None


def _noise_shaped_like(value):
    """A function that returns noise shaped like ``value``, drawn from the `rng` it is given."""
    return lambda *args, **kwargs: _noise_like(value, _rng_among(args, kwargs) or np.random.default_rng(0))


def _as_method(function):
    return lambda self, *args, **kwargs: function(*args, **kwargs)


def _degenerate(exercise, test):
    """(behaviour, implementation) pairs: a constant, the first input, noise from `rng`.

    For a class: a constructor that ignores its arguments, ``fit`` returning
    self, and every other public method behaving so.
    """
    results = _first_results(exercise, test)
    behaviours = {
        "zeros": {name: _returning(_zeros_like(value)) for name, value in results.items()},
        "an empty result": {name: _returning(_empty_like(value)) for name, value in results.items()},
        "its first input": dict.fromkeys(results, _first_input),
    }
    if _takes_rng(exercise.reference):
        behaviours["noise from rng"] = {name: _noise_shaped_like(value) for name, value in results.items()}
    if not inspect.isclass(exercise.reference):
        return [(label, methods.get(None, _returning(0.0))) for label, methods in behaviours.items()]
    classes = []
    for label, methods in behaviours.items():
        body = {"__init__": lambda self, *args, **kwargs: None, "fit": lambda self, *args, **kwargs: self}
        body.update({name: _as_method(function) for name, function in methods.items()})
        classes.append((label, type("Degenerate", (), body)))
    return classes


@pytest.mark.parametrize(("assignment", "exercise"), EXERCISES, ids=IDS)
def test_degenerate_implementations_fail_every_grade_cell(assignment, exercise):
    for test in exercise.tests:
        for label, candidate in _degenerate(exercise, test):
            result = evaluate(exercise, test, candidate)
            assert result.status is Status.FAILED, f"{test.grade_id} pays an implementation returning {label}"


def test_sampler_is_judged_by_the_training_data_not_by_what_the_model_reports():
    """A ch08 sampler that empties ``classes_`` while sampling has nothing left to loop over."""
    from solutions.ch08_generative_discriminative import GaussianNaiveBayes

    class UniformLabelsThenHides(GaussianNaiveBayes):
        def sample(self, n_samples, rng):
            index = rng.integers(0, self.classes_.size, size=n_samples)
            X_new, y_new = rng.normal(self.theta_[index], np.sqrt(self.var_[index])), self.classes_[index]
            self.classes_ = self.class_prior_ = np.array([])
            return X_new, y_new

    exercise = next(ex for ex in exercises("ch08_generative_discriminative") if ex.name == "GaussianNaiveBayes")
    test = next(t for t in exercise.tests if t.grade_id == "test_GaussianNaiveBayes_sample_distribution")
    assert evaluate(exercise, test, UniformLabelsThenHides).status is Status.FAILED
