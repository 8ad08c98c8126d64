# %% [markdown]
# # Assignment 2 - The bias-variance trade-off
#
# *Mastering Data Science Interviews*, chapter 2 (questions 1-3).
#
# Why does a more flexible model sometimes predict *worse*? Chapter 2 answers with three
# linked ideas: model complexity (question 3), underfitting and overfitting (question 2) and
# the bias-variance decomposition of the expected error (question 1). In this assignment you
# build the chapter's running experiment from scratch - polynomial regression on a noisy sine
# curve - and measure each idea instead of only drawing it: the training and test error as
# the degree grows, and the squared bias and variance estimated from many simulated
# training sets.
#
# **How to work**
#
# * Replace each `raise NotImplementedError()` with your code. Keep the function names and
#   arguments exactly as given: the autograder calls them.
# * The cell after each exercise holds public tests built from the chapter's examples.
#   When they pass you are on the right track; hidden tests with more cases decide the grade.
# * Later exercises may call your earlier functions.
# * Check yourself from a terminal before you submit:
#   `mdsi-check ch02_bias_variance.ipynb` runs the notebook in a fresh kernel and lists each
#   exercise as passed, failed or not attempted.

# %%
import matplotlib.pyplot as plt
import numpy as np

# %% [markdown]
# ### Provided helpers
#
# These helpers convert inputs to float arrays and raise a `ValueError` that names the
# argument when something is wrong (not a 1-D list of numbers, NaN values, a negative or
# fractional degree). You may use them in your solutions; you do not have to.

# %% provided="helpers"

# %% [markdown]
# ## 1. Complexity as the degree of a polynomial (question 3)
#
# The chapter measures a model's complexity by how many ways it can bend to the data. For
# polynomial regression that is simply the degree $d$:
#
# $$\hat y = \beta_0 + \beta_1 x + \beta_2 x^2 + \dots + \beta_d x^d$$
#
# has $d + 1$ parameters. The model is still *linear in the parameters*: stack the powers of
# each input into a row $(1, x_i, x_i^2, \dots, x_i^d)$ and the predictions are the matrix
# product $X\beta$ of this **design matrix** with the coefficient vector.
#
# Counting parameters is a convenient measure here, but the book warns against taking it as
# *the* definition of complexity. What matters is how flexible the fitted model can be, and
# other things control that as much as the count: the hypothesis class (a depth-4 tree and a
# degree-15 polynomial with the same number of parameters bend in very different ways),
# **regularisation** (a ridge penalty keeps every coefficient but shrinks them, so a
# degree-15 fit with a strong penalty behaves like a much simpler model), and **training
# length** (gradient descent started at zero and stopped early has not moved its weights far,
# which limits the model just as a penalty would). This notebook varies the degree because it
# is the easiest knob to see; the bias-variance trade-off below applies to all of them.
#
# **Exercise 1.** Implement `polynomial_design_matrix(x, degree)`, returning the
# $n \times (d + 1)$ matrix whose column $j$ is `x**j` (column 0 is all ones).

# %% solution="polynomial_design_matrix"

# %% grade_id="test_polynomial_design_matrix"
got = polynomial_design_matrix([1, 2, 3], 2)
assert isinstance(got, np.ndarray) and got.shape == (3, 3), (
    f"polynomial_design_matrix([1, 2, 3], 2) returned {type(got).__name__} of shape {np.shape(got)}; "
    "expected an array of shape (3, 3): one row per point, d + 1 = 3 columns"
)
assert np.allclose(got, [[1, 1, 1], [1, 2, 4], [1, 3, 9]]), (
    f"polynomial_design_matrix([1, 2, 3], 2) returned\n{got}\nexpected rows (1, x, x^2): "
    "[[1, 1, 1], [1, 2, 4], [1, 3, 9]] - lowest power first"
)
got = polynomial_design_matrix(np.linspace(-3, 3, 30), 15)
assert got.shape == (30, 16), (
    f"a degree-15 model has 16 parameters (question 3), so the matrix needs 16 columns; got shape {got.shape}"
)

