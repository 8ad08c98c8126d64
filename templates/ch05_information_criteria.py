# %% [markdown]
# # Assignment 5 - Information criteria and cross-validation
#
# *Mastering Data Science Interviews*, chapter 5 (questions 18-19).
#
# Add parameters to a model and its fit to the training data almost never gets worse - but
# that does not make the bigger model better. This assignment builds the two standard ways of
# charging a model for its complexity. **Information criteria** (AIC and BIC) start from the
# maximised likelihood and add a penalty per parameter; **cross-validation** skips the formula
# and measures the error on data the model did not see. You will compute both for polynomial
# fits of increasing degree and let each pick a degree.
#
# **How to work**
#
# * Replace each `raise NotImplementedError()` with your code. Keep the function names and
#   arguments exactly as given: the autograder calls them.
# * The cell after each exercise holds public tests built from the book's worked examples.
#   When they pass you are on the right track; hidden tests with more cases decide the grade.
# * Use natural logarithms (`np.log`) throughout, and draw all randomness from the `rng`
#   argument when a function has one.
# * Check yourself from a terminal before you submit:
#   `mdsi-check ch05_information_criteria.ipynb` runs the notebook in a fresh kernel and lists
#   each exercise as passed, failed or not attempted.

# %%
import matplotlib.pyplot as plt
import numpy as np

# %% [markdown]
# ### Provided helpers
#
# These helpers convert and check inputs, raising a `ValueError` that names the argument when
# something is wrong (a count that is not a whole number, mismatched shapes, a missing
# generator). You may use them in your solutions; you do not have to.

# %% provided="helpers"

# %% [markdown]
# ## 1. The likelihood of a least-squares fit (question 18)
#
# AIC and BIC are built on the maximised log-likelihood $\log L$ of a model. For a regression
# with Gaussian noise, $y_i = \hat y_i + \varepsilon_i$ with $\varepsilon_i \sim \mathcal
# N(0, \sigma^2)$, the log-likelihood is
#
# $$\log L = -\frac{n}{2}\log(2\pi\sigma^2) - \frac{\mathrm{RSS}}{2\sigma^2},
# \qquad \mathrm{RSS} = \sum_i (y_i - \hat y_i)^2 .$$
#
# The noise variance is a parameter too. Its maximum-likelihood estimate is the mean squared
# residual, $\hat\sigma^2 = \mathrm{RSS}/n$, and substituting it makes the second term exactly
# $n/2$:
#
# $$\log L = -\frac{n}{2}\left(\log\frac{2\pi\,\mathrm{RSS}}{n} + 1\right).$$
#
# This is the formula in the book's listings 5.1 and 5.2 (and statsmodels' `llf` for OLS). A
# smaller residual sum of squares means a larger log-likelihood.
#
# **Exercise 1.** Implement `gaussian_log_likelihood_from_rss`, returning a float.

# %% solution="gaussian_log_likelihood_from_rss"

# %% grade_id="test_gaussian_log_likelihood_from_rss"
residuals = np.array([1.0, -1.0, 2.0, -2.0])  # RSS = 10 over n = 4, so sigma^2 = 2.5
got = gaussian_log_likelihood_from_rss(10.0, 4)
assert np.isclose(got, -2 * (np.log(2 * np.pi * 2.5) + 1)), (
    f"gaussian_log_likelihood_from_rss(10.0, 4) returned {got}; expected -7.5083 = "
    "-4/2 * (log(2 pi * 10/4) + 1) - did you divide the RSS by n and keep the + 1?"
)
full = np.sum(-0.5 * np.log(2 * np.pi * 2.5) - residuals**2 / (2 * 2.5))
assert np.isclose(got, full), (
    f"the sum of the four normal log-densities with sigma^2 = RSS/n is {full:.4f}; your "
    f"function returned {got:.4f}"
)
assert gaussian_log_likelihood_from_rss(5.0, 4) > got, (
    f"gaussian_log_likelihood_from_rss(5.0, 4) returned {gaussian_log_likelihood_from_rss(5.0, 4)}, not above "
    f"{got}: a smaller RSS must give a larger log-likelihood"
)

# %% [markdown]
# ## 2. AIC and BIC (question 18)
#
# With $k$ estimated parameters and $n$ observations,
#
# $$\mathrm{AIC} = 2k - 2\log L, \qquad \mathrm{BIC} = k\log n - 2\log L .$$
#
# $-2\log L$ measures lack of fit; the other term charges for complexity. Lower is better, and
# the values only mean something *relative to other models fitted to the same data*. AIC
# charges 2 per parameter; BIC charges $\log n$, which is more than 2 as soon as $n \ge 8$,
# so on all but tiny data sets BIC is the more conservative of the two.
#
# The book's worked example compares model A ($k = 3$, $\log L = -120$) with model B
# ($k = 6$, $\log L = -115$) on $n = 50$ observations:
#
# | | AIC | BIC |
# |---|---|---|
# | A | $6 + 240 = 246$ | $3\log 50 + 240 \approx 251.74$ |
# | B | $12 + 230 = 242$ | $6\log 50 + 230 \approx 253.47$ |
#
# AIC prefers B (the better fit is worth three more parameters) while BIC prefers A. The book
# rounds $\log 50 \approx 3.912$ to 3.91 and prints 251.73 and 253.46; your functions should
# use the exact logarithm.
#
# **Exercise 2.** Implement `aic`. **Exercise 3.** Implement `bic`. Both return floats.

