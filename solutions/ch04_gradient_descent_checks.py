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


def parameter_vector(theta0):
    """Return the starting point as a float vector; a scalar becomes shape ``(1,)``.

    >>> parameter_vector(3)
    array([3.])
    >>> parameter_vector([[1, 2]])
    Traceback (most recent call last):
    ...
    ValueError: `theta0` must be a number or a non-empty 1-D array; got shape (1, 2)
    """
    theta = as_float_array(theta0, "theta0")
    if theta.ndim > 1 or theta.size == 0:
        raise ValueError(
            f"`theta0` must be a number or a non-empty 1-D array; got shape {theta.shape}"
        )
    return theta.reshape(-1)


def gradient_at(grad, theta):
    """Call ``grad(theta)`` and return a float array shaped like ``theta``, or raise ValueError.

    >>> gradient_at(lambda t: [1.0, 2.0], np.zeros(3))
    Traceback (most recent call last):
    ...
    ValueError: `grad` returned shape (2,) for parameters of shape (3,); it must return one ...
    """
    gradient = np.asarray(grad(theta), dtype=float)
    if gradient.shape != theta.shape:
        raise ValueError(
            f"`grad` returned shape {gradient.shape} for parameters of shape {theta.shape}; "
            "it must return one partial derivative per parameter"
        )
    return gradient


def check_decay(value, name):
    """Return a decay rate (momentum, an Adam beta) as a float in [0, 1), or raise ValueError.

    >>> check_decay(1.0, "momentum")
    Traceback (most recent call last):
    ...
    ValueError: `momentum` must lie in [0, 1); got 1.0
    """
    rate = float(value)
    if not 0 <= rate < 1:
        raise ValueError(f"`{name}` must lie in [0, 1); got {value!r}")
    return rate
