"""Bad input to the engine API: every row of docs/robustness.md, one case each.

Each case calls one public function the wrong way and checks three things:
the exception is the documented type, its message contains the documented
fragments (the argument, what was expected, what arrived, the fix), and,
for a model, nothing was trained before the refusal (weights and optimizer
untouched). A second group checks the Keras conveniences that must keep
working, such as lists of numbers instead of arrays.

The file reading docs/robustness.md at the bottom keeps the table and the
cases in step: a row without a case, or a case without a row, fails.
"""

from __future__ import annotations

import os
import re
import types
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest

import chapter2.datasets
from chapter2 import activations, gradcheck, layers, losses, metrics, models, optimizers
from chapter2.errors import (Chapter2Error, InputTypeError, InputValueError, NotCompiledError,
                             NotInChapter2Error, OutOfMemoryError, UnsupportedArgumentError)
from chapter2.utils import set_random_seed, to_categorical
from helpers.npy import npy_header

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "robustness.md"

N, FEATURES, CLASSES = 10, 4, 3


# ------------------------------------------------------------------ fixtures


def make_model(loss: str = "categorical_crossentropy", last: str = "softmax") -> models.Sequential:
    model = models.Sequential([layers.Dense(5, activation="relu", input_shape=(FEATURES,)),
                               layers.Dense(CLASSES, activation=last)])
    model.compile(optimizer="rmsprop", loss=loss, metrics=["accuracy"])
    return model


@pytest.fixture
def c(tmp_path):
    """The things a case works on: fresh models, small data and a folder."""
    set_random_seed(0)
    rng = np.random.default_rng(0)
    labels = np.arange(N) % CLASSES
    ctx = types.SimpleNamespace(
        x=rng.normal(size=(N, FEATURES)).astype("float32"),
        labels=labels,
        onehot=np.eye(CLASSES, dtype="float32")[labels],
        model=make_model(),
        sparse=make_model("sparse_categorical_crossentropy"),
        mse=make_model("mse", last="linear"),
        tmp=tmp_path,
    )
    ctx.models = [ctx.model, ctx.sparse, ctx.mse]
    return ctx


