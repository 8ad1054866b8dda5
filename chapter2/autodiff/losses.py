"""Softmax cross-entropy as one autodiff operation, computed from logits.

Introduced in notebook 08 (section 2.4.4).

Building this loss from ``exp``, ``sum`` and ``log`` works, but ``exp`` of a
large logit overflows, and ``log`` of a probability that rounded to 0 is
``-inf``. Computed in one piece it is stable: subtracting each row's largest
logit changes no probability, and keeps every ``exp`` at most 1. Its local
derivative is also strikingly simple: ``softmax(logits) - targets``.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputTypeError, InputValueError
from .tensor import Tensor


def softmax_cross_entropy(logits: Tensor, targets: np.ndarray) -> Tensor:
    """Mean cross-entropy between ``softmax(logits)`` and the targets.

    Parameters
    ----------
    logits : Tensor of shape (n, classes)
        Unnormalised scores, e.g. the output of the last Dense layer before softmax.
    targets : ndarray of shape (n, classes) or (n,)
        One-hot rows (any rows of non-negative weights work), or integer class labels.

    Returns
    -------
    Tensor of shape ()
        ``-mean over samples of sum_c targets[i, c] * log softmax(logits)[i, c]``.

    Examples
    --------
    >>> logits = Tensor([[2.0, 0.0], [0.0, 0.0]])
    >>> loss = softmax_cross_entropy(logits, np.array([0, 1]))
    >>> round(loss.item(), 4)
    0.41
    >>> loss.backward()
    >>> np.round(logits.grad, 3)
    array([[-0.06,  0.06],
           [ 0.25, -0.25]])
    """
    if not isinstance(logits, Tensor):
        raise InputTypeError(f"logits must be a Tensor, got {type(logits).__name__}; wrap it with Tensor(...)")
    y = _as_one_hot(targets, logits.shape, logits.dtype)
    n = logits.shape[0]
    shifted = logits.data - logits.data.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -(y * log_probs).sum() / n
    out = Tensor._result(np.asarray(loss, dtype=logits.dtype), (logits,), "softmax\nCE")

    def backward() -> None:
        # d/dz of -sum_c y_c log softmax(z)_c is softmax(z) * sum_c y_c - y
        probs = np.exp(log_probs)
        local = probs * y.sum(axis=1, keepdims=True) - y
        logits._accumulate(out.grad * local / n)
    out._backward = backward
    return out


def _as_one_hot(targets, logits_shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    if len(logits_shape) != 2:
        raise InputValueError(f"logits must be 2-D (samples, classes), got shape {logits_shape}")
    if isinstance(targets, Tensor):
        targets = targets.data
    targets = np.asarray(targets)
    n, classes = logits_shape
    if targets.ndim == 1 and targets.dtype.kind in "iu":
        if targets.shape[0] != n or targets.size and (targets.min() < 0 or targets.max() >= classes):
            raise InputValueError(
                f"integer targets must have shape ({n},) and values in 0..{classes - 1}, "
                f"got shape {targets.shape} with values {targets.min() if targets.size else '-'}.."
                f"{targets.max() if targets.size else '-'}")
        return np.eye(classes, dtype=dtype)[targets]
    if targets.shape != logits_shape:
        raise InputValueError(
            f"targets must be one-hot of the logits' shape {logits_shape} or integer labels of "
            f"shape ({n},), got shape {targets.shape}")
    return targets.astype(dtype, copy=False)


__all__ = ["softmax_cross_entropy"]
