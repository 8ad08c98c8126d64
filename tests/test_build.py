"""Are source/ and release/ exactly what the build makes, and is release/ free of answers?"""

import ast
import inspect
import json
import re
import textwrap

import nbformat
import pytest

from graders.exercises import ASSIGNMENTS, exercises
from graders.notebook_build import ROOT, build_notebook


def _notebook(folder, assignment):
    return nbformat.read(ROOT / folder / assignment / f"{assignment}.ipynb", as_version=4)


def _code(notebook):
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "code")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_is_built_from_template_and_solutions(assignment):
    built = build_notebook(assignment)
    committed = _notebook("source", assignment)
    assert nbformat.writes(built) == nbformat.writes(committed), "run `make build` and commit the result"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_is_what_nbgrader_generates_today(course, assignment):
    fresh = json.loads((course / "release" / assignment / f"{assignment}.ipynb").read_text())
    committed = json.loads((ROOT / "release" / assignment / f"{assignment}.ipynb").read_text())
    assert fresh == committed, "run `make build` and commit the result"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_holds_no_solutions_or_hidden_tests(assignment):
    release = _notebook("release", assignment)
    text = nbformat.writes(release)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text
    code = _code(release)
    assert not re.search(r"\b(graders|solutions)\b", code), "release code must not mention graders/solutions"
    source_code = _code(_notebook("source", assignment))
    regions = re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", source_code, flags=re.S)
    outside = re.sub(r"### BEGIN SOLUTION\n.*?### END SOLUTION", "", source_code, flags=re.S)
    solution_lines = {line.strip() for region in regions for line in region.splitlines()}
    solution_lines -= {line.strip() for line in outside.splitlines()}
    leaked = [line for line in code.splitlines() if len(line.strip()) > 12 and line.strip() in solution_lines]
    assert not leaked, f"solution code in the release: {leaked[:3]}"


def _interface(node):
    """Docstring and (name, arguments) of a function, or of a class and each of its methods."""
    functions = [node] if isinstance(node, ast.FunctionDef) else [
        n for n in node.body if isinstance(n, ast.FunctionDef)]
    return ast.get_docstring(node), [(f.name, ast.dump(f.args), ast.get_docstring(f)) for f in functions]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_stubs_keep_signature_and_docstring(assignment):
    """Each stub has the reference's signature and docstrings, and raises NotImplementedError."""
    stubs = {}
    for cell in _notebook("release", assignment).cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            node = ast.parse(cell.source).body[0]
            stubs[node.name] = (node, cell.source)
    for exercise in exercises(assignment):
        node, source = stubs[exercise.name]
        reference = ast.parse(textwrap.dedent(inspect.getsource(exercise.reference))).body[0]
        assert _interface(node) == _interface(reference)
        assert "raise NotImplementedError()" in source


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_exercises_are_numbered_alike_in_the_notebook_and_its_feedback(assignment):
    """The notebook numbers exercises by their solution cells, feedback by the declarations: same order."""
    release = _notebook("release", assignment)
    in_notebook = [c.metadata["nbgrader"]["grade_id"] for c in release.cells
                   if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"]
    assert in_notebook == [exercise.name for exercise in exercises(assignment)], (
        "order graders/exercises' EXERCISES as the exercises appear in the notebook")
