"""What finite precision does to the products of notebooks 04 and 05.

Three small computations, each written so that its result is the same on every machine
(element-wise float operations and sequential sums only, no BLAS, whose summation order
depends on the CPU):

- :func:`multiply_adds` counts the work of a matrix product;
- :func:`running_dot` adds up a dot product one term at a time in a chosen precision;
- :func:`repeated_rotation` composes a rotation with itself many times, optionally
  re-orthonormalising after every step, to show rounding drift and its guard.
"""

from __future__ import annotations

import numpy as np

from .errors import InputValueError
from .transforms import rotation


def multiply_adds(shape_a: tuple[int, int], shape_b: tuple[int, int]) -> int:
    """Count the multiply-adds of the matrix product of shapes ``(n, m)`` and ``(m, k)``.

    Every one of the ``n * k`` output entries is a dot product of length ``m``.

    Parameters
    ----------
    shape_a, shape_b : tuple of int
        Shapes ``(n, m)`` and ``(m, k)``; the inner sizes must be equal.

    Returns
    -------
    int
        ``n * m * k``.

    Examples
    --------
    >>> multiply_adds((2, 3), (3, 4))
    24
    """
    (n, m), (m_b, k) = shape_a, shape_b
    if m != m_b:
        raise ValueError(f"inner sizes differ: {shape_a} and {shape_b}")
    return int(n) * int(m) * int(k)


def running_dot(x: np.ndarray, y: np.ndarray, dtype: type = np.float32) -> float:
    """Dot product of two vectors summed term by term, left to right, in ``dtype``.

    The products and every partial sum are rounded to ``dtype``, as in a plain loop
    (``naive_vector_dot`` in that precision). ``np.cumsum`` adds sequentially, so the
    result is the same on every machine, unlike ``np.dot``, whose order depends on BLAS.

    Parameters
    ----------
    x, y : ndarray of shape (n,)
        The two vectors.
    dtype : NumPy float type
        The precision of the products and of the running sum.

    Returns
    -------
    float
        The last partial sum, as a Python float.

    Examples
    --------
    >>> running_dot(np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    11.0
    """
    terms = np.asarray(x, dtype=dtype) * np.asarray(y, dtype=dtype)
    return float(np.cumsum(terms, dtype=dtype)[-1])


def _product_2x2(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    # Written out entry by entry: element-wise operations round the same way on every
    # machine, while a BLAS matmul may use fused multiply-adds or another order.
    return np.array([[p[0, 0] * q[0, 0] + p[0, 1] * q[1, 0], p[0, 0] * q[0, 1] + p[0, 1] * q[1, 1]],
                     [p[1, 0] * q[0, 0] + p[1, 1] * q[1, 0], p[1, 0] * q[0, 1] + p[1, 1] * q[1, 1]]],
                    dtype=p.dtype)


def reorthonormalise(matrix: np.ndarray) -> np.ndarray:
    """Turn a nearly-rotation 2 × 2 matrix back into a rotation (Gram-Schmidt on its columns).

    The first column is scaled to length 1; the second becomes that column turned by +90°.

    Parameters
    ----------
    matrix : ndarray of shape (2, 2)

    Returns
    -------
    ndarray of shape (2, 2), same dtype
        A rotation matrix (up to one rounding of its entries).

    Examples
    --------
    >>> reorthonormalise(np.array([[0.0, -3.0], [2.0, 0.1]]))
    array([[ 0., -1.],
           [ 1.,  0.]])
    """
    first = matrix[:, 0] / np.sqrt(matrix[0, 0] * matrix[0, 0] + matrix[1, 0] * matrix[1, 0])
    return np.array([[first[0], -first[1]], [first[1], first[0]]], dtype=matrix.dtype)


def repeated_rotation(angle: float, times: int, dtype: type = np.float32,
                      guard: bool = False) -> np.ndarray:
    """Compose the rotation by ``angle`` degrees with itself ``times`` times, in ``dtype``.

    Each step multiplies the running product by the rounded rotation matrix, so the
    rounding errors of all steps add up. With ``guard=True`` the running product is
    re-orthonormalised after every step (:func:`reorthonormalise`).

    Parameters
    ----------
    angle : float
        The angle of one step, in degrees.
    times : int
        How many steps (0 gives the identity).
    dtype : NumPy float type
        The precision of every step.
    guard : bool
        Re-orthonormalise after every step.

    Returns
    -------
    ndarray of shape (2, 2)
        The running product after ``times`` steps.

    Examples
    --------
    >>> repeated_rotation(90.0, 2, dtype=np.float64).round(12)
    array([[-1., -0.],
           [ 0., -1.]])
    """
    step = rotation(angle).astype(dtype)
    product = np.eye(2, dtype=dtype)
    for _ in range(times):
        product = _product_2x2(product, step)
        if guard:
            product = reorthonormalise(product)
    return product


def determinant(matrix: np.ndarray) -> float:
    """The determinant of a 2 × 2 matrix, ``ad - bc``, computed in float64.

    A rotation has determinant 1: it keeps areas. How far a composed product is from 1
    measures its drift.

    Examples
    --------
    >>> determinant(np.array([[2.0, 1.0], [1.0, 3.0]]))
    5.0
    """
    m = np.asarray(matrix, dtype=np.float64)
    return float(m[0, 0] * m[1, 1] - m[0, 1] * m[1, 0])


def pairwise_sum(x: np.ndarray) -> float:
    """Sum a 1-D array by adding neighbours in pairs, then pairs of pairs, in ``x``'s precision.

    ``np.sum`` also adds in pairs, but in blocks whose size and SIMD order change
    between NumPy versions and CPUs, so its float32 result differs in the last
    digits from one machine to another; this one is plain element-wise
    additions, the same everywhere.

    Parameters
    ----------
    x : array of shape (n,)

    Returns
    -------
    float

    Examples
    --------
    >>> pairwise_sum(np.full(10, 0.5, dtype=np.float32))
    5.0
    """
    x = np.asarray(x)
    if x.ndim != 1:
        raise InputValueError(f"x must be a vector (rank 1), got an array of shape {x.shape}")
    if x.size == 0:
        return 0.0
    while x.size > 1:
        if x.size % 2:
            x = np.append(x, x.dtype.type(0))
        x = x[0::2] + x[1::2]
    return float(x[0])
