"""Issue 19's acceptance: one hostile class, one submission per class of attack, graded in ONE run.

Built as ``test_classroom_hostile.py`` builds its class: from a real
``assignments`` handout of notebook 03, whose instructor source gains a hidden
test (``test_classroom_hostile_truths``). The class is graded by ONE run of
``python -m chapter2 grade`` (two workers, sandboxed, ``--feedback``,
``--json``, ``--gradebook``, a short ``--timeout``), with ``$CHAPTER2_DATA_DIR``
naming a course folder that holds the verified ``mnist.npz`` beside a secret.
The class:

* ``ab-unanswered``: the handout as released (the score every cheat must get);
* ``aa-honest`` and ``zz-honest-timeout``: complete, honest work; the second
  has a cell that loops forever *before* its answers (class 6: it keeps them);
* one hostile submission per class of the issue: 1 harvesting cell (patched
  ``check_*`` helpers and a ``pre_run_cell`` hook), 2 a symbolic link to the
  instructor notebook and one to a classmate, 3 a kernel reply naming a
  function (``antigravity``, which runs ``$BROWSER`` when imported), 4 display
  handles updated with 10 MB each, 5 children holding memory, a process bomb
  and ``unshare`` with a tmpfs, 8 a submission whose check cell, hooks and
  answer try to reveal the hidden test, 9 a submission that reads the course
  folder next to ``mnist.npz``.

Then: every hostile submission scores what the unanswered one scores; honest
ones keep full marks; nothing outside the submissions and the outputs changed
(every file of the test's folder hashed before and after); no feedback holds a
hidden test, a solution or the course folder's secret; the main ``grade``
process's peak memory stays under the bound of ``test_classroom_hostile_inputs``.

SLOW: about 45 s on two idle cores (one kernel per submission, one cell that times out).
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from chapter2.classroom import sandbox
from chapter2.classroom.student import write_student_versions
from test_classroom_hostile import NOTEBOOK, ROOT, SOLUTION_LINE, _after_import, _check_cells, _hashes
from test_classroom_hostile_inputs import MEASURED_GRADE, PEAK_MB
from test_classroom_hostile_limits import MANY_PROCESSES, NEW_USER_NAMESPACE
from test_classroom_hostile_truths import HARVEST, HIDDEN, _honest, _instructor_source

DATA = os.environ.get("CHAPTER2_DATA_DIR", "")
TIMEOUT = 15  # seconds a cell may run: the looping cell costs this much, honest cells take far less
COURSE_SECRET = "course-secret-91d4c"  # in the course folder beside mnist.npz only
FULL = 7   # notebook 03's points: 6, plus 1 for Exercise 5 (issue 20)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the sandbox is Linux's"),
    pytest.mark.skipif(sandbox.bubblewrap_path() is None, reason="bubblewrap is not installed"),
    pytest.mark.skipif(not os.path.isfile(os.path.join(DATA, "mnist.npz")), reason="needs CHAPTER2_DATA_DIR"),
]

#: Class 5: four children of 600 MB (each under the per-kernel 2 GB, together over it), a user
#: namespace with a tmpfs holding 400 MB, then as many processes as it can start.
BOMB = """\
import os, subprocess, time
kids = []
for _ in range(4):
    pid = os.fork()
    if pid == 0:
        try:
            block = b'1' * (600 << 20)
            time.sleep(2)
        finally:
            os._exit(0)
    kids.append(pid)
print('held', sum(os.waitpid(kid, 0)[1] == 0 for kid in kids), flush=True)
""" + NEW_USER_NAMESPACE + """\
tmpfs = subprocess.run(['unshare', '--user', '--map-root-user', '--mount', 'sh', '-c',
                        'mount -t tmpfs none /tmp && head -c 400M /dev/zero > /tmp/x && echo filled'],
                       capture_output=True, text=True)
