"""Hidden checks for ``ch02_bias_variance`` (book chapter 2, questions 1-3).

Tolerances: least-squares coefficients are only as accurate as the design
matrix is well conditioned.  On the chapter's inputs (``x`` in [-3, 3]) SVD,
QR, ``np.polynomial`` and even the normal equations agree to about 1e-12 up to
degree 6 and to about 1e-7 at degree 15 (condition number ~1e8), so
coefficients are compared only for low degrees and high-degree fits through
their fitted values, which least squares pins down.  Every catalogued mistake
is off by far more than any tolerance below.

The simulation is graded by properties that hold for any order of drawing the
noise: zero noise gives the noiseless fit in every row; the same seed gives
the same output whatever NumPy's global state; and, because a polynomial fit
is linear in the targets, the predictions at the test points are exactly
Gaussian with a mean and variance we compute from the design matrices.
"""


import numpy as np
import scipy.stats

from graders.compare import Array, Holds, Record, Scalar, Sequence
from graders.engine import Case, Exercise, GradedTest, Mistake
from graders.exercises.shared import global_seed
from solutions import ch02_bias_variance as ref

_rng = np.random.default_rng(20260302)
_P = np.polynomial.polynomial


# The chapter's running example (listings 2.1 and 2.2): y = sin(x) + noise, 30 points in [-3, 3].
_x_book = np.linspace(-3, 3, 30)
_y_book = np.sin(_x_book) + _rng.normal(0, 0.2, 30)

# --- polynomial_design_matrix -------------------------------------------------------


def _plain_design_matrix(x, degree):
    """Correct and unvalidated (the stub lists no Raises): powers by repeated multiplication."""
    x = np.asarray(x, float)
    columns = [np.ones_like(x)]
    for _ in range(degree):
        columns.append(columns[-1] * x)
    return np.column_stack(columns)


POLYNOMIAL_DESIGN_MATRIX = Exercise(
    name="polynomial_design_matrix",
    reference=ref.polynomial_design_matrix,
    # x**j and np.vander's repeated products differ by a few ulps.
    compare=Array(rtol=1e-12, atol=0),
    tests=(
        GradedTest(
            "test_polynomial_design_matrix",
            1,
            "columns x**0 ... x**degree",
            (
                Case("three points, degree 2", ([1, 2, 3], 2)),
                Case("the chapter's 30 points in [-3, 3] with degree 3", (_x_book, 3)),
                Case(
                    "seeded random inputs including 0, degree 5",
                    (np.append(_rng.normal(0, 2, 9), 0.0), 5),
                ),
                Case("degree 0 (a constant model)", ([0.5, -1.0, 2.0], 0)),
                Case("a single point, degree 4", ([2.0], 4)),
            ),
        ),
    ),
    mistakes=(
        Mistake(
            "one column short",
            "a degree-d polynomial has d + 1 coefficients (question 3), so the "
            "matrix needs d + 1 columns, x**0 up to and including x**d.",
            lambda x, degree: np.vander(np.asarray(x, float), degree, increasing=True),
        ),
        Mistake(
            "decreasing powers",
            "the columns must start with x**0 = 1 and go up; np.vander lists "
            "decreasing powers unless you pass increasing=True.",
            lambda x, degree: np.vander(np.asarray(x, float), degree + 1),
        ),
        Mistake(
            "no constant column",
            "the first column is x**0 = 1 (the intercept); powers run from 0 to degree.",
            lambda x, degree: np.asarray(x, float)[:, None] ** np.arange(1, degree + 2),
        ),
        Mistake(
            "transposed",
            "return one row per input point and one column per power: shape (n, degree + 1).",
            lambda x, degree: np.asarray(x, float)[None, :] ** np.arange(degree + 1)[:, None],
        ),
    ),
    alternatives=(
        lambda x, degree: np.vander(np.asarray(x, float), degree + 1, increasing=True),
        lambda x, degree: np.column_stack([np.asarray(x, float) ** j for j in range(degree + 1)]),
        lambda x, degree: _P.polyvander(np.asarray(x, float), degree),
    ),
    minimal=_plain_design_matrix,
)

# --- fit_polynomial -----------------------------------------------------------------

_x_quadratic = np.array([-2.0, -1.0, 0.0, 0.5, 1.0, 3.0])


def _fitted_values(x, y, *fit):
    """Run a learner's fit (``fit`` is ``(degree,)``, or ``(degree, alpha)`` for ridge); its fitted values at ``x``."""

    def run(fn):
        coef = np.asarray(fn(x.copy(), y.copy(), *fit), dtype=float)
        return _P.polyval(x, coef)

    return run


def _fit_descending(x, y, degree):
    return np.polyfit(np.asarray(x, float), np.asarray(y, float), degree)


def _fit_without_intercept(x, y, degree):
    x = np.asarray(x, float)
    return np.linalg.lstsq(x[:, None] ** np.arange(1, degree + 1), np.asarray(y, float), rcond=None)[0]


def _fit_normal_equations(x, y, degree):
    design = np.asarray(x, float)[:, None] ** np.arange(degree + 1)
    return np.linalg.solve(design.T @ design, design.T @ np.asarray(y, float))