# %% [markdown]
# ## 2. Fitting by least squares
#
# The least-squares coefficients minimise $\lVert y - X\beta\rVert^2$. Solve this with
# `np.linalg.lstsq(X, y, rcond=None)` rather than by inverting $X^\top X$: for high degrees the
# columns $x^{10}, x^{11}, \dots$ are nearly parallel and $X^\top X$ is close to singular.
#
# Careful with the conventions: `np.polyfit` returns the *highest* power first, while this
# course (and `np.polynomial.polynomial.polyfit`) puts the constant first, so that `coef[j]`
# multiplies `x**j`.
#
# **Exercise 2.** Implement `fit_polynomial(x, y, degree)`, returning the $d + 1$
# least-squares coefficients, lowest power first.

# %% solution="fit_polynomial"

# %% grade_id="test_fit_polynomial"
x = np.array([-2.0, -1.0, 0.0, 0.5, 1.0, 3.0])
got = fit_polynomial(x, 1 + 2 * x - 0.5 * x**2, 2)
assert np.allclose(got, [1.0, 2.0, -0.5]), (
    f"fit_polynomial on exact data from y = 1 + 2x - 0.5x^2 returned {got}; expected [1, 2, -0.5] "
    "(constant first - if you got [-0.5, 2, 1] you returned np.polyfit's highest-power-first order)"
)
got = fit_polynomial([1.0, 2.0, 6.0], [3.0, 5.0, 10.0], 0)
assert np.allclose(got, [6.0]), (
    f"a degree-0 fit is the best constant, which is the mean of y (6.0); got {got}"
)

# %% grade_id="test_fit_polynomial_high_degree"
x = np.linspace(-3, 3, 30)
y = np.sin(x) + np.random.default_rng(1).normal(0, 0.15, 30)
got = fit_polynomial(x, y, 15)
expected = np.polynomial.polynomial.polyfit(x, y, 15)
assert np.shape(got) == (16,), f"a degree-15 fit has 16 coefficients; got shape {np.shape(got)}"
fitted = np.polynomial.polynomial.polyval(x, got)
assert np.allclose(fitted, np.polynomial.polynomial.polyval(x, expected), atol=1e-6), (
    "the degree-15 fit of listing 2.2's noisy sine data does not match the least-squares fit "
    "(np.polynomial.polynomial.polyfit) at the training points - solve with np.linalg.lstsq"
)

# %% [markdown]
# **Exercise 3.** Implement `predict_polynomial(coef, x)`, returning
# $\sum_j \texttt{coef}[j]\, x^j$ at every input.

# %% solution="predict_polynomial"

# %% grade_id="test_predict_polynomial"
got = predict_polynomial([1.0, 2.0, -0.5], [0.0, 1.0, 2.0])
assert isinstance(got, np.ndarray) and np.allclose(got, [1.0, 2.5, 3.0]), (
    f"predict_polynomial([1, 2, -0.5], [0, 1, 2]) returned {got}; expected the array [1, 2.5, 3] "
    "(1 + 2x - 0.5x^2 at x = 0, 1, 2)"
)
x = np.linspace(-3, 3, 30)
y = np.sin(x)
got = predict_polynomial(fit_polynomial(x, y, 3), x)
assert np.allclose(got, np.polynomial.polynomial.polyval(x, np.polynomial.polynomial.polyfit(x, y, 3))), (
    "predicting with your own cubic fit of sin(x) should reproduce NumPy's fitted values"
)

# %% [markdown]
# With the three pieces you can redo the picture of listing 2.2: the same 30 noisy points of
# $\sin x$ fitted with degrees 1, 4 and 15. The straight line misses the curvature
# (underfitting); degree 15 chases the noise and swings wildly near the ends (overfitting).

# %%
rng = np.random.default_rng(1)
x_points = np.linspace(-3, 3, 30)
y_points = np.sin(x_points) + rng.normal(0, 0.15, 30)
x_grid = np.linspace(-3, 3, 300)
plt.figure(figsize=(6, 3.5))
plt.scatter(x_points, y_points, color="black", s=12, label="training data")
for degree in (1, 4, 15):
    plt.plot(x_grid, predict_polynomial(fit_polynomial(x_points, y_points, degree), x_grid),
             label=f"degree {degree}")
plt.plot(x_grid, np.sin(x_grid), "k--", lw=1, label="sin(x)")
plt.ylim(-2, 2)
plt.legend(fontsize=8)
plt.title("Underfitting and overfitting")
plt.show()

