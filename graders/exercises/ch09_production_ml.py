"""Hidden checks for ``ch09_production_ml`` (book chapter 9, questions 26-27).

Learner functions here receive fitted scikit-learn models (the contract says
so), but every value that is compared is plain data: a bad request must raise
ValueError with a message that names the problem (``Case.says``), a serving
response goes through a JSON round trip (so ``json.dumps`` must work), and a
batch run reports its probabilities with how the wrapped model was called.

Tolerances: probabilities are compared with ``rtol=1e-9``.  Scoring a chunk
instead of the whole table can change BLAS blocking and so the last bits of
``X @ coef`` (about 1e-16 relative); every catalogued mistake is off by far
more (a wrong class, a missing chunk) or fails on types and call counts,
which are compared exactly.  Percentiles use the same ``rtol=1e-9``: linear
interpolation written by hand and ``np.percentile`` differ only by rounding.
Nothing here is random at grading time: the data are drawn once from a seed.
"""

import copy
import json
import math
from dataclasses import dataclass

import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sklearn.tree import DecisionTreeClassifier

from graders.compare import Array, Integer, Record, Scalar
from graders.engine import Case, Exercise, GradedTest, Mistake
from solutions import ch09_production_ml as ref
from solutions.validation import as_count, as_float_array

_rng = np.random.default_rng(20260309)

# The book's listings 9.1 and 9.2: logistic regression on 200 synthetic rows with 5 features.
_BOOK_X, _BOOK_Y = make_classification(n_samples=200, n_features=5, random_state=0)
# What the learner's serving code may use of a model the check passes in: the fitted
# scikit-learn classifier interface the notebook describes, nothing else.
MODEL_INTERFACE = frozenset({"predict", "predict_proba", "n_features_in_", "classes_"})
_BOOK_MODEL = LogisticRegression(max_iter=1000).fit(_BOOK_X, _BOOK_Y)
_BOOK_REQUEST = [0.1, -1.2, 0.4, 0.7, -0.3]

# A different model with 3 features, so that no solution can get away with assuming 5.
_TREE_X, _TREE_Y = make_classification(n_samples=150, n_features=3, n_informative=2,
                                       n_redundant=0, random_state=7)
_TREE_MODEL = DecisionTreeClassifier(max_depth=4, random_state=0).fit(_TREE_X, _TREE_Y)


# --- comparators of this chapter -------------------------------------------------

@dataclass(frozen=True)
class Echoed:
    """The flag (1 or 0) saying whether a response repeated the ``model_version`` it was given."""

    def compare(self, got, expected):
        """None if the version came back unchanged, else a message."""
        return None if got == 1 else "is not the model_version argument; return it unchanged"


@dataclass(frozen=True)
class Chunked:
    """Judges ``(probabilities, calls to predict_proba, calls of a bad size)`` of a batch run."""

    def compare(self, got, expected):
        """None if the probabilities match and the model was called chunk by chunk."""
        proba, calls, bad = got
        problem = Array().compare(proba, expected[0])
        if problem:
            return problem
        if bad:
            return (f"gave model.predict_proba more than batch_size rows (or none) in {bad} of "
                    f"its {calls} calls; every chunk must hold 1 to batch_size rows")
        if calls != expected[1]:
            return (f"called model.predict_proba {calls} times; expected {expected[1]} calls, one "
                    "per chunk of batch_size rows (the last chunk may be shorter)")
        return None


@dataclass(frozen=True)
class Percentiles:
    """A dict ``{percentile: value}`` keyed by exactly the requested percentiles."""

    def compare(self, got, expected):
        """None if the keys are the requested percentiles and every value matches."""
        if not isinstance(got, dict):
            return f"returned a {type(got).__name__}; expected a dict {{percentile: value}}"
        if set(got) != set(expected):
            return (f"returned a dict with keys {sorted(got, key=str)}; expected the requested "
                    f"percentiles {sorted(expected)} as keys")
        for key, want in expected.items():
            problem = Scalar().compare(got[key], want)
            if problem:
                return f"[{key!r}] {problem}"
        return None


# --- validate_features -----------------------------------------------------------

# What a good message must mention, as (regular expression, advice), per problem.
_PROBLEMS = {
    "length": (r"length|shape|size|expect|number of|\d+ (features|values)",
               "the request has the wrong number of features (mention the expected length)"),
    "numeric": (r"numeric|number", "a value is not a number (mention 'numeric' or 'number')"),
    "nan": (r"nan", "a value is NaN (mention 'NaN')"),
    "missing": (r"nan|missing|numeric|number", "a value is missing (mention 'missing' or 'NaN')"),
    "inf": (r"inf|finite", "a value is infinite (mention 'inf' or 'finite')"),
}


def _bad_request(label, features, n_features, problem):
    """A case that expects ``fn(features, n_features)`` to raise ValueError naming ``problem``."""
    return Case(label, (features, n_features), raises=ValueError, says=_PROBLEMS[problem])


def _with(values, position, value):
    """A copy of the list ``values`` with one entry replaced."""
    return [value if i == position else v for i, v in enumerate(values)]


_seeded = _rng.normal(0, 1, 5).tolist()


def _validate_one_dimensional(features, n_features):
    return ref.validate_features(features, n_features).ravel()


def _validate_reshape_first(features, n_features):
    row = as_float_array(features, "features").reshape(1, -1)
    if row.shape[1] != n_features:
        raise ValueError(f"expected {n_features} features; got {row.shape[1]}")
    return ref.validate_features(row, n_features)


