"""Hidden checks for ``ch04_gradient_descent`` (book chapter 4, questions 13-17).

The optimisers are deterministic given their inputs: gradient descent has no
randomness, and SGD / mini-batch draw nothing but one ``rng.permutation(n)``
per epoch (see the contract).  Every case therefore compares the learner's
weights with the reference's under tight tolerances: a correct float64
implementation differs only by rounding in dot products and sums (about 1e-15
relative), which the stable learning rates used here do not amplify; every
catalogued mistake changes the weights by orders of magnitude more.  Random
inputs come from one seeded generator, so every grading run sees the same cases.
"""


import math

import numpy as np

from graders.compare import Array, Scalar
from graders.engine import Case, Exercise, GradedTest, Mistake
from graders.exercises.shared import global_seed
from solutions import ch04_gradient_descent as ref

_rng = np.random.default_rng(20260404)

# Weights after many updates: rounding differs between correct styles at about
# 1e-15 relative per update and contracts with a stable learning rate, so 1e-8
# relative is generous, while every catalogued mistake (a differently shuffled
# epoch, one epoch too many, ...) moves some weight by more than 0.5 %.
_WEIGHTS = Array(rtol=1e-8, atol=1e-10)


def _regression(n, d, noise=0.3):
    """A seeded linear-regression data set: standard normal features, noisy targets."""
    X = _rng.normal(size=(n, d))
    return X, X @ _rng.normal(0, 2, d) + noise * _rng.normal(size=n)


def _spd(d, condition):
    """A seeded symmetric positive-definite matrix with the given condition number."""
    basis, _ = np.linalg.qr(_rng.normal(size=(d, d)))
    return basis @ np.diag(np.geomspace(1, condition, d)) @ basis.T


_BOOK_X, _BOOK_Y = np.array([1.0, 2.0, 3.0, 4.0]), np.array([2.0, 4.0, 6.0, 8.0])

# --- gradient_descent ------------------------------------------------------------

_A3 = _spd(3, 20.0)
_b3 = _rng.normal(size=3)


def _rosenbrock_grad(t):
    x, y = t
    return np.array([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)])


def _gd_final_only(grad, theta0, learning_rate, n_steps):
    return ref.gradient_descent(grad, theta0, learning_rate, n_steps)[-1]


def _gd_no_start(grad, theta0, learning_rate, n_steps):
    return ref.gradient_descent(grad, theta0, learning_rate, n_steps)[1:]


def _gd_ascent(grad, theta0, learning_rate, n_steps):
    return ref.gradient_descent(lambda t: -np.asarray(grad(t)), theta0, learning_rate, n_steps)


def _gd_aliased(grad, theta0, learning_rate, n_steps):
    theta = np.atleast_1d(np.array(theta0, dtype=float))
    history = [theta]
    for _ in range(n_steps):
        theta -= learning_rate * grad(theta)
        history.append(theta)
    return np.array(history)


def _gd_scalar_stays_scalar(grad, theta0, learning_rate, n_steps):
    history = ref.gradient_descent(grad, theta0, learning_rate, n_steps)
    return history.ravel() if np.ndim(theta0) == 0 else history


def _gd_list_history(grad, theta0, learning_rate, n_steps):
    theta = np.atleast_1d(np.asarray(theta0, dtype=float))
    history = [theta]
    for _ in range(n_steps):
        theta = theta - learning_rate * np.asarray(grad(theta))
        history.append(theta)
    return np.array(history)


def _gd_preallocated(grad, theta0, learning_rate, n_steps):
    start = np.asarray(theta0, dtype=float).reshape(-1)
    history = np.zeros((n_steps + 1, start.size))
    history[0] = start
    for k in range(n_steps):
        history[k + 1] = history[k] - learning_rate * grad(history[k].copy())
    return history


GRADIENT_DESCENT = Exercise(
    name="gradient_descent",
    reference=ref.gradient_descent,
    compare=Array(rtol=1e-9, atol=1e-12),  # same arithmetic in every correct style
    tests=(
        GradedTest("test_gradient_descent", 2, "history of GD on the book's one-parameter losses", (
            Case("the book's J = (theta - 3)^2 from theta0 = 0, learning rate 0.1, 20 steps",
                 (lambda t: 2 * (t - 3), 0, 0.1, 20)),
            Case("question 15's J = (theta - 5)^2 from 0.0, learning rate 0.1, 10 steps",
                 (lambda t: 2 * (t - 5), 0.0, 0.1, 10)),
            Case("J = (theta - 3)^2 with the too-large learning rate 1.05 (GD diverges)",
                 (lambda t: 2 * (t - 3), 0.0, 1.05, 15)),
            Case("theta0 given as a one-element list", (lambda t: 2 * (t - 3), [4.0], 0.25, 5)),
        )),
        GradedTest("test_gradient_descent_vector", 1, "history with vector parameters", (
            Case("the bowl x^2 + y^2 from (1, 1), learning rate 0.1, 5 steps",
                 (lambda t: 2 * t, np.array([1.0, 1.0]), 0.1, 5)),
            Case("a seeded 3-D quadratic with condition number 20, 30 steps",
                 (lambda t: _A3 @ t - _b3, np.zeros(3), 0.08, 30)),
            Case("the Rosenbrock function from (-1, 1), 50 small steps",
                 (_rosenbrock_grad, np.array([-1.0, 1.0]), 1e-3, 50)),
            Case("zero steps (the history holds only theta0)", (lambda t: 2 * t, [1.0, -2.0], 0.1, 0)),
        )),
    ),
    mistakes=(
        Mistake("final value only", "return the whole history, shape (n_steps + 1, d), not just the last "
                "parameters.", _gd_final_only),
        Mistake("history without theta0", "row 0 of the history is the starting point theta0; you returned "
                "only the n_steps updated values.", _gd_no_start),
        Mistake("gradient ascent", "the update subtracts the gradient, theta - lr * grad(theta); adding it "
                "climbs the loss.", _gd_ascent, book="Q13.2"),
        Mistake("aliased history", "`theta -= ...` changes the array you already stored, so every row ends up "
                "equal to the last; write `theta = theta - lr * grad(theta)` (a new array) or store a copy.",
                _gd_aliased),
        Mistake("scalar theta0 kept scalar", "a scalar theta0 counts as shape (1,): the history must have "
                "shape (n_steps + 1, 1) - use np.asarray(theta0, dtype=float).reshape(-1).",
                _gd_scalar_stays_scalar),
    ),
    alternatives=(_gd_preallocated,),
    minimal=_gd_list_history,
)

