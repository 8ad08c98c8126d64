"""Hidden checks for ``ch08_generative_discriminative`` (book chapter 8, questions 24-25).

Tolerances: the reference agrees with scikit-learn's ``GaussianNB`` to about
1e-15 relative on the attributes and probabilities (see the solution tests),
and any correct float64 implementation (loops, ``scipy.stats.norm.logpdf``,
``scipy.special.logsumexp``) differs from it only by rounding, about 1e-13
relative.  ``rtol=1e-9`` leaves a wide margin for that, while every
catalogued mistake is off by more than 1e-3.  ``atol=1e-12`` absorbs
probabilities that are rounding noise around 0 (and log-probabilities of a
near-certain class, about -1e-15).

``sample`` is random, so its checks look at properties instead of values: a
yes/no dict computed from the learner's sample (see :class:`Holds`), with the
statistical bounds derived next to :func:`_sample_statistics`.
"""

import copy

import numpy as np
import scipy.special
import scipy.stats
from sklearn.naive_bayes import GaussianNB

from graders.compare import Array, Holds, Record
from graders.engine import Case, Exercise, GradedTest, Mistake
from solutions import ch08_generative_discriminative as ref

_rng = np.random.default_rng(20260308)


def _plain(value):
    """A learner's array-like as a float64 ndarray (never the learner's own object)."""
    return np.array(value, dtype=float, subok=False)


# --- posterior_from_generative ------------------------------------------------------

_prior4 = _rng.dirichlet(np.ones(4))
_likelihoods4 = _rng.exponential(1.0, size=(30, 4))  # densities, some above 1
_with_zeros = np.array([[0.0, 0.5, 0.2], [0.3, 0.0, 0.0], [0.1, 0.4, 0.6]])


def _posterior_no_prior(class_prior, class_likelihoods):
    lik = np.asarray(class_likelihoods, float)
    return lik / lik.sum(axis=1, keepdims=True)


def _posterior_joint(class_prior, class_likelihoods):
    return np.asarray(class_likelihoods, float) * np.asarray(class_prior, float)


def _posterior_columns(class_prior, class_likelihoods):
    joint = np.asarray(class_likelihoods, float) * np.asarray(class_prior, float)
    return joint / joint.sum(axis=0, keepdims=True)


def _posterior_wrong_evidence(class_prior, class_likelihoods):
    lik = np.asarray(class_likelihoods, float)
    return lik * np.asarray(class_prior, float) / lik.sum(axis=1, keepdims=True)


def _posterior_log_space(class_prior, class_likelihoods):
    with np.errstate(divide="ignore"):
        scores = np.log(np.asarray(class_likelihoods, float)) + np.log(class_prior)
    return scipy.special.softmax(scores, axis=1)


def _posterior_loop(class_prior, class_likelihoods):
    rows = []
    for likelihood in class_likelihoods:
        joint = [p * q for p, q in zip(class_prior, likelihood, strict=True)]
        rows.append([j / sum(joint) for j in joint])
    return np.array(rows)


POSTERIOR_FROM_GENERATIVE = Exercise(
    name="posterior_from_generative",
    reference=ref.posterior_from_generative,
    compare=Array(),
    tests=(
        GradedTest("test_posterior_from_generative", 2, "Bayes' rule, one row of p(y | x) each", (
            Case("the notebook's spam email (prior 0.75 / 0.25)", ([0.75, 0.25], [[0.02, 0.3]])),
            Case("a seeded batch of 30 observations over four classes", (_prior4, _likelihoods4)),
            Case("likelihoods equal across classes (the posterior is the prior)",
                 ([0.2, 0.5, 0.3], [[0.4, 0.4, 0.4], [2.0, 2.0, 2.0]])),
            Case("likelihoods of exactly 0 for some classes", ([0.5, 0.3, 0.2], _with_zeros)),
            Case("densities around 1e-200, as for far-away observations",
                 ([0.6, 0.1, 0.3], 10.0 ** _rng.uniform(-220, -180, size=(8, 3)))),
            Case("a single class, as Python lists", ([1.0], [[0.3], [1.7]])),
        )),
    ),
    mistakes=(
        Mistake("prior ignored",
                "you normalised the likelihoods alone; Bayes' rule weights each p(x | y) by the "
                "prior p(y) before normalising.",
                _posterior_no_prior, book="Q24.2"),
        Mistake("not normalised",
                "you returned the joint p(x | y) p(y); divide each row by its sum, the evidence "
                "p(x), so that it is a distribution over classes.",
                _posterior_joint),
        Mistake("normalised over the wrong axis",
                "each row (one observation) must sum to 1: sum the joint over classes with "
                "axis=1, not over observations.",
                _posterior_columns),
        Mistake("evidence without the prior",
                "the evidence is p(x) = sum_k p(x | k) p(k); you divided by the sum of the "
                "likelihoods alone.",
                _posterior_wrong_evidence),
    ),
    alternatives=(_posterior_log_space,),
    minimal=_posterior_loop,
)