def _validate_unchecked_values(features, n_features):
    row = as_float_array(features, "features")
    if row.shape not in ((n_features,), (1, n_features)):
        raise ValueError(f"expected {n_features} features; got shape {row.shape}")
    return row.reshape(1, n_features)


def _validate_nan_only(features, n_features):
    row = _validate_unchecked_values(features, n_features)
    if np.isnan(row).any():
        raise ValueError("features contain NaN")
    return row


def _validate_raw_conversion(features, n_features):
    return ref.validate_features(np.asarray(features, dtype=float), n_features)


def _validate_vague(features, n_features):
    try:
        return ref.validate_features(features, n_features)
    except ValueError:
        raise ValueError("invalid input") from None


def _validate_alternative_loop(features, n_features):
    values = []
    for value in np.ravel(np.asarray(features, dtype=object)):
        try:
            values.append(float(value))
        except (TypeError, ValueError):
            raise ValueError(f"non-numeric value {value!r} in the request") from None
    if np.shape(features) not in [(n_features,), (1, n_features)]:
        raise ValueError(f"wrong length: the model expects {n_features} features")
    for value in values:
        if math.isnan(value):
            raise ValueError("the request has a NaN value")
        if math.isinf(value):
            raise ValueError("the request has an inf value")
    return np.array([values])


def _validate_alternative_isfinite(features, n_features):
    try:
        row = np.atleast_2d(np.array(features, dtype=np.float64))
    except (TypeError, ValueError) as err:
        raise ValueError(f"features must be numbers ({err})") from None
    if row.shape != (1, n_features):
        raise ValueError(f"expected shape (1, {n_features}), got {row.shape}")
    if not np.isfinite(row).all():
        raise ValueError("features must be finite numbers: no NaN or infinity")
    return row


VALIDATE_FEATURES = Exercise(
    name="validate_features",
    reference=ref.validate_features,
    compare=Array(),
    tests=(
        GradedTest("test_validate_features", 2, "a valid request becomes a (1, n) float array", (
            Case("the book's request of 5 values as a list", (_BOOK_REQUEST, 5)),
            Case("a seeded request of 5 values as a 1-D array", (np.array(_seeded), 5)),
            Case("a seeded request already shaped (1, 7)", (_rng.normal(0, 1, (1, 7)), 7)),
            Case("a request of integers given as a tuple", ((3, 0, -2), 3)),
            Case("a request with a single feature", ([42.0], 1)),
        )),
        GradedTest("test_validate_features_errors_length", 1, "the wrong length or shape is refused", (
            _bad_request("4 values when 5 are expected", _BOOK_REQUEST[:4], 5, "length"),
            _bad_request("6 values when 5 are expected", _BOOK_REQUEST + [1.0], 5, "length"),
            _bad_request("an empty request", [], 3, "length"),
            _bad_request("a column of shape (5, 1) instead of a row", np.array(_seeded)[:, None], 5,
                         "length"),
            _bad_request("two rows sent as one request", _rng.normal(0, 1, (2, 5)), 5, "length"),
        )),
        GradedTest("test_validate_features_errors_non_numeric", 1, "non-numeric values are refused", (
            _bad_request("the string 'abc' among numbers", _with(_BOOK_REQUEST, 2, "abc"), 5,
                         "numeric"),
            _bad_request("a complex number among reals", _with(_BOOK_REQUEST, 0, 1 + 2j), 5,
                         "numeric"),
            _bad_request("a request given as a dict", {"age": 1.0}, 1, "numeric"),
        )),
        GradedTest("test_validate_features_errors_non_finite", 1, "NaN and infinite values are refused", (
            _bad_request("a request with NaN in the middle", _with(_seeded, 2, np.nan), 5, "nan"),
            _bad_request("a request with a missing value (None)", _with(_seeded, 4, None), 5,
                         "missing"),
            _bad_request("a request with +inf", _with(_seeded, 1, float("inf")), 5, "inf"),
            _bad_request("a (1, 3) array with -inf", np.array([[1.0, -np.inf, 2.0]]), 3, "inf"),
        )),
    ),
    mistakes=(
        Mistake("returns a 1-D array", "predict_proba needs a 2-D input with one row; return shape "
                "(1, n_features), e.g. with .reshape(1, n_features).", _validate_one_dimensional),
        Mistake("reshapes before checking", "reshape(1, -1) turns a (5, 1) column into a row that "
                "looks valid; check that the shape is (n_features,) or (1, n_features) first.",
                _validate_reshape_first),
        Mistake("no NaN or infinity check", "np.asarray converts NaN and inf without complaint; "
                "test np.isnan and np.isinf (or np.isfinite) and raise ValueError.",
                _validate_unchecked_values),
        Mistake("infinity not checked", "you refuse NaN but let inf through (np.isnan(np.inf) is "
                "False); test np.isinf or np.isfinite too.", _validate_nan_only),
        Mistake("conversion errors not explained", "np.asarray(..., dtype=float) raises a "
                "TypeError or a cryptic ValueError for strings and complex numbers; catch both and "
                "raise ValueError saying the request must contain only numbers.",
                _validate_raw_conversion),
        Mistake("one vague message", "a caller cannot fix a request from 'invalid input'; say what "
                "is wrong: the length, a non-numeric value, NaN or infinity.", _validate_vague),
    ),
    alternatives=(_validate_alternative_isfinite,),
    minimal=_validate_alternative_loop,
)

# --- serve_prediction ------------------------------------------------------------