# --- numerical_gradient ----------------------------------------------------------

_W23, _A23 = _rng.normal(size=(2, 3)), _rng.uniform(0.5, 2.0, (2, 3))
_theta5 = _rng.normal(0, 0.5, 5)


def _book_mse(w):
    return np.mean((_BOOK_X[:, None] @ w - _BOOK_Y) ** 2)


def _numgrad_forward(f, theta, h=1e-6):
    theta = np.asarray(theta, dtype=float)
    grad = np.zeros_like(theta)
    for i in np.ndindex(theta.shape):
        step = np.zeros_like(theta)
        step[i] = h
        grad[i] = (f(theta + step) - f(theta)) / h
    return grad


def _numgrad_over_h(f, theta, h=1e-6):
    return 2 * ref.numerical_gradient(f, theta, h)


def _numgrad_all_at_once(f, theta, h=1e-6):
    theta = np.asarray(theta, dtype=float)
    return np.full(theta.shape, (f(theta + h) - f(theta - h)) / (2 * h))


def _numgrad_fixed_h(f, theta, h=1e-6):
    return ref.numerical_gradient(f, theta)


def _numgrad_rows_only(f, theta, h=1e-6):
    theta = np.asarray(theta, dtype=float)
    grad = np.zeros_like(theta)
    for i in range(len(theta)):
        step = np.zeros_like(theta)
        step[i] = h
        grad[i] = (f(theta + step) - f(theta - step)) / (2 * h)
    return grad


def _numgrad_flat(f, theta, h=1e-6):
    return ref.numerical_gradient(f, theta, h).ravel()


def _numgrad_flat_loop(f, theta, h=1e-6):
    theta = np.asarray(theta, dtype=float)
    flat = theta.ravel()
    grad = np.zeros(flat.size)
    for i in range(flat.size):
        e = np.zeros(flat.size)
        e[i] = h
        grad[i] = (f((flat + e).reshape(theta.shape)) - f((flat - e).reshape(theta.shape))) / (2 * h)
    return grad.reshape(theta.shape)


