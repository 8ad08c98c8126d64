"""Attacks and faults, each one student of ch03, graded in one batch by the real grading command.

Every case states the exact score it must get, and what the instructor's
report must say where it says something.  The honest baseline: the reference
scores FULL, and a submission whose ``kl_divergence`` is wrong scores FULL - KL.
"""

import json
import os
import socket
import threading

import nbformat
import pytest
from attack_kit import (
    _EXERCISES,
    FULL,
    KL,
    TARGET,
    WRONG_KL,
    A,
    _index,
    _kl_body,
    _meta,
    _observe,
    _tests,
    add_cell,
    new_course,
    reference,
    sandbox_processes,
    set_answer,
    stubs,
)
from jupyter_core.paths import jupyter_runtime_dir
from nbgrader.api import Gradebook
from traitlets.config import Config

from graders.fastgrade.command import grade_class
from graders.fastgrade.coordinator import AssignmentGrader, load_course_config
from graders.fastgrade.execute import execute_notebooks
from graders.fastgrade.intake import (
    MAX_CELLS,
    Submitted,
    Ungradable,
    read_notebooks,
    read_originals,
    rebuild,
    stage_files,
)
from graders.fastgrade.jail import UID_BASE
from graders.nbgrader_run import run_nbgrader
from graders.notebook_build import ROOT


# Each builder returns a notebook (written as <A>.ipynb) or writes files itself into the folder.
def _loop_in_function(c):
    return set_answer(reference(c), _kl_body("while True:\n    pass"))


def _infinite_loop(c):
    return add_cell(reference(c), "while True:\n    pass")


def _ignores_interrupts(c):
    return add_cell(reference(c), "import time\nwhile True:\n    try:\n        time.sleep(0.1)\n"
                                  "    except KeyboardInterrupt:\n        pass")


def _allocates_50gb(c):
    return add_cell(reference(c), "import numpy as np\nhuge = np.ones(50 * 2**30 // 8)")


def _allocates_in_function(c):
    return set_answer(reference(c), _kl_body("return float(np.ones(50 * 2**30 // 8).sum())"))


def _fork_bomb(c):
    return add_cell(reference(c), "import os, time\nchildren = []\ntry:\n    while True:\n"
                                  "        pid = os.fork()\n        if pid == 0:\n            time.sleep(600)\n"
                                  "            os._exit(0)\n        children.append(pid)\n"
                                  "except OSError as exc:\n    print('fork refused after', len(children), exc)")


def _sys_exit(c):
    return add_cell(reference(c), "import sys\nsys.exit(3)")


def _calls_exit(c):
    return add_cell(reference(c), "exit()")


def _os_exit(c):
    return add_cell(reference(c), "import os\nos._exit(0)")


def _kills_kernel_in_function(c):
    return set_answer(reference(c), _kl_body("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"))


def _segfault(c):
    return add_cell(reference(c), "import ctypes\nctypes.string_at(0)")


def _output_flood(c):
    return add_cell(reference(c), "for _ in range(100_000):\n    print('x' * 100)")


def _cpu_burner_thread(c):
    return add_cell(reference(c), "import threading\ndef spin():\n    while True:\n        pass\n"
                                  "threading.Thread(target=spin, daemon=True).start()", after="end")


def _reads_frames(c):
    body = ("import sys\nframe = sys._getframe().f_back\nwhile frame is not None:\n"
            "    for value in frame.f_locals.values():\n"
            "        if isinstance(value, float):\n            return value\n"
            "    frame = frame.f_back\nreturn -1.0")
    return set_answer(reference(c), _kl_body(body))


def _always_equal(c):
    body = ("class Anything(float):\n    def __eq__(self, other):\n        return True\n"
            "    def __ne__(self, other):\n        return False\n    __hash__ = float.__hash__\n"
            "return Anything(0.0)")
    return set_answer(reference(c), _kl_body(body))


def _lying_float(c):
    body = ("class Liar:\n    def __float__(self):\n        return 0.25\n"
            "    def __eq__(self, other):\n        return True\nreturn Liar()")
    return set_answer(reference(c), _kl_body(body))