def _served(model, features, version):
    """A case returning the response after a JSON round trip, its version reduced to a flag."""

    def run(fn):
        response = fn(copy.deepcopy(model), copy.deepcopy(features), version)
        response = json.loads(json.dumps(response))
        if isinstance(response, dict) and "model_version" in response:
            response["model_version"] = int(response["model_version"] == version)
        return response

    return run


def _respond(model, row, model_version, column=1, plain=True):
    """The response of a fitted model to a row, assembled as a learner might."""
    label, probability = model.predict(row)[0], model.predict_proba(row)[0, column]
    if plain:
        label, probability = int(label), float(probability)
    return {"prediction": label, "probability": probability, "model_version": model_version}


def _serve_numpy_types(model, features, model_version):
    row = ref.validate_features(features, model.n_features_in_)
    return _respond(model, row, model_version, plain=False)


def _serve_class_zero(model, features, model_version):
    row = ref.validate_features(features, model.n_features_in_)
    return _respond(model, row, model_version, column=0)


def _serve_no_version(model, features, model_version):
    response = ref.serve_prediction(model, features, model_version)
    del response["model_version"]
    return response


def _serve_five_features(model, features, model_version):
    row = ref.validate_features(features, 5)
    return _respond(model, row, model_version)


def _serve_unvalidated(model, features, model_version):
    row = np.array(features).reshape(1, -1)
    return _respond(model, row, model_version)


def _serve_alternative_classes(model, features, model_version):
    proba = model.predict_proba(ref.validate_features(features, model.n_features_in_))[0]
    return dict(prediction=model.classes_[np.argmax(proba)].item(), probability=proba[1].item(),
                model_version=f"{model_version}")


def _serve_alternative_unpacked(model, features, model_version):
    request = ref.validate_features(features, model.n_features_in_)
    (label,) = model.predict(request).tolist()
    ((_, p_one),) = model.predict_proba(request).tolist()
    return {"model_version": model_version, "probability": p_one, "prediction": label}


def _checked_row(features, n):
    """The request as one row of floats, checked as the Raises sections describe without validate_features."""
    try:
        values = [float(v) for v in np.ravel(np.asarray(features, dtype=object))]
    except (TypeError, ValueError):
        raise ValueError("the request must contain only numbers") from None
    if np.shape(features) not in [(n,), (1, n)]:
        raise ValueError(f"expected {n} features, got shape {np.shape(features)}")
    if not all(math.isfinite(v) for v in values):
        raise ValueError("the request contains NaN or infinity")
    return np.array([values])


def _serve_checking_inline(model, features, model_version):
    """Correct, and checks the request itself as the Raises section describes (no provided helper)."""
    row = _checked_row(features, model.n_features_in_)
    return {"prediction": int(model.predict(row)[0]), "probability": float(model.predict_proba(row)[0, 1]),
            "model_version": model_version}


def _bad_serve(label, model, features):
    return Case(label, run=_served(model, features, "v1"), raises=ValueError)


SERVE_PREDICTION = Exercise(
    name="serve_prediction",
    reference=ref.serve_prediction,
    compare=Record({"prediction": Integer(plain=True), "probability": Scalar(), "model_version": Echoed()}),
    tests=(
        GradedTest("test_serve_prediction", 2, "a JSON-ready response to a valid request", (
            Case("the book's request to the book's logistic regression, version 'churn-v1'",
                 run=_served(_BOOK_MODEL, _BOOK_REQUEST, "churn-v1")),
            Case("a seeded request as a 1-D array, version '2024-06-01'",
                 run=_served(_BOOK_MODEL, _rng.normal(0, 1, 5), "2024-06-01")),
            Case("a training row shaped (1, 5), version 'v7'",
                 run=_served(_BOOK_MODEL, _BOOK_X[3:4], "v7")),
            Case("a 3-feature decision tree with a request as a list, version 'tree-2.0.1'",
                 run=_served(_TREE_MODEL, _TREE_X[11].tolist(), "tree-2.0.1")),
        )),
        GradedTest("test_serve_prediction_errors", 1, "an invalid request raises ValueError", (
            _bad_serve("4 values to a 5-feature model", _BOOK_MODEL, _BOOK_REQUEST[:4]),
            _bad_serve("a request with a string", _BOOK_MODEL, _with(_BOOK_REQUEST, 1, "abc")),
            _bad_serve("a request with NaN", _BOOK_MODEL, _with(_BOOK_REQUEST, 3, float("nan"))),
            _bad_serve("a request with inf", _BOOK_MODEL, _with(_BOOK_REQUEST, 0, float("inf"))),
            _bad_serve("a (5, 1) column instead of a row", _BOOK_MODEL,
                       np.array(_BOOK_REQUEST)[:, None]),
            _bad_serve("5 values to a 3-feature model", _TREE_MODEL, _BOOK_REQUEST),
        )),
    ),
    mistakes=(
        Mistake("NumPy types in the response", "model.predict returns NumPy integers, which "
                "json.dumps cannot encode; convert with int(...) and float(...) before returning.",
                _serve_numpy_types),
        Mistake("probability of class 0", "predict_proba(row)[0, 0] is the probability of class 0; "
                "the response reports class 1, column 1.", _serve_class_zero),
        Mistake("model version missing", "include 'model_version' in the response, so that every "
                "logged prediction can be traced to the model that made it.", _serve_no_version),
        Mistake("feature count hard-coded", "the book's model has 5 features, but a served model "
                "may not; take the expected length from model.n_features_in_.",
                _serve_five_features),
        Mistake("request not validated", "reshape(1, -1) without validation accepts a (5, 1) "
                "column as a row; pass the request through validate_features first (and make "
                "sure that it rejects this shape).",
                _serve_unvalidated),
    ),
    alternatives=(_serve_alternative_classes, _serve_alternative_unpacked),
    minimal=_serve_checking_inline,
    callbacks=MODEL_INTERFACE,
)

