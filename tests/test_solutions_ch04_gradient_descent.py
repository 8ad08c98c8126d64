"""The ch04 reference solutions against the book's numbers and independent oracles.

Oracles: closed forms of gradient descent on one-dimensional quadratics, SciPy's
Rosenbrock derivative and eigenvalue solver, ``np.linalg.lstsq``, an independent
Adam (Kingma and Ba, Algorithm 1) and
scikit-learn's and statsmodels' unpenalised logistic regressions.
"""

import math

import numpy as np
import pytest
import scipy.linalg
import scipy.optimize
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression

from solutions.ch04_gradient_descent import (
    adam,
    batch_gradient_descent,
    directional_derivative,
    gradient_descent,
    logistic_regression_gd,
    max_stable_learning_rate,
    minibatch_gradient_descent,
    momentum_gradient_descent,
    numerical_gradient,
    stochastic_gradient_descent,
)

BOOK_X, BOOK_Y = [1, 2, 3, 4], [2, 4, 6, 8]


def regression(seed, n=80, d=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    return X, X @ rng.normal(size=d) + 0.3 * rng.normal(size=n)


def least_squares(X, y):
    return np.linalg.lstsq(X, y, rcond=None)[0]


# --- gradient_descent --------------------------------------------------------------


def test_gradient_descent_matches_the_closed_form_of_listing_4_1():
    # On J = (theta - 3)^2 with rate 0.1 the error shrinks by 0.8 per step.
    history = gradient_descent(lambda t: 2 * (t - 3), 0, 0.1, 20)
    assert history.shape == (21, 1)
    np.testing.assert_allclose(history[:, 0], 3 * (1 - 0.8 ** np.arange(21)), rtol=1e-12)
    assert history[-1, 0] == pytest.approx(2.9654, abs=1e-4)


def test_gradient_descent_question_15_first_step_and_listing_4_2():
    history = gradient_descent(lambda t: 2 * (t - 5), 0.0, 0.1, 10)
    assert history[1, 0] == pytest.approx(1.0)
    assert history[-1, 0] == pytest.approx(5 * (1 - 0.8**10), rel=1e-12)


def test_gradient_descent_vector_steps_follow_the_update_rule():
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    history = gradient_descent(lambda t: A @ t, [1.0, -1.0], 0.1, 5)
    for before, after in zip(history[:-1], history[1:], strict=True):
        np.testing.assert_allclose(after, before - 0.1 * A @ before)


def test_gradient_descent_diverges_above_the_stable_rate():
    # |1 - 2 * eta| > 1 for eta > 1 on J = (theta - 3)^2.
    history = gradient_descent(lambda t: 2 * (t - 3), 0.0, 1.05, 30)
    assert abs(history[-1, 0] - 3) > abs(history[0, 0] - 3)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"learning_rate": 0.0}, "learning_rate"),
        ({"n_steps": -1}, "n_steps"),
        ({"n_steps": 2.5}, "n_steps"),
        ({"theta0": [[1.0, 2.0]]}, "theta0"),
        ({"grad": lambda t: np.zeros(3)}, "grad"),
    ],
)
def test_gradient_descent_rejects_bad_inputs(kwargs, match):
    args = {"grad": lambda t: 2 * t, "theta0": [1.0, 2.0], "learning_rate": 0.1, "n_steps": 3}
    with pytest.raises(ValueError, match=match):
        gradient_descent(**{**args, **kwargs})


# --- numerical_gradient / directional_derivative -------------------------------------


def test_numerical_gradient_matches_scipys_rosenbrock_derivative():
    point = np.random.default_rng(0).uniform(-1.5, 1.5, 5)
    np.testing.assert_allclose(
        numerical_gradient(scipy.optimize.rosen, point), scipy.optimize.rosen_der(point), rtol=1e-6, atol=1e-6
    )


def test_numerical_gradient_is_second_order_accurate():
    # exp'(0) = 1; the central-difference error is about h^2 / 6.
    error = abs(numerical_gradient(lambda v: np.exp(v[0]), [0.0], h=1e-2)[0] - 1)
    assert 1e-2**2 / 6 * 0.9 < error < 1e-2**2 / 6 * 1.1


def test_numerical_gradient_keeps_the_shape_of_a_matrix_parameter():
    W = np.random.default_rng(1).normal(size=(2, 3))
    np.testing.assert_allclose(numerical_gradient(lambda M: np.sum(M**3), W), 3 * W**2, rtol=1e-7)


def test_numerical_gradient_rejects_bad_inputs():
    with pytest.raises(ValueError, match="`h`"):
        numerical_gradient(np.sum, [1.0], h=0)
    with pytest.raises(ValueError, match="`f`"):
        numerical_gradient(lambda v: v * 2, [1.0, 2.0])


