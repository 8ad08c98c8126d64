"""Hidden checks for ``ch03_loss_functions`` (book chapter 3, questions 4-12).

Tolerances: a correct float64 implementation agrees with the reference to
about 1e-13 relative, whatever its order of operations; ``rtol=1e-9`` leaves
room for that and for ``log(1 - p)`` versus ``log1p(-p)``, while every
catalogued mistake is off by far more.  ``atol=1e-12`` absorbs losses that are
rounding noise around zero (clipped terms near 1e-15, see the contract).
"""

import dataclasses

import numpy as np
import scipy.special
import scipy.stats

from graders.compare import Array, Scalar
from graders.engine import Case, Exercise, GradedTest, Mistake
from solutions import ch03_loss_functions as ref

_rng = np.random.default_rng(20260301)


def _probs(n):
    """Probabilities away from 0 and 1, where clipping plays no part."""
    return _rng.uniform(0.02, 0.98, n)


def _labels(n):
    return _rng.integers(0, 2, n).astype(float)


def _distribution(k):
    return _rng.dirichlet(np.ones(k))


def _xlogy(x, y):
    """x * log(y) with 0 * log(anything) = 0, as a wrong-but-careful learner might write."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == 0, 0.0, x * np.log(np.where(x == 0, 1.0, y)))


# --- correct implementations that validate nothing ----------------------------
# The stubs of this chapter list no Raises section, so a learner who computes the
# right answers and checks no argument must get every point (see the tests).


def _plain_squared_error(y_true, y_pred):
    return (np.asarray(y_true, float) - np.asarray(y_pred, float)) ** 2


def _plain_mean_squared_error(y_true, y_pred):
    return float(np.mean(_plain_squared_error(y_true, y_pred)))


def _plain_gaussian_log_likelihood(y_true, y_pred, sigma):
    residuals = np.asarray(y_true, float) - np.asarray(y_pred, float)
    return float(np.sum(-0.5 * np.log(2 * np.pi * sigma**2) - residuals**2 / (2 * sigma**2)))


def _plain_binary_cross_entropy(y_true, p_pred, eps=1e-15):
    y, p = np.asarray(y_true, float), np.clip(np.asarray(p_pred, float), eps, 1 - eps)
    return -(y * np.log(p) + (1 - y) * np.log1p(-p))


def _plain_log_loss(y_true, p_pred, eps=1e-15):
    return float(np.mean(_plain_binary_cross_entropy(y_true, p_pred, eps)))


def _plain_categorical_cross_entropy(y_true, proba, eps=1e-15):
    proba = np.asarray(proba, float)
    picked = proba[np.arange(len(proba)), np.asarray(y_true, int)]
    return float(-np.mean(np.log(np.clip(picked, eps, 1 - eps))))


def _plain_log_loss_from_logits(y_true, logits):
    z, y = np.asarray(logits, float), np.asarray(y_true, float)
    return float(np.mean(np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z)))))


def _plain_entropy(p):
    p = np.asarray(p, float)
    return float(-np.sum(_xlogy(p, p)))


def _plain_cross_entropy(p, q):
    return float(-np.sum(_xlogy(np.asarray(p, float), np.asarray(q, float))))


def _plain_kl_divergence(p, q):
    return _plain_cross_entropy(p, q) - _plain_entropy(p)


def _plain_log_likelihood(probabilities):
    return float(np.sum(np.log(np.asarray(probabilities, float))))


# --- squared_error / mean_squared_error ---------------------------------------

_regression_cases = (
    Case("the book's exam scores (true 80, predicted 75 and 60)", ([80, 80], [75, 60])),
    Case("a seeded random batch of 50 predictions", (_rng.normal(0, 10, 50), _rng.normal(0, 10, 50))),
    Case("Python lists instead of arrays", ([3.0, 4.5, 2.0], [2.8, 4.0, 2.5])),
    Case("a single example", ([1.5], [-2.0])),
    Case("perfect predictions", ([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])),
)

SQUARED_ERROR = Exercise(
    name="squared_error",
    reference=ref.squared_error,
    compare=Array(),
    tests=(
        GradedTest("test_squared_error", 1, "elementwise squared errors", _regression_cases),
    ),
    mistakes=(
        Mistake("absolute error", "you returned |y - y_hat|; square the error instead.",
                lambda y_true, y_pred: np.abs(np.subtract(y_true, y_pred, dtype=float))),
        Mistake("unsquared residual", "you returned y - y_hat; the loss squares it, so it is never negative.",
                lambda y_true, y_pred: np.subtract(y_true, y_pred, dtype=float)),
        Mistake("averaged", "you returned the mean; this function returns one loss per example.",
                lambda y_true, y_pred: float(np.mean(np.subtract(y_true, y_pred, dtype=float) ** 2)), book="Q4.2"),
        Mistake("returns a list", "you returned a Python list; return a NumPy array.",
                lambda y_true, y_pred: [(a - b) ** 2 for a, b in zip(y_true, y_pred, strict=True)]),
    ),
    alternatives=(
        lambda y_true, y_pred: np.square(np.asarray(y_true, float) - np.asarray(y_pred, float)),
        lambda y_true, y_pred: np.array([(float(a) - float(b)) ** 2 for a, b in zip(y_true, y_pred, strict=True)]),
    ),
    minimal=_plain_squared_error,
)

MEAN_SQUARED_ERROR = Exercise(
    name="mean_squared_error",
    reference=ref.mean_squared_error,
    compare=Scalar(),
    tests=(
        GradedTest("test_mean_squared_error", 1, "mean of the squared errors", _regression_cases),
    ),
    mistakes=(
        Mistake("sum instead of mean", "you summed the squared errors; MSE divides the sum by n.",
                lambda y_true, y_pred: float(np.sum(np.subtract(y_true, y_pred, dtype=float) ** 2)), book="Q4.2"),
        Mistake("root mean squared error", "you took the square root (that is RMSE); MSE stops at the mean.",
                lambda y_true, y_pred: float(np.sqrt(np.mean(np.subtract(y_true, y_pred, dtype=float) ** 2)))),
        Mistake("mean absolute error", "you averaged |y - y_hat| (MAE); square the errors before averaging.",
                lambda y_true, y_pred: float(np.mean(np.abs(np.subtract(y_true, y_pred, dtype=float))))),
        Mistake("divides by n - 1", "you divided by n - 1; the mean divides by n.",
                lambda y_true, y_pred: float(np.sum(np.subtract(y_true, y_pred, dtype=float) ** 2)
                                             / max(len(y_true) - 1, 1))),
    ),
    alternatives=(
        lambda y_true, y_pred: float(np.mean((np.asarray(y_true) - np.asarray(y_pred)) ** 2)),
        lambda y_true, y_pred: sum((a - b) ** 2 for a, b in zip(y_true, y_pred, strict=True)) / len(y_true),
    ),
    minimal=_plain_mean_squared_error,
)

# --- gaussian_log_likelihood ----------------------------------------------------

GAUSSIAN_LOG_LIKELIHOOD = Exercise(
    name="gaussian_log_likelihood",
    reference=ref.gaussian_log_likelihood,
    compare=Scalar(),
    tests=(
        GradedTest("test_gaussian_log_likelihood", 2, "full normal log-density summed over examples", (
            Case("the book's single exam score (y = 80, y_hat = 75, sigma = 5)", ([80.0], [75.0], 5.0)),
            Case("a seeded batch of 40 examples with sigma = 2.5",
                 (_rng.normal(0, 3, 40), _rng.normal(0, 3, 40), 2.5)),
            Case("small noise, sigma = 0.1", (_rng.normal(0, 1, 10), _rng.normal(0, 1, 10), 0.1)),
            Case("perfect predictions with sigma = 1", ([1.0, 2.0], [1.0, 2.0], 1.0)),
        )),
    ),
    mistakes=(
        Mistake("no normalising constant",
                "you dropped -n/2 log(2 pi sigma^2); the contract asks for the full log-density.",
                lambda y, yh, s: float(-np.sum(np.subtract(y, yh, dtype=float) ** 2) / (2 * s**2))),
        Mistake("sigma instead of sigma squared",
                "the exponent divides the squared residual by 2 sigma^2, not 2 sigma.",
                lambda y, yh, s: float(-0.5 * len(y) * np.log(2 * np.pi * s**2)
                                       - np.sum(np.subtract(y, yh, dtype=float) ** 2) / (2 * s))),
        Mistake("mean instead of sum",
                "you averaged the log-densities; the log-likelihood of independent data is their sum.",
                lambda y, yh, s: float(np.mean(-0.5 * np.log(2 * np.pi * s**2)
                                               - np.subtract(y, yh, dtype=float) ** 2 / (2 * s**2)))),
        Mistake("log of sigma instead of sigma squared",
                "the constant is -n/2 log(2 pi sigma^2): it uses the variance, not the standard deviation.",
                lambda y, yh, s: float(-0.5 * len(y) * np.log(2 * np.pi * s)
                                       - np.sum(np.subtract(y, yh, dtype=float) ** 2) / (2 * s**2))),
    ),
    alternatives=(
        lambda y, yh, s: float(np.sum(-np.log(s) - 0.5 * np.log(2 * np.pi)
                                      - 0.5 * ((np.asarray(y) - np.asarray(yh)) / s) ** 2)),
        lambda y, yh, s: float(np.sum(scipy.stats.norm.logpdf(y, loc=yh, scale=s))),
    ),
    minimal=_plain_gaussian_log_likelihood,
)

# --- binary_cross_entropy / log_loss ---------------------------------------------

_confident = np.array([0.0, 1.0, 0.0, 1.0, 0.5])
_confident_labels = np.array([1.0, 0.0, 0.0, 1.0, 1.0])

_bce_cases = (
    Case("the book's three predictions for class 1 (0.9, 0.6, 0.1)", ([1, 1, 1], [0.9, 0.6, 0.1])),
    Case("the book's listing (labels 1, 1, 0; probabilities 0.9, 0.6, 0.2)", ([1, 1, 0], [0.9, 0.6, 0.2])),
    Case("a seeded batch of 100 labels and probabilities", (_labels(100), _probs(100))),
)
_bce_edge_cases = (
    Case("probabilities exactly 0 and 1, right and wrong", (_confident_labels, _confident)),
    Case("a confident mistake (label 0, probability 1) with eps = 1e-7",
         ([0.0], [1.0]), {"eps": 1e-7}),
    Case("a batch of 60 mixing exact 0/1 probabilities with ordinary ones",
         (_labels(60), np.where(_rng.random(60) < 0.3, _rng.integers(0, 2, 60), _probs(60)))),
)

# Clipped losses of 34.4 (eps = 1e-15) are computed from 1 - (1 - eps), whose
# rounding differs between clip-then-log1p and clip-the-true-class-probability
# styles by up to 0.3 %; rtol 1e-2 accepts both, and still rejects a missing
# clip (inf or nan) or a different eps (16.1 for 1e-7 instead of 34.4).
def _edge(cases, comparator):
    return tuple(Case(c.label, c.args, c.kwargs, compare=comparator) for c in cases)


def _bce_unclipped(y_true, p_pred, eps=1e-15):
    y, p = np.asarray(y_true, float), np.asarray(p_pred, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def _bce_log2(y_true, p_pred, eps=1e-15):
    p = np.clip(np.asarray(p_pred, float), eps, 1 - eps)
    y = np.asarray(y_true, float)
    return -(y * np.log2(p) + (1 - y) * np.log2(1 - p))


def _bce_no_minus(y_true, p_pred, eps=1e-15):
    p = np.clip(np.asarray(p_pred, float), eps, 1 - eps)
    y = np.asarray(y_true, float)
    return y * np.log(p) + (1 - y) * np.log(1 - p)


def _bce_positive_term_only(y_true, p_pred, eps=1e-15):
    p = np.clip(np.asarray(p_pred, float), eps, 1 - eps)
    return -np.asarray(y_true, float) * np.log(p)


def _log_loss_of_labels(y_true, p_pred, eps=1e-15):
    labels = (np.asarray(p_pred, float) >= 0.5).astype(float)
    return float(np.mean(ref.binary_cross_entropy(y_true, labels, eps)))


def _bce_fixed_eps(y_true, p_pred, eps=1e-15):
    return ref.binary_cross_entropy(y_true, p_pred, eps=1e-15)


BINARY_CROSS_ENTROPY = Exercise(
    name="binary_cross_entropy",
    reference=ref.binary_cross_entropy,
    compare=Array(),
    tests=(
        GradedTest("test_binary_cross_entropy", 2, "per-example loss on ordinary probabilities", _bce_cases),
        GradedTest("test_binary_cross_entropy_clipping", 1, "finite losses when p is exactly 0 or 1",
                   _edge(_bce_edge_cases, Array(rtol=1e-2, atol=1e-12))),
    ),
    mistakes=(
        Mistake("no clipping", "a probability of exactly 0 or 1 gives log(0) = -inf; "
                "clip p to [eps, 1 - eps] before taking logs.", _bce_unclipped),
        Mistake("log base 2", "you used log2; the course measures losses in nats (np.log).", _bce_log2),
        Mistake("missing minus sign", "log p is negative, so the loss needs a leading minus to be positive.",
                _bce_no_minus, book="Q8.1"),
        Mistake("only the y = 1 term", "the (1 - y) log(1 - p) term is missing, so examples with label 0 "
                "cost nothing.", _bce_positive_term_only),
        Mistake("ignores eps", "you clipped with a fixed constant; use the `eps` argument.", _bce_fixed_eps),
    ),
    alternatives=(
        lambda y_true, p_pred, eps=1e-15: -np.where(
            np.asarray(y_true) == 1,
            np.log(np.clip(np.asarray(p_pred, float), eps, 1 - eps)),
            np.log(1 - np.clip(np.asarray(p_pred, float), eps, 1 - eps))),
        lambda y_true, p_pred, eps=1e-15: np.array([
            -(y * np.log(min(max(p, eps), 1 - eps)) + (1 - y) * np.log(1 - min(max(p, eps), 1 - eps)))
            for y, p in zip(y_true, p_pred, strict=True)]),
    ),
    minimal=_plain_binary_cross_entropy,
)


def _averaged(exercise, *names):
    """The named per-example mistakes of ``exercise`` made in a mean loss: the same lesson, losses averaged."""
    by_name = {m.name: m for m in exercise.mistakes}
    return tuple(dataclasses.replace(by_name[name], impl=_mean_of(by_name[name].impl)) for name in names)


def _mean_of(per_example):
    return lambda y_true, p_pred, eps=1e-15: float(np.mean(per_example(y_true, p_pred, eps)))


LOG_LOSS = Exercise(
    name="log_loss",
    reference=ref.log_loss,
    compare=Scalar(),
    tests=(
        GradedTest("test_log_loss", 2, "mean loss on ordinary probabilities", _bce_cases),
        GradedTest("test_log_loss_edge_cases", 1, "finite loss when p is exactly 0 or 1",
                   _edge(_bce_edge_cases, Scalar(rtol=1e-2, atol=1e-12))),
    ),
    mistakes=(
        *_averaged(BINARY_CROSS_ENTROPY, "no clipping", "log base 2"),
        Mistake("sum instead of mean", "log-loss averages over examples; you returned the sum.",
                lambda y, p, eps=1e-15: float(np.sum(ref.binary_cross_entropy(y, p, eps)))),
        *_averaged(BINARY_CROSS_ENTROPY, "missing minus sign", "only the y = 1 term"),
        Mistake("probabilities rounded to labels", "log-loss judges the predicted probabilities, not the labels "
                "they round to: with labels every right answer costs about 0 and every wrong one about 34.5, "
                "whatever the confidence. Pass p_pred itself.", _log_loss_of_labels, book="Q10.2"),
    ),
    alternatives=(
        lambda y_true, p_pred, eps=1e-15: float(np.mean(ref.binary_cross_entropy(y_true, p_pred, eps))),
        lambda y_true, p_pred, eps=1e-15: -sum(
            np.log(min(max(p, eps), 1 - eps)) if y == 1 else np.log(1 - min(max(p, eps), 1 - eps))
            for y, p in zip(y_true, p_pred, strict=True)) / len(y_true),
    ),
    minimal=_plain_log_loss,
)

# --- categorical_cross_entropy --------------------------------------------------

_proba = _rng.dirichlet(np.ones(4), 30)
_proba_labels = _rng.integers(0, 4, 30)
_proba_with_zero = np.array([[0.0, 0.5, 0.5], [1.0, 0.0, 0.0], [0.2, 0.3, 0.5]])


def _cce_unclipped(y_true, proba, eps=1e-15):
    probs = np.asarray(proba, float)
    with np.errstate(divide="ignore"):
        return float(-np.mean(np.log(probs[np.arange(len(y_true)), np.asarray(y_true, int)])))


def _cce_all_entries(y_true, proba, eps=1e-15):
    return float(-np.mean(np.log(np.clip(np.asarray(proba, float), eps, 1 - eps))))


def _cce_sum(y_true, proba, eps=1e-15):
    probs = np.clip(np.asarray(proba, float), eps, 1 - eps)
    return float(-np.sum(np.log(probs[np.arange(len(y_true)), np.asarray(y_true, int)])))


def _cce_fancy_index_columns(y_true, proba, eps=1e-15):
    probs = np.clip(np.asarray(proba, float), eps, 1 - eps)
    return float(-np.mean(np.log(probs[:, np.asarray(y_true, int)])))


CATEGORICAL_CROSS_ENTROPY = Exercise(
    name="categorical_cross_entropy",
    reference=ref.categorical_cross_entropy,
    compare=Scalar(),
    tests=(
        GradedTest("test_categorical_cross_entropy", 2, "mean loss of the true class's probability", (
            Case("two examples over three classes", ([0, 2], [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])),
            Case("a seeded batch of 30 examples over four classes", (_proba_labels, _proba)),
            Case("labels given as a list with a binary problem", ([1, 0, 1], [[0.1, 0.9], [0.8, 0.2], [0.4, 0.6]])),
            Case("a true class with probability exactly 0", ([0, 1, 2], _proba_with_zero)),
        )),
    ),
    mistakes=(
        Mistake("no clipping", "a true-class probability of 0 gives -log(0) = inf; clip to [eps, 1 - eps].",
                _cce_unclipped),
        Mistake("averages every entry", "you took the log of every probability; only the true class of each "
                "example, proba[i, y_i], counts.", _cce_all_entries),
        Mistake("sum instead of mean", "the loss averages over examples; you returned the sum.", _cce_sum),
        Mistake("indexed whole columns", "proba[:, y] picks whole columns (an n x n block); use "
                "proba[np.arange(n), y] to pick one entry per row.", _cce_fancy_index_columns),
    ),
    alternatives=(
        lambda y_true, proba, eps=1e-15: float(-np.mean(np.log(np.clip(
            np.take_along_axis(np.asarray(proba, float), np.asarray(y_true)[:, None], axis=1), eps, 1 - eps)))),
        lambda y_true, proba, eps=1e-15: float(-np.sum(
            np.eye(np.shape(proba)[1])[np.asarray(y_true)] * np.log(np.clip(np.asarray(proba, float), eps, 1 - eps))
        ) / len(y_true)),
    ),
    minimal=_plain_categorical_cross_entropy,
)

# --- log_loss_from_logits -------------------------------------------------------

_logits = _rng.normal(0, 3, 50)


def _logits_naive(y_true, logits):
    y, z = np.asarray(y_true, float), np.asarray(logits, float)
    with np.errstate(all="ignore"):
        p = 1 / (1 + np.exp(-z))
        return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))


def _logits_naive_clipped(y_true, logits):
    with np.errstate(over="ignore"):
        p = 1 / (1 + np.exp(-np.asarray(logits, float)))
    return ref.log_loss(y_true, p)


def _logits_overflowing_softplus(y_true, logits):
    y, z = np.asarray(y_true, float), np.asarray(logits, float)
    with np.errstate(over="ignore"):
        return float(np.mean(np.log1p(np.exp(z)) - y * z))


def _logits_sign_flipped(y_true, logits):
    return ref.log_loss_from_logits(y_true, -np.asarray(logits, float))


LOG_LOSS_FROM_LOGITS = Exercise(
    name="log_loss_from_logits",
    reference=ref.log_loss_from_logits,
    compare=Scalar(),
    tests=(
        GradedTest("test_log_loss_from_logits", 1, "agrees with log_loss(sigmoid(z)) for moderate logits", (
            Case("four moderate logits", ([1, 0, 1, 0], [2.0, -1.0, -0.5, 0.3])),
            Case("a seeded batch of 50 logits with spread 3", (_labels(50), _logits)),
        )),
        GradedTest("test_log_loss_from_logits_stability", 2, "finite and accurate for |z| up to 1e4", (
            Case("a confident mistake with logit 1e4 and label 0", ([0.0], [1e4])),
            Case("a confident mistake with logit -1e4 and label 1", ([1.0], [-1e4])),
            Case("confident right and wrong answers with |z| from 50 to 1e4",
                 ([1, 0, 1, 0, 1, 0], [50.0, -50.0, 800.0, 800.0, -3000.0, -1e4])),
            Case("a batch of 40 labels with logits of size 30 to 700",
                 (_labels(40), _rng.choice([-1, 1], 40) * _rng.uniform(30, 700, 40))),
        )),
    ),
    mistakes=(
        Mistake("sigmoid then log", "sigmoid(z) rounds to exactly 0 or 1 for large |z|, and log(0) is -inf; "
                "work with z directly: loss = max(z, 0) - y z + log1p(exp(-|z|)).", _logits_naive, book="Q11.2"),
        Mistake("sigmoid then clipped log-loss", "clipping caps a confident mistake at about 34.5 when the true "
                "loss is |z|; work with z directly: loss = max(z, 0) - y z + log1p(exp(-|z|)).",
                _logits_naive_clipped),
        Mistake("overflowing softplus", "log1p(exp(z)) overflows to inf for z above ~710; use "
                "np.logaddexp(0, z) or max(z, 0) + log1p(exp(-|z|)).", _logits_overflowing_softplus),
        Mistake("sign of the logit flipped", "sigmoid(z) is the probability of class 1, so a large positive z "
                "with label 1 should cost almost nothing.", _logits_sign_flipped),
    ),
    alternatives=(
        lambda y_true, logits: float(np.mean(np.logaddexp(0, logits) - np.asarray(y_true) * np.asarray(logits))),
        lambda y_true, logits: float(np.mean([np.logaddexp(0, -z) if y == 1 else np.logaddexp(0, z)
                                              for y, z in zip(y_true, logits, strict=True)])),
    ),
    minimal=_plain_log_loss_from_logits,
)

# --- entropy / cross_entropy / kl_divergence ------------------------------------

_p6, _q6 = _distribution(6), _distribution(6)
_p_sparse = np.array([0.5, 0.0, 0.25, 0.25, 0.0])
_q_sparse = np.array([0.1, 0.2, 0.3, 0.3, 0.1])


def _entropy_unguarded(p):
    p = np.asarray(p, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-np.sum(p * np.log(p)))


ENTROPY = Exercise(
    name="entropy",
    reference=ref.entropy,
    compare=Scalar(),
    tests=(
        GradedTest("test_entropy", 1, "-sum p log p with 0 log 0 = 0", (
            Case("a fair coin", ([0.5, 0.5],)),
            Case("the book's label distribution (0.7, 0.3)", ([0.7, 0.3],)),
            Case("a seeded random distribution over six outcomes", (_p6,)),
            Case("a distribution with zero-probability outcomes", (_p_sparse,)),
            Case("a certain outcome (1, 0, 0)", ([1.0, 0.0, 0.0],)),
        )),
    ),
    mistakes=(
        Mistake("0 log 0 not handled", "0 * log(0) is nan in NumPy; skip zero probabilities (0 log 0 = 0).",
                _entropy_unguarded),
        Mistake("log base 2", "you measured entropy in bits (log2); the course uses nats (np.log).",
                lambda p: float(-np.sum(_xlogy(np.asarray(p, float), np.asarray(p, float))) / np.log(2))),
        Mistake("missing minus sign", "p log p is never positive, so entropy needs a leading minus.",
                lambda p: float(np.sum(_xlogy(np.asarray(p, float), np.asarray(p, float)))), book="Q8.1"),
        Mistake("mean instead of sum", "entropy sums -p log p over outcomes; you averaged.",
                lambda p: float(-np.mean(_xlogy(np.asarray(p, float), np.asarray(p, float))))),
    ),
    alternatives=(
        lambda p: float(-sum(x * np.log(x) for x in p if x > 0)),
        lambda p: float(-np.sum(np.where(np.asarray(p) > 0, np.asarray(p) * np.log(np.where(
            np.asarray(p) > 0, p, 1.0)), 0.0))),
    ),
    minimal=_plain_entropy,
)

_divergence_cases = (
    Case("the book's example p = (0.7, 0.3), q = (0.6, 0.4)", ([0.7, 0.3], [0.6, 0.4])),
    Case("identical distributions", ([0.7, 0.3], [0.7, 0.3])),
    Case("two seeded random distributions over six outcomes", (_p6, _q6)),
    Case("p with zero-probability outcomes", (_p_sparse, _q_sparse)),
    Case("a one-hot p (a label) against a prediction", ([0.0, 1.0, 0.0], [0.2, 0.7, 0.1])),
)
_impossible = (
    Case("q gives probability 0 to an outcome that p says can happen", ([0.5, 0.5], [1.0, 0.0])),
    Case("q gives probability 0 only where p is also 0", ([1.0, 0.0], [0.9, 0.0])),
)

# Lessons that cross_entropy and kl_divergence share.
_ZERO_TERMS_MESSAGE = ("terms with p_i = 0 must contribute 0, but 0 * log(0) is nan in NumPy; "
                       "keep only the terms with p_i > 0.")
_BITS_MESSAGE = "you measured in bits (log2); the course uses nats (np.log)."

CROSS_ENTROPY = Exercise(
    name="cross_entropy",
    reference=ref.cross_entropy,
    compare=Scalar(),
    tests=(
        GradedTest("test_cross_entropy", 2, "-sum p log q, zero terms where p = 0, inf where q = 0 < p",
                   _divergence_cases + _impossible),
    ),
    mistakes=(
        Mistake("arguments swapped", "you computed -sum q log p; the true distribution p weights the log of "
                "the prediction q.", lambda p, q: float(-np.sum(_xlogy(np.asarray(q, float), np.asarray(p, float))))),
        Mistake("0 log 0 not handled", _ZERO_TERMS_MESSAGE, lambda p, q: _entropy_like_unguarded(p, q)),
        Mistake("log base 2", _BITS_MESSAGE,
                lambda p, q: float(-np.sum(_xlogy(np.asarray(p, float), np.asarray(q, float))) / np.log(2))),
        Mistake("entropy of p", "you returned the entropy of p; cross-entropy takes the log of q.",
                lambda p, q: ref.entropy(p)),
    ),
    alternatives=(
        lambda p, q: float(-sum(pi * np.log(qi) if qi > 0 else -np.inf for pi, qi in zip(p, q, strict=True)
                                if pi > 0)),
        lambda p, q: ref.entropy(p) + ref.kl_divergence(p, q),
    ),
    minimal=_plain_cross_entropy,
)


def _entropy_like_unguarded(p, q):
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-np.sum(np.asarray(p, float) * np.log(np.asarray(q, float))))


KL_DIVERGENCE = Exercise(
    name="kl_divergence",
    reference=ref.kl_divergence,
    compare=Scalar(),
    tests=(
        GradedTest("test_kl_divergence", 2, "sum p log(p/q), zero terms where p = 0, inf where q = 0 < p",
                   _divergence_cases + _impossible),
    ),
    mistakes=(
        Mistake("arguments swapped", "KL is not symmetric: D(p || q) weights log(p/q) by the true p, "
                "not by q.", lambda p, q: _kl_guarded(q, p), book="Q9.1"),
        Mistake("0 log 0 not handled", _ZERO_TERMS_MESSAGE, lambda p, q: _kl_unguarded(p, q)),
        Mistake("log base 2", _BITS_MESSAGE,
                lambda p, q: _kl_guarded(p, q) / np.log(2)),
        Mistake("cross-entropy instead", "you returned the cross-entropy H(p, q); KL subtracts the entropy: "
                "D(p || q) = H(p, q) - H(p).", lambda p, q: ref.cross_entropy(p, q)),
    ),
    alternatives=(
        lambda p, q: ref.cross_entropy(p, q) - ref.entropy(p),
        lambda p, q: float(sum(pi * np.log(pi / qi) if qi > 0 else np.inf
                               for pi, qi in zip(p, q, strict=True) if pi > 0)),
    ),
    minimal=_plain_kl_divergence,
)


def _kl_guarded(p, q):
    p, q = np.asarray(p, float), np.asarray(q, float)
    return float(np.sum(_xlogy(p, p) - _xlogy(p, q)))


def _kl_unguarded(p, q):
    p, q = np.asarray(p, float), np.asarray(q, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.sum(p * np.log(p / q)))


# --- log_likelihood -------------------------------------------------------------

LOG_LIKELIHOOD = Exercise(
    name="log_likelihood",
    reference=ref.log_likelihood,
    compare=Scalar(),
    tests=(
        GradedTest("test_log_likelihood", 2, "sum of log-probabilities, finite where the product underflows", (
            Case("the book's three probabilities (0.8, 0.7, 0.6)", ([0.8, 0.7, 0.6],)),
            Case("a seeded batch of 20 probabilities", (_probs(20),)),
            Case("2,000 probabilities whose product underflows to 0", (_rng.uniform(0.001, 0.2, 2000),)),
            Case("densities larger than 1", ([2.5, 0.5, 4.0],)),
        )),
    ),
    mistakes=(
        Mistake("log of the product", "the product of many probabilities underflows to 0 and log(0) = -inf; "
                "sum the logs instead of taking the log of the product.",
                lambda probabilities: _log_of_product(probabilities), book="Q11.2"),
        Mistake("returns the likelihood", "you returned the product (the likelihood); the task is its log, "
                "computed as a sum of logs.", lambda probabilities: float(np.prod(probabilities))),
        Mistake("mean instead of sum", "the log-likelihood sums the logs; you averaged them.",
                lambda probabilities: float(np.mean(np.log(probabilities)))),
        Mistake("log base 10", "you used log10; the course uses natural logs (np.log).",
                lambda probabilities: float(np.sum(np.log10(probabilities)))),
    ),
    alternatives=(
        lambda probabilities: float(sum(np.log(p) for p in probabilities)),
        lambda probabilities: float(np.log(np.asarray(probabilities, float)).sum()),
    ),
    minimal=_plain_log_likelihood,
)


def _log_of_product(probabilities):
    with np.errstate(divide="ignore"):
        return float(np.log(np.prod(np.asarray(probabilities, float))))


# --- mean_absolute_error / huber_loss -------------------------------------------

_y_outlier = np.array([2.1, 2.4, 2.5, 2.7, 3.0, 3.2, 12.0])


def _plain_mean_absolute_error(y_true, y_pred):
    return float(np.mean(np.abs(np.asarray(y_true, float) - np.asarray(y_pred, float))))


MEAN_ABSOLUTE_ERROR = Exercise(
    name="mean_absolute_error",
    reference=ref.mean_absolute_error,
    compare=Scalar(),
    tests=(
        GradedTest("test_mean_absolute_error", 1, "mean of the absolute errors", (
            Case("three house prices (errors 0.25, -0.5 and 0.5)", ([3.0, 4.5, 2.0], [2.75, 5.0, 1.5])),
            Case("a seeded random batch of 50 predictions", (_rng.normal(0, 10, 50), _rng.normal(0, 10, 50))),
            Case("seven targets with one outlier against their median", (_y_outlier, np.full(7, 2.7))),
            Case("predictions that are all too high", ([1.0, 2.0, 3.0, 4.0], [1.5, 3.0, 3.25, 6.0])),
            Case("a single example", ([1.5], [-2.0])),
        )),
    ),
    mistakes=(
        Mistake("no absolute value", "you averaged the signed errors y - y_hat, so errors of +5 and -5 cancel; "
                "take np.abs of each error before averaging.",
                lambda y_true, y_pred: float(np.mean(np.subtract(y_true, y_pred, dtype=float)))),
        Mistake("absolute value of the mean error", "you took |mean(y - y_hat)|: the errors cancel before the "
                "absolute value is taken. Take the absolute value of each error, then average.",
                lambda y_true, y_pred: float(abs(np.mean(np.subtract(y_true, y_pred, dtype=float))))),
        Mistake("sum instead of mean", "you summed the absolute errors; MAE divides the sum by n.",
                lambda y_true, y_pred: float(np.sum(np.abs(np.subtract(y_true, y_pred, dtype=float))))),
        Mistake("mean squared error", "you squared the errors (MSE); MAE averages |y - y_hat|, so a large error "
                "counts in proportion to its size.", lambda y_true, y_pred: ref.mean_squared_error(y_true, y_pred)),
        Mistake("median absolute error", "you took the median of the absolute errors; MAE is their mean.",
                lambda y_true, y_pred: float(np.median(np.abs(np.subtract(y_true, y_pred, dtype=float))))),
    ),
    alternatives=(
        lambda y_true, y_pred: sum(abs(a - b) for a, b in zip(y_true, y_pred, strict=True)) / len(y_true),
        lambda y_true, y_pred: float(np.linalg.norm(np.subtract(y_true, y_pred, dtype=float), 1) / len(y_true)),
    ),
    minimal=_plain_mean_absolute_error,
)


def _huber(quadratic, linear, reduce=np.mean):
    """A Huber loss whose two pieces (functions of the residual and delta) are given."""

    def loss(y_true, y_pred, delta=1.0):
        r = np.asarray(y_true, float) - np.asarray(y_pred, float)
        return float(reduce(np.where(np.abs(r) <= delta, quadratic(r, delta), linear(r, delta))))

    return loss


def _half_square(r, delta):
    return 0.5 * r**2


def _shifted_line(r, delta):
    return delta * (np.abs(r) - 0.5 * delta)


def _plain_huber_loss(y_true, y_pred, delta=1.0):
    r = np.abs(np.asarray(y_true, float) - np.asarray(y_pred, float))
    small = np.minimum(r, delta)
    return float(np.mean(0.5 * small**2 + delta * (r - small)))


def _huber_loop(y_true, y_pred, delta=1.0):
    total = 0.0
    for y, y_hat in zip(y_true, y_pred, strict=True):
        r = abs(y - y_hat)
        total += 0.5 * r * r if r <= delta else delta * r - 0.5 * delta * delta
    return total / len(y_true)


def _pseudo_huber(y_true, y_pred, delta=1.0):
    r = np.asarray(y_true, float) - np.asarray(y_pred, float)
    return float(np.mean(delta**2 * (np.sqrt(1 + (r / delta) ** 2) - 1)))


_r_mixed = _rng.normal(0, 2, 60)

HUBER_LOSS = Exercise(
    name="huber_loss",
    reference=ref.huber_loss,
    compare=Scalar(),
    tests=(
        GradedTest("test_huber_loss", 2, "half squared error inside delta, shifted absolute error outside", (
            Case("residuals 0.5, -2 and 4 with the default delta = 1", ([0.0, 0.0, 0.0], [0.5, -2.0, 4.0])),
            Case("only small residuals (half the mean squared error)", ([1.0, 2.0, 3.0], [1.2, 1.7, 3.5])),
            Case("only large negative residuals", ([0.0, 1.0, 2.0], [3.0, 4.5, 8.0])),
            Case("a residual exactly at delta", ([0.0, 0.0], [1.0, -0.25])),
            Case("seven targets with one outlier against their median", (_y_outlier, np.full(7, 2.7))),
            Case("a seeded batch of 60 residuals of spread 2 with delta = 1.5",
                 (_r_mixed, np.zeros(60)), {"delta": 1.5}),
            Case("delta = 2.5 with residuals on both sides of it", ([0.0, 0.0, 0.0, 0.0], [1.0, -2.0, 3.0, -6.0]),
                 {"delta": 2.5}),
            Case("a small delta = 0.1", ([0.05, -0.3, 2.0], [0.0, 0.0, 0.0]), {"delta": 0.1}),
        )),
    ),
    mistakes=(
        Mistake("missing one-half", "inside delta the loss is 0.5 r**2, not r**2; with the half, the two pieces "
                "meet with the same slope at |r| = delta.", _huber(lambda r, d: r**2, _shifted_line)),
        Mistake("linear part not shifted", "outside delta the loss is delta * (|r| - delta / 2); without the "
                "shift it jumps at |r| = delta instead of joining the quadratic piece.",
                _huber(_half_square, lambda r, d: d * np.abs(r))),
        Mistake("pieces swapped", "the quadratic piece is for small residuals (|r| <= delta) and the linear "
                "piece for large ones: that is what makes Huber robust to outliers.",
                _huber(_shifted_line, _half_square)),
        Mistake("signed residual in the linear piece", "use |r| in the linear piece: a large negative residual "
                "must cost as much as a large positive one.",
                _huber(_half_square, lambda r, d: d * (r - 0.5 * d))),
        Mistake("sum instead of mean", "the loss averages over examples; you returned the sum.",
                _huber(_half_square, _shifted_line, reduce=np.sum)),
        Mistake("delta ignored", "you used delta = 1 whatever the argument; pass the learner's delta through "
                "to both pieces.", lambda y_true, y_pred, delta=1.0: ref.huber_loss(y_true, y_pred)),
        Mistake("pseudo-Huber", "you computed the smooth pseudo-Huber loss delta**2 (sqrt(1 + (r/delta)**2) - 1); "
                "the contract's Huber loss is exactly 0.5 r**2 inside delta and delta (|r| - delta / 2) outside.",
                _pseudo_huber),
    ),
    alternatives=(
        _huber_loop,
        lambda y_true, y_pred, delta=1.0: float(np.mean(scipy.special.huber(
            delta, np.asarray(y_true, float) - np.asarray(y_pred, float)))),
    ),
    minimal=_plain_huber_loss,
)


EXERCISES = (
    SQUARED_ERROR,
    MEAN_SQUARED_ERROR,
    GAUSSIAN_LOG_LIKELIHOOD,
    BINARY_CROSS_ENTROPY,
    LOG_LOSS,
    CATEGORICAL_CROSS_ENTROPY,
    LOG_LOSS_FROM_LOGITS,
    ENTROPY,
    CROSS_ENTROPY,
    KL_DIVERGENCE,
    LOG_LIKELIHOOD,
    MEAN_ABSOLUTE_ERROR,
    HUBER_LOSS,
)
