"""Grading on real Dask clusters: late, stale, broken and killed workers, and job-queue clusters.

The tests start their own ``dask scheduler`` and ``dask worker`` processes on
127.0.0.1 (or dask-jobqueue's local job queue) and compare every score with
stock nbgrader's (``test_autograde.py``'s course).
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import dask
import pytest

from graders.fastgrade.command import grade_class
from graders.fastgrade.coordinator import GradedState
from graders.notebook_build import ROOT
from tests.test_fastgrade import _scores, _stock_scores, fresh_copy

A = "ch03_loss_functions"
PYTHON = sys.executable
ORDINARY_UID = 54_322  # the worker of a machine without user namespaces (no account needed)


class Processes:
    """A ``dask scheduler`` on 127.0.0.1 and the ``dask worker`` processes a test starts; all stopped after it."""

    def __init__(self, folder):
        self.folder, self.started, self.cleanup = folder, [], []
        file = folder / "scheduler.json"
        self.start("scheduler", [PYTHON, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                 "--port", "0", "--no-dashboard", "--scheduler-file", str(file)])
        deadline = time.monotonic() + 60
        while not file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.2)  # written, then flushed
        self.address = json.loads(file.read_text())["address"]

    def start(self, name, command, **options):
        log = open(self.folder / f"{name}.log", "w")
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                   cwd=options.pop("cwd", self.folder), **options)
        self.started.append(process)
        return process

    def worker(self, name, python=PYTHON, prefix=(), nanny=False, extra=(), scratch=None, **options):
        if scratch is None:
            scratch = self.folder / name
            scratch.mkdir()
        return self.start(name, [*prefix, python, "-m", "distributed.cli.dask_worker", self.address,
                                 "--name", name, "--nthreads", "1", "--no-dashboard", "--local-directory",
                                 str(scratch), *([] if nanny else ["--no-nanny"]), *extra], **options)

    def stop(self):
        """Workers first, then the scheduler: a worker whose scheduler stops while it closes hangs (10 s)."""
        for process in reversed(self.started):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for folder in self.cleanup:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def dask_processes(tmp_path):
    processes = Processes(tmp_path)
    yield processes
    processes.stop()


def new_course(graded, folder):
    """A course with the assignment's sources and submissions, nothing graded; and its students."""
    (folder / "course").mkdir()
    return fresh_copy(graded, folder / "course", [A])


def students(graded):
    return {key[1] for key in _stock_scores(graded, [A])}


def plain_environment(folder):
    """A Python environment with Dask and every dependency, but not the course: a worker without mdsi-course."""
    subprocess.run([PYTHON, "-m", "venv", "--without-pip", str(folder)], check=True)
    site = f"lib/python{sys.version_info.major}.{sys.version_info.minor}/site-packages"
    # A path in a .pth file is added, but the .pth files there (the editable install's finder) are not read.
    (folder / site / "dependencies.pth").write_text(str(Path(sys.prefix, site)) + "\n")
    return str(folder / "bin" / "python")


def old_checkout(folder):
    """A copy of the grading code with one check as it was before a change (a comment more)."""
    for package in ("graders", "solutions"):
        shutil.copytree(ROOT / package, folder / package, ignore=shutil.ignore_patterns("__pycache__"))
    check = folder / "graders" / "exercises" / f"{A}.py"
    current = check.read_text()
    check.write_text(current + "\n# the previous version of these checks\n")
    return check, current


