"""Pictures of tensors: their ranks, their slices and the shapes of real data.

Introduced in notebook 02 ("Data representations: tensors"). Every function
returns a ``Figure`` whose size depends only on its arguments.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle
from matplotlib.ticker import MaxNLocator

from ..errors import InputTypeError, InputValueError
from . import style
from ..validation import as_numeric_array, as_shape, check_int

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


def plot_data_shapes(shapes: Mapping[str, tuple[Sequence[int], Sequence[str]]], *,
                     title: str = "Shapes of data tensors") -> Figure:
    """Draw the shape of several data tensors as labelled boxes.

    The last three axes of each tensor are drawn as a box: the last axis along
    the bottom, the one before up the side, the one before that into the
    depth. An image is drawn as it is seen, whatever the order of its axes:
    when the three drawn axes include ``"height"`` and ``"width"``, height goes
    up the side, width along the bottom and the third axis (the channels) into
    the depth. The label under each panel says where its last axis went. Any
    axes before those three are written under the box as "stacked along ...".
    Edge lengths grow with the logarithm of the size, so 3 and 1000 both fit.

    Parameters
    ----------
    shapes : mapping of str to (shape, axis names)
        Panel title -> the tensor's shape and one name per axis, e.g.
        ``{"timeseries": ((250, 390, 3), ("samples", "timesteps", "features"))}``.
    title : str
        Title of the whole figure.

    Returns
    -------
    matplotlib.figure.Figure
        Size ``(3.4 * len(shapes), 4)`` inches, one axes per tensor.

    Examples
    --------
    >>> fig = plot_data_shapes({"vectors": ((100, 3), ("samples", "features"))})
    >>> fig.axes[0].get_title()
    'vectors\\nshape (100, 3)'
    """
    if not isinstance(shapes, Mapping) or not 1 <= len(shapes) <= 6:
        raise InputValueError("shapes must be a dict of 1 to 6 entries: title -> (shape, axis names)")
    fig, axes = plt.subplots(1, len(shapes), figsize=(3.4 * len(shapes), 4.0), squeeze=False,
                             layout="constrained")
    for ax, (name, (shape, names)) in zip(axes.flat, shapes.items()):
        shape, names = _check_shape(shape, names, name)
        drawn_shape, drawn_names = _as_seen(shape[-3:], names[-3:])
        _draw_box(ax, drawn_shape, drawn_names)
        if len(shape) > 3:
            stacked = " x ".join(f"{n} {a}" for n, a in zip(shape[:-3], names[:-3]))
            ax.text(0.5, 0.98, f"stacked along: {stacked}", transform=ax.transAxes,
                    ha="center", va="top", fontsize=8)
        ax.set_title(f"{name}\nshape {tuple(shape)}")
        where = ("along the bottom", "up the side", "into the depth")[drawn_names[::-1].index(names[-1])]
        ax.set_xlabel(f"last axis: {names[-1]} ({where})")
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
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


def _as_seen(shape: Sequence[int], names: Sequence[str]) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """The axes to draw, in the order (depth, up the side, along the bottom).

    An image keeps its height up and its width along, with the remaining axis
    (its channels) in the depth; any other tensor keeps its order.

    >>> _as_seen((28, 46, 1), ("height", "width", "channels"))
    ((1, 28, 46), ('channels', 'height', 'width'))
    >>> _as_seen((30, 24, 3), ("days", "hours", "features"))
    ((30, 24, 3), ('days', 'hours', 'features'))
    """
    shape, names = tuple(shape), tuple(names)
    if len(names) == 3 and "height" in names and "width" in names:
        up, along = names.index("height"), names.index("width")
        order = (3 - up - along, up, along)
        return tuple(shape[i] for i in order), tuple(names[i] for i in order)
    return shape, names


def _draw_box(ax: Axes, shape: Sequence[int], names: Sequence[str]) -> None:
    """An oblique drawing of a box for up to three axes (depth, height, width)."""
    sizes = [1.0 + np.log10(n) for n in shape]
    # A rank-1 tensor is drawn as a thin bar, a rank-2 one as a flat rectangle.
    width = sizes[-1]
    height = sizes[-2] if len(sizes) > 1 else 0.35
    depth = sizes[-3] if len(sizes) > 2 else 0.0
    dx, dy = 0.6 * depth, 0.45 * depth
    front = [(0, 0), (width, 0), (width, height), (0, height)]
    top = [(0, height), (width, height), (width + dx, height + dy), (dx, height + dy)]
    side = [(width, 0), (width + dx, dy), (width + dx, height + dy), (width, height)]
    for corners, shade in ((front, style.KEPT), (top, style.KEPT_DARKER), (side, style.KEPT_DARKEST)):
        ax.add_patch(Polygon(corners, closed=True, facecolor=shade, edgecolor=style.BLACK))
    ax.text(width / 2, -0.15, f"{names[-1]} = {shape[-1]}", ha="center", va="top", fontsize=9)
    if len(shape) > 1:
        ax.text(-0.15, height / 2, f"{names[-2]} = {shape[-2]}", ha="right", va="center",
                rotation=90, fontsize=9)
    if len(shape) > 2:
        ax.text(width + dx / 2 + 0.15, dy / 2 - 0.05, f"{names[-3]} = {shape[-3]}", ha="left",
                va="top", fontsize=9, rotation=np.degrees(np.arctan2(dy, dx)))
    # Limits in roughly the panel's own proportions, so boxes look undistorted.
    ax.set_xlim(-1.0, 8.0)
    ax.set_ylim(-1.5, 6.5)


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


def _check_shape(shape: Sequence[int], names: Sequence[str], title: str) -> tuple[list[int], list[str]]:
    shape, names = list(as_shape(shape, f"{title!r}: shape")), [str(a) for a in names]
    if not shape or len(shape) != len(names):
        raise InputValueError(
            f"{title!r}: give one axis name per axis; shape {tuple(shape)} has {len(shape)} axes "
            f"but {len(names)} names were given")
    if any(n < 1 for n in shape):
        raise InputValueError(f"{title!r}: every axis needs a positive size, got shape {tuple(shape)}")
    return shape, names


__all__ = ["plot_tensor_ranks", "plot_crop", "plot_data_shapes"]