def _numgrad_in_place(f, theta, h=1e-6):
    x = np.array(theta, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        original = x[idx]
        x[idx] = original + h
        up = f(x.copy())
        x[idx] = original - h
        down = f(x.copy())
        x[idx] = original
        grad[idx] = 0.5 * (up - down) / h
    return grad


# Central differences at h = 1e-6 carry rounding noise of about 1e-16 |f| / h,
# up to 1e-9 here, and styles (0.5 * d / h versus d / (2 h)) differ by that
# much; 1e-7 absolute and relative accepts them.  The cases with h = 1e-3 and
# 1e-2 make the truncation error of a one-sided difference (about h f'' / 2)
# and of a hard-coded h (about h^2 f''' / 6) far larger than 1e-7.
NUMERICAL_GRADIENT = Exercise(
    name="numerical_gradient",
    reference=ref.numerical_gradient,
    compare=Array(rtol=1e-7, atol=1e-7),
    tests=(
        GradedTest("test_numerical_gradient", 2, "central differences for vector parameters", (
            Case("the book's bowl x^2 + y^2 at (1, 1)", (lambda v: v[0] ** 2 + v[1] ** 2, [1.0, 1.0])),
            Case("sum(exp(theta)) at a seeded point in 5 dimensions with h = 1e-3",
                 (lambda v: np.sum(np.exp(v)), _theta5), {"h": 1e-3}),
            Case("sin(x) cos(y) at (0.7, -1.2) with h = 1e-2",
                 (lambda v: np.sin(v[0]) * np.cos(v[1]), np.array([0.7, -1.2]), 1e-2)),
            Case("the least-squares loss of the book's data at w = (1.5,)", (_book_mse, np.array([1.5]))),
        )),
        GradedTest("test_numerical_gradient_matrix", 1, "a gradient shaped like a matrix parameter", (
            Case("sum(A * W^2) for a seeded 2 x 3 matrix W",
                 (lambda W: np.sum(_A23 * W**2), _W23), {"h": 1e-4}),
            Case("log-sum-exp of a seeded 2 x 3 matrix with h = 1e-3",
                 (lambda W: np.log(np.sum(np.exp(W))), _W23, 1e-3)),
        )),
    ),
    mistakes=(
        Mistake("forward difference", "(f(theta + h e_i) - f(theta)) / h has an error proportional to h; "
                "the central difference (f(theta + h e_i) - f(theta - h e_i)) / (2h) is far more accurate.",
                _numgrad_forward),
        Mistake("divides by h", "the two evaluations are 2h apart, so divide their difference by 2h.",
                _numgrad_over_h),
        Mistake("perturbs every coordinate at once", "theta + h moves all coordinates together, which "
                "measures the slope along (1, 1, ..., 1); perturb one coordinate at a time, h * e_i.",
                _numgrad_all_at_once),
        Mistake("ignores h", "use the `h` argument as the step; you used a fixed step.", _numgrad_fixed_h),
        Mistake("loops over rows only", "for a matrix theta, theta[i] is a whole row; loop over every entry, "
                "e.g. with np.ndindex(theta.shape).", _numgrad_rows_only),
        Mistake("flattened result", "return an array shaped like theta (reshape the flat gradient back).",
                _numgrad_flat),
    ),
    alternatives=(_numgrad_flat_loop,),
    minimal=_numgrad_in_place,
)

# --- directional_derivative --------------------------------------------------------

_g6, _d6 = _rng.normal(size=6), _rng.normal(size=6)
_d6 = 7 * _d6 / np.linalg.norm(_d6)


def _along(formula):
    """A (wrong) formula of the gradient and direction as float arrays."""
    return lambda gradient, direction: formula(np.asarray(gradient, dtype=float), np.asarray(direction, dtype=float))


def _dd_dot_sqrt(gradient, direction):
    d = np.asarray(direction, dtype=float)
    length = np.sqrt(np.dot(d, d))
    if length == 0:
        raise ValueError("direction must be non-zero")
    return float(np.dot(gradient, d) / length)


def _dd_loop(gradient, direction):
    length = sum(float(x) ** 2 for x in direction) ** 0.5
    if not length:
        raise ValueError("the zero vector has no direction")
    return sum(float(g) * float(x) / length for g, x in zip(gradient, direction, strict=True))


DIRECTIONAL_DERIVATIVE = Exercise(
    name="directional_derivative",
    reference=ref.directional_derivative,
    compare=Scalar(rtol=1e-9, atol=1e-12),  # one dot product and one norm; atol for exact zeros
    tests=(
        GradedTest("test_directional_derivative", 1, "gradient . (direction / ||direction||)", (
            Case("the book's gradient (2, 2) along (1, 1)", ([2.0, 2.0], [1.0, 1.0])),
            Case("the gradient (2, 2) along the unnormalised (-3, -3)", ([2.0, 2.0], [-3.0, -3.0])),
            Case("the gradient (2, 2) along the x-axis (1, 0)", ([2.0, 2.0], [1.0, 0.0])),
            Case("the gradient (2, 2) along the level-curve direction (1, -1)", ([2.0, 2.0], [1.0, -1.0])),
            Case("a seeded gradient in 6 dimensions along a direction of length 7", (_g6, _d6)),
        )),
        GradedTest("test_directional_derivative_errors", 1, "the zero direction raises ValueError", (
            Case("the gradient (2, 2) along the zero vector (0, 0)", ([2.0, 2.0], [0.0, 0.0]), raises=ValueError),
            Case("a seeded gradient in 6 dimensions along the zero vector", (_g6, np.zeros(6)), raises=ValueError),
        )),
    ),
    mistakes=(
        Mistake("direction not normalised", "the rate of change is along the unit vector v = direction / "
                "||direction||; without normalising, a longer arrow gives a bigger answer.",
                _along(lambda g, d: float(g @ d))),
        Mistake("normalised the gradient", "normalise the direction, not the gradient: D_v f = grad f . v "
                "with ||v|| = 1.", _along(lambda g, d: float(g @ d / np.linalg.norm(g)))),
        Mistake("zero direction not rejected", "the zero vector has no direction, and dividing by its "
                "length 0 gives nan; raise ValueError for it, as the Raises section says.",
                _along(lambda g, d: float(g @ d / np.linalg.norm(d)))),
        Mistake("divided by the squared length", "divide by ||direction|| once; dividing by its square gives "
                "the projection coefficient, not the rate of change.",
                _along(lambda g, d: float(g @ d / (d @ d)))),
        Mistake("elementwise product", "the directional derivative is one number, the sum of "
                "gradient_i * v_i (a dot product).", _along(lambda g, d: g * d / np.linalg.norm(d))),
    ),
    alternatives=(_dd_dot_sqrt,),
    minimal=_dd_loop,
)

# --- max_stable_learning_rate -------------------------------------------------------

_H4 = _spd(4, 8.0)
_H3_ill = _spd(3, 1e4)
_H3_indefinite = _H3_ill - 2 * np.eye(3)  # eigenvalues 1 - 2, 100 - 2 and 1e4 - 2


def _of_matrix(formula):
    """A (wrong) formula of the Hessian as a 2-D float array."""
    return lambda hessian: float(formula(np.atleast_2d(np.asarray(hessian, dtype=float))))


def _lr_eig_real(hessian):
    H = np.atleast_2d(np.asarray(hessian, dtype=float))
    if H.shape[0] != H.shape[1] or not np.allclose(H, H.T):
        raise ValueError("hessian must be a symmetric square matrix")
    eigenvalues = np.linalg.eigvals(H).real
    if eigenvalues.min() <= 0:
        raise ValueError("hessian must be positive definite")
    return 2 / eigenvalues.max()


def _lr_spectral_norm(hessian):
    H = np.atleast_2d(np.asarray(hessian, dtype=float))
    if H.shape[0] != H.shape[1] or not np.allclose(H, H.T):
        raise ValueError("hessian must be a symmetric square matrix")
    np.linalg.cholesky(H)  # raises LinAlgError (a ValueError) unless positive definite
    return float(2 / np.linalg.norm(H, 2))


MAX_STABLE_LEARNING_RATE = Exercise(
    name="max_stable_learning_rate",
    reference=ref.max_stable_learning_rate,
    compare=Scalar(rtol=1e-9),  # eigenvalue solvers agree to ~1e-15 relative on lambda_max
    tests=(
        GradedTest("test_max_stable_learning_rate", 2, "2 / lambda_max of the Hessian", (
            Case("the Hessian 2 of the book's J = (theta - 3)^2, given as a number", (2.0,)),
            Case("the Hessian 2I of the bowl x^2 + y^2", ([[2.0, 0.0], [0.0, 2.0]],)),
            Case("the diagonal Hessian diag(2, 10)", ([[2.0, 0.0], [0.0, 10.0]],)),
            Case("the least-squares Hessian (2/n) X^T X of the book's data X = [1, 2, 3, 4]", ([[15.0]],)),
            Case("a seeded 4 x 4 Hessian with off-diagonal entries", (_H4,)),
            Case("a seeded ill-conditioned 3 x 3 Hessian (condition number 1e4)", (_H3_ill,)),
        )),
        GradedTest("test_max_stable_learning_rate_errors", 1,
                   "matrices that are not symmetric positive definite raise ValueError", (
            Case("the indefinite diag(2, -1)", ([[2.0, 0.0], [0.0, -1.0]],), raises=ValueError),
            Case("a seeded 3 x 3 matrix with one negative eigenvalue", (_H3_indefinite,), raises=ValueError),
            Case("the singular [[1, 1], [1, 1]] (positive semi-definite, not definite)", ([[1.0, 1.0], [1.0, 1.0]],),
                 raises=ValueError),
            Case("the non-symmetric [[2, 1], [0, 3]]", ([[2.0, 1.0], [0.0, 3.0]],), raises=ValueError),
            Case("a 2 x 3 matrix", ([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]],), raises=ValueError),
        )),
    ),
    mistakes=(
        Mistake("1 / lambda_max", "1 / lambda_max is the step that lands exactly on the minimum along the "
                "steepest direction; GD stays stable up to twice that, 2 / lambda_max.",
                _of_matrix(lambda H: 1 / np.linalg.eigvalsh(H)[-1])),
        Mistake("smallest eigenvalue", "np.linalg.eigvalsh returns eigenvalues in ascending order, so [0] is "
                "the smallest; stability is limited by the largest, [-1].",
                _of_matrix(lambda H: 2 / np.linalg.eigvalsh(H)[0])),
        Mistake("largest entry", "the largest entry of H is not its largest eigenvalue once H has "
                "off-diagonal terms; use np.linalg.eigvalsh.", _of_matrix(lambda H: 2 / np.max(H))),
        Mistake("trace", "the trace is the sum of all eigenvalues; the bound uses only the largest one.",
                _of_matrix(lambda H: 2 / np.trace(H))),
        Mistake("matrix not checked", "np.linalg.eigvalsh reads one triangle of H and never complains; "
                "check that H is square, symmetric (np.allclose(H, H.T)) and positive definite (smallest "
                "eigenvalue > 0), and raise ValueError otherwise: without that there is no stable rate.",
                _of_matrix(lambda H: 2 / np.linalg.eigvalsh(H)[-1])),
    ),
    alternatives=(_lr_spectral_norm,),
    minimal=_lr_eig_real,
)

