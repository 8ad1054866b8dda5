"""Pictures that explain gradients: softmax with cross-entropy, a matrix product's backward pass, costs.

Introduced in notebook 08 ("The chain rule and backpropagation"). Every
function returns a ``Figure`` whose size depends only on its arguments.
"""

from __future__ import annotations

from typing import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..errors import InputValueError
from . import style


def plot_softmax_gradient(scores: np.ndarray, target: int, *,
                          title: str = "Softmax, then cross-entropy: the gradient is p - t") -> Figure:
    """Three bar charts for one sample: its scores, its probabilities, and the gradient ``p - t``.

    The true class is marked in every panel; its gradient bar is the only
    negative one (hatched), so a descent step raises its score and lowers the
    others, each in proportion to its probability.

    Parameters
    ----------
    scores : array_like, shape (classes,)
        The raw scores (logits) of one sample, at most 12 classes.
    target : int
        The true class.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        Size 11 x 3.2 inches.

    Examples
    --------
    >>> fig = plot_softmax_gradient(np.array([1.0, 2.0, 0.5]), target=1)
    >>> [ax.get_title() for ax in fig.axes]
    ['scores z', 'probabilities p = softmax(z)', 'gradient dL/dz = p - t']
    """
    z = np.asarray(scores, dtype=np.float64)
    if z.ndim != 1 or not 2 <= len(z) <= 12 or not 0 <= int(target) < len(z):
        raise InputValueError(f"scores must have shape (classes,) with 2 to 12 classes and target one of "
                              f"them, got shape {z.shape} and target {target!r}")
    exps = np.exp(z - z.max())
    probs = exps / exps.sum()
    onehot = np.eye(len(z))[int(target)]
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.2), layout="constrained")
    classes = np.arange(len(z))
    for ax, values, name in zip(axes, (z, probs, probs - onehot),
                                ("scores z", "probabilities p = softmax(z)", "gradient dL/dz = p - t")):
        bars = ax.bar(classes, values, color=style.KEPT, edgecolor=style.BLACK)
        bars[int(target)].set_facecolor(style.STRETCHED)
        bars[int(target)].set_hatch(style.STRETCHED_HATCH)
        bars[int(target)].set_label(f"true class {int(target)}")    # named for the figure description
        ax.axhline(0.0, color=style.BLACK, lw=0.8)
        ax.set_xticks(classes, [f"{c}\ntrue" if c == int(target) else str(c) for c in classes])
        ax.set_xlabel("class")
        ax.set_title(name)
    axes[1].set_ylim(0, 1)
    fig.suptitle(title)
    return fig


