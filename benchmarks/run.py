"""Time the chapter's first example on chapter2 and on its peers, and print one table.

The job: Dense 512 relu -> Dense 10 softmax, RMSprop (lr 1e-3, rho 0.9, eps 1e-7),
categorical cross-entropy, 5 epochs of batch 128 over the 60,000 MNIST training
images, then an evaluation on the 10,000 test images. Every contender runs in a
fresh process and times its own ``fit`` and ``evaluate``; this script reads the
peak memory of each process from the operating system when it exits, and
measures the machine's matmul floors in the same run (see ``floors.py``).

Usage::

    CHAPTER2_DATA_DIR=/work/shared/data python benchmarks/run.py [--repeat N] [--only NAMES]

See benchmarks/README.md for the benchmark venvs and the meaning of each column.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_PEER_PYTHON = Path("/work/benchvenv/bin/python")
DEFAULT_KERAS_PYTHON = Path("/work/benchvenv-keras/bin/python")
DEFAULT_KERAS_JAX_PYTHON = Path("/work/benchvenv-keras-jax/bin/python")
# --tiny: a smoke-test size, so every contender runs in seconds (tests/test_benchmarks.py).
TINY_TRAIN, TINY_TEST, TINY_FLOOR_STEPS = 512, 256, 20
TINY_NOTE = (f"size: TINY ({TINY_TRAIN} training images, {TINY_TEST} test images "
             f"(cli: all of them), 1 epoch) -- a smoke test, not the real job: do not quote these figures")


@dataclass(frozen=True)
class Contender:
    name: str
    script: str          # a file in contenders/, or "-m chapter2" for the command line
    interpreter: str     # "project", "peer", "keras" or "keras-jax": which --*-python runs it
    args: tuple[str, ...] = ()
    note: str = ""
    env: tuple[tuple[str, str], ...] = ()
    numba_cache: str = "warm"   # "warm": the run's shared cache, filled before timing; "empty": a new one


CLI = "-m chapter2"
CONTENDERS = (
    Contender("chapter2", "chapter2_engine.py", "project",
              note="the book's code with keras -> chapter2; fused kernels when numba is installed, "
                   "compiled kernels loaded from numba's cache"),
    Contender("chapter2-compile", "chapter2_engine.py", "project", numba_cache="empty",
              note="the same, in a process that finds no cached kernels and compiles them"),
    Contender("chapter2-numpy", "chapter2_engine.py", "project", env=(("CHAPTER2_KERNELS", "numpy"),),
              note="the same, pure NumPy kernels forced (CHAPTER2_KERNELS=numpy)"),
    Contender("cli", CLI, "project", ("train", "--verbose", "0"),
              note="python -m chapter2 train: uint8 images, scaled per batch (default kernels)"),
    Contender("cli-numpy", CLI, "project", ("train", "--verbose", "0"),
              env=(("CHAPTER2_KERNELS", "numpy"),),
              note="python -m chapter2 train with CHAPTER2_KERNELS=numpy"),
    Contender("numpy-loop", "numpy_loop.py", "project",
              note="plain NumPy, one expression per line"),
    Contender("numpy-tuned", "numpy_loop_tuned.py", "project",
              note="NumPy tuned by hand: preallocated buffers, in-place ufuncs, fewest passes"),
    Contender("pytorch", "pytorch.py", "peer",
              note="torch.optim.RMSprop: eps added outside the sqrt"),
    Contender("keras-tf", "keras_book.py", "keras", ("--backend", "tensorflow"),
              note="the book's code on Keras 3 + TensorFlow"),
    Contender("keras-jax", "keras_book.py", "keras-jax", ("--backend", "jax"),
              note="the book's code on Keras 3 + JAX"),
)
NAMES = tuple(c.name for c in CONTENDERS)


@dataclass
class Outcome:
    """Everything gathered about one contender across the repeats."""

    runs: list[dict] = field(default_factory=list)
    skipped: str = ""
    failed: str = ""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3,
                        help="fresh runs of each contender; the table shows the median (default 3)")
    parser.add_argument("--only", default=",".join(NAMES),
                        help=f"comma-separated contenders to run, from: {', '.join(NAMES)}")
    parser.add_argument("--peer-python", type=Path,
                        default=DEFAULT_PEER_PYTHON if DEFAULT_PEER_PYTHON.exists() else None,
                        help="interpreter with torch (default /work/benchvenv/bin/python if present)")
    parser.add_argument("--keras-python", type=Path,
                        default=DEFAULT_KERAS_PYTHON if DEFAULT_KERAS_PYTHON.exists() else None,
                        help="interpreter with keras + tensorflow "
                             "(default /work/benchvenv-keras/bin/python if present)")
    parser.add_argument("--keras-jax-python", type=Path,
                        default=DEFAULT_KERAS_JAX_PYTHON if DEFAULT_KERAS_JAX_PYTHON.exists() else None,
                        help="interpreter with keras + jax, without tensorflow, since Keras loads "
                             "tensorflow when it is installed (default /work/benchvenv-keras-jax/bin/python "
                             "if present)")
    parser.add_argument("--floor-trials", type=int, default=2,
                        help="runs of the real-shape matmul loop; the best counts (default 2)")
    parser.add_argument("--no-floors", action="store_true",
                        help="skip the matmul measurements (no ratios in the table)")
    parser.add_argument("--timeout", type=float, default=900,
                        help="seconds allowed for one contender run (default 900)")
    parser.add_argument("--json", type=Path, help="also write every raw result to this file")
    parser.add_argument("--tiny", action="store_true",
                        help=f"smoke-test size: {TINY_TRAIN} training and {TINY_TEST} test images, 1 epoch, "
                             f"one floor trial of {TINY_FLOOR_STEPS} steps; goals are not judged")
    args = parser.parse_args(argv)
    if args.tiny:
        args.floor_trials = 1
    args.only = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = sorted(set(args.only) - set(NAMES))
    if unknown:
        parser.error(f"--only: unknown contender(s) {unknown}; choose from {list(NAMES)}")
    if args.repeat < 1:
        parser.error(f"--repeat must be at least 1, got {args.repeat}")
    return args


def child_env(with_project: bool, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a child: ours, with this checkout first on the path if asked.

    Putting the checkout on ``PYTHONPATH`` makes the ``chapter2`` contenders time
    this tree's engine even where another copy is installed; peers never get it.
    """
    env = dict(os.environ)
    if with_project:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.update(extra or {})
    return env


