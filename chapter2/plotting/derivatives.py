"""Pictures of notebook 06's numerical side: the cost -log p, the error of a difference quotient,
and the slope of a surface along a turning direction.

Every function returns a ``Figure`` of fixed size with a title and labelled axes.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..finite_differences import directional_derivatives, unit_direction
from . import style
from .landscapes import _contours


def plot_neg_log(marks: Sequence[float] = (0.9, 0.1)) -> Figure:
    """The cost ``-log p`` of giving probability ``p`` to the true class, with marked points.

    Parameters
    ----------
    marks : sequence of float in (0, 1]
        Probabilities marked with a square and their cost.

    Returns
    -------
    Figure
        Size 6 x 4 inches.

    Examples
    --------
    >>> fig = plot_neg_log()
    >>> fig.axes[0].get_xlabel()
    'p, the probability given to the true class'
    """
    p = np.linspace(0.005, 1.0, 400)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(p, -np.log(p), color=style.BLUE, lw=2, label="cost −log p")
    for m in marks:
        ax.plot([m], [-np.log(m)], "s", color=style.HIGHLIGHT, ms=7)
        # Labels of points near the right edge go above and to their left, clear of the curve.
        near_edge = m > 0.7
        ax.annotate(f"p = {m:g}: cost {-np.log(m):.2f}", (m, -np.log(m)),
                    xytext=(-6, 60) if near_edge else (8, 8), ha="right" if near_edge else "left",
                    textcoords="offset points", fontsize=9,
                    arrowprops=dict(arrowstyle="-", color=style.GREY, lw=0.8) if near_edge else None)
    ax.plot([], [], "s", color=style.HIGHLIGHT, label="marked probabilities")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 5.5)
    ax.set_xlabel("p, the probability given to the true class")
    ax.set_ylabel("cost −log p")
    ax.set_title("Cross-entropy: cheap when confident and right, steep when wrong")
    ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    return fig


def plot_difference_errors(steps: np.ndarray, errors: Mapping[str, np.ndarray]) -> Figure:
    """Error of a difference quotient against its step ``h``, log-log, one curve per precision.

    Each curve gets a marker of its own (circles, squares, ...) and its smallest
    error a star labelled ``best h, <name>``; a dotted line of slope 2 shows how
    an error proportional to ``h²`` would fall.

    Parameters
    ----------
    steps : ndarray, shape (k,)
    errors : mapping of str to ndarray of shape (k,)
        Name of the precision (``"float64"``) -> the errors.

    Returns
    -------
    Figure
        Size 7 x 4.5 inches.

    Examples
    --------
    >>> h = np.array([1e-1, 1e-2, 1e-3])
    >>> fig = plot_difference_errors(h, {"float64": h ** 2})
    >>> fig.axes[0].get_xscale(), fig.axes[0].get_yscale()
    ('log', 'log')
    """
    steps = np.asarray(steps, dtype=np.float64)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for i, (name, err) in enumerate(errors.items()):
        err = np.maximum(np.asarray(err, dtype=np.float64), 1e-18)  # an exact 0 has no place on a log axis
        colour = style.SERIES[i]
        ax.plot(steps, err, marker=style.MARKERS[i], ls=style.LINE_STYLES[i], color=colour, label=name)
        best = int(np.argmin(err))
        ax.plot([steps[best]], [err[best]], "*", ms=16, color=colour, markeredgecolor=style.BLACK,
                label=f"best h, {name}: {steps[best]:.0e}")
    first = np.asarray(next(iter(errors.values())), dtype=np.float64)[0]
    ax.plot(steps, first * (steps / steps[0]) ** 2, ":", color=style.GREY, label="slope 2: error ∝ h²")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(1e-13, 1.0)
    ax.set_xlabel("step h")
    ax.set_ylabel("|central difference − true derivative|")
    ax.set_title("Central difference: the error falls like h², then rounding takes over")
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    return fig


def plot_direction(f: Callable[[np.ndarray], float], grad: np.ndarray, point: np.ndarray, angle: float,
                   xlim: tuple[float, float], ylim: tuple[float, float],
                   labels: tuple[str, str] = ("x", "y"), value_label: str = "value") -> Figure:
    """A unit direction at ``point`` on the contour map, and the slope along every direction.

    Left: contours of ``f``, the point, minus the gradient (dashed, white) and
    the chosen direction (solid, highlighted). Right: the directional
    derivative ``grad · u`` against the angle of ``u``, which is
    ``|grad| cos(angle to the gradient)``, with the chosen angle marked by a
    circle and the gradient's own angle by a dotted vertical line.

    Parameters
    ----------
    f : callable
        Takes a float64 array of shape (2,), returns a float.
    grad : ndarray, shape (2,)
        The gradient of ``f`` at ``point``.
    point : ndarray, shape (2,)
    angle : float
        Angle of the direction, degrees counter-clockwise from the first axis.
    xlim, ylim : (float, float)
    labels : (str, str)
    value_label : str

    Returns
    -------
    Figure
        Size 11 x 4.5 inches.

    Examples
    --------
    >>> fig = plot_direction(lambda p: p @ p, np.array([2.0, 0.0]), np.array([1.0, 0.0]), 0.0,
    ...                      (-2, 2), (-2, 2))
    >>> fig.axes[1].get_title()
    'slope along the direction: 2.00 at 0°'
    """
    grad, point = np.asarray(grad, dtype=np.float64), np.asarray(point, dtype=np.float64)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5), gridspec_kw={"width_ratios": [1.1, 1]})
    _contours(left, f, xlim, ylim, value_label)
    u = unit_direction(angle)
    # Both arrows must stay inside the axes at every angle: matplotlib does not draw an
    # annotation whose tip falls outside them.
    room = min(point[0] - xlim[0], xlim[1] - point[0], point[1] - ylim[0], ylim[1] - point[1])
    length = min(0.25 * min(xlim[1] - xlim[0], ylim[1] - ylim[0]), 0.9 * room)
    down = -grad / np.linalg.norm(grad)
    left.annotate("", xy=point + length * down, xytext=point,
                  arrowprops=dict(arrowstyle="-|>", color=style.WHITE, lw=2, ls="--"))
    left.annotate("", xy=point + length * u, xytext=point,
                  arrowprops=dict(arrowstyle="-|>", color=style.HIGHLIGHT, lw=2.5))
    left.plot([point[0]], [point[1]], "o", color=style.HIGHLIGHT, ms=7)
    left.plot([], [], "--", color=style.WHITE, label="−gradient")
    left.plot([], [], "-", color=style.HIGHLIGHT, label=f"direction u at {angle:g}°")
    left.set_aspect("equal", adjustable="box")
    left.set_xlim(*xlim)
    left.set_ylim(*ylim)
    left.set_xlabel(labels[0])
    left.set_ylabel(labels[1])
    left.set_title("a unit direction u at the point")
    left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2, fontsize=8,
                facecolor=style.REFERENCE, framealpha=1.0, labelcolor=style.WHITE)

    angles = np.arange(0.0, 360.5, 1.0)
    right.plot(angles, directional_derivatives(grad, angles), color=style.BLUE, lw=2,
               label="slope along u: grad · u")
    here = float(directional_derivatives(grad, np.array([angle]))[0])
    # clip_on=False: at 0 and 360 degrees the dot sits on the frame and would be cut in half
    right.plot([angle], [here], "o", ms=9, color=style.HIGHLIGHT, label="the current direction",
               clip_on=False, zorder=3)
    up_angle = float(np.rad2deg(np.arctan2(grad[1], grad[0])) % 360)
    right.axvline(up_angle, color=style.GREY, ls=":", label=f"gradient's angle, {up_angle:.0f}°")
    right.axhline(0.0, color=style.LIGHT_GREY, lw=1)
    right.set_xlim(0, 360)
    right.set_xticks(range(0, 361, 45))
    right.set_xlabel("angle of u (degrees)")
    right.set_ylabel("directional derivative")
    right.set_title(f"slope along the direction: {here:.2f} at {angle:g}°")
    right.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    return fig


__all__ = ["plot_neg_log", "plot_difference_errors", "plot_direction"]
