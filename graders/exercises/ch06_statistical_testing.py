"""Hidden checks for ``ch06_statistical_testing`` (book chapter 6, questions 20-22).

Deterministic functions are compared with the reference (``rtol=1e-9``: a
correct float64 implementation agrees to about 1e-14 whatever its order of
operations, and every catalogued mistake is off by far more).

Monte-Carlo functions are graded by distribution, never by their exact draws.
A learner's estimate ``K / B`` (a p-value, a rejection rate) is a mean of
``B`` independent Bernoulli(p) indicators whatever order the draws come in, and
:class:`MonteCarloEstimate` accepts it within the radius that Bernstein's
inequality gives for a failure probability of 1e-8 per case.  No graded test
has more than ten such cases, so a correct implementation fails a test with
probability below 1e-7.  Every wrong implementation in the catalogue sits
many radii away (the numbers are next to each case).  Cases whose right answer
is certain up to probability 1e-8 (an observed mean more extreme than all
but 2 of 2**40 sign patterns, identical scores) pin the +1 correction and the
tie rule exactly.
"""

from dataclasses import dataclass

import numpy as np
import scipy.stats

from graders.compare import Array, Holds, Scalar, Sequence
from graders.engine import Case, Exercise, GradedTest, Mistake
from graders.exercises.shared import global_seed
from solutions import ch06_statistical_testing as ref
from solutions.ch06_statistical_testing_checks import (
    check_alpha,
    check_alternative,
    paired_differences,
)
from solutions.validation import as_count

_rng = np.random.default_rng(20260306)

_FAILURE_PROBABILITY = 1e-8  # per Monte-Carlo case


@dataclass(frozen=True)
class MonteCarloEstimate:
    """A Monte-Carlo frequency within a Bernstein bound of the probability it estimates.

    ``exact`` is the probability that each of ``n_draws`` independent draws is
    counted; ``slack`` absorbs deterministic offsets of a correct estimator
    (``1 / (B + 1)`` for the ``(1 + K) / (1 + B)`` p-value).  The reference's
    own estimate (``expected``) is a Monte-Carlo draw too, so it is not used:
    comparing with the exact value halves the tolerance.
    """

    exact: float
    n_draws: int
    slack: float = 0.0

    @property
    def radius(self):
        """t with P(|K/B - p| >= t) <= 1e-8 (Bernstein: 2 exp(-B t^2 / (2 p(1-p) + 2t/3)))."""
        log_term = np.log(2 / _FAILURE_PROBABILITY)
        variance = self.exact * (1 - self.exact)
        spread = np.sqrt((log_term / 3) ** 2 + 2 * self.n_draws * variance * log_term)
        return (log_term / 3 + spread) / self.n_draws + self.slack

    def compare(self, got, expected):
        """None if ``got`` is within the radius of the exact probability, else a message."""
        got, problem = Scalar().plain(got)
        if problem:
            return problem
        if not abs(got - self.exact) <= self.radius:
            return (
                f"returned {got:.4f}; the exact value is {self.exact:.4f}, and a correct "
                f"Monte-Carlo estimate from {self.n_draws:,} draws lies within {self.radius:.4f} "
                "of it except with probability below 1e-8"
            )
        return None


def _extreme(statistics, observed, alternative, tie=0.0):
    """Indicators of statistics at least as extreme as ``observed`` (the contract's rule)."""
    if alternative == "two-sided":
        return np.abs(statistics) >= abs(observed) - tie
    if alternative == "greater":
        return statistics >= observed - tie
    return statistics <= observed + tie


def _seeded_runs(make_call, estimate):
    """A case run: does ``make_call(fn, rng)`` give correct results that come from `rng` alone?

    Calls with a generator seeded 0 under three global NumPy seeds must agree,
    six differently seeded generators must not all agree, and every one of the
    nine results must be a correct estimate (``estimate``, a
    :class:`MonteCarloEstimate`), so that a function returning noise drawn from
    `rng` earns nothing.  Nine estimates each fail with probability below 1e-8,
    so a correct function fails below 1e-7.
    """
    def run(fn):
        def call(rng):
            return float(make_call(fn, rng))

        under_global = []
        for seed in (1, 2, 3):
            with global_seed(seed):
                under_global.append(call(np.random.default_rng(0)))
        seeded = [call(np.random.default_rng(s)) for s in range(6)]
        return {"same seed": len(set(under_global)) == 1,
                "seeds matter": len(set(seeded)) > 1,
                "correct": all(estimate.compare(v, None) is None for v in under_global + seeded)}
    return run


def _seeded_messages(estimate):
    """What to say when a property of :func:`_seeded_runs` fails."""
    return Holds({
        "same seed": "a generator seeded 0 gave different results under different global NumPy seeds: "
                     "draw every random number from `rng`, never from np.random.*",
        "seeds matter": "six differently seeded generators all gave the same result: use the `rng` you "
                        "are given instead of a generator or a value of your own",
        "correct": f"a result lies outside the range {estimate.exact:.4f} +- {estimate.radius:.4f} "
                   "that a correct estimate reaches except with probability below 1e-8",
    })


def _reproducible_case(label, make_call, estimate):
    """A case judged by :func:`_seeded_runs`, with the messages of :func:`_seeded_messages`."""
    return Case(label, run=_seeded_runs(make_call, estimate), compare=_seeded_messages(estimate))


# --- correct implementations that check only what the stubs' Raises sections list ---------
# (and, with the checks left out, the catalogued mistake "arguments not checked")


def _known_alternative(alternative):
    if alternative not in ("two-sided", "greater", "less"):
        raise ValueError(f"unknown alternative {alternative!r}")


def _level(alpha):
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie strictly between 0 and 1; got {alpha!r}")


def _paired(scores_a, scores_b):
    a, b = np.asarray(scores_a, float), np.asarray(scores_b, float)
    if a.shape != b.shape:
        raise ValueError("scores_a and scores_b must hold one score per fold each")
    return a - b


def _minimal_simulated_p_value(null_statistics, observed, alternative="two-sided"):
    _known_alternative(alternative)
    return float(np.mean(_extreme(np.asarray(null_statistics, float), observed, alternative)))


def _permutation_p_value(d, n_resamples, rng, alternative):
    signs = rng.choice([-1.0, 1.0], size=(n_resamples, d.size))
    tie = 1e-9 * np.mean(np.abs(d))
    return float((1 + np.sum(_extreme((signs * d).mean(axis=1), d.mean(), alternative, tie))) / (1 + n_resamples))


def _minimal_paired_permutation_test(scores_a, scores_b, n_resamples, rng, alternative="two-sided"):
    _known_alternative(alternative)
    if n_resamples < 1:
        raise ValueError("n_resamples must be at least 1")
    return _permutation_p_value(_paired(scores_a, scores_b), n_resamples, rng, alternative)


def _unchecked_permutation_test(scores_a, scores_b, n_resamples, rng, alternative="two-sided"):
    d = np.asarray(scores_a, float) - np.asarray(scores_b, float)
    return _permutation_p_value(d, n_resamples, rng, alternative)


def _exact_p_value(d, alternative):
    tie = 1e-9 * np.mean(np.abs(d))
    return float(np.mean(_extreme(_sign_pattern_means(d), d.mean(), alternative, tie)))


def _minimal_exact_p_value(scores_a, scores_b, alternative="two-sided"):
    _known_alternative(alternative)
    d = np.asarray(scores_a, float) - np.asarray(scores_b, float)
    if d.size > 20:
        raise ValueError("at most 20 folds can be enumerated")
    return _exact_p_value(d, alternative)


def _unchecked_exact(scores_a, scores_b, alternative="two-sided"):
    d = np.asarray(scores_a, float) - np.asarray(scores_b, float)
    return _exact_p_value(d[:20], alternative)  # more folds would take hours: it looks at 20


def _t_test_of(d, alternative):
    n = d.size
    t = d.mean() / (d.std(ddof=1) / np.sqrt(n))
    if alternative == "greater":
        return float(t), float(scipy.stats.t.sf(t, n - 1))
    if alternative == "less":
        return float(t), float(scipy.stats.t.cdf(t, n - 1))
    return float(t), float(2 * scipy.stats.t.sf(abs(t), n - 1))


def _minimal_paired_t_test(scores_a, scores_b, alternative="two-sided"):
    _known_alternative(alternative)
    d = _paired(scores_a, scores_b)
    if d.size < 2:
        raise ValueError("a paired t-test needs at least 2 pairs")
    return _t_test_of(d, alternative)


def _unchecked_t_test(scores_a, scores_b, alternative="two-sided"):
    a, b = np.asarray(scores_a, float), np.asarray(scores_b, float)
    n = min(a.size, b.size)
    with np.errstate(all="ignore"):
        return _t_test_of(a[:n] - b[:n], alternative)


def _z_critical_of(alpha, alternative):
    if alternative == "greater":
        return float(scipy.stats.norm.ppf(1 - alpha))
    if alternative == "less":
        return float(scipy.stats.norm.ppf(alpha))
    return float(scipy.stats.norm.ppf(1 - alpha / 2))


def _minimal_z_critical_value(alpha, alternative="two-sided"):
    _level(alpha)
    _known_alternative(alternative)
    return _z_critical_of(alpha, alternative)


