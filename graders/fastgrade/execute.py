"""The workers' only job: run one prepared notebook in a fresh forked kernel."""

import os
import tempfile
from pathlib import Path

import nbformat
from nbgrader.preprocessors import Execute

from graders.fastgrade.kernels import ForkKernelManager


def execute_notebooks(notebooks, files, config):
    """Execute a submission's sanitized notebooks as ``nbgrader autograde`` would.

    ``notebooks`` are JSON texts; each runs in its own fresh kernel and comes
    back executed, in order.  ``files`` ({relative path: bytes}) are the other
    files of the submission's autograded folder; they are written to a scratch
    directory, the kernels' working directory, deleted afterwards.  ``config``
    is the course's nbgrader configuration (timeouts and so on).  Runs in a
    local worker process or on a Dask worker alike.
    """
    os.environ["NBGRADER_EXECUTION"] = "autograde"  # as nbgrader sets it for its kernels
    executed = []
    with tempfile.TemporaryDirectory(prefix="mdsi-grade-") as scratch:
        for name, data in files.items():
            path = Path(scratch, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        for notebook_json in notebooks:
            notebook = nbformat.reads(notebook_json, as_version=nbformat.NO_CONVERT)
            Execute(config=config, kernel_manager_class=ForkKernelManager).preprocess(
                notebook, {"metadata": {"path": scratch}})
            executed.append(nbformat.writes(notebook))
    return executed
