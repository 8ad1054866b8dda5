"""Pictures of the network itself: its layers, its training loop, its labels and weights.

Introduced in notebook 01 (the architecture 784 -> 512 -> 10, what ``compile``
sets up, one-hot labels, scaled pixels) and used again in notebook 09 (what the
hidden units' weights look like, and why they must start different). Every
function returns a ``Figure`` whose size depends only on its arguments.
"""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

from ..errors import InputValueError
from . import style

_SHOWN_UNITS = 7
# A unit's oval, in data units: the drawn units sit 1 / _SHOWN_UNITS apart
# vertically, so a height below that spacing leaves a gap between neighbours.
_UNIT_WIDTH, _UNIT_HEIGHT = 0.16, 0.11


def plot_network(sizes: Sequence[int] = (784, 512, 10),
                 names: Sequence[str] = ("input: pixels", "Dense, relu", "Dense, softmax"), *,
                 title: str = "The network of the first example") -> Figure:
    """Draw a stack of dense layers as columns of units, with the size and weights of each.

    Each column shows a few units of its layer (a gap marks the ones left
    out) and is labelled with its number of units; between two columns, a
    label gives the layer's parameter count: a weight for every (input, unit)
    pair plus one bias per unit.

    Parameters
    ----------
    sizes : sequence of int
        Number of inputs, then the units of each layer, e.g. ``(784, 512, 10)``.
    names : sequence of str
        One caption per column.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        Size ``(3.2 * len(sizes), 4.6)`` inches.

    Examples
    --------
    >>> fig = plot_network((4, 3, 2), ("in", "hidden", "out"))
    >>> fig.axes[0].get_title()
    'The network of the first example'
    """
    sizes = [int(n) for n in sizes]
    if len(sizes) < 2 or min(sizes) < 1 or len(names) != len(sizes):
        raise InputValueError("sizes needs at least two positive sizes (inputs, then units per layer) "
                              f"and names one caption per size; got sizes {sizes} and {len(names)} names")
    fig, ax = plt.subplots(figsize=(3.2 * len(sizes), 4.6), layout="constrained")
    columns = [_unit_positions(n) for n in sizes]
    for index, (left, right) in enumerate(zip(columns[:-1], columns[1:])):
        for _, y0 in left[0]:
            for _, y1 in right[0]:
                ax.plot([index, index + 1], [y0, y1], color=style.GRID, lw=0.5, zorder=1)
    for index, ((units, gap), size, name) in enumerate(zip(columns, sizes, names)):
        x = index
        for _, y in units:
            fill = style.KEPT if index == 0 else (style.PAIRED if index == len(sizes) - 1 else style.OTHER)
            ax.add_patch(Ellipse((x, y), _UNIT_WIDTH, _UNIT_HEIGHT, facecolor=fill, edgecolor=style.BLACK,
                                 zorder=3))
        if gap is not None:
            ax.text(x, gap, "⋮", ha="center", va="center", fontsize=16, zorder=3)
        ax.text(x, -0.35, f"{size:,} {'inputs' if index == 0 else 'units'}", ha="center", va="top",
                fontsize=10, fontweight="bold")
        ax.text(x, -0.62, name, ha="center", va="top", fontsize=9)
    for index in range(1, len(sizes)):
        n_in, n_out = sizes[index - 1], sizes[index]
        ax.text(index - 0.5, 1.22, f"W{index}: {n_in:,} × {n_out:,}\nb{index}: {n_out:,}\n"
                f"= {n_in * n_out + n_out:,} parameters", ha="center", va="bottom", fontsize=9)
    total = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    ax.set_title(title)
    ax.set_xlabel(f"every line stands for weights: each unit reads every unit of the layer before "
                  f"({total:,} parameters in all)", fontsize=9)
    ax.set_xlim(-0.6, len(sizes) - 0.4)
    ax.set_ylim(-0.95, 1.62)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    return fig


def _unit_positions(count: int) -> tuple[list[tuple[int, float]], float | None]:
    """Heights of the units drawn for a layer of ``count`` units, and of the gap (or None)."""
    if count <= _SHOWN_UNITS:
        heights = np.linspace(0.0, 1.0, count) if count > 1 else np.array([0.5])
        return [(k, float(h)) for k, h in enumerate(heights[::-1])], None
    heights = np.linspace(0.0, 1.0, _SHOWN_UNITS + 1)[::-1]
    top, bottom = heights[:_SHOWN_UNITS - 2], heights[-2:]
    gap = float(heights[_SHOWN_UNITS - 2])
    return [(k, float(h)) for k, h in enumerate(np.concatenate([top, bottom]))], gap