# --- batch_gradient_descent ---------------------------------------------------------

_X40, _y40 = _regression(40, 3)
_X_icpt = np.column_stack([np.ones(50), _rng.normal(size=(50, 2))])
_y_icpt = _X_icpt @ np.array([1.0, -2.0, 0.5]) + 0.2 * _rng.normal(size=50)


def _bgd_design(X):
    X = np.asarray(X, dtype=float)
    return X.reshape(len(X), -1)


def _zero_start(X, y):
    """The design matrix and targets as floats, and the weights w = 0 that every optimiser here starts from."""
    X = _bgd_design(X)
    return X, np.asarray(y, dtype=float), np.zeros(X.shape[1])


def _bgd_sum(X, y, learning_rate, n_epochs):
    X, y, w = _zero_start(X, y)
    for _ in range(n_epochs):
        w = w - learning_rate * 2 * X.T @ (X @ w - y)
    return w


def _bgd_no_two(X, y, learning_rate, n_epochs):
    return ref.batch_gradient_descent(X, y, learning_rate / 2, n_epochs)


def _bgd_ascent(X, y, learning_rate, n_epochs):
    X, y, w = _zero_start(X, y)
    for _ in range(n_epochs):
        w = w + learning_rate * 2 * X.T @ (X @ w - y) / len(y)
    return w


def _bgd_per_example(X, y, learning_rate, n_epochs):
    X, y, w = _zero_start(X, y)
    for _ in range(n_epochs):
        for i in range(len(y)):
            w = w - learning_rate * 2 * (X[i] @ w - y[i]) * X[i]
    return w


def _bgd_extra_epoch(X, y, learning_rate, n_epochs):
    return ref.batch_gradient_descent(X, y, learning_rate, n_epochs + 1)


def _bgd_accumulate(X, y, learning_rate, n_epochs):
    X, y, w = _zero_start(X, y)
    for _ in range(n_epochs):
        total = np.zeros_like(w)
        for x_i, y_i in zip(X, y, strict=True):
            total += 2 * (x_i @ w - y_i) * x_i
        w -= learning_rate * total / len(y)
    return w


def _bgd_vectorised(X, y, learning_rate, n_epochs):
    X, y, w = _zero_start(X, y)
    for _ in range(n_epochs):
        w -= learning_rate * np.mean(2 * (X @ w - y)[:, None] * X, axis=0)
    return w


BATCH_GRADIENT_DESCENT = Exercise(
    name="batch_gradient_descent",
    reference=ref.batch_gradient_descent,
    compare=_WEIGHTS,
    tests=(
        GradedTest("test_batch_gradient_descent", 2, "one mean-gradient update per epoch", (
            Case("the book's data X = [1, 2, 3, 4], y = 2x, learning rate 0.01, 10 epochs",
                 (_BOOK_X, _BOOK_Y, 0.01, 10)),
            Case("a seeded data set of 40 examples and 3 features, 60 epochs", (_X40, _y40, 0.05, 60)),
            Case("an intercept column plus 2 features, 2,000 epochs (converged to least squares)",
                 (_X_icpt, _y_icpt, 0.1, 2000)),
            Case("X as a one-column 2-D list, learning rate 0.02, 3 epochs",
                 ([[1.0], [2.0], [3.0]], [1.0, 3.0, 2.0], 0.02, 3)),
            Case("zero epochs (the weights stay at 0)", (_X40, _y40, 0.05, 0)),
        )),
    ),
    mistakes=(
        Mistake("sum instead of mean", "batch GD steps along the mean gradient (2/n) X^T (X w - y); the sum "
                "makes the step n times too large.", _bgd_sum),
        Mistake("factor 2 dropped", "the gradient of (x . w - y)^2 is 2 (x . w - y) x; keep the 2.",
                _bgd_no_two),
        Mistake("gradient ascent", "subtract the gradient: w - lr * gradient.", _bgd_ascent, book="Q13.2"),
        Mistake("one update per example", "you updated w after each example (that is SGD); batch GD makes "
                "one update per epoch with the mean gradient over all examples.", _bgd_per_example),
        Mistake("one epoch too many", "n_epochs epochs means exactly n_epochs updates, starting from w = 0.",
                _bgd_extra_epoch),
    ),
    alternatives=(_bgd_accumulate,),
    minimal=_bgd_vectorised,
)

# --- stochastic_gradient_descent -------------------------------------------------------

_X30, _y30 = _regression(30, 3)
_x25 = _rng.uniform(-2, 2, 25)
_y25 = 2 * _x25 + 0.5 * _rng.normal(size=25)


def _seeded(seed):
    return np.random.default_rng(seed)


def _sgd_full_batch(X, y, learning_rate, n_epochs, rng):
    X, y, w = _zero_start(X, y)
    for _ in range(n_epochs):
        for _i in rng.permutation(len(y)):
            w = w - learning_rate * 2 * X.T @ (X @ w - y) / len(y)
    return w


def _sgd_with_orders(X, y, learning_rate, orders):
    X, y, w = _zero_start(X, y)
    for order in orders:
        for i in order:
            w = w - learning_rate * 2 * (X[i] @ w - y[i]) * X[i]
    return w


def _sgd_shuffle_once(X, y, learning_rate, n_epochs, rng):
    order = rng.permutation(len(y))
    return _sgd_with_orders(X, y, learning_rate, [order] * n_epochs)


def _sgd_fixed_order(X, y, learning_rate, n_epochs, rng):
    return _sgd_with_orders(X, y, learning_rate, [range(len(y))] * n_epochs)


def _sgd_global_random(X, y, learning_rate, n_epochs, rng):
    return _sgd_with_orders(X, y, learning_rate, [np.random.permutation(len(y)) for _ in range(n_epochs)])


