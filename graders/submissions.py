"""Simulated submissions: release notebooks with their stubs replaced.

Each simulated learner fills a solution cell with one of: the reference
(``reference``), a catalogued correct variant (``alternative``), the catalogued
correct implementation that validates only what the stub's Raises section
lists (``minimal``), a catalogued wrong implementation (``mistake:<name>`` or
``mistake`` for the first one), broken code (``syntax-error``) or nothing
(``stub``).  The demo class and the
end-to-end tests are built from these.
"""

import base64
import inspect
import sys

import cloudpickle

from graders.exercises import exercises

_STUB_MARK = "raise NotImplementedError()"


def _by_value(function):
    """``function`` pickled with its code and globals, so that a kernel without the graders can load it."""
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in ("graders", "solutions"):
            cloudpickle.register_pickle_by_value(module)
    return base64.b64encode(cloudpickle.dumps(function)).decode()


def _catalogue_loader(assignment, name, attribute, index):
    """Code that binds ``name`` to a catalogued implementation, for a simulated learner.

    The implementation travels inside the notebook: a learner's kernel cannot
    import the graders (the sandbox hides them).
    """
    blob = _by_value(catalogued(assignment, name, attribute, index))
    return (f"# simulated learner: {attribute} {index!r} of the catalogue, serialized with its code\n"
            f"import base64, pickle\n"
            f"{name} = pickle.loads(base64.b64decode({blob!r}))\n")


def catalogued(assignment, name, attribute, index):
    """The implementation a simulated submission uses (a mistake by name, an alternative, or minimal)."""
    exercise = next(ex for ex in exercises(assignment) if ex.name == name)
    if attribute == "mistakes":
        return next(m.impl for m in exercise.mistakes if m.name == index)
    if attribute == "minimal":
        return exercise.minimal
    return exercise.alternatives[index]


def implementation_source(assignment, exercise, choice):
    """Solution-cell code for one simulated choice (see the module docstring)."""
    if choice == "reference":
        return inspect.getsource(exercise.reference)
    if choice == "alternative":
        return _catalogue_loader(assignment, exercise.name, "alternatives", 0)
    if choice == "minimal":
        return _catalogue_loader(assignment, exercise.name, "minimal", None)
    if choice.startswith("mistake"):
        _, _, which = choice.partition(":")
        return _catalogue_loader(assignment, exercise.name, "mistakes", which or exercise.mistakes[0].name)
    if choice == "syntax-error":
        return f"def {exercise.name}(*args, **kwargs)\n    return None\n"
    raise ValueError(f"unknown choice {choice!r}")


def fill(release_notebook, assignment, choices):
    """A copy of the release notebook with solution cells filled as ``choices`` says.

    ``choices`` maps function names to a choice; functions not in it stay stubs.
    """
    # Imported here: simulated learners' kernels import this module for
    # `catalogued`, and nbformat's schema validator takes a second to import.
    import nbformat

    notebook = nbformat.from_dict(release_notebook)
    by_name = {ex.name: ex for ex in exercises(assignment)}
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        name = meta.get("grade_id")
        if meta.get("solution") and name in choices and choices[name] != "stub":
            if _STUB_MARK not in cell.source:
                raise ValueError(f"solution cell {name!r} has no stub to replace")
            cell.source = implementation_source(assignment, by_name[name], choices[name])
    return notebook
