# %% [markdown]
# # Assignment 7 - Maximum likelihood estimation
#
# *Mastering Data Science Interviews*, chapter 7 (question 23).
#
# Fitting a model means choosing its parameters. Maximum likelihood makes that choice with one
# rule: prefer the parameters under which the data you actually observed would have been most
# probable. In this assignment you write the normal log-likelihood, derive-and-code the
# closed-form estimates for the normal, Bernoulli and exponential models, trace a
# log-likelihood curve that survives ten thousand observations (where multiplying densities
# fails), and hand the search to SciPy when no formula exists.
#
# **How to work**
#
# * Replace each `raise NotImplementedError()` with your code. Keep the function names and
#   arguments exactly as given: the autograder calls them.
# * The cell after each exercise holds public tests built from the book's worked example.
#   When they pass you are on the right track; hidden tests with more cases decide the grade.
# * Use natural logarithms (`np.log`) throughout.
# * Check yourself from a terminal before you submit:
#   `mdsi-check ch07_maximum_likelihood.ipynb` runs the notebook in a fresh kernel and lists
#   each exercise as passed, failed or not attempted.

# %%
import matplotlib.pyplot as plt
import numpy as np
import scipy.optimize

# %% [markdown]
# ### Provided helpers
#
# These helpers turn inputs into float arrays or numbers and raise a `ValueError` that names
# the argument when something is wrong (empty data, NaN, a non-positive `sigma`). You may use
# them in your solutions; you do not have to.

# %% provided="helpers"

# %% [markdown]
# ## 1. Likelihood and log-likelihood (question 23)
#
# A model with parameters $\theta$ assigns each observation a density $p(x \mid \theta)$. For
# independent observations $x_1, \dots, x_n$ the **likelihood** is the product
# $L(\theta) = \prod_i p(x_i \mid \theta)$, read as a function of $\theta$ with the data held
# fixed. It is not the probability that $\theta$ is right (the book lists that confusion as a
# classic interview slip); it says how well $\theta$ explains the data. The maximum-likelihood
# estimate is $\hat\theta = \arg\max_\theta L(\theta)$.
#
# The logarithm is increasing, so $\log L$ peaks at the same $\hat\theta$, and it turns the
# product into a sum. For the normal model $\mathcal N(\mu, \sigma^2)$:
#
# $$\log L(\mu, \sigma) = -\frac{n}{2}\log(2\pi\sigma^2) - \frac{1}{2\sigma^2}\sum_i (x_i - \mu)^2 .$$
#
# Two observations at 4 and 6 under $\mathcal N(5, 1)$ each sit one standard deviation away,
# so $\log L = -\log(2\pi) - 1 \approx -2.838$.
#
# **Exercise 1.** Implement `normal_log_likelihood`, the sum of the normal log-densities
# (keep the constant term). It must stay finite for any number of observations.
#
# The tests and demonstrations use Listing 7.1's sample - 100 draws from $\mathcal N(5, 2^2)$
# after `np.random.seed(0)`, which `np.random.RandomState(0)` reproduces - and 10,000 draws from
# the same model.

# %%
book_data = np.random.RandomState(0).normal(loc=5, scale=2, size=100)
many = np.random.RandomState(0).normal(loc=5, scale=2, size=10_000)
mu_values = np.linspace(3, 7, 100)  # Listing 7.1's grid of candidate means

# %% solution="normal_log_likelihood"

# %% grade_id="test_normal_log_likelihood"
got = normal_log_likelihood([4.0, 6.0], 5.0, 1.0)
assert np.isclose(got, -np.log(2 * np.pi) - 1), (
    f"normal_log_likelihood([4, 6], mu=5, sigma=1) returned {got}; expected -log(2 pi) - 1 "
    "= -2.8379 (each point contributes -0.5 log(2 pi) - 0.5)"
)
at_mean = normal_log_likelihood(book_data, book_data.mean(), 2.0)
assert at_mean > normal_log_likelihood(book_data, 5.0, 2.0), (
    "with sigma fixed, the sample mean must explain the book's data better than any other mu, "
    "including the true mean 5"
)
got = normal_log_likelihood(many, 5.0, 2.0)
assert np.isfinite(got), (
    f"normal_log_likelihood on 10,000 points returned {got}; sum the log-densities instead of "
    "taking the log of their product, which underflows to 0"
)