# %% solution="aic"

# %% grade_id="test_aic"
got_a, got_b = aic(-120, 3), aic(-115, 6)
assert np.isclose(got_a, 246) and np.isclose(got_b, 242), (
    f"aic(-120, 3) and aic(-115, 6) returned {got_a} and {got_b}; the book's models A and B "
    "have AIC 2*3 + 240 = 246 and 2*6 + 230 = 242"
)
assert got_b < got_a, "under AIC the book prefers model B: lower is better"

# %% solution="bic"

# %% grade_id="test_bic"
got_a, got_b = bic(-120, 3, 50), bic(-115, 6, 50)
assert np.isclose(got_a, 251.74, atol=0.005), (
    f"bic(-120, 3, 50) returned {got_a}; expected 3 log 50 + 240 = 251.74 "
    "(the book's 251.73 uses log 50 rounded to 3.91)"
)
assert np.isclose(got_b, 253.47, atol=0.005), (
    f"bic(-115, 6, 50) returned {got_b}; expected 6 log 50 + 230 = 253.47 "
    "(the book's 253.46 uses log 50 rounded to 3.91) - use np.log, not a rounded constant"
)
assert got_a < got_b, (
    "under BIC the book prefers model A: its penalty of log 50 per parameter is heavier"
)

# %% [markdown]
# ## 3. A criteria table for polynomial fits (question 18, listing 5.1)
#
# The book's listing 5.1 fits polynomials of degree 1 to 6 to 80 noisy points from a
# quadratic and computes both criteria for each. A polynomial of degree $d$ has $d + 1$
# coefficients, so $k = d + 1$ - the convention of statsmodels' OLS, which does not count the
# noise variance as a parameter. (Counting it adds 1 to every $k$, which shifts every AIC by
# 2 and every BIC by $\log n$ and so never changes which model wins.)
#
# **Exercise 4.** Implement `polynomial_information_criteria(x, y, degrees)`. Fit each degree
# by least squares (`np.polynomial.polynomial.polyfit` and `polyval` work well), and return a
# dict of arrays with keys `degree`, `k`, `log_likelihood`, `aic` and `bic`, one entry per
# degree in the order given. Reuse your functions from exercises 1-3.
#
# The next cell recreates the data of listing 5.1; the tests and the plot below use it.

# %%
x_book = np.linspace(-3, 3, 80)
y_book = 1.5 + 2.0 * x_book - 0.8 * x_book**2 + np.random.default_rng(0).normal(0, 2.0, 80)

# %% solution="polynomial_information_criteria"

# %% grade_id="test_polynomial_information_criteria"
table = polynomial_information_criteria([0.0, 1.0, 2.0, 3.0], [1.0, 3.0, 2.0, 4.0], [0])
assert set(table) == {"degree", "k", "log_likelihood", "aic", "bic"}, (
    f"the table has keys {sorted(table)}; expected degree, k, log_likelihood, aic and bic"
)
expected = -2 * (np.log(2 * np.pi * 5.0 / 4) + 1)
assert np.allclose(table["log_likelihood"], [expected]), (
    f"a degree-0 fit to y = [1, 3, 2, 4] predicts the mean 2.5 and leaves RSS = 5, so the "
    f"log-likelihood is {expected:.4f}; got {table['log_likelihood']}"
)
table = polynomial_information_criteria(x_book, y_book, [1, 2, 3, 4, 5, 6])
assert np.array_equal(table["k"], [2, 3, 4, 5, 6, 7]), (
    f"k should be degree + 1 (the number of coefficients); got {table['k']}"
)
assert np.all(np.diff(table["log_likelihood"]) >= -1e-9), (
    "a higher-degree least-squares fit can never fit worse, so the log-likelihood must not "
    f"decrease with the degree; got {np.round(table['log_likelihood'], 2)}"
)
assert np.allclose(table["aic"], 2 * table["k"] - 2 * table["log_likelihood"]), (
    "the aic column must be 2k - 2 log L for each degree"
)
assert table["degree"][np.argmin(table["bic"])] == 2, (
    "on the book's listing 5.1 data BIC should pick the true degree, 2; check the bic column"
)