def grade_in_thread(course, address, said, **cluster):
    """Start ``grade_class`` on the cluster at ``address`` in a thread; ``said`` collects the pool's lines."""
    outcome = {}

    def grade():
        try:
            outcome["report"] = grade_class(course, [A], dask=address, progress=False,
                                            cluster={"say": said.append, **cluster})
        except BaseException as exc:  # handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=grade)
    thread.start()
    return thread, outcome


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_workers_are_checked_when_they_join_and_late_or_killed_ones_cost_nothing(graded, tmp_path, dask_processes):
    """Three workers that must not grade, each refused in one line; then a good one joins late and is killed."""
    course = new_course(graded, tmp_path)
    plain = plain_environment(tmp_path / "plain")
    dask_processes.worker("no-package", plain)
    stale_code = tmp_path / "old"
    check, current = old_checkout(stale_code)
    stale = dask_processes.worker("stale", plain, extra=["--preload", "graders.fastgrade.workers"],
                                  env={**os.environ, "PYTHONPATH": str(stale_code)})
    # Once it has imported the old check, the files are updated; the worker keeps what it imported.
    wait_for(lambda: "Registered to" in (tmp_path / "stale.log").read_text() or stale.poll() is not None,
             60, "the stale worker")
    check.write_text(current)
    home = Path(tempfile.mkdtemp(prefix="no-user-namespaces-"))  # outside pytest's folders, which only root may enter
    os.chown(home, ORDINARY_UID, ORDINARY_UID)
    dask_processes.cleanup.append(home)
    dask_processes.worker("no-user-namespaces", scratch=home, cwd=home, env={**os.environ, "HOME": str(home)},
                          prefix=[PYTHON, str(ROOT / "tests" / "no_user_namespaces.py"), str(ORDINARY_UID)])
    said = []
    thread, outcome = grade_in_thread(course, dask_processes.address, said, wait_seconds=300)
    wait_for(lambda: any(line.startswith("waiting for Dask workers") for line in said), 60, "the waiting line")
    dask_processes.worker("late", nanny=True)  # joins after the run started, when no worker could grade

    state = course / ".fastgrade" / f"{A}.json"
    wait_for(lambda: state.exists() and json.loads(state.read_text()), 240, "a first graded submission")
    from dask.distributed import Client

    with Client(dask_processes.address) as client:  # SIGKILL the late worker (its nanny starts a new one)
        workers = client.scheduler_info(n_workers=-1)["workers"]
        late = next(address for address, info in workers.items() if info["name"] == "late")
        os.kill(client.run(os.getpid, workers=[late])[late], signal.SIGKILL)
    assert len(json.loads(state.read_text())) < len(students(graded)), "the worker should be killed mid-run"
    thread.join(400)
    assert not thread.is_alive() and "error" not in outcome, outcome
    report = outcome["report"]
    assert {student for _, student in report.graded} == students(graded) and not report.failed, report.summary()
    assert _scores(course) == _stock_scores(graded, [A])
    refused = sorted(line.split(" refused: ")[1] for line in said if line.startswith("worker "))
    assert len(refused) == 3, said
    assert refused[0].startswith("cannot build the sandbox: user namespaces disabled"), said
    assert refused[1:] == ["grading code differs (restart it after updating the course)",
                           "mdsi-course not installed (no module 'graders')"], said
    assert all("\n" not in line for line in said)


def test_a_run_without_usable_workers_stops_with_one_message(graded, tmp_path, dask_processes):
    course = new_course(graded, tmp_path)
    said = []
    started = time.monotonic()
    report = grade_class(course, [A], dask=dask_processes.address, progress=False,
                         cluster={"say": said.append, "wait_seconds": 3})
    assert time.monotonic() - started < 30
    assert re.search(r"no usable Dask worker at tcp://127\.0\.0\.1:\d+ for 3 s", report.stopped), report.summary()
    assert report.exit_code == 2 and not report.graded and len(report.pending) == len(students(graded))
    assert said == [f"waiting for Dask workers at {dask_processes.address}: none usable yet (giving up after 3 s)"]
    assert not GradedState(course, A).fingerprints


def tls_settings(folder):
    """Dask's configuration for TLS between scheduler, workers and client, with a throw-away certificate."""
    key, certificate = str(folder / "tls-key.pem"), str(folder / "tls-cert.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
                    "-days", "1", "-subj", "/CN=dask-test"], check=True, capture_output=True)
    settings = {"distributed.comm.require-encryption": True, "distributed.comm.tls.ca-file": certificate}
    for role in ("scheduler", "worker", "client"):
        settings |= {f"distributed.comm.tls.{role}.cert": certificate, f"distributed.comm.tls.{role}.key": key}
    return settings


