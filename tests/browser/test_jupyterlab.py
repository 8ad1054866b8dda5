"""The walkthrough in a real browser: every notebook runs in JupyterLab and its widgets respond.

For each notebook: open it in JupyterLab (headless Chromium), clear its outputs,
Run > Run All Cells, wait until the kernel is idle, save a screenshot to
build/screenshots/, fail on any traceback or cell left unrun, then check that
every stored widget renders and that changing each control redraws its cell.
A last test feeds the same checks a deliberately broken widget, to show that
they can fail.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from labdriver import (NOTEBOOK_DIR, SCREENSHOT_DIR, check_widgets_rendered, exercise_widgets,
                       logged_errors, open_notebook, run_all_cells, run_problems, save_and_read,
                       screenshot, stored_widget_views, wait_until_run)

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted(path.name for path in NOTEBOOK_DIR.glob("*.ipynb"))
RUN_TIMEOUT_S = 480  # per notebook: 01 and 09 train on MNIST, on a machine that may be busy


def test_there_are_notebooks_to_run():
    assert NOTEBOOKS, f"no *.ipynb in {NOTEBOOK_DIR}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_and_widgets_respond(name: str, lab, page) -> None:
    open_notebook(page, lab, name)
    run_all_cells(page)
    try:
        wait_until_run(page, name, RUN_TIMEOUT_S)
        problems = check_widgets_rendered(page, stored_widget_views(NOTEBOOK_DIR / name))
    finally:
        _photograph(page, name)

    failures = run_problems(save_and_read(page, lab, name))
    assert not failures, f"{name} did not run cleanly in JupyterLab:\n" + "\n".join(failures)

    report = exercise_widgets(page, lab, name)
    print("\n".join(report.changed))  # shown by pytest -rP: what was moved
    problems += report.problems
    logged = logged_errors(page)
    if logged:
        problems.append("JupyterLab's log console shows: " + " | ".join(logged))
    assert not problems, f"{name}: widgets broken:\n" + "\n".join(problems)


def _photograph(page, name: str) -> None:
    """Save the screenshot even when the run failed; never hide the real failure."""
    try:
        screenshot(page, SCREENSHOT_DIR / f"{Path(name).stem}.png")
    except Exception as error:  # noqa: BLE001 - a missing picture must not mask the test result
        warnings.warn(f"no screenshot of {name}: {error}", stacklevel=2)


# A widget broken in two ways: its drawing ignores the slider, and redrawing
# for any colour but red raises.
BROKEN_CELLS = [
    "import ipywidgets as widgets\n"
    "import matplotlib.pyplot as plt\n"
    "from chapter2.widgets import LiveFigure",
    "def draw(size, colour):\n"
    "    if colour != 'red':\n"
    "        raise ValueError(f'deliberately broken for colour={colour}')\n"
    "    fig, ax = plt.subplots(figsize=(3, 2))\n"
    "    ax.bar([0], [1.0], color=colour)\n"
    "    ax.set_title('a bar that ignores its slider')\n"
    "    return fig\n"
    "\n"
    "LiveFigure(draw, size=widgets.IntSlider(value=1, min=1, max=3, description='size'),\n"
    "           colour=widgets.Dropdown(options=['red', 'blue'], description='colour'))",
]


def test_a_broken_widget_is_caught(lab, lab_root: Path, page) -> None:
    name = "_selfcheck/broken_widget.ipynb"
    _write_notebook(lab_root / name, BROKEN_CELLS)
    open_notebook(page, lab, name)
    run_all_cells(page)
    wait_until_run(page, name, RUN_TIMEOUT_S)
    assert run_problems(save_and_read(page, lab, name)) == []

    report = exercise_widgets(page, lab, name, timeout=10)

    assert report.changed == []
    assert len(report.problems) == 2, report.problems
    slider, dropdown = report.problems
    assert "slider 'size': moved from '1' to '2' but the cell's figure and text stayed" in slider
    assert "dropdown 'colour': moved from 'red' to 'blue' but" in dropdown
    assert logged_errors(page) == ["ValueError: deliberately broken for colour=blue"]


def _write_notebook(path: Path, sources: list[str]) -> None:
    cells = [{"cell_type": "code", "execution_count": None, "id": f"cell-{i}",
              "metadata": {}, "outputs": [], "source": source}
             for i, source in enumerate(sources)]
    notebook = {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
                "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                            "language": "python"}}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook), encoding="utf-8")
