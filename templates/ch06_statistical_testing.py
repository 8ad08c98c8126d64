# %% [markdown]
# # Assignment 6 - Statistical testing
#
# *Mastering Data Science Interviews*, chapter 6 (questions 20-22).
#
# Model B scores 0.87 where model A scores 0.85. Is B better, or did it get luckier folds?
# In this assignment you build the tools that answer that question: p-values from simulated
# null distributions, a permutation test that flips the sign of paired score differences
# (by random sampling and by complete enumeration), the paired t-test, and the quantities
# behind question 22 - critical values, power and the type I error rate of one- and two-sided
# tests. The last two sections take up two limitations the book lists: a confidence interval
# says how large a difference is (practical significance), and testing many hypotheses at once
# calls for a correction (multiple comparisons).
#
# **How to work**
#
# * Replace each `raise NotImplementedError()` with your code. Keep the function names and
#   arguments exactly as given: the autograder calls them.
# * The cell after each exercise holds public tests built from the book's examples. When they
#   pass you are on the right track; hidden tests with more cases decide the grade.
# * Most functions take `alternative`, one of `"two-sided"`, `"greater"` or `"less"`.
# * Each stub's **Raises** section lists the inputs for which it must raise `ValueError` (an
#   unknown `alternative`, a significance level outside (0, 1), ...). That is all the error
#   handling that is graded, in a small test of its own after each exercise, so a function that
#   computes the right answers never loses the points of its other tests. Conditions stated
#   only under Parameters are assumptions you may rely on.
# * Functions that take `rng` (a `numpy.random.Generator`) must draw *all* their random numbers
#   from it - never from `np.random.*` - so that a seed reproduces the result. Hidden tests
#   judge simulations by their distribution, so any correct way of drawing passes.
# * The hidden tests judge what your functions return, never how they compute it: loops and
#   vectorised code, your own formulas and library calls all earn the same points. Where the
#   text suggests a method, it is because that method teaches something or runs fast.
# * Check yourself from a terminal before you submit:
#   `mdsi-check ch06_statistical_testing.ipynb` runs the notebook in a fresh kernel and lists
#   each exercise as passed, failed or not attempted.

# %%
import matplotlib.pyplot as plt
import numpy as np
import scipy.stats

# %% [markdown]
# ### Provided helpers
#
# These helpers check arguments and raise a `ValueError` that names the argument when
# something is wrong (an unknown `alternative`, a significance level outside (0, 1), score
# arrays of different lengths). `paired_differences(scores_a, scores_b)` returns `a - b` as a
# float array. You may use them in your solutions; you do not have to.

# %% provided="helpers"

# %% [markdown]
# ## 1. Is the difference real? (question 20)
#
# A score measured on a finite data set is a random quantity: another split, another seed or
# another sample would give a slightly different number. A hypothesis test asks whether an
# observed difference is larger than that noise can plausibly produce. It starts from a
# **null hypothesis** $H_0$ - here, "the two models perform equally well" - and a **test
# statistic** $T$ that measures the difference. The **p-value** is the probability, computed
# as if $H_0$ were true, of a statistic at least as extreme as the one observed. A small
# p-value (below a level $\alpha$ fixed in advance, often 0.05) means the data would be
# surprising under $H_0$, and we reject it.
#
# ## 2. A p-value is a tail probability (question 21)
#
# When the null distribution of $T$ has no formula, we can simulate it and count. With $B$
# simulated statistics $T_1, \dots, T_B$, the p-value is the fraction at least as extreme as
# the observed $t$:
#
# * two-sided (any difference): $\frac{1}{B}\#\{|T_b| \ge |t|\}$;
# * "greater" (a difference in the positive direction): $\frac{1}{B}\#\{T_b \ge t\}$;
# * "less": $\frac{1}{B}\#\{T_b \le t\}$.
#
# "At least as extreme" includes ties. The book's listing 6.2 draws 1,000 standard-normal
# statistics and an observed value of 2.0; the two-sided answer should be near
# $2(1 - \Phi(2)) \approx 0.0455$. The p-value is *not* the probability that $H_0$ is true
# (nor that a model is correct): it is computed assuming $H_0$ is true. The book's example of
# $p = 0.03$ says that equal models would produce a difference this large about 3 % of the
# time - rare enough to reject $H_0$ at the 5 % level. It is evidence against $H_0$, not
# proof: at the 5 % level one test in twenty on truly equal models rejects anyway.
#
# A small p-value also says nothing about whether the difference *matters*. With enough folds
# or a large enough test set, a gain of 0.1 % accuracy becomes "significant". Always report the
# effect size - here the mean difference in score, ideally with an interval around it - and
# judge its practical importance separately (the book lists forgetting this as a common
# mistake, twice).
#
# **Exercise 1.** Implement `simulated_p_value`.

