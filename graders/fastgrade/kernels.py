"""Jupyter kernels forked, jailed, from a zygote instead of started from scratch.

:class:`ForkKernelManager` is a jupyter_client kernel manager whose
provisioner asks a running zygote (:mod:`graders.fastgrade.zygote`) for a new
kernel.  The kernel's handle is the connection to its *keeper*: interrupts and
kills travel over it, and it says when the kernel and every process it started
are gone.  Messaging, restarts and shutdown are jupyter_client's own, so
nbgrader's ``Execute`` preprocessor drives these kernels as it drives ordinary ones.
"""

import atexit
import json
import os
import secrets
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

from graders.fastgrade import jail

ZYGOTE_ENV = "MDSI_ZYGOTE"
DEBUG_ENV = "MDSI_JAIL_DEBUG"  # set to keep the zygote's and the kernels' stderr (maintainers only)
_ZYGOTE_SCRIPT = str(Path(__file__).with_name("zygote.py"))
_ZYGOTE_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "PYTHONPATH", "MPLBACKEND", "MPLCONFIGDIR",
               "XDG_CACHE_HOME", "OPENBLAS_NUM_THREADS",
               "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", DEBUG_ENV)
REPLY_SECONDS = 90.0  # a keeper answers once the kernel runs (or says why it cannot)


class KernelStartError(RuntimeError):
    """The zygote could not start a jailed kernel; the message says why."""


class Zygote:
    """A running zygote process, reachable at the abstract socket ``@name`` once :meth:`wait` returned.

    ``clients`` are the user ids allowed to ask it for kernels (the grading
    workers' and this process's own).  Starting it does not wait for its
    imports (seconds), so that a pool can start its grading workers meanwhile.
    """

    def __init__(self, clients=()):
        self.name = f"mdsi-zygote-{secrets.token_hex(16)}"
        # Every kernel can read the environment and command line its zygote was started with
        # (/proc/self/environ, /proc/1/cmdline): only these variables, and no secret in either.
        environment = {name: os.environ[name] for name in _ZYGOTE_ENV if name in os.environ}
        self.process = subprocess.Popen(
            [sys.executable, _ZYGOTE_SCRIPT], cwd="/", env=environment, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=None if os.environ.get(DEBUG_ENV) else subprocess.DEVNULL, text=True)
        self.process.stdin.write(json.dumps({"name": self.name, "clients": sorted({os.getuid(), *clients})}) + "\n")
        self.process.stdin.close()
        self._ready, self._limits = threading.Lock(), None
        atexit.register(self.stop)

    def wait(self):
        """Wait until the zygote listens; return how it limits kernels ("cgroup v1", "cgroup v2" or "rlimits")."""
        with self._ready:
            if self._limits is None:
                ready = self.process.stdout.readline().split(maxsplit=1)
                if not ready or ready[0] != "ready":
                    raise KernelStartError("the kernel zygote did not start")
                self._limits = ready[1].strip()
        return self._limits

    @property
    def limits(self):
        return self.wait()

    def stop(self):
        """Stop the zygote; its keepers and their kernels die with it."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def local_zygote():
    """The zygote this process asks for kernels: its pool's (named in the environment), or one of its own."""
    if not os.environ.get(ZYGOTE_ENV):
        zygote = Zygote()
        os.environ[ZYGOTE_ENV] = f"{zygote.name} {zygote.limits}"
    return os.environ[ZYGOTE_ENV].split(" ", 1)


