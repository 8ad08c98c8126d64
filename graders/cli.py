"""Command line of the instructor tools: ``mdsi-course build | collect | demo | grade | mutations``."""

import argparse

from graders.exercises import ASSIGNMENTS
from graders.nbgrader_run import run_nbgrader
from graders.notebook_build import ROOT, write_source


def build(assignments):
    """Rebuild the source notebooks from templates and solutions, then the release."""
    for assignment in assignments:
        print(f"source  {write_source(assignment).relative_to(ROOT)}")
        run_nbgrader(ROOT, "generate_assignment", assignment, "--force", log=ROOT / ".nbgrader.log")
        print(f"release release/{assignment}/{assignment}.ipynb")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="mdsi-course", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="build source/ and release/ notebooks")
    build_cmd.add_argument("assignments", nargs="*", default=list(ASSIGNMENTS))
    demo_cmd = commands.add_parser("demo", help="build, grade a simulated class, print the summary")
    demo_cmd.add_argument("--workdir", default=str(ROOT / ".demo"))
    commands.add_parser("mutations", help="print the mutation table of every assignment")
    grade_cmd = commands.add_parser("grade", help="autograde new or changed submissions in parallel")
    grade_cmd.add_argument("assignments", nargs="*", help="default: every assignment in source/")
    grade_cmd.add_argument("--course", default=".", help="the nbgrader course directory")
    grade_cmd.add_argument("--workers", type=int, help="notebooks at once (default: cores + 1)")
    grade_cmd.add_argument("--student", action="append", dest="students", help="only these students")
    grade_cmd.add_argument("--force", action="store_true", help="regrade unchanged submissions too")
    grade_cmd.add_argument("--dask", metavar="ADDRESS", help="run on Dask: 'local' or a scheduler address")
    collect_cmd = commands.add_parser("collect", help="copy submissions from nbgrader's exchange into submitted/, "
                                      "never following links and trusting only the file system's records")
    collect_cmd.add_argument("assignment")
    collect_cmd.add_argument("--course", default=".", help="the nbgrader course directory")
    collect_cmd.add_argument("--student", help="only this student")
    collect_cmd.add_argument("--update", action="store_true", help="replace collected submissions by newer ones")
    collect_cmd.add_argument("--before-duedate", action="store_true",
                             help="collect each student's last submission before the due date, if any")
    args = parser.parse_args(argv)
    if args.command == "collect":
        return _collect(args)
    if args.command == "grade":
        from graders.fastgrade.command import grade_class

        report = grade_class(args.course, args.assignments, workers=args.workers, force=args.force,
                             students=args.students, dask=args.dask)
        print(report.summary())
        return 1 if report.failed else 0
    if args.command == "build":
        build(args.assignments)
    elif args.command == "mutations":
        from graders.mutations import mutation_table

        print(mutation_table(ASSIGNMENTS))
    else:
        from graders.demo import run_demo

        run_demo(args.workdir)
    return 0


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
