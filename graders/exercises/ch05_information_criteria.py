"""Hidden checks for ``ch05_information_criteria`` (book chapter 5, questions 18-19).

Tolerances: the closed-form criteria agree with the reference to rounding
(about 1e-15 relative), so they keep the default ``rtol=1e-9``.  Quantities
that go through a least-squares fit get looser tolerances, chosen so that a
correct solver of any style (``polyfit``, ``lstsq`` on a Vandermonde matrix,
normal equations) passes; the reason is next to each one.  Measured: the
alternatives below agree with the reference to 5e-14 relative, and every
catalogued mistake is off by at least 1e-4 relative on some case.
"""

from dataclasses import dataclass

import numpy as np

from graders.compare import Array, Integer, Record, Scalar
from graders.engine import Case, Exercise, GradedTest, Mistake
from solutions import ch05_information_criteria as ref

_rng = np.random.default_rng(20260305)


def _noisy_polynomial(n, coef, noise, low=-3.0, high=3.0):
    """Seeded ``(x, y)`` with ``y = sum coef[j] x**j + N(0, noise**2)``."""
    x = _rng.uniform(low, high, n)
    return x, np.polynomial.polynomial.polyval(x, coef) + _rng.normal(0, noise, n)


def _book_data(n, coef, noise_sd):
    """The data of the book's listings: ``x`` evenly spaced on [-3, 3], noise from seed 0."""
    x = np.linspace(-3, 3, n)
    noise = np.random.default_rng(0).normal(0, noise_sd, n)
    return x, np.polynomial.polynomial.polyval(x, coef) + noise


_LISTING_5_1 = _book_data(80, [1.5, 2.0, -0.8], 2.0)
_LISTING_5_2 = _book_data(120, [1.0, 2.0, -1.5, 0.4], 3.0)


def _fit_rss(x, y, degree):
    """Residual sum of squares of a least-squares polynomial fit."""
    coef = np.polynomial.polynomial.polyfit(x, y, degree)
    return float(np.sum((y - np.polynomial.polynomial.polyval(x, coef)) ** 2))


def _lstsq_predict(x_fit, y_fit, x_new, n_columns):
    """Least-squares fit on ``n_columns`` ascending powers, predicted at ``x_new``."""
    coef = np.linalg.lstsq(np.vander(x_fit, n_columns, increasing=True), y_fit, rcond=None)[0]
    return np.vander(x_new, n_columns, increasing=True) @ coef


# --- gaussian_log_likelihood_from_rss -----------------------------------------


# Correct and unvalidated (the stubs of this chapter list no Raises section).
def _plain_log_likelihood_from_rss(rss, n):
    return float(-n / 2 * (np.log(2 * np.pi * rss / n) + 1))


def _plain_aic(log_likelihood, k):
    return float(2 * k - 2 * log_likelihood)


def _plain_bic(log_likelihood, k, n):
    return float(k * np.log(n) - 2 * log_likelihood)


def _plain_select_degree(degrees, scores):
    best = None
    for degree, score in zip(degrees, scores, strict=True):
        if best is None or (score, degree) < best:
            best = (score, degree)
    return int(best[1])


def _ll(rss, n, variance_divisor=None, plus_one=1.0, half=0.5):
    """The maximised log-likelihood with knobs that reproduce the usual slips."""
    variance = rss / (n if variance_divisor is None else variance_divisor)
    with np.errstate(divide="ignore"):
        return float(-half * n * (np.log(2 * np.pi * variance) + plus_one))


