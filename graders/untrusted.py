"""What learners control, handled so that it cannot act on the grader: their folders, their text, their clocks.

Folders (a submission in nbgrader's exchange or in ``submitted/``) are read
through directory file descriptors: every entry is ``lstat``-ed, every folder
and file is opened relative to its parent with ``O_NOFOLLOW`` and checked
again with ``fstat``, so a symbolic link is never followed (it is reported
with its target, never read), a folder swapped for a link between two calls
is refused by the kernel, and a named pipe cannot block the reader.  Hard
links, device files, sockets, pipes and mount points are reported, not read.

Text a learner chose (a file name, a link target, a grade id, an error
message quoting them) goes through :func:`shown` before it reaches a report
line, so it cannot start a new line, move the cursor or reorder the text.

Times a learner wrote (``timestamp.txt``) go through :func:`parse_time`,
which accepts only what nbgrader itself writes, so that nbgrader's parser
never opens a file named in it (dateutil reads any path given as a time zone).
"""

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from nbgrader.utils import parse_utc

MAX_ENTRIES = 10_000  # files and folders in one submission; an honest one has a handful
MAX_DEPTH = 32
MAX_FILE_BYTES = 100_000_000  # nbgrader's default CourseDirectory.max_file_size (100,000 kB)
_CHUNK = 1 << 20
_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_KINDS = {stat.S_ISFIFO: "a named pipe", stat.S_ISSOCK: "a socket", stat.S_ISCHR: "a device",
          stat.S_ISBLK: "a device"}
# What nbgrader's submit writes ("%Y-%m-%d %H:%M:%S.%f %Z"), or ISO 8601; a time zone is an offset or a
# name without dots or a leading slash, so that it can never be a path.
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?"
                   r"( ?(Z|[+-]\d{2}(:?\d{2})?)| [A-Za-z][A-Za-z0-9_+-]{0,63}(/[A-Za-z0-9_+-]{1,63}){0,3})?")


def shown(text, limit=None):
    """``text`` with every unprintable character escaped (``\\n``, ``\\x1b``, ``\\u202e``), cut to ``limit``.

    Printable text, in any script, is unchanged, so escaping twice changes nothing.
    """
    text = "".join(ch if ch.isprintable() else ch.encode("unicode_escape", "backslashreplace").decode("ascii")
                   for ch in str(text))
    return text if limit is None or len(text) <= limit else text[:limit - 1] + "…"


def parse_time(text):
    """The naive UTC time in ``text`` as nbgrader reads it; ValueError names the text if it is not one."""
    text = text.strip()
    if not _TIME.fullmatch(text):
        raise ValueError(f"'{shown(text, 60)}' is not a time")
    try:
        return parse_utc(text)
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"'{shown(text, 60)}' is not a time ({shown(exc, 80)})") from None


class Unreadable(ValueError):
    """A learner's folder (or file) that cannot be read safely as a whole; the message says why: "it ..."."""


@dataclass(frozen=True)
class Entry:
    """One file or folder found under a walked folder.

    ``problem`` says why it is not read (None: a plain file or folder).  ``dir_fd`` and
    ``name`` open it, and stay valid only until the walk moves on.
    """

    path: PurePosixPath
    info: os.stat_result
    problem: str | None
    dir_fd: int
    name: str

    @property
    def is_folder(self):
        return self.problem is None and stat.S_ISDIR(self.info.st_mode)

    @property
    def is_file(self):
        return self.problem is None and stat.S_ISREG(self.info.st_mode)


def open_folder(path):
    """A file descriptor of the folder ``path`` itself, never of what a link there points to."""
    try:
        return os.open(path, _FOLDER_FLAGS)
    except OSError as exc:
        try:
            info = os.lstat(path)
        except OSError:
            raise Unreadable(f"it cannot be opened ({exc.strerror})") from None
        raise Unreadable(_problem(path, info) or f"it cannot be opened ({exc.strerror})") from None


