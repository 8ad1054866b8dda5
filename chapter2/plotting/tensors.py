"""Pictures of tensors: their ranks and their slices.

Introduced in notebook 02 ("Data representations: tensors"). Every function
returns a ``Figure`` whose size depends only on its arguments.
"""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from ..errors import InputTypeError, InputValueError
from . import style
from ..validation import as_numeric_array, check_int

# How far (in cell units) each layer of a rank-3 tensor is drawn behind the previous one.
_LAYER_OFFSET = 0.45


def plot_tensor_ranks(tensors: Sequence[np.ndarray], *, title: str = "Tensors of rank 0 to 3") -> Figure:
    """Draw small tensors of rank 0 to 3 as grids of numbered cells, side by side.

    A scalar is one cell, a vector a row of cells, a matrix a grid, and a
    rank-3 tensor a stack of grids (its first axis runs from front to back).

    Parameters
    ----------
    tensors : sequence of array_like
        Up to six tensors, each of rank 0-3 with at most 8 entries per axis.
    title : str
        Title of the whole figure.

    Returns
    -------
    matplotlib.figure.Figure
        Size ``(3.2 * len(tensors), 3.4)`` inches, one axes per tensor.

    Examples
    --------
    >>> fig = plot_tensor_ranks([np.array(5), np.arange(3)])
    >>> [ax.get_title() for ax in fig.axes]
    ['rank 0, shape ()', 'rank 1, shape (3,)']
    """
    arrays = [_small_tensor(t, i) for i, t in enumerate(tensors)]
    if not 1 <= len(arrays) <= 6:
        raise InputValueError(f"pass between 1 and 6 tensors, got {len(arrays)}")
    fig, axes = plt.subplots(1, len(arrays), figsize=(3.2 * len(arrays), 3.4), squeeze=False,
                             layout="constrained")
    for ax, array in zip(axes.flat, arrays):
        layers = array.reshape((-1,) + array.shape[-2:]) if array.ndim == 3 else [np.atleast_2d(array)]
        # Draw back to front so the first layer ends on top, fully readable.
        for depth in reversed(range(len(layers))):
            shift = depth * _LAYER_OFFSET
            _draw_cells(ax, layers[depth], shift, shift, show_values=(depth == 0))
        rows, cols = np.atleast_2d(layers[0]).shape
        extra = (len(layers) - 1) * _LAYER_OFFSET
        # The same window for every panel, the drawing in its centre, so cells keep one size.
        half = 4.6
        ax.set_xlim((cols + extra) / 2 - half, (cols + extra) / 2 + half)
        ax.set_ylim((rows + extra) / 2 - half * 0.8, (rows + extra) / 2 + half * 0.8)
        ax.set_aspect("equal")
        ax.set_title(f"rank {array.ndim}, shape {array.shape}")
        _label_axes(ax, array.ndim, rows)
    fig.suptitle(title)
    return fig