# %% solution="simulated_p_value"

# %% grade_id="test_simulated_p_value"
null = [-3.0, -1.0, 0.0, 2.0, 5.0]
got = simulated_p_value(null, 2.0)
assert np.isclose(got, 0.6), (
    f"simulated_p_value({null}, 2.0) returned {got}; expected 0.6 - three of the five values "
    "(-3, 2 and 5) have |T| >= 2, and the tie at 2 counts"
)
got = simulated_p_value(null, 2.0, alternative="greater")
assert np.isclose(got, 0.4), f"with alternative='greater' only 2 and 5 count (T >= 2): expected 0.4, got {got}"
got = simulated_p_value(null, -1.0, alternative="less")
assert np.isclose(got, 0.4), f"with alternative='less', -3 and -1 are <= -1: expected 0.4, got {got}"
book_null = np.random.default_rng(0).normal(0, 1, 200_000)
got = simulated_p_value(book_null, 2.0)
assert abs(got - 0.0455) < 0.003, (
    f"for 200,000 standard-normal null draws and observed 2.0 you returned {got}; the two-sided "
    "tail probability is 2 * (1 - Phi(2)) = 0.0455 - did you count only one tail?"
)

# %% grade_id="test_simulated_p_value_errors"
try:
    simulated_p_value(null, 2.0, alternative="two_sided")
except ValueError:
    pass
else:
    raise AssertionError("alternative='two_sided' (underscore) must raise ValueError, not run a test")

# %% [markdown]
# The shaded tails are the p-value of listing 6.2 (compare the book's figure 6.1):

# %%
null_draws = np.random.default_rng(0).normal(0, 1, 1000)
plt.figure(figsize=(5, 3))
bins = np.linspace(-4, 4, 41)
plt.hist(null_draws, bins=bins, alpha=0.5, label="null distribution")
plt.hist(null_draws[np.abs(null_draws) >= 2.0], bins=bins, color="C3", label="at least as extreme")
plt.axvline(2.0, color="C3", linestyle="--")
plt.axvline(-2.0, color="C3", linestyle="--")
plt.title(f"two-sided p-value = {simulated_p_value(null_draws, 2.0):.3f}")
plt.legend()
plt.show()

# %% [markdown]
# ## 3. Comparing two models fold by fold: the permutation test (question 20)
#
# Cross-validation gives both models a score on the *same* folds, so the natural data are the
# paired differences $d_i = a_i - b_i$, and a natural statistic is their mean. If the models
# are equally good, the labels "A" and "B" within a fold are arbitrary: swapping them flips
# the sign of $d_i$ and leaves the data just as plausible. So under $H_0$ every one of the
# $2^n$ sign patterns $(\pm d_1, \dots, \pm d_n)$ is equally likely, and the p-value is the
# share of patterns whose mean is at least as extreme as the observed one. Pairing matters:
# shuffling all scores between the two models would mix the large fold-to-fold variation
# into the null distribution and hide a small but consistent gain.
#
# With many folds, $2^n$ patterns are too many, and we sample $B$ random sign patterns
# instead. The observed pattern is itself one possible draw, so the Monte-Carlo p-value is
# $(1 + \#\{\text{resampled means at least as extreme}\}) / (1 + B)$: it is never exactly 0,
# and the test keeps its level $\alpha$. Floating-point sums of the same numbers in another
# order can differ in the last bit, so count a resampled mean within
# $10^{-9} \cdot \mathrm{mean}(|d|)$ of the observed one as a tie.
#
# **Exercise 2.** Implement `paired_permutation_test`. Drawing all the signs as one `(B, n)`
# array makes it fast; a loop over resamples is just as correct, only slower.
#
# **Exercise 3.** Implement `exact_paired_permutation_p_value`, enumerating all $2^n$ sign
# patterns (the observed one included) for up to 20 folds. Hint: the means of all patterns
# of $d_1, \dots, d_k$ can be built from those of $d_1, \dots, d_{k-1}$.

