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

__all__ = ["DIGIT_COLOURS", "DIGIT_MARKERS", "plot_projections", "spread_labels"]

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
        shown = [digit for digit in range(10) if np.any(digits == digit)]
        for digit in shown:
            chosen = points[digits == digit]
            ax.scatter(chosen[:, 0], chosen[:, 1], s=16, marker=DIGIT_MARKERS[digit],
                       color=DIGIT_COLOURS[digit], edgecolor=style.BLACK, linewidth=0.3, alpha=0.75,
                       label=f"digit {digit}")
        # The digit itself at the centre (median) of its points: a label that needs neither colour
        # nor marker. Labels whose centres lie close together are pushed apart so that none hides
        # another, and a thin line joins a moved label to its centre.
        centres = np.array([np.median(points[digits == digit], axis=0) for digit in shown])
        span = np.ptp(points, axis=0) + 1e-12
        placed = spread_labels(centres / span, gap=0.075) * span
        for digit, centre, at in zip(shown, centres, placed):
            if not np.allclose(at, centre):
                ax.plot(*zip(centre, at), color=style.BLACK, lw=0.8)
            ax.text(at[0], at[1], str(digit), fontsize=15, fontweight="bold", ha="center",
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


def spread_labels(positions: np.ndarray, gap: float, *, rounds: int = 200) -> np.ndarray:
    """Move label positions apart until no two lie closer than ``gap`` along both axes.

    Each round pushes every overlapping pair apart, half the overlap each,
    along the axis where they overlap least; labels that do not overlap stay
    where they are.

    Parameters
    ----------
    positions : array of shape (labels, 2)
        Label centres, in units where a label is about ``gap`` wide and tall.
    gap : float
        The smallest distance kept between two labels' centres, > 0.
    rounds : int
        At most this many rounds of pushing.

    Returns
    -------
    ndarray of shape (labels, 2)

    Examples
    --------
    >>> spread_labels(np.array([[0.0, 0.0], [0.01, 0.0], [1.0, 1.0]]), gap=0.1).round(3).tolist()
    [[-0.045, 0.0], [0.055, 0.0], [1.0, 1.0]]
    """
    placed = np.array(positions, dtype=np.float64)
    if placed.ndim != 2 or placed.shape[1] != 2 or not gap > 0:
        raise InputValueError(f"positions must have shape (labels, 2) and gap > 0, got {placed.shape}, {gap}")
    for _ in range(rounds):
        moved = False
        for i in range(len(placed)):
            for j in range(i + 1, len(placed)):
                overlap = gap - np.abs(placed[j] - placed[i])
                if np.all(overlap > 0):
                    axis = int(np.argmin(overlap))
                    sign = 1.0 if placed[j, axis] >= placed[i, axis] else -1.0
                    placed[i, axis] -= sign * overlap[axis] / 2
                    placed[j, axis] += sign * overlap[axis] / 2
                    moved = True
        if not moved:
            break
    return placed
