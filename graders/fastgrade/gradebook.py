"""The coordinator's gradebook work: one session per assignment, one transaction per graded submission.

Stock ``nbgrader autograde`` opens a new :class:`~nbgrader.api.Gradebook`
(an engine, a connection, a check of every table) about nine times per
submission and commits after every grade.  Here each assignment keeps one
Gradebook: its cells are read once into a :class:`CellsSnapshot`, which the
workers sanitize notebooks with, and each graded submission's rows are written
in one transaction of a few statements, in the layout of nbgrader's
``add_submission`` and with the values ``Autograde.init_assignment`` and
``SaveAutoGrades`` write; a late submission's penalty comes from nbgrader's
own ``AssignLatePenalties`` plugin and checks.
"""

import os
from dataclasses import dataclass, field

from nbgrader import utils
from nbgrader.api import (
    Comment,
    Grade,
    Gradebook,
    MissingEntry,
    Student,
    SubmittedAssignment,
    SubmittedNotebook,
    new_uuid,
)
from nbgrader.converters.base import NbGraderException
from nbgrader.preprocessors import AssignLatePenalties
from sqlalchemy import bindparam, insert, select, update

from graders.fastgrade.nbgrader_log import NbgraderMessages


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
    """One Gradebook session for one assignment's grading run.

    Rows are written with SQLAlchemy Core statements, a few per submission,
    in the row layout of nbgrader's ``add_submission`` and with the values
    its preprocessors write; the ORM (nbgrader's own code) is used only for
    late submissions, whose penalty its plugin computes.
    """

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
        """The :class:`CellsSnapshot` of the assignment (NbGraderException if it is not in the gradebook).

        Also keeps the database ids that new rows refer to: the assignment's,
        its due date, and each notebook's and cell's.
        """
        try:
            assignment = self.gradebook.find_assignment(self.assignment)
        except MissingEntry:
            raise NbGraderException(f"No assignment with ID '{self.assignment}' exists in the database") from None
        self.assignment_id, self.duedate = assignment.id, assignment.duedate
        self.layout = {}  # notebook name -> (notebook id, {grade cell name: id}, {comment cell name: id})
        notebooks = {}
        for notebook in assignment.notebooks:
            graded = notebook.grade_cells + notebook.task_cells  # as add_submission: a Grade for each
            commented = notebook.solution_cells + notebook.task_cells  # and a Comment for each of these
            self.layout[notebook.name] = (notebook.id, {c.name: c.id for c in graded},
                                          {c.name: c.id for c in commented})
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
        has), ``graded`` its :class:`GradedNotebook` list.  Returns the notes
        stock ``nbgrader autograde`` would log about it (how late, the
        penalty).  A failure rolls everything back and raises.
        """
        db = self.gradebook.db
        timestamp = utils.parse_utc(timestamp) if timestamp else None
        try:
            self._student(student)
            existing = db.execute(select(SubmittedAssignment.id, SubmittedAssignment.timestamp,
                                         SubmittedAssignment.extension)
                                  .where(SubmittedAssignment.assignment_id == self.assignment_id,
                                         SubmittedAssignment.student_id == student)).first()
            if existing is None:
                submission_id = self._insert(student, timestamp, graded)
                when, extension = timestamp, None
            else:
                submission_id, when, extension = existing
                when = timestamp or when
                self._update(submission_id, timestamp, graded, student)
            notes = []
            if late_penalties and _seconds_late(when, self.duedate, extension) > 0:
                notes = self._late_penalties(submission_id, student, {notebook.notebook_id for notebook in graded})
            db.commit()
        except BaseException:
            db.rollback()
            raise
        return notes

    def _student(self, student):
        """As ``Autograde.init_assignment``: create the student if ``create_student``, else require it."""
        if student in self._students:
            return
        if self.gradebook.db.execute(select(Student.id).where(Student.id == student)).first() is None:
            if not self.create_student:
                raise NbGraderException(f"No student with ID '{student}' exists in the database")
            self.gradebook.db.execute(insert(Student.__table__), [{"id": student}])
        self._students.add(student)

    def _insert(self, student, timestamp, graded):
        """A new submission: the rows ``add_submission`` makes, holding the values SaveAutoGrades writes."""
        db = self.gradebook.db
        submission_id = new_uuid()
        db.execute(insert(SubmittedAssignment.__table__), [{"id": submission_id, "assignment_id": self.assignment_id,
                                                  "student_id": student, "timestamp": timestamp}])
        results = {notebook.notebook_id: notebook for notebook in graded}
        notebooks, grades, comments = [], [], []
        for name, (notebook_id, grade_cells, comment_cells) in self.layout.items():
            row_id = new_uuid()
            notebooks.append({"id": row_id, "notebook_id": notebook_id, "assignment_id": submission_id})
            result = results.get(name)
            if result:
                _check_known(result, grade_cells, comment_cells, student)
            for cell, cell_id in grade_cells.items():
                score = result.grades.get(cell) if result else None
                grades.append({"id": new_uuid(), "cell_id": cell_id, "notebook_id": row_id, "auto_score": score,
                               "needs_manual_grade": score is None})
            for cell, cell_id in comment_cells.items():
                comments.append({"id": new_uuid(), "cell_id": cell_id, "notebook_id": row_id,
                                 "auto_comment": result.comments.get(cell) if result else None})
        db.execute(insert(SubmittedNotebook.__table__), notebooks)
        if grades:
            db.execute(insert(Grade.__table__), grades)
        if comments:
            db.execute(insert(Comment.__table__), comments)
        return submission_id

    def _update(self, submission_id, timestamp, graded, student):
        """A submission graded before: its new time, grades and comments, and no late penalty yet."""
        db = self.gradebook.db
        if timestamp:
            db.execute(update(SubmittedAssignment.__table__).where(SubmittedAssignment.id == submission_id)
                       .values(timestamp=timestamp))
        db.execute(update(SubmittedNotebook.__table__).where(SubmittedNotebook.assignment_id == submission_id)
                   .values(late_submission_penalty=None))
        cells = {cell_id: (name, cell) for name, (_, grade_cells, comment_cells) in self.layout.items()
                 for named in (grade_cells, comment_cells) for cell, cell_id in named.items()}

        def rows(kind, *columns):
            query = (select(kind.id, kind.cell_id, *columns).join(SubmittedNotebook, SubmittedNotebook.id ==
                                                                   kind.notebook_id)
                     .where(SubmittedNotebook.assignment_id == submission_id))
            return {cells[cell_id]: (row_id, *rest) for row_id, cell_id, *rest in db.execute(query)
                    if cell_id in cells}

        grades, comments = rows(Grade, Grade.manual_score), rows(Comment)
        changes = []
        for notebook in graded:
            for cell, score in notebook.grades.items():  # as SaveAutoGrades._add_score
                row_id, manual = _find(grades, notebook.notebook_id, cell, student)
                changes.append({"row": row_id, "auto": score, "review": manual is not None or score is None})
        if changes:
            db.execute(update(Grade.__table__).where(Grade.id == bindparam("row"))
                       .values(auto_score=bindparam("auto"), needs_manual_grade=bindparam("review")), changes)
        changes = [{"row": _find(comments, notebook.notebook_id, cell, student)[0], "text": text}
                   for notebook in graded for cell, text in notebook.comments.items()]
        if changes:
            db.execute(update(Comment.__table__).where(Comment.id == bindparam("row"))
                       .values(auto_comment=bindparam("text")), changes)

    def _late_penalties(self, submission_id, student, names):
        """As ``AssignLatePenalties``, for the graded notebooks ``names`` (its plugin and its checks); its notes."""
        db = self.gradebook.db
        submission = db.get(SubmittedAssignment, submission_id, populate_existing=True)
        late = submission.total_seconds_late
        notes = [f"submitted {late:g} seconds late"]
        for notebook in submission.notebooks:
            if notebook.name in names:
                db.refresh(notebook)  # its score, from the grades just written
                penalty = self.penalties.plugin_inst.late_submission_penalty(student, notebook.score, late)
                notebook.late_submission_penalty = None
                if penalty is not None:
                    checked = NbgraderMessages(f"{notebook.name}.ipynb")
                    self.penalties.log = checked.logger  # its warnings when it adjusts a penalty
                    notebook.late_submission_penalty = self.penalties._check_late_penalty(notebook, penalty)
                    notes += [f"late submission penalty on {notebook.name}.ipynb: {penalty:g}", *checked.notes]
        return notes

    def close(self):
        self.gradebook.close()


def _seconds_late(timestamp, duedate, extension):
    """``SubmittedAssignment.total_seconds_late`` from its columns."""
    if timestamp is None or duedate is None:
        return 0
    return max(0, (timestamp - (duedate + extension if extension is not None else duedate)).total_seconds())


def _check_known(result, grade_cells, comment_cells, student):
    """MissingEntry, as nbgrader's ``find_grade`` and ``find_comment`` raise, for a cell the gradebook lacks."""
    for cell in [*(set(result.grades) - set(grade_cells)), *(set(result.comments) - set(comment_cells))]:
        raise MissingEntry(f"No such grade or comment: {result.notebook_id}/{cell} for {student}")


def _find(rows, notebook, cell, student):
    """The row for ``cell`` of ``notebook``, or MissingEntry as nbgrader's ``find_grade`` would raise."""
    try:
        return rows[notebook, cell]
    except KeyError:
        raise MissingEntry(f"No such grade or comment: {notebook}/{cell} for {student}") from None