def plot_crop(image: np.ndarray, rows: tuple[int, int], cols: tuple[int, int], *,
              title: str = "Slicing a tensor") -> Figure:
    """Show which part of an image ``image[r0:r1, c0:c1]`` selects, and the result.

    Parameters
    ----------
    image : array_like, shape (height, width)
        A grayscale image, e.g. one MNIST digit.
    rows, cols : (int, int)
        Start (included) and stop (excluded) of the row and column ranges,
        with ``0 <= start < stop <= size``.
    title : str
        Title of the whole figure.

    Returns
    -------
    matplotlib.figure.Figure
        Size ``(8, 4)`` inches: the whole image with the selection outlined,
        and the selected sub-tensor with its shape.

    Examples
    --------
    >>> fig = plot_crop(np.zeros((28, 28)), rows=(0, 14), cols=(7, 21))
    >>> fig.axes[1].get_title()
    'image[0:14, 7:21] has shape (14, 14)'
    """
    array = as_numeric_array(image, "image")
    if array.ndim != 2:
        raise InputValueError(f"image must be a 2-D array (height, width), got shape {array.shape}")
    r0, r1 = _check_range(rows, array.shape[0], "rows")
    c0, c1 = _check_range(cols, array.shape[1], "cols")
    crop = array[r0:r1, c0:c1]
    fig, (ax_full, ax_crop) = plt.subplots(1, 2, figsize=(8, 4), layout="constrained")
    ax_full.imshow(array, cmap=style.INK_CMAP)
    # Labelled for the figure's description (chapter2.plotting.describe); there is no legend.
    ax_full.add_patch(Rectangle((c0 - 0.5, r0 - 0.5), c1 - c0, r1 - r0, label="frame of the slice",
                                fill=False, edgecolor=style.HIGHLIGHT, linewidth=2.5, linestyle="--"))
    ax_full.set_title(f"the whole image, shape {array.shape}")
    ax_crop.imshow(crop, cmap=style.INK_CMAP, vmin=array.min(), vmax=array.max(),
                   extent=(c0 - 0.5, c1 - 0.5, r1 - 0.5, r0 - 0.5))
    ax_crop.set_title(f"image[{r0}:{r1}, {c0}:{c1}] has shape {crop.shape}")
    for ax in (ax_full, ax_crop):
        # "auto" fits the number of ticks to the drawn length: a crop a few columns wide
        # is a narrow panel, where one label per column would run together.
        ax.xaxis.set_major_locator(MaxNLocator(nbins="auto", integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(nbins="auto", integer=True))
        ax.set_xlabel("column index (axis 1)")
        ax.set_ylabel("row index (axis 0)")
    fig.suptitle(title)
    return fig


def _draw_cells(ax: Axes, matrix: np.ndarray, x0: float, y0: float, show_values: bool) -> None:
    rows, cols = matrix.shape
    for i in range(rows):
        for j in range(cols):
            # Row 0 is drawn at the top, as NumPy prints it.
            y = y0 + rows - 1 - i
            ax.add_patch(Rectangle((x0 + j, y), 1, 1, facecolor=style.KEPT, edgecolor=style.BLACK))
            if show_values:
                ax.text(x0 + j + 0.5, y + 0.5, _short(matrix[i, j]), ha="center", va="center", fontsize=9)


def _label_axes(ax: Axes, rank: int, rows: int) -> None:
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    xlabel = {0: "no axes: a single number", 1: "axis 0"}.get(rank, f"axis {rank - 1} (columns)")
    ax.set_xlabel(xlabel)
    if rank >= 2:
        # Written right beside the grid's left edge, not at the panel's edge, so that
        # it cannot be read as the label of the neighbouring panel.
        ax.text(-0.3, rows / 2, f"axis {rank - 2} (rows)", ha="right", va="center",
                rotation=90, fontsize=10)
    if rank == 3:
        ax.text(0.98, 0.98, "axis 0: layers,\nfront to back", transform=ax.transAxes,
                ha="right", va="top", fontsize=8)


def _short(value: object) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:.2g}"


def _small_tensor(tensor: object, index: int) -> np.ndarray:
    array = as_numeric_array(tensor, f"tensors[{index}]")
    if array.ndim > 3 or any(n > 8 for n in array.shape):
        raise InputValueError(
            f"tensors[{index}] must have rank 0-3 and at most 8 entries per axis to be drawn, "
            f"got shape {array.shape}; draw a slice of it instead")
    if 0 in array.shape:
        raise InputValueError(f"tensors[{index}] is empty (shape {array.shape})")
    return array


def _check_range(bounds: tuple[int, int], size: int, name: str) -> tuple[int, int]:
    if not isinstance(bounds, (tuple, list)) or len(bounds) != 2:
        raise InputTypeError(f"{name} must be a pair of integers (start, stop), got {bounds!r}")
    start, stop = check_int(bounds[0], f"{name}[0]"), check_int(bounds[1], f"{name}[1]")
    if not 0 <= start < stop <= size:
        raise InputValueError(f"{name} must satisfy 0 <= start < stop <= {size}, got ({start}, {stop})")
    return start, stop


__all__ = ["plot_tensor_ranks", "plot_crop"]