def _sgd_with_replacement(X, y, learning_rate, n_epochs, rng):
    return _sgd_with_orders(X, y, learning_rate, [rng.integers(0, len(y), len(y)) for _ in range(n_epochs)])


def _sgd_shuffle_in_place(X, y, learning_rate, n_epochs, rng):
    X, y, w = _zero_start(X, y)
    for _ in range(n_epochs):
        index = np.arange(len(y))
        rng.shuffle(index)
        for i in index:
            error = np.dot(X[i], w) - y[i]
            w -= learning_rate * 2 * error * X[i]
    return w


def _sgd_scalar_loop(X, y, learning_rate, n_epochs, rng):
    X, y = _bgd_design(X), np.asarray(y, dtype=float)
    w = [0.0] * X.shape[1]
    for _ in range(n_epochs):
        for i in rng.permutation(len(y)):
            error = sum(w_j * x_j for w_j, x_j in zip(w, X[i], strict=True)) - y[i]
            w = [w_j - learning_rate * 2 * error * x_j for w_j, x_j in zip(w, X[i], strict=True)]
    return np.array(w)


def _under_global_seed(seed):
    """A case run: SGD with `rng` seeded 12 while NumPy's global generator is seeded ``seed``.

    The weights are compared with the reference's (which ignores the global
    generator), so the cell pays only for correct weights that come from `rng`
    alone: drawing from np.random makes them depend on ``seed``, and a function
    that ignores its data fails like any wrong answer.
    """
    def run(fn):
        with global_seed(seed):
            return fn(_X30, _y30, 0.02, 4, _seeded(12))
    return run


STOCHASTIC_GRADIENT_DESCENT = Exercise(
    name="stochastic_gradient_descent",
    reference=ref.stochastic_gradient_descent,
    compare=_WEIGHTS,
    tests=(
        GradedTest("test_stochastic_gradient_descent", 2, "per-example updates in a fresh order each epoch", (
            Case("the book's data y = 2x, learning rate 0.01, 10 epochs, seed 0",
                 (_BOOK_X, _BOOK_Y, 0.01, 10, _seeded(0))),
            Case("a seeded data set of 30 examples and 3 features, 20 epochs, seed 1",
                 (_X30, _y30, 0.01, 20, _seeded(1))),
            Case("25 noisy points around y = 2x (1-D X), 5 epochs, seed 2",
                 (_x25, _y25, 0.02, 5, _seeded(2))),
            Case("zero epochs (the weights stay at 0)", (_X30, _y30, 0.01, 0, _seeded(3))),
        )),
        GradedTest("test_stochastic_gradient_descent_rng", 1, "correct weights from rng alone", (
            Case("30 seeded examples, 4 epochs, rng seeded 12, NumPy's global generator seeded 1",
                 run=_under_global_seed(1)),
            Case("the same call with NumPy's global generator seeded 2", run=_under_global_seed(2)),
        )),
    ),
    mistakes=(
        Mistake("full-batch gradient", "each SGD update uses ONE example's gradient 2 (x_i . w - y_i) x_i, "
                "not the mean over the whole data set.", _sgd_full_batch),
        Mistake("shuffles once", "draw a new order with rng.permutation(n) at the start of EVERY epoch, not "
                "once before the loop.", _sgd_shuffle_once),
        Mistake("fixed order", "visit the examples in the order rng.permutation(n), a fresh one each epoch; "
                "a fixed order 0, 1, ..., n-1 is not stochastic.", _sgd_fixed_order),
        Mistake("global np.random", "np.random.permutation uses NumPy's global generator, so the seed in "
                "`rng` does not reproduce your result; call rng.permutation(n).", _sgd_global_random),
        Mistake("sampling with replacement", "an epoch visits every example exactly once: use "
                "rng.permutation(n), not random indices with repeats.", _sgd_with_replacement),
    ),
    alternatives=(_sgd_scalar_loop,),
    minimal=_sgd_shuffle_in_place,
)

# --- minibatch_gradient_descent ---------------------------------------------------------

_x200 = _rng.normal(size=200)
_y200 = 2 * _x200 + 0.1 * _rng.normal(size=200)
_X24, _y24 = _regression(24, 2)
_X20, _y20 = _regression(20, 3)


def _mb_chunks(X, y, learning_rate, orders, chunks, mean_over):
    """Mini-batch updates, one epoch per order, dividing each chunk's summed gradient by ``mean_over``."""
    X, y, w = _zero_start(X, y)
    for order in orders:
        for start, stop in chunks:
            batch = order[start:stop]
            w = w - learning_rate * 2 * X[batch].T @ (X[batch] @ w - y[batch]) / mean_over(batch)
    return w


def _consecutive(n, size):
    return [(start, start + size) for start in range(0, n, size)]


def _mb_divides_by_batch_size(X, y, learning_rate, n_epochs, batch_size, rng):
    orders = [rng.permutation(len(y)) for _ in range(n_epochs)]
    return _mb_chunks(X, y, learning_rate, orders, _consecutive(len(y), batch_size),
                      lambda batch: batch_size)


def _mb_drops_last(X, y, learning_rate, n_epochs, batch_size, rng):
    orders = [rng.permutation(len(y)) for _ in range(n_epochs)]
    full = [(s, e) for s, e in _consecutive(len(y), batch_size) if e <= len(y)]
    return _mb_chunks(X, y, learning_rate, orders, full, len)


def _mb_sum(X, y, learning_rate, n_epochs, batch_size, rng):
    orders = [rng.permutation(len(y)) for _ in range(n_epochs)]
    return _mb_chunks(X, y, learning_rate, orders, _consecutive(len(y), batch_size),
                      lambda batch: 1)


def _mb_shuffle_once(X, y, learning_rate, n_epochs, batch_size, rng):
    orders = [rng.permutation(len(y))] * n_epochs
    return _mb_chunks(X, y, learning_rate, orders, _consecutive(len(y), batch_size), len)


def _mb_no_shuffle(X, y, learning_rate, n_epochs, batch_size, rng):
    orders = [np.arange(len(y))] * n_epochs
    return _mb_chunks(X, y, learning_rate, orders, _consecutive(len(y), batch_size), len)


def _mb_per_example(X, y, learning_rate, n_epochs, batch_size, rng):
    X, y, w = _zero_start(X, y)
    for _ in range(n_epochs):
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch_size):
            for i in order[start:start + batch_size]:
                w = w - learning_rate * 2 * (X[i] @ w - y[i]) * X[i]
    return w


