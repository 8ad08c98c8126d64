"""``mdsi-course collect``: nbgrader's collect for the file-system exchange, without trusting what students wrote.

In nbgrader's file-system exchange a student's ``nbgrader submit`` creates
``<root>/<course>/inbound/<student>+<assignment>+<time>+<random>/``: a folder
the student owns, named and filled by the student's own process (its
``timestamp.txt`` included).  Everything in it is the student's word, except
what the kernel records: which user id owns each entry, and when each inode
last changed (``st_ctime``, set from the kernel's clock on every change and
never settable back by an unprivileged user).  :class:`HardenedCollect`
believes only those:

* it never follows a symbolic link (files are read through
  :mod:`graders.untrusted`): links, pipes, hard links and mount points are
  dropped and reported, and a submission folder that is itself a link is
  refused;
* a submission whose folder name does not start with a valid student id, or
  whose folder is not owned by that student's user id, is refused; files
  inside owned by anyone else are dropped;
* the submission time is the student's ``timestamp.txt`` only when it lies
  within ``clock_tolerance`` seconds of the latest change the kernel recorded
  in the folder; otherwise (backdated, garbage, missing) it is that latest
  change, and a report line says so.  A student can thus backdate by at most
  the tolerance, and editing a submission after the deadline makes it late;
* the time is written to ``submitted/<student>/<assignment>/timestamp.txt``
  in nbgrader's format, where ``nbgrader autograde``, ``mdsi-course grade``
  and the formgrader read it, as after stock collect.

It subclasses nbgrader's own ``ExchangeCollect`` (same options: ``--update``,
``--before-duedate``, ``check_owner``, ``CourseDirectory.ignore`` and size
limits), so ``c.ExchangeFactory.collect`` makes ``nbgrader collect`` and the
formgrader's Collect button use it too.
"""

import logging
import os
import pwd
import re
import shutil
import stat
from dataclasses import dataclass, field
from datetime import timedelta
from fnmatch import fnmatch
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange.default.collect import ExchangeCollect
from traitlets import Dict, Float, Integer, Unicode

from graders import untrusted
from graders.untrusted import Unreadable, shown

TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f UTC"  # nbgrader's default timestamp format, in UTC
TIMESTAMP_BYTES = 200


@dataclass
class Candidate:
    """One folder of the inbound that claims to be a submission of the assignment."""

    name: str
    student: str | None = None
    problem: str | None = None
    changed: object = None  # the latest inode change in the folder (naive UTC)
    time: object = None  # the submission time believed (naive UTC)
    note: str | None = None  # why that time is not the student's timestamp.txt


@dataclass
class CollectReport:
    """What a collect run did, one line per submission and per problem."""

    assignment: str
    collected: list = field(default_factory=list)  # (student, time)
    unchanged: list = field(default_factory=list)  # (student, reason)
    refused: list = field(default_factory=list)  # (folder name, reason)
    notes: list = field(default_factory=list)  # (student, note)
    header: list = field(default_factory=list)

    def lines(self):
        """(level, text) of every line after the first, learner-controlled text escaped."""
        a = self.assignment
        return ([("warning", text) for text in self.header]
                + [("info", f"COLLECTED {a} / {shown(who)}: submitted {time:{TIME_FORMAT}}")
                   for who, time in self.collected]
                + [("info", f"UNCHANGED {a} / {shown(who)}: {why}") for who, why in self.unchanged]
                + [("warning", f"REFUSED {a} / inbound folder '{shown(name, 160)}': {shown(why)}")
                   for name, why in self.refused]
                + [("warning", f"NOTE {a} / {shown(who)}: {shown(note)}") for who, note in self.notes])

    def summary(self):
        head = (f"collected {len(self.collected)}, unchanged {len(self.unchanged)}, "
                f"refused {len(self.refused)} submission(s) of {self.assignment}")
        return "\n".join([head, *(f"  {text}" for _, text in self.lines())])