# %% solution="paired_permutation_test"

# %% grade_id="test_paired_permutation_test"
folds_a = [0.84, 0.86, 0.85, 0.83, 0.87]  # model A, mean accuracy 0.85 (the book's example)
folds_b = [0.86, 0.88, 0.87, 0.86, 0.88]  # model B, mean accuracy 0.87
got = paired_permutation_test(folds_a, folds_b, 20_000, np.random.default_rng(1))
assert abs(got - 0.0625) < 0.012, (
    f"paired_permutation_test on the book's five folds returned {got}; the exact p-value is "
    "2/32 = 0.0625 (only the observed pattern and its mirror image are as extreme), and 20,000 "
    "resamples should land within 0.012 of it"
)

# %% grade_id="test_paired_permutation_test_edge_cases"
got = paired_permutation_test(np.arange(40.0) + 1, np.zeros(40), 999, np.random.default_rng(2))
assert np.isclose(got, 1 / 1000), (
    f"A wins all 40 folds: no random sign pattern is as extreme, so p = (1 + 0) / (1 + 999) "
    f"= 0.001; got {got} - count the observed pattern as one of the resamples"
)
got = paired_permutation_test(folds_a, folds_a, 999, np.random.default_rng(3))
assert got == 1.0, f"identical scores give mean difference 0, and every pattern ties with it: p = 1, got {got}"

# %% grade_id="test_paired_permutation_test_reproducible"
first = paired_permutation_test(folds_a, folds_b, 500, np.random.default_rng(7))
np.random.seed(123)  # changing NumPy's global state must not change your answer
second = paired_permutation_test(folds_a, folds_b, 500, np.random.default_rng(7))
assert first == second, f"two calls with generators seeded 7 gave {first} and {second}; use `rng`, not np.random"

# %% grade_id="test_paired_permutation_test_errors"
try:
    paired_permutation_test(folds_a, folds_b, 0, np.random.default_rng(7))
except ValueError:
    pass
else:
    raise AssertionError("n_resamples=0 must raise ValueError: with no resamples there is no p-value")

# %% solution="exact_paired_permutation_p_value"

# %% grade_id="test_exact_paired_permutation_p_value"
got = exact_paired_permutation_p_value(folds_a, folds_b)
assert np.isclose(got, 2 / 32), (
    f"exact_paired_permutation_p_value on the book's five folds returned {got}; expected 2/32 = "
    "0.0625: B wins every fold, and only the all-minus and all-plus patterns are that extreme"
)
got = exact_paired_permutation_p_value(folds_a, folds_b, alternative="less")
assert np.isclose(got, 1 / 32), f"one-sided ('less'), only the observed pattern counts: expected 1/32, got {got}"
got = exact_paired_permutation_p_value([3, 1, 4, 2], [1, 2, 2, 1])
assert np.isclose(got, 6 / 16), (
    f"for differences (2, -1, 2, 1) the observed mean 1.0 is matched or beaten in absolute value "
    f"by 6 of the 16 sign patterns (4 of them tie with it); got {got} - do ties count?"
)

# %% grade_id="test_exact_paired_permutation_p_value_errors"
try:
    exact_paired_permutation_p_value(np.arange(21.0), np.zeros(21))
except ValueError:
    pass
else:
    raise AssertionError("21 folds must raise ValueError: 2**21 sign patterns are too many to enumerate here")

