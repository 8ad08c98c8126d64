"""Benchmark: stock serial ``nbgrader autograde`` against ``mdsi-course grade`` on the same class.

Builds a simulated class (default 40 students x every assignment) in two
identical course directories, grades one with stock nbgrader (one
``nbgrader autograde <assignment>`` per assignment, as instructors run it) and
the other with the parallel, sandboxed grader, checks that every score in the two
gradebooks agrees, and ends with one line:

    speedup: 5.12x (stock 301.4 s, ours 58.9 s, 320 notebooks, scores identical: yes)

Run with ``make bench`` (or ``python bench/autograde_benchmark.py --students 40``).
"""

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import nbformat

from graders.demo import prepare_course, simulated_class, write_submissions
from graders.exercises import ASSIGNMENTS
from graders.fastgrade.command import grade_class
from graders.fastgrade.coordinator import load_course_config
from graders.fastgrade.execute import execute_notebooks
from graders.nbgrader_run import run_nbgrader
from graders.report import gradebook_scores


def busy_core_seconds():
    """CPU time used by the whole machine so far (all processes, all cores), in seconds."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system = (int(x) for x in fields[:3])
    return (user + nice + system) / 100


def timed(action):
    """(result, wall seconds, busy core-seconds) of running ``action()``."""
    wall, busy = time.perf_counter(), busy_core_seconds()
    result = action()
    return result, time.perf_counter() - wall, busy_core_seconds() - busy


def kernel_start_cost(course, repeats=5):
    """Median wall seconds to run a one-cell notebook: stock kernel start vs forked kernel."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import numpy, scipy.stats, sklearn")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    from nbclient import NotebookClient

    def stock():
        NotebookClient(nbformat.from_dict(notebook), kernel_name="python3").execute()

    def sandboxed_fork():
        execute_notebooks([nbformat.writes(notebook)], {}, config, ASSIGNMENTS[0])

    config = load_course_config(course)
    forked = [timed(sandboxed_fork)[1] for _ in range(repeats)]
    plain = [timed(stock)[1] for _ in range(repeats)]
    return statistics.median(plain), statistics.median(forked)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--assignments", nargs="*", default=list(ASSIGNMENTS))
    parser.add_argument("--workdir", type=Path, help="where to build the two courses (default: a temp dir)")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="mdsi-bench-"))
    stock_course, our_course = workdir / "stock", workdir / "ours"

    print(f"building {args.students} students x {len(args.assignments)} assignments in {workdir}", flush=True)
    prepare_course(stock_course, args.assignments)
    for assignment in args.assignments:
        write_submissions(stock_course, assignment, simulated_class(assignment, args.students))
    if our_course.exists():
        shutil.rmtree(our_course)
    shutil.copytree(stock_course, our_course)
    notebooks = len(list(stock_course.glob("submitted/*/*/*.ipynb")))

    def stock():
        for assignment in args.assignments:
            run_nbgrader(stock_course, "autograde", assignment, log=stock_course / "nbgrader.log")

    print(f"stock nbgrader autograde on {notebooks} notebooks ...", flush=True)
    _, stock_wall, stock_cpu = timed(stock)
    print(f"  {stock_wall:.1f} s wall, {stock_cpu:.1f} busy core-seconds", flush=True)
    print("mdsi-course grade on the same notebooks ...", flush=True)
    report, our_wall, our_cpu = timed(lambda: grade_class(our_course, args.assignments, progress=False))
    print(f"  {our_wall:.1f} s wall, {our_cpu:.1f} busy core-seconds; {report.summary()}", flush=True)
    if len(report.graded) != notebooks:
        print(f"no speedup: mdsi-course grade graded {len(report.graded)} of {notebooks} notebooks "
              "(see above); a time for part of the work compares with nothing")
        return 1

    plain_start, forked_start = kernel_start_cost(our_course)
    print(f"per notebook: stock {stock_wall / notebooks:.2f} s wall ({stock_cpu / notebooks:.2f} core-s), "
          f"ours {our_wall / notebooks:.2f} s wall ({our_cpu / notebooks:.2f} core-s)")
    print(f"start-up of a kernel that imports numpy/scipy/sklearn: stock {plain_start:.2f} s, "
          f"forked and sandboxed {forked_start:.2f} s")
    same = gradebook_scores(f"sqlite:///{stock_course / 'gradebook.db'}") == \
        gradebook_scores(f"sqlite:///{our_course / 'gradebook.db'}")
    print(f"speedup: {stock_wall / our_wall:.2f}x (stock {stock_wall:.1f} s, ours {our_wall:.1f} s, "
          f"{notebooks} notebooks, scores identical: {'yes' if same else 'NO'})")
    return 0 if same and not report.failed else 1


if __name__ == "__main__":
    raise SystemExit(main())
