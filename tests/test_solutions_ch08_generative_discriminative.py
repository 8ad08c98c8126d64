"""Reference solutions of ch08_generative_discriminative against scikit-learn, SciPy and the notebook."""

import numpy as np
import pytest
import scipy.stats
from sklearn.datasets import load_iris
from sklearn.naive_bayes import GaussianNB

from solutions.ch08_generative_discriminative import GaussianNaiveBayes, posterior_from_generative
from solutions.ch08_generative_discriminative_checks import as_matrix

# The notebook's toy emails: (exclamation marks, links) for four ham and three spam.
EMAILS = np.array([[0, 1], [1, 0], [0, 2], [2, 1], [5, 6], [7, 4], [6, 8]], dtype=float)
LABELS = np.array(["ham"] * 4 + ["spam"] * 3)
ATTRIBUTES = ("classes_", "class_prior_", "theta_", "var_")


@pytest.fixture
def rng():
    return np.random.default_rng(8)


def blobs(rng, n_per_class=(50, 30, 20), n_features=3):
    """Gaussian classes with different means and spreads, labelled 10, 20, 30."""
    X = np.vstack([rng.normal(k, 0.5 + k, size=(n, n_features)) for k, n in enumerate(n_per_class)])
    y = np.repeat([10, 20, 30], n_per_class)
    order = rng.permutation(y.size)
    return X[order], y[order]


# --- posterior_from_generative ----------------------------------------------------------


def test_posterior_spam_example():
    got = posterior_from_generative([0.75, 0.25], [[0.02, 0.3]])
    np.testing.assert_allclose(got, [[1 / 6, 5 / 6]], rtol=1e-12)


def test_posterior_rows_are_distributions_and_equal_likelihoods_give_the_prior(rng):
    prior = rng.dirichlet(np.ones(5))
    got = posterior_from_generative(prior, rng.exponential(size=(40, 5)))
    assert got.shape == (40, 5)
    np.testing.assert_allclose(got.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(posterior_from_generative(prior, np.full((3, 5), 0.7)),
                               np.tile(prior, (3, 1)), rtol=1e-12)


def test_posterior_matches_gaussian_nb_predict_proba(rng):
    """Bayes' rule on SciPy's class densities gives scikit-learn's posterior."""
    X, y = blobs(rng)
    model = GaussianNB().fit(X, y)
    queries = rng.normal(1, 2, size=(25, 3))
    likelihoods = np.column_stack([
        scipy.stats.multivariate_normal(mean, np.diag(var)).pdf(queries)
        for mean, var in zip(model.theta_, model.var_, strict=True)])
    got = posterior_from_generative(model.class_prior_, likelihoods)
    np.testing.assert_allclose(got, model.predict_proba(queries), rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize(("prior", "likelihoods", "match"), [
    ([0.5, 0.6], [[0.1, 0.2]], "sum to 1"),
    ([1.2, -0.2], [[0.1, 0.2]], "non-negative"),
    ([[0.5, 0.5]], [[0.1, 0.2]], "1-D"),
    ([0.5, 0.5], [[0.1, 0.2, 0.3]], "3 columns; expected 2"),
    ([0.5, 0.5], [0.1, 0.2], "2-D"),
    ([0.5, 0.5], [[0.1, -0.2]], "non-negative"),
    ([0.5, 0.5], [[0.0, 0.0]], "undefined"),
    ([0.5, 0.5], [["a", 0.2]], "only numbers"),
])
def test_posterior_rejects_bad_input(prior, likelihoods, match):
    with pytest.raises(ValueError, match=match):
        posterior_from_generative(prior, likelihoods)


# --- GaussianNaiveBayes ------------------------------------------------------------------


@pytest.mark.parametrize("var_smoothing", [1e-9, 1e-3, 0.5])
def test_fit_matches_gaussian_nb_on_iris(var_smoothing):
    X, y = load_iris(return_X_y=True)
    ours = GaussianNaiveBayes(var_smoothing=var_smoothing).fit(X, y)
    theirs = GaussianNB(var_smoothing=var_smoothing).fit(X, y)
    for name in ATTRIBUTES:
        np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name), rtol=1e-12)


def test_fit_returns_self_and_keeps_string_labels():
    model = GaussianNaiveBayes()
    assert model.fit(EMAILS, LABELS) is model
    assert list(model.classes_) == ["ham", "spam"]
    np.testing.assert_allclose(model.class_prior_, [4 / 7, 3 / 7])
    np.testing.assert_allclose(model.theta_, [[0.75, 1.0], [6.0, 6.0]])
    np.testing.assert_allclose(model.var_, [[0.6875, 0.5], [2 / 3, 8 / 3]], rtol=1e-7)


def test_single_example_class_gets_the_smoothing_variance(rng):
    X = rng.normal(size=(6, 2))
    model = GaussianNaiveBayes().fit(X, [0, 1, 1, 1, 2, 2])
    np.testing.assert_allclose(model.var_[0], 1e-9 * np.var(X, axis=0).max())
    np.testing.assert_allclose(model.var_, GaussianNB().fit(X, [0, 1, 1, 1, 2, 2]).var_, rtol=1e-12)


