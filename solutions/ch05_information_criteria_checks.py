"""Input validation for ``ch05_information_criteria``: counts, scalars, degrees, generators.

Like :mod:`solutions.validation`, every helper names the offending argument
and says how to fix it; the notebook build copies the ones the solutions use
into the read-only helpers cell, so each is self-contained (NumPy only).
"""

import numpy as np

from solutions.validation import as_float_array


def as_count(value, name, minimum=0):
    """Return ``value`` as a Python int, or raise ValueError unless it is a whole number >= minimum.

    >>> as_count(5.0, "n")
    5
    >>> as_count(1, "n_splits", minimum=2)
    Traceback (most recent call last):
    ...
    ValueError: `n_splits` must be a whole number >= 2; got 1
    """
    problem = f"`{name}` must be a whole number >= {minimum}; got"
    real = int | float | np.integer | np.floating
    if isinstance(value, bool | np.bool_) or not isinstance(value, real):
        raise ValueError(f"{problem} {type(value).__name__}")
    if not (np.isfinite(value) and value == int(value) and value >= minimum):
        raise ValueError(f"{problem} {value!r}")
    return int(value)


def as_finite_scalar(value, name):
    """Return ``value`` as a Python float, or raise ValueError unless it is one finite number.

    >>> as_finite_scalar(-120, "log_likelihood")
    -120.0
    >>> as_finite_scalar([1.0, 2.0], "log_likelihood")
    Traceback (most recent call last):
    ...
    ValueError: `log_likelihood` must be a single finite number; got shape (2,)
    """
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            f"`{name}` must be a single finite number; got {type(value).__name__}"
        ) from None
    if arr.ndim != 0:
        raise ValueError(f"`{name}` must be a single finite number; got shape {arr.shape}")
    if not np.isfinite(arr):
        raise ValueError(f"`{name}` must be a single finite number; got {float(arr)!r}")
    return float(arr)


def as_degrees(degrees):
    """Return polynomial degrees as a non-empty 1-D int array, or raise ValueError.

    >>> as_degrees([3, 1, 2])
    array([3, 1, 2])
    >>> as_degrees([1, 2.5])
    Traceback (most recent call last):
    ...
    ValueError: `degrees` must hold whole numbers >= 0; got [1.  2.5]
    """
    arr = as_float_array(degrees, "degrees")
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"`degrees` must be a non-empty 1-D list; got shape {arr.shape}")
    if not np.all(np.isfinite(arr) & (arr == np.round(arr)) & (arr >= 0)):
        raise ValueError(f"`degrees` must hold whole numbers >= 0; got {arr}")
    return arr.astype(int)
