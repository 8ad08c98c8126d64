"""The class report: what every student did on every exercise, read from the gradebook and the graded notebooks.

:func:`collect` gathers it from any course directory (a SQLite or ``db_url``
gradebook, with or without submissions); :mod:`graders.report.page` draws it as
a self-contained HTML page and :func:`write_csv` writes one row per student and
exercise.
"""

import csv
import statistics
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from graders.exercises import ASSIGNMENTS, exercises
from graders.outcomes import COULD_NOT_RUN, OUTCOMES, exercise_outcomes

NOT_SUBMITTED = "not submitted"
BEHIND = 0.5  # a student below half the points (on average, or on the latest assignment) is falling behind


@dataclass
class Submission:
    """One student's graded notebook of one assignment."""

    student: str
    exercises: list
    note: str = ""

    @property
    def score(self):
        return sum(e.score for e in self.exercises)

    @property
    def max_score(self):
        return sum(e.max_score for e in self.exercises)

    @property
    def share(self):
        return self.score / self.max_score if self.max_score else 0.0


@dataclass
class AssignmentResults:
    """Every submission of one assignment, and the students who sent none."""

    assignment: str
    submissions: list = field(default_factory=list)
    missing: list = field(default_factory=list)

    @property
    def exercise_names(self):
        return [ex.name for ex in exercises(self.assignment)]

    @property
    def max_score(self):
        return float(sum(t.points for ex in exercises(self.assignment) for t in ex.tests))

    def outcomes(self, name):
        """[(student, ExerciseOutcome)] of one exercise."""
        return [(s.student, next(e for e in s.exercises if e.name == name)) for s in self.submissions]

    def counts(self, name):
        """{outcome: number of students} for one exercise, every outcome present."""
        found = dict.fromkeys(OUTCOMES, 0)
        for _, outcome in self.outcomes(name):
            found[outcome.outcome] += 1
        return found

    def mean_points(self, name):
        scores = [o.score for _, o in self.outcomes(name)]
        return statistics.fmean(scores) if scores else 0.0

    def mistakes(self, name):
        """[(mistake, lesson, [students])] the checks named on one exercise, most frequent first."""
        lessons = {m.name: m.message for ex in exercises(self.assignment) if ex.name == name for m in ex.mistakes}
        who = {}
        for student, outcome in self.outcomes(name):
            for mistake in outcome.mistakes:
                who.setdefault(mistake, []).append(student)
        return sorted(((m, lessons.get(m, ""), s) for m, s in who.items()), key=lambda row: (-len(row[2]), row[0]))

    def students_with(self, name, outcome, catalogued=None):
        """Students whose outcome on ``name`` is ``outcome`` (with or without a named mistake, if asked)."""
        return [s for s, o in self.outcomes(name) if o.outcome == outcome
                and (catalogued is None or bool(o.mistakes) == catalogued)]

    @property
    def shares(self):
        return [s.share for s in self.submissions]


@dataclass
class ClassResults:
    """The class report of a course: one :class:`AssignmentResults` per assignment, in order."""

    assignments: list
    students: list

    def share(self, student, results):
        """The student's share of the points on one assignment, or None without a submission."""
        return next((s.share for s in results.submissions if s.student == student), None)

    def average(self, student):
        """Mean share over the assignments with any submission; a missing one counts as 0."""
        graded = [r for r in self.assignments if r.submissions]
        return statistics.fmean(self.share(student, r) or 0.0 for r in graded) if graded else 0.0

    def behind(self, threshold=BEHIND):
        """[(student, average, [reasons])] of students falling behind, weakest first."""
        graded = [r for r in self.assignments if r.submissions]
        rows = []
        for student in self.students:
            reasons = []
            average = self.average(student)
            if graded and average < threshold:
                reasons.append(f"average {average:.0%}")
            missed = [r.assignment for r in graded if self.share(student, r) is None]
            if missed:
                reasons.append("no submission for " + ", ".join(missed))
            latest = self.share(student, graded[-1]) if graded else None
            if latest is not None and latest < threshold and average >= threshold:
                reasons.append(f"{latest:.0%} on {graded[-1].assignment}")
            if reasons:
                rows.append((student, average, reasons))
        return sorted(rows, key=lambda row: (row[1], row[0]))


def course_directory(course):
    """nbgrader's CourseDirectory of ``course``, configured by its ``nbgrader_config.py`` if it has one."""
    course = Path(course).resolve()
    if not course.is_dir():
        raise ValueError(f"course directory {course} does not exist")
    config = Config()
    if (course / "nbgrader_config.py").exists():
        config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    return CourseDirectory(config=config, root=str(course))


def _gradebook_exists(db_url):
    """False for a SQLite gradebook file that was never created (opening it would create it)."""
    prefix = "sqlite:///"
    return not db_url.startswith(prefix) or Path(db_url[len(prefix):]).exists()