def test_directional_derivative_of_the_book_example():
    # f = x^2 + y^2 at (1, 1): gradient (2, 2); along it the slope is ||(2, 2)|| = 2 sqrt 2.
    assert directional_derivative([2, 2], [1, 1]) == pytest.approx(2 * np.sqrt(2))
    assert directional_derivative([2, 2], [-5, -5]) == pytest.approx(-2 * np.sqrt(2))
    assert directional_derivative([2, 2], [1, -1]) == pytest.approx(0, abs=1e-15)


def test_directional_derivative_is_largest_along_the_gradient():
    rng = np.random.default_rng(2)
    gradient = rng.normal(size=4)
    slopes = [directional_derivative(gradient, v) for v in rng.normal(size=(500, 4))]
    assert max(slopes) <= np.linalg.norm(gradient) + 1e-12  # Cauchy-Schwarz
    assert directional_derivative(gradient, gradient) == pytest.approx(np.linalg.norm(gradient))


def test_directional_derivative_rejects_bad_inputs():
    with pytest.raises(ValueError, match="zero vector"):
        directional_derivative([2, 2], [0, 0])
    with pytest.raises(ValueError, match="same shape"):
        directional_derivative([2, 2], [1, 1, 1])


# --- max_stable_learning_rate ------------------------------------------------------------


def test_max_stable_learning_rate_of_the_book_losses():
    assert max_stable_learning_rate(2.0) == pytest.approx(1.0)  # J = (theta - 3)^2
    assert max_stable_learning_rate(np.eye(2) * 2) == pytest.approx(1.0)  # x^2 + y^2
    X = np.array(BOOK_X, dtype=float)[:, None]
    assert max_stable_learning_rate(2 * X.T @ X / len(X)) == pytest.approx(2 / 15)


def test_max_stable_learning_rate_matches_scipy_eigh():
    A = np.random.default_rng(3).normal(size=(5, 5))
    H = A @ A.T + np.eye(5)
    assert max_stable_learning_rate(H) == pytest.approx(2 / scipy.linalg.eigh(H, eigvals_only=True)[-1])


def test_gradient_descent_converges_below_and_diverges_above_the_bound():
    A = np.random.default_rng(4).normal(size=(3, 3))
    H = A @ A.T + 0.5 * np.eye(3)
    bound = max_stable_learning_rate(H)
    start = np.ones(3)
    below = gradient_descent(lambda t: H @ t, start, 0.99 * bound, 3000)[-1]
    above = gradient_descent(lambda t: H @ t, start, 1.01 * bound, 3000)[-1]
    assert np.linalg.norm(below) < 1e-3 < 1e3 < np.linalg.norm(above)


@pytest.mark.parametrize(
    ("hessian", "match"),
    [([[1.0, 2.0], [2.0, 1.0]], "positive definite"), ([[2.0, 1.0], [0.0, 2.0]], "symmetric"),
     ([[1.0, 0.0, 0.0]], "square")],
)
def test_max_stable_learning_rate_rejects_bad_hessians(hessian, match):
    with pytest.raises(ValueError, match=match):
        max_stable_learning_rate(hessian)


# --- linear regression by gradient descent ----------------------------------------------


def test_batch_gradient_descent_book_data_closed_form():
    # Mean gradient on the book's data: w <- w - 0.01 * 15 (w - 2), so w_k = 2 (1 - 0.85^k).
    w = batch_gradient_descent(BOOK_X, BOOK_Y, 0.01, 10)
    assert w.shape == (1,)
    assert w[0] == pytest.approx(2 * (1 - 0.85**10), rel=1e-12)


def test_batch_gradient_descent_converges_to_lstsq():
    X, y = regression(5)
    np.testing.assert_allclose(batch_gradient_descent(X, y, 0.1, 3000), least_squares(X, y), atol=1e-10)


def test_sgd_reproduces_listing_4_3():
    theta = 0.0
    for _ in range(10):
        for x_i, y_i in zip(BOOK_X, BOOK_Y, strict=True):
            theta -= 0.01 * 2 * x_i * (theta * x_i - y_i)
    # On noiseless y = 2x the per-example updates commute, so the order does not matter.
    w = stochastic_gradient_descent(BOOK_X, BOOK_Y, 0.01, 10, np.random.default_rng(0))
    assert w[0] == pytest.approx(theta, rel=1e-12)


