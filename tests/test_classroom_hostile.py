"""Hostile submissions, built from a real `assignments` handout of notebook 03, graded as a class.

Every way the grader was once fooled or harmed (issue 12) is one submission
below, made from the unanswered student version (honest score 0). The
whole class is graded in ONE run of ``python -m chapter2 grade`` (two
workers), between two honest students, and the tests then check that

* every cheat scores exactly what the unanswered notebook scores;
* nothing outside a submission's folder was touched (every file of the
  test's folder is hashed before and after; only the outputs the teacher
  asked for are new), and no secret, solution or forged text got out;
* the batch completed (the honest student after all the cheats is graded);
* the report is byte-identical 5 s after the run (no orphan rewrote it).

SLOW: about a minute (one kernel per submission).
"""

import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest

from chapter2.classroom.student import write_student_versions

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = "03_elementwise_and_broadcasting.ipynb"
SECRET = "grader-secret-7f3a9c"
SOLUTION_LINE = "out[index] = alpha * x[index]"  # in the instructor notebook only
FORGED = "FORGED-ROW"


def _check_points(path: Path) -> list:
    """Points of the graded cells of an instructor notebook, in order (the honest full score)."""
    nb = nbformat.read(path, as_version=4)
    return [c.metadata["nbgrader"]["points"] for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade")]


POINTS = _check_points(ROOT / "notebooks" / NOTEBOOK)
FULL = sum(POINTS)

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the sandbox is Linux's")]


def _hashes(folder: Path, skip: set[Path]) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not any(path == s or s in path.parents for s in skip):
            out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


class Class:
    """The class folder: nbgrader layout, the instructor source, canaries, and the run's results."""

    def __init__(self, root: Path):
        self.root = root
        self.source = root / "source" / "ps1"
        self.submitted = root / "submitted"
        self.canary = root / "canary.txt"
        self.report = root / "report.json"
        self.gradebook = root / "gradebook.csv"
        self.feedback = root / "feedback"
        self.handout = None
        self.students: list[str] = []

    def path(self, student: str) -> Path:
        return self.submitted / student / "ps1" / NOTEBOOK

    def add(self, student: str, nb) -> Path:
        path = self.path(student)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(nb if isinstance(nb, str) else nbformat.writes(nb))
        self.students.append(student)
        return path

    def unanswered(self):
        return nbformat.read(self.handout, as_version=4)

    def honest(self):
        return nbformat.read(self.source / NOTEBOOK, as_version=4)


def _check_cells(nb):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]


def _after_import(nb, source):
    """The unanswered notebook with a code cell added right after the exercises' import."""
    index = next(i for i, c in enumerate(nb.cells) if c.source == "from chapter2.exercises import broadcasting")
    nb.cells.insert(index + 1, nbformat.v4.new_code_cell(source))
    return nb


