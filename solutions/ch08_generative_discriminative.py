"""Reference solutions for ``ch08_generative_discriminative`` (book chapter 8, questions 24-25).

Each function body (and each method body of the class) is copied verbatim into
the source notebook's solution regions, so it may only use NumPy (imported as
``np``), the validation helpers imported below and the other definitions of
this module.
"""

import numpy as np

from solutions.ch08_generative_discriminative_checks import as_matrix
from solutions.validation import as_float_array


def posterior_from_generative(class_prior, class_likelihoods):
    """Class posteriors ``p(y | x)`` from a prior and class-conditional likelihoods (Bayes' rule).

    ``p(y = k | x) = p(x | k) p(k) / sum_j p(x | j) p(j)``: multiply each
    likelihood by its class's prior to get the joint ``p(x, y)``, then divide
    by the row total, the evidence ``p(x)``.

    Parameters
    ----------
    class_prior : array_like, shape (K,)
        Prior class probabilities ``p(y)``, non-negative and summing to 1.
    class_likelihoods : array_like, shape (n, K)
        ``p(x_i | y = k)`` for each observation ``i`` and class ``k``
        (probabilities or densities, non-negative).

    Returns
    -------
    numpy.ndarray, shape (n, K)
        Posterior class probabilities; every row sums to 1.

    Examples
    --------
    >>> posterior_from_generative([0.75, 0.25], [[0.02, 0.3]])
    array([[0.16666667, 0.83333333]])
    """
    prior = as_float_array(class_prior, "class_prior")
    if prior.ndim != 1 or prior.size == 0:
        raise ValueError(f"`class_prior` must be a non-empty 1-D array; got shape {prior.shape}")
    if np.any(prior < 0) or not np.isclose(prior.sum(), 1.0):
        raise ValueError(
            f"`class_prior` must be non-negative and sum to 1; got min={prior.min():.3g}, "
            f"sum={prior.sum():.6g}")
    likelihoods = as_matrix(class_likelihoods, "class_likelihoods", n_columns=prior.size)
    if np.any(likelihoods < 0):
        raise ValueError("`class_likelihoods` must be non-negative (probabilities or densities)")
    joint = likelihoods * prior  # p(x, y) = p(x | y) p(y), broadcast over rows
    evidence = joint.sum(axis=1, keepdims=True)  # p(x) = sum over classes of p(x, y)
    if np.any(evidence == 0):
        raise ValueError(
            "a row of `class_likelihoods` gives probability 0 under every class with positive "
            "prior, so p(y | x) is undefined for it")
    return joint / evidence


