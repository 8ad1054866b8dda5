"""The book's first example, end to end: full MNIST, 5 epochs, batch 128, on both kernel paths."""

import importlib.util

import numpy as np
import pytest

from chapter2 import kernels, layers, models
from chapter2.utils import set_random_seed, to_categorical

PATHS = ["numpy", pytest.param("numba", marks=pytest.mark.skipif(
    importlib.util.find_spec("numba") is None, reason="the fused path needs the [fast] extra (numba)"))]


@pytest.fixture(params=PATHS)
def kernel_path(request):
    previous = kernels.use(request.param)
    yield request.param
    kernels.use(previous)


@pytest.mark.slow
def test_the_first_example_reaches_the_books_accuracy(mnist_data, kernel_path):
    (train_images, train_labels), (test_images, test_labels) = mnist_data
    set_random_seed(0)
    network = models.Sequential()
    network.add(layers.Dense(512, activation="relu", input_shape=(28 * 28,)))
    network.add(layers.Dense(10, activation="softmax"))
    network.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    train_images = train_images.reshape((60000, 28 * 28)).astype("float32") / 255
    test_images = test_images.reshape((10000, 28 * 28)).astype("float32") / 255
    history = network.fit(train_images, to_categorical(train_labels), epochs=5, batch_size=128, verbose=0)
    test_loss, test_acc = network.evaluate(test_images, to_categorical(test_labels), verbose=0)

    print(f"train accuracy {history.history['accuracy'][-1]:.4f}, test accuracy {test_acc:.4f}")
    assert test_acc >= 0.975
    assert test_loss < 0.1
    assert history.history["accuracy"][-1] > test_acc - 0.02   # train ends above (or near) test
    assert np.all(np.diff(history.history["loss"]) < 0)         # the training loss falls every epoch
