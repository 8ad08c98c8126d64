"""Input validation for ``ch02_bias_variance`` (book chapter 2).

Like :mod:`solutions.validation`, every helper names the offending argument and
says how to fix it; the notebook build copies the ones the solutions use into
the read-only helpers cell, so each helper is self-contained.
"""

import numpy as np

from solutions.validation import as_float_array


def finite_vector(values, name):
    """Return ``values`` as a non-empty finite 1-D float array, or raise ValueError naming ``name``.

    >>> finite_vector([0, 1.5], "x")
    array([0. , 1.5])
    >>> finite_vector([[1, 2]], "x_train")
    Traceback (most recent call last):
    ...
    ValueError: `x_train` must be a non-empty 1-D array of numbers; got shape (1, 2)
    """
    arr = as_float_array(values, name)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            f"`{name}` must be a non-empty 1-D array of numbers; got shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"`{name}` must be finite; remove or impute its NaN or infinite entries")
    return arr
