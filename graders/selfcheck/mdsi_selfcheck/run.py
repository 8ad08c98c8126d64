"""Execute a notebook cell by cell, so that one bad cell never loses the others.

A cell that runs past the time limit, or during which the kernel dies
(``exit()``, a segfault, out of memory), is recorded with its *fate* and
skipped: the kernel is replaced by a fresh one, every cell that completed
before is run again in it (without keeping the new outputs) to rebuild the
state, and execution carries on with the next cell.  After ``max_restarts``
replacements the remaining code cells are recorded as not run, which bounds
the time a hopeless notebook takes.

The kernel talks to us over Unix sockets (IPC transport) in a private
folder: the default TCP transport without encryption makes ipykernel warn
about eavesdropping on every start, and nobody else on the machine needs to
reach a self-check's kernel.
"""

import contextlib
import copy
import enum
import logging
import os
import shutil
import tempfile
from pathlib import Path

import zmq
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from traitlets.config import Config


class Fate(enum.Enum):
    """What happened to a cell that did not simply run."""

    TIMED_OUT = "timed_out"
    CRASHED = "crashed"
    NOT_RUN = "not_run"


class KernelStartError(RuntimeError):
    """The kernel could not be started at all (no ``python3`` kernel, a broken install)."""


_QUIET = logging.getLogger("mdsi_selfcheck.run")
_QUIET.addHandler(logging.NullHandler())
_QUIET.propagate = False  # nbclient logs every timeout and dead kernel as an error: we report them ourselves


def _transport(socket_dir):
    """Kernel manager settings: IPC sockets where the platform has them, else encrypted TCP if possible."""
    config = Config()
    if os.name == "posix":
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = str(Path(socket_dir) / "kernel")  # absolute: kernel and client cwd differ
    elif zmq.has("curve"):
        config.KernelManager.transport_encryption = "auto"
    return config


def run_notebook(notebook, cwd, timeout, max_restarts=5):
    """Execute ``notebook`` in place in fresh ``python3`` kernels started in ``cwd``.

    Returns ``{cell index: Fate}`` for the cells that timed out, crashed the
    kernel or were not run; every other code cell has its outputs, errors
    included.  Raises :class:`KernelStartError` when no kernel starts.
    """
    fates = {}
    done = []  # indices of the cells that completed, in order: the state a new kernel rebuilds
    code = [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code" and cell.source.strip()]
    socket_dir = tempfile.mkdtemp(prefix="mdsi-check-")
    try:
        position, restarts = 0, 0
        while position < len(code):
            if restarts > max_restarts:
                fates.update(dict.fromkeys(code[position:], Fate.NOT_RUN))
                break
            position = _one_kernel(notebook, cwd, timeout, _transport(socket_dir), code, position, done, fates)
            restarts += 1
    finally:
        shutil.rmtree(socket_dir, ignore_errors=True)
    return fates


def _one_kernel(notebook, cwd, timeout, config, code, position, done, fates):
    """Run cells from ``code[position]`` in one kernel; return where the next kernel must start."""
    # "immediate": a kernel stuck in a loop ignores a polite shutdown request for seconds
    client = NotebookClient(notebook, timeout=timeout, allow_errors=True, kernel_name="python3",
                            shutdown_kernel="immediate", config=config, log=_QUIET,
                            resources={"metadata": {"path": str(cwd)}})
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(client.setup_kernel())
        except Exception as exc:  # nbclient passes on whatever jupyter_client raises
            raise KernelStartError(f"could not start a python3 kernel: {exc}") from exc
        for index in list(done):  # rebuild the state: outputs of the first run are kept
            if _execute(client, copy.deepcopy(notebook.cells[index]), index) is not None:
                done.remove(index)  # it behaved differently this time; leave it out from now on
                return position
        while position < len(code):
            index = code[position]
            position += 1
            fate = _execute(client, notebook.cells[index], index)
            if fate is not None:
                fates[index] = fate
                return position
            done.append(index)
        return position


def _execute(client, cell, index):
    """Run one cell; None if it completed (with or without an error), else its :class:`Fate`."""
    try:
        client.execute_cell(cell, index)
    except CellTimeoutError:
        return Fate.TIMED_OUT
    except DeadKernelError:
        return Fate.CRASHED
    return None
