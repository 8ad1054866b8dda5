"""The tensor product (dot) written as plain loops (section 2.3.3).

A dot product pairs up entries along one axis of each tensor, multiplies the
pairs and adds the results. The vector dot is the whole idea; the matrix
versions only repeat it, once per output entry.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import InputValueError
from ..validation import as_numeric_array, as_shape, require_rank


def naive_vector_dot(x: Any, y: Any) -> float:
    """Dot product of two vectors of the same length.

    Parameters
    ----------
    x, y : array_like of numbers, shape (n,)

    Returns
    -------
    float
        ``x[0] * y[0] + x[1] * y[1] + ... + x[n-1] * y[n-1]``.

    Examples
    --------
    >>> naive_vector_dot([1, 2, 3], [4, 5, 6])
    32.0
    """
    x = as_numeric_array(x, "x")
    y = as_numeric_array(y, "y")
    require_rank(x, 1, "x")
    require_rank(y, 1, "y")
    _check_inner(x.shape, y.shape, len(x), len(y))
    total = 0.0
    for i in range(len(x)):
        total += x[i] * y[i]
    return float(total)


def naive_matrix_vector_dot(x: Any, y: Any) -> np.ndarray:
    """Matrix times vector: one vector dot per row of the matrix.

    Parameters
    ----------
    x : array_like of numbers, shape (rows, n)
    y : array_like of numbers, shape (n,)

    Returns
    -------
    ndarray of float, shape (rows,)
        Entry ``i`` is the dot of row ``i`` of ``x`` with ``y``.

    Examples
    --------
    >>> naive_matrix_vector_dot([[1, 0, 2], [0, 1, 0]], [3, 4, 5])
    array([13.,  4.])
    """
    x = as_numeric_array(x, "x")
    y = as_numeric_array(y, "y")
    require_rank(x, 2, "x")
    require_rank(y, 1, "y")
    _check_inner(x.shape, y.shape, x.shape[1], y.shape[0])
    out = np.zeros(x.shape[0])
    for i in range(x.shape[0]):
        out[i] = naive_vector_dot(x[i, :], y)
    return out


def naive_matrix_dot(x: Any, y: Any) -> np.ndarray:
    """Matrix times matrix: one vector dot per (row of x, column of y) pair.

    Parameters
    ----------
    x : array_like of numbers, shape (rows, n)
    y : array_like of numbers, shape (n, columns)

    Returns
    -------
    ndarray of float, shape (rows, columns)
        Entry ``(i, j)`` is the dot of row ``i`` of ``x`` with column ``j`` of ``y``.

    Examples
    --------
    >>> naive_matrix_dot([[1, 2], [3, 4]], [[5, 6], [7, 8]])
    array([[19., 22.],
           [43., 50.]])
    """
    x = as_numeric_array(x, "x")
    y = as_numeric_array(y, "y")
    require_rank(x, 2, "x")
    require_rank(y, 2, "y")
    _check_inner(x.shape, y.shape, x.shape[1], y.shape[0])
    out = np.zeros((x.shape[0], y.shape[1]))
    for i in range(x.shape[0]):
        for j in range(y.shape[1]):
            out[i, j] = naive_vector_dot(x[i, :], y[:, j])
    return out


def naive_dot_shape(shape_a: Any, shape_b: Any) -> tuple[int, ...]:
    """The shape of ``np.dot(a, b)`` for tensors of shapes ``shape_a`` and ``shape_b``.

    The last axis of ``a`` is paired with the second-to-last axis of ``b``
    (its only axis if ``b`` is a vector); those two sizes must match and both
    axes disappear from the result. What is left of ``a`` comes first, then
    what is left of ``b``.

    Parameters
    ----------
    shape_a, shape_b : tuple of int, each with at least one axis

    Returns
    -------
    tuple of int

    Examples
    --------
    >>> naive_dot_shape((2, 3), (3, 4))
    (2, 4)
    >>> naive_dot_shape((5, 2, 3), (3,))
    (5, 2)
    >>> naive_dot_shape((3,), (3,))
    ()
    """
    shape_a = as_shape(shape_a, "shape_a")
    shape_b = as_shape(shape_b, "shape_b")
    for name, shape in (("shape_a", shape_a), ("shape_b", shape_b)):
        if len(shape) == 0:
            raise InputValueError(f"{name} must have at least one axis, got {shape}; "
                                  f"a scalar times a tensor is plain multiplication (*)")
    paired_b = -2 if len(shape_b) >= 2 else -1
    _check_inner(shape_a, shape_b, shape_a[-1], shape_b[paired_b])
    kept_b = shape_b[:paired_b] + (shape_b[-1:] if paired_b == -2 else ())
    return shape_a[:-1] + kept_b


def _check_inner(shape_x: tuple[int, ...], shape_y: tuple[int, ...], inner_x: int, inner_y: int) -> None:
    if inner_x != inner_y:
        axis_y = "second-to-last" if len(shape_y) >= 2 else "only"
        raise InputValueError(
            f"shapes {shape_x} and {shape_y} do not line up for a dot product: the last axis of the "
            f"first has size {inner_x} but the {axis_y} axis of the second has size {inner_y}; "
            f"these two sizes must be equal")
