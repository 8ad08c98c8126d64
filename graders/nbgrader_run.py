"""Run stock nbgrader commands from this Python environment."""

import os
import subprocess
import sys
from pathlib import Path


def run_nbgrader(course, *args, log=None):
    """Run ``nbgrader <args>`` in the course directory ``course``.

    nbgrader shells out to ``alembic`` for its gradebook, so this
    environment's ``bin`` directory goes first on ``PATH``.  With ``log`` (a
    path), nbgrader's and the kernels' chatter is appended there instead of the
    terminal, and a failure names the log.
    """
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    command = [sys.executable, "-m", "nbgrader", *args, "--log-level=WARN"]
    if log is None:
        return subprocess.run(command, cwd=course, env=env, check=True)
    with open(log, "a") as sink:
        done = subprocess.run(command, cwd=course, env=env, stdout=sink, stderr=subprocess.STDOUT)
    if done.returncode:
        raise RuntimeError(f"`nbgrader {' '.join(args)}` failed; see {log}")
    return done
