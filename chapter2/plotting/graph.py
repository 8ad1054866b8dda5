"""Pictures of an autodiff computation graph, and a slider that steps through its backward pass.

Introduced in notebook 08 (section 2.4.4). The graphs themselves are
``chapter2.autodiff.Tensor`` objects; ``chapter2.autodiff`` stays pure NumPy
and everything drawn lives here.

Values are rounded boxes (label, value, gradient); operations are small dark
boxes between a value and its inputs; arrows show the forward flow of data.
The backward pass walks the same arrows against their direction:
``draw_backward_step`` draws the graph as it was after one step recorded by
``chapter2.autodiff.backward_snapshots``, and ``backward_stepper`` puts those
pictures behind a slider.
"""

from __future__ import annotations

from typing import Mapping

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from ..autodiff.snapshots import Snapshot, backward_snapshots
from ..autodiff.tensor import Tensor
from ..errors import InputTypeError
from ..widgets import LiveFigure
from . import style

_COLUMN = 2.7          # horizontal distance between two value columns
_ROW = 1.25            # smallest vertical distance between two boxes in a column
_VALUE_BOX = (1.8, 1.0)
_OP_BOX = (0.6, 0.45)
# Box fills; a box whose gradient is known also says so in words ("grad ..."),
# and the current one has a thicker edge, so no meaning rests on colour alone.
_COLORS = {"leaf": style.KEPT, "constant": style.PALE_GREY, "inner": style.WHITE,
           "known": style.PAIRED, "current": style.ORANGE, "op": style.REFERENCE}


def draw_graph(root: Tensor, ax: Axes | None = None, highlight: Tensor | None = None,
               title: str | None = None, figsize: tuple[float, float] = (11.0, 4.5)) -> Figure:
    """Draw the computation graph that produced ``root``.

    Parameters
    ----------
    root : Tensor
        The output; every tensor it depends on is drawn.
    ax : matplotlib Axes, optional
        Where to draw; a new figure of size ``figsize`` is made if omitted.
    highlight : Tensor, optional
        A node to colour orange (the stepping widget marks the current node so).
    title : str, optional
        Axes title; a default one is used if omitted.

    Returns
    -------
    matplotlib Figure

    Examples
    --------
    >>> from chapter2.autodiff import Tensor
    >>> a, b = Tensor(2.0, label="a"), Tensor(3.0, label="b")
    >>> c = a * b
    >>> c.label = "c"
    >>> c.backward()
    >>> fig = draw_graph(c)
    """
    if not isinstance(root, Tensor):
        raise InputTypeError(f"root must be a Tensor, got {type(root).__name__}")
    grads = {id(node): node.grad for node in root.topological_order()}
    return _draw(root, grads, highlight, title, ax, figsize)


