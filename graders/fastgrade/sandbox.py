"""The sandbox a grading kernel runs in: limits, a private view of the files, no network, its own user.

:class:`Sandbox` is the instructor's configuration (``c.Sandbox.memory_mb =
...`` in ``nbgrader_config.py``).  :func:`confine` runs in a kernel process
freshly forked from the zygote, while it is still root and single-threaded,
before ipykernel starts and before any learner code exists in it:

* a mount namespace in which the course directory (solutions, source
  notebooks, checks, gradebook, every submission), ``/tmp``, ``/var/tmp``,
  ``/dev/shm`` and the instructor's home are replaced by empty, size-limited
  tmpfs mounts.  Only the Python environment, the kernel's socket directory
  and its own working directory (a copy of its submission's files) are put
  back;
* a network namespace with no interfaces up: no network at all.  The kernel
  talks to the grader over Unix sockets in its socket directory;
* a user id of its own (``UID_BASE + pid``), so that it cannot read, signal
  or trace another learner's kernel, and ``RLIMIT_NPROC`` caps what *it*
  forks;
* rlimits on memory, CPU time, processes, file sizes and core dumps, and
  ``no_new_privs``.

Unix sockets reach across network namespaces, which is why the kernel uses
the ``ipc`` transport.  Without root none of this is possible: the grader
then refuses to run unless the instructor turns the sandbox off (the limits
on memory, CPU time and file size still apply then).
"""

import ctypes
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from traitlets import Bool, Integer
from traitlets.config import Configurable

UID_BASE = 2_000_000_000
_GRADERS_HOME = Path(__file__).resolve().parents[2]  # where graders/ and solutions/ are installed from
_CLONE_NEWNS, _CLONE_NEWNET = 0x00020000, 0x40000000
_MS_NOSUID, _MS_NODEV, _MS_BIND, _MS_REC, _MS_PRIVATE = 2, 4, 4096, 16384, 1 << 18
_PR_SET_NO_NEW_PRIVS = 38
_libc = ctypes.CDLL(None, use_errno=True)


class Sandbox(Configurable):
    """Limits and isolation of the kernels that run learners' notebooks under ``mdsi-course grade``."""

    enabled = Bool(True, help="Isolate kernels (needs root). Turning it off lets learner code read "
                              "the solutions and the gradebook.").tag(config=True)
    memory_mb = Integer(3072, help="Address-space limit of a kernel, in MiB.").tag(config=True)
    cpu_seconds = Integer(300, help="CPU time a kernel may use before it is killed.").tag(config=True)
    notebook_seconds = Integer(600, help="Wall-clock limit for one notebook, restarts included.").tag(config=True)
    processes = Integer(64, help="Processes and threads a sandboxed kernel may run at once.").tag(config=True)
    disk_mb = Integer(64, help="Size of a kernel's private /tmp and working directory, in MiB.").tag(config=True)
    output_bytes = Integer(1_000_000, help="Output kept per cell; the rest is dropped.").tag(config=True)
    restarts = Integer(3, help="Kernel restarts allowed per notebook after a crash or timeout.").tag(config=True)

    def spec(self, work, sockets, course):
        """What :func:`confine` needs, as plain data (it crosses to the zygote as JSON)."""
        prefixes = {sys.prefix, sys.base_prefix}
        hidden = [str(course), str(_GRADERS_HOME), tempfile.gettempdir(), "/tmp", "/var/tmp", "/dev/shm",
                  str(Path.home())]
        return {"enabled": self.enabled, "work": str(work), "sockets": str(sockets),
                "hide": sorted({p for p in hidden if os.path.isdir(p)}, key=len),
                "keep": sorted(prefixes | {str(sockets)}, key=len),
                "memory_mb": self.memory_mb, "cpu_seconds": self.cpu_seconds, "processes": self.processes,
                "disk_mb": self.disk_mb}

    def describe(self):
        """One line for the grading report: what the kernels were confined by."""
        processes = f", {self.processes} processes" if self.enabled else ""
        limits = (f"limits: memory {self.memory_mb} MiB, CPU {self.cpu_seconds} s{processes}, {self.disk_mb} MiB "
                  f"disk, notebook {self.notebook_seconds} s, output {self.output_bytes} B/cell")
        if not self.enabled:
            return f"sandbox OFF: learner code can read the course directory and use the network; {limits}"
        return f"sandbox: own user per kernel, no network, course directory and /tmp hidden; {limits}"


