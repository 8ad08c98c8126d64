"""The workers' only job: run a prepared submission's notebooks, safely, in fresh forked kernels.

Ordinary cells run in the learner's sandboxed kernel as nbgrader would run
them.  Graded test cells do not: the trusted worker runs the hidden check
itself and calls the learner's function in the kernel through a
:class:`~graders.fastgrade.bridge.KernelBridge`, so that nothing the kernel
does (patching NumPy, rewriting later cells, printing "passed", crashing) can
earn points.  The verdict becomes the cell's output, which nbgrader scores as
usual.  When the kernel dies or hangs, the cell is charged for it, a new
kernel replays the cells before it, and grading goes on.
"""

import base64
import os
import tempfile
import time
from contextlib import contextmanager

import nbformat
from jupyter_core.utils import run_sync
from nbclient.exceptions import CellControlSignal, CellTimeoutError, DeadKernelError
from nbformat.v4 import new_output
from nbgrader.preprocessors import ClearHiddenTests, Execute
from traitlets import Bool

from graders.engine import Status, evaluate
from graders.exercises import find
from graders.fastgrade.bridge import KernelBridge
from graders.fastgrade.kernels import ForkKernelManager
from graders.fastgrade.sandbox import Sandbox
from graders.untrusted import shown

_ERROR_CHARS = 2000  # of an error's message and of each traceback line kept in the graded notebook
_OUT_OF_TIME = "the notebook used up its time limit (c.Sandbox.notebook_seconds)"
KERNEL_DIED = ("the kernel stopped while running this cell: the code crashed, exited, or used more memory "
               "or CPU time than allowed. Later cells ran in a new kernel.")


class KernelLost(Exception):
    """The kernel died or hung at cell ``index``; ``outputs`` are what that cell is left with."""

    def __init__(self, index, outputs, reason):
        super().__init__(reason)
        self.index, self.outputs, self.reason = index, outputs, reason


def _error(ename, message):
    return new_output("error", ename=ename, evalue=message, traceback=[f"{ename}: {message}"])


def verdict_outputs(result):
    """A check's result as the outputs nbgrader scores: a printed line, or an error."""
    if result.status is Status.PASSED:
        return [new_output("stream", name="stdout", text=result.message + "\n")]
    ename = "NotImplementedError" if result.status is Status.NOT_ATTEMPTED else "CheckFailed"
    return [_error(ename, result.message)]


