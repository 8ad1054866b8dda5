"""Small helpers the book imports from ``keras.utils``."""

from __future__ import annotations

import numpy as np

from . import keras_names
from .errors import InputTypeError, InputValueError
from .seeding import set_random_seed
from .validation import allocate, as_numeric_array, check_finite, check_int


def to_categorical(labels, num_classes: int | None = None, dtype: str = "float32") -> np.ndarray:
    """One-hot encode integer class labels.

    Parameters
    ----------
    labels : array-like of int, shape (n,) (or (n, 1))
        Class indices from 0 to ``num_classes - 1``.
    num_classes : int, optional
        Number of classes; defaults to ``max(labels) + 1``.
    dtype : str, default "float32"

    Returns
    -------
    ndarray, shape (n, num_classes)
        Row ``i`` is all zeros except a 1 in column ``labels[i]``.

    Examples
    --------
    >>> to_categorical([0, 2, 1])
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]], dtype=float32)
    """
    y = as_numeric_array(labels, "labels")
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        one_hot = y.ndim == 2 and y.size and np.isin(y, (0, 1)).all() and (y.sum(axis=1) == 1).all()
        raise InputValueError(
            f"labels must be a 1-D array of class indices, one per sample, got shape {y.shape}"
            + ("; these are one-hot encoded already: use them as they are" if one_hot else
               "; pass one class index per sample, e.g. [3, 0, 7]"))
    check_finite(y, "labels")
    if y.size and (y.dtype.kind == "f" and not np.all(y == np.round(y))):
        raise InputValueError("labels must be whole numbers (class indices), found fractional values")
    if y.size and y.min() < 0:
        raise InputValueError(f"labels must be >= 0, found {y.min()}")
    largest = int(y.max()) if y.size else -1
    if largest > np.iinfo(np.intp).max:
        raise InputValueError(f"labels must be class indices, found {largest}")
    y = y.astype(np.intp)
    if num_classes is None and not y.size:
        raise InputValueError("labels is empty, so the number of classes is unknown; pass num_classes")
    if num_classes is None:
        num_classes = largest + 1
    num_classes = check_int(num_classes, "num_classes", minimum=1)
    if largest >= num_classes:
        raise InputValueError(
            f"labels go up to {largest}, which needs num_classes >= {largest + 1}, got num_classes={num_classes}")
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise InputTypeError(f"dtype must be a NumPy number type such as 'float32', got {dtype!r}") from None
    if dtype.kind not in "biuf":
        raise InputTypeError(f"dtype must be a NumPy number type such as 'float32', got {dtype!r}")
    out = allocate(lambda: np.zeros((len(y), num_classes), dtype=dtype), len(y) * num_classes * dtype.itemsize,
                   f"a one-hot array of {len(y)} labels x {num_classes} classes",
                   "pass the number of classes the labels really have (num_classes)")
    out[np.arange(len(y)), y] = 1
    return out


def __getattr__(name: str):
    raise keras_names.missing_attribute("utils", name)


__all__ = ["to_categorical", "set_random_seed"]