def test_a_job_queue_cluster_adapts_and_gives_the_same_grades(graded, tmp_path):
    """dask-jobqueue's local job queue, through the code path of ``--dask slurm`` (no Slurm needed), over TLS."""
    course = new_course(graded, tmp_path)
    said = []
    jobs = {"cores": 1, "processes": 1, "memory": "4GiB", "local-directory": str(tmp_path),
            "log-directory": None, "scheduler-options": {"host": "127.0.0.1", "dashboard_address": None}}
    with dask.config.set({**{f"jobqueue.local.{key}": value for key, value in jobs.items()},
                          **tls_settings(tmp_path)}):
        report = grade_class(course, [A], dask="local-jobqueue", progress=False,
                             cluster={"say": said.append, "min_workers": 1, "max_workers": 2})
    assert {student for _, student in report.graded} == students(graded) and not report.failed, report.summary()
    assert _scores(course) == _stock_scores(graded, [A])
    assert said and all(line.startswith("waiting for Dask workers at tls://127.0.0.1:") for line in said), said


def stop_part_way(course, address, signum, *args):
    """Run the real command on the cluster at ``address``; send ``signum`` (to its process group, as a
    terminal does) once it committed a submission; return (exit code, stdout, stderr, seconds after the signal)."""
    state = course / ".fastgrade" / f"{A}.json"
    before = json.loads(state.read_text()) if state.exists() else {}
    run = subprocess.Popen([str(Path(PYTHON).parent / "mdsi-course"), "grade", "--course", str(course),
                            "--dask", address, *args], text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           start_new_session=True)
    wait_for(lambda: run.poll() is not None or (state.exists() and len(json.loads(state.read_text())) > len(before)),
             240, "a committed submission")
    assert run.poll() is None, "the run should be stopped part-way"
    os.killpg(run.pid, signum)
    signalled = time.monotonic()
    out, err = run.communicate(timeout=60)
    return run.returncode, out, err, time.monotonic() - signalled


def test_sigterm_then_ctrl_c_under_dask_stop_between_commits_and_resume_to_the_same_grades(
        graded, tmp_path, dask_processes):
    """Both signals stop a run on real Dask workers cleanly and quickly; the next run completes it."""
    course = new_course(graded, tmp_path)
    dask_processes.worker("w", extra=["--preload", "graders.fastgrade.workers"])
    state = course / ".fastgrade" / f"{A}.json"
    for signum, code, reason in ((signal.SIGTERM, 143, "stopped by SIGTERM"),
                                 (signal.SIGINT, 130, r"interrupted \(Ctrl-C\)")):
        returned, out, err, seconds = stop_part_way(course, dask_processes.address, signum)
        assert returned == code and "Traceback" not in err and "KeyboardInterrupt" not in out + err, out + err
        assert seconds < 10, f"the coordinator took {seconds:.1f} s to exit"  # nothing left hanging
        summary, stop = out.splitlines()[-3], out.splitlines()[-1]
        done, left = map(int, re.fullmatch(rf"STOPPED: {reason}\. The (\d+) submission\(s\) graded are committed; "
                                           r"the (\d+) not graded .*Run the same command again to resume\.",
                                           stop).groups())
        assert summary.startswith(f"graded {done}, unchanged ") and done >= 1 and left >= 1, out
        graded_now = json.loads(state.read_text())
        assert all((course / "autograded" / student / A / f"{A}.ipynb").exists() for student in graded_now)
        assert not list(course.glob(".fastgrade/autograded/*")), "a dropped submission left output behind"
    said = []
    resumed = grade_class(course, [A], dask=dask_processes.address, progress=False, cluster={"say": said.append})
    assert len(resumed.graded) == left and not resumed.failed and len(resumed.skipped) == len(graded_now)
    assert _scores(course) == _stock_scores(graded, [A])
    left_running = [thread.name for thread in threading.enumerate()
                    if thread is not threading.main_thread() and not thread.daemon]
    assert not left_running, left_running  # a run leaves nothing that would keep the program from exiting