# %% [markdown]
# On this data AIC and BIC disagree, as the book warns they can: the log-likelihood keeps
# creeping up after degree 2, and AIC's lighter penalty lets a degree-4 fit edge ahead.

# %%
table = polynomial_information_criteria(x_book, y_book, np.arange(1, 7))
plt.figure(figsize=(5, 3))
plt.plot(table["degree"], table["aic"], "o-", label="AIC")
plt.plot(table["degree"], table["bic"], "s-", label="BIC")
plt.xlabel("polynomial degree")
plt.ylabel("criterion (lower is better)")
plt.legend()
plt.show()

# %% [markdown]
# ## 4. K-fold cross-validation (question 19)
#
# Cross-validation estimates the error on unseen data directly. Shuffle the $n$ indices, cut
# them into $K$ folds, and for each fold $j$ fit the model on the other $K - 1$ folds and
# compute its error $E_j$ on fold $j$. The estimate is the average
# $\frac{1}{K}\sum_{j=1}^{K} E_j$. It costs $K$ fits instead of one, but it needs no
# likelihood and no count of parameters, so it also works for models where neither is clear.
#
# To make results reproducible across implementations, this course fixes the folds: the test
# folds are `np.array_split(rng.permutation(n), n_splits)`. With 10 examples and 3 folds,
# `np.array_split` makes folds of sizes 4, 3 and 3.
#
# **Exercise 5.** Implement `kfold_indices(n, n_splits, rng)`, returning a list of
# `(train_idx, test_idx)` pairs of integer arrays; the order of the training indices is up
# to you.
#
# **Exercise 6.** Implement `cross_validated_mse(x, y, degree, n_splits, rng)`: the mean over
# the folds of `kfold_indices` of the test-fold MSE of a polynomial fitted on the training
# folds.

# %% solution="kfold_indices"

# %% grade_id="test_kfold_indices"
folds = kfold_indices(10, 3, np.random.default_rng(0))
assert len(folds) == 3, f"kfold_indices(10, 3, rng) returned {len(folds)} folds; expected 3"
expected_tests = np.array_split(np.random.default_rng(0).permutation(10), 3)
for j, ((_, test), want) in enumerate(zip(folds, expected_tests, strict=True)):
    got_test = sorted(np.asarray(test).tolist())
    assert got_test == sorted(want.tolist()), (
        f"test fold {j} is {got_test}; expected {sorted(want.tolist())} from "
        "np.array_split(rng.permutation(10), 3) - draw the permutation from `rng`"
    )

# %% grade_id="test_kfold_indices_train"
folds = kfold_indices(10, 3, np.random.default_rng(0))
for j, (train, test) in enumerate(folds):
    got_train, got_test = sorted(np.asarray(train).tolist()), sorted(np.asarray(test).tolist())
    assert got_train == sorted(set(range(10)) - set(got_test)), (
        f"fold {j}: the training indices {got_train} must be every index outside its test "
        f"fold {got_test}"
    )

# %% solution="cross_validated_mse"

# %% grade_id="test_cross_validated_mse"
got = cross_validated_mse([0.0, 1.0, 2.0, 3.0], [1.0, 2.0, 3.0, 6.0], 0, 4,
                          np.random.default_rng(0))
assert np.isclose(got, (4 / 3) ** 2 * 3.5), (
    f"leave-one-out with a constant model returned {got}; expected 6.2222: each held-out y_i is "
    "predicted by the mean of the other three, missing by 4/3 * (y_i - 3), so the CV MSE is "
    "(4/3)^2 times the variance 3.5"
)
x_line = np.linspace(0, 1, 12)
got = cross_validated_mse(x_line, 3 * x_line + 1, 1, 4, np.random.default_rng(0))
assert np.isclose(got, 0, atol=1e-12), (
    f"a straight line fitted to points on a line must predict held-out points exactly; CV MSE {got}"
)
first = cross_validated_mse(x_book, y_book, 2, 5, np.random.default_rng(7))
again = cross_validated_mse(x_book, y_book, 2, 5, np.random.default_rng(7))
assert first == again, "the same seed must give the same folds and the same CV MSE"

# %% [markdown]
# ## 5. Choosing a degree (question 19)
#
# Whichever score you use - AIC, BIC or cross-validated error - the choice is the degree with
# the lowest score. When two degrees score exactly the same, prefer the simpler model, the
# smaller degree.
#
# **Exercise 7.** Implement `select_degree(degrees, scores)`, returning the chosen degree as
# an `int`. The degrees may come in any order.

# %% solution="select_degree"

