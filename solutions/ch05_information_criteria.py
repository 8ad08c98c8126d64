"""Reference solutions for ``ch05_information_criteria`` (book chapter 5, questions 18-19).

Each function body is copied verbatim into the source notebook's solution
region, so it may only use NumPy (imported as ``np``), the helpers of
:mod:`solutions.validation` and :mod:`solutions.ch05_information_criteria_checks`,
and the other functions of this module.
"""

import numpy as np

from solutions.ch05_information_criteria_checks import (
    as_count,
    as_degrees,
    as_finite_scalar,
)
from solutions.validation import as_float_array, check_rng, paired_arrays


def gaussian_log_likelihood_from_rss(rss, n):
    """Maximised Gaussian log-likelihood of a least-squares fit, ``-n/2 (log(2 pi rss/n) + 1)``.

    Plugging the maximum-likelihood noise variance ``rss / n`` into the normal
    log-density makes the squared-error term equal ``n / 2``, hence the ``+ 1``.

    Parameters
    ----------
    rss : float
        Residual sum of squares, positive.
    n : int
        Number of observations.

    Returns
    -------
    float

    Examples
    --------
    >>> round(gaussian_log_likelihood_from_rss(10.0, 4), 4)
    -7.5083
    """
    rss = as_finite_scalar(rss, "rss")
    n = as_count(n, "n", minimum=1)
    if rss <= 0:
        raise ValueError(
            f"`rss` must be positive; got {rss!r} (a perfect fit has an unbounded likelihood)"
        )
    return float(-n / 2 * (np.log(2 * np.pi * rss / n) + 1))


def aic(log_likelihood, k):
    """Akaike information criterion ``2k - 2 log L`` (lower is better).

    Parameters
    ----------
    log_likelihood : float
        Maximised log-likelihood of the fitted model.
    k : int
        Number of estimated parameters.

    Returns
    -------
    float

    Examples
    --------
    >>> aic(-120, 3), aic(-115, 6)
    (246.0, 242.0)
    """
    log_likelihood = as_finite_scalar(log_likelihood, "log_likelihood")
    k = as_count(k, "k")
    return float(2 * k - 2 * log_likelihood)


def bic(log_likelihood, k, n):
    """Bayesian information criterion ``k log n - 2 log L`` (lower is better).

    Parameters
    ----------
    log_likelihood : float
        Maximised log-likelihood of the fitted model.
    k : int
        Number of estimated parameters.
    n : int
        Number of observations the model was fitted to.

    Returns
    -------
    float

    Examples
    --------
    >>> round(bic(-120, 3, 50), 2), round(bic(-115, 6, 50), 2)
    (251.74, 253.47)
    """
    log_likelihood = as_finite_scalar(log_likelihood, "log_likelihood")
    k = as_count(k, "k")
    n = as_count(n, "n", minimum=1)
    return float(k * np.log(n) - 2 * log_likelihood)


def polynomial_information_criteria(x, y, degrees):
    """Log-likelihood, AIC and BIC of a least-squares polynomial fit for each degree.

    Follows statsmodels OLS: ``k = degree + 1`` counts the coefficients only
    (not the noise variance), and the log-likelihood is the maximised Gaussian
    one, computed from the residual sum of squares.

    Parameters
    ----------
    x, y : array_like
        1-D inputs and targets of the same length.
    degrees : sequence of int
        Degrees to fit, in any order; each at most ``len(x) - 2`` so that
        some residual is left.

    Returns
    -------
    dict of numpy.ndarray
        Keys ``degree``, ``k``, ``log_likelihood``, ``aic``, ``bic``, with one
        entry per degree in the order given.

    Examples
    --------
    >>> x = np.linspace(-1, 1, 9)
    >>> table = polynomial_information_criteria(x, x**2 + 0.1 * np.cos(7 * x), [0, 2])
    >>> table["k"], table["aic"].round(2)
    (array([1, 3]), array([ 11.15, -18.74]))
    """
    xs, ys = paired_arrays(x, y, "x", "y")
    if xs.ndim != 1:
        raise ValueError(f"`x` and `y` must be 1-D; got shape {xs.shape}")
    degs = as_degrees(degrees)
    n = xs.size
    if degs.max() + 2 > n:
        raise ValueError(
            f"`degrees` includes {degs.max()}, which needs at least {degs.max() + 2} points "
            f"to leave a residual; `x` has {n}"
        )
    log_likelihood = np.empty(degs.size)
    for i, degree in enumerate(degs):
        coef = np.polynomial.polynomial.polyfit(xs, ys, degree)
        rss = np.sum((ys - np.polynomial.polynomial.polyval(xs, coef)) ** 2)
        log_likelihood[i] = gaussian_log_likelihood_from_rss(rss, n)
    k = degs + 1
    return {
        "degree": degs,
        "k": k,
        "log_likelihood": log_likelihood,
        "aic": np.array([aic(ll, kk) for ll, kk in zip(log_likelihood, k, strict=True)]),
        "bic": np.array([bic(ll, kk, n) for ll, kk in zip(log_likelihood, k, strict=True)]),
    }