def plot_training_loop(*, title: str = "What compile sets up: the training loop") -> Figure:
    """The loop that ``fit`` runs, as boxes and arrows: predict, score, update, repeat.

    Input data goes through the layers (whose weights are the parameters) to
    predictions; the loss function compares them with the true targets and
    gives a loss score; the optimizer turns the score into a weight update.

    Returns
    -------
    matplotlib.figure.Figure
        Size 9 x 4 inches.

    Examples
    --------
    >>> plot_training_loop().axes[0].get_title()
    'What compile sets up: the training loop'
    """
    fig, ax = plt.subplots(figsize=(9, 4), layout="constrained")
    boxes = {
        "input": (0.0, 2.0, "input images x"),
        "layers": (2.2, 2.0, "layers\n(their weights)"),
        "predictions": (4.4, 2.0, "predictions\n(10 probabilities)"),
        "targets": (4.4, 0.4, "true targets y\n(one-hot labels)"),
        "loss": (6.6, 1.2, "loss function\n(categorical\ncross-entropy)"),
        "optimizer": (2.2, 0.0, "optimizer\n(RMSprop)"),
    }
    for key, (x, y, text) in boxes.items():
        fill = {"loss": style.STRETCHED, "optimizer": style.PAIRED, "layers": style.OTHER}.get(key, style.KEPT)
        ax.add_patch(FancyBboxPatch((x - 0.85, y - 0.42), 1.7, 0.84, boxstyle="round,pad=0.05",
                                    facecolor=fill, edgecolor=style.BLACK))
        ax.text(x, y, text, ha="center", va="center", fontsize=9)
    arrows = [((0.85, 2.0), (1.35, 2.0)), ((3.05, 2.0), (3.55, 2.0)),
              ((5.25, 1.85), (5.85, 1.45)), ((5.25, 0.55), (5.85, 0.95)), ((2.2, 0.42), (2.2, 1.58))]
    for start, end in arrows:
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, color=style.BLACK, lw=1.2))
    ax.text(2.3, 1.0, "weight update", ha="left", va="center", fontsize=9, style="italic")
    # The score runs down from the loss function and left under the targets' box, clear of every
    # box and its text, to the optimizer; its label sits under that free stretch.
    score = Path([(6.6, 0.73), (6.6, -0.3), (3.1, -0.3)], [Path.MOVETO, Path.LINETO, Path.LINETO])
    ax.add_patch(FancyArrowPatch(path=score, arrowstyle="-|>", mutation_scale=14, color=style.BLACK, lw=1.2))
    ax.text(4.85, -0.38, "loss score", ha="center", va="top", fontsize=9, style="italic")
    ax.set_title(title)
    ax.set_xlabel("compile chooses the loss function, the optimizer and the metrics; fit repeats the loop "
                  "for every batch", fontsize=9)
    ax.set_xlim(-1.0, 7.6)
    ax.set_ylim(-0.7, 2.7)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    return fig


def plot_one_hot(digits: Sequence[int], num_classes: int = 10, *,
                 title: str = "One-hot labels: one row per label, a 1 in the label's column") -> Figure:
    """Draw labels next to their one-hot rows, with every 0 and 1 written in its cell.

    Parameters
    ----------
    digits : sequence of int
        At most 12 labels, each in ``0 .. num_classes - 1``.
    num_classes : int
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        Size ``(0.55 * num_classes + 2, 0.45 * len(digits) + 1.4)`` inches.

    Examples
    --------
    >>> fig = plot_one_hot([5, 0, 4])
    >>> fig.axes[0].get_ylabel()
    'label'
    """
    labels = np.asarray(digits)
    if labels.ndim != 1 or not 1 <= len(labels) <= 12 or labels.dtype.kind not in "iu":
        raise InputValueError(f"digits must be 1 to 12 integer labels, got {labels!r}")
    if labels.min() < 0 or labels.max() >= num_classes:
        raise InputValueError(f"every label must lie in 0..{num_classes - 1}, got {labels.tolist()}")
    rows = np.eye(num_classes)[labels]
    fig, ax = plt.subplots(figsize=(0.55 * num_classes + 2, 0.45 * len(labels) + 1.4), layout="constrained")
    ax.imshow(rows, cmap=style.INK_CMAP, vmin=-0.4, vmax=1.6, aspect="auto")
    for (r, c), value in np.ndenumerate(rows):
        ax.text(c, r, str(int(value)), ha="center", va="center", fontsize=9,
                color=style.WHITE if value else style.BLACK, fontweight="bold" if value else "normal")
    ax.set_xticks(range(num_classes))
    ax.set_yticks(range(len(labels)), [str(int(d)) for d in labels])
    ax.set_xlabel("class (column)")
    ax.set_ylabel("label")
    ax.set_title(title, fontsize=10)
    return fig


