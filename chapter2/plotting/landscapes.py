"""Pictures of slopes, loss surfaces and walks downhill (notebooks 06 and 07).

Each function returns a matplotlib ``Figure`` of fixed size, with a title and
labelled axes, or draws into an ``ax`` you pass (then returns its figure), so a
notebook can put two pictures side by side. Functions of two variables are
called one point at a time, ``f(np.array([x, y]))``, so any scalar function
works, for example a loss seen as a function of a weight and a bias.

- ``plot_tangent``: a curve, its tangent line at a point, optionally a secant;
- ``plot_gradient_field``: contours of a surface with arrows pointing downhill;
- ``plot_descent_1d`` and ``plot_descent_2d``: paths of gradient descent.

The loss against step or epoch is drawn by ``chapter2.plotting.training.plot_curves``
(with ``start=0`` for a path whose first value comes before any step).
"""

from __future__ import annotations

from typing import Callable, Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..descent import numerical_derivative
from ..errors import InputValueError
from . import style
from ..validation import as_numeric_array


def plot_tangent(f: Callable[[float], float], x0: float, xlim: tuple[float, float] = (-3.0, 3.0),
                 secant_h: float | None = None, ax: Axes | None = None) -> Figure:
    """The curve ``y = f(x)``, the point ``(x0, f(x0))`` and the tangent line there.

    The slope of the tangent is measured with ``numerical_derivative``. With
    ``secant_h``, the line through ``x0`` and ``x0 + secant_h`` is drawn too: as
    ``secant_h`` shrinks it turns into the tangent, which is what a derivative is.

    Parameters
    ----------
    f : callable
        Takes a float, returns a float.
    x0 : float
        Where the tangent touches.
    xlim : (float, float)
        Range of x drawn.
    secant_h : float, optional
        Width of the secant, nonzero.
    ax : Axes, optional
        Draw here instead of in a new 6 x 4 inch figure.

    Returns
    -------
    Figure

    Examples
    --------
    >>> fig = plot_tangent(lambda x: x ** 2, 1.0)
    >>> fig.axes[0].get_title()
    'tangent at x = 1.00: slope 2.000'
    """
    xs = np.linspace(*xlim, 300)
    ys = np.array([f(float(x)) for x in xs])
    y0, slope = f(float(x0)), numerical_derivative(f, x0)
    ax = _new_axes(ax, (6, 4))
    ax.plot(xs, ys, color=style.REFERENCE, label="f(x)")
    ax.plot(xs, y0 + slope * (xs - x0), color=style.HIGHLIGHT, lw=2, label=f"tangent, slope {slope:.3f}")
    if secant_h is not None:
        if secant_h == 0:
            raise InputValueError("secant_h must be nonzero (it is the width of the secant)")
        x1 = x0 + secant_h
        rise = f(float(x1)) - y0
        ax.plot(xs, y0 + rise / secant_h * (xs - x0), color=style.SECONDARY, ls="--",
                label=f"secant, h = {secant_h:g}: slope {rise / secant_h:.3f}")
        if xlim[0] <= x1 <= xlim[1]:
            ax.plot([x1], [f(float(x1))], "s", color=style.SECONDARY)
        else:  # the second point is off the drawn range: say where it is instead of losing it
            ax.text(0.98 if x1 > xlim[1] else 0.02, 0.04, f"second point x0 + h = {x1:.2f}\nis off the plot",
                    transform=ax.transAxes, ha="right" if x1 > xlim[1] else "left", va="bottom",
                    fontsize=8, color=style.BLACK)
    ax.plot([x0], [y0], "o", color=style.HIGHLIGHT)
    pad = 0.1 * (ys.max() - ys.min() + 1e-12)
    ax.set_ylim(ys.min() - pad, ys.max() + pad)
    ax.set_xlim(*xlim)
    ax.set_title(f"tangent at x = {x0:.2f}: slope {slope:.3f}")
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.legend(loc="upper center", fontsize=8)
    ax.figure.tight_layout()
    return ax.figure


