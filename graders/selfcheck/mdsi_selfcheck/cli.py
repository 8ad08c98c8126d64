"""``mdsi-check NOTEBOOK``: run a notebook in a fresh kernel and list every exercise.

Unlike ``nbgrader validate``, the exit status tells scripts the outcome:
0 when every exercise passes its public tests, 1 when any fails or is not yet
attempted, 2 when the notebook cannot be read or run.
"""

import argparse
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from mdsi_selfcheck.report import Status, exercise_reports

_LABELS = {Status.PASSED: "PASSED", Status.FAILED: "FAILED", Status.NOT_ATTEMPTED: "NOT ATTEMPTED"}


def run_notebook(path, timeout):
    """Execute a copy of the notebook in a fresh kernel, continuing after errors."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, allow_errors=True, kernel_name="python3",
                            resources={"metadata": {"path": str(Path(path).parent)}})
    client.execute()
    return notebook


def main(argv=None):
    parser = argparse.ArgumentParser(prog="mdsi-check", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--timeout", type=int, default=120, help="seconds allowed per cell")
    args = parser.parse_args(argv)
    try:
        notebook = run_notebook(args.notebook, args.timeout)
    except (OSError, nbformat.reader.NotJSONError, nbformat.ValidationError) as exc:
        print(f"mdsi-check: cannot read {args.notebook}: {exc}", file=sys.stderr)
        return 2
    except (CellTimeoutError, DeadKernelError) as exc:
        print(f"mdsi-check: {args.notebook} did not finish: {exc}", file=sys.stderr)
        return 2
    reports = exercise_reports(notebook)
    if not reports:
        print(f"mdsi-check: {args.notebook} has no graded exercises", file=sys.stderr)
        return 2
    print(f"{args.notebook.name}: public tests only (the hidden tests decide the grade)")
    for report in reports:
        line = f"  {_LABELS[report.status]:<14} {report.name}"
        print(line + (f"\n{'':17}{report.message}" if report.message else ""))
    counts = {s: sum(r.status is s for r in reports) for s in Status}
    print(f"{counts[Status.PASSED]} of {len(reports)} exercises pass; "
          f"{counts[Status.FAILED]} failing, {counts[Status.NOT_ATTEMPTED]} not attempted")
    return 0 if counts[Status.PASSED] == len(reports) else 1


if __name__ == "__main__":
    raise SystemExit(main())
