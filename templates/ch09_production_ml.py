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
# percentiles that a serving budget is written in. Then you time batch and real-time scoring
# side by side, serve a model with the preprocessing it was trained with (and see what
# happens without it), and measure how far a feature has drifted since training.
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
from sklearn.preprocessing import StandardScaler

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

# %% [markdown]
# ## 6. Training-serving skew (question 26)
#
# The book's list of what serving involves includes applying the *training-time*
# preprocessing. Most models are not trained on raw features: they see standardised values,
# encoded categories, imputed gaps. The serving path must apply exactly the same
# transformation, with exactly the statistics fitted on the training data. If it skips the
# step, reimplements it slightly differently, or refits it on live traffic, the model
# receives inputs unlike anything it was trained on and still returns a confident-looking
# probability. Nothing crashes; the predictions are simply wrong. This gap between the
# features at training and at serving time is called **training-serving skew**, and it is
# one of the most common production bugs. The usual cure is to ship the fitted preprocessing
# together with the model (a scikit-learn `Pipeline`, or a saved scaler versioned with the
# model) and to call only its `transform` at serving time.
#
# Below, the book's five features are put on realistic raw scales (an amount in currency
# units, an age, a rate, ...), a `StandardScaler` is fitted on the training rows, and a
# logistic regression is trained on the scaled features.
#
# **Exercise 5.** Implement `serve_with_preprocessing(scaler, model, features, model_version)`:
# validate the raw request as `validate_features` does (with `scaler.n_features_in_` as the
# expected length), transform it with the fitted `scaler` (`scaler.transform`, never `fit`),
# and answer with the same response dict as `serve_prediction`. Of the two objects, use only
# what the docstring lists: the grader provides nothing else of them.

# %%
raw_scales = np.array([20_000.0, 12.0, 0.01, 300.0, 1.0])
raw_offsets = np.array([50_000.0, 40.0, 0.2, -900.0, 3.0])
raw_X = book_X * raw_scales + raw_offsets  # the same rows, in the units the callers send
scaler = StandardScaler().fit(raw_X)
scaled_model = LogisticRegression(max_iter=1000).fit(scaler.transform(raw_X), book_y)
raw_request = raw_X[17]

# %% solution="serve_with_preprocessing"

# %% grade_id="test_serve_with_preprocessing"
response = serve_with_preprocessing(scaler, scaled_model, raw_request, "churn-v2")
expected = scaled_model.predict_proba(scaler.transform([raw_request]))[0, 1]
assert isinstance(response, dict) and set(response) == {"prediction", "probability", "model_version"}, (
    f"serve_with_preprocessing returned {response!r}; expected the same keys as serve_prediction"
)
json.dumps(response)  # works only when every value is a plain Python type
assert np.isclose(response["probability"], expected), (
    f"the probability is {response['probability']}; expected {expected:.4f}, the model's P(class 1) for "
    "scaler.transform of the raw request"
)
assert response["prediction"] == int(scaled_model.predict(scaler.transform([raw_request]))[0]), (
    f"got {response!r}; the label must be the model's prediction for the scaled request"
)
assert np.allclose(scaler.mean_, raw_X.mean(axis=0)), (
    "the scaler's statistics changed: serving must call transform only, never fit"
)

# %% grade_id="test_serve_with_preprocessing_errors"
assert raised_message(serve_with_preprocessing, scaler, scaled_model, raw_request[:4], "churn-v2") is not None, (
    "4 values for a 5-feature scaler must raise ValueError: validate the request first"
)

# %% [markdown]
# The skew, drawn: the same 200 raw requests served with the training-time scaler (what the
# model was trained to answer) and without it. Without it, every request looks hundreds or
# thousands of standard deviations from the training data on some feature, and the model's
# probabilities pile up at 0 and 1.

# %%
with_scaler = np.array([serve_with_preprocessing(scaler, scaled_model, row, "v")["probability"] for row in raw_X])
without = np.array([serve_prediction(scaled_model, row, "v")["probability"] for row in raw_X])
agree = np.mean((with_scaler > 0.5) == (without > 0.5))
fig, axes = plt.subplots(1, 2, figsize=(9, 3.2))
one = serve_with_preprocessing(scaler, scaled_model, raw_request, "v")["probability"]
axes[0].bar(["with scaler", "without"], [one, serve_prediction(scaled_model, raw_request, "v")["probability"]],
            color=["C0", "C3"])
