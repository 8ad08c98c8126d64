"""Does the student self-check report each exercise, exit non-zero on failure, and hold no answers?"""

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

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
    failed = lines[lines.index("  FAILED         log_loss") + 1]
    assert "expected the mean of the three losses" in failed
    assert f"  FAILED         {names[-2]}" in lines
    assert "SyntaxError" in done.stdout
    assert f"  NOT ATTEMPTED  {names[-1]}" in lines


def test_unreadable_notebook_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text("{ not json")
    done = subprocess.run([MDSI_CHECK, str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "cannot read" in done.stderr


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
    subprocess.run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", str(student_wheel)], check=True)
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