class HardenedCollect(ExchangeCollect):
    """nbgrader's ExchangeCollect that never follows links and believes only the owner and the kernel's clock."""

    student_uids = Dict(
        key_trait=Unicode(), value_trait=Integer(),
        help="Student id -> user id that submits for that student, where ids are not the user names of "
             "accounts on this machine (by default a student's user id is that of the account named after "
             "them).  Used only with ExchangeCollect.check_owner.").tag(config=True)
    clock_tolerance = Float(
        120.0,
        help="How many seconds the student's timestamp.txt may differ from the latest change the file "
             "system recorded in the submission folder and still be believed: enough for `nbgrader submit` "
             "to copy the files and for clock skew between machines.  Beyond it the recorded change time "
             "is used.").tag(config=True)
    student_id_pattern = Unicode(
        r"[A-Za-z0-9_][A-Za-z0-9_.@-]{0,127}",
        help="Regular expression every student id must match in full; it must never admit '/', '+', "
             "'..' or control characters, since the id becomes a folder under submitted/.").tag(config=True)
    max_entries = Integer(
        1000, help="Most files and folders one submission may hold; more refuses it.").tag(config=True)

    def init_src(self):
        if not self.coursedir.course_id:
            self.fail("No course id specified: set c.CourseDirectory.course_id or pass --course.")
        self.course_path = os.path.join(self.root, self.coursedir.course_id)
        self.inbound_path = os.path.join(self.course_path, "inbound")
        for path in (self.course_path, self.inbound_path):
            self._check_instructor_folder(path)
        self.report = CollectReport(self.coursedir.assignment_id)
        if not self.check_owner:
            self.report.header.append("owners not checked (c.ExchangeCollect.check_owner is False): anyone who "
                                      "can write the exchange can submit under any student's id")
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
            try:
                self.duedate = gradebook.find_assignment(self.coursedir.assignment_id).duedate
            except MissingEntry:
                self.duedate = None
        candidates = [self._examine(name) for name in sorted(os.listdir(self.inbound_path))
                      if self._is_candidate(name)]
        self.report.refused += [(c.name, c.problem) for c in candidates if c.problem]
        by_student = {}
        for candidate in candidates:
            if not candidate.problem:
                by_student.setdefault(candidate.student, []).append(candidate)
        self.src_records = [self._choose(group) for _, group in sorted(by_student.items())]

    def _check_instructor_folder(self, path):
        """Fail unless ``path`` is a real folder of the collecting user (or root), not a student's stand-in."""
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            self.fail(f"Course not found in the exchange: {path} does not exist (run `nbgrader "
                      "release_assignment` first, or check c.Exchange.root).")
        if not stat.S_ISDIR(info.st_mode):
            self.fail(f"{path} is not a folder (a symbolic link?); the exchange may have been tampered with.")
        if not self.coursedir.groupshared and info.st_uid not in (os.geteuid(), 0):
            self.fail(f"{path} belongs to user id {info.st_uid}, not to you: someone replaced the course's "
                      "folder in the exchange (make the exchange root sticky: chmod 1777).")

    def _is_candidate(self, name):
        """Is the inbound entry ``name`` a submission of this assignment by the student asked for (if any)?"""
        parts = name.split("+", 2)
        wanted = self.coursedir.student_id
        return (len(parts) == 3 and parts[1] == self.coursedir.assignment_id
                and wanted in ("*", "", parts[0]))

    def _examine(self, name):
        """The candidate ``name``: refused with a reason, or with its student and believed time."""
        candidate = Candidate(name, student=name.split("+", 1)[0])
        path = os.path.join(self.inbound_path, name)
        try:
            candidate.problem = self._refusal(candidate.student, path)
            if not candidate.problem:
                candidate.changed = untrusted.last_change(path, self.max_entries)
                candidate.time, candidate.note = self._believed_time(path, candidate.changed)
        except Unreadable as problem:
            candidate.problem = str(problem)
        except OSError as exc:  # removed or changed while being examined
            candidate.problem = f"it cannot be read ({exc.strerror})"
        return candidate

    def _refusal(self, student, path):
        """Why the submission folder ``path`` named for ``student`` is refused, or None."""
        if not re.fullmatch(self.student_id_pattern, student) or student in (".", ".."):
            return "its name does not start with a valid student id"
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            return f"it is a symbolic link (to '{shown(os.readlink(path), 160)}'), not a folder"
        if not stat.S_ISDIR(info.st_mode):
            return "it is not a folder"
        if info.st_dev != os.lstat(self.inbound_path).st_dev:
            return "it is on another file system (a mount point)"
        if not self.check_owner:
            return None
        expected = self._uid(student)
        if expected is None:
            return (f"no user account is named '{student}' on this machine, so its owner cannot be checked: map "
                    "student ids to user ids with c.HardenedCollect.student_uids, or set "
                    "c.ExchangeCollect.check_owner = False where the exchange cannot tell users apart")
        if info.st_uid != expected:
            return (f"it is owned by user id {info.st_uid}{_account(info.st_uid)}, not by {student} "
                    f"(user id {expected}): a submission under another student's id")
        return None

    def _uid(self, student):
        if student in self.student_uids:
            return self.student_uids[student]
        try:
            return pwd.getpwnam(student).pw_uid
        except KeyError:
            return None

    def _believed_time(self, path, changed):
        """(time, note): the student's timestamp.txt if the file system's record agrees, else that record."""
        recorded = f"{changed:{TIME_FORMAT}}"
        try:
            claim = self._read_timestamp(path)
        except ValueError as problem:
            return changed, f"timestamp.txt {problem}; used the time the exchange recorded, {recorded}"
        if claim is None:
            return changed, f"no timestamp.txt; used the time the exchange recorded, {recorded}"
        if abs(claim - changed) <= timedelta(seconds=self.clock_tolerance):
            return claim, None
        return changed, (f"timestamp.txt says {claim:{TIME_FORMAT}}, but the exchange recorded the last change at "
                         f"{recorded}; used {recorded}")

    def _read_timestamp(self, path):
        """The time in the submission's timestamp.txt, None if it has none; ValueError says why it is no time."""
        try:
            data = untrusted.read_top(path, "timestamp.txt", TIMESTAMP_BYTES)
            return None if data is None else untrusted.parse_time(data.decode("utf-8"))
        except (Unreadable, UnicodeDecodeError) as exc:
            raise ValueError(f"is unusable ({exc})") from None

    def _choose(self, group):
        """The submission to collect among one student's: the latest, or the latest before the due date."""
        latest = sorted(group, key=lambda c: c.time, reverse=True)
        if self.before_duedate and self.duedate is not None:
            on_time = [c for c in latest if c.time <= self.duedate]
            return (on_time or latest)[0]
        return latest[0]

    def init_dest(self):
        pass

    def copy_files(self):
        for candidate in self.src_records:
            self._collect(candidate)
        for level, text in self.report.lines():
            getattr(self.log, level)(text)

    def _collect(self, candidate):
        """Copy one chosen submission to submitted/, unless the one there is as new (stock collect's rules)."""
        student = candidate.student
        dest = Path(self.coursedir.format_path(self.coursedir.submitted_directory, student,
                                               self.coursedir.assignment_id))
        if os.path.lexists(dest):
            existing = _existing_time(dest)
            newer = existing is None or candidate.time > existing
            if not (self.update and newer or self.before_duedate and existing != candidate.time):
                why = "no newer submission" if self.update else "already collected; use --update to replace it"
                self.report.unchanged.append((student, why))
                return
        dest.parent.mkdir(parents=True, exist_ok=True)
        partial = dest.with_name(f".{dest.name}.collecting")
        shutil.rmtree(partial, ignore_errors=True)
        try:
            copied = untrusted.copy(os.path.join(self.inbound_path, candidate.name), partial, skip=self._ignored,
                                    owner=self._uid(student) if self.check_owner else None,
                                    max_file_bytes=1000 * self.coursedir.max_file_size,
                                    max_total_bytes=1000 * self.coursedir.max_dir_size,
                                    max_entries=self.max_entries)
        except Unreadable as problem:
            shutil.rmtree(partial, ignore_errors=True)
            self.report.refused.append((candidate.name, str(problem)))
            return
        if copied.changed > candidate.changed:  # changed while being collected: believe the later record
            candidate.time, candidate.note = self._believed_time(partial, copied.changed)
        (partial / "timestamp.txt").unlink(missing_ok=True)
        (partial / "timestamp.txt").write_text(f"{candidate.time:{TIME_FORMAT}}")
        if os.path.lexists(dest):
            shutil.rmtree(dest) if dest.is_dir() and not dest.is_symlink() else dest.unlink()
        os.rename(partial, dest)
        self.report.collected.append((student, candidate.time))
        self.report.notes += [(student, note) for note in [candidate.note, *copied.notes] if note]

    def _ignored(self, entry):
        """Stock collect's filters: CourseDirectory.ignore for any entry, CourseDirectory.include for files."""
        name = entry.path.name
        if any(fnmatch(name, pattern) for pattern in self.coursedir.ignore):
            return True
        return entry.is_file and not any(fnmatch(name, pattern) for pattern in self.coursedir.include)