axes[0].set_ylim(0, 1)
axes[0].set_title("one request: P(class 1)")
axes[1].scatter(with_scaler, without, s=8, alpha=0.6, color="C3")
axes[1].plot([0, 1], [0, 1], color="k", linewidth=0.8)
axes[1].set_xlabel("served with the training-time scaler")
axes[1].set_ylabel("served raw")
axes[1].set_title(f"200 requests: same label for {agree:.0%}")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 7. Monitoring drift: the population stability index (question 26)
#
# A model is trained on yesterday's data and serves today's. When the distribution of a
# feature moves - a new customer segment, a changed upstream unit, a seasonal shift - the
# model is asked about inputs it rarely saw, and its accuracy can decay long before anyone
# measures the labels. Monitoring therefore compares each feature's live distribution with
# its training distribution. The **population stability index** is the classic number:
# cut the training sample (`expected`) into `n_bins` bins holding equal shares of it
# (inner edges at its quantiles $k / n_{bins}$, outer bins open-ended, a value equal to an
# edge in the bin above), let $e_i$ and $a_i$ be the fractions of the training and the live
# sample in bin $i$, raise each to at least $10^{-4}$ so that an empty bin does not make the
# logarithm infinite, and add
#
# $$\mathrm{PSI} = \sum_i (a_i - e_i)\,\ln\frac{a_i}{e_i}.$$
#
# Each term is positive whenever $a_i \ne e_i$ (both factors have the same sign), so PSI is 0
# only when every bin keeps its share. A common rule of thumb: below 0.1 stable, 0.1 to 0.25
# worth a look, above 0.25 a major shift. A worked example: the training values 1, 2, ..., 8
# in 4 bins have edges 2.75, 4.5 and 6.25, so each bin holds $e_i = 0.25$. Live values 2.5, 6,
# 7.5 and 9 fall in bins 1, 3, 4 and 4: $a = (0.25, 0, 0.25, 0.5)$, the empty bin becomes
# $10^{-4}$, and PSI $= (10^{-4} - 0.25)\ln(10^{-4}/0.25) + 0.25 \ln 2 = 1.955 + 0.173 = 2.129$.
#
# **Exercise 6.** Implement `population_stability_index(expected, actual, n_bins=10)`.
# `np.quantile`, and `np.searchsorted(edges, values, side="right")` or `np.digitize`, do the
# binning; `np.bincount(..., minlength=n_bins)` counts.

# %% solution="population_stability_index"

# %% grade_id="test_population_stability_index"
got = population_stability_index([1, 2, 3, 4, 5, 6, 7, 8], [2.5, 6.0, 7.5, 9.0], n_bins=4)
assert np.isclose(got, 2.1285, atol=1e-4), (
    f"population_stability_index of the worked example returned {got}; expected 2.1285 = "
    "(1e-4 - 0.25) ln(1e-4 / 0.25) + 0.25 ln 2 - floor the empty bin at 1e-4 before the logarithm"
)
got = population_stability_index([1, 2, 2, 3], [2, 2, 3], n_bins=2)
assert np.isclose(got, 2.0271, atol=1e-4), (
    f"returned {got}; the edge is the median 2, and values equal to an edge go to the bin above, so "
    "e = (0.25, 0.75) and a = (0 -> 1e-4, 1): PSI = 2.0271"
)
reference = np.arange(1000.0)
got = population_stability_index(reference, reference)
assert np.isclose(got, 0.0), f"a sample against itself has PSI 0; got {got}"

# %% grade_id="test_population_stability_index_errors"
assert raised_message(population_stability_index, [], [1.0, 2.0]) is not None, (
    "an empty `expected` must raise ValueError: there are no bins to compare"
)

# %% [markdown]
# A drifted feature: the first raw feature (the amount) at training time, and in production
# after its mean rose by 0.4 and its spread by a quarter of a training standard deviation.
# On the right, PSI of a standard normal feature against the size of a shift in its mean
# (5,000 values on each side), with the usual thresholds.

# %%
drift_rng = np.random.default_rng(26)
training_amount = raw_X[:, 0]
live_amount = drift_rng.normal(training_amount.mean() + 0.4 * training_amount.std(),
                               1.25 * training_amount.std(), 1000)
shifts = np.linspace(0, 1.5, 16)
standard = drift_rng.normal(0, 1, 5000)  # a large reference sample, so that sampling noise stays small
psi_by_shift = [population_stability_index(standard, drift_rng.normal(shift, 1, 5000)) for shift in shifts]
fig, axes = plt.subplots(1, 2, figsize=(9, 3.2))
bins = np.linspace(min(training_amount.min(), live_amount.min()), max(training_amount.max(), live_amount.max()), 30)
axes[0].hist(training_amount, bins=bins, density=True, alpha=0.5, label="training")
axes[0].hist(live_amount, bins=bins, density=True, alpha=0.5, label="production")
axes[0].set_title(f"PSI = {population_stability_index(training_amount, live_amount):.2f}")
axes[0].set_xlabel("amount")
axes[0].legend()
axes[1].plot(shifts, psi_by_shift, "o-")
for level, name in ((0.1, "worth a look"), (0.25, "major shift")):
    axes[1].axhline(level, linestyle="--", color="0.5")
    axes[1].text(0, level, name, va="bottom", fontsize=8)
axes[1].set_xlabel("shift of the mean (training standard deviations)")
axes[1].set_ylabel("PSI")
plt.tight_layout()
plt.show()

# %% [markdown]
# PSI grows roughly with the square of the shift (for a normal feature it is close to the
# shift squared, in standard deviations): a tenth of a standard deviation barely registers,
# about a third reaches "worth a look", and a little more than half crosses the "major" line.
# With small samples PSI is noisy too - two samples of 200 from the same distribution can
# score near 0.1 - so compare it against the size of your windows. It says *that* a feature
# moved, not whether the model got worse; an alert on it is the cue to look at the
# predictions, the labels as they arrive, and the upstream data that changed.
