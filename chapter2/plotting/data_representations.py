"""The interactive pictures of notebook 02 (section 2.2): what a tensor's axes are, one control at a time.

Each function draws one setting of a widget: a scalar next to a one-entry
vector, one entry of a vector, one row or column of a matrix, a tensor of a
given rank as nested boxes, the named axes of a data set, one sample of a
table, one channel of a small colour image. Every figure has a size that
depends on nothing the controls change, so a widget's frames all have the same
size. A selected element is drawn with a thicker edge and a hatch as well as a
colour, so colour is never the only thing that marks it.
"""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..errors import InputValueError
from . import style

#: The values the scalar widget compares: a Python number, two NumPy scalars and a one-entry vector.
SCALAR_EXAMPLES = {
    "3": 3,
    "np.float32(3.5)": np.float32(3.5),
    "np.array(7)": np.array(7),
    "np.array([7])": np.array([7]),
}

#: The shape drawn for each rank by :func:`plot_nested_tensor`: the last axis holds 3 entries, every other 2.
RANK_SHAPES = {rank: (2,) * max(rank - 1, 0) + (3,) * min(rank, 1) for rank in range(5)}

#: The channels of an RGB image, in the order of its channel axis.
CHANNELS = ("red", "green", "blue")
#: The two ways of storing a batch of images' channel axis.
LAYOUTS = ("channels last", "channels first")


def _cell(ax: Axes, x: float, y: float, text: str, *, selected: bool = False, size: float = 1.0,
          fontsize: float = 12) -> None:
    """One square cell with ``text`` in it; a selected cell gets a fill, a hatch and a thick edge."""
    ax.add_patch(Rectangle((x, y), size, size, facecolor=style.STRETCHED if selected else style.WHITE,
                           edgecolor=style.HIGHLIGHT if selected else style.BLACK,
                           hatch=style.SELECTED_HATCH if selected else None,
                           linewidth=style.SELECTED_LINEWIDTH if selected else 1.0, zorder=3 if selected else 2))
    ax.text(x + size / 2, y + size / 2, text, ha="center", va="center", fontsize=fontsize, zorder=4,
            bbox={"facecolor": style.WHITE, "edgecolor": "none", "pad": 1} if selected else None)


def _blank(ax: Axes, xlim: tuple[float, float], ylim: tuple[float, float]) -> None:
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")


def plot_scalar_example(name: str) -> Figure:
    """Draw one value of :data:`SCALAR_EXAMPLES` with its type, ``np.ndim`` and ``np.shape``.

    A scalar (rank 0) is drawn as a bare cell; a one-entry vector as the same
    cell inside a box with an axis arrow, because it has one axis of length 1.

    Parameters
    ----------
    name : str
        A key of :data:`SCALAR_EXAMPLES`.

    Returns
    -------
    matplotlib.figure.Figure
        Size ``(7, 2.2)`` inches.

    Examples
    --------
    >>> plot_scalar_example("np.array([7])").axes[0].get_title()
    'np.array([7]): ndim 1, shape (1,)'
    >>> plot_scalar_example("3").axes[0].get_title()
    '3: ndim 0, shape ()'
    """
    if name not in SCALAR_EXAMPLES:
        raise InputValueError(f"name must be one of {list(SCALAR_EXAMPLES)}, got {name!r}")
    value = SCALAR_EXAMPLES[name]
    ndim, shape = np.ndim(value), np.shape(value)
    fig, ax = plt.subplots(figsize=(7, 2.2))
    _blank(ax, (0, 10), (-0.9, 2.2))
    entry = value.item() if isinstance(value, np.ndarray) and ndim == 1 else value
    _cell(ax, 0.6, 0.2, f"{float(entry):g}", selected=ndim == 1)
    if ndim == 1:
        ax.add_patch(Rectangle((0.3, -0.1), 1.6, 1.6, fill=False, edgecolor=style.HIGHLIGHT, linewidth=1.5))
        ax.annotate("", xy=(1.9, -0.5), xytext=(0.3, -0.5), arrowprops={"arrowstyle": "->", "color": style.BLACK})
        ax.text(1.1, -0.85, "axis 0, length 1", ha="center", fontsize=9)
    else:
        ax.text(1.1, -0.6, "no axes", ha="center", fontsize=9)
    kind = type(value).__module__.replace("builtins", "Python") + "." + type(value).__name__
    lines = [f"type:  {kind.replace('Python.', '')}", f"np.ndim: {ndim}", f"np.shape: {shape}",
             "a scalar (rank 0)" if ndim == 0 else "a vector (rank 1) holding one number"]
    for k, line in enumerate(lines):
        ax.text(3.0, 1.7 - 0.6 * k, line, fontsize=11, family="monospace", va="center")
    ax.set_title(f"{name}: ndim {ndim}, shape {shape}")
    return fig


