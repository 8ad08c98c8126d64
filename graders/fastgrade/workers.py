"""Where notebooks execute: grading worker processes on this machine, or on a Dask cluster.

A grading worker runs the hidden checks and drives the jailed kernels, so it
sees whatever a learner's code returns.  It is therefore not root: when the
grader runs as root, each worker imports what it needs, then becomes
:data:`WORKER_UID` with no supplementary groups, and caps its own address
space.  A worker that crashes (a native-code fault, the memory cap) costs only
the notebook it was running: :class:`WorkerCrashed` is raised for that one and
a new worker takes its place.

Both pools offer ``submit(fn, *args) -> future``, ``wait_first(futures) -> done``
and ``close()``; workers never touch the gradebook.
"""

import concurrent.futures
import os
import queue
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from multiprocessing.connection import Connection
from pathlib import Path

from graders.fastgrade import jail
from graders.fastgrade.kernels import ZYGOTE_ENV, Zygote

WORKER_UID = jail.UID_BASE - 1  # never a kernel's uid (those are UID_BASE + a pid)


class WorkerCrashed(RuntimeError):
    """The grading worker process died while it ran this job."""


def become_grading_worker(memory_mb, folder):
    """In a new worker process: import what grading needs, then drop root and cap the address space.

    ``folder`` is the worker's private temporary folder, made (and removed) by its pool.
    """
    jail.die_with_parent()
    import graders.fastgrade.execute  # noqa: F401 - imported now, while the files are readable
    from graders.exercises import ASSIGNMENTS, exercises

    for assignment in ASSIGNMENTS:
        exercises(assignment)
    if os.geteuid() == 0:
        _keep_environment_readable()
        os.setgroups([])
        os.setresgid(WORKER_UID, WORKER_UID, WORKER_UID)
        os.setresuid(WORKER_UID, WORKER_UID, WORKER_UID)
        jail.die_with_parent()  # the change of user cleared it
    tempfile.tempdir = folder
    os.environ.update(HOME=folder, JUPYTER_RUNTIME_DIR=folder, TMPDIR=folder)
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20,) * 2)


def _keep_environment_readable():
    """Let the worker's future user read the Python environment even if it lies in root's private home.

    In a mount namespace of the worker's own, every folder on the way to the
    environment that others may not enter (``/root`` of a pyenv install) is
    covered by a tmpfs in which only the way to the environment is put back.
    """
    wanted = jail.allowed_paths()
    closed = sorted({str(parent) for path in wanted for parent in Path(path).parents
                     if parent != Path("/") and parent.is_dir() and not os.stat(parent).st_mode & 0o001})
    if not closed:
        return
    jail.unshare(jail.NEWNS)
    jail.mount(None, "/", None, jail.MS_REC | jail.MS_PRIVATE)
    for folder in closed:
        inside = {path: os.open(path, os.O_PATH) for path in wanted if jail.is_under(path, folder)}
        jail.mount("tmpfs", folder, "tmpfs", jail.MS_NOSUID | jail.MS_NODEV, "size=64k,mode=0755")
        for path, fd in inside.items():
            os.makedirs(path, exist_ok=True)
            jail.mount(f"/proc/self/fd/{fd}", path, None, jail.MS_BIND | jail.MS_REC)
            os.close(fd)