GAUSSIAN_LOG_LIKELIHOOD_FROM_RSS = Exercise(
    name="gaussian_log_likelihood_from_rss",
    reference=ref.gaussian_log_likelihood_from_rss,
    # log-likelihoods can cross zero, where a relative tolerance means nothing;
    # atol=1e-9 is still far below any catalogued mistake (at least 0.07 off).
    compare=Scalar(rtol=1e-9, atol=1e-9),
    tests=(
        GradedTest("test_gaussian_log_likelihood_from_rss", 2, "-n/2 (log(2 pi rss/n) + 1)", (
            Case("a residual sum of squares of 10 over 4 observations", (10.0, 4)),
            Case("the residuals of a quadratic fit to the book's listing 5.1 data",
                 (_fit_rss(*_LISTING_5_1, 2), 80)),
            *(Case(f"seeded random residual sum of squares and sample size, draw {i + 1}",
                   (float(_rng.uniform(1, 1000)), int(_rng.integers(5, 500)))) for i in range(3)),
            Case("a tiny residual sum of squares (a near-perfect fit)", (1e-8, 30)),
            Case("a sample size given as a NumPy integer", (250.0, np.int64(60))),
        )),
    ),
    mistakes=(
        Mistake("no + 1 term",
                "with sigma^2 = rss / n the squared-error term of the log-density is "
                "rss / (2 sigma^2) = n / 2; it adds the + 1 inside -n/2 (log(2 pi rss/n) + 1).",
                lambda rss, n: _ll(rss, n, plus_one=0.0)),
        Mistake("rss not divided by n",
                "the maximum-likelihood noise variance is rss / n, the mean squared residual, "
                "not the sum rss.",
                lambda rss, n: _ll(rss, n, variance_divisor=1)),
        Mistake("unbiased variance",
                "you estimated sigma^2 with rss / (n - 1); the maximised likelihood uses the "
                "maximum-likelihood estimate rss / n.",
                lambda rss, n: _ll(rss, n, variance_divisor=n - 1)),
        Mistake("missing factor 1/2",
                "the log-likelihood is -n/2 (...), not -n (...): each normal log-density has "
                "-1/2 log(2 pi sigma^2).",
                lambda rss, n: _ll(rss, n, half=1.0)),
        Mistake("standard deviation in the log",
                "the normal constant is log(2 pi sigma^2) with the variance sigma^2 = rss / n; "
                "you used its square root.",
                lambda rss, n: float(-n / 2 * (np.log(2 * np.pi * np.sqrt(rss / n)) + 1))),
    ),
    alternatives=(
        lambda rss, n: float(-0.5 * n * np.log(2 * np.pi) - 0.5 * n * np.log(rss / n) - 0.5 * n),
        lambda rss, n: float(np.sum(np.full(int(n), -0.5 * (np.log(2 * np.pi * rss / n) + 1)))),
    ),
    minimal=_plain_log_likelihood_from_rss,
)

# --- aic / bic ------------------------------------------------------------------

_BOOK_A, _BOOK_B = (-120.0, 3), (-115.0, 6)
_aic_cases = (
    Case("the book's model A (log L = -120, k = 3)", _BOOK_A),
    Case("the book's model B (log L = -115, k = 6)", _BOOK_B),
    Case("a positive log-likelihood (densities above 1)", (35.2, 4)),
    Case("a model with no estimated parameters (k = 0)", (-10.5, 0)),
    Case("k given as a NumPy integer", (-48.25, np.int64(5))),
    *(Case(f"a seeded random log-likelihood and k, draw {i + 1}",
           (float(_rng.uniform(-500, 50)), int(_rng.integers(1, 20)))) for i in range(3)),
)

AIC = Exercise(
    name="aic",
    reference=ref.aic,
    compare=Scalar(),
    tests=(GradedTest("test_aic", 1, "2k - 2 log L", _aic_cases),),
    mistakes=(
        Mistake("penalty k instead of 2k", "AIC charges 2 per parameter: 2k - 2 log L.",
                lambda ll, k: float(k - 2 * ll)),
        Mistake("sign of log L flipped",
                "the fit term is -2 log L, so a higher likelihood lowers AIC.",
                lambda ll, k: float(2 * k + 2 * ll)),
        Mistake("log L not doubled", "AIC doubles the log-likelihood: 2k - 2 log L.",
                lambda ll, k: float(2 * k - ll)),
        Mistake("no penalty", "you returned -2 log L alone; AIC adds 2k to charge for complexity.",
                lambda ll, k: float(-2 * ll)),
    ),
    alternatives=(
        lambda ll, k: -2.0 * (ll - k),
        lambda ll, k: float(np.dot([2, -2], [k, ll])),
    ),
    minimal=_plain_aic,
)

