# %% [markdown]
# # Assignment 4 - Gradient descent
#
# *Mastering Data Science Interviews*, chapter 4 (questions 13-17).
#
# Chapter 3 gave us losses; training means finding the parameters that make the loss small.
# When no formula hands us the answer, we walk there: measure which way the loss rises fastest
# and step the other way, over and over. In this assignment you build that walk and its
# variants from scratch - plain gradient descent, a numerical check of gradients, the
# directional derivative that explains why the gradient is the steepest way up, the learning
# rate beyond which the walk blows up, batch, stochastic and mini-batch gradient descent for
# linear regression, and logistic regression trained the same way.
#
# **How to work**
#
# * Replace each `raise NotImplementedError()` with your code. Keep the function names and
#   arguments exactly as given: the autograder calls them.
# * The cell after each exercise holds public tests built from the book's worked examples.
#   When they pass you are on the right track; hidden tests with more cases decide the grade.
# * Linear regression here means predictions `X @ w` with no separate intercept, weights that
#   start at `w = 0`, and the per-example loss `(x_i . w - y_i) ** 2`, whose gradient
#   `2 (x_i . w - y_i) x_i` keeps the factor 2. A 1-D `X` is a single feature column.
# * Each stub's **Raises** section lists the inputs for which it must raise `ValueError`. That
#   error handling is graded in small tests of its own (their names end in `_errors`), so a
#   function that computes the right answers never loses the points of its other tests.
#   Conditions stated only under Parameters are assumptions you may rely on.
# * Functions that take `rng` (a `numpy.random.Generator`) must draw every random number from
#   it - never from `np.random.*` - so that a seed reproduces the result exactly.
# * Check yourself from a terminal before you submit:
#   `mdsi-check ch04_gradient_descent.ipynb` runs the notebook in a fresh kernel and lists each
#   exercise as passed, failed or not attempted.

# %%
import matplotlib.pyplot as plt
import numpy as np

# %% [markdown]
# ### Provided helpers
#
# These helpers convert and check inputs, raising a `ValueError` that names the argument when
# something is wrong: `regression_data(X, y)` returns `X` as an `(n, d)` float matrix (a 1-D
# `X` becomes one column) and `y` as an `(n,)` vector; `check_learning_rate`, `as_count`
# and `check_rng` validate the other arguments. You may use them in your solutions; you do not
# have to.

# %% provided="helpers"

# %% [markdown]
# ## 1. Walking downhill (question 13)
#
# Gradient descent minimises a loss $J(\theta)$ by repeating one update,
#
# $$\theta_{t+1} = \theta_t - \eta\,\nabla J(\theta_t),$$
#
# where $\eta > 0$ is the learning rate. The gradient says which way $J$ increases fastest,
# so a small step against it lowers $J$. Nothing in the rule is specific to regression: it
# only needs the gradient.
#
# The book's first example is $J(\theta) = (\theta - 3)^2$ with gradient $2(\theta - 3)$,
# started at $\theta_0 = 0$ with $\eta = 0.1$. Each step turns the distance to the minimum
# $\theta - 3$ into $(1 - 2\eta)(\theta - 3) = 0.8\,(\theta - 3)$, so the iterates are
# $0, 0.6, 1.08, \dots$ and after 20 steps $\theta = 3(1 - 0.8^{20}) \approx 2.9654$.
#
# **Exercise 1.** Implement `gradient_descent`. Return the whole history: an array of shape
# `(n_steps + 1, d)` whose first row is the starting point. Treat a scalar `theta0` as an array
# of shape `(1,)`, and always call `grad` with an array.

# %% solution="gradient_descent"

# %% grade_id="test_gradient_descent"
history = gradient_descent(lambda t: 2 * (t - 3), 0, 0.1, 20)
assert isinstance(history, np.ndarray) and history.shape == (21, 1), (
    f"gradient_descent(grad, 0, 0.1, 20) returned {type(history).__name__} of shape "
    f"{np.shape(history)}; expected an array of shape (21, 1): theta0 plus 20 updates, one column"
)
assert np.allclose(history[:3, 0], [0.0, 0.6, 1.08]), (
    f"the first iterates were {history[:3, 0]}; the book's J = (theta - 3)^2 with rate 0.1 gives "
    "0, 0.6, 1.08 - row 0 is theta0 and each step subtracts 0.1 * 2 (theta - 3)"
)
assert np.isclose(history[-1, 0], 2.9654, atol=1e-4), (
    f"after 20 steps theta = {history[-1, 0]:.4f}; expected 3 (1 - 0.8^20) = 2.9654"
)