# --- GaussianNaiveBayes: data ------------------------------------------------------


def _blobs(counts, means, sds, labels):
    """Seeded Gaussian classes in shuffled order, with the given labels."""
    X = np.vstack([_rng.normal(m, s, size=(c, len(m)))
                   for c, m, s in zip(counts, means, sds, strict=True)])
    y = np.repeat(labels, counts)
    order = _rng.permutation(y.size)
    return X[order], y[order]


# Three unbalanced classes with labels that are not 0..K-1 and variances far
# from 1 (0.16 to 6.25), so that a standard deviation used as a variance shows.
_THREE = _blobs((60, 36, 24), ([0.0, 0.0], [2.0, 1.0], [-1.0, 3.0]),
                ([0.5, 2.0], [0.6, 1.8], [0.4, 2.5]), [2, 5, 9])
_SCALES = _blobs((30, 20), ([0.0, 0.0, 0.0], [0.02, 1.0, 50.0]), ([0.01, 1.0, 100.0],) * 2, [0, 1])
_SINGLETON = _blobs((1, 5, 6), ([0.0, 0.0], [1.0, 1.0], [3.0, -1.0]), ([1.0, 1.0],) * 3, [1, 2, 3])
# The notebook's toy emails: (exclamation marks, links); 0 = ham, 1 = spam.
_SPAM = (np.array([[0.0, 1.0], [1.0, 0.0], [0.0, 2.0], [2.0, 1.0],
                   [5.0, 6.0], [7.0, 4.0], [6.0, 8.0]]),
         np.array([0, 0, 0, 0, 1, 1, 1]))
_ONE_FEATURE = ([[1.0], [2.0], [2.5], [6.0], [7.5]], [1, 1, 1, 3, 3])
_QUERIES = _rng.normal([0.5, 1.5], [2.0, 3.0], size=(80, 2))
# Far from every class: the joint log-likelihoods are -1e3 to -1e7, so exp()
# underflows to 0 and exponentiate-then-normalise gives 0 / 0 = NaN.
_FAR = np.array([[400.0, -300.0], [-1e3, 1e3], [50.0, 60.0], [0.0, 2e3]])


def _fitted(cls, data, **params):
    X, y = copy.deepcopy(data)
    return cls(**params).fit(X, y)


def _fit_run(data, **params):
    def run(cls):
        model = cls(**params)
        returned = model.fit(*copy.deepcopy(data))
        return {"fit returns self": returned is model,
                **{name: _plain(getattr(model, name))
                   for name in ("classes_", "class_prior_", "theta_", "var_")}}
    return run


def _jll_run(data, X, **params):
    return lambda cls: _plain(_fitted(cls, data, **params).predict_joint_log_likelihood(X.copy()))


def _proba_run(data, X):
    def run(cls):
        model = _fitted(cls, data)
        return {"predict_proba": _plain(model.predict_proba(X.copy())),
                "predict_log_proba": _plain(model.predict_log_proba(X.copy()))}
    return run


def _predict_run(data, X):
    return lambda cls: _plain(_fitted(cls, data).predict(X.copy()))


_PROBA = Record({"predict_proba": Array(atol=1e-12), "predict_log_proba": Array(atol=1e-12)})

# --- GaussianNaiveBayes: sample ----------------------------------------------------


def _sample_parts(result):
    """``(X_new, y_new)`` of a learner's ``sample`` as float arrays."""
    if not isinstance(result, tuple) or len(result) != 2:
        raise TypeError("sample must return a tuple (X_new, y_new)")
    return _plain(result[0]), _plain(result[1])


def _labels(data):
    """The class labels of a training set, as the grader knows them (never as a learner reports them)."""
    return np.unique(np.asarray(data[1]))