def _unchecked_z_critical_value(alpha, alternative="two-sided"):
    with np.errstate(all="ignore"):
        return _z_critical_of(alpha, alternative)


def _z_power_of(effect_size, alpha, alternative):
    z = _z_critical_of(alpha, alternative)
    if alternative == "greater":
        return float(scipy.stats.norm.sf(z - effect_size))
    if alternative == "less":
        return float(scipy.stats.norm.cdf(z - effect_size))
    return float(scipy.stats.norm.sf(z - effect_size) + scipy.stats.norm.cdf(-z - effect_size))


def _minimal_z_test_power(effect_size, alpha, alternative="two-sided"):
    _level(alpha)
    _known_alternative(alternative)
    return _z_power_of(effect_size, alpha, alternative)


def _unchecked_z_test_power(effect_size, alpha, alternative="two-sided"):
    with np.errstate(all="ignore"):
        return _z_power_of(effect_size, alpha, alternative)


def _rejection_rate(n_simulations, sample_size, alpha, rng):
    samples = rng.standard_normal((n_simulations, sample_size))
    with np.errstate(all="ignore"):
        t = samples.mean(axis=1) / (samples.std(axis=1, ddof=1) / np.sqrt(sample_size))
        return float(np.mean(2 * scipy.stats.t.sf(np.abs(t), sample_size - 1) < alpha))


def _minimal_type_one_error_rate(n_simulations, sample_size, alpha, rng):
    if n_simulations < 1 or sample_size < 2:
        raise ValueError("need at least 1 simulation of at least 2 observations")
    _level(alpha)
    return _rejection_rate(n_simulations, sample_size, alpha, rng)


def _unchecked_type_one_error_rate(n_simulations, sample_size, alpha, rng):
    return _rejection_rate(max(n_simulations, 1), sample_size, alpha, rng)


# --- simulated_p_value -------------------------------------------------------------

_book_null = _rng.normal(0, 1, 1000)  # the book's listing 6.2: 1,000 draws of N(0, 1)
_integer_null = _rng.integers(-6, 7, 400).astype(float)  # ties at every value


def _simulated(rule):
    """A simulated_p_value that validates like the reference but counts with ``rule``."""
    def p_value(null_statistics, observed, alternative="two-sided"):
        check_alternative(alternative)
        null = np.asarray(null_statistics, float)
        return float(np.mean(rule(null, float(observed), alternative)))
    return p_value


def _one_sided_rule(t, obs, alternative):
    return _extreme(t, obs, "greater" if alternative == "two-sided" else alternative)


def _strict_rule(t, obs, alternative):
    if alternative == "two-sided":
        return np.abs(t) > abs(obs)
    return t > obs if alternative == "greater" else t < obs


def _abs_statistics_only_rule(t, obs, alternative):
    return np.abs(t) >= obs if alternative == "two-sided" else _extreme(t, obs, alternative)


def _simulated_unvalidated(null_statistics, observed, alternative="two-sided"):
    null = np.asarray(null_statistics, float)
    if alternative == "greater":
        return float(np.mean(null >= observed))
    if alternative == "less":
        return float(np.mean(null <= observed))
    return float(np.mean(np.abs(null) >= abs(observed)))


SIMULATED_P_VALUE = Exercise(
    name="simulated_p_value",
    reference=ref.simulated_p_value,
    compare=Scalar(),
    tests=(
        GradedTest("test_simulated_p_value", 2, "tail fractions for all three alternatives", (
            Case("the book's 1,000 standard-normal null draws, observed 2.0", (_book_null, 2.0)),
            Case("the book's null draws, observed 1.5, alternative 'greater'",
                 (_book_null, 1.5), {"alternative": "greater"}),
            Case("the book's null draws, observed -1.2, alternative 'less'",
                 (_book_null, -1.2), {"alternative": "less"}),
            Case("the book's null draws, a negative observed value -1.8, two-sided", (_book_null, -1.8)),
            Case("400 integer null statistics, observed exactly 3, two-sided", (_integer_null, 3.0)),
            Case("the integer null statistics, observed exactly 3, alternative 'greater'",
                 (_integer_null, 3.0), {"alternative": "greater"}),
            Case("the integer null statistics, observed exactly -2, alternative 'less'",
                 (_integer_null, -2.0), {"alternative": "less"}),
            Case("a short Python list of null statistics", ([-3.0, -1.0, 0.0, 2.0, 5.0], 2.0)),
        )),
        GradedTest("test_simulated_p_value_errors", 1, "an unknown alternative raises ValueError", (
            Case("alternative 'two_sided' (underscore)", (_book_null, 2.0), {"alternative": "two_sided"},
                 raises=ValueError),
            Case("alternative 'both'", (_book_null, 2.0), {"alternative": "both"}, raises=ValueError),
        )),
    ),
    mistakes=(
        Mistake("one-sided where two-sided is asked",
                "a two-sided p-value counts extremes in both tails: |T| >= |observed|, not T >= observed."
                " A one-tailed answer is only legitimate for a direction fixed before seeing the data.",
                _simulated(_one_sided_rule), book="Q22.1"),
        Mistake("strict inequality", "'at least as extreme' includes ties: use >= (and <= for 'less'), "
                "not > and <.", _simulated(_strict_rule)),
        Mistake("absolute value of T only", "compare |T| with |observed|; with a negative observed value "
                "|T| >= observed counts every simulation.", _simulated(_abs_statistics_only_rule)),
        Mistake("+1 correction", "(1 + count) / (1 + B) is the permutation-test p-value, where the observed "
                "statistic is one of the resamples; here return the plain fraction count / B.",
                lambda null, obs, alternative="two-sided": (
                    (1 + _simulated(_extreme)(null, obs, alternative) * len(null)) / (1 + len(null)))),
        Mistake("count instead of fraction", "you returned how many statistics are extreme; divide by "
                "the number of simulations.",
                lambda null, obs, alternative="two-sided": float(
                    np.sum(_extreme(np.asarray(null, float), obs, alternative)))),
        Mistake("unknown alternative accepted", "an unrecognised `alternative` (e.g. 'two_sided') must "
                "raise ValueError, not silently run a two-sided test.", _simulated_unvalidated),
    ),
    alternatives=(
        lambda null, obs, alternative="two-sided": _dispatch_p_value(null, obs, alternative),
        lambda null, obs, alternative="two-sided": _loop_p_value(null, obs, alternative),
    ),
    minimal=_minimal_simulated_p_value,
)


def _dispatch_p_value(null, observed, alternative):
    """A table-of-rules style correct solution."""
    rules = {
        "two-sided": lambda t: np.abs(t) >= abs(observed),
        "greater": lambda t: t >= observed,
        "less": lambda t: t <= observed,
    }
    if alternative not in rules:
        raise ValueError(f"unknown alternative {alternative!r}")
    return float(np.mean(rules[alternative](np.asarray(null, float))))


def _loop_p_value(null, observed, alternative):
    """A loop-and-sort style correct solution."""
    check_alternative(alternative)
    if alternative == "two-sided":
        return sum(1 for t in null if abs(t) >= abs(observed)) / len(null)
    ordered = np.sort(null)
    if alternative == "greater":
        return (len(ordered) - np.searchsorted(ordered, observed, side="left")) / len(ordered)
    return np.searchsorted(ordered, observed, side="right") / len(ordered)


# --- paired_permutation_test -------------------------------------------------------

_B = 20_000  # resamples per distribution case

# Correct answers on 12 folds (out of about 40): integer differences, so every
# correct tie rule agrees.  Exact p-values 0.398 / 0.199 / 0.926 (two-sided /
# greater / less), with tie masses 0.25 / 0.125 / 0.125 at the observed value.
_int_b = np.array([40, 38, 42, 41, 37, 42, 41, 38, 39, 40, 39, 40], dtype=float)
_int_a = _int_b + np.array([1, 0, 2, -1, 1, 0, -1, -1, 1, 1, 0, 1])

# Folds that differ a lot from each other while A beats B by a little on most:
# the sign-flip p-value is about 0.004, shuffling between the groups gives ~0.8.
_fold_level = _rng.uniform(0.6, 0.95, 10)
_paired_a = _fold_level + 0.006 + _rng.normal(0, 0.006, 10)
_paired_b = _fold_level

# Continuous scores with a small, noisy difference (exact p-value 0.013).
_cont_a = _rng.normal(0.80, 0.03, 14)
_cont_b = _cont_a - _rng.normal(0.004, 0.01, 14)

# 40 folds that A wins: only 2 of the 2**40 sign patterns are as extreme, so
# with 999 resamples P(drawing one) <= 999 * 2**-39 < 2e-9 and the p-value is
# 1/1000 (two-sided, greater) or 1 (less) for every correct implementation.
_win_b = _rng.uniform(0.80, 0.90, 40)
_win_a = _win_b + _rng.uniform(0.001, 0.02, 40)
_EDGE_B = 999


_PERMUTATION_2000 = MonteCarloEstimate(ref.exact_paired_permutation_p_value(_int_a, _int_b), 2000, slack=1 / 2001)


def _mc_case(label, a, b, alternative, seed):
    """A distribution case: the estimate must lie near the exact sign-flip p-value."""
    exact = ref.exact_paired_permutation_p_value(a, b, alternative)
    return Case(label, (a, b, _B, np.random.default_rng(seed)), {"alternative": alternative},
                compare=MonteCarloEstimate(exact, _B, slack=1 / (_B + 1)))


