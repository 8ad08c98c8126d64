"""Does a release notebook run to its end, and do its test cells, progress and hints read at a glance?

The runtime (``mdsi_selfcheck.notebook``) is tested in-process first, then the
committed release notebooks are executed by nbclient *without* ``allow_errors``,
as ``jupyter nbconvert --execute`` runs them: only the ``raises-exception`` tag
the build puts on the cells can let them reach the last cell.

PYTEST_DONT_REWRITE: the asserts here must fail as plain Python asserts do in a notebook.
"""

import ast
import re
import sys
import types
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest
from mdsi_selfcheck import notebook as runtime
from mdsi_selfcheck.notebook import ExerciseNotAttempted, PublicTestFailed, exercise, hint, progress
from nbclient import NotebookClient

from graders.exercises import ASSIGNMENTS, exercises
from graders.notebook_build import ROOT
from graders.submissions import fill


@pytest.fixture(autouse=True)
def fresh_session():
    runtime._state.update(assignment=None, results={}, hints_seen={})
    runtime.start_assignment("ch04_gradient_descent")


def _stub(*args):
    raise NotImplementedError()


def _plus(a, b):
    return a + b


# -- the runtime, in-process -------------------------------------------------------------------
def test_a_passing_cell_prints_one_line(capsys):
    with exercise(3, "numerical_gradient"):
        assert 1 + 1 == 2, "never"
    with exercise(3, "numerical_gradient", "matrix"):
        pass
    assert capsys.readouterr().out == ("Exercise 3 - numerical_gradient: public tests pass\n"
                                       "Exercise 3 - numerical_gradient (matrix): public tests pass\n")


def test_a_failed_assert_is_its_message_without_a_traceback():
    with pytest.raises(PublicTestFailed) as raised, exercise(2, "adam"):
        assert [1, 2] == [1, 3], "adam(grad, 0, 0.1, 2) returned [1, 2]; expected [1, 3] - update both moments"
    error = raised.value
    assert isinstance(error, AssertionError)
    assert str(error) == "adam(grad, 0, 0.1, 2) returned [1, 2]; expected [1, 3] - update both moments"
    shown = "\n".join(error._render_traceback_())
    assert "Exercise 2 - adam: a public test failed" in shown and "returned [1, 2]" in shown
    assert "Traceback" not in shown and "assert [1, 2]" not in shown
    assert not shown.startswith("\n")


def test_an_assert_without_a_message_names_its_check():
    with pytest.raises(PublicTestFailed, match=r"this check is false: `assert _plus\(1, 1\) == 3`"), \
            exercise(2, "adam"):
        assert _plus(1, 1) == 3


def test_an_untouched_stub_is_not_attempted():
    with pytest.raises(ExerciseNotAttempted) as raised, exercise(4, "_stub"):
        _stub([1.0])
    assert isinstance(raised.value, NotImplementedError)
    assert str(raised.value).startswith("Exercise 4 not attempted yet: _stub still raises NotImplementedError")
    assert raised.value._render_traceback_() == [str(raised.value)]  # one line


def test_a_stub_reached_through_another_exercise_is_named():
    def later(x):
        return _stub(x) + 1

    needs = r"Exercise 7 \(later\) cannot be checked yet: this test needs _stub"
    with pytest.raises(ExerciseNotAttempted, match=needs), exercise(7, "later"):
        later(1)


def test_an_error_in_the_learners_code_names_it_and_its_line():
    with pytest.raises(PublicTestFailed) as raised, exercise(1, "_plus"):
        _plus([1.0], 2.0)
    message = str(raised.value)
    assert message.startswith("_plus raised TypeError: can only concatenate list")
    assert "in _plus, line" in message and "`return a + b`" in message


def test_a_result_the_test_cannot_use_is_explained():
    with pytest.raises(PublicTestFailed, match=r"could not use what _plus gave back: AttributeError"), \
            exercise(1, "_plus"):
        _plus(1, 2).shape  # noqa: B018 - the public test reads an attribute of the result


def test_interrupts_pass_through_untouched():
    with pytest.raises(KeyboardInterrupt), exercise(1, "_plus"):
        raise KeyboardInterrupt


def test_progress_lists_every_exercise_with_its_points(capsys):
    with exercise(1, "gradient_descent"):
        pass
    with pytest.raises(PublicTestFailed), exercise(2, "numerical_gradient"):
        raise AssertionError("wrong")
    with exercise(2, "numerical_gradient", "matrix"):
        pass
    with pytest.raises(ExerciseNotAttempted), exercise(3, "adam"):
        _stub()
    with exercise(4, "momentum_gradient_descent"):
        pass
    capsys.readouterr()
    progress({"gradient_descent": (3, 1), "numerical_gradient": (3, 2), "adam": (3, 2),
              "momentum_gradient_descent": (2, 2), "batch_gradient_descent": (1, 1)})
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:6] == ["   1. gradient_descent            3 points  passed",
                          "   2. numerical_gradient          3 points  failed",
                          "   3. adam                        3 points  not attempted",
                          "   4. momentum_gradient_descent   2 points  1 of 2 test cells pass; run the others",
                          "   5. batch_gradient_descent      1 point   not run yet"]
    assert lines[6] == ("1 of 5 exercises pass their public tests (worth 3 of 12 points); "
                        "1 failed, 1 not attempted, 2 not run yet.")


