"""Are the ch03 reference solutions right? Independent oracles and the book's numbers."""

import numpy as np
import pytest
import scipy.optimize
import scipy.special
import scipy.stats
import sklearn.metrics

from solutions import ch03_loss_functions as ref

rng = np.random.default_rng(3)
# Oracle agreement: the same float64 formulas in a different order agree to ~1e-15
# relative; 1e-12 leaves room and still catches any real difference.
RTOL = 1e-12


def test_book_worked_numbers():
    assert np.allclose(ref.squared_error([80, 80], [75, 60]), [25, 400])
    assert np.allclose(ref.squared_error([80, 65, 90, 72], [75, 70, 84, 60]), [25, 25, 36, 144])
    assert ref.mean_squared_error([3.0, 4.5, 2.0], [2.8, 4.0, 2.5]) == pytest.approx(0.18)
    assert np.allclose(ref.binary_cross_entropy([1, 1, 1], [0.9, 0.6, 0.1]), [0.105, 0.511, 2.303], atol=5e-4)
    assert ref.cross_entropy([1, 0], [0.8, 0.2]) == pytest.approx(0.223, abs=5e-4)
    assert ref.kl_divergence([0.7, 0.3], [0.6, 0.4]) == pytest.approx(0.0216, abs=5e-5)
    assert ref.kl_divergence([0.7, 0.3], [0.7, 0.3]) == 0
    assert ref.log_likelihood([0.8, 0.7, 0.6]) == pytest.approx(np.log(0.336))


def test_regression_losses_against_sklearn_and_scipy():
    y, y_hat = rng.normal(size=200), rng.normal(size=200)
    assert ref.mean_squared_error(y, y_hat) == pytest.approx(sklearn.metrics.mean_squared_error(y, y_hat), rel=RTOL)
    expected = scipy.stats.norm.logpdf(y, loc=y_hat, scale=1.7).sum()
    assert ref.gaussian_log_likelihood(y, y_hat, 1.7) == pytest.approx(expected, rel=RTOL)


def test_log_loss_against_sklearn():
    y, p = rng.integers(0, 2, 300), rng.uniform(0.01, 0.99, 300)
    assert ref.log_loss(y, p) == pytest.approx(sklearn.metrics.log_loss(y, p), rel=RTOL)
    proba = rng.dirichlet(np.ones(5), 300)
    labels = rng.integers(0, 5, 300)
    expected = sklearn.metrics.log_loss(labels, proba, labels=range(5))
    assert ref.categorical_cross_entropy(labels, proba) == pytest.approx(expected, rel=RTOL)


def test_clipping_keeps_confident_mistakes_finite():
    losses = ref.binary_cross_entropy([0, 1, 1, 0], [1.0, 0.0, 1.0, 0.0])
    assert np.all(np.isfinite(losses))
    assert losses[0] == pytest.approx(-np.log1p(-(1 - 1e-15)))
    assert losses[2] == pytest.approx(0, abs=1e-14)
    assert ref.log_loss([0], [1.0], eps=1e-7) == pytest.approx(-np.log(1e-7), rel=1e-6)


def test_logits_loss_is_stable_and_accurate():
    z = rng.normal(0, 4, 100)
    y = rng.integers(0, 2, 100)
    expected = np.mean(scipy.special.logsumexp(np.stack([np.zeros_like(z), z]), axis=0) - y * z)
    assert ref.log_loss_from_logits(y, z) == pytest.approx(expected, rel=1e-12)
    assert ref.log_loss_from_logits([0, 1], [1e4, -1e4]) == pytest.approx(1e4, rel=1e-12)
    # A tiny loss keeps its relative accuracy: log(1 + e^-40) = 4.248e-18.
    assert ref.log_loss_from_logits([1], [40.0]) == pytest.approx(np.log1p(np.exp(-40.0)), rel=1e-12)


def test_information_measures_against_scipy():
    p, q = rng.dirichlet(np.ones(7)), rng.dirichlet(np.ones(7))
    p[2] = 0
    p /= p.sum()
    assert ref.entropy(p) == pytest.approx(scipy.stats.entropy(p), rel=RTOL)
    assert ref.kl_divergence(p, q) == pytest.approx(scipy.stats.entropy(p, q), rel=RTOL)
    assert ref.kl_divergence(p, q) == pytest.approx(scipy.special.rel_entr(p, q).sum(), rel=RTOL)
    assert ref.cross_entropy(p, q) == pytest.approx(-scipy.special.xlogy(p, q).sum(), rel=RTOL)
    assert ref.cross_entropy(p, q) == pytest.approx(ref.entropy(p) + ref.kl_divergence(p, q), rel=RTOL)
    assert ref.kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert ref.cross_entropy([1.0, 0.0], [0.5, 0.0]) == pytest.approx(np.log(2))


