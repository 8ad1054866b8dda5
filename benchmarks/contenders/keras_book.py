"""Contenders ``keras-tf`` and ``keras-jax``: the book's own code on real Keras 3.

The chapter's first example as written, with ``keras`` itself, on the backend
named by ``--backend``. Keras's ``"rmsprop"`` defaults are the job's settings
(learning rate 1e-3, rho 0.9, epsilon 1e-7 inside the square root).

Run alone (Keras venv): ``CHAPTER2_DATA_DIR=/work/shared/data
/work/benchvenv-keras/bin/python benchmarks/contenders/keras_book.py --backend jax``
"""

from __future__ import annotations

import argparse
import os

import _harness as h


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("tensorflow", "jax"), default="tensorflow")
    return h.parse_args(parser.description, parser)


def main() -> None:
    args = parse_args()
    name = {"tensorflow": "keras-tf", "jax": "keras-jax"}[args.backend]
    os.environ["KERAS_BACKEND"] = args.backend  # must be set before keras is imported
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        import keras
        from keras import layers, models
        from keras.utils import to_categorical
    except ImportError as error:
        h.skip(name, f"keras with the {args.backend} backend is not importable here ({error})")

    keras.utils.set_random_seed(args.seed)
    (train_images, train_labels), (test_images, test_labels) = h.cut(h.load_mnist(), args)

    network = models.Sequential()
    # The book's spelling; Keras 3 accepts it (with a warning on stderr).
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
        network.fit(train_images, train_labels, epochs=args.epochs, batch_size=h.BATCH_SIZE, verbose=0)
    with watch.time("evaluate"):
        test_loss, test_acc = network.evaluate(test_images, test_labels, verbose=0)
    h.report(name, watch, test_loss, test_acc, keras=keras.__version__,
             backend=keras.backend.backend(), backend_version=backend_version(args.backend))


def backend_version(backend: str) -> str:
    """The version of the array library under Keras."""
    if backend == "jax":
        import jax
        return jax.__version__
    import tensorflow
    return tensorflow.__version__


if __name__ == "__main__":
    main()