class KernelProcess:
    """The part of ``subprocess.Popen`` jupyter_client uses, for a jailed kernel: its keeper's connection.

    The kernel counts as exited once the keeper says its whole jail is gone
    (or the keeper itself is gone).  Exit codes are not reported (0).
    """

    stdin = stdout = stderr = None

    def __init__(self, connection, pid):
        self.connection, self.pid = connection, pid
        self.returncode = None

    def poll(self):
        if self.returncode is None and select.select([self.connection], [], [], 0)[0]:
            try:
                data = self.connection.recv(4096)
            except OSError:
                data = b""
            if not data or b'"exited"' in data:
                self.returncode = 0
                self.connection.close()
        return self.returncode

    def wait(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("kernel", timeout)
            select.select([self.connection], [], [], 0.1)
        return 0

    def send_signal(self, signum):
        if self.returncode is None:
            try:
                self.connection.sendall(f"signal {int(signum)}\n".encode())
            except OSError:
                pass

    def kill(self):
        self.send_signal(signal.SIGKILL)

    def terminate(self):
        self.send_signal(signal.SIGTERM)


def start_kernel(request, zygote=None):
    """Ask a zygote (by name, or :func:`local_zygote`) for a kernel as ``request`` says; return its process.

    A vanished local zygote is replaced once.
    """
    for attempt in (1, 2):
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(REPLY_SECONDS)
        try:
            connection.connect("\0" + (zygote or local_zygote()[0]))
        except (ConnectionRefusedError, FileNotFoundError):
            connection.close()
            if attempt == 2 or zygote:
                raise
            os.environ.pop(ZYGOTE_ENV, None)
            continue
        try:
            connection.sendall(json.dumps(request).encode() + b"\n")
            reply = connection.makefile("rb").readline(1 << 16)
        except OSError as exc:
            connection.close()
            raise KernelStartError(f"no answer from the kernel zygote ({exc})") from None
        try:
            reply = json.loads(reply)
        except ValueError:
            reply = {"error": "the kernel zygote closed the connection"}
        if "pid" not in reply:
            connection.close()
            raise KernelStartError(f"cannot start a sandboxed kernel: {reply.get('error')}")
        connection.settimeout(None)
        return KernelProcess(connection, reply["pid"])


# What a jailed kernel may know of the grader's environment.
_KERNEL_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "MPLBACKEND", "NBGRADER_EXECUTION",
               "PYDEVD_DISABLE_FILE_VALIDATION", "JPY_SESSION_NAME",
               "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


class ForkProvisioner(LocalProvisioner):
    """Launches the kernel in a jail forked from the zygote; every signal goes through its keeper."""

    async def launch_kernel(self, cmd, **kwargs):
        # cmd is the kernelspec's [python, -m, ipykernel_launcher, -f, FILE, ...extra arguments].
        extra = cmd[cmd.index("-f") + 2:] if "-f" in cmd else []
        km = self.parent
        env = dict(kwargs.get("env") or os.environ)
        env = {name: env[name] for name in _KERNEL_ENV if name in env}
        env.update(HOME=jail.HOME, TMPDIR="/tmp") if km.limits["jail"] else None
        request = {"argv": extra, "env": env, "connection": json.loads(Path(km.connection_file).read_text()),
                   "files": km.files, "limits": km.limits, "jail": km.limits["jail"]}
        self.process = start_kernel(request)
        self.pid, self.pgid = self.process.pid, None
        self.cwd = kwargs.get("cwd")
        return self.connection_info

    async def send_signal(self, signum):
        if self.process:
            self.process.send_signal(signum)


class ForkKernelManager(AsyncKernelManager):
    """A kernel manager for Python kernels forked from the zygote into a jail.

    Set ``limits`` (:meth:`graders.fastgrade.sandbox.Sandbox.limits`),
    ``files`` (``{relative path: base64}``, the submission's other files) and
    ``folder`` (a private folder of the worker for the connection file) before
    starting it.  Each start gets fresh, unguessable socket names.
    """

    limits = None
    files = None
    folder = None

    async def _async_pre_start_kernel(self, **kwargs):
        self.transport, self.ip = "ipc", jail.random_ip()
        self.connection_file = str(Path(self.folder, f"kernel-{uuid.uuid4()}.json"))
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kwargs.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ForkProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kwargs)
