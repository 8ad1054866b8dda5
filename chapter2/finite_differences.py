"""How good is a difference quotient, and how does a function change along a direction (notebook 06).

- :func:`central_difference_errors`: the error of ``(f(x + h) - f(x - h)) / 2h``
  for many ``h``, in float64 or float32. It falls like ``h²`` until rounding,
  about ``machine epsilon / h``, takes over: a U on a log-log plot.
- :func:`linearization_errors`: how far ``L(w + d) - L(w)`` is from ``grad · d``
  for steps ``d`` of shrinking length; the gap falls like ``|d|²``.
- :func:`directional_derivatives`: ``grad · u`` for unit directions ``u`` at
  given angles, which equals ``|grad| cos(angle to the gradient)``.
"""

from __future__ import annotations

from typing import Callable, Sequence

import math

import numpy as np


def central_difference_errors(f: Callable[[np.ndarray], np.ndarray], exact: float, x: float,
                              steps: Sequence[float], dtype: type = np.float64) -> np.ndarray:
    """Absolute error of the central difference of ``f`` at ``x`` for each step ``h``, computed in ``dtype``.

    Parameters
    ----------
    f : callable
        A NumPy function that keeps the dtype of its input (``np.sin``, ``np.exp``...).
    exact : float
        The true derivative at ``x``.
    x : float
    steps : sequence of float, length k
    dtype : np.float64 or np.float32
        The precision of ``x``, ``h`` and every operation.

    Returns
    -------
    ndarray of float64, shape (k,)

    Examples
    --------
    >>> errors = central_difference_errors(np.sin, np.cos(1.0), 1.0, [1e-1, 1e-2])
    >>> round(float(errors[0] / errors[1]))   # h ten times smaller, error a hundred times smaller
    100
    """
    errors = []
    for h in steps:
        xd, hd = dtype(x), dtype(h)
        # The step actually taken is (x + h) - (x - h), which rounding may change; dividing by it would
        # hide that rounding, so divide by the 2h we asked for, as a gradient check does.
        slope = (f(xd + hd) - f(xd - hd)) / (dtype(2) * hd)
        errors.append(abs(float(slope) - exact))
    return np.array(errors)


def linearization_errors(f: Callable[[np.ndarray], float], grad: np.ndarray, w: np.ndarray,
                         direction: np.ndarray, lengths: Sequence[float]) -> np.ndarray:
    """``|f(w + d) - f(w) - grad · d|`` for ``d = length * direction / |direction|``, per length.

    Parameters
    ----------
    f : callable
        Takes a float64 array shaped like ``w``, returns a float.
    grad : ndarray, shape of ``w``
        The gradient of ``f`` at ``w``.
    w, direction : ndarray, same shape
    lengths : sequence of float, length k

    Returns
    -------
    ndarray of float64, shape (k,)

    Examples
    --------
    >>> errs = linearization_errors(lambda v: float(v @ v), np.array([2.0, 0.0]), np.array([1.0, 0.0]),
    ...                             np.array([0.0, 1.0]), [0.1, 0.01])
    >>> errs.round(6).tolist()        # |d|², exactly, for this quadratic
    [0.01, 0.0001]
    """
    w = np.asarray(w, dtype=np.float64)
    unit = np.asarray(direction, dtype=np.float64) / np.linalg.norm(direction)
    base = f(w)
    return np.array([abs(f(w + r * unit) - base - float(np.sum(grad * r * unit))) for r in lengths])


def unit_direction(angle_deg: float) -> np.ndarray:
    """The unit vector at ``angle_deg`` degrees counter-clockwise from the first axis, shape (2,).

    Examples
    --------
    >>> unit_direction(90.0).round(6).tolist()
    [0.0, 1.0]
    """
    a = np.deg2rad(angle_deg)
    return np.array([np.cos(a), np.sin(a)])


def directional_derivatives(grad: np.ndarray, angles_deg: np.ndarray) -> np.ndarray:
    """``grad · u(angle)`` for each angle (degrees), for a gradient of shape (2,).

    Examples
    --------
    >>> directional_derivatives(np.array([3.0, 4.0]), np.array([0.0, 90.0])).tolist()
    [3.0, 4.0]
    """
    a = np.deg2rad(np.asarray(angles_deg, dtype=np.float64))
    return grad[0] * np.cos(a) + grad[1] * np.sin(a)


__all__ = ["central_difference_errors", "linearization_errors", "unit_direction", "directional_derivatives"]


def libm_sin(x: np.floating) -> np.floating:
    """``sin`` of a NumPy scalar from the C library (Python's ``math.sin``), rounded to ``x``'s precision.

    NumPy's own ``np.sin`` uses SIMD code that differs in the last bit between
    CPUs and NumPy versions; a finite difference divides that bit by a tiny
    ``2h``, so a table of its errors would change from machine to machine.

    Examples
    --------
    >>> libm_sin(np.float32(0.5)).dtype
    dtype('float32')
    >>> float(libm_sin(np.float64(0.0)))
    0.0
    """
    return type(x)(math.sin(float(x)))