def _sample_shapes(data, n_samples):
    def run(cls):
        model = _fitted(cls, data)
        X_new, y_new = _sample_parts(model.sample(n_samples, np.random.default_rng(11)))
        n_features = np.shape(data[0])[1]
        return {"X_new has shape (n_samples, n_features)": X_new.shape == (n_samples, n_features),
                "y_new has shape (n_samples,)": y_new.shape == (n_samples,),
                "every label in y_new is a class of the training data": bool(np.isin(y_new, _labels(data)).all()),
                "X_new holds finite numbers": bool(np.isfinite(X_new).all())}
    return run


def _same(a, b):
    return all(x.shape == y.shape and np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def _sample_seeds(cls):
    model = _fitted(cls, _THREE)
    first = _sample_parts(model.sample(200, np.random.default_rng(7)))
    again = _sample_parts(model.sample(200, np.random.default_rng(7)))
    other = _sample_parts(model.sample(200, np.random.default_rng(8)))
    return {"the same seed gives the same sample": _same(first, again),
            "another seed gives a different sample": not _same(first, other)}


# Statistical check of 20,000 draws from the three-class model (K = 3 classes,
# d = 2 features) against the model that the check's own training data define:
# the classes and priors are those of ``_THREE`` and the means and variances
# those of the reference fit, never what the learner's model reports (a model
# whose ``classes_`` is empty would otherwise pass with nothing to check).  The
# catalogued fit mistakes change a variance by at most 4.3 % (n_k - 1 instead of
# n_k for the class of 24), inside the chi2 bound below, so a fit mistake is
# not charged a second time here.  Each statistic
# is tested with an exact two-sided bound of level ALPHA = 1e-8:
#   * class counts are Binomial(n, prior_k): bounds from scipy.stats.binom;
#   * given its n_k rows, a class's feature mean is exactly N(theta, var / n_k);
#   * given n_k rows, sum((x - mean)^2) / var is exactly chi2(n_k - 1).
# 3 + 6 + 6 = 15 statistics, so by the union bound a correct sampler fails with
# probability below 15e-8 < 1e-6, whatever way it draws from the rng.  The
# mistakes miss by far more: uniform classes put 6,667 draws where 10,000 are
# expected (sd 71), and a standard deviation used as a variance turns a
# variance of 0.25 into 0.0625 (the chi2 bound allows about +-10 %).
_ALPHA = 1e-8
_N_DRAWS = 20_000


_TRUTH = ref.GaussianNaiveBayes().fit(*_THREE)


def _sample_statistics(cls):
    model = _fitted(cls, _THREE)
    X_new, y_new = _sample_parts(model.sample(_N_DRAWS, np.random.default_rng(2026)))
    classes, counts = np.unique(_THREE[1], return_counts=True)
    prior, theta, var = counts / counts.sum(), _TRUTH.theta_, _TRUTH.var_
    z = scipy.stats.norm.isf(_ALPHA / 2)
    frequencies = means = variances = True
    for k, label in enumerate(classes):
        rows = X_new[y_new == label]
        n_k = rows.shape[0]
        low, high = scipy.stats.binom.ppf(_ALPHA / 2, _N_DRAWS, prior[k]), scipy.stats.binom.isf(
            _ALPHA / 2, _N_DRAWS, prior[k])
        frequencies &= bool(low <= n_k <= high)
        if n_k < 2:
            means = variances = False
            continue
        centre = rows.mean(axis=0)
        means &= bool(np.all(np.abs(centre - theta[k]) <= z * np.sqrt(var[k] / n_k)))
        spread = np.sum((rows - centre) ** 2, axis=0) / var[k]
        variances &= bool(np.all((scipy.stats.chi2.ppf(_ALPHA / 2, n_k - 1) <= spread)
                                 & (spread <= scipy.stats.chi2.isf(_ALPHA / 2, n_k - 1))))
    return {"class frequencies agree with the class frequencies of the training data": frequencies,
            "per-class means agree with the fitted class means": means,
            "per-class variances agree with the fitted class variances": variances}


# --- GaussianNaiveBayes: mistakes --------------------------------------------------


class _UnbiasedVariance(ref.GaussianNaiveBayes):
    def fit(self, X, y):
        super().fit(X, y)
        X, y = np.asarray(X, float), np.asarray(y)
        epsilon = self.var_smoothing * np.var(X, axis=0).max()
        self.var_ = np.array([X[y == c].var(axis=0, ddof=1) for c in self.classes_]) + epsilon
        return self


class _PerFeatureSmoothing(ref.GaussianNaiveBayes):
    def fit(self, X, y):
        super().fit(X, y)
        X, y = np.asarray(X, float), np.asarray(y)
        self.var_ = np.array([X[y == c].var(axis=0) for c in self.classes_]) + (
            self.var_smoothing * np.var(X, axis=0))
        return self


class _NoSmoothing(ref.GaussianNaiveBayes):
    def fit(self, X, y):
        super().fit(X, y)
        X, y = np.asarray(X, float), np.asarray(y)
        self.var_ = np.array([X[y == c].var(axis=0) for c in self.classes_])
        return self


class _NoPrior(ref.GaussianNaiveBayes):
    def predict_joint_log_likelihood(self, X):
        return super().predict_joint_log_likelihood(X) - np.log(self.class_prior_)


class _NoNormaliser(ref.GaussianNaiveBayes):
    def predict_joint_log_likelihood(self, X):
        constant = -0.5 * np.sum(np.log(2 * np.pi * self.var_), axis=1)
        return super().predict_joint_log_likelihood(X) - constant


class _WrongAxis(ref.GaussianNaiveBayes):
    def predict_log_proba(self, X):
        joint = self.predict_joint_log_likelihood(X)
        top = joint.max(axis=0, keepdims=True)
        return joint - top - np.log(np.sum(np.exp(joint - top), axis=0, keepdims=True))


class _ExponentiateThenNormalise(ref.GaussianNaiveBayes):
    def predict_proba(self, X):
        joint = np.exp(self.predict_joint_log_likelihood(X))
        return joint / joint.sum(axis=1, keepdims=True)

    def predict_log_proba(self, X):
        return np.log(self.predict_proba(X))


class _GlobalMaxShift(ref.GaussianNaiveBayes):
    def predict_log_proba(self, X):
        shifted = self.predict_joint_log_likelihood(X)
        shifted = shifted - shifted.max()
        return shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))


