"""Does ``mdsi-course collect`` take from the exchange only what each student really submitted, and when?

One exchange in ``tmp_path``: stock ``nbgrader release_assignment`` publishes
ch03, nbgrader's own submit code (``ExchangeSubmit``, what ``nbgrader submit``
runs) submits for each student, and each new inbound folder is then given to
the submitting user's id, as that user's own ``nbgrader submit`` leaves it
(the tests run as root and create no accounts).  Then students attack:
symbolic links to the source notebook, the gradebook and another student's
submission, a submission under another student's id, a submission folder that
is a link, a backdated and a garbage ``timestamp.txt``, a folder name that
tries to forge a report line.  Stock ``nbgrader collect`` runs on the same
exchange: honest submissions must come out of both byte for byte the same.
"""

import os
import shutil
import stat
import time
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.apps.api import NbGraderAPI
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange import ExchangeError
from nbgrader.exchange.default.submit import ExchangeSubmit
from traitlets.config import Config

from graders.cli import main
from graders.collect import TIME_FORMAT, collect
from graders.fastgrade.coordinator import load_course_config
from graders.nbgrader_run import run_nbgrader
from graders.notebook_build import ROOT
from graders.untrusted import parse_time, shown

A = "ch03_loss_functions"
NOTEBOOK = f"{A}.ipynb"
COURSE_ID = "mdsi"
DUE = datetime(2000, 6, 1)  # after the backdated claim, long before any real submission
UID = {name: 2_100_000_000 + i for i, name in
       enumerate(["ada", "bob", "carol", "dave", "erin", "frank", "mallory", "ghost"])}
NOBODY = 65534  # a real account (in /etc/passwd): its owner is checked by its name, with no mapping
MAPPED = {name: uid for name, uid in UID.items() if name != "ghost"}
STOCK_COLLECT = "--ExchangeFactory.collect=nbgrader.exchange.default.collect.ExchangeCollect"
GARBAGE = f"next tuesday\n  COLLECTED {A} / frank: on time"
FORGED_NAME = f"eve\n  COLLECTED {A} - eve: on time+{A}+2000-01-01 00:00:00.000000 UTC"
COLLECTED = ["ada", "bob", "carol", "erin", "frank", "nobody"]


def _course(folder, exchange):
    """A course directory on ``exchange`` with ch03's source and release (and the mapping of test uids)."""
    folder.mkdir()
    for name in ("source", "release"):
        shutil.copytree(ROOT / name / A, folder / name / A)
    config = (ROOT / "nbgrader_config.py").read_text()
    (folder / "nbgrader_config.py").write_text(
        f"{config}\nc.Exchange.root = {str(exchange)!r}\nc.HardenedCollect.student_uids = {MAPPED!r}\n")
    return folder


def _copy_course(course, folder):
    """A second course directory on the same exchange, with ``course``'s gradebook, before any collect."""
    folder.mkdir()
    for name in ("source", "release"):
        shutil.copytree(course / name, folder / name)
    for name in ("nbgrader_config.py", "gradebook.db"):
        shutil.copy(course / name, folder / name)
    return folder


def _give(path, uid):
    """Make ``uid`` the owner of ``path`` and all it holds, links themselves included."""
    for folder, names, files in os.walk(path):
        for name in names + files:
            os.lchown(Path(folder, name), uid, uid)
    os.lchown(path, uid, uid)


def _submit(exchange, student, uid, marker, edit=None):
    """``nbgrader submit`` of ch03 by user ``uid`` for ``student``, the notebook marked; its inbound folder."""
    home = exchange.parent / "homes" / marker
    shutil.copytree(exchange / COURSE_ID / "outbound" / A, home / A)
    notebook = nbformat.read(home / A / NOTEBOOK, as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell(f"submission '{marker}'"))
    nbformat.write(notebook, home / A / NOTEBOOK)
    if edit:
        edit(home / A)
    config = Config()
    config.Exchange.root, config.Exchange.cache, config.Exchange.assignment_dir = (
        str(exchange), str(home / "cache"), str(home))
    config.CourseDirectory.course_id, config.CourseDirectory.student_id = COURSE_ID, student
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = A
    inbound = exchange / COURSE_ID / "inbound"
    before = set(os.listdir(inbound))
    ExchangeSubmit(coursedir=coursedir, authenticator=Authenticator(config=config), config=config).start()
    (name,) = set(os.listdir(inbound)) - before
    _give(inbound / name, uid)
    return inbound / name


def _with_notes(folder):
    (folder / "data").mkdir()
    (folder / "data" / "notes.txt").write_text("bob's notes\n")


