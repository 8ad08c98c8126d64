"""Are the ch02 reference solutions right? Independent oracles and the chapter's examples."""

import numpy as np
import pytest
import scipy.stats
import statsmodels.api as sm
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.metrics import mean_squared_error
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from solutions import ch02_bias_variance as ref

P = np.polynomial.polynomial
rng = np.random.default_rng(2)
# The chapter's running example: 30 points of sin(x) + N(0, 0.2**2) on [-3, 3].
X_BOOK = np.linspace(-3, 3, 30)
Y_BOOK = np.sin(X_BOOK) + rng.normal(0, 0.2, 30)
# Least-squares solvers (SVD, QR, sklearn, statsmodels) agree to ~1e-12 on these
# well-conditioned low-degree fits; 1e-9 leaves room and catches any real difference.
RTOL = 1e-9


def test_design_matrix_against_numpy_and_sklearn():
    x = rng.normal(0, 2, 12)
    got = ref.polynomial_design_matrix(x, 4)
    assert got.shape == (12, 5)
    np.testing.assert_allclose(got, P.polyvander(x, 4), rtol=1e-13)
    np.testing.assert_allclose(got, PolynomialFeatures(4).fit_transform(x[:, None]), rtol=1e-13)
    np.testing.assert_array_equal(ref.polynomial_design_matrix([0.0, 2.0], 0), [[1.0], [1.0]])


def test_fit_recovers_an_exact_polynomial():
    x = np.array([-2.0, -1.0, 0.0, 0.5, 1.0, 3.0])
    np.testing.assert_allclose(ref.fit_polynomial(x, 1 + 2 * x - 0.5 * x**2, 2), [1, 2, -0.5], atol=1e-12)
    assert ref.fit_polynomial([1.0, 2.0, 6.0], [3.0, 5.0, 10.0], 0) == pytest.approx([6.0])


@pytest.mark.parametrize("degree", [1, 3, 6])
def test_fit_against_polyfit_sklearn_and_statsmodels(degree):
    got = ref.fit_polynomial(X_BOOK, Y_BOOK, degree)
    np.testing.assert_allclose(got, P.polyfit(X_BOOK, Y_BOOK, degree), rtol=RTOL, atol=1e-12)
    features = PolynomialFeatures(degree, include_bias=False).fit_transform(X_BOOK[:, None])
    model = LinearRegression().fit(features, Y_BOOK)
    np.testing.assert_allclose(got, np.r_[model.intercept_, model.coef_], rtol=1e-8, atol=1e-10)
    ols = sm.OLS(Y_BOOK, P.polyvander(X_BOOK, degree)).fit()
    np.testing.assert_allclose(got, ols.params, rtol=RTOL, atol=1e-12)


def test_high_degree_fit_matches_polyfit_where_it_is_determined():
    # Degree 15 (listing 2.2): coefficients are ill-determined (condition ~1e8), fitted values are not.
    got = ref.fit_polynomial(X_BOOK, Y_BOOK, 15)
    np.testing.assert_allclose(P.polyval(X_BOOK, got), P.polyval(X_BOOK, P.polyfit(X_BOOK, Y_BOOK, 15)), atol=1e-7)


def test_predict_against_polyval():
    coef, x = rng.normal(size=6), rng.uniform(-3, 3, 25)
    np.testing.assert_allclose(ref.predict_polynomial(coef, x), P.polyval(x, coef), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ref.predict_polynomial([1.0, 2.0, -0.5], [0.0, 1.0, 2.0]), [1.0, 2.5, 3.0])
    np.testing.assert_array_equal(ref.predict_polynomial([4.0], [-1.0, 3.0]), [4.0, 4.0])


def test_train_test_mse_against_sklearn_listing_2_3():
    x = np.linspace(-3, 3, 80)
    y = np.sin(x) + rng.normal(0, 0.2, 80)
    order = rng.permutation(80)
    train, test = order[:56], order[56:]
    degrees = range(1, 16)
    got_train, got_test = ref.train_test_mse(x[train], y[train], x[test], y[test], degrees)
    for i, degree in enumerate(degrees):
        # The book's pipeline without StandardScaler is not an oracle above degree ~11: on raw powers
        # up to x**15 LinearRegression's solver drops small singular values and misses the minimum.
        model = make_pipeline(PolynomialFeatures(degree), StandardScaler(), LinearRegression())
        model.fit(x[train, None], y[train])
        assert got_train[i] == pytest.approx(mean_squared_error(y[train], model.predict(x[train, None])), rel=1e-6)
        assert got_test[i] == pytest.approx(mean_squared_error(y[test], model.predict(x[test, None])), rel=1e-6)
    # Nested models: the training error never rises; the straight line underfits.
    assert np.all(np.diff(got_train) <= 1e-12)
    assert got_test[0] > 2 * got_test.min()


def test_interpolation_leaves_no_training_error():
    x = np.linspace(0, 1, 6)
    train, test = ref.train_test_mse(x, np.cos(3 * x), [0.5], [np.cos(1.5)], [1, 5])
    assert train[1] == pytest.approx(0, abs=1e-20)
    assert train[0] > 0.01 and test.shape == (2,)


