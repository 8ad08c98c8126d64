# %% [markdown]
# # Assignment 3 - Loss functions
#
# *Mastering Data Science Interviews*, chapter 3 (questions 4-12).
#
# A model learns by being told, one number at a time, how wrong it is. That number is the
# **loss**. In this assignment you implement the losses that chapter 3 discusses - squared
# error, the Gaussian log-likelihood behind it, binary and categorical cross-entropy, a
# numerically stable loss on logits, entropy, cross-entropy and KL divergence - and you make
# them behave on the inputs that break naive code: probabilities of exactly 0 or 1, huge
# logits, and products of thousands of probabilities.
#
# **How to work**
#
# * Replace each `raise NotImplementedError()` with your code. Keep the function names and
#   arguments exactly as given: the autograder calls them.
# * The cell after each exercise holds public tests built from the book's worked examples.
#   When they pass you are on the right track; hidden tests with more cases decide the grade.
# * Use natural logarithms (`np.log`) throughout.
# * Check yourself from a terminal before you submit:
#   `mdsi-check ch03_loss_functions.ipynb` runs the notebook in a fresh kernel and lists each
#   exercise as passed, failed or not attempted.

# %%
import matplotlib.pyplot as plt
import numpy as np

# %% [markdown]
# ### Provided helpers
#
# These helpers convert inputs to float arrays and raise a `ValueError` that names the
# argument when something is wrong (mismatched shapes, empty input, probabilities outside
# [0, 1]). You may use them in your solutions; you do not have to.

# %% provided="helpers"

# %% [markdown]
# ## 1. What a loss measures (question 4)
#
# A loss function $L(y, \hat y)$ scores one prediction: 0 when it is perfect, larger the
# further off it is. The *cost* is what training minimises over a whole data set - usually
# the average loss. The book's regression example squares the error: a student who scored
# 80 and was predicted 75 costs $(80 - 75)^2 = 25$; predicted 60, the same student costs
# $400$. Squaring makes one large miss cost more than several small ones.
#
# **Exercise 1.** Implement `squared_error`, returning one loss per example as a NumPy
# array.

# %% solution="squared_error"

# %% grade_id="test_squared_error"
got = squared_error([80, 80], [75, 60])
assert isinstance(got, np.ndarray), (
    f"squared_error should return a NumPy array (one loss per example), not {type(got).__name__}"
)
assert np.allclose(got, [25, 400]), (
    f"squared_error([80, 80], [75, 60]) returned {got}; the book's exam scores give [25, 400]"
)
got = squared_error([80, 65, 90, 72], [75, 70, 84, 60])
assert np.allclose(got, [25, 25, 36, 144]), (
    f"returned {got}; expected [25, 25, 36, 144] - errors of +5 and -5 must cost the same"
)

# %% [markdown]
# ## 2. Mean squared error (question 5)
#
# Averaging the squared errors gives the mean squared error,
# $\mathrm{MSE} = \frac{1}{n}\sum_i (y_i - \hat y_i)^2$: smooth, convex for linear models,
# and with a gradient that grows with the error. In the book's house-price example (prices
# in hundreds of thousands of pounds) the squared errors are 0.04, 0.25 and 0.25, so the MSE
# is $0.54 / 3 = 0.18$.
#
# **Exercise 2.** Implement `mean_squared_error`, returning a float.

# %% solution="mean_squared_error"

# %% grade_id="test_mean_squared_error"
got = mean_squared_error([3.0, 4.5, 2.0], [2.8, 4.0, 2.5])
assert np.isclose(got, 0.18), (
    f"mean_squared_error on the book's house prices returned {got}; expected 0.18 "
    "(the squared errors 0.04, 0.25 and 0.25 averaged over 3 houses)"
)
assert np.ndim(got) == 0, f"mean_squared_error returned an array of shape {np.shape(got)}; return a single number"

# %% [markdown]
# Squaring has a price the book warns about (question 5): one large error dominates the
# average. Below, one of ten houses is mispriced by 3 (three hundred thousand pounds) while
# the other nine are off by 0.1. The MSE is driven almost entirely by that one house; the mean
# absolute error grows far less. When a few wild targets are expected (data-entry errors,
# heavy-tailed noise), a loss that grows more slowly than the square is the safer choice.

