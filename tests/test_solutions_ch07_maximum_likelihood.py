"""Reference solutions of ch07_maximum_likelihood against SciPy, statsmodels and the book."""

import statistics

import numpy as np
import pytest
import scipy.optimize
import scipy.stats
import statsmodels.api as sm

from solutions.ch07_maximum_likelihood import (
    bernoulli_mle,
    exponential_mle,
    log_likelihood_curve,
    normal_log_likelihood,
    normal_mle,
    numerical_mle,
)

BOOK = np.random.RandomState(0).normal(5, 2, 100)  # Listing 7.1: np.random.seed(0), N(5, 2^2)


@pytest.fixture
def rng():
    return np.random.default_rng(7)


# --- normal_log_likelihood -------------------------------------------------------


@pytest.mark.parametrize("n, mu, sigma", [(1, 0.0, 1.0), (30, -2.0, 0.3), (500, 10.0, 4.0)])
def test_normal_log_likelihood_matches_scipy(rng, n, mu, sigma):
    data = rng.normal(mu + 0.5, sigma, n)
    expected = scipy.stats.norm.logpdf(data, loc=mu, scale=sigma).sum()
    assert normal_log_likelihood(data, mu, sigma) == pytest.approx(expected, rel=1e-12)


def test_normal_log_likelihood_is_finite_where_the_product_underflows():
    data = np.random.RandomState(0).normal(5, 2, 10_000)
    assert np.prod(scipy.stats.norm.pdf(data, 5, 2)) == 0.0
    got = normal_log_likelihood(data, 5.0, 2.0)
    assert got == pytest.approx(scipy.stats.norm.logpdf(data, 5, 2).sum(), rel=1e-12)


def test_normal_log_likelihood_book_example_and_type():
    got = normal_log_likelihood([4.0, 6.0], 5, 1)
    assert type(got) is float
    assert got == pytest.approx(-np.log(2 * np.pi) - 1)
    assert normal_log_likelihood(BOOK, BOOK.mean(), 2) > normal_log_likelihood(BOOK, 5, 2)


# --- normal_mle -------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 17, 1000])
def test_normal_mle_matches_norm_fit(rng, n):
    data = rng.normal(-3, 1.5, n)
    mu_hat, sigma_hat = normal_mle(data)
    expected_mu, expected_sigma = scipy.stats.norm.fit(data)
    assert type(mu_hat) is float and type(sigma_hat) is float
    assert mu_hat == pytest.approx(expected_mu, rel=1e-12)
    assert sigma_hat == pytest.approx(expected_sigma, rel=1e-12, abs=1e-15)


def test_normal_mle_book_sample():
    mu_hat, sigma_hat = normal_mle(BOOK)
    assert round(mu_hat, 2) == 5.12  # the value Listing 7.1 prints
    assert sigma_hat == pytest.approx(np.std(BOOK, ddof=0))
    assert sigma_hat < np.std(BOOK, ddof=1)


def test_normal_mle_far_from_zero(rng):
    data = 1.7e9 + rng.normal(0, 5, 500)
    exact = statistics.pstdev([float(x) for x in data])  # exact rational arithmetic
    assert normal_mle(data)[1] == pytest.approx(exact, rel=1e-12)


# --- bernoulli_mle / exponential_mle ------------------------------------------------


def test_bernoulli_mle_maximises_the_likelihood(rng):
    outcomes = (rng.random(400) < 0.3).astype(int)
    fit = scipy.optimize.minimize_scalar(
        lambda p: -scipy.stats.bernoulli.logpmf(outcomes, p).sum(),
        bounds=(1e-9, 1 - 1e-9), method="bounded", options={"xatol": 1e-10})
    assert bernoulli_mle(outcomes) == pytest.approx(fit.x, abs=1e-6)


@pytest.mark.parametrize("outcomes, expected", [
    ([1, 0, 1, 1, 0, 1, 1, 0, 1, 1], 0.7),
    ([True, False, False, False], 0.25),
    ([0, 0], 0.0),
    (np.ones(5), 1.0),
])
def test_bernoulli_mle_fraction_of_ones(outcomes, expected):
    got = bernoulli_mle(outcomes)
    assert type(got) is float and got == pytest.approx(expected)


def test_exponential_mle_matches_expon_fit(rng):
    data = rng.exponential(4.0, 1000)
    _, scale = scipy.stats.expon.fit(data, floc=0)
    assert exponential_mle(data) == pytest.approx(1 / scale, rel=1e-12)
    assert exponential_mle([1.0, 3.0, 2.0, 2.0]) == 0.5
    assert exponential_mle([0.0, 2.0]) == 1.0


# --- log_likelihood_curve -----------------------------------------------------------


