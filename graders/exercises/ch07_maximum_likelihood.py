"""Hidden checks for ``ch07_maximum_likelihood`` (book chapter 7, question 23).

Tolerances: the closed-form estimators and log-likelihoods agree with the
reference to about 1e-13 relative in float64 whatever the order of operations
(loops, ``scipy.stats``, ``statistics``), so they are compared with the
engine's default ``rtol=1e-9``; every catalogued mistake is off by far more.
``numerical_mle`` is compared with ``atol=1e-3`` (see there): an optimiser
stops near, not at, the minimiser.
"""

import math
import statistics

import numpy as np
import scipy.optimize
import scipy.special
import scipy.stats

from graders.compare import Array, Scalar, Sequence
from graders.engine import Case, Exercise, GradedTest, Mistake
from solutions import ch07_maximum_likelihood as ref

_rng = np.random.default_rng(20260707)

# Listing 7.1 draws 100 values from N(5, 2^2) after np.random.seed(0); RandomState(0)
# reproduces that stream exactly.
_book = np.random.RandomState(0).normal(5, 2, 100)
_book_10k = np.random.RandomState(0).normal(5, 2, 10_000)


def _as_floats(values):
    return np.asarray(values, dtype=float)


def _squares(data, mu):
    return np.sum((_as_floats(data) - mu) ** 2)


def _log_of_product_of_densities(data, mu, sigma):
    """The book's listing: multiply the densities, then take the log (underflows to -inf)."""
    x = _as_floats(data)
    densities = np.exp(-((x - mu) ** 2) / (2 * sigma**2)) / np.sqrt(2 * np.pi * sigma**2)
    with np.errstate(divide="ignore"):
        return float(np.log(np.prod(densities)))


# Correct and unvalidated (the stubs of this chapter list no Raises section).
def _plain_normal_log_likelihood(data, mu, sigma):
    x = _as_floats(data)
    return float(-x.size / 2 * np.log(2 * np.pi * sigma**2) - _squares(x, mu) / (2 * sigma**2))


def _plain_normal_mle(data):
    x = _as_floats(data)
    mu = float(np.mean(x))
    return mu, float(np.sqrt(np.mean((x - mu) ** 2)))


def _plain_bernoulli_mle(outcomes):
    return float(np.mean(_as_floats(outcomes)))


def _plain_exponential_mle(data):
    return float(1 / np.mean(_as_floats(data)))


def _plain_log_likelihood_curve(data, mu_grid, sigma):
    return np.array([_plain_normal_log_likelihood(data, mu, sigma) for mu in _as_floats(mu_grid)])


def _plain_numerical_mle(negative_log_likelihood, x0):
    return scipy.optimize.minimize(negative_log_likelihood, np.atleast_1d(_as_floats(x0))).x


def _normalised_over_grid(data, mu_grid, sigma):
    curve = _plain_log_likelihood_curve(data, mu_grid, sigma)
    return curve - scipy.special.logsumexp(curve)


_PRODUCT_MESSAGE = (
    "you multiplied the densities and took the log of the product; with thousands of "
    "observations the product underflows to 0.0 and log(0) = -inf. Sum the log-densities instead."
)

# --- normal_log_likelihood -----------------------------------------------------

