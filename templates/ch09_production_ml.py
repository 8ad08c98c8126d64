# %% [markdown]
# # Assignment 9 - Production ML systems
#
# *Mastering Data Science Interviews*, chapter 9 (questions 26-27).
#
# A trained model earns nothing until other software can ask it for predictions. This
# assignment builds the small pieces that sit between a fitted scikit-learn model and its
# callers: a check that rejects malformed requests with an error the caller can act on, a
# serving function that answers one request with JSON-ready data and the model version,
# a batch scorer that works through a large table chunk by chunk, and the latency
# percentiles that a serving budget is written in. At the end you time batch and
# real-time scoring side by side.
#
# **How to work**
#
# * Replace each `raise NotImplementedError()` with your code. Keep the function names and
#   arguments exactly as given: the autograder calls them.
# * The cell after each exercise holds public tests. When they pass you are on the right
#   track; hidden tests with more cases (other models, other malformed requests) decide the
#   grade.
# * `model` always means a fitted scikit-learn binary classifier with `predict_proba`.
# * Each stub's **Raises** section lists the inputs for which it must raise `ValueError`. That
#   error handling is graded in small tests of its own (their names end in `_errors`), so a
#   function that computes the right answers never loses the points of its other tests.
#   Conditions stated only under Parameters are assumptions you may rely on.
# * Check yourself from a terminal before you submit:
#   `mdsi-check ch09_production_ml.ipynb` runs the notebook in a fresh kernel and lists each
#   exercise as passed, failed or not attempted.

# %%
import json
import re
import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

# The model of the book's listings 9.1 and 9.2: 200 synthetic rows with 5 features.
book_X, book_y = make_classification(n_samples=200, n_features=5, random_state=0)
book_model = LogisticRegression(max_iter=1000).fit(book_X, book_y)
book_request = [0.1, -1.2, 0.4, 0.7, -0.3]


def raised_message(fn, *args):
    """The message of the ValueError that ``fn(*args)`` raises, or None if it returns normally."""
    try:
        fn(*args)
    except ValueError as err:
        return str(err)
    return None


# %% [markdown]
# ### Provided helpers
#
# These helpers convert inputs to float arrays and check integer arguments, raising a
# `ValueError` that names the argument. You may use them in your solutions; you do not have
# to.

# %% provided="helpers"

# %% [markdown]
# ## 1. Serving starts with refusing bad requests (question 26)
#
# Question 26 asks what *model serving* is: putting a trained model behind an interface
# (a function, a service, an endpoint) so that other systems send it inputs and get
# predictions back, for example a payment system asking a fraud model about each
# transaction. The book stresses that the serving layer is much more than the final
# `predict()` call: it validates the input, applies the training-time preprocessing, loads
# the right model version, logs what happened and handles errors. Serving is a reliability
# problem as much as a modelling one.
#
# Validation comes first. A request with four values for a five-feature model, a typo such
# as `"abc"`, a missing value that arrived as NaN or an overflow that arrived as infinity
# must never reach the model: some models raise a cryptic error, others silently return a
# meaningless number. The caller needs a `ValueError` whose message says *what* is wrong.
#
# **Exercise 1.** Implement `validate_features(features, n_features)`. Accept a 1-D
# sequence of `n_features` numbers or a `(1, n_features)` array and return a float array of
# shape `(1, n_features)` - the shape `predict_proba` expects for a single row. Raise
# `ValueError` for the wrong length or shape (say which length you expected), for a value
# that cannot be converted to a float (say it is not numeric), for NaN (say NaN) and for
# infinity (say it is infinite). Check the shape before you reshape: `reshape(1, -1)`
# would turn a `(5, 1)` column into a row that looks valid.

# %% solution="validate_features"

