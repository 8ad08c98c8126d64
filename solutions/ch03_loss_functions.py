"""Reference solutions for ``ch03_loss_functions`` (book chapter 3, questions 4-12).

Each function body is copied verbatim into the source notebook's solution
region, so it may only use NumPy (imported as ``np``), the helpers of
:mod:`solutions.validation` and the other functions of this module.
"""

import numpy as np

from solutions.validation import as_float_array, check_eps, check_probabilities, paired_arrays


def squared_error(y_true, y_pred):
    """Squared error of each prediction, ``(y - y_hat) ** 2``.

    Parameters
    ----------
    y_true, y_pred : array_like
        Targets and predictions of the same shape.

    Returns
    -------
    numpy.ndarray
        One squared error per example.

    Examples
    --------
    >>> squared_error([80, 80], [75, 60])
    array([ 25., 400.])
    """
    y, y_hat = paired_arrays(y_true, y_pred, "y_true", "y_pred")
    return (y - y_hat) ** 2


def mean_squared_error(y_true, y_pred):
    """Mean of the squared errors (the cost the book minimises in regression).

    Parameters
    ----------
    y_true, y_pred : array_like
        Targets and predictions of the same shape.

    Returns
    -------
    float

    Examples
    --------
    >>> round(mean_squared_error([3.0, 4.5, 2.0], [2.8, 4.0, 2.5]), 6)
    0.18
    """
    return float(np.mean(squared_error(y_true, y_pred)))


def gaussian_log_likelihood(y_true, y_pred, sigma):
    """Log-likelihood of the targets under ``y ~ N(y_hat, sigma**2)``.

    The sum of the full normal log-densities, normalising constant included.

    Parameters
    ----------
    y_true, y_pred : array_like
        Targets and predicted means of the same shape.
    sigma : float
        Noise standard deviation, positive.

    Returns
    -------
    float

    Examples
    --------
    >>> round(gaussian_log_likelihood([80.0], [75.0], sigma=5.0), 4)
    -3.0284
    """
    y, y_hat = paired_arrays(y_true, y_pred, "y_true", "y_pred")
    sigma = float(sigma)
    if not sigma > 0:
        raise ValueError(f"`sigma` must be positive; got {sigma!r}")
    residuals = y - y_hat
    return float(
        -0.5 * y.size * np.log(2 * np.pi * sigma**2) - np.sum(residuals**2) / (2 * sigma**2)
    )


def binary_cross_entropy(y_true, p_pred, eps=1e-15):
    """Cross-entropy of each binary prediction, ``-[y log p + (1 - y) log(1 - p)]``.

    Probabilities are clipped to ``[eps, 1 - eps]`` first, so a confident
    mistake costs a large but finite loss.

    Parameters
    ----------
    y_true : array_like
        Labels in {0, 1} (soft labels in [0, 1] also work).
    p_pred : array_like
        Predicted probabilities of class 1, same shape as ``y_true``.
    eps : float, default 1e-15
        Clipping constant.

    Returns
    -------
    numpy.ndarray
        One loss per example.

    Examples
    --------
    >>> binary_cross_entropy([1, 1, 1], [0.9, 0.6, 0.1]).round(3)
    array([0.105, 0.511, 2.303])
    """
    y, p = paired_arrays(y_true, p_pred, "y_true", "p_pred")
    check_probabilities(y, "y_true")
    check_probabilities(p, "p_pred")
    check_eps(eps)
    p = np.clip(p, eps, 1 - eps)
    return -(y * np.log(p) + (1 - y) * np.log1p(-p))


def log_loss(y_true, p_pred, eps=1e-15):
    """Mean binary cross-entropy (log-loss); finite even when ``p`` is 0 or 1.

    Parameters
    ----------
    y_true : array_like
        Labels in {0, 1}.
    p_pred : array_like
        Predicted probabilities of class 1.
    eps : float, default 1e-15
        Clipping constant.

    Returns
    -------
    float

    Examples
    --------
    >>> round(log_loss([1, 0, 1], [0.9, 0.2, 0.6]), 4)
    0.2798
    """
    return float(np.mean(binary_cross_entropy(y_true, p_pred, eps)))