NORMAL_LOG_LIKELIHOOD = Exercise(
    name="normal_log_likelihood",
    reference=ref.normal_log_likelihood,
    compare=Scalar(),
    tests=(
        GradedTest("test_normal_log_likelihood", 2, "sum of log-densities, finite for large n", (
            Case("two observations 4 and 6 with mu = 5, sigma = 1", ([4.0, 6.0], 5.0, 1.0)),
            Case("the book's 100 simulated values at mu = 5, sigma = 2", (_book, 5.0, 2.0)),
            Case("a seeded sample of 40 negative-mean values with sigma = 0.3",
                 (_rng.normal(-3, 0.3, 40), -2.9, 0.3)),
            Case("a single observation given as a list, far from mu", ([12.5], 0.0, 1.5)),
            Case("10,000 simulated values, where the product of densities underflows",
                 (_book_10k, 5.0, 2.0)),
        )),
    ),
    mistakes=(
        Mistake("log of the product of densities", _PRODUCT_MESSAGE, _log_of_product_of_densities, book="Q23.2"),
        Mistake("no normalising constant",
                "you dropped -n/2 log(2 pi sigma^2); the log-density keeps its constant term.",
                lambda data, mu, sigma: float(-_squares(data, mu) / (2 * sigma**2))),
        Mistake("log sigma instead of log sigma squared",
                "the constant is -n/2 log(2 pi sigma^2): it uses the variance, not the "
                "standard deviation.",
                lambda data, mu, sigma: float(-0.5 * len(data) * np.log(2 * np.pi * sigma)
                                              - _squares(data, mu) / (2 * sigma**2))),
        Mistake("mean instead of sum",
                "you averaged the log-densities; independent observations multiply their "
                "densities, so their log-likelihood is the sum.",
                lambda data, mu, sigma: float(np.mean(scipy.stats.norm.logpdf(data, mu, sigma)))),
    ),
    alternatives=(
        lambda data, mu, sigma: float(np.sum(scipy.stats.norm.logpdf(data, loc=mu, scale=sigma))),
        lambda data, mu, sigma: sum(-math.log(sigma) - 0.5 * math.log(2 * math.pi)
                                    - 0.5 * ((x - mu) / sigma) ** 2 for x in data),
    ),
    minimal=_plain_normal_log_likelihood,
)

# --- normal_mle ----------------------------------------------------------------

# Unix timestamps (about 1.7e9 s) a few seconds apart: sum(x^2) is about 1e21,
# where one float64 ulp exceeds the whole spread, so only a centred formula works.
_timestamps = 1.7e9 + _rng.normal(0, 5, 500)


def _mle_one_pass(data):
    x = _as_floats(data)
    with np.errstate(invalid="ignore"):
        return float(np.mean(x)), float(np.sqrt(np.mean(x**2) - np.mean(x) ** 2))


_mle_cases = (
    Case("the book's 100 simulated values from N(5, 2^2)", (_book,)),
    Case("four values given as a list", ([2.0, 4.0, 6.0, 8.0],)),
    Case("a seeded sample of 25 values with mean -40 and spread 2", (_rng.normal(-40, 2, 25),)),
    Case("a single observation (sigma_hat = 0)", ([3.5],)),
)

NORMAL_MLE = Exercise(
    name="normal_mle",
    reference=ref.normal_mle,
    compare=Sequence((Scalar(), Scalar())),
    tests=(
        GradedTest("test_normal_mle", 2, "mean and standard deviation (divisor n)", _mle_cases),
        GradedTest("test_normal_mle_offset", 1, "accurate for data far from zero", (
            Case("500 timestamps near 1.7e9 seconds, a few seconds apart", (_timestamps,)),
        )),
    ),
    mistakes=(
        Mistake("divisor n - 1",
                "you divided by n - 1 (np.std(ddof=1), the unbiased sample variance); the maximum-"
                "likelihood estimate divides by n, as scipy.stats.norm.fit does.",
                lambda data: (float(np.mean(data)), float(np.std(data, ddof=1)))),
        Mistake("variance instead of standard deviation",
                "you returned sigma_hat squared; the model's parameter sigma is the standard "
                "deviation.",
                lambda data: (float(np.mean(data)), float(np.var(data)))),
        Mistake("not centred",
                "you took the root mean square of the data; subtract mu_hat before squaring.",
                lambda data: (float(np.mean(data)), float(np.sqrt(_squares(data, 0) / len(data))))),
        Mistake("one-pass variance formula",
                "mean(x^2) - mean(x)^2 subtracts two huge, nearly equal numbers when the data "
                "sit far from zero and loses every significant digit; average the squared "
                "deviations (x - mu_hat)^2 instead.", _mle_one_pass),
    ),
    alternatives=(
        lambda data: scipy.stats.norm.fit(data),
        lambda data: (statistics.fmean(data), statistics.pstdev([float(x) for x in data])),
    ),
    minimal=_plain_normal_mle,
)

