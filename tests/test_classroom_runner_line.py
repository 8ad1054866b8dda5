"""A local worker starts the next submission's runner early: faster, and isolated as before.

:class:`chapter2.classroom.runner.RunnerLine` starts the runner (interpreter,
imports, sandbox, kernel) of a worker's next submission while the current one
is graded. These tests check that the early start really happens, that every
submission still gets a runner and a kernel of its own, that the kernel left
waiting is out of reach of the submission being graded, and that a runner no
job comes for shuts down cleanly.
"""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from chapter2.classroom import dispatch, grading, runner, sandbox
from chapter2.classroom.protocol import PASSED, Outcome

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "data"))
from make_classroom_fixtures import instructor  # noqa: E402

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the sandbox is Linux's")]

PLANT = ("import builtins\n"
         "print('planted' if hasattr(builtins, 'left_by_an_earlier_submission') else 'clean')\n"
         "builtins.left_by_an_earlier_submission = True")

# Looks for connection files of kernels other than its own, and reads those it can: with one,
# code could run in that kernel. Run inside a submission and, as a control, on the grading host.
SEARCH = '''
import glob, json, os, tempfile, time

def other_kernels(own=""):
    found = set()
    for tmp in {tempfile.gettempdir(), "/tmp", "/var/tmp", "/dev/shm"}:
        found.update(glob.glob(os.path.join(tmp, "chapter2-grade-*", "runtime", "kernel.json")))
    for cmdline in glob.glob("/proc/[0-9]*/cmdline"):
        try:
            words = open(cmdline, "rb").read().decode(errors="replace").split("\\0")
        except OSError:
            continue
        found.update(w for w in words if w.endswith("kernel.json"))
    readable = []
    for path in sorted(found - {own}):
        try:
            json.load(open(path))["key"]
            readable.append(path)
        except Exception:
            pass
    return readable
'''

HOSTILE = SEARCH + '''
try:
    from ipykernel.connect import get_connection_file
    own = os.path.realpath(get_connection_file())
except Exception:
    own = ""
seen = []
for _ in range(16):  # the next submission's kernel starts while this one runs
    seen = other_kernels(own)
    if seen:
        break
    time.sleep(0.5)
print("OTHER KERNELS:", json.dumps(seen))
print("OWN KERNEL FOUND:", json.dumps(bool(other_kernels())))  # the search works in here
'''


def _submission(folder: Path, name: str, first_cell: str) -> Path:
    nb = instructor()
    nb.cells.insert(1, new_code_cell(first_cell))
    path = folder / name / "fixture.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(nb, path)
    return path


def _jobs(paths: list[Path], source: Path, monkeypatch) -> list:
    """The jobs `grade_notebooks` would send for ``paths`` (made by the real code, not sent)."""
    jobs = []

    class Recorder:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            pass

        def grade(self, job):
            jobs.append(job)
            return Outcome.failed(job, "recorded, not graded")

    with monkeypatch.context() as patch:
        patch.setattr(dispatch, "RunnerLines", Recorder)
        grading.grade_notebooks(paths, source=source, workers=1, timeout=30)
    return jobs


def _printed(outcome: Outcome) -> str:
    nb = nbformat.reads(outcome.notebook, as_version=4)
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)


@pytest.fixture
def source(tmp_path) -> Path:
    path = tmp_path / "source" / "fixture.ipynb"
    path.parent.mkdir()
    nbformat.write(instructor(), path)
    return path


def test_the_next_runner_starts_early_and_every_submission_gets_a_fresh_kernel(
        tmp_path, source, monkeypatch):
    paths = [_submission(tmp_path / "submitted", f"s{i}", PLANT) for i in range(3)]
    jobs = _jobs(paths, source, monkeypatch)
    created, sent = [], []

    class Watched(runner.Runner):
        def __init__(self, job):
            super().__init__(job)
            created.append((time.monotonic(), self))

        def grade(self, job):
            sent.append((time.monotonic(), self, job.name))
            return super().grade(job)

    monkeypatch.setattr(runner, "Runner", Watched)
    with runner.RunnerLine() as line:
        outcomes = [line.grade(job) for job in jobs]
        unused = line._next.process
    # one runner per submission, and one more started for a submission that never came
    assert len(created) == 4 and len({id(r) for _, r, _ in sent}) == 3
    made = {id(r): t for t, r in created}
    for (when, graded_by, _), (previous, _, _) in zip(sent[1:], sent[:-1]):
        # the runner of each later submission existed before the one before it was sent
        assert made[id(graded_by)] <= previous < when
    assert [_printed(o).splitlines()[0] for o in outcomes] == ["clean"] * 3
    assert all(e.status == PASSED for o in outcomes for e in o.exercises)
    # the unused runner got no job: it stopped its kernel and exited by itself
    assert unused.returncode == 0


def test_a_runner_started_for_another_notebook_is_not_used(tmp_path, source, monkeypatch):
    (job,) = _jobs([_submission(tmp_path / "submitted", "s0", "x = 1")], source, monkeypatch)
    other = runner.Runner(job)
    try:
        renamed = type(job)(**{**job.__dict__, "name": "another.ipynb"})
        assert other.fits(job) and not other.fits(renamed)
        with pytest.raises(ValueError, match="cannot grade"):
            other.grade(renamed)
    finally:
        other.close()
    with runner.RunnerLine() as line:
        line._next = runner.Runner(renamed)
        stale = line._next
        outcome = line.grade(job)
    assert stale.process.returncode is not None and outcome.error is None
    assert all(e.status == PASSED for e in outcome.exercises)


@pytest.mark.skipif(sandbox.bubblewrap_path() is None or os.geteuid() != 0,
                    reason="the waiting kernel is out of reach through bubblewrap and its own user (root)")
def test_the_waiting_kernel_is_out_of_reach_of_the_submission_being_graded(tmp_path, source, monkeypatch):
    hostile = _submission(tmp_path / "submitted", "s0", HOSTILE)
    honest = _submission(tmp_path / "submitted", "s1", PLANT)
    jobs = _jobs([hostile, honest], source, monkeypatch)
    namespace: dict = {}
    exec(SEARCH, namespace)
    with runner.RunnerLine() as line:
        first = line.grade(jobs[0])
        # Control: from the host, the next submission's waiting kernel can be found and read.
        deadline = time.monotonic() + 30
        while not namespace["other_kernels"]() and time.monotonic() < deadline:
            time.sleep(0.2)
        from_host = namespace["other_kernels"]()
        second = line.grade(jobs[1])
    assert from_host, "the control found no waiting kernel: the search cannot see what it looks for"
    printed = _printed(first)
    assert "OTHER KERNELS: []" in printed and "OWN KERNEL FOUND: true" in printed, printed
    assert _printed(second).splitlines()[0] == "clean"


def test_an_unused_runner_leaves_nothing_behind(tmp_path, source, monkeypatch):
    (job,) = _jobs([_submission(tmp_path / "submitted", "s0", "x = 1")], source, monkeypatch)
    before = set(Path(tempfile.gettempdir()).glob("chapter2-grade-*"))
    waiting = runner.Runner(job)
    deadline = time.monotonic() + 30
    while set(Path(tempfile.gettempdir()).glob("chapter2-grade-*/runtime/kernel.json")) <= \
            {p / "runtime" / "kernel.json" for p in before} and time.monotonic() < deadline:
        time.sleep(0.2)
    folder = Path(waiting._folder.name)
    waiting.close()
    assert waiting.process.returncode == 0
    assert not folder.exists()
    assert set(Path(tempfile.gettempdir()).glob("chapter2-grade-*")) <= before
