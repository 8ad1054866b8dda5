"""Models: a stack of layers that can be compiled, trained and evaluated.

``Sequential`` follows Keras: ``add`` layers (any :class:`chapter2.layers.Layer`,
optionally after an ``Input``), ``compile`` with an optimizer, a loss and
metrics, then ``fit`` / ``evaluate`` / ``predict``. One training step is the
whole chapter in four lines (see ``_train_step``): run the layers forward,
measure the loss, send its gradient backward through the layers, and let the
optimizer move every trainable weight a little against its gradient.

The model only orchestrates. The layers compute (:mod:`chapter2.layers`), the
loss and the last layer say whether the softmax + cross-entropy shortcut
applies (``loss.fuses_with_softmax`` and ``layer.ends_in_softmax``), the
optimizer keeps its own state (:mod:`chapter2.optimizers`), checks live in
:mod:`chapter2.validation` and weights files in :mod:`chapter2.saving`.
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import Any, Iterator, Mapping, Sequence

import numpy as np

from . import keras_names, kernels
from . import losses as losses_module
from . import metrics as metrics_module
from . import optimizers as optimizers_module
from . import saving
from .cpus import matching_threads, within_usable_cpus
from .errors import InputTypeError, InputValueError, NotCompiledError, TrainingDivergedError
from .layers import Dense, InputLayer, Layer
from .progress import ProgressBar
from .seeding import generator
from .sources import ScaledPixels
from .validation import (as_numeric_array, check_bool, check_consistent_length, check_finite, check_fits,
                         check_float, check_int, check_samples)

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
    layers : list of Layer, optional
        Any :class:`chapter2.layers.Layer`; an ``Input(shape=...)`` may come first.
    name : str, default "sequential"
    trainable : bool, default True
        ``False`` freezes every layer (see :attr:`trainable`).

    Examples
    --------
    >>> from chapter2 import layers
    >>> model = Sequential([layers.Dense(4, activation="relu", input_shape=(3,)),
    ...                     layers.Dense(2, activation="softmax")])
    >>> model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    >>> model.predict(np.zeros((5, 3), dtype="float32")).shape
    (5, 2)
    >>> images = Sequential([layers.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(10)])
    >>> images.predict(np.zeros((2, 28, 28))).shape
    (2, 10)
    """

    def __init__(self, layers: Sequence[Layer] | None = None, name: str = "sequential",
                 trainable: bool = True) -> None:
        self.name = name
        self.layers: list[Layer] = []
        self._input_layer: InputLayer | None = None
        self.optimizer = self.loss = None
        self.metrics: list[str] = []
        self.history: History | None = None
        self._trainable = check_bool(trainable, "trainable")
        if isinstance(layers, Layer):
            raise InputTypeError(f"Sequential expects a list of layers, got a single {type(layers).__name__}; "
                                 "write Sequential([layer]) or use model.add(layer)")
        for layer in layers or []:
            self.add(layer)
        if not self._trainable:
            self.trainable = False

    def __getattr__(self, name: str) -> Any:
        # Only reached for attributes that do not exist: Keras names get a pointer.
        raise keras_names.missing_attribute("Sequential", name)

    # ----------------------------------------------------------------- building
    def add(self, layer: Layer) -> None:
        """Append a layer; its weights are created as soon as its input shape is known."""
        if not isinstance(layer, Layer):
            raise InputTypeError(
                f"Sequential.add expects a layer such as layers.Dense, got {type(layer).__name__}")
        if layer is self._input_layer or any(layer is existing for existing in self.layers):
            raise InputValueError(f"layer {layer!r} is already in this model")
        if isinstance(layer, InputLayer):
            if self.layers or self._input_layer is not None:
                raise InputValueError("Input(...) must come first in a Sequential model, before any other layer")
            self._input_layer = layer
            return
        previous = self.layers[-1] if self.layers else None
        incoming = previous.output_shape if previous is not None else self._input_shape_declared()
        if incoming is not None and layer.built and layer.input_shape != incoming:
            raise InputValueError(
                f"{layer!r} expects {_describe(layer.input_shape)} inputs but the layer before it has "
                f"{_describe(incoming)} outputs")
        # Weights are drawn in layer order (so a seed gives the same weights however the
        # model is written): a layer is built now only if every layer before it is.
        if incoming is not None and not layer.built and (previous is None or previous.built):
            layer.build(incoming)
        if layer.name == layer.kind:
            layer.name = f"{layer.kind}_{len(self.layers)}"
        self.layers.append(layer)

    @property
    def built(self) -> bool:
        return bool(self.layers) and all(layer.built for layer in self.layers)

    def build(self, input_shape: int | Sequence[int | None]) -> None:
        """Create all weights for inputs of ``input_shape``.

        As in Keras, a tuple includes the batch axis first, e.g. ``(None, 784)``;
        a lone int is the number of features.
        """
        if isinstance(input_shape, (int, np.integer)) and not isinstance(input_shape, bool):
            sample = (int(input_shape),)
        else:
            if isinstance(input_shape, (str, bytes)) or not hasattr(input_shape, "__len__") or len(input_shape) < 2:
                raise InputValueError(
                    f"build expects the input shape with its batch axis, e.g. (None, 784), got {input_shape!r}")
            sample = tuple(input_shape)[1:]
        self._build(sample)

    def _build(self, sample_shape: tuple[int, ...]) -> None:
        shape = sample_shape
        for layer in self.layers:
            if not layer.built:
                layer.build(shape)
            shape = layer.output_shape

    @property
    def trainable(self) -> bool:
        """``False`` freezes every layer (as in Keras, it sets each layer's ``trainable``)."""
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = check_bool(value, "trainable")
        for layer in self.layers:
            layer.trainable = self._trainable

    def compile(self, optimizer="rmsprop", loss=None, metrics: Sequence[str] | None = None,
                **keras_only: Any) -> None:
        """Choose the optimizer, the loss and the metrics to report.

        Parameters
        ----------
        optimizer : str or Optimizer
            ``"rmsprop"``, ``"sgd"``, ``"adam"`` or an instance from :mod:`chapter2.optimizers`.
        loss : str or Loss
            ``"categorical_crossentropy"``, ``"sparse_categorical_crossentropy"`` or ``"mse"``.
        metrics : list of str, optional
            ``["accuracy"]`` (or ``["acc"]``: the history then uses the name given).
        """
        keras_names.check_keyword_arguments("compile", keras_only, ["optimizer", "loss", "metrics"])
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
        if isinstance(metrics, Mapping):
            raise InputTypeError(
                f"metrics is a dict ({sorted(map(str, metrics))[:3]}); in Keras a dict names a metric per "
                "output, and chapter2 models have one output: pass a list, e.g. metrics=['accuracy']")
        names = [metrics] if isinstance(metrics, str) else list(metrics or [])
        for metric in names:
            if not isinstance(metric, str):
                # metrics.get would accept a function, but fit only computes accuracy.
                raise InputTypeError(f"metrics must be names such as 'accuracy', got {metric!r}")
            metrics_module.get(metric)
        if "loss" in names or len(set(names)) != len(names):
            raise InputValueError(f"metrics must be distinct names other than 'loss', got {names}")
        self.optimizer, self.loss = chosen_optimizer, chosen_loss
        self.metrics = names

    # ----------------------------------------------------------------- training
    def fit(self, x, y, batch_size: int | None = None, epochs: int = 1, verbose=1,
            validation_split: float = 0.0, validation_data=None, shuffle: bool = True,
            **keras_only: Any) -> History:
        """Train the model for a number of epochs.

        Parameters
        ----------
        x : ndarray, shape (samples, *input_shape), or ScaledPixels
            ``(samples, features)`` for a model that starts with ``Dense``;
            :class:`chapter2.sources.ScaledPixels` keeps integer pixels and
            scales each batch as it is drawn (the same steps, a quarter of the memory).
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
            ``history.history`` maps "loss" and each metric, under the name
            given to ``compile`` (and "val_loss", "val_" + metric), to one
            value per epoch.

        Only the weights of trainable layers change. If training is
        interrupted (Ctrl-C) or fails part-way through an epoch, or an epoch
        leaves a weight that is not finite, the model goes back to the weights
        it had at the end of the last completed epoch, ``model.history`` keeps
        those epochs, and the exception is raised again.
        """
        keras_names.check_keyword_arguments(
            "fit", keras_only, ["x", "y", "batch_size", "epochs", "verbose", "validation_split",
                                "validation_data", "shuffle"])
        self._check_compiled("fit")
        epochs = check_int(epochs, "epochs", minimum=0)
        shuffle = check_bool(shuffle, "shuffle")
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
        self.optimizer.check_weights(self._weights())

        with matching_threads() as share:  # BLAS threads for the CPUs this process may use
            return self._fit_epochs(x, y, batch_size, epochs, verbose, shuffle, val, share)

    def _fit_epochs(self, x, y, batch_size, epochs, verbose, shuffle, val, share) -> History:
        history = self.history = History()
        for epoch in range(epochs):
            if verbose:
                print(f"Epoch {epoch + 1}/{epochs}", flush=True)
            snapshot = self._snapshot()
            try:
                # Overflow inside a diverging step is reported below as a
                # TrainingDivergedError, not as a stream of NumPy warnings.
                with np.errstate(over="ignore", invalid="ignore"):
                    logs = self._train_epoch(x, y, batch_size, shuffle, verbose, val, share)
                    self._check_weights_finite(epoch)
            except (KeyboardInterrupt, Exception) as exc:
                self._restore(snapshot)
                print(f"\nTraining stopped during epoch {epoch + 1}/{epochs} ({type(exc).__name__}); "
                      f"the model keeps the weights from the end of epoch {epoch} "
                      f"and model.history holds {epoch} completed epoch(s).", file=sys.stderr)
                raise
            history.record(epoch, logs)
        return history

    def _train_epoch(self, x, y, batch_size, shuffle, verbose, val, share=None) -> dict[str, float]:
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
            if share is not None:
                share.step()
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
        frozen = [not self._trains(layer) for layer in self.layers for _ in layer.weights]
        weights = [w for w, skip in zip(self._weights(), frozen) if not skip]
        grads = [g for g, skip in zip(self._grads(), frozen) if not skip]
        self.optimizer._apply_unchecked(grads, weights)   # fit checked the weights before the first step
        correct = float(np.sum(metrics_module.correct(yb, out))) if self.metrics else 0.0
        return float(np.sum(losses)), correct

    def _forward(self, x: np.ndarray) -> np.ndarray:
        for layer in self.layers:
            x = layer.call(x)
        return x

    def _backward(self, y: np.ndarray, out: np.ndarray, every_weight: bool = False) -> None:
        """Send the loss gradient back through the layers.

        For training only trainable weights need gradients, and no layer
        below the lowest trainable one needs its input gradient;
        ``every_weight`` asks for all of them (``compute_gradients``).
        """
        layers = self.layers
        lowest = 0 if every_weight else next(
            (i for i, layer in enumerate(layers) if self._trains(layer) and layer.weights), len(layers))
        top = len(layers) - 1
        last = layers[top]

        def wanted(index: int) -> dict[str, bool]:
            return {"need_input_grad": index > lowest,
                    "need_weight_grads": every_weight or self._trains(layers[index])}

        if last.ends_in_softmax and self.loss.fuses_with_softmax:
            # Softmax followed by cross-entropy: the product of their
            # derivatives collapses to (probabilities - targets) / batch.
            grad = last.call_backward_from_scores(self.loss.gradient_through_softmax(y, out), **wanted(top))
        else:
            grad = last.call_backward(self.loss.gradient(y, out), **wanted(top))
        for index in range(top - 1, lowest - 1, -1):
            grad = layers[index].call_backward(grad, **wanted(index))

    def compute_gradients(self, x, y) -> tuple[float, list[np.ndarray]]:
        """Mean loss on ``(x, y)`` and its gradient for every weight (frozen ones too), without updating.

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
        self._backward(y, out, every_weight=True)
        return loss, [g.copy() for g in self._grads()]

    # --------------------------------------------------------------- evaluation
    @within_usable_cpus
    def evaluate(self, x, y, batch_size: int | None = None, verbose=1, return_dict: bool = False,
                 **keras_only: Any) -> list[float] | float | dict[str, float]:
        """Loss and metrics on ``(x, y)``: ``[loss, accuracy]`` (just the loss without metrics).

        With ``return_dict=True``: ``{"loss": ..., "accuracy": ...}``, keyed as in ``fit``'s history.
        """
        keras_names.check_keyword_arguments("evaluate", keras_only, ["x", "y", "batch_size", "verbose",
                                                                     "return_dict"])
        self._check_compiled("evaluate")
        verbose = _check_verbose(verbose)
        return_dict = check_bool(return_dict, "return_dict")
        x, y = self._check_data(x, y)
        batch_size = self._check_batch_size(batch_size, len(x))
        figures = self._evaluate_arrays(x, y, batch_size, verbose)
        if return_dict:
            return figures
        return [figures["loss"]] + [figures[m] for m in self.metrics] if self.metrics else figures["loss"]

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

    @within_usable_cpus
    def predict(self, x, batch_size: int | None = None, verbose=0, **keras_only: Any) -> np.ndarray:
        """Outputs of the last layer for every sample, shape (samples, units)."""
        keras_names.check_keyword_arguments("predict", keras_only, ["x", "batch_size", "verbose"])
        x = self._check_inputs(x)
        batch_size = self._check_batch_size(batch_size, len(x))
        verbose = _check_verbose(verbose)
        steps = -(-len(x) // batch_size)
        bar = ProgressBar(steps, verbose)
        outputs = []
        for step, start in enumerate(range(0, len(x), batch_size), start=1):
            batch = _rows(x, slice(start, start + batch_size), self._dtype)
            outputs.append(self._forward(batch).copy())
            bar.update(step, {})
        bar.finish({})
        return np.concatenate(outputs)

    # ------------------------------------------------------------------ weights
    @property
    def weights(self) -> list[np.ndarray]:
        """All weight arrays (live, not copies): kernel and bias of each layer, in order."""
        return self._weights()

    @property
    def trainable_weights(self) -> list[np.ndarray]:
        return [w for layer in self.layers if self._trains(layer) for w in layer.weights]

    @property
    def non_trainable_weights(self) -> list[np.ndarray]:
        return [w for layer in self.layers if not self._trains(layer) for w in layer.weights]

    def _trains(self, layer: Layer) -> bool:
        # As in Keras, the model's flag gates every layer, including layers added after it was set.
        return self._trainable and layer.trainable

    def get_weights(self) -> list[np.ndarray]:
        """Copies of all weights: kernel and bias of each layer, in order."""
        return [w.copy() for w in self._weights()]

    def set_weights(self, weights: Sequence[np.ndarray]) -> None:
        """Replace all weights; shapes must match :meth:`get_weights`, values must be finite and fit the dtype.

        Every array is checked before any is written.
        """
        self._check_built("set_weights")
        if isinstance(weights, Mapping):
            raise InputTypeError(
                f"set_weights takes a list of arrays in the order of model.weights (kernel, bias of each "
                f"layer), got a dict with keys {sorted(map(str, weights))[:4]}; pass "
                "[weights[key] for key in your_order], or the list model.get_weights() returned")
        current = self._weights()
        for old, new in zip(current, saving.check_weight_arrays(weights, current)):
            old[...] = new

    def save_weights(self, path: str | os.PathLike) -> None:
        """Write all weights to a ``.npz`` file, atomically (a crash never leaves half a file)."""
        saving.check_weights_path(path)
        self._check_built("save_weights")
        saving.save_weights(self._weights(), path)

    def load_weights(self, path: str | os.PathLike) -> None:
        """Read weights written by :meth:`save_weights`; every header is checked before any data is read.

        Never unpickles anything, and changes no weight unless the whole file fits this model.
        """
        self._check_built("load_weights")
        current = self._weights()
        for old, new in zip(current, saving.load_weights(path, current)):
            old[...] = new

    # -------------------------------------------------------------------- info
    def count_params(self) -> int:
        return sum(layer.count_params() for layer in self.layers)

    def summary(self, print_fn=print) -> None:
        """Print a table of the layers, their output shapes and parameter counts."""
        for line in _summary_lines(self):
            print_fn(line)

    # ----------------------------------------------------------------- helpers
    @property
    def _dtype(self) -> np.dtype:
        with_weights = [layer for layer in self.layers if isinstance(layer, Dense)]
        return (with_weights or self.layers)[0].dtype

    def _input_shape_declared(self) -> tuple[int, ...] | None:
        if self._input_layer is not None:
            return self._input_layer.input_shape
        return self.layers[0].input_shape if self.layers else None

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

    def _check_weights_finite(self, epoch: int) -> None:
        """The loss is measured before each update, so the last update of an epoch is checked here."""
        for layer in self.layers:
            for w in layer.weights:
                if not np.isfinite(np.sum(w, dtype=np.float64)):
                    raise TrainingDivergedError(
                        f"a weight of layer {layer.name!r} became NaN or infinite during epoch {epoch + 1}, "
                        "although the loss looked finite: training diverged. Try a smaller learning_rate "
                        "or a larger epsilon, and check the inputs are scaled")

    def _check_built(self, action: str) -> None:
        if not self.built:
            raise InputValueError(
                f"the model has no weights yet, so {action} cannot work; give the first layer "
                "input_shape=(features,) (or start with layers.Input(shape=...)), or call fit or predict "
                "once before it")

    def _check_compiled(self, action: str) -> None:
        if self.loss is None:
            raise NotCompiledError(
                f"call model.compile(optimizer=..., loss=..., metrics=[...]) before model.{action}(...)")

    def _check_inputs(self, x, name: str = "x") -> np.ndarray | ScaledPixels:
        if not self.layers:
            raise InputValueError("the model has no layers; add some with model.add(layers.Dense(...))")
        source = x if isinstance(x, ScaledPixels) else None
        x = check_samples(x.pixels if source else x, name, self._input_shape_declared(),
                          flat_only=isinstance(self.layers[0], Dense), what="the first layer")
        check_fits(x, self._dtype, name)
        if not self.built:
            self._build(x.shape[1:])
        return source or x

    def _check_data(self, x, y, names: tuple[str, str] = ("x", "y")) -> tuple[np.ndarray, np.ndarray]:
        x_name, y_name = names
        x = self._check_inputs(x, x_name)
        if y is None:
            raise InputValueError(f"{y_name} (the targets) is missing")
        y = as_numeric_array(y, y_name)
        check_consistent_length({x_name: x, y_name: y})
        check_finite(y, y_name)
        check_fits(y, self._dtype, y_name)
        units = self.layers[-1].output_shape[0]
        return x, self.loss.check_targets(y, units, y_name)

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
            rows = slice(start, start + batch_size) if order is None else order[start:start + batch_size]
            yield _rows(x, rows, self._dtype), _as_target(_rows(y, rows), self._dtype)

    def _logs(self, totals: dict[str, float], seen: int) -> dict[str, float]:
        logs = {"loss": totals["loss"] / max(seen, 1)}
        for name in self.metrics:
            logs[name] = totals["correct"] / max(seen, 1)
        return logs


def _summary_lines(model: Sequential) -> list[str]:
    """The lines of ``model.summary()``, Keras's table without its box drawing."""
    rows = [(f"{layer.name} ({_layer_type(layer)})", _shown_shape(layer),
             f"{layer.count_params():,}" if layer.built else "unbuilt") for layer in model.layers]
    headers = ("Layer (type)", "Output Shape", "Param #")
    widths = [max([len(header)] + [len(row[i]) for row in rows]) for i, header in enumerate(headers)]
    rule = "-" * (sum(widths) + 6)
    fmt = "{:<%d}   {:<%d}   {:>%d}" % tuple(widths)
    lines = [f'Model: "{model.name}"', rule, fmt.format(*headers), rule]
    lines += [fmt.format(*row) for row in rows]
    lines += [rule, f"Total params: {model.count_params():,}"]
    frozen = sum(w.size for w in model.non_trainable_weights)
    if frozen:
        lines += [f"Trainable params: {model.count_params() - frozen:,}", f"Non-trainable params: {frozen:,}"]
    return lines


