"""Turn one student's submitted folder into the canonical notebooks the grader runs.

A submission may be missing, renamed, broken or tampered with; every expected
notebook still comes back.  A readable notebook is rebuilt around the
student's answer cells: each instructor cell (a test, a locked helper) is
taken from ``source/`` and put where the student's copy of it stands, so an
untouched release keeps the source's layout; one the student deleted goes back
before the next answer cell it follows in the source.  Edits and extra copies
of instructor cells never count.  An unreadable notebook is replaced by the
released one with an explanation on top, so that it scores 0 through the
normal grading path.
Each problem found becomes one plain-English note for the instructor's report,
with every name the student chose escaped (:func:`graders.untrusted.shown`).
Nothing under ``submitted`` is changed, no link in it is followed, and bad
student input never raises (:func:`stage_files` raises :class:`Ungradable`
for a submission that is not a folder at all).
"""

import copy
import json
import os
import re
import shutil
import stat
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

import nbformat
from nbformat.validator import normalize

from graders import untrusted
from graders.untrusted import Unreadable, shown

NBGRADER = "nbgrader"
QUOTE_LIMIT = 200  # at most this many characters of student content in a message
MAX_CELLS = 30_000  # an honest notebook has about a hundred; each costs the worker about 1 ms (300,000: 5 minutes)
_CELL_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")  # nbformat 4.5's pattern for cell ids
_CELL_TYPES = ("code", "markdown", "raw")
_JSON_KINDS = {list: "array", str: "string", int: "number", float: "number", bool: "boolean", type(None): "null"}


@dataclass
class Intake:
    """The notebooks to grade for one submission, and what was wrong with it."""

    notebooks: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)


class Unusable(ValueError):
    """A submitted notebook that cannot be graded; the message completes "<file name> ..."."""


class Ungradable(ValueError):
    """A submission that cannot be graded at all (not a folder, a timestamp nbgrader cannot read)."""


@dataclass
class _Plan:
    """What the source notebook says a canonical notebook contains."""

    source: nbformat.NotebookNode
    release: nbformat.NotebookNode
    order: list  # grade ids of the source's nbgrader cells, in source order
    answers: dict  # grade id -> source solution cell
    instructor: dict  # grade id -> (grade id of the next solution cell or None, source cell)
    released: dict  # grade id -> release cell, to tell whether a student edited it


def read_submission(submitted: Path, source: Path, release: Path, max_bytes: int = 20_000_000) -> Intake:
    """The canonical notebooks of ``submitted/<student>/<assignment>/`` and notes on its problems.

    ``source`` and ``release`` are the assignment's folders in ``source/`` and
    ``release/``.  Raises only for instructor-side problems (a missing source
    or release notebook).
    """
    originals = read_originals(source, release)
    return rebuild(read_notebooks(Path(submitted), list(originals.source), max_bytes), originals)


@dataclass
class Originals:
    """The assignment's source and release notebooks, as text, by notebook name."""

    source: dict
    release: dict


@dataclass
class Submitted:
    """A submission's notebook files as read from disk, for :func:`rebuild` (which may run elsewhere).

    ``files`` maps each expected notebook name to (how the report names the
    file, its bytes or None, why it is unusable or None).
    """

    files: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)


def read_originals(source, release):
    """The :class:`Originals` of the assignment folders ``source`` and ``release``."""
    source, release = Path(source), Path(release)
    names = _expected_names(source)
    return Originals({name: (source / name).read_text() for name in names},
                     {name: _release_path(release, name, source.name).read_text() for name in names})


def read_notebooks(submitted, expected, max_bytes=20_000_000):
    """Read (never follow a link, never raise) the file that stands for each of the ``expected`` notebooks."""
    found, intake = _locate(Path(submitted), expected)
    read = Submitted(notes=intake.notes)
    for name in expected:
        path = found[name]
        label = shown(path.name, 80) if path else name
        try:
            if path is None:
                raise Unusable("is missing")
            read.files[name] = (label, _read_bytes(path, max_bytes), None)
        except Unusable as problem:
            read.files[name] = (label, None, str(problem))
    return read


def rebuild(submitted, originals):
    """The :class:`Intake` (canonical notebooks, notes) of a :class:`Submitted` against the :class:`Originals`."""
    intake = Intake(notes=list(submitted.notes))
    for name, (label, data, problem) in submitted.files.items():
        plan = _plan(nbformat.reads(originals.source[name], as_version=4),
                     nbformat.reads(originals.release[name], as_version=4))
        notebook, notes = _canonical_notebook(label, data, problem, name, plan)
        intake.notebooks[name] = notebook
        intake.notes += notes
    return intake