def _build(klass: Class, listener_port: int) -> dict[str, str]:
    """Write every submission; returns {student: what it tries}."""
    root = klass.root
    other = klass.path("zz-victim")
    cheats = {}

    def cheat(name, nb, what):
        klass.add(name, nb)
        cheats[name] = what

    klass.add("aa-honest", klass.honest())
    klass.add("ab-unanswered", klass.unanswered())
    # 1. scores from the submitted file
    nb = klass.unanswered()
    for c in _check_cells(nb):
        c.source = "print('all good')"
    cheat("c01-check-replaced", nb, "check cells replaced by print")
    nb = klass.unanswered()
    for c in _check_cells(nb):
        c.metadata["nbgrader"]["points"] = 1000
    cheat("c02-points-1000", nb, "points 1000")
    nb = klass.unanswered()
    extra = nbformat.v4.new_code_cell("pass")
    extra.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "points": 50,
                                  "grade_id": "bonus", "schema_version": 3}
    nb.cells.append(extra)
    cheat("c03-added-graded-pass", nb, "an added graded pass cell")
    nb = klass.unanswered()
    for c in _check_cells(nb):
        c.metadata["nbgrader"]["grade"] = False
    cheat("c04-grade-false", nb, "grade false on the checks")
    text = nbformat.writes(klass.unanswered()).replace('"points": 2', '"points": Infinity')
    cheat("c05-points-infinity", text, "points Infinity")
    # 2. checks switched off from inside the notebook
    cheat("c06-patch-check", _after_import(klass.unanswered(),
          "import chapter2.exercises.broadcasting as b\n"
          "for name in dir(b):\n"
          "    if name.startswith('check_'):\n"
          "        setattr(b, name, lambda *a, **k: print('Correct!'))"), "replaced check_*")
    cheat("c07-patch-feedback", _after_import(klass.unanswered(),
          "import chapter2.exercises.feedback as f\n"
          "f.fail = lambda *a, **k: None\nf.call_student = lambda fn, *a, **k: None\n"
          "f.check_function = lambda *a, **k: None\nf.check_answers = lambda *a, **k: None"),
          "patched feedback")
    cheat("c08-custom-exc", _after_import(klass.unanswered(),
          "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)"), "set_custom_exc")
    cheat("c09-post-run-hook", _after_import(klass.unanswered(),
          "def clear(result):\n    result.error_in_exec = None\n"
          "get_ipython().events.register('post_run_cell', clear)"), "post_run_cell hook")
    cheat("c10-patch-numpy-builtins", _after_import(klass.unanswered(),
          "import numpy, builtins\nnumpy.isclose = lambda *a, **k: numpy.ones((), bool)\n"
          "numpy.array_equal = lambda *a, **k: True\nbuiltins.callable = lambda *a: True\n"
          "builtins.print = lambda *a, **k: None"),
          "patched numpy and builtins in the kernel")
    cheat("c11-forged-wire", _after_import(klass.unanswered(),
          "import chapter2.classroom.wire as w\n"
          "w.kernel_call = lambda name, payload: w._publish({'result': w.encode(None)})\n"
          "w.kernel_describe = lambda names: w._publish({'names': {n: {'kind': 'value', "
          "'value': w.encode(1)} for n in names}})"), "forged answer protocol")
    # 3. shadowing: the package beside a byte-identical unanswered notebook
    klass.add("c12-shadow", klass.unanswered())
    shadow = klass.path("c12-shadow").parent / "chapter2" / "exercises"
    shadow.mkdir(parents=True)
    (shadow.parent / "__init__.py").write_text("")
    (shadow / "__init__.py").write_text("")
    (shadow / "broadcasting.py").write_text(
        "PREDICTION_PAIRS = []\ndef __getattr__(name):\n    return lambda *a, **k: print('Correct!')\n")
    cheats["c12-shadow"] = "shadowing chapter2/exercises/broadcasting.py"
    # 4. one submission must not stop the class
    cheat("c13-points-two", nbformat.writes(klass.unanswered()).replace('"points": 1', '"points": "two"'),
          "points 'two'")
    nb = klass.unanswered()
    for c in _check_cells(nb):
        c.metadata["nbgrader"] = 7
    cheat("c14-nbgrader-not-dict", nb, "non-dict nbgrader metadata")
    cheat("c15-kill-parent", _after_import(klass.unanswered(),
          "import os, signal\nos.kill(os.getppid(), signal.SIGTERM)"), "SIGTERM to its parent")
    cheat("c16-not-json", "this is not a notebook {", "not JSON")
    # 5. no isolation
    cheat("c17-files-outside", _after_import(klass.unanswered(),
          f"for p in [{str(klass.canary)!r}, {str(klass.source / NOTEBOOK)!r}]:\n"
          "    try:\n        open(p, 'w').write('owned')\n    except OSError as e:\n        print(e)\n"
          "    try:\n        __import__('os').remove(p)\n    except OSError as e:\n        print(e)\n"
          f"open({str(root / 'planted.txt')!r}, 'w').write('x')"), "write and delete outside")
    cheat("c18-secrets", _after_import(klass.unanswered(),
          "import os\nprint(dict(os.environ))\n"
          "print(open('/proc/1/environ', 'rb').read())"), "print the environment")
    cheat("c19-read-solutions", _after_import(klass.unanswered(),
          "import chapter2, pathlib\nroot = pathlib.Path(chapter2.__file__).resolve().parents[1]\n"
          f"print(list(root.iterdir()))\nprint((root / 'notebooks' / {NOTEBOOK!r}).read_text())\n"
          f"print(open({str(klass.source / NOTEBOOK)!r}).read())"), "read the solutions")
    cheat("c20-overwrite-victim", _after_import(klass.unanswered(),
          f"open({str(other)!r}, 'w').write('{{}}')"), "overwrite another submission")
    cheat("c21-memory-disk", _after_import(klass.unanswered(),
          "try:\n    hog = bytearray(8 * 2 ** 30)\nexcept MemoryError:\n    print('no memory')\n"
          "try:\n    open('big', 'wb').write(b'x' * (300 * 2 ** 20))\nexcept OSError as e:\n"
          "    print('no disk', e)"), "8 GB of memory, 300 MB of disk")
    cheat("c22-orphan", _after_import(klass.unanswered(),
          "import subprocess, sys\n"
          "code = ('import time, pathlib\\ntime.sleep(1.5)\\n'\n"
          f"        'for p in [{str(klass.report)!r}, {str(root / 'orphan-was-here')!r}]:\\n'\n"
          "        '    pathlib.Path(p).write_text(\"forged\")\\n')\n"
          "subprocess.Popen([sys.executable, '-c', code], start_new_session=True,\n"
          "                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)"),
          "an orphan that rewrites the report")
    cheat("c23-whoami-limits", _after_import(klass.unanswered(),
          "import os, resource\nprint('uid', os.getuid(), 'gid', os.getgid())\n"
          "print('limits', [resource.getrlimit(getattr(resource, n)) for n in "
          "('RLIMIT_CPU', 'RLIMIT_AS', 'RLIMIT_FSIZE', 'RLIMIT_NOFILE')])\nprint('cwd', os.listdir('.'))"),
          "who am I, what may I use")
    cheat("c24-network", _after_import(klass.unanswered(),
          "import socket\ntry:\n"
          f"    socket.create_connection(('127.0.0.1', {listener_port}), timeout=3).sendall(b'hello')\n"
          "    print('connected')\nexcept OSError as e:\n    print('no network', e)"), "network")
    cheat("c25-output-flood", _after_import(klass.unanswered(),
          "for _ in range(60):\n    print('y' * 2 ** 20)"), "60 MB of output")
    # 6. forged report text
    nb = klass.unanswered()
    _check_cells(nb)[0].metadata["nbgrader"]["grade_id"] = f"x\nTOTAL  {FORGED}  999 / 999"
    cheat("c26-newline-grade-id", nb, "newlines in a grade_id")
    nb = klass.unanswered()
    solution = next(c for c in nb.cells if c.source.startswith("def naive_leaky_relu"))
    solution.source = ("def naive_leaky_relu(x, alpha):\n"
                       f"    raise ValueError('\\x1b[2J\\x1b[31m{FORGED}\\nTOTAL 999 / 999')")
    cheat("c27-ansi-in-error", nb, "ANSI codes and newlines in an exception")
    cheat("c28-write-to-stdout", _after_import(klass.unanswered(),
          f"import os\nos.write(1, b'\\nTOTAL {FORGED} 999 / 999\\n')\n"
          f"os.write(2, b'\\nTOTAL {FORGED} 999 / 999\\n')"), "fake table on fd 1 and 2")
    nb = klass.unanswered()
    solution = next(c for c in nb.cells if c.source.startswith("def naive_leaky_relu"))
    solution.source = "def naive_leaky_relu(x, alpha):\n    while True:\n        pass"
    cheat("c29-stuck-function", nb, "an answer that never returns")
    cheat(f"c30-\x1b[31m{FORGED}\nTOTAL 999 of 999", klass.unanswered(), "ANSI and newline in a folder name")
    klass.add("zz-victim", klass.honest())
    return cheats


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    klass = Class(root)
    klass.source.mkdir(parents=True)
    (klass.source / NOTEBOOK).write_bytes((ROOT / "notebooks" / NOTEBOOK).read_bytes())
    (klass.handout,) = write_student_versions([klass.source / NOTEBOOK], root / "release" / "ps1")
    klass.canary.write_text("canary")
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.5)
    accepted = []

    def accept():
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and not stop.is_set():
            try:
                accepted.append(server.accept())
            except OSError:
                continue

    stop = threading.Event()
    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    cheats = _build(klass, server.getsockname()[1])
    victim_before = klass.path("zz-victim").read_bytes()
    outputs = {klass.report, klass.gradebook, klass.feedback}
    before = _hashes(root, outputs)
    env = {**os.environ, "CHAPTER2_TEST_SECRET": SECRET}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "chapter2", "grade", str(klass.submitted), "--source", str(klass.source.parent),
         "--workers", "2", "--timeout", "10", "--json", str(klass.report),
         "--gradebook", str(klass.gradebook), "--feedback", str(klass.feedback), "--no-progress"],
        capture_output=True, text=True, timeout=1200, env=env, cwd=root)
    seconds = time.monotonic() - started
    report_right_after = klass.report.read_bytes()
    time.sleep(5)
    stop.set()
    thread.join()
    server.close()
    return {"klass": klass, "cheats": cheats, "result": result, "seconds": seconds,
            "report_bytes": report_right_after, "before": before, "after": _hashes(root, outputs),
            "victim_before": victim_before, "accepted": accepted,
            "report": json.loads(report_right_after)}