def categorical_cross_entropy(y_true, proba, eps=1e-15):
    """Mean of ``-log(proba[i, y_i])`` over examples, probabilities clipped.

    Parameters
    ----------
    y_true : array_like of int
        Class labels ``0 .. K-1``, shape ``(n,)``.
    proba : array_like
        Predicted class probabilities, shape ``(n, K)``.
    eps : float, default 1e-15
        Clipping constant.

    Returns
    -------
    float

    Examples
    --------
    >>> round(categorical_cross_entropy([0, 2], [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]), 4)
    0.2899
    """
    labels = as_float_array(y_true, "y_true")
    probs = as_float_array(proba, "proba")
    if probs.ndim != 2 or labels.shape != (probs.shape[0],):
        raise ValueError(
            "`proba` must have shape (n, K) and `y_true` shape (n,); "
            f"got {probs.shape} and {labels.shape}"
        )
    if labels.size == 0:
        raise ValueError("`y_true` is empty; pass at least one example")
    n_classes = probs.shape[1]
    if not np.all((labels == np.round(labels)) & (labels >= 0) & (labels < n_classes)):
        raise ValueError(f"`y_true` must hold integer labels 0..{n_classes - 1}")
    check_probabilities(probs, "proba")
    check_eps(eps)
    picked = probs[np.arange(labels.size), labels.astype(int)]
    return float(-np.mean(np.log(np.clip(picked, eps, 1 - eps))))


def log_loss_from_logits(y_true, logits):
    """Mean log-loss of ``sigmoid(logits)``, computed without forming probabilities.

    Uses ``loss = max(z, 0) - y z + log(1 + exp(-|z|))``, which never
    overflows and keeps full relative accuracy for tiny and huge losses.

    Parameters
    ----------
    y_true : array_like
        Labels in {0, 1}.
    logits : array_like
        Raw scores ``z``, same shape as ``y_true``.

    Returns
    -------
    float

    Examples
    --------
    >>> log_loss_from_logits([0.0], [10_000.0])
    10000.0
    """
    y, z = paired_arrays(y_true, logits, "y_true", "logits")
    check_probabilities(y, "y_true")
    losses = np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z)))
    return float(np.mean(losses))


def entropy(p):
    """Shannon entropy ``-sum p log p`` in nats, with ``0 log 0 = 0``.

    Parameters
    ----------
    p : array_like
        A probability distribution.

    Returns
    -------
    float

    Examples
    --------
    >>> round(entropy([0.5, 0.5]), 6)
    0.693147
    >>> entropy([1.0, 0.0])
    0.0
    """
    probs = as_float_array(p, "p")
    if probs.size == 0:
        raise ValueError("`p` is empty; pass at least one probability")
    check_probabilities(probs, "p")
    positive = probs[probs > 0]
    return float(-np.sum(positive * np.log(positive))) + 0.0


def cross_entropy(p, q):
    """Cross-entropy ``-sum p log q``; terms with ``p_i = 0`` contribute 0.

    Parameters
    ----------
    p : array_like
        The true distribution.
    q : array_like
        The predicted distribution, same shape as ``p``.

    Returns
    -------
    float
        ``inf`` when ``q_i = 0`` for some ``p_i > 0``.

    Examples
    --------
    >>> round(cross_entropy([1.0, 0.0], [0.8, 0.2]), 3)
    0.223
    """
    p_arr, q_arr = paired_arrays(p, q, "p", "q")
    check_probabilities(p_arr, "p")
    check_probabilities(q_arr, "q")
    support = p_arr > 0
    with np.errstate(divide="ignore"):
        return float(-np.sum(p_arr[support] * np.log(q_arr[support])))


def kl_divergence(p, q):
    """Kullback-Leibler divergence ``sum p log(p / q)`` of ``q`` from ``p``.

    Parameters
    ----------
    p : array_like
        The true distribution.
    q : array_like
        The approximating distribution, same shape as ``p``.

    Returns
    -------
    float
        Zero when ``p == q``; ``inf`` when ``q_i = 0 < p_i``.

    Examples
    --------
    >>> round(kl_divergence([0.7, 0.3], [0.6, 0.4]), 5)
    0.0216
    """
    p_arr, q_arr = paired_arrays(p, q, "p", "q")
    check_probabilities(p_arr, "p")
    check_probabilities(q_arr, "q")
    support = p_arr > 0
    with np.errstate(divide="ignore"):
        log_ratio = np.log(p_arr[support]) - np.log(q_arr[support])
    return float(np.sum(p_arr[support] * log_ratio))


def log_likelihood(probabilities):
    """Sum of log-probabilities: the log of their product, without underflow.

    Parameters
    ----------
    probabilities : array_like
        Probabilities (or densities) of independent observations.

    Returns
    -------
    float

    Examples
    --------
    >>> round(log_likelihood([0.8, 0.7, 0.6]), 4)
    -1.0906
    """
    probs = as_float_array(probabilities, "probabilities")
    if probs.size == 0:
        raise ValueError("`probabilities` is empty; pass at least one value")
    if np.any(probs < 0):
        raise ValueError(f"`probabilities` must be non-negative; got min={np.min(probs):.3g}")
    with np.errstate(divide="ignore"):
        return float(np.sum(np.log(probs)))