# --- batch_predict ---------------------------------------------------------------


class _Recorder:
    """Wraps a fitted model and records how many rows each predict_proba call received."""

    def __init__(self, model):
        self._model = model
        self.sizes = []

    def predict_proba(self, X):
        self.sizes.append(len(X))
        return self._model.predict_proba(X)

    def __getattr__(self, name):
        if name.startswith("_"):  # keeps copy and pickle from recursing before __init__ ran
            raise AttributeError(name)
        return getattr(self._model, name)


def _scored(model, X, batch_size):
    """A case returning ``(probabilities, calls, calls with 0 or more than batch_size rows)``."""

    def run(fn):
        recorder = _Recorder(copy.deepcopy(model))
        proba = fn(recorder, copy.deepcopy(X), batch_size)
        bad = sum(1 for size in recorder.sizes if not 1 <= size <= batch_size)
        return proba, len(recorder.sizes), bad

    return run


def _chunks(X, batch_size):
    rows = np.asarray(X, dtype=float)
    return [rows[start:start + batch_size] for start in range(0, len(rows), batch_size)]


def _batch_single_call(model, X, batch_size):
    return model.predict_proba(np.asarray(X, dtype=float))[:, 1]


def _batch_row_by_row(model, X, batch_size):
    return np.array([model.predict_proba(row.reshape(1, -1))[0, 1] for row in np.asarray(X)])


def _batch_drops_remainder(model, X, batch_size):
    full = _chunks(X, batch_size)[:len(X) // batch_size]
    return np.concatenate([model.predict_proba(c)[:, 1] for c in full]) if full else np.empty(0)


def _batch_class_zero(model, X, batch_size):
    return np.concatenate([model.predict_proba(c)[:, 0] for c in _chunks(X, batch_size)])


def _batch_no_empty_guard(model, X, batch_size):
    return np.concatenate([model.predict_proba(c)[:, 1] for c in _chunks(X, batch_size)])


def _batch_no_size_check(model, X, batch_size):
    rows = np.asarray(X, dtype=float)
    out = np.zeros(len(rows))
    for start in range(0, len(rows), batch_size):
        out[start:start + batch_size] = model.predict_proba(rows[start:start + batch_size])[:, 1]
    return out


def _batch_alternative_split(model, X, batch_size):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    rows = np.asarray(X, dtype=float)
    if len(rows) == 0:
        return np.array([])
    parts = np.array_split(rows, math.ceil(len(rows) / batch_size))
    return np.hstack([model.predict_proba(part)[:, 1] for part in parts])


def _batch_alternative_while(model, X, batch_size):
    if not batch_size >= 1:
        raise ValueError(f"batch_size must be positive, got {batch_size}")
    rows = np.asarray(X, dtype=float).reshape(-1, model.n_features_in_)
    out, start = np.empty(len(rows)), 0
    while start < len(rows):
        stop = min(start + batch_size, len(rows))
        out[start:stop] = model.predict_proba(rows[start:stop])[:, 1]
        start = stop
    return out


BATCH_PREDICT = Exercise(
    name="batch_predict",
    reference=ref.batch_predict,
    compare=Chunked(),
    tests=(
        GradedTest("test_batch_predict", 3, "predict_proba(X)[:, 1], computed chunk by chunk", (
            Case("the book's 200 rows in batches of 64", run=_scored(_BOOK_MODEL, _BOOK_X, 64)),
            Case("57 seeded rows in batches of 10",
                 run=_scored(_BOOK_MODEL, _rng.normal(0, 2, (57, 5)), 10)),
            Case("50 rows in one batch of exactly 50", run=_scored(_BOOK_MODEL, _BOOK_X[:50], 50)),
            Case("12 rows with batch size 1", run=_scored(_BOOK_MODEL, _BOOK_X[100:112], 1)),
            Case("9 rows with a batch size of 100, larger than the data",
                 run=_scored(_BOOK_MODEL, _BOOK_X[:9], 100)),
            Case("7 rows given as a list of lists, batches of 3",
                 run=_scored(_BOOK_MODEL, _BOOK_X[20:27].tolist(), 3)),
            Case("a 3-feature decision tree on 41 rows in batches of 16",
                 run=_scored(_TREE_MODEL, _TREE_X[:41], 16)),
            Case("an empty list of rows", run=_scored(_BOOK_MODEL, [], 8)),
            Case("an empty (0, 5) array", run=_scored(_BOOK_MODEL, np.empty((0, 5)), 8)),
        )),
        GradedTest("test_batch_predict_errors", 1, "a batch size below 1 raises ValueError", (
            Case("batch size 0", run=_scored(_BOOK_MODEL, _BOOK_X[:10], 0), raises=ValueError),
            Case("a negative batch size", run=_scored(_BOOK_MODEL, _BOOK_X[:10], -3),
                 raises=ValueError),
        )),
    ),
    mistakes=(
        Mistake("one call for all rows", "you scored the whole table at once; loop over chunks "
                "X[start:start + batch_size] so that no call sees more than batch_size rows.",
                _batch_single_call),
        Mistake("row by row", "you called the model once per row, ignoring batch_size; score a "
                "whole chunk of batch_size rows per call.", _batch_row_by_row),
        Mistake("last chunk dropped", "n // batch_size full chunks miss the last rows when "
                "batch_size does not divide n; step with range(0, n, batch_size).",
                _batch_drops_remainder),
        Mistake("empty input not handled", "with no rows there are no chunks, and "
                "np.concatenate([]) raises; return np.empty(0) for an empty X.",
                _batch_no_empty_guard),
        Mistake("probability of class 0", "column 0 of predict_proba is class 0; take column 1.",
                _batch_class_zero),
        Mistake("batch size not checked", "a batch size below 1 makes range() skip every chunk, so "
                "the output is never filled; raise ValueError when batch_size < 1.",
                _batch_no_size_check),
    ),
    alternatives=(_batch_alternative_split,),
    minimal=_batch_alternative_while,
    callbacks=MODEL_INTERFACE,
)

# --- latency_percentiles ---------------------------------------------------------

_latencies = _rng.lognormal(np.log(20.0), 0.6, 1000)


def _percentiles_nearest_rank(latencies_ms, percentiles=(50, 95, 99)):
    ordered = np.sort(np.asarray(latencies_ms, dtype=float))
    return {p: float(ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]) for p in percentiles}