FIT_POLYNOMIAL = Exercise(
    name="fit_polynomial",
    reference=ref.fit_polynomial,
    # Low-degree fits on well-scaled inputs: correct solvers agree to ~1e-12.
    compare=Array(rtol=1e-8, atol=1e-10),
    tests=(
        GradedTest(
            "test_fit_polynomial",
            2,
            "least-squares coefficients, lowest power first",
            (
                Case(
                    "exact data from 1 + 2x - 0.5x^2 (six points, degree 2)",
                    (_x_quadratic, 1 + 2 * _x_quadratic - 0.5 * _x_quadratic**2, 2),
                ),
                Case(
                    "a straight line y = ax + b through seeded noisy points",
                    (_x_book, 0.7 * _x_book - 1.2 + _rng.normal(0, 0.3, 30), 1),
                ),
                Case("the chapter's noisy sine data with degree 3", (_x_book, _y_book, 3)),
                Case(
                    "degree 0 (the best constant is the mean)",
                    ([1.0, 2.0, 6.0], [3.0, 5.0, 10.0], 0),
                ),
                Case(
                    "as many points as coefficients (interpolation), given as lists",
                    ([0.0, 1.0, 2.0], [1.0, -1.0, 4.0], 2),
                ),
            ),
        ),
        GradedTest(
            "test_fit_polynomial_high_degree",
            1,
            "degree 10 and 15 fits of the sine data",
            (
                # Compared through fitted values: at degree 15 (condition number ~1e8) correct
                # solvers, normal equations included, agree to ~1e-7, far inside rtol 1e-5.
                Case(
                    "the chapter's sine data with degree 10 (fitted values at the training points)",
                    run=_fitted_values(_x_book, _y_book, 10),
                    compare=Array(rtol=1e-5, atol=1e-6),
                ),
                Case(
                    "noisy sine data with degree 15 (fitted values at the training points)",
                    run=_fitted_values(_x_book, np.sin(_x_book) + _rng.normal(0, 0.15, 30), 15),
                    compare=Array(rtol=1e-5, atol=1e-6),
                ),
            ),
        ),
    ),
    mistakes=(
        Mistake(
            "highest power first",
            "np.polyfit returns the highest power first; the contract wants "
            "coef[j] to multiply x**j (reverse it, or use np.polynomial.polynomial.polyfit).",
            _fit_descending,
        ),
        Mistake(
            "one coefficient short",
            "a degree-d fit has d + 1 coefficients (question 3), from the constant up to the x**d term.",
            lambda x, y, degree: (
                _P.polyfit(np.asarray(x, float), np.asarray(y, float), degree - 1) if degree > 0 else np.array([])
            ),
        ),
        Mistake(
            "no intercept",
            "the design matrix needs the constant column x**0 = 1; without it the curve is forced through the origin.",
            _fit_without_intercept,
        ),
        Mistake(
            "returns fitted values",
            "return the coefficients (shape (degree + 1,)), not the predictions at the training points.",
            lambda x, y, degree: _P.polyval(np.asarray(x, float), _P.polyfit(x, y, degree)),
        ),
    ),
    alternatives=(
        lambda x, y, degree: _P.polyfit(np.asarray(x, float), np.asarray(y, float), degree),
        lambda x, y, degree: (
            np.linalg.pinv(np.vander(np.asarray(x, float), degree + 1, increasing=True)) @ np.asarray(y, float)
        ),
    ),
    minimal=_fit_normal_equations,
)

# --- predict_polynomial -------------------------------------------------------------


def _horner(coef, x):
    result = np.zeros(len(x))
    for c in reversed(coef):
        result = result * np.asarray(x, float) + c
    return result


PREDICT_POLYNOMIAL = Exercise(
    name="predict_polynomial",
    reference=ref.predict_polynomial,
    # Horner's rule and explicit powers round differently; terms reach ~1e3 here, so
    # 1e-9 absolute is ~1e4 ulps of the largest term and far below any mistake.
    compare=Array(rtol=1e-9, atol=1e-9),
    tests=(
        GradedTest(
            "test_predict_polynomial",
            1,
            "sum_j coef[j] * x**j at every point",
            (
                Case("1 + 2x - 0.5x^2 at three points", ([1.0, 2.0, -0.5], [0.0, 1.0, 2.0])),
                Case(
                    "seeded random degree-5 coefficients at 20 points in [-3, 3]",
                    (_rng.normal(0, 1, 6), _rng.uniform(-3, 3, 20)),
                ),
                Case("a constant polynomial (one coefficient)", ([4.0], [-1.0, 0.0, 2.5])),
                Case("a single input point given as a list", ([0.5, -1.0, 0.25, 2.0], [1.5])),
            ),
        ),
    ),
    mistakes=(
        Mistake(
            "highest power first",
            "coef[0] is the constant term; np.polyval expects the highest "
            "power first (use np.polynomial.polynomial.polyval, or reverse coef).",
            lambda coef, x: np.polyval(np.asarray(coef, float), np.asarray(x, float)),
        ),
        Mistake(
            "powers start at 1",
            "coef[j] multiplies x**j with j starting at 0, so coef[0] is added as is.",
            lambda coef, x: np.asarray(x, float)[:, None] ** np.arange(1, len(coef) + 1) @ np.asarray(coef),
        ),
        Mistake(
            "summed over the points",
            "return one prediction per input point (shape (n,)); sum over "
            "the powers only (axis=1, or a matrix product).",
            lambda coef, x: float(np.sum(np.asarray(coef) * np.asarray(x, float)[:, None] ** np.arange(len(coef)))),
        ),
    ),
    alternatives=(
        lambda coef, x: _P.polyval(np.asarray(x, float), np.asarray(coef, float)),
        lambda coef, x: _horner(coef, x),
        lambda coef, x: np.polyval(np.asarray(coef, float)[::-1], np.asarray(x, float)),
    ),
    minimal=_horner,
)


# --- train_test_mse -----------------------------------------------------------------

# Listing 2.3: 80 points of sin(x) + N(0, 0.2**2) on [-3, 3], a 70/30 split, degrees 1-15.
_x80 = np.linspace(-3, 3, 80)
_y80 = np.sin(_x80) + _rng.normal(0, 0.2, 80)
_order = _rng.permutation(80)
_train, _test = np.sort(_order[:56]), np.sort(_order[56:])
_x_small = np.linspace(0, 1, 8)


def _mse_refit_on_test(x_train, y_train, x_test, y_test, degrees):
    train = [ref.train_test_mse(x_train, y_train, x_train, y_train, [d])[0][0] for d in degrees]
    test = [ref.train_test_mse(x_test, y_test, x_test, y_test, [d])[0][0] for d in degrees]
    return np.array(train), np.array(test)