def test_log_likelihood_curve_matches_logpdf_sums(rng):
    data, grid = rng.normal(1, 0.5, 60), np.linspace(-1, 3, 9)
    expected = [scipy.stats.norm.logpdf(data, mu, 0.5).sum() for mu in grid]
    got = log_likelihood_curve(data, grid, 0.5)
    assert isinstance(got, np.ndarray) and got.shape == (9,)
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_log_likelihood_curve_finite_for_ten_thousand_points():
    data = np.random.RandomState(0).normal(5, 2, 10_000)
    grid = np.linspace(3, 7, 100)
    assert all(np.prod(scipy.stats.norm.pdf(data, mu, 2)) == 0.0 for mu in grid[::20])
    got = log_likelihood_curve(data, grid, 2.0)
    assert np.all(np.isfinite(got))
    expected = [scipy.stats.norm.logpdf(data, mu, 2).sum() for mu in grid[::20]]
    np.testing.assert_allclose(got[::20], expected, rtol=1e-12)
    assert abs(grid[np.argmax(got)] - data.mean()) <= (grid[1] - grid[0]) / 2


def test_log_likelihood_curve_book_grid_peaks_at_the_sample_mean():
    grid = np.linspace(3, 7, 100)
    curve = log_likelihood_curve(BOOK, grid, 2)
    assert grid[np.argmax(curve)] == pytest.approx(5.10101, abs=1e-5)  # grid point nearest 5.12


# --- numerical_mle --------------------------------------------------------------------


def test_numerical_mle_normal_matches_norm_fit():
    def nll(theta):
        return -scipy.stats.norm.logpdf(BOOK, theta[0], np.exp(theta[1])).sum()

    got = numerical_mle(nll, [0.0, 0.0])
    mu, sigma = scipy.stats.norm.fit(BOOK)
    np.testing.assert_allclose(got, [mu, np.log(sigma)], atol=1e-5)


def test_numerical_mle_logistic_regression_matches_statsmodels(rng):
    X = sm.add_constant(rng.normal(size=(300, 2)))
    y = (rng.random(300) < 1 / (1 + np.exp(-X @ [0.5, -1.0, 2.0]))).astype(float)

    def nll(w):
        z = X @ w
        return np.sum(np.logaddexp(0, z) - y * z)

    expected = sm.Logit(y, X).fit(disp=0).params
    np.testing.assert_allclose(numerical_mle(nll, np.zeros(3)), expected, atol=1e-4)


def test_numerical_mle_scalar_start_and_local_maxima():
    def cauchy_nll(theta):
        return np.sum(np.log1p((np.array([-5.0, 5.0]) - theta[0]) ** 2))

    right, left = numerical_mle(cauchy_nll, 3.0), numerical_mle(cauchy_nll, -2.0)
    assert right.shape == (1,) and right.dtype == float
    np.testing.assert_allclose([right[0], left[0]], [np.sqrt(24), -np.sqrt(24)], atol=1e-5)


# --- input validation ------------------------------------------------------------------


@pytest.mark.parametrize("call, match", [
    (lambda: normal_log_likelihood([], 0, 1), "`data` is empty"),
    (lambda: normal_log_likelihood(["a", 1], 0, 1), "`data` must contain only numbers"),
    (lambda: normal_log_likelihood([1.0, np.nan], 0, 1), "`data` contains NaN"),
    (lambda: normal_log_likelihood([[1.0, 2.0]], 0, 1), "`data` must be 1-D"),
    (lambda: normal_log_likelihood([1.0], 0, 0), "`sigma` must be a positive"),
    (lambda: normal_log_likelihood([1.0], 0, -2), "`sigma` must be a positive"),
    (lambda: normal_log_likelihood([1.0], np.inf, 1), "`mu` must be a finite"),
    (lambda: normal_log_likelihood([1.0], "zero", 1), "`mu` must be a single number"),
    (lambda: normal_mle([]), "`data` is empty"),
    (lambda: bernoulli_mle([0, 1, 2]), "`outcomes` must hold only 0s and 1s"),
    (lambda: bernoulli_mle([]), "`outcomes` is empty"),
    (lambda: exponential_mle([1.0, -0.5]), "non-negative"),
    (lambda: exponential_mle([0.0, 0.0]), "all zeros"),
    (lambda: log_likelihood_curve([1.0], [], 1), "`mu_grid` is empty"),
    (lambda: log_likelihood_curve([1.0], [0.0], 0), "`sigma` must be a positive"),
    (lambda: numerical_mle(lambda t: np.sum(t**2), []), "`x0` is empty"),
    (lambda: numerical_mle("not a function", [0.0]), "`negative_log_likelihood` must be a"),
    (lambda: numerical_mle(lambda t: np.log(t[0]), [-1.0]), r"`negative_log_likelihood\(x0\)` is"),
])
def test_bad_input_raises_value_error(call, match):
    with np.errstate(invalid="ignore"), pytest.raises(ValueError, match=match):
        call()
