"""Contender ``numpy-loop``: the chapter's network as a plain NumPy training loop.

No framework and no tricks: one NumPy expression per line, new arrays made
freely, the RMSprop update written the way Keras defines it
(``v = rho * v + (1 - rho) * g**2``; ``w -= lr * g / sqrt(v + eps)``).
It shows how fast "just NumPy" is on this machine, and gives the chapter2
engine a yardstick that shares its BLAS.

Run alone: ``CHAPTER2_DATA_DIR=/work/shared/data python benchmarks/contenders/numpy_loop.py``
"""

from __future__ import annotations

import numpy as np

import _harness as h


def glorot_uniform(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    """Keras's default kernel initialiser, as float32 of shape (fan_in, fan_out)."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32)


def init_params(rng: np.random.Generator) -> list[np.ndarray]:
    """Weights ``[W1 (784, 512), b1 (512,), W2 (512, 10), b2 (10,)]``."""
    return [
        glorot_uniform(rng, 784, 512),
        np.zeros(512, dtype=np.float32),
        glorot_uniform(rng, 512, 10),
        np.zeros(10, dtype=np.float32),
    ]


def forward(params: list[np.ndarray], x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the hidden pre-activation, the hidden activation and the softmax output."""
    w1, b1, w2, b2 = params
    z1 = x @ w1 + b1
    a1 = np.maximum(z1, 0)
    z2 = a1 @ w2 + b2
    z2 = z2 - z2.max(axis=1, keepdims=True)  # shift so exp cannot overflow
    e = np.exp(z2)
    probs = e / e.sum(axis=1, keepdims=True)
    return z1, a1, probs


def gradients(params: list[np.ndarray], x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
    """Gradients of the mean categorical cross-entropy, aligned with ``params``."""
    w1, b1, w2, b2 = params
    z1, a1, probs = forward(params, x)
    dz2 = (probs - y) / len(x)  # softmax and cross-entropy together
    dw2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ w2.T
    dz1 = da1 * (z1 > 0)
    dw1 = x.T @ dz1
    db1 = dz1.sum(axis=0)
    return [dw1, db1, dw2, db2]


def rmsprop_step(params: list[np.ndarray], grads: list[np.ndarray],
                 velocities: list[np.ndarray]) -> None:
    """Keras's RMSprop rule, updating ``params`` and ``velocities`` in place."""
    for w, g, v in zip(params, grads, velocities):
        v[...] = h.RHO * v + (1 - h.RHO) * g * g
        w -= h.LEARNING_RATE * g / np.sqrt(v + h.EPSILON)


def fit(params: list[np.ndarray], x: np.ndarray, y: np.ndarray, rng: np.random.Generator,
        epochs: int) -> None:
    """Train for ``epochs``, shuffling the samples every epoch."""
    velocities = [np.zeros_like(w) for w in params]
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(x), h.BATCH_SIZE):
            idx = order[start:start + h.BATCH_SIZE]
            grads = gradients(params, x[idx], y[idx])
            rmsprop_step(params, grads, velocities)


def evaluate(params: list[np.ndarray], x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Mean cross-entropy and accuracy, in batches of 32 like Keras's evaluate."""
    losses, hits = [], 0
    for start in range(0, len(x), h.EVAL_BATCH_SIZE):
        _, _, probs = forward(params, x[start:start + h.EVAL_BATCH_SIZE])
        yb = y[start:start + h.EVAL_BATCH_SIZE]
        losses.append(-np.log(np.maximum((probs * yb).sum(axis=1), 1e-7)))
        hits += int((probs.argmax(axis=1) == yb.argmax(axis=1)).sum())
    return float(np.concatenate(losses).mean()), hits / len(x)


def one_hot(labels: np.ndarray) -> np.ndarray:
    """Labels 0-9 as float32 rows of length 10."""
    return np.eye(10, dtype=np.float32)[labels]


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
    h.report("numpy-loop", watch, test_loss, test_acc)


if __name__ == "__main__":
    main()
