"""The coordinator's gradebook work: one session per assignment, one transaction per graded submission.

Stock ``nbgrader autograde`` opens a new :class:`~nbgrader.api.Gradebook`
(an engine, a connection, a check of every table) about nine times per
submission and commits after every grade.  Here each assignment keeps one
Gradebook: its cells are read once into a :class:`CellsSnapshot`, which the
workers sanitize notebooks with, and each graded submission's rows are written
in one transaction, with nbgrader's own classes and rules
(``Autograde.init_assignment``, ``SaveAutoGrades``, ``AssignLatePenalties``).
"""

import os
from dataclasses import dataclass, field

from nbgrader import utils
from nbgrader.api import BaseCell, Comment, Grade, Gradebook, MissingEntry, Notebook, SubmittedNotebook
from nbgrader.converters.base import NbGraderException
from nbgrader.preprocessors import AssignLatePenalties


@dataclass(frozen=True)
class Cell:
    """What nbgrader's sanitizing steps read of a source, grade, solution or task cell."""

    name: str
    cell_type: str = None
    locked: bool = None
    source: str = None
    checksum: str = None
    max_score: float = None


@dataclass
class NotebookCells:
    """One notebook of the assignment, shaped like the parts of :class:`nbgrader.api.Notebook` sanitizing uses."""

    kernelspec: str | None
    source_cells: list = field(default_factory=list)
    grade_cells: list = field(default_factory=list)
    solution_cells: list = field(default_factory=list)
    task_cells: list = field(default_factory=list)


@dataclass
class CellsSnapshot:
    """The assignment's cells as the gradebook holds them; answers the queries nbgrader's sanitizing makes.

    It travels to the workers, where ``OverwriteCells`` and
    ``OverwriteKernelspec`` ask it instead of opening the database.
    """

    assignment: str
    notebooks: dict  # notebook name -> NotebookCells

    def find_notebook(self, name, assignment):
        try:
            return self.notebooks[name]
        except KeyError:
            raise MissingEntry(f"No such notebook: {assignment}/{name}") from None

    def find_source_cell(self, name, notebook, assignment):
        found = [cell for cell in self.find_notebook(notebook, assignment).source_cells if cell.name == name]
        if not found:
            raise MissingEntry(f"No such source cell: {assignment}/{notebook}/{name}")
        return found[0]

    def find_graded_cell(self, name, notebook, assignment):
        cells = self.find_notebook(notebook, assignment)
        found = [cell for cell in cells.grade_cells + cells.task_cells if cell.name == name]
        if not found:
            raise MissingEntry(f"No such graded cell: {assignment}/{notebook}/{name}")
        return found[0]


@dataclass
class GradedNotebook:
    """A worker's result for one notebook: the autograded notebook's text and what ``SaveAutoGrades`` would save."""

    name: str  # the file name
    text: str
    grades: dict  # grade cell name -> auto_score (nbgrader.utils.determine_grade)
    comments: dict  # solution or task cell name -> auto_comment

    @property
    def notebook_id(self):
        """The notebook's name in the gradebook: the file name without its extension, as nbgrader takes it."""
        return os.path.splitext(self.name)[0]