# --- bernoulli_mle ---------------------------------------------------------------

BERNOULLI_MLE = Exercise(
    name="bernoulli_mle",
    reference=ref.bernoulli_mle,
    compare=Scalar(),
    tests=(
        GradedTest("test_bernoulli_mle", 1, "fraction of ones", (
            Case("ten coin flips with seven heads", ([1, 0, 1, 1, 0, 1, 1, 0, 1, 1],)),
            Case("a seeded batch of 500 conversions with rate about 0.3",
                 ((_rng.random(500) < 0.3).astype(float),)),
            Case("outcomes given as booleans", ([True, False, False, False],)),
            Case("all successes", (np.ones(8),)),
            Case("all failures", ([0, 0, 0],)),
        )),
    ),
    mistakes=(
        Mistake("fraction of zeros",
                "you returned the fraction of failures; the success probability is the "
                "fraction of ones.",
                lambda outcomes: float(1 - np.mean(outcomes))),
        Mistake("count instead of fraction",
                "you returned the number of successes; divide it by the number of trials.",
                lambda outcomes: float(np.sum(outcomes))),
        Mistake("add-one smoothing",
                "(k + 1) / (n + 2) is Laplace's rule of succession, a Bayesian estimate with a "
                "uniform prior; the maximum-likelihood estimate is k / n.",
                lambda outcomes: float((np.sum(outcomes) + 1) / (len(outcomes) + 2))),
    ),
    alternatives=(
        lambda outcomes: np.count_nonzero(outcomes) / len(outcomes),
        lambda outcomes: sum(1.0 for y in outcomes if y == 1) / len(outcomes),
    ),
    minimal=_plain_bernoulli_mle,
)

# --- exponential_mle -------------------------------------------------------------

EXPONENTIAL_MLE = Exercise(
    name="exponential_mle",
    reference=ref.exponential_mle,
    compare=Scalar(),
    tests=(
        GradedTest("test_exponential_mle", 1, "rate = 1 / mean", (
            Case("four waiting times with mean 2", ([1.0, 3.0, 2.0, 2.0],)),
            Case("a seeded sample of 1,000 waiting times with mean about 4",
                 (_rng.exponential(4, 1000),)),
            Case("a single waiting time", ([0.25],)),
            Case("waiting times that include zeros", ([0.0, 0.5, 0.0, 1.5, 3.0],)),
        )),
    ),
    mistakes=(
        Mistake("mean instead of rate",
                "you returned the mean waiting time (the scale); the rate is its inverse, "
                "1 / mean.",
                lambda data: float(np.mean(data))),
        Mistake("divisor n - 1",
                "(n - 1) / sum(x) is the unbiased estimator of the rate; the maximum-likelihood "
                "estimate is n / sum(x).",
                lambda data: float((len(data) - 1) / np.sum(data))),
        Mistake("inverse of the sum",
                "you returned 1 / sum(x); setting the derivative n / lambda - sum(x) to zero gives "
                "lambda = n / sum(x).", lambda data: float(1 / np.sum(data))),
    ),
    alternatives=(
        lambda data: len(data) / float(np.sum(data)),
        lambda data: 1 / scipy.stats.expon.fit(data, floc=0)[1],
    ),
    minimal=_plain_exponential_mle,
)

# --- log_likelihood_curve --------------------------------------------------------

_CURVE_MESSAGE = _PRODUCT_MESSAGE + " The book's listing does exactly this; use log-densities."

