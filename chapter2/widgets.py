"""Interactive figures that also work where no widget frontend runs.

The pattern, and why: when a notebook is executed headless (nbconvert, nbval),
anything drawn *inside* a widget's output area is stored in the widget's state,
while a fresh run emits it as ordinary cell output, so the two never match.
Drawing the first picture as an ordinary display output, and later replacing
that same output through its display handle, gives identical stored and re-run
outputs, and in JupyterLab the picture is redrawn in place as controls move.

Usage in a notebook cell::

    import ipywidgets as w
    from chapter2.widgets import LiveFigure

    def draw(angle):
        fig, ax = plt.subplots(figsize=(4, 4))
        ...                                   # plot something that depends on angle
        return fig

    LiveFigure(draw, angle=w.FloatSlider(value=30, min=0, max=360, description="angle"))

Where no frontend runs, the cell shows the figure for the controls' initial
values and a text line describing the controls.
"""

from __future__ import annotations

from typing import Any, Callable

import ipywidgets
import matplotlib.pyplot as plt
from IPython.display import Pretty, display
from matplotlib.figure import Figure

from .errors import InputTypeError

#: Called with every :class:`LiveFigure` right after it is displayed, when not ``None``.
#: The web edition's build (``tools/site_frames.py``) sets it in a kernel of its own to
#: draw each figure a static page needs for the controls' values; notebooks never set it,
#: and it changes nothing that is displayed.
display_hook: Callable[["LiveFigure"], None] | None = None

class LiveFigure:
    """A figure (or a text) redrawn whenever one of its controls changes.

    Parameters
    ----------
    draw : callable
        Called as ``draw(**values)`` with the current value of every control;
        returns a matplotlib ``Figure`` or a ``str``. Keep figure sizes fixed:
        the text form of a figure (``<Figure size 400x300 with 1 Axes>``) is
        part of what nbval compares.
    layout : {"vertical", "horizontal"}
        How the controls are arranged.
    **controls : ipywidgets.ValueWidget
        The controls, by the name of the ``draw`` argument each one feeds.

    Attributes
    ----------
    controls : dict of str to widget
    renders : int
        How many times ``draw`` has been called (tests use it).
    """

    def __init__(self, draw: Callable[..., Figure | str], layout: str = "vertical",
                 **controls: ipywidgets.ValueWidget) -> None:
        if not callable(draw):
            raise InputTypeError(f"draw must be a function returning a Figure or str, got {type(draw).__name__}")
        for name, control in controls.items():
            if not isinstance(control, ipywidgets.ValueWidget):
                raise InputTypeError(
                    f"control {name!r} must be an ipywidgets value widget (a slider, dropdown, ...), "
                    f"got {type(control).__name__}")
        self.draw = draw
        self.controls = dict(controls)
        self.renders = 0
        self._handle = None
        box = ipywidgets.HBox if layout == "horizontal" else ipywidgets.VBox
        self.box = box(list(self.controls.values()))

    def values(self) -> dict[str, Any]:
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def render(self) -> Figure | str:
        """Call ``draw`` with the current values and return what it made."""
        self.renders += 1
        return self.draw(**self.values())

    def _ipython_display_(self) -> None:
        self._handle = display(_displayable(self.render()), display_id=True)
        display(self.box)
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        if display_hook is not None:
            display_hook(self)

    def _on_change(self, _change: dict) -> None:
        shown = _displayable(self.render())
        if self._handle is not None:
            self._handle.update(shown)


def _displayable(made: Figure | str) -> Any:
    """Turn what ``draw`` returned into something ``display`` shows once."""
    if isinstance(made, Figure):
        # The figure is shown through the display handle; closing it stops the
        # inline backend from drawing it a second time at the end of the cell.
        plt.close(made)
        return made
    if isinstance(made, str):
        return Pretty(made)
    raise InputTypeError(f"draw must return a matplotlib Figure or a str, got {type(made).__name__}")


__all__ = ["LiveFigure"]
