"""A picture of a reduction along an axis: which axis goes, and what ``keepdims`` keeps.

Introduced in notebook 03 ("Reductions along an axis"). The input shape and the
result shape are drawn as rows of boxes, one box per axis, in the style of
:func:`chapter2.plotting.shapes.plot_broadcast`; a last line says whether the
result broadcasts back against the input, as ``x / x.sum(axis=1, keepdims=True)``
needs. The figure has a fixed size, so ``chapter2.widgets.LiveFigure`` can redraw it.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from ..errors import InputValueError
from ..naive import naive_broadcast_shape
from ..reductions import REDUCTIONS, reduced_shape
from ..validation import as_shape
from . import style

# Labels of drawn elements a caption may name (the figure's description lists them).
REDUCED_LABEL = "reduced axis"
KEPT_ONE_LABEL = "kept with size 1 (keepdims=True)"
REMOVED_LABEL = "removed (keepdims=False)"

_FIGSIZE = (7.5, 3.6)
_MAX_AXES = 5
_WHAT = {"sum": "the sum of the {n} entries", "mean": "the mean of the {n} entries",
         "max": "the largest of the {n} entries",
         "argmax": "the index (0 to {last}) of the largest of the {n} entries"}


def plot_reduction(shape: Any, function: str = "sum", axis: int | None = 0,
                   keepdims: bool = False) -> Figure:
    """Draw ``np.<function>(x, axis=axis, keepdims=keepdims)`` as input and result shapes.

    The reduced axis is hatched in the input row. In the result row it is a
    hatched box of size 1 with ``keepdims=True``, and a dashed empty box
    (nothing there) without it; the other axes pass through. The bottom line
    says what one result entry is and whether the result broadcasts back
    against ``x``.

    Parameters
    ----------
    shape : tuple of int
        Shape of ``x``, at most five axes.
    function : {"sum", "mean", "max", "argmax"}
    axis : int or None
    keepdims : bool

    Returns
    -------
    matplotlib.figure.Figure
        Size 7.5 x 3.6 inches; for an axis that does not exist, a figure saying so.

    Examples
    --------
    >>> plot_reduction((3, 4), "sum", axis=1, keepdims=True).axes[0].get_title()
    'np.sum(x, axis=1, keepdims=True): (3, 4) → (3, 1)'
    """
    shape = as_shape(shape, "shape")
    if function not in REDUCTIONS:
        raise InputValueError(f"function must be one of {', '.join(REDUCTIONS)}, got {function!r}")
    if len(shape) > _MAX_AXES:
        raise InputValueError(f"shape has {len(shape)} axes; at most {_MAX_AXES} can be drawn")
    call = f"np.{function}(x, axis={axis}, keepdims={keepdims})"
    try:
        result = reduced_shape(shape, axis, keepdims)
    except InputValueError as error:
        return _message(call, str(error))
    reduced = set(range(len(shape))) if axis is None else {axis % len(shape)}
    fig, ax = plt.subplots(figsize=_FIGSIZE, layout="constrained")
    for col, size in enumerate(shape):
        gone = col in reduced
        _box(ax, col, 2, str(size), style.STRETCHED if gone else style.KEPT,
             hatch=style.STRETCHED_HATCH if gone else None, label=REDUCED_LABEL if gone else None)
        if not gone:
            _box(ax, col, 1, str(size), style.PAIRED)
        elif keepdims:
            _box(ax, col, 1, "1", style.PAIRED, hatch=style.STRETCHED_HATCH, label=KEPT_ONE_LABEL)
        else:
            _box(ax, col, 1, "", style.WHITE, dashed=True, label=REMOVED_LABEL)
    ax.text(0, 0.5, _bottom_line(shape, function, reduced, result), ha="left", va="center",
            fontsize=9.5, color=style.BLACK)
    ax.set_title(f"{call}: {shape} → {result}")
    ax.set_yticks([2.5, 1.5], [f"x {shape}", f"result {result}"])
    ax.set_xticks([c + 0.5 for c in range(len(shape))], [f"axis {c}" for c in range(len(shape))])
    # Axis names above the boxes they name, not below the text lines.
    ax.xaxis.tick_top()
    ax.set_xlim(-0.2, _MAX_AXES + 0.2)
    ax.set_ylim(0.1, 3)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.legend(handles=[Patch(facecolor=style.STRETCHED, edgecolor=style.BLACK, hatch=style.STRETCHED_HATCH,
                             label=REDUCED_LABEL),
                       Patch(facecolor=style.KEPT, edgecolor=style.BLACK, label="axis passed through"),
                       Patch(facecolor=style.PAIRED, edgecolor=style.BLACK, label="result axis"),
                       Patch(facecolor=style.PAIRED, edgecolor=style.BLACK, hatch=style.STRETCHED_HATCH,
                             label=KEPT_ONE_LABEL),
                       Patch(facecolor=style.WHITE, edgecolor=style.GREY, linestyle="--",
                             label=REMOVED_LABEL)],
              loc="upper right", fontsize=8, frameon=False)
    return fig


def _bottom_line(shape: tuple[int, ...], function: str, reduced: set[int], result: tuple[int, ...]) -> str:
    n = 1
    for col in reduced:
        n *= shape[col]
    where = "of x" if len(reduced) == len(shape) else f"along axis {min(reduced)}"
    entry = _WHAT[function].format(n=f"{n:,}", last=f"{n - 1:,}") + f" {where}"
    try:
        naive_broadcast_shape(shape, result)
        back = "x and the result broadcast together: x / result works"
    except InputValueError:
        back = "x and the result do not broadcast: x / result fails"
    return f"each result entry: {entry}\n{back}"


def _box(ax, col: int, row: int, text: str, colour: str, *, hatch: str | None = None,
         dashed: bool = False, label: str | None = None) -> None:
    ax.add_patch(Rectangle((col + 0.08, row + 0.12), 0.84, 0.76, facecolor=colour,
                           edgecolor=style.GREY if dashed else style.BLACK, hatch=hatch,
                           linestyle="--" if dashed else "-", label=label))
    if text:
        ax.text(col + 0.5, row + 0.5, text, ha="center", va="center", fontsize=12, color=style.BLACK,
                bbox=dict(facecolor=style.WHITE, edgecolor="none", pad=1.0, alpha=0.8))


def _message(title: str, message: str) -> Figure:
    fig, ax = plt.subplots(figsize=_FIGSIZE, layout="constrained")
    ax.text(0.5, 0.5, message, ha="center", va="center", color=style.BLACK, wrap=True)
    ax.set_title(title)
    ax.set_xlabel("pick an axis the shape has")
    ax.set_xticks([])
    ax.set_yticks([])
    return fig


__all__ = ["plot_reduction", "REDUCED_LABEL", "KEPT_ONE_LABEL", "REMOVED_LABEL"]
