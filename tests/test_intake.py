"""Does intake turn any submitted folder into a gradable notebook with the instructor's cells restored?

No kernel runs: each test writes a submission built from the committed ch03
notebooks into ``tmp_path``, reads it with ``read_submission`` and inspects
the notebook the grader would run.  ``intake`` checks the invariants every
result must keep (valid, canonical, one copy of each graded cell, submitted
folder untouched); the tests check what is particular to each case.
"""

import copy
import json
import os
import shutil
import time
from itertools import count
from pathlib import Path

import nbformat
import pytest

import graders.fastgrade.intake as intake_module
from graders.fastgrade.coordinator import AssignmentGrader, Report, load_course_config, plan
from graders.fastgrade.intake import Ungradable, read_submission

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = "ch03_loss_functions"
NAME = f"{ASSIGNMENT}.ipynb"
SOURCE = ROOT / "source" / ASSIGNMENT
RELEASE = ROOT / "release" / ASSIGNMENT
SOURCE_NB = nbformat.read(SOURCE / NAME, as_version=4)
RELEASE_TEXT = (RELEASE / NAME).read_text()
FALLBACK = "; graded the released notebook instead, so it scores 0"
STUB = "raise NotImplementedError()"


def _marked(notebook):
    """The notebook's cells that carry nbgrader metadata."""
    return [cell for cell in notebook.cells if "nbgrader" in cell.metadata]


def grade_ids(notebook):
    """The grade ids of the notebook's nbgrader cells, in order."""
    return [cell.metadata.nbgrader["grade_id"] for cell in _marked(notebook)]


def graded_ids(notebook):
    """The grade ids of the cells that score points, sorted."""
    return sorted(cell.metadata.nbgrader["grade_id"] for cell in _marked(notebook) if cell.metadata.nbgrader["grade"])


SOURCE_IDS = grade_ids(SOURCE_NB)
SOURCE_CELLS = {cell.metadata.nbgrader["grade_id"]: cell for cell in _marked(SOURCE_NB)}
RELEASE_CELLS = {cell.metadata.nbgrader["grade_id"]: cell for cell in _marked(nbformat.reads(RELEASE_TEXT, 4))}


def released():
    """A fresh copy of the release notebook, as a student receives it."""
    return nbformat.reads(RELEASE_TEXT, as_version=4)


def index(notebook, grade_id):
    """Position of the cell marked ``grade_id``."""
    return next(i for i, cell in enumerate(notebook.cells) if cell.metadata.get("nbgrader", {}).get("grade_id")
                == grade_id)


def _snapshot(folder):
    return {str(path.relative_to(folder)): path.read_bytes() if path.is_file() else None
            for path in sorted(folder.rglob("*"))}


def intake(tmp_path, files, **kwargs):
    """``read_submission`` of a folder holding ``files`` ({name: notebook, text or bytes}), invariants checked."""
    folder = tmp_path / "submitted" / "student" / ASSIGNMENT
    folder.mkdir(parents=True)
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, dict):
            content = json.dumps(content, indent=1)  # as saved, duplicate or missing cell ids included
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    before = _snapshot(folder)
    result = read_submission(folder, SOURCE, RELEASE, **kwargs)
    assert _snapshot(folder) == before, "the submitted folder changed"
    assert list(result.notebooks) == [NAME]
    _assert_canonical(result.notebooks[NAME])
    return result


def _assert_canonical(notebook):
    nbformat.validate(notebook)
    assert (notebook.nbformat, notebook.nbformat_minor) == (4, 5)
    assert notebook.metadata == SOURCE_NB.metadata
    assert graded_ids(notebook) == graded_ids(SOURCE_NB), "each graded cell exactly once"
    ids = [cell.id for cell in notebook.cells]
    assert len(set(ids)) == len(ids)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert (cell.outputs, cell.execution_count) == ([], None)
        if "nbgrader" in cell.metadata:
            original = SOURCE_CELLS[cell.metadata.nbgrader["grade_id"]]
            assert cell.metadata == RELEASE_CELLS[cell.metadata.nbgrader["grade_id"]].metadata
            if not original.metadata.nbgrader["solution"]:
                assert cell.source == original.source


def assert_fallback(result, reason):
    """The release was graded instead, with the reason told to the student and in the notes."""
    notebook = result.notebooks[NAME]
    assert result.notes == [f"{NAME} {reason}{FALLBACK}"]
    assert notebook.cells[0].cell_type == "markdown"
    assert notebook.cells[0].source == (f"**This notebook could not be graded.** `{NAME}` {reason}, so the "
                                        "released notebook was graded in its place and every test scores 0.")
    assert grade_ids(notebook) == SOURCE_IDS
    assert all(STUB in cell.source for cell in _marked(notebook) if cell.metadata.nbgrader["solution"])


