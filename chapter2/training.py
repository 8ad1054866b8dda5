"""The chapter's first example as one function, for the command line and benchmarks.

:func:`train_mnist` is lean: it keeps the images as ``uint8`` (47 MB for the
training set, where the book's ``astype("float32") / 255`` makes 188 MB and
briefly twice that) and scales each batch to ``[0, 1]`` as it is drawn, into one
reused buffer. The steps are exactly those of ``network.fit`` on the scaled
float32 images: the same shuffling, the same arithmetic, the same weights.
"""

from __future__ import annotations

import time

import numpy as np

from . import layers, metrics, models, optimizers
from .datasets import mnist
from .saving import check_weights_path
from .errors import TrainingDivergedError
from .progress import ProgressBar
from .seeding import generator
from .utils import set_random_seed, to_categorical
from .validation import check_int

PIXEL_MAX = 255


def build_mnist_network(optimizer: str | optimizers.Optimizer = "rmsprop") -> models.Sequential:
    """Dense 512 relu -> Dense 10 softmax, compiled as in the book."""
    network = models.Sequential()
    network.add(layers.Dense(512, activation="relu", input_shape=(28 * 28,)))
    network.add(layers.Dense(10, activation="softmax"))
    network.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"])
    return network


def prepare_mnist() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """MNIST flattened to (samples, 784) float32 in [0, 1], labels one-hot (the book's way)."""
    (x_train, y_train), (x_test, y_test) = load_mnist_uint8()
    return (x_train.astype("float32") / PIXEL_MAX, y_train), (x_test.astype("float32") / PIXEL_MAX, y_test)


def load_mnist_uint8() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """MNIST flattened to (samples, 784) uint8 pixels (a view, no copy), labels one-hot float32."""
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    return ((x_train.reshape(len(x_train), -1), to_categorical(y_train, 10)),
            (x_test.reshape(len(x_test), -1), to_categorical(y_test, 10)))


def fit_pixels(network: models.Sequential, images: np.ndarray, targets: np.ndarray, epochs: int,
               batch_size: int, verbose: int = 1) -> models.History:
    """``network.fit(images / 255, targets)`` without ever holding ``images / 255``.

    Parameters
    ----------
    network : Sequential, compiled
    images : ndarray of uint8, shape (samples, features)
    targets : ndarray, shape (samples, classes), one-hot
    epochs, batch_size : int
    verbose : 0, 1 or 2, as for ``fit``

    Returns
    -------
    History, with the same figures ``fit`` would record.

    Examples
    --------
    >>> net = build_mnist_network()
    >>> pixels = np.zeros((4, 784), dtype=np.uint8)
    >>> fit_pixels(net, pixels, np.eye(10, dtype="float32")[:4], epochs=1, batch_size=2, verbose=0).epoch
    [0]
    """
    network._check_compiled("fit")
    images, targets = network._check_data(images, targets)
    history = network.history = models.History()
    buffer = np.empty((min(batch_size, len(images)), images.shape[1]), dtype=network._dtype)
    for epoch in range(epochs):
        if verbose:
            print(f"Epoch {epoch + 1}/{epochs}", flush=True)
        order = generator().permutation(len(images))
        with np.errstate(over="ignore", invalid="ignore"):
            logs = _train_epoch(network, images, targets, order, buffer, verbose)
        history.record(epoch, logs)
    return history


def evaluate_pixels(network: models.Sequential, images: np.ndarray, targets: np.ndarray,
                    batch_size: int) -> tuple[float, float]:
    """``network.evaluate(images / 255, targets)``, one scaled batch at a time: (loss, accuracy)."""
    network._check_compiled("evaluate")
    images, targets = network._check_data(images, targets)
    buffer = np.empty((min(batch_size, len(images)), images.shape[1]), dtype=network._dtype)
    loss_sum = correct = 0.0
    for start in range(0, len(images), batch_size):
        xb = _scaled(images[start:start + batch_size], buffer)
        yb = targets[start:start + batch_size]
        out = network._forward(xb)
        loss_sum += float(np.sum(network.loss.per_sample(yb, out)))
        correct += float(np.sum(metrics.correct(yb, out)))
    return loss_sum / len(images), correct / len(images)


def train_mnist(epochs: int = 5, batch_size: int = 128, seed: int | None = None,
                optimizer: str = "rmsprop", learning_rate: float | None = None,
                verbose: int = 1, save_path: str | None = None) -> dict:
    """Train the MNIST network and evaluate it on the test set.

    Returns
    -------
    dict with "test_loss", "test_accuracy", "fit_seconds" and "history".
    """
    # Check every argument before loading (or downloading) the data and training
    # for minutes: a bad --save name must not cost a finished training run.
    epochs = check_int(epochs, "epochs", minimum=0)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    if save_path is not None:
        check_weights_path(save_path)
    chosen = optimizers.get(optimizer)
    if learning_rate is not None:
        chosen = type(chosen)(learning_rate=learning_rate)
    if seed is not None:
        set_random_seed(seed)
    (x_train, y_train), (x_test, y_test) = load_mnist_uint8()
    network = build_mnist_network(chosen)
    start = time.perf_counter()
    history = fit_pixels(network, x_train, y_train, epochs=epochs, batch_size=batch_size, verbose=verbose)
    fit_seconds = time.perf_counter() - start
    test_loss, test_accuracy = evaluate_pixels(network, x_test, y_test, batch_size=batch_size)
    if save_path is not None:
        network.save_weights(save_path)
    return {"test_loss": test_loss, "test_accuracy": test_accuracy,
            "fit_seconds": fit_seconds, "history": history.history}


def _train_epoch(network, images, targets, order, buffer, verbose) -> dict[str, float]:
    batch_size = len(buffer)
    bar = ProgressBar(-(-len(images) // batch_size), verbose)
    totals = {"loss": 0.0, "correct": 0.0}
    for step, start in enumerate(range(0, len(images), batch_size), start=1):
        index = order[start:start + batch_size]
        xb = _scaled(images.take(index, axis=0), buffer)
        loss_sum, correct = network._train_step(xb, targets.take(index, axis=0))
        if not np.isfinite(loss_sum):
            raise TrainingDivergedError(
                f"the loss became {loss_sum} at step {step}: training diverged. Try a smaller learning_rate")
        totals["loss"] += loss_sum
        totals["correct"] += correct
        bar.update(step, network._logs(totals, start + len(index)))
    logs = network._logs(totals, len(images))
    bar.finish(logs)
    return logs


def _scaled(pixels: np.ndarray, buffer: np.ndarray) -> np.ndarray:
    """``pixels / 255`` in ``buffer``'s dtype, written into (the first rows of) ``buffer``."""
    out = buffer[:len(pixels)]
    np.divide(pixels, PIXEL_MAX, out=out, dtype=out.dtype)
    return out


__all__ = ["build_mnist_network", "prepare_mnist", "load_mnist_uint8", "fit_pixels",
           "evaluate_pixels", "train_mnist"]