LOG_LIKELIHOOD_CURVE = Exercise(
    name="log_likelihood_curve",
    reference=ref.log_likelihood_curve,
    compare=Array(),
    tests=(
        GradedTest("test_log_likelihood_curve", 2, "normal log-likelihood at each candidate mean", (
            Case("the book's 100 values on its grid of 100 means from 3 to 7, sigma = 2",
                 (_book, np.linspace(3, 7, 100), 2.0)),
            Case("lists: two observations and two candidate means", ([4.0, 6.0], [4.0, 5.0], 1.0)),
            Case("a seeded sample of 50 values on 7 means, sigma = 0.5",
                 (_rng.normal(-1, 0.5, 50), np.linspace(-2, 0, 7), 0.5)),
            Case("a grid with a single mean", (_book, [5.0], 3.0)),
        )),
        GradedTest("test_log_likelihood_curve_underflow", 1, "finite for 10,000 observations", (
            Case("the book's model with 10,000 observations on 41 means",
                 (_book_10k, np.linspace(3, 7, 41), 2.0)),
            Case("20,000 seeded observations with sigma = 0.5 on 5 means",
                 (_rng.normal(0, 0.5, 20_000), np.linspace(-0.1, 0.1, 5), 0.5)),
        )),
    ),
    mistakes=(
        Mistake("product of densities", _CURVE_MESSAGE,
                lambda data, mu_grid, sigma: np.array(
                    [_log_of_product_of_densities(data, mu, sigma) for mu in mu_grid]), book="Q23.2"),
        Mistake("mean instead of sum",
                "you averaged the log-densities; the log-likelihood of independent data is "
                "their sum.",
                lambda data, mu_grid, sigma: np.array(
                    [np.mean(scipy.stats.norm.logpdf(data, mu, sigma)) for mu in mu_grid])),
        Mistake("ignores sigma",
                "you used the sample standard deviation; the curve holds sigma fixed at the "
                "given value.",
                lambda data, mu_grid, sigma: np.array(
                    [np.sum(scipy.stats.norm.logpdf(data, mu, np.std(data))) for mu in mu_grid])),
        Mistake("normalised over the grid",
                "you scaled the likelihoods to sum to 1 over the candidate means, as if they were "
                "probabilities of mu. The likelihood is a function of mu with the data fixed, not "
                "a distribution over mu (normalising it gives a posterior under a flat prior); "
                "return the log-likelihoods themselves.",
                _normalised_over_grid, book="Q23.1"),
        Mistake("returns a list",
                "you returned a Python list; return a NumPy array with one entry per "
                "candidate mean.",
                lambda data, mu_grid, sigma: [
                    ref.normal_log_likelihood(data, mu, sigma) for mu in mu_grid]),
    ),
    alternatives=(
        lambda data, mu_grid, sigma: scipy.stats.norm.logpdf(
            _as_floats(data)[None, :], _as_floats(mu_grid)[:, None], sigma).sum(axis=1),
        lambda data, mu_grid, sigma: np.array([
            -len(data) * math.log(sigma * math.sqrt(2 * math.pi))
            - sum((x - mu) ** 2 for x in data) / (2 * sigma**2) for mu in mu_grid]),
    ),
    minimal=_plain_log_likelihood_curve,
)

# --- numerical_mle ----------------------------------------------------------------

# Negative log-likelihoods (constants dropped) whose minimisers have closed forms.
# Scale parameters are optimised on the log scale, so no start or step can make them negative.

_waits = _rng.exponential(2.5, 200)
_clicks = (_rng.random(300) < 0.3).astype(float)
_reg_x = _rng.uniform(0, 10, 80)
_reg_y = 1.5 + 0.8 * _reg_x + _rng.normal(0, 1.2, 80)


def _normal_nll(theta):
    """Book data, theta = (mu, log sigma); minimiser (mean, log std)."""
    mu, log_sigma = theta
    return _book.size * log_sigma + np.sum((_book - mu) ** 2) / (2 * np.exp(2 * log_sigma))


def _exponential_nll(theta):
    """theta = (log rate,); minimiser log(1 / mean)."""
    log_rate = theta[0]
    return np.exp(log_rate) * np.sum(_waits) - _waits.size * log_rate


def _bernoulli_nll(theta):
    """theta = (logit p,); minimiser logit(fraction of ones)."""
    return np.sum(np.logaddexp(0, theta[0]) - _clicks * theta[0])


