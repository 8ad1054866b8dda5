"""Pictures of training: loss and accuracy curves.

Introduced in notebook 01 ("A first look at a neural network") to read what
``fit`` reports; ``plot_curves`` is the one plotter of loss curves, used in
notebook 07 (the loss at each step of gradient descent) and notebook 09 (the
from-scratch loop against the chapter2 engine). Every function returns a
``Figure`` of a fixed size, or draws into an ``ax`` you pass.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..errors import InputTypeError, InputValueError
from . import style
from ..validation import as_numeric_array, check_int



def history_dict(history: object) -> dict[str, list[float]]:
    """The metric lists of a training history, whatever form it comes in.

    Parameters
    ----------
    history : History or mapping
        What ``model.fit`` returned (anything with a ``.history`` dict), or
        that dict itself: metric name -> one value per epoch.

    Returns
    -------
    dict of str to list of float

    Examples
    --------
    >>> history_dict({"loss": [0.5, 0.25]})
    {'loss': [0.5, 0.25]}
    """
    values = getattr(history, "history", history)
    if not isinstance(values, Mapping):
        raise InputTypeError(
            "history must be what fit returned (it has a .history dict) or a dict of "
            f"metric name -> list of values, got {type(history).__name__}")
    return {str(name): [float(v) for v in series] for name, series in values.items()}


def plot_history(history: object, metrics: Sequence[str] = ("loss", "accuracy"), *,
                 title: str = "Training history") -> Figure:
    """Plot each metric against the epoch number, one panel per metric.

    A training value is what ``fit`` printed for the epoch: the average over
    its batches, taken while the weights were still changing, not a measure
    of the network at the end of the epoch. When the history also holds
    ``"val_" + metric`` (validation data was given to ``fit``), that curve,
    measured at the end of each epoch, is drawn in the same panel, dashed.
    The legend says which is which.

    Parameters
    ----------
    history : History or mapping
        What ``model.fit`` returned, or its ``.history`` dict.
    metrics : sequence of str
        Names of the metrics to draw, e.g. ``("loss", "accuracy")``.
    title : str
        Title of the whole figure.

    Returns
    -------
    matplotlib.figure.Figure
        Size ``(4.5 * len(metrics), 3.5)`` inches.

    Examples
    --------
    >>> fig = plot_history({"loss": [0.3, 0.1], "accuracy": [0.9, 0.97]})
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['loss', 'accuracy']
    """
    values = history_dict(history)
    if isinstance(metrics, str):
        metrics = [metrics]
    if len(metrics) == 0:
        raise InputValueError("metrics is empty; name at least one, e.g. metrics=('loss',)")
    missing = [name for name in metrics if name not in values]
    if missing:
        raise InputValueError(f"history has no metric {missing[0]!r}; it holds {sorted(values)}")
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.5 * len(metrics), 3.5), squeeze=False,
                             layout="constrained")
    for ax, name in zip(axes.flat, metrics):
        epochs = np.arange(1, len(values[name]) + 1)
        ax.plot(epochs, values[name], "o-", color=style.series_colour(0),
                label=f"training {name}, average over the epoch")
        if "val_" + name in values:
            ax.plot(epochs, values["val_" + name], "s--", color=style.series_colour(1),
                    label=f"validation {name}, at the end of the epoch")
        ax.set_xticks(epochs)
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        ax.set_title(f"{name}, epoch by epoch")
        ax.legend(fontsize=8)
    fig.suptitle(title)
    return fig


def plot_curves(curves: Mapping[str, Sequence[float] | tuple[Sequence[float], Sequence[float]]], *,
                xlabel: str = "epoch", ylabel: str = "loss", title: str = "Training curves",
                smooth: int = 1, log_y: bool = False, start: int = 1, ax: Axes | None = None) -> Figure:
    """Draw several named curves on one set of axes to compare them.

    Parameters
    ----------
    curves : mapping of str to values or to (x, values)
        Legend label -> either a sequence of values, drawn at ``x = start,
        start + 1, ...``, or a pair ``(x, values)`` of equal-length sequences.
        Curves get different line styles, so identical curves stay
        distinguishable.
    xlabel, ylabel, title : str
        Axis labels and title.
    smooth : int
        Width of a moving average applied to every curve (1 = no smoothing);
        useful for noisy per-batch losses. Each average is drawn at the x of
        the last value it covers.
    log_y : bool
        Use a logarithmic y axis.
    start : int, default 1
        The x of a curve's first value when only values are given: 1 when the
        first value is measured after the first epoch (as ``fit`` reports),
        0 when it is measured before any step (a path of gradient descent).
    ax : matplotlib Axes, optional
        Draw here instead of in a new figure; the caller then arranges the figure.

    Returns
    -------
    matplotlib.figure.Figure
        Size ``(7, 4)`` inches, or the figure of ``ax``.

    Examples
    --------
    >>> fig = plot_curves({"a": [3, 2, 1], "b": ([2, 4, 6], [3, 1, 0.5])})
    >>> fig.axes[0].lines[1].get_xdata().tolist()
    [2.0, 4.0, 6.0]
    >>> plot_curves({"walk": [4, 1]}, xlabel="step", start=0).axes[0].lines[0].get_xdata().tolist()
    [0.0, 1.0]
    """
    if not isinstance(curves, Mapping) or len(curves) == 0:
        raise InputValueError("curves must be a non-empty dict of label -> list of values")
    smooth = check_int(smooth, "smooth", minimum=1)
    start = check_int(start, "start")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    elif not isinstance(ax, Axes):
        raise InputTypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    for index, (label, series) in enumerate(curves.items()):
        x, y = _curve_points(label, series, start)
        # Distinct line styles (and markers on short curves) keep curves that
        # coincide visible, one through the gaps of the other.
        look = style.series_style(index)
        ax.plot(x[smooth - 1:], moving_average(y, int(smooth)), label=str(label),
                color=look["color"], linestyle=look["linestyle"],
                marker=look["marker"] if len(y) - smooth < 20 else None)
    # Steps of 1, 2, 5 or 10 keep the last tick inside the data (0..20 gets 0, 5, ..., 20, not 21).
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    if log_y:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel if smooth == 1 else f"{ylabel} (moving average of {smooth})")
    ax.set_title(title)
    ax.legend()
    return ax.figure


def _curve_points(label: str, series: object, start: int) -> tuple[np.ndarray, np.ndarray]:
    """Split a curve given as values or as (x, values) into two 1-D float arrays."""
    name = f"curve {label!r}"
    if isinstance(series, tuple) and len(series) == 2:
        x = as_numeric_array(series[0], f"{name}: x", dtype=float)
        y = as_numeric_array(series[1], f"{name}: values", dtype=float)
        if x.shape != y.shape:
            raise InputValueError(f"{name}: x has shape {x.shape} but the values have {y.shape}")
    else:
        y = as_numeric_array(series, name, dtype=float)
        x = np.arange(start, start + y.size, dtype=float)
    if y.ndim != 1 or y.size == 0:
        raise InputValueError(f"{name} must be a non-empty 1-D sequence of values, got shape {y.shape}")
    return x, y


def moving_average(values: np.ndarray, width: int) -> np.ndarray:
    """Average of each run of ``width`` consecutive values.

    Parameters
    ----------
    values : ndarray, shape (n,)
    width : int
        Window length, ``1 <= width <= n``.

    Returns
    -------
    ndarray, shape (n - width + 1,)

    Examples
    --------
    >>> moving_average(np.array([1.0, 2.0, 3.0, 4.0]), 2)
    array([1.5, 2.5, 3.5])
    """
    if values.ndim != 1 or len(values) == 0:
        raise InputValueError(f"values must be a non-empty 1-D sequence, got shape {values.shape}")
    if not 1 <= width <= len(values):
        raise InputValueError(f"width must be between 1 and {len(values)}, got {width}")
    sums = np.cumsum(np.concatenate([[0.0], values]))
    return (sums[width:] - sums[:-width]) / width


__all__ = ["history_dict", "plot_history", "plot_curves", "moving_average"]