def _mb_split(X, y, learning_rate, n_epochs, batch_size, rng):
    X, y, w = _zero_start(X, y)
    for _ in range(n_epochs):
        order = rng.permutation(len(y))
        for batch in np.split(order, range(batch_size, len(y), batch_size)):
            gradients = 2 * (X[batch] @ w - y[batch])[:, None] * X[batch]
            w = w - learning_rate * gradients.mean(axis=0)
    return w


def _mb_generator(X, y, learning_rate, n_epochs, batch_size, rng):
    X, y, w = _zero_start(X, y)
    for _ in range(n_epochs):
        order = rng.permutation(len(y))
        for Xb, yb in ((X[order[i:i + batch_size]], y[order[i:i + batch_size]])
                       for i in range(0, len(y), batch_size)):
            w -= learning_rate * 2 / len(yb) * Xb.T.dot(Xb.dot(w) - yb)
    return w


MINIBATCH_GRADIENT_DESCENT = Exercise(
    name="minibatch_gradient_descent",
    reference=ref.minibatch_gradient_descent,
    compare=_WEIGHTS,
    tests=(
        GradedTest("test_minibatch_gradient_descent", 2, "chunks of a fresh permutation each epoch", (
            Case("200 noisy points around y = 2x (1-D X), batch size 32 (last chunk of 8), 10 epochs",
                 (_x200, _y200, 0.01, 10, 32, _seeded(4))),
            Case("a seeded data set of 30 examples and 3 features, batch size 4 (last chunk of 2), 15 epochs",
                 (_X30, _y30, 0.02, 15, 4, _seeded(5))),
            Case("24 examples in chunks of 6 (no partial chunk), 8 epochs",
                 (_X24, _y24, 0.05, 8, 6, _seeded(6))),
        )),
        GradedTest("test_minibatch_gradient_descent_limits", 1, "batch_size=1 is SGD, batch_size=n is batch GD", (
            Case("batch_size = 1 on 20 seeded examples, 5 epochs (must equal SGD with the same seed)",
                 (_X20, _y20, 0.02, 5, 1, _seeded(7))),
            Case("batch_size = n on 20 seeded examples, 30 epochs (must equal batch gradient descent)",
                 (_X20, _y20, 0.05, 30, 20, _seeded(8))),
        )),
    ),
    mistakes=(
        Mistake("divides by batch_size", "the last chunk can be smaller than batch_size; average its "
                "gradient over the examples it really holds, len(batch).", _mb_divides_by_batch_size),
        Mistake("drops the last chunk", "when batch_size does not divide n, the leftover examples form a "
                "final, smaller chunk; every example must be used each epoch.", _mb_drops_last),
        Mistake("sum instead of mean", "step along the chunk's MEAN gradient, not its sum.", _mb_sum),
        Mistake("shuffles once", "draw order = rng.permutation(n) at the start of EVERY epoch.",
                _mb_shuffle_once),
        Mistake("no shuffling", "cut the chunks from order = rng.permutation(n), not from the data in its "
                "stored order.", _mb_no_shuffle),
        Mistake("one update per example in each chunk", "you updated w after every example of a chunk, "
                "which is SGD; mini-batch gradient descent makes ONE update per chunk, with the mean gradient "
                "of the examples in it.", _mb_per_example, book="Q16.2"),
    ),
    alternatives=(_mb_generator,),
    minimal=_mb_split,
)

# --- logistic_regression_gd ----------------------------------------------------------------

_X60 = np.column_stack([np.ones(60), _rng.normal(size=(60, 2))])
_y60 = (_rng.random(60) < 1 / (1 + np.exp(-_X60 @ np.array([-0.5, 2.0, -1.0])))).astype(float)
_x_sep = np.linspace(-2, 2, 12)
_y_sep = (_x_sep > 0).astype(float)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _logistic_with(gradient):
    """Full-batch GD from ``w = 0`` stepping along ``gradient(X, y, w)``."""
    def logistic_regression_gd(X, y, learning_rate, n_steps):
        X, y, w = _zero_start(X, y)
        for _ in range(n_steps):
            w = w - learning_rate * gradient(X, y, w)
        return w
    return logistic_regression_gd


def _logistic_loop(X, y, learning_rate, n_steps):
    X, y, w = _zero_start(X, y)
    for _ in range(n_steps):
        total = np.zeros_like(w)
        for x_i, y_i in zip(X, y, strict=True):
            total += (np.exp(-np.logaddexp(0.0, -(x_i @ w))) - y_i) * x_i
        w = w - learning_rate * total / len(y)
    return w


LOGISTIC_REGRESSION_GD = Exercise(
    name="logistic_regression_gd",
    reference=ref.logistic_regression_gd,
    compare=_WEIGHTS,
    tests=(
        GradedTest("test_logistic_regression_gd", 2, "full-batch GD on the mean log-loss", (
            Case("two examples with an intercept column, one step of size 1", ([[1, -1], [1, 1]], [0, 1], 1.0, 1)),
            Case("60 seeded examples, intercept + 2 features, learning rate 0.5, 200 steps",
                 (_X60, _y60, 0.5, 200)),
            Case("12 separable points on a line (1-D X), learning rate 1, 50 steps", (_x_sep, _y_sep, 1.0, 50)),
            Case("zero steps (the weights stay at 0)", (_X60, _y60, 0.5, 0)),
        )),
    ),
    mistakes=(
        Mistake("sum instead of mean", "the cost is the MEAN log-loss, so its gradient is X^T (p - y) / n.",
                _logistic_with(lambda X, y, w: X.T @ (_sigmoid(X @ w) - y))),
        Mistake("factor 2 from squared error", "the log-loss gradient is X^T (p - y) / n with no factor 2 "
                "(the 2 belongs to the squared loss).",
                _logistic_with(lambda X, y, w: 2 * X.T @ (_sigmoid(X @ w) - y) / len(y))),
        Mistake("gradient ascent", "the gradient of the log-loss is X^T (p - y) / n; with (y - p) you must "
                "add it, with (p - y) subtract it - you climbed the loss.",
                _logistic_with(lambda X, y, w: X.T @ (y - _sigmoid(X @ w)) / len(y)), book="Q13.2"),
        Mistake("squared error through the sigmoid", "differentiating (p - y)^2 adds a factor p (1 - p) that "
                "vanishes for confident predictions; the log-loss gradient is simply X^T (p - y) / n.",
                _logistic_with(lambda X, y, w: X.T @ ((_sigmoid(X @ w) - y) * _sigmoid(X @ w)
                                                      * (1 - _sigmoid(X @ w))) / len(y))),
        Mistake("no sigmoid", "the prediction is p = sigmoid(X w); X w - y is the linear-regression "
                "residual.", _logistic_with(lambda X, y, w: X.T @ (X @ w - y) / len(y))),
    ),
    alternatives=(_logistic_with(lambda X, y, w: X.T @ (_sigmoid(X @ w) - y) / len(y)),),
    minimal=_logistic_loop,
)