def test_probabilities_and_predictions_match_gaussian_nb(rng):
    X, y = blobs(rng)
    ours, theirs = GaussianNaiveBayes().fit(X, y), GaussianNB().fit(X, y)
    queries = rng.normal(1, 3, size=(200, 3))
    np.testing.assert_allclose(ours.predict_joint_log_likelihood(queries),
                               theirs.predict_joint_log_proba(queries), rtol=1e-12)
    np.testing.assert_allclose(ours.predict_log_proba(queries), theirs.predict_log_proba(queries),
                               rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(ours.predict_proba(queries), theirs.predict_proba(queries),
                               rtol=1e-10, atol=1e-15)
    np.testing.assert_array_equal(ours.predict(queries), theirs.predict(queries))


def test_predict_returns_labels_from_classes():
    model = GaussianNaiveBayes().fit(EMAILS, LABELS)
    np.testing.assert_array_equal(model.predict([[1, 1], [6, 5]]), ["ham", "spam"])


def test_far_away_points_are_finite_where_naive_normalisation_is_nan(rng):
    X, y = blobs(rng)
    model = GaussianNaiveBayes().fit(X, y)
    far = np.array([[500.0, -400.0, 300.0], [1e4, 0.0, 0.0]])
    joint = model.predict_joint_log_likelihood(far)
    with np.errstate(all="ignore"):
        naive = np.exp(joint) / np.exp(joint).sum(axis=1, keepdims=True)
    assert np.isnan(naive).all()
    proba = model.predict_proba(far)
    assert np.isfinite(proba).all() and np.isfinite(model.predict_log_proba(far)).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(proba, GaussianNB().fit(X, y).predict_proba(far), atol=1e-12)
    np.testing.assert_allclose(model.predict_log_proba(far),
                               GaussianNB().fit(X, y).predict_log_proba(far), rtol=1e-9)


def test_sample_shapes_labels_and_reproducibility():
    model = GaussianNaiveBayes().fit(EMAILS, LABELS)
    X_new, y_new = model.sample(40, np.random.default_rng(3))
    assert X_new.shape == (40, 2) and y_new.shape == (40,)
    assert set(y_new) <= {"ham", "spam"}
    again = model.sample(40, np.random.default_rng(3))
    other = model.sample(40, np.random.default_rng(4))
    np.testing.assert_array_equal(X_new, again[0])
    np.testing.assert_array_equal(y_new, again[1])
    assert not np.array_equal(X_new, other[0])


def test_sample_follows_the_fitted_distribution(rng):
    """Fixed seed: class frequencies (chi-square) and per-class normals (KS) fit the model."""
    X, y = blobs(rng)
    model = GaussianNaiveBayes().fit(X, y)
    X_new, y_new = model.sample(30_000, np.random.default_rng(5))
    counts = np.array([np.sum(y_new == label) for label in model.classes_])
    assert scipy.stats.chisquare(counts, 30_000 * model.class_prior_).pvalue > 1e-4
    for k, label in enumerate(model.classes_):
        rows = X_new[y_new == label]
        for j in range(X.shape[1]):
            scale = np.sqrt(model.var_[k, j])
            assert scipy.stats.kstest(rows[:, j], "norm", args=(model.theta_[k, j], scale)).pvalue > 1e-4


def test_refitting_a_large_sample_recovers_the_parameters(rng):
    X, y = blobs(rng)
    model = GaussianNaiveBayes().fit(X, y)
    refit = GaussianNaiveBayes().fit(*model.sample(100_000, np.random.default_rng(6)))
    np.testing.assert_array_equal(refit.classes_, model.classes_)
    np.testing.assert_allclose(refit.class_prior_, model.class_prior_, atol=0.01)
    np.testing.assert_allclose(refit.theta_, model.theta_, atol=0.1)
    np.testing.assert_allclose(refit.var_, model.var_, rtol=0.05)


@pytest.mark.parametrize(("X", "y", "params", "match"), [
    ([1.0, 2.0], [0, 1], {}, "2-D"),
    ([[1.0], [2.0]], [0], {}, "one label per row"),
    ([[1.0], [np.nan]], [0, 1], {}, "NaN"),
    ([[1.0], [2.0]], [0, 1], {"var_smoothing": -1.0}, "non-negative"),
    ([[1.0], [1.0], [2.0]], [0, 0, 1], {"var_smoothing": 0.0}, "zero variance"),
])
def test_fit_rejects_bad_input(X, y, params, match):
    with pytest.raises(ValueError, match=match):
        GaussianNaiveBayes(**params).fit(X, y)


def test_methods_reject_bad_input():
    with pytest.raises(ValueError, match="not fitted"):
        GaussianNaiveBayes().predict_proba([[1.0, 2.0]])
    with pytest.raises(ValueError, match="not fitted"):
        GaussianNaiveBayes().sample(3, np.random.default_rng(0))
    model = GaussianNaiveBayes().fit(EMAILS, LABELS)
    with pytest.raises(ValueError, match="3 columns; expected 2"):
        model.predict([[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match="`n_samples` must be a positive integer"):
        model.sample(0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="`rng` must be a numpy.random.Generator"):
        model.sample(3, 42)


def test_as_matrix_names_the_argument():
    with pytest.raises(ValueError, match="`X` is empty"):
        as_matrix(np.empty((0, 2)), "X")
    with pytest.raises(ValueError, match="`X` contains NaN or infinity"):
        as_matrix([[1.0, np.inf]], "X")