def _mse_fit_on_everything(x_train, y_train, x_test, y_test, degrees):
    x_all, y_all = np.concatenate([x_train, x_test]), np.concatenate([y_train, y_test])
    coefs = [ref.fit_polynomial(x_all, y_all, d) for d in degrees]
    return (
        np.array([np.mean((_P.polyval(x_train, c) - y_train) ** 2) for c in coefs]),
        np.array([np.mean((_P.polyval(x_test, c) - y_test) ** 2) for c in coefs]),
    )


def _mse_alternative_polynomial_class(x_train, y_train, x_test, y_test, degrees):
    fits = [np.polynomial.Polynomial.fit(x_train, y_train, d) for d in degrees]
    return (
        np.array([np.mean((fit(np.asarray(x_train)) - y_train) ** 2) for fit in fits]),
        np.array([np.mean((fit(np.asarray(x_test)) - y_test) ** 2) for fit in fits]),
    )


def _mse_alternative_loop(x_train, y_train, x_test, y_test, degrees):
    train, test = np.zeros(len(degrees)), np.zeros(len(degrees))
    for i, d in enumerate(degrees):
        coef = _P.polyfit(x_train, y_train, d)
        train[i] = np.mean(np.square(np.asarray(y_train) - _P.polyval(x_train, coef)))
        test[i] = np.mean(np.square(np.asarray(y_test) - _P.polyval(x_test, coef)))
    return train, test


# Degree-15 test errors differ between correct solvers by ~1e-10 relative (see the
# module docstring); rtol 1e-6 leaves room, atol covers training errors of an
# interpolating fit, which are rounding noise around 0.
_mse_array = Array(rtol=1e-6, atol=1e-12)

TRAIN_TEST_MSE = Exercise(
    name="train_test_mse",
    reference=ref.train_test_mse,
    compare=Sequence((_mse_array, _mse_array)),
    tests=(
        GradedTest(
            "test_train_test_mse",
            2,
            "train and test MSE per degree, fitted on training data only",
            (
                Case(
                    "the book's listing 2.3 set-up: 56 training and 24 test points, degrees 1-15",
                    (_x80[_train], _y80[_train], _x80[_test], _y80[_test], list(range(1, 16))),
                ),
                Case(
                    "the same data with the degrees in a NumPy array, unsorted",
                    (_x80[_train], _y80[_train], _x80[_test], _y80[_test], np.array([9, 2, 5])),
                ),
                Case(
                    "8 training points and a degree-7 fit that interpolates them",
                    (
                        _x_small,
                        np.cos(3 * _x_small),
                        [0.05, 0.5, 0.95],
                        np.cos([0.15, 1.5, 2.85]),
                        [0, 7],
                    ),
                ),
                Case("lists and a single degree", ([0, 1, 2], [0, 1, 4], [3], [9], [1])),
            ),
        ),
    ),
    mistakes=(
        Mistake(
            "train and test swapped",
            "return (train_mse, test_mse) in that order.",
            lambda *args: tuple(reversed(ref.train_test_mse(*args))),
        ),
        Mistake(
            "root mean squared error",
            "you took a square root (RMSE); report the mean squared error.",
            lambda *args: tuple(np.sqrt(a) for a in ref.train_test_mse(*args)),
        ),
        Mistake(
            "test error refitted on the test set",
            "fit each model on the training data once and score "
            "that same model on the test data; refitting on the test points hides overfitting.",
            _mse_refit_on_test,
        ),
        Mistake(
            "fitted on all the data",
            "fit on the training data only: a model that has seen the test "
            "points cannot tell you how it does on new data.",
            _mse_fit_on_everything,
        ),
    ),
    alternatives=(_mse_alternative_polynomial_class,),
    minimal=_mse_alternative_loop,
)

# --- simulate_polynomial_predictions --------------------------------------------------

_x_sim = np.linspace(-3, 3, 30)
_x_sim_test = np.array([-2.5, -1.0, 0.0, 0.7, 2.0, 2.9])


def _cubic(x):
    return 0.5 * x**3 - x + 1.0


def _sim_outputs_equal(a, b):
    return bool(np.array_equal(np.asarray(a, float), np.asarray(b, float)))


# Failure budget: each per-point statistic is rejected with probability 1e-9 when the
# implementation is correct, so a case with m test points fails a correct learner with
# probability at most 2 * m * 1e-9 (< 2e-8 here) whatever order it draws its noise in.
_ALPHA = 1e-9


def _moment_flags(preds, true_fn, x_train, x_test, *fit_and_noise):
    """Check the across-dataset mean and variance at each test point against their exact law.

    The arguments after ``preds`` are the simulation's, ``rng`` left out:
    ``degree, noise_sd, n_datasets``, or ``degree, alpha, noise_sd, n_datasets``
    for ridge.  Least squares and ridge are linear in the targets: the predictions
    at ``x_test`` are ``H @ y`` (see :func:`_hat`).  With ``y = f + N(0, s**2 I)`` each
    column is ``N(H @ f, s**2 * ||H_j||**2)`` across data sets, so the sample mean's
    z-score is standard normal and ``(N - 1) * sample variance / variance`` is
    chi-squared with ``N - 1`` degrees of freedom.
    """
    *fit, noise_sd, n_datasets = fit_and_noise
    x_train, x_test = np.asarray(x_train, float), np.asarray(x_test, float)
    return _law_flags(preds, _hat(x_train, x_test, *fit), true_fn(x_train), noise_sd, n_datasets)


def _hat(x_train, x_test, degree, alpha=None):
    """The linear map from training targets to predictions at ``x_test``: least squares, or ridge with ``alpha``."""
    if alpha is None:
        return ref.polynomial_design_matrix(x_test, degree) @ np.linalg.pinv(
            ref.polynomial_design_matrix(x_train, degree))
    x_train = np.asarray(x_train, float)
    coef_map = np.column_stack([ref.ridge_fit_polynomial(x_train, e, degree, alpha) for e in np.eye(x_train.size)])
    return ref.polynomial_design_matrix(x_test, degree) @ coef_map