def _edge_case(label, a, b, alternative="two-sided"):
    """A case whose p-value every correct implementation gets exactly (up to probability 2e-9)."""
    return Case(label, (a, b, _EDGE_B, np.random.default_rng(11)), {"alternative": alternative})


def _sign_flip(*, rule=_extreme, plus_one=True, draw_signs=None):
    """A paired_permutation_test that differs from the contract in one place."""
    def test(scores_a, scores_b, n_resamples, rng, alternative="two-sided"):
        check_alternative(alternative)
        as_count(n_resamples, "n_resamples", 1)
        d = paired_differences(scores_a, scores_b)
        if draw_signs is None:
            signs = rng.choice([-1.0, 1.0], size=(n_resamples, d.size))
        else:
            signs = draw_signs((n_resamples, d.size))
        count = np.sum(rule((signs * d).mean(axis=1), d.mean(), alternative))
        return float((1 + count) / (1 + n_resamples) if plus_one else count / n_resamples)
    return test


def _shuffle_between_groups(scores_a, scores_b, n_resamples, rng, alternative="two-sided"):
    check_alternative(alternative)
    as_count(n_resamples, "n_resamples", 1)
    d = paired_differences(scores_a, scores_b)
    a, b = np.asarray(scores_a, float), np.asarray(scores_b, float)
    shuffled = rng.permuted(np.tile(np.concatenate([a, b]), (n_resamples, 1)), axis=1)
    stats = shuffled[:, :d.size].mean(axis=1) - shuffled[:, d.size:].mean(axis=1)
    return float((1 + np.sum(_extreme(stats, d.mean(), alternative))) / (1 + n_resamples))


def _swap_pairs(scores_a, scores_b, n_resamples, rng, alternative="two-sided"):
    """Correct: swap each pair's scores with probability 1/2 (a sign flip in disguise)."""
    check_alternative(alternative)
    if n_resamples < 1:
        raise ValueError("n_resamples must be positive")
    a, b = np.asarray(scores_a, float), np.asarray(scores_b, float)
    if a.shape != b.shape:
        raise ValueError("scores_a and scores_b must have the same length")
    swap = rng.random((n_resamples, a.size)) < 0.5
    stats = np.where(swap, b - a, a - b).mean(axis=1)
    d = a - b
    tie = 1e-9 * np.mean(np.abs(d))
    return (1 + int(np.sum(_extreme(stats, d.mean(), alternative, tie)))) / (n_resamples + 1)


def _looped_sign_flips(scores_a, scores_b, n_resamples, rng, alternative="two-sided"):
    """Correct: one resample at a time, ties judged with np.isclose."""
    d = paired_differences(scores_a, scores_b)
    check_alternative(alternative)
    if n_resamples < 1:
        raise ValueError("n_resamples must be positive")
    observed, count = d.mean(), 0
    for _ in range(n_resamples):
        stat = np.mean(d * rng.choice([-1, 1], size=d.size))
        if alternative == "two-sided":
            stat, target = abs(stat), abs(observed)
        else:
            stat, target = (stat, observed) if alternative == "greater" else (-stat, -observed)
        count += stat >= target or np.isclose(stat, target, rtol=1e-10, atol=0)
    return (count + 1) / (n_resamples + 1)


PAIRED_PERMUTATION_TEST = Exercise(
    name="paired_permutation_test",
    reference=ref.paired_permutation_test,
    compare=Scalar(),
    tests=(
        # Radius for 20,000 resamples: 0.022 / 0.018 / 0.012 at the integer folds' exact
        # 0.398 / 0.199 / 0.926, 0.003 at 0.004, 0.005 at 0.013.  Mistakes: strict > gives
        # 0.148 / 0.074 / 0.80 on the integer folds (0.25 / 0.125 / 0.125 off, over ten of
        # their own standard errors beyond the radius), one-sided gives 0.199 for 0.398,
        # shuffling between the groups ~0.8 for 0.004.
        GradedTest("test_paired_permutation_test", 3, "p-values near the exact sign-flip p-value", (
            _mc_case("12 folds of integer scores with many ties, two-sided", _int_a, _int_b, "two-sided", 1),
            _mc_case("the integer folds, alternative 'greater'", _int_a, _int_b, "greater", 2),
            _mc_case("the integer folds, alternative 'less'", _int_a, _int_b, "less", 3),
            _mc_case("10 folds that vary a lot while A is slightly better on most, two-sided",
                     _paired_a, _paired_b, "two-sided", 4),
            _mc_case("14 folds of continuous scores with a small noisy difference, two-sided",
                     _cont_a, _cont_b, "two-sided", 5),
        )),
        GradedTest("test_paired_permutation_test_edge_cases", 1,
                   "the +1 correction and ties at the observed value", (
            _edge_case("40 folds that model A wins, two-sided", _win_a, _win_b),
            _edge_case("40 folds that model A loses, two-sided", _win_b, _win_a),
            _edge_case("40 folds that model A wins, alternative 'greater'", _win_a, _win_b, "greater"),
            _edge_case("40 folds that model A wins, alternative 'less'", _win_a, _win_b, "less"),
            _edge_case("identical scores on every fold", _win_a, _win_a.copy()),
        )),
        GradedTest("test_paired_permutation_test_reproducible", 1, "all randomness comes from `rng`", (
            # On the integer folds (p = 0.4) a correct p-value takes any one value with
            # probability <= 0.019 (K ~ Binomial(2000, 0.4)), so six seeds all agree with
            # probability <= 0.019**5 < 3e-9.
            _reproducible_case(
                "2,000 resamples on the integer folds: seeded generators, under several global seeds",
                lambda fn, rng: fn(_int_a, _int_b, 2000, rng), _PERMUTATION_2000),
        )),
        GradedTest("test_paired_permutation_test_errors", 1,
                   "an unknown alternative, no resamples or unpaired scores raise ValueError", (
            Case("alternative 'two_sided' (underscore)",
                 (_win_a, _win_b, _EDGE_B, np.random.default_rng(11)), {"alternative": "two_sided"},
                 raises=ValueError),
            Case("zero resamples", (_win_a, _win_b, 0, np.random.default_rng(11)), raises=ValueError),
            Case("score arrays of different lengths", (_win_a, _win_b[:-1], _EDGE_B, np.random.default_rng(11)),
                 raises=ValueError),
        )),
    ),
    mistakes=(
        Mistake("one-sided where two-sided is asked", "a two-sided test counts resampled means with "
                "|mean| >= |observed mean|, in both tails. A one-tailed answer is only "
                "legitimate for a direction fixed before seeing the data.",
                _sign_flip(rule=_one_sided_rule), book="Q22.1"),
        Mistake("strict inequality", "'at least as extreme' includes ties (with integer scores many sign "
                "patterns give exactly the observed mean): use >=, not >.", _sign_flip(rule=_strict_rule)),
        Mistake("missing +1 correction", "count the observed sign pattern as one of the resamples: "
                "p = (1 + count) / (1 + n_resamples), which is never 0.", _sign_flip(plus_one=False)),
        Mistake("shuffling between groups", "the folds are paired: flip the sign of each difference "
                "a_i - b_i (swap within a pair) instead of shuffling all scores between the two models.",
                _shuffle_between_groups),
        Mistake("global NumPy random state", "draw every sign from the `rng` argument (rng.choice, "
                "rng.integers), not from np.random.*, so that a seed reproduces the result.",
                _sign_flip(draw_signs=lambda shape: np.random.choice([-1.0, 1.0], size=shape))),
        Mistake("fixed seed inside the function", "use the `rng` you are given; a generator created "
                "inside the function with a fixed seed gives the same p-value for every `rng`.",
                _sign_flip(draw_signs=lambda shape: np.random.default_rng(0).choice([-1.0, 1.0], size=shape))),
        Mistake("arguments not checked", "the Raises section asks for ValueError when `alternative` is not "
                "one of the three names, when n_resamples < 1 (no resamples, no p-value) and when the two "
                "score arrays differ in length (the scores are paired fold by fold).",
                _unchecked_permutation_test),
    ),
    alternatives=(_swap_pairs, _looped_sign_flips),
    minimal=_minimal_paired_permutation_test,
)

# --- exact_paired_permutation_p_value ---------------------------------------------

_dyadic_b = _rng.integers(0, 40, 16) / 4
_dyadic_a = _dyadic_b + _rng.integers(-3, 6, 16) / 4
_book_a = [0.84, 0.86, 0.85, 0.83, 0.87]  # model A, mean accuracy 0.85 (the book's example)
_book_b = [0.86, 0.88, 0.87, 0.86, 0.88]  # model B, mean accuracy 0.87
_many_b = _rng.uniform(0.7, 0.9, 18)
_many_a = _many_b + _rng.uniform(0.005, 0.03, 18)


def _sign_pattern_means(d):
    """Means of all 2**n sign patterns of ``d`` (rows of a +-1 matrix)."""
    signs = 1 - 2 * ((np.arange(2**d.size)[:, None] >> np.arange(d.size)) & 1)
    return signs @ d / d.size