# %% grade_id="test_validate_features"
got = validate_features(book_request, 5)
assert isinstance(got, np.ndarray) and got.shape == (1, 5), (
    f"validate_features(book_request, 5) returned {got!r}; expected a NumPy array of shape "
    "(1, 5), the single-row shape that predict_proba expects"
)
assert np.allclose(got, [book_request]), f"the values changed: got {got}, expected {[book_request]}"
got = validate_features(np.array([[1, 2, 3]]), 3)
assert np.shape(got) == (1, 3) and np.allclose(got, [[1.0, 2.0, 3.0]]), (
    f"validate_features(np.array([[1, 2, 3]]), 3) returned {got!r}; a request that is already "
    "a (1, 3) row should come back unchanged, as floats"
)

# %% grade_id="test_validate_features_errors_length"
message = raised_message(validate_features, book_request[:4], 5)
assert message is not None, (
    "validate_features(book_request[:4], 5) returned normally; 4 values for a 5-feature "
    "model must raise ValueError"
)
assert re.search(r"length|shape|size|expect|number of|\d+ (features|values)", message, re.I), (
    f"the ValueError said {message!r}; say that the length is wrong, e.g. 'expected 5 features'"
)
assert raised_message(validate_features, np.array(book_request).reshape(5, 1), 5) is not None, (
    "a (5, 1) column is not a valid request; check the shape before reshaping"
)

# %% grade_id="test_validate_features_errors_non_numeric"
message = raised_message(validate_features, [0.1, "abc", 0.4, 0.7, -0.3], 5)
assert message is not None, "a request containing 'abc' must raise ValueError"
assert re.search(r"numeric|number", message, re.I), (
    f"the ValueError said {message!r}; say that the request must contain only numbers "
    "(catch the TypeError/ValueError of the conversion and raise your own)"
)

# %% grade_id="test_validate_features_errors_non_finite"
message = raised_message(validate_features, [0.1, np.nan, 0.4, 0.7, -0.3], 5)
assert message is not None, "a request containing NaN must raise ValueError"
assert re.search(r"nan", message, re.I), f"the ValueError said {message!r}; mention NaN"
message = raised_message(validate_features, [0.1, -1.2, np.inf, 0.7, -0.3], 5)
assert message is not None, (
    "a request containing inf must raise ValueError; np.isnan(np.inf) is False, so test "
    "np.isinf or np.isfinite as well"
)
assert re.search(r"inf|finite", message, re.I), (
    f"the ValueError said {message!r}; say that the value is infinite (or not finite)"
)

# %% [markdown]
# ## 2. A serving function (question 26)
#
# The book's listing 9.1 wraps the model in a function that reshapes one request, asks the
# model for a label and a probability and returns them in a dictionary. Two details turn
# that sketch into something a service can use:
#
# * **Plain types.** The response is sent as JSON. `model.predict` returns NumPy integers,
#   and `json.dumps` refuses `numpy.int64`; convert with `int(...)` and `float(...)`.
# * **The model version.** When a prediction is logged, you want to know which model made
#   it, so the response carries the version string it was served under.
#
# The book shows listings 9.1 and 9.2 but not their output; running them, the model predicts
# class 0 for the request `[0.1, -1.2, 0.4, 0.7, -0.3]`, with a probability of about 0.071 for
# class 1.
#
# **Exercise 2.** Implement `serve_prediction(model, features, model_version)` returning
# `{"prediction": int, "probability": float, "model_version": str}`, where `probability` is
# that of class 1 (column 1 of `predict_proba`) and `prediction` comes from
# `model.predict`. Validate the request as `validate_features` does (calling it is the
# simplest way), taking the expected length from `model.n_features_in_` (not a hard-coded 5).

# %% solution="serve_prediction"

