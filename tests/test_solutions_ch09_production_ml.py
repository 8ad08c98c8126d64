"""Reference solutions of ``ch09_production_ml`` against independent oracles.

Oracles: the models' own ``predict``/``predict_proba`` (the book's listing 9.1
serving logic), a fitted scikit-learn ``Pipeline`` for serving with preprocessing,
a PSI written in plain Python (``bisect``) for the population stability index,
scikit-learn's ``check_array`` for what counts as a valid row, ``json`` for
JSON-readiness, and ``scipy.stats.scoreatpercentile`` and pandas' quantiles for the
latency percentiles.
"""

import bisect
import json
import math

import numpy as np
import pandas as pd
import pytest
import scipy.stats
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.utils import check_array

from solutions.ch09_production_ml import (
    batch_predict,
    latency_percentiles,
    population_stability_index,
    serve_prediction,
    serve_with_preprocessing,
    validate_features,
)

BOOK_REQUEST = [0.1, -1.2, 0.4, 0.7, -0.3]


@pytest.fixture(scope="module")
def book():
    """The book's listing 9.1: logistic regression on 200 synthetic rows with 5 features."""
    X, y = make_classification(n_samples=200, n_features=5, random_state=0)
    return LogisticRegression(max_iter=1000).fit(X, y), X


@pytest.fixture(scope="module", params=["logistic", "forest", "naive_bayes"])
def fitted(request):
    """A fitted binary classifier of each kind, with 4 features, and rows to score."""
    X, y = make_classification(n_samples=120, n_features=4, random_state=3)
    model = {"logistic": LogisticRegression(max_iter=1000),
             "forest": RandomForestClassifier(n_estimators=15, random_state=0),
             "naive_bayes": GaussianNB()}[request.param]
    return model.fit(X, y), np.random.default_rng(11).normal(size=(83, 4))


class CountingModel:
    """Wraps a model and records how many rows each predict_proba call received."""

    def __init__(self, model):
        self.model, self.sizes = model, []

    def predict_proba(self, X):
        self.sizes.append(len(X))
        return self.model.predict_proba(X)


# --- validate_features -----------------------------------------------------------

@pytest.mark.parametrize("request_", [
    BOOK_REQUEST, tuple(BOOK_REQUEST), np.array(BOOK_REQUEST), np.array([BOOK_REQUEST]),
    [1, 2, 3, 4, 5], ["0.1", "-1.2", "0.4", "0.7", "-0.3"],
])
def test_validate_features_matches_check_array(request_):
    expected = check_array(np.asarray(request_, dtype=float).reshape(1, -1))
    got = validate_features(request_, 5)
    assert got.dtype == np.float64 and got.shape == (1, 5)
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize(("request_", "n_features", "match"), [
    (BOOK_REQUEST[:4], 5, r"length.*expected 5 features"),
    (BOOK_REQUEST + [0.0], 5, r"length.*expected 5 features"),
    ([], 2, r"expected 2 features"),
    (np.array(BOOK_REQUEST)[:, None], 5, r"got shape \(5, 1\)"),
    (np.zeros((2, 5)), 5, r"got shape \(2, 5\)"),
    ([0.1, "abc", 0.4], 3, r"only numbers"),
    ([1 + 2j, 0.0], 2, r"only numbers"),
    ([0.1, np.nan, 0.4], 3, r"NaN.*position\(s\) \[1\]"),
    ([0.1, 0.2, None], 3, r"NaN.*position\(s\) \[2\]"),
    ([np.inf, 0.2, -np.inf], 3, r"finite.*infinity at position\(s\) \[0, 2\]"),
    (BOOK_REQUEST, 0, r"`n_features` must be an integer >= 1"),
    (BOOK_REQUEST, 5.0, r"`n_features` must be an integer >= 1"),
])
def test_validate_features_rejects_bad_requests(request_, n_features, match):
    with pytest.raises(ValueError, match=match):
        validate_features(request_, n_features)


def test_validate_features_rejects_what_scikit_learn_rejects():
    for bad in ([0.1, np.nan, 0.4], [0.1, np.inf, 0.4]):
        with pytest.raises(ValueError):
            check_array(np.array([bad]))
        with pytest.raises(ValueError):
            validate_features(bad, 3)


# --- serve_prediction ------------------------------------------------------------

def book_listing_9_1(model, input_features):
    """The serving logic of the book's listing 9.1, rewritten as the oracle."""
    row = np.array(input_features).reshape(1, -1)
    return int(model.predict(row)[0]), float(model.predict_proba(row)[0, 1])


def test_serve_prediction_matches_the_books_listing(book):
    model, X = book
    requests = [BOOK_REQUEST] + [row.tolist() for row in X[::40]]
    for request_ in requests:
        response = serve_prediction(model, request_, "churn-v1")
        assert (response["prediction"], response["probability"]) == book_listing_9_1(model, request_)
        assert response["model_version"] == "churn-v1"


def test_serve_prediction_book_request(book):
    response = serve_prediction(book[0], BOOK_REQUEST, "churn-v1")
    assert response["prediction"] == 0
    assert response["probability"] == pytest.approx(0.071, abs=5e-4)


