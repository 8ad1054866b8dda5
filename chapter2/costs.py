"""What a stack of ``Dense`` layers costs: parameters, multiply-adds per training step, bytes.

Everything here is counted from the layer sizes alone, so the counts are the
same on every machine (unlike timings). Introduced in notebook 01, where the
network is 784 -> 512 -> 10.

Examples
--------
>>> dense_parameter_counts((784, 512, 10))
[(401408, 512), (5120, 10)]
>>> training_step_multiply_adds((784, 512, 10), batch_size=1)["total"]
818176
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

import numpy as np

from .errors import InputValueError


def _check_sizes(sizes: Sequence[int]) -> list[int]:
    """The sizes as plain ints, at least two of them, all positive."""
    checked = [int(size) for size in sizes]
    if len(checked) < 2 or min(checked) < 1:
        raise InputValueError(f"sizes must be at least two positive layer widths (inputs first), got {list(sizes)}")
    return checked


def dense_parameter_counts(sizes: Sequence[int]) -> list[tuple[int, int]]:
    """The (kernel, bias) parameter counts of each ``Dense`` layer of a stack.

    Parameters
    ----------
    sizes : sequence of int
        The width of the input followed by the units of each layer, e.g.
        ``(784, 512, 10)`` for two layers.

    Returns
    -------
    list of (int, int), one per layer
        ``(n_in * n_out, n_out)``: one weight per (input, unit) pair and one
        bias per unit.

    Examples
    --------
    >>> dense_parameter_counts((3, 2))
    [(6, 2)]
    """
    widths = _check_sizes(sizes)
    return [(n_in * n_out, n_out) for n_in, n_out in zip(widths[:-1], widths[1:])]


def training_step_multiply_adds(sizes: Sequence[int], batch_size: int) -> dict[str, int]:
    """Multiply-adds of one training step of a ``Dense`` stack, counted from its sizes.

    A layer with ``n_in`` inputs and ``n_out`` units multiplies a
    ``(batch, n_in)`` matrix by an ``(n_in, n_out)`` kernel:
    ``batch * n_in * n_out`` multiply-adds. The backward pass does one such
    product for the kernel's gradient and one for the gradient of the layer's
    input, except in the first layer, whose input (the images) is never
    changed, so nobody needs its gradient. Activations, biases, the loss and
    the optimizer add only one operation per number, far fewer, and are left
    out.

    Parameters
    ----------
    sizes : sequence of int
        Input width, then the units of each layer.
    batch_size : int
        Samples per step.

    Returns
    -------
    dict of str to int
        ``"forward"``, ``"weight gradients"``, ``"input gradients"`` and
        ``"total"``.

    Examples
    --------
    >>> counts = training_step_multiply_adds((4, 3, 2), batch_size=5)
    >>> counts["forward"], counts["weight gradients"], counts["input gradients"]
    (90, 90, 30)
    """
    if int(batch_size) < 1:
        raise InputValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    products = [int(batch_size) * kernel for kernel, _ in dense_parameter_counts(sizes)]
    counts = {"forward": sum(products), "weight gradients": sum(products), "input gradients": sum(products[1:])}
    counts["total"] = sum(counts.values())
    return counts


def array_bytes(shape: Sequence[int], dtype: str | np.dtype) -> int:
    """Bytes an array of this shape and dtype holds: one ``itemsize`` per number.

    Parameters
    ----------
    shape : sequence of int
    dtype : str or numpy.dtype

    Returns
    -------
    int
        The array's ``nbytes``, without making the array.

    Examples
    --------
    >>> array_bytes((60000, 784), "uint8"), array_bytes((60000, 784), "float32")
    (47040000, 188160000)
    """
    return int(np.prod([int(n) for n in shape], dtype=np.int64)) * np.dtype(dtype).itemsize


def exact_round_trips(dtype: str | np.dtype = "float32", levels: int = 256) -> int:
    """How many integers k in ``0 .. levels - 1`` come back exactly from ``k / (levels - 1) * (levels - 1)``.

    Both the division and the multiplication are done in ``dtype``, each
    rounding its result to the nearest number that type can hold.

    Parameters
    ----------
    dtype : str or numpy.dtype
        A floating-point type.
    levels : int
        How many integers, 0 to ``levels - 1``; 256 for the values of a ``uint8`` pixel.

    Returns
    -------
    int

    Examples
    --------
    >>> exact_round_trips("float32")     # every pixel value comes back
    256
    """
    top = np.asarray(levels - 1, dtype=dtype)
    k = np.arange(levels).astype(dtype)
    return int(np.count_nonzero(k / top * top == k))


def exact_quotients(dtype: str | np.dtype = "float32", levels: int = 256) -> int:
    """How many integers k in ``0 .. levels - 1`` give exactly k / (levels - 1) when divided in ``dtype``.

    A binary float holds a fraction exactly only when its denominator is a
    power of two; 255 = 3 * 5 * 17, so k / 255 is exact only for k = 0 and
    k = 255. The comparison is made with exact rational arithmetic
    (:class:`fractions.Fraction`), not with another float.

    Parameters
    ----------
    dtype : str or numpy.dtype
        A floating-point type.
    levels : int
        How many integers, 0 to ``levels - 1``; 256 for the values of a ``uint8`` pixel.

    Returns
    -------
    int

    Examples
    --------
    >>> exact_quotients("float32", levels=5)    # k / 4 is exact for every k
    5
    >>> exact_quotients("float32", levels=256)
    2
    """
    top = np.asarray(levels - 1, dtype=dtype)
    quotients = np.arange(levels).astype(dtype) / top
    # Fraction(float) is the float's exact binary value, so no second rounding hides an error.
    return sum(Fraction(float(q)) == Fraction(k, levels - 1) for k, q in enumerate(quotients))


__all__ = ["dense_parameter_counts", "training_step_multiply_adds", "array_bytes", "exact_round_trips",
           "exact_quotients"]