def _percentiles_floor_index(latencies_ms, percentiles=(50, 95, 99)):
    ordered = np.sort(np.asarray(latencies_ms, dtype=float))
    return {p: float(ordered[int(p / 100 * (len(ordered) - 1))]) for p in percentiles}


def _percentiles_quantile(latencies_ms, percentiles=(50, 95, 99)):
    return {p: float(np.quantile(latencies_ms, p)) for p in percentiles}


def _percentiles_string_keys(latencies_ms, percentiles=(50, 95, 99)):
    return {f"p{p}": v for p, v in ref.latency_percentiles(latencies_ms, percentiles).items()}


def _percentiles_no_empty_check(latencies_ms, percentiles=(50, 95, 99)):
    return {p: float(np.percentile(latencies_ms, p)) for p in percentiles}


def _percentiles_alternative_vector(latencies_ms, percentiles=(50, 95, 99)):
    values = np.asarray(latencies_ms, dtype=float)
    if values.size == 0:
        raise ValueError("no latencies given")
    return dict(zip(percentiles, np.percentile(values, list(percentiles)).tolist(), strict=True))


def _percentiles_alternative_by_hand(latencies_ms, percentiles=(50, 95, 99)):
    ordered = sorted(float(x) for x in latencies_ms)
    if not ordered:
        raise ValueError("latencies_ms must not be empty")
    result = {}
    for p in percentiles:
        rank = p / 100 * (len(ordered) - 1)
        low = math.floor(rank)
        high = min(low + 1, len(ordered) - 1)
        result[p] = ordered[low] + (rank - low) * (ordered[high] - ordered[low])
    return result


LATENCY_PERCENTILES = Exercise(
    name="latency_percentiles",
    reference=ref.latency_percentiles,
    compare=Percentiles(),
    tests=(
        GradedTest("test_latency_percentiles", 2, "np.percentile values keyed by the percentiles", (
            Case("latencies 1, 2, ..., 100 ms with the default percentiles", (np.arange(1, 101),)),
            Case("1,000 seeded log-normal latencies with the default percentiles", (_latencies,)),
            Case("seeded latencies with percentiles (0, 25, 50, 75, 100)",
                 (_latencies[:37], (0, 25, 50, 75, 100))),
            Case("seeded latencies as a list with the single percentile 99.9",
                 (_latencies[:250].tolist(), [99.9])),
            Case("a single latency of 12.5 ms", ([12.5],)),
            Case("six integer latencies with percentiles (10, 90)",
                 ([30, 12, 45, 7, 19, 101], (10, 90))),
        )),
        GradedTest("test_latency_percentiles_errors", 1, "no latencies raises ValueError", (
            Case("an empty list", ([],), raises=ValueError),
            Case("an empty array with percentiles (50, 90)", (np.array([]), (50, 90)),
                 raises=ValueError),
        )),
    ),
    mistakes=(
        Mistake("empty input not checked", "np.percentile of no values raises IndexError; check "
                "for an empty input and raise ValueError saying so.", _percentiles_no_empty_check),
        Mistake("nearest-rank percentile", "you picked the observation at rank ceil(p/100 n); the "
                "contract asks for np.percentile's linear interpolation between neighbours.",
                _percentiles_nearest_rank),
        Mistake("rounded down to an observation", "int(p/100 (n - 1)) drops the fractional rank; "
                "interpolate between the two neighbouring sorted values (np.percentile).",
                _percentiles_floor_index),
        Mistake("np.quantile with percent values", "np.quantile expects fractions in [0, 1]; use "
                "np.percentile for values in [0, 100].", _percentiles_quantile),
        Mistake("keys changed", "the keys must be the requested percentiles exactly as given "
                "(50, not 'p50').", _percentiles_string_keys),
    ),
    alternatives=(_percentiles_alternative_vector,),
    minimal=_percentiles_alternative_by_hand,
)


# --- serve_with_preprocessing ----------------------------------------------------

# Raw features on very different scales (an income in currency units, an age in years, ...):
# a model fitted on standardised features answers a raw request with nonsense.
_RAW_SCALES = np.array([20_000.0, 12.0, 0.01, 300.0, 1.0])
_RAW_OFFSETS = np.array([50_000.0, 40.0, 0.2, -900.0, 3.0])
_RAW_X = _BOOK_X * _RAW_SCALES + _RAW_OFFSETS
_SCALER = StandardScaler().fit(_RAW_X)
_SCALED_MODEL = LogisticRegression(max_iter=1000).fit(_SCALER.transform(_RAW_X), _BOOK_Y)

