"""Write exercise cells into the instructor notebooks (a tool for authors).

Exercise cells carry the tag ``chapter2-exercise`` so that appending again
replaces them instead of adding a second copy, and so that tests can find
the exercise section of a notebook and run it on its own.

Examples
--------
>>> cells = [markdown_cell("## Exercises"),
...          solution_cell("def f(x):\\n    ### BEGIN SOLUTION\\n    return x\\n    ### END SOLUTION", "f"),
...          check_cell("check_f(f)", "f-check", points=1)]
>>> [c.metadata["nbgrader"]["grade"] for c in cells[1:]]
[False, True]
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Sequence

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell

EXERCISE_TAG = "chapter2-exercise"


def markdown_cell(text: str) -> nbformat.NotebookNode:
    """A prose cell of the exercise section."""
    return _tagged(new_markdown_cell(text))


def code_cell(source: str) -> nbformat.NotebookNode:
    """An ordinary code cell of the exercise section (imports, data for the exercises)."""
    return _tagged(new_code_cell(source))


def solution_cell(source: str, grade_id: str, hint: str | None = None) -> nbformat.NotebookNode:
    """A cell the student edits; its solution sits between BEGIN/END SOLUTION markers.

    The cell's source starts folded in JupyterLab (``jupyter.source_hidden``), so
    that a self-learner does not read the solution before trying; the student
    versions made by ``chapter2 assignments`` unfold it.
    """
    cell = _tagged(new_code_cell(source))
    cell.metadata["jupyter"] = {"source_hidden": True}
    cell.metadata["nbgrader"] = {"grade": False, "solution": True, "locked": False,
                                 "grade_id": grade_id, "schema_version": 3}
    if hint:
        cell.metadata["chapter2_hint"] = hint
    return cell


def check_cell(source: str, grade_id: str, points: int) -> nbformat.NotebookNode:
    """A locked, graded cell that calls an exercise check."""
    cell = _tagged(new_code_cell(source))
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
                                 "points": points, "grade_id": grade_id, "schema_version": 3}
    return cell


def exercise_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """The cells of a notebook's exercise section, in order."""
    return [c for c in nb.cells if EXERCISE_TAG in c.metadata.get("tags", [])]


def append_exercises(path: Path | str, cells: Sequence[nbformat.NotebookNode]) -> None:
    """Replace the notebook's exercise section by ``cells``, placed at its end."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    old = [c for c in nb.cells if EXERCISE_TAG in c.metadata.get("tags", [])]
    nb.cells = [c for c in nb.cells if EXERCISE_TAG not in c.metadata.get("tags", [])]
    cells = [copy.deepcopy(c) for c in cells]
    # Keep the ids of the cells being replaced, position by position, so that regenerating an
    # exercise section changes only what was edited (and claims that name a cell still find it).
    for new, previous in zip(cells, old):
        if new.cell_type == previous.cell_type and "id" in previous:
            new["id"] = previous["id"]
    nb.cells.extend(cells)
    nbformat.validate(nb)
    nbformat.write(nb, path)


def _tagged(cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    cell.metadata["tags"] = [EXERCISE_TAG]
    return cell
