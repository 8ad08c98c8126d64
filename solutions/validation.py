"""Input validation shared by the reference solutions.

Every helper names the offending argument and says how to fix it, so that a
learner who calls a reference function with bad input sees what went wrong.
The notebook build copies the helpers a solution uses into a read-only cell.
"""

import numpy as np


def as_float_array(values, name):
    """Return ``values`` as a float ndarray, or raise ValueError naming ``name``.

    >>> as_float_array([1, 2], "x")
    array([1., 2.])
    """
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"`{name}` must contain only numbers; could not convert it to floats") from None


def paired_arrays(a, b, name_a, name_b):
    """Convert two non-empty arrays of the same shape to floats.

    >>> paired_arrays([1, 2], [3], "y_true", "y_pred")
    Traceback (most recent call last):
    ...
    ValueError: `y_true` and `y_pred` must have the same shape; got (2,) and (1,)
    """
    a_arr, b_arr = as_float_array(a, name_a), as_float_array(b, name_b)
    if a_arr.shape != b_arr.shape:
        raise ValueError(
            f"`{name_a}` and `{name_b}` must have the same shape; got {a_arr.shape} and {b_arr.shape}"
        )
    if a_arr.size == 0:
        raise ValueError(f"`{name_a}` and `{name_b}` are empty; pass at least one value")
    return a_arr, b_arr


def check_probabilities(p, name):
    """Raise ValueError unless every entry of the float array ``p`` lies in [0, 1].

    >>> check_probabilities(np.array([0.2, 1.5]), "p_pred")
    Traceback (most recent call last):
    ...
    ValueError: `p_pred` must lie in [0, 1]; got min=0.2, max=1.5
    """
    if p.size and not np.all((p >= 0) & (p <= 1)):
        raise ValueError(f"`{name}` must lie in [0, 1]; got min={np.min(p):.3g}, max={np.max(p):.3g}")


def check_eps(eps):
    """Raise ValueError unless the clipping constant satisfies 0 <= eps < 0.5."""
    if not 0 <= eps < 0.5:
        raise ValueError(f"`eps` must satisfy 0 <= eps < 0.5; got {eps!r}")


def as_count(value, name, minimum=0):
    """Return ``value`` as a Python int, or raise ValueError unless it is an integer >= ``minimum``.

    NumPy integers count; bools and floats (even ``3.0``) do not.

    >>> as_count(np.int64(3), "degree")
    3
    >>> as_count(2.5, "n_epochs")
    Traceback (most recent call last):
    ...
    ValueError: `n_epochs` must be an integer >= 0; got 2.5
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer) or value < minimum:
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