def _law_flags(preds, hat, f_train, noise_sd, n_datasets):
    """Per-point mean and variance of ``preds`` against predictions ``hat @ (f_train + noise)``.

    Any fit that is linear in the targets (least squares, ridge) has this exact
    Gaussian law; see :func:`_moment_flags`.
    """
    mean = hat @ f_train
    variance = noise_sd**2 * np.sum(hat**2, axis=1)
    preds = np.asarray(preds, dtype=float)
    if preds.shape != (n_datasets, hat.shape[0]):
        return {"shape": False, "mean": False, "spread": False}
    z = (preds.mean(axis=0) - mean) / np.sqrt(variance / n_datasets)
    scaled = (n_datasets - 1) * preds.var(axis=0, ddof=1) / variance
    chi2_low, chi2_high = scipy.stats.chi2.ppf([_ALPHA / 2, 1 - _ALPHA / 2], n_datasets - 1)
    return {
        "shape": True,
        "mean": bool(np.all(np.abs(z) < scipy.stats.norm.isf(_ALPHA / 2))),
        "spread": bool(np.all((scaled > chi2_low) & (scaled < chi2_high))),
    }


def _moments(true_fn, x_train, x_test, *fit_and_noise, seed):
    """A case run: :func:`_moment_flags` of one simulation (arguments as there) from ``rng`` seeded ``seed``."""

    def run(fn):
        preds = fn(true_fn, np.array(x_train), np.array(x_test), *fit_and_noise, np.random.default_rng(seed))
        return _moment_flags(preds, true_fn, x_train, x_test, *fit_and_noise)

    return run


def _rng_use(fn):
    """Same seed => same output whatever np.random's global state; other seed => other output.

    The first simulation must also be correct (its mean and spread pass
    :func:`_moment_flags`), so that noise drawn from ``rng`` and returned as it
    is earns nothing; and the data sets must differ, so that a simulation
    without fresh noise is not mistaken for one that ignores ``rng``.
    """
    args = (np.sin, _x_sim.copy(), _x_sim_test.copy(), 3, 0.3, 200)
    return _rng_flags(fn, args, lambda first: all(_moment_flags(first, *args).values()))


def _rng_flags(fn, args, correct):
    """The flags of :func:`_rng_use` for a simulation called with ``args`` (and ``rng``).

    ``correct(first)`` says whether the first simulation's predictions follow their law.
    """
    with global_seed(1):
        first = fn(*args, np.random.default_rng(11))
    with global_seed(2):
        again = fn(*args, np.random.default_rng(11))
        other = fn(*args, np.random.default_rng(12))
    first = np.asarray(first, float)
    return {
        "same_seed_same_output": _sim_outputs_equal(first, again),
        "rows_differ": bool(first.ndim == 2 and np.ptp(first, axis=0).max() > 0),
        "different_seed_different_output": not _sim_outputs_equal(first, other),
        "correct_predictions": correct(first),
    }


def _trade_off(fn):
    """Bias squared falls and variance rises from degree 1 to 3 to 10 (listing 2.1's sine set-up).

    Exact values (noise sd 0.2, 30 points): bias^2 = 0.19, 3.9e-3, 5e-12 and variance =
    2.7e-3, 5.4e-3, 1.5e-2.  With 500 data sets the estimated variance has relative sd
    at most sqrt(2/499) = 6.3 %, so swapping neighbours needs a > 6-sigma error in a
    log-ratio (p < 1e-9); the estimated bias^2 exceeds the true one by about
    variance / 500 = 3e-5, two orders below the gaps.
    """
    x_test = np.linspace(-2.9, 2.9, 25)
    parts = []
    for degree, seed in ((1, 21), (3, 22), (10, 23)):
        preds = np.asarray(
            fn(np.sin, _x_sim.copy(), x_test.copy(), degree, 0.2, 500, np.random.default_rng(seed)),
            dtype=float,
        )
        if preds.shape != (500, x_test.size):
            return {"shape": False, "bias_falls": False, "variance_rises": False}
        parts.append(ref.bias_variance_decomposition(preds, np.sin(x_test), 0.04))
    bias = [p["bias_squared"] for p in parts]
    variance = [p["variance"] for p in parts]
    return {
        "shape": True,
        "bias_falls": bool(bias[0] > bias[1] > bias[2]),
        "variance_rises": bool(variance[0] < variance[1] < variance[2]),
    }


_shape_message = "returned an array of the wrong shape; expected (n_datasets, len(x_test))."
_moment_messages = Holds(
    {
        "shape": _shape_message,
        "mean": (
            "the average prediction over the simulated data sets is far from the fit to the "
            "noiseless targets; the noise must have mean 0 and be drawn afresh for every data set."
        ),
        "spread": (
            "the spread of the predictions across data sets does not match noise with standard "
            "deviation noise_sd; draw each data set's noise with rng.normal(0, noise_sd, n) "
            "(the scale argument is the standard deviation)."
        ),
    }
)
_trade_off_messages = Holds(
    {
        "shape": _shape_message,
        "bias_falls": "on the sine example the squared bias should fall from degree 1 to 3 to 10.",
        "variance_rises": (
            "on the sine example the variance across data sets should rise from degree 1 to 3 "
            "to 10; each data set needs its own noise."
        ),
    }
)
_rng_messages = Holds(
    {
        "same_seed_same_output": (
            "two calls with generators seeded alike gave different results; draw all noise "
            "from `rng` (e.g. rng.normal), never from np.random.* functions."
        ),
        "rows_differ": (
            "with noise_sd > 0 every simulated data set gave the same predictions; draw fresh noise for each data set."
        ),
        "different_seed_different_output": (
            "generators with different seeds gave the same result; use the `rng` argument "
            "instead of creating your own generator."
        ),
        "correct_predictions": (
            "the predictions do not follow the law of polynomial fits to noisy data (their mean or "
            "spread across data sets is off); a reproducible result must also be a correct one."
        ),
    }
)


