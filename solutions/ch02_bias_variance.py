"""Reference solutions for ``ch02_bias_variance`` (book chapter 2, questions 1-3).

Each function body is copied verbatim into the source notebook's solution
region, so it may only use NumPy (imported as ``np``), the helpers of
:mod:`solutions.validation` and :mod:`solutions.ch02_bias_variance_checks`, and
the other functions of this module.
"""

import numpy as np

from solutions.ch02_bias_variance_checks import finite_vector, simulation_inputs
from solutions.validation import as_count, as_float_array


def polynomial_design_matrix(x, degree):
    """Design matrix of a polynomial model: columns ``x**0, x**1, ..., x**degree``.

    A degree-``d`` polynomial is a linear model in these ``d + 1`` columns, so
    the degree is the model's number of parameters minus one (question 3).

    Parameters
    ----------
    x : array_like
        Inputs, shape ``(n,)``.
    degree : int
        Highest power, ``>= 0``.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, degree + 1)``.

    Examples
    --------
    >>> polynomial_design_matrix([1, 2, 3], 2)
    array([[1., 1., 1.],
           [1., 2., 4.],
           [1., 3., 9.]])
    """
    x = finite_vector(x, "x")
    degree = as_count(degree, "degree")
    return x[:, np.newaxis] ** np.arange(degree + 1)


def fit_polynomial(x, y, degree):
    """Least-squares polynomial coefficients, lowest power first.

    Solved with :func:`numpy.linalg.lstsq` (an SVD) rather than the normal
    equations, which square the design matrix's condition number.

    Parameters
    ----------
    x, y : array_like
        Training inputs and targets, shape ``(n,)`` each.
    degree : int
        Polynomial degree; needs at least ``degree + 1`` points.

    Returns
    -------
    numpy.ndarray
        ``coef`` of shape ``(degree + 1,)`` minimising ``sum (y - sum_j coef[j] x**j)**2``.

    Examples
    --------
    >>> fit_polynomial([0, 1, 2, 3], [1, 3, 5, 7], 1).round(10)
    array([1., 2.])
    """
    design = polynomial_design_matrix(x, degree)
    y = finite_vector(y, "y")
    if y.shape != (design.shape[0],):
        raise ValueError(f"`x` and `y` must have the same length; got {len(design)} and {y.size}")
    if design.shape[0] <= degree:
        raise ValueError(
            f"a degree-{degree} polynomial has {degree + 1} coefficients and needs at least that "
            f"many points; got {design.shape[0]} - lower `degree` or add data"
        )
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    return coef


def predict_polynomial(coef, x):
    """Evaluate the polynomial ``sum_j coef[j] * x**j`` at every ``x``.

    Parameters
    ----------
    coef : array_like
        Coefficients, lowest power first, shape ``(degree + 1,)``.
    x : array_like
        Inputs, shape ``(n,)``.

    Returns
    -------
    numpy.ndarray
        Predictions, shape ``(n,)``.

    Examples
    --------
    >>> predict_polynomial([1.0, 2.0, -0.5], [0.0, 1.0, 2.0])
    array([1. , 2.5, 3. ])
    """
    coef = finite_vector(coef, "coef")
    return polynomial_design_matrix(x, coef.size - 1) @ coef


def train_test_mse(x_train, y_train, x_test, y_test, degrees):
    """Training and test mean squared error of a polynomial fit of each degree.

    Every model is fitted on the training data only; the test data only scores it.

    Parameters
    ----------
    x_train, y_train : array_like
        Training inputs and targets, shape ``(n_train,)`` each.
    x_test, y_test : array_like
        Test inputs and targets, shape ``(n_test,)`` each.
    degrees : sequence of int
        Polynomial degrees to try.

    Returns
    -------
    tuple of numpy.ndarray
        ``(train_mse, test_mse)``, one entry per degree.

    Examples
    --------
    >>> train, test = train_test_mse([0, 1, 2], [0, 1, 4], [3], [9], [1, 2])
    >>> train.round(4), test.round(4)
    (array([0.2222, 0.    ]), array([11.1111,  0.    ]))
    """
    x_train, y_train = finite_vector(x_train, "x_train"), finite_vector(y_train, "y_train")
    x_test, y_test = finite_vector(x_test, "x_test"), finite_vector(y_test, "y_test")
    for split, x, y in (("train", x_train, y_train), ("test", x_test, y_test)):
        if x.shape != y.shape:
            raise ValueError(
                f"`x_{split}` and `y_{split}` must have the same length; got {x.size} and {y.size}"
            )
    degrees = [as_count(d, "each entry of `degrees`") for d in degrees]
    if not degrees:
        raise ValueError("`degrees` is empty; pass at least one polynomial degree")
    train_mse, test_mse = [], []
    for degree in degrees:
        coef = fit_polynomial(x_train, y_train, degree)
        train_mse.append(np.mean((predict_polynomial(coef, x_train) - y_train) ** 2))
        test_mse.append(np.mean((predict_polynomial(coef, x_test) - y_test) ** 2))
    return np.array(train_mse), np.array(test_mse)