def plot_matmul_backward(batch: int, inputs: int, units: int, k: int, j: int) -> Figure:
    """Which entries make one entry of the kernel's gradient: ``dW[k, j] = sum_i x[i, k] * g[i, j]``.

    ``z = x @ W`` with ``x`` of shape (batch, inputs) and ``W`` (inputs, units);
    ``g = dL/dz`` has the shape of ``z``. The picture highlights column ``k`` of
    ``x`` and column ``j`` of ``g``, whose entries are multiplied pairwise and
    summed over the batch, and the entry ``(k, j)`` of ``dW = x.T @ g`` they give.

    Parameters
    ----------
    batch, inputs, units : int
        Sizes from 1 to 8.
    k, j : int
        The entry of ``dW`` to explain.

    Returns
    -------
    matplotlib.figure.Figure
        Size 10 x 3.6 inches.

    Examples
    --------
    >>> plot_matmul_backward(3, 4, 2, 1, 0).axes[0].get_title()
    'dW[1, 0] = sum over the batch of x[i, 1] * g[i, 0]'
    """
    for name, value in (("batch", batch), ("inputs", inputs), ("units", units)):
        if not isinstance(value, (int, np.integer)) or not 1 <= value <= 8:
            raise InputValueError(f"{name} must be an int from 1 to 8, got {value!r}")
    if not (0 <= k < inputs and 0 <= j < units):
        raise InputValueError(f"(k, j) must index dW of shape ({inputs}, {units}), got ({k}, {j})")
    fig, ax = plt.subplots(figsize=(10, 3.6), layout="constrained")
    grids = [("x", 0.0, batch, inputs, lambda r, c: c == k, f"x {(batch, inputs)}: column {k}"),
             ("g", inputs + 1.5, batch, units, lambda r, c: c == j, f"g = dL/dz {(batch, units)}: column {j}"),
             ("dW", inputs + units + 3.0, inputs, units, lambda r, c: (r, c) == (k, j),
              f"dW = x.T @ g {(inputs, units)}")]
    height = max(batch, inputs)
    for grid, x0, rows, cols, lit, label in grids:
        for r in range(rows):
            for c in range(cols):
                on = lit(r, c)
                # highlighted cells are named for the figure description (there is no legend)
                ax.add_patch(Rectangle((x0 + c, height - r - 1), 1, 1, edgecolor=style.BLACK,
                                       facecolor=style.STRETCHED if on else style.KEPT,
                                       hatch=style.STRETCHED_HATCH if on else None,
                                       label=f"highlighted in {grid}" if on else None))
        ax.text(x0 + cols / 2, height + 0.2, label, ha="center", va="bottom", fontsize=9)
    ax.text(inputs + 0.75, height / 2, "·", ha="center", va="center", fontsize=22)
    ax.text(inputs + units + 2.25, height / 2, "→", ha="center", va="center", fontsize=18)
    ax.set_title(f"dW[{k}, {j}] = sum over the batch of x[i, {k}] * g[i, {j}]")
    ax.set_xlabel("highlighted (hatched): the entries multiplied pair by pair, row i with row i, and "
                  "summed over the batch")
    ax.set_xlim(-0.5, inputs + units + 3.0 + units + 0.5)
    ax.set_ylim(-0.3, height + 1.0)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    return fig


def plot_bars(values: Mapping[str, float], *, ylabel: str, title: str, log: bool = False,
              fmt: str = "{:,.0f}") -> Figure:
    """A bar chart of a few named quantities, each bar labelled with its value.

    Parameters
    ----------
    values : mapping of str to float
        Bar name -> value, at most 8 bars.
    ylabel, title : str
    log : bool
        Logarithmic value axis, for quantities that differ by orders of magnitude.
    fmt : str
        How each value is written above its bar.

    Returns
    -------
    matplotlib.figure.Figure
        Size 7 x 4 inches.

    Examples
    --------
    >>> plot_bars({"a": 1.0, "b": 3.0}, ylabel="count", title="two bars").axes[0].get_ylabel()
    'count'
    """
    if not isinstance(values, Mapping) or not 1 <= len(values) <= 8:
        raise InputValueError("values must be a dict of 1 to 8 entries: bar name -> number")
    numbers = np.array([float(v) for v in values.values()])
    if log and np.any(numbers <= 0):
        raise InputValueError("a logarithmic axis needs positive values")
    fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    positions = np.arange(len(numbers))
    bars = ax.bar(positions, numbers, color=[style.series_colour(i) for i in range(len(numbers))],
                  edgecolor=style.BLACK)
    for index, (bar, value) in enumerate(zip(bars, numbers)):
        bar.set_hatch(("", "//", "..", "xx", "\\\\", "oo", "++", "--")[index % 8])
        ax.annotate(fmt.format(value), (bar.get_x() + bar.get_width() / 2, value), xytext=(0, 3),
                    textcoords="offset points", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(positions, list(values))
    if log:
        ax.set_yscale("log")
        ax.set_ylim(numbers.min() / 3, numbers.max() * 8)
    else:
        ax.set_ylim(0, numbers.max() * 1.15)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return fig


__all__ = ["plot_softmax_gradient", "plot_matmul_backward", "plot_bars"]