def _row(graded, student):
    (row,) = [n for n in graded["report"]["notebooks"] if n["student"] == student]
    return row


def _feedback_text(graded, student):
    return (graded["klass"].feedback / student / "ps1" / NOTEBOOK).read_text()


def test_the_class_is_graded_and_the_exit_code_names_the_ungradable(graded):
    result = graded["result"]
    assert result.returncode == 1, result.stderr  # c16 is not a notebook: ungraded, said so
    assert "1 submission(s) could not be graded" in result.stderr
    assert _row(graded, "aa-honest")["points"] == FULL
    assert _row(graded, "zz-victim")["points"] == FULL  # graded after every cheat, untouched by c20
    assert _row(graded, "ab-unanswered")["points"] == 0
    assert graded["report"]["max_points"] == FULL * len(graded["klass"].students)


@pytest.mark.parametrize("student", [f"c{n:02d}" for n in range(1, 31)])
def test_every_cheat_scores_what_the_unanswered_notebook_scores(graded, student):
    (name,) = [s for s in graded["cheats"] if s.startswith(student)]
    row, honest_zero = _row(graded, name), _row(graded, "ab-unanswered")
    assert (row["points"], row["max_points"]) == (honest_zero["points"], honest_zero["max_points"]), \
        graded["cheats"][name]
    assert [e["grade_id"] for e in row["exercises"]] == [e["grade_id"] for e in honest_zero["exercises"]]