print('tmpfs', tmpfs.returncode, tmpfs.stdout, tmpfs.stderr[:200])
""" + MANY_PROCESSES

#: Class 8: show every cell the grader runs (a hook sees its source), the history, and the callers.
REVEAL_HOOKS = """\
import inspect, linecache, sys
def show(info=None, *rest):
    print('RAW', getattr(info, 'raw_cell', None))
    print('HISTORY', list(get_ipython().user_ns.get('In', [])))
get_ipython().events.register('pre_run_cell', show)
get_ipython().events.register('post_run_cell', show)
"""
REVEAL_ANSWER = """\
def naive_leaky_relu(x, alpha):
    import inspect, linecache, sys
    for frame in inspect.stack():
        print('CALLER', frame.filename, frame.code_context, linecache.getlines(frame.filename))
    print('ARGS', x, alpha)
    print('MODULES', [m for m in sys.modules if 'judge' in m or 'grading' in m])
    return x
"""
REVEAL_CHECK = ("print(In)\nprint(get_ipython().history_manager.get_range(raw=True))\n"
                "import gc\nprint([o for o in gc.get_objects() if isinstance(o, str) and 'HIDDEN' in o])")


def _course_reader(course: Path) -> str:
    """Class 9: read the data folder named by the environment, and the course folder by its real path."""
    return ("import os, pathlib\n"
            "folder = os.environ.get('CHAPTER2_DATA_DIR', '')\n"
            "print('DATA', folder, os.listdir(folder) if os.path.isdir(folder) else None)\n"
            f"for p in [pathlib.Path(folder) / 'secret.txt', pathlib.Path({str(course)!r}) / 'secret.txt',\n"
            f"          pathlib.Path({str(course)!r}) / {NOTEBOOK!r}]:\n"
            "    try:\n        print('READ', p.read_text())\n    except OSError as e:\n        print(e)\n"
            "try:\n    print(os.listdir(os.path.dirname(os.path.realpath(os.path.join(folder, 'mnist.npz')))))\n"
            "except OSError as e:\n    print(e)\n")


class Class:
    def __init__(self, root: Path):
        self.root = root
        self.source = root / "source" / "ps1"
        self.submitted = root / "submitted"
        self.course = root / "course"
        self.report, self.gradebook = root / "report.json", root / "gradebook.csv"
        self.feedback, self.peak = root / "feedback", root / "peak"
        self.flag = root / "browser-ran"
        self.students: list[str] = []
        self.handout = None
        self.instructor = None

    def path(self, student: str) -> Path:
        return self.submitted / student / "ps1" / NOTEBOOK

    def add(self, student: str, nb) -> None:
        path = self.path(student)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(nbformat.writes(nb))
        self.students.append(student)

    def link(self, student: str, target: Path) -> None:
        path = self.path(student)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target)
        self.students.append(student)

    def unanswered(self):
        return nbformat.read(self.handout, as_version=4)

    def honest(self):
        return _honest(self.handout, self.instructor)


def _solution(nb, grade_id):
    (cell,) = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    return cell


def _build(klass: Class) -> dict[str, str]:
    """Write every submission; returns {hostile student: the class of attack it is}."""
    klass.add("aa-honest", klass.honest())
    klass.add("ab-unanswered", klass.unanswered())
    cheats = {}
    klass.add("h1-harvest", _after_import(klass.unanswered(), HARVEST))
    cheats["h1-harvest"] = "1: harvesting the installed checks"
    klass.link("h2-link-instructor", klass.source / NOTEBOOK)
    cheats["h2-link-instructor"] = "2: a link to the instructor notebook"
    klass.link("h2-link-classmate", klass.path("aa-honest"))
    cheats["h2-link-classmate"] = "2: a link to a classmate"
    klass.add("h3-wire-function", _after_import(klass.unanswered(), (
        "import chapter2.classroom.wire as w\n"
        "named = {'t': 'function', 'module': 'antigravity', 'qualname': 'geohash'}\n"
        "w.kernel_describe = lambda names: w._publish({'names': {n: {'kind': 'value', 'value': named}\n"
        "                                                        for n in names}})")))
    cheats["h3-wire-function"] = "3: a reply naming a function"
    klass.add("h4-display-updates", _after_import(klass.unanswered(), (
        "from IPython.display import display\n"
        "handles = [display('x', display_id=True) for _ in range(20)]\n"
        "for h in handles:\n"
        "    h.update('y' * 10 * 2 ** 20)")))
    cheats["h4-display-updates"] = "4: 200 MB through display updates"
    klass.add("h5-bomb", _after_import(klass.unanswered(), BOMB))
    cheats["h5-bomb"] = "5: memory held by children, processes, unshare and tmpfs"
    reveal = _after_import(klass.unanswered(), REVEAL_HOOKS)
    _solution(reveal, "naive_leaky_relu").source = REVEAL_ANSWER
    for check in _check_cells(reveal):
        check.source = REVEAL_CHECK
    klass.add("h8-reveal-hidden", reveal)
    cheats["h8-reveal-hidden"] = "8: revealing the hidden tests"
    klass.add("h9-course-folder", _after_import(klass.unanswered(), _course_reader(klass.course)))
    cheats["h9-course-folder"] = "9: the course folder beside mnist.npz"
    timed_out = klass.honest()
    index = next(i for i, c in enumerate(timed_out.cells) if c.source == "from chapter2.exercises import broadcasting")
    timed_out.cells.insert(index + 1, nbformat.v4.new_code_cell("while True:\n    pass"))
    klass.add("zz-honest-timeout", timed_out)
    return cheats


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    klass = Class(tmp_path_factory.mktemp("class"))
    klass.source.mkdir(parents=True)
    klass.instructor = _instructor_source()
    nbformat.write(klass.instructor, klass.source / NOTEBOOK)
    (klass.handout,) = write_student_versions([klass.source / NOTEBOOK], klass.root / "release" / "ps1")
    klass.course.mkdir()
    (klass.course / "mnist.npz").write_bytes(Path(DATA, "mnist.npz").read_bytes())
    (klass.course / "secret.txt").write_text(COURSE_SECRET)
    (klass.course / NOTEBOOK).write_bytes((klass.source / NOTEBOOK).read_bytes())  # the instructor's copy
    for folder in (klass.root, klass.course):  # readable by anyone: only the mount may keep it out
        os.chmod(folder, 0o755)
    cheats = _build(klass)
    browser = klass.root / "browser.sh"
    browser.write_text(f"#!/bin/sh\ntouch {klass.flag}\n")
    browser.chmod(0o755)
    outputs = {klass.report, klass.gradebook, klass.feedback, klass.peak}
    before = _hashes(klass.root, outputs)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", MEASURED_GRADE, str(klass.peak), "grade", str(klass.submitted),
         "--source", str(klass.source.parent), "--workers", "2", "--timeout", str(TIMEOUT),
         "--json", str(klass.report), "--gradebook", str(klass.gradebook), "--feedback", str(klass.feedback),
         "--no-progress"],
        capture_output=True, text=True, timeout=900, cwd=klass.root,
        env={**os.environ, "BROWSER": str(browser), "CHAPTER2_DATA_DIR": str(klass.course)})
    seconds = time.monotonic() - started
    time.sleep(2)  # a browser started by an import, or an orphan, would have run by now
    assert klass.report.is_file(), result.stderr[-3000:]
    rows = {row["student"]: row for row in json.loads(klass.report.read_text())["notebooks"]}
    feedback = {s: (klass.feedback / s / "ps1" / NOTEBOOK).read_text()
                for s in klass.students if (klass.feedback / s / "ps1" / NOTEBOOK).is_file()}
    return {"klass": klass, "cheats": cheats, "result": result, "rows": rows, "feedback": feedback,
            "before": before, "after": _hashes(klass.root, outputs), "seconds": seconds,
            "peak_mb": int(klass.peak.read_text()) / 1024}


def test_every_submission_is_in_the_report_and_the_gradebook(graded):
    klass = graded["klass"]
    assert sorted(graded["rows"]) == sorted(klass.students)
    assert sum(_check_cells(klass.instructor)[i].metadata["nbgrader"]["points"]
               for i in range(len(_check_cells(klass.instructor)))) == FULL
    lines = klass.gradebook.read_text().splitlines()
    assert len(lines) == 1 + len(klass.students)
    assert any(line.startswith("aa-honest,") and line.endswith(f",{FULL},{FULL},0") for line in lines), lines
    refused = sorted(s for s, row in graded["rows"].items() if row["error"])
    assert refused == ["h2-link-classmate", "h2-link-instructor"], {s: graded["rows"][s]["error"] for s in refused}
    assert graded["result"].returncode == 1 and "2 submission(s) could not be graded" in graded["result"].stderr


@pytest.mark.parametrize("student", ["aa-honest", "zz-honest-timeout"])
def test_honest_students_keep_full_marks(graded, student):
    row = graded["rows"][student]
    assert (row["points"], row["max_points"]) == (FULL, FULL), row["exercises"]
    assert graded["rows"]["ab-unanswered"]["points"] == 0


def test_the_timed_out_cell_was_interrupted_and_said_so(graded):
    text = graded["feedback"]["zz-honest-timeout"]
    assert f"ran longer than {TIMEOUT} s and was interrupted" in text
    assert "NameError" not in text


@pytest.mark.parametrize("student", ["h1", "h2-link-instructor", "h2-link-classmate", "h3", "h4", "h5", "h8", "h9"])
def test_every_hostile_submission_scores_what_the_unanswered_one_scores(graded, student):
    (name,) = [s for s in graded["cheats"] if s.startswith(student)]
    row, zero = graded["rows"][name], graded["rows"]["ab-unanswered"]
    assert (row["points"], row["max_points"]) == (zero["points"], zero["max_points"]), \
        (graded["cheats"][name], row["exercises"], row["error"])


def test_nothing_outside_the_submissions_and_the_outputs_changed(graded):
    assert graded["after"] == graded["before"]
    assert not graded["klass"].flag.exists(), "the grader imported antigravity: $BROWSER ran"


def test_the_bomb_ran_and_made_no_namespace(graded):
    text = graded["feedback"]["h5-bomb"]
    assert "unshare -1 " in text and "started " in text, text[-3000:]
    assert "tmpfs " in text and "tmpfs 0" not in text  # unshare refused: no tmpfs was filled


def test_no_feedback_holds_a_hidden_test_a_solution_or_the_course_secret(graded):
    texts = graded["feedback"]
    assert "h8-reveal-hidden" in texts and "h9-course-folder" in texts  # they ran, and printed what they saw
    assert "RAW" in texts["h8-reveal-hidden"] and "DATA" in texts["h9-course-folder"]
    assert not any(s.startswith("h2") for s in texts)  # a refused link gets no feedback back
    everything = {**texts, "report": graded["klass"].report.read_text(),
                  "terminal": graded["result"].stdout + graded["result"].stderr}
    for where, text in everything.items():
        assert "HIDDEN TESTS" not in text and HIDDEN not in text, where
        assert COURSE_SECRET not in text, where
        if "honest" not in where:  # an honest student's feedback holds their own answer
            assert SOLUTION_LINE not in text and "BEGIN SOLUTION" not in text, where
    assert "secret.txt" not in texts["h9-course-folder"].split("DATA", 1)[1].split("\\n")[0]


def test_the_main_process_stays_under_its_memory_bound(graded):
    print(f"main process peak: {graded['peak_mb']:.0f} MiB, class graded in {graded['seconds']:.0f} s")
    assert graded["peak_mb"] < PEAK_MB, graded["result"].stderr[-2000:]