def _ndarray_subclass(c):
    body = ("class Liar(np.ndarray):\n    def __eq__(self, other):\n        return np.ones(1, dtype=bool)\n"
            "return np.zeros(1).view(Liar)")
    return set_answer(reference(c), _kl_body(body))


def _patches_numpy(c):
    patch = ("import math\nimport numpy as np\nnp.allclose = lambda *a, **k: True\n"
             "np.isclose = lambda a, b, **k: np.ones(np.shape(a), dtype=bool)\n"
             "np.testing.assert_allclose = lambda *a, **k: None\nmath.isclose = lambda *a, **k: True\n"
             "np.array_equal = lambda *a, **k: True")
    return add_cell(set_answer(reference(c), WRONG_KL), patch)


def _patches_builtins(c):
    patch = ("import builtins\n_real = builtins.isinstance\n"
             "builtins.isinstance = lambda o, t: True if t in (float, int) else _real(o, t)\n"
             "builtins.AssertionError = type('AssertionError', (Exception,), {})")
    return add_cell(set_answer(reference(c), _kl_body("return '0.1'")), patch)


def _fake_graders_module(c):
    fake = ("import sys, types\nfake = types.ModuleType('graders')\n"
            "fake.check = lambda *args, **kwargs: print('passed')\nsys.modules['graders'] = fake")
    return add_cell(_with_stub_target(c), fake, after=None)


def _with_stub_target(c):
    notebook = reference(c)
    stub_cell = stubs(c).cells[_index(stubs(c), TARGET)]
    return set_answer(notebook, stub_cell.source)


def _redefines_check(c):
    return add_cell(_with_stub_target(c), "def check(*args, **kwargs):\n    print('passed')", after=None)


def _blanking_input_transformer(c):
    return add_cell(reference(c), "get_ipython().input_transformers_post.append(lambda lines: [])", after=None)


def _ast_transformer(c):
    code = ("import ast\nclass NoRaise(ast.NodeTransformer):\n    def visit_Raise(self, node):\n"
            "        return ast.Return(ast.Constant(0.0))\n    def visit_Assert(self, node):\n"
            "        return ast.Pass()\nget_ipython().ast_transformers.append(NoRaise())")
    return add_cell(stubs(c), code, after=None)


def _prints_fake_success(c):
    lines = [f"print('{ex.name}: all 5 cases of {t.grade_id} passed.')" for ex in _EXERCISES.values()
             for t in ex.tests]
    return add_cell(stubs(c), "\n".join(lines), after=None)


def _disables_tracebacks(c):
    code = ("import sys\nip = get_ipython()\nip.showtraceback = lambda *a, **k: None\n"
            "ip._showtraceback = lambda *a, **k: None\nsys.excepthook = lambda *a: None")
    return add_cell(stubs(c), code, after=None)


def _mutates_inputs(c):
    return set_answer(reference(c), _kl_body("p[...] = 0\nq[...] = 0\nreturn 0.0"))


def _reads_history(c):
    return add_cell(reference(c), "import gc\nseen = '\\n'.join(In) + ''.join(\n"
                                  "    o for o in gc.get_objects() if isinstance(o, str))\n"
                                  "marks = ('che' + 'ck(', 'HIDDEN' + ' TESTS')\n"
                                  "print('HIDDEN CODE SEEN' if any(m in seen for m in marks) else 'nothing hidden')",
                    after="log_likelihood")


def _edits_test_cells(c):
    notebook = stubs(c)
    for cell in _tests(notebook):
        cell.source = "print('passed')"
    return notebook


def _deletes_test_cells(c):
    notebook = reference(c)
    notebook.cells = [cell for cell in notebook.cells if not _meta(cell).get("grade")]
    return notebook


def _duplicates_test_cell(c):
    notebook = reference(c)
    position = _index(notebook, "test_squared_error")
    notebook.cells.insert(position, nbformat.from_dict(notebook.cells[position]))
    return notebook


def _duplicates_answer_cell(c):
    notebook = reference(c)
    position = _index(notebook, TARGET)
    copy = nbformat.from_dict(notebook.cells[position])
    copy.source = WRONG_KL
    notebook.cells.insert(position + 1, copy)
    return notebook


