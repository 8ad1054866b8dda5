"""Broadcasting written as plain loops (section 2.3.2).

When two tensors of different shapes meet in an element-wise operation, NumPy
lines their shapes up from the right. Each pair of aligned sizes must be equal,
or one of them must be 1; a missing axis on the shorter shape counts as 1. An
axis of size 1 is then *stretched*: every position along it reads the one entry
that is there. NumPy never copies the data to do this; the loops below do copy,
because a copy is easy to look at.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import InputValueError
from ..validation import as_numeric_array, as_shape, require_rank
from .elementwise import naive_add


def naive_add_matrix_and_vector(x: Any, y: Any) -> np.ndarray:
    """Add the vector ``y`` to every row of the matrix ``x``.

    Parameters
    ----------
    x : array_like of numbers, shape (rows, columns)
    y : array_like of numbers, shape (columns,)

    Returns
    -------
    ndarray, shape (rows, columns)
        ``x[i, j] + y[j]`` at every ``(i, j)``.

    Examples
    --------
    >>> naive_add_matrix_and_vector([[1, 2, 3], [4, 5, 6]], [10, 20, 30])
    array([[11, 22, 33],
           [14, 25, 36]])
    """
    x = as_numeric_array(x, "x")
    y = as_numeric_array(y, "y")
    require_rank(x, 2, "x")
    require_rank(y, 1, "y")
    if y.shape[0] != x.shape[1]:
        raise InputValueError(
            f"y needs one entry per column of x: x has shape {x.shape} ({x.shape[1]} columns), "
            f"y has shape {y.shape}")
    out = np.empty(x.shape, dtype=np.result_type(x, y))
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] = x[i, j] + y[j]
    return out


def naive_broadcast_shape(shape_a: Any, shape_b: Any) -> tuple[int, ...]:
    """The shape NumPy gives to an element-wise operation on two shapes.

    Parameters
    ----------
    shape_a, shape_b : tuple of int

    Returns
    -------
    tuple of int
        As long as the longer of the two shapes.

    Raises
    ------
    InputValueError
        If an aligned pair of sizes differs and neither is 1; the message names
        both shapes and the axis (counted from the right) that disagrees.

    Examples
    --------
    >>> naive_broadcast_shape((32, 10), (10,))
    (32, 10)
    >>> naive_broadcast_shape((4, 1, 3), (5, 1))
    (4, 5, 3)
    """
    shape_a = as_shape(shape_a, "shape_a")
    shape_b = as_shape(shape_b, "shape_b")
    rank = max(len(shape_a), len(shape_b))
    # A shorter shape behaves as if padded with 1s on the left.
    padded_a = (1,) * (rank - len(shape_a)) + shape_a
    padded_b = (1,) * (rank - len(shape_b)) + shape_b
    result = []
    for axis, (a, b) in enumerate(zip(padded_a, padded_b)):
        if a == b or b == 1:
            result.append(a)
        elif a == 1:
            result.append(b)
        else:
            raise InputValueError(
                f"shapes {shape_a} and {shape_b} do not broadcast: lined up from the right, axis "
                f"{axis - rank} has size {a} in the first and {b} in the second; aligned sizes must "
                f"be equal or one of them must be 1")
    return tuple(result)


def naive_broadcast_to(x: Any, shape: Any) -> np.ndarray:
    """Copy ``x`` into a larger ``shape`` by stretching its size-1 and missing axes.

    Parameters
    ----------
    x : array_like of numbers, any shape that broadcasts to ``shape``
    shape : tuple of int

    Returns
    -------
    ndarray of shape ``shape``
        A new array with the dtype of ``x``.

    Examples
    --------
    >>> naive_broadcast_to([1, 2, 3], (2, 3))
    array([[1, 2, 3],
           [1, 2, 3]])
    >>> naive_broadcast_to([[1], [2]], (2, 3))
    array([[1, 1, 1],
           [2, 2, 2]])
    """
    x = as_numeric_array(x, "x")
    shape = as_shape(shape, "shape")
    _check_stretches_to(x.shape, shape)
    out = np.empty(shape, dtype=x.dtype)
    for index in np.ndindex(shape):
        out[index] = x[source_index(index, x.shape)]
    return out


def _check_stretches_to(source: tuple[int, ...], target: tuple[int, ...]) -> None:
    if len(source) > len(target):
        raise InputValueError(
            f"cannot broadcast x of shape {source} to shape {target}: x has more axes "
            f"({len(source)}) than the target ({len(target)})")
    offset = len(target) - len(source)
    for axis, size in enumerate(source):
        wanted = target[offset + axis]
        if size not in (1, wanted):
            raise InputValueError(
                f"cannot broadcast x of shape {source} to shape {target}: axis {axis} of x has "
                f"size {size}, which is neither 1 nor the target size {wanted}")


def source_index(index: tuple[int, ...], source_shape: tuple[int, ...]) -> tuple[int, ...]:
    """Where an entry of a broadcast result reads from in the smaller source.

    Parameters
    ----------
    index : tuple of int
        An index into the broadcast result.
    source_shape : tuple of int
        The shape of the tensor being stretched; it has at most ``len(index)`` axes.

    Returns
    -------
    tuple of int, one entry per axis of the source

    Examples
    --------
    >>> source_index((4, 2), (3,))        # a vector repeated down the rows
    (2,)
    >>> source_index((4, 2), (5, 1))      # a column repeated across
    (4, 0)
    """
    # The source lines up with the last axes of the output.
    aligned = index[len(index) - len(source_shape):]
    # Along a stretched axis (size 1) every output position reads entry 0.
    return tuple(0 if size == 1 else i for i, size in zip(aligned, source_shape))


def naive_broadcast_add(x: Any, y: Any) -> np.ndarray:
    """Add two tensors whose shapes broadcast, as ``x + y`` does in NumPy.

    Both tensors are first stretched to the common shape, then added entry
    by entry.

    Parameters
    ----------
    x, y : array_like of numbers, shapes that broadcast together

    Returns
    -------
    ndarray of shape ``naive_broadcast_shape(x.shape, y.shape)``

    Examples
    --------
    >>> naive_broadcast_add([[0], [10]], [1, 2, 3])
    array([[ 1,  2,  3],
           [11, 12, 13]])
    """
    x = as_numeric_array(x, "x")
    y = as_numeric_array(y, "y")
    shape = naive_broadcast_shape(x.shape, y.shape)
    return naive_add(naive_broadcast_to(x, shape), naive_broadcast_to(y, shape))