_TREE_RAW = _TREE_X * np.array([5.0, 0.02, 400.0]) + np.array([10.0, 1.0, 2000.0])
_MINMAX = MinMaxScaler().fit(_TREE_RAW)
_MINMAX_TREE = DecisionTreeClassifier(max_depth=4, random_state=0).fit(_MINMAX.transform(_TREE_RAW), _TREE_Y)

# Serving needs, of the objects the check passes in, the model interface and the scaler's
# transform and n_features_in_ (MODEL_INTERFACE has n_features_in_ already).
PREPROCESSING_INTERFACE = MODEL_INTERFACE | {"transform"}


def _served_scaled(scaler, model, features, version):
    """A case returning the response after a JSON round trip, its version reduced to a flag."""
    served = _served(model, features, version)

    def run(fn):
        own_scaler = copy.deepcopy(scaler)
        return served(lambda m, f, v: fn(own_scaler, m, f, v))

    return run


def _serve_raw(scaler, model, features, model_version):
    return ref.serve_prediction(model, ref.validate_features(features, scaler.n_features_in_), model_version)


def _serve_refitted(scaler, model, features, model_version):
    row = ref.validate_features(features, scaler.n_features_in_)
    return ref.serve_prediction(model, StandardScaler().fit_transform(row), model_version)


def _serve_scaled_twice(scaler, model, features, model_version):
    row = ref.validate_features(features, scaler.n_features_in_)
    return ref.serve_prediction(model, scaler.transform(scaler.transform(row)), model_version)


def _serve_scaled_class_zero(scaler, model, features, model_version):
    row = scaler.transform(ref.validate_features(features, scaler.n_features_in_))
    return _respond(model, row, model_version, column=0)


def _serve_scaled_unvalidated(scaler, model, features, model_version):
    row = scaler.transform(np.array(features, dtype=float).reshape(1, -1))
    return _respond(model, row, model_version)


def _serve_scaled_numpy_types(scaler, model, features, model_version):
    row = scaler.transform(ref.validate_features(features, scaler.n_features_in_))
    return _respond(model, row, model_version, plain=False)


def _serve_scaled_by_classes(scaler, model, features, model_version):
    """Correct: the label as the class of highest probability, values via .item()."""
    request = scaler.transform(ref.validate_features(features, scaler.n_features_in_))
    proba = model.predict_proba(request)[0]
    return {"prediction": model.classes_[np.argmax(proba)].item(), "probability": proba[1].item(),
            "model_version": f"{model_version}"}


def _serve_scaled_via_serve_prediction(scaler, model, features, model_version):
    """Correct: validate, transform, then hand the scaled row to serve_prediction."""
    return ref.serve_prediction(model, scaler.transform(ref.validate_features(features, scaler.n_features_in_)),
                                model_version)


def _serve_scaled_inline(scaler, model, features, model_version):
    """Correct, and checks the request itself as the Raises section describes (no provided helper)."""
    row = scaler.transform(_checked_row(features, scaler.n_features_in_))
    return {"prediction": int(model.predict(row)[0]), "probability": float(model.predict_proba(row)[0, 1]),
            "model_version": model_version}


def _bad_scaled_serve(label, features):
    return Case(label, run=_served_scaled(_SCALER, _SCALED_MODEL, features, "v1"), raises=ValueError)


_RAW_REQUEST = _RAW_X[17].tolist()

SERVE_WITH_PREPROCESSING = Exercise(
    name="serve_with_preprocessing",
    reference=ref.serve_with_preprocessing,
    compare=SERVE_PREDICTION.compare,
    tests=(
        GradedTest("test_serve_with_preprocessing", 2,
                   "the request transformed by the training-time scaler, then served", (
            Case("a raw training row as a list, standard scaler and logistic regression, version 'churn-v2'",
                 run=_served_scaled(_SCALER, _SCALED_MODEL, _RAW_REQUEST, "churn-v2")),
            Case("a seeded raw request as a 1-D array, version '2024-07-01'",
                 run=_served_scaled(_SCALER, _SCALED_MODEL, _rng.normal(0, 1, 5) * _RAW_SCALES + _RAW_OFFSETS,
                                    "2024-07-01")),
            Case("a raw row shaped (1, 5), version 'v8'",
                 run=_served_scaled(_SCALER, _SCALED_MODEL, _RAW_X[60:61], "v8")),
            Case("a raw row the model calls class 1, version 'v8'",
                 run=_served_scaled(_SCALER, _SCALED_MODEL, _RAW_X[np.flatnonzero(_BOOK_Y == 1)[2]], "v8")),
            Case("a min-max scaler and a 3-feature decision tree, request as a list, version 'tree-3'",
                 run=_served_scaled(_MINMAX, _MINMAX_TREE, _TREE_RAW[11].tolist(), "tree-3")),
            Case("the min-max scaler and tree on another raw row, version 'tree-3'",
                 run=_served_scaled(_MINMAX, _MINMAX_TREE, _TREE_RAW[42], "tree-3")),
        )),
        GradedTest("test_serve_with_preprocessing_errors", 1, "an invalid request raises ValueError", (
            _bad_scaled_serve("4 values to a 5-feature scaler", _RAW_REQUEST[:4]),
            _bad_scaled_serve("a request with a string", _with(_RAW_REQUEST, 1, "abc")),
            _bad_scaled_serve("a request with NaN", _with(_RAW_REQUEST, 3, float("nan"))),
            _bad_scaled_serve("a request with inf", _with(_RAW_REQUEST, 0, float("inf"))),
            _bad_scaled_serve("a (5, 1) column instead of a row", np.array(_RAW_REQUEST)[:, None]),
        )),
    ),
    mistakes=(
        Mistake("scaler skipped", "the model was trained on scaled features; a raw request is on another "
                "scale altogether (training-serving skew). Pass it through scaler.transform first.",
                _serve_raw, book="Q26.2"),
        Mistake("scaler refitted on the request", "fitting a scaler at serving time, on the request itself, "
                "throws away the training statistics (one row standardises to zeros); use the fitted "
                "scaler's transform, never fit.", _serve_refitted),
        Mistake("scaled twice", "transform the raw request once; transforming an already scaled row "
                "shifts and stretches it a second time.", _serve_scaled_twice),
        Mistake("probability of class 0", "predict_proba(row)[0, 0] is the probability of class 0; the "
                "response reports class 1, column 1.", _serve_scaled_class_zero),
        Mistake("NumPy types in the response", "model.predict returns NumPy integers, which json.dumps "
                "cannot encode; convert with int(...) and float(...) before returning.", _serve_scaled_numpy_types),
        Mistake("request not validated", "reshape(1, -1) without validation accepts a (5, 1) column as a "
                "row; validate the request as validate_features does, with scaler.n_features_in_ as the "
                "expected length.", _serve_scaled_unvalidated),
    ),
    alternatives=(_serve_scaled_by_classes, _serve_scaled_via_serve_prediction),
    minimal=_serve_scaled_inline,
    callbacks=PREPROCESSING_INTERFACE,
)

