"""Input checks shared by the public API.

Each check either returns a clean value or raises one of the errors in
:mod:`chapter2.errors` with a message that names the argument, says what was
expected, what arrived, and how to fix it. They run at the boundary, before any
heavy work, so a mistake never surfaces as a NumPy traceback from deep inside
a layer.
"""

from __future__ import annotations

import numbers
from typing import Any, Iterable

import numpy as np

from .errors import InputTypeError, InputValueError


def check_int(value: Any, name: str, minimum: int | None = None,
              maximum: int | None = None) -> int:
    """Return ``value`` as an ``int`` or raise if it is not a whole number in range."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InputTypeError(f"{name} must be an integer, got {value!r} ({type(value).__name__})")
    value = int(value)
    if minimum is not None and value < minimum:
        raise InputValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise InputValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_float(value: Any, name: str, minimum: float | None = None,
                maximum: float | None = None, exclusive_minimum: bool = False) -> float:
    """Return ``value`` as a finite ``float`` or raise if it is not a real number in range."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputTypeError(f"{name} must be a number, got {value!r} ({type(value).__name__})")
    value = float(value)
    if not np.isfinite(value):
        raise InputValueError(f"{name} must be finite, got {value}")
    if minimum is not None:
        too_small = value <= minimum if exclusive_minimum else value < minimum
        if too_small:
            sign = ">" if exclusive_minimum else ">="
            raise InputValueError(f"{name} must be {sign} {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise InputValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_choice(value: Any, name: str, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``; otherwise list the valid ones."""
    choices = list(choices)
    if not isinstance(value, str) or value not in choices:
        raise InputValueError(f"{name} must be one of {choices}, got {value!r}")
    return value


def as_numeric_array(x: Any, name: str) -> np.ndarray:
    """Turn ``x`` (array or nested list) into a real-valued NumPy array.

    Refuses strings, objects, complex numbers and ragged lists with a message
    that names ``name``; booleans are accepted and become 0/1 later.
    """
    if type(x) is np.ndarray:
        array = x
    else:
        # Subclasses too: np.matrix multiplies differently and a masked
        # array's mask would be ignored anyway, so both become plain arrays.
        try:
            array = np.asarray(x)
        except (ValueError, TypeError) as exc:
            raise InputValueError(
                f"{name} could not be turned into an array ({exc}); pass a NumPy array "
                "or a list of equal-length lists of numbers") from None
    if array.dtype.kind not in "biuf":
        raise InputTypeError(
            f"{name} must hold real numbers, got an array of dtype {array.dtype} "
            f"(kind {array.dtype.kind!r}); convert it with np.asarray({name}, dtype='float32')")
    return array


def check_not_empty(x: np.ndarray, name: str) -> None:
    """Raise if ``x`` has no samples (or no features)."""
    if x.size == 0:
        raise InputValueError(f"{name} is empty (shape {x.shape}); there is nothing to train on or predict")


def check_finite(x: np.ndarray, name: str) -> None:
    """Raise if ``x`` holds a NaN or an infinity, naming the first one found.

    A float64 sum detects both without a full-size temporary array; only when
    it is not finite is the array searched for the culprit.
    """
    if x.dtype.kind != "f":
        return
    total = np.sum(x, dtype=np.float64)
    if np.isfinite(total):
        return
    flat = x.reshape(-1)
    chunk = 1 << 20
    for start in range(0, flat.size, chunk):
        bad = np.flatnonzero(~np.isfinite(flat[start:start + chunk]))
        if bad.size:
            index = np.unravel_index(start + int(bad[0]), x.shape)
            value = x[index]
            raise InputValueError(
                f"{name} contains {value} at index {tuple(int(i) for i in index)}; "
                "remove or replace NaN and infinite values first (e.g. with np.nan_to_num)")


def check_fits(x: np.ndarray, dtype: np.dtype, name: str) -> None:
    """Raise if finite values of ``x`` would overflow to infinity when cast to ``dtype``.

    Only a float array wider than ``dtype`` (float64 data for a float32 model)
    can do that, so only such an array pays for the two passes over it.
    """
    dtype = np.dtype(dtype)
    if x.dtype.kind != "f" or x.dtype.itemsize <= dtype.itemsize or x.size == 0:
        return
    limit = float(np.finfo(dtype).max)
    low, high = float(np.min(x)), float(np.max(x))
    if max(-low, high) > limit:
        raise InputValueError(
            f"{name} holds values from {low:g} to {high:g}, beyond the largest {dtype} "
            f"({limit:g}); they would become infinite in the model. Scale {name} first "
            f"(e.g. standardise it, or divide pixels by 255)")


__all__ = ["check_int", "check_float", "check_choice", "as_numeric_array",
           "check_not_empty", "check_finite", "check_fits"]