# %% grade_id="test_gradient_descent_vector"
history = gradient_descent(lambda t: 2 * t, np.array([1.0, 1.0]), 0.1, 3)
assert history.shape == (4, 2), f"expected shape (4, 2) for 3 steps in 2-D; got {history.shape}"
assert np.allclose(history, [[1, 1], [0.8, 0.8], [0.64, 0.64], [0.512, 0.512]]), (
    f"on x^2 + y^2 from (1, 1) each step multiplies the point by 0.8; got\n{history}\n"
    "if all rows are equal, you stored the same array object each time - build a new array "
    "with theta = theta - lr * grad(theta)"
)

# %% [markdown]
# ## 2. Why the gradient points uphill (question 14)
#
# **Checking gradients.** A hand-derived gradient is easy to get wrong. The central difference
#
# $$\frac{\partial f}{\partial \theta_i} \approx \frac{f(\theta + h e_i) - f(\theta - h e_i)}{2h},$$
#
# with $e_i$ the $i$-th unit vector, has an error that shrinks like $h^2$ (the one-sided
# $(f(\theta + h e_i) - f(\theta))/h$ only like $h$), so it is the standard way to test an
# analytic gradient. For the book's $f(x, y) = x^2 + y^2$ at $(1, 1)$ it should give $(2, 2)$.
#
# **Exercise 2.** Implement `numerical_gradient`. Perturb one entry at a time and return an
# array shaped like `theta` - `theta` may be a matrix (`np.ndindex(theta.shape)` visits every
# entry). `f` returns a single number.

# %% solution="numerical_gradient"

# %% grade_id="test_numerical_gradient"
got = numerical_gradient(lambda v: v[0] ** 2 + v[1] ** 2, [1.0, 1.0])
assert np.allclose(got, [2.0, 2.0], atol=1e-6), (
    f"numerical_gradient of x^2 + y^2 at (1, 1) returned {got}; the book's gradient is (2x, 2y) = "
    "(2, 2). If you got (4, 4), divide by 2h - the two evaluations are 2h apart"
)
got = numerical_gradient(lambda v: np.exp(v[0]), [0.0], h=1e-2)
assert abs(got[0] - 1) < 5e-5, (
    f"with h = 1e-2 the derivative of exp at 0 came out as {got[0]:.6f}; a central difference "
    "is within 2e-5 of 1 - a one-sided difference is off by about h / 2 = 5e-3"
)

# %% grade_id="test_numerical_gradient_matrix"
W = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]])
got = numerical_gradient(lambda M: np.sum(M**2), W)
assert np.shape(got) == (2, 3), f"the gradient of a 2 x 3 parameter must be 2 x 3; got shape {np.shape(got)}"
assert np.allclose(got, 2 * W, atol=1e-6), f"the gradient of sum(W^2) is 2W; got\n{got}"

# %% [markdown]
# **The directional derivative.** How fast does $f$ change if we move from a point along a unit
# vector $v$? To first order the change is $\nabla f \cdot v$, the directional derivative
# $D_v f$. By the Cauchy-Schwarz inequality $\nabla f \cdot v \le \|\nabla f\|$, with equality
# exactly when $v = \nabla f / \|\nabla f\|$: no direction climbs faster than the gradient's
# own, and the opposite direction $-\nabla f$ descends fastest. That is the whole argument for
# the update rule of question 13. In the book's example the gradient of $x^2 + y^2$ at $(1, 1)$
# is $(2, 2)$; along $(1, 1)$ the slope is $\|(2, 2)\| = 2\sqrt 2 \approx 2.828$, along the
# level curve $(1, -1)$ it is 0.
#
# **Exercise 3.** Implement `directional_derivative`. Normalise `direction` first, so only its
# direction matters. The zero vector has no direction: raise `ValueError` for it, as the
# stub's Raises section says (a small test of its own checks this).

# %% solution="directional_derivative"

# %% grade_id="test_directional_derivative"
got = directional_derivative([2, 2], [1, 1])
assert np.isclose(got, 2 * np.sqrt(2)), (
    f"directional_derivative([2, 2], [1, 1]) returned {got}; along the gradient the slope is "
    "||(2, 2)|| = 2.828. If you got 4.0, divide by the length of the direction"
)
assert np.isclose(directional_derivative([2, 2], [10, 10]), got), (
    "only the direction matters: (10, 10) must give the same slope as (1, 1)"
)
assert np.isclose(directional_derivative([2, 2], [1, -1]), 0.0), "along a level curve the slope is 0"