def plot_vector_entry(vector: Sequence[float], index: int, *, name: str = "x") -> Figure:
    """Draw a vector as a row of cells with entry ``index`` selected, and its length.

    Parameters
    ----------
    vector : array_like, shape (n,)
    index : int
        Position of the selected entry, ``0 <= index < n``.
    name : str
        The vector's name in the title, as the learner's code calls it.

    Returns
    -------
    matplotlib.figure.Figure
        Size ``(7, 2)`` inches.

    Examples
    --------
    >>> plot_vector_entry([3, 1, 4, 1], 2).axes[0].get_title()
    'x[2] = 4; len(x) = 4, shape (4,)'
    """
    x = np.asarray(vector)
    if x.ndim != 1:
        raise InputValueError(f"vector must have one axis, got shape {x.shape}")
    if not 0 <= index < len(x):
        raise InputValueError(f"index must lie in 0..{len(x) - 1}, got {index}")
    fig, ax = plt.subplots(figsize=(7, 2))
    _blank(ax, (-0.5, max(len(x), 6) + 0.5), (-1.1, 1.3))
    for i, v in enumerate(x):
        _cell(ax, i, 0, f"{v:g}", selected=i == index)
        ax.text(i + 0.5, -0.3, f"[{i}]", ha="center", va="center", fontsize=9,
                color=style.HIGHLIGHT if i == index else style.MUTED_TEXT)
    ax.annotate("", xy=(len(x), -0.8), xytext=(0, -0.8), arrowprops={"arrowstyle": "->", "color": style.BLACK})
    ax.text(len(x) + 0.15, -0.8, "axis 0", va="center", fontsize=9)
    ax.set_title(f"{name}[{index}] = {x[index]:g}; len({name}) = {len(x)}, shape {x.shape}")
    return fig


def plot_matrix_slice(matrix: np.ndarray, axis: int, index: int, *, name: str = "x") -> Figure:
    """Draw a matrix with row ``index`` (``axis=0``, ``x[index]``) or column ``index`` (``axis=1``, ``x[:, index]``) selected.

    Parameters
    ----------
    matrix : array_like, shape (rows, cols)
    axis : {0, 1}
        0 selects a row, 1 a column.
    index : int
    name : str
        The matrix's name in the title, as the learner's code calls it.

    Returns
    -------
    matplotlib.figure.Figure
        Size ``(7, 3.2)`` inches.

    Examples
    --------
    >>> plot_matrix_slice(np.arange(6).reshape(2, 3), 1, 2).axes[0].get_title()
    'x[:, 2] = [2 5], shape (2,)'
    """
    x = np.asarray(matrix)
    if x.ndim != 2:
        raise InputValueError(f"matrix must have two axes, got shape {x.shape}")
    if axis not in (0, 1) or not 0 <= index < x.shape[axis]:
        raise InputValueError(f"need axis 0 or 1 and 0 <= index < length of that axis, got {axis}, {index}")
    rows, cols = x.shape
    fig, ax = plt.subplots(figsize=(7, 3.2))
    _blank(ax, (-1.5, 7.5), (-1.5, rows + 0.6))
    for i in range(rows):
        for j in range(cols):
            _cell(ax, j, rows - 1 - i, f"{x[i, j]:g}", selected=(i if axis == 0 else j) == index)
    ax.annotate("", xy=(-0.4, -0.1), xytext=(-0.4, rows), arrowprops={"arrowstyle": "->", "color": style.BLACK})
    ax.text(-0.6, rows / 2, "axis 0\n(rows)", ha="right", va="center", fontsize=9)
    ax.annotate("", xy=(cols, -0.4), xytext=(0, -0.4), arrowprops={"arrowstyle": "->", "color": style.BLACK})
    ax.text(cols / 2, -0.9, "axis 1 (columns)", ha="center", va="center", fontsize=9)
    picked = x[index] if axis == 0 else x[:, index]
    expression = f"{name}[{index}]" if axis == 0 else f"{name}[:, {index}]"
    ax.text(cols + 0.6, rows / 2, f"{expression}\nfixes axis {axis} at {index},\nkeeps axis {1 - axis}",
            va="center", fontsize=10, family="monospace")
    ax.set_title(f"{expression} = {picked}, shape {picked.shape}")
    return fig


