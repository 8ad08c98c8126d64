"""Do the ch05 reference solutions agree with statsmodels, scikit-learn and the book?"""

import numpy as np
import pytest
import scipy.stats
import statsmodels.api as sm
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures

from solutions.ch05_information_criteria import (
    aic,
    bic,
    cross_validated_mse,
    gaussian_log_likelihood_from_rss,
    kfold_indices,
    polynomial_information_criteria,
    select_degree,
)

RTOL = 1e-9  # both sides solve well-conditioned least squares in float64


def _noisy_cubic(seed, n=60):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3, 3, n)
    return x, 1.0 + 2.0 * x - 1.5 * x**2 + 0.4 * x**3 + rng.normal(0, 3.0, n)


def _ols(x, y, degree):
    return sm.OLS(y, np.vander(x, degree + 1, increasing=True)).fit()


# --- the book's worked example (chapter 5, question 18) ------------------------------

def test_book_aic_prefers_model_b():
    assert aic(-120, 3) == 246.0
    assert aic(-115, 6) == 242.0


def test_book_bic_prefers_model_a():
    # The book rounds log 50 to 3.91 and prints 251.73 and 253.46.
    assert bic(-120, 3, 50) == pytest.approx(240 + 3 * np.log(50))
    assert round(bic(-120, 3, 50), 2) == 251.74
    assert round(bic(-115, 6, 50), 2) == 253.47
    assert bic(-120, 3, 50) < bic(-115, 6, 50)


def test_results_are_python_floats():
    assert type(gaussian_log_likelihood_from_rss(10.0, 4)) is float
    assert type(aic(np.float64(-1.0), np.int64(2))) is float
    assert type(bic(-1.0, 2, np.int64(9))) is float


# --- agreement with statsmodels OLS -------------------------------------------------

@pytest.mark.parametrize("degree", [0, 1, 3, 5])
def test_log_likelihood_from_rss_matches_statsmodels_llf(degree):
    x, y = _noisy_cubic(seed=degree)
    res = _ols(x, y, degree)
    assert gaussian_log_likelihood_from_rss(res.ssr, len(x)) == pytest.approx(res.llf, rel=RTOL)


def test_log_likelihood_from_rss_is_the_normal_log_density_at_the_mle_variance():
    residuals = np.random.default_rng(1).normal(0, 2, 25)
    rss = float(np.sum(residuals**2))
    expected = scipy.stats.norm.logpdf(residuals, scale=np.sqrt(rss / 25)).sum()
    assert gaussian_log_likelihood_from_rss(rss, 25) == pytest.approx(expected, rel=RTOL)


@pytest.mark.parametrize("degree", [0, 2, 4])
def test_aic_and_bic_match_statsmodels(degree):
    x, y = _noisy_cubic(seed=10 + degree)
    res = _ols(x, y, degree)
    k = int(res.df_model + res.k_constant)
    assert k == degree + 1
    assert aic(res.llf, k) == pytest.approx(res.aic, rel=RTOL)
    assert bic(res.llf, k, len(x)) == pytest.approx(res.bic, rel=RTOL)


def test_table_matches_statsmodels_for_every_degree():
    x, y = _noisy_cubic(seed=3, n=80)
    degrees = [5, 0, 2, 7, 1]  # deliberately unsorted
    table = polynomial_information_criteria(x, y, degrees)
    assert set(table) == {"degree", "k", "log_likelihood", "aic", "bic"}
    np.testing.assert_array_equal(table["degree"], degrees)
    np.testing.assert_array_equal(table["k"], np.array(degrees) + 1)
    for i, degree in enumerate(degrees):
        res = _ols(x, y, degree)
        assert table["log_likelihood"][i] == pytest.approx(res.llf, rel=RTOL)
        assert table["aic"][i] == pytest.approx(res.aic, rel=RTOL)
        assert table["bic"][i] == pytest.approx(res.bic, rel=RTOL)


def test_table_on_the_book_listing_5_1_data():
    x = np.linspace(-3, 3, 80)
    y = 1.5 + 2.0 * x - 0.8 * x**2 + np.random.default_rng(0).normal(0, 2.0, 80)
    table = polynomial_information_criteria(x, y, range(1, 7))
    assert np.all(np.diff(table["log_likelihood"]) >= 0)  # nested least-squares fits
    assert select_degree(table["degree"], table["bic"]) == 2  # the true degree
    assert select_degree(table["degree"], table["aic"]) == 4  # AIC's lighter penalty


# --- folds and cross-validation against scikit-learn -------------------------------

@pytest.mark.parametrize(("n", "n_splits"), [(20, 5), (23, 5), (7, 7), (10, 2)])
def test_kfold_test_folds_follow_the_contract(n, n_splits):
    folds = kfold_indices(n, n_splits, np.random.default_rng(n))
    expected = np.array_split(np.random.default_rng(n).permutation(n), n_splits)
    assert len(folds) == n_splits
    for (train, test), want in zip(folds, expected, strict=True):
        np.testing.assert_array_equal(test, want)
        np.testing.assert_array_equal(np.sort(train), np.setdiff1d(np.arange(n), want))
        assert np.issubdtype(train.dtype, np.integer) and np.issubdtype(test.dtype, np.integer)


