"""Read an executed notebook's graded cells into one report per exercise.

A test cell's outcome is read from its error output, whichever way the
notebook reports it: ``ExerciseNotAttempted`` or a raw ``NotImplementedError``
(not attempted), ``PublicTestFailed`` (its value is the paragraph to show), a
raw ``AssertionError`` or any other exception (failed); no error is a pass.
A cell that timed out or crashed the kernel (see :mod:`mdsi_selfcheck.run`)
gives its exercise that status, as does the cell defining the exercise.
"""

import enum
import re
from dataclasses import dataclass, field

from mdsi_selfcheck.run import Fate


class Status(enum.Enum):
    """An exercise's outcome against the public tests, from best to worst."""

    PASSED = "passed"
    NOT_RUN = "not_run"
    NOT_ATTEMPTED = "not_attempted"
    FAILED = "failed"
    TIMED_OUT = "timed_out"
    CRASHED = "crashed"


_RANK = {status: rank for rank, status in enumerate(Status)}  # the worst of an exercise's cells wins
_FATE_STATUS = {Fate.TIMED_OUT: Status.TIMED_OUT, Fate.CRASHED: Status.CRASHED, Fate.NOT_RUN: Status.NOT_RUN}
_FATE_TEXT = {Fate.TIMED_OUT: "ran longer than {timeout} s (an endless loop?) and was stopped",
              Fate.CRASHED: "stopped the kernel (exit(), a crash or running out of memory)",
              Fate.NOT_RUN: "was not run: the kernel had to be restarted too often"}
# A message that names what the learner probably did beats one that only says what was expected.
# The notebooks' messages address the learner ("did you divide by n?", "you stored the same array").
_NAMES_A_MISTAKE = re.compile(r"(?i)\b(likely mistake|you)\b")


@dataclass(frozen=True)
class ExerciseReport:
    """One exercise: its status, every message (most specific first) and its test cells."""

    name: str
    status: Status
    messages: tuple[str, ...] = ()
    test_cells: tuple[str, ...] = ()
    points: float = 0

    @property
    def message(self):
        """The most specific message, or ``""``."""
        return self.messages[0] if self.messages else ""


@dataclass
class _Verdicts:
    status: Status = Status.PASSED
    found: list = field(default_factory=list)  # (specificity, order, message)
    cells: list = field(default_factory=list)
    points: float = 0

    def add(self, status, message="", specificity=0):
        if _RANK[status] > _RANK[self.status]:
            self.status = status
        if message and message not in (m for _, _, m in self.found):
            self.found.append((specificity, len(self.found), message))


def _nbgrader(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def _error(cell):
    """The first error output of a code cell, or None."""
    return next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None)


def _owner(grade_id, names):
    """The exercise a test cell belongs to: ``test_<name>`` or ``test_<name>_<part>``."""
    matches = [n for n in names if grade_id == f"test_{n}" or grade_id.startswith(f"test_{n}_")]
    return max(matches, key=len) if matches else grade_id.removeprefix("test_")


def _describe(error):
    return f"{error['ename']}: {error['evalue']}".strip().rstrip(":")


def _judge(error, grade_id):
    """(status, message, specificity) of a test cell's error output."""
    ename, evalue = error.get("ename", ""), error.get("evalue", "").strip()
    if ename in ("ExerciseNotAttempted", "NotImplementedError"):
        stub = evalue if ename == "ExerciseNotAttempted" else "still raises NotImplementedError"
        return Status.NOT_ATTEMPTED, stub, 0
    if ename in ("PublicTestFailed", "AssertionError"):
        if not evalue:
            return Status.FAILED, f"{grade_id}: an assert failed (it has no message)", 1
        return Status.FAILED, evalue, 3 if _NAMES_A_MISTAKE.search(evalue) else 2
    return Status.FAILED, f"{grade_id} raised {_describe(error)}", 2


def exercise_reports(notebook, fates=None, timeout=None):
    """One :class:`ExerciseReport` per exercise, in notebook order.

    ``fates`` maps cell indices to their :class:`~mdsi_selfcheck.run.Fate`
    (cells that timed out, crashed or were not run; ``timeout`` is quoted).
    """
    fates = fates or {}
    solutions = {}  # exercise name -> index of the cell defining it
    for index, cell in enumerate(notebook.cells):
        meta = _nbgrader(cell)
        if meta.get("solution") and cell.cell_type == "code":
            solutions[meta["grade_id"]] = index
    verdicts = {}
    for index, cell in enumerate(notebook.cells):
        meta = _nbgrader(cell)
        if not (meta.get("grade") and cell.cell_type == "code"):
            continue
        grade_id = meta["grade_id"]
        name = _owner(grade_id, solutions)
        verdict = verdicts.setdefault(name, _Verdicts())
        verdict.cells.append(grade_id)
        verdict.points += meta.get("points", 0) or 0
        own = solutions.get(name)
        if own in fates:
            fate = fates[own]
            verdict.add(_FATE_STATUS[fate], "the cell defining it " + _FATE_TEXT[fate].format(timeout=timeout), 5)
        elif index in fates:
            fate = fates[index]
            verdict.add(_FATE_STATUS[fate], f"{grade_id} " + _FATE_TEXT[fate].format(timeout=timeout), 5)
        elif (error := _error(cell)) is None:
            verdict.add(Status.PASSED)
        elif own is not None and (own_error := _error(notebook.cells[own])) is not None:
            verdict.add(Status.FAILED, f"the cell defining it raised {_describe(own_error)}", 4)
        else:
            verdict.add(*_judge(error, grade_id))
    return [ExerciseReport(name, v.status, tuple(m for _, _, m in sorted(v.found, key=lambda f: (-f[0], f[1]))),
                           tuple(v.cells), v.points)
            for name, v in verdicts.items()]


def other_problems(notebook, fates, timeout=None):
    """Sentences for the cells outside any exercise's tests that timed out, crashed or were not run."""
    graded = {i for i, cell in enumerate(notebook.cells)
              if _nbgrader(cell).get("grade") or _nbgrader(cell).get("solution")}
    return [(index, fates[index], f"cell {index + 1} " + _FATE_TEXT[fates[index]].format(timeout=timeout))
            for index in sorted(fates) if index not in graded]