def plot_weight_images(weights: np.ndarray, shape: tuple[int, int] = (28, 28), *, ncols: int = 8,
                       captions: Sequence[str] | None = None,
                       title: str = "Incoming weights of hidden units, drawn as images") -> Figure:
    """Draw each column of a first-layer kernel as a picture of the input it weighs.

    A column holds one weight per pixel; reshaped to the image shape it shows
    which pixels push that unit up (one end of the colour map) or down (the
    other end). One symmetric colour scale is shared by all pictures.

    Parameters
    ----------
    weights : ndarray, shape (height * width, units)
        At most 32 units.
    shape : (int, int)
    ncols : int
    captions : sequence of str, optional
        One per unit; ``"unit k"`` by default.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        Size ``(1.25 * ncols + 0.9, 1.45 * rows + 0.6)`` inches.

    Examples
    --------
    >>> fig = plot_weight_images(np.zeros((4, 3)), shape=(2, 2), ncols=3)
    >>> len(fig.axes)
    4
    """
    kernel = np.asarray(weights, dtype=np.float64)
    if kernel.ndim != 2 or kernel.shape[0] != shape[0] * shape[1] or not 1 <= kernel.shape[1] <= 32:
        raise InputValueError(f"weights must have shape ({shape[0] * shape[1]}, units) with 1 to 32 units, "
                              f"got {kernel.shape}")
    units = kernel.shape[1]
    captions = list(captions) if captions is not None else [f"unit {k}" for k in range(units)]
    ncols = min(int(ncols), units)
    nrows = -(-units // ncols)
    top = max(float(np.abs(kernel).max()), 1e-12)
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.25 * ncols + 0.9, 1.45 * nrows + 0.6), squeeze=False,
                             layout="constrained")
    image = None
    for index, ax in enumerate(axes.flat):
        ax.axis("off")
        if index >= units:
            continue
        image = ax.imshow(kernel[:, index].reshape(shape), cmap=style.DIVERGING_CMAP, vmin=-top, vmax=top)
        ax.set_title(captions[index], fontsize=8)
    fig.colorbar(image, ax=axes, shrink=0.8, label="weight")
    fig.suptitle(title)
    return fig


def plot_pixel_values(raw: np.ndarray, scaled: np.ndarray, *,
                      title: str = "Pixel values before and after dividing by 255") -> Figure:
    """Histograms of the inked pixels of some images, as stored and after scaling.

    Background pixels (value 0) are left out; the two panels have the same
    shape and differ only in their horizontal scale.

    Returns
    -------
    matplotlib.figure.Figure
        Size 9 x 3.2 inches.

    Examples
    --------
    >>> raw = np.array([0, 51, 255], dtype=np.uint8)
    >>> plot_pixel_values(raw, raw / 255).axes[1].get_xlabel()
    'pixel value after / 255 (float32)'
    """
    raw, scaled = np.asarray(raw).ravel(), np.asarray(scaled).ravel()
    if raw.shape != scaled.shape:
        raise InputValueError(f"raw and scaled must hold the same pixels, got {raw.shape} and {scaled.shape}")
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
    for ax, values, top, label in ((axes[0], raw, 255, "pixel value as stored (uint8)"),
                                   (axes[1], scaled, 1, "pixel value after / 255 (float32)")):
        ax.hist(values[values > 0], bins=32, range=(0, top), color=style.BLUE, edgecolor=style.WHITE)
        ax.set_xlabel(label)
        ax.set_ylabel("number of inked pixels")
    axes[0].set_title("0 to 255")
    axes[1].set_title("0 to 1")
    fig.suptitle(title)
    return fig


__all__ = ["plot_network", "plot_training_loop", "plot_one_hot", "plot_weight_images", "plot_pixel_values"]