def run_child(command: list[str], timeout: float, with_project: bool = True,
              env: dict[str, str] | None = None) -> tuple[int, str, str, float, float]:
    """Run ``command`` to the end; return exit code, stdout, stderr, its peak RSS in MB and wall s.

    ``os.wait4`` gives the resource usage of exactly this child (``RUSAGE_CHILDREN``
    would give the largest child so far), so each peak belongs to one run.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, env=child_env(with_project, env),
                                cwd=REPO)
        deadline = time.monotonic() + timeout
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                timed_out = True
                deadline = float("inf")
            time.sleep(0.02)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text_out = out.read().decode(errors="replace")
        text_err = err.read().decode(errors="replace")
    if timed_out:
        text_err += f"\nrun.py: killed after the {timeout:.0f} s timeout (--timeout)\n"
    return proc.returncode, text_out, text_err, usage.ru_maxrss / 1024, wall


def last_json_line(text: str) -> dict | None:
    """The last line of ``text`` that parses as a JSON object, if any."""
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                continue
    return None


def interpreter_for(contender: Contender, args: argparse.Namespace) -> Path | None:
    return {"project": Path(sys.executable), "peer": args.peer_python,
            "keras": args.keras_python, "keras-jax": args.keras_jax_python}[contender.interpreter]


def measure_floors(args: argparse.Namespace) -> dict | None:
    if args.no_floors:
        return None
    print("measuring the matmul floors ...", file=sys.stderr, flush=True)
    steps = ["--steps", str(TINY_FLOOR_STEPS)] if args.tiny else []
    code, out, err, _, _ = run_child(
        [sys.executable, str(HERE / "floors.py"), "--trials", str(args.floor_trials), *steps], args.timeout)
    floors = last_json_line(out)
    if code != 0 or floors is None:
        print(f"floors.py failed (exit {code}):\n{err[-2000:]}", file=sys.stderr)
    else:
        print("\n".join(header_lines(floors)[1:]), file=sys.stderr, flush=True)
    return floors


def parse_cli(text: str) -> dict | None:
    """The figures ``python -m chapter2 train`` prints on its last line, as a result dict."""
    match = re.search(r"test_acc: ([0-9.]+)\s+test_loss: ([0-9.]+)\s+\(fit took ([0-9.]+) s\)", text)
    if match is None:
        return None
    return {"test_acc": float(match[1]), "test_loss": float(match[2]), "fit_s": float(match[3])}


def size_args(contender: Contender, args: argparse.Namespace) -> list[str]:
    """The options that shrink the job under ``--tiny``; none for the real job.

    The command line has no size option, so ``cli`` runs one epoch of all 60,000 images.
    """
    if not args.tiny:
        return []
    if contender.script == CLI:
        return ["--epochs", "1"]
    return ["--train-size", str(TINY_TRAIN), "--test-size", str(TINY_TEST), "--epochs", "1"]


def run_once(contender: Contender, seed: int, args: argparse.Namespace, outcome: Outcome,
             warm_cache: Path) -> None:
    """Run one fresh process of ``contender`` and file its result in ``outcome``."""
    python = interpreter_for(contender, args)
    if python is None or not python.exists():
        outcome.skipped = (f"no {contender.interpreter} interpreter ({python or 'none given'}): "
                           f"make the benchmark venv (benchmarks/README.md) "
                           f"or pass --{contender.interpreter}-python")
        return
    if contender.script == CLI:
        command = [str(python), *CLI.split(), *contender.args, "--seed", str(seed)]
    else:
        command = [str(python), str(HERE / "contenders" / contender.script),
                   *contender.args, "--seed", str(seed)]
    command += size_args(contender, args)
    with tempfile.TemporaryDirectory(prefix="numba-cache-") as empty_cache:
        cache = warm_cache if contender.numba_cache == "warm" else empty_cache
        env = {"NUMBA_CACHE_DIR": str(cache), **dict(contender.env)}
        code, out, err, peak_mb, wall = run_child(command, args.timeout,
                                                  with_project=contender.interpreter == "project",
                                                  env=env)
    result = parse_cli(out) if contender.script == CLI else last_json_line(out)
    if result and "skipped" in result:
        outcome.skipped = result["skipped"]
    elif code != 0 or result is None:
        outcome.failed = f"exit {code}: " + (err.strip().splitlines() or ["no output"])[-1]
        print(f"{contender.name} failed (exit {code}):\n{err[-3000:]}", file=sys.stderr)
    else:
        result["peak_rss_mb"] = peak_mb
        result["process_s"] = wall
        outcome.runs.append(result)
        print(f"  {contender.name:<16} seed {seed}: fit {result['fit_s']:.2f} s, "
              f"process {wall:.2f} s, {peak_mb:.0f} MB, acc {result['test_acc']:.4f}",
              file=sys.stderr, flush=True)


def warm_numba_cache(cache: Path, args: argparse.Namespace) -> None:
    """Compile the engine's kernels into ``cache`` once, untimed, for the "warm" contenders."""
    code = ("from chapter2.training import build_mnist_network\n"
            "import numpy as np\n"
            "net = build_mnist_network()\n"
            "net.fit(np.zeros((256, 784), 'float32'), np.eye(10, dtype='float32')[np.arange(256) % 10],"
            " epochs=1, batch_size=128, verbose=0)\n")
    code_, _, err, _, _ = run_child([sys.executable, "-c", code], args.timeout,
                                    env={"NUMBA_CACHE_DIR": str(cache)})
    if code_ != 0:
        print(f"warming the numba cache failed:\n{err[-2000:]}", file=sys.stderr)