def simulate_polynomial_predictions(true_fn, x_train, x_test, degree, noise_sd, n_datasets, rng):
    """Predictions at ``x_test`` of polynomials fitted to many simulated training sets.

    Each training set keeps ``x_train`` and draws fresh targets
    ``y = true_fn(x_train) + N(0, noise_sd**2)``: the spread of the rows shows
    the model's variance, their average its bias (question 1).

    Parameters
    ----------
    true_fn : callable
        The noiseless function ``f``; called once on the ``x_train`` array.
    x_train, x_test : array_like
        Training and test inputs, 1-D.
    degree : int
        Polynomial degree of every fit.
    noise_sd : float
        Standard deviation of the Gaussian noise, ``>= 0``.
    n_datasets : int
        Number of simulated training sets, ``>= 1``.
    rng : numpy.random.Generator
        The only source of randomness.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_datasets, len(x_test))``; row ``i`` holds the predictions of
        the model fitted to data set ``i``.

    Examples
    --------
    >>> preds = simulate_polynomial_predictions(
    ...     np.sin, np.linspace(-3, 3, 30), [0.0, 1.0], 3, 0.2, 500, np.random.default_rng(0))
    >>> preds.shape
    (500, 2)
    >>> no_noise = simulate_polynomial_predictions(
    ...     np.sin, [0, 1, 2], [3.0], 1, 0.0, 2, np.random.default_rng(0))
    >>> no_noise.round(4)
    array([[1.4929],
           [1.4929]])
    """
    x_train, x_test, f_train, noise_sd, n_datasets = simulation_inputs(
        true_fn, x_train, x_test, noise_sd, n_datasets, rng)
    predictions = np.empty((n_datasets, x_test.size))
    for i in range(n_datasets):
        y = f_train + rng.normal(0.0, noise_sd, x_train.size)
        predictions[i] = predict_polynomial(fit_polynomial(x_train, y, degree), x_test)
    return predictions


def bias_variance_decomposition(predictions, f_test, noise_variance):
    """Split the expected squared error at the test points into bias², variance and noise.

    ``E[(y - f_hat)**2] = (E[f_hat] - f)**2 + Var(f_hat) + sigma**2``, with the
    expectations over training sets estimated from the rows of ``predictions``
    and every term averaged over the test points.

    Parameters
    ----------
    predictions : array_like
        Shape ``(n_datasets, n_test)``, one row per training set.
    f_test : array_like
        The true function at the test points, shape ``(n_test,)``.
    noise_variance : float
        ``sigma**2``, the irreducible error, ``>= 0``.

    Returns
    -------
    dict
        Floats ``bias_squared``, ``variance`` (divisor ``n_datasets``),
        ``noise`` and ``expected_mse`` (their sum).

    Examples
    --------
    >>> parts = bias_variance_decomposition([[1.0, 2.0], [3.0, 4.0]], [2.0, 2.0], 0.25)
    >>> parts == {"bias_squared": 0.5, "variance": 1.0, "noise": 0.25, "expected_mse": 1.75}
    True
    """
    preds = as_float_array(predictions, "predictions")
    if preds.ndim != 2 or preds.size == 0:
        raise ValueError(
            "`predictions` must have shape (n_datasets, n_test), both at least 1; "
            f"got {preds.shape}"
        )
    f_test = finite_vector(f_test, "f_test")
    if f_test.shape != preds.shape[1:]:
        raise ValueError(
            f"`f_test` must hold one value per column of `predictions` ({preds.shape[1]}); "
            f"got {f_test.size}"
        )
    noise = float(noise_variance)
    if not noise >= 0:
        raise ValueError(f"`noise_variance` must be a variance >= 0; got {noise!r}")
    bias_squared = float(np.mean((preds.mean(axis=0) - f_test) ** 2))
    variance = float(np.mean(preds.var(axis=0)))
    return {"bias_squared": bias_squared, "variance": variance, "noise": noise,
            "expected_mse": bias_squared + variance + noise}