def test_sgd_follows_a_fresh_permutation_each_epoch():
    X, y = regression(6, n=15)
    order_rng, w = np.random.default_rng(9), np.zeros(3)
    for _ in range(3):
        for i in order_rng.permutation(15):
            w = w - 0.02 * 2 * (X[i] @ w - y[i]) * X[i]
    np.testing.assert_allclose(stochastic_gradient_descent(X, y, 0.02, 3, np.random.default_rng(9)), w,
                               rtol=1e-12)


def test_sgd_is_reproducible_from_the_seed_only():
    X, y = regression(7)
    np.random.seed(0)
    first = stochastic_gradient_descent(X, y, 0.01, 5, np.random.default_rng(1))
    np.random.seed(1)
    assert np.array_equal(first, stochastic_gradient_descent(X, y, 0.01, 5, np.random.default_rng(1)))
    assert not np.allclose(first, stochastic_gradient_descent(X, y, 0.01, 5, np.random.default_rng(2)))


def test_sgd_with_a_decaying_step_approaches_lstsq():
    # A constant step leaves SGD jittering around the optimum at a distance that shrinks with the step.
    X, y = regression(8)
    w = stochastic_gradient_descent(X, y, 0.001, 200, np.random.default_rng(3))
    np.testing.assert_allclose(w, least_squares(X, y), atol=5e-3)


def test_minibatch_limits_reproduce_sgd_and_batch_gd():
    X, y = regression(10, n=23)
    np.testing.assert_allclose(
        minibatch_gradient_descent(X, y, 0.02, 4, 1, np.random.default_rng(5)),
        stochastic_gradient_descent(X, y, 0.02, 4, np.random.default_rng(5)), rtol=1e-10)
    np.testing.assert_allclose(
        minibatch_gradient_descent(X, y, 0.05, 40, 23, np.random.default_rng(5)),
        batch_gradient_descent(X, y, 0.05, 40), rtol=1e-10)


def test_minibatch_uses_every_example_including_a_short_last_chunk():
    X, y = regression(11, n=10, d=2)
    order_rng, w = np.random.default_rng(4), np.zeros(2)
    for _ in range(2):
        order = order_rng.permutation(10)
        for batch in (order[:4], order[4:8], order[8:]):
            w = w - 0.05 * np.mean([2 * (X[i] @ w - y[i]) * X[i] for i in batch], axis=0)
    np.testing.assert_allclose(minibatch_gradient_descent(X, y, 0.05, 2, 4, np.random.default_rng(4)), w,
                               rtol=1e-12)