# --- momentum_gradient_descent / adam ----------------------------------------------

_H_VALLEY = np.array([[2.0, 0.0], [0.0, 10.0]])  # the notebook's ill-conditioned quadratic
_A4 = _spd(4, 50.0)
_b4 = _rng.normal(size=4)


def _valley_grad(t):
    return _H_VALLEY @ t


def _momentum(update_order="heavy ball", look_ahead=False, sign=-1.0, dampen=False, carry=True):
    """A momentum loop with one thing changed, as a learner might write it."""

    def run(grad, theta0, learning_rate, momentum, n_steps):
        theta = np.asarray(theta0, dtype=float).reshape(-1)
        velocity = np.zeros_like(theta)
        history = [theta]
        for _ in range(n_steps):
            at = theta + momentum * velocity if look_ahead else theta
            step = (1 - momentum) * learning_rate if dampen else learning_rate
            kept = momentum * velocity if carry else 0.0
            if update_order == "position first":
                theta = theta + velocity
                velocity = kept + sign * step * np.asarray(grad(at), dtype=float)
            else:
                velocity = kept + sign * step * np.asarray(grad(at), dtype=float)
                theta = theta + velocity
            history.append(theta)
        return np.array(history)

    return run


def _momentum_gradient_sum(grad, theta0, learning_rate, momentum, n_steps):
    """Correct: the velocity as a running sum of gradients, scaled by the rate when applied."""
    theta = np.asarray(theta0, dtype=float).reshape(-1)
    total = np.zeros_like(theta)
    history = np.zeros((n_steps + 1, theta.size))
    history[0] = theta
    for k in range(n_steps):
        total = momentum * total + np.asarray(grad(theta), dtype=float)
        theta = theta - learning_rate * total
        history[k + 1] = theta
    return history


def _momentum_scalar_loops(grad, theta0, learning_rate, momentum, n_steps):
    """Correct: every coordinate updated in a Python loop."""
    theta = [float(t) for t in np.ravel(theta0)]
    velocity = [0.0] * len(theta)
    rows = [list(theta)]
    for _ in range(n_steps):
        gradient = list(grad(np.array(theta)))
        for i in range(len(theta)):
            velocity[i] = momentum * velocity[i] - learning_rate * gradient[i]
            theta[i] += velocity[i]
        rows.append(list(theta))
    return np.array(rows)


_optimiser_history = Array(rtol=1e-9, atol=1e-12)  # the same few operations per step in every correct style

MOMENTUM_GRADIENT_DESCENT = Exercise(
    name="momentum_gradient_descent",
    reference=ref.momentum_gradient_descent,
    compare=_optimiser_history,
    tests=(
        GradedTest("test_momentum_gradient_descent", 2, "heavy-ball history on one- and two-parameter losses", (
            Case("question 15's J = (theta - 5)^2 from 0.0, learning rate 0.1, momentum 0.5, 10 steps",
                 (lambda t: 2 * (t - 5), 0.0, 0.1, 0.5, 10)),
            Case("the book's J = (theta - 3)^2 from the integer 0, learning rate 0.05, momentum 0.9, 40 steps",
                 (lambda t: 2 * (t - 3), 0, 0.05, 0.9, 40)),
            Case("momentum 0 (plain gradient descent) on (theta - 3)^2", (lambda t: 2 * (t - 3), [4.0], 0.25, 0.0, 6)),
            Case("the valley diag(2, 10) from (-4, 1), learning rate 0.05, momentum 0.5, 30 steps",
                 (_valley_grad, np.array([-4.0, 1.0]), 0.05, 0.5, 30)),
            Case("a seeded 4-D quadratic with condition number 50, momentum 0.8, 60 steps",
                 (lambda t: _A4 @ t - _b4, np.zeros(4), 0.02, 0.8, 60)),
            Case("the Rosenbrock function from (-1, 1), learning rate 1e-4, momentum 0.9, 80 steps",
                 (_rosenbrock_grad, np.array([-1.0, 1.0]), 1e-4, 0.9, 80)),
            Case("zero steps (the history holds only theta0)", (_valley_grad, [1.0, -2.0], 0.1, 0.9, 0)),
        )),
    ),
    mistakes=(
        Mistake("velocity not carried over", "v must remember the previous steps: v <- momentum * v - lr * grad; "
                "starting it from 0 at every step is plain gradient descent.", _momentum(carry=False)),
        Mistake("position moved before the velocity", "update the velocity first with the gradient at the "
                "current theta, then move theta by the new velocity; moving by the old velocity lags one step.",
                _momentum(update_order="position first")),
        Mistake("gradient added to the velocity", "the velocity subtracts the scaled gradient "
                "(v <- momentum * v - lr * grad); adding it climbs the loss.", _momentum(sign=1.0)),
        Mistake("Nesterov look-ahead", "you evaluated the gradient at theta + momentum * v (Nesterov's "
                "accelerated gradient); the exercise asks for heavy-ball momentum, with the gradient at theta.",
                _momentum(look_ahead=True)),
        Mistake("dampened momentum", "you scaled the gradient by (1 - momentum) * lr, an exponential moving "
                "average as in Adam's m; heavy-ball momentum adds the full lr * grad to momentum * v.",
                _momentum(dampen=True)),
    ),
    alternatives=(_momentum_gradient_sum,),
    minimal=_momentum_scalar_loops,
)