def kfold_indices(n, n_splits, rng):
    """Shuffled K-fold split: the test folds are ``np.array_split(rng.permutation(n), n_splits)``.

    Each example is in exactly one test fold; its training set is every
    other index (in any order; sorted here).

    Parameters
    ----------
    n : int
        Number of examples.
    n_splits : int
        Number of folds, between 2 and ``n``.
    rng : numpy.random.Generator
        Source of the shuffle (one ``rng.permutation(n)`` call).

    Returns
    -------
    list of (numpy.ndarray, numpy.ndarray)
        ``(train_idx, test_idx)`` for each fold, integer indices.

    Examples
    --------
    >>> folds = kfold_indices(5, 2, np.random.default_rng(0))
    >>> [(train.tolist(), test.tolist()) for train, test in folds]
    [([0, 1], [2, 4, 3]), ([2, 3, 4], [0, 1])]
    """
    n = as_count(n, "n", minimum=1)
    n_splits = as_count(n_splits, "n_splits", minimum=2)
    if n_splits > n:
        raise ValueError(f"`n_splits` must be at most n = {n}; got {n_splits}")
    check_rng(rng)
    test_folds = np.array_split(rng.permutation(n), n_splits)
    return [(np.setdiff1d(np.arange(n), test), test) for test in test_folds]


def cross_validated_mse(x, y, degree, n_splits, rng):
    """K-fold cross-validated MSE of a least-squares polynomial of one degree.

    The mean over folds of the test-fold MSE, each model fitted on the other
    folds; the folds are those of :func:`kfold_indices` for the same ``rng``.

    Parameters
    ----------
    x, y : array_like
        1-D inputs and targets of the same length.
    degree : int
        Polynomial degree.
    n_splits : int
        Number of folds.
    rng : numpy.random.Generator
        Source of the shuffle.

    Returns
    -------
    float

    Examples
    --------
    >>> x = np.linspace(0, 1, 12)
    >>> round(cross_validated_mse(x, 3 * x + 1, 1, 4, np.random.default_rng(0)), 12)
    0.0
    """
    xs, ys = paired_arrays(x, y, "x", "y")
    if xs.ndim != 1:
        raise ValueError(f"`x` and `y` must be 1-D; got shape {xs.shape}")
    degree = as_count(degree, "degree")
    folds = kfold_indices(xs.size, n_splits, rng)
    smallest = min(train.size for train, _ in folds)
    if degree + 1 > smallest:
        raise ValueError(
            f"`degree` {degree} has {degree + 1} coefficients but the smallest training set "
            f"has {smallest} points; lower the degree, or use more data or more folds"
        )
    fold_mse = []
    for train, test in folds:
        coef = np.polynomial.polynomial.polyfit(xs[train], ys[train], degree)
        fold_mse.append(np.mean((ys[test] - np.polynomial.polynomial.polyval(xs[test], coef)) ** 2))
    return float(np.mean(fold_mse))


def select_degree(degrees, scores):
    """The degree with the lowest score (AIC, BIC or CV error); ties go to the smallest degree.

    Parameters
    ----------
    degrees : sequence of int
        Candidate degrees, in any order.
    scores : array_like
        One score per degree; lower is better.

    Returns
    -------
    int

    Examples
    --------
    >>> select_degree([3, 1, 2], [10.0, 12.0, 10.0])
    2
    """
    degs = as_degrees(degrees)
    vals = as_float_array(scores, "scores")
    if vals.shape != degs.shape:
        raise ValueError(
            f"`scores` must have one entry per degree; got shape {vals.shape} "
            f"for {degs.size} degrees"
        )
    if np.any(np.isnan(vals)):
        raise ValueError("`scores` contains NaN; every candidate degree needs a score")
    return int(np.min(degs[vals == np.min(vals)]))
