"""Reference solutions of ``ch09_production_ml`` against independent oracles.

Oracles: the models' own ``predict``/``predict_proba`` (the book's listing 9.1
serving logic), scikit-learn's ``check_array`` for what counts as a valid row,
``json`` for JSON-readiness, and ``scipy.stats.scoreatpercentile`` and pandas'
quantiles for the latency percentiles.
"""

import json

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
    serve_prediction,
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
