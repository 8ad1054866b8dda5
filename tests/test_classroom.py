"""Student versions and headless grading, on the small fixture notebooks in tests/data.

Grading starts a Jupyter kernel per notebook, so these tests take a few
seconds each; the real chapter notebooks are graded only in
tests/test_classroom_notebooks.py (marked slow).
"""

import json
import os
import sys
from pathlib import Path

import nbformat
import pytest

from chapter2.classroom import dispatch, grading, runner, sandbox
from chapter2.classroom.student import (make_student_notebook, strip_solution,
                                        write_student_versions)
from chapter2.errors import InputValueError

DATA = Path(__file__).parent / "data"
INSTRUCTOR = DATA / "classroom_instructor.ipynb"
BROKEN = DATA / "classroom_broken.ipynb"
STUBBORN = DATA / "classroom_stubborn.ipynb"
NOT_A_NOTEBOOK = DATA / "classroom_not_a_notebook.ipynb"


@pytest.fixture(scope="module")
def student_path(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    (path,) = write_student_versions([INSTRUCTOR], out)
    return path


# ------------------------------------------------------------ student versions

def test_strip_solution_keeps_indentation_and_code_around():
    source = "def f(x):\n    y = 1\n    ### BEGIN SOLUTION\n    return x + y\n    ### END SOLUTION\nprint(f)"
    assert strip_solution(source, hint="add y") == (
        'def f(x):\n    y = 1\n    # YOUR CODE HERE\n    raise NotImplementedError("add y")\nprint(f)')


def test_strip_solution_placeholder_is_valid_python_with_quotes_in_hint():
    stripped = strip_solution("### BEGIN SOLUTION\nx = 1\n### END SOLUTION", hint='use "x"')
    with pytest.raises(NotImplementedError, match='use "x"'):
        exec(compile(stripped, "<cell>", "exec"), {})


@pytest.mark.parametrize("source", ["### BEGIN SOLUTION\nx = 1",
                                    "x = 1\n### END SOLUTION",
                                    "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION"])
def test_unbalanced_markers_are_refused(source):
    with pytest.raises(InputValueError):
        strip_solution(source)


def test_student_notebook_has_no_solution_and_no_outputs(student_path):
    instructor = nbformat.read(INSTRUCTOR, as_version=4)
    student = nbformat.read(student_path, as_version=4)
    text = student_path.read_text()
    for line in ("return 2 * x", "result = x * x", "return result", "BEGIN SOLUTION"):
        assert line in INSTRUCTOR.read_text()
        assert line not in text
    assert 'raise NotImplementedError("return twice x")' in student.cells[2].source
    assert len(student.cells) == len(instructor.cells)
    for old, new in zip(instructor.cells, student.cells):
        assert new.metadata == old.metadata
        if new.cell_type == "code":
            assert new.outputs == [] and new.execution_count is None
        if not old.metadata.get("nbgrader", {}).get("solution"):
            assert new.source == old.source


def test_make_student_notebook_leaves_its_input_alone():
    nb = nbformat.read(INSTRUCTOR, as_version=4)
    before = nbformat.writes(nb)
    make_student_notebook(nb)
    assert nbformat.writes(nb) == before


def test_solution_cell_without_markers_is_replaced_whole():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("secret = 42")])
    nb.cells[0].metadata["nbgrader"] = {"solution": True, "grade": False, "grade_id": "s"}
    assert "42" not in make_student_notebook(nb).cells[0].source


def test_write_student_versions_refuses_to_overwrite_instructor(tmp_path):
    copy = tmp_path / "nb.ipynb"
    copy.write_text(INSTRUCTOR.read_text())
    with pytest.raises(InputValueError, match="would delete its solutions"):
        write_student_versions(tmp_path, tmp_path)


def test_write_student_versions_accepts_a_directory(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("b.ipynb", "a.ipynb"):
        (src / name).write_text(INSTRUCTOR.read_text())
    written = write_student_versions(src, tmp_path / "out")
    assert [p.name for p in written] == ["a.ipynb", "b.ipynb"]
    assert all(p.is_file() for p in written)


def test_write_student_versions_with_nothing_to_convert(tmp_path):
    with pytest.raises(InputValueError, match="no .ipynb"):
        write_student_versions(tmp_path, tmp_path / "out")


# ------------------------------------------------------- markers, links, broken files

@pytest.mark.parametrize("source, leak", [
    ("x = 1\n### BEGIN SOLUTION (loop)\nsecret = 42\n### END SOLUTION (loop)", "secret"),
    ("x = 1\n    # BEGIN SOLUTION\nsecret = 42\n# END SOLUTION", "secret"),
    ("assert f(1) == 1\n### BEGIN HIDDEN TESTS\nassert f(7) == 49\n### END HIDDEN TESTS", "f(7)"),
    ("### BEGIN HIDDEN TESTS (edge)\nassert f(0) == 0\n### END HIDDEN TESTS (edge)", "f(0)")])
def test_every_form_of_marker_is_stripped(source, leak):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    nb.cells[0].metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
                                        "points": 1, "grade_id": "t", "schema_version": 3}
    student = make_student_notebook(nb).cells[0].source
    assert leak not in student and "SOLUTION" not in student and "HIDDEN" not in student
    assert source.splitlines()[0].split("###")[0].strip() in student