def _simulate(noise):
    """A simulation that differs from the natural one only in how it makes each data set's noise."""

    def simulate(true_fn, x_train, x_test, degree, noise_sd, n_datasets, rng):
        x_train, x_test = np.asarray(x_train, float), np.asarray(x_test, float)
        f_train = true_fn(x_train)
        rows = [
            _P.polyval(x_test, _P.polyfit(x_train, f_train + noise(rng, noise_sd, x_train.size), degree))
            for _ in range(n_datasets)
        ]
        return np.array(rows).reshape(n_datasets, x_test.size)

    return simulate


def _simulate_shared_noise(true_fn, x_train, x_test, degree, noise_sd, n_datasets, rng):
    y = true_fn(np.asarray(x_train, float)) + rng.normal(0, noise_sd, len(x_train))
    return np.tile(ref.predict_polynomial(ref.fit_polynomial(x_train, y, degree), x_test), (n_datasets, 1))


def _simulate_at_training_points(true_fn, x_train, x_test, degree, noise_sd, n_datasets, rng):
    return ref.simulate_polynomial_predictions(true_fn, x_train, x_train, degree, noise_sd, n_datasets, rng)


def _simulate_vectorised(true_fn, x_train, x_test, degree, noise_sd, n_datasets, rng):
    x_train = np.asarray(x_train, float)
    targets = true_fn(x_train)[:, None] + noise_sd * rng.standard_normal((x_train.size, n_datasets))
    coefs = np.linalg.lstsq(np.vander(x_train, degree + 1, increasing=True), targets, rcond=None)[0]
    return (np.vander(np.asarray(x_test, float), degree + 1, increasing=True) @ coefs).T


def _simulate_polynomial_class(true_fn, x_train, x_test, degree, noise_sd, n_datasets, rng):
    x_train, x_test = np.asarray(x_train, float), np.asarray(x_test, float)
    noise = rng.normal(scale=noise_sd, size=(n_datasets, x_train.size))
    fits = [np.polynomial.Polynomial.fit(x_train, true_fn(x_train) + e, degree) for e in noise]
    return np.stack([fit(x_test) for fit in fits])


_zero_noise_args = (np.sin, _x_sim, _x_sim_test, 3, 0.0, 4, np.random.default_rng(3))

SIMULATE_POLYNOMIAL_PREDICTIONS = Exercise(
    name="simulate_polynomial_predictions",
    reference=ref.simulate_polynomial_predictions,
    # Only noiseless cases compare values: every row is the same low-degree fit, on
    # which correct solvers agree to ~1e-12.
    compare=Array(rtol=1e-8, atol=1e-10),
    tests=(
        GradedTest(
            "test_simulate_polynomial_predictions",
            2,
            "shape (n_datasets, n_test); zero noise repeats the noiseless fit",
            (
                Case(
                    "zero noise, the sine curve, degree 3, 4 data sets, 6 test points",
                    _zero_noise_args,
                ),
                Case(
                    "zero noise, a cubic fitted with a line, test points outside the training range",
                    (
                        _cubic,
                        [-1.0, 0.0, 1.0, 2.0],
                        [-2.0, 3.0, 5.0],
                        1,
                        0.0,
                        3,
                        np.random.default_rng(4),
                    ),
                ),
                Case(
                    "zero noise, a single data set, inputs as lists",
                    (
                        np.cos,
                        [0.0, 0.5, 1.0, 1.5, 2.0],
                        [0.25, 1.75],
                        2,
                        0.0,
                        1,
                        np.random.default_rng(5),
                    ),
                ),
            ),
        ),
        GradedTest(
            "test_simulate_polynomial_predictions_rng",
            1,
            "correct predictions whose randomness all comes from rng",
            (
                Case(
                    "200 data sets: two calls with equally seeded generators, and one with another seed",
                    run=_rng_use,
                    compare=_rng_messages,
                ),
            ),
        ),
        GradedTest(
            "test_simulate_polynomial_predictions_statistics",
            2,
            "mean and spread across data sets match the noise distribution",
            (
                Case(
                    "the sine curve, degree 3, noise sd 0.5, 1,000 data sets",
                    run=_moments(np.sin, _x_sim, _x_sim_test, 3, 0.5, 1000, seed=31),
                    compare=_moment_messages,
                ),
                Case(
                    "a cubic fitted with a straight line, noise sd 2, 1,000 data sets",
                    run=_moments(
                        _cubic,
                        np.linspace(-2, 2, 15),
                        np.array([-3.0, -0.5, 1.0, 2.5]),
                        1,
                        2.0,
                        1000,
                        seed=32,
                    ),
                    compare=_moment_messages,
                ),
                Case(
                    "the chapter's sine example, noise sd 0.2, degrees 1, 3 and 10, 500 data sets each",
                    run=_trade_off,
                    compare=_trade_off_messages,
                ),
            ),
        ),
    ),
    mistakes=(
        Mistake(
            "noise_sd used as a variance",
            "rng.normal's scale is the standard deviation: pass noise_sd itself, not noise_sd**2.",
            _simulate(lambda rng, sd, n: rng.normal(0, sd**2, n)),
        ),
        Mistake(
            "one noise draw for every data set",
            "draw new noise inside the loop, once per data set; "
            "with one shared draw every row is the same and the variance is 0.",
            _simulate_shared_noise,
        ),
        Mistake(
            "no noise added",
            "each simulated training set is true_fn(x_train) plus fresh "
            "N(0, noise_sd**2) noise; without noise every row is the same.",
            _simulate(lambda rng, sd, n: np.zeros(n)),
        ),
        Mistake(
            "global NumPy random state",
            "np.random.normal ignores `rng`, so the result cannot be "
            "reproduced from the seed; call rng.normal instead.",
            _simulate(lambda rng, sd, n: np.random.normal(0, sd, n)),
        ),
        Mistake(
            "own generator",
            "you created a generator with a fixed seed inside the function; use the "
            "`rng` you are given so that callers control the randomness.",
            lambda *args: ref.simulate_polynomial_predictions(*args[:-1], np.random.default_rng(0)),
        ),
        Mistake(
            "predicted at the training points",
            "each row holds predictions at x_test (one column per test point), not at x_train.",
            _simulate_at_training_points,
        ),
        Mistake(
            "rows and columns swapped",
            "return one row per simulated data set: shape (n_datasets, len(x_test)).",
            lambda *args: ref.simulate_polynomial_predictions(*args).T,
        ),
    ),
    alternatives=(_simulate_polynomial_class,),
    minimal=_simulate_vectorised,
)

