"""Limits that hold for a submission as a whole, honest work kept after a timeout, data shown alone.

Issue 19, classes 5, 6 and 9:

* a timed-out cell, or a student function that loops inside a check, is
  interrupted (the grader says so in the cell) and the kernel keeps what was
  defined before: a correct answer after the timeout still scores (4 / 6,
  not 3 / 6 with "NameError");
* ``$CHAPTER2_DATA_DIR`` naming a course folder shows the sandbox the
  verified ``mnist.npz`` alone, never the instructor's files beside it;
* a kernel cannot create a user namespace (so ``unshare`` plus a tmpfs cannot
  hold memory outside every limit), its processes are few, and where a cgroup
  can be made the memory and process limits hold for all its processes together.

The sandbox tests start bubblewrap directly (a second each); the timeout
test grades two small notebooks (about half a minute).
"""

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from chapter2.classroom import grading, sandbox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "data"))
from make_classroom_fixtures import IMPORTS, check, notebook, solution  # noqa: E402

DATA = os.environ.get("CHAPTER2_DATA_DIR", "")
needs_bwrap = pytest.mark.skipif(sandbox.bubblewrap_path() is None, reason="bubblewrap is not installed")


def _exercises(looping_square: str):
    """Three exercises; the second loops forever; the third reads ``K`` from the first cell."""
    return notebook([
        nbformat.v4.new_code_cell(IMPORTS + "\nK = 3"),
        solution("def double(x):\n    return 2 * x", "double-solution"),
        check('check_function(double, lambda x: 2 * x, [(np.arange(3.0),)], task="double")',
              "double-check", 1),
        solution(looping_square, "square-solution"),
        check('check_function(square, np.square, [(np.arange(4.0),)], task="square")', "square-check", 2),
        solution("def triple(x):\n    return K * x", "triple-solution"),
        check('check_function(triple, lambda x: 3 * x, [(np.arange(2.0),)], task="triple")',
              "triple-check", 3),
    ])


def _in_sandbox(code: str, limits=None, tmp_path=None) -> subprocess.CompletedProcess:
    """Run Python ``code`` the way a kernel runs: confine.py inside bubblewrap."""
    runtime = tmp_path / "runtime"
    runtime.mkdir(exist_ok=True)
    limits = limits or sandbox.Limits()
    with sandbox.kernel_user() as uid:
        inner = sandbox.confine_command(limits, uid, [sys.executable, "-c", code])
        command = sandbox.bwrap_command(sandbox.bubblewrap_path(), runtime, None, inner, limits,
                                        bind_notebook=False)
        return subprocess.run(command, capture_output=True, text=True, timeout=120,
                              env=sandbox.minimal_environment(sandbox.SANDBOX_HOME, sandbox.SANDBOX_TMP,
                                                              sandboxed=True))


# ------------------------------------------------------------------ class 6

@needs_bwrap
def test_a_timeout_keeps_the_students_earlier_work(tmp_path):
    source = tmp_path / "source" / "exercises.ipynb"
    source.parent.mkdir()
    nbformat.write(_exercises("def square(x):\n    return x * x"), source)
    submitted = {"loops_in_a_cell": "import time\nwhile True:\n    time.sleep(0.01)\n"
                                    "def square(x):\n    return x * x",
                 "loops_in_the_check": "def square(x):\n    while True:\n        pass"}
    paths = []
    for student, cell in submitted.items():
        path = tmp_path / "handin" / student / source.name
        path.parent.mkdir(parents=True)
        nbformat.write(_exercises(cell), path)
        paths.append(path)
    report = grading.grade_notebooks(paths, source=source, timeout=3, workers=2,
                                     feedback_dir=tmp_path / "feedback")
    for graded in report.notebooks:
        statuses = {e.grade_id: (e.status, e.points) for e in graded.exercises}
        assert statuses["triple-check"] == ("passed", 3), (graded.student, statuses)
        assert graded.points == 4  # not 3 / 6 with "NameError: name 'K' is not defined"
    executed = nbformat.read(tmp_path / "feedback" / "loops_in_a_cell" / source.name, as_version=4)
    said = "".join(o.get("text", "") for o in executed.cells[3].outputs)
    assert "ran longer than 3 s and was interrupted" in said


# ------------------------------------------------------------------ class 9

@needs_bwrap
@pytest.mark.skipif(not os.path.isfile(os.path.join(DATA, "mnist.npz")), reason="needs CHAPTER2_DATA_DIR")
def test_the_sandbox_sees_the_verified_mnist_file_alone(tmp_path, monkeypatch):
    course = tmp_path / "course"
    course.mkdir()
    (course / "mnist.npz").write_bytes(Path(DATA, "mnist.npz").read_bytes())
    (course / "instructor.ipynb").write_text("### BEGIN SOLUTION")
    os.chmod(tmp_path, 0o755)
    monkeypatch.setenv("CHAPTER2_DATA_DIR", str(course))
    shown = _in_sandbox("import os\nfolder = os.environ['CHAPTER2_DATA_DIR']\n"
                        f"print(sorted(os.listdir(folder)), os.path.exists({str(course)!r}))\n"
                        "from chapter2.datasets import mnist\nprint(mnist.load_data()[1][1][:3])",
                        tmp_path=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines() == ["['mnist.npz'] False", "[7 2 1]"]


def test_a_folder_without_a_valid_mnist_is_not_shown(tmp_path, monkeypatch):
    (tmp_path / "mnist.npz").write_text("not MNIST")
    monkeypatch.setenv("CHAPTER2_DATA_DIR", str(tmp_path))
    assert sandbox.data_file() is None
    command = sandbox.bwrap_command("bwrap", tmp_path / "runtime", None, ["true"], bind_notebook=False)
    assert not any("mnist.npz" in argument for argument in command)
    assert "CHAPTER2_DATA_DIR" not in sandbox.minimal_environment("/h", "/t", sandboxed=True)
