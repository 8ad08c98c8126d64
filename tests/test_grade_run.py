"""Does ``mdsi-course grade`` never lose a grade, stop once and cleanly, and say what it did?

The real command grades ch03's submissions (those stock nbgrader graded in
``conftest.graded``) and is then killed, interrupted, or has its PostgreSQL
gradebook stopped part-way through a ``--force`` regrade; the next run must
end with stock nbgrader's grades and every autograded notebook with its
verdicts.  The run's JSON outcomes, its plain progress lines and its exit
codes are checked on the way.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from test_fastgrade import MDSI_COURSE, _scores, _stock_scores, fresh_copy

from graders.cli import main
from graders.exercises import exercises
from graders.fastgrade.command import grade_class
from graders.nbgrader_run import run_nbgrader
from graders.outcomes import exercise_outcomes
from graders.report import gradebook_scores

A = "ch03_loss_functions"
POINTS = {t.grade_id: float(t.points) for ex in exercises(A) for t in ex.tests}
RESUME = "the same command again to resume"


def _grade(course, *args, **popen):
    return subprocess.Popen([MDSI_COURSE, "grade", "--course", str(course), *args], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)


@pytest.fixture(scope="module")
def first(graded, tmp_path_factory):
    """(course, stdout, stderr, exit code): ch03 graded once by the real command, stdout a pipe, with --json."""
    course = fresh_copy(graded, tmp_path_factory.mktemp("first"), [A])
    run = _grade(course, "--json", str(course / "first.json"))
    out, err = run.communicate(timeout=600)
    return course, out, err, run.returncode


def _students(course):
    return sorted(path.parent.name for path in course.glob(f"submitted/*/{A}"))


def _verdicts(course, db_url=None):
    """{student: [(exercise, outcome, diagnosis)]} from the autograded notebooks and the gradebook's scores."""
    import nbformat

    scores = gradebook_scores(db_url or f"sqlite:///{course / 'gradebook.db'}")
    found = {}
    for student in _students(course):
        notebook = nbformat.read(course / "autograded" / student / A / f"{A}.ipynb", as_version=4)
        mine = {grade: (score, POINTS[grade]) for (a, s, _, grade), (score, _) in scores.items()
                if (a, s) == (A, student)}
        found[student] = [(o.name, o.outcome, o.diagnosis) for o in exercise_outcomes(A, notebook, mine)]
    return found


def _stop_after(course, changes, stop, *args):
    """Run the command, send ``stop`` once its graded state was written ``changes`` times; (exit code, out, err)."""
    state = course / ".fastgrade" / f"{A}.json"
    run = _grade(course, "--workers", "1", *args, start_new_session=True)
    seen, last, deadline = 0, state.stat().st_mtime_ns, time.monotonic() + 300
    while seen < changes and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
        if (now := state.stat().st_mtime_ns) != last:
            seen, last = seen + 1, now
    if run.poll() is None:
        stop(run.pid)
    out, err = run.communicate(timeout=120)
    return run.returncode, out, err


def test_the_run_reports_json_and_plain_progress_lines(graded, first):
    course, out, err, code = first
    students = _students(course)
    assert code == 0, out + err
    assert "\r" not in out + err and "Traceback" not in err
    lines = out.splitlines()
    assert lines[0] == f"autograding: 0/{len(students)} submissions, 0 failed, 0 s"
    assert re.fullmatch(rf"autograding: {len(students)}/{len(students)} submissions, 0 failed, \d+ s", lines[-3])
    assert lines[-2].startswith(f"graded {len(students)}, unchanged 0, failed 0 in ")
    outcome = json.loads((course / "first.json").read_text())
    totals = {}
    for (_, student, _, _), (score, _) in _stock_scores(graded, [A]).items():
        totals[student] = totals.get(student, 0.0) + score
    assert [(row["student"], row["status"], row["score"], row["max_score"], row["reason"])
            for row in outcome["submissions"]] == [
        (student, "graded", totals[student], sum(POINTS.values()), None) for student in students]
    assert all(row["assignment"] == A and row["notes"] == [] for row in outcome["submissions"])
    summary = outcome["summary"]
    assert (summary["graded"], summary["failed"], summary["not_graded"], summary["exit_code"]) == (len(students), 0,
                                                                                                   0, 0)
    assert summary["stopped"] is None and summary["lines"] == lines[-2:]


