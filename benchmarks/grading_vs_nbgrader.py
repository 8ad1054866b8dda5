"""Grade one class with nbgrader and with chapter2, side by side, and compare the time per submission.

    CHAPTER2_NBGRADER_PYTHON=/path/to/python-with-nbgrader python benchmarks/grading_vs_nbgrader.py
    python benchmarks/grading_vs_nbgrader.py --count 8 --repeat 3

The class: notebook 03 as nbgrader's ``source/ps1``, released with ``nbgrader
generate_assignment``; half the students hand in the release with the
instructor's solutions put back (full marks), half hand it in unanswered (0).
Every round grades the same ``submitted/`` folder three ways, in turn:
``nbgrader autograde`` (which runs every notebook in a kernel of its own, in
one process, without a sandbox), and ``python -m chapter2 grade`` with one and
with two workers (a runner process, a kernel, bubblewrap and a user of its own
per submission). Rounds alternate the order, so a slow spell of the machine
hits all three alike; the table shows medians and the ratio to nbgrader, and
the scores of every run must be the honest ones, or the benchmark fails.

nbgrader is not a dependency of chapter2 (a database, a server extension and
pins of its own): give a Python that has it with ``--nbgrader-python`` or
``CHAPTER2_NBGRADER_PYTHON`` (``.ci/run`` makes one), e.g.
``python3 -m venv /tmp/nbg && /tmp/nbg/bin/pip install -e . "nbgrader>=0.9"``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = "03_elementwise_and_broadcasting.ipynb"
RUNS = ("nbgrader autograde", "chapter2 grade --workers 1", "chapter2 grade --workers 2")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=8, help="submissions, half honest (default 8)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the table shows medians (default 3)")
    parser.add_argument("--nbgrader-python", type=Path,
                        default=os.environ.get("CHAPTER2_NBGRADER_PYTHON") or None,
                        help="a Python with nbgrader (default: $CHAPTER2_NBGRADER_PYTHON)")
    args = parser.parse_args(argv)
    if args.count < 2 or args.repeat < 1:
        parser.error("--count must be at least 2 (one honest, one unanswered) and --repeat at least 1")
    if args.nbgrader_python is None or not Path(args.nbgrader_python).exists():
        parser.error("no Python with nbgrader: pass --nbgrader-python or set CHAPTER2_NBGRADER_PYTHON "
                     "(see this script's docstring for how to make one)")
    return args


def nbgrader(python: Path, course: Path, *args: str) -> None:
    """Run one nbgrader command in the course folder; exit with its output if it fails."""
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(course / ".jupyter"),
           "PATH": os.pathsep.join([str(Path(python).parent), os.environ.get("PATH", "")])}
    result = subprocess.run([str(python), "-m", "nbgrader", *args], cwd=course, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"nbgrader {args[0]} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")


def build_course(course: Path, python: Path, count: int) -> dict[str, float]:
    """The course folder with ``count`` submissions; returns the honest score of each student."""
    (course / "source" / "ps1").mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / NOTEBOOK, course / "source" / "ps1" / NOTEBOOK)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'chapter2'\n"
        "c.ExecutePreprocessor.timeout = 120\n")
    nbgrader(python, course, "generate_assignment", "ps1", "--force")
    release = nbformat.read(course / "release" / "ps1" / NOTEBOOK, as_version=4)
    instructor = nbformat.read(course / "source" / "ps1" / NOTEBOOK, as_version=4)
    solutions = {c.metadata["nbgrader"]["grade_id"]: c.source for c in instructor.cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    answered = nbformat.from_dict(json.loads(json.dumps(release)))
    for cell in answered.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in solutions:
            cell.source = solutions[grade_id]
    full = float(sum(c.metadata["nbgrader"]["points"] for c in instructor.cells
                     if c.metadata.get("nbgrader", {}).get("grade")))
    expected = {}
    for i in range(count):
        honest = i % 2 == 0
        student = f"s{i:03d}-{'honest' if honest else 'unanswered'}"
        folder = course / "submitted" / student / "ps1"
        folder.mkdir(parents=True)
        nbformat.write(answered if honest else release, folder / NOTEBOOK)
        expected[student] = full if honest else 0.0
    return expected


def with_chapter2(course: Path, workers: int) -> dict[str, float]:
    """``python -m chapter2 grade`` on the same ``submitted/`` folder, then its scores."""
    report = course / f"chapter2-{workers}.json"
    result = subprocess.run([sys.executable, "-m", "chapter2", "grade", str(course / "submitted"),
                             "--source", str(course / "source"), "--json", str(report),
                             "--no-progress", "--workers", str(workers)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"chapter2 grade failed:\n{result.stderr[-2000:]}")
    return {n["student"]: n["points"] for n in json.loads(report.read_text())["notebooks"]}


def timed(run: str, course: Path, python: Path) -> tuple[float, dict[str, float]]:
    """Wall time of one way of grading the class (the export of nbgrader's scores excluded)."""
    started = time.perf_counter()
    if run.startswith("nbgrader"):
        shutil.rmtree(course / "autograded", ignore_errors=True)
        nbgrader(python, course, "autograde", "ps1", "--create", "--force")
        seconds = time.perf_counter() - started
        return seconds, with_nbgrader_scores(course, python)
    scores = with_chapter2(course, int(run.rsplit(" ", 1)[1]))
    return time.perf_counter() - started, scores


def with_nbgrader_scores(course: Path, python: Path) -> dict[str, float]:
    """nbgrader's scores of the last autograde (``nbgrader export``)."""
    grades = course / "grades.csv"
    nbgrader(python, course, "export", "--to", str(grades))
    with open(grades, newline="") as handle:
        return {row["student_id"]: float(row["score"]) for row in csv.DictReader(handle)}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    seconds: dict[str, list[float]] = {run: [] for run in RUNS}
    with tempfile.TemporaryDirectory(prefix="chapter2-vs-nbgrader-") as folder:
        course = Path(folder) / "course"
        expected = build_course(course, args.nbgrader_python, args.count)
        for round_ in range(args.repeat):
            order = RUNS if round_ % 2 == 0 else RUNS[::-1]
            for run in order:
                took, scores = timed(run, course, args.nbgrader_python)
                if scores != expected:
                    wrong = {s: p for s, p in scores.items() if p != expected.get(s)}
                    raise SystemExit(f"{run}: scores differ from the honest ones: {wrong}")
                seconds[run].append(took)
                print(f"  round {round_ + 1}: {run}: {took:.1f} s", file=sys.stderr, flush=True)
    print(f"{args.count} submissions of notebook 03 (half honest, half unanswered), "
          f"{args.repeat} round(s), {os.cpu_count()} cores; medians")
    print(f"{'run':<30}{'wall s':>9}{'s per submission':>19}{'vs nbgrader':>13}")
    reference = statistics.median(seconds[RUNS[0]])
    for run in RUNS:
        median = statistics.median(seconds[run])
        print(f"{run:<30}{median:>9.1f}{median / args.count:>19.2f}{median / reference:>12.2f}x")
    print("scores: every run gave each honest submission full marks and each unanswered one 0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
