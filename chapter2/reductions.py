"""What a reduction along an axis does to a shape.

``x.sum(axis=k)``, ``x.mean(axis=k)``, ``x.max(axis=k)`` and ``x.argmax(axis=k)``
all combine the entries lined up along axis ``k`` into one number, so that axis
disappears from the shape; with ``keepdims=True`` it stays, with size 1, which
is what lets the result broadcast back against ``x``.

Examples
--------
>>> reduced_shape((128, 10), axis=1)
(128,)
>>> reduced_shape((128, 10), axis=1, keepdims=True)
(128, 1)
"""

from __future__ import annotations

from typing import Any

from .errors import InputValueError
from .validation import as_shape

#: The reductions the notebooks use; they all give the same shape for the same axis.
REDUCTIONS = ("sum", "mean", "max", "argmax")


def reduced_shape(shape: Any, axis: int | None = None, keepdims: bool = False) -> tuple[int, ...]:
    """The shape of ``np.sum(x, axis=axis, keepdims=keepdims)`` for ``x`` of ``shape``.

    The same shape results from ``mean``, ``max`` and ``argmax``.

    Parameters
    ----------
    shape : tuple of int
    axis : int or None
        The axis reduced, negative counting from the end; ``None`` reduces every axis.
    keepdims : bool
        Keep the reduced axis (or every axis, for ``axis=None``) with size 1.

    Returns
    -------
    tuple of int

    Raises
    ------
    chapter2.errors.InputValueError
        If ``axis`` does not exist for a shape of that many axes.

    Examples
    --------
    >>> reduced_shape((2, 3, 4), axis=-1), reduced_shape((2, 3, 4), axis=None, keepdims=True)
    ((2, 3), (1, 1, 1))
    """
    shape = as_shape(shape, "shape")
    if axis is None:
        return (1,) * len(shape) if keepdims else ()
    if not -len(shape) <= axis < len(shape):
        raise InputValueError(f"axis {axis} does not exist for shape {shape}, which has "
                              f"{len(shape)} axes (0 to {len(shape) - 1}, or {-len(shape)} to -1)")
    axis %= len(shape)
    # The reduced axis is replaced by a 1 or removed; every other axis passes through.
    kept = (1,) if keepdims else ()
    return shape[:axis] + kept + shape[axis + 1:]


__all__ = ["REDUCTIONS", "reduced_shape"]