def plot_gradient_field(f: Callable[[np.ndarray], float], grad: Callable[[np.ndarray], np.ndarray],
                        xlim: tuple[float, float], ylim: tuple[float, float], arrows: int = 13,
                        labels: tuple[str, str] = ("x", "y"), title: str = "loss surface and -gradient",
                        value_label: str = "value of the function", ax: Axes | None = None) -> Figure:
    """Filled contours of ``f`` with arrows of ``-grad``: the downhill direction at each point.

    Arrows are drawn with a length proportional to the gradient, so they are
    long where the surface is steep and vanish at the bottom. Both axes use
    the same scale, so the arrows cross the contour lines at right angles on
    screen as well; the legend sits below the plot.

    Parameters
    ----------
    f : callable
        Takes a float64 array of shape (2,), returns a float.
    grad : callable
        Takes a float64 array of shape (2,), returns its gradient, shape (2,).
    xlim, ylim : (float, float)
        Ranges drawn.
    arrows : int
        Arrows per side of the grid.
    labels : (str, str)
        Names of the two variables (axis labels).
    title : str
    value_label : str
        Label of the colour bar (what the height means, e.g. "loss").
    ax : Axes, optional
        Draw here instead of in a new 6 x 5 inch figure.

    Returns
    -------
    Figure

    Examples
    --------
    >>> fig = plot_gradient_field(lambda p: p @ p, lambda p: 2 * p, (-1, 1), (-1, 1))
    >>> fig.axes[0].get_xlabel()
    'x'
    """
    ax = _new_axes(ax, (6, 5))
    _contours(ax, f, xlim, ylim, value_label)
    gx, gy = np.meshgrid(np.linspace(*xlim, arrows), np.linspace(*ylim, arrows))
    slopes = np.array([grad(np.array([x, y])) for x, y in zip(gx.ravel(), gy.ravel())])
    ax.quiver(gx, gy, -slopes[:, 0].reshape(gx.shape), -slopes[:, 1].reshape(gx.shape),
              color=style.WHITE, label="-gradient (downhill)")
    # One unit is as long across as up, so an arrow meets a contour line at a right angle on screen too;
    # the legend goes below the plot, where it hides no arrow.
    ax.set_aspect("equal", adjustable="box")
    _finish(ax, xlim, ylim, labels, title, legend_below=True)
    return ax.figure


def plot_descent_1d(f: Callable[[float], float], paths: Mapping[str, np.ndarray],
                    xlim: tuple[float, float] = (-3.0, 3.0), title: str = "gradient descent on a curve",
                    ax: Axes | None = None) -> Figure:
    """The curve ``f`` and, for each named path, the positions visited, joined in order.

    Parameters
    ----------
    f : callable
        Takes a float, returns a float.
    paths : mapping of str to ndarray of shape (steps + 1,)
        As returned by ``chapter2.descent.gradient_descent`` with a float start.
        NaN entries (a diverged walk) are skipped.
    xlim : (float, float)
    title : str
    ax : Axes, optional
        Draw here instead of in a new 6 x 4 inch figure.

    Returns
    -------
    Figure

    Examples
    --------
    >>> fig = plot_descent_1d(lambda x: x ** 2, {"lr 0.1": np.array([2.0, 1.6, 1.28])})
    >>> fig.axes[0].get_ylabel()
    'f(x)'
    """
    xs = np.linspace(*xlim, 300)
    ys = np.array([f(float(x)) for x in xs])
    ax = _new_axes(ax, (6, 4))
    ax.plot(xs, ys, color=style.REFERENCE, label="f(x)")
    for i, (name, path) in enumerate(paths.items()):
        path = as_numeric_array(path, f"path {name!r}", dtype=np.float64)
        if path.ndim != 1:
            raise InputValueError(f"path {name!r} must be 1-D (one position per step), got shape {path.shape}")
        shown = path[np.isfinite(path) & (path >= xlim[0]) & (path <= xlim[1])]
        heights = [f(float(x)) for x in shown]
        look = style.series_style(i)
        ax.plot(shown, heights, ms=6, lw=1, alpha=0.8, label=name, **look)
        if len(shown):
            ax.plot(shown[-1:], heights[-1:], "*", color=look["color"], ms=14, markeredgecolor=style.BLACK)
    _end_marker_entry(ax, paths)
    pad = 0.1 * (ys.max() - ys.min() + 1e-12)
    ax.set_ylim(ys.min() - pad, ys.max() + pad)
    ax.set_xlim(*xlim)
    ax.set_title(title)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.legend(loc="upper center", fontsize=8)
    ax.figure.tight_layout()
    return ax.figure


