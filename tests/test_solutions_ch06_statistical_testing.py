"""Reference solutions of ch06_statistical_testing against independent oracles.

SciPy's ``permutation_test`` is an exact oracle only on integer data (on
decimal data its tie rule may differ from the contract's); ``ttest_rel``,
``ttest_1samp``, ``norm`` and statsmodels' ``normal_power`` compute the same
quantities by their own code paths.
"""

import numpy as np
import pytest
import scipy.stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import normal_power
from statsmodels.stats.weightstats import DescrStatsW

from solutions import ch06_statistical_testing as sol
from solutions.validation import as_count

ALTERNATIVES = ("two-sided", "greater", "less")
BOOK_A = [0.84, 0.86, 0.85, 0.83, 0.87]  # model A, mean accuracy 0.85
BOOK_B = [0.86, 0.88, 0.87, 0.86, 0.88]  # model B, mean accuracy 0.87


def integer_folds(seed, n):
    """Paired integer scores (correct answers per fold): ties everywhere, exact arithmetic."""
    rng = np.random.default_rng(seed)
    b = rng.integers(30, 45, n).astype(float)
    return b + rng.integers(-2, 4, n), b


def scipy_sign_flip_p_value(a, b, alternative):
    """SciPy's exact paired permutation p-value of mean(a - b)."""
    result = scipy.stats.permutation_test(
        (a, b), lambda x, y, axis: np.mean(x - y, axis=axis), permutation_type="samples",
        vectorized=True, n_resamples=np.inf, alternative=alternative)
    return result.pvalue


# --- simulated_p_value ------------------------------------------------------------


def test_simulated_p_value_matches_the_book_listing():
    """Does a large standard-normal null reproduce 2 * (1 - Phi(2)) for observed 2.0?"""
    null = np.random.default_rng(0).normal(0, 1, 400_000)
    # sd of the estimate is sqrt(0.0455 * 0.9545 / 4e5) = 3.3e-4; 2e-3 is six of them.
    assert sol.simulated_p_value(null, 2.0) == pytest.approx(2 * scipy.stats.norm.sf(2.0), abs=2e-3)


@pytest.mark.parametrize("alternative", ALTERNATIVES)
@pytest.mark.parametrize("observed", [-3.0, -1.0, 0.0, 2.0, 2.5])
def test_simulated_p_value_against_percentileofscore(alternative, observed):
    """Does it count ties as extreme, exactly like SciPy's percentile of score?"""
    null = np.random.default_rng(1).integers(-5, 6, 300).astype(float)
    if alternative == "two-sided":
        expected = 1 - scipy.stats.percentileofscore(np.abs(null), abs(observed), kind="strict") / 100
    elif alternative == "greater":
        expected = 1 - scipy.stats.percentileofscore(null, observed, kind="strict") / 100
    else:
        expected = scipy.stats.percentileofscore(null, observed, kind="weak") / 100
    assert sol.simulated_p_value(null, observed, alternative) == pytest.approx(expected, abs=1e-12)


def test_simulated_p_value_bad_input():
    with pytest.raises(ValueError, match="`alternative` must be 'two-sided', 'greater' or 'less'"):
        sol.simulated_p_value([1.0, 2.0], 1.0, alternative="two_sided")
    with pytest.raises(ValueError, match="`null_statistics` must be a non-empty 1-D array"):
        sol.simulated_p_value([], 1.0)
    with pytest.raises(ValueError, match="must be finite"):
        sol.simulated_p_value([1.0, np.nan], 1.0)


# --- exact_paired_permutation_p_value --------------------------------------------


@pytest.mark.parametrize("alternative", ALTERNATIVES)
@pytest.mark.parametrize("seed, n", [(0, 2), (1, 4), (2, 7), (3, 10), (4, 12)])
def test_exact_p_value_against_scipy_permutation_test(seed, n, alternative):
    """Does the enumeration agree with SciPy's exact test on integer scores?"""
    a, b = integer_folds(seed, n)
    assert sol.exact_paired_permutation_p_value(a, b, alternative) == pytest.approx(
        scipy_sign_flip_p_value(a, b, alternative), rel=1e-12)