def _moves_tests_to_top(c):
    notebook = reference(c)
    tests = _tests(notebook)
    notebook.cells = tests + [cell for cell in notebook.cells if cell not in tests]
    return notebook


def _raises_points(c):
    notebook = reference(c)
    for cell in _tests(notebook):
        cell.metadata.nbgrader["points"] = 100
    return notebook


def _renames_grade_ids(c):
    notebook = set_answer(reference(c), WRONG_KL)
    for cell in _tests(notebook):
        cell.metadata.nbgrader["grade_id"] += "_renamed"
    return notebook


def _marks_answer_graded(c):
    notebook = reference(c)
    notebook.cells[_index(notebook, TARGET)].metadata.nbgrader.update(grade=True, points=50)
    return notebook


def _changes_kernelspec(c):
    notebook = reference(c)
    notebook.metadata.kernelspec = {"name": "bash", "display_name": "Bash", "language": "bash"}
    return notebook


def _renamed(c, folder):
    nbformat.write(reference(c), folder / "Untitled.ipynb")


def _invalid_json(c, folder):
    (folder / f"{A}.ipynb").write_text('{"cells": [,]}')


def _empty_file(c, folder):
    (folder / f"{A}.ipynb").write_bytes(b"")


def _old_nbformat(c, folder):
    nbformat.write(nbformat.convert(reference(c), 3), folder / f"{A}.ipynb")


def _missing_notebook(c, folder):
    (folder / "notes.txt").write_text("I forgot to upload it")


def _extra_notebook(c, folder):
    nbformat.write(reference(c), folder / f"{A}.ipynb")
    nbformat.write(nbformat.v4.new_notebook(), folder / "scratch.ipynb")


def _huge_notebook(c, folder):
    notebook = reference(c)
    notebook.cells.append(nbformat.v4.new_markdown_cell("x" * 21_000_000))
    nbformat.write(notebook, folder / f"{A}.ipynb")


def _two_wrong_names(c, folder):
    nbformat.write(reference(c), folder / "a.ipynb")
    nbformat.write(reference(c), folder / "b.ipynb")


def _symlink_to_solutions(c, folder):
    os.symlink(ROOT / "solutions" / f"{A}.py", folder / "secret.py")
    nbformat.write(add_cell(reference(c), _observe("open('secret.py').read()")), folder / f"{A}.ipynb")


def _observer(code):
    return lambda c: add_cell(reference(c), _observe(code))


