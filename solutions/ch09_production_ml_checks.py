"""Validation helpers of ``ch09_production_ml`` that the notebook's provided cell receives."""

import numpy as np


def check_positive_int(value, name):
    """Raise ValueError naming ``name`` unless ``value`` is an integer of at least 1.

    >>> check_positive_int(0, "batch_size")
    Traceback (most recent call last):
    ...
    ValueError: `batch_size` must be a positive integer; got 0
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"`{name}` must be a positive integer; got {value!r}")