def test_changed_check_cells_are_reported_as_restored(graded):
    notes = _row(graded, "c01-check-replaced")["notes"]
    assert "modified check cell naive_leaky_relu-check restored" in notes
    assert any("bonus" in n and "not graded" in n for n in _row(graded, "c03-added-graded-pass")["notes"])
    assert any("malformed nbgrader metadata" in n for n in _row(graded, "c14-nbgrader-not-dict")["notes"])
    assert _row(graded, "c16-not-json")["error"].startswith("cannot read notebook")


def test_nothing_outside_a_submission_was_touched(graded):
    klass = graded["klass"]
    assert graded["after"] == graded["before"]
    assert klass.canary.read_text() == "canary"
    assert not (klass.root / "planted.txt").exists()
    assert not (klass.root / "orphan-was-here").exists()
    assert klass.path("zz-victim").read_bytes() == graded["victim_before"]
    assert graded["accepted"] == [], "a submission reached a server on 127.0.0.1"


def test_the_report_is_unchanged_five_seconds_after_the_run(graded):
    assert graded["klass"].report.read_bytes() == graded["report_bytes"]


def test_no_secret_or_solution_reaches_the_feedback_or_the_report(graded):
    everything = graded["result"].stdout + graded["report_bytes"].decode()
    for student in graded["klass"].students:
        path = graded["klass"].feedback / student / "ps1" / NOTEBOOK
        if path.exists():
            everything += path.read_text()
    assert SECRET not in everything
    honest_feedback = _feedback_text(graded, "aa-honest")
    assert SOLUTION_LINE in honest_feedback  # the honest student's own answer, as a control
    readers = _feedback_text(graded, "c19-read-solutions") + _feedback_text(graded, "c18-secrets")
    assert SOLUTION_LINE not in readers
    assert "No such file" in readers or "Permission denied" in readers


def test_the_kernel_runs_unprivileged_with_limits_in_an_empty_folder(graded):
    text = _feedback_text(graded, "c23-whoami-limits")
    if os.geteuid() == 0:
        assert "uid 0 " not in text and "'uid', 0" not in text
        assert "uid 2" in text  # one of the dedicated kernel users
    assert "limits [(600, 605), (2147483648, 2147483648), (67108864, 67108864), (512, 512)]" in text
    assert f"cwd ['{NOTEBOOK}']" in text
    memory = _feedback_text(graded, "c21-memory-disk")
    assert "no memory" in memory and "no disk" in memory


def test_forged_text_never_reaches_the_teachers_terminal(graded):
    stdout = graded["result"].stdout + graded["result"].stderr
    assert "\x1b" not in stdout
    lines = stdout.splitlines()
    assert sum(line.startswith("TOTAL") for line in lines) == 1  # the real total only
    assert not any(line.startswith(FORGED) for line in lines)
    assert f"\\x1b[31m{FORGED}\\nTOTAL" in stdout  # the hostile folder name, shown escaped
    assert "\\u001b[2J" in _feedback_text(graded, "c27-ansi-in-error")  # kept for the student only


def test_output_is_bounded_and_a_stuck_answer_times_out(graded):
    flood = graded["klass"].feedback / "c25-output-flood" / "ps1" / NOTEBOOK
    assert flood.stat().st_size < 12 * 2 ** 20
    assert "output limit reached" in flood.read_text()
    statuses = {e["grade_id"]: e["status"] for e in _row(graded, "c29-stuck-function")["exercises"]}
    assert statuses["naive_leaky_relu-check"] == "timeout"


def test_gradebook_has_one_row_per_student(graded):
    lines = graded["klass"].gradebook.read_text().splitlines()
    assert lines[0].split(",")[:2] == ["student", f"ps1/{NOTEBOOK}:naive_leaky_relu-check"]
    assert len(lines) == 1 + len(graded["klass"].students)
    # student, one column per check, points, max points, ungraded
    assert ",".join(map(str, ["aa-honest", *POINTS, FULL, FULL, 0])) in lines
