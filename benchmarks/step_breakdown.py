"""Where one training step of the chapter's example spends its time, section by section.

Runs the step of ``Sequential.fit`` (Dense 512 relu -> Dense 10 softmax, RMSprop,
batch 128, real MNIST) as its separate pieces, with the engine's own layers,
loss, optimizer and kernels, timing each piece over one epoch (469 steps) after
a warm-up epoch; then times ``fit`` itself over one epoch of the same data. The
difference between the two is the engine's own bookkeeping (argument checks,
the per-step loop, the progress bar's arithmetic).

    CHAPTER2_DATA_DIR=/work/shared/data python benchmarks/step_breakdown.py --kernels numba
    CHAPTER2_DATA_DIR=/work/shared/data python benchmarks/step_breakdown.py --kernels numpy
    OPENBLAS_NUM_THREADS=1 ... step_breakdown.py --clock cpu    # steadier on a busy machine

Prints a table: milliseconds per step and share of the step, per section.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

import numpy as np

from chapter2 import kernels, metrics
from chapter2.training import build_mnist_network, prepare_mnist
from chapter2.utils import set_random_seed

BATCH = 128


class Sections:
    """Accumulates time per named section, by ``clock`` (wall or this thread's CPU time)."""

    def __init__(self, clock=time.perf_counter) -> None:
        self.clock = clock
        self.seconds: dict[str, float] = defaultdict(float)
        self._last = clock()

    def mark(self, name: str) -> None:
        now = self.clock()
        self.seconds[name] += now - self._last
        self._last = now


def one_epoch_in_pieces(network, x, y, order, clock: Sections) -> None:
    """The same work as ``fit``'s step, cut into timed sections."""
    dense1, dense2 = network.layers
    opt, loss = network.optimizer, network.loss
    weights, grads = network._weights(), network._grads()
    for start in range(0, len(x), BATCH):
        idx = order[start:start + BATCH]
        clock.mark("(loop)")
        xb, yb = x.take(idx, axis=0), y.take(idx, axis=0)
        clock.mark("gather the batch")
        z1 = xb @ dense1.kernel
        clock.mark("matmul x @ W1")
        z1 += dense1.bias
        a1 = dense1.activation.forward(z1)
        clock.mark("bias + relu")
        z2 = a1 @ dense2.kernel
        clock.mark("matmul a1 @ W2")
        z2 += dense2.bias
        probs = dense2.activation.forward(z2)
        clock.mark("bias + softmax")
        losses = loss.per_sample(yb, probs)
        total = float(np.sum(losses))
        clock.mark("loss per sample")
        dz2 = loss.gradient_through_softmax(yb, probs)
        clock.mark("softmax + loss gradient")
        np.matmul(a1.T, dz2, out=dense2.kernel_grad)
        da1 = dz2 @ dense2.kernel.T
        clock.mark("matmuls a1.T @ dz2, dz2 @ W2.T")
        kernels.column_sums(dz2, dense2.bias_grad)
        dz1 = dense1.activation.backward(a1, da1)
        kernels.column_sums(dz1, dense1.bias_grad)
        clock.mark("relu backward + bias gradients")
        np.matmul(xb.T, dz1, out=dense1.kernel_grad)
        clock.mark("matmul x.T @ dz1")
        opt._update(weights[0], grads[0], opt._slots_for(weights[0]))
        clock.mark("optimizer: W1")
        for index in range(1, len(weights)):
            opt._update(weights[index], grads[index], opt._slots_for(weights[index]))
        opt.iterations += 1
        clock.mark("optimizer: b1, W2, b2")
        total += float(np.sum(metrics.correct(yb, probs)))
        clock.mark("accuracy count")
        if not np.isfinite(total):
            raise FloatingPointError("diverged")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kernels", choices=kernels.CHOICES, default="auto")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="wall time, or the main thread's CPU time: steadier on a busy machine, "
                             "and complete only when BLAS runs on this thread (OPENBLAS_NUM_THREADS=1)")
    parser.add_argument("--tiny", action="store_true",
                        help="smoke test: an epoch of the first 1,024 images (8 steps), not the real 469")
    args = parser.parse_args()
    clock = time.perf_counter if args.clock == "wall" else time.thread_time
    kernels.use(args.kernels)
    set_random_seed(args.seed)
    (x, y), _ = prepare_mnist()
    if args.tiny:
        x, y = x[:1024], y[:1024]
        print("size: TINY (1024 training images) -- a smoke test, not the real job")
    network = build_mnist_network()
    rng = np.random.default_rng(args.seed)
    one_epoch_in_pieces(network, x, y, rng.permutation(len(x)), Sections(clock))  # warm-up, compiles
    sections = Sections(clock)
    one_epoch_in_pieces(network, x, y, rng.permutation(len(x)), sections)
    pieces = sum(sections.seconds.values())
    start = clock()
    network.fit(x, y, epochs=1, batch_size=BATCH, verbose=0)
    fit_seconds = clock() - start
    steps = -(-len(x) // BATCH)
    rows = sorted(sections.seconds.items(), key=lambda item: -item[1])
    rows.append(("engine bookkeeping (fit - sum of pieces)", fit_seconds - pieces))
    print(f"kernels: {kernels.current()}; {args.clock} clock; one epoch = {steps} steps; fit {fit_seconds:.2f} s, "
          f"pieces {pieces:.2f} s")
    print(f"{'section':45} {'ms/step':>8} {'share':>6}")
    for name, seconds in rows:
        print(f"{name:45} {seconds / steps * 1e3:8.3f} {seconds / fit_seconds:6.1%}")


if __name__ == "__main__":
    main()