def answered():
    """The release notebook with the first answer filled in."""
    notebook = released()
    notebook.cells[index(notebook, "squared_error")].source = "def squared_error(y_true, y_pred):\n    return 'mine'\n"
    return notebook


def _json_error(text):
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return f"{exc.msg}: line {exc.lineno} column {exc.colno}"


def _layout(notebook):
    """Each cell's type and grade id (None if unmarked), in order."""
    return [(cell.cell_type, cell.metadata.get("nbgrader", {}).get("grade_id")) for cell in notebook.cells]


def test_untouched_release_keeps_the_source_layout_exactly_and_has_no_notes(tmp_path):
    result = intake(tmp_path, {NAME: RELEASE_TEXT})
    notebook = result.notebooks[NAME]
    assert result.notes == []
    assert _layout(notebook) == _layout(SOURCE_NB)
    for cell, original, release in zip(notebook.cells, SOURCE_NB.cells, released().cells, strict=True):
        instructor = "nbgrader" in original.metadata and not original.metadata.nbgrader["solution"]
        assert cell.source == (original if instructor else release).source


def test_student_answer_is_graded_in_its_cell(tmp_path):
    result = intake(tmp_path, {NAME: answered()})
    notebook = result.notebooks[NAME]
    assert result.notes == []
    assert notebook.cells[index(notebook, "squared_error")].source.endswith("return 'mine'\n")


TRUNCATED = RELEASE_TEXT[:len(RELEASE_TEXT) // 2]
UNREADABLE = {
    "invalid JSON": ('{"cells": []\n "nbformat": 4}', "is not valid JSON (Expecting ',' delimiter: line 2 column 2)"),
    "empty file": (b"", "is empty"),
    "truncated JSON": (TRUNCATED, f"is not valid JSON ({_json_error(TRUNCATED)})"),
    "binary garbage": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "is not UTF-8 text (byte 0x89 at offset 0)"),
    "JSON list": (json.dumps([json.loads(RELEASE_TEXT)]), "is not a notebook (it holds a JSON array, not an object)"),
    "no version": ('{"cells": []}', "is not a notebook (it has no nbformat version number)"),
    "nbformat 5": (RELEASE_TEXT.replace('"nbformat": 4', '"nbformat": 5'),
                   "cannot be converted to notebook format 4 (Unsupported nbformat version 5)"),
    "cell of unknown type": (RELEASE_TEXT.replace('"cell_type": "markdown"', '"cell_type": "picture"', 1),
                             "is not a valid notebook (cell 1 is not a code, markdown or raw cell)"),
}