class Sentinel:
    """Unpickling this creates a file: proof that a loader ran pickle."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):
        return Path.touch, (self.path,)


def with_nan(a: np.ndarray, value: float = np.nan) -> np.ndarray:
    a = a.astype("float64")
    a[1, 2] = value
    return a


def other_model_file(c) -> Path:
    small = models.Sequential([layers.Dense(2, input_shape=(3,))])
    small.compile("sgd", "mse")
    path = c.tmp / "small.weights.npz"
    small.save_weights(path)
    return path


def truncated_weights_file(c) -> Path:
    good = c.tmp / "good.weights.npz"
    c.model.save_weights(good)
    path = c.tmp / "cut.weights.npz"
    path.write_bytes(good.read_bytes()[:150])
    return path


def pickled_weights_file(c) -> Path:
    path = c.tmp / "evil.weights.npz"
    np.savez(path, w0=np.array([Sentinel(c.tmp / "unpickled")], dtype=object))
    return path


def weights_file_beyond_float32(c) -> Path:
    path = c.tmp / "huge-values.weights.npz"
    np.savez(path, **{f"w{i}": w.astype("float64") * 1e300 for i, w in enumerate(c.model.get_weights())})
    return path


def weights_file_claiming_4_tb(c) -> Path:
    """A few hundred bytes whose first header claims a 1,000,000 x 1,000,000 float32 kernel."""
    path = c.tmp / "claims.weights.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("w0.npy", npy_header((10**6, 10**6)))
        for i, w in enumerate(c.model.get_weights()[1:], start=1):
            archive.writestr(f"w{i}.npy", npy_header(w.shape))
    return path


def weights_file_with_a_member_twice(c) -> Path:
    path = c.tmp / "twice.weights.npz"
    c.model.save_weights(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile's own "Duplicate name" warning
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr("w0.npy", npy_header((4, 5)) + bytes(80))
    return path


def fifo(c) -> Path:
    path = c.tmp / "pipe.weights.npz"
    os.mkfifo(path)
    return path


def image_model() -> models.Sequential:
    model = models.Sequential([layers.Input(shape=(2, 2)), layers.Flatten(), layers.Dense(3, activation="softmax")])
    model.compile("sgd", "categorical_crossentropy")
    return model


def forward_then(layer_args: dict, grad: Any):
    layer = layers.Dense(3, input_shape=(4,), **layer_args)
    layer.forward(np.zeros((2, 4)))
    return layer.backward(grad)


# --------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    id: str
    call: Callable[[Any], Any]
    error: type[BaseException]
    match: tuple[str, ...]  # fragments that must all appear in the message


def case(id, call, error, *match):
    return pytest.param(Case(id, call, error, match), id=id)


CASES = [
    # Sequential, add, compile
    case("sequential-single-layer", lambda c: models.Sequential(layers.Dense(3)),
         InputTypeError, "list of layers", "Sequential([layer])"),
    case("add-not-a-layer", lambda c: models.Sequential().add("dense"),
         InputTypeError, "Sequential.add expects a layer", "str"),
    case("add-layer-class", lambda c: models.Sequential().add(layers.Dense),
         InputTypeError, "Sequential.add expects a layer", "type"),
    case("add-same-layer-twice", lambda c: (lambda layer: models.Sequential([layer, layer]))(layers.Dense(2)),
         InputValueError, "already in this model"),
    case("add-size-mismatch",
         lambda c: models.Sequential([layers.Dense(3, input_shape=(4,)), layers.Dense(2, input_shape=(5,))]),
         InputValueError, "expects 5 inputs", "has 3 outputs"),
    case("compile-no-layers", lambda c: models.Sequential().compile("sgd", "mse"),
         InputValueError, "add at least one layer"),
    case("compile-no-loss", lambda c: models.Sequential([layers.Dense(2)]).compile("sgd"),
         InputValueError, "needs a loss", "categorical_crossentropy"),
    case("compile-unknown-optimizer", lambda c: c.model.compile("adamw", "mse"),
         InputValueError, "unknown optimizer 'adamw'", "rmsprop", "sgd"),
    case("compile-optimizer-wrong-type", lambda c: c.model.compile(3, "mse"),
         InputTypeError, "optimizer must be", "int"),
    case("compile-optimizer-class-not-instance", lambda c: c.model.compile(optimizers.SGD, "mse"),
         InputTypeError, "optimizer must be", "type"),
    case("compile-unknown-loss", lambda c: c.model.compile("sgd", "hinge"),
         InputValueError, "unknown loss 'hinge'", "mse"),
    case("compile-loss-wrong-type", lambda c: c.model.compile("sgd", 3),
         InputTypeError, "loss must be", "int"),
    case("compile-unknown-metric", lambda c: c.model.compile("sgd", "mse", ["f1"]),
         InputValueError, "unknown metric 'f1'", "accuracy"),
    case("compile-metric-function", lambda c: c.model.compile("sgd", "mse", [len]),
         InputTypeError, "metrics must be names", "accuracy"),
    case("compile-duplicate-metrics", lambda c: c.model.compile("sgd", "mse", ["acc", "acc"]),
         InputValueError, "metrics must be distinct names", "['acc', 'acc']"),
    case("compile-loss-weights", lambda c: c.model.compile("sgd", "mse", loss_weights=[0.5]),
         UnsupportedArgumentError, "compile(loss_weights=...)", "one output and one loss"),
    case("model-save", lambda c: c.model.save(c.tmp / "model.keras"),
         NotInChapter2Error, "model.save is a Keras name that is not part of chapter2", "save_weights"),
    case("models-functional-api", lambda c: models.Model,
         NotInChapter2Error, "models.Model", "Sequential"),
    case("model-trainable-not-bool", lambda c: setattr(c.model, "trainable", "no"),
         InputTypeError, "trainable must be True or False"),
    case("fit-callbacks", lambda c: c.model.fit(c.x, c.onehot, callbacks=[object()], verbose=0),
         UnsupportedArgumentError, "fit(callbacks=...)", "no callbacks", "History"),
    case("fit-class-weight", lambda c: c.model.fit(c.x, c.onehot, class_weight={0: 2.0}, verbose=0),
         UnsupportedArgumentError, "fit(class_weight=...)", "balance the classes"),
    case("fit-sample-weight", lambda c: c.model.fit(c.x, c.onehot, sample_weight=np.ones(N), verbose=0),
         UnsupportedArgumentError, "fit(sample_weight=...)"),
    case("fit-unknown-keyword", lambda c: c.model.fit(c.x, c.onehot, epoch=3, verbose=0),
         InputTypeError, "fit() got an unexpected keyword argument 'epoch'", "did you mean 'epochs'"),
    case("evaluate-sample-weight", lambda c: c.model.evaluate(c.x, c.onehot, sample_weight=np.ones(N), verbose=0),
         UnsupportedArgumentError, "evaluate(sample_weight=...)"),
    case("predict-callbacks", lambda c: c.model.predict(c.x, callbacks=[object()]),
         UnsupportedArgumentError, "predict(callbacks=...)"),
    # fit: the data
    case("fit-not-compiled", lambda c: models.Sequential([layers.Dense(3)]).fit(c.x, c.onehot),
         NotCompiledError, "model.compile(", "before model.fit"),
    case("fit-x-ragged-list", lambda c: c.model.fit([[1, 2, 3, 4], [1, 2]], c.onehot[:2], verbose=0),
         InputValueError, "x could not be turned into an array", "equal-length lists"),
    case("fit-x-strings", lambda c: c.model.fit(c.x.astype(str), c.onehot, verbose=0),
         InputTypeError, "x must hold real numbers", "<U", "np.asarray(x, dtype='float32')"),
    case("fit-x-objects", lambda c: c.model.fit(c.x.astype(object), c.onehot, verbose=0),
         InputTypeError, "x must hold real numbers", "dtype object"),
    case("fit-x-complex", lambda c: c.model.fit(c.x.astype(complex), c.onehot, verbose=0),
         InputTypeError, "x must hold real numbers", "complex128"),
    case("fit-x-none", lambda c: c.model.fit(None, c.onehot, verbose=0),
         InputTypeError, "x is None", "pass a NumPy array"),
    case("fit-x-nan", lambda c: c.model.fit(with_nan(c.x), c.onehot, verbose=0),
         InputValueError, "x contains nan at index (1, 2)", "np.nan_to_num"),
    case("fit-x-inf", lambda c: c.model.fit(with_nan(c.x, np.inf), c.onehot, verbose=0),
         InputValueError, "x contains inf at index (1, 2)"),
    case("fit-x-too-large-for-float32", lambda c: c.model.fit(c.x.astype("float64") * 1e300, c.onehot, verbose=0),
         InputValueError, "x holds values from", "largest float32", "Scale x"),
    case("fit-x-empty", lambda c: c.model.fit(np.zeros((0, 4)), np.zeros((0, 3)), verbose=0),
         InputValueError, "x is empty", "(0, 4)"),
    case("fit-x-no-features", lambda c: c.model.fit(np.zeros((3, 0)), c.onehot[:3], verbose=0),
         InputValueError, "x is empty", "(3, 0)"),
    case("fit-x-1d", lambda c: c.model.fit(c.x[:, 0], c.onehot, verbose=0),
         InputValueError, "x must be 2-D", "(10,)", "x.reshape(1, -1)"),
    case("fit-x-images-3d", lambda c: c.model.fit(c.x.reshape(N, 2, 2), c.onehot, verbose=0),
         InputValueError, "x must be 2-D", "(10, 2, 2)", "x.reshape(len(x), -1)"),
    case("fit-x-wrong-feature-count", lambda c: c.model.fit(np.zeros((N, 5)), c.onehot, verbose=0),
         InputValueError, "x has 5 features", "expects 4", "input_shape=(4,)"),
    case("fit-y-missing", lambda c: c.model.fit(c.x, None, verbose=0),
         InputValueError, "y (the targets) is missing"),
    case("fit-y-strings", lambda c: c.sparse.fit(c.x, np.array(list("abcabcabca")), verbose=0),
         InputTypeError, "y must hold real numbers", "<U1"),
    case("fit-y-nan", lambda c: c.mse.fit(c.x, with_nan(c.onehot), verbose=0),
         InputValueError, "y contains nan at index (1, 2)"),
    case("fit-y-too-large-for-float32", lambda c: c.mse.fit(c.x, c.onehot.astype("float64") * 1e300, verbose=0),
         InputValueError, "y holds values from", "largest float32"),
    case("fit-x-y-length-mismatch", lambda c: c.model.fit(c.x, c.onehot[:5], verbose=0),
         InputValueError, "same number of samples", "10 in x", "5 in y"),
    case("fit-integer-labels-with-categorical", lambda c: c.model.fit(c.x, c.labels, verbose=0),
         InputValueError, "one integer label per sample", "(10, 3)", "to_categorical",
         "sparse_categorical_crossentropy"),
    case("fit-one-hot-labels-with-sparse", lambda c: c.sparse.fit(c.x, c.onehot, verbose=0),
         InputValueError, "shape (10, 3)", "shape (10,)", "y.argmax(axis=1)"),
    case("fit-wrong-number-of-classes", lambda c: c.model.fit(c.x, to_categorical(c.labels, 5), verbose=0),
         InputValueError, "shape (10, 5)", "3 outputs", "(10, 3)"),
    case("fit-labels-out-of-range", lambda c: c.sparse.fit(c.x, c.labels + 5, verbose=0),
         InputValueError, "labels from 5 to 7", "3 outputs", "0..2"),
    case("fit-negative-labels", lambda c: c.sparse.fit(c.x, c.labels - 1, verbose=0),
         InputValueError, "labels from -1 to 1", "0..2"),
    case("fit-fractional-labels", lambda c: c.sparse.fit(c.x, c.labels + 0.5, verbose=0),
         InputValueError, "whole-number class labels"),
    case("fit-all-zero-target-rows", lambda c: c.model.fit(c.x, np.zeros_like(c.onehot), verbose=0),
         InputValueError, "10 row(s) of all zeros (the first is row 0)", "teaches nothing", "to_categorical"),
    case("fit-targets-not-probabilities", lambda c: c.model.fit(c.x, c.onehot * 2, verbose=0),
         InputValueError, "probabilities in [0, 1]", "0.0 to 2.0", "to_categorical"),
    # fit: the arguments
    case("fit-batch-size-zero", lambda c: c.model.fit(c.x, c.onehot, batch_size=0, verbose=0),
         InputValueError, "batch_size must be >= 1, got 0"),
    case("fit-batch-size-negative", lambda c: c.model.fit(c.x, c.onehot, batch_size=-8, verbose=0),
         InputValueError, "batch_size must be >= 1, got -8"),
    case("fit-batch-size-float", lambda c: c.model.fit(c.x, c.onehot, batch_size=2.5, verbose=0),
         InputTypeError, "batch_size must be an integer, got 2.5"),
    case("fit-batch-size-string", lambda c: c.model.fit(c.x, c.onehot, batch_size="8", verbose=0),
         InputTypeError, "batch_size must be an integer, got '8'"),
    case("fit-epochs-negative", lambda c: c.model.fit(c.x, c.onehot, epochs=-1, verbose=0),
         InputValueError, "epochs must be >= 0, got -1"),
    case("fit-epochs-float", lambda c: c.model.fit(c.x, c.onehot, epochs=1.5, verbose=0),
         InputTypeError, "epochs must be an integer, got 1.5"),
    case("fit-verbose-out-of-range", lambda c: c.model.fit(c.x, c.onehot, verbose=3),
         InputValueError, "verbose must be <= 2, got 3"),
    case("fit-shuffle-not-bool", lambda c: c.model.fit(c.x, c.onehot, shuffle="no", verbose=0),
         InputTypeError, "shuffle must be True or False", "'no'"),
    case("fit-validation-split-one", lambda c: c.model.fit(c.x, c.onehot, validation_split=1.0, verbose=0),
         InputValueError, "validation_split must be below 1, got 1.0"),
    case("fit-validation-split-negative", lambda c: c.model.fit(c.x, c.onehot, validation_split=-0.1, verbose=0),
         InputValueError, "validation_split must be >= 0.0, got -0.1"),
    case("fit-validation-data-and-split",
         lambda c: c.model.fit(c.x, c.onehot, validation_split=0.2, validation_data=(c.x, c.onehot), verbose=0),
         InputValueError, "not both"),
    case("fit-validation-data-not-a-pair", lambda c: c.model.fit(c.x, c.onehot, validation_data=(c.x,), verbose=0),
         InputValueError, "validation_data must be a tuple (x_val, y_val)"),
    case("fit-validation-data-wrong-features",
         lambda c: c.model.fit(c.x, c.onehot, validation_data=(np.zeros((3, 5)), c.onehot[:3]), verbose=0),
         InputValueError, "validation_data[0] has 5 features", "expects 4"),
    # evaluate, predict, compute_gradients
    case("evaluate-not-compiled", lambda c: models.Sequential([layers.Dense(3)]).evaluate(c.x, c.onehot),
         NotCompiledError, "before model.evaluate"),
    case("evaluate-integer-labels-with-categorical", lambda c: c.model.evaluate(c.x, c.labels, verbose=0),
         InputValueError, "to_categorical"),
    case("evaluate-batch-size-zero", lambda c: c.model.evaluate(c.x, c.onehot, batch_size=0, verbose=0),
         InputValueError, "batch_size must be >= 1, got 0"),
    case("evaluate-x-nan", lambda c: c.model.evaluate(with_nan(c.x), c.onehot, verbose=0),
         InputValueError, "x contains nan"),
    case("predict-no-layers", lambda c: models.Sequential().predict(c.x),
         InputValueError, "no layers", "model.add("),
    case("predict-x-strings", lambda c: c.model.predict(c.x.astype(str)),
         InputTypeError, "x must hold real numbers"),
    case("predict-one-sample-1d", lambda c: c.model.predict(c.x[0]),
         InputValueError, "x must be 2-D", "(4,)", "x.reshape(1, -1)"),
    case("predict-x-empty", lambda c: c.model.predict(np.zeros((0, 4))),
         InputValueError, "x is empty"),
    case("predict-x-wrong-feature-count", lambda c: c.model.predict(np.zeros((2, 7))),
         InputValueError, "x has 7 features", "expects 4"),
    case("predict-x-inf", lambda c: c.model.predict(with_nan(c.x, -np.inf)),
         InputValueError, "x contains -inf"),
    case("predict-batch-size-zero", lambda c: c.model.predict(c.x, batch_size=0),
         InputValueError, "batch_size must be >= 1, got 0"),
    case("compute-gradients-not-compiled",
         lambda c: models.Sequential([layers.Dense(3)]).compute_gradients(c.x, c.onehot),
         NotCompiledError, "before model.compute_gradients"),
    case("compute-gradients-wrong-targets", lambda c: c.model.compute_gradients(c.x, c.labels),
         InputValueError, "to_categorical"),
    # weights
    case("set-weights-wrong-count", lambda c: c.model.set_weights([np.zeros(1)]),
         InputValueError, "expects 4 arrays, got 1"),
    case("set-weights-wrong-shape", lambda c: c.model.set_weights([np.zeros((1, 1))] * 4),
         InputValueError, "weights[0] must have shape (4, 5), got (1, 1)"),
    case("set-weights-strings", lambda c: c.model.set_weights([w.astype(str) for w in c.model.get_weights()]),
         InputTypeError, "weights[0] must hold real numbers"),
    case("set-weights-nan", lambda c: c.model.set_weights([w * np.nan for w in c.model.get_weights()]),
         InputValueError, "weights[0] contains nan"),
    case("set-weights-ragged-list", lambda c: c.model.set_weights([[[1, 2], [1]]] + c.model.get_weights()[1:]),
         InputValueError, "weights[0] could not be turned into an array"),
    case("set-weights-not-a-list", lambda c: c.model.set_weights(3),
         InputTypeError, "list of 4 arrays", "get_weights", "int"),
    case("set-weights-unbuilt-model",
         lambda c: models.Sequential([layers.Dense(2)]).set_weights([np.zeros((3, 2)), np.zeros(2)]),
         InputValueError, "no weights yet", "input_shape=(features,)"),
    case("set-weights-beyond-float32",
         lambda c: c.model.set_weights([w.astype("float64") * 1e300 for w in c.model.get_weights()]),
         InputValueError, "weights[0] holds values from", "beyond the largest float32", "dtype='float64'"),
    case("save-weights-not-npz", lambda c: c.model.save_weights(c.tmp / "w.h5"),
         InputValueError, ".npz", "'w.h5'", "model.weights.npz"),
    case("save-weights-keras-h5-name", lambda c: c.model.save_weights(c.tmp / "model.weights.h5"),
         InputValueError, "'model.weights.h5'", "Keras writes .h5", "model.weights.npz"),
    case("save-weights-missing-folder", lambda c: c.model.save_weights(c.tmp / "nowhere" / "w.npz"),
         FileNotFoundError, "does not exist", "nowhere", "os.makedirs"),
    case("save-weights-path-is-a-folder",
         lambda c: (c.tmp / "dir.npz").mkdir() or c.model.save_weights(c.tmp / "dir.npz"),
         InputValueError, "is a folder"),
    case("save-weights-path-not-a-path", lambda c: c.model.save_weights(3),
         InputTypeError, "path must be a str or a pathlib.Path", "int"),
    case("save-weights-unbuilt-model", lambda c: models.Sequential([layers.Dense(2)]).save_weights(c.tmp / "u.npz"),
         InputValueError, "no weights yet", "save_weights"),
    case("load-weights-missing-file", lambda c: c.model.load_weights(c.tmp / "none.npz"),
         FileNotFoundError, "no weights file at", "none.npz"),
    case("load-weights-not-a-zip",
         lambda c: (c.tmp / "junk.npz").write_bytes(b"hello") and c.model.load_weights(c.tmp / "junk.npz"),
         InputValueError, "is not a weights file written by save_weights", "not an .npz archive"),
    case("load-weights-truncated", lambda c: c.model.load_weights(truncated_weights_file(c)),
         InputValueError, "is not a weights file written by save_weights", "cut short"),
    case("load-weights-wrong-keys",
         lambda c: np.savez(c.tmp / "keys.npz", a=np.zeros(3)) or c.model.load_weights(c.tmp / "keys.npz"),
         InputValueError, "is not a weights file", "w0"),
    case("load-weights-single-npy",
         lambda c: np.save(c.tmp / "one.npz", np.zeros(3)) or c.model.load_weights(c.tmp / "one.npz.npy"),
         InputValueError, "is not a weights file", "not an .npz archive"),
    case("load-weights-pickled-objects", lambda c: c.model.load_weights(pickled_weights_file(c)),
         InputValueError, "is not a weights file", "allow_pickle=False"),
    case("load-weights-other-model", lambda c: c.model.load_weights(other_model_file(c)),
         InputValueError, "does not hold weights for this model", "expects 4 arrays, got 2"),
    case("load-weights-beyond-float32", lambda c: c.model.load_weights(weights_file_beyond_float32(c)),
         InputValueError, "does not hold weights for this model", "beyond the largest float32"),
    case("load-weights-header-claims-4-tb", lambda c: c.model.load_weights(weights_file_claiming_4_tb(c)),
         InputValueError, "does not hold weights for this model", "weights[0] must have shape (4, 5)",
         "(1000000, 1000000)"),
    case("load-weights-member-twice", lambda c: c.model.load_weights(weights_file_with_a_member_twice(c)),
         InputValueError, "is not a weights file", "'w0' twice"),
    case("load-weights-fifo", lambda c: c.model.load_weights(fifo(c)),
         InputValueError, "is not a weights file", "not a regular file but a FIFO"),
    case("load-weights-unbuilt-model",
         lambda c: models.Sequential([layers.Dense(2)]).load_weights(other_model_file(c)),
         InputValueError, "no weights yet", "load_weights"),
    # Dense
    case("dense-units-zero", lambda c: layers.Dense(0), InputValueError, "units must be >= 1, got 0"),
    case("dense-units-float", lambda c: layers.Dense(2.0), InputTypeError, "units must be an integer, got 2.0"),
    case("dense-units-string", lambda c: layers.Dense("10"), InputTypeError, "units must be an integer, got '10'"),
    case("dense-unknown-activation", lambda c: layers.Dense(3, activation="tanh"),
         InputValueError, "unknown activation 'tanh'", "relu"),
    case("dense-activation-wrong-type", lambda c: layers.Dense(3, activation=np.tanh),
         InputTypeError, "activation must be", "ufunc"),
    case("dense-input-shape-image", lambda c: layers.Dense(3, input_shape=(28, 28)),
         InputValueError, "(features,)", "(28, 28)", "x.reshape(len(x), -1)"),
    case("dense-input-shape-zero", lambda c: layers.Dense(3, input_shape=(0,)),
         InputValueError, "input_shape[0] must be >= 1, got 0"),
    case("dense-input-shape-string", lambda c: layers.Dense(3, input_shape="784"),
         InputTypeError, "input_shape must be a tuple", "'784'"),
    case("dense-dtype-integer", lambda c: layers.Dense(3, dtype="int32"),
         InputValueError, "floating-point", "'int32'"),
    case("dense-dtype-unknown", lambda c: layers.Dense(3, dtype="floaty"),
         InputTypeError, "floating-point", "'floaty'"),
    case("dense-too-large-for-memory", lambda c: layers.Dense(10**9, input_shape=(784,)),
         OutOfMemoryError, "Dense(1000000000) on 784 inputs needs", "GB of memory", "fewer units"),
    case("dense-input-dim-and-shape-disagree", lambda c: layers.Dense(3, input_dim=4, input_shape=(5,)),
         InputValueError, "input_dim=4 and input_shape=(5,) disagree"),
    case("dense-keras-only-argument", lambda c: layers.Dense(3, kernel_regularizer="l2"),
         UnsupportedArgumentError, "Dense(kernel_regularizer=...)", "not part of chapter2", "regularizers"),
    case("dense-unknown-keyword", lambda c: layers.Dense(3, activaton="relu"),
         InputTypeError, "unexpected keyword argument 'activaton'", "did you mean 'activation'"),
    case("dense-trainable-not-bool", lambda c: layers.Dense(3, trainable="no"),
         InputTypeError, "trainable must be True or False", "'no'"),
    case("flatten-channels-first", lambda c: layers.Flatten(data_format="channels_first"),
         InputValueError, "channels_first", "not part of chapter2"),
    case("input-without-shape", lambda c: layers.Input(), InputValueError, "needs the shape of one sample"),
    case("input-batch-size", lambda c: layers.Input(shape=(4,), batch_size=32),
         InputValueError, "batch_size", "give the batch size to fit"),
    case("input-not-first", lambda c: models.Sequential([layers.Dense(2, input_shape=(3,)), layers.Input(shape=(2,))]),
         InputValueError, "Input(...) must come first"),
    case("input-then-mismatched-dense",
         lambda c: models.Sequential([layers.Input(shape=(3,)), layers.Dense(2, input_shape=(4,))]),
         InputValueError, "expects 4 inputs", "has 3 outputs"),
    case("images-of-the-wrong-size", lambda c: image_model().fit(np.zeros((N, 3, 2)), c.onehot, verbose=0),
         InputValueError, "samples of shape (3, 2)", "expects samples of shape (2, 2)"),
    case("flat-data-for-an-image-model", lambda c: image_model().fit(np.zeros((N, 4)), c.onehot, verbose=0),
         InputValueError, "x must have shape (samples, 2, 2), got shape (10, 4)"),
    case("layers-keras-name", lambda c: layers.Dropout(0.5),
         NotInChapter2Error, "layers.Dropout", "not part of chapter2", "Dense, Flatten and Input"),
    case("dense-forward-wrong-feature-count", lambda c: layers.Dense(3, input_shape=(4,)).forward(np.zeros((2, 5))),
         InputValueError, "expects inputs with 4 features", "(2, 5)"),
    case("dense-forward-strings", lambda c: layers.Dense(3, input_shape=(4,)).forward(np.array([["a"] * 4])),
         InputTypeError, "x must hold real numbers"),
    case("dense-forward-objects", lambda c: layers.Dense(3, input_shape=(4,)).forward(np.zeros((2, 4), dtype=object)),
         InputTypeError, "x must hold real numbers", "object"),
    case("dense-forward-ragged-list", lambda c: layers.Dense(3, input_shape=(4,)).forward([[1, 2, 3, 4], [1]]),
         InputValueError, "x could not be turned into an array"),
    case("dense-forward-scalar", lambda c: layers.Dense(3, input_shape=(4,)).forward(3.0),
         InputValueError, "(batch, features)", "shape ()"),
    case("dense-forward-1d", lambda c: layers.Dense(3, input_shape=(4,)).forward(np.zeros(4)),
         InputValueError, "(batch, features)", "(4,)", "x.reshape(1, -1)"),
    case("dense-backward-before-forward", lambda c: layers.Dense(3, input_shape=(4,)).backward(np.zeros((2, 3))),
         InputValueError, "call forward before backward"),
    case("dense-backward-wrong-shape", lambda c: forward_then({}, np.zeros((2, 5))),
         InputValueError, "grad_out must have the shape of the last forward output", "(2, 3)", "(2, 5)"),
    case("dense-backward-strings", lambda c: forward_then({}, np.full((2, 3), "a")),
         InputTypeError, "grad_out must hold real numbers"),
    # to_categorical
    case("to-categorical-strings", lambda c: to_categorical(["a", "b"]),
         InputTypeError, "labels must hold real numbers"),
    case("to-categorical-ragged-list", lambda c: to_categorical([[1], [1, 2]]),
         InputValueError, "labels could not be turned into an array"),
    case("to-categorical-negative", lambda c: to_categorical([-1, 2]), InputValueError, "labels must be >= 0, found -1"),
    case("to-categorical-fractional", lambda c: to_categorical([0.5, 2]), InputValueError, "whole numbers"),
    case("to-categorical-nan", lambda c: to_categorical([np.nan, 1.0]), InputValueError, "labels contains nan"),
    case("to-categorical-inf", lambda c: to_categorical([np.inf, 1.0]), InputValueError, "labels contains inf"),
    case("to-categorical-too-few-classes", lambda c: to_categorical([0, 5], num_classes=3),
         InputValueError, "labels go up to 5", "num_classes >= 6", "num_classes=3"),
    case("to-categorical-num-classes-zero", lambda c: to_categorical([0], num_classes=0),
         InputValueError, "num_classes must be >= 1, got 0"),
    case("to-categorical-num-classes-float", lambda c: to_categorical([0], num_classes=3.0),
         InputTypeError, "num_classes must be an integer, got 3.0"),
    case("to-categorical-already-one-hot", lambda c: to_categorical(np.eye(3)),
         InputValueError, "1-D array of class indices", "(3, 3)", "one-hot encoded already"),
    case("to-categorical-scalar", lambda c: to_categorical(3),
         InputValueError, "1-D array of class indices", "shape ()"),
    case("to-categorical-empty-without-num-classes", lambda c: to_categorical([]),
         InputValueError, "labels is empty", "pass num_classes"),
    case("to-categorical-label-too-large", lambda c: to_categorical(np.array([2**63], dtype=np.uint64)),
         InputValueError, "class indices", str(2**63)),
    case("to-categorical-too-large-for-memory", lambda c: to_categorical([0, 1], num_classes=10**12),
         OutOfMemoryError, "one-hot array of 2 labels x 1000000000000 classes", "GB of memory", "num_classes"),
    case("to-categorical-unknown-dtype", lambda c: to_categorical([0, 1], dtype="floaty"),
         InputTypeError, "dtype must be a NumPy number type", "'floaty'"),
    case("to-categorical-string-dtype", lambda c: to_categorical([0, 1], dtype="U3"),
         InputTypeError, "dtype must be a NumPy number type"),
    # set_random_seed
    case("seed-negative", lambda c: set_random_seed(-1), InputValueError, "seed must be >= 0, got -1"),
    case("seed-float", lambda c: set_random_seed(4.2), InputTypeError, "seed must be an integer, got 4.2"),
    case("seed-string", lambda c: set_random_seed("42"), InputTypeError, "seed must be an integer, got '42'"),
    case("seed-none", lambda c: set_random_seed(None), InputTypeError, "seed must be an integer, got None"),
    # optimizers
    case("sgd-learning-rate-zero", lambda c: optimizers.SGD(learning_rate=0),
         InputValueError, "learning_rate must be > 0.0, got 0.0"),
    case("sgd-learning-rate-negative", lambda c: optimizers.SGD(learning_rate=-1),
         InputValueError, "learning_rate must be > 0.0, got -1.0"),
    case("sgd-learning-rate-nan", lambda c: optimizers.SGD(learning_rate=float("nan")),
         InputValueError, "learning_rate must be finite"),
    case("sgd-learning-rate-string", lambda c: optimizers.SGD(learning_rate="0.1"),
         InputTypeError, "learning_rate must be a number, got '0.1'"),
    case("sgd-momentum-negative", lambda c: optimizers.SGD(momentum=-0.5),
         InputValueError, "momentum must be >= 0.0, got -0.5"),
    case("rmsprop-rho-above-one", lambda c: optimizers.RMSprop(rho=1.5), InputValueError, "rho must be < 1.0, got 1.5"),
    case("rmsprop-rho-one", lambda c: optimizers.RMSprop(rho=1.0),
         InputValueError, "rho must be < 1.0, got 1.0", "[0.0, 1.0)"),
    case("sgd-momentum-one", lambda c: optimizers.SGD(momentum=1.0),
         InputValueError, "momentum must be < 1.0, got 1.0", "[0.0, 1.0)"),
    case("rmsprop-momentum-infinite", lambda c: optimizers.RMSprop(momentum=float("inf")),
         InputValueError, "momentum must be finite"),
    case("rmsprop-epsilon-negative", lambda c: optimizers.RMSprop(epsilon=-1),
         InputValueError, "epsilon must be > 0.0, got -1.0"),
    case("rmsprop-epsilon-zero", lambda c: optimizers.RMSprop(epsilon=0),
         InputValueError, "epsilon must be > 0.0, got 0.0"),
    case("rmsprop-epsilon-nan", lambda c: optimizers.RMSprop(epsilon=float("nan")),
         InputValueError, "epsilon must be finite"),
    case("rmsprop-epsilon-zero-in-float32",
         lambda c: (lambda m: m.fit(c.x, c.onehot, verbose=0))(
             (lambda m: m.compile(optimizers.RMSprop(epsilon=1e-50), "categorical_crossentropy") or m)(make_model())),
         InputValueError, "epsilon=1e-50 is 0 in float32", "NaN"),
    case("rmsprop-centered-not-bool", lambda c: optimizers.RMSprop(centered="yes"),
         InputTypeError, "centered must be True or False"),
    case("sgd-nesterov-not-bool", lambda c: optimizers.SGD(momentum=0.9, nesterov="no"),
         InputTypeError, "nesterov must be True or False", "'no'"),
    case("adam-beta-1-one", lambda c: optimizers.Adam(beta_1=1.0), InputValueError, "beta_1 must be < 1.0"),
    case("adam-beta-2-negative", lambda c: optimizers.Adam(beta_2=-0.1), InputValueError, "beta_2 must be >= 0.0"),
    case("adam-epsilon-zero", lambda c: optimizers.Adam(epsilon=0.0), InputValueError, "epsilon must be > 0.0"),
    case("rmsprop-lr-keyword", lambda c: optimizers.RMSprop(lr=0.01),
         UnsupportedArgumentError, "RMSprop(lr=...)", "not part of chapter2", "learning_rate="),
    case("sgd-keras-only-keyword", lambda c: optimizers.SGD(clipnorm=1.0),
         UnsupportedArgumentError, "SGD(clipnorm=...)", "does not clip gradients"),
    case("optimizer-unknown-keyword", lambda c: optimizers.Adam(learnin_rate=0.1),
         InputTypeError, "unexpected keyword argument 'learnin_rate'", "did you mean 'learning_rate'"),
    case("optimizers-get-unknown", lambda c: optimizers.get("adagrad"),
         InputValueError, "unknown optimizer 'adagrad'", "not part of chapter2", "rmsprop", "adam"),
    case("optimizers-keras-name", lambda c: optimizers.Adagrad,
         NotInChapter2Error, "optimizers.Adagrad", "not part of chapter2", "RMSprop"),
    case("optimizers-get-none", lambda c: optimizers.get(None), InputTypeError, "optimizer must be", "NoneType"),
    # losses
    case("losses-get-unknown", lambda c: losses.get("hinge"), InputValueError, "unknown loss 'hinge'"),
    case("losses-get-keras-name", lambda c: losses.get("binary_crossentropy"),
         InputValueError, "unknown loss 'binary_crossentropy'", "not part of chapter2", "Dense(2, activation='softmax')"),
    case("losses-keras-name", lambda c: losses.Huber, NotInChapter2Error, "losses.Huber", "mse"),
    case("datasets-keras-name", lambda c: chapter2.datasets.imdb,
         NotInChapter2Error, "datasets.imdb", "only the MNIST digits"),
    case("losses-get-none", lambda c: losses.get(None), InputTypeError, "loss must be", "NoneType"),
    case("loss-wrong-number-of-classes", lambda c: losses.categorical_crossentropy(np.eye(3)[:2], np.full((2, 4), .25)),
         InputValueError, "y_true has shape (2, 3)", "4 outputs", "(2, 4)"),
    case("loss-length-mismatch", lambda c: losses.mse(np.zeros((2, 3)), np.zeros((3, 3))),
         InputValueError, "same number of samples", "(2, 3)", "(3, 3)"),
    case("loss-y-pred-1d", lambda c: losses.mse(np.zeros(3), np.zeros(3)),
         InputValueError, "y_pred must be 2-D", "y_pred.reshape(-1, 1)"),
    case("loss-strings", lambda c: losses.categorical_crossentropy(np.array([["a"]]), np.ones((1, 1))),
         InputTypeError, "y_true must hold real numbers"),
    case("loss-labels-out-of-range", lambda c: losses.sparse_categorical_crossentropy([0, 5], np.full((2, 2), .5)),
         InputValueError, "labels from 0 to 5", "0..1"),
    case("loss-one-hot-for-sparse", lambda c: losses.sparse_categorical_crossentropy(np.eye(2), np.full((2, 2), .5)),
         InputValueError, "one integer label per sample", "argmax"),
    case("loss-y-true-nan", lambda c: losses.mse(with_nan(np.zeros((3, 3))), np.zeros((3, 3))),
         InputValueError, "y_true contains nan"),
    case("loss-gradient-wrong-shape", lambda c: losses.mse.gradient(np.zeros((2, 3)), np.zeros((2, 4))),
         InputValueError, "y_true has shape (2, 3)", "(2, 4)"),
    # activations and metrics
    case("activations-get-unknown", lambda c: activations.get("tanh"),
         InputValueError, "unknown activation 'tanh'", "softmax"),
    case("activations-get-wrong-type", lambda c: activations.get(1), InputTypeError, "activation must be", "int"),
    case("metrics-get-unknown", lambda c: metrics.get("f1"), InputValueError, "unknown metric 'f1'"),
    case("accuracy-length-mismatch", lambda c: metrics.accuracy(np.array([0, 1, 2]), np.zeros((2, 3))),
         InputValueError, "same number of samples", "3 in y_true and 2 in y_pred", "(2, 3)", "(3,)"),
    case("accuracy-y-pred-1d", lambda c: metrics.accuracy([0, 1], [0.3, 0.7]),
         InputValueError, "y_pred must be 2-D"),
    case("accuracy-strings", lambda c: metrics.accuracy(["a"], [[0.5, 0.5]]),
         InputTypeError, "y_true must hold real numbers"),
    # gradient checking
    case("numerical-gradient-float32", lambda c: gradcheck.numerical_gradient(np.sum, np.zeros(3, np.float32)),
         InputValueError, "float64", "float32", "np.asarray(x, dtype=np.float64)"),
    case("numerical-gradient-list", lambda c: gradcheck.numerical_gradient(np.sum, [1.0, 2.0]),
         InputValueError, "float64", "list"),
    case("numerical-gradient-f-not-callable", lambda c: gradcheck.numerical_gradient(3, np.zeros(3)),
         InputTypeError, "f must be a function", "int"),
    case("numerical-gradient-f-returns-array", lambda c: gradcheck.numerical_gradient(lambda v: v * 2, np.zeros(3)),
         InputValueError, "f must return a single number", "(3,)"),
    case("numerical-gradient-eps-zero", lambda c: gradcheck.numerical_gradient(np.sum, np.zeros(3), eps=0),
         InputValueError, "eps must be > 0.0, got 0.0"),
    case("numerical-gradient-x-nan", lambda c: gradcheck.numerical_gradient(np.sum, np.array([np.nan, 1.0])),
         InputValueError, "x contains nan"),
    case("relative-error-shape-mismatch", lambda c: gradcheck.relative_error(np.zeros(3), np.zeros(4)),
         InputValueError, "(3,) and (4,)"),
    case("relative-error-strings", lambda c: gradcheck.relative_error(np.array(["a"]), np.zeros(1)),
         InputTypeError, "a must hold real numbers"),
    case("relative-error-nan", lambda c: gradcheck.relative_error(np.zeros(2), np.array([0.0, np.nan])),
         InputValueError, "b contains nan"),
    case("check-gradient-shape-mismatch",
         lambda c: gradcheck.check_gradient(lambda v: float(v.sum()), np.zeros(3), np.zeros(4)),
         InputValueError, "(4,) and (3,)"),
]


def snapshot(ctx) -> list:
    return [(m.get_weights(), m.optimizer.iterations) for m in ctx.models]


@pytest.mark.parametrize("bad", CASES)
def test_bad_input(bad: Case, c):
    before = snapshot(c)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a bad input must not slip through as a mere warning
        with pytest.raises(bad.error) as info:
            bad.call(c)
    message = str(info.value)
    for fragment in bad.match:
        assert fragment in message, f"{fragment!r} missing from: {message}"
    assert isinstance(info.value, Chapter2Error)
    # Refused before any work: no weight moved, no optimizer step was taken.
    after = snapshot(c)
    for (w_before, it_before), (w_after, it_after) in zip(before, after):
        assert it_after == it_before == 0
        for a, b in zip(w_before, w_after):
            np.testing.assert_array_equal(a, b)


def test_pickled_weights_are_refused_without_unpickling(c):
    path = pickled_weights_file(c)
    with pytest.raises(InputValueError):
        c.model.load_weights(path)
    assert not (c.tmp / "unpickled").exists()
    # The control: loading the same file with pickle allowed does run code.
    with np.load(path, allow_pickle=True) as data:
        data["w0"]
    assert (c.tmp / "unpickled").exists()


def test_an_unreadable_weights_file_never_prompts_unpickling(c):
    (c.tmp / "junk.npz").write_bytes(b"\x80\x04 looks like a pickle")
    with pytest.raises(InputValueError) as info:
        c.model.load_weights(c.tmp / "junk.npz")
    assert "pickle" not in str(info.value)


def test_batch_size_larger_than_the_data_warns_and_uses_one_batch(c):
    with pytest.warns(UserWarning, match="batch_size=100 is larger than the 10 samples; using one batch of 10"):
        c.model.fit(c.x, c.onehot, batch_size=100, epochs=1, verbose=0)
    assert c.model.optimizer.iterations == 1


# ---------------------------------------------- conveniences that must work


def as_lists(*arrays):
    return [a.tolist() for a in arrays]


def test_lists_of_numbers_train_exactly_like_arrays(c):
    twin = make_model()
    twin.set_weights(c.model.get_weights())
    set_random_seed(3)
    from_arrays = c.model.fit(c.x, c.onehot, epochs=2, batch_size=4, verbose=0).history
    set_random_seed(3)
    from_lists = twin.fit(*as_lists(c.x, c.onehot), epochs=2, batch_size=4, verbose=0).history
    assert from_lists == from_arrays
    for a, b in zip(c.model.get_weights(), twin.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_lists_of_numbers_predict_and_evaluate_like_arrays(c):
    np.testing.assert_array_equal(c.model.predict(c.x.tolist()), c.model.predict(c.x))
    assert c.model.evaluate(*as_lists(c.x, c.onehot), verbose=0) == c.model.evaluate(c.x, c.onehot, verbose=0)
    assert c.sparse.evaluate(c.x.tolist(), c.labels.tolist(), verbose=0) == \
        c.sparse.evaluate(c.x, c.labels, verbose=0)


@pytest.mark.parametrize("kind", ["list", "float64", "uint8", "bool", "int-one-hot", "column-of-labels"])
def test_other_numeric_forms_are_accepted(kind, c):
    """Keras accepts these too; each gives the same result as the float32 array."""
    x, y, model, reference_x, reference_y = c.x, c.onehot, c.model, c.x, c.onehot
    if kind == "list":
        x = c.x.tolist()
    elif kind == "float64":
        x = c.x.astype("float64")
    elif kind == "uint8":
        x = (np.abs(c.x) * 50).astype("uint8")
        reference_x = x.astype("float32")
    elif kind == "bool":
        x = c.x > 0
        reference_x = x.astype("float32")
    elif kind == "int-one-hot":
        y = c.onehot.astype(int)
    elif kind == "column-of-labels":
        model, y, reference_y = c.sparse, c.labels[:, None], c.labels
    expected = model.evaluate(reference_x, reference_y, verbose=0)
    assert model.evaluate(x, y, verbose=0) == pytest.approx(expected, rel=1e-6)


def test_lists_work_for_the_small_functions():
    np.testing.assert_array_equal(to_categorical([0, 2, 1]), np.eye(3, dtype="float32")[[0, 2, 1]])
    assert to_categorical([[0], [2]]).shape == (2, 3)
    assert losses.mse([[0.0, 1.0]], [[0.5, 0.5]]) == pytest.approx(0.25)
    assert losses.sparse_categorical_crossentropy([1], [[0.5, 0.5]]) == pytest.approx(np.log(2))
    assert metrics.accuracy([0, 1], [[0.9, 0.1], [0.2, 0.8]]) == 1.0
    layer = layers.Dense(2, input_shape=(3,), dtype="float64")
    np.testing.assert_allclose(layer.forward([[1.0, 2.0, 3.0]]), np.array([[1.0, 2.0, 3.0]]) @ layer.kernel)


def test_set_weights_accepts_lists_and_other_float_types(c):
    twin = make_model()
    twin.set_weights([w.astype("float64").tolist() for w in c.model.get_weights()])
    for a, b in zip(c.model.get_weights(), twin.get_weights()):
        np.testing.assert_array_equal(a, b)
        assert b.dtype == np.float32


def test_epochs_zero_trains_nothing_and_returns_an_empty_history(c):
    before = c.model.get_weights()
    history = c.model.fit(c.x, c.onehot, epochs=0, verbose=0)
    assert history.history == {} and history.epoch == []
    for a, b in zip(before, c.model.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")
def test_masked_and_matrix_inputs_become_plain_arrays(c):
    masked = np.ma.masked_array(c.x, mask=c.x > 0)
    np.testing.assert_array_equal(c.model.predict(masked), c.model.predict(c.x))
    np.testing.assert_array_equal(c.model.predict(np.asmatrix(c.x)), c.model.predict(c.x))


def test_the_engine_never_checks_input_with_a_bare_assert():
    """``python -O`` strips assert statements, so they must not guard anything."""
    import ast

    engine = ["activations", "cli", "errors", "gradcheck", "layers", "losses", "metrics", "models",
              "optimizers", "progress", "seeding", "training", "utils", "validation"]
    paths = [ROOT / "chapter2" / f"{name}.py" for name in engine]
    paths += sorted((ROOT / "chapter2" / "datasets").glob("*.py"))
    paths += sorted((ROOT / "chapter2" / "kernels").glob("*.py"))
    offenders = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [f"{path.relative_to(ROOT)}:{node.lineno}" for node in ast.walk(tree)
                      if isinstance(node, ast.Assert)]
    assert offenders == []


# ------------------------------------------- the table and the tests agree


TABLE_ID = re.compile(r"`(test_[a-z_]+\.py)::(test_[a-z0-9_]+)(?:\[([^\]]+)\])?`")


def table_references() -> list[tuple[str, str, str | None]]:
    return TABLE_ID.findall(DOC.read_text(encoding="utf-8"))


def test_every_case_has_a_row_in_the_table_and_every_row_a_case():
    documented = {param for module, name, param in table_references()
                  if module == "test_robustness.py" and name == "test_bad_input"}
    cases = {param.values[0].id for param in CASES}
    assert sorted(cases - documented) == [], "cases missing from docs/robustness.md"
    assert sorted(documented - cases) == [], "rows of docs/robustness.md without a case"
    assert len(cases) == len(CASES), "two cases share an id"


def test_every_test_the_table_names_exists():
    for module, name, param in table_references():
        source = (ROOT / "tests" / module).read_text(encoding="utf-8")
        assert f"def {name}(" in source, f"{module}::{name} is named in the table but does not exist"
