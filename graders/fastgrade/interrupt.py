"""Ctrl-C (SIGINT) and SIGTERM stop a grading run cleanly, never in the middle of a gradebook commit.

Inside :func:`stop_signals` either signal raises :class:`Interrupted` in the
main thread: at once while the run waits for its workers, and only at the end
of the block inside :func:`committing` (registering a submission, recording its
grades and swapping in its output), so nbgrader never sees it half-way through
a write.  A second signal quits at once.  Without :func:`stop_signals` (a run
inside another program), :func:`committing` changes nothing.
"""

import os
import signal
import threading
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_state = {"deferring": 0, "received": None, "raised": False}


class Interrupted(BaseException):  # noqa: N818 - like KeyboardInterrupt, which it replaces
    """The run was asked to stop; ``exit_code`` is the shell's 128 + signal number (130, 143)."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum
        self.exit_code = 128 + signum

    def __str__(self):
        return "interrupted (Ctrl-C)" if self.signum == signal.SIGINT else \
            f"stopped by {signal.Signals(self.signum).name}"


def _on_signal(signum, frame):
    if _state["received"] is not None:
        os._exit(128 + signum)  # asked twice: quit now (workers and kernels die with this process)
    _state["received"] = signum
    if not _state["deferring"]:
        _raise()


def _raise():
    _state["raised"] = True
    raise Interrupted(_state["received"])


@contextmanager
def stop_signals():
    """Turn SIGINT and SIGTERM into :class:`Interrupted` while the block runs (in the main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, _on_signal) for signum in SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _state.update(received=None, raised=False)


@contextmanager
def committing():
    """Hold back a stop signal until the block is done; then raise it, even over the block's own exception."""
    _state["deferring"] += 1
    try:
        yield
    finally:
        _state["deferring"] -= 1
        if not _state["deferring"] and _state["received"] is not None and not _state["raised"]:
            _raise()  # noqa: B012 - the stop request wins over whatever the block raised
