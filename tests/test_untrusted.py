"""Can a learner's folder, text or clock make the grader follow a link, block, forge a line or open a file?

Each test builds a hostile folder in ``tmp_path`` and reads it with
:mod:`graders.untrusted`, the one module that reads what learners wrote.
"""

import os
import stat
from datetime import datetime

import pytest

from graders import untrusted
from graders.untrusted import Unreadable, parse_time, shown


@pytest.mark.parametrize("text, escaped", [
    ("report.txt", "report.txt"),
    ("notes\n  NOTE ch03 / bob: forged", "notes\\n  NOTE ch03 / bob: forged"),
    ("\x1b[2Jclear", "\\x1b[2Jclear"),
    ("abc\u202edcba", "abc\\u202edcba"),  # right-to-left override
    ("carriage\rreturn", "carriage\\rreturn"),
    ("Ω résumé 学生", "Ω résumé 学生"),
    ("\udcff", "\\udcff"),  # a non-UTF-8 byte of a file name
])
def test_shown_escapes_what_can_break_a_line_and_keeps_printable_text(text, escaped):
    assert shown(text) == escaped
    assert shown(shown(text)) == escaped, "escaping twice changes nothing"


def test_shown_cuts_long_text():
    assert shown("x" * 300, 80) == "x" * 79 + "…"


@pytest.mark.parametrize("text, expected", [
    ("2026-05-09 10:00:00.123456 UTC", datetime(2026, 5, 9, 10, 0, 0, 123456)),  # what nbgrader submit writes
    ("2026-05-09 12:00:00.000000 Europe/Berlin", datetime(2026, 5, 9, 10, 0, 0)),
    ("2026-05-09T10:00:00Z", datetime(2026, 5, 9, 10, 0, 0)),
    ("  2026-05-09 10:00:00 UTC\n", datetime(2026, 5, 9, 10, 0, 0)),
])
def test_parse_time_reads_what_nbgrader_writes(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", [
    "yesterday", "", "2026-13-40 10:00:00 UTC", "2026-05-09 10:00:00 UTC extra",
    "2026-05-09 10:00:00 /dev/zero", "2026-05-09 10:00:00 ../../../dev/zero", "2026-05-09 10:00:00 Etc/../x",
])
def test_parse_time_refuses_anything_else(text):
    with pytest.raises(ValueError, match="is not a time"):
        parse_time(text)


def test_parse_time_never_opens_a_file_named_as_a_time_zone(tmp_path):
    """nbgrader's parse_utc hands a time zone to dateutil, which opens a path: this pipe would block it."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(ValueError, match="is not a time"):
        parse_time(f"2026-05-09 10:00:00 {pipe}")


def _hostile(folder):
    """A submission folder holding one of each thing a learner can plant, and two honest files."""
    folder.mkdir()
    (folder / "answer.txt").write_text("mine\n")
    (folder / "sub").mkdir()
    (folder / "sub" / "data.csv").write_text("1,2\n")
    os.symlink("/proc/self/pagemap", folder / "pagemap")
    os.symlink("/etc", folder / "etc")
    os.mkfifo(folder / "pipe")
    os.link(folder / "answer.txt", folder / "second-name.txt")
    (folder / "setuid").write_text("#!/bin/sh\n")
    os.chmod(folder / "setuid", 0o4755)
    return folder


def test_copy_keeps_plain_files_and_drops_everything_else_with_a_note(tmp_path):
    copied = untrusted.copy(_hostile(tmp_path / "in"), tmp_path / "out")
    assert sorted(str(path) for path in copied.files) == ["setuid", "sub/data.csv"]
    assert sorted(copied.notes) == [
        "dropped 'answer.txt': it is a hard link (the file has 2 names), not a file of its own",
        "dropped 'etc': it is a symbolic link (to '/etc'); links are never followed",
        "dropped 'pagemap': it is a symbolic link (to '/proc/self/pagemap'); links are never followed",
        "dropped 'pipe': it is a named pipe, not a file",
        "dropped 'second-name.txt': it is a hard link (the file has 2 names), not a file of its own",
    ]
    assert sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*")) == [
        "setuid", "sub", "sub/data.csv"]
    assert stat.S_IMODE((tmp_path / "out" / "setuid").stat().st_mode) == 0o755


def test_copy_drops_what_the_student_does_not_own_and_what_is_too_large(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "big.bin").write_bytes(b"x" * 2000)
    (folder / "theirs.txt").write_text("planted\n")
    os.chown(folder / "theirs.txt", 2_100_000_099, 2_100_000_099)
    copied = untrusted.copy(folder, tmp_path / "out", owner=os.getuid(), max_file_bytes=1000)
    assert copied.files == []
    assert copied.notes == [
        "dropped 'big.bin': it has 2,000 bytes, more than the 1,000-byte limit per file",
        f"dropped 'theirs.txt': it is owned by user id 2100000099, not by the student (user id {os.getuid()})"]


def test_a_folder_that_is_a_link_is_refused_as_a_whole(tmp_path):
    (tmp_path / "real").mkdir()
    os.symlink(tmp_path / "real", tmp_path / "link")
    with pytest.raises(Unreadable, match=r"^it is a symbolic link \(to '.*/real'\); links are never followed$"):
        untrusted.copy(tmp_path / "link", tmp_path / "out")


def test_too_many_files_refuse_the_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(11):
        (folder / str(n)).touch()
    with pytest.raises(Unreadable, match="^it holds more than 10 files and folders$"):
        list(untrusted.walk(folder, max_entries=10))


def test_digest_never_follows_a_link_and_changes_with_its_target(tmp_path):
    folder = _hostile(tmp_path / "in")
    first = untrusted.digest(folder)
    assert untrusted.digest(folder) == first
    os.remove(folder / "pagemap")
    os.symlink("/proc/self/mem", folder / "pagemap")
    assert untrusted.digest(folder) != first
    (folder / "sub" / "data.csv").write_text("1,3\n")
    assert len({first, untrusted.digest(folder)}) == 2


def test_digest_of_a_missing_or_linked_folder_is_a_value_not_an_error(tmp_path):
    os.symlink("/proc/self/pagemap", tmp_path / "link")
    assert untrusted.digest(tmp_path / "missing") != untrusted.digest(tmp_path / "link")


def test_last_change_is_the_kernels_record_not_the_files_claimed_times(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("a")
    os.utime(folder / "a.txt", (0, 0))  # a learner can set mtime to 1970, never ctime
    os.utime(folder, (0, 0))
    assert (datetime.utcnow() - untrusted.last_change(folder)).total_seconds() < 60