# %%
small = np.full(10, 0.1)
for label, errors in (("ten errors of 0.1", small), ("nine of 0.1 and one of 3.0", np.r_[small[:9], 3.0])):
    print(f"{label}: MSE = {mean_squared_error(np.zeros(10), errors):.3f}, "
          f"mean absolute error = {np.mean(np.abs(errors)):.3f}")

# %% [markdown]
# ## 3. Squared error is a Gaussian log-likelihood in disguise (question 6)
#
# Suppose each target is the model's prediction plus Gaussian noise,
# $y_i = \hat y_i + \varepsilon_i$ with $\varepsilon_i \sim \mathcal N(0, \sigma^2)$. The
# log-likelihood of the data is
#
# $$\log \mathcal L = -\frac{n}{2}\log(2\pi\sigma^2) - \frac{1}{2\sigma^2}\sum_i (y_i - \hat y_i)^2 .$$
#
# Only the second term depends on the predictions, and it is minus the sum of squared errors
# scaled by a positive constant. So the predictions that maximise the likelihood are exactly
# those that minimise the squared error.
#
# **Exercise 3.** Implement `gaussian_log_likelihood`, the sum of the *full* normal
# log-densities (keep the constant term). For the book's student ($y = 80$, $\hat y = 75$,
# $\sigma = 5$) it is about $-3.028$.

# %% solution="gaussian_log_likelihood"

# %% grade_id="test_gaussian_log_likelihood"
got = gaussian_log_likelihood([80.0], [75.0], 5.0)
assert np.isclose(got, -3.0284, atol=1e-4), (
    f"gaussian_log_likelihood([80], [75], sigma=5) returned {got}; expected -3.0284 = "
    "-0.5 * log(2 * pi * 25) - 25 / (2 * 25)"
)
closer = gaussian_log_likelihood([80.0], [78.0], 5.0)
assert closer > got, (
    f"gaussian_log_likelihood([80.0], [78.0], 5.0) returned {closer}, not above {got} for the farther prediction "
    "75: a prediction closer to the target must have a higher log-likelihood"
)

# %% [markdown]
# Maximising over a constant prediction $c$ lands on the sample mean, the same value that
# minimises the MSE:

# %%
scores = np.array([72.0, 80.0, 85.0, 91.0])
candidates = np.linspace(60, 100, 401)
best = candidates[np.argmax([gaussian_log_likelihood(scores, np.full(4, c), 5.0) for c in candidates])]
print(f"maximum-likelihood constant prediction: {best:.1f}; sample mean: {scores.mean():.1f}")

# %% [markdown]
# ## 4. Binary cross-entropy and log-loss (questions 7, 10 and 12)
#
# A classifier outputs $\hat p = P(y = 1 \mid x)$. The binary cross-entropy of one example
# is $-[y\log\hat p + (1 - y)\log(1 - \hat p)]$: for a positive example it is $-\log\hat p$,
# small when the model is confidently right and unbounded when it is confidently wrong. The
# book's three positives predicted with 0.9, 0.6 and 0.1 cost 0.105, 0.511 and 2.303.
# **Log-loss** is the mean of these losses; it is the cross-entropy between one-hot labels
# and the predicted distribution, which is why the two names are used interchangeably. It is
# also the negative log-likelihood of the labels under the model's Bernoulli probabilities, so
# minimising it is maximum-likelihood estimation (question 7).
#
# Log-loss judges the *probabilities*, not the labels they round to (question 10). Two models
# that both predict 0.9 and 0.6 for positives make the same labels at a 0.5 threshold, yet the
# first costs 0.105 and the second 0.511 per example: log-loss rewards calibrated confidence.
# Feeding it rounded labels (`model.predict` instead of `model.predict_proba`) turns every
# right answer into a loss of about 0 and every wrong one into about 34.5.
#
# A model that outputs exactly 0 or 1 breaks the formula: $\log 0 = -\infty$. Production code
# clips $\hat p$ to $[\varepsilon, 1 - \varepsilon]$ first, so a confident mistake costs
# about $-\log(10^{-15}) \approx 34.5$ instead of infinity.
#
# **Exercise 4.** Implement `binary_cross_entropy` (one loss per example, with clipping).
#
# **Exercise 5.** Implement `log_loss`, the mean binary cross-entropy, as a float.

