"""Reference solutions for ``ch04_gradient_descent`` (book chapter 4, questions 13-17).

Each function body is copied verbatim into the source notebook's solution
region, so it may only use NumPy (imported as ``np``), the helpers of
:mod:`solutions.validation` and :mod:`solutions.ch04_gradient_descent_checks`,
and the other functions of this module.

Linear-regression functions fit ``y_hat = X @ w`` (no separate intercept) from
``w = 0`` with the per-example loss ``(x_i . w - y_i) ** 2``, whose gradient
``2 (x_i . w - y_i) x_i`` keeps the factor 2.
"""

import numpy as np

from solutions.ch04_gradient_descent_checks import (
    check_decay,
    check_learning_rate,
    gradient_at,
    parameter_vector,
    regression_data,
)
from solutions.validation import as_count, as_float_array, check_probabilities, check_rng, paired_arrays


def gradient_descent(grad, theta0, learning_rate, n_steps):
    """Run plain gradient descent ``theta <- theta - learning_rate * grad(theta)``.

    Parameters
    ----------
    grad : callable
        Maps a parameter array of shape ``(d,)`` to the gradient, same shape.
    theta0 : float or array_like
        Starting point; a scalar is treated as an array of shape ``(1,)``.
    learning_rate : float
        Step size, positive.
    n_steps : int
        Number of updates.

    Returns
    -------
    numpy.ndarray
        The history, shape ``(n_steps + 1, d)``: row 0 is ``theta0``, row ``k``
        the parameters after ``k`` updates.

    Examples
    --------
    >>> gradient_descent(lambda t: 2 * (t - 5), 0.0, 0.1, 2).ravel()
    array([0. , 1. , 1.8])
    """
    theta = parameter_vector(theta0)
    rate = check_learning_rate(learning_rate)
    steps = as_count(n_steps, "n_steps")
    history = np.empty((steps + 1, theta.size))
    history[0] = theta
    for step in range(1, steps + 1):
        theta = theta - rate * gradient_at(grad, theta)
        history[step] = theta
    return history


def numerical_gradient(f, theta, h=1e-6):
    """Estimate the gradient of ``f`` at ``theta`` by central differences.

    Partial derivative ``i`` is ``(f(theta + h e_i) - f(theta - h e_i)) / (2 h)``,
    whose error shrinks like ``h ** 2`` (a one-sided difference only like ``h``).

    Parameters
    ----------
    f : callable
        Maps an array shaped like ``theta`` to a number.
    theta : array_like
        Where to differentiate; any shape.
    h : float, default 1e-6
        Step size, positive.

    Returns
    -------
    numpy.ndarray
        The estimated gradient, same shape as ``theta``.

    Examples
    --------
    >>> numerical_gradient(lambda v: v[0] ** 2 + v[1] ** 2, [1.0, 1.0]).round(6)
    array([2., 2.])
    """
    point = as_float_array(theta, "theta")
    h = float(h)
    if not (np.isfinite(h) and h > 0):
        raise ValueError(f"`h` must be a positive number; got {h!r}")
    gradient = np.empty_like(point)
    for index in np.ndindex(point.shape):
        step = np.zeros_like(point)
        step[index] = h
        difference = np.asarray(f(point + step) - f(point - step), dtype=float)
        if difference.size != 1:
            raise ValueError(f"`f` must return a single number; got shape {difference.shape}")
        gradient[index] = difference.item() / (2 * h)
    return gradient


def directional_derivative(gradient, direction):
    """Rate of change along ``direction``: ``gradient . v`` with ``v`` the unit vector.

    Parameters
    ----------
    gradient : array_like
        The gradient at the point of interest.
    direction : array_like
        Any non-zero vector of the same shape; only its direction matters.

    Returns
    -------
    float
        At most ``||gradient||``, reached when ``direction`` points along the gradient.

    Raises
    ------
    ValueError
        If ``direction`` is the zero vector (it has no direction).

    Examples
    --------
    >>> round(directional_derivative([2, 2], [1, 1]), 4)
    2.8284
    """
    g, d = paired_arrays(gradient, direction, "gradient", "direction")
    length = np.linalg.norm(d)
    if length == 0:
        raise ValueError(
            "`direction` is the zero vector, which has no direction; pass a non-zero vector"
        )
    return float(np.sum(g * d) / length)