def _describe(shape: tuple[int, ...]) -> str:
    return str(shape[0]) if len(shape) == 1 else f"shape {shape}"


def _layer_type(layer: Layer) -> str:
    if isinstance(layer, Dense):
        return f"Dense, {layer.activation.name}"
    return type(layer).__name__


def _shown_shape(layer: Layer) -> str:
    shape = layer.output_shape
    return "(None, ?)" if shape is None else "(None, " + ", ".join(str(n) for n in shape) + ")"


def _as_target(y: np.ndarray, dtype: np.dtype) -> np.ndarray:
    return y if y.dtype.kind in "iu" else y.astype(dtype, copy=False)


def _rows(x, rows, dtype=None) -> np.ndarray:
    """The samples ``rows`` (a slice or an index array) of an array or a :class:`ScaledPixels`."""
    if isinstance(x, ScaledPixels):
        return x.batch(rows, dtype)
    part = x[rows] if isinstance(rows, slice) else x.take(rows, axis=0)
    return part if dtype is None else part.astype(dtype, copy=False)


def _split_off(x, y, fraction: float):
    """Hold out the last ``fraction`` of the samples, as Keras does."""
    keep = int(len(x) * (1 - fraction))
    if keep == 0 or keep == len(x):
        raise InputValueError(
            f"validation_split={fraction} leaves {keep} training and {len(x) - keep} validation samples; "
            "both must be at least 1")
    return x[:keep], y[:keep], (x[keep:], y[keep:])


def _check_verbose(verbose) -> int:
    if verbose == "auto" or verbose is True or verbose is np.True_:
        return 1        # Keras takes a bool too: True shows the progress bar
    if verbose is False or verbose is np.False_:
        return 0
    return check_int(verbose, "verbose", minimum=0, maximum=2)


def __getattr__(name: str):
    raise keras_names.missing_attribute("models", name)


__all__ = ["Sequential", "History"]
