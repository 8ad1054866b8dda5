"""Re-execute notebooks one at a time and store a run only if it was made on a quiet machine.

A stored training log is what a learner reads on GitHub before running anything:
a log made while the machine was busy (141 ms per step instead of about 2)
tells them the engine is slow. This tool executes each notebook in a fresh
kernel, one after another, and writes the result back only when every
training step in every fit log stayed under the bound; otherwise it keeps the
stored notebook and says why.

Usage (from the repository root, with MNIST available)::

    unset MPLBACKEND
    export CHAPTER2_DATA_DIR=/path/to/folder/with/mnist.npz
    python authoring/execute_notebooks.py                         # every notebook, in order
    python authoring/execute_notebooks.py notebooks/01_first_look.ipynb --max-step-ms 30
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
MAX_STEP_MS = 10.0          # the seed network (784-512-10, batch 128): about 2 ms a step on 2 idle cores
STEP_TIME = re.compile(r"(\d+(?:\.\d+)?)(ms|s)/step")


def step_times_ms(nb: nbformat.NotebookNode) -> list[float]:
    """Every per-step time printed by a fit log in the notebook's outputs, in ms.

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
    ...     nbformat.v4.new_output("stream", text="469/469 - 1s - 2ms/step - loss: 0.26\\n")])])
    >>> step_times_ms(nb)
    [2.0]
    """
    times = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            text = output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
            for value, unit in STEP_TIME.findall(text):
                times.append(float(value) * (1000.0 if unit == "s" else 1.0))
    return times


def slow_steps(nb: nbformat.NotebookNode, bound_ms: float = MAX_STEP_MS) -> list[float]:
    """The step times above the bound (empty when the run may be stored)."""
    return [t for t in step_times_ms(nb) if t > bound_ms]


# Recorded with every stored run (notebook metadata "chapter2" -> "executed_with"), so a reader
# of the stored outputs, on GitHub or in the web edition, can see what produced them.
RECORDED_PACKAGES = ("chapter2", "numpy", "matplotlib", "ipywidgets", "ipykernel")


def executed_with() -> dict[str, str]:
    """Python and the versions of the packages that produce the notebooks' outputs.

    They are read in this process: the notebooks run in the ``python3`` kernel,
    which is this interpreter's own when ipykernel is installed beside chapter2
    (as the project's extras install it).

    >>> list(executed_with())[:2]
    ['Python', 'chapter2']
    """
    from importlib import metadata
    from platform import python_version

    found = {"Python": python_version()}
    for name in RECORDED_PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def execute(path: Path, timeout: int) -> nbformat.NotebookNode:
    """Run a notebook top to bottom in a fresh kernel, in its own folder."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def store(path: Path, bound_ms: float, timeout: int) -> bool:
    """Execute one notebook and write it back if its training ran at full speed."""
    started = time.perf_counter()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    nb = execute(path, timeout)
    seconds = time.perf_counter() - started
    slow = slow_steps(nb, bound_ms)
    if slow:
        print(f"NOT STORED {path.name}: {len(slow)} epoch(s) ran slower than {bound_ms:g} ms/step "
              f"(slowest {max(slow):g} ms; load average {load:.2f} before the run). "
              "Run again on an otherwise idle machine.")
        return False
    nb.metadata.setdefault("chapter2", {})["executed_with"] = executed_with()
    nbformat.write(nb, path)
    steps = step_times_ms(nb)
    detail = f", fit logs {min(steps):g}-{max(steps):g} ms/step" if steps else ""
    print(f"stored {path.name} in {seconds:.0f} s{detail}")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to run (default: every notebook in notebooks/, in order)")
    parser.add_argument("--max-step-ms", type=float, default=MAX_STEP_MS,
                        help=f"refuse a run whose fit log shows a slower step (default {MAX_STEP_MS:g})")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds a cell may take")
    args = parser.parse_args(argv)
    if os.environ.get("MPLBACKEND"):
        parser.error("unset MPLBACKEND first: a kernel that inherits it stores no figures")
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    stored = [store(path, args.max_step_ms, args.timeout) for path in paths]
    return 0 if all(stored) else 1


if __name__ == "__main__":
    sys.exit(main())
