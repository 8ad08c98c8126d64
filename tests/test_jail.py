"""Can a hostile notebook get out of its jail? Escapes, leftovers and other students, graded in one batch.

Each attack is one ch03 student next to honest controls.  After the batch the
machine must look as before: no process of a sandbox user, no SysV IPC object,
nothing new in /tmp, the Python environment and the repository unchanged.  The
same batch is graded again with the course installed as a wheel (not
editable), and by an ordinary user (rootless jails).
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from attack_kit import (
    _EXERCISES,
    FULL,
    KL,
    WRONG_KL,
    A,
    _index,
    _observe,
    add_cell,
    new_course,
    reference,
    sandbox_processes,
    set_answer,
    stubs,
)
from nbgrader.api import Gradebook
from traitlets.config import Config

from graders.fastgrade import cgroup, jail, workers
from graders.fastgrade.command import grade_class
from graders.fastgrade.coordinator import load_course_config
from graders.fastgrade.execute import execute_notebooks
from graders.fastgrade.jail import UID_BASE
from graders.notebook_build import ROOT

ORDINARY_UID = 54_321  # the "ordinary user" of the rootless run (no account needed)
# A secret in the grader's environment (an API token, say), there before any zygote starts.
os.environ["MDSI_CANARY_TOKEN"] = "never-for-kernels"
SYSV_KEY = 0x4D445349


def _observer(code):
    return lambda c: add_cell(reference(c), _observe(code))


def _answers(code_for):
    """The untouched release with every answer cell replaced by ``code_for(function name)``."""
    def build(c):
        notebook = stubs(c)
        for name in _EXERCISES:
            notebook.cells[_index(notebook, name)].source = code_for(name)
        return notebook
    return build


def _plants_links_then_exits(c):
    targets = [sys.prefix, str(ROOT), str(Path(sys.prefix, "lib"))]
    code = "\n".join(f"for where in ('.', '/tmp', '/dev/shm'):\n    try:\n        os.symlink({target!r}, "
                     f"os.path.join(where, 'link{i}'))\n    except OSError:\n        pass"
                     for i, target in enumerate(targets))
    return add_cell(reference(c), f"import os\n{code}\nos._exit(0)")


def _daemon(c):
    code = ("import os, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
            "        time.sleep(1000)\n    os._exit(0)\nos.wait()\nprint('daemon started')")
    return add_cell(reference(c), code)


_SYSV = ("import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\n"
         "class Message(ctypes.Structure):\n    _fields_ = [('mtype', ctypes.c_long), ('text', ctypes.c_char * 64)]\n")


def _sysv_writer(c):
    code = (_SYSV + f"queue = libc.msgget({SYSV_KEY}, 0o1666)\nmessage = Message(1, b'the answers')\n"
            "print('sent', libc.msgsnd(queue, ctypes.byref(message), 64, 0))\n"
            f"print('segment', libc.shmget({SYSV_KEY}, 4096, 0o1666))")
    return add_cell(reference(c), code)


# The observer's statement raises unless the attack worked; "BLOCKED" is printed otherwise.
_READ_QUEUE = (f"import ctypes; libc = ctypes.CDLL(None); queue = libc.msgget({SYSV_KEY}, 0); "
               "assert queue >= 0, 'no queue'; buffer = ctypes.create_string_buffer(72); "
               "assert libc.msgrcv(queue, buffer, 64, 0, 0o4000) > 0, 'no message'")


def _breaks_own_sockets(c):
    return add_cell(reference(c), "import os\nos.closerange(3, 4096)\nprint('sockets closed')")


# In the solutions module, never in a notebook (only function bodies are copied into notebooks).
_SOLUTIONS_ONLY = Path(ROOT, "solutions", f"{A}.py").read_text().splitlines()[0].strip('"')


def _reads_memory_for_answers(c):
    halves = (_SOLUTIONS_ONLY[:12], _SOLUTIONS_ONLY[12:40])  # split, so the cell itself does not match
    code = ("import gc\nseen = [o for o in gc.get_objects() if isinstance(o, str) and "
            f"{halves[0]!r} + {halves[1]!r} in o]\nprint('ANSWER IN MEMORY' if seen else 'nothing found')")
    return add_cell(reference(c), code, after="log_likelihood")


_MOUNTS_OWN_TMPFS = ("import ctypes, os\npid = os.fork()  # the kernel has threads: a new user namespace needs a fork\n"
                     "if pid == 0:\n    os._exit(ctypes.CDLL(None).unshare(0x10000000 | 0x20000) != 0)\n"
                     "print('OPEN') if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0 else print('BLOCKED')")
_FLOODS_DISPLAYS = ("from IPython.display import display, update_display\nfrom comm import create_comm\n"
                    "for i in range(60):\n    display({'text/plain': 'x'}, raw=True, display_id=f'd{i}')\n"
                    "for i in range(60):\n"
                    "    update_display({'text/plain': 'U' * 300_000}, raw=True, display_id=f'd{i}')\n"
                    "state = {'_model_module': '@jupyter-widgets/controls', '_model_module_version': '2.0.0', "
                    "'_model_name': 'TextModel', 'value': 'W' * 1_000_000}\nfor _ in range(20):\n"
                    "    create_comm(target_name='jupyter.widget', data={'state': state, 'buffer_paths': []})")


def jail_attacks(other_checkout):
    """student -> (builder, exact score); observers print BLOCKED or OPEN."""
    return {
        "honest-reference": (reference, FULL),
        "honest-wrong-kl": (lambda c: set_answer(reference(c), WRONG_KL), FULL - KL),
        "plants-links-then-exits": (_plants_links_then_exits, FULL),
        "imports-other-checkout": (_answers(lambda name: f"import sys\nsys.path.insert(0, {other_checkout!r})\n"
                                                         f"from solutions.{A} import {name}"), 0),
        "imports-installed-answers": (_answers(lambda name: f"from solutions.{A} import {name}"), 0),
        "daemon": (_daemon, FULL),
        "sysv-writer": (_sysv_writer, FULL),
        "breaks-own-sockets": (_breaks_own_sockets, FULL),
        "reads-memory-for-answers": (_reads_memory_for_answers, FULL),
        "sysv-reader": (_observer(_READ_QUEUE), FULL),
        "writes-run-lock": (_observer("open('/run/lock/escape', 'w').write('x')"), FULL),
        "writes-environment": (_observer(f"open({str(Path(sys.prefix, 'escape.pth'))!r}, 'w').write('x')"), FULL),
        "lists-host-processes": (_observer("assert len([p for p in os.listdir('/proc') if p.isdigit()]) > 8"), FULL),
        # Every process of the jail was forked from the zygote; any other command line is the host's.
        "reads-host-command-lines": (_observer("assert any('zygote.py' not in open(f'/proc/{p}/cmdline').read() "
                                               "for p in os.listdir('/proc') if p.isdigit())"), FULL),
        "finds-zygote": (_observer("assert any('mdsi' in line for line in open('/proc/net/unix'))"), FULL),
        "reads-other-checkout": (_observer(f"os.listdir({other_checkout!r})"), FULL),
        "reads-repository": (_observer(f"os.listdir({str(ROOT / 'solutions')!r})"), FULL),
        "fills-disk": (_observer("for i in range(40):  # each file under the size limit, all of them over the disk\n"
                                 "        open(f'part{i}', 'wb').write(b'x' * 4 * 2**20)"), FULL),
        "floods-inodes": (_observer("[open(f'/tmp/f{i}', 'w').close() for i in range(20_000)]"), FULL),
        "reads-grader-environment": (_observer("assert b'MDSI_CANARY' in open('/proc/self/environ', 'rb').read()"),
                                     FULL),
        "mounts-own-tmpfs": (lambda c: add_cell(reference(c), _MOUNTS_OWN_TMPFS), FULL),
        "floods-display-and-widgets": (lambda c: add_cell(reference(c), _FLOODS_DISPLAYS), FULL),
    }


OBSERVERS = ("sysv-reader", "writes-run-lock", "writes-environment", "lists-host-processes",
             "reads-host-command-lines", "finds-zygote", "reads-other-checkout", "reads-repository",
             "fills-disk", "floods-inodes", "reads-grader-environment", "mounts-own-tmpfs")


# -- the machine before and after ------------------------------------------------------
def _tree_state(top, skip=("__pycache__", ".git", ".pytest_cache", ".ruff_cache", ".fastgrade", ".demo")):
    """(mode, owner, size, mtime, ctime) of every path under ``top``: any change by anyone shows."""
    state = {}
    for folder, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if d not in skip]
        for name in [*dirs, *files]:
            info = os.lstat(os.path.join(folder, name))
            state[os.path.join(folder, name)] = (info.st_mode, info.st_uid, info.st_gid, info.st_size,
                                                 info.st_mtime_ns, info.st_ctime_ns)
    return state


def _ours(path):
    """A /tmp entry the grader or a jail could have made (other programs share /tmp)."""
    try:
        return path.name.startswith("mdsi") or path.lstat().st_uid >= UID_BASE - 1
    except FileNotFoundError:
        return False


def machine_state(extra=()):
    return {"sysv": {name: Path("/proc/sysvipc", name).read_text() for name in ("shm", "msg", "sem")},
            "tmp": {name for name in os.listdir("/tmp") if _ours(Path("/tmp", name))},
            "trees": {str(top): _tree_state(top) for top in (sys.prefix, ROOT, *extra)}}


# -- grading a batch ---------------------------------------------------------------------
def make_course(course, root, attacks):
    new_course(course, root)
    for student, (builder, _) in attacks.items():
        folder = root / "submitted" / student / A
        folder.mkdir(parents=True)
        nbformat.write(builder(root), folder / f"{A}.ipynb")


def scores_of(root):
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        return {s.student.id: s.score for s in gradebook.find_assignment(A).submissions}


def cell_text(root, student, marker):
    notebook = nbformat.read(root / "autograded" / student / A / f"{A}.ipynb", as_version=4)
    return "".join(out.get("text", "") for cell in notebook.cells if cell.cell_type == "code" and marker in cell.source
                   for out in cell.outputs)


@pytest.fixture(scope="module")
def other_checkout():
    """A readable copy of the course's solutions outside the course, as on a shared machine."""
    folder = tempfile.mkdtemp(prefix="other-checkout-")
    os.chmod(folder, 0o755)
    shutil.copytree(ROOT / "solutions", Path(folder, "solutions"))
    yield folder
    shutil.rmtree(folder)


