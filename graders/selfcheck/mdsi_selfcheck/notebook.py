"""What the assignment notebooks call: public test cells that read in a line, progress, and hints.

The build (``graders/notebook_build.py``) writes the calls into every notebook:

* the import cell runs ``start_assignment("<assignment>")``;
* every public test cell runs its asserts inside ``with exercise(3, "numerical_gradient"):``.
  A pass prints one line; an untouched stub raises :class:`ExerciseNotAttempted` and a
  failed assert (or an error from the learner's code) raises :class:`PublicTestFailed`,
  each with a one-paragraph message and no traceback (IPython shows what
  ``_render_traceback_`` returns).  The cell still ends in an error, so nbgrader still
  scores it as failed; its ``raises-exception`` tag lets Run All go on to the next cell;
* the last cell calls :func:`progress`, which lists every exercise as passed, failed,
  not attempted or not run yet in this kernel session;
* ``hint("numerical_gradient")`` shows the next hint of an exercise.
"""

import linecache
import sys
import textwrap
from pathlib import Path

PASSED, FAILED, NOT_ATTEMPTED, NOT_RUN = "passed", "failed", "not attempted", "not run yet"

_state = {"assignment": None, "results": {}, "hints_seen": {}}
_LIBRARIES = tuple({str(Path(p).resolve()) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)})
_HERE = str(Path(__file__).resolve())
_WIDTH = 100


class _OneParagraph:
    """An error IPython shows as its title line and message only: no frames, no source."""

    title = ""

    def _render_traceback_(self):
        lines = [f"\x1b[1;31m{self.title}\x1b[0m"] if self.title else []
        for line in str(self).splitlines():
            lines += textwrap.wrap(line, _WIDTH, break_long_words=False, break_on_hyphens=False) or [""]
        return lines


class ExerciseNotAttempted(_OneParagraph, NotImplementedError):
    """A public test cell reached a stub that still raises ``NotImplementedError``."""


class PublicTestFailed(_OneParagraph, AssertionError):
    """A public test cell's assert failed, or the learner's code raised; the message says which and why."""


def start_assignment(assignment):
    """Set up the runtime for ``assignment`` (the import cell calls it); a new assignment clears the results."""
    if not isinstance(assignment, str) or not assignment:
        raise ValueError(f"start_assignment() needs the assignment's name, e.g. 'ch04_gradient_descent'; "
                         f"got {assignment!r}")
    if assignment != _state["assignment"]:
        _state.update(assignment=assignment, results={}, hints_seen={})
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((NotImplementedError,), _show_stub)


def _show_stub(shell, kind, error, tb, tb_offset=None):
    """IPython's handler for NotImplementedError: one line when a stub defined in the notebook raised it.

    Any other NotImplementedError keeps IPython's usual traceback.  The cell
    still fails.  (IPython leaves the showing to the handler.)
    """
    last = tb
    while last is not None and last.tb_next is not None:
        last = last.tb_next
    frame = last.tb_frame if last is not None else None
    if hasattr(error, "_render_traceback_"):
        lines = error._render_traceback_()
    elif frame is not None and frame.f_code.co_name != "<module>" and _in_a_cell(shell, frame):
        owner = frame.f_locals.get("self")
        name = (f"{type(owner).__name__}." if owner is not None else "") + frame.f_code.co_name
        lines = [f"\x1b[1;31mNotImplementedError\x1b[0m: this cell needs {name}, which still raises "
                 "NotImplementedError: it is one of the exercises to do."]
    else:
        lines = shell.InteractiveTB.structured_traceback(kind, error, tb, tb_offset=tb_offset)
    shell._showtraceback(kind, error, lines)
    return lines


def _in_a_cell(shell, frame):
    """True if ``frame`` runs code typed into the notebook (IPython names each cell's code)."""
    filename = frame.f_code.co_filename
    return filename in getattr(shell.compile, "_filename_map", {}) or filename.startswith("<ipython-input-")


