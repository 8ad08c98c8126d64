"""Build ``source/<id>/<id>.ipynb`` from its template and the reference solutions.

The template ``templates/<id>.py`` (jupytext percent format) holds the prose,
the set-up and demonstration cells and the public tests.  Three kinds of
cells are completed here, marked by cell metadata in the template:

* ``provided="helpers"``: filled with the validation helpers the solutions use;
* ``solution="<function>"``: filled with the reference function from
  ``solutions/<id>.py``, its body wrapped in nbgrader's solution delimiters;
* ``grade_id="test_<function>..."``: a hidden region that calls
  :func:`graders.check`, followed by the public asserts written in the template,
  run inside ``with exercise(<number>, "<function>"):`` of the student runtime
  (``mdsi_selfcheck.notebook``), which turns their outcome into one line.

Points come from the check declarations, so a notebook and its graders cannot
disagree about what is graded.
"""

import ast
import importlib
import inspect
import subprocess
import sys
import textwrap
from pathlib import Path

import jupytext
import nbformat

from graders.exercises import exercises
from graders.source_guard import check_unedited, stamp

ROOT = Path(__file__).resolve().parent.parent
_KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _nbgrader(grade_id, *, solution=False, grade=False, locked=False, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return meta


def _has_docstring(node):
    first = node.body[0]
    return isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)


def _solution_span(node):
    """(line after which the solution starts, its last line, its indent) of a function."""
    body = node.body[1:] if _has_docstring(node) else node.body
    if not body:
        raise ValueError(f"{node.name} has no body to turn into a solution")
    return body[0].lineno - 1, node.end_lineno, " " * body[0].col_offset


def solution_source(obj):
    """Source of a reference function or class with every function body in a solution region.

    Docstrings and signatures stay outside the region, so the release stub keeps
    them; a class keeps its docstring and method signatures, each method body
    becoming its own stub.
    """
    lines = textwrap.dedent(inspect.getsource(obj)).splitlines()
    node = ast.parse("\n".join(lines)).body[0]
    if not _has_docstring(node):
        raise ValueError(f"{node.name} needs a docstring: the stub keeps it")
    functions = [node] if isinstance(node, ast.FunctionDef) else [
        n for n in node.body if isinstance(n, ast.FunctionDef)]
    inserts = {}
    for function in functions:
        begin, end, indent = _solution_span(function)
        inserts.setdefault(begin, []).append(f"{indent}### BEGIN SOLUTION")
        inserts.setdefault(end, []).append(f"{indent}### END SOLUTION")
    out = inserts.get(0, [])
    for number, line in enumerate(lines, start=1):
        out.append(line)
        out += inserts.get(number, [])
    return "\n".join(out)


def _helpers_used(module, functions):
    """Functions from other ``solutions`` modules that ``functions`` call, transitively.

    Each name is resolved where the calling code lives, so a helper may itself
    use helpers of yet another module.
    """
    found, queue = {}, list(functions)
    while queue:
        caller = queue.pop()
        namespace = vars(sys.modules[caller.__module__])
        tree = ast.parse(textwrap.dedent(inspect.getsource(caller)))
        for name in {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}:
            obj = namespace.get(name)
            if (inspect.isfunction(obj) and obj.__module__ != module.__name__
                    and obj.__module__.startswith("solutions.") and name not in found):
                found[name] = obj
                queue.append(obj)
    return sorted(found.values(), key=lambda f: (f.__module__, f.__code__.co_firstlineno))


def _hidden_region(assignment, grade_id, function):
    return (f"### BEGIN HIDDEN TESTS\nfrom graders import check\n"
            f"check({assignment!r}, {grade_id!r}, {function})\n### END HIDDEN TESTS")


# Run All goes on past a cell with this tag (JupyterLab sends it with stop_on_error false;
# nbclient does not raise for it).  A failing cell still ends in its error, which nbgrader scores.
_GO_ON = "raises-exception"
_RUNTIME = "from mdsi_selfcheck.notebook import exercise, hint, progress, start_assignment"


def _public_tests(number, exercise, grade_id, public):
    """The public asserts of a test cell, inside ``with exercise(...)`` (see mdsi_selfcheck.notebook)."""
    if not public:
        raise ValueError(f"template test cell {grade_id} has no public test: give it at least one assert")
    part = grade_id.removeprefix(f"test_{exercise.name}").lstrip("_")
    arguments = f"{number}, {exercise.name!r}" + (f", {part!r}" if part else "")
    return f"with exercise({arguments}):\n" + textwrap.indent(public, "    ")


def _hint_cell(name):
    return nbformat.v4.new_markdown_cell(
        f"*Stuck on `{name}`?* Run `hint({name!r})` in a new cell: each call shows one more hint, "
        "from a nudge to the method.")