@pytest.fixture(scope="module")
def jailed(course, tmp_path_factory, other_checkout):
    """The jail attacks graded in one run, with the machine's state before and after."""
    root = tmp_path_factory.mktemp("jailed")
    attacks = jail_attacks(other_checkout)
    make_course(course, root, attacks)
    before = machine_state()
    report = grade_class(root, [A], progress=False)
    return root, report, scores_of(root), attacks, before, machine_state()


@pytest.mark.parametrize("student", sorted(jail_attacks("")))
def test_each_jail_attack_gets_exactly_its_score(jailed, student):
    _, report, scores, attacks, _, _ = jailed
    assert report.failed == []
    assert scores[student] == attacks[student][1]


@pytest.mark.parametrize("student", OBSERVERS)
def test_nothing_outside_the_jail_is_reachable(jailed, student):
    root = jailed[0]
    text = cell_text(root, student, "print('OPEN')")
    assert "BLOCKED" in text and "OPEN" not in text


def test_display_updates_and_widget_state_cannot_inflate_the_graded_notebook(jailed):
    graded = jailed[0] / "autograded" / "floods-display-and-widgets" / A / f"{A}.ipynb"
    assert graded.stat().st_size < 1_000_000
    assert "widgets" not in nbformat.read(graded, as_version=4).metadata


