"""Input validation for ``ch02_bias_variance`` (book chapter 2).

Like :mod:`solutions.validation`, every helper names the offending argument and
says how to fix it; the notebook build copies the ones the solutions use into
the read-only helpers cell, so each helper is self-contained.
"""

import numpy as np

from solutions.validation import as_count, as_float_array


def finite_vector(values, name):
    """Return ``values`` as a non-empty finite 1-D float array, or raise ValueError naming ``name``.

    >>> finite_vector([0, 1.5], "x")
    array([0. , 1.5])
    >>> finite_vector([[1, 2]], "x_train")
    Traceback (most recent call last):
    ...
    ValueError: `x_train` must be a non-empty 1-D array of numbers; got shape (1, 2)
    """
    arr = as_float_array(values, name)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            f"`{name}` must be a non-empty 1-D array of numbers; got shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"`{name}` must be finite; remove or impute its NaN or infinite entries")
    return arr


def simulation_inputs(true_fn, x_train, x_test, noise_sd, n_datasets, rng):
    """Check the arguments of a simulation of noisy training sets and convert them.

    Returns ``(x_train, x_test, f_train, noise_sd, n_datasets)``: the inputs as
    finite 1-D float arrays, the noiseless targets ``f_train = true_fn(x_train)``
    (checked to have the shape of ``x_train``), ``noise_sd`` as a float and
    ``n_datasets`` as an int.

    >>> simulation_inputs(abs, [-1, 2], [0], 0.5, 3, np.random.default_rng(0))[2]
    array([1., 2.])
    >>> simulation_inputs(abs, [-1, 2], [0], -0.5, 3, np.random.default_rng(0))
    Traceback (most recent call last):
    ...
    ValueError: `noise_sd` must be a standard deviation >= 0; got -0.5
    """
    if not callable(true_fn):
        raise ValueError(f"`true_fn` must be a function of x; got {type(true_fn).__name__}")
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            f"`rng` must be a numpy.random.Generator such as np.random.default_rng(0); "
            f"got {type(rng).__name__}"
        )
    x_train = finite_vector(x_train, "x_train")
    x_test = finite_vector(x_test, "x_test")
    n_datasets = as_count(n_datasets, "n_datasets", minimum=1)
    noise_sd = float(noise_sd)
    if not 0 <= noise_sd < np.inf:
        raise ValueError(f"`noise_sd` must be a standard deviation >= 0; got {noise_sd!r}")
    f_train = as_float_array(true_fn(x_train), "true_fn(x_train)")
    if f_train.shape != x_train.shape:
        raise ValueError(f"`true_fn(x_train)` must have shape {x_train.shape}; got {f_train.shape}")
    return x_train, x_test, f_train, noise_sd, n_datasets
