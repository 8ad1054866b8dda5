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

from chapter2.classroom import cgroups, grading, sandbox

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


# ------------------------------------------------------------------ class 5

NEW_USER_NAMESPACE = """\
import ctypes, os, subprocess
libc = ctypes.CDLL(None, use_errno=True)
print('unshare', libc.unshare(0x10000000), os.strerror(ctypes.get_errno()))
print('command', subprocess.run(['unshare', '--user', '--map-root-user', 'true']).returncode)
"""

#: Three children of 300 MB each: each is under a per-process limit of 512 MB, together they are not.
THREE_CHILDREN = """\
import os, time
kids = []
for _ in range(3):
    pid = os.fork()
    if pid == 0:
        block = b'1' * (300 << 20)
        time.sleep(2)
        os._exit(0)
    kids.append(pid)
print('held', sum(os.waitpid(kid, 0)[1] == 0 for kid in kids), flush=True)
"""

MANY_PROCESSES = """\
import os, time
started = 0
for _ in range(100):
    try:
        if os.fork() == 0:
            time.sleep(3)
            os._exit(0)
    except OSError:
        break
    started += 1
print('started', started, flush=True)
"""


@needs_bwrap
def test_a_kernel_cannot_make_a_user_namespace(tmp_path):
    """Inside one, a tmpfs would hold memory beyond every limit (420 MB in the attack)."""
    shown = _in_sandbox(NEW_USER_NAMESPACE, tmp_path=tmp_path)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("unshare -1 ") and lines[1] != "command 0", shown.stdout


def test_without_a_sandbox_a_kernel_cannot_make_a_user_namespace_either(tmp_path):
    command = sandbox.confine_command(sandbox.Limits(), None, [sys.executable, "-c", NEW_USER_NAMESPACE])
    shown = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd="/",
                           env=sandbox.minimal_environment("/", str(tmp_path)))
    assert shown.stdout.startswith("unshare -1 "), shown.stdout + shown.stderr


@needs_bwrap
def test_a_kernel_starts_few_processes(tmp_path):
    shown = _in_sandbox(MANY_PROCESSES, tmp_path=tmp_path)
    started = int(shown.stdout.split()[-1])
    assert started < sandbox.Limits().processes <= 32, shown.stdout  # was 100: 256 were allowed


@needs_bwrap
def test_memory_is_limited_for_the_submission_as_a_whole(tmp_path):
    limits = sandbox.Limits(memory_mb=512)
    with cgroups.submission_cgroup(limits.memory_mb, limits.processes) as group:
        if group is None:
            pytest.skip("no control group can be made here: the limit is per process (README)")
        runtime = tmp_path / "runtime"
        runtime.mkdir()
        with sandbox.kernel_user() as uid:
            inner = sandbox.confine_command(limits, uid, [sys.executable, "-c", THREE_CHILDREN])
            command = sandbox.bwrap_command(sandbox.bubblewrap_path(), runtime, None, inner, limits,
                                            bind_notebook=False)
            shown = subprocess.run(cgroups.join_command(group, command), capture_output=True, text=True,
                                   timeout=120, env=sandbox.minimal_environment(
                                       sandbox.SANDBOX_HOME, sandbox.SANDBOX_TMP, sandboxed=True))
        folders = group.folders
    assert "held 3" not in shown.stdout  # each child alone is under 512 MB; the three are not
    assert not any(folder.exists() for folder in folders)  # the group is removed after


def test_without_root_the_process_limit_counts_beyond_the_teachers_own():
    limits = sandbox.Limits(processes=20)
    assert limits.rlimits(own_user=True)["RLIMIT_NPROC"] == [20, 20]
    (soft, hard) = limits.rlimits(own_user=False)["RLIMIT_NPROC"]
    assert soft == hard and 20 < soft < 20 + len(os.listdir("/proc"))


def test_files_written_into_the_socket_folder_are_removed(tmp_path):
    """Without root the kernel's user is the grader's: the socket folder is swept after each cell."""
    import socket

    from chapter2.classroom.runner import _sweep_runtime

    (tmp_path / "kernel.json").write_text("{}")
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(str(tmp_path / "kernel-1"))
    (tmp_path / "big").write_bytes(b"x" * 1000)
    (tmp_path / "folder" / "deeper").mkdir(parents=True)
    os.symlink("/etc/passwd", tmp_path / "link")
    assert _sweep_runtime(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kernel-1", "kernel.json"]
    assert not _sweep_runtime(tmp_path)
    listening.close()