def _exact(rule, finish=np.mean):
    """An exact_paired_permutation_p_value that counts with ``rule`` and summarises with ``finish``."""
    def p_value(scores_a, scores_b, alternative="two-sided"):
        check_alternative(alternative)
        d = np.asarray(scores_a, float) - np.asarray(scores_b, float)
        if d.size > 20:
            raise ValueError("at most 20 pairs")
        tie = 1e-9 * np.mean(np.abs(d))
        return float(finish(rule(_sign_pattern_means(d), d.mean(), alternative, tie)))
    return p_value


def _tied(rule):
    """Wrap a tie-free counting rule so it accepts (and ignores) the tie tolerance."""
    return lambda t, obs, alternative, tie: rule(t, obs, alternative)


def _bit_matrix_exact(scores_a, scores_b, alternative="two-sided"):
    """Correct: all sign patterns at once as the rows of a +-1 matrix."""
    check_alternative(alternative)
    d = paired_differences(scores_a, scores_b)
    if d.size > 20:
        raise ValueError("`scores_a` may hold at most 20 pairs")
    tie = 1e-9 * np.mean(np.abs(d))
    return float(np.mean(_extreme(_sign_pattern_means(d), d.mean(), alternative, tie)))


def _itertools_exact(scores_a, scores_b, alternative="two-sided"):
    """Correct: a plain loop over itertools.product, ties judged with np.isclose."""
    import itertools

    d = paired_differences(scores_a, scores_b)
    check_alternative(alternative)
    if d.size > 20:
        raise ValueError("`scores_a` may hold at most 20 pairs")
    observed = d.mean()
    count = total = 0
    for signs in itertools.product((1.0, -1.0), repeat=d.size):
        stat = sum(s * x for s, x in zip(signs, d, strict=True)) / d.size
        if alternative == "two-sided":
            stat, target = abs(stat), abs(observed)
        elif alternative == "less":
            stat, target = -stat, -observed
        else:
            target = observed
        count += stat >= target or bool(np.isclose(stat, target, rtol=1e-9, atol=0))
        total += 1
    return count / total


EXACT_PAIRED_PERMUTATION_P_VALUE = Exercise(
    name="exact_paired_permutation_p_value",
    reference=ref.exact_paired_permutation_p_value,
    compare=Scalar(),
    tests=(
        GradedTest("test_exact_paired_permutation_p_value", 2,
                   "fraction of all 2**n sign patterns at least as extreme", (
            Case("the book's five folds (mean accuracy 0.85 against 0.87), two-sided", (_book_a, _book_b)),
            Case("the book's five folds, alternative 'less'", (_book_a, _book_b), {"alternative": "less"}),
            Case("12 folds of integer scores with many ties, two-sided", (_int_a, _int_b)),
            Case("the integer folds, alternative 'greater'", (_int_a, _int_b), {"alternative": "greater"}),
            Case("the integer folds, alternative 'less'", (_int_a, _int_b), {"alternative": "less"}),
            Case("16 folds of scores in quarter points, alternative 'greater'", (_dyadic_a, _dyadic_b),
                 {"alternative": "greater"}),
            Case("10 folds that vary a lot while A is slightly better on most", (_paired_a, _paired_b)),
            Case("14 folds of continuous scores, a negative mean difference", (_cont_b, _cont_a)),
            Case("18 folds that model A wins", (_many_a, _many_b)),
            Case("a single fold", ([0.91], [0.86])),
            Case("identical scores on every fold", (_int_a, _int_a.copy())),
        )),
        GradedTest("test_exact_paired_permutation_p_value_errors", 1,
                   "more than 20 folds or an unknown alternative raise ValueError", (
            Case("21 folds (too many to enumerate)", (np.arange(21.0), np.zeros(21)), raises=ValueError),
            Case("alternative 'both'", (_int_a, _int_b), {"alternative": "both"}, raises=ValueError),
        )),
    ),
    mistakes=(
        Mistake("one-sided where two-sided is asked", "a two-sided test counts patterns with "
                "|mean| >= |observed mean|, in both tails. A one-tailed answer is only "
                "legitimate for a direction fixed before seeing the data.",
                _exact(_tied(_one_sided_rule)), book="Q22.1"),
        Mistake("strict inequality", "'at least as extreme' includes ties, and the observed sign pattern "
                "itself is always one: use >=, not >.", _exact(_tied(_strict_rule))),
        Mistake("+1 correction", "(1 + count) / (1 + B) is for random resamples; enumerating every pattern "
                "already includes the observed one, so p = count / 2**n.",
                _exact(_extreme, finish=lambda hits: (1 + hits.sum()) / (1 + hits.size))),
        Mistake("observed pattern left out", "the observed sign pattern (all +1) is one of the 2**n "
                "equally likely patterns; count it and divide by 2**n.",
                _exact(_extreme, finish=lambda hits: (hits.sum() - 1) / (hits.size - 1) if hits.size > 1
                       else 1.0)),
        Mistake("absolute value of the resampled means only", "compare |mean| with |observed mean|; "
                "a negative observed mean makes |mean| >= observed true for every pattern.",
                _exact(_tied(_abs_statistics_only_rule))),
        Mistake("arguments not checked", "the Raises section asks for ValueError when there are more than 20 "
                "folds (2**21 patterns and more take too long: use the Monte-Carlo test) and when "
                "`alternative` is not one of the three names.", _unchecked_exact),
    ),
    alternatives=(_itertools_exact, _bit_matrix_exact),
    minimal=_minimal_exact_p_value,
)

# --- paired_t_test -----------------------------------------------------------------

_cv_a = _rng.normal(0.84, 0.02, 10)
_cv_b = _cv_a + _rng.normal(0.008, 0.01, 10)

# The t statistic agrees to ~1e-15 relative across formulas; p-values from
# 1 - cdf instead of sf differ by ~1e-16 absolute, hence atol 1e-13.
_T_TEST = Sequence((Scalar(rtol=1e-9, atol=1e-13), Scalar(rtol=1e-9, atol=1e-13)))


def _t_test_from_scipy(test):
    """A paired_t_test that validates its input and hands the work to a SciPy test."""
    def paired(scores_a, scores_b, alternative="two-sided"):
        check_alternative(alternative)
        if paired_differences(scores_a, scores_b).size < 2:
            raise ValueError("need at least 2 pairs")
        result = test(np.asarray(scores_a, float), np.asarray(scores_b, float), alternative=alternative)
        return float(result.statistic), float(result.pvalue)
    return paired


def _t_test_one_sample(scores_a, scores_b, alternative="two-sided"):
    """Correct: a one-sample t-test of the differences against 0."""
    d = paired_differences(scores_a, scores_b)
    if d.size < 2:
        raise ValueError("need at least 2 pairs")
    statistic, p_value = scipy.stats.ttest_1samp(d, 0.0, alternative=alternative)[:2]
    return float(statistic), float(p_value)


def _t_test_by_hand(*, ddof=1, distribution="t", two_sided_factor=2, flip=False):
    """A paired t-test written out, with one ingredient changed."""
    def paired(scores_a, scores_b, alternative="two-sided"):
        check_alternative(alternative)
        d = paired_differences(scores_a, scores_b)
        if d.size < 2:
            raise ValueError("need at least 2 pairs")
        if flip:
            d = -d
        n = d.size
        t = d.mean() / (d.std(ddof=ddof) / np.sqrt(n))
        law = scipy.stats.t(n - 1) if distribution == "t" else scipy.stats.norm()
        if alternative == "two-sided":
            p = two_sided_factor * law.sf(abs(t))
        else:
            p = law.sf(t) if alternative == "greater" else law.cdf(t)
        return float(t), float(p)
    return paired


PAIRED_T_TEST = Exercise(
    name="paired_t_test",
    reference=ref.paired_t_test,
    compare=_T_TEST,
    tests=(
        GradedTest("test_paired_t_test", 2, "t statistic and p-value equal to scipy.stats.ttest_rel", (
            Case("the book's five folds (mean accuracy 0.85 against 0.87)", (_book_a, _book_b)),
            Case("the book's five folds, alternative 'less'", (_book_a, _book_b), {"alternative": "less"}),
            Case("10 seeded cross-validation scores, two-sided", (_cv_a, _cv_b)),
            Case("the 10 seeded scores, alternative 'greater'", (_cv_a, _cv_b), {"alternative": "greater"}),
            Case("the 10 seeded scores, alternative 'less'", (_cv_a, _cv_b), {"alternative": "less"}),
            Case("10 folds that vary a lot while A is slightly better on most", (_paired_a, _paired_b)),
            Case("integer scores given as Python lists", (list(_int_a), list(_int_b))),
        )),
        GradedTest("test_paired_t_test_errors", 1,
                   "fewer than 2 pairs, unpaired scores or an unknown alternative raise ValueError", (
            Case("a single pair of scores", ([0.9], [0.8]), raises=ValueError),
            Case("score arrays of different lengths", (_cv_a, _cv_b[:-1]), raises=ValueError),
            Case("alternative 'larger'", (_cv_a, _cv_b), {"alternative": "larger"}, raises=ValueError),
        )),
    ),
    mistakes=(
        Mistake("independent two-sample t-test", "the scores come from the same folds, so test the "
                "differences a_i - b_i (ttest_rel), not two independent groups (ttest_ind).",
                _t_test_from_scipy(scipy.stats.ttest_ind)),
        Mistake("population standard deviation", "use the sample standard deviation of the differences "
                "(np.std(d, ddof=1)); ddof=0 inflates t.", _t_test_by_hand(ddof=0)),
        Mistake("normal distribution instead of t", "with n folds the statistic follows Student's t with "
                "n - 1 degrees of freedom (scipy.stats.t), not the standard normal.",
                _t_test_by_hand(distribution="normal")),
        Mistake("one tail for a two-sided test", "a two-sided p-value counts both tails: "
                "2 * P(T >= |t|). A one-tailed answer is only legitimate for a direction fixed before "
                "seeing the data.", _t_test_by_hand(two_sided_factor=1), book="Q22.1"),
        Mistake("differences b - a", "the statistic is the mean of a - b, so 'greater' means model A "
                "scores higher.", _t_test_by_hand(flip=True)),
        Mistake("arguments not checked", "the Raises section asks for ValueError with fewer than 2 pairs (one "
                "difference has no standard deviation), for score arrays of different lengths and for an "
                "unknown `alternative`.", _unchecked_t_test),
    ),
    alternatives=(_t_test_from_scipy(scipy.stats.ttest_rel), _t_test_one_sample),
    minimal=_minimal_paired_t_test,
)