def test_killed_then_interrupted_regrade_resumes_to_the_same_grades_and_feedback(graded, first, tmp_path):
    course = shutil.copytree(first[0], tmp_path / "course")
    verdicts = _verdicts(course)
    students = _students(course)
    # SIGKILL once the --force regrade cleared the fingerprints and committed one submission ...
    code, _, _ = _stop_after(course, 2, lambda pid: os.kill(pid, signal.SIGKILL), "--force")
    assert code == -signal.SIGKILL
    # ... then Ctrl-C (SIGINT to the whole process group, as a terminal does) while the resume commits another.
    code, out, err = _stop_after(course, 1, lambda pid: os.killpg(pid, signal.SIGINT))
    assert code == 130, out + err
    assert "Traceback" not in err and "KeyboardInterrupt" not in out + err
    stop = out.splitlines()[-1]
    assert stop.startswith("STOPPED: interrupted (Ctrl-C). ") and stop.endswith(f"Run {RESUME}.")
    left = int(re.search(r"the (\d+) not graded", stop).group(1))
    assert 1 <= left <= len(students) - 2, "both stops should come part-way"
    resumed = grade_class(course, progress=False)
    assert len(resumed.graded) == left and not resumed.failed
    assert _scores(course) == _stock_scores(graded, [A])
    assert _verdicts(course) == verdicts
    run_nbgrader(course, "generate_feedback", A, log=course / "log")
    for student in students:
        page = (course / "feedback" / student / A / f"{A}.html").read_text()
        assert all(name in page for name, _, _ in verdicts[student])


def test_sigterm_stops_with_143_and_only_the_rest_left_to_grade(first, tmp_path):
    course = shutil.copytree(first[0], tmp_path / "course")
    code, out, err = _stop_after(course, 2, lambda pid: os.kill(pid, signal.SIGTERM), "--force")
    assert code == 143 and "Traceback" not in err, out + err
    stop = out.splitlines()[-1]
    done, left = map(int, re.fullmatch(r"STOPPED: stopped by SIGTERM\. The (\d+) submission\(s\) graded are "
                                       r"committed; the (\d+) not graded .*", stop).groups())
    assert done >= 1 and left >= 1 and done + left == len(_students(course))
    assert stop.endswith(f"Run {RESUME} (without --force it grades only the {left} left).")
    assert len(json.loads((course / ".fastgrade" / f"{A}.json").read_text())) == done


@pytest.fixture
def postgres():
    """A throw-away PostgreSQL server (pgserver) with an empty ``gradebook`` database: (server, URL).

    Its data lives outside pytest's temporary folders: as root, pgserver runs
    PostgreSQL as another user, who loses access to them whenever another
    pytest session resets their permissions to 0700.
    """
    import pgserver

    folder = Path(tempfile.mkdtemp(prefix="mdsi-test-pg-"))
    server = pgserver.get_server(folder / "pgdata", cleanup_mode="delete")
    server.psql("CREATE DATABASE gradebook;")
    yield server, server.get_uri("gradebook")
    server.cleanup()
    shutil.rmtree(folder, ignore_errors=True)


def test_postgresql_stopped_mid_regrade_stops_once_and_loses_nothing(graded, postgres, tmp_path):
    from pgserver._commands import pg_ctl

    server, url = postgres
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(graded / "nbgrader_config.py", course)
    with open(course / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.CourseDirectory.db_url = {url!r}\n")
    course = fresh_copy(graded, course, [A])
    assert not grade_class(course, progress=False).failed
    verdicts = _verdicts(course, url)
    code, out, err = _stop_after(course, 2, lambda _: pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata,
                                                              user=server.system_user),
                                 "--force", "--json", str(tmp_path / "stopped.json"))
    assert code == 2, out + err
    assert "Traceback" not in err and "OperationalError" not in out + err
    stopped = [line for line in out.splitlines() if "gradebook database" in line]
    assert len(stopped) == 1 and stopped[0].startswith(f"STOPPED: the gradebook database {url} failed while ")
    assert stopped[0].endswith(f"Fix it and run {RESUME} (without --force it grades only the "
                               f"{json.loads((tmp_path / 'stopped.json').read_text())['summary']['not_graded']} left).")
    outcome = json.loads((tmp_path / "stopped.json").read_text())
    assert outcome["summary"]["exit_code"] == 2 and outcome["summary"]["stopped"]
    assert {row["status"] for row in outcome["submissions"]} == {"graded", "not graded"}
    server.ensure_postgres_running()
    assert server.get_uri("gradebook") == url
    resumed = grade_class(course, progress=False)
    assert not resumed.failed and len(resumed.graded) == outcome["summary"]["not_graded"]
    assert gradebook_scores(url) == _stock_scores(graded, [A])
    assert _verdicts(course, url) == verdicts