def batch_gradient_descent(X, y, learning_rate, n_epochs):
    """Least squares by batch gradient descent: one full-data update per epoch.

    Each epoch takes one step along the mean gradient over all ``n`` examples,
    ``(2 / n) X^T (X w - y)``, starting from ``w = 0``.

    Parameters
    ----------
    X : array_like
        Features, shape ``(n, d)``; a 1-D ``X`` is one feature column.
    y : array_like
        Targets, shape ``(n,)``.
    learning_rate : float
        Step size, positive.
    n_epochs : int
        Number of updates (passes over the data).

    Returns
    -------
    numpy.ndarray
        The weights ``w``, shape ``(d,)``.

    Examples
    --------
    >>> batch_gradient_descent([1, 2, 3, 4], [2, 4, 6, 8], 0.01, 10).round(4)
    array([1.6063])
    """
    features, targets = regression_data(X, y)
    rate = check_learning_rate(learning_rate)
    epochs = as_count(n_epochs, "n_epochs")
    w = np.zeros(features.shape[1])
    for _ in range(epochs):
        residuals = features @ w - targets
        w = w - rate * (2 / len(targets)) * (features.T @ residuals)
    return w


def stochastic_gradient_descent(X, y, learning_rate, n_epochs, rng):
    """Least squares by SGD: one update per example, in a fresh random order each epoch.

    Each epoch visits the examples in the order ``rng.permutation(n)`` (the only
    use of ``rng``) and steps along that one example's gradient
    ``2 (x_i . w - y_i) x_i``, starting from ``w = 0``.

    Parameters
    ----------
    X : array_like
        Features, shape ``(n, d)``; a 1-D ``X`` is one feature column.
    y : array_like
        Targets, shape ``(n,)``.
    learning_rate : float
        Step size, positive.
    n_epochs : int
        Number of passes over the data.
    rng : numpy.random.Generator
        Source of the shuffles, so a seed reproduces the result exactly.

    Returns
    -------
    numpy.ndarray
        The weights ``w``, shape ``(d,)``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> stochastic_gradient_descent([1, 2, 3, 4], [2, 4, 6, 8], 0.01, 10, rng).round(4)
    array([1.9979])
    """
    features, targets = regression_data(X, y)
    rate = check_learning_rate(learning_rate)
    epochs = as_count(n_epochs, "n_epochs")
    check_rng(rng)
    w = np.zeros(features.shape[1])
    for _ in range(epochs):
        for i in rng.permutation(len(targets)):
            w = w - rate * 2 * (features[i] @ w - targets[i]) * features[i]
    return w


def minibatch_gradient_descent(X, y, learning_rate, n_epochs, batch_size, rng):
    """Least squares by mini-batch gradient descent with a fresh shuffle each epoch.

    Each epoch cuts ``order = rng.permutation(n)`` (the only use of ``rng``) into
    consecutive chunks of ``batch_size`` (the last may be smaller) and steps
    along each chunk's mean gradient, starting from ``w = 0``.  ``batch_size=1``
    is SGD and ``batch_size=n`` is batch gradient descent.

    Parameters
    ----------
    X : array_like
        Features, shape ``(n, d)``; a 1-D ``X`` is one feature column.
    y : array_like
        Targets, shape ``(n,)``.
    learning_rate : float
        Step size, positive.
    n_epochs : int
        Number of passes over the data.
    batch_size : int
        Examples per update, at least 1.
    rng : numpy.random.Generator
        Source of the shuffles.

    Returns
    -------
    numpy.ndarray
        The weights ``w``, shape ``(d,)``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> minibatch_gradient_descent([1, 2, 3, 4], [2, 4, 6, 8], 0.01, 10, 4, rng).round(4)
    array([1.6063])
    """
    features, targets = regression_data(X, y)
    rate = check_learning_rate(learning_rate)
    epochs = as_count(n_epochs, "n_epochs")
    size = as_count(batch_size, "batch_size", minimum=1)
    check_rng(rng)
    w = np.zeros(features.shape[1])
    for _ in range(epochs):
        order = rng.permutation(len(targets))
        for start in range(0, len(order), size):
            batch = order[start:start + size]
            residuals = features[batch] @ w - targets[batch]
            w = w - rate * (2 / len(batch)) * (features[batch].T @ residuals)
    return w