# --- z_critical_value -------------------------------------------------------------


def _critical(quantile):
    """A z_critical_value that validates like the reference and computes ``quantile(alpha, alternative)``."""
    def critical(alpha, alternative="two-sided"):
        check_alternative(alternative)
        if not 0 < alpha < 1:
            raise ValueError("alpha must lie in (0, 1)")
        return float(quantile(alpha, alternative))
    return critical


def _textbook_quantiles(alpha, alternative):
    """Correct: the lower-tail quantile function throughout."""
    level = {"two-sided": 1 - alpha / 2, "greater": 1 - alpha, "less": alpha}[alternative]
    return scipy.stats.norm.ppf(level)


def _mirrored_quantiles(alpha, alternative):
    """Correct: one lower-tail quantile, mirrored for the upper-tail cases."""
    lower = scipy.stats.norm.ppf(alpha / 2 if alternative == "two-sided" else alpha)
    return lower if alternative == "less" else -lower


def _norm_isf(alpha, alternative, *, halve=("two-sided",), negative=("less",)):
    level = alpha / 2 if alternative in halve else alpha
    return (-1 if alternative in negative else 1) * scipy.stats.norm.isf(level)


Z_CRITICAL_VALUE = Exercise(
    name="z_critical_value",
    reference=ref.z_critical_value,
    compare=Scalar(),  # rtol 1e-9: ppf(1 - alpha) and isf(alpha) agree to ~1e-13 for alpha >= 1e-3
    tests=(
        GradedTest("test_z_critical_value", 1, "normal quantiles for each alternative", tuple(
            Case(f"alpha = {alpha}, alternative {alternative!r}", (alpha, alternative))
            for alpha in (0.05, 0.01) for alternative in ("two-sided", "greater", "less")
        ) + (
            Case("alpha = 0.1 with the default alternative", (0.1,)),
            Case("alpha = 0.001, alternative 'less'", (0.001, "less")),
        )),
        GradedTest("test_z_critical_value_errors", 1, "alpha outside (0, 1) or an unknown alternative raise "
                   "ValueError", (
            Case("alpha = 0", (0.0, "greater"), raises=ValueError),
            Case("alpha = 5 (a percentage instead of a fraction)", (5, "two-sided"), raises=ValueError),
            Case("alternative 'right'", (0.05, "right"), raises=ValueError),
        )),
    ),
    mistakes=(
        Mistake("alpha not halved", "a two-sided test puts alpha/2 in each tail: z_{1 - alpha/2} "
                "(1.96 at alpha = 0.05), not z_{1 - alpha} (1.645).",
                _critical(lambda a, alt: _norm_isf(a, alt, halve=()))),
        Mistake("positive critical value for 'less'", "a left-tailed test rejects when Z <= z_alpha, "
                "a negative number (-1.645 at alpha = 0.05).",
                _critical(lambda a, alt: _norm_isf(a, alt, negative=()))),
        Mistake("lower quantile for two-sided", "the two-sided critical value is the positive "
                "z_{1 - alpha/2}; the test rejects when |Z| is at least that large.",
                _critical(lambda a, alt: -_norm_isf(a, alt) if alt == "two-sided" else _norm_isf(a, alt))),
        Mistake("alpha halved for one-sided tests", "only the two-sided test splits alpha between two "
                "tails; a one-sided test puts all of alpha in one tail.",
                _critical(lambda a, alt: _norm_isf(a, alt, halve=("two-sided", "greater", "less")))),
        Mistake("arguments not checked", "the Raises section asks for ValueError when alpha is not strictly "
                "between 0 and 1 (5 is a percentage, not a level) and for an unknown `alternative`.",
                _unchecked_z_critical_value),
    ),
    alternatives=(_critical(_textbook_quantiles), _critical(_mirrored_quantiles)),
    minimal=_minimal_z_critical_value,
)

# --- z_test_power -----------------------------------------------------------------


def _power(formula):
    """A z_test_power that validates like the reference and computes ``formula(effect, z, alternative)``."""
    def power(effect_size, alpha, alternative="two-sided"):
        z = ref.z_critical_value(alpha, alternative)
        return float(formula(float(effect_size), z, alternative))
    return power


def _power_upper_tail_only(effect, z, alternative):
    if alternative == "less":
        return scipy.stats.norm.cdf(z - effect)
    return scipy.stats.norm.sf(z - effect)


def _power_ignoring_direction(effect, z, alternative):
    """Believes a one-tailed test detects an effect of either sign (the "one-tailed is always better" slip)."""
    if alternative == "two-sided":
        return _power_by_frozen_law(effect, z, alternative)
    return scipy.stats.norm.sf(abs(z) - abs(effect))


def _power_by_frozen_law(effect, z, alternative):
    """Correct: P(reject) under the frozen N(effect, 1) distribution of the statistic."""
    law = scipy.stats.norm(loc=effect)
    if alternative == "two-sided":
        return law.sf(z) + law.cdf(-z)
    return law.sf(z) if alternative == "greater" else law.cdf(z)


def _power_as_one_minus_beta(effect, z, alternative):
    """Correct: one minus the probability of landing in the acceptance region."""
    cdf = scipy.stats.norm.cdf
    if alternative == "two-sided":
        return 1 - (cdf(z - effect) - cdf(-z - effect))
    return 1 - cdf(z - effect) if alternative == "greater" else cdf(z - effect)


Z_TEST_POWER = Exercise(
    name="z_test_power",
    reference=ref.z_test_power,
    # atol 1e-12: 1 - cdf(...) and sf(...) differ by ~1e-16 absolute where power is tiny.
    compare=Scalar(rtol=1e-9, atol=1e-12),
    tests=(
        GradedTest("test_z_test_power", 2, "probability of rejecting when the statistic is N(effect, 1)", (
            Case("the book's example: effect 2, alpha 0.05, alternative 'greater'", (2.0, 0.05, "greater")),
            Case("a negative effect -1.5, alpha 0.05, two-sided", (-1.5, 0.05, "two-sided")),
            Case("effect 2, alpha 0.05, two-sided", (2.0, 0.05, "two-sided")),
            Case("effect -2, alpha 0.05, alternative 'less'", (-2.0, 0.05, "less")),
            Case("effect +1 against a left-tailed test at alpha 0.05", (1.0, 0.05, "less")),
            Case("no effect, alpha 0.05, two-sided", (0.0, 0.05, "two-sided")),
            Case("no effect, alpha 0.1, alternative 'greater'", (0.0, 0.1, "greater")),
            Case("effect 3, alpha 0.01, alternative 'greater'", (3.0, 0.01, "greater")),
            Case("effect 0.5, alpha 0.1, default alternative", (0.5, 0.1)),
        )),
        GradedTest("test_z_test_power_errors", 1, "alpha outside (0, 1) or an unknown alternative raise "
                   "ValueError", (
            Case("alpha = 0", (2.0, 0.0, "greater"), raises=ValueError),
            Case("alpha = 1", (2.0, 1.0), raises=ValueError),
            Case("alternative 'one-sided'", (2.0, 0.05, "one-sided"), raises=ValueError),
        )),
    ),
    mistakes=(
        Mistake("upper tail only", "a two-sided test also rejects when Z <= -z_{1 - alpha/2}; add that tail "
                "(it is most of the power when the effect is negative).", _power(_power_upper_tail_only)),
        Mistake("type II error instead of power", "you returned beta, the probability of NOT rejecting; "
                "power is 1 - beta.", lambda e, a, alt="two-sided": 1 - ref.z_test_power(e, a, alt)),
        Mistake("alpha not halved", "the two-sided critical value is z_{1 - alpha/2}; with z_{1 - alpha} "
                "the test has size 2 alpha, not alpha.",
                lambda e, a, alt="two-sided": ref.z_test_power(e, 2 * a if alt == "two-sided" else a, alt)),
        Mistake("effect on the wrong side", "under H1 the statistic is N(effect, 1), so the upper rejection "
                "region has probability P(Z >= z - effect), not P(Z >= z + effect).",
                _power(lambda e, z, alt: _power_by_frozen_law(-e, z, alt))),
        Mistake("direction of a one-tailed test ignored", "a one-tailed test only has power in the direction "
                "it names: an effect on the other side is detected with probability below alpha. A one-tailed "
                "test is not always more powerful; it trades the other direction away.",
                _power(_power_ignoring_direction), book="Q22.2"),
        Mistake("arguments not checked", "the Raises section asks for ValueError when alpha is not strictly "
                "between 0 and 1 and for an unknown `alternative`.", _unchecked_z_test_power),
    ),
    alternatives=(_power(_power_by_frozen_law), _power(_power_as_one_minus_beta)),
    minimal=_minimal_z_test_power,
)