class GaussianNaiveBayes:
    """Gaussian naive Bayes from scratch: the model of scikit-learn's ``GaussianNB``.

    A generative classifier.  Each class ``k`` has a prior ``class_prior_[k]``
    and, given the class, the features are independent normals with means
    ``theta_[k]`` and variances ``var_[k]``.  Prediction applies Bayes' rule in
    log space; ``sample`` draws new labelled data from the fitted ``p(x, y)``.

    Parameters
    ----------
    var_smoothing : float, default 1e-9
        Fraction of the largest feature variance (over all of ``X``) added to
        every variance, so that no variance is 0.

    Attributes
    ----------
    classes_ : numpy.ndarray, shape (K,)
        The sorted distinct labels seen in ``fit``.
    class_prior_ : numpy.ndarray, shape (K,)
        Fraction of training rows in each class.
    theta_ : numpy.ndarray, shape (K, d)
        Per-class feature means.
    var_ : numpy.ndarray, shape (K, d)
        Per-class feature variances (dividing by the class size) plus the smoothing.

    Examples
    --------
    >>> X = [[1.0, 2.0], [1.2, 1.8], [3.0, 4.0], [3.2, 4.4]]
    >>> model = GaussianNaiveBayes().fit(X, ["ham", "ham", "spam", "spam"])
    >>> model.theta_
    array([[1.1, 1.9],
           [3.1, 4.2]])
    >>> model.predict([[1.1, 2.1], [2.9, 4.5]])
    array(['ham', 'spam'], dtype='<U4')
    >>> X_new, y_new = model.sample(5, np.random.default_rng(0))
    >>> X_new.shape, y_new.shape
    ((5, 2), (5,))
    """

    def __init__(self, var_smoothing=1e-9):
        """Store the smoothing fraction; all learning happens in ``fit``."""
        self.var_smoothing = var_smoothing

    def fit(self, X, y):
        """Estimate the class priors and per-class means and variances; return ``self``.

        These are the maximum-likelihood estimates: class frequencies, class
        means, and class variances dividing by the class size (ddof=0).
        """
        X = as_matrix(X, "X")
        y = np.asarray(y)
        if y.shape != (X.shape[0],):
            raise ValueError(
                f"`y` must hold one label per row of `X`, shape ({X.shape[0]},); got {y.shape}")
        if not float(self.var_smoothing) >= 0:
            raise ValueError(f"`var_smoothing` must be non-negative; got {self.var_smoothing!r}")
        self.classes_, index = np.unique(y, return_inverse=True)
        members = [X[index == k] for k in range(self.classes_.size)]
        self.class_prior_ = np.bincount(index) / y.size
        self.theta_ = np.array([rows.mean(axis=0) for rows in members])
        epsilon = self.var_smoothing * np.var(X, axis=0).max()
        self.var_ = np.array([rows.var(axis=0) for rows in members]) + epsilon
        if np.any(self.var_ == 0):
            raise ValueError(
                "a feature has zero variance within a class and nothing smooths it; "
                "use `var_smoothing` > 0 and at least one non-constant feature")
        return self

    def predict_joint_log_likelihood(self, X):
        """``log p(x, y = k) = log p(k) + sum_j log N(x_j; theta_kj, var_kj)``, shape (n, K)."""
        if not hasattr(self, "theta_"):
            raise ValueError("this GaussianNaiveBayes is not fitted yet; call fit(X, y) first")
        X = as_matrix(X, "X", n_columns=self.theta_.shape[1])
        log_normaliser = -0.5 * np.sum(np.log(2 * np.pi * self.var_), axis=1)  # shape (K,)
        squares = (X[:, np.newaxis, :] - self.theta_) ** 2 / self.var_  # shape (n, K, d)
        return np.log(self.class_prior_) + log_normaliser - 0.5 * squares.sum(axis=2)

    def predict_log_proba(self, X):
        """``log p(y | x)``, normalised with log-sum-exp so far-away points stay finite."""
        joint = self.predict_joint_log_likelihood(X)
        # Shift each row by its own maximum before exponentiating: the largest
        # term becomes exp(0) = 1, so the sum can neither underflow to 0 nor overflow.
        top = joint.max(axis=1, keepdims=True)
        log_evidence = top + np.log(np.sum(np.exp(joint - top), axis=1, keepdims=True))
        return joint - log_evidence

    def predict_proba(self, X):
        """``p(y | x)``, shape (n, K); rows sum to 1."""
        return np.exp(self.predict_log_proba(X))

    def predict(self, X):
        """The most probable class of each row, as labels taken from ``classes_``."""
        return self.classes_[np.argmax(self.predict_joint_log_likelihood(X), axis=1)]

    def sample(self, n_samples, rng):
        """Draw ``(X_new, y_new)`` from the fitted joint distribution ``p(x, y) = p(y) p(x | y)``.

        All randomness comes from ``rng`` (a ``numpy.random.Generator``), so
        the same seed gives the same sample.
        """
        if not hasattr(self, "theta_"):
            raise ValueError("this GaussianNaiveBayes is not fitted yet; call fit(X, y) first")
        if not isinstance(n_samples, int | np.integer) or n_samples < 1:
            raise ValueError(f"`n_samples` must be a positive integer; got {n_samples!r}")
        if not isinstance(rng, np.random.Generator):
            raise ValueError(
                "`rng` must be a numpy.random.Generator, e.g. np.random.default_rng(0)")
        index = rng.choice(self.classes_.size, size=n_samples, p=self.class_prior_)  # y ~ p(y)
        noise = rng.standard_normal((n_samples, self.theta_.shape[1]))
        X_new = self.theta_[index] + np.sqrt(self.var_[index]) * noise  # x ~ p(x | y)
        return X_new, self.classes_[index]
