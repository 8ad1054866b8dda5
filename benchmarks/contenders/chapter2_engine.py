"""Contender ``chapter2``: the book's first example, run on the chapter2 engine.

The chapter's code cell for cell, with ``keras`` replaced by ``chapter2``;
the only changes are ``verbose=0`` (no progress bar inside the timing) and a
seed. Run it with the interpreter of the project's venv. ``CHAPTER2_KERNELS``
chooses the engine's kernels (``numpy`` forces pure NumPy); the report says
which ran.

Run alone: ``CHAPTER2_DATA_DIR=/work/shared/data /work/venv/bin/python
benchmarks/contenders/chapter2_engine.py``
"""

from __future__ import annotations

import _harness as h

try:
    from chapter2 import kernels, layers, models
    from chapter2.datasets import mnist
    from chapter2.utils import set_random_seed, to_categorical
except ImportError as error:
    h.skip("chapter2", f"the chapter2 engine is not importable here ({error})")


def main() -> None:
    args = h.parse_args(__doc__.splitlines()[0])
    set_random_seed(args.seed)
    h.mnist_path()  # fail early, with the fix, if CHAPTER2_DATA_DIR is unset
    (train_images, train_labels), (test_images, test_labels) = h.cut(mnist.load_data(), args)

    network = models.Sequential()
    network.add(layers.Dense(512, activation="relu", input_shape=(28 * 28,)))
    network.add(layers.Dense(10, activation="softmax"))
    network.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])

    train_images = train_images.reshape((len(train_images), 28 * 28))
    train_images = train_images.astype("float32") / 255
    test_images = test_images.reshape((len(test_images), 28 * 28))
    test_images = test_images.astype("float32") / 255
    train_labels = to_categorical(train_labels)
    test_labels = to_categorical(test_labels)

    watch = h.Stopwatch()
    with watch.time("fit"):
        network.fit(train_images, train_labels, epochs=args.epochs, batch_size=128, verbose=0)
    with watch.time("evaluate"):
        test_loss, test_acc = network.evaluate(test_images, test_labels, verbose=0)
    h.report("chapter2", watch, test_loss, test_acc, kernels=kernels.current())


if __name__ == "__main__":
    main()