def _submit_all(exchange, course):
    """Every submission, honest ones and attacks, in the order they reach the exchange; the inbound folders."""
    inbound = exchange / COURSE_ID / "inbound"
    folders = {
        "ada": _submit(exchange, "ada", UID["ada"], "ada's own"),
        "bob-draft": _submit(exchange, "bob", UID["bob"], "bob's draft"),
        "bob": _submit(exchange, "bob", UID["bob"], "bob's final", edit=_with_notes),
        "nobody": _submit(exchange, "nobody", NOBODY, "nobody's"),
        "mallory": _submit(exchange, "ada", UID["mallory"], "mallory's, under ada's id"),  # the newest for ada
        "carol": _submit(exchange, "carol", UID["carol"], "carol's"),
        "erin": _submit(exchange, "erin", UID["erin"], "erin's"),
        "frank": _submit(exchange, "frank", UID["frank"], "frank's"),
        "ghost": _submit(exchange, "ghost", UID["ghost"], "ghost's"),
        "dave": inbound / f"dave+{A}+2026-01-01 00:00:00.000000 UTC+linktobob000",
        "eve": inbound / FORGED_NAME,
    }
    carol = folders["carol"]
    (carol / NOTEBOOK).unlink()
    os.symlink(course / "source" / A / NOTEBOOK, carol / NOTEBOOK)
    os.symlink(course / "gradebook.db", carol / "gradebook.db")
    os.symlink(folders["bob"], carol / "bob")
    _give(carol, UID["carol"])
    os.symlink(folders["bob"], folders["dave"])
    os.lchown(folders["dave"], UID["dave"], UID["dave"])
    (folders["erin"] / "timestamp.txt").write_text("2000-01-01 00:00:00.000000 UTC")
    (folders["frank"] / "timestamp.txt").write_text(GARBAGE)
    folders["eve"].mkdir()
    return folders


@pytest.fixture(scope="module")
def exchange(tmp_path_factory):
    """The exchange after every submission, collected by ``mdsi-course collect`` and by stock collect."""
    root = tmp_path_factory.mktemp("collect")
    exchange = root / "exchange"
    exchange.mkdir()
    os.chmod(exchange, 0o1777)  # sticky, as the README asks
    ours = _course(root / "ours", exchange)
    run_nbgrader(ours, "db", "assignment", "add", A, f"--duedate={DUE:%Y-%m-%d %H:%M:%S} UTC", log=root / "log")
    run_nbgrader(ours, "release_assignment", A, log=root / "log")
    stock = _copy_course(ours, root / "stock")
    again = _copy_course(ours, root / "again")
    formgrader = _copy_course(ours, root / "formgrader")
    folders = _submit_all(exchange, ours)
    inbound = sorted(os.listdir(exchange / COURSE_ID / "inbound"))
    run_nbgrader(stock, "collect", A, STOCK_COLLECT, log=root / "log")
    report = collect(ours, A)
    assert sorted(os.listdir(exchange / COURSE_ID / "inbound")) == inbound, "collect changed the exchange"
    return SimpleNamespace(ours=ours, stock=stock, again=again, formgrader=formgrader, report=report,
                           folders=folders, log=root / "log")


def _tree(folder):
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


def _submitted(course, student, name=NOTEBOOK):
    return course / "submitted" / student / A / name


def _notes(report, student):
    return sorted(note for who, note in report.notes if who == student)


def _refusal(report, key, exchange):
    (why,) = [why for name, why in report.refused if name == exchange.folders[key].name]
    return why


def test_honest_submissions_come_out_exactly_as_from_stock_collect(exchange):
    for student in ("bob", "nobody"):
        ours, stock = (_tree(course / "submitted" / student / A) for course in (exchange.ours, exchange.stock))
        assert ours == stock, student
        assert sorted(ours) == sorted((["data/notes.txt"] if student == "bob" else []) + [
            NOTEBOOK, "submission_secret.txt", "timestamp.txt"])
    assert _notes(exchange.report, "bob") == _notes(exchange.report, "nobody") == []


def test_each_students_latest_submission_is_collected(exchange):
    assert "submission 'bob's final'" in _submitted(exchange.ours, "bob").read_text()


def test_exactly_the_genuine_submissions_are_collected(exchange):
    report = exchange.report
    assert sorted(p.name for p in (exchange.ours / "submitted").iterdir()) == COLLECTED
    assert sorted(student for student, _ in report.collected) == COLLECTED
    assert sorted(report.refused) == sorted((exchange.folders[key].name, _refusal(report, key, exchange))
                                            for key in ("mallory", "dave", "ghost", "eve"))