# %% [markdown]
# ## 3. Training error versus test error (questions 2 and 3)
#
# A model can only be judged on data it has not seen. The chapter's recipe for spotting the
# two failure modes:
#
# * **underfitting** - high error on the training data *and* on new data;
# * **overfitting** - low training error but high test error;
# * **a good fit** - both errors low and close together.
#
# Adding a power can never increase the training error (the bigger model contains the smaller
# one), and a polynomial with as many coefficients as training points passes through every
# one of them. The test error tells a different story.
#
# **Exercise 4.** Implement `train_test_mse(x_train, y_train, x_test, y_test, degrees)`. For
# each degree fit on the **training data only**, then return the tuple
# `(train_mse, test_mse)` of arrays with one entry per degree.

# %% solution="train_test_mse"

# %% grade_id="test_train_test_mse"
got = train_test_mse([0, 1, 2], [0, 1, 4], [3], [9], [1, 2])
assert isinstance(got, tuple) and len(got) == 2, (
    f"train_test_mse returned {type(got).__name__} {got!r}; expected a tuple (train_mse, test_mse)"
)
train, test = got
assert np.allclose(train, [2 / 9, 0.0]) and np.allclose(test, [100 / 9, 0.0]), (
    f"for the points (0, 0), (1, 1), (2, 4) and the test point (3, 9) you returned train {train}, "
    f"test {test}; expected train [0.2222, 0] and test [11.1111, 0]: the line y = 2x - 1/3 misses "
    "the parabola, while the quadratic y = x^2 fits both sets exactly"
)
x6 = np.linspace(0, 1, 6)
train, _ = train_test_mse(x6, np.cos(3 * x6), [0.5], [np.cos(1.5)], [5])
assert train[0] < 1e-12, (
    f"a degree-5 polynomial through 6 training points interpolates them (question 3); "
    f"expected a training MSE of 0, got {train[0]}"
)

# %% [markdown]
# The experiment of listing 2.3: 80 noisy points of $\sin x$, 70 % for training and 30 % for
# testing, and every degree from 1 to 15. The training error only goes down. The test error
# drops sharply once the cubic term arrives (degrees 1 and 2 underfit), stays flat over a wide
# middle range, and climbs again at the highest degrees as the fits start to follow the noise.
# One split is a noisy measurement; the next section averages over many training sets.

# %%
rng = np.random.default_rng(123)
x_all = np.linspace(-3, 3, 80)
y_all = np.sin(x_all) + rng.normal(0, 0.2, 80)
order = rng.permutation(80)
train_idx, test_idx = order[:56], order[56:]
degrees = np.arange(1, 16)
train_errors, test_errors = train_test_mse(x_all[train_idx], y_all[train_idx],
                                           x_all[test_idx], y_all[test_idx], degrees)
for degree in (1, 3, 15):
    print(f"degree {degree:2d}: training MSE {train_errors[degree - 1]:.4f}, test MSE {test_errors[degree - 1]:.4f}")

plt.figure(figsize=(5, 3.5))
plt.plot(degrees, train_errors, "o-", label="training error")
plt.plot(degrees, test_errors, "o-", label="test error")
plt.yscale("log")
plt.xlabel("polynomial degree")
plt.ylabel("mean squared error")
plt.legend()
plt.title("Error versus model complexity")
plt.show()

# %% [markdown]
# ## 4. Bias and variance (question 1)
#
# Suppose the data come from $y = f(x) + \varepsilon$ with $\mathbb E[\varepsilon] = 0$ and
# $\mathrm{Var}(\varepsilon) = \sigma^2$. Train the same kind of model on many independent
# training sets and call its prediction at a point $\hat f(x)$; it is random because the
# training set is. The expected squared error on a new observation splits into three parts:
#
# $$\mathbb E\big[(y - \hat f(x))^2\big] = \underbrace{\big(\mathbb E[\hat f(x)] - f(x)\big)^2}_{\text{bias}^2}
# + \underbrace{\mathbb E\big[(\hat f(x) - \mathbb E[\hat f(x)])^2\big]}_{\text{variance}}
# + \underbrace{\sigma^2}_{\text{noise}}.$$
#
# * **Bias** - how far the *average* model is from the truth: the price of restrictive
#   assumptions (a line cannot bend).
# * **Variance** - how much the model changes from one training set to the next: the price
#   of flexibility.
# * **Noise** - what no model can remove.
#
# This is *why* the failure modes of section 3 happen. Underfitting is high bias: the model's
# assumptions are too restrictive to follow the truth, whatever the data. Overfitting is high
# variance: a flexible model follows the noise of its particular training set, so it changes a
# lot from one set to the next and its predictions for new points are off by that much.
# "Memorising the data" is the symptom; variance that grows with complexity is the mechanism.
#
# The expectations are over training sets, so we can estimate them by *simulating* training
# sets: keep the inputs $x_1, \dots, x_n$ fixed, draw fresh noise for each set, fit, and
# predict at some test points.
#
# **Exercise 5.** Implement
# `simulate_polynomial_predictions(true_fn, x_train, x_test, degree, noise_sd, n_datasets, rng)`.
# For each of the `n_datasets` training sets draw `y = true_fn(x_train) + noise` with noise from
# $N(0, \sigma^2)$, $\sigma$ = `noise_sd` - for example `rng.normal(0, noise_sd, len(x_train))`;
# any way of drawing from `rng` is fine, never from `np.random.*` - fit a polynomial of the
# given degree and store its predictions at `x_test` as one row of the result, shape
# `(n_datasets, len(x_test))`.

