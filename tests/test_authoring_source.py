"""The exercise sections of the notebooks are exactly what authoring/exercise_cells.py writes.

The exercise texts and their solutions have one source, outside the installed
package (so the solutions never ship to students who ``pip install`` it):
``authoring/exercise_cells.py``. A notebook whose exercise section was edited
by hand, or a source edited without regenerating the notebook, fails here.
"""

import importlib.util
from pathlib import Path

import nbformat
import pytest

import chapter2
from chapter2.classroom.authoring import exercise_cells

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "authoring" / "exercise_cells.py"


def _load_source():
    spec = importlib.util.spec_from_file_location("exercise_cells", SOURCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SECTIONS = _load_source().SECTIONS


def _shape(cell):
    # "execution" holds the timings of the last run, not authored content
    metadata = {k: v for k, v in cell.metadata.items() if k != "execution"}
    return cell.cell_type, cell.source, metadata


@pytest.mark.parametrize("number", sorted(SECTIONS))
def test_notebook_exercises_match_the_authoring_source(number):
    (path,) = (ROOT / "notebooks").glob(f"{number}_*.ipynb")
    in_notebook = exercise_cells(nbformat.read(path, as_version=4))
    assert [_shape(c) for c in in_notebook] == [_shape(c) for c in SECTIONS[number]]


def test_every_notebook_with_exercises_has_a_source():
    with_exercises = {p.name[:2] for p in (ROOT / "notebooks").glob("*.ipynb")
                      if exercise_cells(nbformat.read(p, as_version=4))}
    assert with_exercises == set(SECTIONS)


def test_the_authoring_source_is_not_inside_the_package():
    package = Path(chapter2.__file__).resolve().parent
    assert package not in SOURCE.resolve().parents


def test_regenerating_an_exercise_section_keeps_its_cell_ids(tmp_path):
    from chapter2.classroom.authoring import append_exercises, code_cell, markdown_cell

    path = tmp_path / "nb.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title")]), path)
    append_exercises(path, [markdown_cell("## Exercises"), code_cell("x = 1")])
    first = [c.id for c in nbformat.read(path, as_version=4).cells]
    append_exercises(path, [markdown_cell("## Exercises, edited"), code_cell("x = 2")])
    again = nbformat.read(path, as_version=4)
    assert [c.id for c in again.cells] == first
    assert [c.source for c in again.cells] == ["# Title", "## Exercises, edited", "x = 2"]
    assert len(set(first)) == 3