def stage_files(submitted, staging, max_file_bytes=untrusted.MAX_FILE_BYTES, max_total_bytes=None):
    """Copy the submission's plain files, notebooks aside, into a fresh ``staging``; return notes on what was dropped.

    Links, odd files and files over ``max_file_bytes`` are dropped, never
    followed.  Raises Ungradable if ``submitted`` is not a folder, if its files
    hold more than ``max_total_bytes`` (the kernel's disk: they could not be
    put there), or if its ``timestamp.txt`` is not a time nbgrader can read
    (nbgrader would fail on it, or open the file it names).
    """
    shutil.rmtree(staging, ignore_errors=True)
    staging.parent.mkdir(parents=True, exist_ok=True)
    try:
        copied = untrusted.copy(submitted, staging, max_file_bytes=max_file_bytes, max_total_bytes=max_total_bytes,
                                skip=lambda entry: not entry.is_folder and entry.path.suffix == ".ipynb")
    except Unreadable as problem:
        raise Ungradable(f"{shown(submitted)}: {problem}") from None
    stamp = staging / "timestamp.txt"
    if stamp.is_dir():  # nbgrader would fail opening it, mid-run
        raise Ungradable("its timestamp.txt is a folder, not a file; collect the submission again with "
                         "`mdsi-course collect`, or correct it")
    if stamp.is_file():
        try:
            # The whole file, as nbgrader reads it (a check of its start alone would let text after it
            # move the time, or make nbgrader fail in the middle of grading).
            text = stamp.read_bytes().decode("ascii", "backslashreplace")  # nbgrader's times are ASCII
            if text.strip():
                untrusted.parse_time(text)
        except ValueError as problem:
            raise Ungradable(f"its timestamp.txt is unusable: {problem}; collect the submission again with "
                             "`mdsi-course collect`, or correct the file") from None
    return copied.notes


def _expected_names(source):
    """The assignment's notebook names: the ``*.ipynb`` files in ``source``."""
    if not source.is_dir():
        raise FileNotFoundError(f"`source` {source} is not a folder; pass the course's source/<assignment>/")
    names = sorted(path.name for path in source.glob("*.ipynb") if path.is_file())
    if not names:
        raise FileNotFoundError(f"`source` {source} holds no notebooks; pass the course's source/<assignment>/")
    return names


def _release_path(release, name, assignment):
    """The released version of notebook ``name``, which must exist."""
    path = release / name
    if not path.is_file():
        raise FileNotFoundError(f"`release` has no {path}; run `nbgrader generate_assignment {assignment}`")
    return path


def _locate(submitted, expected):
    """Which submitted file stands for each expected notebook (None if none), and an Intake noting strays.

    A single missing notebook is taken to be a single unexpected one, renamed.
    """
    present = sorted(path.name for path in submitted.glob("*.ipynb")) if _is_folder(submitted) else []
    found = {name: submitted / name if name in present else None for name in expected}
    missing = [name for name in expected if name not in present]
    strays = [name for name in present if name not in expected]
    intake = Intake()
    if len(missing) == 1 and len(strays) == 1:
        stray, name = strays.pop(), missing[0]
        found[name] = submitted / stray
        intake.notes.append(f"found {shown(stray, 80)} instead of {name}; graded it as {name}")
    intake.notes += [f"ignored {shown(stray, 80)}, which is not a notebook of this assignment" for stray in strays]
    return found, intake


def _is_folder(path):
    """Is ``path`` itself a folder (not a link to one)?"""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _plan(source, release):
    """The source notebook's answer and instructor cells, each instructor cell with its anchor."""
    marked = [cell for cell in source.cells if NBGRADER in cell.metadata]
    answers, instructor, anchor = {}, {}, None
    for cell in reversed(marked):
        grade_id = _grade_id(cell)
        if cell.metadata[NBGRADER].get("solution"):
            answers[grade_id], anchor = cell, grade_id
        else:
            instructor[grade_id] = (anchor, cell)
    released = {_grade_id(cell): cell for cell in release.cells if NBGRADER in cell.metadata}
    return _Plan(source, release, [_grade_id(cell) for cell in marked],
                 dict(reversed(answers.items())), dict(reversed(instructor.items())), released)


