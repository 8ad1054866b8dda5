"""The chapter's first example as one function, for the command line and benchmarks.

:func:`train_mnist` is lean: it keeps the images as ``uint8`` (47 MB for the
training set, where the book's ``astype("float32") / 255`` makes 188 MB and
briefly twice that) and hands them to ``network.fit`` as a
:class:`chapter2.sources.ScaledPixels`, which scales each batch to ``[0, 1]`` as
it is drawn. It is a client of the public API: the same loop, the same safety
net (weights restored after an interrupted epoch) and the same weights as
``network.fit`` on the scaled float32 images.
"""

from __future__ import annotations

import time

import numpy as np

from . import layers, models, optimizers
from .datasets import mnist
from .saving import check_weights_path
from .sources import ScaledPixels
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
    return network.fit(ScaledPixels(images, PIXEL_MAX), targets, batch_size=batch_size, epochs=epochs,
                       verbose=verbose)


def evaluate_pixels(network: models.Sequential, images: np.ndarray, targets: np.ndarray,
                    batch_size: int) -> tuple[float, float]:
    """``network.evaluate(images / 255, targets)``, one scaled batch at a time: (loss, accuracy)."""
    loss, accuracy = network.evaluate(ScaledPixels(images, PIXEL_MAX), targets, batch_size=batch_size,
                                      verbose=0)
    return loss, accuracy


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


__all__ = ["build_mnist_network", "prepare_mnist", "load_mnist_uint8", "fit_pixels",
           "evaluate_pixels", "train_mnist"]