def test_the_kernel_memory_holds_no_answers(jailed):
    assert cell_text(jailed[0], "reads-memory-for-answers", "gc.get_objects") == "nothing found\n"


def test_the_report_says_what_confined_the_kernels(jailed):
    isolation = jailed[1].isolation
    assert "a jail per kernel" in isolation and "without the course's packages" in isolation
    assert ("cgroup" in isolation) == (os.geteuid() == 0 and Path("/sys/fs/cgroup/memory").is_dir())


def test_after_the_batch_no_process_ipc_object_or_file_is_left_and_nothing_changed(jailed):
    *_, before, after = jailed
    assert sandbox_processes() == []
    assert after["sysv"] == before["sysv"]
    assert after["tmp"] == before["tmp"]
    for top, state in before["trees"].items():
        changed = {path for path in state.keys() | after["trees"][top].keys()
                   if state.get(path) != after["trees"][top].get(path)}
        assert changed == set(), top


def test_a_killed_grading_command_leaves_no_process(course, tmp_path, monkeypatch):
    """SIGKILL the whole grading command while a daemon runs in a jail: the daemon dies with it.

    Its workers' temporary folders outlive it, and the next pool removes them.
    """
    attacks = {"daemon": (lambda c: add_cell(_daemon(c), "import time\ntime.sleep(60)"), FULL)}
    make_course(course, tmp_path, attacks)
    temporary = Path(tempfile.mkdtemp(prefix="killed-run-"))  # not pytest's: workers must enter it
    temporary.chmod(0o755)
    command = subprocess.Popen([sys.executable, "-m", "graders", "grade", "--course", str(tmp_path), A],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                               env={**os.environ, "TMPDIR": str(temporary)})
    deadline = time.monotonic() + 120
    while len(sandbox_processes(UID_BASE)) < 4 and time.monotonic() < deadline:  # owner, init, kernel, daemon
        time.sleep(0.2)
    assert len(sandbox_processes(UID_BASE)) >= 4
    os.killpg(command.pid, signal.SIGKILL)
    command.wait()
    deadline = time.monotonic() + 15
    while sandbox_processes() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sandbox_processes() == []
    left = list(temporary.glob("mdsi-worker-*"))
    assert left
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    workers.LocalWorkers(size=1).close()
    assert not any(folder.exists() for folder in left)
    shutil.rmtree(temporary)


