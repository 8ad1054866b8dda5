"""Pictures of shape rules: broadcasting, the dot product, reshape and transpose.

Introduced in notebooks 03 ("Element-wise operations and broadcasting") and
04 ("Tensor product and reshaping"). A shape is drawn as a row of boxes, one
box per axis with its size written inside; colours say what happens to each
axis. Every function returns a ``Figure`` whose size is fixed, so it can also
be redrawn by ``chapter2.widgets.LiveFigure``.
"""

from __future__ import annotations

import math
import re
import textwrap
from typing import Any, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator

from ..errors import InputTypeError, InputValueError
from ..naive import naive_broadcast_shape, naive_dot_shape
from ..validation import as_numeric_array, as_shape, check_int
from . import style
from .contrast import write_on_cells

# The fills, from chapter2.plotting.style; stretched and clashing boxes are hatched too.
KEPT, OTHER, STRETCHED, PAIRED, CLASH = style.KEPT, style.OTHER, style.STRETCHED, style.PAIRED, style.CLASH
_HATCHES = {STRETCHED: style.STRETCHED_HATCH, CLASH: style.CLASH_HATCH}
# Labels of drawn elements a caption may name ("a dashed box", "the dashed frame"): the figure's
# description (chapter2.plotting.describe) lists them under these names.
MISSING_AXIS_LABEL = "missing axis (acts as 1)"
DOT_FRAME_LABEL = "frame of the dot product"

_MAX_AXES = 6
_SHAPE_FIGSIZE = (7.5, 3.4)
_GRID_FIGSIZE = (8.0, 4.0)


# ------------------------------------------------------------------ shapes from text

def parse_shape(text: str) -> tuple[int, ...]:
    """Read a shape typed by a person: ``"(2, 3)"``, ``"2, 3"``, ``"2 3"``, ``"()"``.

    Parameters
    ----------
    text : str

    Returns
    -------
    tuple of int

    Examples
    --------
    >>> parse_shape("(32, 10)"), parse_shape("10,"), parse_shape("()")
    ((32, 10), (10,), ())
    """
    if not isinstance(text, str):
        raise InputTypeError(f"text must be a str such as '(2, 3)', got {type(text).__name__}")
    inner = text.strip().removeprefix("(").removesuffix(")").strip()
    pieces = [p for p in re.split(r"[,\s]+", inner) if p]
    if not all(p.isdigit() for p in pieces):
        raise InputValueError(f"cannot read {text!r} as a shape: write sizes as whole numbers "
                              f"separated by commas, e.g. (2, 3) or () for a scalar")
    return tuple(int(p) for p in pieces)


# ------------------------------------------------------------------ broadcasting