# student -> (builder, score, words the report must contain for this student, or None)
ATTACKS = {
    "honest-reference": (reference, FULL, None),
    "honest-wrong-kl": (lambda c: set_answer(reference(c), WRONG_KL), FULL - KL, None),
    "loop-in-function": (_loop_in_function, FULL - KL, "restarted the kernel"),
    "infinite-loop": (_infinite_loop, FULL, "restarted the kernel"),
    "ignores-interrupts": (_ignores_interrupts, FULL, "still running after 5 s"),
    "allocates-50gb": (_allocates_50gb, FULL, None),
    "allocates-in-function": (_allocates_in_function, FULL - KL, None),
    "fork-bomb": (_fork_bomb, FULL, None),
    "sys-exit": (_sys_exit, FULL, None),
    "os-exit": (_os_exit, FULL, "the kernel died"),
    "calls-exit": (_calls_exit, FULL, "the cell called exit()"),
    "kills-kernel-in-function": (_kills_kernel_in_function, FULL - KL, "test_kl_divergence"),
    "segfault": (_segfault, FULL, "the kernel died"),
    "output-flood": (_output_flood, FULL, "output cut at 200000 bytes"),
    "cpu-burner-thread": (_cpu_burner_thread, FULL, None),
    "reads-solutions": (_observer(f"open({str(ROOT / 'solutions' / (A + '.py'))!r}).read()"), FULL, None),
    "imports-solutions": (_observer("import solutions"), FULL, None),
    "imports-graders": (_observer("import graders.exercises.ch03_loss_functions"), FULL, None),
    "reads-source-notebook": (None, FULL, None),  # filled in by the fixture: needs the course path
    "reads-gradebook": (None, FULL, None),
    "writes-gradebook": (None, FULL, None),
    "lists-submissions": (None, FULL, None),
    "reads-kernel-connection-files": (None, FULL, None),
    "opens-network": (None, FULL, None),
    "reads-frames": (_reads_frames, FULL - KL, None),
    "reads-history": (_reads_history, FULL, None),
    "always-equal": (_always_equal, FULL - KL, None),
    "lying-float": (_lying_float, FULL - KL, None),
    "ndarray-subclass": (_ndarray_subclass, FULL - KL, None),
    "patches-numpy": (_patches_numpy, FULL - KL, None),
    "patches-builtins": (_patches_builtins, FULL - KL, None),
    "fake-graders-module": (_fake_graders_module, FULL - KL, None),
    "redefines-check": (_redefines_check, FULL - KL, None),
    "blanking-input-transformer": (_blanking_input_transformer, 0, None),
    "ast-transformer": (_ast_transformer, 0, None),
    "prints-fake-success": (_prints_fake_success, 0, None),
    "disables-tracebacks": (_disables_tracebacks, 0, None),
    "mutates-inputs": (_mutates_inputs, FULL - KL, None),
    "edits-test-cells": (_edits_test_cells, 0, "edited"),
    "deletes-test-cells": (_deletes_test_cells, FULL, "deleted"),
    "duplicates-test-cell": (_duplicates_test_cell, FULL, "test_squared_error"),
    "duplicates-answer-cell": (_duplicates_answer_cell, FULL - KL, TARGET),
    "moves-tests-to-top": (_moves_tests_to_top, 0, "moved"),
    "raises-points": (_raises_points, FULL, None),
    "renames-grade-ids": (_renames_grade_ids, FULL - KL, None),
    "marks-answer-graded": (_marks_answer_graded, FULL, None),
    "changes-kernelspec": (_changes_kernelspec, FULL, None),
    "renamed-notebook": (_renamed, FULL, "Untitled.ipynb"),
    "invalid-json": (_invalid_json, 0, "not valid JSON"),
    "empty-file": (_empty_file, 0, "empty"),
    "old-nbformat": (_old_nbformat, FULL, None),
    "missing-notebook": (_missing_notebook, 0, A),
    "extra-notebook": (_extra_notebook, FULL, "scratch.ipynb"),
    "huge-notebook": (_huge_notebook, 0, "byte limit"),
    "two-wrong-names": (_two_wrong_names, 0, "a.ipynb"),
    "symlink-to-solutions": (_symlink_to_solutions, FULL, None),
}
OBSERVERS = ("reads-solutions", "imports-solutions", "imports-graders", "reads-source-notebook",
             "reads-gradebook", "writes-gradebook", "lists-submissions", "reads-kernel-connection-files",
             "opens-network", "symlink-to-solutions")