def walk(root, max_entries=MAX_ENTRIES):
    """Every entry under the folder ``root``, depth first in name order; links and odd files are not entered.

    Raises Unreadable if ``root`` is not a folder, or holds more than ``max_entries`` entries
    or folders more than MAX_DEPTH deep.
    """
    top = open_folder(root)
    try:
        counter = [0]
        yield from _walk(top, PurePosixPath(), os.fstat(top).st_dev, counter, max_entries)
    finally:
        os.close(top)


def _walk(fd, prefix, device, counter, max_entries):
    if len(prefix.parts) >= MAX_DEPTH:
        raise Unreadable(f"it has folders more than {MAX_DEPTH} deep")
    names = []
    with os.scandir(fd) as listing:
        for entry in listing:
            names.append(entry.name)
            counter[0] += 1
            if counter[0] > max_entries:
                raise Unreadable(f"it holds more than {max_entries:,} files and folders")
    for name in sorted(names):
        try:
            info = os.stat(name, dir_fd=fd, follow_symlinks=False)
        except OSError:
            continue  # removed while being read: it is not part of the submission
        problem = _problem(name, info, fd, device)
        if problem is None and stat.S_ISDIR(info.st_mode):
            sub = _open_same(name, fd, info, _FOLDER_FLAGS)
            if sub is None:
                yield Entry(prefix / name, info, "it changed while being read", fd, name)
                continue
            try:
                yield Entry(prefix / name, info, None, fd, name)
                yield from _walk(sub, prefix / name, device, counter, max_entries)
            finally:
                os.close(sub)
        else:
            yield Entry(prefix / name, info, problem, fd, name)


def _problem(name, info, dir_fd=None, device=None):
    """Why the entry ``info`` describes must not be read, or None for a plain file or folder."""
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        try:
            target = os.readlink(name, dir_fd=dir_fd)
        except OSError:
            target = "?"
        return f"it is a symbolic link (to '{shown(target, 240)}'); links are never followed"
    for test, kind in _KINDS.items():
        if test(mode):
            return f"it is {kind}, not a file"
    if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
        return "it is not a file"
    if device is not None and info.st_dev != device:
        return "it is on another file system (a mount point)"
    if stat.S_ISREG(mode) and info.st_nlink > 1:
        return f"it is a hard link (the file has {info.st_nlink} names), not a file of its own"
    return None


def _open_same(name, dir_fd, info, flags):
    """An fd of ``name`` if it is still the entry ``info`` describes, else None."""
    try:
        fd = os.open(name, flags, dir_fd=dir_fd)
    except OSError:
        return None
    now = os.fstat(fd)
    if (now.st_dev, now.st_ino, stat.S_IFMT(now.st_mode)) != (info.st_dev, info.st_ino, stat.S_IFMT(info.st_mode)):
        os.close(fd)
        return None
    return fd


def chunks(entry, max_bytes=None):
    """The bytes of the plain file ``entry``, in pieces; Unreadable if it changed or exceeds ``max_bytes``."""
    fd = _open_same(entry.name, entry.dir_fd, entry.info, _FILE_FLAGS)
    if fd is None:
        raise Unreadable("it changed while being read")
    try:
        total = 0
        while piece := os.read(fd, _CHUNK):
            total += len(piece)
            if max_bytes is not None and total > max_bytes:
                raise Unreadable(f"it is larger than {max_bytes:,} bytes")
            yield piece
    finally:
        os.close(fd)


def read(entry, max_bytes):
    """The whole plain file ``entry``, at most ``max_bytes`` long."""
    return b"".join(chunks(entry, max_bytes))


def read_top(root, name, max_bytes):
    """The file ``name`` directly in the folder ``root`` (None if there is none); Unreadable if it is no plain file."""
    fd = open_folder(root)
    try:
        try:
            info = os.stat(name, dir_fd=fd, follow_symlinks=False)
        except FileNotFoundError:
            return None
        entry = Entry(PurePosixPath(name), info, _problem(name, info, fd, os.fstat(fd).st_dev), fd, name)
        if not entry.is_file:
            raise Unreadable(entry.problem or "it is not a file")
        return read(entry, max_bytes)
    finally:
        os.close(fd)


