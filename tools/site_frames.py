"""Draw, inside a notebook's kernel, every frame a static page needs for each LiveFigure.

The web edition (``tools/build_site.py``) runs each notebook that holds widgets in a
fresh kernel whose first cell calls :func:`install`. From then on every
:class:`chapter2.widgets.LiveFigure` the notebook displays is handed to
:func:`record`, which lists the finite set of values each control can take (a
slider's range by its step, a dropdown's options, a checkbox's two states),
picks the combinations to draw within a budget, calls the widget's own ``draw``
function for each one (the same function the notebook calls when a control
moves) and writes the PNG (or the text) of each, with a ``manifest.json`` that
says which file belongs to which control values.

A widget with a control that takes free input (a text box) cannot be listed;
its manifest says so and holds no frames, and the page keeps the stored figure
with a note to run the notebook in JupyterLab.

This module runs inside the kernel and imports only what the notebooks
already import (matplotlib, ipywidgets, IPython, NumPy).
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ipywidgets
import matplotlib.pyplot as plt
from IPython.core.pylabtools import print_figure
from matplotlib.figure import Figure

# Inline figures are PNGs at the figure's own size; the frames use the same call
# the inline backend uses, so a frame looks like the stored figure it replaces.
FRAME_FORMAT = "png"
# A grid of all combinations is used only when each control then moves through at
# least this many positions; otherwise the controls move one at a time (see design).
MIN_GRID_POSITIONS = 4


@dataclass
class Control:
    """One control's values as the static page offers them.

    Attributes
    ----------
    name : str
        The ``draw`` argument it feeds.
    description : str
        The label shown next to it in JupyterLab.
    kind : {"range", "select", "checkbox"}
        The HTML control that stands in for it.
    values : list
        Every value it can take, in order.
    labels : list of str
        How each value is shown.
    initial : int
        Index in ``values`` of the value the notebook starts with.
    chosen : list of int
        Indices of the values the page draws (all of them when within budget).
    """

    name: str
    description: str
    kind: str
    values: list
    labels: list[str]
    initial: int
    chosen: list[int] = field(default_factory=list)


class NotListable(Exception):
    """A control whose values cannot be listed in advance (a free text box)."""


def _slider_values(control: ipywidgets.ValueWidget) -> tuple[list, list[str]]:
    steps = int(round((control.max - control.min) / control.step))
    is_int = isinstance(control, ipywidgets.IntSlider)
    values = [control.min + i * control.step for i in range(steps + 1)]
    # Round away float noise (0.1 * 3 = 0.30000000000000004) at the step's precision.
    digits = max(0, -int(math.floor(math.log10(control.step)))) + 2 if not is_int else 0
    values = [int(v) if is_int else round(v, digits) for v in values]
    fmt = getattr(control, "readout_format", "d" if is_int else ".2f")
    return values, [format(v, fmt) for v in values]


def _range_values(control: ipywidgets.ValueWidget) -> tuple[list, list[str]]:
    ends, labels = _slider_values(control)
    pairs = [(lo, hi) for i, lo in enumerate(ends) for hi in ends[i:]]
    label = dict(zip(ends, labels))
    return pairs, [f"{label[lo]} to {label[hi]}" for lo, hi in pairs]


def describe_control(name: str, control: ipywidgets.ValueWidget) -> Control:
    """The values a control can take, and the HTML control that stands in for it.

    Raises
    ------
    NotListable
        When the control takes free input.
    """
    description = control.description or name
    if isinstance(control, (ipywidgets.IntRangeSlider, ipywidgets.FloatRangeSlider)):
        values, labels = _range_values(control)
        kind = "select"
    elif isinstance(control, (ipywidgets.IntSlider, ipywidgets.FloatSlider)):
        values, labels = _slider_values(control)
        kind = "range"
    elif isinstance(control, ipywidgets.widgets.widget_selection._Selection):
        values, labels = list(control._options_values), [str(x) for x in control._options_labels]
        kind = "range" if isinstance(control, ipywidgets.SelectionSlider) else "select"
    elif isinstance(control, (ipywidgets.Checkbox, ipywidgets.ToggleButton)):
        values, labels, kind = [False, True], ["off", "on"], "checkbox"
    elif isinstance(control, (ipywidgets.Text, ipywidgets.Textarea)):
        raise NotListable(f"{description!r} is a {type(control).__name__}, which takes free input")
    else:
        raise NotListable(f"{description!r} is a {type(control).__name__}, whose values are not listed here")
    initial = _index_of(values, control.value)
    return Control(name, description, kind, values, labels, initial)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _index_of(values: list, value: Any) -> int:
    # An exact match first: a menu may mix numbers with None or text (an ``axis`` menu of 0, 1, None).
    exact = [i for i, v in enumerate(values) if type(v) is type(value) and v == value]
    if exact:
        return exact[0]
    numbers = [i for i, v in enumerate(values) if _is_number(v)]
    if _is_number(value) and numbers:
        return min(numbers, key=lambda i: abs(values[i] - value))
    if isinstance(value, tuple) and values and isinstance(values[0], tuple):
        return min(range(len(values)), key=lambda i: sum(abs(a - b) for a, b in zip(values[i], value)))
    return values.index(value)


def allocate(sizes: list[int], budget: int) -> list[int]:
    """How many values of each control a grid of all combinations can hold within budget.

    First every control that has two values or more gets two (smallest controls
    first, so a checkbox or a two-way toggle always moves), then one more value
    at a time goes to the control that shows the smallest share of its range.

    >>> allocate([5, 3], 100)
    [5, 3]
    >>> allocate([2, 100], 48)
    [2, 24]
    >>> allocate([97, 150], 64)
    [6, 10]
    """
    counts = [1] * len(sizes)
    for i in sorted(range(len(sizes)), key=lambda j: sizes[j]):
        if sizes[i] >= 2 and math.prod(counts) * 2 <= budget:
            counts[i] = 2
    while True:
        open_ = [i for i, n in enumerate(sizes) if counts[i] < n
                 and math.prod(counts) // counts[i] * (counts[i] + 1) <= budget]
        if not open_:
            return counts
        i = min(open_, key=lambda j: (counts[j] / sizes[j], counts[j]))
        counts[i] += 1


def allocate_star(sizes: list[int], budget: int) -> list[int]:
    """How many values of each control to draw when one control moves at a time.

    The frames are the start values plus, for each control, its other chosen
    values with every other control at its start: ``1 + sum(k - 1)`` frames.

    >>> allocate_star([73, 41, 41, 41, 41, 2], 64)
    [14, 14, 13, 13, 13, 2]
    """
    counts = [1] * len(sizes)
    while True:
        open_ = [i for i, n in enumerate(sizes) if counts[i] < n]
        if not open_ or 1 + sum(k - 1 for k in counts) >= budget:
            return counts
        i = min(open_, key=lambda j: (counts[j], -sizes[j]))
        counts[i] += 1


def design(sizes: list[int], budget: int, min_positions: int = MIN_GRID_POSITIONS) -> tuple[str, list[int]]:
    """Choose between all combinations of a few values each and one control at a time.

    A grid is used when it lets every control take at least ``min_positions``
    values (or all of them); otherwise moving the controls one at a time gives
    each of them many more positions within the same budget.

    >>> design([4, 4], 64)
    ('grid', [4, 4])
    >>> design([73, 41, 41, 41, 41, 2], 64)[0]
    'star'
    """
    grid = allocate(sizes, budget)
    if all(k >= min(n, min_positions) for k, n in zip(grid, sizes)):
        return "grid", grid
    return "star", allocate_star(sizes, budget)


def spread(n: int, k: int, initial: int) -> list[int]:
    """``k`` indices of ``range(n)`` spread evenly, always holding ``initial``.

    >>> spread(5, 5, 2)
    [0, 1, 2, 3, 4]
    >>> spread(97, 3, 68)
    [0, 68, 96]
    >>> spread(10, 1, 4)
    [4]
    """
    if k >= n:
        return list(range(n))
    if k == 1:
        return [initial]
    chosen = sorted({round(i * (n - 1) / (k - 1)) for i in range(k)})
    if initial not in chosen:
        nearest = min(chosen, key=lambda i: abs(i - initial))
        chosen[chosen.index(nearest)] = initial
    return sorted(set(chosen))


class Recorder:
    """Draws the frames of each LiveFigure displayed in this kernel.

    Parameters
    ----------
    outdir : pathlib.Path
        One folder per widget is made inside it, named ``<notebook>-<k>``.
    budget : int
        The most frames drawn per widget.
    notebook : str
        The notebook's stem, used in folder names.
    """

    def __init__(self, outdir: Path, budget: int, notebook: str) -> None:
        self.outdir = Path(outdir)
        self.budget = budget
        self.notebook = notebook
        self.count = 0

    def __call__(self, live) -> None:
        folder = self.outdir / f"{self.notebook}-{self.count}"
        self.count += 1
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        manifest = self._manifest(live, folder)
        manifest["seconds"] = round(time.perf_counter() - started, 2)
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")

    def _manifest(self, live, folder: Path) -> dict[str, Any]:
        base = {"notebook": self.notebook, "widget": self.count - 1,
                "draw": getattr(live.draw, "__name__", type(live.draw).__name__)}
        try:
            controls = [describe_control(name, c) for name, c in live.controls.items()]
        except NotListable as reason:
            values = {name: str(c.value) for name, c in live.controls.items()}
            return {**base, "listable": False, "reason": str(reason), "values": values}
        layout, counts = design([len(c.values) for c in controls], self.budget)
        for control, k in zip(controls, counts):
            control.chosen = spread(len(control.values), k, control.initial)
        self.start_layout = None
        frames = self._draw_all(live, controls, folder, layout)
        return {**base, "listable": True, "design": layout, "start_layout": self.start_layout,
                "total": math.prod(len(c.values) for c in controls),
                "drawn": len(frames),
                "controls": [_control_json(c) for c in controls],
                "frames": frames}

    def _draw_all(self, live, controls: list[Control], folder: Path, layout: str) -> dict[str, Any]:
        frames: dict[str, Any] = {}
        combos = _product([c.chosen for c in controls]) if layout == "grid" else _star(controls)
        start = tuple(c.initial for c in controls)
        combos = [start] + [c for c in combos if c != start]   # the start values first
        for combo in combos:
            key = "-".join(str(i) for i in combo)
            values = {c.name: c.values[i] for c, i in zip(controls, combo)}
            made = live.draw(**values)
            if combo == combos[0] and isinstance(made, Figure):
                self.start_layout = layout_of(made)
            frames[key] = _save(made, folder, f"f{len(frames)}")
        return frames


def layout_of(fig: Figure) -> list[list[str]]:
    """Each axes' x and y labels: what a figure drawn for the start values shares with the stored one.

    Titles are left out: some hold numbers that depend on training (01's predicted
    probability), which may differ in the last digit from one machine to another.
    """
    from chapter2.plotting.describe import describe_figure

    return [[axes["xlabel"], axes["ylabel"]] for axes in describe_figure(fig)["axes"]]


def _product(lists: list[list[int]]) -> list[tuple[int, ...]]:
    combos: list[tuple[int, ...]] = [()]
    for options in lists:
        combos = [c + (i,) for c in combos for i in options]
    return combos


def _star(controls: list[Control]) -> list[tuple[int, ...]]:
    start = tuple(c.initial for c in controls)
    combos = [start]
    for position, control in enumerate(controls):
        combos += [start[:position] + (i,) + start[position + 1:] for i in control.chosen if i != control.initial]
    return combos


def _save(made: Figure | str, folder: Path, stem: str) -> dict[str, str]:
    if isinstance(made, str):
        return {"text": made}
    if not isinstance(made, Figure):
        raise TypeError(f"draw returned a {type(made).__name__}, not a Figure or str")
    data = print_figure(made, FRAME_FORMAT, bbox_inches="tight")
    plt.close(made)
    name = f"{stem}.{FRAME_FORMAT}"
    (folder / name).write_bytes(data)
    return {"src": name}


def _control_json(control: Control) -> dict[str, Any]:
    return {"name": control.name, "description": control.description, "kind": control.kind,
            "labels": [control.labels[i] for i in control.chosen],
            "indices": control.chosen, "initial": control.chosen.index(control.initial),
            "total": len(control.values)}


def install(outdir: str, budget: int, notebook: str) -> Recorder:
    """Make every LiveFigure displayed from now on in this kernel record its frames."""
    from chapter2 import widgets

    recorder = Recorder(Path(outdir), budget, notebook)
    widgets.display_hook = recorder
    return recorder
