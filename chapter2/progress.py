"""The progress line ``fit`` and ``evaluate`` print, in Keras's format.

``verbose=1`` draws a live bar that rewrites itself (``\\r``) in a terminal and
in a notebook; ``verbose=2`` prints one finished line per epoch; ``verbose=0``
prints nothing. In a notebook the bar is redrawn after a fixed number of steps
(not after a fixed time) so that a re-run prints the same lines, apart from the
timings.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

BAR_WIDTH = 20
NOTEBOOK_REDRAWS = 10        # redraws per epoch where output is stored (notebooks)
TERMINAL_INTERVAL = 0.05     # seconds between redraws in a terminal


class ProgressBar:
    """Shows the progress of one pass over the data.

    Parameters
    ----------
    steps : int
        Number of batches in the pass.
    verbose : {0, 1, 2}
    stream : text stream, default ``sys.stdout``

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> bar = ProgressBar(2, verbose=2, stream=out)
    >>> bar.update(1, {"loss": 0.5}); bar.finish({"loss": 0.25})
    >>> out.getvalue().split(" - ")[-1]
    'loss: 0.2500\\n'
    """

    def __init__(self, steps: int, verbose: int = 1, stream: TextIO | None = None) -> None:
        self.steps = max(int(steps), 1)
        self.verbose = verbose
        self.stream = stream if stream is not None else sys.stdout
        self.start = time.perf_counter()
        self._terminal = _is_terminal(self.stream)
        self._live = verbose == 1 and (self._terminal or _in_notebook())
        self._last_draw = 0.0
        self._every = max(self.steps // NOTEBOOK_REDRAWS, 1)

    def update(self, step: int, values: dict[str, float]) -> None:
        """Called after batch ``step`` (1-based) with the running averages so far."""
        if not self._live or step >= self.steps:
            return
        now = time.perf_counter()
        if self._terminal:
            if now - self._last_draw < TERMINAL_INTERVAL:
                return
        elif step % self._every:
            return
        self._last_draw = now
        self._write("\r" + self._line(step, values, now, final=False))

    def finish(self, values: dict[str, float]) -> None:
        """Print the completed line for the pass."""
        if self.verbose == 0:
            return
        now = time.perf_counter()
        prefix = "\r" if self._live else ""
        self._write(prefix + self._line(self.steps, values, now, final=True) + "\n")

    def _line(self, step: int, values: dict[str, float], now: float, final: bool) -> str:
        elapsed = now - self.start
        metrics = "".join(f" - {name}: {value:.4f}" for name, value in sorted(values.items()))
        counter = f"{step:>{len(str(self.steps))}}/{self.steps}"
        if self.verbose == 2:
            return f"{counter} - {elapsed:.0f}s - {_per_step(elapsed / step)}{metrics}"
        filled = BAR_WIDTH if final else BAR_WIDTH * step // self.steps
        bar = "━" * filled + "─" * (BAR_WIDTH - filled)
        if final:
            timing = f"{elapsed:.0f}s {_per_step(elapsed / step)}"
        else:
            timing = f"{elapsed / step * (self.steps - step):.0f}s left"
        return f"{counter} {bar} {timing}{metrics}"

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()


def _per_step(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.0f}s/step"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/step"
    return f"{seconds * 1e6:.0f}us/step"


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _in_notebook() -> bool:
    """True when running inside a Jupyter kernel (its stdout is not a terminal)."""
    return "ipykernel" in sys.modules and type(sys.stdout).__name__ == "OutStream"


__all__ = ["ProgressBar"]