def test_a_submission_under_another_students_id_is_refused(exchange):
    assert "submission 'ada's own'" in _submitted(exchange.ours, "ada").read_text()
    assert "mallory's" in _submitted(exchange.stock, "ada").read_text(), "stock collect takes the newest"
    assert _refusal(exchange.report, "mallory", exchange) == (
        f"it is owned by user id {UID['mallory']}, not by ada (user id {UID['ada']}): "
        "a submission under another student's id")


def test_a_student_with_an_account_is_checked_by_its_name(exchange):
    assert "nobody" not in exchange.ours.joinpath("nbgrader_config.py").read_text().split("student_uids")[1]
    assert "nobody" in [student for student, _ in exchange.report.collected]


def test_a_student_without_an_account_or_a_mapping_is_refused(exchange):
    assert _refusal(exchange.report, "ghost", exchange).startswith(
        "no user account is named 'ghost' on this machine, so its owner cannot be checked")


def test_links_inside_a_submission_are_dropped_and_reported(exchange):
    ours, stock = exchange.ours, exchange.stock
    assert sorted(_tree(ours / "submitted" / "carol" / A)) == ["submission_secret.txt", "timestamp.txt"]
    assert _submitted(stock, "carol", "gradebook.db").exists(), "stock collect follows links"
    targets = {"bob": exchange.folders["bob"], "gradebook.db": ours / "gradebook.db",
               NOTEBOOK: ours / "source" / A / NOTEBOOK}
    assert _notes(exchange.report, "carol") == [
        f"dropped '{name}': it is a symbolic link (to '{target}'); links are never followed"
        for name, target in sorted(targets.items())]


def test_a_submission_folder_that_is_a_link_is_refused(exchange):
    assert not (exchange.ours / "submitted" / "dave").exists()
    assert (exchange.stock / "submitted" / "dave").exists(), "stock collect follows the link to bob's"
    assert _refusal(exchange.report, "dave", exchange) == (
        f"it is a symbolic link (to '{exchange.folders['bob']}'), not a folder")


def test_a_backdated_timestamp_gives_way_to_the_time_the_exchange_recorded(exchange):
    stock_time = parse_time(_submitted(exchange.stock, "erin", "timestamp.txt").read_text())
    our_time = parse_time(_submitted(exchange.ours, "erin", "timestamp.txt").read_text())
    assert stock_time == datetime(2000, 1, 1)
    assert abs(our_time - datetime.utcnow()) < timedelta(minutes=10)
    (note,) = _notes(exchange.report, "erin")
    assert note == (f"timestamp.txt says 2000-01-01 00:00:00.000000 UTC, but the exchange recorded the last change "
                    f"at {our_time:{TIME_FORMAT}}; used {our_time:{TIME_FORMAT}}")


def test_a_garbage_timestamp_is_a_clear_line_and_becomes_a_valid_time(exchange):
    our_time = parse_time(_submitted(exchange.ours, "frank", "timestamp.txt").read_text())
    (note,) = _notes(exchange.report, "frank")
    assert note == (f"timestamp.txt '{shown(GARBAGE, 60)}' is not a time; used the time the exchange recorded, "
                    f"{our_time:{TIME_FORMAT}}")
    assert "next tuesday\\n  COLLECTED" in note


@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")  # nbgrader's, under SQLAlchemy 2
def test_the_gradebook_gets_the_collected_time_as_autograde_reads_it(exchange):
    """What ``nbgrader autograde`` and ``mdsi-course grade`` do with a submission's timestamp.txt."""
    late = {}
    coursedir = CourseDirectory(config=Config())
    for course, students in ((exchange.ours, ("bob", "erin", "frank")), (exchange.stock, ("bob", "erin"))):
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gradebook:
            for student in students:
                time = coursedir.get_existing_timestamp(str(course / "submitted" / student / A))
                gradebook.update_or_create_student(student)
                late[course.name, student] = gradebook.update_or_create_submission(
                    A, student, timestamp=time).total_seconds_late > 0
    assert late == {("ours", "bob"): True, ("ours", "erin"): True, ("ours", "frank"): True,
                    ("stock", "bob"): True, ("stock", "erin"): False}


def test_no_report_line_can_be_forged(exchange):
    lines = exchange.report.summary().splitlines()
    assert lines[0] == f"collected 6, unchanged 0, refused 4 submission(s) of {A}"
    assert [line.split(":")[0] for line in lines if line.startswith("  COLLECTED")] == [
        f"  COLLECTED {A} / {student}" for student in COLLECTED]
    assert f"  REFUSED {A} / inbound folder '{FORGED_NAME}': its name does not start with a valid student id".replace(
        "\n", "\\n") in lines