# --- bias_variance_decomposition ------------------------------------------------------

_preds = _rng.normal(np.sin(np.linspace(-2, 2, 8)) + 0.1, 0.3, size=(50, 8))


def _decomposition_by_loops(predictions, f_test, noise_variance):
    predictions = np.asarray(predictions, float)
    n_datasets, n_test = predictions.shape
    bias2 = variance = 0.0
    for j in range(n_test):
        column = predictions[:, j]
        mean = sum(column) / n_datasets
        bias2 += (mean - f_test[j]) ** 2 / n_test
        variance += sum((column - mean) ** 2) / n_datasets / n_test
    return {
        "bias_squared": float(bias2),
        "variance": float(variance),
        "noise": float(noise_variance),
        "expected_mse": float(bias2 + variance + noise_variance),
    }


def _decomposition_from_mse(predictions, f_test, noise_variance):
    predictions = np.asarray(predictions, float)
    variance = float(np.mean((predictions - predictions.mean(axis=0)) ** 2))
    mse = float(np.mean((predictions - np.asarray(f_test, float)) ** 2))
    return {
        "bias_squared": mse - variance,
        "variance": variance,
        "noise": float(noise_variance),
        "expected_mse": mse + noise_variance,
    }


def _decomposition(bias_squared, variance, total=lambda b, v, n: b + v + n):
    """A decomposition whose bias or variance (or total) is computed the way a mistake does."""

    def decompose(predictions, f_test, noise_variance):
        predictions, f_test = np.asarray(predictions, float), np.asarray(f_test, float)
        b, v = float(bias_squared(predictions, f_test)), float(variance(predictions))
        return {
            "bias_squared": b,
            "variance": v,
            "noise": float(noise_variance),
            "expected_mse": float(total(b, v, noise_variance)),
        }

    return decompose


def _right_bias(p, f):
    return np.mean((p.mean(axis=0) - f) ** 2)


def _right_variance(p):
    return np.mean(p.var(axis=0))


_bv_field = Scalar(rtol=1e-9, atol=1e-12)  # sums of squares in any order agree to ~1e-15

BIAS_VARIANCE_DECOMPOSITION = Exercise(
    name="bias_variance_decomposition",
    reference=ref.bias_variance_decomposition,
    compare=Record(
        {
            "bias_squared": _bv_field,
            "variance": _bv_field,
            "noise": _bv_field,
            "expected_mse": _bv_field,
        }
    ),
    tests=(
        GradedTest(
            "test_bias_variance_decomposition",
            2,
            "squared bias, variance, noise and their sum",
            (
                Case("two data sets at two test points", ([[1.0, 2.0], [3.0, 4.0]], [2.0, 2.0], 0.25)),
                Case(
                    "50 seeded simulated data sets at 8 test points, noise variance 0.09",
                    (_preds, np.sin(np.linspace(-2, 2, 8)), 0.09),
                ),
                Case(
                    "a single data set (no variance) that is off by a constant",
                    ([[1.5, 2.5, 3.5]], [1.0, 2.0, 3.0], 0.0),
                ),
                Case(
                    "three data sets given as lists, with zero bias",
                    ([[0.0, 1.0], [1.0, 2.0], [2.0, 3.0]], [1.0, 2.0], 1.0),
                ),
            ),
        ),
    ),
    mistakes=(
        Mistake(
            "variance with ddof=1",
            "the contract uses the population variance across data sets "
            "(divide by n_datasets: np.var's default ddof=0).",
            _decomposition(_right_bias, lambda p: np.mean(p.var(axis=0, ddof=1))),
        ),
        Mistake(
            "averaged the bias before squaring",
            "square the bias at each test point, then average: positive and negative biases must not cancel.",
            _decomposition(lambda p, f: np.mean(p.mean(axis=0) - f) ** 2, _right_variance),
        ),
        Mistake(
            "variance across test points",
            "the variance is taken across data sets (axis=0, down each "
            "column) at every test point, then averaged over the points.",
            _decomposition(_right_bias, lambda p: np.mean(p.var(axis=1))),
        ),
        Mistake(
            "noise left out of expected_mse",
            "the expected squared error includes the irreducible noise: bias^2 + variance + noise.",
            _decomposition(_right_bias, _right_variance, total=lambda b, v, n: b + v), book="Q1.3"),
        Mistake(
            "bias from every prediction",
            "the bias compares the *average* prediction with f; "
            "averaging (prediction - f)**2 over data sets gives bias^2 + variance.",
            _decomposition(lambda p, f: np.mean((p - f) ** 2), _right_variance),
        ),
    ),
    alternatives=(_decomposition_from_mse,),
    minimal=_decomposition_by_loops,
)

# --- ridge_fit_polynomial -----------------------------------------------------------


def _ridge_normal_equations(x, y, degree, alpha):
    """Correct and unvalidated: (D^T D + alpha P) c = D^T y with P = diag(0, 1, ..., 1)."""
    design = np.asarray(x, float)[:, None] ** np.arange(degree + 1)
    penalty = alpha * np.eye(degree + 1)
    penalty[0, 0] = 0.0
    return np.linalg.solve(design.T @ design + penalty, design.T @ np.asarray(y, float))