def _canonical_notebook(label, data, problem, name, plan):
    """The notebook to grade as ``name`` and the notes on it; the release, explained, if the file is unusable."""
    try:
        if problem is not None:
            raise Unusable(problem)
        cells, notes = _rebuild(_load(data), plan)
        notebook, repairs = _assemble(cells, plan.source)
        return notebook, notes + repairs
    except Unusable as problem:
        cells, _ = _rebuild(plan.release, plan)
        notice = (f"**This notebook could not be graded.** `{label}` {problem}, so the released notebook "
                  "was graded in its place and every test scores 0.")
        notebook, _ = _assemble([_fresh({"cell_type": "markdown", "source": notice}, {}), *cells], plan.source)
        return notebook, [f"{label} {problem}; graded the released notebook instead, so it scores 0"]


def _load(data):
    """The notebook in the bytes ``data`` as nbformat v4, its cells checked; Unusable says why it cannot be."""
    text = _decode(data)
    _check_json(text)
    try:
        with warnings.catch_warnings():  # nbformat warns as it repairs missing or repeated cell ids
            warnings.simplefilter("ignore")
            notebook = nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat's readers and converters raise many kinds on malformed input
        raise Unusable(f"cannot be converted to notebook format 4 ({_describe(exc)})") from None
    _check_cells(notebook)
    return notebook


