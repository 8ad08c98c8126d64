"""Grade submissions with nbgrader's own autograde pipeline, executing them in parallel.

Stock ``nbgrader autograde`` handles one submission at a time: it sanitizes
the notebook (restoring the hidden tests from the gradebook), executes it, then
records the grades.  Here the workers rebuild, sanitize, execute and score
each submission with nbgrader's own preprocessors
(:mod:`graders.fastgrade.pipeline`), and the coordinator keeps to what must
happen in one place: reading the submission's files, writing the autograded
folder and writing the grades, through one gradebook session per assignment
(:mod:`graders.fastgrade.gradebook`), so SQLite never sees two writers.

Nothing is lost on the way: a submission to grade again has its fingerprint
cleared before anything is touched, and its new output replaces the old one
only after its grades are committed (:mod:`graders.fastgrade.output`).  A
failure that would stop every submission stops the run once
(:mod:`graders.fastgrade.stops`), as does Ctrl-C (:mod:`graders.fastgrade.interrupt`).
"""

import glob
import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader import utils
from nbgrader.converters import Autograde
from nbgrader.converters.base import NbGraderException
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import AssignLatePenalties
from traitlets.config.loader import PyFileConfigLoader

from graders import untrusted
from graders.fastgrade.failures import SystemicFailure
from graders.fastgrade.gradebook import AssignmentGradebook
from graders.fastgrade.intake import Originals, Ungradable, read_notebooks, read_originals, stage_files
from graders.fastgrade.interrupt import Interrupted, committing
from graders.fastgrade.output import REPLACED, STAGED, remove_empty, replace_output
from graders.fastgrade.pipeline import AssignmentSetup, Submission, qualified_steps
from graders.fastgrade.sandbox import Sandbox
from graders.fastgrade.stops import repeated_failure, systemic
from graders.notebook_build import ROOT
from graders.untrusted import shown

STAGING = ".fastgrade/intake"  # staged copies of submissions, relative to the course
NOTES_SHOWN = 5  # notes per submission in the terminal summary


def load_course_config(course):
    """The course's ``nbgrader_config.py`` as a traitlets Config."""
    return PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()


