"""Input validation for ``ch08_generative_discriminative``.

The notebook build copies the helpers the solutions call into the notebook's
read-only helpers cell, so each one uses nothing but NumPy.
"""

import numpy as np

from solutions.validation import as_float_array


def as_matrix(values, name, n_columns=None):
    """Return ``values`` as a non-empty, finite 2-D float array, or raise ValueError.

    The message names the argument ``name``.  ``n_columns``, when given, is the
    number of columns the array must have (for a model, the number of features
    it was fitted on).

    >>> as_matrix([[1, 2], [3, 4]], "X")
    array([[1., 2.],
           [3., 4.]])
    >>> as_matrix([1, 2], "X")
    Traceback (most recent call last):
    ...
    ValueError: `X` must be 2-D with shape (n_samples, n_features); got shape (2,)
    """
    arr = as_float_array(values, name)
    if arr.ndim != 2:
        raise ValueError(
            f"`{name}` must be 2-D with shape (n_samples, n_features); got shape {arr.shape}")
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(
            f"`{name}` is empty (shape {arr.shape}); pass at least one row and one column")
    if not np.all(np.isfinite(arr)):
        raise ValueError(
            f"`{name}` contains NaN or infinity; remove or impute those values first")
    if n_columns is not None and arr.shape[1] != n_columns:
        raise ValueError(f"`{name}` has {arr.shape[1]} columns; expected {n_columns}")
    return arr
