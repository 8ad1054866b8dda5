"""Metrics: numbers reported during training that the optimizer does not use.

The chapter reports one: accuracy, the fraction of samples whose most probable
class is the true class.
"""

from __future__ import annotations

import numpy as np

from .errors import InputValueError
from .validation import as_numeric_array, check_consistent_length, check_not_empty, lookup


def accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Fraction of rows of ``y_pred`` whose largest entry is the true class.

    Parameters
    ----------
    y_true : ndarray, shape (n,) of class labels or (n, classes) one-hot
    y_pred : ndarray, shape (n, classes) of scores or probabilities

    Examples
    --------
    >>> accuracy(np.array([0, 1]), np.array([[0.9, 0.1], [0.8, 0.2]]))
    0.5
    """
    y_true, y_pred = as_numeric_array(y_true, "y_true"), as_numeric_array(y_pred, "y_pred")
    if y_pred.ndim != 2:
        raise InputValueError(f"y_pred must be 2-D, (samples, classes), got shape {y_pred.shape}")
    check_not_empty(y_pred, "y_pred")
    if y_true.ndim not in (1, 2):
        raise InputValueError(
            f"y_true must hold one label (or one one-hot row) per row of y_pred {y_pred.shape}, "
            f"got shape {y_true.shape}")
    check_consistent_length({"y_true": y_true, "y_pred": y_pred})
    if y_true.ndim == 2 and y_true.shape[1] not in (1, y_pred.shape[1]):
        raise InputValueError(
            f"one-hot y_true must have {y_pred.shape[1]} columns like y_pred, got shape {y_true.shape}")
    return float(np.mean(correct(y_true, y_pred)))


def correct(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """Boolean array, shape (n,): is each prediction right?"""
    labels = y_true.argmax(axis=-1) if y_true.ndim == 2 and y_true.shape[1] > 1 else y_true.reshape(len(y_true))
    if y_pred.ndim == 2 and y_pred.shape[1] == 1:
        # One output unit: a binary classifier with threshold 0.5.
        return (y_pred[:, 0] > 0.5) == (labels > 0.5)
    return y_pred.argmax(axis=-1) == labels


#: Names that mean accuracy; a model reports the metric under the name it was given.
_BY_NAME = {"accuracy": accuracy, "acc": accuracy, "categorical_accuracy": accuracy,
            "sparse_categorical_accuracy": accuracy}
_NOT_HERE = {name: "chapter2 reports accuracy only; compute others from model.predict(x)"
             for name in ("precision", "recall", "auc", "mae", "mse", "mean_absolute_error",
                          "mean_squared_error", "binary_accuracy", "top_k_categorical_accuracy",
                          "f1_score", "f1")}


def get(identifier):
    """Return the metric function for a name (``"accuracy"``, ``"acc"``) or a callable.

    Examples
    --------
    >>> get("acc") is accuracy
    True
    """
    if callable(identifier):
        return identifier
    return lookup(identifier, "metric", {k: (lambda: accuracy) for k in _BY_NAME}, None, "accuracy",
                  not_here=_NOT_HERE)


__all__ = ["accuracy", "correct", "get"]