# %% solution="binary_cross_entropy"

# %% grade_id="test_binary_cross_entropy"
got = binary_cross_entropy([1, 1, 1], [0.9, 0.6, 0.1])
assert np.allclose(got, [0.105, 0.511, 2.303], atol=5e-4), (
    f"binary_cross_entropy for three positives predicted 0.9, 0.6, 0.1 returned {got}; "
    "the book's table gives 0.105, 0.511, 2.303 (= -log p)"
)
got = binary_cross_entropy([1, 1, 0], [0.9, 0.6, 0.2])
assert np.isclose(got[2], 0.223, atol=5e-4), (
    f"for a negative example predicted 0.2 the loss is -log(1 - 0.2) = 0.223; got {got[2]}"
)

# %% grade_id="test_binary_cross_entropy_clipping"
got = binary_cross_entropy([0, 1], [1.0, 0.0])
assert np.all(np.isfinite(got)), (
    f"binary_cross_entropy([0, 1], [1.0, 0.0]) returned {got}; clip p to [eps, 1 - eps] "
    "before taking logs so that confident mistakes cost a large but finite loss"
)
assert np.all(got > 30), f"a confident mistake should cost about 34.5 with eps = 1e-15; got {got}"

# %% solution="log_loss"

# %% grade_id="test_log_loss"
got = log_loss([1, 0, 1], [0.9, 0.2, 0.6])
assert np.isclose(got, (0.105361 + 0.223144 + 0.510826) / 3), (
    f"log_loss([1, 0, 1], [0.9, 0.2, 0.6]) returned {got}; expected the mean of the three "
    "losses, 0.2798"
)

# %% grade_id="test_log_loss_edge_cases"
got = log_loss([1, 0], [1.0, 0.0])
assert np.isfinite(got) and got < 1e-6, (
    f"log_loss for perfect, fully confident predictions returned {got}; expected (almost) 0"
)
assert np.isfinite(log_loss([0, 1], [1.0, 0.0])), (
    f"log_loss([0, 1], [1.0, 0.0]) returned {log_loss([0, 1], [1.0, 0.0])}; it must stay finite when p is exactly "
    "0 or 1 - clip p to [eps, 1 - eps] before taking logs"
)

# %% [markdown]
# The curve below shows why confident mistakes dominate the loss (question 7): the cost of a
# positive example explodes as its predicted probability falls to 0.

# %%
p_grid = np.linspace(0.001, 0.999, 500)
plt.figure(figsize=(5, 3))
plt.plot(p_grid, binary_cross_entropy(np.ones_like(p_grid), p_grid), label="label 1")
plt.plot(p_grid, binary_cross_entropy(np.zeros_like(p_grid), p_grid), label="label 0")
plt.xlabel("predicted probability of class 1")
plt.ylabel("loss")
plt.legend()
plt.show()

# %% [markdown]
# ## 5. More than two classes (questions 8 and 10)
#
# With $K$ classes the model outputs a row of probabilities per example, and the loss is
# $-\log$ of the probability given to the true class. Because every probability is at most 1,
# its log is at most 0 and the loss is never negative (question 8). For the first example
# below the true class 0 has probability 0.7 and costs $-\log 0.7 = 0.357$; the second costs
# $-\log 0.8 = 0.223$.
#
# **Exercise 6.** Implement `categorical_cross_entropy` for integer labels `0..K-1`.
# Hint: `proba[np.arange(n), y]` picks one entry per row.

# %% solution="categorical_cross_entropy"