def test_exact_p_value_on_the_book_folds():
    """Are 2 (two-sided) and 1 (one-sided) of the 32 patterns as extreme as B winning every fold?"""
    assert sol.exact_paired_permutation_p_value(BOOK_A, BOOK_B) == pytest.approx(2 / 32)
    assert sol.exact_paired_permutation_p_value(BOOK_A, BOOK_B, "less") == pytest.approx(1 / 32)
    assert sol.exact_paired_permutation_p_value(BOOK_A, BOOK_B, "greater") == pytest.approx(1.0)


def test_exact_p_value_on_decimal_scores_keeps_the_observed_pattern():
    """With rounding noise, are the observed pattern and its mirror still counted?"""
    rng = np.random.default_rng(5)
    b = rng.uniform(0.7, 0.9, 20)
    a = b + rng.uniform(0.001, 0.03, 20)  # A wins all 20 folds
    assert sol.exact_paired_permutation_p_value(a, b) == 2 / 2**20
    assert sol.exact_paired_permutation_p_value(b, a, "less") == 1 / 2**20


def test_exact_p_value_of_a_single_fold():
    """One fold: the mean is +-d with equal chance, so the two-sided p-value is 1."""
    assert sol.exact_paired_permutation_p_value([0.91], [0.86]) == 1.0
    assert sol.exact_paired_permutation_p_value([0.91], [0.86], "greater") == 0.5


