"""The instructor's settings for the jails grading kernels run in (``c.Sandbox.*`` in ``nbgrader_config.py``).

The jail itself is built by :mod:`graders.fastgrade.jail` in the zygote's
forked children; this module only holds the limits, says in one line what
is in force, and checks at the start of a run that this machine can build a
jail at all.
"""

from traitlets import Bool, Integer
from traitlets.config import Configurable

from graders.fastgrade import jail
from graders.fastgrade.kernels import KernelStartError, local_zygote, start_kernel


class Sandbox(Configurable):
    """Limits and isolation of the kernels that run learners' notebooks under ``mdsi-course grade``."""

    enabled = Bool(True, help="Jail kernels (namespaces, allow-listed files). Turning it off lets learner "
                              "code read the solutions and the gradebook.").tag(config=True)
    memory_mb = Integer(3072, help="Memory of a kernel and everything it starts, in MiB (per process "
                                   "where cgroups are not available).").tag(config=True)
    cpu_seconds = Integer(300, help="CPU time a kernel (with its processes, where cgroups are available) "
                                    "may use before it is killed.").tag(config=True)
    notebook_seconds = Integer(600, help="Wall-clock limit for one notebook, restarts included.").tag(config=True)
    processes = Integer(64, help="Processes and threads a jailed kernel may run at once.").tag(config=True)
    disk_mb = Integer(64, help="Size of a kernel's home, /tmp and /dev/shm together, in MiB.").tag(config=True)
    inodes = Integer(10_000, help="Files and folders a kernel may create.").tag(config=True)
    output_bytes = Integer(1_000_000, help="Output kept per cell; the rest is dropped.").tag(config=True)
    restarts = Integer(3, help="Kernel restarts allowed per notebook after a crash or timeout.").tag(config=True)
    worker_memory_mb = Integer(4096, help="Address space of a grading worker (the process that runs the "
                                          "checks), in MiB.").tag(config=True)

    def limits(self):
        """What the keeper needs to know, as plain data (it crosses to the zygote as JSON)."""
        return {"jail": self.enabled, "memory_mb": self.memory_mb, "cpu_seconds": self.cpu_seconds,
                "processes": self.processes, "disk_mb": self.disk_mb, "inodes": self.inodes}

    def describe(self, counted_by):
        """One line for the grading report: how kernels were confined; ``counted_by`` is the zygote's limit mode."""
        limits = (f"notebook {self.notebook_seconds} s, output {self.output_bytes} B/cell, "
                  f"memory {self.memory_mb} MiB, CPU {self.cpu_seconds} s, {self.disk_mb} MiB disk")
        if not self.enabled:
            return f"sandbox OFF: learner code can read the course directory and use the network; {limits} per process"
        scope = ("per jail (" + counted_by + ")" if counted_by.startswith("cgroup")
                 else "per process (rlimits; no cgroups here) inside the jail's PID namespace")
        return (f"sandbox: a jail per kernel (own user, PID, mount, IPC, network and UTS namespaces; only the "
                f"Python environment, read-only, without the course's packages); {limits}, "
                f"{self.processes} processes, {self.inodes} files, {scope}")


def check_available():
    """Start and stop one jailed kernel; raise with advice if this machine cannot build jails."""
    request = {"argv": [], "env": {}, "files": {}, "limits": Sandbox().limits(), "jail": True,
               "connection": {"ip": jail.random_ip(), "transport": "ipc", "key": "", "signature_scheme": "hmac-sha256",
                              "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}}
    local_zygote()
    try:
        kernel = start_kernel(request)
    except KernelStartError as exc:
        raise RuntimeError(
            f"{exc}. Safe grading needs user namespaces (allowed for ordinary users on most Linux "
            "systems: sysctl kernel.unprivileged_userns_clone=1 / user.max_user_namespaces > 0) or root. "
            "Fix that, or set c.Sandbox.enabled = False in nbgrader_config.py to grade WITHOUT isolation.") from None
    kernel.kill()
    kernel.wait(30)
