"""The zygote: pre-imports the kernels' libraries once and forks a jailed kernel per request.

Started by :class:`graders.fastgrade.kernels.Zygote` as a *script*
(``python zygote.py``, reading ``{"name", "clients"}`` on stdin, with a
short list of environment variables), so that it imports nothing of the course:
every kernel inherits its memory, which must hold no check and no solution.
It listens on the abstract Unix socket ``@name`` (no file anyone could replace
or point a link at), accepts connections only from the given user ids, and
forks a *keeper* (:func:`keep`) for each.  The zygote itself never reads what
a client sends, so no client can block it or make it fail.

One connection is one kernel start, in JSON lines:

* worker -> keeper: ``{"argv", "env", "connection", "files", "limits", "jail"}``
* keeper -> worker: ``{"pid": <keeper pid>}`` once the kernel runs, or ``{"error": ...}``
* worker -> keeper: ``signal N`` (interrupt, terminate, kill)
* keeper -> worker: ``{"exited": true}`` when the kernel and every process it
  started are gone; then the connection closes.  A worker that disconnects
  has its kernel killed.

See :mod:`jail` for the processes and the file tree of one kernel.
"""

import ctypes
import gc
import json
import os
import select
import shutil
import signal
import socket
import sys
import tempfile
import traceback

import cgroup
import jail

# Imported once here and shared copy-on-write by every forked kernel.  Import
# errors are not fatal: a missing library is simply imported by the kernel later.
PRELOAD = (
    "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger", "IPython", "zmq",
    "numpy", "scipy", "scipy.stats", "scipy.optimize", "scipy.special",
    "sklearn", "sklearn.linear_model", "sklearn.naive_bayes", "sklearn.metrics",
    "matplotlib", "matplotlib.pyplot", "matplotlib_inline.backend_inline",
)
MAX_REQUEST = 256 << 20  # the submission's files travel in the request
START_SECONDS = 60.0  # from the request to a running kernel
_PR_SET_CHILD_SUBREAPER = 36
_SCRIPT_DIR = os.path.dirname(os.path.abspath(__file__))
_DEBUG = bool(os.environ.get("MDSI_JAIL_DEBUG"))  # kernels keep the zygote's stderr
_ALL_NAMESPACES = jail.NEWUSER | jail.NEWNS | jail.NEWPID | jail.NEWIPC | jail.NEWNET | jail.NEWUTS


def preload():
    """Import the heavy modules kernels would otherwise import one by one."""
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    for threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(threads, "1")  # one notebook per core; threads would only compete
    for name in PRELOAD:
        try:
            __import__(name)
        except ImportError:
            pass
    # Move everything imported so far out of the garbage collector's reach, so
    # that collections in the kernels do not touch (and copy) the shared pages.
    gc.freeze()


def serve(name, allowed_uids):
    """Fork a keeper for each connection from ``allowed_uids`` on ``@name``, until the parent dies."""
    jail.die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the grading command; it stops us
    preload()
    view = {"allowed": jail.allowed_paths()}
    view["masked"] = jail.course_package_paths(view["allowed"])
    ctypes.CDLL(None).prctl(_PR_SET_CHILD_SUBREAPER, 1)  # orphans of dying keepers are reaped here
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind("\0" + name)
    server.listen(128)
    print("ready", cgroup.available() or "rlimits", flush=True)
    while True:
        connection, _ = server.accept()
        try:
            if jail.peer_uid(connection) in allowed_uids and os.fork() == 0:
                server.close()
                keep(connection, view)
        except OSError:
            pass  # fork refused: the worker sees the connection close
        connection.close()


# -- the keeper ---------------------------------------------------------------------------
def keep(connection, view):
    """Start one kernel for the worker on ``connection`` and stay with it until it is gone. Never returns."""
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()  # the kernel's processes are out of the grading command's terminal group
        jail.die_with_parent()
        connection.settimeout(START_SECONDS)
        request = json.loads(connection.makefile("rb").readline(MAX_REQUEST))
        Keeper(connection, request, view).run()
    except BaseException as exc:  # anything: the worker hears why, the zygote never does
        try:
            connection.sendall(json.dumps({"error": f"{type(exc).__name__}: {exc}"}).encode() + b"\n")
        except OSError:
            pass
    os._exit(0)


