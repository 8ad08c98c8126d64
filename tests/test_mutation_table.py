"""Can every hidden check fail, and does it accept every correct style?

The mutation table of each exercise is its declaration: the catalogued
mistakes must each be rejected (and diagnosed as themselves), the catalogued
alternative implementations must each pass, and every graded test must be
failed by at least one mistake.  Graders grade only what the notebook states:
an expected exception sits in a ``test_F_errors`` cell and is named in the
released stub's Raises section, and an implementation that validates nothing
else gets every point.  Runs in-process against graders/.
"""

import ast
import contextlib
import copy
import inspect
import re
import textwrap

import nbformat
import numpy as np
import pytest

from graders.engine import Status, evaluate
from graders.exercises import ASSIGNMENTS, exercises, is_errors_cell
from graders.notebook_build import ROOT

EXERCISES = [(a, ex) for a in ASSIGNMENTS for ex in exercises(a)]
IDS = [f"{a}:{ex.name}" for a, ex in EXERCISES]


@pytest.mark.parametrize(("assignment", "exercise"), EXERCISES, ids=IDS)
def test_table_is_large_enough(assignment, exercise):
    assert len(exercise.mistakes) >= 3, "at least three realistic wrong implementations"
    assert len(exercise.variants) >= 2, "at least two stylistically different correct ones"
    assert len({m.name for m in exercise.mistakes}) == len(exercise.mistakes), "mistake names are unique"


@pytest.mark.parametrize(("assignment", "exercise"), EXERCISES, ids=IDS)
def test_reference_and_alternatives_pass_every_test(assignment, exercise):
    for test in exercise.tests:
        for index, candidate in enumerate((exercise.reference, *exercise.variants)):
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


# --- graders grade only what the notebook states -------------------------------------------


def _raises_section(docstring):
    """Exception names listed in a numpydoc ``Raises`` section (empty if there is none)."""
    lines = (docstring or "").splitlines()
    names = set()
    for start, line in enumerate(lines[:-1]):
        if line.strip() == "Raises" and set(lines[start + 1].strip()) == {"-"}:
            for index in range(start + 2, len(lines)):
                entry = lines[index]
                if index + 1 < len(lines) and set(lines[index + 1].strip()) == {"-"}:
                    break  # the next section's heading
                if entry and not entry[0].isspace():
                    names.update(n.strip() for n in entry.split(","))
    return names


def _released_raises(assignment):
    """{graded name: exception names in the Raises sections of its released stub (and its methods)}."""
    release = nbformat.read(ROOT / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    named = {}
    for cell in release.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            node = ast.parse(cell.source).body[0]
            nodes = [node, *(n for n in getattr(node, "body", []) if isinstance(n, ast.FunctionDef))]
            named[node.name] = set().union(*(_raises_section(ast.get_docstring(n)) for n in nodes))
    return named


RELEASED_RAISES = {a: _released_raises(a) for a in ASSIGNMENTS}


@pytest.mark.parametrize(("assignment", "exercise"), EXERCISES, ids=IDS)
def test_expected_errors_sit_in_errors_cells_and_the_stub_names_them(assignment, exercise):
    """(a) A case that expects an exception is in a test_F_errors cell, and only such cases are;
    every exception is named in the released stub's Raises section, and every one named there is graded."""
    promised = RELEASED_RAISES[assignment][exercise.name]
    graded = set()
    for test in exercise.tests:
        for case in test.cases:
            if case.raises is None:
                assert not is_errors_cell(exercise, test), (
                    f"{test.grade_id} grades {case.label!r}, which raises nothing")
                continue
            assert is_errors_cell(exercise, test), (
                f"{case.label!r} expects {case.raises.__name__} but sits in {test.grade_id}; "
                f"error handling is graded only in test_{exercise.name}_errors")
            assert case.raises.__name__ in promised, (
                f"{case.label!r} expects {case.raises.__name__}, which the stub's Raises section does not name")
            graded.add(case.raises.__name__)
    assert graded == promised, f"the stub promises {sorted(promised)} but the graders test {sorted(graded)}"


def _public_asserts(assignment):
    """{grade id: the public asserts the template writes under that grade cell}."""
    cells = re.split(r"^# %%", (ROOT / "templates" / f"{assignment}.py").read_text(), flags=re.M)
    found = {}
    for cell in cells:
        header, _, body = cell.partition("\n")
        grade_id = re.search(r'grade_id="(\w+)"', header)
        if grade_id:
            found[grade_id.group(1)] = body
    return found


@pytest.mark.parametrize(("assignment", "exercise"), EXERCISES, ids=IDS)
def test_public_asserts_test_errors_only_in_errors_cells(assignment, exercise):
    """(a) The visible asserts of a computation cell never call for an exception (they could cost points)."""
    asserts = _public_asserts(assignment)
    for test in exercise.tests:
        if not is_errors_cell(exercise, test):
            found = re.findall(r"\b(raise[sd]?\w*|except|\w+Error)\b", asserts.get(test.grade_id, ""))
            assert not found, f"the public asserts of {test.grade_id} test for an exception: {found}"


def _names_used(function):
    """(raised exception names, other functions it refers to) in the source of ``function``."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    raised = {node.exc.func.id if isinstance(node.exc, ast.Call) else node.exc.id
              for node in ast.walk(tree) if isinstance(node, ast.Raise) and node.exc is not None}
    namespace = function.__globals__ if inspect.isfunction(function) else vars(inspect.getmodule(function))
    used = set()
    for node in ast.walk(tree):
        target = None
        if isinstance(node, ast.Name):
            target = namespace.get(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            target = getattr(namespace.get(node.value.id), node.attr, None)
        if inspect.isfunction(target) or inspect.isclass(target):
            used.add(target)
    return raised, used


def _validation(function, assignment, seen=None):
    """Exception names ``function`` raises, and the reference code it calls, following its own helpers.

    Reference code (``solutions``) validates its arguments, so a minimal
    implementation may not call it, not even another graded function.
    """
    seen = set() if seen is None else seen
    seen.add(function)
    raised, used = _names_used(function)
    references = set()
    for target in used - seen:
        module = getattr(target, "__module__", "") or ""
        if module.startswith("solutions."):
            references.add(f"{module}.{target.__name__}")
        elif module == f"graders.exercises.{assignment}":
            more_raised, more_references = _validation(target, assignment, seen)
            raised |= more_raised
            references |= more_references
    return raised, references


@pytest.mark.parametrize(("assignment", "exercise"), EXERCISES, ids=IDS)
def test_an_implementation_that_validates_only_what_the_stub_says_gets_every_point(assignment, exercise):
    """(b) The catalogue holds a correct implementation that raises only what the Raises section lists
    and calls no validation helper; it passes every grade cell, the computation cells in particular."""
    minimal = exercise.minimal
    assert minimal is not None, "catalogue a `minimal` implementation: correct, validating only the Raises section"
    assert not (inspect.isfunction(minimal) and minimal.__name__ == "<lambda>"), "write `minimal` as a def or class"
    raised, references = _validation(minimal, assignment)
    assert raised <= RELEASED_RAISES[assignment][exercise.name], f"`minimal` also raises {sorted(raised)}"
    assert not references, f"`minimal` calls reference code, which validates: {sorted(references)}"
    for test in exercise.tests:
        result = evaluate(exercise, test, minimal)
        assert result.status is Status.PASSED, f"{test.grade_id}: {result.message}"