class AssignmentGradebook:
    """One Gradebook session for one assignment's grading run."""

    def __init__(self, db_url, course_id, assignment, config, create_student=True):
        self.gradebook = Gradebook(db_url, course_id)
        # Stock autograde's preprocessors open Gradebook(db_url), which registers the course "default_course".
        self.gradebook.check_course()
        self.assignment = assignment
        self.create_student = create_student
        self.penalties = AssignLatePenalties(config=config)
        self.penalties.init_plugin()
        self._students = set()
        try:
            self.cells = self._read_cells()
        finally:
            self.gradebook.db.rollback()  # end the read transaction: SQLite lets no one write while it is open

    def _read_cells(self):
        """The :class:`CellsSnapshot` of the assignment (NbGraderException if it is not in the gradebook)."""
        try:
            assignment = self.gradebook.find_assignment(self.assignment)
        except MissingEntry:
            raise NbGraderException(f"No assignment with ID '{self.assignment}' exists in the database") from None
        notebooks = {}
        for notebook in assignment.notebooks:
            notebooks[notebook.name] = NotebookCells(
                notebook.kernelspec,
                [Cell(c.name, c.cell_type, c.locked, c.source, c.checksum) for c in notebook.source_cells],
                [Cell(c.name, max_score=c.max_score) for c in notebook.grade_cells],
                [Cell(c.name) for c in notebook.solution_cells],
                [Cell(c.name, max_score=c.max_score) for c in notebook.task_cells])
        return CellsSnapshot(self.assignment, notebooks)

    def record(self, student, timestamp, graded, late_penalties=True):
        """Write one submission's grades, comments and late penalties; commit them together.

        ``timestamp`` is the submission's time (None: keep what the gradebook
        has), ``graded`` its :class:`GradedNotebook` list.  A failure rolls
        everything back and raises.
        """
        db = self.gradebook.db
        try:
            self._student(student)
            submission = self._submission(student, timestamp)
            grades, comments = self._rows(submission.id)
            for notebook in graded:
                for name, score in notebook.grades.items():  # as SaveAutoGrades._add_score
                    grade = _find(grades, notebook.notebook_id, name, student)
                    grade.auto_score = score
                    grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
                for name, text in notebook.comments.items():  # as SaveAutoGrades._add_comment
                    _find(comments, notebook.notebook_id, name, student).auto_comment = text
            if late_penalties:
                self._late_penalties(submission, student, {notebook.notebook_id for notebook in graded})
            db.commit()
        except BaseException:
            db.rollback()
            raise

    def _student(self, student):
        """As ``Autograde.init_assignment``: create the student if ``create_student``, else require it."""
        if student in self._students:
            return
        try:
            self.gradebook.find_student(student)
        except MissingEntry:
            if not self.create_student:
                raise NbGraderException(f"No student with ID '{student}' exists in the database") from None
            self.gradebook.add_student(student)
        self._students.add(student)

    def _submission(self, student, timestamp):
        """As ``update_or_create_submission``: a new submission gets a row for every cell (nbgrader commits it)."""
        try:
            submission = self.gradebook.find_submission(self.assignment, student)
        except MissingEntry:
            extra = {"timestamp": timestamp} if timestamp else {}
            return self.gradebook.add_submission(self.assignment, student, **extra)
        if timestamp:
            submission.timestamp = utils.parse_utc(timestamp)
        return submission

    def _rows(self, submission_id):
        """The submission's Grade and Comment rows, by (notebook name, cell name), in one query each."""
        db = self.gradebook.db

        def rows(kind):
            query = (db.query(kind, Notebook.name, BaseCell.name)
                     .join(BaseCell, BaseCell.id == kind.cell_id)
                     .join(SubmittedNotebook, SubmittedNotebook.id == kind.notebook_id)
                     .join(Notebook, Notebook.id == SubmittedNotebook.notebook_id)
                     .filter(SubmittedNotebook.assignment_id == submission_id))
            return {(notebook, cell): row for row, notebook, cell in query}

        return rows(Grade), rows(Comment)

    def _late_penalties(self, submission, student, names):
        """As ``AssignLatePenalties``, for the graded notebooks ``names`` (its plugin and its checks)."""
        late = submission.total_seconds_late
        if late > 0:
            self.gradebook.db.flush()  # the notebooks' scores must include the grades just set
        for notebook in submission.notebooks:
            if notebook.name not in names:
                continue
            notebook.late_submission_penalty = None
            if late > 0:
                self.gradebook.db.expire(notebook, ["score"])
                penalty = self.penalties.plugin_inst.late_submission_penalty(student, notebook.score, late)
                if penalty is not None:
                    notebook.late_submission_penalty = self.penalties._check_late_penalty(notebook, penalty)

    def close(self):
        self.gradebook.close()


def _find(rows, notebook, cell, student):
    """The row for ``cell`` of ``notebook``, or MissingEntry as nbgrader's ``find_grade`` would raise."""
    try:
        return rows[notebook, cell]
    except KeyError:
        raise MissingEntry(f"No such grade or comment: {notebook}/{cell} for {student}") from None