def _ridge_centred_solve(x, y, degree, alpha):
    """Correct: slopes from the centred normal equations, then the intercept from the means."""
    powers = np.asarray(x, float)[:, None] ** np.arange(1, degree + 1)
    y = np.asarray(y, float)
    centred = powers - powers.mean(axis=0)
    slopes = np.linalg.solve(centred.T @ centred + alpha * np.eye(degree), centred.T @ (y - y.mean()))
    return np.concatenate([[y.mean() - powers.mean(axis=0) @ slopes], slopes])


def _ridge_sklearn(x, y, degree, alpha):
    """Correct: scikit-learn's Ridge on the columns x**1 .. x**degree."""
    from sklearn.linear_model import Ridge

    if degree == 0:
        return np.array([np.mean(y)])
    model = Ridge(alpha=alpha).fit(np.asarray(x, float)[:, None] ** np.arange(1, degree + 1), np.asarray(y, float))
    return np.concatenate([[model.intercept_], model.coef_])


def _ridge_penalising_everything(x, y, degree, alpha):
    design = np.asarray(x, float)[:, None] ** np.arange(degree + 1)
    return np.linalg.solve(design.T @ design + alpha * np.eye(degree + 1), design.T @ np.asarray(y, float))


def _ridge_without_intercept(x, y, degree, alpha):
    design = np.asarray(x, float)[:, None] ** np.arange(1, degree + 1)
    return np.linalg.solve(design.T @ design + alpha * np.eye(degree), design.T @ np.asarray(y, float))


_x_ridge = np.array([-1.0, 0.0, 1.0])
_y_sine_15 = np.sin(_x_book) + _rng.normal(0, 0.2, 30)

RIDGE_FIT_POLYNOMIAL = Exercise(
    name="ridge_fit_polynomial",
    reference=ref.ridge_fit_polynomial,
    # Up to degree 6 on x in [-3, 3] correct solvers (SVD, centred or penalised normal
    # equations, scikit-learn) agree to ~2e-13 relative; rtol 1e-8 leaves room.
    compare=Array(rtol=1e-8, atol=1e-10),
    tests=(
        GradedTest(
            "test_ridge_fit_polynomial",
            2,
            "ridge coefficients, lowest power first, intercept not penalised",
            (
                Case("a line through (-1, 1), (0, 3), (1, 5) with alpha = 2", (_x_ridge, [1.0, 3.0, 5.0], 1, 2.0)),
                Case("the chapter's sine data, degree 3, alpha = 1", (_x_book, _y_book, 3, 1.0)),
                Case("the chapter's sine data, degree 6, alpha = 10", (_x_book, _y_book, 6, 10.0)),
                Case("data far above zero (a large intercept), degree 2, alpha = 5",
                     (_x_book, 50.0 + _y_book, 2, 5.0)),
                Case("alpha = 0 on exact data from 1 + 2x - 0.5x^2 (least squares)",
                     (_x_quadratic, 1 + 2 * _x_quadratic - 0.5 * _x_quadratic**2, 2, 0.0)),
                Case("degree 0 (the best constant is the mean, whatever alpha)", ([1.0, 2.0, 6.0], [3.0, 5.0, 10.0],
                                                                                  0, 4.0)),
                Case("lists, degree 2, alpha = 0.5", ([0.0, 1.0, 2.0, 3.0], [1.0, 0.0, 2.0, 7.0], 2, 0.5)),
            ),
        ),
        GradedTest(
            "test_ridge_fit_polynomial_high_degree",
            1,
            "degree 10 and 15 ridge fits of the sine data",
            (
                # Compared through fitted values: at degree 15 correct solvers agree to ~1e-8
                # (normal equations included), far inside rtol 1e-5.
                Case(
                    "the chapter's sine data with degree 10 and alpha = 0.1 (fitted values at the training points)",
                    run=_fitted_values(_x_book, _y_book, 10, 0.1),
                    compare=Array(rtol=1e-5, atol=1e-6),
                ),
                Case(
                    "noisy sine data with degree 15 and alpha = 1 (fitted values at the training points)",
                    run=_fitted_values(_x_book, _y_sine_15, 15, 1.0),
                    compare=Array(rtol=1e-5, atol=1e-6),
                ),
            ),
        ),
    ),
    mistakes=(
        Mistake(
            "intercept penalised",
            "the penalty leaves c_0 alone (sum over j >= 1): penalising the intercept pulls the whole "
            "curve towards 0, which is not simpler, just shifted. Centre the columns and y, or put 0 "
            "in the penalty matrix's first diagonal entry.",
            _ridge_penalising_everything,
        ),
        Mistake(
            "alpha ignored",
            "you returned the ordinary least-squares fit; add alpha times the identity (0 for the "
            "intercept) to X^T X, so that larger alpha shrinks the coefficients.",
            lambda x, y, degree, alpha: ref.fit_polynomial(x, y, degree),
        ),
        Mistake(
            "no intercept",
            "the model needs the constant column x**0 = 1 (returned as coef[0]); without it the curve "
            "is forced through the origin.",
            _ridge_without_intercept,
        ),
        Mistake(
            "penalty scaled by n",
            "you minimised the mean squared error plus alpha * sum c_j**2 (so the penalty is n times too "
            "strong); the contract's objective is the *sum* of squared errors plus the penalty, as in "
            "scikit-learn's Ridge.",
            lambda x, y, degree, alpha: ref.ridge_fit_polynomial(x, y, degree, alpha * len(x)),
        ),
        Mistake(
            "highest power first",
            "coef[j] multiplies x**j: return the constant first (np.polyfit's order is the reverse).",
            lambda x, y, degree, alpha: ref.ridge_fit_polynomial(x, y, degree, alpha)[::-1],
        ),
    ),
    alternatives=(_ridge_centred_solve, _ridge_sklearn),
    minimal=_ridge_normal_equations,
)

# --- simulate_ridge_predictions -----------------------------------------------------