@pytest.mark.parametrize("content, reason", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_unreadable_notebook_is_replaced_by_the_release(tmp_path, content, reason):
    assert_fallback(intake(tmp_path, {NAME: content}), reason)


def test_notebook_over_the_size_limit_is_not_read(tmp_path):
    size = len(RELEASE_TEXT.encode())
    result = intake(tmp_path, {NAME: RELEASE_TEXT}, max_bytes=1000)
    assert_fallback(result, f"is {size:,} bytes, more than the 1,000-byte limit")


def test_v3_notebook_is_converted_and_graded(tmp_path):
    result = intake(tmp_path, {NAME: nbformat.convert(answered(), 3)})
    notebook = result.notebooks[NAME]
    assert result.notes == []
    assert grade_ids(notebook) == SOURCE_IDS
    assert notebook.cells[index(notebook, "squared_error")].source.endswith("return 'mine'\n")


def test_missing_notebook(tmp_path):
    assert_fallback(intake(tmp_path, {}), "is missing")


def test_renamed_notebook_is_graded_under_its_name(tmp_path):
    result = intake(tmp_path, {"Untitled.ipynb": answered(),
                               ".ipynb_checkpoints/Untitled-checkpoint.ipynb": RELEASE_TEXT})
    notebook = result.notebooks[NAME]
    assert result.notes == [f"found Untitled.ipynb instead of {NAME}; graded it as {NAME}"]
    assert notebook.cells[index(notebook, "squared_error")].source.endswith("return 'mine'\n")


def test_renamed_unreadable_notebook_is_named_in_the_notes(tmp_path):
    result = intake(tmp_path, {"Untitled.ipynb": b""})
    assert result.notes[0] == f"found Untitled.ipynb instead of {NAME}; graded it as {NAME}"
    assert result.notes[1:] == [f"Untitled.ipynb is empty{FALLBACK}"]


def test_two_stray_notebooks_are_ignored(tmp_path):
    result = intake(tmp_path, {"a.ipynb": answered(), "b.ipynb": answered()})
    assert result.notes == ["ignored a.ipynb, which is not a notebook of this assignment",
                            "ignored b.ipynb, which is not a notebook of this assignment",
                            f"{NAME} is missing{FALLBACK}"]


def test_stray_notebook_beside_the_expected_one_is_ignored(tmp_path):
    result = intake(tmp_path, {NAME: answered(), "scratch.ipynb": RELEASE_TEXT})
    assert result.notes == ["ignored scratch.ipynb, which is not a notebook of this assignment"]


def test_deleted_test_cell_is_recreated_before_the_next_answer(tmp_path):
    student = released()
    del student.cells[index(student, "test_mean_squared_error")]
    notebook = (result := intake(tmp_path, {NAME: student})).notebooks[NAME]
    assert result.notes == ["instructor cell 'test_mean_squared_error' was deleted; restored it"]
    assert grade_ids(notebook) == SOURCE_IDS
    assert index(notebook, "test_mean_squared_error") + 1 == index(notebook, "gaussian_log_likelihood")


def test_deleted_answer_cell_is_not_recreated(tmp_path):
    student = released()
    del student.cells[index(student, "squared_error")]
    notebook = (result := intake(tmp_path, {NAME: student})).notebooks[NAME]
    assert result.notes == ["answer cell 'squared_error' was deleted; its tests still run"]
    assert grade_ids(notebook) == [gid for gid in SOURCE_IDS if gid != "squared_error"]


def test_answer_cell_turned_into_markdown_is_not_graded(tmp_path):
    student = released()
    student.cells[index(student, "squared_error")] = nbformat.v4.new_markdown_cell(
        "my answer", metadata=student.cells[index(student, "squared_error")].metadata)
    notebook = (result := intake(tmp_path, {NAME: student})).notebooks[NAME]
    assert result.notes == ["answer cell 'squared_error' was changed to a markdown cell, so it is not graded; "
                            "its tests still run"]
    assert grade_ids(notebook) == [gid for gid in SOURCE_IDS if gid != "squared_error"]
    assert "my answer" in [cell.source for cell in notebook.cells]


def test_duplicated_answer_cell_grades_the_first_copy(tmp_path):
    student = answered()
    second = copy.deepcopy(student.cells[index(student, "squared_error")])  # same id, too
    second.source = "def squared_error(y_true, y_pred):\n    return 'second'\n"
    student.cells.insert(index(student, "squared_error") + 1, second)
    notebook = (result := intake(tmp_path, {NAME: student})).notebooks[NAME]
    assert result.notes == ["answer cell 'squared_error' appears 2 times; "
                            "the first copy is graded, the others run as ordinary cells"]
    assert grade_ids(notebook) == SOURCE_IDS
    graded = index(notebook, "squared_error")
    assert notebook.cells[graded].source.endswith("return 'mine'\n")
    assert notebook.cells[graded + 1].source.endswith("return 'second'\n")
    assert "nbgrader" not in notebook.cells[graded + 1].metadata


def test_copy_pasted_test_cell_runs_as_an_ordinary_cell(tmp_path):
    student = released()
    pasted = copy.deepcopy(student.cells[index(student, "test_squared_error")])
    student.cells.insert(index(student, "log_likelihood"), pasted)
    notebook = (result := intake(tmp_path, {NAME: student})).notebooks[NAME]
    assert result.notes == ["a copy of instructor cell 'test_squared_error' was kept as an ordinary cell"]
    assert grade_ids(notebook) == SOURCE_IDS
    copies = [cell for cell in notebook.cells if cell.source == pasted.source]
    assert ["nbgrader" in cell.metadata for cell in copies] == [False]


def test_test_cell_moved_to_the_top_stays_there_restored_from_source(tmp_path):
    student = released()
    student.cells.insert(0, student.cells.pop(index(student, "test_log_loss")))
    notebook = (result := intake(tmp_path, {NAME: student})).notebooks[NAME]
    assert result.notes == ["instructor cell 'test_log_loss' was moved; it runs where the student put it"]
    assert grade_ids(notebook) == grade_ids(student)
    assert index(notebook, "test_log_loss") == 0
    assert notebook.cells[0].source == SOURCE_CELLS["test_log_loss"].source


def test_changed_grade_id_on_a_test_cell(tmp_path):
    student = released()
    student.cells[index(student, "test_squared_error")].metadata.nbgrader["grade_id"] = "test_mine"
    notebook = (result := intake(tmp_path, {NAME: student})).notebooks[NAME]
    assert result.notes == ["instructor cell 'test_squared_error' was deleted; restored it",
                            "a cell with unknown grade id 'test_mine' was kept as an ordinary cell"]
    assert grade_ids(notebook) == SOURCE_IDS


EDITS = {
    "points": lambda cell: cell.metadata.nbgrader.update(points=100),
    "source": lambda cell: setattr(cell, "source", "pass"),
    "made a solution": lambda cell: cell.metadata.nbgrader.update(solution=True, locked=False),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_edited_test_cell_is_restored(tmp_path, edit):
    student = released()
    edit(student.cells[index(student, "test_log_loss")])
    notebook = (result := intake(tmp_path, {NAME: student})).notebooks[NAME]
    assert result.notes == ["instructor cell 'test_log_loss' was edited; graded the original"]
    assert notebook.cells[index(notebook, "test_log_loss")].metadata.nbgrader["points"] == 2


def test_answer_cell_made_worth_points_is_restored(tmp_path):
    student = answered()
    student.cells[index(student, "squared_error")].metadata.nbgrader.update(grade=True, points=100)
    notebook = (result := intake(tmp_path, {NAME: student})).notebooks[NAME]
    assert result.notes == ["answer cell 'squared_error' had its nbgrader metadata changed; restored it"]
    assert notebook.cells[index(notebook, "squared_error")].source.endswith("return 'mine'\n")


def test_changed_kernelspec_is_replaced_by_the_source_one(tmp_path):
    student = released()
    student.metadata.kernelspec = {"name": "ir", "display_name": "R", "language": "R"}
    student.metadata.language_info = {"name": "R"}
    assert intake(tmp_path, {NAME: student}).notes == []


def test_own_cells_stay_and_cell_ids_become_unique(tmp_path):
    student = released()
    note = nbformat.v4.new_markdown_cell("my notes")
    del note["id"]
    scratch = nbformat.v4.new_code_cell("x = 1", id=student.cells[0].id)
    student.cells[1:1] = [note, scratch]
    notebook = (result := intake(tmp_path, {NAME: student})).notebooks[NAME]
    assert result.notes == []
    assert [cell.source for cell in notebook.cells[:4]] == [student.cells[0].source, "my notes", "x = 1",
                                                            student.cells[3].source]
    assert notebook.cells[0].id == student.cells[0].id


def test_invalid_cell_metadata_is_stripped(tmp_path):
    student = released()
    student.cells[1].metadata["tags"] = 5
    notebook = (result := intake(tmp_path, {NAME: student})).notebooks[NAME]
    assert result.notes == ["removed 1 cell metadata field(s) that break the notebook format"]
    assert "tags" not in notebook.cells[1].metadata


def test_notes_quote_little_of_the_student_content(tmp_path):
    student = released()
    student.cells[index(student, "test_squared_error")].metadata.nbgrader["grade_id"] = "g" * 5000
    result = intake(tmp_path, {NAME: student, "x" * 200 + ".ipynb": RELEASE_TEXT})
    assert len(result.notes) == 3
    assert all(len(note) < 200 for note in result.notes)


def test_missing_source_folder_raises(tmp_path):
    with pytest.raises(FileNotFoundError, match="`source` .* is not a folder"):
        read_submission(tmp_path, tmp_path / "source" / ASSIGNMENT, RELEASE)


# -- stopping the batch: size, links, names ------------------------------------------------------------------
def test_intake_is_linear_in_the_number_of_cells_without_ids(tmp_path, monkeypatch):
    """24,000 cells without ids (nbformat 4.4 has none): fresh ids come from one counter, not one per cell."""
    student = json.loads(RELEASE_TEXT)
    student["nbformat_minor"] = 4
    student["cells"] += [{"cell_type": "markdown", "metadata": {}, "source": f"note {n}"} for n in range(24_000)]
    for cell in student["cells"]:
        cell.pop("id", None)
    steps = []

    def counted(start=0):
        for n in count(start):
            steps.append(n)
            yield n

    monkeypatch.setattr(intake_module, "count", counted)
    started = time.perf_counter()
    notebook = intake(tmp_path, {NAME: json.dumps(student)}).notebooks[NAME]
    seconds = time.perf_counter() - started
    assert len(notebook.cells) == len(student["cells"])
    renamed = sum(cell.id.startswith("intake-") for cell in notebook.cells)
    assert renamed >= 24_000
    assert len(steps) == renamed, "one candidate id per renamed cell (the quadratic version tried 288 million)"
    assert seconds < 30, f"{seconds:.0f} s"  # about 2 s here; the quadratic version took 48 s for this step alone


def test_file_names_cannot_forge_a_report_line(tmp_path):
    forged = "a\nNOTE ch03_loss_functions - bob: 22 of 22.ipynb"
    result = intake(tmp_path, {NAME: answered(), forged: RELEASE_TEXT})
    assert result.notes == ["ignored a\\nNOTE ch03_loss_functions - bob: 22 of 22.ipynb, which is not a notebook "
                            "of this assignment"]


@pytest.fixture
def course(tmp_path):
    """A course with ch03 and four submissions: one with a link to /proc/self/pagemap, an odd file name and
    a sparse terabyte, one honest, one that is a link to another's folder, one with a garbage timestamp.txt."""
    for name in ("source", "release"):
        shutil.copytree(ROOT / name / ASSIGNMENT, tmp_path / name / ASSIGNMENT)
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    for student in ("ada", "bob", "dan"):
        folder = tmp_path / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / NAME).write_text(RELEASE_TEXT)
    ada = tmp_path / "submitted" / "ada" / ASSIGNMENT
    os.symlink("/proc/self/pagemap", ada / "pagemap")
    (ada / "data\nNOTE forged.txt").write_text("1,2\n")
    with open(ada / "huge.bin", "wb") as huge:
        huge.truncate(10**12)  # a sparse terabyte: never read, never copied
    (tmp_path / "submitted" / "carl").mkdir()
    os.symlink(tmp_path / "submitted" / "bob" / ASSIGNMENT, tmp_path / "submitted" / "carl" / ASSIGNMENT)
    (tmp_path / "submitted" / "dan" / ASSIGNMENT / "timestamp.txt").write_text("2026-01-01 10:00:00 /dev/zero")
    return tmp_path


def test_a_link_in_submitted_stops_no_one_from_being_planned(course):
    todo, skipped = plan(course, [ASSIGNMENT], load_course_config(course))
    assert skipped == []
    assert [student for _, student, _ in todo] == ["ada", "bob", "carl", "dan"]
    assert all(len(fingerprint) == 64 for _, _, fingerprint in todo)


def test_fingerprints_follow_no_link_but_see_its_target_change(course):
    grader = AssignmentGrader(course, ASSIGNMENT, load_course_config(course))
    first = grader.fingerprint("ada")
    assert grader.fingerprint("ada") == first
    link = course / "submitted" / "ada" / ASSIGNMENT / "pagemap"
    link.unlink()
    os.symlink("/proc/self/environ", link)
    assert grader.fingerprint("ada") != first
    assert grader.fingerprint("carl") != grader.fingerprint("bob"), "a linked folder is not its target"


def test_intake_stages_plain_files_and_notes_dropped_links(course):
    grader = AssignmentGrader(course, ASSIGNMENT, load_course_config(course))
    notes = grader.intake("ada")
    assert [path.name for path in grader.staging_dir("ada").iterdir()] == ["data\nNOTE forged.txt"]
    assert notes == ["dropped 'huge.bin': it has 1,000,000,000,000 bytes, more than the 100,000,000-byte limit "
                     "per file",
                     "dropped 'pagemap': it is a symbolic link (to '/proc/self/pagemap'); links are never followed"]


def test_a_submission_that_is_a_link_or_has_a_bad_timestamp_is_refused_clearly(course):
    grader = AssignmentGrader(course, ASSIGNMENT, load_course_config(course))
    with pytest.raises(Ungradable, match=r"/submitted/carl/ch03_loss_functions: it is a symbolic link \(to '.*/bob/"):
        grader.intake("carl")
    with pytest.raises(Ungradable, match=r"^its timestamp.txt is unusable: '2026-01-01 10:00:00 /dev/zero' is not a "
                       r"time; collect the submission again with `mdsi-course collect`, or correct the file$"):
        grader.intake("dan")


def test_report_lines_escape_everything_a_student_named():
    report = Report(failed=[(ASSIGNMENT, "carl\nFAILED x", "Ungradable: bad\nline")],
                    notes=[(ASSIGNMENT, "ada", "dropped 'a\nNOTE ch03 / bob: 22/22'"), (ASSIGNMENT, "bob", "\x1b[2J")])
    assert report.summary().splitlines()[1:] == [
        f"  FAILED {ASSIGNMENT} / carl\\nFAILED x: Ungradable: bad\\nline",
        f"  NOTE {ASSIGNMENT} / ada: dropped 'a\\nNOTE ch03 / bob: 22/22'",
        f"  NOTE {ASSIGNMENT} / bob: \\x1b[2J"]
