"""Contender ``numpy-tuned``: the chapter's network as a NumPy loop tuned by hand.

What a careful NumPy programmer writes: every array of the step allocated once
and reused (``out=`` everywhere), in-place ufuncs, the softmax and cross-entropy
gradients folded together, and Keras's RMSprop rule
(``v = rho * v + (1 - rho) * g**2``; ``w -= lr * g / sqrt(v + eps)``) in the
fewest whole-array passes. Like ``numpy-loop`` it computes no training loss or
accuracy, only what the weights need. It is the yardstick for chapter2's pure-NumPy path.

Run alone: ``CHAPTER2_DATA_DIR=/work/shared/data python benchmarks/contenders/numpy_loop_tuned.py``
"""

from __future__ import annotations

import numpy as np

import _harness as h
from numpy_loop import evaluate, init_params, one_hot


class Step:
    """Buffers for one training step of batch ``n`` and the RMSprop state."""

    def __init__(self, params: list[np.ndarray], n: int) -> None:
        w1, _, w2, _ = params
        f32 = np.float32
        self.z1 = np.empty((n, w1.shape[1]), f32)
        self.z2 = np.empty((n, w2.shape[1]), f32)
        self.row = np.empty((n, 1), f32)
        self.da1 = np.empty_like(self.z1)
        self.mask = np.empty(self.z1.shape, bool)
        self.grads = [np.empty_like(p) for p in params]
        self.velocities = [np.zeros_like(p) for p in params]
        self.scratch = [np.empty_like(p) for p in params]

    def run(self, params: list[np.ndarray], x: np.ndarray, y: np.ndarray) -> None:
        w1, b1, w2, b2 = params
        dw1, db1, dw2, db2 = self.grads
        n = len(x)
        z1, z2, row, da1, mask = self.z1[:n], self.z2[:n], self.row[:n], self.da1[:n], self.mask[:n]
        np.matmul(x, w1, out=z1)
        z1 += b1
        np.maximum(z1, 0, out=z1)
        np.matmul(z1, w2, out=z2)
        z2 += b2
        np.max(z2, axis=1, keepdims=True, out=row)
        z2 -= row
        np.exp(z2, out=z2)
        np.sum(z2, axis=1, keepdims=True, out=row)
        row *= n                     # softmax and the mean's 1/n in one division
        z2 /= row
        z2 -= y / n                  # dz2 = (probs - y) / n
        np.matmul(z1.T, z2, out=dw2)
        np.sum(z2, axis=0, out=db2)
        np.matmul(z2, w2.T, out=da1)
        np.greater(z1, 0, out=mask)
        da1 *= mask                  # dz1
        np.matmul(x.T, da1, out=dw1)
        np.sum(da1, axis=0, out=db1)
        for w, g, v, tmp in zip(params, self.grads, self.velocities, self.scratch):
            np.multiply(g, g, out=tmp)
            tmp -= v
            tmp *= 1 - h.RHO
            v += tmp
            np.add(v, h.EPSILON, out=tmp)
            np.sqrt(tmp, out=tmp)
            np.divide(g, tmp, out=tmp)
            tmp *= h.LEARNING_RATE
            w -= tmp


def fit(params: list[np.ndarray], x: np.ndarray, y: np.ndarray, rng: np.random.Generator,
        epochs: int) -> None:
    """Train for ``epochs``, shuffling the samples every epoch."""
    step = Step(params, h.BATCH_SIZE)
    xb = np.empty((h.BATCH_SIZE, x.shape[1]), np.float32)
    yb = np.empty((h.BATCH_SIZE, y.shape[1]), np.float32)
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(x), h.BATCH_SIZE):
            idx = order[start:start + h.BATCH_SIZE]
            n = len(idx)
            np.take(x, idx, axis=0, out=xb[:n])
            np.take(y, idx, axis=0, out=yb[:n])
            step.run(params, xb[:n], yb[:n])


def main() -> None:
    args = h.parse_args(__doc__.splitlines()[0])
    rng = np.random.default_rng(args.seed)
    (train_images, train_labels), (test_images, test_labels) = h.cut(h.load_mnist(), args)
    train_images = train_images.reshape((len(train_images), 28 * 28)).astype("float32") / 255
    test_images = test_images.reshape((len(test_images), 28 * 28)).astype("float32") / 255
    train_labels, test_labels = one_hot(train_labels), one_hot(test_labels)
    params = init_params(rng)
    watch = h.Stopwatch()
    with watch.time("fit"):
        fit(params, train_images, train_labels, rng, args.epochs)
    with watch.time("evaluate"):
        test_loss, test_acc = evaluate(params, test_images, test_labels)
    h.report("numpy-tuned", watch, test_loss, test_acc)


if __name__ == "__main__":
    main()
