"""Reference solutions for ``ch09_production_ml`` (book chapter 9, questions 26-27).

Each function body is copied verbatim into the source notebook's solution
region, so it may only use NumPy (imported as ``np``), the helpers of
:mod:`solutions.validation` and the other functions of this module.
``model`` is any fitted scikit-learn binary classifier with ``predict_proba``.
"""

import numpy as np

from solutions.validation import as_count, as_float_array


def validate_features(features, n_features):
    """Check one prediction request and return it as a ``(1, n_features)`` float array.

    A serving endpoint must reject a malformed request with a message that
    tells the caller what to fix, instead of passing it on to the model.

    Parameters
    ----------
    features : array_like
        One request: a 1-D sequence of ``n_features`` numbers or a
        ``(1, n_features)`` array.
    n_features : int
        The number of features the model expects, positive.

    Returns
    -------
    numpy.ndarray
        The request as floats, shape ``(1, n_features)``.

    Raises
    ------
    ValueError
        For the wrong length (or shape), a value that is not a number, NaN or
        infinity; the message names the problem.

    Examples
    --------
    >>> validate_features([0.1, -1.2, 0.4], 3)
    array([[ 0.1, -1.2,  0.4]])
    >>> validate_features([0.1, float("nan"), 0.4], 3)
    Traceback (most recent call last):
    ...
    ValueError: `features` contains NaN (a missing value) at position(s) [1]
    """
    as_count(n_features, "n_features", minimum=1)
    row = as_float_array(features, "features")
    if row.shape not in ((n_features,), (1, n_features)):
        raise ValueError(
            f"`features` has the wrong length: expected {n_features} features as a 1-D sequence "
            f"or a (1, {n_features}) array; got shape {row.shape}"
        )
    row = row.reshape(1, n_features)
    if np.isnan(row).any():
        positions = np.flatnonzero(np.isnan(row[0])).tolist()
        raise ValueError(f"`features` contains NaN (a missing value) at position(s) {positions}")
    if np.isinf(row).any():
        positions = np.flatnonzero(np.isinf(row[0])).tolist()
        raise ValueError(f"`features` must be finite; got infinity at position(s) {positions}")
    return row


def serve_prediction(model, features, model_version):
    """Answer one prediction request with a JSON-ready dict.

    The response holds only plain Python types, so ``json.dumps`` works on it,
    and names the model version, so every logged prediction can be traced to
    the model that made it.

    Parameters
    ----------
    model : fitted scikit-learn binary classifier
        Needs ``n_features_in_``, ``predict`` and ``predict_proba``.
    features : array_like
        One request (see :func:`validate_features`).
    model_version : str
        Identifier of the deployed model.

    Returns
    -------
    dict
        ``{"prediction": int, "probability": float, "model_version": str}``,
        where ``probability`` is that of class 1.

    Raises
    ------
    ValueError
        If the request is invalid (see :func:`validate_features`).

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> model = LogisticRegression().fit([[-2.0], [-1.0], [1.0], [2.0]], [0, 0, 1, 1])
    >>> response = serve_prediction(model, [1.5], "churn-v1")
    >>> response["prediction"], round(response["probability"], 3), response["model_version"]
    (1, 0.819, 'churn-v1')
    """
    row = validate_features(features, model.n_features_in_)
    return {
        "prediction": int(model.predict(row)[0]),
        "probability": float(model.predict_proba(row)[0, 1]),
        "model_version": str(model_version),
    }


def batch_predict(model, X, batch_size):
    """Probabilities of class 1 for every row of ``X``, scored ``batch_size`` rows at a time.

    Scoring in chunks bounds the memory one call needs, which is how batch
    jobs score tables far larger than memory; the result equals
    ``model.predict_proba(X)[:, 1]``.

    Parameters
    ----------
    model : fitted scikit-learn binary classifier
        Needs ``predict_proba``.
    X : array_like
        The rows to score, shape ``(n, n_features)``; may be empty.
    batch_size : int
        The largest number of rows passed to ``predict_proba`` at once.

    Returns
    -------
    numpy.ndarray
        Shape ``(n,)``; empty when ``X`` is.

    Raises
    ------
    ValueError
        If ``batch_size < 1``.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> model = LogisticRegression().fit([[-2.0], [-1.0], [1.0], [2.0]], [0, 0, 1, 1])
    >>> batch_predict(model, [[-1.5], [0.0], [1.5]], batch_size=2).round(3)
    array([0.181, 0.5  , 0.819])
    """
    as_count(batch_size, "batch_size", minimum=1)
    rows = as_float_array(X, "X")
    if rows.size == 0:
        return np.empty(0)
    if rows.ndim != 2:
        raise ValueError(f"`X` must be 2-D, shape (n, n_features); got shape {rows.shape}")
    chunks = [model.predict_proba(rows[start:start + batch_size])[:, 1]
              for start in range(0, len(rows), batch_size)]
    return np.concatenate(chunks)


def latency_percentiles(latencies_ms, percentiles=(50, 95, 99)):
    """Percentiles of request latencies, the numbers a latency budget is written in.

    Parameters
    ----------
    latencies_ms : array_like
        Observed latencies in milliseconds, all finite.
    percentiles : sequence of float, default (50, 95, 99)
        Percentiles to report, each in [0, 100].

    Returns
    -------
    dict
        ``{p: value}`` for each requested ``p`` (the key exactly as given),
        computed with linear interpolation like ``np.percentile``.

    Raises
    ------
    ValueError
        If ``latencies_ms`` is empty (there is nothing to summarise).

    Examples
    --------
    >>> latency_percentiles(np.arange(1, 101))
    {50: 50.5, 95: 95.05, 99: 99.01}
    """
    values = as_float_array(latencies_ms, "latencies_ms").ravel()
    if values.size == 0:
        raise ValueError("`latencies_ms` is empty; pass at least one latency")
    if not np.all(np.isfinite(values)):
        raise ValueError("`latencies_ms` must be finite; it contains NaN or infinity")
    return {p: float(np.percentile(values, p)) for p in percentiles}