# %% grade_id="test_directional_derivative_errors"
try:
    directional_derivative([2.0, 2.0], [0.0, 0.0])
except ValueError:
    pass
else:
    raise AssertionError("the zero vector has no direction: directional_derivative must raise ValueError for it")

# %% [markdown]
# Sweeping the direction around the circle shows the slope peaking where $v$ lines up with
# the gradient (45 degrees here) and bottoming out in the opposite direction:

# %%
angles = np.linspace(0, 2 * np.pi, 361)
slopes = [directional_derivative([2, 2], [np.cos(a), np.sin(a)]) for a in angles]
print(f"steepest ascent at {np.degrees(angles[np.argmax(slopes)]):.0f} degrees, "
      f"slope {max(slopes):.3f} = ||gradient|| = {np.linalg.norm([2, 2]):.3f}")

# %% [markdown]
# ## 3. The learning rate (question 15)
#
# The learning rate sets the step length. The book's example: for $J(\theta) = (\theta - 5)^2$
# at $\theta = 0$ the gradient is $-10$, so with $\eta = 0.1$ one step lands on
# $\theta_1 = 0 - 0.1 \cdot (-10) = 1$. Too small a rate crawls; too large a rate overshoots.
#
# How large is too large? Near a minimum the loss is roughly quadratic,
# $J(\theta) \approx J^* + \tfrac12 (\theta - \theta^*)^\top H (\theta - \theta^*)$ with Hessian
# $H$. Then the error after one step is $(I - \eta H)(\theta - \theta^*)$: along an
# eigenvector of $H$ with eigenvalue $\lambda$ it is multiplied by $1 - \eta\lambda$. Every
# direction shrinks only if $|1 - \eta\lambda| < 1$ for all eigenvalues, that is
#
# $$\eta < \frac{2}{\lambda_{\max}}.$$
#
# For $(\theta - 3)^2$ the Hessian is 2, so GD converges for $\eta < 1$ (and jumps straight to
# the minimum at $\eta = 0.5$). Section 4 trains linear regression on the mean squared error
# $J(w) = \frac1n\sum_i (x_i \cdot w - y_i)^2$; differentiating twice gives the Hessian
# $\frac{2}{n}X^\top X$, which for the book's data $X = [1, 2, 3, 4]$ is
# $\frac{2}{4}(1 + 4 + 9 + 16) = 15$, so the bound there is $2/15 \approx 0.133$.
#
# **Exercise 4.** Implement `max_stable_learning_rate` for a symmetric positive-definite
# Hessian (a plain number counts as a $1 \times 1$ matrix). `np.linalg.eigvalsh` returns the
# eigenvalues of a symmetric matrix in ascending order. A matrix that is not square, not
# symmetric or not positive definite has no such bound: raise `ValueError` for it, as the
# stub's Raises section says (a small test of its own checks this).

# %% solution="max_stable_learning_rate"

# %% grade_id="test_max_stable_learning_rate"
got = max_stable_learning_rate(2.0)
assert np.isclose(got, 1.0), (
    f"max_stable_learning_rate(2.0) returned {got}; J = (theta - 3)^2 has Hessian 2, so the bound "
    "is 2 / 2 = 1.0"
)
got = max_stable_learning_rate([[2.0, 0.0], [0.0, 10.0]])
assert np.isclose(got, 0.2), (
    f"for diag(2, 10) you returned {got}; the largest eigenvalue 10 sets the bound 2 / 10 = 0.2. "
    "If you got 1.0 you used the smallest eigenvalue"
)
assert np.isclose(max_stable_learning_rate([[15.0]]), 2 / 15), (
    f"max_stable_learning_rate([[15.0]]) returned {max_stable_learning_rate([[15.0]])}; the book's least-squares "
    "Hessian 15 gives 2 / 15 = 0.1333"
)

# %% grade_id="test_max_stable_learning_rate_errors"
try:
    max_stable_learning_rate([[2.0, 0.0], [0.0, -1.0]])
except ValueError:
    pass
else:
    raise AssertionError("diag(2, -1) is not positive definite (GD runs away along the second axis at any "
                         "learning rate): max_stable_learning_rate must raise ValueError for it")

# %% [markdown]
# Below, gradient descent runs on $J(\theta) = \tfrac12\theta^\top H\theta$ with
# $H = \mathrm{diag}(2, 10)$, so $2/\lambda_{\max} = 0.2$. A quarter of the bound is safe but
# slow; 0.9 times the bound converges faster, although the steep direction now overshoots and
# flips sign at every step; at exactly the bound it bounces between $\pm$ the same value
# forever; just above it the distance grows geometrically.
#
# Note also that the path is not the gradient direction. Each step follows the gradient *at
# the current point*; on this elongated bowl that points mostly across the valley rather than
# towards the minimum, so the iterates zigzag their way down. Where GD goes depends on the
# learning rate and the shape of the loss, not just on which way is steepest at the start.

