"""Scatter plots of digits projected onto a plane, side by side.

Notebook 09 draws the same test images twice, as pixels and as the trained
network's hidden activations, each projected by :func:`chapter2.projection.pca`.
Every digit has its own marker and its own colour, and its digit is written at
the centre of its points, so no reader depends on colour alone.
"""

from __future__ import annotations

from typing import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..errors import InputValueError
from . import style

__all__ = ["DIGIT_COLOURS", "DIGIT_MARKERS", "plot_projections"]

#: One colour per digit 0-9: the colour-blind-safe palette, then two greys.
DIGIT_COLOURS = (style.BLUE, style.ORANGE, style.BLUISH_GREEN, style.REDDISH_PURPLE, style.SKY_BLUE,
                 style.VERMILLION, style.BLACK, style.YELLOW, style.GREY, style.LIGHT_GREY)
#: One marker per digit 0-9, so that digits differ by shape as well as colour.
DIGIT_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "<", ">")


def plot_projections(panels: Mapping[str, np.ndarray], digits: np.ndarray, *,
                     title: str = "The same images, projected onto a plane") -> Figure:
    """Draw each set of 2-D points as a scatter plot, one marker and colour per digit.

    Parameters
    ----------
    panels : mapping of str to array of shape (samples, 2)
        Panel title -> the points, 1 to 3 panels, all with the same samples.
    digits : int array of shape (samples,), values 0 to 9
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        Size ``(5.2 * panels + 1.4, 5.2)`` inches; the legend, on the right, names
        every digit with its marker.

    Examples
    --------
    >>> fig = plot_projections({"a": np.zeros((3, 2)), "b": np.ones((3, 2))}, np.array([0, 1, 1]))
    >>> [ax.get_title() for ax in fig.axes]
    ['a', 'b']
    """
    digits = np.asarray(digits)
    if not isinstance(panels, Mapping) or not 1 <= len(panels) <= 3:
        raise InputValueError("panels must be a dict of 1 to 3 entries: panel title -> points of shape (samples, 2)")
    if digits.ndim != 1 or digits.size == 0 or digits.min() < 0 or digits.max() > 9:
        raise InputValueError(f"digits must be a 1-D array of digits 0 to 9, got shape {digits.shape}")
    for name, points in panels.items():
        if np.shape(points) != (digits.size, 2):
            raise InputValueError(f"panel {name!r} must hold points of shape ({digits.size}, 2), "
                                  f"got {np.shape(points)}")
    fig, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels) + 1.4, 5.2), squeeze=False,
                             layout="constrained")
    for ax, (name, points) in zip(axes[0], panels.items()):
        points = np.asarray(points, dtype=np.float64)
        for digit in range(10):
            chosen = points[digits == digit]
            if not len(chosen):
                continue
            ax.scatter(chosen[:, 0], chosen[:, 1], s=16, marker=DIGIT_MARKERS[digit],
                       color=DIGIT_COLOURS[digit], edgecolor=style.BLACK, linewidth=0.3, alpha=0.75,
                       label=f"digit {digit}")
            # The digit itself at the centre of its points: a label that needs neither colour nor marker.
            centre = np.median(chosen, axis=0)
            ax.text(centre[0], centre[1], str(digit), fontsize=15, fontweight="bold", ha="center",
                    va="center", color=style.BLACK,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": style.WHITE, "alpha": 0.8,
                          "edgecolor": style.BLACK})
        ax.set_title(name)
        ax.set_xlabel("first principal component")
        ax.set_ylabel("second principal component")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside right center", markerscale=1.6)
    fig.suptitle(title)
    return fig