# %% solution="simulate_polynomial_predictions"

# %% grade_id="test_simulate_polynomial_predictions"
x_train = np.linspace(-3, 3, 30)
x_test = np.array([-2.0, 0.5, 2.5])
got = simulate_polynomial_predictions(np.sin, x_train, x_test, 3, 0.0, 4, np.random.default_rng(0))
assert isinstance(got, np.ndarray) and got.shape == (4, 3), (
    f"with 4 data sets and 3 test points the result must be an array of shape (4, 3); "
    f"got {type(got).__name__} of shape {np.shape(got)}"
)
noiseless = predict_polynomial(fit_polynomial(x_train, np.sin(x_train), 3), x_test)
assert np.allclose(got, noiseless), (
    f"with noise_sd = 0 every data set is the same, so every row must equal the cubic fit of "
    f"sin(x) at x_test, {noiseless.round(4)}; got\n{got.round(4)}"
)

# %% grade_id="test_simulate_polynomial_predictions_rng"
args = (np.sin, np.linspace(-3, 3, 30), [0.0, 1.0], 3, 0.2, 5)
first = simulate_polynomial_predictions(*args, np.random.default_rng(42))
again = simulate_polynomial_predictions(*args, np.random.default_rng(42))
other = simulate_polynomial_predictions(*args, np.random.default_rng(43))
assert np.array_equal(first, again), (
    "two calls with np.random.default_rng(42) gave different results; draw all noise from `rng`"
)
assert not np.array_equal(first, other), (
    "different seeds gave identical results; use the `rng` argument rather than your own generator"
)

# %% grade_id="test_simulate_polynomial_predictions_statistics"
# A straight line fitted to inputs centred on 0 predicts mean(y) at x = 0, so across data sets
# that prediction has mean mean(sin(x_train)) = 0 and standard deviation noise_sd / sqrt(30).
preds = simulate_polynomial_predictions(np.sin, np.linspace(-3, 3, 30), [0.0], 1, 0.2, 2000,
                                        np.random.default_rng(7))[:, 0]
expected_sd = 0.2 / np.sqrt(30)
assert abs(preds.mean()) < 7 * expected_sd / np.sqrt(2000), (
    f"the average prediction at x = 0 over 2,000 data sets is {preds.mean():.4f}; expected about 0 "
    "- the noise must have mean 0"
)
assert abs(preds.std() / expected_sd - 1) < 0.1, (
    f"the predictions at x = 0 spread with standard deviation {preds.std():.4f}; expected "
    f"noise_sd / sqrt(n) = {expected_sd:.4f} - is the noise's standard deviation noise_sd, and "
    "is it drawn afresh for every data set?"
)

# %% [markdown]
# Twenty simulated training sets make the two failure modes visible: the straight lines agree
# with each other but are all wrong in the same way (high bias, low variance); the degree-10
# curves are right on average but disagree wildly (low bias, high variance).

# %%
x_train = np.linspace(-3, 3, 30)
fig, axes = plt.subplots(1, 2, figsize=(9, 3.2), sharey=True)
for ax, degree in zip(axes, (1, 10), strict=True):
    curves = simulate_polynomial_predictions(np.sin, x_train, x_grid, degree, 0.2, 20,
                                             np.random.default_rng(0))
    ax.plot(x_grid, curves.T, color="tab:blue", alpha=0.3)
    ax.plot(x_grid, np.sin(x_grid), "k--", label="sin(x)")
    ax.set_title(f"degree {degree}: 20 training sets")
    ax.set_ylim(-2, 2)