def plot_descent_2d(f: Callable[[np.ndarray], float], paths: Mapping[str, np.ndarray],
                    xlim: tuple[float, float], ylim: tuple[float, float],
                    labels: tuple[str, str] = ("x", "y"), title: str = "gradient descent on a surface",
                    value_label: str = "value of the function", ax: Axes | None = None) -> Figure:
    """Contours of ``f`` and, for each named path, the positions visited (a star marks the last).

    Parameters
    ----------
    f : callable
        Takes a float64 array of shape (2,), returns a float.
    paths : mapping of str to ndarray of shape (steps + 1, 2)
        NaN rows (a diverged walk) are skipped.
    xlim, ylim : (float, float)
    labels : (str, str)
        Names of the two variables.
    title : str
    value_label : str
        Label of the colour bar.
    ax : Axes, optional
        Draw here instead of in a new 6 x 5 inch figure.

    Returns
    -------
    Figure

    Examples
    --------
    >>> path = np.array([[1.0, 1.0], [0.5, 0.2], [0.1, 0.0]])
    >>> fig = plot_descent_2d(lambda p: p @ p, {"walk": path}, (-1, 1), (-1, 1))
    >>> fig.axes[0].get_title()
    'gradient descent on a surface'
    """
    ax = _new_axes(ax, (6, 5))
    _contours(ax, f, xlim, ylim, value_label)
    for i, (name, path) in enumerate(paths.items()):
        path = as_numeric_array(path, f"path {name!r}", dtype=np.float64)
        if path.ndim != 2 or path.shape[1] != 2:
            raise InputValueError(f"path {name!r} must have shape (steps + 1, 2), got {path.shape}")
        path = path[np.all(np.isfinite(path), axis=1)]
        # Paths are drawn over viridis contours: start from the palette's second colour,
        # which stands out against both ends of the map.
        look = style.series_style(i + 1)
        # Markers of 5 points: at 3, a triangle is too small to be told from a square or a star.
        ax.plot(path[:, 0], path[:, 1], ms=5, lw=1.2, label=name, **look)
        if len(path):
            ax.plot(*path[-1], "*", color=look["color"], ms=14, markeredgecolor=style.BLACK)
    _end_marker_entry(ax, paths)
    _finish(ax, xlim, ylim, labels, title)
    return ax.figure


# --------------------------------------------------------------------------
# Drawing helpers
# --------------------------------------------------------------------------

def _new_axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def _end_marker_entry(ax: Axes, paths: Mapping[str, np.ndarray]) -> None:
    """A legend entry (drawn nowhere) saying that a star marks where each walk ends."""
    if len(paths):
        ax.plot([], [], "*", linestyle="none", ms=10, color=style.WHITE, markeredgecolor=style.BLACK,
                label="end of each walk" if len(paths) > 1 else "end of the walk")


def _contours(ax: Axes, f: Callable[[np.ndarray], float], xlim: tuple[float, float],
              ylim: tuple[float, float], value_label: str, resolution: int = 60) -> None:
    gx, gy = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    heights = np.array([f(np.array([x, y])) for x, y in zip(gx.ravel(), gy.ravel())]).reshape(gx.shape)
    filled = ax.contourf(gx, gy, heights, levels=20, cmap=style.SEQUENTIAL_CMAP)
    ax.figure.colorbar(filled, ax=ax, label=value_label)


def _finish(ax: Axes, xlim: tuple[float, float], ylim: tuple[float, float],
            labels: tuple[str, str], title: str, legend_below: bool = False) -> None:
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.set_title(title)
    if legend_below:
        # A dark box, so that the white arrow of its key shows.
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), fontsize=8, facecolor=style.REFERENCE,
                  framealpha=1.0, labelcolor=style.WHITE)
    else:
        ax.legend(loc="upper right", fontsize=8)
    ax.figure.tight_layout()


__all__ = ["plot_tangent", "plot_gradient_field", "plot_descent_1d", "plot_descent_2d"]
