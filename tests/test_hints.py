"""Does every exercise have hints that teach, ship to students, and give away nothing graded?"""

import ast
import doctest
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import mdsi_selfcheck.hints
import nbformat
import numpy as np
import pytest
from mdsi_selfcheck.hints import hints_for

from graders.engine import quiet
from graders.exercises import ASSIGNMENTS, exercises
from graders.notebook_build import ROOT

HINTS = ROOT / "graders" / "selfcheck" / "mdsi_selfcheck" / "hints"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


def _release_text(assignment):
    """Everything the student's notebook shows: instructions, stubs, public tests."""
    notebook = nbformat.read(ROOT / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    return "\n".join(cell.source for cell in notebook.cells)


def _all_hints():
    return [(a, ex.name, hint) for a in ASSIGNMENTS for ex in exercises(a) for hint in hints_for(a, ex.name)]


def _squeeze(text):
    """Text without whitespace, so code compares the same however it is spaced."""
    return re.sub(r"\s+", "", text)


def _numbers(text):
    """Every number written in ``text``, rounded to 4 significant digits."""
    return [float(f"{float(m):.4g}") for m in NUMBER.findall(text)]


def _contains_run(haystack, needle):
    """True if the numbers ``needle`` appear consecutively in ``haystack``."""
    return any(haystack[i:i + len(needle)] == needle for i in range(len(haystack) - len(needle) + 1))


def test_every_exercise_has_two_or_three_hints_and_nothing_else():
    assert sorted(p.stem for p in HINTS.glob("*.toml")) == list(ASSIGNMENTS)
    for assignment in ASSIGNMENTS:
        tables = tomllib.loads((HINTS / f"{assignment}.toml").read_text())
        assert sorted(tables) == sorted(ex.name for ex in exercises(assignment)), f"{assignment}: names differ"
        for name, table in tables.items():
            assert list(table) == ["hints"], f"{assignment}.{name} has keys {list(table)}"
            hints = table["hints"]
            assert 2 <= len(hints) <= 3 and all(isinstance(h, str) and h.strip() for h in hints), (assignment, name)
    assert len({(a, n) for a, n, _ in _all_hints()}) == 62


def test_hints_are_distinct_and_of_a_readable_length():
    """Each hint says something new; none is a one-word nudge or a page of text."""
    for assignment in ASSIGNMENTS:
        for ex in exercises(assignment):
            hints = hints_for(assignment, ex.name)
            assert len({_squeeze(h).lower() for h in hints}) == len(hints), (assignment, ex.name)
            sentences = [s for h in hints for s in re.split(r"(?<=\.)\s+", h) if len(s) > 20]
            assert len(set(sentences)) == len(sentences), f"{ex.name} repeats a sentence across its hints"
            for hint in hints:
                assert 60 <= len(hint) <= 800, (ex.name, len(hint), hint)


def test_hints_go_from_the_idea_to_the_mechanics():
    """The first hint names the idea, not a library call; a later one names what to reach for."""
    library = re.compile(r"\b(?:np|scipy|rng|itertools)\.\w+")
    # a call, an attribute (scaler.transform), a comparison, or an argument or type named
    mechanics = re.compile(r"\w+\(|\b[a-z_]\w*\.[a-z_]\w*|[<>]=?"
                           r"|\b(?:ddof|axis|eps|side|keepdims|float|int|tuple|dict)\b")
    for assignment in ASSIGNMENTS:
        for ex in exercises(assignment):
            first, *later = hints_for(assignment, ex.name)
            assert not library.search(first), f"{ex.name}: the first hint already names {library.search(first)[0]}"
            assert any(mechanics.search(hint) for hint in later), f"{ex.name}: no later hint names a step"


# Naming a function or an attribute to reach for is a hint; an expression that uses it is an answer.
NAMES = ast.Name | ast.Attribute | ast.Constant | ast.JoinedStr


def _solution_code(assignment):
    """Whitespace-free code of the reference: each body line and each non-trivial expression."""
    tree = ast.parse((ROOT / "solutions" / f"{assignment}.py").read_text())
    pieces = set()
    for func in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        body = func.body[1:] if ast.get_docstring(func) else func.body
        for stmt in body:
            for line in ast.unparse(stmt).splitlines():
                pieces.add(_squeeze(line))
            for node in ast.walk(stmt):
                if isinstance(node, ast.expr) and not isinstance(node, NAMES):
                    pieces.add(_squeeze(ast.unparse(node)))
    return {p for p in pieces if len(p) > 15}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_hint_holds_a_line_or_expression_of_the_reference_solution(assignment):
    """Code the notebook itself shows (``rng.permutation(n)``, say) may be quoted; the rest of the reference may not."""
    shown = _squeeze(_release_text(assignment)).replace('"', "'")
    code = {piece for piece in _solution_code(assignment) if piece.replace('"', "'") not in shown}
    assert len(code) > 20, "the reference solution could not be read"
    for ex in exercises(assignment):
        for hint in hints_for(assignment, ex.name):
            text = _squeeze(hint).replace('"', "'")
            leaked = [piece for piece in code if piece.replace('"', "'") in text]
            assert not leaked, f"{assignment}.{ex.name}: a hint contains reference code {leaked}"


def _hidden_values(exercise):
    """The literal inputs and the reference's outputs of the graded cases that have plain data."""
    for test in exercise.tests:
        for case in test.cases:
            if case.run is not None:
                continue
            yield from (*case.args, *case.kwargs.values())
            if case.raises is None:
                with quiet():
                    yield case.call(exercise.reference)


def _number_runs(value):
    """The number sequences (two or more values) and lone non-round numbers that ``value`` holds."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _number_runs(item)
        return
    if isinstance(value, tuple | list) and any(isinstance(v, tuple | list | dict | np.ndarray) for v in value):
        for item in value:
            yield from _number_runs(item)
        return
    try:
        flat = np.asarray(value, dtype=float).ravel()
    except (TypeError, ValueError):
        return
    flat = flat[np.isfinite(flat)]
    if flat.size >= 2:
        yield [float(f"{v:.4g}") for v in flat[:6]]
    elif flat.size == 1 and abs(flat[0] - round(flat[0], 1)) > 1e-9:
        yield [float(f"{flat[0]:.4g}")]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_hint_reveals_a_hidden_case(assignment):
    """No hint writes out the inputs or expected outputs of a graded case, unless the notebook already shows them."""
    public = _numbers(_release_text(assignment))
    for ex in exercises(assignment):
        runs = [run for value in _hidden_values(ex) for run in _number_runs(value)]
        for hint in hints_for(assignment, ex.name):
            written = _numbers(hint)
            leaked = [run for run in runs if _contains_run(written, run) and not _contains_run(public, run)]
            assert not leaked, f"{assignment}.{ex.name}: a hint writes hidden case data {leaked[:3]}"


def test_unknown_names_are_clear_errors():
    with pytest.raises(ValueError, match=r"no hints for assignment 'ch01'; known: ch02_bias_variance, "):
        hints_for("ch01", "log_loss")
    with pytest.raises(ValueError, match=r"ch03_loss_functions has no exercise 'logloss'; known: squared_error, "):
        hints_for("ch03_loss_functions", "logloss")


def test_loader_doctest_runs():
    result = doctest.testmod(mdsi_selfcheck.hints, optionflags=doctest.ELLIPSIS)
    assert result.attempted and not result.failed


@pytest.fixture(scope="module")
def student_wheel(tmp_path_factory):
    """The wheel of ``make student-wheel``, built from a clean copy of the package.

    A clean copy, because setuptools also packs whatever an earlier build's
    ``build/`` or ``*.egg-info`` lists, which would hide missing package data.
    """
    tmp = tmp_path_factory.mktemp("wheel")
    source = shutil.copytree(ROOT / "graders" / "selfcheck", tmp / "selfcheck",
                             ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp), str(source)],
                   check=True)
    return next(tmp.glob("mdsi_selfcheck-*.whl"))


def test_hints_ship_in_the_student_wheel_without_graders_or_solutions(student_wheel):
    with zipfile.ZipFile(student_wheel) as wheel:
        names = set(wheel.namelist())
        shipped = {Path(n).name: wheel.read(n) for n in names if n.startswith("mdsi_selfcheck/hints/")}
    assert {f"{a}.toml" for a in ASSIGNMENTS} | {"__init__.py"} <= set(shipped)
    assert all(shipped[p.name] == p.read_bytes() for p in HINTS.glob("*.toml"))
    assert all(n.startswith(("mdsi_selfcheck/", "mdsi_selfcheck-")) for n in names), sorted(names)
    assert not any(re.search(r"\b(graders|solutions)/", n) for n in names)