# %% [markdown]
# ## 2. Estimates in closed form (question 23)
#
# For simple models, setting the derivative of $\log L$ to zero gives the maximiser directly.
#
# * **Normal.** $\partial \log L / \partial \mu = \sum_i (x_i - \mu) / \sigma^2 = 0$ gives
#   $\hat\mu = \bar x$, the sample mean - the book's worked example. Doing the same for
#   $\sigma$ gives $\hat\sigma^2 = \frac{1}{n}\sum_i (x_i - \bar x)^2$: the divisor is $n$, not
#   the $n - 1$ of the unbiased sample variance (`np.std` uses $n$ by default, `ddof=1` switches
#   to $n - 1$). The book shows Listing 7.1 but not its output: running it on its 100 draws
#   from $\mathcal N(5, 2^2)$ gives $\hat\mu = 5.12$.
# * **Bernoulli.** With $k$ successes in $n$ trials, $\log L(p) = k\log p + (n - k)\log(1 - p)$,
#   which peaks at $\hat p = k / n$. Seven heads in ten flips give $\hat p = 0.7$. Logistic
#   regression is this model with $p$ depending on the features, and its log-loss is the
#   negative Bernoulli log-likelihood (section 7.0.6).
# * **Exponential.** Waiting times with rate $\lambda$ have
#   $\log L = n\log\lambda - \lambda\sum_i x_i$, maximised at
#   $\hat\lambda = n / \sum_i x_i = 1 / \bar x$. Waits of 1, 3, 2 and 2 minutes give
#   $\hat\lambda = 0.5$ per minute.
#
# **Exercises 2-4.** Implement `normal_mle` (a tuple `(mu_hat, sigma_hat)` of floats),
# `bernoulli_mle` and `exponential_mle`. Compute $\hat\sigma$ from the deviations
# $x_i - \hat\mu$: the shortcut $\overline{x^2} - \bar x^2$ loses all precision when the data
# sit far from zero.

# %% solution="normal_mle"

# %% grade_id="test_normal_mle"
mu_hat, sigma_hat = normal_mle(book_data)
assert round(mu_hat, 2) == 5.12, (
    f"normal_mle on Listing 7.1's sample returned mu_hat = {mu_hat}; running the listing gives 5.12, "
    "the sample mean"
)
assert np.isclose(sigma_hat, 2.0158, atol=1e-4), (
    f"normal_mle returned sigma_hat = {sigma_hat}; expected 2.0158, the root mean squared "
    "deviation dividing by n (2.0259 means you divided by n - 1; 4.06 is the variance, not sigma)"
)

# %% grade_id="test_normal_mle_offset"
mu_hat, sigma_hat = normal_mle(1.7e9 + np.array([-1.0, 1.0, -1.0, 1.0]))
assert np.isclose(sigma_hat, 1.0), (
    f"normal_mle on four timestamps near 1.7e9 s, 1 s either side of their mean, returned "
    f"sigma_hat = {sigma_hat}; expected 1.0 - average (x - mu_hat)**2 rather than computing "
    "mean(x**2) - mu_hat**2"
)

# %% solution="bernoulli_mle"

# %% grade_id="test_bernoulli_mle"
got = bernoulli_mle([1, 0, 1, 1, 0, 1, 1, 0, 1, 1])
assert np.isclose(got, 0.7), (
    f"bernoulli_mle on 7 heads in 10 flips returned {got}; expected k / n = 0.7 "
    "(0.3 is the fraction of tails, 0.667 is add-one smoothing)"
)

# %% solution="exponential_mle"

# %% grade_id="test_exponential_mle"
got = exponential_mle([1.0, 3.0, 2.0, 2.0])
assert np.isclose(got, 0.5), (
    f"exponential_mle on waits of 1, 3, 2, 2 returned {got}; expected the rate 1 / mean = 0.5 "
    "(2.0 is the mean waiting time, not the rate)"
)

# %% [markdown]
# A closed form is easy to double-check: a one-dimensional search over the rate finds the same
# maximiser. Section 4 turns this idea into a general tool.