_bic_cases = (
    Case("the book's model A (log L = -120, k = 3, n = 50)", (*_BOOK_A, 50)),
    Case("the book's model B (log L = -115, k = 6, n = 50)", (*_BOOK_B, 50)),
    Case("a positive log-likelihood with n = 200", (35.2, 4, 200)),
    Case("a model with no estimated parameters (k = 0)", (-10.5, 0, 30)),
    Case("a single observation (log n = 0)", (-1.2, 2, 1)),
    Case("k and n given as NumPy integers", (-48.25, np.int64(5), np.int64(90))),
    *(Case(f"a seeded random log-likelihood, k and n, draw {i + 1}",
           (float(_rng.uniform(-500, 50)), int(_rng.integers(1, 20)), int(_rng.integers(20, 5000))))
      for i in range(3)),
)

BIC = Exercise(
    name="bic",
    reference=ref.bic,
    compare=Scalar(),
    tests=(GradedTest("test_bic", 1, "k log n - 2 log L", _bic_cases),),
    mistakes=(
        Mistake("log n rounded",
                "the book rounds log 50 to 3.91 for hand arithmetic; compute np.log(n) exactly "
                "(model B's BIC is 253.47, not 253.46).",
                lambda ll, k, n: float(k * round(np.log(n), 2) - 2 * ll)),
        Mistake("AIC penalty",
                "you charged 2 per parameter (that is AIC); BIC charges log n per parameter.",
                lambda ll, k, n: float(2 * k - 2 * ll)),
        Mistake("log base 10", "use the natural logarithm np.log(n) in the penalty k log n.",
                lambda ll, k, n: float(k * np.log10(n) - 2 * ll)),
        Mistake("k and n swapped",
                "the penalty is k log n: the number of parameters times the log of the number "
                "of observations.",
                lambda ll, k, n: _swapped_bic(ll, k, n)),
        Mistake("sign of log L flipped",
                "the fit term is -2 log L, so a higher likelihood lowers BIC.",
                lambda ll, k, n: float(k * np.log(n) + 2 * ll)),
    ),
    alternatives=(
        lambda ll, k, n: float(np.log(float(n) ** k) - 2 * ll),
        lambda ll, k, n: ref.aic(ll, k) + k * (np.log(n) - 2),
    ),
    minimal=_plain_bic,
)


def _swapped_bic(ll, k, n):
    with np.errstate(divide="ignore"):
        return float(n * np.log(k) - 2 * ll)


# --- polynomial_information_criteria ----------------------------------------------

def _table(x, y, degrees, *, k_extra=1, fit_extra=1, variance_dof=False, order=None):
    """The per-degree table with knobs that reproduce the usual slips.

    ``k_extra``: k = degree + k_extra; ``fit_extra``: the fit uses degree +
    fit_extra columns; ``variance_dof``: plug sigma^2 = rss / (n - k) into the
    full log-density; ``order``: reorder the degrees (e.g. ``sorted``).
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    degs = np.asarray(order(degrees) if order else degrees, dtype=int)
    n, k = x.size, degs + k_extra
    rss = np.array([np.sum((y - _lstsq_predict(x, y, x, d + fit_extra)) ** 2) for d in degs])
    if variance_dof:
        variance = rss / (n - (degs + 1))
        ll = -n / 2 * np.log(2 * np.pi * variance) - rss / (2 * variance)
    else:
        ll = -n / 2 * (np.log(2 * np.pi * rss / n) + 1)
    return {"degree": degs, "k": k, "log_likelihood": ll,
            "aic": 2 * k - 2 * ll, "bic": k * np.log(n) - 2 * ll}


def _table_normal_equations(x, y, degrees):
    """Alternative: normal equations and a loop that builds lists, converted at the end."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    n, rows = len(x), []
    for degree in degrees:
        design = np.column_stack([x**j for j in range(degree + 1)])
        coef = np.linalg.solve(design.T @ design, design.T @ y)
        rss = float(np.sum((y - design @ coef) ** 2))
        ll = _plain_log_likelihood_from_rss(rss, n)
        rows.append((degree, degree + 1, ll, _plain_aic(ll, degree + 1), _plain_bic(ll, degree + 1, n)))
    columns = map(np.array, zip(*rows, strict=True))
    return dict(zip(["degree", "k", "log_likelihood", "aic", "bic"], columns, strict=True))