def cell_range(values: list[float], fmt: str) -> str:
    """Median of ``values``, followed by ``[min-max]`` when there is more than one."""
    median = format(statistics.median(values), fmt)
    if len(values) == 1:
        return median
    return f"{median} [{min(values):{fmt}}-{max(values):{fmt}}]"


def header_lines(floors: dict | None) -> list[str]:
    lines = [f"machine: {cpu_model()}, {os.cpu_count()} logical CPUs"]
    if floors is None:
        return lines + ["matmul floors: not measured (--no-floors)"]
    return lines + [
        f"numpy {floors['numpy']}, BLAS: {floors['blas']}",
        f"peak float32 matmul (2048x2048, best of 7): {floors['peak_gflops']:.1f} GFLOP/s",
        f"bound = {floors['job_gflop']:.1f} GFLOP / peak = {floors['bound_s']:.2f} s",
        f"real-shape matmul time (the 5 products of a step x {floors.get('steps', 2345)}): "
        f"{floors['real_shape_s']:.2f} s ({floors['real_shape_s'] / floors['bound_s']:.2f} x bound)",
    ]


def table_rows(outcomes: dict[str, Outcome], floors: dict | None) -> list[list[str]]:
    rows = [["contender", "fit s median [min-max]", "process s", "evaluate s", "fit/bound",
             "fit/real-shape", "peak MB", "test acc"]]
    for name, outcome in outcomes.items():
        if not outcome.runs:
            reason = outcome.skipped or outcome.failed or "not run"
            rows.append([name, ("skipped: " if outcome.skipped else "FAILED: ") + reason])
            continue
        fits = [r["fit_s"] for r in outcome.runs]
        fit = statistics.median(fits)
        evaluates = [r["evaluate_s"] for r in outcome.runs if "evaluate_s" in r]
        rows.append([
            name,
            cell_range(fits, ".2f"),
            f"{statistics.median(r['process_s'] for r in outcome.runs):.2f}",
            cell_range(evaluates, ".2f") if evaluates else "-",
            f"{fit / floors['bound_s']:.2f}" if floors else "-",
            f"{fit / floors['real_shape_s']:.2f}" if floors else "-",
            f"{max(r['peak_rss_mb'] for r in outcome.runs):.0f}",
            cell_range([r["test_acc"] for r in outcome.runs], ".4f"),
        ])
    return rows