axes[0].legend()
plt.show()

# %% [markdown]
# **Exercise 6.** Implement `bias_variance_decomposition(predictions, f_test, noise_variance)`.
# `predictions` has one row per simulated training set and one column per test point. At each
# test point take the squared difference between the column mean and `f_test`, and the
# variance down the column (divide by the number of data sets, `ddof=0`); average both over the
# test points. Return a dict of floats with keys `bias_squared`, `variance`, `noise` (just
# `noise_variance`) and `expected_mse` (the sum of the three).

# %% solution="bias_variance_decomposition"

# %% grade_id="test_bias_variance_decomposition"
got = bias_variance_decomposition([[1.0, 2.0], [3.0, 4.0]], [2.0, 2.0], 0.25)
expected = {"bias_squared": 0.5, "variance": 1.0, "noise": 0.25, "expected_mse": 1.75}
assert isinstance(got, dict) and set(got) == set(expected), (
    f"return a dict with keys {sorted(expected)}; got {got!r}"
)
for key, value in expected.items():
    assert np.isclose(got[key], value), (
        f"two data sets predicting (1, 2) and (3, 4) for f = (2, 2) with noise variance 0.25: "
        f"{key} = {got[key]}, expected {value} (average predictions (2, 3) are off by (0, 1); "
        "each column varies by 1 around its mean)"
    )
preds = np.random.default_rng(0).normal(0.3, 0.5, size=(40, 6))
f = np.linspace(-1, 1, 6)
got = bias_variance_decomposition(preds, f, 0.0)
assert np.isclose(got["bias_squared"] + got["variance"], np.mean((preds - f) ** 2)), (
    "squared bias plus variance must equal the mean squared difference between the predictions "
    "and f (that identity is the decomposition)"
)

# %% [markdown]
# Now the chapter's trade-off curve, measured rather than sketched: for every degree from 0
# to 12, simulate 200 training sets of the sine example (noise standard deviation 0.2) and
# decompose the error at 50 test points. The squared bias collapses once the polynomial can
# bend like $\sin x$ (odd degrees are the ones that help, because $\sin$ is an odd function),
# while the variance grows with every added parameter. Their sum - the part of the error a
# better model could remove - traces the U, with its minimum near degree 5; the noise
# $\sigma^2 = 0.04$ sits on top of it whatever the degree. (Below about $10^{-4}$ the estimated
# bias is simulation noise: the average of 200 fits still varies by about variance / 200.)

# %%
x_eval = np.linspace(-2.9, 2.9, 50)
rows = []
for degree in range(13):
    predictions = simulate_polynomial_predictions(np.sin, x_train, x_eval, degree, 0.2, 200,
                                                  np.random.default_rng(degree))
    rows.append(bias_variance_decomposition(predictions, np.sin(x_eval), 0.2**2))
plt.figure(figsize=(5, 3.5))
for key in ("bias_squared", "variance"):
    plt.plot(range(13), [row[key] for row in rows], "o-", label=key)
plt.plot(range(13), [row["bias_squared"] + row["variance"] for row in rows], "o-", label="bias^2 + variance")
plt.axhline(0.04, color="gray", ls=":", label="noise")
plt.yscale("log")
plt.xlabel("polynomial degree")
plt.legend(fontsize=8)
plt.title("Bias-variance decomposition")
plt.show()

