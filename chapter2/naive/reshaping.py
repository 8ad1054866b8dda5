"""Reshaping and transposing written as plain loops (section 2.3.4).

Reshaping keeps the entries and their order (row by row, last axis fastest)
and only changes how they are grouped into axes. Transposing a matrix swaps
its rows and columns: entry ``(i, j)`` moves to ``(j, i)``.
"""

from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np

from ..errors import InputValueError
from ..validation import as_numeric_array, require_rank


def naive_reshape(x: Any, shape: Any) -> np.ndarray:
    """Regroup the entries of ``x`` into ``shape``, keeping their row-major order.

    Parameters
    ----------
    x : array_like of numbers, any shape
    shape : tuple of int
        Must hold exactly as many entries as ``x``. One size may be -1,
        meaning "whatever makes the count come out right".

    Returns
    -------
    ndarray of shape ``shape``
        A new array with the dtype of ``x``.

    Examples
    --------
    >>> naive_reshape([[0, 1, 2], [3, 4, 5]], (3, 2))
    array([[0, 1],
           [2, 3],
           [4, 5]])
    >>> naive_reshape([[0, 1, 2], [3, 4, 5]], (-1,))
    array([0, 1, 2, 3, 4, 5])
    """
    x = as_numeric_array(x, "x")
    shape = _resolve_shape(shape, x.size, x.shape)
    # Read every entry in row-major order, then write them back in the same order.
    entries = [x[index] for index in np.ndindex(x.shape)]
    out = np.empty(shape, dtype=x.dtype)
    for position, index in enumerate(np.ndindex(shape)):
        out[index] = entries[position]
    return out


def _resolve_shape(shape: Any, size: int, old_shape: tuple[int, ...]) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    try:
        shape = tuple(operator.index(s) for s in shape)
    except (TypeError, ValueError):
        raise InputValueError(f"shape must be a tuple of ints such as (28, 28), got {shape!r}") from None
    if shape.count(-1) > 1 or any(s < -1 for s in shape):
        raise InputValueError(f"shape may contain at most one -1 and no other negative size, got {shape}")
    if -1 in shape:
        known = math.prod(s for s in shape if s != -1)
        if known == 0 or size % known != 0:
            raise InputValueError(f"cannot reshape an array of shape {old_shape} ({size} entries) into "
                                  f"{shape}: no size for the -1 makes the count come out right")
        shape = tuple(size // known if s == -1 else s for s in shape)
    if math.prod(shape) != size:
        raise InputValueError(f"cannot reshape an array of shape {old_shape} ({size} entries) into "
                              f"{shape} ({math.prod(shape)} entries); the counts must be equal")
    return shape


def naive_transpose(x: Any) -> np.ndarray:
    """Swap the rows and columns of a matrix.

    Parameters
    ----------
    x : array_like of numbers, shape (rows, columns)

    Returns
    -------
    ndarray, shape (columns, rows)
        ``out[j, i] == x[i, j]``.

    Examples
    --------
    >>> naive_transpose([[1, 2, 3], [4, 5, 6]])
    array([[1, 4],
           [2, 5],
           [3, 6]])
    """
    x = as_numeric_array(x, "x")
    require_rank(x, 2, "x")
    out = np.empty((x.shape[1], x.shape[0]), dtype=x.dtype)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[j, i] = x[i, j]
    return out