# %% grade_id="test_select_degree"
# The book's models A (k = 3) and B (k = 6) as polynomials of degree 2 and 5:
got = select_degree([2, 5], [246.0, 242.0])
assert got == 5, (
    f"select_degree([2, 5], [246.0, 242.0]) returned {got}; AIC prefers model B, degree 5"
)
got = select_degree([2, 5], [251.74, 253.47])
assert got == 2, (
    f"select_degree([2, 5], [251.74, 253.47]) returned {got}; BIC prefers model A, degree 2"
)
assert isinstance(got, int | np.integer) and not isinstance(got, bool), (
    f"select_degree should return the degree as an int, not a {type(got).__name__}"
)

# %% grade_id="test_select_degree_ties"
got = select_degree([3, 1, 2], [10.0, 12.0, 10.0])
assert got == 2, (
    f"select_degree([3, 1, 2], [10, 12, 10]) returned {got}; degrees 3 and 2 tie, and ties go "
    "to the smaller degree, 2"
)

# %% [markdown]
# ## 6. Three scores side by side (question 19, listing 5.2)
#
# The book's listing 5.2 compares AIC, BIC and 5-fold cross-validated MSE on 120 noisy points
# from a cubic. Every degree is scored on the *same* folds (a fresh generator with the same
# seed for each), so the differences between degrees are not blurred by different splits.

# %%
x52 = np.linspace(-3, 3, 120)
y52 = 1.0 + 2.0 * x52 - 1.5 * x52**2 + 0.4 * x52**3 + np.random.default_rng(0).normal(0, 3.0, 120)
degrees = np.arange(1, 9)
table52 = polynomial_information_criteria(x52, y52, degrees)
cv_mse = np.array([cross_validated_mse(x52, y52, d, 5, np.random.default_rng(0)) for d in degrees])
for name, scores in [("AIC", table52["aic"]), ("BIC", table52["bic"]), ("CV MSE", cv_mse)]:
    print(f"{name:>6} picks degree {select_degree(degrees, scores)}")

fig, (ax_ic, ax_cv) = plt.subplots(1, 2, figsize=(9, 3))
ax_ic.plot(degrees, table52["aic"], "o-", label="AIC")
ax_ic.plot(degrees, table52["bic"], "s-", label="BIC")
ax_ic.set_xlabel("polynomial degree")
ax_ic.legend()
ax_cv.plot(degrees, cv_mse, "o-", color="C2")
ax_cv.set_xlabel("polynomial degree")
ax_cv.set_ylabel("5-fold CV MSE")
plt.tight_layout()
plt.show()

# %% [markdown]
# All three pick degree 4 here, although the data come from a cubic. That is not a failure of
# BIC (or of the others); it is what one noisy sample can do. On these 120 points the fitted
# $x^4$ coefficient is 0.09: the quartic term happens to absorb a little of this sample's
# noise, raising the log-likelihood by 2.50, just above the price BIC charges for one more
# parameter, $\tfrac12\log 120 = 2.39$. BIC ends at 610.03 for degree 4 against 610.25 for
# degree 3, a gap far below the differences of about 2 that are usually read as meaningful.
# A criterion is a rule applied to random data, so judge it by how often it picks the right
# model. Repeat the experiment on fresh samples:

# %%
for n in (120, 1200):
    x_rep = np.linspace(-3, 3, n)
    picks = {"AIC": [], "BIC": []}
    for seed in range(1, 301):
        y_rep = 1.0 + 2.0 * x_rep - 1.5 * x_rep**2 + 0.4 * x_rep**3 + np.random.default_rng(seed).normal(0, 3.0, n)
        table = polynomial_information_criteria(x_rep, y_rep, degrees)
        for name in picks:
            picks[name].append(select_degree(degrees, table[name.lower()]))
    for name, chosen in picks.items():
        print(f"n = {n:4d}: {name} picks the cubic in {np.mean(np.array(chosen) == 3):.0%} of 300 samples")

# %% [markdown]
# BIC picks the cubic in about 94 % of samples of 120 points and in about 99 % with 1,200: it
# is *consistent*, finding the true model with a probability that tends to 1 as $n$ grows,
# but no rule is right on every sample. AIC picks the cubic less often (69 % and 76 % here),
# and more data do not fix that: its lighter penalty aims at predicting well, and a slightly
# too large polynomial costs little in prediction.
#
# **Which to use?** The criteria need one fit per model and a real likelihood with a
# meaningful parameter count, which is why they are at home in linear models, GLMs and
# time-series order selection. Cross-validation needs $K$ fits but no likelihood, so it can
# compare a tree ensemble with a neural network. AIC approximates the expected information
# lost when the model stands in for the truth, which ties it to prediction; BIC approximates
# a Bayesian model's marginal likelihood and leans towards the simpler model. Neither is
# universally better - and neither AIC nor BIC is an error rate: their values only rank models
# fitted to the same data. Cross-validation does not settle everything either: its estimate is
# itself noisy (with little data each fold is small, and another split gives another score),
# and it costs $K$ fits per model, which adds up for large models or long searches.