ARGS = (np.sin, X_BOOK, np.array([-2.5, 0.0, 1.0, 2.9]), 3)


def test_zero_noise_gives_the_noiseless_fit_in_every_row():
    got = ref.simulate_polynomial_predictions(*ARGS, 0.0, 5, np.random.default_rng(0))
    noiseless = P.polyval(ARGS[2], P.polyfit(X_BOOK, np.sin(X_BOOK), 3))
    assert got.shape == (5, 4)
    np.testing.assert_allclose(got, np.tile(noiseless, (5, 1)), rtol=1e-10, atol=1e-12)


def test_simulation_draws_only_from_rng():
    saved = np.random.get_state()
    try:
        np.random.seed(1)
        first = ref.simulate_polynomial_predictions(*ARGS, 0.3, 6, np.random.default_rng(9))
        np.random.seed(2)
        again = ref.simulate_polynomial_predictions(*ARGS, 0.3, 6, np.random.default_rng(9))
    finally:
        np.random.set_state(saved)
    other = ref.simulate_polynomial_predictions(*ARGS, 0.3, 6, np.random.default_rng(10))
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_simulated_moments_match_the_exact_gaussian_law():
    # Predictions are H @ y with H = D_test pinv(D_train): column j is N(H f, s^2 ||H_j||^2).
    noise_sd, n = 0.5, 4000
    preds = ref.simulate_polynomial_predictions(*ARGS, noise_sd, n, np.random.default_rng(5))
    hat = P.polyvander(ARGS[2], 3) @ np.linalg.pinv(P.polyvander(X_BOOK, 3))
    variance = noise_sd**2 * np.sum(hat**2, axis=1)
    z = (preds.mean(axis=0) - hat @ np.sin(X_BOOK)) / np.sqrt(variance / n)
    assert np.all(np.abs(z) < 6)  # each |z| >= 6 has probability 2e-9
    scaled = (n - 1) * preds.var(axis=0, ddof=1) / variance
    low, high = scipy.stats.chi2.ppf([1e-9, 1 - 1e-9], n - 1)
    assert np.all((scaled > low) & (scaled < high))


def test_book_sine_example_bias_falls_and_variance_rises():
    x_test = np.linspace(-2.9, 2.9, 25)
    parts = [ref.bias_variance_decomposition(
        ref.simulate_polynomial_predictions(np.sin, X_BOOK, x_test, degree, 0.2, 500, np.random.default_rng(degree)),
        np.sin(x_test), 0.04) for degree in (1, 3, 10)]
    bias = [p["bias_squared"] for p in parts]
    variance = [p["variance"] for p in parts]
    assert bias[0] > bias[1] > bias[2]
    assert variance[0] < variance[1] < variance[2]
    # Exact values: variance 2.7e-3, 5.4e-3, 1.5e-2 (noise variance * mean ||H_j||^2).
    assert variance == pytest.approx([2.68e-3, 5.43e-3, 1.49e-2], rel=0.2)


def test_decomposition_of_a_hand_example():
    got = ref.bias_variance_decomposition([[1.0, 2.0], [3.0, 4.0]], [2.0, 2.0], 0.25)
    assert got == {"bias_squared": 0.5, "variance": 1.0, "noise": 0.25, "expected_mse": 1.75}
    assert all(type(v) is float for v in got.values())


