"""Helpers that the check declarations of several assignments share."""

import contextlib

import numpy as np


@contextlib.contextmanager
def global_seed(seed):
    """Run the block with NumPy's global generator seeded ``seed``, and restore its state afterwards.

    Reproducibility cases call a learner's function under different global
    seeds: a function that draws from ``np.random`` instead of its ``rng`` then
    gives different results.
    """
    saved = np.random.get_state()
    try:
        np.random.seed(seed)
        yield
    finally:
        np.random.set_state(saved)