# %% [markdown]
# **One tail, chosen in advance.** The one-sided p-value above, 1/32 = 0.031, is half the
# two-sided 0.0625 and falls below 0.05. That does not make the result significant. A
# one-sided test is legitimate only when its direction was fixed *before* looking at the data,
# on grounds that have nothing to do with this sample (say, the question was only ever whether
# the new model B is better). Picking "less" after seeing that B won every fold doubles the
# chance of a false alarm: the honest answer for a question asked after the fact is the
# two-sided 0.0625. The book lists a one-tailed test without a justified direction among its
# common mistakes; section 5 comes back to it.
#
# Five folds cannot make this test significant at the 5 % level: even a model that wins every
# fold gets a two-sided p-value of $2/2^5 = 0.0625$. The smallest attainable p-value shrinks as
# folds are added:

# %%
for n_folds in (5, 6, 8, 10):
    wins = np.linspace(0.01, 0.02, n_folds)
    print(f"{n_folds:2d} folds, A wins all: exact two-sided p = "
          f"{exact_paired_permutation_p_value(wins, np.zeros(n_folds)):.4f}")

# %% [markdown]
# ## 4. The paired t-test (question 20, listing 6.1)
#
# The paired t-test makes the same comparison with a formula instead of a simulation. It
# assumes the differences are roughly normal and computes
#
# $$t = \frac{\bar d}{s_d / \sqrt n}, \qquad s_d^2 = \frac{1}{n - 1}\sum_i (d_i - \bar d)^2,$$
#
# which under $H_0$ follows Student's t distribution with $n - 1$ degrees of freedom. For the
# book's folds, $\bar d = -0.02$ and $s_d = 0.00707$, so $t = -6.325$ and the two-sided p-value
# is $2\,P(T_4 \ge 6.325) = 0.0032$. The normality assumption buys a much smaller p-value than
# the permutation test's 0.0625 - useful, but only as trustworthy as the assumption (and
# cross-validation folds share training data, so they are not fully independent: one of the
# limitations the book lists).
#
# **Exercise 4.** Implement `paired_t_test`, returning `(t_statistic, p_value)` exactly as
# `scipy.stats.ttest_rel` would. We suggest writing the formula out with `np` and
# `scipy.stats.t` (its `sf` and `cdf`), which is what an interviewer asks you to explain; the
# hidden tests compare your results with `ttest_rel` and do not look at how you got them.

# %% solution="paired_t_test"

# %% grade_id="test_paired_t_test"
t_stat, p_value = paired_t_test(folds_a, folds_b)
assert np.isclose(t_stat, -6.3246, atol=1e-4), (
    f"paired_t_test on the book's folds returned t = {t_stat}; expected -6.3246 = -0.02 / (0.00707 / sqrt(5)) "
    "- use the sample standard deviation (ddof=1) of the differences a - b"
)
assert np.isclose(p_value, 0.0032, atol=1e-4), (
    f"returned p = {p_value}; expected 0.0032 = 2 * P(T_4 >= 6.325) with n - 1 = 4 degrees of freedom"
)
_, p_less = paired_t_test(folds_a, folds_b, alternative="less")
assert np.isclose(p_less, p_value / 2), f"one-sided 'less' should be half the two-sided p here; got {p_less}"

# %% grade_id="test_paired_t_test_errors"
try:
    paired_t_test([0.9], [0.8])
except ValueError:
    pass
else:
    raise AssertionError("a single pair must raise ValueError: one difference has no standard deviation")

# %% [markdown]
# Listing 6.1 of the book runs the comparison on real cross-validation scores. Here it is
# with 10 folds, against the book's depth-5 tree and against a single-split "stump":

# %%
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.tree import DecisionTreeClassifier

X, y = make_classification(n_samples=300, n_features=10, random_state=42)
scores_logistic = cross_val_score(LogisticRegression(max_iter=1000), X, y, cv=10)
for depth in (5, 1):
    scores_tree = cross_val_score(DecisionTreeClassifier(max_depth=depth, random_state=0), X, y, cv=10)
    print(f"logistic {scores_logistic.mean():.3f} vs tree of depth {depth} {scores_tree.mean():.3f}: "
          f"paired t-test p = {paired_t_test(scores_logistic, scores_tree)[1]:.4f}, exact permutation "
          f"p = {exact_paired_permutation_p_value(scores_logistic, scores_tree):.4f}")