# %%
H = np.array([[2.0, 0.0], [0.0, 10.0]])
bound = max_stable_learning_rate(H)
plt.figure(figsize=(6, 3.5))
for factor in (0.25, 0.9, 1.0, 1.1):
    path = gradient_descent(lambda t: H @ t, [1.0, 1.0], factor * bound, 40)
    plt.semilogy(np.linalg.norm(path, axis=1), label=f"{factor} x 2/lambda_max")
plt.xlabel("step")
plt.ylabel("distance to the minimum")
plt.legend()
plt.show()

# %% [markdown]
# ## 4. Batch gradient descent for linear regression (questions 16 and 17)
#
# For linear regression the cost is the mean per-example loss,
# $J(w) = \frac1n\sum_i (x_i \cdot w - y_i)^2$, and its gradient is the mean of the
# per-example gradients, $\frac{2}{n}X^\top(Xw - y)$. **Batch** gradient descent computes this
# exact gradient from all $n$ examples and makes one update per pass (epoch).
#
# On the book's data $X = [1, 2, 3, 4]$, $y = 2x$, the update is
# $w \leftarrow w - 0.01 \cdot 15\,(w - 2)$ for $\eta = 0.01$, so after 10 epochs
# $w = 2(1 - 0.85^{10}) \approx 1.6063$: safe but slow, since only 10 updates were made.
#
# **Exercise 5.** Implement `batch_gradient_descent`, returning `w` of shape `(d,)`.

# %% solution="batch_gradient_descent"

# %% grade_id="test_batch_gradient_descent"
got = batch_gradient_descent([1, 2, 3, 4], [2, 4, 6, 8], 0.01, 10)
assert isinstance(got, np.ndarray) and got.shape == (1,), (
    f"batch_gradient_descent returned {type(got).__name__} of shape {np.shape(got)}; a 1-D X is one "
    "feature, so w has shape (1,)"
)
assert np.isclose(got[0], 2 * (1 - 0.85**10)), (
    f"on the book's data with rate 0.01 and 10 epochs you got w = {got[0]:.4f}; expected "
    "2 (1 - 0.85^10) = 1.6063. Use the MEAN gradient (2/n) X^T (X w - y), one update per epoch"
)
X_demo = np.column_stack([np.ones(6), [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]])
y_demo = np.array([1.1, 2.9, 5.2, 7.1, 8.8, 11.2])
assert np.allclose(batch_gradient_descent(X_demo, y_demo, 0.05, 3000),
                   np.linalg.lstsq(X_demo, y_demo, rcond=None)[0], atol=1e-6), (
    "after many epochs batch gradient descent must reach the least-squares solution of np.linalg.lstsq"
)

# %% [markdown]
# ## 5. Stochastic gradient descent (question 16)
#
# Each batch update costs a pass over all the data. **Stochastic** gradient descent updates
# after every single example, using just that example's gradient $2(x_i \cdot w - y_i)\,x_i$.
# An example picked at random has a gradient whose average is the full gradient - an unbiased
# but noisy estimate - so SGD heads the right way on average at a fraction of the cost per
# update.
#
# Visiting the examples in a fixed order is not random at all, and a fixed order can cycle.
# The usual practice, which you implement, reshuffles at the start of every epoch: visit the
# examples in the order `rng.permutation(n)`, drawn fresh each epoch from the `rng` you are
# given (and nothing else from it). Then the same seed always reproduces the same weights.
#
# The book's listing runs SGD on $X = [1, 2, 3, 4]$, $y = 2x$ with $\eta = 0.01$ for 10 epochs.
# The book does not print the result; running the listing gives $w \approx 1.9979$ - much
# closer to 2 than batch GD after the same 10 epochs,
# because it made 40 updates instead of 10. (On this noiseless data every update multiplies
# $w - 2$ by $1 - 0.02\,x_i^2$, so the order does not matter; on noisy data it does.)
#
# **Exercise 6.** Implement `stochastic_gradient_descent`.

# %% solution="stochastic_gradient_descent"

# %% grade_id="test_stochastic_gradient_descent"
got = stochastic_gradient_descent([1, 2, 3, 4], [2, 4, 6, 8], 0.01, 10, np.random.default_rng(0))
assert np.isclose(got[0], 1.99794, atol=1e-5), (
    f"SGD on the book's data (rate 0.01, 10 epochs) gave w = {got[0]:.5f}; running the book's listing "
    "gives 1.99794. If you got about 1.6063 you used the full-batch gradient, one update per epoch"
)