def test_exact_p_value_bad_input():
    with pytest.raises(ValueError, match="needs n <= 20"):
        sol.exact_paired_permutation_p_value(np.arange(21.0), np.zeros(21))
    with pytest.raises(ValueError, match="must be 1-D with one score per fold"):
        sol.exact_paired_permutation_p_value([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="`alternative` must be"):
        sol.exact_paired_permutation_p_value([1.0], [2.0], "both")


# --- paired_permutation_test ------------------------------------------------------


def bernstein_radius(p, n_draws, failure_probability=1e-8):
    """Half-width that a mean of n Bernoulli(p) draws leaves with the given probability."""
    log_term = np.log(2 / failure_probability)
    return (log_term / 3 + np.sqrt((log_term / 3) ** 2 + 2 * n_draws * p * (1 - p) * log_term)) / n_draws


@pytest.mark.parametrize("alternative", ALTERNATIVES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_monte_carlo_p_value_is_near_the_exact_one(seed, alternative):
    """Is (1 + K) / (1 + B) within a Bernstein bound (plus 1/(B+1)) of the exact p-value?"""
    a, b = integer_folds(10 + seed, 12)
    exact = scipy_sign_flip_p_value(a, b, alternative)
    got = sol.paired_permutation_test(a, b, 20_000, np.random.default_rng(seed), alternative)
    assert abs(got - exact) <= bernstein_radius(exact, 20_000) + 1 / 20_001


def test_monte_carlo_p_value_has_the_plus_one_correction():
    """Is the p-value (1 + K) / (1 + B), so never below 1 / (B + 1)?"""
    a = np.arange(1.0, 41.0)  # A wins all 40 folds: no random pattern is as extreme
    got = sol.paired_permutation_test(a, np.zeros(40), 999, np.random.default_rng(0))
    assert got == 1 / 1000
    p = sol.paired_permutation_test(BOOK_A, BOOK_B, 999, np.random.default_rng(1))
    assert p * 1000 == pytest.approx(round(p * 1000), abs=1e-9)


def test_monte_carlo_p_value_counts_ties():
    """Do identical scores (mean difference 0, every pattern tied) give p = 1?"""
    assert sol.paired_permutation_test(BOOK_A, BOOK_A, 500, np.random.default_rng(0)) == 1.0


def test_monte_carlo_p_value_is_reproducible_from_rng():
    """Does the same seed give the same p-value, whatever NumPy's global state?"""
    np.random.seed(1)
    first = sol.paired_permutation_test(BOOK_A, BOOK_B, 2000, np.random.default_rng(3))
    np.random.seed(2)
    assert sol.paired_permutation_test(BOOK_A, BOOK_B, 2000, np.random.default_rng(3)) == first


def test_monte_carlo_p_value_bad_input():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="`n_resamples` must be an integer >= 1"):
        sol.paired_permutation_test(BOOK_A, BOOK_B, 0, rng)
    with pytest.raises(ValueError, match="must be 1-D with one score per fold"):
        sol.paired_permutation_test(BOOK_A, BOOK_B[:-1], 10, rng)
    with pytest.raises(ValueError, match="`alternative` must be"):
        sol.paired_permutation_test(BOOK_A, BOOK_B, 10, rng, alternative="greater-than")
    with pytest.raises(ValueError, match="must be finite"):
        sol.paired_permutation_test([0.8, np.nan], [0.7, 0.7], 10, rng)


# --- paired_t_test ----------------------------------------------------------------


@pytest.mark.parametrize("alternative", ALTERNATIVES)
@pytest.mark.parametrize("seed, n", [(0, 2), (1, 5), (2, 10), (3, 40)])
def test_paired_t_test_against_ttest_rel(seed, n, alternative):
    rng = np.random.default_rng(seed)
    a = rng.normal(0.85, 0.02, n)
    b = a + rng.normal(0.005, 0.01, n)
    expected = scipy.stats.ttest_rel(a, b, alternative=alternative)
    t_stat, p_value = sol.paired_t_test(a, b, alternative)
    assert t_stat == pytest.approx(expected.statistic, rel=1e-12)
    assert p_value == pytest.approx(expected.pvalue, rel=1e-10)


@pytest.mark.parametrize("alternative, statsmodels_name", [
    ("two-sided", "two-sided"), ("greater", "larger"), ("less", "smaller")])
def test_paired_t_test_against_statsmodels(alternative, statsmodels_name):
    t_stat, p_value = sol.paired_t_test(BOOK_A, BOOK_B, alternative)
    expected_t, expected_p, _ = DescrStatsW(np.subtract(BOOK_A, BOOK_B)).ttest_mean(0, statsmodels_name)
    assert (t_stat, p_value) == pytest.approx((expected_t, expected_p), rel=1e-10)


def test_paired_t_test_book_numbers():
    t_stat, p_value = sol.paired_t_test(BOOK_A, BOOK_B)
    assert t_stat == pytest.approx(-6.3246, abs=1e-4)
    assert p_value == pytest.approx(0.0032, abs=1e-4)
    assert isinstance(t_stat, float) and isinstance(p_value, float)


def test_paired_t_test_bad_input():
    with pytest.raises(ValueError, match="at least 2 pairs"):
        sol.paired_t_test([0.9], [0.8])
    with pytest.raises(ValueError, match="must be 1-D with one score per fold"):
        sol.paired_t_test([[0.9, 0.8]], [[0.8, 0.7]])
    with pytest.raises(ValueError, match="`alternative` must be"):
        sol.paired_t_test(BOOK_A, BOOK_B, "larger")


# --- z_critical_value and z_test_power --------------------------------------------


@pytest.mark.parametrize("alpha", [0.001, 0.01, 0.05, 0.1, 0.5])
def test_z_critical_value_against_norm_ppf(alpha):
    norm = scipy.stats.norm
    assert sol.z_critical_value(alpha) == pytest.approx(norm.ppf(1 - alpha / 2), rel=1e-9)
    assert sol.z_critical_value(alpha, "greater") == pytest.approx(norm.ppf(1 - alpha), rel=1e-9, abs=1e-12)
    assert sol.z_critical_value(alpha, "less") == pytest.approx(norm.ppf(alpha), rel=1e-9, abs=1e-12)


def test_z_critical_value_book_numbers():
    assert sol.z_critical_value(0.05, "greater") == pytest.approx(1.645, abs=5e-4)
    assert sol.z_critical_value(0.05) == pytest.approx(1.960, abs=5e-4)


def test_z_critical_value_bad_input():
    with pytest.raises(ValueError, match="`alpha` must satisfy 0 < alpha < 1"):
        sol.z_critical_value(5)
    with pytest.raises(ValueError, match="`alternative` must be"):
        sol.z_critical_value(0.05, "right")


@pytest.mark.parametrize("alternative, statsmodels_name", [
    ("two-sided", "two-sided"), ("greater", "larger"), ("less", "smaller")])
@pytest.mark.parametrize("effect", [-2.0, -0.5, 0.0, 1.0, 2.0, 3.5])
@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.1])
def test_z_test_power_against_statsmodels(effect, alpha, alternative, statsmodels_name):
    expected = normal_power(effect, 1, alpha, alternative=statsmodels_name)
    assert sol.z_test_power(effect, alpha, alternative) == pytest.approx(expected, rel=1e-9, abs=1e-14)


