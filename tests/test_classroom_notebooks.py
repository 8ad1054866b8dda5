"""Grade a real chapter notebook end to end: instructor version full marks, student version zero.

SLOW: each grading executes the whole notebook in a kernel. Only one short
notebook is graded here; the fast fixture-based tests are in test_classroom.py.
"""

from pathlib import Path

import pytest

from chapter2.classroom.notebook_format import import_statements
from chapter2.classroom.grading import grade_notebooks
from chapter2.classroom.student import write_student_versions

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "03_elementwise_and_broadcasting.ipynb"


@pytest.mark.slow
@pytest.mark.skipif(not NOTEBOOK.exists(), reason="notebook 03 not written yet")
def test_real_notebook_full_marks_for_instructor_zero_for_student(tmp_path):
    (student,) = write_student_versions([NOTEBOOK], tmp_path)
    report = grade_notebooks([NOTEBOOK, student], timeout=300)
    instructor_report, student_report = report.notebooks
    assert instructor_report.error is None and student_report.error is None
    assert len(instructor_report.exercises) >= 2
    assert instructor_report.points == instructor_report.max_points > 0
    assert all(e.status == "passed" for e in instructor_report.exercises)
    assert student_report.points == 0
    assert student_report.max_points == instructor_report.max_points
    assert all("not written yet" in e.message for e in student_report.exercises)


def _exercise_notebook(path):
    """The notebook's imports and its exercise section: what its checks need, without the lesson."""
    import ast

    import nbformat

    from chapter2.classroom.authoring import exercise_cells

    nb = nbformat.read(path, as_version=4)
    imports = [ast.unparse(n) for n in import_statements(nb)]
    small = nbformat.v4.new_notebook(metadata=nb.metadata)
    small.cells = [nbformat.v4.new_code_cell("\n".join(dict.fromkeys(imports)))] + exercise_cells(nb)
    return small


@pytest.mark.slow
def test_every_notebooks_exercises_grade_full_for_solutions_and_zero_unanswered(tmp_path):
    """Every check of every notebook, through the real grader (kernel, sandbox, judge)."""
    import nbformat

    from chapter2.classroom.student import make_student_notebook

    source, submitted = tmp_path / "source", tmp_path / "submitted"
    source.mkdir()
    # 00_start_here is a map of the collection: it has no exercises to grade
    with_exercises = {path.name: _exercise_notebook(path) for path in sorted(NOTEBOOK.parent.glob("*.ipynb"))}
    with_exercises = {name: small for name, small in with_exercises.items() if len(small.cells) > 1}
    assert len(with_exercises) >= 9
    for name, small in with_exercises.items():
        nbformat.write(small, source / name)
        for student, nb in (("solved", small), ("unanswered", make_student_notebook(small))):
            folder = submitted / student / "chapter2"
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, folder / name)
    report = grade_notebooks([submitted], source, timeout=120, workers=2)
    assert not report.failures
    for nb in report.notebooks:
        statuses = [(e.grade_id, e.status) for e in nb.exercises]
        if nb.student == "solved":
            assert all(s == "passed" for _, s in statuses), (nb.notebook, statuses)
        else:
            assert nb.points == 0 and all("not written yet" in e.message for e in nb.exercises), \
                (nb.notebook, statuses)
    assert len(report.notebooks) == 2 * len(with_exercises)