def test_hints_come_one_at_a_time_then_say_there_are_no_more(monkeypatch, capsys):
    asked = []

    def hints_for(assignment, name):
        asked.append((assignment, name))
        if name != "adam":
            raise KeyError(f"no exercise {name!r} in {assignment}")
        return ["Keep two running averages.", "Correct their bias by 1 - beta ** t."]

    monkeypatch.setitem(sys.modules, "mdsi_selfcheck.hints", types.SimpleNamespace(hints_for=hints_for))
    shown = []
    monkeypatch.setattr(runtime, "_show", lambda markdown, text: shown.append(text))
    for _ in range(3):
        hint("adam")
    hint("adma")
    assert shown == ["Hint 1 of 2 for adam: Keep two running averages.",
                     "Hint 2 of 2 for adam: Correct their bias by 1 - beta ** t."]
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("No more hints for adam: you have seen all 2.")
    assert printed[1] == "No hints for 'adma': no exercise 'adma' in ch04_gradient_descent"
    assert asked[0] == ("ch04_gradient_descent", "adam")


# -- the built notebooks --------------------------------------------------------------------------
def _release(assignment):
    return nbformat.read(ROOT / "release" / assignment / f"{assignment}.ipynb", as_version=4)


def _grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def _tests(notebook):
    return [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade")]


def _run(notebook, assignment):
    """Execute as ``jupyter nbconvert --execute`` does: an error stops the run unless its cell is tagged."""
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "release" / assignment)}}).execute()
    return notebook


def _text(cell, kind="stream"):
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == kind)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_build_numbers_exercises_as_the_notebook_does_and_states_their_points(assignment):
    release = _release(assignment)
    order = [_grade_id(c) for c in release.cells if c.metadata.get("nbgrader", {}).get("solution")]
    prose = "\n".join(c.source for c in release.cells if c.cell_type == "markdown")
    for number, name in re.findall(r"\*\*Exercise (\d+)\.\*\* Implement `(\w+)", prose):
        assert order[int(number) - 1] == name, f"the text calls {name} Exercise {number}"
    declared = {ex.name: (sum(t.points for t in ex.tests), len(ex.tests)) for ex in exercises(assignment)}
    call = ast.parse(release.cells[-1].source).body[-1].value
    assert call.func.id == "progress" and ast.literal_eval(call.args[0]) == {n: declared[n] for n in order}
    for cell in _tests(release):
        assert "raises-exception" in cell.metadata.get("tags", [])
        name = next(n for n in sorted(order, key=len, reverse=True) if _grade_id(cell).startswith(f"test_{n}"))
        assert cell.source.startswith(f"with exercise({order.index(name) + 1}, {name!r}")
    hints = [c.source for c in release.cells if c.cell_type == "markdown" and "hint(" in c.source]
    assert [re.search(r"hint\('(\w+)'\)", h).group(1) for h in hints] == order


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_public_assert_carries_a_message(assignment):
    """A failure then reads as the template's sentence, never as the assert's source."""
    for cell in _tests(_release(assignment)):
        bare = [node.lineno for node in ast.walk(ast.parse(cell.source)) if isinstance(node, ast.Assert) and
                node.msg is None]
        assert not bare, f"{_grade_id(cell)}: assert without a message on lines {bare}"


@pytest.fixture(scope="module")
def untouched():
    """Every untouched release, executed; two at a time (a kernel's start leaves the CPU idle)."""
    with ThreadPoolExecutor(2) as pool:
        runs = {a: pool.submit(_run, _release(a), a) for a in ASSIGNMENTS}
        return {a: run.result() for a, run in runs.items()}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_run_all_on_the_untouched_release_reaches_the_end(untouched, assignment):
    notebook = untouched[assignment]
    assert all(c.execution_count for c in notebook.cells if c.cell_type == "code")
    for cell in _tests(notebook):
        (error,) = [o for o in cell.outputs if o.output_type == "error"]
        assert error.ename == "ExerciseNotAttempted", (_grade_id(cell), error.ename)
        assert re.match(r"Exercise \d+ (not attempted yet|\(\w+\) cannot be checked yet: this test needs)",
                        error.evalue), (_grade_id(cell), error.evalue)
        assert "Traceback" not in "".join(error.traceback) and _text(cell) == ""
    report = _text(notebook.cells[-1])
    names = [ex.name for ex in exercises(assignment)]
    assert report.count("not attempted") == len(names) + 1 and all(f". {n} " in report for n in names)


def test_one_right_and_one_wrong_exercise_read_as_one_line_and_one_paragraph():
    assignment = "ch04_gradient_descent"
    names = [ex.name for ex in exercises(assignment)]
    notebook = _run(fill(_release(assignment), assignment, {
        "gradient_descent": "reference", "numerical_gradient": "mistake:divides by h"}), assignment)
    cells = {_grade_id(c): c for c in _tests(notebook)}
    assert _text(cells["test_gradient_descent"]) == "Exercise 1 - gradient_descent: public tests pass\n"
    assert _text(cells["test_gradient_descent_vector"]) == \
        "Exercise 1 - gradient_descent (vector): public tests pass\n"
    (error,) = cells["test_numerical_gradient"].outputs
    assert error.ename == "PublicTestFailed"
    assert error.evalue.startswith("numerical_gradient of x^2 + y^2 at (1, 1) returned [4. 4.]")
    assert error.traceback[0].endswith("Exercise 2 - numerical_gradient: a public test failed\x1b[0m")
    assert "Traceback" not in "".join(error.traceback) and "assert " not in "".join(error.traceback)
    report = _text(notebook.cells[-1]).splitlines()
    assert report[1].endswith("gradient_descent              3 points  passed")
    assert report[2].endswith("numerical_gradient            3 points  failed")
    assert report[-1].startswith(f"1 of {len(names)} exercises pass their public tests (worth 3 of 26 points)")