def test_decomposition_identity_and_numpy_variance():
    preds, f = rng.normal(0.2, 0.7, (60, 9)), rng.normal(size=9)
    got = ref.bias_variance_decomposition(preds, f, 0.09)
    assert got["variance"] == pytest.approx(np.var(preds, axis=0).mean(), rel=1e-12)
    # Mean over data sets and points of (prediction - f)^2 is exactly bias^2 + variance.
    assert got["bias_squared"] + got["variance"] == pytest.approx(np.mean((preds - f) ** 2), rel=1e-12)
    assert got["expected_mse"] == pytest.approx(np.mean((preds - f) ** 2) + 0.09, rel=1e-12)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: ref.polynomial_design_matrix([1, 2], -1), r"`degree` must be an integer >= 0"),
        (lambda: ref.polynomial_design_matrix([1, 2], 2.0), r"`degree` must be an integer"),
        (lambda: ref.polynomial_design_matrix([1, 2], True), r"`degree` must be an integer"),
        (lambda: ref.polynomial_design_matrix([[1, 2]], 1), r"`x` must be a non-empty 1-D array"),
        (lambda: ref.polynomial_design_matrix([], 1), r"`x` must be a non-empty 1-D array"),
        (lambda: ref.polynomial_design_matrix([1, np.nan], 1), r"`x` must be finite"),
        (lambda: ref.polynomial_design_matrix(["a"], 1), r"`x` must contain only numbers"),
        (lambda: ref.fit_polynomial([1, 2, 3], [1, 2], 1), r"`x` and `y` must have the same length"),
        (lambda: ref.fit_polynomial([1, 2], [1, 2], 2), r"needs at least that many points"),
        (lambda: ref.predict_polynomial([], [1.0]), r"`coef` must be a non-empty 1-D array"),
        (lambda: ref.train_test_mse([0, 1], [0, 1], [2], [2, 3], [1]), r"`x_test` and `y_test` must have the same"),
        (lambda: ref.train_test_mse([0, 1], [0], [2], [2], [1]), r"`x_train` and `y_train` must have the same"),
        (lambda: ref.train_test_mse([0, 1], [0, 1], [2], [2], []), r"`degrees` is empty"),
        (lambda: ref.train_test_mse([0, 1], [0, 1], [2], [2], [1.5]), r"each entry of `degrees`"),
        (lambda: ref.simulate_polynomial_predictions(*ARGS, 0.1, 3, 0), r"`rng` must be a numpy.random.Generator"),
        (lambda: ref.simulate_polynomial_predictions(*ARGS, -0.1, 3, rng), r"`noise_sd` must be"),
        (lambda: ref.simulate_polynomial_predictions(*ARGS, 0.1, 0, rng), r"`n_datasets` must be an integer >= 1"),
        (lambda: ref.simulate_polynomial_predictions("sin", *ARGS[1:], 0.1, 3, rng), r"`true_fn` must be"),
        (lambda: ref.simulate_polynomial_predictions(np.sum, *ARGS[1:], 0.1, 3, rng), r"`true_fn\(x_train\)`"),
        (lambda: ref.bias_variance_decomposition([1.0, 2.0], [1.0, 2.0], 0.1), r"`predictions` must have shape"),
        (lambda: ref.bias_variance_decomposition([[1.0, 2.0]], [1.0], 0.1), r"`f_test` must hold one value"),
        (lambda: ref.bias_variance_decomposition([[1.0]], [1.0], -1), r"`noise_variance` must be"),
    ],
)
def test_bad_inputs_raise_value_errors_that_name_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_ridge_matches_sklearn_ridge_on_the_powers():
    """Oracle: scikit-learn's Ridge on the columns x**1 .. x**degree (intercept_ then coef_)."""
    rng = np.random.default_rng(12)
    x = np.linspace(-3, 3, 30)
    y = np.sin(x) + rng.normal(0, 0.2, 30)
    # Up to degree 6 the design is well conditioned: solvers agree to ~1e-13 relative.
    for degree, alpha in ((1, 0.5), (3, 1.0), (3, 10.0), (6, 1.0), (6, 100.0)):
        model = Ridge(alpha=alpha).fit(x[:, None] ** np.arange(1, degree + 1), y)
        expected = np.concatenate([[model.intercept_], model.coef_])
        assert np.allclose(ref.ridge_fit_polynomial(x, y, degree, alpha), expected, rtol=1e-9, atol=1e-12)


def test_ridge_special_cases():
    x = np.linspace(-3, 3, 30)
    y = np.cos(x) + 0.5
    assert np.allclose(ref.ridge_fit_polynomial(x, y, 5, 0.0), ref.fit_polynomial(x, y, 5), rtol=1e-9, atol=1e-12)
    assert np.allclose(ref.ridge_fit_polynomial(x, y, 0, 3.0), [y.mean()])
    # A huge penalty leaves only the intercept: the constant fit mean(y).
    assert np.allclose(ref.ridge_fit_polynomial(x, y, 3, 1e12), [y.mean(), 0, 0, 0], atol=1e-6)
    # The worked example of the notebook: slope 4 / (2 + alpha), intercept mean(y) = 3.
    for alpha in (0.0, 2.0, 6.0):
        assert np.allclose(ref.ridge_fit_polynomial([-1, 0, 1], [1, 3, 5], 1, alpha), [3.0, 4 / (2 + alpha)])
    with pytest.raises(ValueError, match="`alpha` must be a penalty"):
        ref.ridge_fit_polynomial(x, y, 2, -1.0)


def test_simulate_ridge_predictions_follows_the_law_of_ridge_fits():
    """Ridge is linear in y, so each column is N(H f, s**2 ||H_j||**2); check at 6 sigma."""
    x_train, x_test = np.linspace(-3, 3, 30), np.array([-2.0, 0.0, 1.5])
    degree, alpha, sd, n = 8, 2.0, 0.3, 3000
    preds = ref.simulate_ridge_predictions(np.sin, x_train, x_test, degree, alpha, sd, n, np.random.default_rng(4))
    hat = np.column_stack([
        Ridge(alpha=alpha).fit(x_train[:, None] ** np.arange(1, degree + 1), e).predict(
            x_test[:, None] ** np.arange(1, degree + 1))
        for e in np.eye(30)])
    mean, var = hat @ np.sin(x_train), sd**2 * np.sum(hat**2, axis=1)
    assert np.all(np.abs(preds.mean(axis=0) - mean) < 6 * np.sqrt(var / n))
    assert np.all(np.abs(preds.var(axis=0, ddof=1) / var - 1) < 6 * np.sqrt(2 / (n - 1)))
    again = ref.simulate_ridge_predictions(np.sin, x_train, x_test, degree, alpha, sd, n, np.random.default_rng(4))
    assert np.array_equal(preds, again)