def test_kfold_test_folds_partition_the_data():
    folds = kfold_indices(101, 10, np.random.default_rng(5))
    np.testing.assert_array_equal(np.sort(np.concatenate([t for _, t in folds])), np.arange(101))


def _sklearn_cv_mse(x, y, degree, folds):
    model = make_pipeline(PolynomialFeatures(degree), LinearRegression(fit_intercept=False))
    scores = cross_val_score(model, x.reshape(-1, 1), y, cv=folds,
                             scoring="neg_mean_squared_error")
    return -scores.mean()


@pytest.mark.parametrize(("degree", "n_splits", "seed"), [(0, 3, 1), (1, 5, 2), (3, 5, 3),
                                                          (6, 4, 4), (2, 60, 5)])
def test_cv_mse_matches_sklearn_cross_val_score_on_the_same_folds(degree, n_splits, seed):
    x, y = _noisy_cubic(seed=seed)
    folds = kfold_indices(len(x), n_splits, np.random.default_rng(seed))
    got = cross_validated_mse(x, y, degree, n_splits, np.random.default_rng(seed))
    assert got == pytest.approx(_sklearn_cv_mse(x, y, degree, folds), rel=1e-8)


def test_cv_mse_draws_one_permutation_from_rng():
    x, y = _noisy_cubic(seed=6)
    rng, twin = np.random.default_rng(9), np.random.default_rng(9)
    cross_validated_mse(x, y, 2, 5, rng)
    twin.permutation(len(x))
    assert rng.random() == twin.random()


def test_cv_mse_leave_one_out_constant_model():
    # Each held-out y_i is predicted by the mean of the other n - 1 points.
    y = np.array([1.0, 2.0, 3.0, 6.0])
    got = cross_validated_mse(np.arange(4.0), y, 0, 4, np.random.default_rng(0))
    assert got == pytest.approx((4 / 3) ** 2 * np.var(y))


# --- select_degree --------------------------------------------------------------------

def test_select_degree_book_example_and_type():
    assert select_degree([2, 5], [246.0, 242.0]) == 5
    got = select_degree([2, 5], [251.74, 253.47])
    assert got == 2 and type(got) is int


@pytest.mark.parametrize(("degrees", "scores", "expected"), [
    ([3, 1, 2], [10.0, 12.0, 10.0], 2),
    ([5, 2, 7, 1], [3.0, 4.0, 1.0, 2.0], 7),
    ([6, 3, 8, 1, 5], [7.5, 2.0, 2.0, 9.0, 2.0], 3),
    (np.array([4, 0]), np.array([-1.0, -1.0]), 0),
])
def test_select_degree_unsorted_and_ties(degrees, scores, expected):
    assert select_degree(degrees, scores) == expected


# --- input validation ------------------------------------------------------------------

@pytest.mark.parametrize(("call", "match"), [
    (lambda: gaussian_log_likelihood_from_rss(0.0, 10), "`rss` must be positive"),
    (lambda: gaussian_log_likelihood_from_rss(np.nan, 10), "`rss` must be a single finite number"),
    (lambda: gaussian_log_likelihood_from_rss(5.0, 0), "`n` must be a whole number >= 1"),
    (lambda: gaussian_log_likelihood_from_rss(5.0, 2.5), "`n` must be a whole number"),
    (lambda: aic([1.0, 2.0], 3), "`log_likelihood` must be a single finite number"),
    (lambda: aic(-1.0, -1), "`k` must be a whole number >= 0"),
    (lambda: aic(-1.0, True), "`k` must be a whole number"),
    (lambda: bic(-1.0, 2, 0), "`n` must be a whole number >= 1"),
    (lambda: polynomial_information_criteria([1, 2], [1, 2, 3], [1]), "same shape"),
    (lambda: polynomial_information_criteria(np.ones((3, 2)), np.ones((3, 2)), [1]), "1-D"),
    (lambda: polynomial_information_criteria(np.arange(5.0), np.arange(5.0), [4]),
     "needs at least 6 points"),
    (lambda: polynomial_information_criteria(np.arange(5.0), np.arange(5.0), []), "non-empty"),
    (lambda: polynomial_information_criteria(np.arange(5.0), np.arange(5.0), [1.5]),
     "whole numbers >= 0"),
    (lambda: kfold_indices(10, 1, np.random.default_rng(0)), "`n_splits` must be a whole number >= 2"),
    (lambda: kfold_indices(3, 4, np.random.default_rng(0)), "`n_splits` must be at most n = 3"),
    (lambda: kfold_indices(10, 2, 0), "`rng` must be a numpy.random.Generator"),
    (lambda: cross_validated_mse(np.arange(6.0), np.arange(6.0), 4, 2, np.random.default_rng(0)),
     "smallest training set has 3 points"),
    (lambda: select_degree([1, 2], [1.0]), "one entry per degree"),
    (lambda: select_degree([1, 2], [1.0, np.nan]), "`scores` contains NaN"),
    (lambda: select_degree([-1, 2], [1.0, 2.0]), "whole numbers >= 0"),
])
def test_bad_inputs_raise_value_error_naming_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()