@pytest.mark.parametrize("source", ["### BEGIN HIDDEN TESTS\nassert 1", "assert 1\n### END HIDDEN TESTS",
                                    "### BEGIN SOLUTION (a)\nx = 1"])
def test_unbalanced_hidden_tests_and_labelled_markers_are_refused(source):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    with pytest.raises(InputValueError, match="never closed|without a"):
        make_student_notebook(nb)


def test_assignments_never_write_through_a_symlink(tmp_path):
    out, precious = tmp_path / "out", tmp_path / "precious.txt"
    out.mkdir()
    precious.write_text("keep me")
    (out / INSTRUCTOR.name).symlink_to(precious)
    with pytest.raises(InputValueError, match="symbolic link"):
        write_student_versions([INSTRUCTOR], out)
    assert precious.read_text() == "keep me"
    (tmp_path / "linked").symlink_to(out)
    with pytest.raises(InputValueError, match="symbolic link"):
        write_student_versions([INSTRUCTOR], tmp_path / "linked")


def test_assignments_refuse_a_file_as_out_and_name_a_broken_notebook(tmp_path):
    existing = tmp_path / "existing.txt"
    existing.write_text("data")
    with pytest.raises(InputValueError, match="is a file, not a folder"):
        write_student_versions([INSTRUCTOR], existing)
    with pytest.raises(InputValueError, match="classroom_not_a_notebook.ipynb is not a readable notebook"):
        write_student_versions([INSTRUCTOR, NOT_A_NOTEBOOK], tmp_path / "out")
    assert not (tmp_path / "out").exists()  # nothing written when one notebook is broken


# --------------------------------------------------------------------- grading

def test_instructor_gets_full_marks_and_student_zero(student_path):
    report = grading.grade_notebooks([INSTRUCTOR, student_path], source=INSTRUCTOR, timeout=60)
    instructor, student = report.notebooks
    assert [(e.grade_id, e.points, e.status) for e in instructor.exercises] == [
        ("double-check", 1, "passed"), ("square-check", 2, "passed")]
    assert [(e.points, e.max_points) for e in student.exercises] == [(0, 1), (0, 2)]
    assert all("not written yet" in e.message for e in student.exercises)
    assert (report.points, report.max_points) == (3, 6)
    table = grading.format_table(report)
    assert "double-check" in table and "3 / 6" in table.splitlines()[-1]
    data = json.loads(grading.report_to_json(report))
    assert data["points"] == 3 and data["max_points"] == 6 and data["sandbox"] == "bubblewrap"
    assert data["notebooks"][1]["exercises"][0]["status"] == "failed"


def test_syntax_error_and_infinite_loop_score_zero_without_hanging(tmp_path):
    report = grading.grade_notebooks([BROKEN], source=BROKEN, timeout=3, feedback_dir=tmp_path)
    (broken,) = report.notebooks
    scores = {e.grade_id: e for e in broken.exercises}
    assert scores["double-check"].points == 0 and "NameError" in scores["double-check"].message
    # the loop is in the student's cell: it times out, and the check finds no square
    assert scores["square-check"].points == 0
    # the kernel was interrupted, not lost: the next exercise still runs and passes
    assert scores["triple-check"].points == 4
    # ... and a wrong answer after the timeout is still seen as wrong
    assert scores["half-check"].points == 0 and "ExerciseFailed" in scores["half-check"].message
    # the feedback notebook keeps what each check printed, e.g. the kind one-line error
    executed = nbformat.read(tmp_path / broken.student / BROKEN.name, as_version=4)
    triple_check = executed.cells[-3]
    assert triple_check.outputs[0]["text"].startswith("Correct! triple")


def test_unreadable_submission_is_reported_and_the_others_graded(student_path):
    report = grading.grade_notebooks([NOT_A_NOTEBOOK, INSTRUCTOR], source=INSTRUCTOR, timeout=60)
    unreadable, instructor = report.notebooks
    assert unreadable.error.startswith("cannot read notebook") and unreadable.points == 0
    assert unreadable.max_points == 3  # the instructor's exercises, all zero
    assert instructor.points == 3
    assert "error: cannot read notebook" in grading.format_table(report)
    assert [n.path for n in report.failures] == [str(NOT_A_NOTEBOOK)]