def _serve(connection, memory_mb, folder):
    """A worker's life: run the jobs it is sent, one at a time, and send back results or exceptions."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the coordinator, which stops us
    become_grading_worker(memory_mb, folder)
    while True:
        try:
            fn, args = connection.recv()
        except EOFError:
            return
        try:
            outcome = ("ok", fn(*args))
        except Exception as exc:  # reported to the coordinator as the job's exception
            outcome = ("error", exc)
        try:
            connection.send(outcome)
        except Exception as exc:  # an unpicklable exception: send its description
            connection.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


class LocalWorkers:
    """Grading worker processes on this machine, sharing one kernel zygote; a crash costs one job."""

    def __init__(self, size=None, memory_mb=4096):
        # One more worker than cores: a kernel spends ~0.3 s of its start-up
        # waiting on handshakes, which another worker's notebook can use.
        self.size = size or (os.cpu_count() or 1) + 1
        self.memory_mb = memory_mb
        self.zygote = Zygote([WORKER_UID] if os.geteuid() == 0 else [])  # the pool's own, stopped with it
        self.limits = self.zygote.limits
        self.jobs = queue.Queue()
        self.threads = [threading.Thread(target=self._drive, daemon=True) for _ in range(self.size)]
        for thread in self.threads:
            thread.start()

    def _start_worker(self):
        """A new worker process (a plain subprocess: Dask's daemonic workers may start those too)."""
        folder = tempfile.mkdtemp(prefix="mdsi-worker-")
        if os.geteuid() == 0:
            os.chown(folder, WORKER_UID, WORKER_UID)
        ours, theirs = socket.socketpair()
        process = subprocess.Popen([sys.executable, "-m", "graders.fastgrade.workers", str(theirs.fileno()),
                                    str(self.memory_mb), folder], pass_fds=[theirs.fileno()],
                                   env={**os.environ, ZYGOTE_ENV: f"{self.zygote.name} {self.limits}"})
        theirs.close()
        process.folder = folder
        return process, Connection(ours.detach())

    @staticmethod
    def _stop_worker(process, connection):
        """Stop a worker (if it still runs) and remove its temporary folder."""
        connection.close()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(process.folder, ignore_errors=True)

    def _drive(self):
        """One worker slot: send each job to its process; replace the process if it dies."""
        process = connection = None
        while (job := self.jobs.get()) is not None:
            future, fn, args = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                if process is None:
                    process, connection = self._start_worker()
                connection.send((fn, args))
                status, value = connection.recv()
            except (EOFError, OSError):
                if process is not None:
                    self._stop_worker(process, connection)
                future.set_exception(WorkerCrashed(
                    f"the grading worker died (exit code {process.returncode if process else 'none'})"))
                process = connection = None
                continue
            (future.set_result if status == "ok" else future.set_exception)(value)
        if process is not None:
            self._stop_worker(process, connection)

    def submit(self, fn, *args):
        future = concurrent.futures.Future()
        self.jobs.put((future, fn, args))
        return future

    def wait_first(self, futures):
        done, _ = concurrent.futures.wait(futures, return_when=concurrent.futures.FIRST_COMPLETED)
        return done

    def close(self):
        for _ in self.threads:
            self.jobs.put(None)
        for thread in self.threads:
            thread.join(10)
        self.zygote.stop()


_HERE = {}  # this Dask worker process's own grading workers


def run_on_grading_worker(memory_mb, fn, *args):
    """On a Dask worker: run ``fn(*args)`` in one of this machine's (non-root) grading worker processes."""
    if "pool" not in _HERE:
        from dask.distributed import get_worker

        _HERE["pool"] = LocalWorkers(max(1, get_worker().state.nthreads), memory_mb)
    return _HERE["pool"].submit(fn, *args).result()


class DaskWorkers:
    """A Dask cluster: ``"local"`` starts a LocalCluster, anything else is a scheduler address.

    Each Dask worker process runs notebooks in grading workers of its own,
    with its own zygote, so kernels are forked on the machine that runs them.
    """

    def __init__(self, address, size=None, memory_mb=4096):
        from dask.distributed import Client, LocalCluster

        if address == "local":
            self.cluster = LocalCluster(n_workers=size or os.cpu_count() or 1, threads_per_worker=1,
                                        processes=True, dashboard_address=None)
            self.client = Client(self.cluster)
        else:
            self.cluster = None
            self.client = Client(address)
        self.size = size or max(1, sum(self.client.nthreads().values()))
        self.memory_mb = memory_mb
        self.limits = "as each Dask worker's machine allows"

    def submit(self, fn, *args):
        return self.client.submit(run_on_grading_worker, self.memory_mb, fn, *args, pure=False)

    def wait_first(self, futures):
        from dask.distributed import wait

        return wait(futures, return_when="FIRST_COMPLETED").done

    def close(self):
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1])), int(sys.argv[2]), sys.argv[3])