# %% grade_id="test_categorical_cross_entropy"
got = categorical_cross_entropy([0, 2], [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
assert np.isclose(got, (0.356675 + 0.223144) / 2), (
    f"returned {got}; expected the mean of -log 0.7 and -log 0.8 = 0.2899"
)
assert np.isclose(categorical_cross_entropy([1], [[0.2, 0.8]]), binary_cross_entropy([1], [0.8])[0]), (
    "with two classes the categorical loss must equal the binary cross-entropy"
)

# %% [markdown]
# ## 6. Work with logits, not probabilities (question 11)
#
# Models compute a score $z$ and turn it into $\hat p = \sigma(z) = 1 / (1 + e^{-z})$. For
# $z = 40$, $\sigma(z)$ already rounds to exactly 1.0 in float64, so a loss computed from
# $\hat p$ loses all information about how wrong a confident mistake was. Working in log
# space avoids forming $\hat p$ at all: the loss of one example is
#
# $$\log(1 + e^{z}) - y z = \max(z, 0) - y z + \log(1 + e^{-|z|}),$$
#
# and the right-hand side never overflows (`np.log1p` keeps the last term accurate).
#
# **Exercise 7.** Implement `log_loss_from_logits`: the mean loss, finite and accurate for
# $|z|$ up to $10^4$.

# %% solution="log_loss_from_logits"

# %% grade_id="test_log_loss_from_logits"
z = np.array([2.0, -1.0, -0.5, 0.3])
y = np.array([1, 0, 1, 0])
expected = log_loss(y, 1 / (1 + np.exp(-z)))
got = log_loss_from_logits(y, z)
assert np.isclose(got, expected), (
    f"for moderate logits the result must equal log_loss(y, sigmoid(z)) = {expected:.6f}; got {got}"
)

# %% grade_id="test_log_loss_from_logits_stability"
got = log_loss_from_logits([0], [1000.0])
assert np.isclose(got, 1000.0), (
    f"log_loss_from_logits([0], [1000.0]) returned {got}; a confident mistake with logit 1000 "
    "costs log(1 + e^1000) = 1000, which needs no exp(1000)"
)

# %% [markdown]
# ## 7. Entropy, cross-entropy and KL divergence (questions 8 and 9)
#
# For distributions $p$ (the truth) and $q$ (the model):
#
# * entropy $H(p) = -\sum_i p_i \log p_i$, with the convention $0 \log 0 = 0$;
# * cross-entropy $H(p, q) = -\sum_i p_i \log q_i$;
# * KL divergence $D_{KL}(p \,\|\, q) = \sum_i p_i \log(p_i / q_i) = H(p, q) - H(p)$.
#
# Information theory reads these as surprises: $-\log q_i$ is how surprised (in nats) a model
# $q$ is to see outcome $i$, cross-entropy is its average surprise when outcomes come from
# $p$, and entropy is the least average surprise any model can have, reached by $q = p$.
# $H(p)$ does not depend on the model, so minimising cross-entropy *is* minimising KL
# divergence (question 9), and with $p$ the empirical distribution of the training labels it
# is maximum likelihood. KL is zero only when $q = p$, and it is not a distance: it is not
# symmetric ($D_{KL}(p \,\|\, q) \ne D_{KL}(q \,\|\, p)$ in general), it fails the triangle
# inequality, and it is infinite when $q$ rules out an outcome that $p$ allows. In the book's
# example $p = (0.7, 0.3)$ and $q = (0.6, 0.4)$ give
# $D_{KL} = 0.7\log\frac{0.7}{0.6} + 0.3\log\frac{0.3}{0.4} \approx 0.0216$.
#
# **Exercises 8-10.** Implement `entropy`, `cross_entropy` and `kl_divergence`. Terms with
# $p_i = 0$ contribute 0 (careful: `0 * np.log(0)` is `nan` in NumPy).

# %% solution="entropy"

# %% grade_id="test_entropy"
assert np.isclose(entropy([0.5, 0.5]), np.log(2)), f"a fair coin has entropy log 2 = 0.693; got {entropy([0.5, 0.5])}"
got = entropy([1.0, 0.0])
assert got == 0, f"a certain outcome has entropy 0 (0 log 0 counts as 0); got {got}"

# %% solution="cross_entropy"

# %% grade_id="test_cross_entropy"
got = cross_entropy([1.0, 0.0], [0.8, 0.2])
assert np.isclose(got, 0.223, atol=5e-4), (
    f"cross_entropy([1, 0], [0.8, 0.2]) returned {got}; for a one-hot p it is -log 0.8 = 0.223 (question 8)"
)
assert cross_entropy([0.7, 0.3], [0.6, 0.4]) >= entropy([0.7, 0.3]), (
    f"cross_entropy([0.7, 0.3], [0.6, 0.4]) = {cross_entropy([0.7, 0.3], [0.6, 0.4])} is below "
    f"entropy([0.7, 0.3]) = {entropy([0.7, 0.3])}; H(p, q) is never below H(p)"
)

# %% solution="kl_divergence"

# %% grade_id="test_kl_divergence"
got = kl_divergence([0.7, 0.3], [0.6, 0.4])
assert np.isclose(got, 0.0216, atol=1e-4), f"the book's example gives about 0.0216; got {got}"
assert np.isclose(kl_divergence([0.7, 0.3], [0.7, 0.3]), 0), (
    f"kl_divergence([0.7, 0.3], [0.7, 0.3]) returned {kl_divergence([0.7, 0.3], [0.7, 0.3])}; "
    "a distribution's KL divergence from itself is 0"
)
assert np.isclose(got, cross_entropy([0.7, 0.3], [0.6, 0.4]) - entropy([0.7, 0.3])), (
    f"kl_divergence([0.7, 0.3], [0.6, 0.4]) returned {got}; it must equal cross-entropy minus entropy"
)

# %% [markdown]
# ## 8. Why optimisers work with log-probabilities (question 11)
#
# The likelihood of independent observations is a product of probabilities. The book's three
# observations with probabilities 0.8, 0.7 and 0.6 have likelihood 0.336 and log-likelihood
# $\log 0.8 + \log 0.7 + \log 0.6 \approx -1.091$. With thousands of observations the product
# underflows to exactly 0.0 in floating point, while the sum of logs stays an ordinary number.
# The logarithm is increasing, so both have their maximum at the same parameters.
#
# **Exercise 11.** Implement `log_likelihood` so that it stays finite where the product
# underflows.

# %% solution="log_likelihood"

# %% grade_id="test_log_likelihood"
got = log_likelihood([0.8, 0.7, 0.6])
assert np.isclose(got, np.log(0.336)), (
    f"log_likelihood([0.8, 0.7, 0.6]) returned {got}; expected log(0.8 * 0.7 * 0.6) = log(0.336) = -1.0906"
)
many = np.full(5000, 0.5)
assert np.prod(many) == 0.0, "0.5 ** 5000 underflows to 0.0 in float64"  # so the log of the product is -inf ...
got = log_likelihood(many)
assert np.isclose(got, 5000 * np.log(0.5)), (
    f"log_likelihood of 5,000 probabilities of 0.5 returned {got}; expected 5000 log 0.5 = -3465.7 "
    "- sum the logs instead of taking the log of the product"
)

# %% [markdown]
# ## 9. Losses that shrug off outliers: absolute error and Huber (questions 4-6)
#
# Section 2 showed one wild target taking over the MSE. The book names the two usual remedies
# (question 4): the **absolute error** $|y - \hat y|$, which grows linearly, and the **Huber
# loss**, which is quadratic for small residuals and linear for large ones. With
# $r = y - \hat y$ and a threshold $\delta > 0$,
#
# $$L_\delta(r) = \begin{cases} \tfrac12 r^2 & |r| \le \delta, \\
#   \delta\,(|r| - \tfrac12\delta) & |r| > \delta. \end{cases}$$
#
# The shift $-\tfrac12\delta$ makes the two pieces meet at $|r| = \delta$ with the same value
# ($\tfrac12\delta^2$) and the same slope ($\delta$), so the loss stays smooth enough for
# gradient descent while an outlier pulls on the fit with a force capped at $\delta$.
#
# For the book's three house prices (section 2) the errors are 0.2, 0.5 and 0.5, so the mean
# absolute error is $1.2 / 3 = 0.4$ (the MSE was 0.18). For residuals $0.5, -2, 4$ and
# $\delta = 1$ the Huber losses are $0.125$, $1 \cdot (2 - 0.5) = 1.5$ and $4 - 0.5 = 3.5$,
# whose mean is $5.125 / 3 \approx 1.708$.
#
# **Exercise 12.** Implement `mean_absolute_error`, returning a float.
#
# **Exercise 13.** Implement `huber_loss`, the mean Huber loss over the examples.

# %% solution="mean_absolute_error"

# %% grade_id="test_mean_absolute_error"
got = mean_absolute_error([3.0, 4.5, 2.0], [2.8, 4.0, 2.5])
assert np.isclose(got, 0.4), (
    f"mean_absolute_error on the book's house prices returned {got}; expected 0.4 "
    "(the absolute errors 0.2, 0.5 and 0.5 averaged over 3 houses)"
)
got = mean_absolute_error([80, 80], [75, 85])
assert np.isclose(got, 5.0), f"errors of +5 and -5 must not cancel: expected 5.0, got {got}"

# %% solution="huber_loss"

# %% grade_id="test_huber_loss"
got = huber_loss([0.0, 0.0, 0.0], [0.5, -2.0, 4.0])
assert np.isclose(got, 5.125 / 3), (
    f"huber_loss for residuals 0.5, -2 and 4 with delta = 1 returned {got}; expected "
    "(0.125 + 1.5 + 3.5) / 3 = 1.7083"
)
got = huber_loss([0.0, 0.0, 0.0], [0.5, -2.0, 4.0], delta=5.0)
assert np.isclose(got, 0.5 * mean_squared_error([0.0, 0.0, 0.0], [0.5, -2.0, 4.0])), (
    f"with delta = 5 every residual is small, so the loss is half the MSE, 3.375; got {got}"
)

# %% [markdown]
# **Which constant does each loss pick?** Fit a single number $c$ to seven measurements, one of
# which is a typo (12.0 among values near 2.7). The MSE is minimised by the **mean**, which the
# outlier drags to about 4; the mean absolute error by the **median**, which does not move
# however wild the outlier is (question 5: its pull is capped at the same size as any other
# point's); Huber lands in between, close to the median because the outlier only pulls
# linearly.

# %%
y_typo = np.array([2.1, 2.4, 2.5, 2.7, 3.0, 3.2, 12.0])
c_grid = np.linspace(1.5, 6.0, 451)
losses = {
    "MSE": [mean_squared_error(y_typo, np.full(7, c)) for c in c_grid],
    "MAE": [mean_absolute_error(y_typo, np.full(7, c)) for c in c_grid],
    "Huber, delta = 1": [huber_loss(y_typo, np.full(7, c)) for c in c_grid],
}
fig, axes = plt.subplots(1, 3, figsize=(10, 3), sharex=True)
for ax, (name, curve) in zip(axes, losses.items(), strict=True):
    best = c_grid[np.argmin(curve)]
    ax.plot(c_grid, curve)
    ax.axvline(best, color="C3", linestyle="--", label=f"best c = {best:.2f}")
    ax.set_title(name)
    ax.set_xlabel("constant prediction c")
    ax.legend()
axes[0].set_ylabel("loss")
plt.tight_layout()
plt.show()
print(f"mean = {y_typo.mean():.2f}, median = {np.median(y_typo):.2f}")

# %% [markdown]
# **Laplace noise gives the absolute error** (question 6's follow-up). Section 3 showed that
# Gaussian noise turns maximum likelihood into least squares. If the noise instead follows a
# Laplace distribution, with density $\frac{1}{2b} e^{-|y - \hat y| / b}$, the log-likelihood of
# the data is
#
# $$\log \mathcal L = -n \log(2b) - \frac{1}{b}\sum_i |y_i - \hat y_i| ,$$
#
# and maximising it over the predictions is minimising the absolute error. The Laplace density
# has heavier tails than the normal one: it expects the occasional large error, so a large
# error costs the likelihood only linearly. That is the probabilistic reading of MAE's
# robustness, and of why its best constant is the median (the maximum-likelihood location of a
# Laplace sample).