def test_feedback_in_a_real_kernel_quotes_the_students_line(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import numpy as np\nfrom chapter2.exercises import tensors"),
        nbformat.v4.new_code_cell("def get_batch(data, size, n):\n    start = size * n\n"
                                  "    return data[start:start + size].reshape(size, 99)"),
        nbformat.v4.new_code_cell("tensors.check_get_batch(get_batch)")])
    nb.cells[2].metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
                                        "points": 1, "grade_id": "batch", "schema_version": 3}
    path = tmp_path / "reshape_bug.ipynb"
    nbformat.write(nb, path)
    (result,) = grading.grade_notebooks([path], source=path, timeout=60,
                                        feedback_dir=tmp_path / "out").notebooks
    assert result.exercises[0].points == 0
    executed = nbformat.read(tmp_path / "out" / "reshape_bug" / path.name, as_version=4)
    stream, error = executed.cells[2].outputs
    assert "get_batch raised ValueError" in stream["text"]
    assert "line 3 of your code (in get_batch)" in stream["text"]
    assert "return data[start:start + size].reshape(size, 99)" in stream["text"]
    assert error["ename"] == "ExerciseFailed" and len(error["traceback"]) == 1


class _InThisProcess:
    """Grades each job in the test's own process (dispatch's local lines, without runner processes)."""

    grade = staticmethod(runner.grade)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass


def test_kernel_that_ignores_interrupts_is_replaced(monkeypatch):
    monkeypatch.setattr(runner, "PROBE_TIMEOUT", 2)
    # the runner is a separate process: grade in this one to use the short probe
    monkeypatch.setattr(dispatch, "RunnerLines", _InThisProcess)
    (notebook,) = grading.grade_notebooks([STUBBORN], source=STUBBORN, timeout=3).notebooks
    assert [(e.status, e.points) for e in notebook.exercises] == [("failed", 0), ("passed", 1)]
    assert "name 'stuck' is not defined" in notebook.exercises[0].message


@pytest.mark.parametrize("value", [0, -1, float("nan"), float("inf")])
def test_timeout_must_be_positive_and_finite(value):
    with pytest.raises(InputValueError, match="timeout"):
        grading.grade_notebooks([INSTRUCTOR], source=INSTRUCTOR, timeout=value)


def test_outputs_that_would_overwrite_a_submission_are_refused_before_any_work(tmp_path):
    student = tmp_path / "x" / "x.ipynb"
    student.parent.mkdir()
    student.write_text(INSTRUCTOR.read_text())
    before = student.read_bytes()
    with pytest.raises(InputValueError, match="refusing to overwrite"):
        grading.grade_notebooks([student], source=INSTRUCTOR, outputs=[student])
    with pytest.raises(InputValueError, match="refusing to overwrite"):
        grading.grade_notebooks([student], source=INSTRUCTOR, feedback_dir=tmp_path)  # tmp/x/x.ipynb
    with pytest.raises(InputValueError, match="refusing to overwrite"):
        grading.grade_notebooks([student], source=INSTRUCTOR, outputs=[INSTRUCTOR])
    assert student.read_bytes() == before


def test_without_bubblewrap_grading_refuses_unless_asked(monkeypatch):
    monkeypatch.setenv("CHAPTER2_BWRAP", "")
    with pytest.raises(sandbox.SandboxUnavailable, match="apt-get install bubblewrap.*--no-sandbox"):
        grading.grade_notebooks([INSTRUCTOR], source=INSTRUCTOR)


def test_no_sandbox_still_drops_root_or_says_why_it_cannot(student_path):
    """--no-sandbox: as root the kernel must run as another user; if that user cannot run this
    Python (e.g. it lives under /root), grading refuses before any work and says so."""
    try:
        report = grading.grade_notebooks([INSTRUCTOR, student_path], source=INSTRUCTOR,
                                         sandbox_mode="none", timeout=60)
    except sandbox.SandboxUnavailable as error:
        assert os.geteuid() == 0 and sys.executable in str(error) and "bubblewrap" in str(error)
        return
    assert report.sandbox == "none" and [n.points for n in report.notebooks] == [3, 0]
    assert "WARNING: graded without a sandbox" in grading.format_table(report)


def test_a_name_the_student_defines_is_never_taken_from_the_instructors_imports():
    from chapter2.classroom.authoring import check_cell, solution_cell
    from chapter2.classroom.restore import instructor_from_notebook

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("from chapter2.naive import naive_relu\nimport numpy as np"),
        solution_cell("def naive_relu(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION", "r"),
        check_cell("assert np.all(naive_relu(np.ones(2)) == 1)", "r-check", points=1)])
    (check,) = instructor_from_notebook(nb, "t.ipynb").checks
    assert check.remote_names == ("naive_relu",)