def plot_broadcast(shape_a: Sequence[int], shape_b: Sequence[int], *,
                   names: tuple[str, str] = ("x", "y")) -> Figure:
    """Line two shapes up from the right and show what broadcasting does per axis.

    Blue boxes pass through, orange hatched boxes are stretched (a size 1, or a
    missing axis drawn dashed, repeated to the other size), cross-hatched boxes
    clash, and the sizes written in the boxes say the same in words.
    The bottom row is the result shape, if there is one.

    Parameters
    ----------
    shape_a, shape_b : tuple of int
        At most six axes each.
    names : pair of str
        What to call the two tensors in the picture.

    Returns
    -------
    matplotlib.figure.Figure
        Size 7.5 x 3.4 inches.

    Examples
    --------
    >>> fig = plot_broadcast((32, 10), (10,))
    >>> fig.axes[0].get_title()
    'x (32, 10) + y (10,)  →  shape (32, 10)'
    """
    shape_a, shape_b = _drawable(shape_a, "shape_a"), _drawable(shape_b, "shape_b")
    rank = max(len(shape_a), len(shape_b), 1)
    padded = [(None,) * (rank - len(s)) + s for s in (shape_a, shape_b)]
    clashes = [col for col in range(rank) if _clash(padded[0][col], padded[1][col])]
    fig, ax = plt.subplots(figsize=_SHAPE_FIGSIZE, layout="constrained")
    for row, (mine, theirs) in enumerate(zip(padded, reversed(padded))):
        for col in range(rank):
            colour = _broadcast_colour(mine[col], theirs[col])
            label = f"1 → {theirs[col]}" if colour == STRETCHED else None
            _axis_box(ax, col, 2 - row, mine[col], colour, label)
    if clashes:
        col = clashes[0]
        ax.text(rank / 2, 0.5, f"axis {col - rank}: {padded[0][col]} and {padded[1][col]} differ "
                "and neither is 1,\nso these shapes do not broadcast",
                ha="center", va="center", color=style.BLACK, fontsize=10)
        title = f"{names[0]} {shape_a} and {names[1]} {shape_b} do not broadcast"
    else:
        result = naive_broadcast_shape(shape_a, shape_b)
        for col, size in enumerate(result):
            _axis_box(ax, col, 0, size, PAIRED)
        title = f"{names[0]} {shape_a} + {names[1]} {shape_b}  →  shape {result}"
    ax.set_title(title)
    ax.set_yticks([2.5, 1.5, 0.5], [f"{names[0]} {shape_a}", f"{names[1]} {shape_b}", "result"])
    ax.set_xticks([c + 0.5 for c in range(rank)], [f"axis {c - rank}" for c in range(rank)])
    ax.set_xlabel("axes lined up from the right")
    _frame(ax, rank, 3)
    ax.legend(handles=_broadcast_key(padded, bool(clashes)),
              loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    return fig


def _broadcast_key(padded: list[tuple], clash: bool) -> list[Patch]:
    """Legend entries for the kinds of box this picture draws, and no others."""
    colours = {_broadcast_colour(mine[c], theirs[c])
               for mine, theirs in zip(padded, reversed(padded)) for c in range(len(mine))}
    entries = [(label, colour) for label, colour in
               (("passes through", KEPT), ("stretched from 1", STRETCHED), ("clash", CLASH))
               if colour in colours]
    handles = _legend(*entries, *([] if clash else [("result", PAIRED)]))
    if any(size is None for shape in padded for size in shape):
        handles.append(Patch(facecolor=style.WHITE, edgecolor=style.GREY, linestyle="--",
                             label=MISSING_AXIS_LABEL))
    return handles


def broadcast_explorer(text_a: str, text_b: str) -> Figure:
    """``plot_broadcast`` for two shapes typed as text, or a figure explaining the typo.

    Meant as the ``draw`` function of a ``LiveFigure`` with two text boxes.

    Examples
    --------
    >>> broadcast_explorer("(3, 1)", "4").axes[0].get_title()
    'x (3, 1) + y (4,)  →  shape (3, 4)'
    """
    try:
        shapes = parse_shape(text_a), parse_shape(text_b)
        return plot_broadcast(*shapes)
    except InputValueError as error:
        return _message_figure("Cannot draw these shapes", str(error))


def _broadcast_colour(size: int | None, other: int | None) -> str:
    if _clash(size, other):
        return CLASH
    if size in (None, 1) and other not in (None, 1):
        return STRETCHED
    return KEPT


def _clash(a: int | None, b: int | None) -> bool:
    return a is not None and b is not None and a != b and 1 not in (a, b)


# ------------------------------------------------------------------ dot product

def plot_dot_shapes(shape_a: Sequence[int], shape_b: Sequence[int]) -> Figure:
    """Show which axes ``np.dot(a, b)`` pairs up, sums over, and keeps.

    The second shape is shifted so that its paired axis (second-to-last, or
    the only one of a vector) sits under the last axis of the first shape.
    Green means the paired sizes match and are summed away; red means they
    differ (cross-hatched, with a "≠" between the sizes). The result row keeps the remaining axes of ``a`` (blue) followed
    by those of ``b`` (purple).
    A frame labelled ``"frame of the dot product"`` surrounds the paired
    axes: dashed when their sizes match, dotted when they do not, as the
    footnote under the boxes says.

    Parameters
    ----------
    shape_a, shape_b : tuple of int
        Between one and six axes each.

    Returns
    -------
    matplotlib.figure.Figure
        Size 7.5 x 3.4 inches.

    Examples
    --------
    >>> plot_dot_shapes((2, 3), (3, 4)).axes[0].get_title()
    'dot(a (2, 3), b (3, 4))  →  shape (2, 4)'
    """
    shape_a, shape_b = _drawable(shape_a, "shape_a"), _drawable(shape_b, "shape_b")
    for name, shape in (("shape_a", shape_a), ("shape_b", shape_b)):
        if not shape:
            raise InputValueError(f"{name} needs at least one axis for a dot product, got ()")
    paired_b = len(shape_b) - 2 if len(shape_b) >= 2 else 0
    column = len(shape_a) - 1
    start_b = column - paired_b
    left = min(0, start_b)
    width = max(len(shape_a), start_b + len(shape_b)) - left
    match = shape_a[-1] == shape_b[paired_b]
    fig, ax = plt.subplots(figsize=_SHAPE_FIGSIZE, layout="constrained")
    # Labelled so the figure's description names it; the legend gets explicit handles, so the
    # frame stays out of it (the footnote below says what it is).
    ax.add_patch(Rectangle((column - left + 0.02, 1.04), 0.96, 1.92, facecolor="none",
                           edgecolor=style.BLACK, linestyle="--" if match else ":", linewidth=1.5,
                           label=DOT_FRAME_LABEL))
    for i, size in enumerate(shape_a):
        _axis_box(ax, i - left, 2, size, (PAIRED if match else CLASH) if i == column else KEPT)
    for i, size in enumerate(shape_b):
        _axis_box(ax, start_b + i - left, 1, size, (PAIRED if match else CLASH) if i == paired_b else OTHER)
    if match:
        result = naive_dot_shape(shape_a, shape_b)
        colours = [KEPT] * (len(shape_a) - 1) + [OTHER] * (len(result) - len(shape_a) + 1)
        for i, (size, colour) in enumerate(zip(result, colours)):
            _axis_box(ax, i, 0, size, colour)
        if not result:
            ax.text(0.1, 0.5, "a single number (shape ())", va="center", fontsize=10)
        title = f"dot(a {shape_a}, b {shape_b})  →  shape {result}"
    else:
        ax.text(width / 2, 0.5, f"{shape_a[-1]} ≠ {shape_b[paired_b]}: the paired axes must have "
                "the same size", ha="center", va="center", color=style.BLACK, fontsize=10)
        title = f"dot(a {shape_a}, b {shape_b}): the shapes do not line up"
    ax.set_title(title)
    ax.set_yticks([2.5, 1.5, 0.5], [f"a {shape_a}", f"b {shape_b}", "result"])
    ax.set_xticks([])
    ax.set_xlabel("dashed frame: the axis pair that is multiplied entry by entry and summed away" if match
                  else "dotted frame: the axis pair that would be summed away if the sizes matched")
    _frame(ax, width, 3)
    ax.legend(handles=_legend(("kept from a", KEPT), ("kept from b", OTHER),
                              ("summed away", PAIRED), ("mismatch", CLASH)),
              loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    return fig


def plot_matrix_product(rows: int, inner: int, columns: int, i: int, j: int) -> Figure:
    """The matrix product as boxes: row ``i`` of x and column ``j`` of y make ``z[i, j]``.

    x (rows, inner) sits bottom left, y (inner, columns) top right and
    z = x @ y (rows, columns) bottom right, so the highlighted row and column
    point straight at the entry they produce. Row ``i`` of x, column ``j`` of y
    and ``z[i, j]`` differ from the other cells in fill, hatch
    (``style.SELECTED_HATCH``) and a thick outline, and carry the labels
    ``"row i of x"``, ``"column j of y"`` and ``"z[i, j]"``.

    Parameters
    ----------
    rows, inner, columns : int
        Sizes between 1 and 8.
    i, j : int
        The output entry to highlight, ``0 <= i < rows`` and ``0 <= j < columns``.

    Returns
    -------
    matplotlib.figure.Figure
        Size 5.5 x 5.0 inches.

    Examples
    --------
    >>> plot_matrix_product(2, 3, 4, 1, 2).axes[0].get_title()
    'z[1, 2] = dot(x[1, :], y[:, 2])'
    """
    rows, inner, columns = (check_int(value, name, minimum=1, maximum=8) for name, value in
                            (("rows", rows), ("inner", inner), ("columns", columns)))
    i, j = check_int(i, "i"), check_int(j, "j")
    if not (0 <= i < rows and 0 <= j < columns):
        raise InputValueError(f"(i, j) must index z of shape ({rows}, {columns}), got ({i}, {j})")
    fig, ax = plt.subplots(figsize=(5.5, 5.0), layout="constrained")
    gap = 0.6
    # Grid coordinates: row r of a matrix drawn at the top is y = top - r - 1.
    _cell_grid(ax, 0, rows, rows, inner, lambda r, c: PAIRED if r == i else KEPT,
               selected=lambda r, c: r == i, label=f"row {i} of x")
    _cell_grid(ax, inner + gap, rows + gap + inner, inner, columns, lambda r, c: PAIRED if c == j else OTHER,
               selected=lambda r, c: c == j, label=f"column {j} of y")
    _cell_grid(ax, inner + gap, rows, rows, columns, lambda r, c: STRETCHED if (r, c) == (i, j) else style.WHITE,
               selected=lambda r, c: (r, c) == (i, j), label=f"z[{i}, {j}]")
    _outline(ax, 0, rows - i - 1, inner, 1)
    _outline(ax, inner + gap + j, rows + gap, 1, inner)
    _outline(ax, inner + gap + j, rows - i - 1, 1, 1)
    ax.text(inner / 2, rows + 0.2, f"x {(rows, inner)}", ha="center", va="bottom")
    ax.text(inner + gap - 0.2, rows + gap + inner / 2, f"y {(inner, columns)}", ha="right", va="center")
    ax.text(inner + gap + columns / 2, -0.2, f"z = x @ y {(rows, columns)}", ha="center", va="top")
    ax.set_title(f"z[{i}, {j}] = dot(x[{i}, :], y[:, {j}])")
    ax.set_xlabel(f"the {inner} entries of the hatched, outlined row of x\n"
                  f"meet the {inner} entries of the hatched, outlined column of y")
    ax.set_xticks([])
    ax.set_yticks([])
    # The same extent both ways keeps cells square whatever the three sizes.
    extent = max(inner + gap + columns, rows + gap + inner) + 0.5
    ax.set_xlim(-0.5, extent)
    ax.set_ylim(-1.0, extent)
    ax.set_aspect("equal")
    for spine in ax.spines.values():
        spine.set_visible(False)
    return fig


# ------------------------------------------------------------------ reshape and transpose

def plot_reshape(shape_before: Sequence[int], shape_after: Sequence[int]) -> Figure:
    """Numbered cells before and after a reshape: the reading order never changes.

    Parameters
    ----------
    shape_before, shape_after : tuple of int
        One or two axes each, the same number of entries (at most 48).

    Returns
    -------
    matplotlib.figure.Figure
        Size 8 x 4 inches.

    Examples
    --------
    >>> [ax.get_title() for ax in plot_reshape((3, 4), (2, 6)).axes]
    ['before: shape (3, 4)', 'after reshape((2, 6))']
    """
    before, after = _grid_shape(shape_before, "shape_before"), _grid_shape(shape_after, "shape_after")
    count = math.prod(before)
    if math.prod(after) != count:
        raise InputValueError(f"cannot reshape shape {before} ({count} entries) into {after} "
                              f"({math.prod(after)} entries); the counts must be equal")
    numbers = np.arange(count)
    return _two_grids(numbers.reshape(before), numbers.reshape(after),
                      (f"before: shape {before}", f"after reshape({after})"),
                      "the numbers give each entry's position in row-major reading order")


def plot_transpose(rows: int, columns: int) -> Figure:
    """Numbered cells of a (rows, columns) matrix and of its transpose.

    Examples
    --------
    >>> [ax.get_title() for ax in plot_transpose(2, 3).axes]
    ['x: shape (2, 3)', 'x.T: shape (3, 2)']
    """
    shape = _grid_shape((rows, columns), "(rows, columns)")
    numbers = np.arange(math.prod(shape)).reshape(shape)
    return _two_grids(numbers, numbers.T, (f"x: shape {shape}", f"x.T: shape {shape[::-1]}"),
                      "entry (i, j) moves to (j, i): rows become columns")


def plot_image_reshape(image: Any, shape: Sequence[int]) -> Figure:
    """An image next to the same pixels regrouped into ``shape`` (two axes).

    Parameters
    ----------
    image : array_like, shape (height, width)
    shape : tuple of two ints with ``height * width`` entries in total

    Returns
    -------
    matplotlib.figure.Figure
        Size 8 x 4 inches.

    Examples
    --------
    >>> plot_image_reshape(np.eye(4), (2, 8)).axes[1].get_title()
    'reshape((2, 8))'
    """
    image = _image(image)
    shape = as_shape(shape, "shape")
    if len(shape) != 2 or math.prod(shape) != image.size:
        raise InputValueError(f"shape must have two axes and {image.size} entries in total, like "
                              f"{image.shape}; got {shape}")
    fig, axes = plt.subplots(1, 2, figsize=_GRID_FIGSIZE, layout="constrained")
    for ax, picture, title in ((axes[0], image, f"original {image.shape}"),
                               (axes[1], image.reshape(shape), f"reshape({shape})")):
        ax.imshow(picture, cmap=style.INK_CMAP, interpolation="nearest", aspect="auto")
        ax.set_title(title)
        ax.set_xlabel(f"column (0-{picture.shape[1] - 1})")
        ax.set_ylabel(f"row (0-{picture.shape[0] - 1})")
        # rows and columns are whole numbers: no tick at 0.5 of a row
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


# ------------------------------------------------------------------ drawing helpers

def _drawable(shape: Any, name: str) -> tuple[int, ...]:
    shape = as_shape(shape, name)
    if len(shape) > _MAX_AXES:
        raise InputValueError(f"{name} has {len(shape)} axes; at most {_MAX_AXES} can be drawn")
    return shape


def _axis_box(ax: Axes, col: float, row: float, size: int | None, colour: str,
              label: str | None = None) -> None:
    """One axis as a box; ``size=None`` is a missing axis, drawn dashed and grey."""
    missing = size is None
    # A missing axis carries the legend's label, so the figure's description lists the dashed box
    # under the name a caption uses; other boxes stay unlabelled (their hatch still lists them).
    ax.add_patch(Rectangle((col + 0.08, row + 0.12), 0.84, 0.76, facecolor=colour,
                           edgecolor=style.GREY if missing else style.BLACK, hatch=_HATCHES.get(colour),
                           linestyle="--" if missing else "-", alpha=0.6 if missing else 1.0,
                           label=MISSING_AXIS_LABEL if missing else None))
    text = label or ("1" if missing else str(size))
    ax.text(col + 0.5, row + 0.5, text, ha="center", va="center", fontsize=12,
            color=style.MUTED_TEXT if missing else style.BLACK,
            bbox=dict(facecolor=style.WHITE, edgecolor="none", pad=1.0, alpha=0.8))


def _frame(ax: Axes, columns: int, rows: int) -> None:
    ax.set_xlim(-0.2, max(columns, 4) + 0.2)
    ax.set_ylim(0, rows)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _legend(*entries: tuple[str, str]) -> list[Patch]:
    return [Patch(facecolor=colour, edgecolor=style.BLACK, hatch=_HATCHES.get(colour), label=label)
            for label, colour in entries]


def _cell_grid(ax: Axes, x0: float, top: float, rows: int, columns: int, colour,
               selected=lambda r, c: False, label: str = "") -> None:
    """One unit square per entry; the ``selected`` ones hatched and labelled, not only filled apart."""
    for r in range(rows):
        for c in range(columns):
            picked = selected(r, c)
            ax.add_patch(Rectangle((x0 + c, top - r - 1), 1, 1, facecolor=colour(r, c), edgecolor=style.BLACK,
                                   hatch=style.SELECTED_HATCH if picked else None,
                                   label=label if picked else None))


def _outline(ax: Axes, x: float, y: float, width: float, height: float) -> None:
    # A thick frame around picked cells: a second cue besides fill and hatch, seen even in grey print.
    ax.add_patch(Rectangle((x, y), width, height, facecolor="none", edgecolor=style.BLACK,
                           linewidth=style.SELECTED_LINEWIDTH, zorder=3, label="_outline"))


def _two_grids(left: np.ndarray, right: np.ndarray, titles: tuple[str, str], caption: str) -> Figure:
    fig, axes = plt.subplots(1, 2, figsize=_GRID_FIGSIZE, layout="constrained")
    cmap = plt.get_cmap(style.SEQUENTIAL_CMAP)
    for ax, grid, title in zip(axes, (left, right), titles):
        grid2d = np.atleast_2d(grid)
        image = ax.imshow(grid2d, cmap=cmap, vmin=0, vmax=max(left.size - 1, 1), alpha=0.55)
        write_on_cells(ax, image, grid2d, fontsize=9)
        ax.set_title(title)
        ax.set_xticks(range(grid2d.shape[1]))
        ax.set_yticks(range(grid2d.shape[0]))
        ax.set_xlabel("column index")
        ax.set_ylabel("row index")
    fig.suptitle(caption, fontsize=10)
    return fig


def _grid_shape(shape: Any, name: str) -> tuple[int, ...]:
    shape = as_shape(shape, name)
    if not 1 <= len(shape) <= 2 or not 1 <= math.prod(shape) <= 48:
        raise InputValueError(f"{name} must have one or two axes and 1 to 48 entries to be drawn, "
                              f"got {shape}")
    return shape


def _image(image: Any) -> np.ndarray:
    array = as_numeric_array(image, "image")
    if array.ndim != 2:
        raise InputValueError(f"image must have shape (height, width), got {array.shape}")
    return array


def _message_figure(title: str, message: str) -> Figure:
    fig, ax = plt.subplots(figsize=_SHAPE_FIGSIZE, layout="constrained")
    ax.text(0.5, 0.5, "\n".join(textwrap.wrap(message, 70)), ha="center", va="center", color=style.BLACK)
    ax.set_title(title)
    ax.set_xlabel("type a shape such as (2, 3), 3 or ()")
    ax.set_xticks([])
    ax.set_yticks([])
    return fig


__all__ = [
    "parse_shape",
    "plot_broadcast",
    "broadcast_explorer",
    "plot_dot_shapes",
    "plot_matrix_product",
    "plot_reshape",
    "plot_transpose",
    "plot_image_reshape",
]
