"""Input validation for the gradient-descent solutions of ``ch04_gradient_descent``.

Like :mod:`solutions.validation`, every helper names the offending argument and
says how to fix it.  The notebook build copies the helpers the solutions call
into the read-only "provided helpers" cell, so each one uses only NumPy (as
``np``) and the helpers of :mod:`solutions.validation`.
"""

import numpy as np

from solutions.validation import as_float_array


def regression_data(X, y):
    """Return ``(X, y)`` as a float ``(n, d)`` matrix and an ``(n,)`` vector.

    A 1-D ``X`` is a single feature column, as in the book's ``X = [1, 2, 3, 4]``.

    >>> X, y = regression_data([1, 2, 3], [2, 4, 6])
    >>> X.shape, y.shape
    ((3, 1), (3,))
    >>> regression_data([[1, 2], [3, 4]], [1, 2, 3])
    Traceback (most recent call last):
    ...
    ValueError: `X` has 2 rows but `y` has shape (3,); pass one target per row of `X`
    """
    features = as_float_array(X, "X")
    targets = as_float_array(y, "y")
    if features.ndim == 1:
        features = features[:, np.newaxis]
    if features.ndim != 2:
        raise ValueError(f"`X` must be 1-D or 2-D (examples x features); got {features.shape}")
    if targets.shape != (features.shape[0],):
        raise ValueError(
            f"`X` has {features.shape[0]} rows but `y` has shape {targets.shape}; "
            "pass one target per row of `X`"
        )
    if targets.size == 0:
        raise ValueError("`X` and `y` are empty; pass at least one example")
    return features, targets


def check_learning_rate(learning_rate):
    """Return the learning rate as a float, or raise ValueError unless it is positive and finite.

    >>> check_learning_rate(0)
    Traceback (most recent call last):
    ...
    ValueError: `learning_rate` must be a positive number; got 0
    """
    rate = float(learning_rate)
    if not (np.isfinite(rate) and rate > 0):
        raise ValueError(f"`learning_rate` must be a positive number; got {learning_rate!r}")
    return rate
