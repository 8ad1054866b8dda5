"""Pictures of tensor operations as moves of the plane (notebook 05).

Each function returns a new matplotlib ``Figure`` of fixed size, with a title
and labelled axes, or draws into an ``ax`` you pass (then returns its figure).
The moves themselves live in ``chapter2.transforms``; here they are only drawn.

- ``plot_vectors``: the same vectors as points and as arrows;
- ``plot_vector_sum``: adding a vector is a translation (arrows head to tail);
- ``plot_transform``: a grid and a letter "F" before and after an affine map,
  optionally followed by relu;
- ``plot_relu_plane``: which parts of the plane relu keeps and which it flattens;
- ``plot_stage`` and ``plot_uncrumpling``: the crumpled-paper stages of
  ``chapter2.transforms.uncrumple``.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import FancyArrowPatch

from ..errors import InputValueError
from ..transforms import affine
from . import style
from ..validation import as_numeric_array

# The label of the faint dashed copy of b at the origin in plot_vector_sum: a caption names it,
# the figure's description (chapter2.plotting.describe) lists it, the legend leaves it out.
B_COPY_LABEL = "copy of b at the origin"

# A letter F, drawn as one polyline: unlike a square, it shows at a glance
# whether a map turned, stretched or mirrored the plane.
# The F stands a little right of the y axis, so the arrow of e2 does not cover its stem.
_LETTER_F = np.array([[0.0, 0.0], [0.0, 1.5], [1.0, 1.5], [1.0, 1.2], [0.3, 1.2],
                      [0.3, 0.9], [0.8, 0.9], [0.8, 0.6], [0.3, 0.6], [0.3, 0.0], [0.0, 0.0]]) + [0.25, 0.0]


def plot_vectors(vectors: Mapping[str, Sequence[float]], lim: float = 4.0) -> Figure:
    """The same 2-D vectors drawn twice: as points (left) and as arrows from the origin (right).

    Parameters
    ----------
    vectors : mapping of str to array_like of shape (2,)
        Names and coordinates.
    lim : float
        Both axes run from ``-lim`` to ``lim``.

    Returns
    -------
    Figure, 8 x 4 inches

    Examples
    --------
    >>> fig = plot_vectors({"a": [1, 2], "b": [3, -1]})
    >>> len(fig.axes)
    2
    """
    named = {name: _vector(v, name) for name, v in vectors.items()}
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 4))
    for i, (name, v) in enumerate(named.items()):
        color = style.series_colour(i)
        left.plot(*v, style.series_marker(i), color=color, label=name)
        left.annotate(f"{name} {_fmt(v)}", v, textcoords="offset points", xytext=(5, 5))
        _arrow(right, np.zeros(2), v, color, name, tip=name)
    _frame(left, lim, "vectors as points")
    _frame(right, lim, "vectors as arrows from the origin")
    right.legend(loc="lower left")
    fig.tight_layout()
    return fig


def plot_vector_sum(a: Sequence[float], b: Sequence[float], lim: float = 4.0) -> Figure:
    """Adding ``b`` to ``a``: the arrow ``b`` starts where ``a`` ends, and ``a + b`` closes the triangle.

    Seen as points, adding ``b`` translates the point ``a`` by ``b``. The
    arrows a and a + b are named beyond their heads; b, whose head is also
    a + b's, is named at its middle, outside the triangle.

    Returns
    -------
    Figure, 5 x 5 inches

    Examples
    --------
    >>> fig = plot_vector_sum([1, 2], [2, -1])
    >>> fig.axes[0].get_title()
    'vector addition = translation'
    """
    a, b = _vector(a, "a"), _vector(b, "b")
    fig, ax = plt.subplots(figsize=(5, 5))
    _arrow(ax, np.zeros(2), a, style.series_colour(0), f"a = {_fmt(a)}", tip="a")
    # b's head is also a + b's: b is named at its middle, outside the triangle, so the names stay apart.
    _arrow(ax, a, a + b, style.series_colour(1), f"b = {_fmt(b)}, moved to start at a", tip="b",
           side=(a + a + b) / 3)
    _arrow(ax, np.zeros(2), a + b, style.series_colour(2), f"a + b = {_fmt(a + b)}", tip="a + b")
    # The faint dashed copy of b at the origin carries a label for the figure's description only:
    # the legend lists the three arrows' entries, passed explicitly.
    _arrow(ax, np.zeros(2), b, style.series_colour(1), None, faint=True, drawn_label=B_COPY_LABEL)
    _frame(ax, lim, "vector addition = translation")
    entries = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    ax.legend(handles=entries, loc="lower left", fontsize=8)
    fig.tight_layout()
    return fig


def plot_transform(matrix: np.ndarray, shift: Sequence[float] = (0.0, 0.0), relu: bool = False,
                   lim: float = 3.0, title: str | None = None, keep_f: bool = False) -> Figure:
    """A grid and a letter F before (left) and after (right) ``p -> matrix @ p + shift``.

    The images of the unit vectors e1 and e2 are drawn as arrows: they are
    the columns of ``matrix``. With ``relu=True`` the result is also passed
    through relu, which flattens everything outside the top-right quarter onto
    the axes.

    Parameters
    ----------
    matrix : array_like, shape (2, 2)
    shift : array_like, shape (2,)
    relu : bool
    lim : float
        Both axes of both panels run from ``-lim`` to ``lim``.
    title : str, optional
        Title of the right panel; a description of the map by default.
    keep_f : bool
        Widen the right panel (to the next whole number) when the moved F would
        leave it, so a slider can never push the letter out of sight.

    Returns
    -------
    Figure, 9 x 4.5 inches

    Examples
    --------
    >>> fig = plot_transform(np.eye(2), shift=[1.0, 0.0])
    >>> fig.axes[1].get_title()
    'after: W p + b'
    """
    matrix = as_numeric_array(matrix, "matrix", finite=True, dtype=np.float64)
    shift = _vector(shift, "shift")

    def move(points: np.ndarray) -> np.ndarray:
        moved = affine(points, matrix, shift)
        return np.maximum(moved, 0.0) if relu else moved

    fig, (before, after) = plt.subplots(1, 2, figsize=(9, 4.5))
    _draw_scene(before, lambda p: p)
    _draw_scene(after, move)
    _frame(before, lim, "before")
    after_lim = max(lim, float(np.ceil(np.abs(move(_LETTER_F)).max() + 0.2))) if keep_f else lim
    _frame(after, after_lim, title or ("after: relu(W p + b)" if relu else "after: W p + b"))
    after.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    return fig


def plot_relu_plane(n: int = 400, seed: int = 0, lim: float = 2.0) -> Figure:
    """Random points coloured and marked by quadrant, before and after relu.

    Relu keeps the top-right quadrant as it is, presses the top-left and
    bottom-right quadrants flat onto the axes, and sends the whole bottom-left
    quadrant to the single point (0, 0).

    Returns
    -------
    Figure, 9 x 4.5 inches

    Examples
    --------
    >>> fig = plot_relu_plane(n=50, seed=1)
    >>> fig.axes[1].get_title()
    'after relu'
    """
    points = np.random.default_rng(seed).uniform(-lim, lim, size=(n, 2))
    quadrant = (points[:, 0] < 0).astype(int) + 2 * (points[:, 1] < 0).astype(int)
    names = ("x > 0, y > 0: kept", "x < 0, y > 0: onto the y axis",
             "x > 0, y < 0: onto the x axis", "x < 0, y < 0: onto (0, 0)")
    fig, (before, after) = plt.subplots(1, 2, figsize=(9, 4.5))
    for q, name in enumerate(names):
        chosen = points[quadrant == q]
        look = dict(color=style.series_colour(q), marker=style.series_marker(q))
        before.scatter(chosen[:, 0], chosen[:, 1], s=12, **look)
        flat = np.maximum(chosen, 0.0)
        after.scatter(flat[:, 0], flat[:, 1], s=12 + 30 * (q == 3), label=name, **look)
    _frame(before, lim * 1.05, "before relu")
    _frame(after, lim * 1.05, "after relu")
    # after relu the bottom-left of the panel is empty: room for the legend
    after.legend(loc="lower left", fontsize=7)
    fig.tight_layout()
    return fig


def plot_stage(stages: Sequence[tuple[str, np.ndarray]], labels: np.ndarray, index: int,
               ax: Axes | None = None) -> Figure:
    """One stage of ``uncrumple``: the points coloured by class, captioned with the move just made.

    Parameters
    ----------
    stages : sequence of (str, ndarray of shape (n, 2))
        As returned by ``chapter2.transforms.uncrumple``.
    labels : ndarray of int, shape (n,)
        Class of each point (0 or 1).
    index : int
        Which stage to draw, ``0 <= index < len(stages)``.
    ax : Axes, optional
        Draw here instead of in a new 5 x 4 inch figure.

    Returns
    -------
    Figure

    Examples
    --------
    >>> from chapter2.transforms import tangled_classes, uncrumple
    >>> points, labels = tangled_classes(n=60, seed=0)
    >>> plot_stage(uncrumple(points), labels, 0).axes[0].get_title()
    'step 0: crumpled input'
    """
    if not 0 <= index < len(stages):
        raise InputValueError(f"index must be between 0 and {len(stages) - 1}, got {index}")
    caption, points = stages[index]
    labels = as_numeric_array(labels, "labels")
    if labels.shape != (len(points),):
        raise InputValueError(f"labels must have shape ({len(points)},), got {labels.shape}")
    own_figure = ax is None
    if own_figure:
        _, ax = plt.subplots(figsize=(5, 4))
    for cls, (color, marker) in enumerate(zip(style.CLASS_COLOURS, style.CLASS_MARKERS)):
        chosen = points[labels == cls]
        ax.scatter(chosen[:, 0], chosen[:, 1], s=8, color=color, marker=marker, label=f"class {cls}")
    if index == len(stages) - 1:
        ax.axhline(0.0, color=style.BLACK, lw=1, ls="--", label="separating line")
    ax.set_title(f"step {index}: {caption}")
    ax.set_xlabel("coordinate 1")
    ax.set_ylabel("coordinate 2")
    # below the panel, under its x label, so it covers no point
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, fontsize=7)
    if own_figure:
        ax.figure.tight_layout()
    return ax.figure


def plot_uncrumpling(stages: Sequence[tuple[str, np.ndarray]], labels: np.ndarray) -> Figure:
    """All stages of ``uncrumple`` side by side, in reading order (up to six).

    Returns
    -------
    Figure, 12 x 7 inches

    Examples
    --------
    >>> from chapter2.transforms import tangled_classes, uncrumple
    >>> points, labels = tangled_classes(n=60, seed=0)
    >>> len(plot_uncrumpling(uncrumple(points), labels).axes)
    6
    """
    if not 1 <= len(stages) <= 6:
        raise InputValueError(f"plot_uncrumpling draws 1 to 6 stages, got {len(stages)}")
    fig, axes = plt.subplots(2, 3, figsize=(12, 7))
    for index, ax in enumerate(axes.flat):
        if index < len(stages):
            plot_stage(stages, labels, index, ax=ax)
        else:
            ax.set_visible(False)
    fig.suptitle("uncrumpling two classes with affine maps and relu folds")
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------
# Drawing helpers
# --------------------------------------------------------------------------

def _draw_scene(ax: Axes, move) -> None:
    """Grid lines, the letter F and the two unit vectors, all passed through ``move``."""
    t = np.linspace(-2.0, 2.0, 81)
    for k in np.arange(-2.0, 2.5, 0.5):
        for line in (np.column_stack([t, np.full_like(t, k)]), np.column_stack([np.full_like(t, k), t])):
            ax.plot(*move(line).T, color=style.GRID, lw=0.8)
    ax.plot(*move(_LETTER_F).T, color=style.REDDISH_PURPLE, lw=2.5, label="letter F")
    origin = move(np.zeros((1, 2)))[0]
    # e1 is named beyond its head; e2 beside its middle, on the side away from the F.
    away_from_f = move(np.array([[1.0, 0.5]]))[0]
    for unit, color, name, side in ((np.array([1.0, 0.0]), style.BLUE, "e1", None),
                                    (np.array([0.0, 1.0]), style.ORANGE, "e2", away_from_f)):
        _arrow(ax, origin, move(unit[None, :])[0], color, f"image of {name}", tip=name, side=side)


def _arrow(ax: Axes, start: np.ndarray, end: np.ndarray, color: str, label: str | None,
           faint: bool = False, tip: str | None = None, side: np.ndarray | None = None,
           drawn_label: str | None = None) -> None:
    """An arrow from ``start`` to ``end``, named ``tip`` just beyond its head.

    With ``side`` (a point), the name goes at the arrow's middle instead, on
    the side away from ``side``: for an arrow whose head another arrow shares.
    ``label`` adds a legend entry; ``drawn_label`` labels the drawn arrow
    itself (a patch, so the figure's description lists it, and it stays out
    of a legend given explicit handles).
    """
    arrowprops = dict(arrowstyle="-|>", color=color, lw=2, alpha=0.35 if faint else 1.0,
                      linestyle="--" if faint else "-")
    if drawn_label is None:
        ax.annotate("", xy=end, xytext=start, arrowprops=arrowprops)
    else:
        # The same arrow annotate draws (its head scaled by the font size, above the lines).
        ax.add_patch(FancyArrowPatch(tuple(start), tuple(end), label=drawn_label, zorder=3,
                                     mutation_scale=FontProperties().get_size_in_points(), **arrowprops))
    if tip is not None:
        # The arrow's name, so the arrows are told apart without their colours.
        _name(ax, tip, start, end, color, side)
    if label is not None:
        ax.plot([], [], color=color, lw=2, label=label)  # legend entry for the arrow


def _name(ax: Axes, text: str, start: np.ndarray, end: np.ndarray, color: str,
          side: np.ndarray | None) -> None:
    direction = np.asarray(end, dtype=float) - np.asarray(start, dtype=float)
    direction /= max(float(np.hypot(*direction)), 1e-12)
    if side is None:
        # Beyond the head, along the arrow: never on the head itself, whichever way it points.
        at, away = end, direction
    else:
        at = (np.asarray(start) + np.asarray(end)) / 2
        normal = np.array([-direction[1], direction[0]])
        away = normal if np.dot(at - np.asarray(side), normal) >= 0 else -normal
    ax.annotate(text, at, textcoords="offset points", xytext=tuple(7 * away), fontsize=9, color=color,
                ha="left" if away[0] > 0.3 else "right" if away[0] < -0.3 else "center",
                va="bottom" if away[1] > 0.3 else "top" if away[1] < -0.3 else "center")


def _frame(ax: Axes, lim: float, title: str) -> None:
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.axhline(0.0, color=style.BLACK, lw=0.6)
    ax.axvline(0.0, color=style.BLACK, lw=0.6)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title)


def _vector(v: Sequence[float], name: str) -> np.ndarray:
    array = as_numeric_array(v, name, finite=True, dtype=np.float64)
    if array.shape != (2,):
        raise InputValueError(f"{name} must be a 2-D vector of shape (2,), got shape {array.shape}")
    return array


def _fmt(v: np.ndarray) -> str:
    return f"({v[0]:g}, {v[1]:g})"


__all__ = ["plot_vectors", "plot_vector_sum", "plot_transform", "plot_relu_plane",
           "plot_stage", "plot_uncrumpling"]