class Keeper:
    """One kernel start, seen from outside its jail."""

    def __init__(self, connection, request, view):
        self.connection, self.request = connection, request
        self.jailed = bool(request["jail"])
        self.limits = request["limits"]
        self.rootless = os.geteuid() != 0
        self.uid = os.getuid() if self.rootless else jail.UID_BASE + os.getpid()
        self.gid = os.getgid() if self.rootless else self.uid
        self.group = None
        self.spec = {"allowed": view["allowed"], "masked": view["masked"], "files": request["files"],
                     "limits": self.limits, "connection": request["connection"], "workdir": None}

    def run(self):
        sockets = jail.bind_kernel_sockets(self.request["connection"]["ip"])
        if not self.jailed:
            self.spec["workdir"] = tempfile.mkdtemp(prefix="mdsi-kernel-")
        if self.jailed and not self.rootless:
            os.setgroups([])
            if cgroup.available():
                self.group = cgroup.KernelGroup(f"mdsi-k{os.getpid()}", self.limits["memory_mb"],
                                                self.limits["processes"])
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        owner = os.fork()
        if owner == 0:
            ours.close()
            self.connection.close()
            _owner(theirs, self.spec, sockets, self.request)
        theirs.close()
        for fd in sockets.values():
            os.close(fd)
        try:
            init = self._start(ours, owner)
            self.connection.sendall(json.dumps({"pid": os.getpid()}).encode() + b"\n")
            self._supervise(init)
        finally:
            try:
                os.kill(owner, signal.SIGKILL)  # our child, not yet reaped: its pid is still its own
            except ProcessLookupError:
                pass
            os.waitpid(owner, 0)
            if self.group is not None:
                self.group.remove()
            if self.spec["workdir"]:
                shutil.rmtree(self.spec["workdir"], ignore_errors=True)
        self.connection.sendall(b'{"exited": true}\n')

    def _start(self, channel, owner):
        """Map the owner's user, put it in the cgroup, and wait for the kernel to run; return init's pidfd."""
        _expect(channel, [b"u"])
        if self.jailed:
            jail.write_id_maps(owner, self.rootless, self.uid, self.gid)
        if self.group is not None:
            self.group.add(owner)
        channel.send(b"g")
        got = {}
        while len(got) < 2:  # init's pidfd from the owner, "running" from the kernel: in either order
            got.update(_expect(channel, [b"i", b"k"]))
        return got[b"i"]

    def _supervise(self, init):
        """Relay the worker's signals to the kernel until its PID namespace is gone; enforce the CPU time.

        Killing init (PID 1 of the jail) ends every process of the jail.
        """
        pending, listening = b"", [self.connection, init]
        while init not in (ready := select.select(listening, [], [], 0.25)[0]):
            if self.connection in ready:
                data = self.connection.recv(4096)
                pending += data
                if not data or len(pending) > 4096:  # the worker is gone (or talks nonsense): end it all
                    _send(init, signal.SIGKILL)
                    listening, pending = [init], b""
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    words = line.split()
                    if len(words) == 2 and words[0] == b"signal" and words[1].isdigit():
                        _send(init, signal.SIGINT if int(words[1]) == signal.SIGINT else signal.SIGKILL)
            if self.group is not None and self.group.cpu_seconds() > self.limits["cpu_seconds"]:
                _send(init, signal.SIGKILL)


def _send(pidfd, signum):
    try:
        signal.pidfd_send_signal(pidfd, signum)
    except ProcessLookupError:
        pass


def _expect(channel, tags):
    """Receive one of the one-byte messages ``tags`` from the jail's side as ``{tag: fd or None}``, or raise."""
    if not jail.wait_readable(channel.fileno(), START_SECONDS):
        raise jail.JailError(f"the kernel did not start within {START_SECONDS:g} s")
    message, fds, _, _ = socket.recv_fds(channel, 4096, 1)
    if message[:1] == b"e":
        raise jail.JailError(message[1:].decode(errors="replace"))
    if len(message) != 1 or message not in tags:
        raise jail.JailError(f"the jail's set-up ended early ({message[:40]!r})")
    return {message: fds[0] if fds else None}