def test_z_test_power_book_numbers():
    """Figure 6.2: effect 2, one-sided 5 % test; power at no effect is alpha."""
    assert sol.z_test_power(2.0, 0.05, "greater") == pytest.approx(0.639, abs=5e-4)
    assert sol.z_test_power(0.0, 0.05) == pytest.approx(0.05)
    assert sol.z_test_power(2.0, 0.05) < sol.z_test_power(2.0, 0.05, "greater")


def test_z_test_power_bad_input():
    with pytest.raises(ValueError, match="`effect_size` must be a finite number"):
        sol.z_test_power(np.inf, 0.05)
    with pytest.raises(ValueError, match="`alpha` must satisfy"):
        sol.z_test_power(2.0, 0.0)


# --- type_one_error_rate ----------------------------------------------------------


def test_type_one_error_rate_against_ttest_1samp():
    """Is it the rejection rate of scipy's t-test on the same draws?"""
    samples = np.random.default_rng(4).standard_normal((5000, 6))
    expected = np.mean(scipy.stats.ttest_1samp(samples, 0.0, axis=1).pvalue < 0.05)
    assert sol.type_one_error_rate(5000, 6, 0.05, np.random.default_rng(4)) == pytest.approx(expected)


@pytest.mark.parametrize("sample_size, alpha", [(2, 0.05), (3, 0.1), (10, 0.01), (50, 0.05)])
def test_type_one_error_rate_is_close_to_alpha(sample_size, alpha):
    rate = sol.type_one_error_rate(40_000, sample_size, alpha, np.random.default_rng(sample_size))
    assert abs(rate - alpha) <= bernstein_radius(alpha, 40_000)


def test_type_one_error_rate_is_reproducible_from_rng():
    np.random.seed(1)
    first = sol.type_one_error_rate(1000, 5, 0.05, np.random.default_rng(9))
    np.random.seed(2)
    assert sol.type_one_error_rate(1000, 5, 0.05, np.random.default_rng(9)) == first


def test_type_one_error_rate_bad_input():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="`sample_size` must be an integer >= 2"):
        sol.type_one_error_rate(100, 1, 0.05, rng)
    with pytest.raises(ValueError, match="`n_simulations` must be an integer >= 1"):
        sol.type_one_error_rate(10.5, 5, 0.05, rng)
    with pytest.raises(ValueError, match="`alpha` must satisfy"):
        sol.type_one_error_rate(100, 5, 1.0, rng)


def test_as_count_accepts_numpy_integers_and_rejects_bools():
    as_count(np.int64(3), "n_resamples", 1)
    with pytest.raises(ValueError, match="`n_resamples` must be an integer >= 1; got True"):
        as_count(True, "n_resamples", 1)


# --- paired_confidence_interval ---------------------------------------------------


@pytest.mark.parametrize("confidence", [0.5, 0.8, 0.9, 0.95, 0.99])
@pytest.mark.parametrize("seed, n", [(0, 2), (1, 5), (2, 10), (3, 30)])
def test_paired_confidence_interval_against_ttest_rel(seed, n, confidence):
    """Is it SciPy's own interval for the mean paired difference?"""
    rng = np.random.default_rng(seed)
    a = rng.normal(0.8, 0.05, n)
    b = a - rng.normal(0.01, 0.02, n)
    expected = scipy.stats.ttest_rel(a, b).confidence_interval(confidence_level=confidence)
    assert sol.paired_confidence_interval(a, b, confidence) == pytest.approx(tuple(expected), rel=1e-12)


