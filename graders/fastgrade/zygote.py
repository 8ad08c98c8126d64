"""The zygote: a process that pre-imports the course's libraries and forks kernels on request.

Run as ``python -m graders.fastgrade.zygote SOCKET``.  Each request on the
Unix socket is one JSON line ``{"argv": [...], "env": {...}, "sandbox": {...}}``;
the zygote forks, the child confines itself (:func:`graders.fastgrade.sandbox.confine`)
and becomes an IPython kernel with those arguments, and the reply is
``{"pid": <child pid>}``.  The zygote itself never executes submitted code,
so every kernel starts from the same clean state, minus the seconds of
imports.  Only processes of the zygote's own user may ask for kernels.
"""

import ctypes
import gc
import json
import os
import signal
import socket
import struct
import sys

from graders.fastgrade.sandbox import confine

# Imported once here and shared copy-on-write by every forked kernel.  Import
# errors are not fatal: a missing library is simply imported by the kernel later.
PRELOAD = (
    "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger", "IPython",
    "numpy", "scipy", "scipy.stats", "scipy.optimize", "scipy.special",
    "sklearn", "sklearn.linear_model", "sklearn.naive_bayes", "sklearn.metrics",
    "matplotlib", "matplotlib.pyplot", "matplotlib_inline.backend_inline",
)


_LAUNCH_DIR = os.getcwd()


_PR_SET_PDEATHSIG, _PR_SET_CHILD_SUBREAPER = 1, 36


def die_with_parent():
    """Ask Linux to SIGKILL this process when its parent dies (a killed grading run leaves nothing behind)."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


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


def become_kernel(request):
    """In the forked child: reset the process state, confine it and run an IPython kernel. Never returns."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    die_with_parent()
    os.setsid()
    os.environ.clear()
    os.environ.update(request["env"])
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    try:
        confine(request["sandbox"])
    except BaseException:
        os._exit(71)  # never run learner code unconfined; the grader sees a dead kernel
    die_with_parent()  # changing the user id cleared the parent-death signal
    # As ipykernel_launcher does: the kernel's IPython adds its working directory back.
    if sys.path and sys.path[0] in ("", _LAUNCH_DIR):
        del sys.path[0]
    for name in [m for m in sys.modules if m.split(".")[0] == "graders"]:
        del sys.modules[name]  # the grader's modules are no business of the learner's kernel
    from ipykernel.kernelapp import IPKernelApp

    try:
        IPKernelApp.launch_instance(argv=request["argv"])
    finally:
        os._exit(0)


def serve(path):
    """Accept fork requests on the Unix socket ``path`` until killed (or its parent dies)."""
    die_with_parent()
    preload()
    # Reap the kernels, and also the orphans of dead kernels (a fork bomb's children), which
    # would otherwise stay zombies on machines whose init does not reap.
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(64)
    print("ready", flush=True)
    while True:
        connection, _ = server.accept()
        _, peer_uid, _ = struct.unpack("3i", connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
        if peer_uid != os.getuid():
            connection.close()
            continue
        with connection, connection.makefile("rwb") as stream:
            request = json.loads(stream.readline())
            pid = os.fork()
            if pid == 0:
                server.close()
                stream.close()
                connection.close()
                become_kernel(request)
            stream.write(json.dumps({"pid": pid}).encode() + b"\n")
            stream.flush()


if __name__ == "__main__":
    serve(sys.argv[1])
