"""Where notebooks execute: grading worker processes on this machine, or on a Dask cluster.

A grading worker runs the hidden checks and drives the jailed kernels, so it
sees whatever a learner's code returns.  It is therefore not root: when the
grader runs as root, each worker imports what it needs, then becomes
:data:`WORKER_UID` with no supplementary groups, and caps its own address
space.  A worker that crashes (a native-code fault, the memory cap) costs only
the notebook it was running: :class:`WorkerCrashed` is raised for that one and
a new worker takes its place.

Both pools offer ``submit(fn, *args) -> future``, ``wait_first(futures) -> done``,
``capacity()`` (notebooks to keep in flight now) and ``close()``; workers never
touch the gradebook.  Every process that grades compares the grading code it
imported with its parent's (:func:`imported_code_digest`): a worker started
before a check changed is never used.
"""

import concurrent.futures
import os
import queue
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

from graders.fastgrade import jail
from graders.fastgrade.coordinator import grading_code_digest
from graders.fastgrade.failures import SystemicFailure
from graders.fastgrade.kernels import ZYGOTE_ENV, KernelStartError, Zygote
from graders.untrusted import shown

WORKER_UID = jail.UID_BASE - 1  # never a kernel's uid (those are UID_BASE + a pid)


_IMPORTED_DIGEST = grading_code_digest()  # the files as this process imported them


def imported_code_digest():
    """:func:`grading_code_digest` of the grading code as it was when this process imported it.

    A long-lived process keeps its modules when the files change on disk: it
    must then no longer grade, whatever the files say now.
    """
    return _IMPORTED_DIGEST


class ClusterConfigError(ValueError):
    """``--dask`` names no cluster this tool can start, or lacks what the cluster needs."""


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