def test_paired_confidence_interval_of_the_book_folds_excludes_zero_as_the_t_test_rejects():
    low, high = sol.paired_confidence_interval(BOOK_A, BOOK_B)
    assert high < 0 and sol.paired_t_test(BOOK_A, BOOK_B)[1] < 0.05
    assert DescrStatsW(np.subtract(BOOK_A, BOOK_B)).tconfint_mean(0.05) == pytest.approx((low, high), rel=1e-12)


def test_paired_confidence_interval_bad_input():
    with pytest.raises(ValueError, match="at least 2 pairs"):
        sol.paired_confidence_interval([0.9], [0.8])
    with pytest.raises(ValueError, match="one score per fold"):
        sol.paired_confidence_interval([0.9, 0.8], [0.8])
    with pytest.raises(ValueError, match="0 < confidence < 1"):
        sol.paired_confidence_interval(BOOK_A, BOOK_B, 95)


# --- holm_bonferroni --------------------------------------------------------------


@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.1])
@pytest.mark.parametrize("seed", range(8))
def test_holm_bonferroni_against_statsmodels(seed, alpha):
    """Does it reject exactly what statsmodels' Holm procedure rejects, ties included?"""
    rng = np.random.default_rng(seed)
    p = np.concatenate([rng.uniform(0, 0.01, 4), rng.uniform(0, 1, 12), [0.004, 0.004]])
    rng.shuffle(p)
    expected = multipletests(p, alpha, method="holm")[0]
    got = sol.holm_bonferroni(p, alpha)
    assert got.dtype == bool and np.array_equal(got, expected)


def test_holm_bonferroni_rejects_a_p_value_equal_to_its_threshold_like_statsmodels():
    p = [0.05, 0.025]
    assert sol.holm_bonferroni(p).tolist() == multipletests(p, 0.05, method="holm")[0].tolist() == [True, True]


def test_holm_bonferroni_bad_input():
    with pytest.raises(ValueError, match="0 < alpha < 1"):
        sol.holm_bonferroni([0.01, 0.2], alpha=5)
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\]"):
        sol.holm_bonferroni([0.01, 1.5])
    with pytest.raises(ValueError, match="1-D"):
        sol.holm_bonferroni([[0.01, 0.2]])


# --- family_wise_error_rate -------------------------------------------------------


@pytest.mark.parametrize("n_tests, alpha", [(1, 0.05), (20, 0.05), (5, 0.01), (50, 0.05), (3, 0.2)])
def test_family_wise_error_rate_against_the_closed_form(n_tests, alpha):
    """Is the simulated rate near 1 - (1 - alpha)**m?  sd <= 0.5 / sqrt(200,000) = 0.0011; 0.006 is 5 sd."""
    rate = sol.family_wise_error_rate(n_tests, alpha, 200_000, np.random.default_rng(n_tests))
    assert rate == pytest.approx(1 - (1 - alpha) ** n_tests, abs=0.006)


def test_family_wise_error_rate_is_reproducible_from_rng():
    first = sol.family_wise_error_rate(20, 0.05, 1000, np.random.default_rng(3))
    np.random.seed(1)
    assert sol.family_wise_error_rate(20, 0.05, 1000, np.random.default_rng(3)) == first


def test_family_wise_error_rate_bad_input():
    with pytest.raises(ValueError, match="`n_tests` must be an integer >= 1"):
        sol.family_wise_error_rate(0, 0.05, 100, np.random.default_rng(0))
    with pytest.raises(ValueError, match="`n_simulations` must be an integer >= 1"):
        sol.family_wise_error_rate(20, 0.05, 0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="0 < alpha < 1"):
        sol.family_wise_error_rate(20, 1.5, 100, np.random.default_rng(0))