def _regression_nll(theta):
    """Gaussian regression, theta = (intercept, slope, log sigma); minimiser = least squares."""
    intercept, slope, log_sigma = theta
    residuals = _reg_y - intercept - slope * _reg_x
    return _reg_y.size * log_sigma + np.sum(residuals**2) / (2 * np.exp(2 * log_sigma))


def _cauchy_nll(data):
    """Cauchy location model (scale 1): a likelihood with several local maxima."""
    points = np.array(data, dtype=float)
    return lambda theta: float(np.sum(np.log1p((points - theta[0]) ** 2)))


_two_clusters = _cauchy_nll([-5.0, 5.0])
_uneven_clusters = _cauchy_nll([-6.0, -5.0, 4.0, 5.0])

# Default Nelder-Mead stops within about 1e-4 of the minimiser (xatol=1e-4) and BFGS
# within about 1e-7 on these well-scaled problems; atol=1e-3 accepts both with a 10x
# margin. Every catalogued mistake is off by more than 0.5 or returns a float.
_minimiser = Array(rtol=0, atol=1e-3)


def _minimum_value(negative_log_likelihood, x0):
    return float(scipy.optimize.minimize(negative_log_likelihood, np.atleast_1d(x0)).fun)


def _maximises(negative_log_likelihood, x0):
    return scipy.optimize.minimize(lambda theta: -negative_log_likelihood(theta), x0).x


def _starts_at_zero(negative_log_likelihood, x0):
    return scipy.optimize.minimize(negative_log_likelihood, np.zeros(np.size(x0))).x


NUMERICAL_MLE = Exercise(
    name="numerical_mle",
    reference=ref.numerical_mle,
    compare=_minimiser,
    tests=(
        GradedTest("test_numerical_mle", 2, "minimiser of smooth negative log-likelihoods", (
            Case("normal (mu, log sigma) on the book's 100 values from (1, 0)",
                 (_normal_nll, np.array([1.0, 0.0]))),
            Case("exponential log-rate of 200 seeded waiting times from a scalar start",
                 (_exponential_nll, 1.0)),
            Case("Bernoulli logit of 300 seeded clicks from a list start",
                 (_bernoulli_nll, [-1.0])),
            Case("Gaussian linear regression (intercept, slope, log sigma) from (1, 1, 1)",
                 (_regression_nll, [1.0, 1.0, 1.0])),
        )),
        GradedTest("test_numerical_mle_start", 1, "finds the local maximum near x0", (
            Case("Cauchy location for data at -5 and 5, started at 3", (_two_clusters, 3.0)),
            Case("Cauchy location for data at -5 and 5, started at -2", (_two_clusters, -2.0)),
            Case("Cauchy location for data near -5.5 and 4.5, started at -2",
                 (_uneven_clusters, -2.0)),
        )),
    ),
    mistakes=(
        Mistake("returns the minimum value",
                "you returned the smallest negative log-likelihood (result.fun); the estimate is "
                "the parameter vector that achieves it (result.x).", _minimum_value),
        Mistake("maximises the negative log-likelihood",
                "you negated the function before minimising; it is already the negative "
                "log-likelihood, so minimise it as it is.", _maximises),
        Mistake("ignores x0",
                "you started the search at zero; start at x0 - when the likelihood has several "
                "local maxima the starting point decides which one the optimiser finds.",
                _starts_at_zero),
    ),
    alternatives=(
        lambda nll, x0: scipy.optimize.minimize(nll, np.atleast_1d(x0), method="Nelder-Mead").x,
        lambda nll, x0: np.asarray(scipy.optimize.minimize(nll, x0, method="L-BFGS-B").x, float),
    ),
    minimal=_plain_numerical_mle,
)

EXERCISES = (
    NORMAL_LOG_LIKELIHOOD,
    NORMAL_MLE,
    BERNOULLI_MLE,
    EXPONENTIAL_MLE,
    LOG_LIKELIHOOD_CURVE,
    NUMERICAL_MLE,
)