def _call(result, what):
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _mount(source, target, fstype, flags, data=None):
    _call(_libc.mount(source and source.encode(), target.encode(), fstype and fstype.encode(),
                      ctypes.c_ulong(flags), data and data.encode()), f"mount {target}")


def _is_under(path, parent):
    return path == parent or path.startswith(parent.rstrip("/") + "/")


def _read_tree(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in Path(root).rglob("*") if p.is_file()}


def _limit(kind, soft, hard=None):
    resource.setrlimit(kind, (soft, soft if hard is None else hard))


def confine(spec):
    """Confine this (forked, root, single-threaded) process as ``spec`` says.

    The limits on memory, CPU time and file size apply even with the sandbox
    off; isolation and the process limit need the sandbox (the limit counts
    every process of the user, and only a sandboxed kernel has a user of its own).
    """
    _limit(resource.RLIMIT_CORE, 0)
    uid = UID_BASE + os.getpid()
    if spec["enabled"]:
        _isolate(spec, uid)
    os.chdir(spec["work"])
    _limit(resource.RLIMIT_AS, spec["memory_mb"] << 20)
    _limit(resource.RLIMIT_CPU, spec["cpu_seconds"], spec["cpu_seconds"] + 5)
    _limit(resource.RLIMIT_FSIZE, spec["disk_mb"] << 20)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an oversized write fails with an error, not a kill
    if spec["enabled"]:
        _limit(resource.RLIMIT_NPROC, spec["processes"])
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
        _call(_libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(no_new_privs)")


def _isolate(spec, uid):
    """New mount and network namespaces; hidden folders; a private copy of the work folder owned by ``uid``."""
    files = _read_tree(spec["work"])
    for path in [spec["sockets"], *Path(spec["sockets"]).iterdir()]:  # with the connection file
        os.chown(path, uid, uid)
    _call(_libc.unshare(_CLONE_NEWNS | _CLONE_NEWNET), "unshare")
    _mount(None, "/", None, _MS_REC | _MS_PRIVATE)
    # Opened in the new namespace, so that they can be bind-mounted back once covered.
    keep = {path: os.open(path, os.O_PATH) for path in spec["keep"]
            if any(_is_under(path, hidden) for hidden in spec["hide"])}
    for hidden in spec["hide"]:
        if os.path.isdir(hidden):
            _mount("tmpfs", hidden, "tmpfs", _MS_NOSUID | _MS_NODEV, f"size={spec['disk_mb']}m,mode=1777")
    for path, fd in keep.items():
        os.makedirs(path, mode=0o755, exist_ok=True)
        _mount(f"/proc/self/fd/{fd}", path, None, _MS_BIND | _MS_REC)
        os.close(fd)
    os.makedirs(spec["work"], mode=0o755, exist_ok=True)
    for name, data in files.items():
        Path(spec["work"], name).parent.mkdir(parents=True, exist_ok=True)
        Path(spec["work"], name).write_bytes(data)
    for path in [spec["work"], *Path(spec["work"]).rglob("*")]:
        os.chown(path, uid, uid)


def _living_processes(uid):
    """Pids of the processes of ``uid`` that are not yet dead (zombies are dead)."""
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:  # the process ended while we looked
            continue
        if int(fields["Uid"].split()[0]) == uid and not fields["State"].strip().startswith("Z"):
            pids.append(int(status.parent.name))
    return pids


def kill_user(uid, patience=10.0):
    """SIGKILL every process of ``uid`` (a kernel's leftovers: a fork bomb's children) and wait until they are gone."""
    deadline = time.monotonic() + patience
    while pids := _living_processes(uid):
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if time.monotonic() > deadline:
            return
        time.sleep(0.02)


_PROBE = """
import os, sys, tempfile
from graders.fastgrade.sandbox import Sandbox, confine
course = sys.argv[1]
confine(Sandbox().spec(tempfile.mkdtemp(), tempfile.mkdtemp(), course))
assert os.getuid() != 0 and not os.path.exists(os.path.join(course, "nbgrader_config.py")), "not isolated"
"""


def check_available(course):
    """Raise with advice if this machine cannot confine kernels (not root, no namespaces)."""
    done = subprocess.run([sys.executable, "-c", _PROBE, str(course)], capture_output=True, text=True, cwd=course)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["unknown error"])[-1]
        raise RuntimeError(
            f"cannot sandbox grading kernels on this machine ({reason}). Safe grading needs root "
            "(mount and network namespaces, setuid). Run as root, or set c.Sandbox.enabled = False "
            "in nbgrader_config.py to grade WITHOUT isolation.")
