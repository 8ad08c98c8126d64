"""Run stock nbgrader commands from this Python environment."""

import os
import subprocess
import sys
from pathlib import Path


def run_nbgrader(course, *args, check=True):
    """Run ``nbgrader <args>`` in the course directory ``course``.

    nbgrader shells out to ``alembic`` for its gradebook, so this
    environment's ``bin`` directory goes first on ``PATH``.
    """
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    return subprocess.run([sys.executable, "-m", "nbgrader", *args, "--log-level=WARN"],
                          cwd=course, env=env, check=check)
