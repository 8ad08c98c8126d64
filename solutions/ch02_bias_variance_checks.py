"""Input validation for ``ch02_bias_variance`` (book chapter 2).

Like :mod:`solutions.validation`, every helper names the offending argument and
says how to fix it; the notebook build copies the ones the solutions use into
the read-only helpers cell, so each helper is self-contained.
"""

import numpy as np


def finite_vector(values, name):
    """Return ``values`` as a non-empty finite 1-D float array, or raise ValueError naming ``name``.

    >>> finite_vector([0, 1.5], "x")
    array([0. , 1.5])
    >>> finite_vector([[1, 2]], "x_train")
    Traceback (most recent call last):
    ...
    ValueError: `x_train` must be a non-empty 1-D array of numbers; got shape (1, 2)
    """
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            f"`{name}` must contain only numbers; could not convert it to floats"
        ) from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            f"`{name}` must be a non-empty 1-D array of numbers; got shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"`{name}` must be finite; remove or impute its NaN or infinite entries")
    return arr


def as_count(value, name, minimum=0):
    """Return ``value`` as a Python int, or raise ValueError unless it is an integer >= ``minimum``.

    >>> as_count(np.int64(3), "degree")
    3
    >>> as_count(2.5, "degree")
    Traceback (most recent call last):
    ...
    ValueError: `degree` must be an integer >= 0; got 2.5
    """
    is_integer = isinstance(value, int | np.integer) and not isinstance(value, bool)
    if not is_integer or value < minimum:
        raise ValueError(f"`{name}` must be an integer >= {minimum}; got {value!r}")
    return int(value)
