"""A submission's graded output is replaced in one step, only once its new grades are committed.

nbgrader writes ``autograded/<student>/<assignment>/`` as it grades.  Here the
coordinator has nbgrader write it in a staging folder (:data:`STAGED`) instead,
and :func:`replace_output` swaps it in after the gradebook commit: until then
the previous output (and the previous grades) stay valid.  Together with the
fingerprint cleared before a regrade starts (``GradedState.invalidate``), any
interruption leaves a submission either graded or to be graded again.
"""

import os
import shutil
import uuid
from pathlib import Path

STAGED = ".fastgrade/autograded"  # nbgrader's output for submissions being graded, relative to the course
REPLACED = ".fastgrade/replaced"  # previous outputs on their way out


def replace_output(staged, final, replaced):
    """Move the folder ``staged`` to ``final``, replacing what is there; ``replaced`` holds the old one meanwhile.

    Both renames stay within the course, so each is atomic; ``final`` is missing
    only between them, and a run stopped there has not yet recorded the
    submission as graded.
    """
    staged, final, replaced = Path(staged), Path(final), Path(replaced)
    final.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if final.exists() or final.is_symlink():
        replaced.mkdir(parents=True, exist_ok=True)
        old = replaced / uuid.uuid4().hex
        os.rename(final, old)
    os.rename(staged, final)
    remove_empty(staged.parent)
    if old is not None:
        shutil.rmtree(old) if old.is_dir() and not old.is_symlink() else old.unlink()


def remove_empty(folder):
    """Remove ``folder`` if it is empty (a student's folder in the staging area)."""
    try:
        os.rmdir(folder)
    except OSError:
        pass
