"""The stored notebooks: run cleanly top to bottom, and built the way the collection promises.

nbval (run by the same test command) re-executes every notebook and compares
outputs, which catches stale outputs; these checks catch what it cannot: a
stored error, a code cell never run, cells run out of order, and a notebook
missing its figure, widget, recap or exercises.
"""

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def _cells(path, kind):
    return [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == kind]


def _mimetypes(path):
    return {m for c in _cells(path, "code") for o in c.get("outputs", []) for m in o.get("data", {})}


def test_there_are_nine_notebooks_in_chapter_order():
    assert [p.name[:2] for p in NOTEBOOKS] == [f"{i:02d}" for i in range(1, 10)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_code_cell_ran_once_in_order_without_errors(path):
    code = [c for c in _cells(path, "code") if "".join(c["source"]).strip()]
    counts = [c["execution_count"] for c in code]
    assert None not in counts, f"{path.name}: unexecuted code cells"
    assert counts == list(range(1, len(code) + 1)), f"{path.name}: cells were not run top to bottom once"
    errors = [o for c in code for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert not errors, f"{path.name}: stored error output {errors[0].get('ename')}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_has_a_figure_a_widget_a_recap_and_exercises(path):
    assert json.loads(path.read_text())["metadata"]["kernelspec"]["name"] == "python3"
    mimetypes = _mimetypes(path)
    assert "image/png" in mimetypes, f"{path.name}: no figure"
    assert "application/vnd.jupyter.widget-view+json" in mimetypes, f"{path.name}: no widget"
    headings = [line for c in _cells(path, "markdown") for line in "".join(c["source"]).splitlines()
                if line.startswith("#")]
    assert any("recap" in h.lower() for h in headings), f"{path.name}: no Recap section"
    graded = [c for c in _cells(path, "code") if c["metadata"].get("nbgrader", {}).get("grade")]
    assert 2 <= len(graded) <= 4, f"{path.name}: {len(graded)} graded exercises, expected 2-4"
