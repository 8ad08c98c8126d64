"""Are the demo's simulated learners readable code that behaves exactly like the catalogue?

Every catalogued mistake and correct variant is written out as notebook code
(``graders/code_writer.py``), run in a fresh namespace that holds only the
notebook's set-up and provided helpers, and compared with the original on
the first cases of every graded test.
"""

import random

import nbformat
import numpy as np
import pytest

from graders.code_writer import CodeWriter
from graders.engine import _attempt, _same_behaviour
from graders.exercises import ASSIGNMENTS, exercises
from graders.notebook_build import ROOT
from graders.submissions import fill, notebook_writer


def _run(case, function):
    """One case, from the same global random state each time (some mistakes use np.random)."""
    np.random.seed(20261127)
    random.seed(20261127)
    return _attempt(case, function)


def _release(assignment):
    return nbformat.read(ROOT / "release" / assignment / f"{assignment}.ipynb", as_version=4)


def _set_up(notebook):
    """The notebook's code up to its provided helpers: the imports and helpers a learner's cell can use."""
    code = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            code.append(cell.source)
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "provided_helpers":
            return "\n".join(code)
    return ""


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_catalogued_implementation_is_written_as_equivalent_code(assignment):
    release = _release(assignment)
    for exercise in exercises(assignment):
        implementations = [(f"mistake {m.name!r}", m.impl) for m in exercise.mistakes]
        implementations += [(f"variant {i}", f) for i, f in enumerate(exercise.alternatives)]
        implementations += [("minimal", exercise.minimal)] if exercise.minimal is not None else []
        for label, implementation in implementations:
            code = notebook_writer(release, assignment).write(implementation, exercise.name)
            assert "pickle" not in code and "base64" not in code
            namespace = {}
            exec(compile(_set_up(release), "set-up", "exec"), namespace)
            exec(compile(code, f"{exercise.name} ({label})", "exec"), namespace)
            for test in exercise.tests:
                cases = test.cases[:2]  # the same code: two cases per graded test show it (all would take 40 s)
                ours = [_run(case, namespace[exercise.name]) for case in cases]
                theirs = [_run(case, implementation) for case in cases]
                assert _same_behaviour(cases, ours, theirs), f"{exercise.name} {label} on {test.grade_id}:\n{code}"


def test_helpers_the_notebook_provides_are_used_not_copied():
    release = _release("ch03_loss_functions")
    notebook = fill(release, "ch03_loss_functions", {"log_loss": "alternative", "kl_divergence": "mistake"})
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in notebook.cells}
    assert "def as_float_array" not in cells["log_loss"], "provided helpers are already in the notebook"
    assert cells["kl_divergence"].startswith("# Simulated learner: the catalogued mistake")


def test_a_dependency_named_like_a_notebook_name_is_renamed_everywhere():
    exercise = next(e for e in exercises("ch03_loss_functions") if e.name == "kl_divergence")
    mistake = next(m for m in exercise.mistakes if m.name == "arguments swapped")
    code = CodeWriter(reserved={"_xlogy", "_kl_guarded"}).write(mistake.impl, "kl_divergence")
    assert "def _xlogy_2(" in code and "_xlogy(" not in code.replace("_xlogy_2(", "")
    namespace = {}
    exec(code, namespace)
    assert namespace["kl_divergence"]([0.5, 0.5], [0.9, 0.1]) == pytest.approx(mistake.impl([0.5, 0.5], [0.9, 0.1]))
