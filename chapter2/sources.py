"""Data that ``fit``, ``evaluate`` and ``predict`` prepare one batch at a time.

The book scales MNIST with ``train_images.astype("float32") / 255``: a float32
copy four times the size of the uint8 images (188 MB instead of 47 MB, and
briefly twice that while it is made). :class:`ScaledPixels` keeps the integer
pixels and hands the model each batch already divided by 255, written into one
reused buffer, so the model takes exactly the steps it would take on the scaled
copy without ever holding it.
"""

from __future__ import annotations

import numpy as np

from .errors import InputTypeError, InputValueError
from .validation import as_numeric_array, check_int


class ScaledPixels:
    """Integer pixels, scaled to ``[0, 1]`` one batch at a time; pass it as ``x``.

    Parameters
    ----------
    pixels : ndarray of integers, shape (samples, *sample_shape)
        For example MNIST's uint8 images flattened to (60000, 784).
    maximum : int, default 255
        The brightest value; every pixel must lie in ``[0, maximum]``.

    Examples
    --------
    >>> x = ScaledPixels(np.array([[0, 255], [51, 102]], dtype=np.uint8))
    >>> x.shape, len(x)
    ((2, 2), 2)
    >>> x.batch(slice(0, 2), np.float32)
    array([[0. , 1. ],
           [0.2, 0.4]], dtype=float32)
    """

    def __init__(self, pixels, maximum: int = 255) -> None:
        array = as_numeric_array(pixels, "pixels")
        if array.dtype.kind not in "ui":
            raise InputTypeError(
                f"ScaledPixels takes integer pixels (such as uint8 images), got dtype {array.dtype}; "
                "float data is already scaled: pass it to fit as it is")
        self.maximum = check_int(maximum, "maximum", minimum=1)
        if array.size and (array.min() < 0 or array.max() > self.maximum):
            raise InputValueError(f"pixels must lie in [0, {self.maximum}], found values from "
                                  f"{array.min()} to {array.max()}")
        self.pixels = array
        self._buffer: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, ...]:
        return self.pixels.shape

    @property
    def ndim(self) -> int:
        return self.pixels.ndim

    def __len__(self) -> int:
        return len(self.pixels)

    def __getitem__(self, rows: slice) -> ScaledPixels:
        """The samples of a slice, still unscaled (``fit`` splits off validation data this way)."""
        if not isinstance(rows, slice):
            raise InputTypeError("ScaledPixels can be sliced (x[:1000]), not indexed; "
                                 "to see scaled values use x.batch(rows, np.float32)")
        part = ScaledPixels.__new__(ScaledPixels)
        part.pixels, part.maximum, part._buffer = self.pixels[rows], self.maximum, None
        return part

    def batch(self, rows: slice | np.ndarray, dtype) -> np.ndarray:
        """Rows (a slice or an index array) divided by ``maximum``, in a buffer reused by the next call."""
        part = self.pixels[rows] if isinstance(rows, slice) else self.pixels.take(rows, axis=0)
        dtype = np.dtype(dtype)
        if self._buffer is None or self._buffer.dtype != dtype or len(self._buffer) < len(part):
            self._buffer = np.empty(part.shape, dtype=dtype)
        out = self._buffer[:len(part)]
        np.divide(part, self.maximum, out=out, dtype=dtype)
        return out

    def __repr__(self) -> str:
        return f"ScaledPixels(shape={self.shape}, dtype={self.pixels.dtype}, maximum={self.maximum})"


__all__ = ["ScaledPixels"]