def _nested(ax: Axes, x: float, y: float, w: float, h: float, shape: tuple[int, ...], counter: list[int]) -> None:
    """Draw a tensor of ``shape`` in the box (x, y, w, h): the last axis runs across, the one before it down, and so on."""
    if not shape:
        _cell(ax, x + (w - min(w, h)) / 2, y + (h - min(w, h)) / 2, str(counter[0]), size=min(w, h), fontsize=9)
        counter[0] += 1
        return
    ax.add_patch(Rectangle((x, y), w, h, fill=False, edgecolor=style.GREY, linewidth=1))
    n, rest, pad = shape[0], shape[1:], 0.08 * min(w, h)
    across = len(shape) % 2 == 1  # the last axis (odd count left) runs across, its neighbour down
    for k in range(n):
        if across:
            step = (w - 2 * pad) / n
            _nested(ax, x + pad + k * step, y + pad, step * 0.92, h - 2 * pad, rest, counter)
        else:
            step = (h - 2 * pad) / n
            _nested(ax, x + pad, y + h - pad - (k + 1) * step, w - 2 * pad, step * 0.92, rest, counter)


def plot_nested_tensor(rank: int) -> Figure:
    """Draw ``np.arange(...)`` of shape ``RANK_SHAPES[rank]`` as boxes inside boxes, one level per axis.

    Parameters
    ----------
    rank : int
        0 to 4.

    Returns
    -------
    matplotlib.figure.Figure
        Size ``(7, 3.4)`` inches.

    Examples
    --------
    >>> plot_nested_tensor(3).axes[0].get_title()
    'rank 3, shape (2, 2, 3): 12 numbers'
    """
    if rank not in RANK_SHAPES:
        raise InputValueError(f"rank must lie in 0..4, got {rank}")
    shape = RANK_SHAPES[rank]
    fig, ax = plt.subplots(figsize=(7, 3.4))
    _blank(ax, (0, 7), (0, 3.4))
    width, height = ((1.0, 1.0) if rank == 0 else (3.0, 1.0) if rank == 1 else (6.0, 3.0))
    _nested(ax, (7 - width) / 2, (3.4 - height) / 2, width, height, shape, [0])
    size = int(np.prod(shape))
    ax.set_title(f"rank {rank}, shape {shape}: {size} number{'s' if size != 1 else ''}")
    return fig


def plot_named_axes(shape: Sequence[int], names: Sequence[str], *, title: str = "") -> Figure:
    """Draw a shape as a row of boxes, one per axis, each giving its position, name and length.

    Parameters
    ----------
    shape : sequence of int, length at most 5
    names : sequence of str, same length
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        Size ``(8, 2)`` inches.

    Examples
    --------
    >>> fig = plot_named_axes((128, 28, 28), ("samples", "height", "width"), title="MNIST batch")
    >>> fig.axes[0].get_title()
    'MNIST batch: rank 3, shape (128, 28, 28)'
    """
    shape = tuple(int(s) for s in shape)
    if len(shape) != len(names) or not 1 <= len(shape) <= 5:
        raise InputValueError(f"need 1 to 5 axes with one name each, got {shape} and {list(names)}")
    fig, ax = plt.subplots(figsize=(8, 2))
    _blank(ax, (0, 10), (0, 2))
    for k, (length, name) in enumerate(zip(shape, names)):
        fill = style.KEPT if k == 0 else style.PALE_GREY  # axis 0, the samples axis, stands out
        ax.add_patch(Rectangle((0.1 + 2 * k, 0.2), 1.8, 1.4, facecolor=fill, edgecolor=style.BLACK))
        ax.text(1.0 + 2 * k, 1.3, f"axis {k}", ha="center", va="center", fontsize=9, color=style.MUTED_TEXT)
        ax.text(1.0 + 2 * k, 0.9, name, ha="center", va="center", fontsize=11, weight="bold")
        ax.text(1.0 + 2 * k, 0.5, f"{length:,}", ha="center", va="center", fontsize=11)
    ax.set_title(f"{title + ': ' if title else ''}rank {len(shape)}, shape {shape}")
    return fig