# %% [markdown]
# ## 5. One tail or two? Critical values, power and error rates (question 22)
#
# A test rejects $H_0$ when the statistic falls beyond a **critical value**. For a z-statistic
# (standard normal under $H_0$) at level $\alpha$:
#
# * "greater" ($H_1: \theta > \theta_0$) rejects when $Z \ge z_{1-\alpha}$ - 1.645 at
#   $\alpha = 0.05$, the threshold in the book's listing 6.3;
# * "less" ($H_1: \theta < \theta_0$) rejects when $Z \le z_{\alpha}$ = -1.645;
# * two-sided ($H_1: \theta \ne \theta_0$) splits $\alpha$ between the tails and rejects
#   when $|Z| \ge z_{1-\alpha/2}$ = 1.96.
#
# Under $H_0$ the rejection region has probability $\alpha$: the **type I error** rate. Under
# an alternative where the statistic is $N(\delta, 1)$, its probability is the **power**, and
# one minus the power is the **type II error** rate. The book's figure 6.2 shows $\delta = 2$:
# the one-sided test has power $P(Z \ge 1.645 - 2) \approx 0.639$. A two-sided test with the
# same $\alpha$ pays for watching both directions: its threshold is further out, and its power
# at $\delta = 2$ drops to about 0.516.
#
# **Exercise 5.** Implement `z_critical_value`. `scipy.stats.norm` has all you need: `isf` and
# `ppf` are its upper- and lower-tail quantile functions.
#
# **Exercise 6.** Implement `z_test_power`; for a two-sided test both tails count.

# %% solution="z_critical_value"

# %% grade_id="test_z_critical_value"
got = z_critical_value(0.05, "greater")
assert np.isclose(got, 1.6449, atol=1e-4), f"z_critical_value(0.05, 'greater') returned {got}; the book uses 1.645"
got = z_critical_value(0.05)
assert np.isclose(got, 1.9600, atol=1e-4), (
    f"z_critical_value(0.05) returned {got}; a two-sided test puts 0.025 in each tail, so expected 1.96"
)
got = z_critical_value(0.05, "less")
assert np.isclose(got, -1.6449, atol=1e-4), f"a left-tailed test rejects below z_0.05 = -1.645; got {got}"

# %% grade_id="test_z_critical_value_errors"
try:
    z_critical_value(5)
except ValueError:
    pass
else:
    raise AssertionError("alpha=5 must raise ValueError: a level lies strictly between 0 and 1 (5 % is 0.05)")

# %% solution="z_test_power"

# %% grade_id="test_z_test_power"
got = z_test_power(2.0, 0.05, "greater")
assert np.isclose(got, 0.6388, atol=1e-4), (
    f"z_test_power(2.0, 0.05, 'greater') returned {got}; the book's figure 6.2 gives about 0.639 = "
    "P(Z >= 1.645 - 2)"
)
got = z_test_power(2.0, 0.05)
assert np.isclose(got, 0.5160, atol=1e-4), f"two-sided power at effect 2 is about 0.516; got {got}"
got = z_test_power(0.0, 0.05)
assert np.isclose(got, 0.05), f"with no effect the test rejects with probability alpha = 0.05; got {got}"

# %% grade_id="test_z_test_power_errors"
try:
    z_test_power(2.0, 0.05, "one-sided")
except ValueError:
    pass
else:
    raise AssertionError("alternative='one-sided' must raise ValueError: say 'greater' or 'less'")

# %% [markdown]
# The book's figure 6.2, drawn with your functions:

# %%
grid = np.linspace(-4, 6, 500)
threshold = z_critical_value(0.05, "greater")
null_density, alt_density = scipy.stats.norm.pdf(grid), scipy.stats.norm.pdf(grid, loc=2)
plt.figure(figsize=(6, 3.5))
plt.plot(grid, null_density, label="$H_0$")
plt.plot(grid, alt_density, label="$H_1$")
plt.fill_between(grid, null_density, where=grid >= threshold, alpha=0.3, label="type I error")
plt.fill_between(grid, alt_density, where=grid >= threshold, alpha=0.3,
                 label=f"power = {z_test_power(2.0, 0.05, 'greater'):.3f}")
