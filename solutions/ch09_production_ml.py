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


def serve_with_preprocessing(scaler, model, features, model_version):
    """Answer one request with the preprocessing the model was trained with.

    The model was fitted on scaled features, so a raw request must pass
    through the *same* fitted ``scaler`` first: serving raw values (or values
    scaled by a scaler refitted on the request) is training-serving skew,
    and the model silently answers a different question.

    You may use ``scaler.transform`` and ``scaler.n_features_in_`` of the
    scaler, and ``predict``, ``predict_proba``, ``n_features_in_`` and
    ``classes_`` of the model; the grader provides nothing else of them (in
    particular no ``fit``: the scaler is never refitted at serving time).

    Parameters
    ----------
    scaler : fitted scikit-learn transformer
        The preprocessing fitted on the training data (e.g. ``StandardScaler``).
    model : fitted scikit-learn binary classifier
        Trained on ``scaler.transform`` of the training data.
    features : array_like
        One raw request (see :func:`validate_features`), with
        ``scaler.n_features_in_`` values.
    model_version : str
        Identifier of the deployed model.

    Returns
    -------
    dict
        ``{"prediction": int, "probability": float, "model_version": str}``
        as :func:`serve_prediction` returns for the transformed request.

    Raises
    ------
    ValueError
        If the request is invalid as :func:`validate_features` decides, with
        ``scaler.n_features_in_`` as the expected length.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.preprocessing import StandardScaler
    >>> X = [[1000.0], [2000.0], [3000.0], [4000.0]]
    >>> scaler = StandardScaler().fit(X)
    >>> model = LogisticRegression().fit(scaler.transform(X), [0, 0, 1, 1])
    >>> response = serve_with_preprocessing(scaler, model, [3500.0], "churn-v2")
    >>> response["prediction"], round(response["probability"], 3), response["model_version"]
    (1, 0.699, 'churn-v2')

    Served raw, the model reads 3500 as 3,500 standard deviations above the mean:

    >>> serve_prediction(model, [3500.0], "churn-v2")["probability"]
    1.0
    """
    row = validate_features(features, scaler.n_features_in_)
    return serve_prediction(model, scaler.transform(row), model_version)


def population_stability_index(expected, actual, n_bins=10):
    """Population stability index of ``actual`` against the reference sample ``expected``.

    The bins hold equal shares of ``expected``: inner edges
    ``np.quantile(expected, [1/n_bins, ..., (n_bins-1)/n_bins])``, outer bins
    open to -inf and +inf, and a value equal to an inner edge goes to the bin
    above.  With ``e_i`` and ``a_i`` the fractions of each sample in bin ``i``,
    each raised to at least ``1e-4`` (an empty bin would make the logarithm
    infinite), ``PSI = sum (a_i - e_i) * log(a_i / e_i)``.  A common reading:
    below 0.1 stable, 0.1 to 0.25 a moderate shift, above 0.25 a major one.

    Parameters
    ----------
    expected : array_like
        A feature's values at training time (the reference), finite.
    actual : array_like
        The same feature's values in production, finite.
    n_bins : int, default 10
        Number of bins.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``expected`` or ``actual`` is empty, or if ``n_bins < 1``.

    Examples
    --------
    >>> reference = np.arange(1000.0)
    >>> population_stability_index(reference, reference)
    0.0
    >>> round(population_stability_index(reference, reference + 100), 4)
    0.7594
    """
    n_bins = as_count(n_bins, "n_bins", minimum=1)
    e = as_float_array(expected, "expected").ravel()
    a = as_float_array(actual, "actual").ravel()
    if e.size == 0 or a.size == 0:
        raise ValueError("`expected` and `actual` must each hold at least one value")
    edges = np.quantile(e, np.arange(1, n_bins) / n_bins)
    e_share = np.bincount(np.searchsorted(edges, e, side="right"), minlength=n_bins) / e.size
    a_share = np.bincount(np.searchsorted(edges, a, side="right"), minlength=n_bins) / a.size
    e_share, a_share = np.maximum(e_share, 1e-4), np.maximum(a_share, 1e-4)
    return float(np.sum((a_share - e_share) * np.log(a_share / e_share)))
