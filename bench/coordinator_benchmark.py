"""Benchmark: the grading coordinator's own CPU time per submission, on SQLite and on PostgreSQL.

The coordinator (``mdsi-course grade``'s main process) owns the gradebook:
however many workers execute notebooks, it handles every submission in turn,
so its CPU time per submission caps the throughput of a whole cluster.  This
script measures exactly that.  Notebook execution is stubbed: the pool's
worker processes run the real worker task, except that instead of starting
kernels each code cell gets canned outputs (a graded test cell passes or fails
depending on a hash of its notebook and grade id, so the class gets a spread
of scores).  The clock is :func:`time.process_time` of the coordinator process
only (worker processes excluded), from planning the run to its last commit.
It ends with one line::

    coordinator: 12 ms/submission (sqlite), 18 ms/submission (postgresql)

Run ``python bench/coordinator_benchmark.py`` (600 submissions of
``ch03_loss_functions``; ``--submissions N``, ``--databases sqlite``).
PostgreSQL comes from ``pgserver`` (a dev dependency that ships the server).
"""

import argparse
import concurrent.futures
import hashlib
import multiprocessing
import os
import shutil
import tempfile
import time
from pathlib import Path

from nbformat.v4 import new_output

from graders.demo import simulated_class, write_submissions
from graders.fastgrade.coordinator import Report, load_course_config, plan, run
from graders.nbgrader_run import run_nbgrader
from graders.notebook_build import ROOT


def canned_run_notebook(notebook, config, assignment, files, sandbox, folder):
    """Stands in for :func:`graders.fastgrade.execute.run_notebook`: outputs without a kernel."""
    answers = "".join(cell.source for cell in notebook.cells
                      if cell.metadata.get("nbgrader", {}).get("solution"))
    for count, cell in enumerate((c for c in notebook.cells if c.cell_type == "code"), 1):
        meta = cell.metadata.get("nbgrader", {})
        cell.execution_count = count
        if meta.get("grade") and not meta.get("solution"):
            passed = hashlib.sha256(f"{answers}{meta['grade_id']}".encode()).digest()[0] < 180
            cell.outputs = [new_output("stream", name="stdout", text=f"{meta['grade_id']}: passed\n")] if passed \
                else [new_output("error", ename="CheckFailed", evalue="wrong", traceback=["CheckFailed: wrong"])]
        else:
            cell.outputs = [new_output("stream", name="stdout", text="ran\n")]
    return []


def _stub_kernels():
    """In each worker process: cells get canned outputs instead of running in a kernel."""
    import graders.fastgrade.execute

    graders.fastgrade.execute.run_notebook = canned_run_notebook


class StubWorkers:
    """A pool of worker processes that run the real worker task with execution stubbed."""

    limits = "stubbed: no kernels"

    def __init__(self, size=2):
        self.size = size
        self.pool = concurrent.futures.ProcessPoolExecutor(
            size, mp_context=multiprocessing.get_context("spawn"), initializer=_stub_kernels)

    def capacity(self):
        return 2 * self.size

    def submit(self, fn, *args):
        return self.pool.submit(fn, *args)

    def wait_first(self, futures):
        return concurrent.futures.wait(futures, return_when=concurrent.futures.FIRST_COMPLETED)[0]

    def close(self):
        self.pool.shutdown()


def build_course(course, assignment, submissions, db_url=None):
    """A course with ``submissions`` students, each a copy of one of seven simulated profiles."""
    shutil.rmtree(course, ignore_errors=True)
    course.mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    if db_url:  # before the assignment is generated, so that it is registered in that database
        with open(course / "nbgrader_config.py", "a") as config:
            config.write(f"\nc.CourseDirectory.db_url = {db_url!r}\n")
    shutil.copytree(ROOT / "source" / assignment, course / "source" / assignment)
    run_nbgrader(course, "generate_assignment", assignment, "--force", log=course / "nbgrader.log")
    profiles = simulated_class(assignment, 7)
    write_submissions(course, assignment, profiles)
    for number in range(submissions):
        profile = list(profiles)[number % len(profiles)]
        shutil.copytree(course / "submitted" / profile / assignment,
                        course / "submitted" / f"s{number:05d}" / assignment)
    for profile in profiles:
        shutil.rmtree(course / "submitted" / profile)


def coordinator_ms(course, workers):
    """Grade every submission of ``course`` with the stub pool; the coordinator's CPU ms per submission."""
    config = load_course_config(course)
    previous = os.getcwd()
    os.chdir(course)  # as grade_class does
    try:
        started = time.process_time()
        todo, _ = plan(course, [p.name for p in (course / "source").iterdir()], config)
        report = run(todo, workers, config, None, Report())
        spent = time.process_time() - started
    finally:
        os.chdir(previous)
    if report.failed or len(report.graded) != len(todo):
        raise RuntimeError(f"the benchmark's run did not grade everything:\n{report.summary()}")
    return 1000 * spent / len(todo)


def postgres_server(folder):
    """A throw-away PostgreSQL server (from pgserver) and the URL of an empty database in it."""
    import pgserver

    server = pgserver.get_server(folder, cleanup_mode="stop")
    server.psql("CREATE DATABASE gradebook;")
    return server, server.get_uri("gradebook")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=600)
    parser.add_argument("--assignment", default="ch03_loss_functions")
    parser.add_argument("--databases", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"])
    parser.add_argument("--workers", type=int, default=2, help="stub worker processes (default 2)")
    parser.add_argument("--workdir", type=Path, help="where to build the courses (default: a temporary folder)")
    args = parser.parse_args(argv)
    if args.submissions < 1:
        parser.error("--submissions must be at least 1")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="mdsi-coordinator-bench-"))
    try:
        figures = [f"{measure(database, workdir, args):.0f} ms/submission ({database})" for database in args.databases]
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    print("coordinator: " + ", ".join(figures))
    return 0


def measure(database, workdir, args):
    """Build the course for ``database`` in ``workdir``, grade it with stub workers; coordinator ms/submission."""
    server = db_url = None
    if database == "postgresql":
        server, db_url = postgres_server(workdir / "pgdata")
    try:
        course = workdir / database
        print(f"{database}: building {args.submissions} submissions of {args.assignment} in {course}", flush=True)
        build_course(course, args.assignment, args.submissions, db_url)
        workers = StubWorkers(args.workers)
        try:
            ms = coordinator_ms(course, workers)
        finally:
            workers.close()
        print(f"{database}: {ms:.1f} ms of coordinator CPU per submission", flush=True)
        return ms
    finally:
        if server is not None:
            server.cleanup()


if __name__ == "__main__":
    raise SystemExit(main())