class _PredictIndex(ref.GaussianNaiveBayes):
    def predict(self, X):
        return np.argmax(self.predict_joint_log_likelihood(X), axis=1)


class _GlobalRandom(ref.GaussianNaiveBayes):
    def sample(self, n_samples, rng):
        index = np.random.choice(self.classes_.size, size=n_samples, p=self.class_prior_)
        return np.random.normal(self.theta_[index], np.sqrt(self.var_[index])), self.classes_[index]


class _IndexLabels(ref.GaussianNaiveBayes):
    def sample(self, n_samples, rng):
        X_new, y_new = super().sample(n_samples, rng)
        return X_new, np.searchsorted(self.classes_, y_new)


class _UniformClasses(ref.GaussianNaiveBayes):
    def sample(self, n_samples, rng):
        index = rng.integers(0, self.classes_.size, size=n_samples)
        return rng.normal(self.theta_[index], np.sqrt(self.var_[index])), self.classes_[index]


class _StdAsVariance(ref.GaussianNaiveBayes):
    def sample(self, n_samples, rng):
        index = rng.choice(self.classes_.size, size=n_samples, p=self.class_prior_)
        return rng.normal(self.theta_[index], self.var_[index]), self.classes_[index]


# --- GaussianNaiveBayes: correct alternatives --------------------------------------


class _LoopingNaiveBayes:
    """Per-class loops, scipy.stats log-densities and scipy.special.logsumexp."""

    def __init__(self, var_smoothing=1e-9):
        self.var_smoothing = var_smoothing

    def fit(self, X, y):
        X, y = np.asarray(X, float), np.asarray(y)
        self.classes_ = np.array(sorted(set(y.tolist())))
        epsilon = self.var_smoothing * max(np.var(X, axis=0))
        priors, means, variances = [], [], []
        for label in self.classes_:
            rows = X[y == label]
            priors.append(len(rows) / len(X))
            means.append(rows.mean(axis=0))
            variances.append(((rows - rows.mean(axis=0)) ** 2).mean(axis=0) + epsilon)
        self.class_prior_, self.theta_, self.var_ = map(np.array, (priors, means, variances))
        return self

    def predict_joint_log_likelihood(self, X):
        X = np.asarray(X, float)
        return np.column_stack([
            np.log(p) + scipy.stats.norm.logpdf(X, loc=m, scale=np.sqrt(v)).sum(axis=1)
            for p, m, v in zip(self.class_prior_, self.theta_, self.var_, strict=True)])

    def predict_log_proba(self, X):
        joint = self.predict_joint_log_likelihood(X)
        return joint - scipy.special.logsumexp(joint, axis=1, keepdims=True)

    def predict_proba(self, X):
        return scipy.special.softmax(self.predict_joint_log_likelihood(X), axis=1)

    def predict(self, X):
        return self.classes_[self.predict_joint_log_likelihood(X).argmax(axis=1)]

    def sample(self, n_samples, rng):
        y_new = rng.choice(self.classes_, size=n_samples, p=self.class_prior_)
        rows = np.searchsorted(self.classes_, y_new)
        return rng.normal(self.theta_[rows], np.sqrt(self.var_[rows])), y_new


