"""Reference solutions for ``ch06_statistical_testing`` (book chapter 6, questions 20-22).

Each function body is copied verbatim into the source notebook's solution
region, so it may only use NumPy (``np``), ``scipy.stats`` (imported as in the
notebook's set-up cell), the validation helpers and the other functions of
this module.
"""

import numpy as np
import scipy.stats

from solutions.ch06_statistical_testing_checks import (
    check_alpha,
    check_alternative,
    paired_differences,
)
from solutions.validation import as_count, as_float_array


def simulated_p_value(null_statistics, observed, alternative="two-sided"):
    """Fraction of simulated null statistics at least as extreme as the observed one.

    Parameters
    ----------
    null_statistics : array_like
        Test statistics simulated under the null hypothesis, shape ``(B,)``.
    observed : float
        The statistic computed on the real data.
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
        Two-sided counts ``|T| >= |observed|``, greater ``T >= observed``,
        less ``T <= observed``.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``alternative`` is not "two-sided", "greater" or "less".

    Examples
    --------
    >>> simulated_p_value([-3.0, -1.0, 0.0, 2.0, 5.0], 2.0)
    0.6
    >>> simulated_p_value([-3.0, -1.0, 0.0, 2.0, 5.0], 2.0, alternative="greater")
    0.4
    """
    check_alternative(alternative)
    null = as_float_array(null_statistics, "null_statistics")
    if null.ndim != 1 or null.size == 0:
        raise ValueError(
            f"`null_statistics` must be a non-empty 1-D array; got shape {null.shape}"
        )
    observed = float(observed)
    if not (np.isfinite(observed) and np.all(np.isfinite(null))):
        raise ValueError("`null_statistics` and `observed` must be finite numbers")
    if alternative == "two-sided":
        extreme = np.abs(null) >= abs(observed)
    elif alternative == "greater":
        extreme = null >= observed
    else:
        extreme = null <= observed
    return float(np.mean(extreme))


def paired_permutation_test(scores_a, scores_b, n_resamples, rng, alternative="two-sided"):
    """Monte-Carlo sign-flip test of paired scores, statistic ``mean(a - b)``.

    Under the null hypothesis the two models are exchangeable within each
    pair, so each difference is equally likely to have either sign.  The
    p-value ``(1 + #{resampled statistics at least as extreme}) / (1 + B)``
    counts the observed sign pattern as one of the resamples, so it is never
    0 and the test never rejects more often than ``alpha`` under the null.
    Resampled statistics within ``1e-9 * mean(|d|)`` of the observed one count
    as ties (at least as extreme), so rounding cannot drop them.

    Parameters
    ----------
    scores_a, scores_b : array_like
        Scores of the two models on the same folds, shape ``(n,)``.
    n_resamples : int
        Number ``B`` of random sign patterns.
    rng : numpy.random.Generator
        Source of every random draw.
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
        "greater" tests whether model A scores higher.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``alternative`` is not "two-sided", "greater" or "less", if
        ``n_resamples < 1``, or if ``scores_a`` and ``scores_b`` differ in length.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> paired_permutation_test([0.86, 0.84, 0.88], [0.86, 0.84, 0.88], 99, rng)
    1.0
    """
    check_alternative(alternative)
    as_count(n_resamples, "n_resamples", 1)
    d = paired_differences(scores_a, scores_b)
    observed = np.mean(d)
    signs = 2.0 * rng.integers(0, 2, size=(n_resamples, d.size)) - 1.0
    resampled = signs @ d / d.size
    tie = 1e-9 * np.mean(np.abs(d))
    if alternative == "two-sided":
        extreme = np.abs(resampled) >= abs(observed) - tie
    elif alternative == "greater":
        extreme = resampled >= observed - tie
    else:
        extreme = resampled <= observed + tie
    return float((1 + np.count_nonzero(extreme)) / (1 + n_resamples))


def exact_paired_permutation_p_value(scores_a, scores_b, alternative="two-sided"):
    """Exact sign-flip p-value: enumerate all ``2**n`` sign patterns of ``d = a - b``.

    The statistic is ``mean(d)``; the p-value is the fraction of patterns
    (the observed one included) whose statistic is at least as extreme, with
    the same tie rule as :func:`paired_permutation_test`.

    Parameters
    ----------
    scores_a, scores_b : array_like
        Scores of the two models on the same folds, shape ``(n,)``.
    alternative : {"two-sided", "greater", "less"}, default "two-sided"

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If there are more than 20 folds (``2**21`` patterns and more take too
        long; use :func:`paired_permutation_test`), or if ``alternative`` is not
        "two-sided", "greater" or "less".

    Examples
    --------
    Model B wins all five folds, yet two of the 32 patterns are as extreme:

    >>> exact_paired_permutation_p_value([0.84, 0.86, 0.85, 0.83, 0.87],
    ...                                  [0.86, 0.88, 0.87, 0.86, 0.88])
    0.0625
    """
    check_alternative(alternative)
    d = paired_differences(scores_a, scores_b)
    if d.size > 20:
        raise ValueError(
            f"`scores_a` has {d.size} pairs; enumerating 2**n sign patterns needs n <= 20 "
            "(use paired_permutation_test instead)"
        )
    sums = np.zeros(1)
    for value in d:  # after k steps: the sums of all 2**k sign patterns of d[:k]
        sums = np.concatenate([sums + value, sums - value])
    statistics = sums / d.size
    observed = np.mean(d)
    tie = 1e-9 * np.mean(np.abs(d))
    if alternative == "two-sided":
        extreme = np.abs(statistics) >= abs(observed) - tie
    elif alternative == "greater":
        extreme = statistics >= observed - tie
    else:
        extreme = statistics <= observed + tie
    return float(np.mean(extreme))