def goal_lines(outcomes: dict[str, Outcome], floors: dict | None) -> list[str]:
    """The issue's goals, each checked against this run's figures (only where both sides ran)."""
    def fit(name):
        runs = outcomes.get(name, Outcome()).runs
        return statistics.median(r["fit_s"] for r in runs) if runs else None

    def peak(name):
        runs = outcomes.get(name, Outcome()).runs
        return max(r["peak_rss_mb"] for r in runs) if runs else None

    def verdict(ok):
        return "yes" if ok else "NO"

    lines = []
    fused, plain, tuned = fit("chapter2"), fit("chapter2-numpy"), fit("numpy-tuned")
    peers = {n: fit(n) for n in ("pytorch", "keras-jax") if fit(n) is not None}
    if fused is not None and floors:
        ratio = fused / floors["real_shape_s"]
        lines.append(f"chapter2 fit <= 1.25 x real-shape matmul time: {ratio:.2f} x -> {verdict(ratio <= 1.25)}")
    if fused is not None and peers:
        best = min(peers, key=peers.get)
        speedup = peers[best] / fused
        lines.append(f"chapter2 >= 1.5 x faster than the fastest peer ({best}, {peers[best]:.2f} s): "
                     f"{speedup:.2f} x -> {verdict(speedup >= 1.5)}")
    if plain is not None and tuned is not None:
        lines.append(f"chapter2-numpy not slower than numpy-tuned: {plain:.2f} s vs {tuned:.2f} s "
                     f"({plain / tuned:.2f} x) -> {verdict(plain <= tuned)}")
    for name, limit in (("chapter2", 600), ("chapter2-numpy", 600), ("cli", 150), ("cli-numpy", 150)):
        if peak(name) is not None:
            lines.append(f"{name} peak RSS <= {limit} MB: {peak(name):.0f} MB -> {verdict(peak(name) <= limit)}")
    for name in ("chapter2", "chapter2-numpy", "cli", "cli-numpy"):
        runs = outcomes.get(name, Outcome()).runs
        if runs:
            accuracies = [r["test_acc"] for r in runs]
            ok = min(accuracies) >= 0.975 and statistics.median(accuracies) >= 0.978
            lines.append(f"{name} test accuracy, every run >= 0.975 and median >= 0.978 over "
                         f"{len(runs)} seed(s): min {min(accuracies):.4f}, median "
                         f"{statistics.median(accuracies):.4f} -> {verdict(ok)}")
    return lines


def what_dominates(args: argparse.Namespace, with_numpy: bool) -> list[str]:
    """Where a step's time goes (``step_breakdown.py`` in this run), for a speed goal that was missed."""
    lines = ["what dominates a step (benchmarks/step_breakdown.py, run now; a speed goal above was missed):"]
    for choice in ("auto", "numpy") if with_numpy else ("auto",):
        code, out, err, _, _ = run_child([sys.executable, str(HERE / "step_breakdown.py"),
                                          "--kernels", choice], args.timeout)
        if code != 0:
            lines.append(f"  step_breakdown.py --kernels {choice} failed: {(err.strip().splitlines() or ['?'])[-1]}")
            continue
        lines += [f"  {line}" for line in out.strip().splitlines()]
    return lines