# --- population_stability_index --------------------------------------------------

# Compared with rtol 1e-9 (a sum of ten logarithms; summation order changes ~1e-16).  The
# edges are those of the contract: np.quantile's default method, ties to the bin above.
_psi_reference = _rng.normal(0, 1, 5000)
_psi_same = _rng.normal(0, 1, 3000)
_psi_shift = _rng.normal(0.5, 1, 3000)
_psi_wide = _rng.normal(0, 2, 2000)
_psi_far = _rng.normal(6, 0.2, 500)  # beyond the reference: most bins of `actual` are empty
_psi_1001 = _rng.normal(0, 1, 1001)
# Ties: with many equal values an edge lies inside a run of them whatever the rounding of the
# levels k / n_bins, so the rule "a value equal to an edge goes to the bin above" is graded
# on data where every correct implementation agrees.  (With 1,001 distinct values an edge is
# one of them only if the level is exactly k / n_bins: np.linspace's 0.30000000000000004
# moves it, so such a sample would penalise rounding.)
_psi_scores_expected = _rng.integers(0, 11, 2000).astype(float)
_psi_scores_actual = _rng.integers(2, 11, 1000).astype(float)
_psi_counts_expected = _rng.poisson(2, 800).astype(float)  # ties: several edges coincide
_psi_counts_actual = _rng.poisson(3, 600).astype(float)


def _shares(values, edges, n_bins, side="right"):
    return np.bincount(np.searchsorted(edges, values, side=side), minlength=n_bins) / values.size


def _psi(*, edges=None, side="right", floor=lambda s: np.maximum(s, 1e-4), formula=None, counts=False):
    """A population_stability_index that validates like the reference and differs in one step."""
    def psi(expected, actual, n_bins=10):
        as_count(n_bins, "n_bins", minimum=1)
        e, a = np.asarray(expected, float).ravel(), np.asarray(actual, float).ravel()
        if e.size == 0 or a.size == 0:
            raise ValueError("empty sample")
        inner = np.quantile(e, np.arange(1, n_bins) / n_bins) if edges is None else edges(e, a, n_bins)
        e_share, a_share = _shares(e, inner, n_bins, side), _shares(a, inner, n_bins, side)
        if counts:
            e_share, a_share = e_share * e.size, a_share * a.size
        e_share, a_share = floor(e_share), floor(a_share)
        with np.errstate(all="ignore"):
            if formula is not None:
                return float(formula(e_share, a_share))
            return float(np.sum((a_share - e_share) * np.log(a_share / e_share)))
    return psi


def _psi_histogram(expected, actual, n_bins=10):
    """Correct: np.histogram over [-inf, edges, +inf] (its bins are [left, right): ties go up)."""
    if n_bins < 1:
        raise ValueError("n_bins must be at least 1")
    e, a = np.ravel(np.asarray(expected, float)), np.ravel(np.asarray(actual, float))
    if len(e) == 0 or len(a) == 0:
        raise ValueError("need values in both samples")
    bins = np.concatenate([[-np.inf], np.quantile(e, np.linspace(0, 1, n_bins + 1)[1:-1]), [np.inf]])
    e_share = np.clip(np.histogram(e, bins)[0] / len(e), 1e-4, None)
    a_share = np.clip(np.histogram(a, bins)[0] / len(a), 1e-4, None)
    return float(((a_share - e_share) * np.log(a_share / e_share)).sum())


def _psi_digitize(expected, actual, n_bins=10):
    """Correct: np.digitize (edges[i-1] <= x < edges[i]) and a loop over the bins."""
    e, a = np.asarray(expected, dtype=float).ravel(), np.asarray(actual, dtype=float).ravel()
    if n_bins < 1 or e.size == 0 or a.size == 0:
        raise ValueError("need n_bins >= 1 and non-empty samples")
    edges = np.quantile(e, [k / n_bins for k in range(1, n_bins)])
    e_bin, a_bin = np.digitize(e, edges), np.digitize(a, edges)
    total = 0.0
    for b in range(n_bins):
        e_i = max(np.mean(e_bin == b), 1e-4)
        a_i = max(np.mean(a_bin == b), 1e-4)
        total += (a_i - e_i) * np.log(a_i / e_i)
    return total