def plot_sample_row(table: np.ndarray, feature_names: Sequence[str], sample: int, *, name: str = "x") -> Figure:
    """Draw a (samples, features) table with one sample, one row, selected.

    Parameters
    ----------
    table : array_like, shape (n, features), n at most 8
    feature_names : sequence of str, length features
    sample : int
    name : str
        The array's name in the title.

    Returns
    -------
    matplotlib.figure.Figure
        Size ``(7, 3.4)`` inches.

    Examples
    --------
    >>> plot_sample_row(np.arange(6).reshape(3, 2), ["a", "b"], 1).axes[0].get_title()
    'x[1] = [2 3]: one sample, shape (2,)'
    """
    x = np.asarray(table)
    if x.ndim != 2 or len(feature_names) != x.shape[1] or not 1 <= len(x) <= 8:
        raise InputValueError(f"need a table of at most 8 rows with one name per column, got shape {x.shape}")
    if not 0 <= sample < len(x):
        raise InputValueError(f"sample must lie in 0..{len(x) - 1}, got {sample}")
    rows, cols = x.shape
    fig, ax = plt.subplots(figsize=(7, 3.4))
    ax.set_xlim(-2.2, 2.2 * 3 + 0.5)
    ax.set_ylim(-0.2, 8.2)
    ax.axis("off")
    for j, feature in enumerate(feature_names):
        ax.text(2.2 * j + 1.1, 7.5, feature, ha="center", va="center", fontsize=10, weight="bold")
        for i in range(rows):
            selected = i == sample
            ax.add_patch(Rectangle((2.2 * j, 6.5 - i - 0.5), 2.2, 1, zorder=3 if selected else 2,
                                   facecolor=style.STRETCHED if selected else style.WHITE,
                                   edgecolor=style.HIGHLIGHT if selected else style.BLACK,
                                   hatch=style.SELECTED_HATCH if selected else None,
                                   linewidth=style.SELECTED_LINEWIDTH if selected else 1.0))
            ax.text(2.2 * j + 1.1, 6.5 - i, f"{x[i, j]:g}", ha="center", va="center", fontsize=10, zorder=4,
                    bbox={"facecolor": style.WHITE, "edgecolor": "none", "pad": 1} if selected else None)
    for i in range(rows):
        ax.text(-0.2, 6.5 - i, f"sample {i}", ha="right", va="center", fontsize=9,
                color=style.HIGHLIGHT if i == sample else style.MUTED_TEXT)
    ax.set_title(f"{name}[{sample}] = {x[sample]}: one sample, shape {x[sample].shape}")
    return fig


def plot_image_channels(image: np.ndarray, channel: str, order: str, *,
                        names: tuple[str, str] = ("image", "image_cf")) -> Figure:
    """Draw a small RGB image, the numbers of one channel, and where that channel sits in each layout.

    Parameters
    ----------
    image : array_like of uint8, shape (height, width, 3)
        Stored channels last.
    channel : {"red", "green", "blue"}
    order : {"channels last", "channels first"}
        The order of the axes shown (a widget control cannot be called ``layout``, a LiveFigure keyword).
    names : (str, str)
        What the learner's code calls the image channels last and channels first.

    Returns
    -------
    matplotlib.figure.Figure
        Size ``(9, 3)`` inches.

    Examples
    --------
    >>> fig = plot_image_channels(np.zeros((2, 2, 3), dtype=np.uint8), "blue", "channels first")
    >>> fig.axes[2].get_title()
    'channels first: shape (3, 2, 2)'
    """
    img = np.asarray(image)
    if img.ndim != 3 or img.shape[2] != 3:
        raise InputValueError(f"image must have shape (height, width, 3), got {img.shape}")
    if channel not in CHANNELS or order not in LAYOUTS:
        raise InputValueError(f"channel must be one of {CHANNELS} and order one of {LAYOUTS}")
    c = CHANNELS.index(channel)
    height, width = img.shape[:2]
    fig, (left, middle, right) = plt.subplots(1, 3, figsize=(9, 3), gridspec_kw={"width_ratios": [1, 1, 1.3]})
    left.imshow(img, interpolation="nearest")
    left.set_title("all channels")
    left.set_xticks([])
    left.set_yticks([])
    middle.imshow(img[:, :, c], cmap=style.INK_CMAP, vmin=0, vmax=255, interpolation="nearest")
    for i in range(height):
        for j in range(width):
            dark = img[i, j, c] >= 128  # INK_CMAP draws high values dark
            middle.text(j, i, str(img[i, j, c]), ha="center", va="center", fontsize=8,
                        color=style.WHITE if dark else style.BLACK)
    middle.set_title(f"{channel} channel (0 to 255)")
    middle.set_xticks([])
    middle.set_yticks([])
    first = order == "channels first"
    shape = (3, height, width) if first else (height, width, 3)
    expression = f"{names[1]}[{c}]" if first else f"{names[0]}[:, :, {c}]"
    names = "(channels, height, width)" if first else "(height, width, channels)"
    _blank(right, (0, 1), (0, 1))
    right.text(0.02, 0.75, names, fontsize=10, family="monospace")
    right.text(0.02, 0.5, f"{channel}: {expression}", fontsize=10, family="monospace")
    right.text(0.02, 0.25, f"shape {img[:, :, c].shape}, the same numbers", fontsize=9)
    right.set_title(f"{order}: shape {shape}")
    return fig
