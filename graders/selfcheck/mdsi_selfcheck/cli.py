"""``mdsi-check NOTEBOOK``: run a notebook in a fresh kernel and list every exercise.

Each exercise is PASSED, FAILED, NOT ATTEMPTED, TIMED OUT, CRASHED or NOT RUN
against the public tests in the notebook, with every message its test cells
gave, the most specific first (one that names a likely mistake before one that
only says what was expected).  A cell that loops forever or kills the kernel
costs only its own exercise: the self-check starts a new kernel, runs the
earlier cells again and goes on (see :mod:`mdsi_selfcheck.run`).

Exit status, unlike ``nbgrader validate``: 0 when every exercise passes its
public tests, 1 otherwise, 2 when the notebook cannot be read or run (not a
notebook, no graded exercise, no kernel).

``--json`` prints one JSON object instead of text, for editors and CI::

    {
      "schema": 1,
      "notebook": "ch03_loss_functions.ipynb",   # the path as given
      "exit_code": 1,
      "error": null,                             # or why the notebook could not be read or run (exit 2)
      "timeout": 120,                            # seconds allowed per cell
      "summary": {"exercises": 13, "passed": 11, "failed": 1, "not_attempted": 1,
                  "timed_out": 0, "crashed": 0, "not_run": 0},
      "exercises": [                             # in notebook order
        {"number": 1, "name": "mean_squared_error", "status": "passed",
         "messages": [], "test_cells": ["test_mean_squared_error"], "points": 2},
        ...
      ],
      "other_cells": [                           # cells outside the exercises that timed out, crashed or were not run
        {"cell": 24, "status": "timed_out", "message": "cell 24 ran longer than 120 s ..."}
      ]
    }

``status`` is one of ``passed``, ``failed``, ``not_attempted``, ``timed_out``,
``crashed``, ``not_run``; ``messages`` are plain sentences, most specific
first; ``points`` are the points at stake in the exercise's test cells (the
hidden tests decide how many are earned); ``cell`` counts from 1.
"""

import argparse
import json
import sys
import textwrap
from pathlib import Path

import nbformat

from mdsi_selfcheck.report import Status, exercise_reports, other_problems
from mdsi_selfcheck.run import KernelStartError, run_notebook

SCHEMA = 1
_ORDER = (Status.PASSED, Status.FAILED, Status.NOT_ATTEMPTED, Status.TIMED_OUT, Status.CRASHED, Status.NOT_RUN)
_LABELS = {status: status.value.replace("_", " ").upper() for status in Status}


def check(path, timeout):
    """The JSON-ready result of checking the notebook at ``path`` (see the module docstring)."""
    result = {"schema": SCHEMA, "notebook": str(path), "exit_code": 2, "error": None, "timeout": timeout,
              "summary": dict.fromkeys(["exercises", *(s.value for s in _ORDER)], 0),
              "exercises": [], "other_cells": []}
    try:  # nbgrader refuses an invalid notebook too, so the check does not try to run one
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
    except Exception as exc:  # noqa: BLE001 - malformed JSON makes nbformat raise TypeError, AttributeError, ...
        result["error"] = f"cannot read {path}: {type(exc).__name__}: {exc}"
        return result
    if not exercise_reports(notebook):
        result["error"] = f"{path} has no graded exercises"
        return result
    try:
        fates = run_notebook(notebook, Path(path).resolve().parent, timeout)
    except KernelStartError as exc:
        result["error"] = f"cannot run {path}: {exc}"
        return result
    reports = exercise_reports(notebook, fates, timeout)
    result["exercises"] = [{"number": number, "name": r.name, "status": r.status.value, "messages": list(r.messages),
                            "test_cells": list(r.test_cells), "points": r.points}
                           for number, r in enumerate(reports, 1)]
    result["other_cells"] = [{"cell": index + 1, "status": fate.value, "message": message}
                             for index, fate, message in other_problems(notebook, fates, timeout)]
    result["summary"] = {"exercises": len(reports), **{s.value: sum(r.status is s for r in reports) for s in _ORDER}}
    result["exit_code"] = 0 if result["summary"]["passed"] == len(reports) else 1
    return result


def _print_text(result):
    if result["error"]:
        print(f"mdsi-check: {result['error']}", file=sys.stderr)
        return
    print(f"{Path(result['notebook']).name}: public tests only (the hidden tests decide the grade)")
    for exercise in result["exercises"]:
        print(f"  {_LABELS[Status(exercise['status'])]:<14} {exercise['name']}")
        for message in exercise["messages"]:
            lines = [wrapped for line in message.splitlines()
                     for wrapped in textwrap.wrap(line, 80, break_long_words=False) or [""]]
            print(f"{'':17}- " + f"\n{'':19}".join(lines))
    for other in result["other_cells"]:
        print(f"  note: {other['message']}")
    summary = result["summary"]
    others = ", ".join(f"{summary[s.value]} {s.value.replace('_', ' ')}" for s in _ORDER[1:]
                       if summary[s.value] or s in (Status.FAILED, Status.NOT_ATTEMPTED))
    print(f"{summary['passed']} of {summary['exercises']} exercises pass; {others}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="mdsi-check", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--timeout", type=int, default=120, help="seconds allowed per cell (default 120)")
    parser.add_argument("--json", action="store_true", help="print one JSON object (schema above) instead of text")
    args = parser.parse_args(argv)
    if args.timeout <= 0:
        parser.error(f"--timeout must be a positive number of seconds; got {args.timeout}")
    result = check(args.notebook, args.timeout)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        _print_text(result)
    return result["exit_code"]


if __name__ == "__main__":
    raise SystemExit(main())
