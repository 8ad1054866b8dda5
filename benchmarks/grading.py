"""Grade a class of 200 submissions of notebook 03: 1 worker, 2 workers, a local Dask cluster.

    python benchmarks/grading.py            # 200 submissions, about half an hour on 2 cores
    python benchmarks/grading.py --count 20 # a quick look
    python benchmarks/grading.py --runs 2,dask  # only some of the three configurations

The class is built from a real ``assignments`` handout: 40 % honest (5 / 5),
30 % unanswered and 30 % hostile (patched checks, forged points, a shadowing
package, a forged answer protocol, an orphan process, an answer that never
returns). The same class is graded three ways, one after the other, with the
command teachers use (``python -m chapter2 grade``), and for each the table
gives the wall time, the peak memory of the whole process tree (grader,
runners, kernels, Dask scheduler and workers; sampled every 0.2 s) and the
throughput. Every run must give the same scores,
or the benchmark fails: honest submissions get the instructor notebook's full
score, all others 0.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = "03_elementwise_and_broadcasting.ipynb"
CHEATS = {
    "patched-check": "import chapter2.exercises.broadcasting as b\n"
                     "b.check_naive_leaky_relu = b.check_naive_add_column = lambda f: None",
    "forged-wire": "import chapter2.classroom.wire as w\n"
                   "w.kernel_call = lambda name, payload: w._publish({'result': w.encode(None)})",
    "orphan": "import subprocess, sys\n"
              "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'], start_new_session=True)",
    "stuck": "def naive_add_column(x, c):\n    while True:\n        pass",
}


RUNS = {"1": ("1 worker", ["--workers", "1"]), "2": ("2 workers", ["--workers", "2"]),
        "dask": ("Dask LocalCluster, 2 workers", None)}


def full_score(path: Path) -> float:
    """The points of all graded cells of the instructor notebook: what an honest submission earns."""
    nb = nbformat.read(path, as_version=4)
    return float(sum(c.metadata["nbgrader"]["points"] for c in nb.cells
                     if c.metadata.get("nbgrader", {}).get("grade")))


def build_class(root: Path, count: int) -> Path:
    from chapter2.classroom.student import write_student_versions

    source = root / "source" / "ps1"
    source.mkdir(parents=True)
    (source / NOTEBOOK).write_bytes((ROOT / "notebooks" / NOTEBOOK).read_bytes())
    (handout,) = write_student_versions([source / NOTEBOOK], root / "release")
    kinds = ["honest"] * 4 + ["unanswered"] * 3 + ["points", "shadow", "cheat"]
    cheat_names = list(CHEATS)
    for i in range(count):
        kind = kinds[i % len(kinds)]
        folder = root / "submitted" / f"s{i:03d}-{kind}" / "ps1"
        folder.mkdir(parents=True)
        nb = nbformat.read(source / NOTEBOOK if kind == "honest" else handout, as_version=4)
        if kind == "points":
            for cell in nb.cells:
                if cell.metadata.get("nbgrader", {}).get("grade"):
                    cell.metadata["nbgrader"]["points"] = 1000
        elif kind == "shadow":
            package = folder / "chapter2" / "exercises"
            package.mkdir(parents=True)
            (package.parent / "__init__.py").write_text("")
            (package / "__init__.py").write_text("")
            (package / "broadcasting.py").write_text("def __getattr__(name):\n    return lambda *a: None\n")
        elif kind == "cheat":
            code = CHEATS[cheat_names[(i // len(kinds)) % len(cheat_names)]]
            nb.cells.append(nbformat.v4.new_code_cell(code))
            if code.startswith("def "):  # the stuck answer replaces the solution cell's function
                nb.cells.insert(len(nb.cells) - 2, nb.cells.pop())
        nbformat.write(nb, folder / NOTEBOOK)
    return root


class PeakMemory:
    """The largest total resident memory of this process and all its descendants."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            time.sleep(0.2)


def grade(root: Path, name: str, extra: list[str], timeout: float) -> dict:
    report = root / f"report-{name}.json"
    command = [sys.executable, "-m", "chapter2", "grade", str(root / "submitted"),
               "--source", str(root / "source"), "--json", str(report), "--no-progress",
               "--timeout", str(timeout), *extra]
    with PeakMemory() as memory:
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True)
        seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{name}: grading failed\n{result.stderr[-2000:]}")
    data = json.loads(report.read_text())
    scores = {n["student"]: n["points"] for n in data["notebooks"]}
    return {"name": name, "seconds": seconds, "peak_mb": memory.peak / 2 ** 20, "scores": scores}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="submissions (default 200)")
    parser.add_argument("--timeout", type=float, default=10, help="seconds per cell (default 10)")
    parser.add_argument("--runs", default="1,2,dask",
                        help="comma-separated: 1 (one worker), 2 (two workers), dask (default: all three)")
    args = parser.parse_args()
    chosen = args.runs.split(",")
    unknown = set(chosen) - set(RUNS)
    if unknown:
        parser.error(f"--runs: unknown {sorted(unknown)}; choose from {', '.join(RUNS)}")
    print(f"{args.count} submissions of notebook 03 (40 % honest, 30 % unanswered, 30 % hostile), "
          f"--timeout {args.timeout:g}, on {psutil.cpu_count()} cores\n")
    print(f"{'run':<32}{'wall time':>11}{'peak memory':>14}{'throughput':>18}{'vs 1 worker':>13}", flush=True)
    runs = []
    with tempfile.TemporaryDirectory(prefix="chapter2-grading-bench-") as folder:
        root = build_class(Path(folder), args.count)
        full = full_score(root / "source" / "ps1" / NOTEBOOK)
        expected = None
        for key in chosen:
            name, extra = RUNS[key]
            if extra is None:
                run = _on_local_cluster(root, name, args.timeout)
            else:
                run = grade(root, name, extra, args.timeout)
            runs.append(run)
            expected = expected or {s: (full if s.endswith("honest") else 0.0) for s in run["scores"]}
            if run["scores"] != expected:
                wrong = {s: p for s, p in run["scores"].items() if p != expected[s]}
                raise SystemExit(f"{run['name']}: unexpected scores {wrong}")
            print(f"{run['name']:<32}{run['seconds']:>9.1f} s{run['peak_mb']:>11.0f} MB"
                  f"{args.count / run['seconds'] * 60:>11.1f} nb/min"
                  + (f"{runs[0]['seconds'] / run['seconds']:>12.2f}x" if chosen[0] == "1" else ""),
                  flush=True)
    print(f"\nscores identical in all runs: honest {full:g} / {full:g}, every other submission 0 / {full:g}")


def _on_local_cluster(root: Path, name: str, timeout: float) -> dict:
    """Grade through a real LocalCluster (2 worker processes on 127.0.0.1), counting its memory."""
    from distributed import LocalCluster

    with PeakMemory() as memory, LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                               host="127.0.0.1", dashboard_address=None) as cluster:
        # 127.0.0.1 only, for timing: the README's secure setup adds TLS certificates
        run = grade(root, name, ["--scheduler", cluster.scheduler_address, "--insecure-scheduler"], timeout)
    run["peak_mb"] = max(run["peak_mb"], memory.peak / 2 ** 20)
    return run


if __name__ == "__main__":
    main()