def _read_submission(coursedir, assignment, submission):
    """A :class:`Submission` from the gradebook's scores and the autograded notebook's outputs."""
    student = submission.student.id
    scores = {g.name: (g.score if g.score is not None else 0.0, g.max_score)
              for nb in submission.notebooks for g in nb.grades}
    path = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment), f"{assignment}.ipynb")
    if path.exists():
        notebook = nbformat.read(path, as_version=4)
        return Submission(student, exercise_outcomes(assignment, notebook, scores))
    return Submission(student, exercise_outcomes(assignment, None, scores),
                      note=f"{path.name} not found in {path.parent}: outcomes from the scores only")


def default_assignments(coursedir, gradebook_names=()):
    """The course's assignments this course knows checks for: those in source/ or in the gradebook."""
    source = Path(coursedir.root, coursedir.source_directory)
    present = {p.name for p in source.iterdir() if p.is_dir()} if source.is_dir() else set()
    return [a for a in ASSIGNMENTS if a in present | set(gradebook_names)]


def collect(course, assignments=None):
    """The :class:`ClassResults` of ``course`` (a path) for ``assignments`` (default: all it has)."""
    coursedir = course_directory(course)
    for assignment in assignments or ():
        exercises(assignment)  # an unknown assignment is an error that names the known ones
    if not _gradebook_exists(coursedir.db_url):
        names = list(assignments or default_assignments(coursedir))
        return ClassResults([AssignmentResults(a) for a in names], [])
    with Gradebook(coursedir.db_url) as gradebook:
        students = sorted(s.id for s in gradebook.students)
        names = list(assignments or default_assignments(coursedir, [a.name for a in gradebook.assignments]))
        results = []
        for assignment in names:
            known = {a.name for a in gradebook.assignments}
            submitted = gradebook.assignment_submissions(assignment) if assignment in known else []
            done = sorted((_read_submission(coursedir, assignment, s) for s in submitted), key=lambda s: s.student)
            sent = {s.student for s in done}
            results.append(AssignmentResults(assignment, done, [s for s in students if s not in sent]))
    return ClassResults(results, students)


class _SpreadsheetSafe:
    """A ``csv.writer`` whose text cells never start a spreadsheet formula.

    A diagnosis can quote a learner's exception message, so a cell could begin
    with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, which Excel and
    LibreOffice would evaluate; such a cell gets a leading ``'`` (OWASP's advice).
    """

    _FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

    def __init__(self, sink):
        self._out = csv.writer(sink)

    def writerow(self, row):
        self._out.writerow(["'" + cell if cell.startswith(self._FORMULA_START) else cell for cell in row])


def write_csv(results, path):
    """One row per student and exercise: outcome, points, catalogued mistakes and the diagnosis."""
    with open(path, "w", newline="") as sink:
        out = _SpreadsheetSafe(sink)
        out.writerow(["assignment", "student", "exercise", "outcome", "score", "max_score", "mistake", "diagnosis"])
        for assignment in results.assignments:
            for submission in assignment.submissions:
                for ex in submission.exercises:
                    out.writerow([assignment.assignment, submission.student, ex.name, ex.outcome,
                                  f"{ex.score:g}", f"{ex.max_score:g}", "; ".join(ex.mistakes), ex.diagnosis])
            for student in assignment.missing:
                for ex in exercises(assignment.assignment):
                    top = sum(t.points for t in ex.tests)
                    out.writerow([assignment.assignment, student, ex.name, NOT_SUBMITTED, "0", f"{top:g}", "", ""])


def text_summary(results):
    """The report in a terminal: per exercise, how many students got each outcome and the mistakes named."""
    lines = []
    for assignment in results.assignments:
        subs = assignment.submissions
        lines.append(f"\n{assignment.assignment}: {len(subs)} submission(s)"
                     + (f", average {statistics.fmean(assignment.shares):.0%}" if subs else ""))
        if not subs:
            continue
        width = max(len(n) for n in assignment.exercise_names)
        for name in assignment.exercise_names:
            counts = assignment.counts(name)
            line = f"  {name:<{width}}  " + "  ".join(f"{o} {counts[o]}" for o in OUTCOMES)
            mistakes = assignment.mistakes(name)
            if mistakes:
                line += "  | " + "; ".join(f"{m} ({', '.join(s)})" for m, _, s in mistakes)
            broken = assignment.students_with(name, COULD_NOT_RUN)
            if broken:
                line += f"  | could not run: {', '.join(broken)}"
            lines.append(line)
    behind = results.behind()
    if behind:
        lines.append("\nFalling behind:")
        lines += [f"  {student}: {'; '.join(reasons)}" for student, _, reasons in behind]
    return "\n".join(lines)


def gradebook_scores(db_url):
    """{(assignment, student, notebook, grade cell): (score, needs manual grade)} for a whole gradebook.

    Used to prove two ways of grading gave the same results.
    """
    scores = {}
    with Gradebook(db_url) as gradebook:
        for assignment in gradebook.assignments:
            for submission in gradebook.assignment_submissions(assignment.name):
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        key = (assignment.name, submission.student.id, notebook.name, grade.name)
                        scores[key] = (grade.score, grade.needs_manual_grade)
    return scores
