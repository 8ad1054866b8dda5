"""How long the seed example's import lines take, over a bare Python start.

Each round starts two fresh interpreters, one that only starts and one that
runs the three import lines of the first example, and takes the difference of
their wall times; the table gives the median and the spread over rounds.
Goal: under 0.2 s (issue 21; it was 0.24 s while ``pooch`` was imported up front).

    python benchmarks/import_time.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

SEED_IMPORTS = ("from chapter2.datasets import mnist\n"
                "from chapter2 import models, layers\n"
                "from chapter2.utils import to_categorical\n")
GOAL_S = 0.2


def wall_time(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - started


def measure(rounds: int) -> list[float]:
    """Seconds the import lines add to a fresh interpreter, one figure per round."""
    wall_time(SEED_IMPORTS)                       # warm the file cache once
    return [wall_time(SEED_IMPORTS) - wall_time("pass") for _ in range(rounds)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)
    extra = measure(args.rounds)
    median = statistics.median(extra)
    print("| what | median s | min s | max s | goal |")
    print("|---|---|---|---|---|")
    print(f"| seed import lines over bare Python ({args.rounds} rounds) | {median:.3f} | "
          f"{min(extra):.3f} | {max(extra):.3f} | < {GOAL_S} s: {'yes' if median < GOAL_S else 'NO'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