def test_collected_files_are_plain_and_keep_no_set_user_id_bit(exchange):
    for path in (exchange.ours / "submitted").rglob("*"):
        assert not path.is_symlink() and not path.lstat().st_mode & (stat.S_ISUID | stat.S_ISGID), path


def test_collecting_again_changes_nothing_without_update(exchange, capsys):
    before = _tree(exchange.ours / "submitted")
    assert main(["collect", A, "--course", str(exchange.ours)]) == 1, "refusals make the command fail"
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"collected 0, unchanged 6, refused 4 submission(s) of {A}"
    assert f"  UNCHANGED {A} / bob: already collected; use --update to replace it" in lines
    assert _tree(exchange.ours / "submitted") == before


def test_nbgrader_collect_uses_the_hardened_collect(exchange):
    """The course's nbgrader_config.py plugs it into nbgrader's exchange (``c.ExchangeFactory.collect``)."""
    run_nbgrader(exchange.again, "collect", A, log=exchange.log)
    assert _tree(exchange.again / "submitted") == _tree(exchange.ours / "submitted")
    assert f"REFUSED {A} / inbound folder '{exchange.folders['mallory'].name}'" in exchange.log.read_text()


def test_the_formgraders_collect_button_uses_the_hardened_collect(exchange):
    course = exchange.formgrader
    config = load_course_config(course)
    coursedir = CourseDirectory(config=config)
    coursedir.root = str(course)
    api = NbGraderAPI(coursedir=coursedir, config=config)
    result = api.collect(A)
    assert result["success"], result
    assert _tree(course / "submitted") == _tree(exchange.ours / "submitted")
    assert api.get_submitted_students(A) == set(COLLECTED)
    assert all(api.get_submitted_timestamp(A, student) for student in COLLECTED)
    assert f"REFUSED {A} / inbound folder '{exchange.folders['mallory'].name}'" in result["log"]


def _fresh_exchange(exchange, folder):
    """A course on a new, empty exchange with ch03 released (copied from the module's), and the exchange."""
    other = folder / "exchange"
    shutil.copytree(exchange.ours.parent / "exchange" / COURSE_ID / "outbound", other / COURSE_ID / "outbound")
    (other / COURSE_ID / "inbound").mkdir(mode=0o733)
    course = _copy_course(exchange.ours, folder / "course")
    with open(course / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.Exchange.root = {str(other)!r}\n")
    return course, other


def test_update_and_before_duedate_choose_as_stock_collect_does(exchange, tmp_path):
    """bob's submissions on both sides of a due date set between them."""
    course, other = _fresh_exchange(exchange, tmp_path)
    _submit(other, "bob", UID["bob"], "on time")
    time.sleep(0.05)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gradebook:
        gradebook.update_or_create_assignment(A, duedate=datetime.utcnow())
    time.sleep(0.05)
    _submit(other, "bob", UID["bob"], "late")

    assert collect(course, A, before_duedate=True).collected[0][0] == "bob"
    assert "'on time'" in _submitted(course, "bob").read_text()
    assert collect(course, A).unchanged == [("bob", "already collected; use --update to replace it")]
    assert [who for who, _ in collect(course, A, update=True).collected] == ["bob"]
    assert "'late'" in _submitted(course, "bob").read_text()
    assert collect(course, A, update=True).unchanged == [("bob", "no newer submission")]


def test_a_timestamp_that_is_a_pipe_blocks_nothing(exchange, tmp_path):
    """Stock nbgrader would open it and wait forever; here it is a note and the pipe is left behind."""
    course, other = _fresh_exchange(exchange, tmp_path)
    folder = _submit(other, "bob", UID["bob"], "pipe")
    (folder / "timestamp.txt").unlink()
    os.mkfifo(folder / "timestamp.txt")
    os.lchown(folder / "timestamp.txt", UID["bob"], UID["bob"])
    report = collect(course, A)
    assert [note.split(";")[0] for _, note in report.notes] == [
        "timestamp.txt is unusable (it is a named pipe, not a file)",
        "dropped 'timestamp.txt': it is a named pipe, not a file"]
    parse_time(_submitted(course, "bob", "timestamp.txt").read_text())


def test_an_inbound_folder_that_is_not_the_instructors_stops_the_collect(exchange, tmp_path):
    course, other = _fresh_exchange(exchange, tmp_path)
    os.chown(other / COURSE_ID / "inbound", UID["mallory"], UID["mallory"])
    with pytest.raises(ExchangeError):
        collect(course, A)
    assert main(["collect", A, "--course", str(course)]) == 2
