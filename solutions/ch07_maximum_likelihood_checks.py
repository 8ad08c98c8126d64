"""Input validation for ``ch07_maximum_likelihood``.

The notebook build copies the helpers that the chapter 7 solutions call into
the read-only "provided helpers" cell, so each one uses NumPy only and names
the offending argument in its error message.
"""

import numpy as np

from solutions.validation import as_float_array


def as_sample(values, name):
    """Return ``values`` as a non-empty 1-D float array of finite numbers.

    One entry per observation; raises ValueError naming ``name`` otherwise.

    >>> as_sample([1, 2.5], "data")
    array([1. , 2.5])
    >>> as_sample([], "data")
    Traceback (most recent call last):
    ...
    ValueError: `data` is empty; pass at least one observation
    """
    sample = as_float_array(values, name)
    if sample.ndim != 1:
        raise ValueError(f"`{name}` must be 1-D, one value per observation; got {sample.shape}")
    if sample.size == 0:
        raise ValueError(f"`{name}` is empty; pass at least one observation")
    if not np.all(np.isfinite(sample)):
        raise ValueError(f"`{name}` contains NaN or infinity; remove or impute those values")
    return sample


def as_number(value, name, positive=False):
    """Return ``value`` as a finite float (positive if asked), or raise ValueError naming ``name``.

    >>> as_number(2, "sigma", positive=True)
    2.0
    >>> as_number(0.0, "sigma", positive=True)
    Traceback (most recent call last):
    ...
    ValueError: `sigma` must be a positive finite number; got 0.0
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"`{name}` must be a single number; got {type(value).__name__}") from None
    kind = "positive finite" if positive else "finite"
    if not np.isfinite(number) or (positive and number <= 0):
        raise ValueError(f"`{name}` must be a {kind} number; got {number!r}")
    return number