def _serve(connection, memory_mb, folder, digest):
    """A worker's life: run the jobs it is sent, one at a time, and send back results or exceptions.

    ``digest`` is its parent's :func:`imported_code_digest`: a worker that
    imported other grading code (the files changed in between) runs no job.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the coordinator, which stops us
    become_grading_worker(memory_mb, folder)
    stale = imported_code_digest() != digest
    while True:
        try:
            fn, args = connection.recv()
        except EOFError:
            return
        try:
            if stale:
                raise SystemicFailure("the grading code changed on disk after this run (or Dask worker) started: "
                                      "restart the Dask workers, then run the same command again")
            outcome = ("ok", fn(*args))
        except Exception as exc:  # reported to the coordinator as the job's exception
            outcome = ("error", exc)
        try:
            connection.send(outcome)
        except Exception as exc:  # an unpicklable exception: send its description
            connection.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


_FOLDER_PREFIX = "mdsi-worker-"


def _remove_orphaned_folders():
    """Remove the temporary folders of workers whose pool process is gone (killed before it could clean up).

    A worker's folder is named after its pool's pid; a folder of a pid that no
    longer runs is no one's (a live pid, reused or not, keeps its folders).
    """
    for folder in Path(tempfile.gettempdir()).glob(f"{_FOLDER_PREFIX}*-*"):
        pid = folder.name[len(_FOLDER_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        pass
    return True


class LocalWorkers:
    """Grading worker processes on this machine, sharing one kernel zygote; a crash costs one job.

    The zygote and the first worker start together at once (each takes
    seconds to import what it needs); the other workers start with their first job.
    """

    def __init__(self, size=None, memory_mb=4096):
        # One more worker than cores: a kernel spends ~0.3 s of its start-up
        # waiting on handshakes, which another worker's notebook can use.
        self.size = size or (os.cpu_count() or 1) + 1
        self.memory_mb = memory_mb
        self.zygote = Zygote([WORKER_UID] if os.geteuid() == 0 else [])  # the pool's own, stopped with it
        _remove_orphaned_folders()
        self.jobs = queue.Queue()
        self.threads = [threading.Thread(target=self._drive, args=(slot == 0,), daemon=True)
                        for slot in range(self.size)]
        for thread in self.threads:
            thread.start()

    @property
    def limits(self):
        """How the zygote limits kernels (once it is ready)."""
        return self.zygote.limits

    def _start_worker(self):
        """A new worker process (a plain subprocess: Dask's daemonic workers may start those too)."""
        folder = tempfile.mkdtemp(prefix=f"{_FOLDER_PREFIX}{os.getpid()}-")
        if os.geteuid() == 0:
            os.chown(folder, WORKER_UID, WORKER_UID)
        ours, theirs = socket.socketpair()
        process = subprocess.Popen([sys.executable, "-m", "graders.fastgrade.workers", str(theirs.fileno()),
                                    str(self.memory_mb), folder, imported_code_digest()], pass_fds=[theirs.fileno()],
                                   env={**os.environ, ZYGOTE_ENV: self.zygote.name})
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

    def _drive(self, early):
        """One worker slot: send each job to its process; replace the process if it dies.

        With ``early``, its process starts now rather than with the first job.
        """
        process = connection = None
        if early:
            try:
                process, connection = self._start_worker()
            except OSError:  # started again, and reported, with the first job
                pass
        while (job := self.jobs.get()) is not None:
            future, fn, args = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                self.zygote.wait()  # a job may start a kernel
            except KernelStartError as exc:
                future.set_exception(exc)
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

    def capacity(self):
        """Notebooks to keep in flight: two per worker, so none waits for the coordinator."""
        return 2 * self.size

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


_HERE = {}  # this Dask worker process's own grading workers, by their memory cap
_HERE_LOCK = threading.Lock()  # tasks and checks run in threads of their own


def _grading_pool(nthreads, memory_mb):
    """This Dask worker process's grading workers (one per thread) capped at ``memory_mb``, started on first use."""
    with _HERE_LOCK:
        if memory_mb not in _HERE:
            _HERE[memory_mb] = LocalWorkers(max(1, nthreads), memory_mb)
        return _HERE[memory_mb]


def dask_setup(worker):
    """Run by ``dask worker --preload graders.fastgrade.workers``: start the grading workers right away.

    Their zygote and first worker import for seconds; started with the Dask
    worker, they are ready when a coordinator checks it.  The memory cap is
    the default ``c.Sandbox.worker_memory_mb``; a course setting another one
    gets grading workers of its own at its first check.
    """
    from graders.fastgrade.sandbox import Sandbox

    nthreads, memory_mb = worker.state.nthreads, Sandbox().worker_memory_mb
    threading.Thread(target=_grading_pool, args=(nthreads, memory_mb), daemon=True).start()


def run_on_grading_worker(memory_mb, fn, *args):
    """On a Dask worker: run ``fn(*args)`` in one of this machine's (non-root) grading worker processes."""
    from dask.distributed import get_worker

    return _grading_pool(get_worker().state.nthreads, memory_mb).submit(fn, *args).result()


def _check_grading_process(sandbox):
    """In a grading worker: ``None`` if it can start a jailed kernel (when ``sandbox``), else why not."""
    if not sandbox:
        return None
    from graders.fastgrade.sandbox import check_available

    try:
        check_available(os.environ[ZYGOTE_ENV].split(" ", 1)[0])
    except RuntimeError as exc:
        reason = str(exc).split(". Safe grading needs", 1)[0].replace("cannot start a sandboxed kernel: ", "")
        reason = re.sub(r"^(\w+Error: )+", "", reason)
        if "namespace" in reason.lower() or "Operation not permitted" in reason or "No space left" in reason:
            return f"cannot build the sandbox: user namespaces disabled ({reason})"
        return f"cannot build the sandbox: {reason}"
    return None


async def check_worker(expected_digest, memory_mb, sandbox, dask_worker):
    """Run by the coordinator on each Dask worker that joins: ``None`` if it may grade, else the reason.

    It may grade when the grading code it imported is the coordinator's, and
    (if the sandbox is on) one of its grading workers can start a jailed kernel.
    Blocking work runs in a thread, so the worker keeps answering its scheduler.
    """
    import asyncio

    def check():
        if imported_code_digest() != expected_digest:
            return "grading code differs (restart it after updating the course)"
        pool = _grading_pool(dask_worker.state.nthreads, memory_mb)
        try:
            return pool.submit(_check_grading_process, sandbox).result()
        except Exception as exc:  # e.g. its grading workers cannot start
            return f"its grading workers fail: {type(exc).__name__}: {exc}"

    return await asyncio.to_thread(check)


JOB_QUEUES = {"slurm": "SLURMCluster", "pbs": "PBSCluster", "sge": "SGECluster", "lsf": "LSFCluster",
              "htcondor": "HTCondorCluster", "moab": "MoabCluster", "oar": "OARCluster",
              "local-jobqueue": "LocalCluster"}  # the last: dask-jobqueue's own local stand-in, for tests


def _refusal(answer):
    """The one-line reason a worker's check answer refuses it, or ``None``."""
    if answer is None:
        return None
    if isinstance(answer, str):
        return answer
    missing = re.search(r"No module named '(graders|solutions)[.']", str(answer))
    if missing:  # the worker could not even read the check: Dask passes the ImportError on as text
        return f"mdsi-course not installed (no module {missing[1]!r})"
    if isinstance(answer, BaseException):
        return f"its check failed: {type(answer).__name__}: {answer}"
    return f"unexpected answer to its check: {answer!r}"


class _Check:
    """One worker's check, run in a daemon thread so a worker that never answers cannot block the run."""

    def __init__(self, client, address, args, answered):
        self.started = time.monotonic()
        self.answer = self.done = None

        def run():
            try:
                self.answer = client.run(check_worker, *args, workers=[address], on_error="return").get(address)
            except Exception as exc:  # the client closed, the worker left
                self.answer = exc
            self.done = True
            answered.set()  # wakes a coordinator waiting for its first worker

        threading.Thread(target=run, daemon=True).start()


class DaskWorkers:
    """A Dask cluster: ``"local"``, a job-queue system (``"slurm"``, ``"pbs"``...) or a scheduler address.

    Each Dask worker process runs notebooks in grading workers of its own,
    with its own zygote, so kernels are forked on the machine that runs them.
    Every worker that joins, whenever it joins, is checked (:func:`check_worker`)
    before it gets a notebook; one that fails is refused in one line and never
    used.  Tasks go only to checked workers (``workers=`` restrictions); a task
    whose workers all left is submitted again to the present ones.
    """

    limits = "as each Dask worker's machine allows"

    def __init__(self, address, size=None, memory_mb=4096, *, sandbox=True, min_workers=1, max_workers=None,
                 wait_seconds=600.0, check_seconds=300.0, say=None):
        from dask.distributed import Client

        self.address, self.memory_mb, self.sandbox = address, memory_mb, sandbox
        self.wait_seconds, self.check_seconds = wait_seconds, check_seconds
        self.say = say or (lambda line: print(line, file=sys.stderr, flush=True))
        self.digest = grading_code_digest()
        self.checked, self.refused, self.checks = {}, {}, {}  # address -> threads / reason / _Check
        self.tasks, self.waiting = {}, []  # our future -> (Dask future, its workers, fn, args); unsent jobs
        self._looked = self._alone_since = self._said = 0.0
        self._room = 0  # capacity() when wait_first last looked
        self._answered = threading.Event()  # set when a check answers
        self.client = None
        self.cluster = _start_cluster(address, size, min_workers, max_workers)
        try:
            self.client = Client(self.cluster or address, timeout="30s")
        except OSError as exc:
            self.close()
            raise SystemicFailure(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        self.address = self.client.scheduler.address  # the scheduler's, also of a cluster made here

    @property
    def size(self):
        """Threads of the checked workers present now."""
        return sum(self.checked.values())

    def capacity(self):
        """Notebooks to keep in flight now: two per thread of the checked workers present."""
        self._look()
        return 2 * self.size

    def _look(self):
        """Check the workers that joined, forget those that left, and send jobs where workers are."""
        now = time.monotonic()
        if now - self._looked < 0.5 and not self._answered.is_set():
            return
        self._looked = now
        self._answered.clear()
        present = self.client.nthreads()
        for address in present.keys() - self.checked.keys() - self.refused.keys() - self.checks.keys():
            self.checks[address] = _Check(self.client, address, (self.digest, self.memory_mb, self.sandbox),
                                          self._answered)
        for address, check in list(self.checks.items()):
            if not check.done and now - check.started < self.check_seconds:
                continue
            del self.checks[address]
            if address not in present:
                continue  # it left during its check
            reason = _refusal(check.answer) if check.done else f"did not answer its check in {self.check_seconds:.0f} s"
            if reason is None:
                self.checked[address] = present[address]
            else:
                self.refused[address] = reason
                self.say(f"worker {address} refused: {shown(reason)}")
        for address in self.checked.keys() - present.keys():
            del self.checked[address]
        for future, (task, workers, fn, args) in list(self.tasks.items()):
            if not workers & self.checked.keys():  # every worker it could run on left
                del self.tasks[future]
                task.cancel()
                self.waiting.append((future, fn, args))
        waiting, self.waiting = self.waiting, []
        for future, fn, args in waiting:
            self._send(future, fn, args)

    def _send(self, future, fn, args):
        if not self.checked:
            self.waiting.append((future, fn, args))
            return
        workers = set(self.checked)
        task = self.client.submit(run_on_grading_worker, self.memory_mb, fn, *args, workers=sorted(workers),
                                  allow_other_workers=False, pure=False)
        self.tasks[future] = (task, workers, fn, args)

    def submit(self, fn, *args):
        future = concurrent.futures.Future()
        future.set_running_or_notify_cancel()
        self._send(future, fn, args)
        return future

    def _collect(self):
        for future, (task, *_) in list(self.tasks.items()):
            if task.done():
                del self.tasks[future]
                try:
                    future.set_result(task.result())
                except Exception as exc:  # the job's own exception, or Dask's (e.g. KilledWorker)
                    future.set_exception(exc)

    def _without_workers(self):
        """Say so every 30 s while no checked worker is present; stop the run after ``wait_seconds``."""
        now = time.monotonic()
        if self.checked:
            self._alone_since = 0.0
            return
        self._alone_since = self._alone_since or now
        waited = now - self._alone_since
        refused = f" ({len(self.refused)} refused)" if self.refused else ""
        if waited >= self.wait_seconds:
            raise SystemicFailure(
                f"no usable Dask worker at {self.address} for {waited:.0f} s{refused}: start workers "
                f"(`dask worker SCHEDULER_ADDRESS` where mdsi-course is installed), then run the same command again")
        if now - self._said >= 30:
            self._said = now
            self.say(f"waiting for Dask workers at {self.address}: none usable yet{refused} "
                     f"(giving up after {self.wait_seconds:.0f} s)")

    def wait_first(self, futures):
        """Futures of ``futures`` that finished; returns early, maybe empty, when new workers give room for more."""
        from dask.distributed import wait

        while True:
            self._collect()
            done = {future for future in futures if future.done()}
            room, self._room = self.capacity(), max(self._room, len(futures))
            grew, self._room = room > self._room, room
            if done or grew:
                return done
            self._without_workers()
            tasks = [self.tasks[future][0] for future in futures if future in self.tasks]
            try:
                wait(tasks, timeout=1, return_when="FIRST_COMPLETED") if tasks else self._answered.wait(0.5)
            except TimeoutError:
                pass

    def close(self):
        for task, *_ in self.tasks.values():
            task.cancel()
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _start_cluster(kind, size, min_workers, max_workers):
    """A cluster for ``kind`` (``None`` for a scheduler address), job-queue clusters configured by Dask's config."""
    if kind == "local":
        from dask.distributed import LocalCluster

        return LocalCluster(n_workers=size or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                            dashboard_address=None)
    if kind in JOB_QUEUES:
        import dask_jobqueue
        import dask_jobqueue.local

        if not max_workers:
            raise ClusterConfigError(f"--dask {kind}: give the largest number of Dask workers to start "
                                     "(--max-workers N)")
        from dask.distributed import Security

        module = dask_jobqueue.local if kind == "local-jobqueue" else dask_jobqueue
        security = Security()  # distributed.comm.tls.* in Dask's config, if any
        tls = {"security": security} if security.require_encryption or security.tls_ca_file else {}
        cluster = getattr(module, JOB_QUEUES[kind])(**tls)  # cores, memory, queue...: jobqueue.<kind> in Dask's config
        # At least one worker: Dask adapts to the tasks it sees, and none is sent before a worker passed its check.
        cluster.adapt(minimum=max(1, min_workers), maximum=max(1, min_workers, max_workers))
        return cluster
    if "://" not in kind:
        raise ClusterConfigError(f"--dask {kind!r}: expected 'local', a scheduler address (tcp://host:8786, "
                         f"tls://host:8786) or a job queue: {', '.join(sorted(set(JOB_QUEUES) - {'local-jobqueue'}))}")
    return None


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1])), int(sys.argv[2]), sys.argv[3], sys.argv[4])