def ridge_fit_polynomial(x, y, degree, alpha):
    """Ridge-regression polynomial coefficients, lowest power first; the intercept is not penalised.

    Minimises ``sum (y - X c)**2 + alpha * sum_{j>=1} c_j**2``.  Centring the
    columns ``x**1 .. x**degree`` and ``y`` separates the unpenalised intercept:
    the slopes solve a ridge problem on the centred data (here a least-squares
    problem with ``sqrt(alpha) * I`` stacked under the design matrix, which
    avoids forming ``X^T X``), and ``c_0 = mean(y) - mean(X) @ slopes``.
    This is what scikit-learn's ``Ridge(alpha)`` computes on those columns.

    Parameters
    ----------
    x, y : array_like
        Training inputs and targets, shape ``(n,)`` each.
    degree : int
        Polynomial degree, ``>= 0``.
    alpha : float
        Penalty strength, ``>= 0``; ``alpha = 0`` is ordinary least squares
        (then at least ``degree + 1`` points are needed).

    Returns
    -------
    numpy.ndarray
        ``coef`` of shape ``(degree + 1,)``.

    Examples
    --------
    >>> ridge_fit_polynomial([-1, 0, 1], [1, 3, 5], 1, alpha=2.0).round(10)
    array([3., 1.])
    >>> ridge_fit_polynomial([-1, 0, 1], [1, 3, 5], 1, alpha=0.0).round(10)
    array([3., 2.])
    """
    powers = polynomial_design_matrix(x, degree)[:, 1:]
    y = finite_vector(y, "y")
    if y.shape != (powers.shape[0],):
        raise ValueError(f"`x` and `y` must have the same length; got {len(powers)} and {y.size}")
    alpha = float(alpha)
    if not 0 <= alpha < np.inf:
        raise ValueError(f"`alpha` must be a penalty >= 0; got {alpha!r}")
    if alpha == 0 and powers.shape[0] <= degree:
        raise ValueError(
            f"without a penalty a degree-{degree} polynomial needs at least {degree + 1} points; "
            f"got {powers.shape[0]} - lower `degree`, add data or use `alpha` > 0"
        )
    column_means, y_mean = powers.mean(axis=0), y.mean()
    stacked = np.vstack([powers - column_means, np.sqrt(alpha) * np.eye(degree)])
    targets = np.concatenate([y - y_mean, np.zeros(degree)])
    slopes, *_ = np.linalg.lstsq(stacked, targets, rcond=None)
    return np.concatenate([[y_mean - column_means @ slopes], slopes])


def simulate_ridge_predictions(true_fn, x_train, x_test, degree, alpha, noise_sd, n_datasets, rng):
    """Predictions at ``x_test`` of ridge polynomials fitted to many simulated training sets.

    As :func:`simulate_polynomial_predictions`, with :func:`ridge_fit_polynomial`
    as the fit: a larger ``alpha`` makes the rows agree more (less variance)
    at the price of averaging further from ``true_fn`` (more bias).

    Parameters
    ----------
    true_fn : callable
        The noiseless function ``f``; called once on the ``x_train`` array.
    x_train, x_test : array_like
        Training and test inputs, 1-D.
    degree : int
        Polynomial degree of every fit.
    alpha : float
        Ridge penalty of every fit, ``>= 0``.
    noise_sd : float
        Standard deviation of the Gaussian noise, ``>= 0``.
    n_datasets : int
        Number of simulated training sets, ``>= 1``.
    rng : numpy.random.Generator
        The only source of randomness.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_datasets, len(x_test))``; row ``i`` holds the predictions of
        the model fitted to data set ``i``.

    Examples
    --------
    >>> preds = simulate_ridge_predictions(
    ...     np.sin, np.linspace(-3, 3, 30), [0.0, 1.0], 10, 1.0, 0.2, 300, np.random.default_rng(0))
    >>> preds.shape
    (300, 2)
    >>> simulate_ridge_predictions(
    ...     np.sin, [-1, 0, 1], [2.0], 1, 2.0, 0.0, 2, np.random.default_rng(0)).round(4)
    array([[0.8415],
           [0.8415]])
    """
    x_train, x_test, f_train, noise_sd, n_datasets = simulation_inputs(
        true_fn, x_train, x_test, noise_sd, n_datasets, rng)
    predictions = np.empty((n_datasets, x_test.size))
    for i in range(n_datasets):
        y = f_train + rng.normal(0.0, noise_sd, x_train.size)
        predictions[i] = predict_polynomial(ridge_fit_polynomial(x_train, y, degree, alpha), x_test)
    return predictions
