"""Pictures of how optimizers behave: step factors, step sizes, noise, loss against accuracy.

Introduced in notebook 06 (why training minimises the loss, not the accuracy)
and notebook 07 (the learning-rate limit, momentum and RMSprop on a narrow
valley, the noise of small batches), and used in notebook 09 for the loss of
every batch. Every function returns a ``Figure`` whose size depends only on
its arguments.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator

from ..errors import InputValueError
from . import style
from .training import moving_average


def plot_step_factors(curvatures: Sequence[float], lr_max: float, *,
                      marks: Mapping[str, float] | None = None,
                      title: str = "How much each step keeps of the distance to the minimum") -> Figure:
    """The factor ``|1 - lr * a|`` by which a gradient step multiplies the distance, per curvature ``a``.

    On a quadratic ``a * x**2 / 2`` one step of gradient descent takes ``x`` to
    ``(1 - lr * a) * x``. The walk converges when every factor is below 1, so
    ``lr < 2 / a`` for the steepest direction; the largest factor (drawn bold)
    sets the speed, and near the limit it is the steep direction's.

    Parameters
    ----------
    curvatures : sequence of float
        The second derivatives ``a`` of the directions, each > 0.
    lr_max : float
        Right end of the learning-rate axis.
    marks : mapping of str to float, optional
        Learning rates to mark with a labelled vertical line.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        Size 7.5 x 4.2 inches.

    Examples
    --------
    >>> fig = plot_step_factors([1.0, 10.0], 0.25)
    >>> fig.axes[0].get_xlabel()
    'learning rate lr'
    """
    a = np.asarray(curvatures, dtype=np.float64)
    if a.ndim != 1 or len(a) == 0 or np.any(a <= 0) or not lr_max > 0:
        raise InputValueError(f"curvatures must be positive numbers and lr_max > 0, got {a} and {lr_max}")
    lr = np.linspace(0.0, lr_max, 500)
    factors = np.abs(1.0 - np.outer(lr, a))
    fig, ax = plt.subplots(figsize=(7.5, 4.2), layout="constrained")
    curves = []
    for index, curvature in enumerate(a):
        look = style.series_style(index)
        curves += ax.plot(lr, factors[:, index], color=look["color"], linestyle=look["linestyle"],
                          label=f"direction with curvature {curvature:g}: |1 - {_times_lr(curvature)}|")
    # A wide pale band behind the lines, so each line keeps its own colour where it is the largest.
    curves += ax.plot(lr, factors.max(axis=1), color=style.BLACK, lw=7, alpha=0.2, zorder=1.5,
                      label="the largest factor: it sets the speed")
    # Labelled for the figure's description (chapter2.plotting.describe), kept out of the legend:
    # the threshold and the marks carry their own text on the plot.
    ax.axhline(1.0, color=style.GREY, lw=1, linestyle="--", label="threshold 1")
    # The line's label goes in the middle of the widest gap between the marked rates, so that no
    # dotted mark runs through it.
    edges = np.sort(np.concatenate([[0.0, lr_max], [r for r in (marks or {}).values() if 0 < r < lr_max]]))
    widest = int(np.argmax(np.diff(edges)))
    ax.text((edges[widest] + edges[widest + 1]) / 2, 1.02, "1: above this line\nthe distance grows",
            ha="center", va="bottom", fontsize=8)
    for index, (name, rate) in enumerate((marks or {}).items()):
        ax.axvline(rate, color=style.GREY, lw=0.8, linestyle=":", label=f"marked rate {name}")
        ax.text(rate, 1.55 - 0.12 * (index % 4), f" {name}", fontsize=8, ha="left", va="center")
    ax.set_ylim(0, 1.7)
    ax.set_xlim(0, lr_max)
    ax.set_xlabel("learning rate lr")
    ax.set_ylabel("size of the factor per step, |1 - lr a|")
    ax.set_title(title)
    # Below the axes, where it hides no part of a curve (the V of a steep direction reaches 0).
    fig.legend(handles=curves, loc="outside lower center", fontsize=8)
    return fig


def _times_lr(curvature: float) -> str:
    """``lr`` times a curvature, as a reader writes it: ``lr`` alone when the curvature is 1."""
    return "lr" if curvature == 1 else f"{curvature:g} lr"


def plot_step_sizes(paths: Mapping[str, np.ndarray], names: Sequence[str] = ("x", "y"), *,
                    title: str = "Size of each step, one weight at a time") -> Figure:
    """For each walk in the plane, the size of its step along each coordinate, step by step.

    The axis is logarithmic, so steps smaller than 1e-12 (a walk that has
    stopped along a coordinate) are drawn at 1e-12.

    Parameters
    ----------
    paths : mapping of str to ndarray, shape (steps + 1, 2)
        The positions visited, as returned by ``chapter2.descent.gradient_descent``.
    names : (str, str)
        The names of the two coordinates (one panel each).
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        Size 11 x 3.8 inches.

    Examples
    --------
    >>> walk = np.array([[1.0, 1.0], [0.5, 0.1], [0.25, 0.01]])
    >>> [ax.get_title() for ax in plot_step_sizes({"walk": walk}).axes]
    ['steps along x', 'steps along y']
    """
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained", sharey=True)
    for index, (label, path) in enumerate(paths.items()):
        path = np.asarray(path, dtype=np.float64)
        if path.ndim != 2 or path.shape[1] != 2 or len(path) < 2:
            raise InputValueError(f"path {label!r} must have shape (steps + 1, 2), got {path.shape}")
        steps = np.abs(np.diff(path, axis=0))
        look = style.series_style(index)
        for axis, ax in enumerate(axes):
            ax.plot(np.arange(1, len(steps) + 1), np.maximum(steps[:, axis], 1e-12), label=label, ms=3, **look)
    for axis, ax in enumerate(axes):
        ax.set_yscale("log")
        ax.set_xlabel("step")
        ax.set_title(f"steps along {names[axis]}")
    axes[0].set_ylabel("|change of the coordinate|")
    axes[1].legend(fontsize=8)
    fig.suptitle(title)
    return fig


def plot_loss_and_accuracy(t: np.ndarray, loss: np.ndarray, accuracy: np.ndarray, *,
                           xlabel: str = "position t along the line in weight space",
                           title: str = "Along a line in weight space: the loss is smooth, "
                                        "the accuracy moves in steps") -> Figure:
    """Loss (left axis, solid) and accuracy (right axis, dashed steps) at the same points.

    Returns
    -------
    matplotlib.figure.Figure
        Size 7.5 x 4 inches.

    Examples
    --------
    >>> t = np.linspace(0, 1, 5)
    >>> fig = plot_loss_and_accuracy(t, 1 - t, np.round(t, 0))
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['loss (solid)', 'accuracy (dashed)']
    """
    t, loss, accuracy = (np.asarray(v, dtype=np.float64) for v in (t, loss, accuracy))
    if not (t.ndim == 1 and t.shape == loss.shape == accuracy.shape):
        raise InputValueError(f"t, loss and accuracy must be 1-D of one length, got {t.shape}, {loss.shape}, "
                              f"{accuracy.shape}")
    fig, left = plt.subplots(figsize=(7.5, 4), layout="constrained")
    right = left.twinx()
    left.plot(t, loss, color=style.BLUE, lw=2, label="loss")
    right.step(t, accuracy, where="mid", color=style.VERMILLION, linestyle="--", lw=1.5, label="accuracy")
    left.set_xlabel(xlabel)
    left.set_ylabel("loss (solid)")
    right.set_ylabel("accuracy (dashed)")
    left.set_title(title, fontsize=10)
    handles = left.get_lines() + right.get_lines()
    left.legend(handles, [h.get_label() for h in handles], loc="center right", fontsize=8)
    return fig


def plot_batch_losses(losses: Sequence[float], smooth: int = 50, *, xlabel: str = "batch number",
                      title: str = "Training loss, batch by batch") -> Figure:
    """The loss of every batch (thin, pale) and its moving average (thick), on a log scale.

    Parameters
    ----------
    losses : sequence of float
        One loss per batch, in training order.
    smooth : int
        Width of the moving average.
    xlabel, title : str

    Returns
    -------
    matplotlib.figure.Figure
        Size 7 x 4 inches.

    Examples
    --------
    >>> fig = plot_batch_losses(np.linspace(2.0, 0.1, 200), smooth=20)
    >>> [line.get_label() for line in fig.axes[0].get_lines()]
    ['every batch', 'moving average of 20 batches']
    """
    values = np.asarray(losses, dtype=np.float64)
    if values.ndim != 1 or not 1 <= smooth <= len(values):
        raise InputValueError(f"losses must be 1-D and smooth between 1 and {len(values)}, got {smooth}")
    steps = np.arange(1, len(values) + 1)
    fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    ax.plot(steps, values, color=style.SKY_BLUE, lw=0.6, alpha=0.8, label="every batch")
    ax.plot(steps[smooth - 1:], moving_average(values, int(smooth)), color=style.BLACK, lw=2,
            linestyle="--", label=f"moving average of {smooth} batches")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("batch loss")
    ax.set_title(title)
    ax.legend()
    return fig


def plot_gradient_noise(batch_sizes: Sequence[int], spreads: Sequence[float], *,
                        title: str = "How far a batch gradient strays from the full gradient") -> Figure:
    """Spread of batch gradients against batch size (log-log), with the ``1 / sqrt(batch)`` law.

    Returns
    -------
    matplotlib.figure.Figure
        Size 6.5 x 4 inches.

    Examples
    --------
    >>> plot_gradient_noise([1, 4, 16], [1.0, 0.5, 0.25]).axes[0].get_xlabel()
    'batch size (samples per step)'
    """
    sizes, spread = np.asarray(batch_sizes, dtype=np.float64), np.asarray(spreads, dtype=np.float64)
    if sizes.shape != spread.shape or sizes.ndim != 1 or np.any(sizes <= 0) or np.any(spread <= 0):
        raise InputValueError("batch_sizes and spreads must be positive and of one length")
    fig, ax = plt.subplots(figsize=(6.5, 4), layout="constrained")
    ax.plot(sizes, spread, "o-", color=style.BLUE, label="measured spread")
    ax.plot(sizes, spread[0] / np.sqrt(sizes / sizes[0]), color=style.GREY, linestyle="--",
            label="1 / sqrt(batch size)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    # Every measured size gets its own tick: a log axis alone labels only the powers of ten.
    ax.set_xticks(sizes, [f"{size:g}" for size in sizes])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("batch size (samples per step)")
    ax.set_ylabel("spread of the batch gradient")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    return fig


__all__ = ["plot_step_factors", "plot_step_sizes", "plot_loss_and_accuracy", "plot_batch_losses",
           "plot_gradient_noise"]
