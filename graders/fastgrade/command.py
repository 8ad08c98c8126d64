"""``mdsi-course grade``: grade every new or changed submission, in parallel, resumably."""

import os
from pathlib import Path

from tqdm import tqdm

from graders.fastgrade.coordinator import Report, load_course_config, plan, run
from graders.fastgrade.sandbox import Sandbox, check_available
from graders.fastgrade.workers import DaskWorkers, LocalWorkers


def course_assignments(course):
    """Every assignment with a source folder in the course, sorted."""
    return sorted(p.name for p in Path(course, "source").iterdir() if p.is_dir())


def grade_class(course, assignments=None, *, workers=None, force=False, students=None, dask=None,
                progress=True):
    """Autograde the course's submissions; return a :class:`Report`.

    Submissions already graded with the same files, checks and configuration
    are skipped unless ``force``.  ``dask`` is ``"local"`` or a scheduler
    address; without it notebooks run in ``workers`` local processes.
    """
    course = Path(course).resolve()
    config = load_course_config(course)
    previous = os.getcwd()
    os.chdir(course)  # nbgrader resolves some paths against the working directory
    try:
        todo, skipped = plan(course, assignments or course_assignments(course), config, students, force)
        sandbox = Sandbox(config=config)
        report = Report(skipped=skipped)
        if not todo:
            return report
        pool = (DaskWorkers(dask, workers, sandbox.worker_memory_mb) if dask
                else LocalWorkers(workers, sandbox.worker_memory_mb))
        try:
            report.isolation = sandbox.describe(pool.limits)
            if sandbox.enabled and not dask:
                check_available(pool.zygote.name)
            bar = tqdm(total=len(todo), unit="submission", desc="autograding", disable=not progress)
            try:
                return run(todo, pool, config, bar, report)
            finally:
                bar.close()
        finally:
            pool.close()
            for grader in {grader for grader, _, _ in todo}:
                grader.close()
    finally:
        os.chdir(previous)