# %% grade_id="test_serve_prediction"
response = serve_prediction(book_model, book_request, "churn-v1")
keys = {"prediction", "probability", "model_version"}
assert isinstance(response, dict) and set(response) == keys, (
    f"serve_prediction returned {response!r}; expected a dict with the keys 'prediction', "
    "'probability' and 'model_version'"
)
assert type(response["prediction"]) is int and isinstance(response["probability"], float), (
    f"the prediction is a {type(response['prediction']).__name__} and the probability a "
    f"{type(response['probability']).__name__}; convert them to int and float so json.dumps works"
)
json.dumps(response)  # works only when every value is a plain Python type
expected = book_model.predict_proba([book_request])[0, 1]
assert np.isclose(response["probability"], expected), (
    f"the probability is {response['probability']}; expected P(class 1) = {expected:.4f} - "
    "column 1 of predict_proba, not column 0"
)
assert response["prediction"] == 0 and response["model_version"] == "churn-v1", (
    f"got {response!r}; the book's request is predicted as class 0, served by 'churn-v1'"
)

# %% grade_id="test_serve_prediction_errors"
for bad in ([0.1, -1.2, 0.4, 0.7], [0.1, np.nan, 0.4, 0.7, -0.3], [0.1, "abc", 0.4, 0.7, -0.3]):
    assert raised_message(serve_prediction, book_model, bad, "churn-v1") is not None, (
        f"serve_prediction(book_model, {bad!r}, 'churn-v1') returned normally; validate the "
        "request with validate_features so that it raises ValueError"
    )

# %% [markdown]
# ## 3. Batch inference (question 27)
#
# Question 27 contrasts two ways of running a model. **Batch inference** scores many rows
# on a schedule - every customer once a week, every product overnight - and stores the
# results; it is tuned for throughput and is simpler and cheaper to run, but its
# predictions grow stale between runs. **Real-time inference** scores one request the moment
# it arrives - a payment waiting for a fraud check - and is tuned for latency; it sees the
# freshest data but must be fast and always available. Neither is better in general, and
# many systems mix them: slow-changing signals are precomputed in batch, fresh ones are
# added at request time.
#
# A batch job rarely hands the whole table to the model at once: the table may not fit in
# memory, and one failure should not waste hours of work. It scores the rows in chunks of
# at most `batch_size`.
#
# **Exercise 3.** Implement `batch_predict(model, X, batch_size)`: pass the rows to
# `model.predict_proba` one chunk at a time (each chunk at most `batch_size` rows, the last
# one possibly shorter) and return the class-1 probabilities of all rows, equal to
# `model.predict_proba(X)[:, 1]`. An empty `X` gives an empty array (without calling the
# model); `batch_size < 1` raises `ValueError`.

# %% solution="batch_predict"

# %% grade_id="test_batch_predict"
got = batch_predict(book_model, book_X, batch_size=64)
expected = book_model.predict_proba(book_X)[:, 1]
assert isinstance(got, np.ndarray) and got.shape == (200,), (
    f"batch_predict(book_model, book_X, 64) returned {type(got).__name__} of shape "
    f"{np.shape(got)}; expected an array of 200 probabilities (the last chunk has 8 rows)"
)
assert np.allclose(got, expected), (
    "the probabilities differ from book_model.predict_proba(book_X)[:, 1]; take column 1 of "
    "each chunk and keep the rows in order"
)


class BatchLog:
    """Wraps a model and remembers how many rows each predict_proba call received."""

    def __init__(self, model):
        self.model, self.sizes = model, []

    def predict_proba(self, X):
        self.sizes.append(len(X))
        return self.model.predict_proba(X)

    def __getattr__(self, name):  # anything else (n_features_in_, classes_) comes from the model
        return getattr(self.model, name)


log = BatchLog(book_model)
batch_predict(log, book_X, 64)
assert len(log.sizes) == 4 and max(log.sizes) <= 64 and sum(log.sizes) == 200, (
    f"predict_proba received chunks of {log.sizes} rows; 200 rows in batches of 64 need 4 "
    "calls of at most 64 rows each"
)
got = batch_predict(book_model, np.empty((0, 5)), batch_size=10)
assert isinstance(got, np.ndarray) and got.shape == (0,), (
    f"an empty batch should give an empty array of shape (0,); got {got!r}"
)