def _table_np_polyfit(x, y, degrees):
    """Alternative: np.polyfit (descending powers) and vectorised criteria."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    degs = np.array(degrees)
    rss = np.array([np.sum((np.polyval(np.polyfit(x, y, d), x) - y) ** 2) for d in degs])
    ll = -0.5 * len(x) * (np.log(2 * np.pi) + np.log(rss / len(x)) + 1)
    return {"degree": degs, "k": degs + 1, "log_likelihood": ll,
            "aic": 2 * (degs + 1) - 2 * ll, "bic": (degs + 1) * np.log(len(x)) - 2 * ll}


_cubic = _noisy_polynomial(40, [0.5, -1.0, 0.3, 0.25], 1.0)
_short = _noisy_polynomial(12, [1.0, 2.0], 0.5, low=-1.0, high=1.0)

POLYNOMIAL_INFORMATION_CRITERIA = Exercise(
    name="polynomial_information_criteria",
    reference=ref.polynomial_information_criteria,
    # The residual sum of squares is stationary in the coefficients, so a solver
    # error delta in them moves it only by delta' X'X delta (the normal-equations
    # alternative agrees to 1e-15 here); rtol=1e-8 passes every solver style by
    # orders of magnitude, while every mistake is off by more than 0.1 relative.
    compare=Record({"degree": Array(), "k": Array(), "log_likelihood": Array(rtol=1e-8),
                    "aic": Array(rtol=1e-8), "bic": Array(rtol=1e-8)}),
    tests=(
        GradedTest("test_polynomial_information_criteria", 3,
                   "log-likelihood, AIC and BIC per degree", (
            Case("the book's listing 5.1 data (80 points, quadratic truth), degrees 1 to 6",
                 (*_LISTING_5_1, list(range(1, 7)))),
            Case("a seeded noisy cubic on 40 points, degrees 0 to 5",
                 (*_cubic, [0, 1, 2, 3, 4, 5])),
            Case("the same cubic with the degrees out of order (4, 1, 3)", (*_cubic, [4, 1, 3])),
            Case("a single degree (2)", (*_cubic, [2])),
            Case("a seeded noisy line on 12 points, degrees 0, 3 and 6 as a NumPy array",
                 (*_short, np.array([0, 3, 6]))),
        )),
    ),
    mistakes=(
        Mistake("k counts the noise variance",
                "k is the number of polynomial coefficients, degree + 1, as in statsmodels OLS; "
                "you also counted sigma^2 (some texts do, but this contract does not).",
                lambda x, y, degrees: _table(x, y, degrees, k_extra=2)),
        Mistake("k = degree",
                "a polynomial of degree d has d + 1 coefficients (the intercept counts): "
                "k = degree + 1.",
                lambda x, y, degrees: _table(x, y, degrees, k_extra=0)),
        Mistake("unbiased noise variance",
                "the maximised log-likelihood uses sigma^2 = rss / n; with rss / (n - k) it is "
                "not the maximum.",
                lambda x, y, degrees: _table(x, y, degrees, variance_dof=True)),
        Mistake("fits degree - 1",
                "np.vander(x, degree) has only `degree` columns, a polynomial of degree - 1; a "
                "degree-d fit needs d + 1 columns.",
                lambda x, y, degrees: _table(x, y, degrees, fit_extra=0)),
        Mistake("sorted the degrees",
                "return one entry per degree in the order the degrees were given.",
                lambda x, y, degrees: _table(x, y, degrees, order=sorted)),
    ),
    alternatives=(_table_np_polyfit,),
    minimal=_table_normal_equations,
)

# --- kfold_indices ----------------------------------------------------------------


@dataclass(frozen=True)
class FoldSets:
    """Compare folds as sets: fold ``i`` must hold the same indices, in any order.

    ``got`` is what :func:`_fold_sets` made of the learner's return: a tuple
    of sorted float arrays, or a sentence saying why it could not be read.
    ``part`` ("train" or "test") names the indices in messages.
    """

    part: str

    def compare(self, got, expected):
        """None if every fold holds the expected indices, else a message."""
        if isinstance(got, str):
            return got
        if len(got) != len(expected):
            return f"returned {len(got)} folds; expected {len(expected)}"
        for i, (indices, want) in enumerate(zip(got, expected, strict=True)):
            if indices.shape != want.shape:
                return f"fold {i} has {indices.size} {self.part} indices; expected {want.size}"
            wrong = np.setdiff1d(want, indices).size
            if wrong:
                return (f"{wrong} of the {want.size} {self.part} indices of fold {i} "
                        "are not the expected ones")
        return None


def _fold_sets(folds, position):
    """Order-free plain form of ``kfold_indices`` output: a sorted array per fold, or why not."""
    if not isinstance(folds, list | tuple):
        return (f"returned a {type(folds).__name__}; "
                "expected a list of (train_idx, test_idx) pairs")
    plain = []
    for i, pair in enumerate(folds):
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            return f"fold {i} is not a (train_idx, test_idx) pair"
        indices = np.asarray(pair[position])
        if indices.ndim != 1 or not np.issubdtype(indices.dtype, np.integer):
            return (f"fold {i}'s {('train', 'test')[position]} indices are a {indices.dtype} "
                    f"array of shape {indices.shape}; expected a 1-D array of integers")
        plain.append(np.sort(indices).astype(float))
    return tuple(plain)


def _kfold_case(label, n, n_splits, seed, part):
    """Call with a fresh generator from ``seed``; compare the ``part`` ("train" or "test")."""
    position = ("train", "test").index(part)

    def run(fn):
        return _fold_sets(fn(n, n_splits, np.random.default_rng(seed)), position)

    return Case(label, run=run, compare=FoldSets(part))


_KFOLD_SETTINGS = (
    ("20 examples in 5 equal folds", 20, 5, 11),
    ("23 examples in 5 folds (sizes 5, 5, 5, 4, 4)", 23, 5, 12),
    ("leave-one-out on 7 examples", 7, 7, 13),
    ("10 examples in 2 folds", 10, 2, 14),
    ("101 examples in 10 folds", 101, 10, 15),
)


def _kfold_no_shuffle(n, n_splits, rng):
    folds = np.array_split(np.arange(n), n_splits)
    return [(np.setdiff1d(np.arange(n), test), test) for test in folds]


def _kfold_own_generator(n, n_splits, rng):
    return ref.kfold_indices(n, n_splits, np.random.default_rng(0))


def _kfold_choice(n, n_splits, rng):
    folds = np.array_split(rng.choice(n, size=n, replace=False), n_splits)
    return [(np.setdiff1d(np.arange(n), test), test) for test in folds]


def _kfold_remainder_last(n, n_splits, rng):
    perm, size = rng.permutation(n), n // n_splits
    folds = [perm[i * size:(i + 1) * size] for i in range(n_splits - 1)]
    folds.append(perm[(n_splits - 1) * size:])
    return [(np.setdiff1d(perm, test), test) for test in folds]


def _kfold_np_delete(n, n_splits, rng):
    perm = rng.permutation(n)
    return [(np.delete(perm, test), test) for test in np.array_split(perm, n_splits)]


def _kfold_swapped(n, n_splits, rng):
    return [(test, train) for train, test in ref.kfold_indices(n, n_splits, rng)]


def _kfold_shuffle_in_place(n, n_splits, rng):
    """Alternative: shuffle an arange (the same draws as permutation) and use boolean masks."""
    order = np.arange(n)
    rng.shuffle(order)
    folds = []
    for test in np.array_split(order, n_splits):
        in_test = np.zeros(n, dtype=bool)
        in_test[test] = True
        folds.append((np.flatnonzero(~in_test), test))
    return folds


def _kfold_concatenate(n, n_splits, rng):
    """Alternative: training indices in shuffled order, as tuples of a comprehension."""
    tests = np.array_split(rng.permutation(n), n_splits)
    return [(np.concatenate(tests[:i] + tests[i + 1:]), tests[i]) for i in range(n_splits)]


KFOLD_INDICES = Exercise(
    name="kfold_indices",
    reference=ref.kfold_indices,
    compare=FoldSets("test"),
    tests=(
        GradedTest("test_kfold_indices", 2,
                   "test folds are np.array_split(rng.permutation(n), n_splits)",
                   tuple(_kfold_case(*setting, "test") for setting in _KFOLD_SETTINGS)),
        GradedTest("test_kfold_indices_train", 1,
                   "each training set is every index outside its test fold",
                   tuple(_kfold_case(*setting, "train") for setting in _KFOLD_SETTINGS)),
    ),
    mistakes=(
        Mistake("no shuffle",
                "the folds must come from a shuffled order, rng.permutation(n); consecutive "
                "blocks of indices inherit any ordering of the data.",
                _kfold_no_shuffle),
        Mistake("ignores rng",
                "draw the permutation from the `rng` argument, so that the caller's seed "
                "decides the folds.",
                _kfold_own_generator),
        Mistake("rng.choice instead of rng.permutation",
                "rng.choice(n, n, replace=False) is a permutation too, but a different one from "
                "the same seed; the contract fixes the folds as "
                "np.array_split(rng.permutation(n), n_splits).",
                _kfold_choice),
        Mistake("remainder in the last fold",
                "with n = 23 and 5 folds np.array_split gives sizes 5, 5, 5, 4, 4; slicing by "
                "n // n_splits put all leftovers in the last fold.",
                _kfold_remainder_last),
        Mistake("np.delete on the permutation",
                "np.delete(perm, test) removes the entries at the positions `test`, not the "
                "values in `test`; take every index not in the test fold (for example "
                "np.setdiff1d(np.arange(n), test)).",
                _kfold_np_delete),
        Mistake("train and test swapped",
                "each pair is (train_idx, test_idx): the small fold is the test set.",
                _kfold_swapped),
    ),
    alternatives=(_kfold_shuffle_in_place,),
    minimal=_kfold_concatenate,
)

# --- cross_validated_mse ------------------------------------------------------------


def _cv(x, y, degree, n_splits, rng, *, fit_on="train", score_on="test", extra_columns=1,
        pooled=False, root=False):
    """Cross-validated error with knobs that reproduce the usual slips."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    n_columns = degree + extra_columns
    errors, sizes = [], []
    for train, test in ref.kfold_indices(x.size, n_splits, rng):
        fit = {"train": train, "all": np.arange(x.size)}[fit_on]
        score = {"train": train, "test": test}[score_on]
        residual = y[score] - _lstsq_predict(x[fit], y[fit], x[score], n_columns)
        errors.append(np.sqrt(np.mean(residual**2)) if root else np.mean(residual**2))
        sizes.append(score.size)
    return float(np.average(errors, weights=sizes if pooled else None))