def logistic_regression_gd(X, y, learning_rate, n_steps):
    """Logistic regression by full-batch gradient descent on the mean log-loss.

    With ``p = sigmoid(X @ w)`` the gradient of the mean log-loss is
    ``X^T (p - y) / n``.  The sigmoid is computed as ``(1 + tanh(z / 2)) / 2``,
    which equals ``1 / (1 + exp(-z))`` but never overflows.

    Parameters
    ----------
    X : array_like
        Features, shape ``(n, d)`` (add a column of ones for an intercept);
        a 1-D ``X`` is one feature column.
    y : array_like
        Labels in {0, 1}, shape ``(n,)``.
    learning_rate : float
        Step size, positive.
    n_steps : int
        Number of updates.

    Returns
    -------
    numpy.ndarray
        The weights ``w``, shape ``(d,)``, starting from ``w = 0``.

    Examples
    --------
    >>> logistic_regression_gd([[1, -1], [1, 1]], [0, 1], 1.0, 1)
    array([0. , 0.5])
    """
    features, labels = regression_data(X, y)
    check_probabilities(labels, "y")
    rate = check_learning_rate(learning_rate)
    steps = as_count(n_steps, "n_steps")
    w = np.zeros(features.shape[1])
    for _ in range(steps):
        p = 0.5 * (1 + np.tanh(0.5 * (features @ w)))
        w = w - rate * (features.T @ (p - labels)) / len(labels)
    return w


def max_stable_learning_rate(hessian):
    """The largest learning rate for which gradient descent on a quadratic converges.

    On ``J(theta) = theta^T H theta / 2 + ...`` each eigen-direction of ``H``
    with eigenvalue ``lambda`` shrinks by the factor ``|1 - eta lambda|`` per
    step, so every direction shrinks exactly when ``eta < 2 / lambda_max``.

    Parameters
    ----------
    hessian : array_like
        Symmetric positive-definite matrix ``(d, d)``; a number is a ``1 x 1`` matrix.

    Returns
    -------
    float
        ``2 / lambda_max``.

    Raises
    ------
    ValueError
        If ``hessian`` is not square, not symmetric or not positive definite.

    Examples
    --------
    >>> max_stable_learning_rate([[2.0, 0.0], [0.0, 10.0]])
    0.2
    """
    H = as_float_array(hessian, "hessian")
    if H.ndim == 0:
        H = H.reshape(1, 1)
    if H.ndim != 2 or H.shape[0] != H.shape[1] or H.size == 0:
        raise ValueError(f"`hessian` must be a square matrix; got shape {H.shape}")
    if not np.allclose(H, H.T):
        raise ValueError("`hessian` must be symmetric (a Hessian equals its transpose)")
    eigenvalues = np.linalg.eigvalsh(H)
    if not eigenvalues[0] > 0:
        raise ValueError(
            f"`hessian` must be positive definite; its smallest eigenvalue is {eigenvalues[0]:.3g}"
        )
    return float(2 / eigenvalues[-1])


