"""The classroom case: the chapter's first example free, under a CPU quota, and several at once.

A JupyterHub pod has a CPU limit (a cgroup quota) while ``os.cpu_count()``
reports every core of the node. This script times the same job as ``run.py``
(each contender in a fresh process, its own ``fit`` timing) in four settings,
side by side in one run:

* free: nothing else running, no quota;
* under a quota of each ``--quotas`` value (default 1 and 0.5 CPUs): a cgroup
  the script makes itself, which needs root and a cgroup filesystem it may
  write (v1 ``cpu`` or v2 with the cpu controller); otherwise those columns
  are skipped with the reason;
* ``--concurrent`` trainings (default 4) started at once, no quota.

Usage::

    CHAPTER2_DATA_DIR=/work/shared/data python benchmarks/classroom.py [--only NAMES] [--repeat N]

Goals (issue 22): under a quota of q CPUs, chapter2's fit at most 1.15 x (cores / q)
x its free fit; ahead of the peers under the same quota; the concurrent trainings
all done within 1.15 x N x one free fit / cores.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (the contenders, interpreters and child environment of the main benchmark)

EXTRA = (run.Contender("chapter2-unmatched", "chapter2_engine.py", "project",
                       env=(("CHAPTER2_MATCH_THREADS", "0"),),
                       note="chapter2 with its thread matching turned off: one BLAS thread per reported core"),)
CONTENDERS = {c.name: c for c in (*run.CONTENDERS, *EXTRA)}
# What the free run with one thread sets: OpenBLAS and MKL (NumPy), OpenMP (PyTorch), XLA (JAX).
ONE_THREAD = (("OMP_NUM_THREADS", "1"), ("OPENBLAS_NUM_THREADS", "1"), ("MKL_NUM_THREADS", "1"),
              ("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"))
DEFAULT = "chapter2,chapter2-unmatched,chapter2-numpy,pytorch,keras-jax"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=DEFAULT, help=f"contenders, from: {', '.join(CONTENDERS)}")
    parser.add_argument("--quotas", default="1,0.5", help="CPU quotas to run under (default 1,0.5)")
    parser.add_argument("--concurrent", type=int, default=4, help="trainings started at once (default 4)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the table shows medians (default 1)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds allowed for one run")
    parser.add_argument("--tiny", action="store_true", help="run.py's smoke-test size (see run.py --help)")
    for flag, default in (("--peer-python", run.DEFAULT_PEER_PYTHON),
                          ("--keras-python", run.DEFAULT_KERAS_PYTHON),
                          ("--keras-jax-python", run.DEFAULT_KERAS_JAX_PYTHON)):
        parser.add_argument(flag, type=Path, default=default if default.exists() else None,
                            help=f"interpreter for the peers of that kind (default {default} if present)")
    args = parser.parse_args(argv)
    args.only = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = sorted(set(args.only) - set(CONTENDERS))
    if unknown:
        parser.error(f"--only: unknown contender(s) {unknown}; choose from {list(CONTENDERS)}")
    try:
        args.quotas = [float(q) for q in args.quotas.split(",") if q.strip()]
    except ValueError:
        parser.error(f"--quotas must be numbers such as 1,0.5, got {args.quotas!r}")
    if any(not 0 < q <= 1024 for q in args.quotas) or args.concurrent < 1 or args.repeat < 1:
        parser.error("--quotas must be positive, --concurrent and --repeat at least 1")
    return args


# ------------------------------------------------------------------ cgroups
def cgroup_place() -> tuple[Path, str] | str:
    """(a folder to make quota groups in, "v1" or "v2"), or why none can be made here."""
    if os.geteuid() != 0:
        return "not root"
    v1 = Path("/sys/fs/cgroup/cpu")
    if (v1 / "cpu.cfs_quota_us").exists() and os.access(v1, os.W_OK):
        return v1, "v1"
    v2 = Path("/sys/fs/cgroup")
    if (v2 / "cgroup.controllers").exists() and "cpu" in (v2 / "cgroup.subtree_control").read_text().split():
        return v2, "v2"
    return "no writable cgroup filesystem with the cpu controller"


@contextlib.contextmanager
def quota_group(place: tuple[Path, str], cpus: float) -> Iterator[Path]:
    """A new cgroup limited to ``cpus`` CPUs, removed when the block ends; yields the file to join it."""
    folder, version = place
    group = folder / f"chapter2-bench-{os.getpid()}-{str(cpus).replace('.', '_')}"
    group.mkdir()
    period = 100_000
    try:
        if version == "v1":
            (group / "cpu.cfs_period_us").write_text(str(period))
            (group / "cpu.cfs_quota_us").write_text(str(int(cpus * period)))
            yield group / "tasks"
        else:
            (group / "cpu.max").write_text(f"{int(cpus * period)} {period}")
            yield group / "cgroup.procs"
    finally:
        for _ in range(50):  # the children have exited; the kernel may need a moment
            try:
                group.rmdir()
                break
            except OSError:
                time.sleep(0.1)


# ------------------------------------------------------------------ runs
def command_for(contender: run.Contender, args: argparse.Namespace, seed: int) -> list[str] | str:
    python = run.interpreter_for(contender, args)
    if python is None or not Path(python).exists():
        return f"no {contender.interpreter} interpreter (see benchmarks/README.md, or --{contender.interpreter}-python)"
    if contender.script == run.CLI:
        return [str(python), *run.CLI.split(), *contender.args, "--seed", str(seed), *run.size_args(contender, args)]
    return [str(python), str(run.HERE / "contenders" / contender.script), *contender.args, "--seed", str(seed),
            *run.size_args(contender, args)]


def start(contender: run.Contender, command: list[str], cache: Path, join: Path | None,
          out) -> subprocess.Popen:
    env = run.child_env(contender.interpreter == "project", {"NUMBA_CACHE_DIR": str(cache), **dict(contender.env)})

    def enter_group():
        if join is not None:
            join.write_text(str(os.getpid()))
    return subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, env=env, cwd=run.REPO,
                            preexec_fn=enter_group)


def fit_seconds(contender, command, cache, args, join=None, copies=1) -> float | str:
    """The slowest ``fit`` of ``copies`` runs started together (in ``join``'s group), or why none ran."""
    outs = [tempfile.TemporaryFile() for _ in range(copies)]
    procs = [start(contender, command, cache, join, out) for out in outs]
    deadline = time.monotonic() + args.timeout
    for proc in procs:
        try:
            proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            for p in procs:
                p.kill()
            return f"killed after {args.timeout:g} s"
    results = []
    for proc, out in zip(procs, outs):
        out.seek(0)
        result = run.last_json_line(out.read().decode(errors="replace"))
        out.close()
        if proc.returncode != 0 or result is None or "fit_s" not in result:
            return (result or {}).get("skipped") or f"exit {proc.returncode}"
        results.append(result["fit_s"])
    return max(results)


def measure(contender, args, place, cache, seed) -> dict[str, float | str]:
    command = command_for(contender, args, seed)
    if isinstance(command, str):
        return {"free": command}
    row: dict[str, float | str] = {"free": fit_seconds(contender, command, cache, args)}
    one = run.Contender(contender.name, contender.script, contender.interpreter, contender.args,
                        env=(*contender.env, *ONE_THREAD))
    row["one thread"] = fit_seconds(one, command, cache, args)
    for q in args.quotas:
        if isinstance(place, str):
            row[f"q{q:g}"] = place
            continue
        with quota_group(place, q) as join:
            row[f"q{q:g}"] = fit_seconds(contender, command, cache, args, join=join)
    row["together"] = fit_seconds(contender, command, cache, args, copies=args.concurrent)
    return row


# ------------------------------------------------------------------ report
def median_or_reason(values: list[float | str]) -> float | str:
    numbers = [v for v in values if isinstance(v, float)]
    return statistics.median(numbers) if numbers else (values[0] if values else "not run")


def table(rows: dict[str, dict[str, float | str]], args: argparse.Namespace, cores: int) -> list[str]:
    columns = ["free", "one thread"] + [f"q{q:g}" for q in args.quotas] + ["together"]
    heads = ["free fit s", "free, 1 thread: s"] + [f"quota {q:g} CPU: s (x free, goal <= {1.15 * cores / q:.2f})"
                                                   for q in args.quotas]
    heads.append(f"{args.concurrent} at once: slowest s (goal <= {1.15 * args.concurrent / cores:.2f} x free)")
    lines = [" | ".join(["contender", *heads])]
    for name, row in rows.items():
        free = row.get("free")
        cells = []
        for column in columns:
            value = row.get(column, "not run")
            if isinstance(value, float) and isinstance(free, float) and column != "free":
                cells.append(f"{value:.2f} ({value / free:.2f}x)")
            elif isinstance(value, float):
                cells.append(f"{value:.2f}")
            else:
                cells.append(f"skipped: {value}")
        lines.append(" | ".join([name, *cells]))
    return lines


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not os.environ.get("CHAPTER2_DATA_DIR"):
        print("CHAPTER2_DATA_DIR is not set: point it at the folder holding mnist.npz", file=sys.stderr)
        return 2
    place = cgroup_place()
    cores = os.cpu_count() or 1
    print(f"{cores} cores; quotas: " + (place if isinstance(place, str) else f"cgroup {place[1]} at {place[0]}"),
          file=sys.stderr, flush=True)
    gathered: dict[str, list[dict]] = {name: [] for name in args.only}
    with tempfile.TemporaryDirectory(prefix="numba-cache-") as cache:
        run.warm_numba_cache(Path(cache), args)
        for seed in range(args.repeat):
            for name in args.only:  # round-robin, so a slow spell hits every contender alike
                row = measure(CONTENDERS[name], args, place, Path(cache), seed)
                gathered[name].append(row)
                print(f"  {name} round {seed + 1}: {row}", file=sys.stderr, flush=True)
    rows = {name: {column: median_or_reason([r[column] for r in found if column in r])
                   for column in found[0]} for name, found in gathered.items()}
    if args.tiny:
        print(run.TINY_NOTE)
    print(f"machine: {run.cpu_model()}, {cores} logical CPUs; load {os.getloadavg()[0]:.2f}")
    print("\n".join(table(rows, args, cores)))
    print(f"{args.concurrent} at once cannot beat {args.concurrent} x the one-thread fit / {cores} cores "
          f"(each core runs one training's thread at a time); the goal assumes {cores} threads "
          f"make one training {cores} times faster.")
    print("notes:")
    for name in args.only:
        print(f"  {name}: {CONTENDERS[name].note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