def paired_t_test(scores_a, scores_b, alternative="two-sided"):
    """Paired t-test of ``mean(a - b) = 0``; the same result as ``scipy.stats.ttest_rel``.

    ``t = mean(d) / (s_d / sqrt(n))`` with the sample standard deviation
    ``s_d`` (ddof=1), referred to Student's t with ``n - 1`` degrees of freedom.

    Parameters
    ----------
    scores_a, scores_b : array_like
        Paired scores, shape ``(n,)``.
    alternative : {"two-sided", "greater", "less"}, default "two-sided"

    Returns
    -------
    tuple of float
        ``(t_statistic, p_value)``.

    Raises
    ------
    ValueError
        If there are fewer than 2 pairs (one difference has no standard
        deviation), if ``scores_a`` and ``scores_b`` differ in length, or if
        ``alternative`` is not "two-sided", "greater" or "less".

    Examples
    --------
    >>> t, p = paired_t_test([0.84, 0.86, 0.85, 0.83, 0.87], [0.86, 0.88, 0.87, 0.86, 0.88])
    >>> round(t, 3), round(p, 4)
    (-6.325, 0.0032)
    """
    check_alternative(alternative)
    d = paired_differences(scores_a, scores_b)
    if d.size < 2:
        raise ValueError("a paired t-test needs at least 2 pairs of scores to estimate the variance")
    df = d.size - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        t_statistic = np.mean(d) / (np.std(d, ddof=1) / np.sqrt(d.size))
    if alternative == "two-sided":
        p_value = 2 * scipy.stats.t.sf(abs(t_statistic), df)
    elif alternative == "greater":
        p_value = scipy.stats.t.sf(t_statistic, df)
    else:
        p_value = scipy.stats.t.cdf(t_statistic, df)
    return float(t_statistic), float(p_value)


def z_critical_value(alpha, alternative="two-sided"):
    """Critical value of a z-test at significance level ``alpha``.

    Two-sided tests reject when ``|Z| >= z_{1 - alpha/2}``, "greater" when
    ``Z >= z_{1 - alpha}`` and "less" when ``Z <= z_alpha`` (a negative number).

    Parameters
    ----------
    alpha : float
        Significance level.
    alternative : {"two-sided", "greater", "less"}, default "two-sided"

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``alpha`` is not strictly between 0 and 1 (5 is a percentage, not a
        level), or if ``alternative`` is not "two-sided", "greater" or "less".

    Examples
    --------
    >>> round(z_critical_value(0.05, "greater"), 3)
    1.645
    >>> round(z_critical_value(0.05), 3)
    1.96
    """
    check_alpha(alpha)
    check_alternative(alternative)
    if alternative == "two-sided":
        return float(scipy.stats.norm.isf(alpha / 2))
    if alternative == "greater":
        return float(scipy.stats.norm.isf(alpha))
    return float(scipy.stats.norm.ppf(alpha))


def z_test_power(effect_size, alpha, alternative="two-sided"):
    """Power of a z-test whose statistic is ``N(effect_size, 1)`` under the alternative.

    The probability that the statistic lands in the rejection region defined
    by :func:`z_critical_value`; both tails count for a two-sided test.

    Parameters
    ----------
    effect_size : float
        Mean of the test statistic under H1 (0 gives power ``alpha``).
    alpha : float
        Significance level.
    alternative : {"two-sided", "greater", "less"}, default "two-sided"

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``alpha`` is not strictly between 0 and 1, or if ``alternative`` is
        not "two-sided", "greater" or "less".

    Examples
    --------
    >>> round(z_test_power(2.0, 0.05, "greater"), 3)
    0.639
    """
    effect_size = float(effect_size)
    if not np.isfinite(effect_size):
        raise ValueError(f"`effect_size` must be a finite number; got {effect_size!r}")
    z = z_critical_value(alpha, alternative)
    if alternative == "two-sided":
        return float(scipy.stats.norm.sf(z - effect_size) + scipy.stats.norm.cdf(-z - effect_size))
    if alternative == "greater":
        return float(scipy.stats.norm.sf(z - effect_size))
    return float(scipy.stats.norm.cdf(z - effect_size))


def type_one_error_rate(n_simulations, sample_size, alpha, rng):
    """Simulated type I error rate of the two-sided one-sample t-test.

    Draws ``n_simulations`` samples of ``sample_size`` values from ``N(0, 1)``
    (so the null hypothesis ``mean = 0`` is true), tests each, and returns the
    fraction with ``p < alpha``: a correct test gives about ``alpha``.

    Parameters
    ----------
    n_simulations : int
        Number of simulated data sets.
    sample_size : int
        Observations per data set.
    alpha : float
        Significance level.
    rng : numpy.random.Generator
        Source of every random draw.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``n_simulations < 1``, if ``sample_size < 2`` (a t-test needs a
        standard deviation), or if ``alpha`` is not strictly between 0 and 1.

    Examples
    --------
    >>> rate = type_one_error_rate(20_000, 10, 0.05, np.random.default_rng(0))
    >>> abs(rate - 0.05) < 0.01
    True
    """
    as_count(n_simulations, "n_simulations", 1)
    as_count(sample_size, "sample_size", 2)
    check_alpha(alpha)
    samples = rng.standard_normal((n_simulations, sample_size))
    t_statistics = samples.mean(axis=1) / (samples.std(axis=1, ddof=1) / np.sqrt(sample_size))
    p_values = 2 * scipy.stats.t.sf(np.abs(t_statistics), sample_size - 1)
    return float(np.mean(p_values < alpha))