# %% grade_id="test_batch_predict_errors"
assert raised_message(batch_predict, book_model, book_X, 0) is not None, (
    "batch_size=0 must raise ValueError"
)

# %% [markdown]
# ## 4. Latency percentiles (question 27)
#
# A real-time service is judged by how long callers wait, and averages hide the slow
# requests that users notice. Latency targets are therefore written as percentiles: "the
# median (p50) under 10 ms and the 99th percentile (p99) under 50 ms". The p99 is the
# latency that only 1 request in 100 exceeds.
#
# **Exercise 4.** Implement `latency_percentiles(latencies_ms, percentiles=(50, 95, 99))`
# returning a dict `{p: value}` keyed by the requested percentiles exactly as given, with
# values computed like `np.percentile` (linear interpolation between neighbouring sorted
# values). An empty input raises `ValueError`. For the latencies 1, 2, ..., 100 ms the
# defaults give `{50: 50.5, 95: 95.05, 99: 99.01}`.

# %% solution="latency_percentiles"

# %% grade_id="test_latency_percentiles"
got = latency_percentiles(np.arange(1, 101))
assert isinstance(got, dict) and set(got) == {50, 95, 99}, (
    f"latency_percentiles(np.arange(1, 101)) returned {got!r}; expected a dict with the "
    "keys 50, 95 and 99"
)
assert np.allclose([got[50], got[95], got[99]], [50.5, 95.05, 99.01]), (
    f"returned {got}; expected {{50: 50.5, 95: 95.05, 99: 99.01}} - interpolate between "
    "neighbouring sorted values, as np.percentile does"
)
got = latency_percentiles([30, 12, 45], percentiles=(0, 100))
assert got == {0: 12.0, 100: 45.0}, f"p0 and p100 are the minimum and the maximum; got {got}"

# %% grade_id="test_latency_percentiles_errors"
assert raised_message(latency_percentiles, []) is not None, (
    "latency_percentiles([]) must raise ValueError: there is no latency to summarise"
)

# %% [markdown]
# ## 5. Batch versus real time, measured
#
# The same model scores 2,000 rows twice: once as a batch job in chunks of 500, and once as
# 2,000 separate real-time requests through `serve_prediction`. Each request pays the
# fixed cost of a call (validation, two model calls, building the response), which the
# batch job pays only four times. Your timings will differ from run to run and machine to
# machine; this cell is not graded.

# %%
rng = np.random.default_rng(9)
incoming = rng.normal(size=(2000, 5))

start = time.perf_counter()
batch_scores = batch_predict(book_model, incoming, batch_size=500)
batch_ms = (time.perf_counter() - start) * 1000

request_ms = []
for row in incoming:
    start = time.perf_counter()
    serve_prediction(book_model, row, "churn-v1")
    request_ms.append((time.perf_counter() - start) * 1000)

summary = latency_percentiles(request_ms)
per_row = batch_ms / len(incoming)
print(f"batch:     {batch_ms:7.1f} ms for {len(incoming)} rows ({per_row:.4f} ms per row)")
print(f"real time: {sum(request_ms):7.1f} ms for {len(incoming)} requests")
print("per-request latency: " + ", ".join(f"p{p} = {v:.3f} ms" for p, v in summary.items()))

plt.figure(figsize=(6, 3))
plt.hist(request_ms, bins=60, color="0.7")
for p, value in summary.items():
    plt.axvline(value, linestyle="--", label=f"p{p}")
plt.xlabel("latency of one real-time request (ms)")
plt.ylabel("requests")
plt.legend()
plt.show()

# %% [markdown]
# Batch scoring wins on throughput by a wide margin, yet a payment cannot wait for
# tonight's batch run: real-time serving buys freshness with a cost paid on every request.
# The percentiles, not the mean, tell you whether that cost fits the latency budget
# (question 27's follow-up on latency challenges).