def _progress_cells(numbered):
    table = "".join(f"    {ex.name!r}: ({sum(t.points for t in ex.tests)}, {len(ex.tests)}),\n"
                    for ex in numbered)
    return [nbformat.v4.new_markdown_cell(
                "## Your progress\n\nThis cell lists every exercise of the notebook as passed, failed, not "
                "attempted or not run yet, going by the public test cells you ran in this session, with the "
                "points each is worth. Run All brings it up to date; the hidden tests decide the grade."),
            nbformat.v4.new_code_cell(
                "# exercise: (points it is worth, number of its public test cells)\n"
                f"progress({{\n{table}}})")]


def build_notebook(assignment, root=ROOT):
    """Return the source notebook of ``assignment`` built from its template.

    Exercises are numbered in the order their solution cells appear.  Besides
    the template's cells, the build adds the runtime's set-up to the first code
    cell, a hint line after each exercise's last test cell and a progress cell
    at the end, and tags every code cell after the first with ``raises-exception``.
    """
    module = importlib.import_module(f"solutions.{assignment}")
    declared = {ex.name: ex for ex in exercises(assignment)}
    tests = {t.grade_id: (ex, t) for ex in declared.values() for t in ex.tests}
    template = (root / "templates" / f"{assignment}.py").read_text()
    notebook = jupytext.reads(template, fmt="py:percent")
    numbers = {name: n for n, name in enumerate(
        (c.metadata["solution"] for c in notebook.cells if "solution" in c.metadata), start=1)}
    last_test = {tests[c.metadata["grade_id"]][0].name: c for c in notebook.cells
                 if "grade_id" in c.metadata and c.metadata["grade_id"] in tests}
    first_code = next(c for c in notebook.cells if c.cell_type == "code")
    seen_solutions, seen_tests, cells = [], [], []
    for cell in notebook.cells:
        meta = cell.metadata
        cells.append(cell)
        if cell is first_code:
            cell.source = f"{cell.source.rstrip()}\n{_RUNTIME}\n\nstart_assignment({assignment!r})"
            continue
        if "solution" in meta:
            name = meta.pop("solution")
            cell.source = solution_source(getattr(module, name))
            meta["nbgrader"] = _nbgrader(name, solution=True)
            seen_solutions.append(name)
        elif "grade_id" in meta:
            grade_id = meta.pop("grade_id")
            exercise, test = tests[grade_id]
            # The hidden check runs first, so that a failing submission gets its
            # diagnosis ("likely mistake: ...") even when a public assert would fail too.
            public = _public_tests(numbers.get(exercise.name), exercise, grade_id, cell.source.strip())
            cell.source = _hidden_region(assignment, grade_id, exercise.name) + "\n" + public
            meta["nbgrader"] = _nbgrader(grade_id, grade=True, locked=True, points=test.points)
            seen_tests.append(grade_id)
            if last_test[exercise.name] is cell:
                cells.append(_hint_cell(exercise.name))
        elif meta.pop("provided", None) == "helpers":
            used = _helpers_used(module, [getattr(module, name) for name in declared])
            cell.source = "\n\n\n".join(inspect.getsource(f).rstrip() for f in used)
            meta["nbgrader"] = _nbgrader("provided_helpers", locked=True)
            continue
        if cell.cell_type == "code":
            meta["tags"] = [*meta.get("tags", []), _GO_ON]
    _require_same("solution cells", seen_solutions, list(declared))
    _require_same("test cells", seen_tests, list(tests))
    cells += _progress_cells(sorted(declared.values(), key=lambda ex: numbers[ex.name]))
    for index, cell in enumerate(cells):
        cell.id = f"cell-{index:02d}"
    notebook.cells = cells
    notebook.metadata = {"kernelspec": _KERNELSPEC,
                         "language_info": {"name": "python"}}
    stamp(notebook, assignment)
    nbformat.validate(notebook)
    return notebook


def _require_same(what, found, declared):
    if sorted(found) != sorted(declared) or len(set(found)) != len(found):
        raise ValueError(f"template {what} {found} do not match the declarations {declared}")


def _as_git_has_it(path):
    """True if ``path`` is as git's index holds it (committed, or staged as by a merge): not a stray hand edit."""
    done = subprocess.run(["git", "diff", "--quiet", "--", path.name], cwd=path.parent,
                          capture_output=True, check=False)
    return done.returncode == 0


def _hand_edited(path, root):
    """Raise HandEdited if ``path`` holds hand edits git does not know about; an unreadable file holds none."""
    if not path.exists() or _as_git_has_it(path):
        return
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception:  # e.g. merge conflict markers: nothing there to keep
        return
    check_unedited(notebook, path.relative_to(root))


def write_source(assignment, root=ROOT, overwrite=False):
    """Write ``source/<id>/<id>.ipynb``; return its path.

    Refuses (:class:`~graders.source_guard.HandEdited`) to overwrite a source
    notebook edited by hand since it was built, unless git holds the edit
    (committed or staged) or ``overwrite``.
    """
    path = root / "source" / assignment / f"{assignment}.ipynb"
    if not overwrite:
        _hand_edited(path, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(build_notebook(assignment, root), path)
    return path