# --- type_one_error_rate ----------------------------------------------------------


_RATE_5000 = MonteCarloEstimate(0.05, 5000)


def _rate_case(label, n_simulations, sample_size, alpha, seed):
    """A distribution case: the rate must lie near alpha, the exact size of the t-test."""
    return Case(label, (n_simulations, sample_size, alpha, np.random.default_rng(seed)),
                compare=MonteCarloEstimate(alpha, n_simulations))


def _simulate_rate(*, p_values, draw=None, summarise=np.mean):
    """A type_one_error_rate with its p-values, draws or summary swapped."""
    def rate(n_simulations, sample_size, alpha, rng):
        as_count(n_simulations, "n_simulations", 1)
        as_count(sample_size, "sample_size", 2)
        check_alpha(alpha)
        shape = (n_simulations, sample_size)
        samples = rng.standard_normal(shape) if draw is None else draw(shape)
        return float(summarise(p_values(samples, sample_size) < alpha))
    return rate


def _t_p_values(samples, n, ddof=1, law=None):
    t = samples.mean(axis=1) / (samples.std(axis=1, ddof=ddof) / np.sqrt(n))
    return 2 * (scipy.stats.t(n - 1) if law is None else law).sf(np.abs(t))


def _rate_scipy(n_simulations, sample_size, alpha, rng):
    """Correct: scipy.stats.ttest_1samp along each row."""
    if n_simulations < 1 or sample_size < 2 or not 0 < alpha < 1:
        raise ValueError("bad arguments")
    samples = rng.normal(0.0, 1.0, size=(n_simulations, sample_size))
    return float(np.mean(scipy.stats.ttest_1samp(samples, 0.0, axis=1).pvalue < alpha))


def _rate_critical_value(n_simulations, sample_size, alpha, rng):
    """Correct: data sets as columns, rejections by comparing |t| with the critical value."""
    if n_simulations < 1 or sample_size < 2 or not 0 < alpha < 1:
        raise ValueError("need n_simulations >= 1, sample_size >= 2 and 0 < alpha < 1")
    samples = rng.standard_normal((sample_size, n_simulations))
    t = samples.mean(axis=0) * np.sqrt(sample_size) / samples.std(axis=0, ddof=1)
    rejections = np.abs(t) > scipy.stats.t.isf(alpha / 2, sample_size - 1)
    return np.count_nonzero(rejections) / n_simulations


TYPE_ONE_ERROR_RATE = Exercise(
    name="type_one_error_rate",
    reference=ref.type_one_error_rate,
    compare=Scalar(),
    tests=(
        # Radius around alpha (Bernstein, 1e-8): 0.0069 for 40,000 x alpha 0.05, 0.0047 for
        # 20,000 x 0.01, 0.0094 for 20,000 x 0.1.  With 3 observations the normal
        # approximation rejects 18.9 % and ddof=0 rejects 7.2 % (0.022 above alpha, 12 of
        # its own standard errors beyond the radius); non-rejections give 0.95.
        GradedTest("test_type_one_error_rate", 2, "rejection rate close to alpha under the null", (
            _rate_case("40,000 simulated t-tests on 3 observations at alpha 0.05", 40_000, 3, 0.05, 1),
            _rate_case("20,000 simulated t-tests on 10 observations at alpha 0.01", 20_000, 10, 0.01, 2),
            _rate_case("20,000 simulated t-tests on 30 observations at alpha 0.1", 20_000, 30, 0.1, 3),
        )),
        # K ~ Binomial(5000, 0.05) takes any one value with probability <= 0.026, so six
        # seeds give the same rate with probability <= 0.026**5 < 2e-8.
        GradedTest("test_type_one_error_rate_reproducible", 1, "all randomness comes from `rng`", (
            _reproducible_case(
                "5,000 t-tests on 5 observations at alpha 0.05: seeded generators, under several global seeds",
                lambda fn, rng: fn(5000, 5, 0.05, rng), _RATE_5000),
        )),
        GradedTest("test_type_one_error_rate_errors", 1,
                   "samples of one observation, alpha outside (0, 1) or no simulations raise ValueError", (
            Case("samples of 1 observation", (100, 1, 0.05, np.random.default_rng(4)), raises=ValueError),
            Case("alpha = 1.5", (100, 10, 1.5, np.random.default_rng(4)), raises=ValueError),
            Case("zero simulations", (0, 10, 0.05, np.random.default_rng(4)), raises=ValueError),
        )),
    ),
    mistakes=(
        Mistake("normal distribution instead of t", "with few observations the t statistic has heavier "
                "tails than N(0, 1); normal p-values reject far more often than alpha. Use Student's t "
                "with n - 1 degrees of freedom.",
                _simulate_rate(p_values=lambda s, n: _t_p_values(s, n, law=scipy.stats.norm()))),
        Mistake("population standard deviation", "the t statistic uses the sample standard deviation "
                "(ddof=1); ddof=0 makes |t| too large and the test rejects too often.",
                _simulate_rate(p_values=lambda s, n: _t_p_values(s, n, ddof=0))),
        Mistake("fraction not rejected", "the type I error rate is the fraction of tests with p < alpha "
                "(wrong rejections of a true null), not the fraction that keep it.",
                _simulate_rate(p_values=_t_p_values, summarise=lambda rejected: np.mean(~rejected))),
        Mistake("t-tests along the wrong axis", "each simulated data set is one row: test along axis=1 so "
                "that you get one p-value per simulation.",
                _simulate_rate(p_values=lambda s, n: scipy.stats.ttest_1samp(s, 0.0).pvalue)),
        Mistake("global NumPy random state", "draw the samples from the `rng` argument "
                "(rng.standard_normal), not from np.random.*, so that a seed reproduces the result.",
                _simulate_rate(p_values=_t_p_values, draw=lambda shape: np.random.standard_normal(shape))),
        Mistake("arguments not checked", "the Raises section asks for ValueError with samples of fewer than "
                "2 observations (a t-test needs a standard deviation), with alpha outside (0, 1) and with "
                "fewer than 1 simulation.", _unchecked_type_one_error_rate),
    ),
    alternatives=(_rate_scipy, _rate_critical_value),
    minimal=_minimal_type_one_error_rate,
)

# --- paired_confidence_interval ----------------------------------------------------

# Endpoints agree to ~1e-15 relative across formulas (t.ppf vs t.interval vs ttest_rel);
# atol 1e-13 covers an endpoint that lands near 0.
_INTERVAL = Sequence((Scalar(rtol=1e-9, atol=1e-13), Scalar(rtol=1e-9, atol=1e-13)))


def _interval(*, quantile=None, ddof=1, spread=None):
    """A paired_confidence_interval that validates like the reference and changes one ingredient.

    ``quantile(confidence, n)`` gives the multiplier, ``spread(a, b)`` the standard error.
    """
    def interval(scores_a, scores_b, confidence=0.95):
        if not 0 < confidence < 1:
            raise ValueError("confidence must lie in (0, 1)")
        d = paired_differences(scores_a, scores_b)
        if d.size < 2:
            raise ValueError("need at least 2 pairs")
        n = d.size
        multiplier = scipy.stats.t.ppf((1 + confidence) / 2, n - 1) if quantile is None else quantile(confidence, n)
        error = d.std(ddof=ddof) / np.sqrt(n) if spread is None else spread(
            np.asarray(scores_a, float), np.asarray(scores_b, float))
        return float(d.mean() - multiplier * error), float(d.mean() + multiplier * error)
    return interval


def _welch_error(a, b):
    """The standard error of mean(a) - mean(b) for two independent samples."""
    return np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)


def _interval_from_ttest_rel(scores_a, scores_b, confidence=0.95):
    """Correct: SciPy's own interval (a ConfidenceInterval namedtuple, returned as it is)."""
    if not 0 < confidence < 1:
        raise ValueError("`confidence` must lie strictly between 0 and 1")
    d = paired_differences(scores_a, scores_b)
    if d.size < 2:
        raise ValueError("need at least 2 pairs")
    return scipy.stats.ttest_rel(scores_a, scores_b).confidence_interval(confidence_level=confidence)


def _interval_by_t_interval(scores_a, scores_b, confidence=0.95):
    """Correct: scipy.stats.t.interval around the mean difference, scaled by the standard error."""
    if not 0 < confidence < 1:
        raise ValueError("`confidence` must lie strictly between 0 and 1")
    d = paired_differences(scores_a, scores_b)
    if len(d) < 2:
        raise ValueError("need at least 2 pairs")
    low, high = scipy.stats.t.interval(confidence, len(d) - 1, loc=np.mean(d), scale=scipy.stats.sem(d))
    return low, high


