"""Command line of the instructor tools: ``mdsi-course build | collect | demo | grade | report | mutations``."""

import argparse
from pathlib import Path

from graders.exercises import ASSIGNMENTS
from graders.nbgrader_run import run_nbgrader
from graders.notebook_build import ROOT, write_source


def build(assignments, overwrite=False):
    """Rebuild the source notebooks from templates and solutions, then the release.

    The release is generated in the course at the repository root, so its
    gradebook (``gradebook.db`` or ``db_url``) lists the assignments.
    """
    for assignment in assignments:
        print(f"source  {write_source(assignment, overwrite=overwrite).relative_to(ROOT)}")
        run_nbgrader(ROOT, "generate_assignment", assignment, "--force", log=ROOT / ".nbgrader.log")
        print(f"release release/{assignment}/{assignment}.ipynb")


def run_report(course, assignments=(), html=None, csv=None):
    """Print the class report of ``course``; write it as HTML and CSV too if asked."""
    from graders.report import collect, text_summary, write_csv

    try:
        results = collect(course, assignments)
    except ValueError as error:
        print(f"mdsi-course report: {error}")
        return 2
    print(text_summary(results).lstrip("\n") or "No assignments with checks in this course.")
    if html:
        from graders.report.page import render

        Path(html).write_text(render(results, Path(course).resolve()))
        print(f"HTML report: {html}")
    if csv:
        write_csv(results, csv)
        print(f"CSV: {csv}")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="mdsi-course", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="build source/ and release/ notebooks")
    build_cmd.add_argument("assignments", nargs="*", default=list(ASSIGNMENTS))
    build_cmd.add_argument("--overwrite", action="store_true", help="discard hand edits of source/ notebooks")
    demo_cmd = commands.add_parser("demo", help="build, grade a simulated class, print the summary")
    demo_cmd.add_argument("--workdir", default=str(ROOT / "demo-course"),
                          help="the demo's course directory (open the formgrader there)")
    commands.add_parser("mutations", help="print the mutation table of every assignment")
    grade_cmd = commands.add_parser("grade", help="autograde new or changed submissions in parallel")
    grade_cmd.add_argument("assignments", nargs="*", help="default: every assignment in source/")
    grade_cmd.add_argument("--course", default=".", help="the nbgrader course directory")
    grade_cmd.add_argument("--workers", type=int, help="notebooks at once (default: cores + 1)")
    grade_cmd.add_argument("--student", action="append", dest="students", help="only these students")
    grade_cmd.add_argument("--force", action="store_true", help="regrade unchanged submissions too")
    grade_cmd.add_argument("--dask", metavar="WHERE", help="run on Dask: 'local', a scheduler address "
                           "(tcp://host:8786, tls://...) or a job queue configured in Dask's jobqueue.yaml: "
                           "slurm, pbs, sge, lsf, htcondor, moab, oar")
    grade_cmd.add_argument("--min-workers", type=int, default=1,
                           help="job queues: Dask workers to keep (adapt; at least 1)")
    grade_cmd.add_argument("--max-workers", type=int, help="job queues: most Dask workers to start (adapt)")
    grade_cmd.add_argument("--worker-timeout", type=float, default=600, metavar="SECONDS",
                           help="with --dask: stop when no usable worker has been there for this long")
    grade_cmd.add_argument("--json", metavar="FILE", dest="json_path",
                           help="write every submission's outcome and the run's summary there as JSON")
    collect_cmd = commands.add_parser("collect", help="copy submissions from nbgrader's exchange into submitted/, "
                                      "never following links and trusting only the file system's records")
    collect_cmd.add_argument("assignment")
    collect_cmd.add_argument("--course", default=".", help="the nbgrader course directory")
    collect_cmd.add_argument("--student", help="only this student")
    collect_cmd.add_argument("--update", action="store_true", help="replace collected submissions by newer ones")
    collect_cmd.add_argument("--before-duedate", action="store_true",
                             help="collect each student's last submission before the due date, if any")
    report_cmd = commands.add_parser("report", help="class report: outcomes per exercise, mistakes, who is behind")
    report_cmd.add_argument("assignments", nargs="*", help="default: every assignment the course has")
    report_cmd.add_argument("--course", default=".", help="the nbgrader course directory")
    report_cmd.add_argument("--html", metavar="FILE", help="write a self-contained HTML page with plots")
    report_cmd.add_argument("--csv", metavar="FILE", help="write one row per student and exercise")
    args = parser.parse_args(argv)
    if args.command == "collect":
        return _collect(args)
    if args.command == "report":
        return run_report(args.course, args.assignments, html=args.html, csv=args.csv)
    if args.command == "grade":
        return _grade(args)
    if args.command == "build":
        from graders.source_guard import HandEdited

        try:
            build(args.assignments, overwrite=args.overwrite)
        except HandEdited as edited:
            print(f"mdsi-course build: {edited}")
            return 1
    elif args.command == "mutations":
        from graders.mutations import mutation_table

        print(mutation_table(ASSIGNMENTS))
    else:
        from graders.demo import run_demo

        run_demo(args.workdir)
    return 0


def _grade(args):
    """Run ``mdsi-course grade``; the exit code is the report's (0, 1 some failed, 2 stopped, 130/143 signals)."""
    import sys

    from graders.fastgrade.command import grade_class
    from graders.fastgrade.interrupt import Interrupted, stop_signals
    from graders.fastgrade.workers import ClusterConfigError

    try:
        with stop_signals():
            report = grade_class(args.course, args.assignments, workers=args.workers, force=args.force,
                                 students=args.students, dask=args.dask, json_path=args.json_path,
                                 progress=True if sys.stdout.isatty() else "lines",
                                 cluster={"min_workers": args.min_workers, "max_workers": args.max_workers,
                                          "wait_seconds": args.worker_timeout})
    except ClusterConfigError as problem:
        print(f"mdsi-course grade: {problem}")
        return 2
    except Interrupted as stop:  # only between the end of grading and the return: all is committed
        print(f"mdsi-course grade: {stop}; run the same command again to resume")
        return stop.exit_code
    print(report.summary())
    return report.exit_code


def _collect(args):
    """Run ``mdsi-course collect``: 0 if every submission was collected, 1 if some were refused, 2 on failure."""
    from nbgrader.exchange import ExchangeError

    from graders.collect import collect

    try:
        report = collect(args.course, args.assignment, student=args.student, update=args.update,
                         before_duedate=args.before_duedate)
    except ExchangeError as problem:
        print(f"mdsi-course collect: {problem}")
        return 2
    print(report.summary())
    return 1 if report.refused else 0
