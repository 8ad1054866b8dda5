"""The grader's parts without a kernel: the plain-data wire, finding submissions, reports."""

import base64

import numpy as np
import pytest

from chapter2.classroom import reports, wire
from chapter2.classroom.judge import student_exception
from chapter2.classroom.submissions import find_submissions
from chapter2.errors import InputValueError
from chapter2.exercises import derivatives
from chapter2.exercises.feedback import student_line


@pytest.mark.parametrize("value", [None, True, 3, -2 ** 70, 2.5, float("inf"), 1 + 2j, "text",
                                   [1, (2, None)], {"w": [1.0]}, np.float32(1.5), np.int64(7)])
def test_plain_values_survive_the_wire(value):
    back = wire.decode(wire.encode(value))
    assert back == value and type(back) is type(value)


def test_arrays_survive_the_wire_with_dtype_and_shape():
    for array in (np.arange(6.0).reshape(2, 3), np.zeros((0, 4), np.int8), np.array([True]),
                  np.arange(3, dtype=">i4"), np.array(2.0)):
        back = wire.decode(wire.encode(array))
        assert isinstance(back, np.ndarray) and back.shape == array.shape
        assert np.array_equal(back, array) and back.dtype == array.dtype.newbyteorder("=")


def test_named_functions_travel_by_name_and_others_as_opaque_stand_ins():
    # the kernel's side turns a name back into the function; the grader's never does
    assert wire.decode(wire.encode(derivatives.cubic), functions=wire.import_function) is derivatives.cubic
    grader_side = wire.decode(wire.encode(derivatives.cubic))
    assert isinstance(grader_side, wire.Opaque) and not callable(grader_side)
    assert wire.decode(wire.encode(np.sin)) is np.sin
    stand_in = wire.decode(wire.encode(lambda x: x))
    assert isinstance(stand_in, wire.Opaque) and stand_in.type_name == "function"
    assert isinstance(wire.decode(wire.encode(np.array([object()]))), wire.Opaque)


@pytest.mark.parametrize("data", [
    {"t": "array", "dtype": "|O", "shape": [1], "data": base64.b64encode(b"x" * 8).decode()},
    {"t": "array", "dtype": "<f8", "shape": [3], "data": base64.b64encode(b"x" * 8).decode()},
    {"t": "array", "dtype": "<f8", "shape": [-1], "data": ""},
    {"t": "pickle", "v": "gASV"}, {"t": "int", "v": 5}, {"t": "list", "v": {"a": 1}},
    "not a dict", {"t": "str", "v": "x" * 200_000}])
def test_malformed_or_dangerous_data_is_refused(data):
    with pytest.raises(wire.WireError):
        wire.decode(data)


def test_the_kernel_side_refuses_a_name_that_is_not_a_function():
    with pytest.raises(wire.WireError):
        wire.decode({"t": "function", "module": "os", "qualname": "sep"}, functions=wire.import_function)


def test_a_students_exception_keeps_its_name_message_and_line():
    error = student_exception({"type": "ValueError", "message": "bad shape", "not_implemented": False,
                               "frame": {"lineno": 3, "name": "f", "line": "return x.reshape(9)"}})
    assert type(error).__name__ == "ValueError" and str(error) == "bad shape"
    assert student_line(error).lineno == 3 and student_line(error).line == "return x.reshape(9)"
    assert isinstance(student_exception({"type": "X", "not_implemented": True}), NotImplementedError)
    assert type(student_exception({"type": "\x1b[2J; rm -rf"})).__name__ == "Exception"


def _touch(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{}")
    return path


def test_submissions_in_nbgrader_layout_and_plain_files(tmp_path):
    _touch(tmp_path / "submitted" / "alice" / "ps1" / "03.ipynb")
    _touch(tmp_path / "submitted" / "alice" / "ps1" / "notes.txt")
    _touch(tmp_path / "submitted" / ".hidden" / "ps1" / "03.ipynb")
    nested = [_touch(tmp_path / "handin" / s / "03.ipynb") for s in ("bob", "carol")]
    flat = [_touch(tmp_path / "flat" / f"{s}.ipynb") for s in ("dan", "eve")]
    found = find_submissions([tmp_path / "submitted", *nested])
    assert [(s.student, s.assignment, s.notebook) for s in found] == [
        ("alice", "ps1", "03.ipynb"), ("bob", "", "03.ipynb"), ("carol", "", "03.ipynb")]
    assert [s.student for s in find_submissions(flat)] == ["dan", "eve"]


def test_two_files_for_one_students_notebook_are_refused(tmp_path):
    one = _touch(tmp_path / "a" / "x" / "03.ipynb")
    two = _touch(tmp_path / "a" / "x" / "sub" / ".." / "03.ipynb")
    with pytest.raises(InputValueError):
        find_submissions([one, two])
    with pytest.raises(InputValueError, match="nbgrader's layout"):
        find_submissions([tmp_path / "a"])


def test_text_from_submissions_is_escaped_everywhere():
    assert reports.clean_text("a\nb\x1b[31m\u202e") == "a\\nb\\x1b[31m\\u202e"
    nb = reports.NotebookReport("p", "=HYPERLINK(1)\n", "", "n.ipynb",
                                [reports.ExerciseScore("e", 0, 1, "failed", "ValueError: \x1b[2J")],
                                notes=["x\nTOTAL 9 / 9"])
    table = reports.format_table(reports.Report([nb]))
    assert "\x1b" not in table and sum(line.startswith("TOTAL") for line in table.splitlines()) == 1
    assert "'=HYPERLINK(1)\\n" in reports.gradebook_csv(reports.Report([nb]))
    assert "\\u001b" in reports.report_to_json(reports.Report([nb]))


def test_after_a_non_editable_install_the_default_source_names_the_option(monkeypatch, tmp_path):
    from chapter2.classroom import submissions

    installed = tmp_path / "site-packages" / "chapter2" / "classroom" / "submissions.py"
    monkeypatch.setattr(submissions, "__file__", str(installed))
    with pytest.raises(InputValueError, match="not part of the package.*--source"):
        submissions.default_source()
    monkeypatch.undo()
    assert (submissions.default_source() / "03_elementwise_and_broadcasting.ipynb").is_file()


def test_kernel_user_ids_are_never_those_of_real_accounts(monkeypatch):
    import os

    from chapter2.classroom import sandbox

    if os.geteuid() != 0:
        pytest.skip("kernel users of their own exist only when grading as root")
    monkeypatch.setenv(sandbox.UID_BASE_ENV, "1000")
    with pytest.raises(sandbox.SandboxUnavailable, match=">= 65536"):
        with sandbox.kernel_user():
            pass
    monkeypatch.delenv(sandbox.UID_BASE_ENV)
    with sandbox.kernel_user() as uid:
        assert uid >= sandbox.DEFAULT_UID_BASE and not sandbox._is_account(uid)