# %% [markdown]
# ## 5. Regularisation moves the trade-off (question 1's follow-up)
#
# The degree is not the only knob (section 1). **Ridge regression** keeps every power but
# charges for large coefficients:
#
# $$\min_{c}\; \sum_i \Big(y_i - \sum_{j=0}^{d} c_j x_i^j\Big)^2 + \alpha \sum_{j=1}^{d} c_j^2 .$$
#
# The sum of the penalty starts at $j = 1$: the intercept $c_0$ is not penalised, because
# shifting every prediction by a constant does not make the curve any more wiggly. With
# $\alpha = 0$ this is least squares; as $\alpha$ grows the slopes shrink towards 0 and the fit
# tends to the constant $\bar y$. So $\alpha$ buys lower variance (the fits agree more from one
# training set to the next) with higher bias (the average fit is pulled away from the truth),
# and a well-chosen $\alpha$ lets a flexible model behave like a simpler one.
#
# One way to keep $c_0$ out of the penalty: centre the columns $x^1, \dots, x^d$ and $y$ (subtract
# their means), solve the penalised problem for the slopes, then set
# $c_0 = \bar y - \sum_{j \ge 1} c_j\, \overline{x^j}$. For the slopes, stacking
# $\sqrt\alpha\, I$ under the centred design matrix and zeros under the centred $y$ turns the
# penalty into extra rows of an ordinary least-squares problem for `np.linalg.lstsq`. (Adding
# $\alpha$ to the diagonal of $X^\top X$, except its first entry, and solving the normal
# equations gives the same answer.) This is what scikit-learn's `Ridge(alpha)` computes on the
# columns $x^1, \dots, x^d$.
#
# A worked example of our own: the points $(-1, 1), (0, 3), (1, 5)$ with a straight line.
# The centred inputs are $-1, 0, 1$ and the centred targets $-2, 0, 2$, so the slope is
# $\sum x y / (\sum x^2 + \alpha) = 4 / (2 + \alpha)$ and the intercept is $\bar y = 3$: least
# squares ($\alpha = 0$) gives $(3, 2)$ and $\alpha = 2$ halves the slope to $(3, 1)$.
#
# **Exercise 7.** Implement `ridge_fit_polynomial(x, y, degree, alpha)`, returning the
# $d + 1$ coefficients, lowest power first.

# %% solution="ridge_fit_polynomial"

# %% grade_id="test_ridge_fit_polynomial"
got = ridge_fit_polynomial([-1.0, 0.0, 1.0], [1.0, 3.0, 5.0], 1, 2.0)
assert np.allclose(got, [3.0, 1.0]), (
    f"ridge_fit_polynomial on (-1, 1), (0, 3), (1, 5) with alpha = 2 returned {got}; expected [3, 1]: "
    "the slope is 4 / (2 + alpha) = 1 and the unpenalised intercept is mean(y) = 3. If the intercept "
    "came out below 3, the penalty also shrank c_0"
)
x = np.array([-2.0, -1.0, 0.0, 0.5, 1.0, 3.0])
y = 1 + 2 * x - 0.5 * x**2
assert np.allclose(ridge_fit_polynomial(x, y, 2, 0.0), fit_polynomial(x, y, 2)), (
    "with alpha = 0 ridge is ordinary least squares: the result must equal fit_polynomial"
)
assert np.allclose(ridge_fit_polynomial([1.0, 2.0, 6.0], [3.0, 5.0, 10.0], 0, 5.0), [6.0]), (
    "a degree-0 ridge fit has no penalised coefficient, so it is the mean of y (6.0) whatever alpha"
)

# %% grade_id="test_ridge_fit_polynomial_high_degree"
x = np.linspace(-3, 3, 30)
y = np.sin(x) + np.random.default_rng(1).normal(0, 0.15, 30)
coef = ridge_fit_polynomial(x, y, 15, 1.0)
assert np.shape(coef) == (16,), f"a degree-15 fit has 16 coefficients; got shape {np.shape(coef)}"
slopes = [np.linalg.norm(ridge_fit_polynomial(x, y, 15, alpha)[1:]) for alpha in (0.01, 1.0, 100.0)]
assert slopes[0] > slopes[1] > slopes[2], (
    f"a larger alpha must shrink the penalised coefficients; their norms for alpha = 0.01, 1 and 100 "
    f"were {np.round(slopes, 4)}"
)

# %% [markdown]
# **Exercise 8.** Implement
# `simulate_ridge_predictions(true_fn, x_train, x_test, degree, alpha, noise_sd, n_datasets, rng)`:
# exactly `simulate_polynomial_predictions`, with `ridge_fit_polynomial(..., alpha)` as the fit.

# %% solution="simulate_ridge_predictions"

