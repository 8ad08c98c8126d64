"""Read an executed notebook's graded cells into one report line per exercise."""

import enum
from dataclasses import dataclass


class Status(enum.Enum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_ATTEMPTED = "not attempted"


@dataclass(frozen=True)
class ExerciseReport:
    name: str
    status: Status
    message: str = ""


def _nbgrader(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def _error(cell):
    """The first error output of a code cell, or None."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return output
    return None


def _owner(grade_id, names):
    """The exercise a test cell belongs to: ``test_<name>`` or ``test_<name>_<part>``."""
    matches = [n for n in names if grade_id == f"test_{n}" or grade_id.startswith(f"test_{n}_")]
    return max(matches, key=len) if matches else grade_id.removeprefix("test_")


def _describe(error):
    return f"{error['ename']}: {error['evalue']}".strip().rstrip(":")


def exercise_reports(notebook):
    """One :class:`ExerciseReport` per exercise, in notebook order."""
    solutions = {}
    for cell in notebook.cells:
        meta = _nbgrader(cell)
        if meta.get("solution") and cell.cell_type == "code":
            solutions[meta["grade_id"]] = _error(cell)
    verdicts = {}
    for cell in notebook.cells:
        meta = _nbgrader(cell)
        if not (meta.get("grade") and cell.cell_type == "code"):
            continue
        name = _owner(meta["grade_id"], solutions)
        error, own = _error(cell), solutions.get(name)
        if error is None:
            verdict = (Status.PASSED, "")
        elif error["ename"] == "NotImplementedError":
            verdict = (Status.NOT_ATTEMPTED, "still raises NotImplementedError")
        elif own is not None:
            verdict = (Status.FAILED, f"the cell defining it raised {_describe(own)}")
        else:
            verdict = (Status.FAILED, f"{meta['grade_id']}: {_describe(error)}")
        previous = verdicts.get(name)
        if previous is None or _rank(verdict[0]) > _rank(previous[0]):
            verdicts[name] = verdict
    return [ExerciseReport(name, status, message) for name, (status, message) in verdicts.items()]


def _rank(status):
    """Which status wins when an exercise has several test cells."""
    return {Status.PASSED: 0, Status.NOT_ATTEMPTED: 1, Status.FAILED: 2}[status]