class exercise:  # noqa: N801 - used as a statement-like ``with exercise(...)``, read as such
    """Run the public tests of one test cell: a line when they pass, one paragraph when they do not.

    ``number`` and ``name`` identify the exercise as the notebook numbers it;
    ``part`` names the test cell when an exercise has several (``"errors"``).
    """

    def __init__(self, number, name, part=None):
        self.number, self.name, self.part = number, name, part
        self.label = f"Exercise {number} - {name}" + (f" ({part})" if part else "")

    def __enter__(self):
        self._cell = sys._getframe(1)  # the test cell's own code, as opposed to the learner's functions
        return self

    def __exit__(self, kind, error, tb):
        try:
            return self._settle(kind, error, tb)
        finally:
            self._cell = None

    def _settle(self, kind, error, tb):
        if kind is None:
            self._record(PASSED)
            print(f"{self.label}: public tests pass")
            return False
        if not issubclass(kind, Exception):  # KeyboardInterrupt, SystemExit: not ours to explain
            return False
        if isinstance(error, NotImplementedError):
            self._record(NOT_ATTEMPTED)
            raise ExerciseNotAttempted(self._not_attempted(error, tb)) from None
        self._record(FAILED)
        failure = PublicTestFailed(self._failure(error, tb))
        failure.title = f"{self.label}: a public test failed"
        raise failure from None

    def _record(self, status):
        _state["results"][(self.name, self.part)] = status

    def _not_attempted(self, error, tb):
        where, _ = _innermost_user_frame(tb)
        stub = where.f_code.co_name if where is not None else self.name
        owner = type(where.f_locals.get("self")).__name__ if where is not None and "self" in where.f_locals else None
        if self.name in (stub, owner) or where is self._cell:
            return f"Exercise {self.number} not attempted yet: {self.name} still raises NotImplementedError."
        return (f"Exercise {self.number} ({self.name}) cannot be checked yet: this test needs {stub}, which is "
                "not attempted yet (it still raises NotImplementedError).")

    def _failure(self, error, tb):
        if isinstance(error, AssertionError) and str(error):
            return str(error)
        where, lineno = _innermost_user_frame(tb)
        line = _source_line(where, lineno)
        if isinstance(error, AssertionError):
            return f"this check is false: `{line}`" if line else "an assert of this cell is false"
        what = f"{type(error).__name__}: {error}".rstrip(": ")
        if where is None or where is self._cell:
            return (f"the public test could not use what {self.name} gave back: {what}"
                    + (f" (at `{line}`)" if line else "") + ". Check the type and shape your function returns.")
        return (f"{self.name} raised {what} - in {where.f_code.co_name}, line {lineno}"
                + (f": `{line}`" if line else "") + ".")


def _innermost_user_frame(tb):
    """(frame, line number) of the deepest notebook code (not a library, not this module) in a traceback.

    ``(None, 0)`` if there is none.
    """
    found = (None, 0)
    while tb is not None:
        filename = str(tb.tb_frame.f_code.co_filename)
        if filename != _HERE and not filename.startswith(_LIBRARIES) and not filename.startswith("<frozen"):
            found = (tb.tb_frame, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _source_line(frame, lineno):
    if frame is None:
        return ""
    return linecache.getline(frame.f_code.co_filename, lineno).strip()


def _exercise_status(name, cells):
    """One exercise's status over its ``cells`` public test cells run in this session."""
    found = [status for (owner, _), status in _state["results"].items() if owner == name]
    for status in (FAILED, NOT_ATTEMPTED):
        if status in found:
            return status
    if not found:
        return NOT_RUN
    return PASSED if len(found) >= cells else f"{len(found)} of {cells} test cells pass; run the others"


def progress(table):
    """Print every exercise's status against the public tests run in this kernel session.

    ``table`` maps each exercise, in notebook order, to ``(points, public test
    cells)``; the build writes it from the graders' declarations.
    """
    rows = [(number, name, points, _exercise_status(name, cells))
            for number, (name, (points, cells)) in enumerate(table.items(), start=1)]
    width = max(len(name) for _, name, _, _ in rows)
    print("Public tests run in this session (the hidden tests decide the grade):")
    for number, name, points, status in rows:
        print(f"{number:>4}. {name:<{width}}  {points:>2} point{'s' if points != 1 else ' '}  {status}")
    counts = {s: sum(r[3] == s for r in rows) for s in (PASSED, FAILED, NOT_ATTEMPTED)}
    earned = sum(points for _, _, points, status in rows if status == PASSED)
    total = sum(points for _, _, points, _ in rows)
    others = len(rows) - sum(counts.values())
    print(f"{counts[PASSED]} of {len(rows)} exercises pass their public tests (worth {earned} of {total} points); "
          f"{counts[FAILED]} failed, {counts[NOT_ATTEMPTED]} not attempted, {others} not run yet.")


def hint(name):
    """Show the next hint for exercise ``name``; each call reveals one more, until there are none left."""
    assignment = _state["assignment"]
    if assignment is None:
        print("Run the notebook's first code cell (it calls start_assignment()) before asking for hints.")
        return
    from mdsi_selfcheck.hints import hints_for

    try:
        hints = hints_for(assignment, name)
    except (KeyError, ValueError) as problem:
        print(f"No hints for {name!r}: {problem.args[0] if problem.args else problem}")
        return
    seen = _state["hints_seen"].get(name, 0)
    if seen >= len(hints):
        print(f"No more hints for {name}: you have seen all {len(hints)}. Re-read them above (they stay in "
              "the cells that showed them), then the exercise's text and its Raises section.")
        return
    _state["hints_seen"][name] = seen + 1
    _show(f"**Hint {seen + 1} of {len(hints)} for `{name}`:** {hints[seen]}",
          f"Hint {seen + 1} of {len(hints)} for {name}: {hints[seen]}")


def _show(markdown, text):
    """Display ``markdown`` where a front end draws it, ``text`` elsewhere."""
    try:
        from IPython.display import display
    except ImportError:
        print(text)
        return
    display({"text/markdown": markdown, "text/plain": text}, raw=True)