def _cv_normal_equations(x, y, degree, n_splits, rng):
    """Alternative: its own folds, boolean masks and normal equations."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    total = 0.0
    for test in np.array_split(rng.permutation(len(x)), n_splits):
        mask = np.ones(len(x), dtype=bool)
        mask[test] = False
        design = np.vander(x[mask], degree + 1)
        coef = np.linalg.solve(design.T @ design, design.T @ y[mask])
        total += np.mean((np.vander(x[test], degree + 1) @ coef - y[test]) ** 2)
    return total / n_splits


def _cv_np_polyfit(x, y, degree, n_splits, rng):
    """Alternative: kfold_indices with np.polyfit in a comprehension."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    fold_mse = [np.mean((np.polyval(np.polyfit(x[tr], y[tr], degree), x[te]) - y[te]) ** 2)
                for tr, te in ref.kfold_indices(len(x), n_splits, rng)]
    return float(np.mean(fold_mse))


def _cv_mistake(**slip):
    """A cross_validated_mse mistake: the reference procedure with one slip."""
    return lambda x, y, degree, n_splits, rng: _cv(x, y, degree, n_splits, rng, **slip)


_uneven = _noisy_polynomial(53, [2.0, -1.0, 0.5], 1.5)

CROSS_VALIDATED_MSE = Exercise(
    name="cross_validated_mse",
    reference=ref.cross_validated_mse,
    # Out-of-fold errors depend to first order on the fitted coefficients, so
    # solvers differ by about cond(X'X) * 1e-16 (5e-14 measured with normal
    # equations on these cases); rtol=1e-6 passes every solver style, and every
    # mistake is off by more than 1e-3 relative on some case.
    compare=Scalar(rtol=1e-6, atol=1e-12),
    tests=(
        GradedTest("test_cross_validated_mse", 3, "mean over folds of the held-out MSE", (
            Case("the book's listing 5.2 data (120 points, cubic truth), degree 3, 5 folds",
                 (*_LISTING_5_2, 3, 5, np.random.default_rng(0))),
            Case("the book's listing 5.2 data, degree 1 (an underfit line), 5 folds",
                 (*_LISTING_5_2, 1, 5, np.random.default_rng(1))),
            Case("a seeded noisy quadratic on 53 points, degree 2, 5 folds of unequal size",
                 (*_uneven, 2, 5, np.random.default_rng(2))),
            Case("the same quadratic, degree 0 (a constant), 3 folds",
                 (*_uneven, 0, 3, np.random.default_rng(3))),
            Case("leave-one-out on 12 points of a noisy line, degree 1",
                 (*_short, 1, 12, np.random.default_rng(4))),
            Case("a seeded noisy cubic on 40 points, degree 6, 4 folds",
                 (*_cubic, 6, 4, np.random.default_rng(5))),
        )),
    ),
    mistakes=(
        Mistake("training error",
                "you scored each model on the data it was fitted to; cross-validation scores it "
                "on the held-out test fold.",
                _cv_mistake(score_on="train")),
        Mistake("fitted on all the data",
                "each model must be fitted on the training folds only; fitting on all the data "
                "lets the test fold leak into the fit.",
                _cv_mistake(fit_on="all")),
        Mistake("pooled over all test points",
                "the contract averages the per-fold MSEs, as the book's CV error "
                "(1/K) sum_j E_j does; you weighted the folds by their size.",
                _cv_mistake(pooled=True)),
        Mistake("fits degree - 1",
                "a degree-d polynomial has d + 1 coefficients; np.vander(x, degree) fits "
                "degree - 1.",
                _cv_mistake(extra_columns=0)),
        Mistake("root mean squared error",
                "you averaged per-fold RMSEs; the task asks for the MSE (no square root).",
                _cv_mistake(root=True)),
    ),
    alternatives=(_cv_np_polyfit,),
    minimal=_cv_normal_equations,
)

