"""Models: a stack of layers that can be compiled, trained and evaluated.

``Sequential`` follows Keras: ``add`` layers, ``compile`` with an optimizer, a
loss and metrics, then ``fit`` / ``evaluate`` / ``predict``. One training step
is the whole chapter in four lines (see ``_train_step``): run the layers
forward, measure the loss, send its gradient backward through the layers, and
let the optimizer move every weight a little against its gradient.
"""

from __future__ import annotations

import os
import sys
import tempfile
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from . import kernels
from . import losses as losses_module
from . import metrics as metrics_module
from . import optimizers as optimizers_module
from .activations import Softmax
from .errors import InputTypeError, InputValueError, NotCompiledError, TrainingDivergedError
from .layers import Dense
from .progress import ProgressBar
from .seeding import generator
from .validation import (as_numeric_array, check_finite, check_fits, check_float, check_int,
                         check_not_empty)

DEFAULT_BATCH_SIZE = 32


class History:
    """What ``fit`` returns: per-epoch figures in ``history`` (a dict of lists).

    Examples
    --------
    >>> h = History(); h.record(0, {"loss": 0.5}); h.history
    {'loss': [0.5]}
    """

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []

    def record(self, epoch: int, logs: dict[str, float]) -> None:
        self.epoch.append(epoch)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(value)

    def __repr__(self) -> str:
        return f"History(epochs={len(self.epoch)}, keys={sorted(self.history)})"


