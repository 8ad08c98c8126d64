"""The zygote: a process that pre-imports the course's libraries and forks kernels on request.

Run as ``python -m graders.fastgrade.zygote SOCKET``.  Each request on the
Unix socket is one JSON line ``{"argv": [...], "env": {...}, "cwd": "..."}``;
the zygote forks, the child becomes an IPython kernel with those arguments,
and the reply is ``{"pid": <child pid>}``.  The zygote itself never executes
submitted code, so every kernel starts from the same clean state, minus the
seconds of imports.
"""

import ctypes
import gc
import json
import os
import signal
import socket
import sys

# Imported once here and shared copy-on-write by every forked kernel.  Import
# errors are not fatal: a missing library is simply imported by the kernel later.
PRELOAD = (
    "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger", "IPython",
    "numpy", "scipy", "scipy.stats", "scipy.optimize", "scipy.special",
    "sklearn", "sklearn.linear_model", "sklearn.naive_bayes", "sklearn.metrics",
    "matplotlib", "matplotlib.pyplot", "matplotlib_inline.backend_inline",
)


def die_with_parent():
    """Ask Linux to SIGKILL this process when its parent dies (a killed grading run leaves nothing behind)."""
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_pdeathsig = 1
    libc.prctl(pr_set_pdeathsig, signal.SIGKILL)


def preload():
    """Import the heavy modules kernels would otherwise import one by one."""
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    for name in PRELOAD:
        try:
            __import__(name)
        except ImportError:
            pass
    # Move everything imported so far out of the garbage collector's reach, so
    # that collections in the kernels do not touch (and copy) the shared pages.
    gc.freeze()


def become_kernel(request):
    """In the forked child: reset the process state and run an IPython kernel. Never returns."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    die_with_parent()
    os.setsid()
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    # As ipykernel_launcher does: the kernel's IPython adds the working directory back.
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    from ipykernel.kernelapp import IPKernelApp

    try:
        IPKernelApp.launch_instance(argv=request["argv"])
    finally:
        os._exit(0)


def serve(path):
    """Accept fork requests on the Unix socket ``path`` until killed (or its parent dies)."""
    die_with_parent()
    preload()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps nothing: no zombies
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(64)
    print("ready", flush=True)
    while True:
        connection, _ = server.accept()
        with connection, connection.makefile("rwb") as stream:
            request = json.loads(stream.readline())
            pid = os.fork()
            if pid == 0:
                server.close()
                become_kernel(request)
            stream.write(json.dumps({"pid": pid}).encode() + b"\n")
            stream.flush()


if __name__ == "__main__":
    serve(sys.argv[1])