# -- the same batch, course installed as a wheel, and graded by an ordinary user ------------------------
def _wheel_environment(tmp_path):
    """A copy of the environment (hard links) with the course installed from a wheel instead of editable."""
    venv = tmp_path / "wheel-venv"
    if subprocess.run(["cp", "-al", sys.prefix, str(venv)]).returncode != 0:  # hard links need one file system
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run(["cp", "-a", sys.prefix, str(venv)], check=True)
    site = Path(venv, "lib", f"python{sys.version_info.major}.{sys.version_info.minor}", "site-packages")
    for path in site.iterdir():
        if "mdsi_course" in path.name:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(ROOT)],
                   check=True, cwd=tmp_path)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps",
                    *map(str, wheels.glob("mdsi_course-*.whl"))], check=True, cwd=tmp_path)
    return venv


def _as_ordinary_user():
    """In the child, before exec: see the Python environment, then become an ordinary user (no root)."""
    from graders.fastgrade.workers import _keep_environment_readable

    _keep_environment_readable()
    os.setgroups([])
    os.setresgid(ORDINARY_UID, ORDINARY_UID, ORDINARY_UID)
    os.setresuid(ORDINARY_UID, ORDINARY_UID, ORDINARY_UID)


def _grade_with(python, root, preexec=None):
    # Not the zygote an earlier in-process grading published in this process's environment: it is
    # root's, and an ordinary user's connection to it is reset.
    env = {key: value for key, value in os.environ.items() if key != "MDSI_ZYGOTE"}
    done = subprocess.run([python, "-m", "graders", "grade", "--course", str(root), A], capture_output=True,
                          text=True, cwd=root, preexec_fn=preexec, timeout=900,
                          env={**env, "HOME": str(root), "USER": "grader"})
    return done.returncode, done.stdout + done.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="the wheel install and the ordinary user are set up by root")