plt.fill_between(grid, alt_density, where=grid < threshold, alpha=0.2, label="type II error")
plt.axvline(threshold, linestyle="--", color="k")
plt.xlabel("test statistic")
plt.legend(fontsize=8)
plt.show()

# %% [markdown]
# **Is a one-tailed test better?** Its power is higher, but only in the direction it names.
# The book warns against both halves of the temptation: choosing a tail without a direction
# fixed in advance, and believing one tail is always preferable because it is more powerful.
# If the effect turns out to go the other way, the one-tailed test is nearly blind to it:

# %%
for effect in (2.0, -2.0):
    print(f"effect {effect:+.0f}: power of 'greater' {z_test_power(effect, 0.05, 'greater'):.3f}, "
          f"two-sided {z_test_power(effect, 0.05):.3f}")

# %% [markdown]
# The one-tailed test wins by 0.12 when the effect is positive and loses by 0.52 when it is
# negative, where it detects the effect less often than the 5 % of false alarms it allows.
# That is the trade, and it is only worth making when the other direction truly does not
# matter. The two overlapping bell curves of the figure above are the whole story: the
# rejection region decides which part of the alternative's curve counts as a detection.
#
# ### Does the test keep its promise?
#
# A test at level $\alpha$ should wrongly reject a true null hypothesis a fraction $\alpha$
# of the time. Simulation checks that: draw many data sets for which $H_0$ holds, test each,
# and count the rejections. For the one-sample t-test of "mean = 0" on $N(0, 1)$ samples the
# answer should be close to $\alpha$ for every sample size - unlike a shortcut that uses
# normal instead of t quantiles, which rejects far too often on small samples.
#
# **Exercise 7.** Implement `type_one_error_rate`: the fraction of `n_simulations` two-sided
# one-sample t-tests with $p < \alpha$. Drawing one `(n_simulations, sample_size)` array and
# testing every row at once is fast; a loop is correct too, only slower.

# %% solution="type_one_error_rate"

# %% grade_id="test_type_one_error_rate"
got = type_one_error_rate(20_000, 10, 0.05, np.random.default_rng(0))
assert abs(got - 0.05) < 0.01, (
    f"type_one_error_rate(20_000, 10, 0.05, rng) returned {got}; a correct t-test rejects a true null "
    "about 5 % of the time (20,000 simulations put it within 0.01 of 0.05)"
)

# %% grade_id="test_type_one_error_rate_reproducible"
first = type_one_error_rate(2_000, 5, 0.05, np.random.default_rng(5))
np.random.seed(99)
second = type_one_error_rate(2_000, 5, 0.05, np.random.default_rng(5))
assert first == second, f"the same seed gave {first} and {second}; draw the samples from `rng`"

# %% grade_id="test_type_one_error_rate_errors"
try:
    type_one_error_rate(100, 1, 0.05, np.random.default_rng(5))
except ValueError:
    pass
else:
    raise AssertionError("samples of 1 observation must raise ValueError: a t-test needs a standard deviation")

# %% [markdown]
# ## 6. How large is the difference? Confidence intervals (questions 20-21)
#
# A p-value answers a yes-or-no question: could the difference be zero? An interviewer who
# asks about *practical* significance wants the other half of the answer: how large is the
# difference, and how sure are we of its size? A **confidence interval** for the mean paired
# difference gives both. With the same ingredients as the paired t-test,
#
# $$\bar d \;\pm\; t_{(1+c)/2,\; n-1}\,\frac{s_d}{\sqrt n},$$
#
# where $c$ is the confidence level (0.95 for a 95 % interval) and $t_{q, n-1}$ is the
# $q$-quantile of Student's t with $n - 1$ degrees of freedom. Over many repetitions of the
# experiment, 95 % of the intervals built this way contain the true mean difference. For the
# book's five folds, $\bar d = -0.02$, $s_d = 0.00707$ and $t_{0.975, 4} = 2.776$, so the 95 %
# interval is $-0.02 \pm 0.0088 = (-0.0288, -0.0112)$: model B is better by between 1.1 and 2.9
# accuracy points. The interval and the test agree - zero lies outside the interval exactly
# when the two-sided t-test rejects at 5 % - but only the interval says whether the gain is
# worth a more complex model.
#
# **Exercise 8.** Implement `paired_confidence_interval`, returning `(low, high)` as
# `scipy.stats.ttest_rel(a, b).confidence_interval(confidence)` would.

