"""The chapter's first example as one function, for the command line and benchmarks."""

from __future__ import annotations

import time

import numpy as np

from . import layers, models, optimizers
from .datasets import mnist
from .saving import check_weights_path
from .utils import set_random_seed, to_categorical
from .validation import check_int


def build_mnist_network(optimizer: str | optimizers.Optimizer = "rmsprop") -> models.Sequential:
    """Dense 512 relu -> Dense 10 softmax, compiled as in the book."""
    network = models.Sequential()
    network.add(layers.Dense(512, activation="relu", input_shape=(28 * 28,)))
    network.add(layers.Dense(10, activation="softmax"))
    network.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"])
    return network


def prepare_mnist() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """MNIST flattened to (samples, 784) float32 in [0, 1], labels one-hot."""
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    x_train = x_train.reshape(len(x_train), -1).astype("float32") / 255
    x_test = x_test.reshape(len(x_test), -1).astype("float32") / 255
    return (x_train, to_categorical(y_train, 10)), (x_test, to_categorical(y_test, 10))


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
    (x_train, y_train), (x_test, y_test) = prepare_mnist()
    network = build_mnist_network(chosen)
    start = time.perf_counter()
    history = network.fit(x_train, y_train, epochs=epochs, batch_size=batch_size, verbose=verbose)
    fit_seconds = time.perf_counter() - start
    test_loss, test_accuracy = network.evaluate(x_test, y_test, batch_size=batch_size, verbose=verbose)
    if save_path is not None:
        network.save_weights(save_path)
    return {"test_loss": test_loss, "test_accuracy": test_accuracy,
            "fit_seconds": fit_seconds, "history": history.history}


__all__ = ["build_mnist_network", "prepare_mnist", "train_mnist"]
