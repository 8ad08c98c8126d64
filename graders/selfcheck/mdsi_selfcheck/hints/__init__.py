"""Hints for every graded exercise, two or three per exercise, from a nudge to the usual pitfall.

One TOML file per assignment (``<assignment id>.toml``) holds one table per
exercise, keyed by the function or class name of ``docs/exercises.md``, each
with ``hints = [...]`` in the order a student should read them.  They point at
the idea, the approach and the common mistake; they never hold the solution
or a hidden test case.
"""

import tomllib
from functools import cache
from importlib import resources


@cache
def _assignments():
    """The assignment ids that have a hint file, sorted."""
    return tuple(sorted(f.name.removesuffix(".toml") for f in resources.files(__name__).iterdir()
                        if f.name.endswith(".toml")))


@cache
def _load(assignment):
    """The parsed hint file of one assignment: ``{exercise: {"hints": [...]}}``."""
    return tomllib.loads(resources.files(__name__).joinpath(f"{assignment}.toml").read_text(encoding="utf-8"))


def hints_for(assignment, exercise):
    """The hints of one exercise, least specific first.

    Raises ``ValueError`` naming the assignment or exercise (and listing the
    known ones) when either is unknown.

    >>> first, *more = hints_for("ch03_loss_functions", "log_loss")
    >>> "binary cross-entropies" in first and 1 <= len(more) <= 2
    True
    >>> try:
    ...     hints_for("ch03_loss_functions", "logloss")
    ... except ValueError as error:
    ...     print(error)
    ch03_loss_functions has no exercise 'logloss'; known: squared_error, ...
    """
    if assignment not in _assignments():
        raise ValueError(f"no hints for assignment {assignment!r}; known: {', '.join(_assignments())}")
    tables = _load(assignment)
    if exercise not in tables:
        raise ValueError(f"{assignment} has no exercise {exercise!r}; known: {', '.join(tables)}")
    return list(tables[exercise]["hints"])
