"""Pictures of data tensors: a timeseries sample, element-wise maps.

Introduced in notebooks 02 ("Data representations: tensors", sections
2.2.9-2.2.12) and 03 (element-wise operations, section 2.3.1). Every function
returns a ``Figure`` whose size depends only on its arguments.
"""

from __future__ import annotations

from typing import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..errors import InputValueError
from . import style
from .contrast import write_on_cells


def plot_timeseries(series: np.ndarray, sample: int, names: Sequence[str], *,
                    step_name: str = "hour", tensor_name: str = "series",
                    title: str | None = None) -> Figure:
    """One sample of a ``(samples, timesteps, features)`` tensor, one panel per feature.

    The chosen sample is drawn solid with markers, the average over all
    samples dashed. The time steps are axis 1 of the tensor but axis 0 of the
    drawn sample; the x-axis label names both, calling the tensor
    ``tensor_name``.

    Returns
    -------
    matplotlib.figure.Figure
        Size ``(3.4 * features, 3.2)`` inches.

    Examples
    --------
    >>> fig = plot_timeseries(np.zeros((2, 24, 3)), 0, ["a", "b", "c"])
    >>> fig.axes[0].get_xlabel()
    'hour\\n(axis 0 of series[0], axis 1 of series)'
    """
    series = np.asarray(series, dtype=np.float64)
    if series.ndim != 3 or series.shape[2] != len(names) or not 0 <= sample < len(series):
        raise InputValueError(f"series must have shape (samples, timesteps, features) with one name per "
                              f"feature and sample an index into axis 0, got {series.shape}, {len(names)} "
                              f"names, sample {sample!r}")
    steps = np.arange(series.shape[1])
    fig, axes = plt.subplots(1, len(names), figsize=(3.4 * len(names), 3.2), squeeze=False,
                             layout="constrained")
    for index, (ax, name) in enumerate(zip(axes.flat, names)):
        ax.plot(steps, series[sample, :, index], "o-", ms=3, color=style.BLUE, label=f"{tensor_name}[{sample}]")
        ax.plot(steps, series[:, :, index].mean(axis=0), "--", color=style.GREY, label="average of all samples")
        ax.set_xlabel(f"{step_name}\n(axis 0 of {tensor_name}[{sample}], axis 1 of {tensor_name})")
        ax.set_title(f"feature {index}: {name}", fontsize=9)
    axes.flat[0].legend(fontsize=8)
    fig.suptitle(title or f"Sample {sample} of a timeseries tensor of shape {series.shape}")
    return fig


#: The element-wise functions ``plot_elementwise`` knows, by name.
ELEMENTWISE: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "relu": lambda x: np.maximum(x, 0.0),
    "leaky relu (slope 0.1)": lambda x: np.where(x > 0, x, 0.1 * x),
    "absolute value": np.abs,
    "square": np.square,
    "add 1": lambda x: x + 1.0,
}


def plot_elementwise(name: str, x: np.ndarray) -> Figure:
    """An element-wise function applied to a small matrix: the numbers before and after, and the curve.

    Parameters
    ----------
    name : str
        A key of :data:`ELEMENTWISE`.
    x : ndarray, shape (rows, columns)
        At most 6 x 6 entries.

    Returns
    -------
    matplotlib.figure.Figure
        Size 11 x 3.4 inches.

    Examples
    --------
    >>> plot_elementwise("relu", np.array([[-1.0, 2.0]])).axes[2].get_title()
    'every entry follows the same curve'
    """
    if name not in ELEMENTWISE:
        raise InputValueError(f"unknown function {name!r}; choose one of {sorted(ELEMENTWISE)}")
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or max(x.shape) > 6:
        raise InputValueError(f"x must be a matrix of at most 6 x 6 entries, got shape {x.shape}")
    function = ELEMENTWISE[name]
    y = function(x)
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.4), layout="constrained")
    top = max(float(np.abs(x).max()), float(np.abs(y).max()), 1e-12)
    for ax, grid, label in ((axes[0], x, "x"), (axes[1], y, f"{name}(x)")):
        image = ax.imshow(grid, cmap=style.DIVERGING_CMAP, vmin=-top, vmax=top)
        # Both ends of the diverging map are dark: each number's ink is chosen against its own cell.
        write_on_cells(ax, image, np.array([[f"{v:.1f}" for v in row] for row in grid]), fontsize=9)
        ax.set_title(label)
        ax.set_xticks(range(grid.shape[1]))
        ax.set_yticks(range(grid.shape[0]))
    line = np.linspace(-top, top, 200)
    axes[2].plot(line, function(line), color=style.REFERENCE, label=name)
    axes[2].plot(x.ravel(), y.ravel(), "o", color=style.HIGHLIGHT, label="the entries of x")
    axes[2].set_xlabel("entry of x")
    axes[2].set_ylabel("same entry of the result")
    axes[2].set_title("every entry follows the same curve")
    axes[2].legend(fontsize=8)
    fig.suptitle(f"{name}, applied entry by entry: same position in, same position out")
    return fig


__all__ = ["plot_timeseries", "ELEMENTWISE", "plot_elementwise"]