# %% grade_id="test_stochastic_gradient_descent_rng"
noisy_rng = np.random.default_rng(2026)
X_noisy = noisy_rng.normal(size=(30, 2))
y_noisy = X_noisy @ [1.5, -2.0] + 0.5 * noisy_rng.normal(size=30)
first = stochastic_gradient_descent(X_noisy, y_noisy, 0.02, 5, np.random.default_rng(1))
again = stochastic_gradient_descent(X_noisy, y_noisy, 0.02, 5, np.random.default_rng(1))
other = stochastic_gradient_descent(X_noisy, y_noisy, 0.02, 5, np.random.default_rng(2))
assert np.array_equal(first, again), (
    f"two runs with the seed 1 gave {first} and {again}; draw the order from `rng` "
    "(rng.permutation(n)), never from np.random.*"
)
assert not np.allclose(first, other), (
    "seeds 1 and 2 gave the same weights on noisy data: the order of the examples must come "
    "from rng.permutation(n), redrawn every epoch"
)

# %% [markdown]
# ## 6. Mini-batch gradient descent (question 17)
#
# **Mini-batch** gradient descent sits between the two: shuffle, cut the shuffled order into
# consecutive chunks of `batch_size` examples (the last chunk holds whatever is left over) and
# update once per chunk with the chunk's *mean* gradient. Averaging over a chunk cuts the noise
# of SGD, and a chunk is a matrix product that hardware computes efficiently - which is why
# deep-learning libraries train this way, with batches of tens to hundreds of examples.
#
# The two extremes are the methods you already have: `batch_size=1` is SGD (one example per
# update, in the order of the permutation) and `batch_size=n` is batch gradient descent (the
# mean over a permutation of all examples is the mean over all examples).
#
# **Exercise 7.** Implement `minibatch_gradient_descent`. Draw `order = rng.permutation(n)`
# once per epoch, and average each chunk's gradient over the examples it really holds.

# %% solution="minibatch_gradient_descent"

# %% grade_id="test_minibatch_gradient_descent"
got = minibatch_gradient_descent([1, 2, 3, 4, 5], [2, 4, 6, 8, 10], 0.01, 1, 2, np.random.default_rng(0))
order = np.random.default_rng(0).permutation(5)
w = np.zeros(1)
for chunk in (order[:2], order[2:4], order[4:]):
    x_chunk, y_chunk = np.array([1.0, 2, 3, 4, 5])[chunk], np.array([2.0, 4, 6, 8, 10])[chunk]
    w = w - 0.01 * np.mean(2 * (x_chunk * w - y_chunk) * x_chunk)
assert np.allclose(got, w), (
    f"one epoch with batch_size 2 on 5 examples gave {got}; expected {w}: three updates over the "
    "chunks of rng.permutation(5), the last holding one example whose gradient is averaged over 1"
)

# %% grade_id="test_minibatch_gradient_descent_limits"
sgd = stochastic_gradient_descent(X_noisy, y_noisy, 0.02, 5, np.random.default_rng(3))
got = minibatch_gradient_descent(X_noisy, y_noisy, 0.02, 5, 1, np.random.default_rng(3))
assert np.allclose(got, sgd), f"batch_size=1 must reproduce SGD from the same seed: got {got}, SGD gave {sgd}"
full = batch_gradient_descent(X_noisy, y_noisy, 0.05, 20)
got = minibatch_gradient_descent(X_noisy, y_noisy, 0.05, 20, 30, np.random.default_rng(3))
assert np.allclose(got, full), (
    f"batch_size=n must reproduce batch gradient descent: got {got}, batch GD gave {full}"
)

# %% [markdown]
# **Is SGD faster?** The book lists "SGD always converges faster than batch gradient descent"
# as a misconception, and a fair comparison shows why. Fair means two things. First, each
# method gets its own learning rate: one shared rate favours whichever method it happens to
# suit (a rate that is right for one noisy example is far too timid for the exact mean
# gradient). Below, each rate is the best of a grid after a budget of 10 epochs. Second, the
# cost must be counted in one unit. Every method computes $n$ per-example gradients per epoch,
# so epochs measure work; the number of *updates* differs enormously (per epoch: 1 for batch,
# $n / 32$ for mini-batches, $n$ for SGD).
#
# The data: 1,000 examples with 5 features on different scales (the Hessian's eigenvalues
# span a factor of 100, as real features often do) and noise of standard deviation 0.5. The
# table shows the training MSE above the least-squares optimum.