def test_log_likelihood_survives_underflow():
    probs = np.full(10_000, 1e-3)
    assert np.prod(probs) == 0.0
    assert ref.log_likelihood(probs) == pytest.approx(10_000 * np.log(1e-3))


@pytest.mark.parametrize(("call", "message"), [
    (lambda: ref.squared_error([1, 2], [1]), "same shape"),
    (lambda: ref.mean_squared_error([], []), "empty"),
    (lambda: ref.log_loss([1, 0], [0.5, 1.2]), r"`p_pred` must lie in \[0, 1\]"),
    (lambda: ref.log_loss([1, 0], [0.5, 0.5], eps=0.7), "eps"),
    (lambda: ref.binary_cross_entropy(["a"], [0.5]), "only numbers"),
    (lambda: ref.gaussian_log_likelihood([1.0], [1.0], 0.0), "`sigma` must be positive"),
    (lambda: ref.categorical_cross_entropy([0, 3], [[0.5, 0.5], [0.5, 0.5]]), "integer labels 0..1"),
    (lambda: ref.categorical_cross_entropy([0], [0.5, 0.5]), r"shape \(n, K\)"),
    (lambda: ref.entropy([]), "empty"),
    (lambda: ref.kl_divergence([0.5, 0.5], [-0.1, 1.1]), r"`q` must lie in \[0, 1\]"),
    (lambda: ref.log_likelihood([0.5, -0.1]), "non-negative"),
])
def test_bad_input_raises_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_robust_losses_against_sklearn_and_scipy():
    y, y_hat = rng.normal(size=200), rng.normal(0, 2, size=200)
    assert ref.mean_absolute_error(y, y_hat) == pytest.approx(
        sklearn.metrics.mean_absolute_error(y, y_hat), rel=RTOL)
    for delta in (0.3, 1.0, 2.5):
        expected = scipy.special.huber(delta, y - y_hat).mean()
        assert ref.huber_loss(y, y_hat, delta) == pytest.approx(expected, rel=RTOL)


def test_robust_losses_worked_numbers():
    # Chapter 3, question 5's house prices: errors 0.2, 0.5 and 0.5.
    assert ref.mean_absolute_error([3.0, 4.5, 2.0], [2.8, 4.0, 2.5]) == pytest.approx(0.4)
    # Residuals 0.5, -2 and 4 with delta = 1: 0.125, 1.5 and 3.5 (worked in the notebook, section 9).
    assert ref.huber_loss([0, 0, 0], [0.5, -2.0, 4.0]) == pytest.approx(5.125 / 3)
    # Inside delta Huber is half the squared error; far outside it is delta * |r| minus a constant.
    half_mse = 0.5 * ref.mean_squared_error([0, 0], [0.3, -0.4])
    assert ref.huber_loss([0, 0], [0.3, -0.4], delta=1.0) == pytest.approx(half_mse)
    assert ref.huber_loss([0.0], [100.0], delta=2.0) == pytest.approx(2.0 * 100.0 - 2.0)


def test_best_constants_are_mean_median_and_in_between():
    y = np.array([2.1, 2.4, 2.5, 2.7, 3.0, 3.2, 12.0])
    result = {name: scipy.optimize.minimize_scalar(lambda c, f=f: f(y, np.full(7, c)), bounds=(0, 15),
                                                   method="bounded", options={"xatol": 1e-10}).x
              for name, f in (("mse", ref.mean_squared_error), ("mae", ref.mean_absolute_error),
                              ("huber", ref.huber_loss))}
    assert result["mse"] == pytest.approx(y.mean(), abs=1e-6)
    assert result["mae"] == pytest.approx(np.median(y), abs=1e-6)
    assert np.median(y) < result["huber"] < y.mean()


def test_huber_loss_rejects_a_non_positive_delta():
    with pytest.raises(ValueError, match="`delta` must be a positive"):
        ref.huber_loss([0.0], [1.0], delta=0.0)