# %%
waits = np.array([1.0, 3.0, 2.0, 2.0])
search = scipy.optimize.minimize_scalar(
    lambda rate: -(waits.size * np.log(rate) - rate * waits.sum()), bounds=(0.01, 5), method="bounded")
print(f"closed form: {exponential_mle(waits):.4f}; numerical search: {search.x:.4f}")

# %% [markdown]
# ## 3. Why optimisers maximise the log-likelihood (question 23, Listing 7.1)
#
# Listing 7.1 plots the likelihood of its 100 points over a grid of 100 candidate means from
# 3 to 7 ($\sigma = 2$ known) by multiplying 100 densities at each grid point. Each density is
# below 0.2, so the product is around $10^{-92}$ - still representable, but each extra
# observation multiplies it by about $e^{-2.1}$. After roughly 350 observations it falls below
# the smallest positive float64 (about $5 \times 10^{-324}$) and becomes exactly 0.0 at every
# $\mu$: the curve is flat and its maximum meaningless. For 10,000 observations the sum of
# log-densities is an ordinary number near $-2.1 \times 10^4$, with the same maximiser
# (section 7.0.7).
#
# With $\sigma$ fixed, $\sum_i (x_i - \mu)^2 = \sum_i (x_i - \bar x)^2 + n(\bar x - \mu)^2$, so
# the log-likelihood curve is a downward parabola in $\mu$ with its peak at $\bar x$.
#
# **Exercise 5.** Implement `log_likelihood_curve(data, mu_grid, sigma)`, returning a NumPy
# array with the normal log-likelihood at each candidate mean.

# %% solution="log_likelihood_curve"

# %% grade_id="test_log_likelihood_curve"
curve = log_likelihood_curve(book_data, mu_values, 2.0)
assert isinstance(curve, np.ndarray) and curve.shape == (100,), (
    f"log_likelihood_curve should return an array with one value per candidate mean, shape (100,); "
    f"got {type(curve).__name__} of shape {np.shape(curve)}"
)
best = mu_values[np.argmax(curve)]
assert abs(best - book_data.mean()) <= 0.02, (
    f"the curve peaks at mu = {best:.3f}; it should peak at the grid point nearest the sample "
    "mean 5.12"
)
expected = -50 * np.log(2 * np.pi * 2.0**2) - np.sum((book_data - 3.0) ** 2) / (2 * 2.0**2)
assert np.isclose(curve[0], expected), (
    f"curve[0] = {curve[0]}; at mu = 3 the log-likelihood of the 100 points is {expected:.4f} "
    "(sum of log-densities with sigma = 2, constant included)"
)

# %% grade_id="test_log_likelihood_curve_underflow"
curve = log_likelihood_curve(many, mu_values, 2.0)
assert np.all(np.isfinite(curve)), (
    "log_likelihood_curve on 10,000 points returned non-finite values; the product of 10,000 "
    "densities underflows to 0 and log(0) = -inf, so sum the log-densities"
)
best = mu_values[np.argmax(curve)]
assert abs(best - many.mean()) <= 0.02, (
    f"the curve peaks at mu = {best:.3f}; it must still peak next to the sample mean {many.mean():.3f}"
)

# %% [markdown]
# The product of densities dies long before ten thousand observations; the log-likelihood
# does not:

# %%
def normal_density(x, mu, sigma):
    return np.exp(-((x - mu) ** 2) / (2 * sigma**2)) / np.sqrt(2 * np.pi * sigma**2)


