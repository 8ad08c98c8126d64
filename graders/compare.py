"""Turn a learner's return value into plain data and compare it with the expected one.

A comparator never lets the learner's objects compare themselves: it checks the
exact type first, converts to a Python float or a float64 ndarray, and only then
compares numbers.  Each comparator returns ``None`` when the value is
acceptable, or a sentence saying what is wrong.
"""

from dataclasses import dataclass, field

import numpy as np

_SCALAR_TYPES = (float, int, np.floating, np.integer)


def _describe(value):
    """Short description of a value for feedback (type, and shape for arrays)."""
    if isinstance(value, np.ndarray):
        return f"a {value.dtype} array of shape {value.shape}"
    return f"a {type(value).__name__}"


def _summary(arr):
    """A short printable form of an array: all values when small, else a few."""
    flat = np.ravel(arr)
    if flat.size <= 6:
        return np.array2string(np.asarray(arr), precision=6, separator=", ")
    head = np.array2string(flat[:3], precision=6, separator=", ")[1:-1]
    return f"[{head}, ...] ({flat.size} values)"


def _close(got, expected, rtol, atol):
    """Elementwise closeness that also matches infinities of the same sign and NaNs."""
    return np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)


@dataclass(frozen=True)
class Scalar:
    """A real number (Python or NumPy scalar) within ``rtol``/``atol`` of the expected one."""

    rtol: float = 1e-9
    atol: float = 1e-12

    def plain(self, value):
        """The value as a Python float, or a message if it is not a real scalar."""
        if isinstance(value, bool | np.bool_) or not isinstance(value, _SCALAR_TYPES):
            hint = ""
            if isinstance(value, np.ndarray | list | tuple):
                hint = " - reduce it to one number (for example with np.mean or np.sum)"
            return None, f"returned {_describe(value)}; expected a single float{hint}"
        return float(value), None

    def compare(self, got, expected):
        """None if ``got`` (a learner's raw return) matches ``expected``, else a message."""
        got, problem = self.plain(got)
        if problem:
            return problem
        if not _close(got, expected, self.rtol, self.atol):
            return f"returned {got!r}; expected {expected!r}"
        return None


@dataclass(frozen=True)
class Array:
    """A float ndarray with exactly the expected shape, compared elementwise."""

    rtol: float = 1e-9
    atol: float = 1e-12

    def plain(self, value):
        """The value as a float64 ndarray, or a message if it is not a numeric ndarray."""
        if not isinstance(value, np.ndarray):
            hint = " - wrap it with np.asarray" if isinstance(value, list | tuple) else ""
            return None, f"returned {_describe(value)}; expected a numpy.ndarray{hint}"
        try:
            return np.array(value, dtype=float, subok=False), None
        except (TypeError, ValueError):
            return None, f"returned {_describe(value)}, which does not hold numbers"

    def compare(self, got, expected):
        """None if ``got`` (a learner's raw return) matches ``expected``, else a message."""
        got, problem = self.plain(got)
        if problem:
            return problem
        expected = np.asarray(expected, dtype=float)
        if got.shape != expected.shape:
            return f"returned an array of shape {got.shape}; expected shape {expected.shape}"
        bad = ~_close(got, expected, self.rtol, self.atol)
        if bad.any():
            return (
                f"returned {_summary(got)}; expected {_summary(expected)} "
                f"({int(bad.sum())} of {bad.size} entries differ)"
            )
        return None


@dataclass(frozen=True)
class Sequence:
    """A tuple of a fixed length whose items are compared by their own comparators."""

    items: tuple

    def compare(self, got, expected):
        """None if every item matches, else a message naming the first bad item."""
        if not isinstance(got, tuple) or len(got) != len(self.items):
            return f"returned {_describe(got)}; expected a tuple of {len(self.items)} items"
        for index, (item, value, want) in enumerate(zip(self.items, got, expected, strict=True)):
            problem = item.compare(value, want)
            if problem:
                return f"item {index} {problem}"
        return None


@dataclass(frozen=True)
class Record:
    """A dict with exactly the expected keys, each value compared by its own comparator."""

    fields: dict

    def compare(self, got, expected):
        """None if the keys and every value match, else a message naming the first bad key."""
        if not isinstance(got, dict):
            return f"returned {_describe(got)}; expected a dict with keys {sorted(self.fields)}"
        if set(got) != set(self.fields):
            return f"returned a dict with keys {sorted(got, key=str)}; expected {sorted(self.fields)}"
        for key, item in self.fields.items():
            problem = item.compare(got[key], expected[key])
            if problem:
                return f"[{key!r}] {problem}"
        return None


@dataclass(frozen=True)
class Integer:
    """An integer equal to the expected one (a degree, a class label).

    ``plain`` demands a Python ``int`` (JSON-ready, for serving); otherwise NumPy
    integers pass too.  Floats and bools never do.
    """

    plain: bool = False

    def compare(self, got, expected):
        """None if ``got`` is an integer equal to ``expected``, else a message."""
        allowed = int if self.plain else int | np.integer
        if isinstance(got, bool | np.bool_) or not isinstance(got, allowed):
            wanted = "a plain Python int" if self.plain else "an int"
            hint = " - convert it with int(...)" if isinstance(got, float | np.floating | np.integer) else ""
            return f"returned {_describe(got)}; expected {wanted}{hint}"
        return None if int(got) == expected else f"returned {int(got)}; expected {expected}"


@dataclass(frozen=True)
class Holds:
    """Yes/no properties that a case's ``run`` computed from the learner's plain output.

    ``got`` is one bool or a dict of named bools; every property that holds for
    the reference must hold for the learner.  ``messages`` gives the sentence
    shown when a property fails (key ``None`` for a single unnamed property).
    """

    messages: dict = field(default_factory=dict)

    def compare(self, got, expected):
        """None if every property true for the reference is true for ``got``, else why not."""
        if not isinstance(got, dict):
            got, expected = {None: got}, {None: expected}
        failed = [self.messages.get(name) or f"this does not hold: {name}"
                  for name, ok in got.items() if expected.get(name) and not ok]
        return "; ".join(failed) or None
