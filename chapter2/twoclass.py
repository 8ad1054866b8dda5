"""Two classes: the sigmoid, the two-class softmax and the binary cross-entropy (notebook 06).

The sigmoid turns one score into the probability of class 1; a softmax over
two scores gives the same probability from their difference. The
cross-entropy charges ``-log`` of the probability given to the true class; it
clips that probability away from 0 first, as Keras does, because
``log(0) = -inf``.
"""

from __future__ import annotations

import numpy as np

from .losses import EPSILON


def sigmoid(z: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-z))``, computed without overflow, in the dtype of ``z``.

    Parameters
    ----------
    z : array_like of float, any shape

    Returns
    -------
    ndarray, same shape and float dtype as ``z``

    Examples
    --------
    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0])).tolist()
    [0.0, 0.5, 1.0]
    """
    z = np.asarray(z)
    z = z if np.issubdtype(z.dtype, np.floating) else z.astype(np.float64)
    # exp(-|z|) lies in (0, 1], so it never overflows; both branches equal the sigmoid.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e)).astype(z.dtype, copy=False)


def naive_sigmoid(z: np.ndarray) -> np.ndarray:
    """The textbook formula ``1 / (1 + exp(-z))`` as written; ``exp`` overflows for very negative ``z``.

    Kept only to show the overflow (notebook 06); use :func:`sigmoid`.

    Examples
    --------
    >>> naive_sigmoid(np.array([0.0])).tolist()
    [0.5]
    """
    z = np.asarray(z)
    return 1 / (1 + np.exp(-z))


def two_class_softmax(scores: np.ndarray) -> np.ndarray:
    """Softmax over the last axis of ``scores``, shape (..., 2): the probabilities of class 0 and 1.

    Examples
    --------
    >>> two_class_softmax(np.array([1.0, 1.0])).tolist()
    [0.5, 0.5]
    """
    scores = np.asarray(scores, dtype=np.float64)
    # Subtracting the row maximum leaves the result unchanged and keeps exp from overflowing.
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def binary_crossentropy(p: np.ndarray, y: np.ndarray, eps: float = EPSILON) -> np.ndarray:
    """Per-sample cross-entropy ``-log`` of the probability given to the true class.

    Parameters
    ----------
    p : array_like of float, shape (n,)
        Predicted probability of class 1.
    y : array_like of 0/1, shape (n,)
        True classes.
    eps : float
        ``p`` is clipped to ``[eps, 1 - eps]`` first, so a certain wrong answer
        costs ``-log(eps)`` (about 16 for the default) instead of infinity.

    Returns
    -------
    ndarray of float64, shape (n,)

    Examples
    --------
    >>> binary_crossentropy(np.array([0.5, 1.0]), np.array([1, 0])).round(3).tolist()
    [0.693, 16.118]
    """
    p = np.clip(np.asarray(p, dtype=np.float64), eps, 1 - eps)
    y = np.asarray(y)
    return -np.log(np.where(y == 1, p, 1 - p))


__all__ = ["sigmoid", "naive_sigmoid", "two_class_softmax", "binary_crossentropy"]