# %% solution="paired_confidence_interval"

# %% grade_id="test_paired_confidence_interval"
low, high = paired_confidence_interval(folds_a, folds_b)
assert np.isclose(low, -0.02878, atol=1e-5) and np.isclose(high, -0.01122, atol=1e-5), (
    f"paired_confidence_interval on the book's folds returned ({low}, {high}); expected -0.02 -/+ "
    "2.776 * 0.00707 / sqrt(5) = (-0.02878, -0.01122) - the t quantile at 0.975 with 4 degrees of "
    "freedom and the standard error s_d / sqrt(n)"
)
low_99, high_99 = paired_confidence_interval(folds_a, folds_b, confidence=0.99)
assert np.isclose(low_99, -0.03456, atol=1e-5) and np.isclose(high_99, -0.00544, atol=1e-5), (
    f"the 99 % interval should be wider, (-0.03456, -0.00544) with t_0.995,4 = 4.604; got ({low_99}, {high_99})"
)

# %% grade_id="test_paired_confidence_interval_errors"
try:
    paired_confidence_interval([0.9], [0.8])
except ValueError:
    pass
else:
    raise AssertionError("a single pair must raise ValueError: one difference has no standard deviation")

# %% [markdown]
# Back to listing 6.1: the logistic regression against the book's depth-5 tree, with the
# p-value of the paired t-test next to the 95 % interval for the mean difference in accuracy.

# %%
scores_tree = cross_val_score(DecisionTreeClassifier(max_depth=5, random_state=0), X, y, cv=10)
low, high = paired_confidence_interval(scores_logistic, scores_tree)
difference = np.mean(scores_logistic - scores_tree)
print(f"mean difference {difference:+.3f}, 95 % interval ({low:+.3f}, {high:+.3f}), "
      f"p = {paired_t_test(scores_logistic, scores_tree)[1]:.4f}")
plt.figure(figsize=(5, 1.8))
plt.errorbar([difference], [0], xerr=[[difference - low], [high - difference]], fmt="o", capsize=6)
plt.axvline(0, color="k", linewidth=0.8)
plt.yticks([])
plt.xlabel("accuracy of logistic regression minus tree (95 % interval)")
plt.show()

# %% [markdown]
# Whatever the p-value, read the interval in the units that matter. If one accuracy point is
# worth the cost of running and explaining a second model, an interval that lies wholly above
# +0.01 is a practical win; an interval that straddles zero, or lies between 0 and 0.005, says
# the gain is absent or too small to care about, however small the p-value becomes with more
# data. On a large enough test set a gain of 0.1 points is "significant" and still worthless.
#
# ## 7. Many comparisons (question 20, limitations)
#
# Try twenty models, or twenty features, or twenty variants of an A/B test, and test each at
# $\alpha = 0.05$. Even if *none* of them differs from the baseline, each test has a 5 % chance
# of a false alarm, and the chance that at least one of them fires - the **family-wise error
# rate** - is $1 - (1 - 0.05)^{20} = 0.64$ for independent tests. This is the "multiple
# comparisons" limitation in the book's list: search long enough and something is always
# significant.
#
# **Exercise 9.** Implement `family_wise_error_rate` by simulation: `n_simulations` families of
# `n_tests` true-null tests, whose p-values are uniform on (0, 1), and the fraction of families
# in which some `p < alpha`. Draw everything from `rng`; how you draw is up to you.

# %% solution="family_wise_error_rate"