def _report(channel, exc):
    channel.send(b"e" + f"{type(exc).__name__}: {exc}".encode()[:4000])


# -- inside: owner, init, kernel ----------------------------------------------------------------
def _owner(channel, spec, sockets, request):
    """Unshare the namespaces, become their root once mapped, fork init; live as long as init does."""
    keeper = os.getppid()
    try:
        sources = None
        if request["jail"]:
            jail.unshare(_ALL_NAMESPACES)
            sources = jail.open_sources(spec)
        channel.send(b"u")
        if channel.recv(1) != b"g":
            os._exit(70)
        if request["jail"]:
            os.setresgid(0, 0, 0)
            os.setresuid(0, 0, 0)  # root of the new namespaces: the kernel's own uid outside
        jail.die_with_parent()  # set after the change of user, which clears it
        if os.getppid() != keeper:
            os._exit(70)
        init = os.fork()
        if init == 0:
            _init(channel, spec, sockets, request, sources)
        pidfd = os.pidfd_open(init)
        socket.send_fds(channel, [b"i"], [pidfd])
    except BaseException as exc:
        _report(channel, exc)
        os._exit(71)
    for fd in [pidfd, *sockets.values(), *(fd for group in (sources or {}).values() for fd in group.values())]:
        os.close(fd)
    channel.close()
    os.waitpid(init, 0)
    os._exit(0)


def _init(channel, spec, sockets, request, sources):
    """PID 1 of the jail: build its tree, fork the kernel, then reap until the kernel ends."""
    try:
        jail.die_with_parent()
        if request["jail"]:
            jail.build_tree(spec, sources)
            jail.forbid_new_namespaces()
        kernel = os.fork()
        if kernel == 0:
            _kernel(channel, spec, sockets, request)
    except BaseException as exc:
        _report(channel, exc)
        os._exit(71)
    jail.close_fds_except(set())
    jail.run_init(kernel)


def _kernel(channel, spec, sockets, request):
    """The kernel process: limits, no privileges, clean state, then ipykernel. Never returns."""
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.environ.clear()
        os.environ.update(request["env"])
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1) if _DEBUG else (0, 1, 2):
            os.dup2(devnull, fd)
        jail.limit(spec["limits"], jailed=request["jail"])
        if request["jail"]:
            jail.drop_privileges()
            os.chdir(jail.HOME)
            connection_file = jail.CONNECTION_FILE
        else:  # the sandbox is off: a private folder, limits, nothing more
            os.chdir(spec["workdir"])
            jail.write_files(spec["workdir"], spec["files"])
            connection_file = os.path.join(spec["workdir"], ".kernel.json")
            with open(connection_file, "w") as stream:
                json.dump(spec["connection"], stream)
        jail.close_fds_except({*sockets.values(), channel.fileno()})
        jail.use_prebound_sockets(sockets)
        if _SCRIPT_DIR in sys.path:
            sys.path.remove(_SCRIPT_DIR)
        # matplotlib_inline was imported here before any shell existed, so it could not hook figures into
        # one as it does when a kernel imports it: the kernel turns the hook on at start instead.
        argv = ["-f", connection_file, "--matplotlib=inline", *request["argv"]]
        from ipykernel.kernelapp import IPKernelApp

        channel.send(b"k")
        channel.close()
    except BaseException as exc:
        _report(channel, exc)
        os._exit(71)
    del spec, request
    try:
        IPKernelApp.launch_instance(argv=argv)
    except BaseException:
        if _DEBUG:
            traceback.print_exc()
    os._exit(0)


if __name__ == "__main__":
    _settings = json.loads(sys.stdin.readline())  # not in argv: kernels can read their zygote's command line
    serve(_settings["name"], set(_settings["clients"]))