def test_an_unusable_gradebook_stops_before_grading_with_exit_code_2(first, tmp_path, capsys):
    course = shutil.copytree(first[0], tmp_path / "course")
    (course / "gradebook.db").unlink()
    (course / "gradebook.db").mkdir()  # SQLite cannot open a folder
    assert main(["grade", "--course", str(course), "--force", "--json", str(tmp_path / "out.json")]) == 2
    out = capsys.readouterr().out
    assert out.count("gradebook database") == 1 and "unable to open database file" in out
    outcome = json.loads((tmp_path / "out.json").read_text())
    assert {row["status"] for row in outcome["submissions"]} == {"not graded"}
    assert all((course / "autograded" / student / A / f"{A}.ipynb").exists() for student in _students(course))


def test_many_submissions_unusable_the_same_way_fail_alone(first, tmp_path, capsys):
    """Seven unusable timestamps are seven students' problems: the run grades the rest and reports them."""
    course = shutil.copytree(first[0], tmp_path / "course")
    for number in range(7):
        folder = course / "submitted" / f"late-{number}" / A
        shutil.copytree(course / "submitted" / "reference" / A, folder)
        (folder / "timestamp.txt").write_text("yesterday")
    assert main(["grade", "--course", str(course)]) == 1
    out = capsys.readouterr().out
    assert out.count("FAILED") == 7 and "STOPPED" not in out
    assert "Ungradable: its timestamp.txt is unusable: 'yesterday' is not a time" in out
    assert f"graded 0, unchanged {len(_students(first[0]))}, failed 7 " in out


# -- the parts, in-process ------------------------------------------------------
def test_only_failures_that_hit_every_submission_are_systemic():
    from sqlalchemy.exc import IntegrityError, OperationalError

    from graders.fastgrade.failures import SystemicFailure
    from graders.fastgrade.stops import systemic

    url = "postgresql://grader:s3cret@db.example:5432/gradebook"
    down = OperationalError("SELECT 1", {}, Exception("connection refused\nIs the server running?"))
    stop = systemic(down, url, "recording the grades of ch03 / ada")
    assert isinstance(stop, SystemicFailure)
    assert str(stop) == ("the gradebook database postgresql://grader:***@db.example:5432/gradebook failed while "
                         "recording the grades of ch03 / ada: connection refused")
    assert "disk of /srv/course is full" in str(systemic(OSError(28, "No space left", "/srv/course"), url, "x"))
    assert systemic(IntegrityError("INSERT", {}, Exception("duplicate key")), url, "x") is None
    assert systemic(ValueError("a broken notebook"), url, "x") is None
    assert systemic(OSError(2, "No such file"), url, "x") is None


def test_five_identical_failures_in_a_row_and_nothing_graded_is_systemic():
    from graders.fastgrade.coordinator import Report
    from graders.fastgrade.stops import repeated_failure

    same = [(A, f"s{n}", f"KernelStartError: s{n}: no kernel") for n in range(5)]
    assert "all failed the same way" in str(repeated_failure(Report(failed=same)))
    assert repeated_failure(Report(failed=same[:4])) is None
    assert repeated_failure(Report(failed=same, graded=[(A, "ok")])) is None
    assert repeated_failure(Report(failed=[*same[:4], (A, "s9", "ValueError: other")])) is None


def test_a_stop_signal_waits_for_the_end_of_a_commit():
    from graders.fastgrade.interrupt import Interrupted, committing, stop_signals

    done, before = [], signal.getsignal(signal.SIGINT)  # other tests' libraries may have set their own
    with stop_signals(), pytest.raises(Interrupted) as stopped:
        with committing():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)
            done.append("committed")
    assert done == ["committed"] and stopped.value.exit_code == 143
    with stop_signals(), pytest.raises(Interrupted) as stopped:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)
    assert stopped.value.exit_code == 130 and str(stopped.value) == "interrupted (Ctrl-C)"
    assert signal.getsignal(signal.SIGINT) is before


def test_output_is_replaced_whole(tmp_path):
    from graders.fastgrade.output import replace_output

    staged, final = tmp_path / "staged" / "ada" / A, tmp_path / "autograded" / "ada" / A
    for folder, text in ((staged, "new"), (final, "old")):
        folder.mkdir(parents=True)
        (folder / "notebook.ipynb").write_text(text)
    (final / "stale.txt").write_text("from the previous grading")
    replace_output(staged, final, tmp_path / "replaced")
    assert [p.name for p in final.iterdir()] == ["notebook.ipynb"] and (final / "notebook.ipynb").read_text() == "new"
    assert not (tmp_path / "staged" / "ada").exists() and not list((tmp_path / "replaced").iterdir())