# %% grade_id="test_family_wise_error_rate"
got = family_wise_error_rate(20, 0.05, 20_000, np.random.default_rng(0))
assert abs(got - 0.6415) < 0.02, (
    f"family_wise_error_rate(20, 0.05, 20_000, rng) returned {got}; at least one of 20 true-null tests "
    "rejects with probability 1 - 0.95**20 = 0.6415, and 20,000 families land within 0.02 of it"
)
got = family_wise_error_rate(1, 0.05, 20_000, np.random.default_rng(1))
assert abs(got - 0.05) < 0.01, f"a family of one test errs with probability alpha = 0.05; got {got}"

# %% grade_id="test_family_wise_error_rate_reproducible"
first = family_wise_error_rate(20, 0.05, 2_000, np.random.default_rng(5))
np.random.seed(99)
second = family_wise_error_rate(20, 0.05, 2_000, np.random.default_rng(5))
assert first == second, f"the same seed gave {first} and {second}; draw the p-values from `rng`"

# %% grade_id="test_family_wise_error_rate_errors"
try:
    family_wise_error_rate(0, 0.05, 100, np.random.default_rng(5))
except ValueError:
    pass
else:
    raise AssertionError("n_tests=0 must raise ValueError: a family needs at least one test")

# %% [markdown]
# The simulation against the formula, for families of 1 to 50 tests:

# %%
sizes = np.arange(1, 51)
simulated = [family_wise_error_rate(m, 0.05, 1_000, np.random.default_rng(m)) for m in sizes]
plt.figure(figsize=(5.5, 3.2))
plt.plot(sizes, simulated, ".", label="simulated (1,000 families each)")
plt.plot(sizes, 1 - 0.95**sizes, label=r"$1 - (1 - 0.05)^m$")
plt.axhline(0.05, color="k", linestyle=":", label=r"$\alpha = 0.05$")
plt.annotate("0.64 at 20 tests", (20, 1 - 0.95**20), xytext=(24, 0.45), arrowprops={"arrowstyle": "->"})
plt.xlabel("number of tests $m$")
plt.ylabel("P(at least one false rejection)")
plt.legend(fontsize=8)
plt.show()

# %% [markdown]
# ### Holm's correction
#
# The simplest fix, **Bonferroni**, tests each of the $m$ hypotheses at $\alpha / m$: the
# chance of any false rejection is then at most $\alpha$, whatever the dependence between
# the tests. **Holm's step-down procedure** keeps the same guarantee and rejects at least as
# much: sort the p-values, compare the smallest with $\alpha / m$, the next with
# $\alpha / (m - 1)$, ..., the largest with $\alpha$, and reject while each one is at most its
# threshold. At the first p-value that misses, stop: it and all larger ones are kept, even if
# a later one would pass its own threshold. With p-values 0.01, 0.04, 0.02 and 0.005 at
# $\alpha = 0.05$, Bonferroni's $0.0125$ rejects only 0.005 and 0.01, while Holm goes on
# ($0.02 \le 0.025$, $0.04 \le 0.05$) and rejects all four.
#
# **Exercise 10.** Implement `holm_bonferroni`, returning one boolean per p-value in the order
# given (as statsmodels' `multipletests(p, alpha, method="holm")[0]` does).

# %% solution="holm_bonferroni"

# %% grade_id="test_holm_bonferroni"
got = holm_bonferroni([0.01, 0.04, 0.02, 0.005])
assert isinstance(got, np.ndarray) and got.tolist() == [True, True, True, True], (
    f"holm_bonferroni([0.01, 0.04, 0.02, 0.005]) returned {got}; Holm rejects all four (0.005 <= 0.05/4, "
    "0.01 <= 0.05/3, 0.02 <= 0.05/2, 0.04 <= 0.05) - Bonferroni would reject only two"
)
got = holm_bonferroni([0.01, 0.04, 0.03, 0.005])
assert got.tolist() == [True, False, False, True], (
    f"holm_bonferroni([0.01, 0.04, 0.03, 0.005]) returned {got}; 0.03 misses 0.05/2, so it and 0.04 are "
    "kept - and the answer is in the order the p-values were given"
)

# %% grade_id="test_holm_bonferroni_errors"
try:
    holm_bonferroni([0.01, 0.2], alpha=5)
except ValueError:
    pass
else:
    raise AssertionError("alpha=5 must raise ValueError: a level lies strictly between 0 and 1")