def _minimal_population_stability_index(expected, actual, n_bins=10):
    e, a = np.ravel(np.asarray(expected, float)), np.ravel(np.asarray(actual, float))
    if e.size == 0 or a.size == 0:
        raise ValueError("expected and actual must not be empty")
    if n_bins < 1:
        raise ValueError("n_bins must be at least 1")
    edges = np.quantile(e, np.arange(1, n_bins) / n_bins)
    e_share = np.maximum(np.bincount(np.searchsorted(edges, e, "right"), minlength=n_bins) / e.size, 1e-4)
    a_share = np.maximum(np.bincount(np.searchsorted(edges, a, "right"), minlength=n_bins) / a.size, 1e-4)
    return float(np.sum((a_share - e_share) * np.log(a_share / e_share)))


def _unchecked_psi(expected, actual, n_bins=10):
    e, a = np.ravel(np.asarray(expected, float)), np.ravel(np.asarray(actual, float))
    with np.errstate(all="ignore"):
        edges = np.quantile(e, np.arange(1, max(n_bins, 1)) / max(n_bins, 1)) if e.size else np.zeros(0)
        e_share = np.maximum(_shares(e, edges, max(n_bins, 1)), 1e-4)
        a_share = np.maximum(_shares(a, edges, max(n_bins, 1)), 1e-4)
        return float(np.sum((a_share - e_share) * np.log(a_share / e_share)))


POPULATION_STABILITY_INDEX = Exercise(
    name="population_stability_index",
    reference=ref.population_stability_index,
    compare=Scalar(rtol=1e-9, atol=1e-12),
    tests=(
        GradedTest("test_population_stability_index", 2, "PSI over equal-frequency bins of the reference", (
            Case("5,000 reference values against 3,000 from the same normal distribution",
                 (_psi_reference, _psi_same)),
            Case("the reference against values whose mean moved by half a standard deviation",
                 (_psi_reference, _psi_shift)),
            Case("the reference against values with twice the spread, 20 bins",
                 (_psi_reference, _psi_wide), {"n_bins": 20}),
            Case("the reference against values far beyond it (most bins empty)", (_psi_reference, _psi_far)),
            Case("1,001 reference values against themselves, 10 bins", (_psi_1001, _psi_1001.copy())),
            Case("scores 0 to 10 with heavy ties against scores 2 to 10 (edges equal to values)",
                 (_psi_scores_expected, _psi_scores_actual)),
            Case("integer counts with many ties (coinciding edges), 5 bins",
                 (_psi_counts_expected, _psi_counts_actual), {"n_bins": 5}),
            Case("short Python lists, 4 bins", ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [2.5, 6.0, 7.5, 9.0]),
                 {"n_bins": 4}),
        )),
        GradedTest("test_population_stability_index_errors", 1,
                   "an empty sample or fewer than 1 bin raise ValueError", (
            Case("an empty reference sample", ([], _psi_same), raises=ValueError),
            Case("an empty production sample", (_psi_reference, np.array([])), raises=ValueError),
            Case("0 bins", (_psi_reference, _psi_same), {"n_bins": 0}, raises=ValueError),
        )),
    ),
    mistakes=(
        Mistake("equal-width bins", "PSI bins hold equal shares of the reference sample: take the inner edges "
                "from np.quantile(expected, k / n_bins), not evenly spaced between the minimum and maximum.",
                _psi(edges=lambda e, a, n: np.linspace(e.min(), e.max(), n + 1)[1:-1])),
        Mistake("bins from the production sample", "the bins are fixed by the reference (training-time) "
                "sample, expected; quantiles of actual move with the drift you are trying to measure.",
                _psi(edges=lambda e, a, n: np.quantile(a, np.arange(1, n) / n))),
        Mistake("edge values in the bin below", "a value equal to an inner edge belongs to the bin above "
                "(searchsorted with side='right', np.digitize, np.histogram).", _psi(side="left")),
        Mistake("empty bins not floored", "an empty bin makes log(a_i / e_i) infinite; raise each fraction "
                "to at least 1e-4 before the formula.", _psi(floor=lambda s: s)),
        Mistake("floor added instead of taken", "raise each fraction to at least 1e-4 (np.maximum); adding "
                "1e-4 to every fraction changes the bins that were never empty.", _psi(floor=lambda s: s + 1e-4)),
        Mistake("counts instead of fractions", "e_i and a_i are the fractions of each sample in bin i (counts "
                "divided by the sample size), so samples of different sizes compare.", _psi(counts=True)),
        Mistake("one-sided divergence", "PSI is sum (a_i - e_i) log(a_i / e_i), which counts both directions; "
                "sum a_i log(a_i / e_i) is only the KL divergence of actual from expected.",
                _psi(formula=lambda e, a: np.sum(a * np.log(a / e)))),
        Mistake("arguments not checked", "the Raises section asks for ValueError when either sample is empty "
                "(there are no fractions to compare) and when n_bins < 1.", _unchecked_psi),
    ),
    alternatives=(_psi_histogram, _psi_digitize),
    minimal=_minimal_population_stability_index,
)

EXERCISES = (
    VALIDATE_FEATURES,
    SERVE_PREDICTION,
    BATCH_PREDICT,
    LATENCY_PERCENTILES,
    SERVE_WITH_PREPROCESSING,
    POPULATION_STABILITY_INDEX,
)