class Sequential:
    """A linear stack of layers.

    Parameters
    ----------
    layers : list of Dense, optional
    name : str, default "sequential"

    Examples
    --------
    >>> from chapter2 import layers
    >>> model = Sequential([layers.Dense(4, activation="relu", input_shape=(3,)),
    ...                     layers.Dense(2, activation="softmax")])
    >>> model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    >>> model.predict(np.zeros((5, 3), dtype="float32")).shape
    (5, 2)
    """

    def __init__(self, layers: Sequence[Dense] | None = None, name: str = "sequential") -> None:
        self.name = name
        self.layers: list[Dense] = []
        self.optimizer = self.loss = None
        self.metrics: list[str] = []
        self.history: History | None = None
        if isinstance(layers, Dense):
            raise InputTypeError("Sequential expects a list of layers, got a single Dense; "
                                 "write Sequential([layer]) or use model.add(layer)")
        for layer in layers or []:
            self.add(layer)

    # ----------------------------------------------------------------- building
    def add(self, layer: Dense) -> None:
        """Append a layer; its weights are created as soon as its input size is known."""
        if not isinstance(layer, Dense):
            raise InputTypeError(f"Sequential.add expects a layer such as layers.Dense, got {type(layer).__name__}")
        if any(layer is existing for existing in self.layers):
            raise InputValueError(f"layer {layer!r} is already in this model")
        if self.layers:
            previous = self.layers[-1]
            if layer.built and layer.input_dim != previous.units:
                raise InputValueError(
                    f"{layer!r} expects {layer.input_dim} inputs but the layer before it has {previous.units} outputs")
            if previous.built and not layer.built:
                layer.build(previous.units)
        layer.name = f"dense_{len(self.layers)}" if layer.name == "dense" else layer.name
        self.layers.append(layer)

    @property
    def built(self) -> bool:
        return bool(self.layers) and all(layer.built for layer in self.layers)

    def build(self, input_dim: int) -> None:
        """Create all weights for inputs with ``input_dim`` features."""
        size = input_dim
        for layer in self.layers:
            if not layer.built:
                layer.build(size)
            size = layer.units

    def compile(self, optimizer="rmsprop", loss=None, metrics: Sequence[str] | None = None) -> None:
        """Choose the optimizer, the loss and the metrics to report.

        Parameters
        ----------
        optimizer : str or Optimizer
            ``"rmsprop"``, ``"sgd"`` or an instance from :mod:`chapter2.optimizers`.
        loss : str or Loss
            ``"categorical_crossentropy"``, ``"sparse_categorical_crossentropy"`` or ``"mse"``.
        metrics : list of str, optional
            ``["accuracy"]`` or nothing.
        """
        if not self.layers:
            raise InputValueError("add at least one layer before compiling the model")
        if loss is None:
            raise InputValueError("compile needs a loss, e.g. loss='categorical_crossentropy'")
        # Check everything before changing anything: a failed compile leaves the model as it was.
        chosen_optimizer = optimizers_module.get(optimizer)
        chosen_loss = losses_module.get(loss)
        # Choose the step's kernels now: a bad CHAPTER2_KERNELS is refused here,
        # and numba (when used) is imported before fit starts, not during it.
        kernels.current()
        if isinstance(metrics, str):
            metrics = [metrics]
        for metric in metrics or []:
            if not isinstance(metric, str):
                # metrics.get would accept a function, but fit only computes accuracy.
                raise InputTypeError(f"metrics must be names such as 'accuracy', got {metric!r}")
            metrics_module.get(metric)
        self.optimizer, self.loss = chosen_optimizer, chosen_loss
        self.metrics = ["accuracy" for _ in metrics or []]

    # ----------------------------------------------------------------- training
    def fit(self, x, y, batch_size: int | None = None, epochs: int = 1, verbose=1,
            validation_split: float = 0.0, validation_data=None, shuffle: bool = True) -> History:
        """Train the model for a number of epochs.

        Parameters
        ----------
        x : ndarray, shape (samples, features)
        y : ndarray, targets in the form the loss expects:
            one-hot (samples, classes) for categorical cross-entropy,
            labels (samples,) for the sparse one, (samples, outputs) for mse.
        batch_size : int, default 32
        epochs : int, default 1
        verbose : 0, 1, 2 or "auto"
            0 silent, 1 a live progress bar, 2 one line per epoch.
        validation_split : float in [0, 1)
            Fraction of the data, taken from the end, held out for validation.
        validation_data : tuple (x_val, y_val), optional
        shuffle : bool, default True
            Shuffle the training samples before each epoch.

        Returns
        -------
        History
            ``history.history`` maps "loss", "accuracy" (and "val_loss",
            "val_accuracy") to one value per epoch.

        If training is interrupted (Ctrl-C) or fails part-way through an epoch,
        the model goes back to the weights it had at the end of the last
        completed epoch, ``model.history`` keeps those epochs, and the
        exception is raised again.
        """
        self._check_compiled("fit")
        epochs = check_int(epochs, "epochs", minimum=0)
        if not isinstance(shuffle, (bool, np.bool_)):
            raise InputTypeError(f"shuffle must be True or False, got {shuffle!r}")
        verbose = _check_verbose(verbose)
        validation_split = check_float(validation_split, "validation_split", minimum=0.0)
        if validation_split >= 1:
            raise InputValueError(f"validation_split must be below 1, got {validation_split}")
        x, y = self._check_data(x, y)
        if validation_data is not None and validation_split:
            raise InputValueError("pass either validation_data or validation_split, not both")
        val = self._validation_set(validation_data)
        if validation_split:
            x, y, val = _split_off(x, y, validation_split)
        batch_size = self._check_batch_size(batch_size, len(x))

        history = self.history = History()
        for epoch in range(epochs):
            if verbose:
                print(f"Epoch {epoch + 1}/{epochs}", flush=True)
            snapshot = self._snapshot()
            try:
                # Overflow inside a diverging step is reported below as a
                # TrainingDivergedError, not as a stream of NumPy warnings.
                with np.errstate(over="ignore", invalid="ignore"):
                    logs = self._train_epoch(x, y, batch_size, shuffle, verbose, val)
            except (KeyboardInterrupt, Exception) as exc:
                self._restore(snapshot)
                print(f"\nTraining stopped during epoch {epoch + 1}/{epochs} ({type(exc).__name__}); "
                      f"the model keeps the weights from the end of epoch {epoch} "
                      f"and model.history holds {epoch} completed epoch(s).", file=sys.stderr)
                raise
            history.record(epoch, logs)
        return history

    def _train_epoch(self, x, y, batch_size, shuffle, verbose, val) -> dict[str, float]:
        n = len(x)
        steps = -(-n // batch_size)
        order = generator().permutation(n) if shuffle else None
        bar = ProgressBar(steps, verbose)
        totals = {"loss": 0.0, "correct": 0.0}
        seen = 0
        for step, (xb, yb) in enumerate(self._batches(x, y, batch_size, order), start=1):
            loss_sum, correct = self._train_step(xb, yb)
            if not np.isfinite(loss_sum):
                raise TrainingDivergedError(
                    f"the loss became {loss_sum} at step {step}: training diverged. Try a smaller "
                    "learning_rate, check the inputs are scaled (e.g. pixels / 255), and the labels match the loss")
            totals["loss"] += loss_sum
            totals["correct"] += correct
            seen += len(xb)
            bar.update(step, self._logs(totals, seen))
        logs = self._logs(totals, seen)
        if val is not None:
            val_figures = self._evaluate_arrays(*val, batch_size)
            logs.update({f"val_{k}": v for k, v in val_figures.items()})
        bar.finish(logs)
        return logs

    def _train_step(self, xb: np.ndarray, yb: np.ndarray) -> tuple[float, float]:
        """Forward, loss, backward, update. Returns (sum of sample losses, correct count)."""
        out = self._forward(xb)
        losses = self.loss.per_sample(yb, out)
        self._backward(yb, out)
        self.optimizer.apply(self._weights(), self._grads())
        correct = float(np.sum(metrics_module.correct(yb, out))) if self.metrics else 0.0
        return float(np.sum(losses)), correct

    def _forward(self, x: np.ndarray) -> np.ndarray:
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def _backward(self, y: np.ndarray, out: np.ndarray) -> None:
        last = self.layers[-1]
        if isinstance(last.activation, Softmax) and hasattr(self.loss, "gradient_through_softmax"):
            # Softmax followed by cross-entropy: the product of their
            # derivatives collapses to (probabilities - targets) / batch.
            grad = last.backward_from_preactivation(
                self.loss.gradient_through_softmax(y, out), need_input_grad=len(self.layers) > 1)
        else:
            grad = last.backward(self.loss.gradient(y, out), need_input_grad=len(self.layers) > 1)
        for index in range(len(self.layers) - 2, -1, -1):
            grad = self.layers[index].backward(grad, need_input_grad=index > 0)

    def compute_gradients(self, x, y) -> tuple[float, list[np.ndarray]]:
        """Mean loss on ``(x, y)`` and its gradient for every weight, without updating.

        Returns
        -------
        loss : float
        grads : list of ndarray, aligned with :meth:`get_weights`
        """
        self._check_compiled("compute_gradients")
        x, y = self._check_data(x, y)
        x = x.astype(self._dtype, copy=False)
        out = self._forward(x)
        loss = float(np.mean(self.loss.per_sample(y, out)))
        self._backward(y, out)
        return loss, [g.copy() for g in self._grads()]

    # --------------------------------------------------------------- evaluation
    def evaluate(self, x, y, batch_size: int | None = None, verbose=1) -> list[float] | float:
        """Loss and metrics on ``(x, y)``: ``[loss, accuracy]`` (just the loss without metrics)."""
        self._check_compiled("evaluate")
        verbose = _check_verbose(verbose)
        x, y = self._check_data(x, y)
        batch_size = self._check_batch_size(batch_size, len(x))
        figures = self._evaluate_arrays(x, y, batch_size, verbose)
        return [figures["loss"], figures["accuracy"]] if self.metrics else figures["loss"]

    def _evaluate_arrays(self, x, y, batch_size, verbose=0) -> dict[str, float]:
        steps = -(-len(x) // batch_size)
        bar = ProgressBar(steps, verbose)
        totals = {"loss": 0.0, "correct": 0.0}
        seen = 0
        for step, (xb, yb) in enumerate(self._batches(x, y, batch_size, None), start=1):
            out = self._forward(xb)
            totals["loss"] += float(np.sum(self.loss.per_sample(yb, out)))
            if self.metrics:
                totals["correct"] += float(np.sum(metrics_module.correct(yb, out)))
            seen += len(xb)
            bar.update(step, self._logs(totals, seen))
        logs = self._logs(totals, seen)
        bar.finish(logs)
        return logs

    def predict(self, x, batch_size: int | None = None, verbose=0) -> np.ndarray:
        """Outputs of the last layer for every sample, shape (samples, units)."""
        x = self._check_inputs(x)
        batch_size = self._check_batch_size(batch_size, len(x))
        verbose = _check_verbose(verbose)
        steps = -(-len(x) // batch_size)
        bar = ProgressBar(steps, verbose)
        outputs = []
        for step, start in enumerate(range(0, len(x), batch_size), start=1):
            batch = x[start:start + batch_size].astype(self._dtype, copy=False)
            outputs.append(self._forward(batch).copy())
            bar.update(step, {})
        bar.finish({})
        return np.concatenate(outputs)

    # ------------------------------------------------------------------ weights
    def get_weights(self) -> list[np.ndarray]:
        """Copies of all weights: kernel and bias of each layer, in order."""
        return [w.copy() for w in self._weights()]

    def set_weights(self, weights: Sequence[np.ndarray]) -> None:
        """Replace all weights; shapes must match :meth:`get_weights`."""
        self._check_built("set_weights")
        current = self._weights()
        if isinstance(weights, (str, bytes, np.ndarray)) or not hasattr(weights, "__iter__"):
            raise InputTypeError(
                f"set_weights expects a list of {len(current)} arrays (as returned by get_weights), "
                f"got {type(weights).__name__}")
        weights = list(weights)
        if len(weights) != len(current):
            raise InputValueError(f"set_weights expects {len(current)} arrays, got {len(weights)}")
        for index, (old, new) in enumerate(zip(current, weights)):
            new = as_numeric_array(new, f"weights[{index}]")
            if new.shape != old.shape:
                raise InputValueError(f"weights[{index}] must have shape {old.shape}, got {new.shape}")
            check_finite(new, f"weights[{index}]")
        for old, new in zip(current, weights):
            old[...] = new

    def save_weights(self, path: str | os.PathLike) -> None:
        """Write all weights to a ``.npz`` file, atomically (a crash never leaves half a file)."""
        path = _check_path(path)
        if path.suffix != ".npz":
            raise InputValueError(f"weights are saved as .npz files; got {path.name!r}, use e.g. 'model.weights.npz'")
        if path.is_dir():
            raise InputValueError(f"{path} is a folder; save_weights needs a file name such as {path / 'model.weights.npz'}")
        if not path.parent.is_dir():
            raise FileNotFoundError(
                f"cannot save weights to {path}: the folder {path.parent} does not exist; "
                "create it first, e.g. os.makedirs(folder, exist_ok=True)")
        self._check_built("save_weights")
        arrays = {f"w{index}": w for index, w in enumerate(self._weights())}
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                np.savez(handle, **arrays)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def load_weights(self, path: str | os.PathLike) -> None:
        """Read weights written by :meth:`save_weights` (never unpickles anything)."""
        path = _check_path(path)
        if not path.is_file():
            raise FileNotFoundError(f"no weights file at {path}")
        self._check_built("load_weights")
        try:
            # Opening the file here closes it even when np.load fails on a damaged archive.
            with open(path, "rb") as handle:
                # Checked first so that NumPy never suggests unpickling an unknown file.
                if not zipfile.is_zipfile(handle):
                    raise ValueError("it is not an .npz archive: damaged, cut short, or another kind of file")
                handle.seek(0)
                with np.load(handle, allow_pickle=False) as data:
                    arrays = [data[f"w{index}"] for index in range(len(data.files))]
        except (ValueError, KeyError, OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
            raise InputValueError(f"{path} is not a weights file written by save_weights ({exc})") from None
        try:
            self.set_weights(arrays)
        except (InputValueError, InputTypeError) as exc:
            raise type(exc)(f"{path} does not hold weights for this model: {exc}") from None

    # -------------------------------------------------------------------- info
    def count_params(self) -> int:
        return sum(layer.count_params() for layer in self.layers)

    def summary(self, print_fn=print) -> None:
        """Print a table of the layers, their output shapes and parameter counts."""
        rows = [(f"{layer.name} (Dense, {layer.activation.name})", f"(None, {layer.units})",
                 f"{layer.count_params():,}" if layer.built else "unbuilt") for layer in self.layers]
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in
                  enumerate(("Layer (type)", "Output Shape", "Param #"))]
        line = "-" * (sum(widths) + 6)
        fmt = "{:<%d}   {:<%d}   {:>%d}" % tuple(widths)
        print_fn(f'Model: "{self.name}"')
        print_fn(line)
        print_fn(fmt.format("Layer (type)", "Output Shape", "Param #"))
        print_fn(line)
        for row in rows:
            print_fn(fmt.format(*row))
        print_fn(line)
        print_fn(f"Total params: {self.count_params():,}")

    # ----------------------------------------------------------------- helpers
    @property
    def _dtype(self) -> np.dtype:
        return self.layers[0].dtype

    def _weights(self) -> list[np.ndarray]:
        return [w for layer in self.layers for w in layer.weights]

    def _grads(self) -> list[np.ndarray]:
        return [g for layer in self.layers for g in layer.grads]

    def _snapshot(self) -> tuple:
        return [w.copy() for w in self._weights()], self.optimizer.get_state()

    def _restore(self, snapshot) -> None:
        weights, state = snapshot
        for old, saved in zip(self._weights(), weights):
            old[...] = saved
        self.optimizer.set_state(state)

    def _check_built(self, action: str) -> None:
        if not self.built:
            raise InputValueError(
                f"the model has no weights yet, so {action} cannot work; give the first layer "
                "input_shape=(features,) or call fit or predict once before it")

    def _check_compiled(self, action: str) -> None:
        if self.loss is None:
            raise NotCompiledError(
                f"call model.compile(optimizer=..., loss=..., metrics=[...]) before model.{action}(...)")

    def _check_inputs(self, x, name: str = "x") -> np.ndarray:
        if not self.layers:
            raise InputValueError("the model has no layers; add some with model.add(layers.Dense(...))")
        x = as_numeric_array(x, name)
        if x.ndim != 2:
            hint = (f"; flatten each sample first: {name}.reshape(len({name}), -1)" if x.ndim > 2 else
                    f"; for a single sample pass {name}.reshape(1, -1)" if x.ndim == 1 else "")
            raise InputValueError(f"{name} must be 2-D, (samples, features), got shape {x.shape}{hint}")
        check_not_empty(x, name)
        expected = self.layers[0].input_dim
        if expected is not None and x.shape[1] != expected:
            raise InputValueError(
                f"{name} has {x.shape[1]} features per sample (shape {x.shape}), but the first layer "
                f"expects {expected}: it was built with input_shape=({expected},)")
        check_finite(x, name)
        check_fits(x, self._dtype, name)
        if not self.built:
            self.build(x.shape[1])
        return x

    def _check_data(self, x, y, names: tuple[str, str] = ("x", "y")) -> tuple[np.ndarray, np.ndarray]:
        x_name, y_name = names
        x = self._check_inputs(x, x_name)
        if y is None:
            raise InputValueError(f"{y_name} (the targets) is missing")
        y = as_numeric_array(y, y_name)
        if y.ndim == 0 or len(y) != len(x):
            raise InputValueError(
                f"{x_name} and {y_name} must have the same number of samples, got {len(x)} in {x_name} and "
                f"{len(y) if y.ndim else 'a scalar'} in {y_name}")
        check_finite(y, y_name)
        check_fits(y, self._dtype, y_name)
        return x, self.loss.check_targets(y, self.layers[-1].units, y_name)

    def _validation_set(self, validation_data):
        if validation_data is None:
            return None
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise InputValueError("validation_data must be a tuple (x_val, y_val)")
        return self._check_data(*validation_data, names=("validation_data[0]", "validation_data[1]"))

    def _check_batch_size(self, batch_size, n: int) -> int:
        if batch_size is None:
            return min(DEFAULT_BATCH_SIZE, n)
        batch_size = check_int(batch_size, "batch_size", minimum=1)
        if batch_size > n:
            warnings.warn(f"batch_size={batch_size} is larger than the {n} samples; using one batch of {n}",
                          stacklevel=3)
            return n
        return batch_size

    def _batches(self, x, y, batch_size, order) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for start in range(0, len(x), batch_size):
            if order is None:
                xb, yb = x[start:start + batch_size], y[start:start + batch_size]
            else:
                index = order[start:start + batch_size]
                xb, yb = x.take(index, axis=0), y.take(index, axis=0)
            yield xb.astype(self._dtype, copy=False), _as_target(yb, self._dtype)

    def _logs(self, totals: dict[str, float], seen: int) -> dict[str, float]:
        logs = {"loss": totals["loss"] / max(seen, 1)}
        if self.metrics:
            logs["accuracy"] = totals["correct"] / max(seen, 1)
        return logs


def _as_target(y: np.ndarray, dtype: np.dtype) -> np.ndarray:
    return y if y.dtype.kind in "iu" else y.astype(dtype, copy=False)


def _split_off(x, y, fraction: float):
    """Hold out the last ``fraction`` of the samples, as Keras does."""
    keep = int(len(x) * (1 - fraction))
    if keep == 0 or keep == len(x):
        raise InputValueError(
            f"validation_split={fraction} leaves {keep} training and {len(x) - keep} validation samples; "
            "both must be at least 1")
    return x[:keep], y[:keep], (x[keep:], y[keep:])


def _check_path(path) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise InputTypeError(f"path must be a str or a pathlib.Path, got {type(path).__name__}")
    return Path(path)


def _check_verbose(verbose) -> int:
    if verbose == "auto":
        return 1
    return check_int(verbose, "verbose", minimum=0, maximum=2)


__all__ = ["Sequential", "History"]