# %%
demo_rng = np.random.default_rng(4)
X_big = demo_rng.normal(size=(1000, 5)) * np.array([3.0, 3.0, 1.5, 0.9, 0.3])
y_big = X_big @ demo_rng.normal(0, 2, 5) + 0.5 * demo_rng.normal(size=1000)
best_mse = np.mean((X_big @ np.linalg.lstsq(X_big, y_big, rcond=None)[0] - y_big) ** 2)
methods = {
    "batch": lambda rate, k: batch_gradient_descent(X_big, y_big, rate, k),
    "mini-batch (32)": lambda rate, k: minibatch_gradient_descent(X_big, y_big, rate, k, 32,
                                                                   np.random.default_rng(5)),
    "stochastic": lambda rate, k: stochastic_gradient_descent(X_big, y_big, rate, k, np.random.default_rng(5)),
}


def excess_mse(w):
    return np.mean((X_big @ w - y_big) ** 2) - best_mse


epoch_marks = (1, 10, 50, 200)
print(f"{'excess training MSE after':>26}" + "".join(f"{k:>10} epochs" for k in epoch_marks))
for name, fit in methods.items():
    with np.errstate(all="ignore"):  # the largest rates of the grid diverge for some methods
        scores = {rate: excess_mse(fit(rate, 10)) for rate in (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1)}
    rate = min(scores, key=lambda r: scores[r] if np.isfinite(scores[r]) else np.inf)
    print(f"{name + f' (rate {rate})':>26}" + "".join(f"{excess_mse(fit(rate, k)):>17.5f}" for k in epoch_marks))

# %% [markdown]
# What the comparison shows:
#
# * **Per unit of work, SGD gets a rough answer soonest.** After one epoch SGD and mini-batches
#   are close to the optimum while batch gradient descent, with one update, has barely moved.
#   On large data sets that is what makes SGD attractive.
# * **Per update, batch gradient descent is far better.** Ten batch updates use the exact
#   gradient; ten SGD updates (1 % of an epoch here) would have done almost nothing. "Faster"
#   depends on whether an update or an example is the expensive part.
# * **With a constant learning rate, SGD stalls.** Its noisy steps keep it jittering 0.01 to
#   0.02 above the optimum however long it runs, while batch gradient descent keeps improving
#   (to about $10^{-4}$ after 200 epochs). Reaching high precision with SGD needs a decaying
#   learning rate or larger batches.
# * **Mini-batches sit in between** on every count, and on real hardware a batch of 32 costs
#   about as much time as a single example, because it is one vectorised matrix product. That,
#   not a rule that one method always wins, is why mini-batches are the default in practice
#   (the book's warning about "SGD is always faster than mini-batch methods").

# %% [markdown]
# ## 7. Not just linear regression: logistic regression (question 13)
#
# A common interview slip is to present gradient descent as a linear-regression trick. The
# same loop trains any differentiable model. For logistic regression the prediction is
# $p_i = \sigma(x_i \cdot w)$ with $\sigma(z) = 1/(1 + e^{-z})$, and the cost is chapter 3's
# mean log-loss. Its gradient is remarkably simple,
#
# $$\nabla J(w) = \frac1n X^\top (p - y),$$
#
# the same "features times errors" shape as least squares (no factor 2 this time). Unlike
# least squares there is no closed-form minimiser, so an iterative method is the only way.
#
# Example: with rows $x_1 = (1, -1)$, $x_2 = (1, 1)$ (a column of ones for the intercept) and
# labels $0, 1$, at $w = 0$ both $p_i = \tfrac12$, the gradient is $(0, -\tfrac12)$, and one
# step of size 1 gives $w = (0, 0.5)$.
#
# **Exercise 8.** Implement `logistic_regression_gd` (full-batch, from `w = 0`). Tip:
# $\sigma(z) = \tfrac12(1 + \tanh(z/2))$ is the same function and never overflows.

# %% solution="logistic_regression_gd"