# --- select_degree ------------------------------------------------------------------


def _lowest(degrees, scores, tie_break=min):
    """The degree with the lowest score, ties broken by ``tie_break``."""
    best = np.min(scores)
    return int(tie_break(d for d, s in zip(degrees, scores, strict=True) if s == best))


_book_aic = ref.polynomial_information_criteria(*_LISTING_5_1, range(1, 7))["aic"]

SELECT_DEGREE = Exercise(
    name="select_degree",
    reference=ref.select_degree,
    compare=Integer(),
    tests=(
        GradedTest("test_select_degree", 1, "the degree with the lowest score, as an int", (
            Case("the book's BIC values for models A and B as degrees 2 and 5",
                 ([2, 5], [251.74, 253.47])),
            Case("the book's AIC values for models A and B as degrees 2 and 5",
                 ([2, 5], [246.0, 242.0])),
            Case("AIC of polynomial fits of degrees 1 to 6 to the book's listing 5.1 data",
                 (list(range(1, 7)), _book_aic)),
            Case("seeded random scores for degrees 1 to 8",
                 (list(range(1, 9)), _rng.normal(0, 10, 8))),
            Case("negative scores given as NumPy arrays",
                 (np.arange(2, 7), np.array([-3.0, -9.5, -7.0, -9.0, 1.0]))),
        )),
        GradedTest("test_select_degree_ties", 1,
                   "unsorted degrees; ties go to the smallest degree", (
            Case("unsorted degrees (5, 2, 7, 1) with distinct scores",
                 ([5, 2, 7, 1], [3.0, 4.0, 1.0, 2.0])),
            Case("a tie between degrees 4 and 2, the larger listed first",
                 ([4, 2, 3], [10.0, 10.0, 12.0])),
            Case("a three-way tie at the lowest score with unsorted degrees",
                 ([6, 3, 8, 1, 5], [7.5, 2.0, 2.0, 9.0, 2.0])),
            Case("a tie between the first and last of sorted degrees",
                 ([0, 1, 2, 3], [1.0, 3.0, 2.0, 1.0])),
        )),
    ),
    mistakes=(
        Mistake("returns a float",
                "the degree is a whole number: return an int (wrap it with int(...)).",
                lambda degrees, scores: float(_lowest(degrees, scores))),
        Mistake("highest score", "lower AIC, BIC and CV error are better; pick the lowest score.",
                lambda degrees, scores: int(np.asarray(degrees)[np.argmax(scores)]), book="Q18.2"),
        Mistake("returns the position",
                "np.argmin gives the position of the lowest score; return the degree at that "
                "position.",
                lambda degrees, scores: int(np.argmin(scores))),
        Mistake("first listed on ties",
                "np.argmin returns the first lowest score in list order; when degrees are "
                "unsorted, ties must go to the smallest degree.",
                lambda degrees, scores: int(np.asarray(degrees)[np.argmin(scores)])),
        Mistake("largest degree on ties", "ties go to the smallest (most parsimonious) degree.",
                lambda degrees, scores: _lowest(degrees, scores, tie_break=max)),
        Mistake("sorted the degrees only",
                "sorting the degrees without their scores breaks the pairing; sort the "
                "(degree, score) pairs together or find the degree without sorting.",
                lambda degrees, scores: int(sorted(degrees)[int(np.argmin(scores))])),
    ),
    alternatives=(
        lambda degrees, scores: int(min(zip(scores, degrees, strict=True))[1]),
        lambda degrees, scores: int(np.asarray(degrees)[np.lexsort((degrees, scores))[0]]),
    ),
    minimal=_plain_select_degree,
)


EXERCISES = (
    GAUSSIAN_LOG_LIKELIHOOD_FROM_RSS,
    AIC,
    BIC,
    POLYNOMIAL_INFORMATION_CRITERIA,
    KFOLD_INDICES,
    CROSS_VALIDATED_MSE,
    SELECT_DEGREE,
)
