"""Measure this machine's matmul speed, and from it two floors for the job's fit time.

* **Peak rate**: the best float32 GFLOP/s of large square products (2048 x 2048),
  best of several. The **bound** is the job's matrix work, 490.9 GFLOP, done at
  that rate: no implementation of this network can train faster.
* **Real-shape matmul time**: the five products of one training step at their
  real shapes (batch 128), run 2,345 times (469 steps an epoch, 5 epochs). Small
  products run below peak, so this practical floor sits above the bound.

Prints one JSON line. Run alone: ``python benchmarks/floors.py [--trials N]``.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

BATCH, INPUTS, HIDDEN, CLASSES = 128, 28 * 28, 512, 10
SAMPLES, EPOCHS, STEPS = 60_000, 5, 2_345
# Forward x @ W1 and weight gradient x.T @ dh in layer 1 (its input gradient is never
# needed); forward, weight gradient and input gradient in layer 2. Two FLOP a multiply-add.
FLOP_PER_SAMPLE = 2 * INPUTS * HIDDEN * 2 + 2 * HIDDEN * CLASSES * 3
JOB_FLOP = FLOP_PER_SAMPLE * SAMPLES * EPOCHS


def peak_gflops(n: int = 2048, trials: int = 7) -> float:
    """Best GFLOP/s of an ``n x n`` float32 matrix product over ``trials`` timed runs."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n), dtype=np.float32)
    b = rng.standard_normal((n, n), dtype=np.float32)
    out = np.empty((n, n), dtype=np.float32)
    np.matmul(a, b, out=out)  # warm-up: threads started, pages touched
    best = float("inf")
    for _ in range(trials):
        start = time.perf_counter()
        np.matmul(a, b, out=out)
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best / 1e9


def real_shape_seconds(trials: int = 1, steps: int = STEPS) -> float:
    """Best time of the five per-step products, at their real shapes, over ``steps`` steps."""
    rng = np.random.default_rng(0)
    x = rng.random((BATCH, INPUTS), dtype=np.float32)
    w1 = rng.standard_normal((INPUTS, HIDDEN), dtype=np.float32)
    a1 = rng.random((BATCH, HIDDEN), dtype=np.float32)
    w2 = rng.standard_normal((HIDDEN, CLASSES), dtype=np.float32)
    dz2 = rng.standard_normal((BATCH, CLASSES), dtype=np.float32)
    dz1 = rng.standard_normal((BATCH, HIDDEN), dtype=np.float32)
    z1, dw1 = np.empty((BATCH, HIDDEN), np.float32), np.empty((INPUTS, HIDDEN), np.float32)
    z2, dw2 = np.empty((BATCH, CLASSES), np.float32), np.empty((HIDDEN, CLASSES), np.float32)
    da1 = np.empty((BATCH, HIDDEN), np.float32)
    best = float("inf")
    for _ in range(trials):
        start = time.perf_counter()
        for _ in range(steps):
            np.matmul(x, w1, out=z1)        # 128x784 @ 784x512
            np.matmul(x.T, dz1, out=dw1)    # 784x128 @ 128x512
            np.matmul(a1, w2, out=z2)       # 128x512 @ 512x10
            np.matmul(a1.T, dz2, out=dw2)   # 512x128 @ 128x10
            np.matmul(dz2, w2.T, out=da1)   # 128x10 @ 10x512
        best = min(best, time.perf_counter() - start)
    return best


def blas_description() -> str:
    """Which BLAS NumPy calls, its kernel and thread count, when threadpoolctl can tell."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (threadpoolctl not installed)"
    pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
    return "; ".join(
        f"{p.get('internal_api')} {p.get('version')} {p.get('architecture')} "
        f"{p.get('num_threads')} threads" for p in pools) or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=1,
                        help="runs of the real-shape loop; the best is kept (default 1)")
    parser.add_argument("--steps", type=int, default=STEPS,
                        help=f"steps of the real-shape loop (default {STEPS}, the job's; fewer only "
                             f"for a smoke test, since the floor is then not the job's)")
    args = parser.parse_args()
    peak = peak_gflops()
    real = real_shape_seconds(args.trials, args.steps)
    print(json.dumps({
        "peak_gflops": peak,
        "job_gflop": JOB_FLOP / 1e9,
        "bound_s": JOB_FLOP / 1e9 / peak,
        "real_shape_s": real,
        "steps": args.steps,
        "numpy": np.__version__,
        "blas": blas_description(),
    }), flush=True)


if __name__ == "__main__":
    main()