def _minimal_paired_confidence_interval(scores_a, scores_b, confidence=0.95):
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie strictly between 0 and 1")
    d = _paired(scores_a, scores_b)
    if d.size < 2:
        raise ValueError("a confidence interval needs at least 2 pairs")
    half = scipy.stats.t.isf((1 - confidence) / 2, d.size - 1) * d.std(ddof=1) / np.sqrt(d.size)
    return d.mean() - half, d.mean() + half


def _unchecked_interval(scores_a, scores_b, confidence=0.95):
    d = np.asarray(scores_a, float) - np.asarray(scores_b, float)
    with np.errstate(all="ignore"):
        half = scipy.stats.t.ppf((1 + confidence) / 2, d.size - 1) * d.std(ddof=1) / np.sqrt(d.size)
    return float(d.mean() - half), float(d.mean() + half)


PAIRED_CONFIDENCE_INTERVAL = Exercise(
    name="paired_confidence_interval",
    reference=ref.paired_confidence_interval,
    compare=_INTERVAL,
    tests=(
        GradedTest("test_paired_confidence_interval", 2,
                   "the t-interval of the mean paired difference, equal to ttest_rel's", (
            Case("the book's five folds (mean accuracy 0.85 against 0.87), 95 %", (_book_a, _book_b)),
            Case("the book's five folds, 99 %", (_book_a, _book_b), {"confidence": 0.99}),
            Case("10 seeded cross-validation scores, 90 %", (_cv_a, _cv_b), {"confidence": 0.9}),
            Case("10 folds that vary a lot while A is slightly better on most", (_paired_a, _paired_b)),
            Case("14 folds of continuous scores, 80 %", (_cont_a, _cont_b), {"confidence": 0.8}),
            Case("integer scores given as Python lists", (list(_int_a), list(_int_b))),
            Case("two pairs, the fewest with a standard deviation", ([0.91, 0.88], [0.86, 0.87])),
        )),
        GradedTest("test_paired_confidence_interval_errors", 1,
                   "fewer than 2 pairs, unpaired scores or a level outside (0, 1) raise ValueError", (
            Case("a single pair of scores", ([0.9], [0.8]), raises=ValueError),
            Case("score arrays of different lengths", (_cv_a, _cv_b[:-1]), raises=ValueError),
            Case("confidence = 95 (a percentage instead of a fraction)", (_cv_a, _cv_b), {"confidence": 95},
                 raises=ValueError),
            Case("confidence = 0", (_cv_a, _cv_b), {"confidence": 0.0}, raises=ValueError),
        )),
    ),
    mistakes=(
        Mistake("normal quantile instead of t", "with n pairs the standardised mean difference follows "
                "Student's t with n - 1 degrees of freedom; the normal quantile (1.96 for 95 %) makes the "
                "interval too narrow on few folds (t_{0.975, 4} = 2.776).",
                _interval(quantile=lambda c, n: scipy.stats.norm.ppf((1 + c) / 2))),
        Mistake("confidence not split between the tails", "a two-sided interval leaves (1 - confidence) / 2 "
                "in each tail: use the t quantile at (1 + confidence) / 2, not at confidence.",
                _interval(quantile=lambda c, n: scipy.stats.t.ppf(c, n - 1))),
        Mistake("standard deviation instead of standard error", "the uncertainty of a mean of n differences "
                "is s_d / sqrt(n), the standard error; s_d alone is the spread of single folds.",
                _interval(spread=lambda a, b: (a - b).std(ddof=1))),
        Mistake("population standard deviation", "use the sample standard deviation of the differences "
                "(ddof=1); ddof=0 makes the interval too narrow.", _interval(ddof=0)),
        Mistake("n degrees of freedom", "estimating the mean uses one degree of freedom: the t quantile has "
                "n - 1 degrees of freedom, not n.", _interval(quantile=lambda c, n: scipy.stats.t.ppf((1 + c) / 2, n))),
        Mistake("independent-samples interval", "the scores come from the same folds, so the interval is for "
                "the mean of the differences a_i - b_i; treating the two models as independent samples "
                "adds the fold-to-fold variation and hides a consistent gain.", _interval(spread=_welch_error)),
        Mistake("arguments not checked", "the Raises section asks for ValueError with fewer than 2 pairs (one "
                "difference has no standard deviation), for score arrays of different lengths and for a "
                "confidence level outside (0, 1) (95 is a percentage, 0.95 a level).", _unchecked_interval),
    ),
    alternatives=(_interval_from_ttest_rel, _interval_by_t_interval),
    minimal=_minimal_paired_confidence_interval,
)

# --- holm_bonferroni ---------------------------------------------------------------

# Decisions are booleans, so the comparison is exact.  No p-value lies within a relative
# 1e-9 of its threshold alpha / (m - k + 1) except on purpose in the "boundary" case, where
# every threshold is alpha / 2**j, exact in any form (p <= alpha / j, p * j <= alpha).
_holm_mixed = np.concatenate([_rng.uniform(0, 0.004, 5), _rng.uniform(0, 1, 15)])
_rng.shuffle(_holm_mixed)
_holm_six = np.array([0.03, 0.011, 0.09, 0.012, 0.5, 0.017])


def _holm(*, thresholds=None, stop=True, strict=False, sorted_order=False):
    """A holm_bonferroni that validates like the reference and differs in one step."""
    def holm(p_values, alpha=0.05):
        check_alpha(alpha)
        p = np.asarray(p_values, float)
        if not np.all((p >= 0) & (p <= 1)):
            raise ValueError("p-values lie in [0, 1]")
        order = np.argsort(p, kind="stable")
        m = p.size
        limits = alpha / np.arange(m, 0, -1) if thresholds is None else thresholds(alpha, m)
        passed = p[order] < limits if strict else p[order] <= limits
        if stop:
            passed = np.logical_and.accumulate(passed)
        if sorted_order:
            return passed
        reject = np.zeros(m, dtype=bool)
        reject[order] = passed
        return reject
    return holm


def _holm_adjusted(p_values, alpha=0.05):
    """Correct: Holm-adjusted p-values (running maximum of (m - k + 1) p_(k)), compared with alpha."""
    check_alpha(alpha)
    p = np.asarray(p_values, float)
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError("p-values must lie in [0, 1]")
    order = np.argsort(p)
    adjusted = np.minimum(np.maximum.accumulate(p[order] * np.arange(p.size, 0, -1)), 1.0)
    reject = np.empty(p.size, dtype=bool)
    reject[order] = adjusted <= alpha
    return reject


def _holm_loop(p_values, alpha=0.05):
    """Correct: a plain loop over the indices sorted by p-value, breaking at the first keep."""
    if not 0 < alpha < 1:
        raise ValueError("alpha must lie strictly between 0 and 1")
    p = [float(value) for value in p_values]
    if any(not 0 <= value <= 1 for value in p):
        raise ValueError("every p-value must lie in [0, 1]")
    reject = np.zeros(len(p), dtype=bool)
    for rank, index in enumerate(sorted(range(len(p)), key=p.__getitem__)):
        if p[index] > alpha / (len(p) - rank):
            break
        reject[index] = True
    return reject


def _minimal_holm_bonferroni(p_values, alpha=0.05):
    _level(alpha)
    p = np.asarray(p_values, float)
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    order = np.argsort(p)
    passed = np.cumprod(p[order] <= alpha / (p.size - np.arange(p.size))).astype(bool)
    reject = np.zeros(p.size, dtype=bool)
    reject[order] = passed
    return reject


def _unchecked_holm(p_values, alpha=0.05):
    p = np.asarray(p_values, float)
    order = np.argsort(p)
    reject = np.zeros(p.size, dtype=bool)
    reject[order] = np.logical_and.accumulate(p[order] <= alpha / np.arange(p.size, 0, -1))
    return reject


