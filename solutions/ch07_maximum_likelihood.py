"""Reference solutions for ``ch07_maximum_likelihood`` (book chapter 7, question 23).

Each function body is copied verbatim into the source notebook's solution
region, so it may only use NumPy (``np``), ``scipy.optimize`` (imported as in
the notebook's set-up cell), the helpers of
:mod:`solutions.ch07_maximum_likelihood_checks` and the other functions of
this module.
"""

import numpy as np
import scipy.optimize

from solutions.ch07_maximum_likelihood_checks import as_number, as_sample


def normal_log_likelihood(data, mu, sigma):
    """Log-likelihood of independent observations under ``N(mu, sigma**2)``.

    The sum of the normal log-densities, ``-n/2 log(2 pi sigma^2) -
    sum (x_i - mu)^2 / (2 sigma^2)``; summing logs never underflows.

    Parameters
    ----------
    data : array_like
        Observations, shape ``(n,)``.
    mu : float
        Mean of the normal model.
    sigma : float
        Standard deviation, positive.

    Returns
    -------
    float

    Examples
    --------
    >>> round(normal_log_likelihood([4.0, 6.0], mu=5.0, sigma=1.0), 4)
    -2.8379
    """
    x = as_sample(data, "data")
    mu = as_number(mu, "mu")
    sigma = as_number(sigma, "sigma", positive=True)
    constant = -0.5 * x.size * np.log(2 * np.pi * sigma**2)
    return float(constant - np.sum((x - mu) ** 2) / (2 * sigma**2))


def normal_mle(data):
    """Maximum-likelihood mean and standard deviation of a normal sample.

    ``mu_hat`` is the sample mean and ``sigma_hat`` the root mean squared
    deviation from it, dividing by ``n`` (not ``n - 1``), as
    ``scipy.stats.norm.fit`` does.

    Parameters
    ----------
    data : array_like
        Observations, shape ``(n,)``.

    Returns
    -------
    tuple of float
        ``(mu_hat, sigma_hat)``.

    Examples
    --------
    >>> normal_mle([2.0, 4.0, 6.0, 8.0])
    (5.0, 2.23606797749979)
    """
    x = as_sample(data, "data")
    mu_hat = np.mean(x)
    sigma_hat = np.sqrt(np.mean((x - mu_hat) ** 2))
    return float(mu_hat), float(sigma_hat)


def bernoulli_mle(outcomes):
    """Maximum-likelihood success probability of 0/1 outcomes: the fraction of ones.

    Parameters
    ----------
    outcomes : array_like
        Outcomes in {0, 1} (booleans work too), shape ``(n,)``.

    Returns
    -------
    float

    Examples
    --------
    >>> bernoulli_mle([1, 0, 1, 1, 0, 1, 1, 0, 1, 1])
    0.7
    """
    y = as_sample(outcomes, "outcomes")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("`outcomes` must hold only 0s and 1s (failures and successes)")
    return float(np.mean(y))


def exponential_mle(data):
    """Maximum-likelihood rate of an exponential sample: ``1 / mean``.

    Parameters
    ----------
    data : array_like
        Non-negative waiting times, not all zero, shape ``(n,)``.

    Returns
    -------
    float
        The rate ``lambda_hat``; the fitted mean waiting time is its inverse.

    Examples
    --------
    >>> exponential_mle([1.0, 3.0, 2.0, 2.0])
    0.5
    """
    x = as_sample(data, "data")
    if np.any(x < 0):
        raise ValueError(f"`data` must be non-negative waiting times; got min={np.min(x):.3g}")
    if not np.any(x > 0):
        raise ValueError("`data` is all zeros; the likelihood then grows without bound in the rate")
    return float(1 / np.mean(x))


def log_likelihood_curve(data, mu_grid, sigma):
    """Normal log-likelihood of ``data`` at every mean in ``mu_grid``, ``sigma`` fixed.

    Works with sums of logs, never a product of densities, so it stays
    finite for tens of thousands of observations.  Splitting
    ``sum (x_i - mu)^2 = sum (x_i - x_bar)^2 + n (x_bar - mu)^2`` touches the
    data once, whatever the size of the grid, and shows that the curve is a
    parabola peaking at the sample mean.

    Parameters
    ----------
    data : array_like
        Observations, shape ``(n,)``.
    mu_grid : array_like
        Candidate means, shape ``(m,)``.
    sigma : float
        Standard deviation, positive.

    Returns
    -------
    numpy.ndarray
        Shape ``(m,)``, the log-likelihood at each candidate mean.

    Examples
    --------
    >>> log_likelihood_curve([4.0, 6.0], [4.0, 5.0], sigma=1.0).round(4)
    array([-3.8379, -2.8379])
    """
    x = as_sample(data, "data")
    mu = as_sample(mu_grid, "mu_grid")
    sigma = as_number(sigma, "sigma", positive=True)
    x_bar = np.mean(x)
    squares = np.sum((x - x_bar) ** 2) + x.size * (x_bar - mu) ** 2
    return -0.5 * x.size * np.log(2 * np.pi * sigma**2) - squares / (2 * sigma**2)


def numerical_mle(negative_log_likelihood, x0):
    """Parameters that minimise a negative log-likelihood, searched from ``x0``.

    Minimising ``-log L`` is maximising ``L``; ``scipy.optimize.minimize``
    (BFGS with finite-difference gradients) does the search.  The result is
    the minimiser, not the minimum value.  When the likelihood has several
    local maxima, the one found depends on ``x0``.

    Parameters
    ----------
    negative_log_likelihood : callable
        ``f(theta) -> float`` for ``theta`` of shape ``(d,)``.
    x0 : float or array_like
        Starting parameters; a scalar means ``d = 1``.

    Returns
    -------
    numpy.ndarray
        Shape ``(d,)``, the estimated parameters.

    Examples
    --------
    >>> numerical_mle(lambda theta: (theta[0] - 3.0) ** 2, x0=0.0).round(4)
    array([3.])
    """
    start = as_sample(np.atleast_1d(x0), "x0")
    if not callable(negative_log_likelihood):
        raise ValueError("`negative_log_likelihood` must be a function of the parameter array")
    first = float(negative_log_likelihood(start))
    if not np.isfinite(first):
        raise ValueError(
            f"`negative_log_likelihood(x0)` is {first}; start at parameters where the likelihood "
            "is positive (for example a positive sigma, or optimise log sigma instead)"
        )
    result = scipy.optimize.minimize(negative_log_likelihood, start)
    return np.asarray(result.x, dtype=float)