class _SklearnBackedNaiveBayes:
    """Delegates to scikit-learn's GaussianNB; samples class by class, then shuffles."""

    def __init__(self, var_smoothing=1e-9):
        self.var_smoothing = var_smoothing

    def fit(self, X, y):
        self.model_ = GaussianNB(var_smoothing=self.var_smoothing).fit(X, y)
        for name in ("classes_", "class_prior_", "theta_", "var_"):
            setattr(self, name, getattr(self.model_, name))
        return self

    def predict_joint_log_likelihood(self, X):
        return self.model_.predict_joint_log_proba(X)

    def predict_log_proba(self, X):
        return self.model_.predict_log_proba(X)

    def predict_proba(self, X):
        return self.model_.predict_proba(X)

    def predict(self, X):
        return self.model_.predict(X)

    def sample(self, n_samples, rng):
        counts = rng.multinomial(n_samples, self.class_prior_)
        X_new = np.vstack([rng.normal(m, np.sqrt(v), size=(c, m.size))
                           for m, v, c in zip(self.theta_, self.var_, counts, strict=True)])
        order = rng.permutation(n_samples)
        return X_new[order], np.repeat(self.classes_, counts)[order]


_RETURNS_SELF = Holds({None: "is not the estimator itself: fit must end with `return self`"})
_FIT_COMPARE = Record({"fit returns self": _RETURNS_SELF, "classes_": Array(), "class_prior_": Array(),
                       "theta_": Array(), "var_": Array(atol=1e-12)})

_NEW_EMAILS = np.array([[1.0, 1.0], [3.0, 4.0], [6.0, 2.0]])

_FIT_TESTS = (
    Case("the notebook's seven spam/ham emails", run=_fit_run(_SPAM), compare=_FIT_COMPARE),
    Case("a seeded data set of three unbalanced classes labelled 2, 5 and 9",
         run=_fit_run(_THREE), compare=_FIT_COMPARE),
    Case("features on scales from 0.01 to 100 with var_smoothing = 0.1",
         run=_fit_run(_SCALES, var_smoothing=0.1), compare=_FIT_COMPARE),
    Case("a class with a single example", run=_fit_run(_SINGLETON), compare=_FIT_COMPARE),
    Case("one feature, given as Python lists", run=_fit_run(_ONE_FEATURE), compare=_FIT_COMPARE),
)
_JOINT_TESTS = (
    Case("80 seeded points under the three-class model", run=_jll_run(_THREE, _QUERIES)),
    Case("the notebook's spam/ham model at its training emails", run=_jll_run(_SPAM, _SPAM[0])),
    Case("20 points under the model with var_smoothing = 0.1 and scales 0.01 to 100",
         run=_jll_run(_SCALES, _SCALES[0][:20], var_smoothing=0.1)),
)
_PROBA_TESTS = (
    Case("80 seeded points under the three-class model", run=_proba_run(_THREE, _QUERIES),
         compare=_PROBA),
    Case("the notebook's spam/ham model at new emails", run=_proba_run(_SPAM, _NEW_EMAILS),
         compare=_PROBA),
    Case("a model with a single-example class", run=_proba_run(_SINGLETON, _QUERIES[:10]),
         compare=_PROBA),
)
_PREDICT_TESTS = (
    Case("80 seeded points under the three-class model labelled 2, 5 and 9",
         run=_predict_run(_THREE, _QUERIES)),
    Case("the notebook's spam/ham model at its training emails",
         run=_predict_run(_SPAM, _SPAM[0])),
)
_FAR_TESTS = (
    Case("a mix of ordinary points and points hundreds of standard deviations away",
         run=_proba_run(_THREE, np.vstack([_QUERIES[:5], _FAR])), compare=_PROBA),
    Case("a single point hundreds of standard deviations away",
         run=_proba_run(_THREE, _FAR[:1]), compare=_PROBA),
    Case("far-away points only", run=_proba_run(_SPAM, _FAR * 10), compare=_PROBA),
)
_SAMPLE_TESTS = (
    Case("the shapes and labels of 500 draws from the three-class model",
         run=_sample_shapes(_THREE, 500), compare=Holds()),
    Case("the shapes and labels of a single draw from the spam/ham model",
         run=_sample_shapes(_SPAM, 1), compare=Holds()),
    Case("two samples with the same seed and one with another seed", run=_sample_seeds,
         compare=Holds()),
)