def digest(root, max_file_bytes=MAX_FILE_BYTES):
    """SHA-256 of every name, kind and file under ``root`` (links by their target); never raises.

    It changes whenever what :func:`copy` would copy changes, and costs one read of each file;
    a file over ``max_file_bytes``, which :func:`copy` drops, counts by its size and times only.
    """
    hasher = hashlib.sha256()
    try:
        for entry in walk(root):
            info = entry.info
            hasher.update(f"{entry.path}\0{stat.S_IFMT(info.st_mode)}\0{entry.problem}\0".encode(
                "utf-8", "surrogateescape"))
            if entry.is_file and info.st_size > max_file_bytes:
                hasher.update(f"{info.st_size} {info.st_mtime_ns} {info.st_ctime_ns}\0".encode())
            elif entry.is_file:
                for piece in chunks(entry):
                    hasher.update(piece)
                hasher.update(b"\0")
    except (Unreadable, OSError) as exc:
        hasher.update(f"\0unreadable: {exc}".encode("utf-8", "surrogateescape"))
    return hasher.hexdigest()


def last_change(root, max_entries=MAX_ENTRIES):
    """The latest inode change time (``st_ctime``) of ``root`` and everything under it, as naive UTC.

    The kernel sets a change time to its clock on every write, rename, link or mode change, and
    no unprivileged call can set it back, so a learner can make it later but never earlier.
    """
    latest = os.lstat(root).st_ctime_ns
    for entry in walk(root, max_entries):
        latest = max(latest, entry.info.st_ctime_ns)
    return _utc(latest)


def _utc(nanoseconds):
    return datetime.fromtimestamp(nanoseconds / 1e9, UTC).replace(tzinfo=None)


@dataclass
class Copied:
    """What :func:`copy` did: the files copied, notes on what it dropped, the tree's latest inode change."""

    files: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    changed: datetime | None = None  # naive UTC, like nbgrader's times


def copy(root, dest, *, skip=lambda entry: False, owner=None, max_file_bytes=None, max_total_bytes=None,
         max_entries=MAX_ENTRIES):
    """Copy the plain files and folders under ``root`` into the new folder ``dest``; never follow a link.

    ``skip(entry)`` leaves an entry (and, for a folder, all it holds) out silently.  Links, odd
    files, entries not owned by the user id ``owner`` (if given) and files over ``max_file_bytes``
    are dropped with a note.  Modes keep their permission bits only (no set-user-id); times are
    kept.  Raises Unreadable for the folder as a whole: not a folder, too many entries, or more than
    ``max_total_bytes`` of files.
    """
    result = Copied()
    dest = Path(dest)
    dest.mkdir()
    skipped = set()
    changed = os.lstat(root).st_ctime_ns
    total = 0
    for entry in walk(root, max_entries):
        changed = max(changed, entry.info.st_ctime_ns)
        if entry.path.parent in skipped or skip(entry):
            skipped.add(entry.path)
            continue
        problem = entry.problem
        if problem is None and owner is not None and entry.info.st_uid != owner:
            problem = f"it is owned by user id {entry.info.st_uid}, not by the student (user id {owner})"
        if problem is None and entry.is_file and max_file_bytes is not None and entry.info.st_size > max_file_bytes:
            problem = f"it has {entry.info.st_size:,} bytes, more than the {max_file_bytes:,}-byte limit per file"
        if problem is not None:
            skipped.add(entry.path)
            result.notes.append(f"dropped '{shown(entry.path, 120)}': {problem}")
            continue
        target = dest / entry.path
        if entry.is_folder:
            target.mkdir()
            continue
        total += entry.info.st_size
        if max_total_bytes is not None and total > max_total_bytes:
            raise Unreadable(f"it holds more than {max_total_bytes:,} bytes of files")
        with open(target, "xb") as out:
            for piece in chunks(entry, max_file_bytes):
                out.write(piece)
        os.chmod(target, stat.S_IMODE(entry.info.st_mode) & 0o755 | 0o600)
        os.utime(target, ns=(entry.info.st_atime_ns, entry.info.st_mtime_ns))
        result.files.append(entry.path)
    result.changed = _utc(changed)
    return result
