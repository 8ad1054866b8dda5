"""The element-wise work of a training step in plain NumPy: the reference.

These are the definitions the rest of chapter2 is checked against, and what the
notebooks teach. Each function works in place on preallocated arrays with as
few whole-array passes as NumPy allows (an in-place ufunc is one pass; a fresh
temporary would be one more plus an allocation), because the first layer of the
MNIST network has 401,408 weights and the optimizer touches every one of them
at every step.

:mod:`chapter2.kernels.fused` computes the same things, in the same order of
floating-point operations, in one pass per array.
"""

from __future__ import annotations

import numpy as np

NAME = "numpy"


def rmsprop_update(w: np.ndarray, g: np.ndarray, s: np.ndarray, a: np.ndarray | None,
                   m: np.ndarray | None, scratch: np.ndarray, learning_rate: float, rho: float,
                   epsilon: float, momentum: float) -> None:
    """One RMSprop step, Keras's rule, in place on ``w`` and the state arrays.

    ``s = rho * s + (1 - rho) * g**2`` (written ``s += (1 - rho) * (g**2 - s)``,
    three passes instead of four); with ``a`` (centered) ``a = rho * a + (1 - rho) * g``
    and the denominator ``sqrt(s - a**2 + epsilon)``, else ``sqrt(s + epsilon)``;
    the step ``learning_rate * g / denominator`` is subtracted from ``w``, or with
    ``m`` (momentum) accumulated as ``m = momentum * m + step`` and ``m`` subtracted.

    Parameters
    ----------
    w, g, s, scratch : ndarray, one shape
        Weights, gradient, running mean square, and a buffer to work in.
    a, m : ndarray of that shape, or None
        Running mean gradient (centered) and momentum buffer, when used.
    learning_rate, rho, epsilon, momentum : float

    Examples
    --------
    >>> w, g, s = np.array([1.0]), np.array([0.5]), np.zeros(1)
    >>> rmsprop_update(w, g, s, None, None, np.empty(1), 0.1, 0.9, 1e-7, 0.0); np.round(w, 4)
    array([0.6838])
    """
    tmp = scratch
    np.multiply(g, g, out=tmp)
    tmp -= s
    tmp *= 1 - rho
    s += tmp
    if a is not None:
        a *= rho
        np.multiply(g, 1 - rho, out=tmp)
        a += tmp
        np.multiply(a, a, out=tmp)
        np.subtract(s, tmp, out=tmp)
        tmp += epsilon
    else:
        np.add(s, epsilon, out=tmp)
    np.sqrt(tmp, out=tmp)
    np.divide(g, tmp, out=tmp)
    tmp *= learning_rate
    if m is not None:
        m *= momentum
        m += tmp
        w -= m
    else:
        w -= tmp


def sgd_update(w: np.ndarray, g: np.ndarray, v: np.ndarray | None, scratch: np.ndarray,
               learning_rate: float, momentum: float, nesterov: bool) -> None:
    """One SGD step, Keras's rule, in place on ``w`` (and the velocity ``v``).

    Without ``v``: ``w -= learning_rate * g``. With it:
    ``v = momentum * v - learning_rate * g``, then ``w += v``, or with Nesterov
    ``w += momentum * v - learning_rate * g``.

    Examples
    --------
    >>> w, g = np.array([1.0]), np.array([0.5])
    >>> sgd_update(w, g, None, np.empty(1), 0.1, 0.0, False); w
    array([0.95])
    """
    step = scratch
    np.multiply(g, learning_rate, out=step)
    if v is None:
        w -= step
        return
    v *= momentum
    v -= step
    if nesterov:
        np.multiply(v, momentum, out=step)
        step -= g * learning_rate
        w += step
    else:
        w += v


def relu_backward(out: np.ndarray, grad_out: np.ndarray) -> np.ndarray:
    """The gradient through ReLU: ``grad_out`` where ``out > 0``, else 0 (a new array).

    Examples
    --------
    >>> relu_backward(np.array([[0.0, 2.0]]), np.array([[5.0, 7.0]]))
    array([[0., 7.]])
    """
    return grad_out * (out > 0)


def column_sums(x: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Sum over the rows of ``x`` (batch, units) into ``out`` (units,): a bias gradient.

    Examples
    --------
    >>> column_sums(np.array([[1.0, 2.0], [3.0, 4.0]]), np.empty(2))
    array([4., 6.])
    """
    return np.sum(x, axis=0, out=out)


__all__ = ["NAME", "rmsprop_update", "sgd_update", "relu_backward", "column_sums"]
