"""Jupyter kernels forked from a zygote instead of started from scratch.

:class:`ForkKernelManager` is a jupyter_client kernel manager whose
provisioner asks a running :mod:`graders.fastgrade.zygote` for a new kernel
process.  Everything else (connection files, messaging, interrupts, restarts,
shutdown) is jupyter_client's own, so nbgrader's ``Execute`` preprocessor
drives these kernels exactly as it drives ordinary ones.
"""

import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

ZYGOTE_ENV = "MDSI_ZYGOTE_SOCKET"


class Zygote:
    """A running zygote process and the socket to reach it."""

    def __init__(self):
        self.socket_path = str(Path(tempfile.mkdtemp(prefix="mdsi-zygote-")) / "fork.sock")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "graders.fastgrade.zygote", self.socket_path],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("the kernel zygote did not start")
        atexit.register(self.stop)

    def stop(self):
        """Stop the zygote (kernels it forked are managed, and killed, by their managers)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def local_zygote():
    """This process's zygote, started on first use; its socket is published in the environment."""
    if not os.environ.get(ZYGOTE_ENV):
        os.environ[ZYGOTE_ENV] = Zygote().socket_path
    return os.environ[ZYGOTE_ENV]


def _request_fork(path, request):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.connect(path)
        with connection.makefile("rwb") as stream:
            stream.write(json.dumps(request).encode() + b"\n")
            stream.flush()
            return json.loads(stream.readline())["pid"]


def fork_kernel(argv, env, sandbox):
    """Ask the zygote for a kernel process confined as ``sandbox`` says; return its pid.

    A vanished zygote is replaced.
    """
    request = {"argv": argv, "env": env, "sandbox": sandbox}
    try:
        return _request_fork(local_zygote(), request)
    except (ConnectionRefusedError, FileNotFoundError):
        os.environ.pop(ZYGOTE_ENV, None)
        return _request_fork(local_zygote(), request)


class ForkedProcess:
    """The part of ``subprocess.Popen`` that jupyter_client uses, for a forked kernel.

    The zygote is the kernel's parent and reaps it; here a kernel counts as
    exited once its pid is gone.  Exit codes are not available (reported as 0).
    """

    stdin = stdout = stderr = None

    def __init__(self, pid):
        self.pid = pid

    def poll(self):
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return 0
        return None

    def wait(self, timeout=None):
        while self.poll() is None:
            time.sleep(0.02)
        return 0

    def send_signal(self, signum):
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass

    def kill(self):
        self.send_signal(signal.SIGKILL)

    def terminate(self):
        self.send_signal(signal.SIGTERM)


# What a confined kernel may know of the grader's environment.
_KERNEL_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "MPLBACKEND", "NBGRADER_EXECUTION",
               "PYDEVD_DISABLE_FILE_VALIDATION", "JPY_SESSION_NAME")


class ForkProvisioner(LocalProvisioner):
    """Launches the kernel command's arguments in a process forked from the zygote."""

    async def launch_kernel(self, cmd, **kwargs):
        # cmd is the kernelspec's [python, -m, ipykernel_launcher, -f, FILE, ...extra arguments].
        arguments = cmd[cmd.index("ipykernel_launcher") + 1:]
        env = dict(kwargs.get("env") or os.environ)
        cwd = kwargs.get("cwd") or os.getcwd()
        sandbox = self.parent.sandbox
        if sandbox["enabled"]:
            env = {name: env[name] for name in _KERNEL_ENV if name in env}
            env.update(HOME=sandbox["work"], TMPDIR="/tmp")
        pid = fork_kernel(arguments, env, sandbox)
        self.parent.kernel_pid = pid
        self.process = ForkedProcess(pid)
        self.pid = self.pgid = pid  # the child called setsid(): it leads its own process group
        self.cwd = cwd
        return self.connection_info


class ForkKernelManager(AsyncKernelManager):
    """A kernel manager for Python kernels forked from the zygote.

    ``sandbox`` must be set to :meth:`graders.fastgrade.sandbox.Sandbox.spec`;
    kernels confined by it need ``transport="ipc"``.
    """

    sandbox = None
    kernel_pid = None

    async def _async_pre_start_kernel(self, **kwargs):
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kwargs.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ForkProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kwargs)