# %% grade_id="test_logistic_regression_gd"
got = logistic_regression_gd([[1, -1], [1, 1]], [0, 1], 1.0, 1)
assert np.allclose(got, [0.0, 0.5]), (
    f"one step from w = 0 on the two-point example returned {got}; expected (0, 0.5) = "
    "-1.0 * X^T (p - y) / n with p = (0.5, 0.5). A result of (0, 1) means you summed instead of averaging"
)
X_log = np.column_stack([np.ones(8), [-3.0, -2, -1, -0.5, 0.5, 1, 2, 3]])
y_log = np.array([0.0, 0, 1, 0, 1, 0, 1, 1])
w_short, w_long = logistic_regression_gd(X_log, y_log, 0.5, 10), logistic_regression_gd(X_log, y_log, 0.5, 200)
loss = [np.mean(np.logaddexp(0, X_log @ w) - y_log * (X_log @ w)) for w in (np.zeros(2), w_short, w_long)]
assert loss[0] > loss[1] > loss[2], (
    f"the mean log-loss should fall as training goes on; at 0, 10 and 200 steps it was {np.round(loss, 4)}"
)

# %% [markdown]
# ## 8. Beyond plain gradient descent: momentum and Adam (question 15)
#
# Section 3's valley $J(\theta) = \tfrac12\theta^\top H\theta$ with $H = \mathrm{diag}(2, 10)$
# is steep across and shallow along. A learning rate large enough to make progress along the
# shallow axis is close to the limit for the steep one, so plain gradient descent bounces from
# wall to wall while it creeps along the floor. The book names the usual fixes (question 15's
# deep dive): optimisers that adapt the step from the history of the gradients.
#
# **Momentum** (the "heavy ball") keeps a velocity, a decaying sum of past steps:
#
# $$v \leftarrow \mu v - \eta \nabla J(\theta), \qquad \theta \leftarrow \theta + v, \qquad v_0 = 0 .$$
#
# Along the floor the gradients keep pointing the same way, so the velocity builds up (up to
# $1 / (1 - \mu)$ times a plain step); across the valley they flip sign at every bounce and
# largely cancel. With $\mu = 0$ it is plain gradient descent. Worked numbers of our own, on
# question 15's $J(\theta) = (\theta - 5)^2$ from $\theta = 0$ with $\eta = 0.1$ and $\mu = 0.5$:
# the first step is GD's, $v = 1$ and $\theta_1 = 1$; then the gradient is $-8$, so
# $v = 0.5 \cdot 1 + 0.8 = 1.3$ and $\theta_2 = 2.3$, where plain GD reaches only $1.8$.
#
# **Adam** (Kingma and Ba, 2015) keeps moving averages of the gradient and of its square,
# and gives each parameter its own step size:
#
# $$m \leftarrow \beta_1 m + (1 - \beta_1) g, \quad v \leftarrow \beta_2 v + (1 - \beta_2) g^2, \quad
# \hat m = \frac{m}{1 - \beta_1^t}, \quad \hat v = \frac{v}{1 - \beta_2^t}, \quad
# \theta \leftarrow \theta - \eta\, \frac{\hat m}{\sqrt{\hat v} + \varepsilon},$$
#
# for $t = 1, 2, \dots$ with $m = v = 0$ at the start, $g = \nabla J(\theta)$ and all operations
# elementwise. $m$ and $v$ start at 0, so early on they are biased towards 0; dividing by
# $1 - \beta^t$ removes that bias. The ratio $\hat m / \sqrt{\hat v}$ is close to $\pm 1$ for a
# parameter whose gradients keep their sign, whatever their size, so every parameter moves by
# roughly $\eta$ per step: the very first step is exactly $\eta$ times the sign of the gradient
# (up to $\varepsilon$). On $(\theta - 5)^2$ from 0 with $\eta = 0.1$: $\theta_1 = 0.1$, then
# $g = -9.8$, $\hat m = -1.88 / 0.19 = -9.895$, $\hat v = 0.19594 / 0.001999 = 98.02$ and
# $\theta_2 = 0.1 + 0.1 \cdot 9.895 / 9.900 \approx 0.19994$.
#
# **Exercise 9.** Implement `momentum_gradient_descent`, returning the history like
# `gradient_descent` (a scalar `theta0` counts as shape `(1,)`).
#
# **Exercise 10.** Implement `adam` with bias correction, returning the history.

# %% solution="momentum_gradient_descent"

