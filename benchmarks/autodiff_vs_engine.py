"""Train the chapter's MNIST network twice, with the engine and with chapter2.autodiff.

Both runs use the same job (Dense 512 relu -> Dense 10 softmax, RMSprop lr 1e-3,
rho 0.9, eps 1e-7, batch 128, 5 epochs, shuffled every epoch) and start from the
same state: ``set_random_seed(seed)`` is called before each model is built, and
both draw their Glorot-uniform kernels and then every epoch's shuffling order
from chapter2's one seeded generator in the same sequence, so both see identical
initial weights and identical batches. They even share the optimizer code
(``chapter2.optimizers.RMSprop``); only the way gradients are computed differs:
hand-written ``Dense.backward`` versus ``Tensor.backward()``.

Usage::

    CHAPTER2_DATA_DIR=/work/shared/data python benchmarks/autodiff_vs_engine.py [--epochs 5] [--seed 0]
        [--rounds 5] [--timing-only]

Prints first the time per training step of each, measured in alternating short
bursts (fairer on a shared machine, see ``interleaved_step_times``); then, for
each full run, the test accuracy and the wall time of training, the accuracy
difference and the time ratio. Times depend on what else runs on the machine:
compare them only within one run. ``--timing-only`` skips the full runs.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from chapter2 import layers, models
from chapter2.autodiff import accuracy, fit, mnist_network
from chapter2.datasets import mnist
from chapter2.utils import set_random_seed, to_categorical


def load() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    x_train = x_train.reshape(len(x_train), 784).astype("float32") / 255
    x_test = x_test.reshape(len(x_test), 784).astype("float32") / 255
    return x_train, to_categorical(y_train, 10), x_test, y_test


def run_engine(data, epochs: int, seed: int) -> tuple[float, float]:
    x_train, y_train, x_test, y_test = data
    set_random_seed(seed)
    model = models.Sequential([layers.Dense(512, activation="relu", input_shape=(784,)),
                               layers.Dense(10, activation="softmax")])
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(x_train, y_train, epochs=epochs, batch_size=128, verbose=0)
    seconds = time.perf_counter() - start
    return model.evaluate(x_test, to_categorical(y_test, 10), verbose=0)[1], seconds


def run_autodiff(data, epochs: int, seed: int) -> tuple[float, float]:
    x_train, y_train, x_test, y_test = data
    set_random_seed(seed)
    net = mnist_network()
    start = time.perf_counter()
    fit(net, x_train, y_train, epochs=epochs, batch_size=128, optimizer="rmsprop")
    seconds = time.perf_counter() - start
    return accuracy(net, x_test, y_test), seconds


def interleaved_step_times(data, rounds: int, steps: int = 50) -> tuple[float, float]:
    """Median seconds per training step of each, timing them in alternation.

    On a shared machine the load drifts during a long run; alternating short
    bursts exposes both to the same conditions, so their ratio is more trustworthy.
    """
    x_train, y_train, _, _ = data
    steps = min(steps, len(x_train) // 128)  # --tiny leaves fewer samples than 50 steps need
    x, y = x_train[:128 * steps], y_train[:128 * steps]
    set_random_seed(0)
    engine = models.Sequential([layers.Dense(512, activation="relu", input_shape=(784,)),
                                layers.Dense(10, activation="softmax")])
    engine.compile(optimizer="rmsprop", loss="categorical_crossentropy")
    net = mnist_network()
    engine_times, auto_times = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        engine.fit(x, y, epochs=1, batch_size=128, verbose=0)
        engine_times.append((time.perf_counter() - start) / steps)
        start = time.perf_counter()
        fit(net, x, y, epochs=1, batch_size=128)
        auto_times.append((time.perf_counter() - start) / steps)
    return float(np.median(engine_times)), float(np.median(auto_times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=5,
                        help="alternating 50-step bursts for the per-step timing (0 skips it)")
    parser.add_argument("--timing-only", action="store_true", help="skip the full training runs")
    parser.add_argument("--tiny", action="store_true",
                        help="smoke test: first 1,024 training and 512 test images (use with --epochs 1 "
                             "--rounds 1); the figures are then not the real job's")
    args = parser.parse_args()
    data = load()
    if args.tiny:
        x_train, y_train, x_test, y_test = data
        data = x_train[:1024], y_train[:1024], x_test[:512], y_test[:512]
        print("size: TINY (1024 training images, 512 test images) -- a smoke test, not the real job")
    if args.rounds:
        engine_step, auto_step = interleaved_step_times(data, args.rounds)
        print(f"per step, alternating bursts: engine {1000 * engine_step:.1f} ms, autodiff "
              f"{1000 * auto_step:.1f} ms ({auto_step / engine_step:.2f}x)")
    if args.timing_only:
        return
    engine_acc, engine_s = run_engine(data, args.epochs, args.seed)
    print(f"engine   (hand-written backward): test accuracy {engine_acc:.4f}, training {engine_s:.1f} s")
    auto_acc, auto_s = run_autodiff(data, args.epochs, args.seed)
    print(f"autodiff (Tensor.backward):       test accuracy {auto_acc:.4f}, training {auto_s:.1f} s")
    print(f"difference {100 * (auto_acc - engine_acc):+.2f} points; autodiff took "
          f"{auto_s / engine_s:.2f}x the engine's time")


if __name__ == "__main__":
    main()
