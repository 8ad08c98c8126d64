"""Does the student self-check report each exercise, exit non-zero on failure, and hold no answers?

The first tests run ``mdsi-check`` on the real ch03 release; the others on
small notebooks written here, with nbgrader's metadata, to reach each case
fast: every message of an exercise, the notebooks' new error outputs and the
raw ones, a cell that loops forever or kills the kernel, ``--json``.
"""

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from mdsi_selfcheck.cli import main
from mdsi_selfcheck.run import Fate, run_notebook
from mdsi_selfcheck.student_setup import INSTRUCTOR_PANELS, INSTRUCTOR_SERVER_EXTENSIONS, configure
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from traitlets.config import Config

from graders.exercises import exercises
from graders.notebook_build import ROOT
from graders.submissions import fill

ASSIGNMENT = "ch03_loss_functions"
MDSI_CHECK = Path(sys.executable).parent / "mdsi-check"


def _release():
    return nbformat.read(ROOT / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)


def _self_check(tmp_path, notebook):
    path = tmp_path / f"{ASSIGNMENT}.ipynb"
    nbformat.write(notebook, path)
    return subprocess.run([MDSI_CHECK, str(path)], capture_output=True, text=True, timeout=300)


def _names():
    return [ex.name for ex in exercises(ASSIGNMENT)]


def test_untouched_release_is_not_attempted(tmp_path):
    done = _self_check(tmp_path, _release())
    assert done.returncode == 1
    assert done.stdout.count("NOT ATTEMPTED") == len(_names())
    assert f"0 of {len(_names())} exercises pass" in done.stdout


def test_finished_notebook_passes(tmp_path):
    done = _self_check(tmp_path, fill(_release(), ASSIGNMENT, dict.fromkeys(_names(), "reference")))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASSED") == len(_names())


def test_mixed_notebook_lists_each_outcome_with_its_message(tmp_path):
    names = _names()
    choices = {**dict.fromkeys(names[:-2], "reference"), "log_loss": "mistake:sum instead of mean",
               names[-2]: "syntax-error"}
    done = _self_check(tmp_path, fill(_release(), ASSIGNMENT, choices))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    start = lines.index("  FAILED         log_loss") + 1
    message = " ".join(line.strip() for line in lines[start:start + 3])  # wrapped to 80 columns
    assert message.startswith("- log_loss(") and "expected the mean of the three losses" in message, message
    assert f"  FAILED         {names[-2]}" in lines
    assert "SyntaxError" in done.stdout
    assert f"  NOT ATTEMPTED  {names[-1]}" in lines


