"""Grade a real chapter notebook end to end: instructor version full marks, student version zero.

SLOW: each grading executes the whole notebook in a kernel. Only one short
notebook is graded here; the fast fixture-based tests are in test_classroom.py.
"""

from pathlib import Path

import pytest

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