def format_table(rows: list[list[str]]) -> str:
    full = [r for r in rows if len(r) == len(rows[0])]
    widths = [max(len(r[i]) for r in full) for i in range(len(rows[0]))]
    widths[0] = max(len(r[0]) for r in rows)
    lines = []
    for row in rows:
        if len(row) != len(widths):  # a skipped or failed contender: one free-form cell
            lines.append(f"{row[0]:<{widths[0]}}  {row[1]}")
        else:
            lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def versions_line(outcomes: dict[str, Outcome]) -> list[str]:
    lines = []
    for name, outcome in outcomes.items():
        if outcome.runs:
            r = outcome.runs[0]
            extra = {k: r[k] for k in ("kernels", "torch", "torch_threads", "keras", "backend",
                                       "backend_version") if k in r}
            if "python" not in r:   # the command line prints no versions
                continue
            lines.append(f"  {name}: python {r['python']}, numpy {r['numpy']}"
                         + "".join(f", {k} {v}" for k, v in extra.items()))
    return lines


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not os.environ.get("CHAPTER2_DATA_DIR"):
        print("CHAPTER2_DATA_DIR is not set: point it at the folder holding mnist.npz, e.g.\n"
              "  CHAPTER2_DATA_DIR=/work/shared/data python benchmarks/run.py", file=sys.stderr)
        return 2
    selected = [c for c in CONTENDERS if c.name in args.only]
    if args.tiny:
        print(TINY_NOTE, file=sys.stderr, flush=True)
    load_before = os.getloadavg()
    floors = measure_floors(args)
    outcomes = {c.name: Outcome() for c in selected}
    with tempfile.TemporaryDirectory(prefix="numba-cache-") as warm_cache:
        if any(c.interpreter == "project" and c.numba_cache == "warm" for c in selected):
            print("filling the numba cache for the cached-kernel contenders ...", file=sys.stderr, flush=True)
            warm_numba_cache(Path(warm_cache), args)
        # Round-robin over contenders, so a slow spell on the machine hits all of them alike.
        for seed in range(args.repeat):
            print(f"repeat {seed + 1}/{args.repeat}", file=sys.stderr, flush=True)
            for contender in selected:
                outcome = outcomes[contender.name]
                if not (outcome.skipped or outcome.failed):
                    run_once(contender, seed, args, outcome, Path(warm_cache))
            if seed + 1 < args.repeat:
                # On a busy machine a run can take hours: say where it stands after each round.
                print(f"after {seed + 1} round(s):\n{format_table(table_rows(outcomes, floors))}",
                      file=sys.stderr, flush=True)
    load_after = os.getloadavg()
    print("\n".join(header_lines(floors)))
    print(f"load average (1, 5, 15 min): {_loads(load_before)} at the start, {_loads(load_after)} at the end")
    print()
    if args.tiny:  # right above the table, so a pasted table carries it
        print(TINY_NOTE)
    # A tiny run's fit is no fraction of the real job's floors: no ratios for it.
    print(format_table(table_rows(outcomes, None if args.tiny else floors)))
    print()
    goals = [] if args.tiny else goal_lines(outcomes, floors)
    if args.tiny:
        print("goals (issues 14 and 22): not judged at the tiny size\n")
    if goals:
        print("goals (issues 14 and 22):")
        print("\n".join(f"  {line}" for line in goals))
        print()
    missed = [line for line in goals if line.endswith("NO") and ("real-shape" in line or "peer" in line
                                                                 or "numpy-tuned" in line)]
    if missed:
        print("\n".join(what_dominates(args, "chapter2-numpy" in args.only)))
        print()
    print("notes:")
    for contender in selected:
        print(f"  {contender.name}: {contender.note}")
    versions = versions_line(outcomes)
    if versions:
        print("versions:")
        print("\n".join(versions))
    if args.json:
        args.json.write_text(json.dumps(
            {"tiny": args.tiny, "floors": floors, "results": {n: o.__dict__ for n, o in outcomes.items()}},
            indent=2))
    return 1 if any(o.failed for o in outcomes.values()) else 0


def _loads(loads: tuple[float, float, float]) -> str:
    return " ".join(f"{value:.2f}" for value in loads)


if __name__ == "__main__":
    sys.exit(main())