densities = normal_density(many, 5.0, 2.0)
print(f"product of 100 densities: {np.prod(densities[:100]):.3g}; of 10,000: {np.prod(densities)}")
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3))
left.plot(mu_values, [np.prod(normal_density(book_data, m, 2.0)) for m in mu_values])
left.set(title="likelihood, 100 points", xlabel="mu")
right.plot(mu_values, log_likelihood_curve(many, mu_values, 2.0))
right.axvline(many.mean(), linestyle="--", label="sample mean")
right.set(title="log-likelihood, 10,000 points", xlabel="mu")
right.legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 4. When there is no formula: numerical maximum likelihood (question 23)
#
# Most models have no closed-form estimate, so we hand the problem to an optimiser.
# Optimisers minimise, so we give them the **negative** log-likelihood: its minimiser is the
# maximum-likelihood estimate, and minimising it is what "training with a loss" means - mean
# squared error is the Gaussian negative log-likelihood up to constants, log-loss the Bernoulli
# one (section 7.0.6). Two practical points:
#
# * What you want is the *minimiser* (`result.x` from `scipy.optimize.minimize`), not the
#   minimum value (`result.fun`).
# * Parameters that must be positive, such as $\sigma$, are best optimised on the log scale,
#   $\theta = (\mu, \log\sigma)$, so that no step can make them negative.
#
# The likelihood can have several local maxima, and then the starting point decides which one
# the search finds. A classic case is the Cauchy location model, whose negative log-likelihood
# (up to a constant) is $\sum_i \log(1 + (x_i - \theta)^2)$: for observations at $-5$ and $5$ it
# has two equally good minima at $\theta = \pm\sqrt{24} \approx \pm 4.899$.
#
# **Exercise 6.** Implement `numerical_mle(negative_log_likelihood, x0)`: minimise the function
# starting from `x0` and return the minimiser as a NumPy array (a scalar `x0` means one
# parameter, so return shape `(1,)`).
#
# The tests use these two negative log-likelihoods:

# %%
def book_nll(theta):
    """Negative normal log-likelihood of the book's sample (constants dropped).

    theta = (mu, log sigma): sigma = exp(log sigma) is positive for every theta.
    """
    mu, log_sigma = theta
    return book_data.size * log_sigma + np.sum((book_data - mu) ** 2) / (2 * np.exp(2 * log_sigma))


def cauchy_nll(theta):
    """Cauchy location model (scale 1) for observations at -5 and 5, constants dropped."""
    return np.sum(np.log1p((np.array([-5.0, 5.0]) - theta[0]) ** 2))


# %% solution="numerical_mle"

# %% grade_id="test_numerical_mle"
got = numerical_mle(book_nll, [0.0, 0.0])
assert isinstance(got, np.ndarray) and got.shape == (2,), (
    f"numerical_mle should return the minimiser as an array of shape (2,); got {got!r} - "
    "return result.x, not the minimum value result.fun"
)
mu_hat, sigma_hat = normal_mle(book_data)
assert np.allclose(got, [mu_hat, np.log(sigma_hat)], atol=1e-3), (
    f"numerical_mle on the book's data returned {got}; expected the closed form "
    f"(mu_hat, log sigma_hat) = ({mu_hat:.4f}, {np.log(sigma_hat):.4f}). Minimise the function "
    "as given - it is already negated."
)

# %% grade_id="test_numerical_mle_start"
got = numerical_mle(cauchy_nll, 3.0)
assert np.allclose(got, [np.sqrt(24)], atol=1e-3), (
    f"numerical_mle(cauchy_nll, x0=3.0) returned {got}; starting at 3 the search should reach the "
    "nearby minimum sqrt(24) = 4.899 - start the optimiser at x0"
)

# %% [markdown]
# The two starting points below land on different local maxima of the Cauchy likelihood:

# %%
theta_grid = np.linspace(-9, 9, 361)
plt.figure(figsize=(5, 3))
plt.plot(theta_grid, [cauchy_nll([t]) for t in theta_grid])
for start in (-2.0, 3.0):
    found = numerical_mle(cauchy_nll, start)[0]
    heights = [cauchy_nll([start]), cauchy_nll([found])]
    plt.plot([start, found], heights, "o--", label=f"from {start:+.0f}")
plt.xlabel("theta")
plt.ylabel("negative log-likelihood")
plt.legend()
plt.show()

# %% [markdown]
# ## Going further (section 7.0.8)
#
# * Which assumptions did every exercise make? Independence is what makes $L$ a product of
#   one density per observation; with dependent data the joint density does not factorise
#   and the product is simply the wrong likelihood. The assumed family (every observation
#   normal, say) decides *which* densities are multiplied: if it is wrong, $L$ is still a
#   product, but of the wrong densities, and the estimate targets the model closest to the
#   truth within that family rather than the truth.
# * Bayesian inference multiplies the likelihood by a prior. With a uniform prior on $p$, the
#   posterior mean of a coin's bias is $(k + 1)/(n + 2)$ - compare it with your `bernoulli_mle`
#   after zero or ten heads in ten flips.
