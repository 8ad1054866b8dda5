"""Element-wise operations written as plain loops (section 2.3.1).

An element-wise operation looks at one entry at a time: the output at an index
depends only on the inputs at that same index. ``np.ndindex(shape)`` walks
through every index tuple of a shape in the same order as nested ``for`` loops
would (last axis fastest), so one loop covers tensors of any rank.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import InputValueError
from ..validation import as_numeric_array


def naive_relu(x: Any) -> np.ndarray:
    """Rectified linear unit, ``max(x, 0)``, one entry at a time.

    Parameters
    ----------
    x : array_like of numbers, any shape

    Returns
    -------
    ndarray, same shape and dtype as ``x``
        A new array; ``x`` itself is left unchanged.

    Examples
    --------
    >>> naive_relu([[1.5, -2.0], [0.0, -0.5]])
    array([[1.5, 0. ],
           [0. , 0. ]])
    """
    x = as_numeric_array(x, "x")
    out = x.copy()
    for index in np.ndindex(x.shape):
        out[index] = max(x[index], 0)
    return out


def naive_add(x: Any, y: Any) -> np.ndarray:
    """Add two tensors of the same shape, one entry at a time.

    Parameters
    ----------
    x, y : array_like of numbers, same shape

    Returns
    -------
    ndarray, same shape as ``x``
        ``x[index] + y[index]`` at every index.

    Examples
    --------
    >>> naive_add([[1, 2], [3, 4]], [[10, 20], [30, 40]])
    array([[11, 22],
           [33, 44]])
    """
    x = as_numeric_array(x, "x")
    y = as_numeric_array(y, "y")
    if x.shape != y.shape:
        raise InputValueError(
            f"naive_add needs x and y of the same shape, got x of shape {x.shape} and y of shape "
            f"{y.shape}; use naive_broadcast_add to add tensors of different shapes")
    out = np.empty(x.shape, dtype=np.result_type(x, y))
    for index in np.ndindex(x.shape):
        out[index] = x[index] + y[index]
    return out