def _existing_time(dest):
    """The time in an already collected submission's timestamp.txt, None if unreadable."""
    try:
        return untrusted.parse_time((dest / "timestamp.txt").read_text()[:TIMESTAMP_BYTES])
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def _account(uid):
    try:
        return f" ({pwd.getpwuid(uid).pw_name})"
    except KeyError:
        return ""


def collect(course, assignment, *, student=None, update=False, before_duedate=False):
    """Collect ``assignment`` from the exchange into ``course``'s submitted/; return a :class:`CollectReport`.

    Raises ExchangeError for problems that stop the whole collect (no course id, no exchange
    folder, a course folder that is not the instructor's).
    """
    from graders.fastgrade.coordinator import load_course_config

    config = load_course_config(course)
    coursedir = CourseDirectory(config=config)
    coursedir.root = str(Path(course).resolve())
    coursedir.assignment_id = assignment
    if student:
        coursedir.student_id = student
    quiet = logging.getLogger("graders.collect")  # the report is the output; nbgrader collect logs its lines instead
    quiet.propagate = False
    quiet.addHandler(logging.NullHandler())
    collector = HardenedCollect(coursedir=coursedir, authenticator=Authenticator(config=config), config=config,
                                log=quiet)
    collector.update = collector.update or update
    collector.before_duedate = collector.before_duedate or before_duedate
    collector.start()
    return collector.report

