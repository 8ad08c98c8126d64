"""Simulated submissions: release notebooks with their stubs replaced.

Each simulated learner fills a solution cell with one of: the reference
(``reference``), a catalogued correct variant (``alternative``), the catalogued
correct implementation that validates only what the stub's Raises section
lists (``minimal``), a catalogued wrong implementation (``mistake:<name>`` or
``mistake`` for the first one), broken code (``syntax-error``) or nothing
(``stub``).  Catalogued implementations are written out as plain Python
(:mod:`graders.code_writer`), so a demo notebook shows what each mistake looks
like.  The demo class and the end-to-end tests are built from these.
"""

import ast
import importlib
import inspect

from graders.code_writer import CodeWriter
from graders.exercises import exercises

_STUB_MARK = "raise NotImplementedError()"


def _bound_names(cells):
    """Names the code cells bind at top level (functions, classes, variables, imports)."""
    names = set()
    for cell in cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:  # IPython magics: such a cell binds nothing we could clash with
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Import | ast.ImportFrom):
                names.update((a.asname or a.name).split(".")[0] for a in node.names)
            else:
                names.update(n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store))
    return names


def notebook_writer(notebook, assignment):
    """A :class:`CodeWriter` for one notebook: it keeps clear of the notebook's names and reuses its helpers."""
    module = vars(importlib.import_module(f"solutions.{assignment}"))
    helpers = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "provided_helpers"]
    provided = {name: module[name] for name in _bound_names(helpers) if inspect.isfunction(module.get(name))}
    return CodeWriter(reserved=_bound_names(notebook.cells), provided=provided)


def implementation_source(assignment, exercise, choice, writer=None):
    """Solution-cell code for one simulated choice (see the module docstring)."""
    if choice == "reference":
        return inspect.getsource(exercise.reference)
    if choice == "syntax-error":
        return f"def {exercise.name}(*args, **kwargs)\n    return None\n"
    writer = writer or CodeWriter(reserved={ex.name for ex in exercises(assignment)})
    where = f"graders/exercises/{assignment}.py"
    if choice == "alternative":
        header = f"# Simulated learner: correct variant 1 of {exercise.name} from {where}, written out.\n"
        return header + writer.write(exercise.alternatives[0], exercise.name)
    if choice == "minimal":
        header = (f"# Simulated learner: the minimal correct {exercise.name} from {where}\n"
                  f"# (validates only what the stub's Raises section lists), written out.\n")
        return header + writer.write(exercise.minimal, exercise.name)
    if choice.startswith("mistake"):
        _, _, which = choice.partition(":")
        mistake = next((m for m in exercise.mistakes if m.name == (which or exercise.mistakes[0].name)), None)
        if mistake is None:
            raise ValueError(f"{exercise.name} has no catalogued mistake {which!r}")
        header = (f"# Simulated learner: the catalogued mistake {mistake.name!r} of {exercise.name}\n"
                  f"# from {where}, written out with what it uses.\n")
        return header + writer.write(mistake.impl, exercise.name)
    raise ValueError(f"unknown choice {choice!r}")


def fill(release_notebook, assignment, choices):
    """A copy of the release notebook with solution cells filled as ``choices`` says.

    ``choices`` maps function names to a choice; functions not in it stay stubs.
    """
    # Imported here: nbformat's schema validator takes a second to import.
    import nbformat

    notebook = nbformat.from_dict(release_notebook)
    by_name = {ex.name: ex for ex in exercises(assignment)}
    writer = notebook_writer(notebook, assignment)
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        name = meta.get("grade_id")
        if meta.get("solution") and name in choices and choices[name] != "stub":
            if _STUB_MARK not in cell.source:
                raise ValueError(f"solution cell {name!r} has no stub to replace")
            cell.source = implementation_source(assignment, by_name[name], choices[name], writer)
    return notebook