def test_unreadable_notebook_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text("{ not json")
    done = subprocess.run([MDSI_CHECK, str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "cannot read" in done.stderr
    done = subprocess.run([MDSI_CHECK, "--json", str(path)], capture_output=True, text=True, timeout=60)
    result = json.loads(done.stdout)
    assert done.returncode == result["exit_code"] == 2 and "cannot read" in result["error"]
    assert result["exercises"] == []


# Small notebooks: the exception classes the notebooks raise, as their runtime defines them.
PRELUDE = """
class ExerciseNotAttempted(NotImplementedError):
    pass


class PublicTestFailed(AssertionError):
    pass


book = [1.0, 2.0, 3.0]
"""


def _cell(source, **nbgrader):
    cell = new_code_cell(source)
    if nbgrader:
        cell.metadata.nbgrader = {"grade": False, "solution": False, "locked": False, "schema_version": 3,
                                  **nbgrader}
    return cell


def _solution(name, body):
    return _cell(body, solution=True, grade_id=name)


def _test(grade_id, body, points=1):
    return _cell(body, grade=True, grade_id=grade_id, points=points, locked=True)


def _check(tmp_path, capsys, *cells, timeout=30):
    """Run ``mdsi-check --json`` in this process on a notebook of ``cells``: (exit code, result)."""
    path = tmp_path / "small.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("# A small assignment"), _cell(PRELUDE), *cells]), path)
    code = main(["--json", "--timeout", str(timeout), str(path)])
    result = json.loads(capsys.readouterr().out)
    assert result["exit_code"] == code and result["error"] is None, result
    return code, result


def _by_name(result):
    return {exercise["name"]: exercise for exercise in result["exercises"]}


def test_every_message_of_an_exercise_is_reported_the_one_naming_a_mistake_first(tmp_path, capsys):
    generic = "shape (4, 2) expected; got (4, 1)"
    specific = "all rows are equal: you stored the same array object each time"
    code, result = _check(tmp_path, capsys,
                          _solution("steps", "def steps():\n    return [[1, 1]] * 4\n"),
                          _test("test_steps", f"assert False, {generic!r}"),
                          _test("test_steps_rows", f"raise PublicTestFailed({specific!r})"),
                          _test("test_steps_again", f"assert False, {generic!r}"))
    assert code == 1
    steps = _by_name(result)["steps"]
    assert steps["status"] == "failed"
    assert steps["messages"] == [specific, generic], "every distinct message, the specific one first"
    assert steps["test_cells"] == ["test_steps", "test_steps_rows", "test_steps_again"] and steps["points"] == 3


def test_new_and_raw_error_outputs_are_both_recognised(tmp_path, capsys):
    paragraph = "mean_of([1, 2, 3]) returned 2.5; expected 2.0. Did you divide by n - 1?"
    code, result = _check(
        tmp_path, capsys,
        _solution("mean_of", "def mean_of(x):\n    return sum(x) / (len(x) - 1)\n"),
        _test("test_mean_of", f"raise PublicTestFailed({paragraph!r})"),
        _solution("total", "def total(x):\n    raise NotImplementedError()\n"),
        _test("test_total", "raise ExerciseNotAttempted('Exercise 2 not attempted yet')"),
        _solution("count", "def count(x):\n    raise NotImplementedError()\n"),
        _test("test_count", "count(book)"),
        _solution("biggest", "def biggest(x):\n    return max(x)\n"),
        _test("test_biggest", "assert biggest(book) == 3.0\nprint('Exercise 4 - biggest: public tests pass')"),
        _solution("smallest", "def smallest(x):\n    return x.min()\n"),
        _test("test_smallest", "assert smallest(book) == 1.0"),
        _solution("middle", "def middle(x):\n    return x[1]\n"),
        _test("test_middle", "assert middle(book) == 1.0"),
    )
    statuses = {name: (e["status"], e["messages"]) for name, e in _by_name(result).items()}
    assert statuses == {
        "mean_of": ("failed", [paragraph]),
        "total": ("not_attempted", ["Exercise 2 not attempted yet"]),
        "count": ("not_attempted", ["still raises NotImplementedError"]),
        "biggest": ("passed", []),
        "smallest": ("failed", ["test_smallest raised AttributeError: 'list' object has no attribute 'min'"]),
        "middle": ("failed", ["test_middle: an assert failed (it has no message)"]),
    }
    assert code == 1 and [e["number"] for e in result["exercises"]] == [1, 2, 3, 4, 5, 6]


def test_an_endless_loop_costs_only_its_own_exercise(tmp_path, capsys):
    code, result = _check(
        tmp_path, capsys,
        _solution("spin", "def spin():\n    while True:\n        pass\n"),
        _test("test_spin", "spin()"),
        _solution("first", "def first(x):\n    return x[0]\n"),
        _test("test_first", "assert first(book) == 1.0"),  # needs the set-up cell: the new kernel re-ran it
        _solution("last", "def last(x):\n    return x[0]\n"),
        _test("test_last", "assert last(book) == 3.0, 'expected 3.0'"),
        _cell("while True:\n    pass\n"),
        _solution("size", "def size(x):\n    return len(x)\n"),
        _test("test_size", "assert size(book) == 3"),
        timeout=2)
    exercises_ = _by_name(result)
    assert {name: e["status"] for name, e in exercises_.items()} == {
        "spin": "timed_out", "first": "passed", "last": "failed", "size": "passed"}
    assert exercises_["spin"]["messages"] == ["test_spin ran longer than 2 s (an endless loop?) and was stopped"]
    assert [(o["cell"], o["status"]) for o in result["other_cells"]] == [(9, "timed_out")]
    assert code == 1 and result["summary"]["timed_out"] == 1 and result["summary"]["passed"] == 2


def test_a_dead_kernel_costs_only_its_own_exercise(tmp_path, capsys):
    code, result = _check(
        tmp_path, capsys,
        _solution("first", "def first(x):\n    return x[0]\n"),
        _test("test_first", "assert first(book) == 1.0"),
        _solution("quit_", "import os\n\ndef quit_():\n    os._exit(3)\n"),
        _test("test_quit_", "quit_()"),
        _solution("broken", "def broken(x):\n    return x[\n"),
        _test("test_broken", "assert broken(book) == 1.0"),
        _test("test_first_again", "assert first(book) == 1.0"))
    exercises_ = _by_name(result)
    assert {name: e["status"] for name, e in exercises_.items()} == {
        "first": "passed", "quit_": "crashed", "broken": "failed"}
    assert exercises_["quit_"]["messages"] == [
        "test_quit_ stopped the kernel (exit(), a crash or running out of memory)"]
    assert exercises_["broken"]["messages"][0].startswith("the cell defining it raised SyntaxError")
    assert code == 1


def test_a_kernel_restarted_too_often_leaves_the_rest_not_run(tmp_path):
    notebook = new_notebook(cells=[_cell("import os"), *(_cell("os._exit(1)") for _ in range(3)), _cell("1 + 1")])
    fates = run_notebook(notebook, tmp_path, timeout=30, max_restarts=1)
    assert fates == {1: Fate.CRASHED, 2: Fate.CRASHED, 3: Fate.NOT_RUN, 4: Fate.NOT_RUN}


def test_text_output_has_every_message_and_no_kernel_warning(tmp_path):
    path = tmp_path / "small.ipynb"
    nbformat.write(new_notebook(cells=[
        _cell(PRELUDE), _solution("first", "def first(x):\n    return x[1]\n"),
        _test("test_first", "assert first(book) == 1.0, 'expected 1.0'"),
        _test("test_first_more", "assert first([5, 6]) == 5, 'did you take the second item?'")]), path)
    done = subprocess.run([MDSI_CHECK, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr == "", "no kernel chatter, in particular no 'running over TCP without encryption' warning"
    assert done.stdout.splitlines()[1:] == [
        "  FAILED         first",
        "                 - did you take the second item?",
        "                 - expected 1.0",
        "0 of 1 exercises pass; 1 failed, 0 not attempted",
    ]


@pytest.fixture(scope="module")
def student_wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out),
                    str(ROOT / "graders" / "selfcheck")], check=True)
    return next(out.glob("mdsi_selfcheck-*.whl"))


def test_student_install_holds_no_checks_or_solutions(student_wheel):
    with zipfile.ZipFile(student_wheel) as wheel:
        names = wheel.namelist()
        text = "\n".join(wheel.read(n).decode() for n in names)
    assert all(n.startswith(("mdsi_selfcheck/", "mdsi_selfcheck-")) for n in names), names
    assert not re.search(r"\b(import|from)\s+(graders|solutions)\b", text)
    assert "mdsi-course" not in text, "the student package must not depend on the instructor package"
    answers = [*(ROOT / "solutions").glob("*.py"), *(ROOT / "graders" / "exercises").glob("*.py")]
    secret_lines = {line.strip() for p in answers for line in p.read_text().splitlines()
                    if len(line.strip()) > 30 and not line.strip().startswith(("import ", "from "))}
    shipped = {line.strip() for line in text.splitlines()}
    assert not secret_lines & shipped, sorted(secret_lines & shipped)[:3]


def test_student_environment_checks_a_notebook_without_instructor_code(student_wheel, tmp_path):
    """A venv with only the student wheel runs the self-check; graders and solutions are absent."""
    venv = tmp_path / "student-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-compile", str(student_wheel)],
                   check=True)
    for module in ("graders", "solutions"):
        probe = subprocess.run([venv / "bin" / "python", "-c", f"import {module}"], capture_output=True, text=True,
                               cwd=tmp_path)
        assert probe.returncode == 1 and "ModuleNotFoundError" in probe.stderr
    path = tmp_path / f"{ASSIGNMENT}.ipynb"
    nbformat.write(fill(_release(), ASSIGNMENT, dict.fromkeys(_names(), "reference")), path)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("VIRTUAL_ENV", "PYTHON"))}
    done = subprocess.run([venv / "bin" / "mdsi-check", str(path)], capture_output=True, text=True,
                          timeout=300, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASSED") == len(_names())
    # nbgrader's student side came with the wheel; mdsi-setup hides its instructor panels
    env["JUPYTER_CONFIG_DIR"] = str(tmp_path / "jupyter")
    subprocess.run([venv / "bin" / "mdsi-setup"], check=True, env=env, cwd=tmp_path, capture_output=True)
    listed = subprocess.run([venv / "bin" / "jupyter", "labextension", "list"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env, cwd=tmp_path).stdout
    enabled, disabled = listed.split("Disabled extensions:")
    assert re.search(r"@jupyter/nbgrader v\S+ \S*enabled", enabled), listed
    hidden = sorted(line.strip() for line in disabled.splitlines() if line.strip().startswith("@"))
    assert hidden == sorted(INSTRUCTOR_PANELS), disabled


def test_mdsi_setup_configures_nbgrader_and_keeps_other_settings(tmp_path):
    config = tmp_path / "jupyter"
    (config / "labconfig").mkdir(parents=True)
    (config / "labconfig" / "page_config.json").write_text('{"disabledExtensions": {"my-theme": true}}')
    (config / "jupyter_server_config.json").write_text('{"ServerApp": {"open_browser": false}}')
    configure(config, exchange="/srv/exchange")
    configure(config, exchange="/srv/exchange")  # a second run changes nothing
    namespace = {"get_config": Config}
    exec((config / "nbgrader_config.py").read_text(), namespace)
    assert namespace["c"].CourseDirectory.course_id == "mdsi" and namespace["c"].Exchange.root == "/srv/exchange"
    page = json.loads((config / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"] == {"my-theme": True, **dict.fromkeys(INSTRUCTOR_PANELS, True)}
    server = json.loads((config / "jupyter_server_config.json").read_text())["ServerApp"]
    assert server == {"open_browser": False, "jpserver_extensions": dict.fromkeys(INSTRUCTOR_SERVER_EXTENSIONS, False)}
    with pytest.raises(FileExistsError, match="--force"):
        configure(config, exchange="/elsewhere")
    configure(config, exchange="/elsewhere", force=True)
    assert "'/elsewhere'" in (config / "nbgrader_config.py").read_text()
    (config / "jupyter_server_config.json").write_text("[]")
    with pytest.raises(ValueError, match="jupyter_server_config.json does not hold a JSON object"):
        configure(config, exchange="/elsewhere")