def test_serve_prediction_is_json_ready(fitted):
    model, rows = fitted
    response = serve_prediction(model, rows[0], "2024-06-01")
    assert json.loads(json.dumps(response)) == response
    assert set(response) == {"prediction", "probability", "model_version"}
    assert type(response["prediction"]) is int
    assert type(response["probability"]) is float
    assert type(response["model_version"]) is str


@pytest.mark.parametrize(("request_", "match"), [
    (BOOK_REQUEST[:3], r"expected 5 features"),
    ([0.1, "x", 0.4, 0.7, -0.3], r"numbers"),
    ([0.1, np.nan, 0.4, 0.7, -0.3], r"NaN"),
    ([0.1, -1.2, np.inf, 0.7, -0.3], r"finite"),
])
def test_serve_prediction_rejects_bad_requests(book, request_, match):
    with pytest.raises(ValueError, match=match):
        serve_prediction(book[0], request_, "churn-v1")


def test_serve_prediction_uses_the_models_feature_count(fitted):
    model, rows = fitted
    with pytest.raises(ValueError, match=r"expected 4 features"):
        serve_prediction(model, BOOK_REQUEST, "v1")


# --- batch_predict ---------------------------------------------------------------

@pytest.mark.parametrize("batch_size", [1, 7, 10, 83, 500])
def test_batch_predict_equals_predict_proba(fitted, batch_size):
    model, rows = fitted
    np.testing.assert_allclose(batch_predict(model, rows, batch_size),
                               model.predict_proba(rows)[:, 1], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(("n_rows", "batch_size", "sizes"), [
    (200, 64, [64, 64, 64, 8]),
    (10, 5, [5, 5]),
    (3, 10, [3]),
    (4, 1, [1, 1, 1, 1]),
])
def test_batch_predict_works_chunk_by_chunk(book, n_rows, batch_size, sizes):
    model, X = book
    counting = CountingModel(model)
    batch_predict(counting, X[:n_rows], batch_size)
    assert counting.sizes == sizes


def test_batch_predict_list_input(book):
    model, X = book
    np.testing.assert_allclose(batch_predict(model, X[:9].tolist(), 4),
                               model.predict_proba(X[:9])[:, 1])


@pytest.mark.parametrize("empty", [[], np.empty((0, 5))])
def test_batch_predict_empty_input_does_not_call_the_model(book, empty):
    counting = CountingModel(book[0])
    got = batch_predict(counting, empty, 8)
    assert got.shape == (0,) and counting.sizes == []


@pytest.mark.parametrize(("X", "batch_size", "match"), [
    (np.zeros((3, 5)), 0, r"`batch_size` must be an integer >= 1"),
    (np.zeros((3, 5)), -2, r"`batch_size` must be an integer >= 1"),
    (np.zeros((3, 5)), 2.5, r"`batch_size` must be an integer >= 1"),
    (np.zeros(5), 2, r"`X` must be 2-D"),
    ([[0.0, "a", 0.0, 0.0, 0.0]], 2, r"`X` must contain only numbers"),
])
def test_batch_predict_rejects_bad_input(book, X, batch_size, match):
    with pytest.raises(ValueError, match=match):
        batch_predict(book[0], X, batch_size)


# --- latency_percentiles ---------------------------------------------------------

def test_latency_percentiles_worked_numbers():
    assert latency_percentiles(np.arange(1, 101)) == pytest.approx({50: 50.5, 95: 95.05, 99: 99.01})
    assert latency_percentiles([30, 12, 45], (0, 100)) == {0: 12.0, 100: 45.0}


@pytest.mark.parametrize("percentiles", [(50, 95, 99), (0, 12.5, 99.9, 100), [90]])
def test_latency_percentiles_match_scipy_and_pandas(percentiles):
    latencies = np.random.default_rng(5).lognormal(np.log(20.0), 0.6, 517)
    got = latency_percentiles(latencies, percentiles)
    assert list(got) == list(percentiles)
    assert all(type(value) is float for value in got.values())
    series = pd.Series(latencies)
    for p in percentiles:
        assert got[p] == pytest.approx(scipy.stats.scoreatpercentile(latencies, p), rel=1e-12)
        assert got[p] == pytest.approx(series.quantile(p / 100), rel=1e-12)


@pytest.mark.parametrize(("latencies", "match"), [
    ([], r"`latencies_ms` is empty"),
    (np.array([]), r"`latencies_ms` is empty"),
    ([1.0, np.nan], r"`latencies_ms` must be finite"),
    ([1.0, "slow"], r"`latencies_ms` must contain only numbers"),
])
def test_latency_percentiles_rejects_bad_input(latencies, match):
    with pytest.raises(ValueError, match=match):
        latency_percentiles(latencies)


def test_latency_percentiles_rejects_percentiles_outside_0_100():
    with pytest.raises(ValueError, match=r"[Pp]ercentiles must be in the range"):
        latency_percentiles([1.0, 2.0], (50, 150))


# --- serve_with_preprocessing ----------------------------------------------------


@pytest.fixture(scope="module", params=["standard", "minmax"])
def pipeline(request):
    """A scaler fitted on raw rows of very different scales, and a model trained on its output."""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    X, y = make_classification(n_samples=150, n_features=4, random_state=5)
    raw = X * np.array([1e4, 3.0, 0.01, 250.0]) + np.array([5e4, 30.0, 0.5, -100.0])
    pipe = make_pipeline({"standard": StandardScaler(), "minmax": MinMaxScaler()}[request.param],
                         LogisticRegression(max_iter=1000)).fit(raw, y)
    return pipe, raw


def test_serve_with_preprocessing_equals_the_fitted_pipeline(pipeline):
    """Is the response scikit-learn's Pipeline answer for the raw request, JSON-ready?"""
    pipe, raw = pipeline
    scaler, model = pipe[0], pipe[-1]
    for row in raw[:25]:
        response = serve_with_preprocessing(scaler, model, row.tolist(), "v2")
        assert json.loads(json.dumps(response)) == response
        assert response["probability"] == pytest.approx(pipe.predict_proba([row])[0, 1], rel=1e-12)
        assert response["prediction"] == pipe.predict([row])[0] and response["model_version"] == "v2"


def test_serve_with_preprocessing_never_refits_and_differs_from_raw_serving(pipeline):
    pipe, raw = pipeline
    scaler, model = pipe[0], pipe[-1]
    before = {k: np.copy(v) for k, v in vars(scaler).items() if isinstance(v, np.ndarray)}
    scaled = [serve_with_preprocessing(scaler, model, row, "v")["probability"] for row in raw[:40]]
    assert all(np.array_equal(before[k], getattr(scaler, k)) for k in before)
    unscaled = [serve_prediction(model, row, "v")["probability"] for row in raw[:40]]
    assert not np.allclose(scaled, unscaled, atol=0.05)


def test_serve_with_preprocessing_bad_requests(pipeline):
    pipe, raw = pipeline
    for bad in (raw[0][:3], [1.0, "x", 2.0, 3.0], [1.0, np.nan, 2.0, 3.0], raw[0][:, None]):
        with pytest.raises(ValueError):
            serve_with_preprocessing(pipe[0], pipe[-1], bad, "v")


# --- population_stability_index --------------------------------------------------


def _quantile(sorted_values, q):
    """Linear-interpolation quantile (NumPy's default method), written out."""
    position = (len(sorted_values) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (position - low) * (sorted_values[high] - sorted_values[low])


def independent_psi(expected, actual, n_bins):
    """PSI in plain Python: bisect_right puts a value equal to an edge in the bin above."""
    ordered = sorted(float(v) for v in expected)
    edges = [_quantile(ordered, k / n_bins) for k in range(1, n_bins)]
    def shares(values):
        counts = [0] * n_bins
        for v in values:
            counts[bisect.bisect_right(edges, float(v))] += 1
        return [max(c / len(values), 1e-4) for c in counts]
    return sum((a - e) * math.log(a / e) for e, a in zip(shares(expected), shares(actual), strict=True))


@pytest.mark.parametrize("n_bins", [1, 2, 4, 10, 20])
@pytest.mark.parametrize("seed, kind", [(0, "same"), (1, "shift"), (2, "spread"), (3, "far"), (4, "integers")])
def test_population_stability_index_against_an_independent_psi(seed, kind, n_bins):
    rng = np.random.default_rng(seed)
    if kind == "integers":  # heavy ties: edges equal to values, whatever the rounding of k / n_bins
        expected, actual = rng.poisson(3, 700).astype(float), rng.poisson(4, 400).astype(float)
    else:
        expected = rng.normal(0, 1, 1500)
        actual = {"same": rng.normal(0, 1, 900), "shift": rng.normal(0.5, 1, 900),
                  "spread": rng.normal(0, 2, 900), "far": rng.normal(8, 0.1, 300)}[kind]
    assert population_stability_index(expected, actual, n_bins) == pytest.approx(
        independent_psi(expected, actual, n_bins), rel=1e-9, abs=1e-12)


def test_population_stability_index_worked_examples():
    assert population_stability_index([1, 2, 3, 4, 5, 6, 7, 8], [2.5, 6.0, 7.5, 9.0], 4) == pytest.approx(
        (1e-4 - 0.25) * math.log(1e-4 / 0.25) + 0.25 * math.log(2), rel=1e-12)
    assert population_stability_index([1, 2, 2, 3], [2, 2, 3], 2) == pytest.approx(
        (1e-4 - 0.25) * math.log(1e-4 / 0.25) + 0.25 * math.log(1 / 0.75), rel=1e-12)
    assert population_stability_index(np.arange(100.0), np.arange(100.0)) == 0.0


def test_population_stability_index_bad_input():
    with pytest.raises(ValueError, match="at least one value"):
        population_stability_index([], [1.0])
    with pytest.raises(ValueError, match="at least one value"):
        population_stability_index([1.0], np.array([]))
    with pytest.raises(ValueError, match="`n_bins` must be an integer >= 1"):
        population_stability_index([1.0, 2.0], [1.0], n_bins=0)
