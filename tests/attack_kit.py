"""Building blocks of hostile and honest ch03 submissions, shared by the adversarial and jail test modules.

The honest baseline: the reference scores FULL, and a submission whose
``kl_divergence`` is wrong scores FULL - KL.
"""

import nbformat

from graders.exercises import exercises
from graders.submissions import fill

A = "ch03_loss_functions"
TARGET = "kl_divergence"  # no other ch03 function calls it
_EXERCISES = {ex.name: ex for ex in exercises(A)}
FULL = sum(t.points for ex in _EXERCISES.values() for t in ex.tests)
KL = sum(t.points for t in _EXERCISES[TARGET].tests)
WRONG_KL = f"def {TARGET}(p, q):\n    return 0.0\n"
LIMITS = """
c.Execute.timeout = 5
c.Sandbox.cpu_seconds = 4
c.Sandbox.notebook_seconds = 90
c.Sandbox.output_bytes = 200_000
"""


# -- building submissions -------------------------------------------------------
def _release(course):
    return nbformat.read(course / "release" / A / f"{A}.ipynb", as_version=4)


def reference(course):
    return fill(_release(course), A, {name: "reference" for name in _EXERCISES})


def stubs(course):
    return _release(course)


def _meta(cell):
    return cell.metadata.get("nbgrader", {})


def _index(notebook, grade_id):
    return next(i for i, cell in enumerate(notebook.cells) if _meta(cell).get("grade_id") == grade_id)


def add_cell(notebook, code, after=TARGET):
    """Insert an ordinary code cell after the answer cell ``after`` (None: at the top, "end": last)."""
    if after in (None, "end"):
        position = 0 if after is None else len(notebook.cells)
    else:
        position = _index(notebook, after) + 1
    notebook.cells.insert(position, nbformat.v4.new_code_cell(code))
    return notebook


def set_answer(notebook, code, name=TARGET):
    notebook.cells[_index(notebook, name)].source = code
    return notebook


def _tests(notebook):
    return [cell for cell in notebook.cells if _meta(cell).get("grade")]


def _observe(code):
    """A cell that runs ``code`` and prints OPEN or BLOCKED (with the error)."""
    return (f"import os\ntry:\n    {code}\n    print('OPEN')\n"
            f"except BaseException as exc:\n    print('BLOCKED', type(exc).__name__)\n")


def _kl_body(body):
    return f"import numpy as np\n\ndef {TARGET}(p, q):\n" + "".join(f"    {line}\n" for line in body.splitlines())