def test_the_same_batch_from_a_wheel_install_graded_by_an_ordinary_user(course, other_checkout):
    """The batch again, the course installed from a wheel (not -e) and graded without root (rlimits, no cgroups).

    The main batch covers an editable install graded by root; one run covers the other install mode and the
    rootless sandbox together.
    """
    attacks = jail_attacks(other_checkout)
    root = Path(tempfile.mkdtemp(prefix="course-"))  # outside pytest's folders, which only root may enter
    environment = Path(tempfile.mkdtemp(prefix="wheel-"))
    environment.chmod(0o755)  # the ordinary user runs Python from it
    make_course(course, root, attacks)
    subprocess.run(["chown", "-R", f"{ORDINARY_UID}:{ORDINARY_UID}", str(root)], check=True)
    try:
        python = str(_wheel_environment(environment) / "bin" / "python")
        code, output = _grade_with(python, root, _as_ordinary_user)
        assert code == 0, output
        assert "rlimits" in output, output
        scores = scores_of(root)
        assert {student: scores[student] for student in attacks} == {s: score for s, (_, score) in attacks.items()}
        for student in OBSERVERS:
            text = cell_text(root, student, "print('OPEN')")
            assert "BLOCKED" in text and "OPEN" not in text, student
        assert sandbox_processes() == [] and sandbox_processes(ORDINARY_UID) == []
    finally:
        shutil.rmtree(root)
        shutil.rmtree(environment)


# -- the trusted side: callbacks into the grader's objects (ch09 passes fitted models) ------------------
C09 = "ch09_production_ml"
_SERVE = "def serve_prediction(model, features, model_version):\n{body}\n    return {{'prediction': 0, " \
         "'probability': 0.5, 'model_version': model_version}}\n"
CALLBACK_ATTACKS = {  # student -> body of serve_prediction; each must score what a plainly wrong one scores
    "walks-into-model": "    import numpy as np\n    tree = model.tree_\n    tree.compute_partial_dependence("
                        "np.zeros((1, 5)), np.zeros(1, dtype=np.intp), np.zeros(1))",
    "amplifies-a-request": "    import numpy as np\n    model.predict_proba(np.zeros((150_000, 5)))",  # 6 MB > cap
    "asks-for-internals": "    runtime = object.__getattribute__(model, '_runtime')\n    ref = object.__getattribute__("
                          "model, '_ref')\n    runtime.ask_grader({'op': 'getattr', 'ref': ref, 'name': '__reduce__'})",
    "calls-the-model": "    model(features)",
}
WRONG_SERVE = "    pass"  # the baseline: a wrong answer that never touches the model


@pytest.fixture(scope="module")
def callbacks_attacked(course, tmp_path_factory):
    from graders.exercises import exercises
    from graders.submissions import fill

    root = tmp_path_factory.mktemp("callbacks")
    new_course(course, root)
    with open(root / "nbgrader_config.py", "a") as config:  # time is not what these attacks test: a loaded
        config.write("c.Execute.timeout = 120\nc.Sandbox.cpu_seconds = 60\n")  # machine must not cost a cell
    declared = exercises(C09)
    release = nbformat.read(root / "release" / C09 / f"{C09}.ipynb", as_version=4)
    honest = fill(release, C09, {ex.name: "reference" for ex in declared})
    for student, body in {"honest": None, "wrong-serve": WRONG_SERVE, **CALLBACK_ATTACKS}.items():
        notebook = nbformat.from_dict(honest)
        if body is not None:
            cells = notebook.cells
            cells[next(i for i, c in enumerate(cells) if c.metadata.get("nbgrader", {}).get("grade_id")
                       == "serve_prediction")].source = _SERVE.format(body=body)
        folder = root / "submitted" / student / C09
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / f"{C09}.ipynb")
    report = grade_class(root, [C09], progress=False)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        scores = {s.student.id: s.score for s in gradebook.find_assignment(C09).submissions}
    full = sum(t.points for ex in declared for t in ex.tests)
    return report, scores, full