class SafeExecute(Execute):
    """nbgrader's Execute, with graded test cells judged by the trusted grader and failures contained.

    ``frozen`` ({cell index: outputs}) holds cells already settled in an
    earlier kernel of this notebook: verdicts, and the cells that killed a
    kernel.  They are not run again.
    """

    store_widget_state = Bool(False, help="Widget state is the learner's data: kept out of graded notebooks.")

    def setup_run(self, assignment, frozen, deadline, sandbox, budget, give_up=None):
        """Per kernel: cells already settled, the notebook's deadline and output ``budget`` (shared by its kernels)."""
        self.assignment, self.frozen, self.deadline, self.sandbox = assignment, frozen, deadline, sandbox
        self.budget = budget
        self.give_up = give_up
        self.events = []
        self.stopped_at = None
        self.bridge = None  # opened at the first graded cell, for the kernel's lifetime
        self._used, self._truncated, self._asked_to_exit, self._malformed = 0, None, False, None

    def preprocess(self, nb, resources=None, km=None):
        try:
            return super().preprocess(nb, resources, km)
        finally:
            if self.bridge is not None:
                self.bridge.close()
            if self.kc is not None:  # nbclient keeps the client of a kernel it did not start
                self.kc.stop_channels()

    def preprocess_cell(self, cell, resources, index):
        if index in self.frozen:
            cell.outputs = self.frozen[index]
        elif cell.cell_type == "code" and cell.source.strip():
            stop = self.give_up or (_OUT_OF_TIME if time.monotonic() > self.deadline else None)
            graded = self._graded_test(cell)
            if stop:
                if self.stopped_at is None:
                    self.stopped_at = index
                    self.events.append(f"cell {index + 1} and later cells not run: {stop}")
                cell.outputs = [_error("NotRun", f"not run: {stop}")]
            elif graded is not None:
                self._judge(cell, resources, index, *graded)
            else:
                self._run(cell, resources, index)
        return cell, resources

    def _run(self, cell, resources, index):
        """Run an ordinary cell in the kernel; raise KernelLost if the kernel did not survive it."""
        self._used, self._truncated, self._asked_to_exit, self._malformed = 0, None, False, None
        try:
            super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            raise KernelLost(index, [_error("KernelDied", KERNEL_DIED)], "the kernel died") from None
        except CellTimeoutError:
            cell.outputs.append(_error("CellTimeoutError", f"still running after {self.timeout} s"))
        if self._truncated:
            cell.outputs.append(new_output("stream", name="stderr", text=f"[output cut at {self._truncated}]\n"))
            self.events.append(f"cell {index + 1}: output cut at {self._truncated}")
        if self._malformed:
            self.events.append(f"cell {index + 1}: dropped {self._malformed} the kernel sent")
        if any(out.get("ename") == "CellTimeoutError" for out in cell.outputs):
            self.km.provisioner.process.kill()  # it may ignore the interrupt; a new kernel takes over
            raise KernelLost(index, cell.outputs, f"still running after {self.timeout} s")
        if self._asked_to_exit:  # exit() or quit(): the kernel stops right after this cell
            outputs = [*cell.outputs, _error("KernelDied", "exit() stops the kernel. " + KERNEL_DIED)]
            raise KernelLost(index, outputs, "the cell called exit()")

    def on_cell_executed(self, **kwargs):
        super().on_cell_executed(**kwargs)
        payload = kwargs["execute_reply"]["content"].get("payload") or []
        self._asked_to_exit = any(item.get("source") == "ask_exit" for item in payload)

    def _graded_test(self, cell):
        """The (exercise, graded test) behind a graded test cell, or None for any other cell."""
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("grade") or meta.get("solution"):
            return None
        try:
            return find(self.assignment, meta.get("grade_id"))
        except ValueError:
            return None

    def _judge(self, cell, resources, index, exercise, test):
        """Run the hidden check here, calling the learner's function in the kernel; then the visible asserts.

        As in stock nbgrader, a test cell scores only if both pass.  The
        visible asserts run in the learner's kernel, so they can cost points
        but never earn them: the hidden check alone can make the cell pass.
        """
        if self.bridge is None:
            self.bridge = KernelBridge(self.km)
        self.bridge.allow(max(1.0, min(self.timeout, self.deadline - time.monotonic())), exercise.callbacks)
        result = evaluate(exercise, test, self.bridge.lookup(exercise.name))
        cell.outputs = verdict_outputs(result)
        cell.execution_count = None
        self.frozen[index] = cell.outputs
        if self.bridge.failure is not None:
            raise KernelLost(index, cell.outputs, f"{test.grade_id}: {self.bridge.failure}")
        visible = nbformat.from_dict(cell)
        ClearHiddenTests(config=self.config)._remove_hidden_test_region(visible)
        if result.status is Status.PASSED and visible.source.strip():
            try:
                self._run(visible, resources, index)
            except KernelLost as lost:
                raise KernelLost(index, [*cell.outputs, *lost.outputs], lost.reason) from None
            finally:
                self.nb.cells[index] = cell  # nbclient put the visible copy in its place
            cell.outputs = self.frozen[index] = [*cell.outputs, *visible.outputs]

    def process_message(self, msg, cell, cell_index):
        """Keep at most ``output_bytes`` per cell and ``notebook_output_bytes`` per notebook.

        Every message that can add to the notebook counts (outputs, errors,
        display updates, widget messages), so no print loop, ``update_display``,
        widget state or stream of forged errors can fill the worker's memory or
        the graded notebook.  Past the limit, an error is still kept if the
        cell has none yet, since nbgrader scores it.  A malformed message
        (learner code can send any, e.g. through ``kernel.session.send``) is
        dropped: it costs its cell nothing more than its own output.
        """
        try:
            kind, content = msg["msg_type"], msg["content"]
            if kind == "error":
                content["evalue"] = str(content.get("evalue", ""))[:_ERROR_CHARS]
                content["traceback"] = [str(line)[:_ERROR_CHARS] for line in content.get("traceback", [])[-20:]]
                first = not any(out.get("output_type") == "error" for out in cell.outputs)
                if not self._within_budget(content) and not first:
                    return None
            elif kind not in ("status", "execute_input", "clear_output") and not self._within_budget(content):
                return None
            if not isinstance(content.get("execution_count"), int | None):
                raise TypeError("execution_count is not a number")
            return super().process_message(msg, cell, cell_index)
        except CellControlSignal:  # nbclient's "the cell is done"
            raise
        except Exception as exc:
            kind = shown(msg.get("msg_type"), 40)
            self._malformed = self._malformed or f"a malformed {kind} message ({type(exc).__name__})"
            return None

    def _within_budget(self, content):
        """Count ``content`` against the cell's and the notebook's output limits; False once either is used up."""
        size = len(str(content))
        if self._used + size > self.sandbox.output_bytes:
            self._truncated = self._truncated or f"{self.sandbox.output_bytes} bytes"
            return False
        if self.budget["used"] + size > self.sandbox.notebook_output_bytes:
            self._truncated = self._truncated or f"{self.sandbox.notebook_output_bytes} bytes for the notebook"
            return False
        self._used += size
        self.budget["used"] += size
        return True


