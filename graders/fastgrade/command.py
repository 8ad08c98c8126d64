"""``mdsi-course grade``: grade every new or changed submission, in parallel, resumably."""

import os
import shutil
import threading
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from tqdm import tqdm

from graders.fastgrade.coordinator import Report, load_course_config, plan, run
from graders.fastgrade.failures import SystemicFailure
from graders.fastgrade.interrupt import Interrupted
from graders.fastgrade.outcome import ProgressLines, write_json
from graders.fastgrade.output import REPLACED
from graders.fastgrade.sandbox import Sandbox, check_available
from graders.fastgrade.stops import check_gradebook
from graders.fastgrade.workers import DaskWorkers, LocalWorkers

STOP_WAIT = 2.0  # seconds a stopped run waits for its workers to close


def course_assignments(course):
    """Every assignment with a source folder in the course, sorted."""
    return sorted(p.name for p in Path(course, "source").iterdir() if p.is_dir())


def grade_class(course, assignments=None, *, workers=None, force=False, students=None, dask=None,
                progress=True, json_path=None, cluster=None):
    """Autograde the course's submissions; return a :class:`Report`.

    Submissions already graded with the same files, checks and configuration
    are skipped unless ``force``.  ``dask`` is ``"local"``, a job queue
    (``"slurm"``, ``"pbs"``...) or a scheduler address, and ``cluster`` the
    keyword arguments of :class:`DaskWorkers` (``min_workers``, ``max_workers``,
    ``wait_seconds``...); without ``dask`` notebooks run in ``workers`` local processes.
    ``progress`` is True (a bar), ``"lines"`` (plain lines on stdout) or False.
    A systemic failure or a stop signal ends the run early with everything
    committed so far kept (``report.stopped`` says why).  With ``json_path``
    every submission's outcome is written there too (:mod:`graders.fastgrade.outcome`).
    """
    course = Path(course).resolve()
    config = load_course_config(course)
    coursedir = CourseDirectory(config=config)
    coursedir.root = str(course)
    report, todo = Report(force=force), []
    previous = os.getcwd()
    os.chdir(course)  # nbgrader resolves some paths against the working directory
    try:
        shutil.rmtree(course / REPLACED, ignore_errors=True)  # outputs an interrupted run was replacing
        todo, report.skipped = plan(course, assignments or course_assignments(course), config, students, force)
        if todo:
            check_gradebook(coursedir.db_url)
            _grade_on_pool(todo, config, report, workers, dask, progress, cluster or {})
    except (SystemicFailure, Interrupted) as stop:
        report.stop(stop, todo)
    finally:
        for grader in {grader for grader, _, _ in todo}:
            grader.close()  # the assignments' gradebook sessions
        os.chdir(previous)
    if json_path:
        write_json(report, coursedir.db_url, json_path)
    return report


def _grade_on_pool(todo, config, report, workers, dask, progress, cluster):
    """Start the workers, grade ``todo`` into ``report`` with progress shown as asked, stop the workers."""
    sandbox = Sandbox(config=config)
    pool = (DaskWorkers(dask, workers, sandbox.worker_memory_mb, sandbox=sandbox.enabled, **cluster) if dask
            else LocalWorkers(workers, sandbox.worker_memory_mb))
    try:
        report.isolation = sandbox.describe(pool.limits)
        if sandbox.enabled and not dask:
            check_available(pool.zygote.name)
        if progress == "lines":
            shown = ProgressLines(len(todo), report)
        else:
            shown = tqdm(total=len(todo), unit="submission", desc="autograding", disable=not progress)
        try:
            run(todo, pool, config, shown, report)
        finally:
            shown.close()
    except (SystemicFailure, Interrupted):
        _abandon(pool)
        raise
    pool.close()


def _abandon(pool):
    """Stop the workers of a stopped run, waiting at most STOP_WAIT seconds for the notebooks in flight.

    The local zygote goes first (every kernel it forked dies with it); what is
    still running after that is left to finish closing in the background, and
    dies with this process if it exits first.
    """
    zygote = getattr(pool, "zygote", None)  # local workers only; a Dask client cancels its own tasks
    if zygote is not None:
        zygote.stop()
    closing = threading.Thread(target=pool.close, daemon=True)
    closing.start()
    closing.join(STOP_WAIT)