def _adam(correct_bias=True, eps_inside=False, first_t=1, swap_betas=False, sign=-1.0):
    """An Adam loop with one thing changed, as a learner might write it."""

    def run(grad, theta0, learning_rate, n_steps, beta1=0.9, beta2=0.999, eps=1e-8):
        b1, b2 = (beta2, beta1) if swap_betas else (beta1, beta2)
        theta = np.asarray(theta0, dtype=float).reshape(-1)
        m, v = np.zeros_like(theta), np.zeros_like(theta)
        history = [theta]
        with np.errstate(divide="ignore", invalid="ignore"):
            for t in range(first_t, first_t + n_steps):
                g = np.asarray(grad(theta), dtype=float)
                m = b1 * m + (1 - b1) * g
                v = b2 * v + (1 - b2) * g**2
                m_hat, v_hat = (m / (1 - b1**t), v / (1 - b2**t)) if correct_bias else (m, v)
                scale = np.sqrt(v_hat + eps) if eps_inside else np.sqrt(v_hat) + eps
                theta = theta + sign * learning_rate * m_hat / scale
                history.append(theta)
        return np.array(history)

    return run


def _adam_folded_correction(grad, theta0, learning_rate, n_steps, beta1=0.9, beta2=0.999, eps=1e-8):
    """Correct: Kingma and Ba's efficient form, the corrections folded into the step size and eps."""
    theta = np.asarray(theta0, dtype=float).reshape(-1)
    m, v = np.zeros_like(theta), np.zeros_like(theta)
    history = np.zeros((n_steps + 1, theta.size))
    history[0] = theta
    for t in range(1, n_steps + 1):
        g = np.asarray(grad(theta), dtype=float)
        m += (1 - beta1) * (g - m)
        v += (1 - beta2) * (g * g - v)
        correction = np.sqrt(1 - beta2**t)
        step = learning_rate * correction / (1 - beta1**t)
        theta = theta - step * m / (np.sqrt(v) + eps * correction)
        history[t] = theta
    return history


def _adam_scalar_loops(grad, theta0, learning_rate, n_steps, beta1=0.9, beta2=0.999, eps=1e-8):
    """Correct: every coordinate updated in a Python loop with math.sqrt."""
    theta = [float(t) for t in np.ravel(theta0)]
    m, v = [0.0] * len(theta), [0.0] * len(theta)
    rows = [list(theta)]
    for t in range(1, n_steps + 1):
        gradient = list(grad(np.array(theta)))
        for i in range(len(theta)):
            m[i] = beta1 * m[i] + (1 - beta1) * gradient[i]
            v[i] = beta2 * v[i] + (1 - beta2) * gradient[i] ** 2
            m_hat, v_hat = m[i] / (1 - beta1**t), v[i] / (1 - beta2**t)
            theta[i] -= learning_rate * m_hat / (math.sqrt(v_hat) + eps)
        rows.append(list(theta))
    return np.array(rows)


# Adam divides by sqrt(v_hat), so a rounding difference in a tiny gradient moves a step by more
# than it would in GD; on these cases the correct styles above agree to ~1e-13 relative, and
# rtol 1e-8 leaves room while every catalogued mistake moves the history by more than 1e-4.
_ADAM_HISTORY = Array(rtol=1e-8, atol=1e-10)

ADAM = Exercise(
    name="adam",
    reference=ref.adam,
    compare=_ADAM_HISTORY,
    tests=(
        GradedTest("test_adam", 2, "Adam history with the default betas and eps", (
            Case("question 15's J = (theta - 5)^2 from 0.0, learning rate 0.1, 50 steps",
                 (lambda t: 2 * (t - 5), 0.0, 0.1, 50)),
            Case("the same loss scaled by 1000 (Adam's steps barely change)",
                 (lambda t: 2000 * (t - 5), 0, 0.1, 20)),
            Case("the valley diag(2, 10) from (-4, 1), learning rate 0.3, 30 steps",
                 (_valley_grad, np.array([-4.0, 1.0]), 0.3, 30)),
            Case("a seeded 4-D quadratic with condition number 50, learning rate 0.05, 80 steps",
                 (lambda t: _A4 @ t - _b4, [0.0, 0.0, 0.0, 0.0], 0.05, 80)),
            Case("the Rosenbrock function from (-1, 1), learning rate 0.01, 100 steps",
                 (_rosenbrock_grad, np.array([-1.0, 1.0]), 0.01, 100)),
            Case("zero steps (the history holds only theta0)", (_valley_grad, [1.0, -2.0], 0.1, 0)),
        )),
        GradedTest("test_adam_hyperparameters", 1, "beta1, beta2 and eps are used as given", (
            Case("beta1 = 0.5 and beta2 = 0.9 on the valley, 25 steps",
                 (_valley_grad, np.array([-4.0, 1.0]), 0.2, 25), {"beta1": 0.5, "beta2": 0.9}),
            Case("a large eps = 0.5 on (theta - 5)^2, 30 steps", (lambda t: 2 * (t - 5), 0.0, 0.2, 30), {"eps": 0.5}),
            Case("beta1 = 0 (no momentum) and beta2 = 0.99 on the 4-D quadratic, 40 steps",
                 (lambda t: _A4 @ t - _b4, np.zeros(4), 0.05, 40), {"beta1": 0.0, "beta2": 0.99}),
        )),
    ),
    mistakes=(
        Mistake("no bias correction", "m and v start at 0, so early on they are far too small; divide them by "
                "1 - beta1**t and 1 - beta2**t (t counts from 1) before the update.", _adam(correct_bias=False)),
        Mistake("eps inside the square root", "the update divides by sqrt(v_hat) + eps, with eps added after "
                "the square root.", _adam(eps_inside=True)),
        Mistake("step counter starts at 0", "the bias correction uses t = 1 on the first update; with t = 0, "
                "1 - beta**0 = 0 and the first step divides by zero.", _adam(first_t=0)),
        Mistake("betas swapped", "beta1 (0.9) averages the gradient and beta2 (0.999) its square; you swapped "
                "them.", _adam(swap_betas=True)),
        Mistake("gradient ascent", "the update subtracts lr * m_hat / (sqrt(v_hat) + eps); adding it climbs "
                "the loss.", _adam(sign=1.0)),
    ),
    alternatives=(_adam_folded_correction,),
    minimal=_adam_scalar_loops,
)


EXERCISES = (
    GRADIENT_DESCENT,
    NUMERICAL_GRADIENT,
    DIRECTIONAL_DERIVATIVE,
    MAX_STABLE_LEARNING_RATE,
    BATCH_GRADIENT_DESCENT,
    STOCHASTIC_GRADIENT_DESCENT,
    MINIBATCH_GRADIENT_DESCENT,
    LOGISTIC_REGRESSION_GD,
    MOMENTUM_GRADIENT_DESCENT,
    ADAM,
)
