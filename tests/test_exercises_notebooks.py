"""The exercise sections of the real notebooks, run without a kernel.

For every notebook in notebooks/ that has exercises, the instructor version's
solutions must pass their checks, and the student version (placeholders)
must fail every check with the "not written yet" message. The exercise code
cells are run in a fresh namespace holding only the notebook's imports, so
each exercise stands on its own.
"""

import ast
from pathlib import Path

import nbformat
import pytest

from chapter2.classroom.authoring import exercise_cells
from chapter2.classroom.notebook_format import BEGIN_SOLUTION, import_statements, solution_lines
from chapter2.classroom.student import make_student_notebook
from chapter2.exercises import ExerciseFailed

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
WITH_EXERCISES = [p for p in sorted(NOTEBOOKS.glob("*.ipynb"))
                  if exercise_cells(nbformat.read(p, as_version=4))]


def imports_of(nb):
    """Only the import statements of the notebook's code cells, as one program."""
    return compile(ast.Module(import_statements(nb), type_ignores=[]), "<imports>", "exec")


def is_check(cell):
    return cell.metadata.get("nbgrader", {}).get("grade", False)


def test_some_notebooks_have_exercises():
    assert WITH_EXERCISES, "no notebook has an exercise section yet"


@pytest.mark.parametrize("path", WITH_EXERCISES, ids=lambda p: p.stem)
def test_exercise_section_is_well_formed(path):
    nb = nbformat.read(path, as_version=4)
    section = exercise_cells(nb)
    assert nb.cells[-len(section):] == section, "exercises must be the last cells"
    checks = [c for c in section if is_check(c)]
    assert 2 <= len(checks) <= 8  # notebook 06 has seven (issue 20); notebook 02 six
    ids = [c.metadata["nbgrader"]["grade_id"] for c in section if "nbgrader" in c.metadata]
    assert len(ids) == len(set(ids))
    for cell in section:
        meta = cell.metadata.get("nbgrader")
        if meta is None:
            continue
        assert meta["schema_version"] == 3
        if meta["solution"]:
            assert meta == {"grade": False, "solution": True, "locked": False,
                            "grade_id": meta["grade_id"], "schema_version": 3}
            assert BEGIN_SOLUTION in cell.source and solution_lines(cell.source)
            # folded for self-learners, so the solution is not read before trying
            assert cell.metadata.get("jupyter", {}).get("source_hidden") is True
        else:
            assert meta["grade"] and meta["locked"] and meta["points"] > 0


@pytest.mark.parametrize("path", WITH_EXERCISES, ids=lambda p: p.stem)
def test_instructor_solutions_pass_their_checks(path, capsys):
    nb = nbformat.read(path, as_version=4)
    namespace = {}
    exec(imports_of(nb), namespace)
    for cell in exercise_cells(nb):
        if cell.cell_type == "code":
            exec(cell.source, namespace)
            if is_check(cell):
                assert capsys.readouterr().out.splitlines()[-1].startswith("Correct!")


@pytest.mark.parametrize("path", WITH_EXERCISES, ids=lambda p: p.stem)
def test_student_version_fails_every_check_kindly(path, capsys):
    instructor = nbformat.read(path, as_version=4)
    student = make_student_notebook(instructor)
    namespace = {}
    exec(imports_of(student), namespace)
    checks = 0
    for cell in exercise_cells(student):
        if cell.cell_type != "code":
            continue
        if is_check(cell):
            with pytest.raises(ExerciseFailed):
                exec(cell.source, namespace)
            assert "is not written yet" in capsys.readouterr().out
            checks += 1
        else:
            exec(cell.source, namespace)
    assert checks >= 2


@pytest.mark.parametrize("path", WITH_EXERCISES, ids=lambda p: p.stem)
def test_student_version_contains_no_solution(path):
    instructor = nbformat.read(path, as_version=4)
    student = make_student_notebook(instructor)
    assert BEGIN_SOLUTION not in nbformat.writes(student)
    # the placeholder a student writes over is not folded away
    assert not any(c.metadata.get("jupyter", {}).get("source_hidden") for c in student.cells)
    for before, after in zip(instructor.cells, student.cells):
        for line in solution_lines(before.source):
            assert line not in after.source
