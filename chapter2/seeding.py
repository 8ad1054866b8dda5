"""The random generator behind weight initialisation and shuffling.

Keras lets a user write ``keras.utils.set_random_seed(42)`` once and get the
same weights and the same training run every time; chapter2 does the same.
All randomness inside the package is drawn from one NumPy ``Generator`` held
here, so seeding it (through :func:`chapter2.utils.set_random_seed`) is the
only thing needed for a reproducible run on a given machine.
"""

from __future__ import annotations

import random

import numpy as np

from .validation import check_int

_generator = np.random.default_rng()


def set_random_seed(seed: int) -> None:
    """Seed chapter2's generator, and also Python's and NumPy's global ones.

    Parameters
    ----------
    seed : int
        Any non-negative integer.

    Examples
    --------
    >>> set_random_seed(0)
    >>> a = generator().random()
    >>> set_random_seed(0)
    >>> a == generator().random()
    True
    """
    global _generator
    seed = check_int(seed, "seed", minimum=0)
    _generator = np.random.default_rng(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)


def generator() -> np.random.Generator:
    """The generator every random draw in chapter2 comes from."""
    return _generator


__all__ = ["set_random_seed", "generator"]