# %% grade_id="test_simulate_ridge_predictions"
x_train = np.linspace(-3, 3, 30)
x_test = np.array([-2.0, 0.5, 2.5])
got = simulate_ridge_predictions(np.sin, x_train, x_test, 5, 3.0, 0.0, 4, np.random.default_rng(0))
assert isinstance(got, np.ndarray) and got.shape == (4, 3), (
    f"with 4 data sets and 3 test points the result must be an array of shape (4, 3); "
    f"got {type(got).__name__} of shape {np.shape(got)}"
)
noiseless = predict_polynomial(ridge_fit_polynomial(x_train, np.sin(x_train), 5, 3.0), x_test)
assert np.allclose(got, noiseless), (
    f"with noise_sd = 0 every row must equal the ridge fit of sin(x) at x_test, {noiseless.round(4)}; "
    f"got\n{got.round(4)}"
)

# %% grade_id="test_simulate_ridge_predictions_rng"
args = (np.sin, np.linspace(-3, 3, 30), [0.0, 1.0], 8, 1.0, 0.2, 5)
first = simulate_ridge_predictions(*args, np.random.default_rng(42))
again = simulate_ridge_predictions(*args, np.random.default_rng(42))
other = simulate_ridge_predictions(*args, np.random.default_rng(43))
assert np.array_equal(first, again), (
    "two calls with np.random.default_rng(42) gave different results; draw all noise from `rng`"
)
assert not np.array_equal(first, other), (
    "different seeds gave identical results; use the `rng` argument rather than your own generator"
)

# %% grade_id="test_simulate_ridge_predictions_statistics"
# A degree-1 ridge fit on inputs centred on 0 predicts mean(y) at x = 0 whatever alpha, so across
# data sets that prediction has mean mean(sin(x_train)) = 0 and standard deviation noise_sd / sqrt(30).
preds = simulate_ridge_predictions(np.sin, np.linspace(-3, 3, 30), [0.0], 1, 10.0, 0.2, 2000,
                                   np.random.default_rng(7))[:, 0]
expected_sd = 0.2 / np.sqrt(30)
assert abs(preds.mean()) < 7 * expected_sd / np.sqrt(2000), (
    f"the average prediction at x = 0 over 2,000 data sets is {preds.mean():.4f}; expected about 0"
)
assert abs(preds.std() / expected_sd - 1) < 0.1, (
    f"the predictions at x = 0 spread with standard deviation {preds.std():.4f}; expected "
    f"noise_sd / sqrt(n) = {expected_sd:.4f} - draw fresh noise with standard deviation noise_sd "
    "for every data set"
)

# %% [markdown]
# The trade-off against $\alpha$, at a fixed high degree: 12, fitted to only 20 noisy points
# of $\sin 3u$ on $[-1, 1]$ (noise standard deviation 0.3; the inputs are scaled to $[-1, 1]$ so
# that every power of $u$ is about the same size and one $\alpha$ suits them all). With almost
# no penalty the degree-12 fits are nearly unbiased but disagree wildly; a huge penalty flattens
# them all towards the mean, which agrees from one training set to the next and is wrong
# everywhere. The sum of squared bias and variance is lowest in between, at a moderate
# $\alpha$, the same U as against the degree in section 4. (With 150 training sets per point, a
# squared bias below about $10^{-3}$ is simulation noise, as in section 4.)
#
# More data moves the picture too: with more training points each fit is pinned down by more
# observations, so the variance falls at every $\alpha$ while the bias hardly changes, and the
# best $\alpha$ moves towards smaller penalties - the more data, the less a flexible model needs
# to be held back.

# %%
u_train = np.linspace(-1, 1, 20)
u_eval = np.linspace(-0.97, 0.97, 50)
alphas = np.logspace(-8, 2, 11)
rows = [bias_variance_decomposition(
            simulate_ridge_predictions(lambda u: np.sin(3 * u), u_train, u_eval, 12, alpha, 0.3, 150,
                                       np.random.default_rng(i)),
            np.sin(3 * u_eval), 0.3**2)
        for i, alpha in enumerate(alphas)]
bias2 = np.array([row["bias_squared"] for row in rows])
variance = np.array([row["variance"] for row in rows])
plt.figure(figsize=(5, 3.5))
plt.loglog(alphas, bias2, "o-", label="bias^2")
plt.loglog(alphas, variance, "o-", label="variance")
plt.loglog(alphas, bias2 + variance, "o-", label="bias^2 + variance")
plt.xlabel("ridge penalty alpha")
plt.legend(fontsize=8)
plt.title("Degree 12: the trade-off against alpha")
plt.show()
print(f"lowest bias^2 + variance at alpha = {alphas[np.argmin(bias2 + variance)]:.0e}")
