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


def check_count(value, name, minimum=0):
    """Return ``value`` as an int, or raise ValueError unless it is an integer >= ``minimum``.

    >>> check_count(2.5, "n_epochs")
    Traceback (most recent call last):
    ...
    ValueError: `n_epochs` must be an integer >= 0; got 2.5
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"`{name}` must be an integer >= {minimum}; got {value!r}")
    return int(value)


def check_rng(rng):
    """Raise ValueError unless ``rng`` is a ``numpy.random.Generator``.

    >>> check_rng(42)
    Traceback (most recent call last):
    ...
    ValueError: `rng` must be a numpy.random.Generator such as np.random.default_rng(42); got int
    """
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            "`rng` must be a numpy.random.Generator such as np.random.default_rng(42); "
            f"got {type(rng).__name__}"
        )