@pytest.mark.parametrize("student", sorted(CALLBACK_ATTACKS))
def test_learner_code_reaches_only_the_allowed_interface_of_grader_objects(callbacks_attacked, student):
    report, scores, full = callbacks_attacked
    assert scores["honest"] == full > scores["wrong-serve"]
    assert scores[student] == scores["wrong-serve"]
    assert report.failed == []
    assert not [note for _, who, note in report.notes if who == student and "worker" in note]  # it never crashed


# -- the trusted processes survive their clients --------------------------------------------------
def test_the_zygote_serves_on_after_bad_clients():
    import socket

    from graders.fastgrade.kernels import local_zygote
    from graders.fastgrade.sandbox import check_available

    name = local_zygote()[0]
    for payload in (b"", b"not json\n", b"{}\n", b"[1, 2]\n", b"x" * 100_000):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(60)
            client.connect("\0" + name)
            client.sendall(payload)
            client.shutdown(socket.SHUT_WR)
            assert b"error" in client.makefile("rb").readline()
    check_available()  # a jailed kernel still starts, and stops


def test_a_crashed_worker_costs_only_its_job_and_workers_are_not_root():
    from graders.fastgrade.workers import WORKER_UID, LocalWorkers, WorkerCrashed

    pool = LocalWorkers(1)
    try:
        with pytest.raises(WorkerCrashed):
            pool.submit(os._exit, 3).result(120)
        assert pool.submit(os.geteuid).result(120) == (WORKER_UID if os.geteuid() == 0 else os.geteuid())
    finally:
        pool.close()


@pytest.mark.skipif(os.geteuid() != 0 or not cgroup.available(), reason="cgroups need root and a hierarchy")
def test_memory_is_limited_for_the_kernel_and_its_children_together(course):
    """Four processes of 350 MiB each, every one under the per-process limit: the jail's 1200 MiB stops them."""
    config = load_course_config(course)
    config.merge(Config({"Sandbox": {"memory_mb": 1200}}))
    child = ("open('/proc/self/oom_score_adj', 'w').write('1000'); import time; block = b'x' * (350 * 2**20); "
             "time.sleep(3)")
    code = (f"import subprocess, sys\nchild = {child!r}\n"
            "children = [subprocess.Popen([sys.executable, '-c', child]) for _ in range(4)]\n"
            "killed = sum(child.wait() < 0 for child in children)\nprint('killed', killed)")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    executed, _ = execute_notebooks([nbformat.writes(notebook)], {}, config, A)
    text = "".join(out.get("text", "") for out in nbformat.reads(executed[0], as_version=4).cells[0].outputs)
    assert text.startswith("killed ") and int(text.split()[1]) >= 1, text


@pytest.mark.skipif(os.geteuid() != 0 or not cgroup.available(), reason="cgroups need root and a hierarchy")
def test_a_group_left_by_a_killed_keeper_gives_way_to_the_next_with_its_pid():
    """Groups are named after the keeper's pid; a SIGKILLed keeper leaves its (empty) group behind."""
    name = f"mdsi-k{os.getpid()}-test"
    cgroup.KernelGroup(name, 256, 16)  # never removed: its keeper "was killed"
    group = cgroup.KernelGroup(name, 512, 32)
    try:
        assert all(folder.is_dir() for folder in group.folders)
    finally:
        group.remove()
    assert not any(folder.exists() for folder in group.folders)


def test_the_compiled_editable_finder_is_covered_too(tmp_path, monkeypatch):
    """site-packages/__pycache__ holds the editable finder compiled, with the checkout's paths in it."""
    cache = tmp_path / "site-packages" / "__pycache__"
    cache.mkdir(parents=True)
    for name in ("__editable___mdsi_course_0_1_0_finder.cpython-311.pyc", "six.cpython-311.pyc"):
        (cache / name).write_bytes(b"")
    monkeypatch.setattr(sys, "path", [str(tmp_path / "site-packages")])
    assert jail.course_package_paths([str(tmp_path)]) == [
        str(cache / "__editable___mdsi_course_0_1_0_finder.cpython-311.pyc")]