def _digest(paths, root):
    """SHA-256 over the names (relative to ``root``) and contents of ``paths``."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def grading_code_digest():
    """Changes whenever a check, a solution or the engine changes, so fixed tests regrade everyone."""
    return _digest([*ROOT.joinpath("graders").rglob("*.py"), *ROOT.joinpath("solutions").rglob("*.py")], ROOT)


@dataclass
class Job:
    """A submission prepared for execution: its sanitized notebooks and other files."""

    student: str
    assignment: str
    fingerprint: str
    paths: list = field(default_factory=list)
    notebooks: list = field(default_factory=list)
    files: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    attempts: int = 1
    timestamp: object = None  # the submission time nbgrader reads from timestamp.txt (None: none)


class GradedState:
    """Fingerprints of the submissions graded so far, in ``.fastgrade/<assignment>.json``.

    A fingerprint is written only after the submission's grades are committed,
    so a run killed at any point leaves, at worst, submissions that are graded
    again (with the same result) on the next run.
    """

    def __init__(self, course, assignment):
        self.path = Path(course, ".fastgrade", f"{assignment}.json")
        self.fingerprints = json.loads(self.path.read_text()) if self.path.exists() else {}

    def is_current(self, student, fingerprint):
        return self.fingerprints.get(student) == fingerprint

    def record(self, student, fingerprint):
        self.fingerprints[student] = fingerprint
        self._save()

    def invalidate(self, students):
        """Mark ``students`` as to be graded again, before their regrade touches anything."""
        if [self.fingerprints.pop(student) for student in students if student in self.fingerprints]:
            self._save()

    def _save(self):
        self.path.parent.mkdir(exist_ok=True)
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps(self.fingerprints, indent=1, sort_keys=True))
        os.replace(partial, self.path)


class AssignmentGrader:
    """nbgrader's Autograde for one assignment, split around the worker that rebuilds, runs and scores notebooks."""

    def __init__(self, course, assignment, config):
        self.course = Path(course).resolve()
        self.assignment = assignment
        self.config = config
        coursedir = CourseDirectory(config=config)
        coursedir.root = str(self.course)
        # nbgrader reads each submission from its cleaned-up copy (see intake()), never from submitted/.
        staged = CourseDirectory(config=config)
        staged.root, staged.submitted_directory = str(self.course), STAGING
        staged.autograded_directory = STAGED  # swapped into autograded/ once graded (finish())
        # The converter gives the course's settings, hooks and set_permissions; its steps run in the workers.
        self.converter = Autograde(coursedir=staged, config=config)
        self.coursedir = coursedir
        self.state = GradedState(self.course, assignment)
        common = [*self.course.joinpath("source", assignment).rglob("*"), self.course / "nbgrader_config.py"]
        self.common_digest = _digest([p for p in common if p.is_file()], self.course) + grading_code_digest()
        self.gradebook = self.setup = None  # opened by the first prepare(), for the whole run

    def students(self):
        """Students with a submission of this assignment (a folder, or a link that intake refuses), sorted."""
        pattern = self.coursedir.format_path(self.coursedir.submitted_directory, "*", self.assignment)
        return sorted(Path(path).parent.name for path in glob.glob(pattern)
                      if os.path.isdir(path) or os.path.islink(path))

    def submitted_dir(self, student):
        return Path(self.coursedir.format_path(self.coursedir.submitted_directory, student, self.assignment))

    def autograded_dir(self, student):
        return Path(self.coursedir.format_path(self.coursedir.autograded_directory, student, self.assignment))

    def staging_dir(self, student):
        """Where the submission's plain files are copied for nbgrader (its intake)."""
        return Path(self.converter.coursedir.format_path(STAGING, student, self.assignment))

    def staged_dir(self, student):
        """Where the submission's output is written while it is being graded."""
        return Path(self.converter.coursedir.format_path(STAGED, student, self.assignment))

    def fingerprint(self, student):
        """Changes when the submission's files, the assignment's source, the configuration or the checks change.

        The submission is read without following links and whatever it holds never raises
        (:func:`graders.untrusted.digest`): a link to ``/proc/self/pagemap`` counts by its target.
        """
        submission = untrusted.digest(self.submitted_dir(student), 1000 * self.coursedir.max_file_size)
        return hashlib.sha256((submission + self.common_digest).encode()).hexdigest()

    def open(self):
        """Open the assignment's gradebook session and read what every worker needs to grade it (once)."""
        if self.gradebook is not None:
            return
        converter = self.converter
        originals = read_originals(self.course / "source" / self.assignment,
                                   self.course / "release" / self.assignment)
        gradebook = AssignmentGradebook(self.coursedir.db_url, self.coursedir.course_id, self.assignment,
                                        self.config, converter.create_student)
        # As Autograde.init_assignment: notebooks the gradebook does not know are not graded.
        known = [name for name in originals.source if name[: -len(".ipynb")] in gradebook.cells.notebooks]
        if not known:
            gradebook.close()
            raise NbGraderException("No notebooks found, did you forget to run 'nbgrader generate_assignment'?")
        exporter = converter.exporter_class
        self.gradebook, self.setup = gradebook, AssignmentSetup(
            self.assignment, self.coursedir.db_url, gradebook.cells,
            Originals({name: originals.source[name] for name in known},
                      {name: originals.release[name] for name in known}),
            qualified_steps(converter.sanitize_preprocessors), qualified_steps(converter.autograde_preprocessors),
            f"{exporter.__module__}.{exporter.__qualname__}")
        late = f"{AssignLatePenalties.__module__}.{AssignLatePenalties.__qualname__}"
        self.late_penalties = late in self.setup.autograde and AssignLatePenalties(config=self.config).enabled
        source = self.coursedir.format_path(self.coursedir.source_directory, ".", self.assignment)
        excluded = {os.path.join(source, x) for x in converter.exclude_overwriting.get(self.assignment, [])}
        self.source_files = sorted(set(utils.find_all_files(source, self.coursedir.ignore + ["*.ipynb"])) - excluded)
        self.source_folder = source

    def close(self):
        """End the gradebook session, if one was opened."""
        if self.gradebook is not None:
            self.gradebook.close()
            self.gradebook = self.setup = None

    def intake(self, student):
        """Stage a cleaned-up copy of the submission's plain files for nbgrader; return notes on what was dropped.

        The copy holds the submission's plain files up to nbgrader's
        ``max_file_size`` (no links, which could make the grader read files for
        the learner); the notebooks are read separately (:func:`read_notebooks`)
        and rebuilt by the worker.  A submission that is not a folder, or whose
        ``timestamp.txt`` nbgrader cannot read, or whose files would not fit
        on the kernel's disk (``c.Sandbox.disk_mb``), raises :class:`Ungradable`,
        which the run reports.
        """
        return stage_files(self.submitted_dir(student), self.staging_dir(student), 1000 * self.coursedir.max_file_size,
                           Sandbox(config=self.config).disk_mb << 20)

    def prepare(self, student, fingerprint):
        """Copy files and ship the submission to a worker, which sanitizes its notebooks exactly as nbgrader does."""
        self.open()
        converter = self.converter
        dest = self.staged_dir(student)
        shutil.rmtree(dest, ignore_errors=True)  # left by an interrupted run
        notes = self.intake(student)
        names = list(self.setup.originals.source)
        submitted = read_notebooks(self.submitted_dir(student), names)  # never follows a link, never raises
        staging = self.staging_dir(student)
        converter.notebooks = [str(staging / name) for name in names]  # what nbgrader names; the worker rebuilds them
        converter.run_pre_convert_hook()
        dest.mkdir(parents=True)
        self._copy_files(staging, dest)
        job = Job(student, self.assignment, fingerprint, notes=notes,
                  timestamp=self.coursedir.get_existing_timestamp(str(staging)))
        job.paths = [dest / name for name in names]
        job.notebooks = Submission(student, self.setup, submitted)
        job.files = {str(p.relative_to(dest)): p.read_bytes()
                     for p in dest.rglob("*") if p.is_file() and p.suffix != ".ipynb"}
        return job

    def _copy_files(self, staging, dest):
        """The submission's other files, then the source's (as Autograde.init_assignment copies them)."""
        for filename in utils.find_all_files(str(staging), self.coursedir.ignore + ["*.ipynb"]):
            target = dest / os.path.relpath(filename, staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(filename, target)
        for filename in self.source_files:
            target = dest / os.path.relpath(filename, self.source_folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            shutil.copy(filename, target)

    def finish(self, job, executed):
        """Write the worker's autograded notebooks, commit their grades, swap in the output, record it.

        Returns the gradebook's notes on the submission (how late it was, its penalty).
        """
        converter = self.converter
        for path, graded in zip(job.paths, executed, strict=True):
            path.write_text(graded.text, encoding="utf-8")
        notes = self.gradebook.record(job.student, job.timestamp, executed, self.late_penalties)
        converter.set_permissions(self.assignment, job.student)
        converter.notebooks = [str(path) for path in job.paths]
        converter.run_post_convert_hook()
        replace_output(self.staged_dir(job.student), self.autograded_dir(job.student), self.course / REPLACED)
        self.state.record(job.student, job.fingerprint)
        return notes

    def discard(self, student):
        """Drop a failed submission's partial output; its previous output and grades, if any, stay."""
        shutil.rmtree(self.staged_dir(student), ignore_errors=True)
        remove_empty(self.staged_dir(student).parent)


@dataclass
class Report:
    """What a grading run did; ``stopped`` says why it stopped early (then ``pending`` were not graded)."""

    graded: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    pending: list = field(default_factory=list)
    isolation: str = ""
    seconds: float = 0.0
    stopped: str = ""
    stop_code: int = 0
    force: bool = False

    @property
    def exit_code(self):
        """0: all graded; 1: some submissions failed; 2: stopped by a systemic failure; 130/143: Ctrl-C/SIGTERM."""
        return self.stop_code or (1 if self.failed else 0)

    def stop(self, reason, todo=()):
        """Record that the run stopped for ``reason`` (Interrupted or SystemicFailure) before finishing ``todo``."""
        self.stopped = str(reason)
        self.stop_code = reason.exit_code if isinstance(reason, Interrupted) else 2
        finished = {(a, s) for a, s in self.graded} | {(a, s) for a, s, _ in self.failed}
        self.pending = [(g.assignment, s) for g, s, _ in todo if (g.assignment, s) not in finished]

    def summary(self):
        pending = f", not graded {len(self.pending)}" if self.stopped else ""
        lines = [f"graded {len(self.graded)}, unchanged {len(self.skipped)}, failed {len(self.failed)}{pending} "
                 f"in {self.seconds:.1f} s"]
        lines += [f"  {self.isolation}"] if self.isolation else []
        # Students' folder names, file names and code reach these lines: escaped, none can forge another line.
        lines += [f"  FAILED {shown(assignment)} / {shown(student)}: {shown(reason)}"
                  for assignment, student, reason in self.failed]
        lines += self._note_lines()
        return "\n".join(lines + ([self._stop_line()] if self.stopped else []))

    def _note_lines(self):
        """``NOTE`` lines, at most NOTES_SHOWN per submission on the terminal (``--json`` has them all)."""
        notes = {}
        for assignment, student, note in self.notes:
            notes.setdefault((assignment, student), []).append(note)
        lines = []
        for (assignment, student), said in notes.items():
            name = f"  NOTE {shown(assignment)} / {shown(student)}: "
            lines += [name + shown(note, 300) for note in said[:NOTES_SHOWN]]
            if len(said) > NOTES_SHOWN:
                lines.append(f"{name}{len(said) - NOTES_SHOWN} more notes (--json FILE lists them all)")
        return lines

    def _stop_line(self):
        left = len(self.pending)
        then = (f" (without --force it grades only the {left} left)" if self.force and left else "")
        advice = "Fix it and run" if self.stop_code == 2 else "Run"
        return (f"STOPPED: {shown(self.stopped)}. The {len(self.graded)} submission(s) graded are committed; "
                f"the {left} not graded keep their previous grades and output, if any, and are graded by the "
                f"next run. {advice} the same command again to resume{then}.")


def plan(course, assignments, config, students=None, force=False):
    """The (grader, student, fingerprint) triples to grade, and the (assignment, student) pairs to skip."""
    todo, skipped = [], []
    for assignment in assignments:
        grader = AssignmentGrader(course, assignment, config)
        for student in grader.students():
            if students and student not in students:
                continue
            fingerprint = grader.fingerprint(student)  # never raises: a bad submission fails in prepare(), alone
            if not force and grader.state.is_current(student, fingerprint) and grader.autograded_dir(student).is_dir():
                skipped.append((assignment, student))
            else:
                todo.append((grader, student, fingerprint))
    return todo, skipped


def run(todo, workers, config, progress=None, report=None):
    """Prepare, execute (in ``workers``) and finish every submission of ``todo``.

    Nothing one submission does stops the others: a job whose grading worker
    crashed is tried once more on a fresh worker, then reported as failed.
    A :class:`SystemicFailure` (or :class:`Interrupted`) stops the run: the
    submissions in flight are dropped, untouched, and the exception goes up.
    """
    report = report or Report()
    started = time.perf_counter()
    for grader in {id(grader): grader for grader, _, _ in todo}.values():
        grader.state.invalidate([student for other, student, _ in todo if other is grader])
    in_flight = {}
    try:
        _grade(todo, workers, config, progress, report, in_flight)
    except (SystemicFailure, Interrupted):
        for future, (grader, job) in in_flight.items():
            future.cancel()
            grader.discard(job.student)
        raise
    finally:
        report.seconds += time.perf_counter() - started
    return report


def _grade(todo, workers, config, progress, report, in_flight):
    from graders.fastgrade.execute import execute_notebooks
    from graders.fastgrade.workers import WorkerCrashed

    queue = [(grader, student, fingerprint, None) for grader, student, fingerprint in reversed(todo)]

    def fail(grader, student, exc, doing, notes=()):
        grader.discard(student)
        if stop := systemic(exc, grader.coursedir.db_url, f"{doing} {grader.assignment} / {shown(student)}"):
            raise stop from exc
        report.failed.append((grader.assignment, student, f"{type(exc).__name__}: {exc}"))
        report.notes += [(grader.assignment, student, note) for note in notes]  # what intake dropped, say
        progress and progress.update()
        # A submission that is itself unusable is its student's problem, however many share it:
        # only failures of the grading machinery count towards stopping the run.
        if not isinstance(exc, Ungradable) and (stop := repeated_failure(report)):
            raise stop

    while queue or in_flight:
        while queue and len(in_flight) < workers.capacity():
            grader, student, fingerprint, job = queue.pop()
            try:
                with committing():
                    job = job or grader.prepare(student, fingerprint)
                future = workers.submit(execute_notebooks, job.notebooks, job.files, config, job.assignment)
            except SystemicFailure:
                raise
            except Exception as exc:  # one broken submission never stops the batch
                fail(grader, student, exc, "registering")
                continue
            in_flight[future] = (grader, job)
        for future in workers.wait_first(list(in_flight)):
            grader, job = in_flight.pop(future)
            try:
                executed, events = future.result()
                with committing():  # a stop signal waits for the grades, the output and the report
                    late = grader.finish(job, executed)
                    report.graded.append((grader.assignment, job.student))
                    report.notes += [(grader.assignment, job.student, note) for note in job.notes + events + late]
                    progress and progress.update()
            except WorkerCrashed as exc:
                if job.attempts >= 2:
                    fail(grader, job.student, exc, "grading", job.notes)
                else:
                    job.attempts += 1
                    job.notes.append(f"{exc}; graded again on a new worker")
                    queue.append((grader, job.student, job.fingerprint, job))
            except SystemicFailure:
                raise
            except Exception as exc:
                fail(grader, job.student, exc, "recording the grades of", job.notes)