def _read_bytes(path, max_bytes):
    """The bytes of a regular file of 1 to ``max_bytes`` bytes, opened without following a link."""
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            raise Unusable("is a symbolic link, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise Unusable("is not a regular file")
        if info.st_nlink > 1:  # another name of a file elsewhere, say source/: read it and it is graded
            raise Unusable(f"is a hard link (the file has {info.st_nlink} names), not a file of its own")
        if info.st_size == 0:
            raise Unusable("is empty")
        if info.st_size > max_bytes:
            raise Unusable(f"is {info.st_size:,} bytes, more than the {max_bytes:,}-byte limit")
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        with open(fd, "rb") as file:
            if os.fstat(file.fileno()).st_ino != info.st_ino:
                raise Unusable("changed while being read")
            data = file.read(max_bytes + 1)
    except OSError as exc:
        raise Unusable(f"cannot be read ({exc.strerror})") from None
    if len(data) > max_bytes:
        raise Unusable(f"grew past the {max_bytes:,}-byte limit while being read")
    return data


def _decode(data):
    """``data`` as text; a byte-order mark is tolerated, other non-UTF-8 bytes are not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unusable(f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None


def _check_json(text):
    """Raise Unusable unless ``text`` is a JSON object with a notebook format version."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Unusable(f"is not valid JSON ({exc.msg}: line {exc.lineno} column {exc.colno})") from None
    except (ValueError, RecursionError) as exc:  # over-long integers, absurd nesting
        raise Unusable(f"is not valid JSON ({_describe(exc)})") from None
    if not isinstance(data, dict):
        raise Unusable(f"is not a notebook (it holds a JSON {_JSON_KINDS[type(data)]}, not an object)")
    version = data.get("nbformat")
    if not isinstance(version, int) or isinstance(version, bool):
        raise Unusable("is not a notebook (it has no nbformat version number)")


def _check_cells(notebook):
    """Raise Unusable unless every cell is a code, markdown or raw cell with text; empty odd metadata."""
    cells = notebook.get("cells")
    if not isinstance(cells, list):
        raise Unusable("is not a valid notebook (it has no list of cells)")
    if len(cells) > MAX_CELLS:
        raise Unusable(f"has {len(cells):,} cells, more than the {MAX_CELLS:,} a notebook may have")
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") not in _CELL_TYPES:
            raise Unusable(f"is not a valid notebook (cell {number} is not a code, markdown or raw cell)")
        if not isinstance(cell.get("source"), str):
            raise Unusable(f"is not a valid notebook (cell {number} has no source text)")
        if not isinstance(cell.get("metadata"), dict):
            cell["metadata"] = {}


@dataclass
class _Sorted:
    """A student's cells sorted against the plan."""

    body: list = field(default_factory=list)  # (answer grade id or None, cell): the cells that stay, in order
    copies: dict = field(default_factory=lambda: defaultdict(list))  # grade id -> the student's cells carrying it
    replaced_at: dict = field(default_factory=dict)  # instructor grade id -> index in body of its source version


def _rebuild(student, plan):
    """The canonical cells around ``student``'s answer cells, and notes on what had to be undone."""
    cells = _sort(student, plan)
    kept = {grade_id for grade_id, _ in cells.body if grade_id}
    places = {grade_id: _present_anchor(anchor, list(plan.answers), kept)
              for grade_id, (anchor, _) in plan.instructor.items()}
    deleted = {grade_id: place for grade_id, place in places.items() if grade_id not in cells.replaced_at}
    return _interleave(cells.body, plan, deleted), _notes(cells, plan, places)


def _sort(student, plan):
    """Sort the student's cells into answer cells, instructor cells to replace and ordinary cells.

    The first copy of each answer cell stays, with the released metadata; the
    first copy of each instructor cell (of any cell type) is replaced, where it
    stands, by the source's version; every other cell stays as an ordinary
    cell, nbgrader metadata removed.
    """
    cells = _Sorted()
    kept = set()
    for cell in student.cells:
        grade_id = _grade_id(cell)
        answer = plan.answers.get(grade_id)
        if NBGRADER in cell.metadata:
            cells.copies[grade_id].append(cell)
        if answer and cell.cell_type == answer.cell_type and grade_id not in kept:
            kept.add(grade_id)
            cells.body.append((grade_id, _fresh(cell, _metadata(plan, grade_id, answer))))
        elif grade_id in plan.instructor and grade_id not in cells.replaced_at:
            cells.replaced_at[grade_id] = len(cells.body)
            _, original = plan.instructor[grade_id]
            cells.body.append((None, _fresh(original, _metadata(plan, grade_id, original))))
        else:
            cells.body.append((None, _fresh(cell, {k: v for k, v in cell.metadata.items() if k != NBGRADER})))
    return cells


def _interleave(body, plan, deleted):
    """``body`` with the source version of each ``deleted`` instructor cell inserted before the answer it names.

    ``deleted`` maps grade ids, in source order, to the answer cell to insert
    before (None: at the end).
    """
    restored = defaultdict(list)
    for grade_id, place in deleted.items():
        _, cell = plan.instructor[grade_id]
        restored[place].append(_fresh(cell, _metadata(plan, grade_id, cell)))
    cells = []
    for grade_id, cell in body:
        cells += restored.pop(grade_id, []) if grade_id else []
        cells.append(cell)
    return cells + restored.pop(None, [])


def _notes(cells, plan, places):
    """One note per problem with the student's nbgrader cells, in source order, then unknown grade ids."""
    notes = []
    for grade_id in plan.order:
        copies, released = cells.copies.get(grade_id, []), plan.released.get(grade_id)
        if grade_id in plan.answers:
            notes += _answer_notes(grade_id, plan.answers[grade_id].cell_type, copies, released)
        else:
            at = cells.replaced_at.get(grade_id)  # only a move past an answer cell is noticed
            moved = at is not None and _next_answer(cells.body, at) != places[grade_id]
            notes += _instructor_notes(grade_id, copies, released, moved)
    return notes + [_unknown_note(grade_id) for grade_id in cells.copies if grade_id not in plan.order]


def _present_anchor(anchor, answers, kept):
    """``anchor`` if the student kept it, else the next answer cell they kept, else None (the end)."""
    if anchor is None:
        return None
    return next((grade_id for grade_id in answers[answers.index(anchor):] if grade_id in kept), None)


def _next_answer(body, start):
    """The grade id of the first answer cell in ``body[start:]``, or None (the end)."""
    return next((grade_id for grade_id, _ in body[start:] if grade_id), None)


def _answer_notes(grade_id, cell_type, copies, released):
    """Notes on the student's copies of one answer cell: deleted, retyped, relabelled or duplicated."""
    if not copies:
        return [f"answer cell '{grade_id}' was deleted; its tests still run"]
    same = sum(cell.cell_type == cell_type for cell in copies)
    retyped = [cell.cell_type for cell in copies if cell.cell_type != cell_type]
    if not same:
        return [f"answer cell '{grade_id}' was changed to a {retyped[0]} cell, so it is not graded; "
                "its tests still run"]
    notes = [f"a copy of answer cell '{grade_id}' was changed to a {kind} cell and kept as an ordinary cell"
             for kind in retyped]
    graded = next(cell for cell in copies if cell.cell_type == cell_type)
    if released and graded.metadata.get(NBGRADER) != released.metadata.get(NBGRADER):
        notes.append(f"answer cell '{grade_id}' had its nbgrader metadata changed; restored it")
    if same > 1:
        notes.append(f"answer cell '{grade_id}' appears {same} times; the first copy is graded, "
                     "the others run as ordinary cells")
    return notes


def _instructor_notes(grade_id, copies, released, moved):
    """Notes on the student's copies of one instructor cell: deleted, edited, moved or copied."""
    if not copies:
        return [f"instructor cell '{grade_id}' was deleted; restored it"]
    notes = []
    first = copies[0]
    if released and _contents(first) != _contents(released):
        notes.append(f"instructor cell '{grade_id}' was edited; graded the original")
    if moved:
        notes.append(f"instructor cell '{grade_id}' was moved; it runs where the student put it")
    if len(copies) == 2:
        notes.append(f"a copy of instructor cell '{grade_id}' was kept as an ordinary cell")
    elif len(copies) > 2:
        notes.append(f"{len(copies) - 1} copies of instructor cell '{grade_id}' were kept as ordinary cells")
    return notes


def _contents(cell):
    """What a student may not change in an instructor cell."""
    return cell.cell_type, cell.source, cell.metadata.get(NBGRADER)


def _unknown_note(grade_id):
    """The note on cells whose nbgrader metadata names no cell of the source notebook."""
    if grade_id is None:
        return "a cell with nbgrader metadata but no grade id was kept as an ordinary cell"
    return f"a cell with unknown grade id '{shown(grade_id, 80)}' was kept as an ordinary cell"


def _grade_id(cell):
    """The cell's nbgrader grade id, or None if it has none that is text."""
    marks = cell.metadata.get(NBGRADER)
    grade_id = marks.get("grade_id") if isinstance(marks, dict) else None
    return grade_id if isinstance(grade_id, str) else None


def _metadata(plan, grade_id, source_cell):
    """An nbgrader cell's metadata as released (an honest copy keeps it in stock nbgrader), else as in the source."""
    released = plan.released.get(grade_id)
    return (released if released is not None else source_cell).metadata


def _fresh(cell, metadata):
    """A new cell with ``cell``'s type, source, id and attachments, the given metadata and no outputs."""
    fresh = {"cell_type": cell["cell_type"], "id": cell.get("id"), "metadata": copy.deepcopy(metadata),
             "source": cell["source"]}
    if fresh["cell_type"] == "code":
        fresh.update(outputs=[], execution_count=None)
    elif "attachments" in cell:
        fresh["attachments"] = copy.deepcopy(cell["attachments"])
    return fresh


def _assemble(cells, source):
    """A valid v4.5 notebook of ``cells`` with the source's metadata, and notes on repairs made.

    Student cell metadata that breaks the schema is stripped; anything else
    that keeps the notebook from validating makes it Unusable.
    """
    notebook = nbformat.from_dict({"nbformat": 4, "nbformat_minor": 5, "metadata": copy.deepcopy(source.metadata),
                                   "cells": cells})
    _make_ids_unique(notebook.cells)
    try:
        repairs, notebook = normalize(notebook, strip_invalid_metadata=True)
        nbformat.validate(notebook)
    except Exception as exc:  # jsonschema's errors, or normalize tripping over a malformed cell
        raise Unusable(f"is not a valid notebook ({_describe(exc)})") from None
    notes = [f"removed {repairs} cell metadata field(s) that break the notebook format"] if repairs else []
    return nbformat.from_dict(notebook), notes


def _make_ids_unique(cells):
    """Keep each valid cell id the first time it appears; give the other cells fresh, unused ids.

    Fresh ids are numbered from one counter that never goes back, so the work is
    linear in the number of cells however many lack an id.
    """
    taken = {cell["id"] for cell in cells if _valid_id(cell["id"])}
    fresh = (f"intake-{n}" for n in count() if f"intake-{n}" not in taken)
    seen = set()
    for cell in cells:
        if not _valid_id(cell["id"]) or cell["id"] in seen:
            cell["id"] = next(fresh)
        seen.add(cell["id"])


def _valid_id(cell_id):
    return isinstance(cell_id, str) and _CELL_ID.match(cell_id) is not None


def _describe(exc):
    """A one-line account of ``exc`` that quotes at most QUOTE_LIMIT characters."""
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return shown(" ".join(str(message).split()), QUOTE_LIMIT)