def _first_line(cell):
    """How the report names a cell: its grade id, or its first line of code."""
    line = cell.metadata.get("nbgrader", {}).get("grade_id") or next(
        (text.strip() for text in cell.source.splitlines() if text.strip()), "")
    return line if len(line) <= 40 else line[:39] + "…"


def run_notebook(notebook, config, assignment, files, sandbox, folder):
    """Execute ``notebook`` in place, replacing dead or hung kernels; return what happened, in words.

    Every kernel start is a new jail holding ``files`` ({relative path:
    base64}); ``folder`` is this worker's private folder for connection files.
    """
    deadline = time.monotonic() + sandbox.notebook_seconds
    frozen, events, give_up, restarts, budget = {}, [], None, 0, {"used": 0}
    while True:
        manager = ForkKernelManager(config=config)
        manager.limits, manager.files, manager.folder = sandbox.limits(), files, folder
        executor = SafeExecute(config=config, kernel_manager_class=ForkKernelManager)
        executor.setup_run(assignment, frozen, deadline, sandbox, budget, give_up)
        try:
            executor.preprocess(notebook, {"metadata": {"path": folder}}, km=manager)
            return events + executor.events
        except KernelLost as lost:
            frozen[lost.index] = lost.outputs
            events += executor.events
            events.append(f"cell {lost.index + 1} ({_first_line(notebook.cells[lost.index])}): {lost.reason}; "
                          "restarted the kernel")
            restarts += 1
            if restarts > sandbox.restarts:
                give_up = f"the kernel stopped more than {sandbox.restarts} times"
        finally:
            _make_sure_gone(manager)
        if time.monotonic() > deadline and give_up is None:
            give_up = _OUT_OF_TIME


def _make_sure_gone(manager):
    """Wait until the kernel's keeper reports its whole jail gone (it kills what is left), then free its resources.

    A worker grades notebook after notebook: each kernel's ZeroMQ context (a
    thread and descriptors) must go with it, or after some fifty notebooks
    threads cannot start and ``select()`` meets descriptors past 1024.
    """
    process = manager.provisioner.process if manager.provisioner is not None else None
    if process is not None:
        process.kill()
        process.wait(60)
    run_sync(manager.cleanup_resources)()


@contextmanager
def kernel_runner(files, config, assignment):
    """Yield ``run(notebook) -> events``, which executes a notebook (a NotebookNode, in place) safely.

    ``files`` ({relative path: bytes}) are the submission's other files; the
    kernels see only those and their own notebook's cells.
    """
    os.environ["NBGRADER_EXECUTION"] = "autograde"  # as nbgrader sets it for its kernels
    sandbox = Sandbox(config=config)
    encoded = {name: base64.b64encode(data).decode() for name, data in files.items()}
    with tempfile.TemporaryDirectory(prefix="mdsi-grade-") as folder:
        # run_notebook is looked up at each call, so that a benchmark can stand in for the kernels
        yield lambda notebook: run_notebook(notebook, config, assignment, encoded, sandbox, folder)


def execute_notebooks(notebooks, files, config, assignment):
    """Execute a submission's notebooks as ``nbgrader autograde`` would, safely; return them and the events.

    ``notebooks`` is either a list of sanitized notebooks (JSON texts), which
    come back executed (JSON texts), or a
    :class:`~graders.fastgrade.pipeline.Submission`, which the worker also
    rebuilds and sanitizes before and scores after execution, coming back as
    :class:`~graders.fastgrade.gradebook.GradedNotebook` objects.  ``files``
    ({relative path: bytes}) are the submission's other files.  The events are
    what an instructor should know about.  Runs in a grading worker process
    (:mod:`graders.fastgrade.workers`).
    """
    from graders.fastgrade.pipeline import Submission

    if isinstance(notebooks, Submission):
        return notebooks.grade(files, config)
    executed, events = [], []
    with kernel_runner(files, config, assignment) as run:
        for notebook_json in notebooks:
            notebook = nbformat.reads(notebook_json, as_version=nbformat.NO_CONVERT)
            events += run(notebook)
            executed.append(nbformat.writes(notebook))
    return executed, events