GAUSSIAN_NAIVE_BAYES = Exercise(
    name="GaussianNaiveBayes",
    reference=ref.GaussianNaiveBayes,
    compare=Array(),
    tests=(
        GradedTest("test_GaussianNaiveBayes_fit", 2, "fitted attributes equal GaussianNB's",
                   _FIT_TESTS),
        GradedTest("test_GaussianNaiveBayes_joint_log_likelihood", 1,
                   "log p(x, y) for every class", _JOINT_TESTS),
        GradedTest("test_GaussianNaiveBayes_predict_proba", 2,
                   "p(y | x) and log p(y | x) equal GaussianNB's", _PROBA_TESTS),
        GradedTest("test_GaussianNaiveBayes_predict", 1, "labels from classes_", _PREDICT_TESTS),
        GradedTest("test_GaussianNaiveBayes_far_points", 2,
                   "finite probabilities far from every class", _FAR_TESTS),
        GradedTest("test_GaussianNaiveBayes_sample", 2,
                   "shapes, labels and reproducibility from a seed", _SAMPLE_TESTS),
        GradedTest("test_GaussianNaiveBayes_sample_distribution", 2,
                   "sample frequencies, means and variances match the fitted model", (
                       Case("20,000 draws from the three-class model", run=_sample_statistics,
                            compare=Holds()),
                   )),
    ),
    mistakes=(
        Mistake("unbiased variance",
                "var_ divides by the class size n_k (ddof=0, the maximum-likelihood estimate that "
                "GaussianNB uses), not by n_k - 1.",
                _UnbiasedVariance),
        Mistake("smoothing per feature",
                "var_smoothing scales the largest variance of any feature over all of X (one "
                "number, epsilon) that is added to every entry of var_; you scaled each feature's "
                "own variance.",
                _PerFeatureSmoothing),
        Mistake("smoothing left out",
                "add epsilon = var_smoothing * (largest variance of any feature over all of X) to "
                "every entry of var_, as GaussianNB does, so that no variance is 0.",
                _NoSmoothing),
        Mistake("prior left out",
                "log p(x, y) = log p(y) + log p(x | y): add log(class_prior_) to each class's "
                "log-likelihood.",
                _NoPrior),
        Mistake("normalising constant dropped",
                "each normal log-density includes -0.5 log(2 pi var); classes with different "
                "variances need it to be compared fairly.",
                _NoNormaliser),
        Mistake("normalised over the wrong axis",
                "each row (one point) of p(y | x) must sum to 1: take the log-sum-exp over "
                "classes, axis=1.",
                _WrongAxis),
        Mistake("exponentiate then normalise",
                "far from every class exp(log p(x, y)) underflows to 0 for all classes and 0 / 0 "
                "is NaN; subtract each row's maximum before exponentiating (log-sum-exp).",
                _ExponentiateThenNormalise),
        Mistake("one shift for all rows",
                "you subtracted the largest value of the whole matrix, so a point far from every "
                "class still underflows; subtract each row's own maximum "
                "(max(axis=1, keepdims=True)).",
                _GlobalMaxShift),
        Mistake("predict returns indices",
                "argmax gives a class index; return the labels classes_[index].",
                _PredictIndex),
        Mistake("global random state",
                "draw every random number from the `rng` argument (rng.choice, rng.normal), not "
                "from np.random, so that a seed reproduces the sample.",
                _GlobalRandom),
        Mistake("sample returns indices",
                "y_new must hold labels from classes_, not class indices 0..K-1.",
                _IndexLabels),
        Mistake("classes drawn uniformly",
                "draw each label with the probabilities class_prior_ "
                "(rng.choice(K, p=class_prior_)): the joint p(x, y) starts from p(y).",
                _UniformClasses),
        Mistake("variance used as standard deviation",
                "rng.normal takes a standard deviation as its scale; pass np.sqrt(var_), not var_.",
                _StdAsVariance),
    ),
    alternatives=(_SklearnBackedNaiveBayes,),
    minimal=_LoopingNaiveBayes,
)

EXERCISES = (POSTERIOR_FROM_GENERATIVE, GAUSSIAN_NAIVE_BAYES)
