"""Limits that hold for a kernel and everything it starts, together: one cgroup per kernel.

Memory, process count and CPU time are counted for the whole jail, so a
kernel cannot multiply its allowance by forking.  Needs root and a cgroup
hierarchy with the ``memory`` and ``pids`` controllers (v1, as on this course's
CI machines, or v2).  Where there is none, :func:`available` says so and the
kernels fall back to per-process rlimits inside their PID namespace.
Standard library only: the zygote's keeper processes use it.
"""

import os
import time
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
_V1 = {"memory": "memory.limit_in_bytes", "pids": "pids.max", "cpuacct": None}


def _own_v1_path(controller):
    """This process's cgroup in the v1 ``controller`` hierarchy (read from /proc/self/cgroup)."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(","):
            return ROOT / controller / path.lstrip("/")
    return None


def _version():
    if os.geteuid() != 0:
        return None
    if (ROOT / "cgroup.controllers").exists():
        wanted = {"memory", "pids", "cpu"}
        return 2 if wanted <= set((ROOT / "cgroup.controllers").read_text().split()) else None
    paths = [_own_v1_path(controller) for controller in _V1]
    return 1 if all(p is not None and os.access(p, os.W_OK) for p in paths) else None


def available():
    """``"cgroup v1"`` / ``"cgroup v2"`` if per-kernel cgroups can be made here, else None."""
    version = _version()
    return f"cgroup v{version}" if version else None


class KernelGroup:
    """The cgroup(s) of one kernel: created before it starts, removed once it and all its processes are gone."""

    def __init__(self, name, memory_mb, processes):
        self.version = _version()
        if self.version == 2:
            parent = ROOT / "mdsi-grading"
            parent.mkdir(exist_ok=True)
            (parent / "cgroup.subtree_control").write_text("+memory +pids +cpu")
            self.folders = [parent / name]
            _make_fresh(self.folders[0])
            (self.folders[0] / "memory.max").write_text(str(memory_mb << 20))
            (self.folders[0] / "memory.swap.max").exists() and (self.folders[0] / "memory.swap.max").write_text("0")
            (self.folders[0] / "pids.max").write_text(str(processes))
        else:
            self.folders = [_own_v1_path(controller) / name for controller in _V1]
            for folder in self.folders:
                _make_fresh(folder)
            memory, pids, _ = self.folders
            (memory / "memory.limit_in_bytes").write_text(str(memory_mb << 20))
            swap = memory / "memory.memsw.limit_in_bytes"
            swap.exists() and swap.write_text(str(memory_mb << 20))
            (pids / "pids.max").write_text(str(processes))

    def add(self, pid):
        """Put ``pid`` (and so every process it will start) into the group."""
        for folder in self.folders:
            (folder / "cgroup.procs").write_text(str(pid))

    def cpu_seconds(self):
        """CPU time used so far by every process of the group."""
        if self.version == 2:
            stat = dict(line.split() for line in (self.folders[0] / "cpu.stat").read_text().splitlines())
            return int(stat["usage_usec"]) / 1e6
        return int((self.folders[2] / "cpuacct.usage").read_text()) / 1e9

    def remove(self, patience=10.0):
        """Delete the group once its processes are gone.

        Nothing is killed by pid here (a pid read from the group may be reused
        by then): the jail's processes die with its PID namespace, whose init
        the keeper kills first.
        """
        for folder in self.folders:
            _remove_when_empty(folder, patience)


def _make_fresh(folder):
    """Create the group's folder, first removing one a killed keeper with the same pid left behind.

    Groups are named after their keeper's pid, which is unique among live
    processes, so an existing group belongs to a dead keeper; its jail died
    with that keeper (init has a parent-death signal), so it empties soon.
    """
    try:
        folder.mkdir()
    except FileExistsError:
        _remove_when_empty(folder, patience=10.0)
        folder.mkdir()


def _remove_when_empty(folder, patience):
    """``rmdir`` a cgroup folder, waiting up to ``patience`` seconds for its last process to be reaped."""
    deadline = time.monotonic() + patience
    while True:
        try:
            folder.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:  # busy until the last process has been reaped
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)