def _ridge_rng_use(fn):
    """As :func:`_rng_use`, for the ridge simulation."""
    args = (np.sin, _x_sim.copy(), _x_sim_test.copy(), 8, 1.0, 0.3, 200)
    return _rng_flags(fn, args, lambda first: all(
        _moment_flags(first, np.sin, _x_sim, _x_sim_test, 8, 1.0, 0.3, 200).values()))


def _ridge_noiseless(fn):
    """With noise_sd = 0 every row is the ridge fit of the noiseless targets."""
    return np.asarray(fn(_cubic, _x_sim.copy(), _x_sim_test.copy(), 5, 3.0, 0.0, 4, np.random.default_rng(5)),
                      dtype=float)


def _simulate_ridge(noise, fit=ref.ridge_fit_polynomial):
    """A ridge simulation that differs from the natural one in its noise or its fit."""

    def simulate(true_fn, x_train, x_test, degree, alpha, noise_sd, n_datasets, rng):
        x_train, x_test = np.asarray(x_train, float), np.asarray(x_test, float)
        f_train = true_fn(x_train)
        rows = [_P.polyval(x_test, fit(x_train, f_train + noise(rng, noise_sd, x_train.size), degree, alpha))
                for _ in range(n_datasets)]
        return np.array(rows).reshape(n_datasets, x_test.size)

    return simulate


def _simulate_ridge_shared_noise(true_fn, x_train, x_test, degree, alpha, noise_sd, n_datasets, rng):
    y = true_fn(np.asarray(x_train, float)) + rng.normal(0, noise_sd, len(x_train))
    fitted = ref.predict_polynomial(ref.ridge_fit_polynomial(x_train, y, degree, alpha), x_test)
    return np.tile(fitted, (n_datasets, 1))


def _simulate_ridge_vectorised(true_fn, x_train, x_test, degree, alpha, noise_sd, n_datasets, rng):
    """Correct and unvalidated: all noise in one draw, every data set solved at once."""
    x_train, x_test = np.asarray(x_train, float), np.asarray(x_test, float)
    ys = true_fn(x_train) + rng.normal(0.0, noise_sd, (n_datasets, x_train.size))
    design = x_train[:, None] ** np.arange(degree + 1)
    penalty = alpha * np.eye(degree + 1)
    penalty[0, 0] = 0.0
    coefs = np.linalg.solve(design.T @ design + penalty, design.T @ ys.T)
    return (x_test[:, None] ** np.arange(degree + 1) @ coefs).T


_ridge_sim_cases = (
    Case("noise_sd = 0: every row is the ridge fit of a cubic (degree 5, alpha = 3)", run=_ridge_noiseless,
         compare=Array(rtol=1e-8, atol=1e-10)),
)

SIMULATE_RIDGE_PREDICTIONS = Exercise(
    name="simulate_ridge_predictions",
    reference=ref.simulate_ridge_predictions,
    compare=_moment_messages,
    tests=(
        GradedTest("test_simulate_ridge_predictions", 1, "noiseless simulation gives the ridge fit in every row",
                   _ridge_sim_cases),
        GradedTest(
            "test_simulate_ridge_predictions_rng",
            1,
            "reproducible from rng, never from np.random",
            (Case("three calls: seeds 11, 11 (after reseeding np.random) and 12", run=_ridge_rng_use,
                  compare=_rng_messages),),
        ),
        GradedTest(
            "test_simulate_ridge_predictions_statistics",
            2,
            "mean and spread of the predictions follow the exact law of ridge fits",
            (
                Case("degree 10, alpha = 1, noise sd 0.3, 300 data sets of the sine example",
                     run=_moments(np.sin, _x_sim, _x_sim_test, 10, 1.0, 0.3, 300, seed=31)),
                Case("degree 10, alpha = 100, noise sd 0.5, 300 data sets of a cubic",
                     run=_moments(_cubic, _x_sim, _x_sim_test, 10, 100.0, 0.5, 300, seed=32)),
                Case("degree 3, alpha = 0.01, noise sd 1.0, 300 data sets on 12 points",
                     run=_moments(np.cos, np.linspace(-2, 2, 12), [-1.5, 0.0, 1.0], 3, 0.01, 1.0, 300, seed=33)),
            ),
        ),
    ),
    mistakes=(
        Mistake(
            "alpha ignored",
            "every data set must be fitted with ridge_fit_polynomial(..., alpha); with plain least squares "
            "the predictions spread as an unpenalised fit's do.",
            _simulate_ridge(lambda rng, sd, n: rng.normal(0, sd, n), fit=lambda x, y, d, a: _P.polyfit(x, y, d)),
        ),
        Mistake(
            "same noise for every data set",
            "draw fresh noise for each simulated data set; reusing one draw makes every row the same.",
            _simulate_ridge_shared_noise,
        ),
        Mistake(
            "noise variance used as the scale",
            "rng.normal's scale argument is the standard deviation: pass noise_sd, not noise_sd**2.",
            _simulate_ridge(lambda rng, sd, n: rng.normal(0, sd**2, n)),
        ),
        Mistake(
            "rows and columns swapped",
            "return one row per simulated data set: shape (n_datasets, len(x_test)).",
            lambda *args: ref.simulate_ridge_predictions(*args).T,
        ),
    ),
    alternatives=(_simulate_ridge(lambda rng, sd, n: sd * rng.standard_normal(n), fit=_ridge_centred_solve),),
    minimal=_simulate_ridge_vectorised,
)


EXERCISES = (
    POLYNOMIAL_DESIGN_MATRIX,
    FIT_POLYNOMIAL,
    PREDICT_POLYNOMIAL,
    TRAIN_TEST_MSE,
    SIMULATE_POLYNOMIAL_PREDICTIONS,
    BIAS_VARIANCE_DECOMPOSITION,
    RIDGE_FIT_POLYNOMIAL,
    SIMULATE_RIDGE_PREDICTIONS,
)