HOLM_BONFERRONI = Exercise(
    name="holm_bonferroni",
    reference=ref.holm_bonferroni,
    compare=Array(),  # booleans become 0.0 / 1.0: exact
    tests=(
        GradedTest("test_holm_bonferroni", 2, "Holm's step-down rejections, in the order given", (
            Case("four p-values that Holm rejects but Bonferroni only half of", ([0.01, 0.04, 0.02, 0.005],)),
            Case("four p-values where Holm stops after two", (np.array([0.01, 0.04, 0.03, 0.005]),)),
            Case("a p-value below alpha after the procedure has stopped",
                 (np.array([0.04, 0.001, 0.032, 0.03]),)),
            Case("20 p-values: five real effects among fifteen true nulls", (_holm_mixed,)),
            Case("six p-values at alpha = 0.1", (_holm_six,), {"alpha": 0.1}),
            Case("six p-values at alpha = 0.01", (_holm_six,), {"alpha": 0.01}),
            Case("p-values exactly at their thresholds alpha / 2 and alpha (at most counts)",
                 (np.array([0.05, 0.025]),)),
            Case("two tied p-values", (np.array([0.01, 0.2, 0.01]),)),
            Case("a single p-value", (np.array([0.03]),)),
        )),
        GradedTest("test_holm_bonferroni_errors", 1,
                   "alpha outside (0, 1) or a p-value outside [0, 1] raise ValueError", (
            Case("alpha = 5 (a percentage)", (np.array([0.01, 0.2]),), {"alpha": 5}, raises=ValueError),
            Case("alpha = 0", (np.array([0.01, 0.2]),), {"alpha": 0.0}, raises=ValueError),
            Case("a p-value of 1.5", (np.array([0.01, 1.5]),), raises=ValueError),
            Case("a negative p-value", (np.array([-0.01, 0.2]),), raises=ValueError),
        )),
    ),
    mistakes=(
        Mistake("Bonferroni instead of Holm", "Bonferroni compares every p-value with alpha / m; Holm compares "
                "the k-th smallest with alpha / (m - k + 1), so after each rejection the threshold relaxes "
                "and more hypotheses are rejected at the same family-wise level.",
                _holm(thresholds=lambda a, m: np.full(m, a / m))),
        Mistake("no stop at the first non-rejection", "Holm's procedure is step-down: once the k-th smallest "
                "p-value misses its threshold, it and every larger p-value are kept, even one that would "
                "pass its own threshold.", _holm(stop=False)),
        Mistake("thresholds in the wrong order", "the smallest p-value faces the strictest threshold "
                "alpha / m, the largest faces alpha; you gave alpha / k to the k-th smallest.",
                _holm(thresholds=lambda a, m: a / np.arange(1, m + 1))),
        Mistake("decisions in sorted order", "return one decision per p-value in the order the p-values "
                "were given; put the sorted decisions back where their p-values came from.",
                _holm(sorted_order=True)),
        Mistake("no correction", "testing each hypothesis at alpha lets the chance of at least one false "
                "rejection grow with the number of tests (0.64 for 20 tests at 0.05); Holm keeps it at alpha.",
                _holm(thresholds=lambda a, m: np.full(m, a), stop=False)),
        Mistake("strict inequality", "a p-value equal to its threshold alpha / (m - k + 1) is rejected: "
                "compare with <=.", _holm(strict=True)),
        Mistake("arguments not checked", "the Raises section asks for ValueError when alpha is not strictly "
                "between 0 and 1 (5 is a percentage, not a level) and when a p-value lies outside [0, 1].",
                _unchecked_holm),
    ),
    alternatives=(_holm_adjusted, _holm_loop),
    minimal=_minimal_holm_bonferroni,
)

# --- family_wise_error_rate --------------------------------------------------------


def _fwer_exact(n_tests, alpha):
    return 1 - (1 - alpha) ** n_tests


_FWER_5000 = MonteCarloEstimate(_fwer_exact(20, 0.05), 5000)


def _fwer_case(label, n_tests, alpha, n_simulations, seed):
    """A distribution case: the rate must lie near the closed form 1 - (1 - alpha)**n_tests."""
    return Case(label, (n_tests, alpha, n_simulations, np.random.default_rng(seed)),
                compare=MonteCarloEstimate(_fwer_exact(n_tests, alpha), n_simulations))


def _simulate_families(summarise, draw=None):
    """A family_wise_error_rate that validates like the reference and summarises ``p < alpha`` differently."""
    def rate(n_tests, alpha, n_simulations, rng):
        as_count(n_tests, "n_tests", 1)
        as_count(n_simulations, "n_simulations", 1)
        check_alpha(alpha)
        shape = (n_simulations, n_tests)
        p_values = rng.random(shape) if draw is None else draw(shape)
        return float(summarise(p_values, alpha))
    return rate


def _fwer_loop(n_tests, alpha, n_simulations, rng):
    """Correct: one family at a time, an error when its smallest p-value is below alpha."""
    if n_tests < 1 or n_simulations < 1 or not 0 < alpha < 1:
        raise ValueError("need n_tests >= 1, n_simulations >= 1 and 0 < alpha < 1")
    errors = 0
    for _ in range(n_simulations):
        errors += rng.uniform(0, 1, n_tests).min() < alpha
    return errors / n_simulations


def _fwer_binomial(n_tests, alpha, n_simulations, rng):
    """Correct: draw the number of false rejections per family directly, Binomial(n_tests, alpha)."""
    as_count(n_tests, "n_tests", 1)
    as_count(n_simulations, "n_simulations", 1)
    check_alpha(alpha)
    return float(np.mean(rng.binomial(n_tests, alpha, size=n_simulations) > 0))


def _minimal_family_wise_error_rate(n_tests, alpha, n_simulations, rng):
    if n_tests < 1 or n_simulations < 1:
        raise ValueError("need at least one test and one simulation")
    _level(alpha)
    return float(np.mean((rng.random((n_simulations, n_tests)) < alpha).any(axis=1)))


def _unchecked_family_wise_error_rate(n_tests, alpha, n_simulations, rng):
    p_values = rng.random((max(n_simulations, 1), max(n_tests, 0)))
    return float(np.mean((p_values < alpha).any(axis=1)))


FAMILY_WISE_ERROR_RATE = Exercise(
    name="family_wise_error_rate",
    reference=ref.family_wise_error_rate,
    compare=Scalar(),
    tests=(
        # Radius around 1 - (1 - alpha)**m (Bernstein, 1e-8): 0.021 at 0.64 and 0.013 at 0.05
        # (20,000 families), 0.017 at 0.92 (10,000).  Mistakes: the fraction of single tests
        # gives alpha (0.05 for 0.64), the expected count m * alpha (1.0 for 0.64, 0.6 for 0.49),
        # "every test" alpha**m, and "p > alpha" about 1 - alpha**m.
        GradedTest("test_family_wise_error_rate", 2, "the share of families with a false rejection, "
                   "near 1 - (1 - alpha)**n_tests", (
            _fwer_case("20,000 families of 20 tests at alpha 0.05", 20, 0.05, 20_000, 1),
            _fwer_case("20,000 families of a single test at alpha 0.05", 1, 0.05, 20_000, 2),
            _fwer_case("20,000 families of 5 tests at alpha 0.01", 5, 0.01, 20_000, 3),
            _fwer_case("10,000 families of 50 tests at alpha 0.05", 50, 0.05, 10_000, 4),
            _fwer_case("20,000 families of 3 tests at alpha 0.2", 3, 0.2, 20_000, 5),
        )),
        # K ~ Binomial(5000, 0.64) takes any one value with probability <= 0.012, so six
        # seeds give the same rate with probability <= 0.012**5 < 3e-10.
        GradedTest("test_family_wise_error_rate_reproducible", 1, "all randomness comes from `rng`", (
            _reproducible_case(
                "5,000 families of 20 tests at alpha 0.05: seeded generators, under several global seeds",
                lambda fn, rng: fn(20, 0.05, 5000, rng), _FWER_5000),
        )),
        GradedTest("test_family_wise_error_rate_errors", 1,
                   "no tests, no simulations or alpha outside (0, 1) raise ValueError", (
            Case("families of 0 tests", (0, 0.05, 100, np.random.default_rng(6)), raises=ValueError),
            Case("zero simulations", (20, 0.05, 0, np.random.default_rng(6)), raises=ValueError),
            Case("alpha = 1.5", (20, 1.5, 100, np.random.default_rng(6)), raises=ValueError),
        )),
    ),
    mistakes=(
        Mistake("fraction of tests instead of families", "the family-wise error rate counts families with at "
                "least one false rejection; the share of single tests that reject is just alpha.",
                _simulate_families(lambda p, a: np.mean(p < a))),
        Mistake("expected number of false rejections", "averaging the number of rejections per family gives "
                "n_tests * alpha (1.0 for 20 tests at 0.05), which is not a probability; count a family once "
                "if any of its tests rejects.", _simulate_families(lambda p, a: np.mean(np.sum(p < a, axis=1)))),
        Mistake("every test instead of any", "one false rejection is enough to make a family wrong: use any, "
                "not all, across the family's tests.",
                _simulate_families(lambda p, a: np.mean(np.all(p < a, axis=1)))),
        Mistake("rejects when p > alpha", "a test rejects its null hypothesis when p < alpha (a small p-value "
                "is the surprise).", _simulate_families(lambda p, a: np.mean(np.any(p > a, axis=1)))),
        Mistake("global NumPy random state", "draw the p-values from the `rng` argument (rng.random), not "
                "from np.random.*, so that a seed reproduces the result.",
                _simulate_families(lambda p, a: np.mean(np.any(p < a, axis=1)),
                                   draw=lambda shape: np.random.random_sample(shape))),
        Mistake("arguments not checked", "the Raises section asks for ValueError for families of fewer than "
                "1 test, fewer than 1 simulation and alpha outside (0, 1).", _unchecked_family_wise_error_rate),
    ),
    alternatives=(_fwer_loop, _fwer_binomial),
    minimal=_minimal_family_wise_error_rate,
)

EXERCISES = (
    SIMULATED_P_VALUE,
    PAIRED_PERMUTATION_TEST,
    EXACT_PAIRED_PERMUTATION_P_VALUE,
    PAIRED_T_TEST,
    Z_CRITICAL_VALUE,
    Z_TEST_POWER,
    TYPE_ONE_ERROR_RATE,
    PAIRED_CONFIDENCE_INTERVAL,
    FAMILY_WISE_ERROR_RATE,
    HOLM_BONFERRONI,
)