def _draw(root: Tensor, grads: Mapping[int, np.ndarray | None], highlight: Tensor | None,
          title: str | None, ax: Axes | None, figsize: tuple[float, float],
          highlight_op: bool = True) -> Figure:
    """Draw with gradients taken from ``grads`` (id of node -> gradient or None).

    ``highlight_op`` also colours the operation that made ``highlight``.
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.1, top=0.9)
    order = root.topological_order()
    value_xy = _layout(order, root)
    # Size the text for the longest line any box can show (its gradient has its data's shape),
    # so the stepper's font stays the same from step to step.
    longest = max(len(line) for node in order for line in _box_lines(node, node.data))
    font = _fit_axes(ax, value_xy, longest)
    for node in order:
        x, y = value_xy[id(node)]
        _value_box(ax, x, y, node, grads.get(id(node)), node is highlight, font)
        if node.op:
            op_x = x - _COLUMN / 2
            _op_box(ax, op_x, y, node.op, font, highlight_op and node is highlight)
            _arrow(ax, (op_x + _OP_BOX[0] / 2, y), (x - _VALUE_BOX[0] / 2, y))
            for parent in node.parents:
                px, py = value_xy[id(parent)]
                _arrow(ax, (px + _VALUE_BOX[0] / 2, py), (op_x - _OP_BOX[0] / 2, y))
    ax.set_title(title if title is not None else "Computation graph (value boxes show data and grad)")
    return ax.figure


def draw_backward_step(root: Tensor, snapshots: list[Snapshot], step: int,
                       figsize: tuple[float, float] = (11.0, 4.5)) -> Figure:
    """Draw the graph of ``root`` as it was after ``snapshots[step]``.

    Examples
    --------
    >>> from chapter2.autodiff import Tensor, backward_snapshots
    >>> x = Tensor(2.0, label="x")
    >>> y = x * x
    >>> snapshots = backward_snapshots(y)
    >>> draw_backward_step(y, snapshots, 1).axes[0].get_title()
    "Backward pass, step 1 of 1: backprop through '*': the gradient of the '*' output goes to x, x"
    """
    snapshot = snapshots[step]
    title = f"Backward pass, step {step} of {len(snapshots) - 1}: {snapshot.text}"
    return _draw(root, snapshot.grads, snapshot.node, title, None, figsize, highlight_op=step > 0)


def backward_stepper(root: Tensor, figsize: tuple[float, float] = (11.0, 4.5)) -> LiveFigure:
    """A slider that walks through the backward pass of ``root`` one node at a time.

    The operation that just ran and its output are orange; green boxes
    already hold (part of) their gradient; ``grad ?`` marks gradients not
    reached yet. Runs the backward pass of ``root`` (see
    :func:`chapter2.autodiff.backward_snapshots`).

    Returns
    -------
    chapter2.widgets.LiveFigure
        Make it the last expression of a notebook cell to show it.

    Examples
    --------
    >>> from chapter2.autodiff import Tensor
    >>> w = Tensor(3.0, label="w")
    >>> stepper = backward_stepper((w * w).exp())
    >>> stepper.controls["step"].max
    2
    """
    snapshots = backward_snapshots(root)
    slider = ipywidgets.IntSlider(value=0, min=0, max=len(snapshots) - 1, description="step",
                                  continuous_update=False)

    def draw(step: int) -> Figure:
        return draw_backward_step(root, snapshots, step, figsize)
    return LiveFigure(draw, step=slider)


def _fit_axes(ax: Axes, value_xy: Mapping[int, tuple[float, float]], longest: int) -> float:
    """Set limits around the boxes; return a font size at which ``longest`` characters fit a box."""
    xs = [x for x, _ in value_xy.values()]
    ys = [y for _, y in value_xy.values()]
    ax.set_xlim(min(xs) - _VALUE_BOX[0] / 2 - 0.1, max(xs) + _VALUE_BOX[0] / 2 + 0.1)
    ax.set_ylim(min(ys) - _VALUE_BOX[1] / 2 - 0.1, max(ys) + _VALUE_BOX[1] / 2 + 0.1)
    ax.set_xlabel("forward pass: data flows left to right; backward pass: gradients flow right to left")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(False)
    box = ax.get_position()
    points_per_x = box.width * ax.figure.get_figwidth() * 72 / np.ptp(ax.get_xlim())
    points_per_y = box.height * ax.figure.get_figheight() * 72 / np.ptp(ax.get_ylim())
    # a character of DejaVu Sans is about 0.6 of the font size wide; keep a character's margin
    # each side, and 3 lines (plus spacing) down the box
    size = min(_VALUE_BOX[0] * points_per_x / (0.6 * longest + 1.2), _VALUE_BOX[1] * points_per_y / 4)
    return float(np.clip(size, 4.5, 10.0))


def _layout(order: list[Tensor], root: Tensor) -> dict[int, tuple[float, float]]:
    """Place each value: columns by depth, rows spread around the node it feeds."""
    depth: dict[int, int] = {}
    for node in order:  # parents come first, so their depth is known
        depth[id(node)] = 1 + max((depth[id(p)] for p in node.parents), default=-1)
    consumers: dict[int, list[Tensor]] = {id(node): [] for node in order}
    for node in order:
        for parent in node.parents:
            consumers[id(parent)].append(node)
    for node in order:  # move a leaf next to its first use, so arrows stay short
        if not node.parents and consumers[id(node)]:
            depth[id(node)] = min(depth[id(c)] for c in consumers[id(node)]) - 1

    wanted_y: dict[int, float] = {id(root): 0.0}
    for node in reversed(order):  # from the output back, parents fan out around their child
        y = wanted_y.setdefault(id(node), 0.0)
        count = len(node.parents)
        for k, parent in enumerate(node.parents):
            wanted_y.setdefault(id(parent), y + (count - 1 - 2 * k) / 2 * _ROW)

    columns: dict[int, list[Tensor]] = {}
    for node in order:
        columns.setdefault(depth[id(node)], []).append(node)
    placed: dict[int, tuple[float, float]] = {}
    for column, nodes in columns.items():
        nodes.sort(key=lambda n: -wanted_y[id(n)])
        previous = np.inf
        for node in nodes:  # top to bottom, pushing down any box that would overlap
            y = min(wanted_y[id(node)], previous - _ROW)
            placed[id(node)] = (column * _COLUMN, y)
            previous = y
    return placed


def _value_box(ax: Axes, x: float, y: float, node: Tensor, grad: np.ndarray | None,
               current: bool, font: float) -> None:
    if current:
        color = _COLORS["current"]
    elif not node.requires_grad:
        color = _COLORS["constant"]
    elif grad is not None:
        color = _COLORS["known"]
    else:
        color = _COLORS["leaf"] if not node.parents else _COLORS["inner"]
    width, height = _VALUE_BOX
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                boxstyle="round,pad=0.02,rounding_size=0.12",
                                facecolor=color, edgecolor=style.BLACK, linewidth=1.6 if current else 0.8))
    ax.text(x, y, "\n".join(_box_lines(node, grad)), ha="center", va="center", fontsize=font)


def _box_lines(node: Tensor, grad: np.ndarray | None) -> list[str]:
    """The lines of text in a value box: its name, its data and, if it needs one, its gradient."""
    lines = [node.label or ("constant" if not node.requires_grad else "")]
    lines.append(f"data {_short(node.data)}")
    if node.requires_grad:
        lines.append(f"grad {'?' if grad is None else _short(grad)}")
    return [line for line in lines if line]


def _op_box(ax: Axes, x: float, y: float, op: str, font: float, current: bool) -> None:
    width, height = _OP_BOX
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                boxstyle="round,pad=0.02,rounding_size=0.15",
                                facecolor=_COLORS["current"] if current else _COLORS["op"],
                                edgecolor=style.BLACK if current else "none"))
    ax.text(x, y, op, ha="center", va="center", fontsize=font * (0.8 if len(op) > 4 else 1.0),
            color=style.BLACK if current else style.WHITE, fontweight="bold")


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float]) -> None:
    ax.annotate("", xy=end, xytext=start,
                arrowprops=dict(arrowstyle="-|>", color=style.GREY, lw=0.9, shrinkA=0, shrinkB=0))


def _short(values: np.ndarray) -> str:
    """A value as it fits in a box: the number(s) if few, else the shape."""
    if values.size == 1:
        return f"{float(values.reshape(-1)[0]):.3g}"
    if values.size <= 3:
        return "[" + ", ".join(f"{v:.2g}" for v in values.reshape(-1)) + "]"
    return "x".join(str(s) for s in values.shape) + " array"


__all__ = ["draw_graph", "draw_backward_step", "backward_stepper"]