def test_minibatch_converges_near_lstsq():
    X, y = regression(12, n=200)
    w = minibatch_gradient_descent(X, y, 0.01, 300, 32, np.random.default_rng(6))
    np.testing.assert_allclose(w, least_squares(X, y), atol=5e-3)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: batch_gradient_descent([[1, 2], [3, 4]], [1, 2, 3], 0.1, 5), "one target per row"),
        (lambda: batch_gradient_descent(BOOK_X, BOOK_Y, -0.1, 5), "learning_rate"),
        (lambda: batch_gradient_descent([], [], 0.1, 5), "empty"),
        (lambda: stochastic_gradient_descent(BOOK_X, BOOK_Y, 0.1, 5, 42), "Generator"),
        (lambda: stochastic_gradient_descent(BOOK_X, BOOK_Y, 0.1, -1, np.random.default_rng()), "n_epochs"),
        (lambda: minibatch_gradient_descent(BOOK_X, BOOK_Y, 0.1, 5, 0, np.random.default_rng()), "batch_size"),
        (lambda: logistic_regression_gd([1, 2], [0, 2], 0.1, 5), r"\[0, 1\]"),
    ],
)
def test_regression_functions_reject_bad_inputs(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# --- logistic_regression_gd ----------------------------------------------------------------


def test_logistic_regression_gd_matches_unpenalised_sklearn_and_statsmodels():
    rng = np.random.default_rng(13)
    X = np.column_stack([np.ones(300), rng.normal(size=(300, 2))])
    y = (rng.random(300) < 1 / (1 + np.exp(-X @ [0.5, 1.5, -1.0]))).astype(float)
    w = logistic_regression_gd(X, y, 1.0, 3000)
    # C = inf switches the penalty off (scikit-learn >= 1.8 deprecates penalty=None).
    model = LogisticRegression(C=np.inf, fit_intercept=False, tol=1e-12, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(w, model.coef_.ravel(), atol=1e-6)
    np.testing.assert_allclose(w, sm.Logit(y, X).fit(disp=0).params, atol=1e-6)


def test_logistic_regression_gd_first_step_is_the_mean_log_loss_gradient():
    # At w = 0 every p is 1/2, so the first step is lr * X^T (y - 1/2) / n.
    X = np.array([[1.0, -1.0], [1.0, 1.0], [1.0, 2.0]])
    y = np.array([0.0, 1.0, 1.0])
    np.testing.assert_allclose(logistic_regression_gd(X, y, 0.5, 1), 0.5 * X.T @ (y - 0.5) / 3)


def test_logistic_regression_gd_survives_separable_data():
    # Separable data push |X w| up without bound; the tanh form of the sigmoid never overflows.
    x = np.linspace(-3, 3, 20)
    with np.errstate(all="raise"):
        w = logistic_regression_gd(x, (x > 0).astype(float), 50.0, 2000)
    assert np.isfinite(w).all() and w[0] > 10


def _independent_adam(grad, theta0, lr, n_steps, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam written from Kingma and Ba (2015), Algorithm 1, one coordinate at a time in plain floats."""
    theta = [float(t) for t in np.ravel(theta0)]
    m, v = [0.0] * len(theta), [0.0] * len(theta)
    history = [list(theta)]
    for t in range(1, n_steps + 1):
        g = [float(gi) for gi in grad(np.array(theta))]
        for i, gi in enumerate(g):
            m[i] = beta1 * m[i] + (1 - beta1) * gi
            v[i] = beta2 * v[i] + (1 - beta2) * gi * gi
            m_hat = m[i] / (1 - beta1**t)
            v_hat = v[i] / (1 - beta2**t)
            theta[i] = theta[i] - lr * m_hat / (math.sqrt(v_hat) + eps)
        history.append(list(theta))
    return np.array(history)


def test_adam_against_an_independent_implementation():
    H = np.array([[2.0, 0.0], [0.0, 10.0]])
    A = np.array([[3.0, 1.0, 0.0], [1.0, 2.0, 0.5], [0.0, 0.5, 1.0]])
    b = np.array([1.0, -2.0, 0.5])
    cases = [
        (lambda t: 2 * (t - 5), 0.0, 0.1, 50, {}),
        (lambda t: H @ t, [-4.0, 1.0], 0.3, 40, {}),
        (lambda t: A @ t - b, np.zeros(3), 0.05, 100, {"beta1": 0.5, "beta2": 0.9, "eps": 1e-3}),
    ]
    # The same operations in another order: agreement to ~1e-14; 1e-10 leaves room.
    for grad, theta0, lr, steps, kwargs in cases:
        expected = _independent_adam(grad, theta0, lr, steps, **kwargs)
        assert np.allclose(adam(grad, theta0, lr, steps, **kwargs), expected, rtol=1e-10, atol=1e-12)


def test_adam_worked_numbers_and_scale_invariance():
    # Derived in the notebook (section 8): theta_1 = 0.1, theta_2 = 0.19994 on (theta - 5)^2.
    history = adam(lambda t: 2 * (t - 5), 0.0, 0.1, 2).ravel()
    assert history[1] == pytest.approx(0.1, abs=1e-8)
    assert history[2] == pytest.approx(0.1 + 0.1 * (1.88 / 0.19) / (math.sqrt(0.19594 / 0.001999) + 1e-8))
    steep = adam(lambda t: 2000 * (t - 5), 0.0, 0.1, 20)
    assert np.allclose(steep, adam(lambda t: 2 * (t - 5), 0.0, 0.1, 20), atol=1e-6)


def test_momentum_worked_numbers_and_limits():
    # (theta - 5)^2 from 0, lr 0.1, momentum 0.5: v = 1, 1.3, 1.19 (notebook, section 8).
    history = momentum_gradient_descent(lambda t: 2 * (t - 5), 0.0, 0.1, 0.5, 3).ravel()
    assert np.allclose(history, [0.0, 1.0, 2.3, 3.49])
    grad = lambda t: np.array([[2.0, 0.0], [0.0, 10.0]]) @ t  # noqa: E731
    assert np.array_equal(momentum_gradient_descent(grad, [1.0, 1.0], 0.1, 0.0, 15),
                          gradient_descent(grad, [1.0, 1.0], 0.1, 15))
    # Heavy ball on a quadratic: theta_{k+1} = theta_k - lr H theta_k + mu (theta_k - theta_{k-1}).
    H = np.array([[2.0, 0.5], [0.5, 4.0]])
    lr, mu = 0.1, 0.7
    path = momentum_gradient_descent(lambda t: H @ t, [1.0, -1.0], lr, mu, 30)
    for k in range(1, 30):
        assert np.allclose(path[k + 1], path[k] - lr * H @ path[k] + mu * (path[k] - path[k - 1]), atol=1e-12)
    with pytest.raises(ValueError, match="`momentum` must lie in"):
        momentum_gradient_descent(grad, [1.0, 1.0], 0.1, 1.0, 5)
