"""Small helpers shared by the contender scripts (never imports chapter2).

Every contender script runs the same job in its own fresh process and ends by
printing exactly one JSON line on standard output. ``benchmarks/run.py`` reads
that line; a person can also run a script alone and read it.

The peer scripts (PyTorch, Keras) run under a separate benchmark venv that
does not have chapter2 installed, so this module uses only NumPy and the
standard library.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np

EPOCHS = 5
BATCH_SIZE = 128
EVAL_BATCH_SIZE = 32  # Keras's default for evaluate, which the book's code uses
LEARNING_RATE = 1e-3
RHO = 0.9
EPSILON = 1e-7


TRAIN_SIZE = 60_000
TEST_SIZE = 10_000


def parse_args(description: str, parser: argparse.ArgumentParser | None = None) -> argparse.Namespace:
    """Read the options every contender accepts; a script may pass a parser with its own.

    The sizes and epochs default to the real job; run.py's ``--tiny`` lowers
    them so the smoke test can run every contender in seconds.
    """
    parser = parser or argparse.ArgumentParser(description=description)
    parser.add_argument("--seed", type=int, default=0, help="seed for weights and shuffling")
    parser.add_argument("--train-size", type=int, default=TRAIN_SIZE,
                        help=f"first N training images to use (default all {TRAIN_SIZE})")
    parser.add_argument("--test-size", type=int, default=TEST_SIZE,
                        help=f"first N test images to use (default all {TEST_SIZE})")
    parser.add_argument("--epochs", type=int, default=EPOCHS, help=f"passes over the data (default {EPOCHS})")
    return parser.parse_args()


def cut(data: tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
        args: argparse.Namespace) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Keep the first ``--train-size`` training and ``--test-size`` test samples of MNIST."""
    (x_train, y_train), (x_test, y_test) = data
    return ((x_train[:args.train_size], y_train[:args.train_size]),
            (x_test[:args.test_size], y_test[:args.test_size]))


def mnist_path() -> Path:
    """Where mnist.npz lives: ``$CHAPTER2_DATA_DIR/mnist.npz``.

    Raises SystemExit with a fix-it message when the variable is unset or the
    file is missing, since nothing can be timed without the data.
    """
    folder = os.environ.get("CHAPTER2_DATA_DIR")
    if not folder:
        sys.exit("CHAPTER2_DATA_DIR is not set; point it at the folder holding mnist.npz, "
                 "e.g. CHAPTER2_DATA_DIR=/work/shared/data")
    path = Path(folder) / "mnist.npz"
    if not path.is_file():
        sys.exit(f"{path} does not exist; set CHAPTER2_DATA_DIR to the folder holding mnist.npz")
    return path


def load_mnist() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Return ``(x_train, y_train), (x_test, y_test)`` as uint8 arrays, Keras layout."""
    with np.load(mnist_path(), allow_pickle=False) as data:
        return (data["x_train"], data["y_train"]), (data["x_test"], data["y_test"])


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Stopwatch:
    """Collects named wall-clock durations, in seconds."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def time(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.seconds[name] = time.perf_counter() - start


def report(contender: str, watch: Stopwatch, test_loss: float, test_acc: float,
           **extra: object) -> None:
    """Print the one JSON line of results that run.py reads."""
    result = {
        "contender": contender,
        "fit_s": watch.seconds["fit"],
        "evaluate_s": watch.seconds["evaluate"],
        "test_loss": float(test_loss),
        "test_acc": float(test_acc),
        "self_peak_rss_mb": peak_rss_mb(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        **extra,
    }
    print(json.dumps(result), flush=True)


def skip(contender: str, reason: str) -> None:
    """Print a JSON line saying this contender cannot run here, and exit 0."""
    print(json.dumps({"contender": contender, "skipped": reason}), flush=True)
    sys.exit(0)
