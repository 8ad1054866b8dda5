"""Notebook 08's exercises as its cells see them: the questions, never the checks.

The checks, with the truths they compare with, are in
:mod:`chapter2.exercises.checks.backprop`; ``backprop.check_...`` finds them there on
first use. A graded kernel cannot: the sandbox hides that folder (see
:mod:`chapter2.exercises.view`).
"""

from __future__ import annotations

import numpy as np

from .view import forward_to_checks


def inner_outer(x: float) -> float:
    """The function of the chain-rule exercise, ``y = (x² + 1)³``.

    Examples
    --------
    >>> inner_outer(1.0)
    8.0
    """
    return (x ** 2 + 1) ** 3


def buggy_dense_relu_backward(x: np.ndarray, W: np.ndarray, b: np.ndarray,
                              grad_h: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The backward pass of ``h = relu(x @ W + b)``, with two bugs for the learner to find.

    Parameters
    ----------
    x : ndarray, shape (batch, features)
    W : ndarray, shape (features, units)
    b : ndarray, shape (units,)
    grad_h : ndarray, shape (batch, units)
        The gradient of the loss with respect to the layer's output ``h``.

    Returns
    -------
    grad_x, grad_W, grad_b : ndarray
        Meant to have the shapes of ``x``, ``W`` and ``b``; two of them do not hold
        the right gradient.

    Examples
    --------
    With as many samples as features and units the bugs raise no error at all:

    >>> square = np.ones((3, 3))
    >>> [g.shape for g in buggy_dense_relu_backward(square, square, np.zeros(3), square)]
    [(3, 3), (3, 3), (3, 3)]
    """
    a = x @ W + b                      # recompute the layer's input to relu
    grad_a = grad_h * (a > 0)          # relu lets the gradient through where a > 0
    grad_x = grad_a @ W.T
    grad_W = x @ grad_a
    grad_b = grad_a
    return grad_x, grad_W, grad_b


__getattr__, __dir__ = forward_to_checks(__name__)
