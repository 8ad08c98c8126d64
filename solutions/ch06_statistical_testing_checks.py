"""Input validation for ``ch06_statistical_testing``.

Like :mod:`solutions.validation`, every helper names the offending argument and
says what it should be; the notebook build copies the helpers the solutions use
into a read-only cell, so each one is self-contained apart from
:func:`solutions.validation.as_float_array`.
"""

import numpy as np

from solutions.validation import as_float_array


def check_alternative(alternative):
    """Raise ValueError unless ``alternative`` is "two-sided", "greater" or "less".

    >>> check_alternative("two_sided")
    Traceback (most recent call last):
    ...
    ValueError: `alternative` must be 'two-sided', 'greater' or 'less'; got 'two_sided'
    """
    if not isinstance(alternative, str) or alternative not in ("two-sided", "greater", "less"):
        raise ValueError(
            f"`alternative` must be 'two-sided', 'greater' or 'less'; got {alternative!r}"
        )


def check_alpha(alpha):
    """Raise ValueError unless the significance level satisfies 0 < alpha < 1.

    >>> check_alpha(5)
    Traceback (most recent call last):
    ...
    ValueError: `alpha` must satisfy 0 < alpha < 1 (e.g. 0.05); got 5
    """
    if not 0 < alpha < 1:
        raise ValueError(f"`alpha` must satisfy 0 < alpha < 1 (e.g. 0.05); got {alpha!r}")




def paired_differences(scores_a, scores_b):
    """Differences ``a - b`` of two finite 1-D score arrays of the same length.

    >>> paired_differences([0.9, 0.8], [0.7, 0.8])
    array([0.2, 0. ])
    >>> paired_differences([0.9, 0.8], [0.7])
    Traceback (most recent call last):
    ...
    ValueError: `scores_a` and `scores_b` must be 1-D with one score per fold; got shapes (2,) and (1,)
    """
    a, b = as_float_array(scores_a, "scores_a"), as_float_array(scores_b, "scores_b")
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(
            "`scores_a` and `scores_b` must be 1-D with one score per fold; "
            f"got shapes {a.shape} and {b.shape}"
        )
    if a.size == 0:
        raise ValueError("`scores_a` and `scores_b` are empty; pass at least one pair of scores")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError("`scores_a` and `scores_b` must be finite; remove NaN or infinite scores")
    return a - b
