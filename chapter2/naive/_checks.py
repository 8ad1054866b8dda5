"""Input checks shared by the naive operations.

The naive functions are teaching code, but a learner who passes the wrong
thing should get a sentence explaining what went wrong, not an IndexError from
deep inside a loop. Every check raises an error from ``chapter2.errors``.
"""

from __future__ import annotations

import operator
from typing import Any, Sequence

import numpy as np

from ..errors import InputTypeError, InputValueError

_NUMERIC_KINDS = "iuf"  # signed integers, unsigned integers, floats
_RANK_WORDS = {0: "scalar", 1: "vector", 2: "matrix"}


def as_numeric_array(x: Any, name: str) -> np.ndarray:
    """Return ``x`` as a NumPy array of integers or floats, or raise."""
    array = np.asarray(x)
    if array.dtype.kind not in _NUMERIC_KINDS:
        raise InputTypeError(
            f"{name} must hold integers or floating-point numbers, got dtype {array.dtype}; "
            f"convert it first, e.g. np.asarray({name}, dtype=float)")
    return array


def require_rank(array: np.ndarray, rank: int, name: str) -> None:
    """Raise unless ``array`` has exactly ``rank`` axes."""
    if array.ndim != rank:
        raise InputValueError(
            f"{name} must be a {_RANK_WORDS.get(rank, 'tensor')} (rank {rank}), "
            f"got an array of shape {array.shape} (rank {array.ndim})")


def as_shape(shape: Any, name: str) -> tuple[int, ...]:
    """Return ``shape`` as a tuple of non-negative ints; a lone int means ``(n,)``."""
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    if not isinstance(shape, Sequence) or isinstance(shape, str):
        raise InputTypeError(f"{name} must be a tuple of ints such as (2, 3), got {shape!r}")
    sizes = []
    for size in shape:
        if isinstance(size, bool):
            raise InputTypeError(f"{name} must contain ints, got {size!r} in {shape!r}")
        try:
            size = operator.index(size)
        except TypeError:
            raise InputTypeError(f"{name} must contain ints, got {size!r} in {shape!r}") from None
        if size < 0:
            raise InputValueError(f"{name} cannot contain a negative size, got {tuple(shape)}")
        sizes.append(size)
    return tuple(sizes)