# %% grade_id="test_momentum_gradient_descent"
history = momentum_gradient_descent(lambda t: 2 * (t - 5), 0.0, 0.1, 0.5, 3)
assert isinstance(history, np.ndarray) and history.shape == (4, 1), (
    f"3 steps from a scalar theta0 give a history of shape (4, 1); got {type(history).__name__} "
    f"of shape {np.shape(history)}"
)
assert np.allclose(history.ravel(), [0.0, 1.0, 2.3, 3.49]), (
    f"momentum on (theta - 5)^2 from 0 with lr 0.1 and momentum 0.5 returned {history.ravel()}; expected "
    "[0, 1, 2.3, 3.49] (v = 1, then 0.5 * 1 + 0.8 = 1.3, then 0.5 * 1.3 + 0.54 = 1.19)"
)
plain = gradient_descent(lambda t: 2 * (t - 5), 0.0, 0.1, 5)
assert np.allclose(momentum_gradient_descent(lambda t: 2 * (t - 5), 0.0, 0.1, 0.0, 5), plain), (
    "with momentum = 0, momentum_gradient_descent(grad, 0.0, 0.1, 0.0, 5) must return what "
    f"gradient_descent(grad, 0.0, 0.1, 5) does, ending at {plain[-1]}: the velocity is then just the last step"
)

# %% solution="adam"

# %% grade_id="test_adam"
history = adam(lambda t: 2 * (t - 5), 0.0, 0.1, 2)
assert isinstance(history, np.ndarray) and history.shape == (3, 1), (
    f"2 steps from a scalar theta0 give a history of shape (3, 1); got shape {np.shape(history)}"
)
assert np.allclose(history.ravel(), [0.0, 0.1, 0.19994], atol=1e-5), (
    f"adam on (theta - 5)^2 from 0 with lr 0.1 returned {history.ravel()}; expected [0, 0.1, 0.19994]. "
    "A first step far from 0.1 means the bias correction (divide by 1 - beta**t, t from 1) is missing"
)
steep = adam(lambda t: 2000 * (t - 5), 0.0, 0.1, 2)
assert np.allclose(steep, history, atol=1e-5), (
    "scaling the loss by 1000 must leave Adam's steps (almost) unchanged: m_hat / sqrt(v_hat) does not "
    "depend on the gradient's scale"
)

# %% grade_id="test_adam_hyperparameters"
fast = adam(lambda t: 2 * (t - 5), 0.0, 0.1, 2, beta1=0.0, beta2=0.0)
assert np.allclose(fast.ravel(), [0.0, 0.1, 0.2], atol=1e-6), (
    f"with beta1 = beta2 = 0 Adam steps by lr * sign(gradient): expected [0, 0.1, 0.2]; got {fast.ravel()}"
)
damped = adam(lambda t: 2 * (t - 5), 0.0, 0.1, 1, eps=10.0)
assert np.isclose(damped[1, 0], 0.05), (
    f"with eps = 10 the first step is 0.1 * 10 / (10 + 10) = 0.05; got {damped[1, 0]} - add eps after "
    "the square root"
)

# %% [markdown]
# The three optimisers on the valley, from $(-4, 1)$ for 30 steps, drawn over the contours of
# $J$. Gradient descent runs at 0.9 times its stability limit (the fastest it can go): every
# step overshoots the steep axis, so it zig-zags across the valley. Momentum, with a rate
# less than a third of that, carries its speed along the floor and damps the bounces. Adam's
# first steps are the same size in both coordinates (it rescales each one), so it heads
# diagonally, then circles in: with a constant learning rate it keeps taking steps of about
# $\eta$, so it hovers near the minimum instead of settling, which is why it is usually paired
# with a decaying learning rate. Adam's per-parameter scaling pays off most when gradients
# differ in size by orders of magnitude between parameters (sparse features, deep networks),
# which this two-parameter bowl only hints at.

# %%
start = [-4.0, 1.0]
paths = {
    "gradient descent, lr 0.18": gradient_descent(lambda t: H @ t, start, 0.18, 30),
    "momentum, lr 0.05, momentum 0.5": momentum_gradient_descent(lambda t: H @ t, start, 0.05, 0.5, 30),
    "Adam, lr 0.3": adam(lambda t: H @ t, start, 0.3, 30),
}
grid_x, grid_y = np.meshgrid(np.linspace(-4.5, 1.5, 200), np.linspace(-1.5, 1.5, 200))
plt.figure(figsize=(8, 4))
plt.contour(grid_x, grid_y, grid_x**2 + 5 * grid_y**2, levels=np.geomspace(0.05, 25, 12), colors="lightgray")
for label, path in paths.items():
    plt.plot(path[:, 0], path[:, 1], "o-", ms=3, lw=1, label=label)
plt.plot(0, 0, "k*", ms=12)
plt.xlabel("theta_1 (shallow direction)")
plt.ylabel("theta_2 (steep direction)")
plt.axis("equal")
plt.legend(fontsize=8)
plt.show()
for label, path in paths.items():
    print(f"{label}: distance to the minimum after 10 and 30 steps "
          f"{np.linalg.norm(path[10]):.3f}, {np.linalg.norm(path[30]):.3f}")