class _Listener:
    """A TCP server on the grader's loopback; a sandboxed kernel must not reach it."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            connection, _ = self.server.accept()
            self.connections += 1
            connection.close()


def _course_observers(course, port):
    gradebook = str(course / "gradebook.db")
    return {
        "reads-source-notebook": _observer(f"open({str(course / 'source' / A / (A + '.ipynb'))!r}).read()"),
        "reads-gradebook": _observer(f"open({gradebook!r}, 'rb').read()"),
        "writes-gradebook": _observer(f"import sqlite3; sqlite3.connect({gradebook!r}).execute("
                                      "'update grade set manual_score = 100').connection.commit()"),
        "lists-submissions": _observer(f"os.listdir({str(course / 'submitted')!r})"),
        # The grader's other kernels' connection files (their keys) live in its home.
        "reads-kernel-connection-files": _observer(f"os.listdir({jupyter_runtime_dir()!r})"),
        "opens-network": _observer(f"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=2)"),
    }


@pytest.fixture(scope="module")
def attacked(course, tmp_path_factory):
    """Every attack submitted by its own student and graded in one run of the grading command."""
    root = tmp_path_factory.mktemp("attacked")
    new_course(course, root)
    listener = _Listener()
    os.makedirs(jupyter_runtime_dir(), exist_ok=True)
    builders = {student: builder for student, (builder, _, _) in ATTACKS.items()}
    builders.update(_course_observers(root, listener.port))
    for student, builder in builders.items():
        folder = root / "submitted" / student / A
        folder.mkdir(parents=True)
        notebook = builder(root) if builder.__code__.co_argcount == 1 else builder(root, folder)
        if notebook is not None:
            nbformat.write(notebook, folder / f"{A}.ipynb")
    report = grade_class(root, [A], progress=False)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        scores = {s.student.id: (s.score, s.needs_manual_grade)
                  for s in gradebook.find_assignment(A).submissions}
    return root, report, scores, listener


def test_at_least_thirty_distinct_attacks():
    assert len(ATTACKS) - 2 >= 30


def test_the_batch_completes_and_every_submission_is_graded(attacked):
    _, report, scores, _ = attacked
    assert report.failed == []
    assert sorted(scores) == sorted(ATTACKS)
    assert not [student for student, (_, manual) in scores.items() if manual]


@pytest.mark.parametrize("student", sorted(ATTACKS))
def test_each_attack_gets_exactly_its_score_and_note(attacked, student):
    _, report, scores, _ = attacked
    _, expected, words = ATTACKS[student]
    assert scores[student][0] == expected
    notes = " | ".join(note for _, who, note in report.notes if who == student)
    if words is not None:
        assert words in notes


def _cell_text(course, student, marker):
    notebook = nbformat.read(course / "autograded" / student / A / f"{A}.ipynb", as_version=4)
    texts = [out.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
             for out in cell.outputs if marker(cell)]
    return "".join(texts)


@pytest.mark.parametrize("student", OBSERVERS)
def test_learner_code_cannot_reach_answers_gradebook_submissions_or_network(attacked, student):
    course, _, _, listener = attacked
    text = _cell_text(course, student, lambda cell: "print('OPEN')" in cell.source)
    assert "BLOCKED" in text and "OPEN" not in text
    assert listener.connections == 0


def test_hidden_test_code_never_enters_the_kernel(attacked):
    course, _, _, _ = attacked
    assert _cell_text(course, "reads-history", lambda cell: "HIDDEN CODE SEEN" in cell.source) == "nothing hidden\n"


def test_fork_bomb_is_capped_and_leaves_no_process(attacked):
    course, _, _, _ = attacked
    assert "fork refused after" in _cell_text(course, "fork-bomb", lambda cell: "os.fork()" in cell.source)
    assert sandbox_processes(UID_BASE) == []


def test_memory_limit_raises_memory_error(attacked):
    course, _, _, _ = attacked
    notebook = nbformat.read(course / "autograded" / "allocates-50gb" / A / f"{A}.ipynb", as_version=4)
    errors = [out.ename for cell in notebook.cells for out in cell.get("outputs", []) if out.output_type == "error"]
    assert errors == ["MemoryError"]


def test_feedback_never_shows_hidden_tests(attacked):
    course, _, _, _ = attacked
    for student in ("prints-fake-success", "honest-wrong-kl", "edits-test-cells"):
        run_nbgrader(course, "generate_feedback", A, "--student", student, "--force")
        html = next((course / "feedback" / student / A).glob("*.html")).read_text()
        assert "BEGIN HIDDEN" not in html and "check(" not in html and "graders" not in html


def test_an_unreadable_submission_tells_the_student_why(attacked):
    course, _, _, _ = attacked
    notebook = nbformat.read(course / "autograded" / "invalid-json" / A / f"{A}.ipynb", as_version=4)
    assert notebook.cells[0].cell_type == "markdown" and "JSON" in notebook.cells[0].source


def test_grading_notebook_after_notebook_holds_no_more_threads_or_descriptors(course):
    """A worker grades a whole class in one process: each kernel's ZeroMQ contexts must go with it.

    They used to stay (five threads and about twenty descriptors a notebook): after some fifty
    notebooks a worker could start no thread, or ``select()`` failed on a descriptor past 1024.
    """
    config = load_course_config(course)
    notebook = nbformat.writes(reference(course))

    def held():
        return len(os.listdir("/proc/self/fd")), len(os.listdir("/proc/self/task"))

    execute_notebooks([notebook], {}, config, A)
    first = held()
    for _ in range(3):
        execute_notebooks([notebook], {}, config, A)
    fds, threads = held()
    assert fds <= first[0] and threads <= first[1], (first, (fds, threads))


def test_a_notebook_over_its_time_limit_keeps_the_points_it_earned_before(course):
    config = load_course_config(course)
    # Each sleep is within the per-cell timeout, together they exceed the notebook's limit; the
    # limit leaves 8 s for the kernel to start on a loaded machine before the first sleep ends.
    config.merge(Config({"Execute": {"timeout": 12}, "Sandbox": {"notebook_seconds": 18}}))
    notebook = add_cell(add_cell(reference(course), "import time\ntime.sleep(10)", after="gaussian_log_likelihood"),
                        "import time\ntime.sleep(10)", after="log_loss")
    executed, events = execute_notebooks([nbformat.writes(notebook)], {}, config, A)
    graded = [cell for cell in nbformat.reads(executed[0], as_version=4).cells if _meta(cell).get("grade")]
    earned = {_meta(cell)["grade_id"] for cell in graded if not any(o.output_type == "error" for o in cell.outputs)}
    assert earned == {"test_squared_error", "test_mean_squared_error", "test_gaussian_log_likelihood",
                      "test_binary_cross_entropy", "test_binary_cross_entropy_clipping"}
    not_run = [cell for cell in graded if cell.outputs[0].get("ename") == "NotRun"]
    assert len(not_run) == len(graded) - len(earned)
    assert len(events) == 1 and "later cells not run: the notebook used up its time limit" in events[0]


@pytest.mark.parametrize("stamp", [
    b"2026-03-01 10:00:00" + b" " * 200 + b"garbage",  # nbgrader fails on it mid-run: five would stop the run
    b"2026-03-01 10:00:00" + b"\n" * 300 + b"UTC-12",  # nbgrader reads 12 hours earlier: no late penalty
    b"2026-03-01 10:00:00" + b" " * 300 + b"\xff",  # nbgrader's read raises UnicodeDecodeError
])
def test_a_timestamp_is_checked_whole_as_nbgrader_reads_it(tmp_path, stamp):
    submitted = tmp_path / "submitted"
    submitted.mkdir()
    (submitted / "timestamp.txt").write_bytes(stamp)
    with pytest.raises(Ungradable, match=r"^its timestamp.txt is unusable: '2026-03-01 10:00:00.*' is not a time"):
        stage_files(submitted, tmp_path / "staging")


def test_a_notebook_that_is_a_hard_link_is_not_read(tmp_path):
    """A second name of the course's source notebook (answers inside) would be graded as the student's."""
    source = tmp_path / "source.ipynb"
    source.write_text('{"nbformat": 4, "cells": ["the answers"]}')
    submitted = tmp_path / "submitted"
    submitted.mkdir()
    os.link(source, submitted / f"{A}.ipynb")
    label, data, problem = read_notebooks(submitted, [f"{A}.ipynb"]).files[f"{A}.ipynb"]
    assert data is None and problem == "is a hard link (the file has 2 names), not a file of its own"


def test_files_beyond_the_kernels_disk_make_the_submission_fail_alone(course, tmp_path):
    """They could not be put in the jail: the kernel would not start, and five such would stop the run."""
    root = tmp_path / "course"
    new_course(course, root)
    folder = root / "submitted" / "hoarder" / A
    folder.mkdir(parents=True)
    nbformat.write(reference(root), folder / f"{A}.ipynb")
    with open(folder / "data.bin", "wb") as data:  # under nbgrader's 100 MB per file, over the 64 MiB disk
        data.truncate(65 << 20)
    grader = AssignmentGrader(root, A, load_course_config(root))
    with pytest.raises(Ungradable, match=r"hoarder/ch03_loss_functions: it holds more than 67,108,864 bytes of files$"):
        grader.intake("hoarder")


_FORGE = ("k = get_ipython().kernel\nparent = k.get_parent('shell')\n"
          "def send(kind, content):\n    k.session.send(k.iopub_socket, kind, content, parent=parent)\n")


def test_forged_kernel_messages_cost_only_their_cell_and_never_fill_the_worker():
    """Learner code can send any message: malformed ones made the worker fail, errors went past the output limit."""
    config = load_course_config(ROOT)
    config.merge(Config({"Sandbox": {"output_bytes": 50_000}}))
    cells = [_FORGE + "send('error', {'ename': 'E', 'evalue': 'v', 'traceback': 5})",
             _FORGE + "send('display_data', {'data': [1, 2], 'metadata': {}})",
             _FORGE + "send('update_display_data', {'data': {}, 'metadata': {}, 'transient': {'display_id': {1: 2}}})",
             _FORGE + "for _ in range(500):\n    send('error', {'ename': 'E', 'evalue': 'v' * 2000, 'traceback': []})",
             "print('still here')"]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code) for code in cells])
    executed, events = execute_notebooks([nbformat.writes(notebook)], {}, config, A)
    outputs = [cell.outputs for cell in nbformat.reads(executed[0], as_version=4).cells]
    assert [event.split(": ", 1)[1] for event in events if "malformed" in event] == [
        "dropped a malformed error message (TypeError) the kernel sent",
        "dropped a malformed display_data message (NotebookValidationError) the kernel sent",
        "dropped a malformed update_display_data message (TypeError) the kernel sent"]
    assert len(str(outputs[3])) < 60_000 and outputs[3][0].ename == "E"
    assert outputs[4][0].text == "still here\n"


def test_a_notebook_of_too_many_cells_is_not_graded_cell_by_cell(course):
    """Each cell costs the worker about 1 ms at every stage: 300,000 empty ones in 15 MB took 5 minutes."""
    text = json.loads(nbformat.writes(reference(course)))
    text["cells"] += [{"cell_type": "raw", "metadata": {}, "source": ""}] * MAX_CELLS
    submitted = Submitted(files={f"{A}.ipynb": (f"{A}.ipynb", json.dumps(text).encode(), None)})
    intake = rebuild(submitted, read_originals(course / "source" / A, course / "release" / A))
    assert intake.notes == [f"{A}.ipynb has {len(text['cells']):,} cells, more than the {MAX_CELLS:,} a notebook may "
                            "have; graded the released notebook instead, so it scores 0"]


def test_a_timestamp_that_is_a_folder_fails_the_submission_alone(tmp_path):
    """nbgrader fails opening it in the middle of grading: five such stopped the run."""
    (tmp_path / "submitted" / "timestamp.txt").mkdir(parents=True)
    with pytest.raises(Ungradable, match=r"^its timestamp.txt is a folder, not a file"):
        stage_files(tmp_path / "submitted", tmp_path / "staging")


def test_the_formgrader_shows_no_script_a_learner_wrote():
    """The formgrader serves submissions from the Jupyter server's origin: a script there acts as the instructor."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.server_extensions.formgrader import handlers

    config = load_course_config(ROOT)
    config.merge(Config({"HTMLExporter": {"template_name": "formgrade",  # as nbgrader's formgrader sets it
                                          "extra_template_basedirs": [handlers.template_path]}}))
    outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<script>window.OUT=1</script>"}),
               nbformat.v4.new_output("display_data", data={"application/javascript": "window.JS=1"})]
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Notes\n<script>window.MD=1</script> <img src=x onerror=alert(1)>"),
        nbformat.v4.new_code_cell("1", outputs=outputs)])
    page = {"index": 0, "total": 1, "notebook_id": A, "base_url": "", "student": "eve", "last_name": "",
            "first_name": "", "mathjax_url": "", "my_url": "", "prev": None, "next": None, "notebook_path": A}
    html, _ = HTMLExporter(config=config).from_notebook_node(notebook, resources=page)
    assert '<h1 id="Notes">' in html
    assert "<script>window." not in html and "window.JS" not in html and "onerror" not in html