def momentum_gradient_descent(grad, theta0, learning_rate, momentum, n_steps):
    """Gradient descent with heavy-ball momentum.

    ``v <- momentum * v - learning_rate * grad(theta)`` then ``theta <- theta + v``,
    from ``v = 0``.  The velocity ``v`` keeps a decaying sum of past steps: where
    successive gradients agree it builds up speed, where they flip sign (across a
    narrow valley) they cancel, which damps the zig-zag of plain gradient descent.

    Parameters
    ----------
    grad : callable
        Maps a parameter array of shape ``(d,)`` to the gradient, same shape.
    theta0 : float or array_like
        Starting point; a scalar is treated as an array of shape ``(1,)``.
    learning_rate : float
        Step size, positive.
    momentum : float
        Fraction of the velocity kept from one step to the next, in ``[0, 1)``;
        ``0`` is plain gradient descent.
    n_steps : int
        Number of updates.

    Returns
    -------
    numpy.ndarray
        The history, shape ``(n_steps + 1, d)``, starting with ``theta0``.

    Examples
    --------
    >>> momentum_gradient_descent(lambda t: 2 * (t - 5), 0.0, 0.1, 0.5, 2).ravel()
    array([0. , 1. , 2.3])
    """
    theta = parameter_vector(theta0)
    rate = check_learning_rate(learning_rate)
    keep = check_decay(momentum, "momentum")
    steps = as_count(n_steps, "n_steps")
    history = np.empty((steps + 1, theta.size))
    history[0] = theta
    velocity = np.zeros_like(theta)
    for step in range(1, steps + 1):
        velocity = keep * velocity - rate * gradient_at(grad, theta)
        theta = theta + velocity
        history[step] = theta
    return history


def adam(grad, theta0, learning_rate, n_steps, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam (Kingma and Ba, 2015): momentum plus a per-parameter step size.

    ``m`` and ``v`` are exponential moving averages of the gradient and of its
    square, both started at 0; dividing them by ``1 - beta**t`` removes the pull
    towards 0 of that start (bias correction).  Each parameter then moves by
    about ``learning_rate`` times ``m_hat / sqrt(v_hat)``, a number near +-1 when
    its gradients are consistent, whatever their scale.

    Parameters
    ----------
    grad : callable
        Maps a parameter array of shape ``(d,)`` to the gradient, same shape.
    theta0 : float or array_like
        Starting point; a scalar is treated as an array of shape ``(1,)``.
    learning_rate : float
        Step size, positive.
    n_steps : int
        Number of updates (``t = 1 .. n_steps``).
    beta1, beta2 : float, default 0.9 and 0.999
        Decay rates of the two moving averages, in ``[0, 1)``.
    eps : float, default 1e-8
        Added to ``sqrt(v_hat)`` to avoid dividing by 0, ``>= 0``.

    Returns
    -------
    numpy.ndarray
        The history, shape ``(n_steps + 1, d)``, starting with ``theta0``.

    Examples
    --------
    >>> adam(lambda t: 2 * (t - 5), 0.0, 0.1, 2).ravel().round(6)
    array([0.      , 0.1     , 0.199942])
    """
    theta = parameter_vector(theta0)
    rate = check_learning_rate(learning_rate)
    steps = as_count(n_steps, "n_steps")
    beta1, beta2 = check_decay(beta1, "beta1"), check_decay(beta2, "beta2")
    eps = float(eps)
    if not 0 <= eps < np.inf:
        raise ValueError(f"`eps` must be a small number >= 0; got {eps!r}")
    history = np.empty((steps + 1, theta.size))
    history[0] = theta
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    for t in range(1, steps + 1):
        gradient = gradient_at(grad, theta)
        m = beta1 * m + (1 - beta1) * gradient
        v = beta2 * v + (1 - beta2) * gradient**2
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        theta = theta - rate * m_hat / (np.sqrt(v_hat) + eps)
        history[t] = theta
    return history
