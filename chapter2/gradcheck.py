"""Gradient checking: compare an analytic gradient with central finite differences.

This is how every backward pass in chapter2 is tested, and how the notebooks
show that backpropagation computes the right numbers. Work in float64: with
``eps=1e-6`` central differences are accurate to about 1e-9 relative error,
so an analytic gradient that agrees to 1e-6 is right, and one that is wrong
usually disagrees at 1e-2 or worse.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .errors import InputTypeError, InputValueError
from .validation import as_numeric_array, check_finite, check_float


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray,
                       eps: float = 1e-6) -> np.ndarray:
    """Estimate the gradient of a scalar function by central differences.

    Parameters
    ----------
    f : callable
        Takes an array shaped like ``x`` and returns a scalar.
    x : ndarray of float64, any shape
        The point where the gradient is wanted. It is perturbed in place one
        entry at a time and restored before returning.
    eps : float
        Half the width of each difference.

    Returns
    -------
    ndarray, same shape as ``x``
        ``(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)`` for every entry ``i``.

    Examples
    --------
    >>> g = numerical_gradient(lambda v: float((v ** 2).sum()), np.array([1.0, -2.0]))
    >>> np.round(g, 6)
    array([ 2., -4.])
    """
    if not callable(f):
        raise InputTypeError(f"f must be a function of x returning a number, got {type(f).__name__}")
    x = _as_float64_array(x, "x")
    check_finite(x, "x")
    eps = check_float(eps, "eps", minimum=0.0, include_boundaries="neither")
    grad = np.zeros_like(x)
    flat_x, flat_grad = x.reshape(-1), grad.reshape(-1)
    for i in range(flat_x.size):
        saved = flat_x[i]
        flat_x[i] = saved + eps
        up = _scalar(f(x))
        flat_x[i] = saved - eps
        down = _scalar(f(x))
        flat_x[i] = saved
        flat_grad[i] = (up - down) / (2.0 * eps)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray, floor: float = 1e-8) -> float:
    """Largest element-wise relative difference ``|a - b| / max(|a|, |b|, floor)``.

    ``floor`` keeps entries where both gradients are (nearly) zero from
    dividing by zero: there the absolute difference is what counts.

    Examples
    --------
    >>> round(relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.002])), 6)
    0.000999
    """
    a, b = as_numeric_array(a, "a"), as_numeric_array(b, "b")
    a, b = a.astype(np.float64, copy=False), b.astype(np.float64, copy=False)
    if a.shape != b.shape:
        raise InputValueError(f"cannot compare gradients of shapes {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    check_finite(a, "a")
    check_finite(b, "b")
    scale = np.maximum(np.maximum(np.abs(a), np.abs(b)), floor)
    return float(np.max(np.abs(a - b) / scale))


def check_gradient(f: Callable[[np.ndarray], float], x: np.ndarray,
                   analytic: np.ndarray, eps: float = 1e-6) -> float:
    """Relative error between ``analytic`` and the finite-difference gradient of ``f`` at ``x``.

    Returns the error rather than a pass/fail flag, so a notebook can print
    how close the two are (``1e-10`` is excellent, ``1e-2`` is a bug).

    Examples
    --------
    >>> x = np.array([0.5, -1.5])
    >>> check_gradient(lambda v: float(np.sum(v ** 3)), x, 3 * x ** 2) < 1e-8
    True
    """
    numeric = numerical_gradient(f, x, eps=eps)
    return relative_error(np.asarray(analytic), numeric)


def _scalar(value) -> float:
    """The number ``f`` returned, or a clear error if it returned something else."""
    if np.ndim(value) == 0:
        try:
            return float(value)
        except (TypeError, ValueError):
            pass
    raise InputValueError(
        f"f must return a single number (e.g. the mean loss), got {type(value).__name__} "
        f"{getattr(value, 'shape', '')}; reduce it first, e.g. float(np.sum(...))")


def _as_float64_array(x: np.ndarray, name: str) -> np.ndarray:
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise InputValueError(
            f"{name} must be a float64 NumPy array for gradient checking "
            f"(got {type(x).__name__} of dtype {getattr(x, 'dtype', None)}); "
            "use np.asarray(x, dtype=np.float64)"
        )
    return x


__all__ = ["numerical_gradient", "relative_error", "check_gradient"]
