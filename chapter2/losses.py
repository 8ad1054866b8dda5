"""Loss functions: one number that says how wrong a batch of predictions is.

Every loss offers the mean loss over a batch (``__call__``), its gradient with
respect to the predictions (``gradient``), and a check that the targets have the
form it needs (``check_targets``). The two cross-entropies also declare
``fuses_with_softmax = True`` and offer ``gradient_through_softmax``: when the
last layer is a softmax, the gradient with respect to its *scores* is simply
``(probabilities - targets) / batch``, which is both cheaper and numerically
safer than chaining the two derivatives. A model asks the loss
(``fuses_with_softmax``) and its last layer (``Layer.ends_in_softmax``)
whether the shortcut applies.
"""

from __future__ import annotations

import warnings

import numpy as np

from . import keras_names
from .errors import InputValueError
from .validation import as_numeric_array, check_consistent_length, check_finite, check_not_empty, lookup

# Keras clips probabilities to [EPSILON, 1 - EPSILON] before taking the log,
# so a confident wrong answer costs about 16 instead of infinity.
EPSILON = 1e-7


class Loss:
    """Base class of the losses."""

    name = "loss"
    #: True if :meth:`gradient_through_softmax` gives the gradient with respect to a softmax's scores.
    fuses_with_softmax = False

    def __call__(self, y_true: np.ndarray, y_pred: np.ndarray) -> float:
        """Mean loss over the batch."""
        y_true, y_pred = self._prepare(y_true, y_pred)
        return float(np.mean(self.per_sample(y_true, y_pred)))

    def per_sample(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        """Loss of each sample, shape (batch,)."""
        raise NotImplementedError

    def gradient(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        """Gradient of the mean loss w.r.t. ``y_pred``, same shape as ``y_pred``."""
        raise NotImplementedError

    def check_targets(self, y: np.ndarray, units: int, name: str = "y") -> np.ndarray:
        """Validate targets for a model with ``units`` outputs; return them ready to use."""
        raise NotImplementedError

    def gradient_through_softmax(self, y_true: np.ndarray, probs: np.ndarray) -> np.ndarray:
        """Gradient of the mean loss w.r.t. the scores of a softmax whose output is ``probs``."""
        raise InputValueError(f"the {self.name} loss has no softmax shortcut (fuses_with_softmax is False)")

    def _prepare(self, y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
        """Check a pair passed to ``__call__`` or ``gradient``; return arrays ready to use.

        NaN in ``y_pred`` is let through (it gives a NaN loss, which is how
        ``fit`` notices that training diverged); NaN targets are refused.
        """
        y_pred = as_numeric_array(y_pred, "y_pred")
        if y_pred.ndim != 2:
            raise InputValueError(
                f"y_pred must be 2-D, (samples, outputs), got shape {y_pred.shape}; "
                "for one output per sample pass y_pred.reshape(-1, 1)")
        check_not_empty(y_pred, "y_pred")
        if y_pred.dtype.kind != "f":
            y_pred = y_pred.astype(np.float64)
        y_true = as_numeric_array(y_true, "y_true")
        check_consistent_length({"y_true": y_true, "y_pred": y_pred})
        check_finite(y_true, "y_true")
        return self.check_targets(y_true, y_pred.shape[1], "y_true"), y_pred

    def __repr__(self) -> str:
        return self.name


class CategoricalCrossentropy(Loss):
    """Cross-entropy against one-hot (or probability) targets of shape (batch, classes).

    Examples
    --------
    >>> CategoricalCrossentropy()(np.array([[0.0, 1.0]]), np.array([[0.5, 0.5]]))
    0.6931471805599453
    """

    name = "categorical_crossentropy"
    fuses_with_softmax = True

    def per_sample(self, y_true, y_pred):
        p = np.clip(y_pred, EPSILON, 1 - EPSILON)
        return -np.sum(y_true * np.log(p), axis=-1)

    def gradient(self, y_true, y_pred):
        y_true, y_pred = self._prepare(y_true, y_pred)
        inside = (y_pred > EPSILON) & (y_pred < 1 - EPSILON)
        p = np.clip(y_pred, EPSILON, 1 - EPSILON)
        return -(y_true / p) * inside / len(y_pred)

    def gradient_through_softmax(self, y_true, probs):
        """Gradient w.r.t. the softmax scores, given the softmax output ``probs``."""
        total = y_true.sum(axis=-1, keepdims=True)
        return (probs * total - y_true) / len(probs)

    def check_targets(self, y, units, name="y"):
        if units == 1:
            # One output cannot hold a distribution over classes: with a softmax it is always 1,
            # and one-hot labels of one column are all 1 (or all 0) as well.
            raise InputValueError(
                f"the model's last layer has 1 output, but {self.name} compares a probability per "
                "class, so it needs one output per class: for two classes end the model with "
                "layers.Dense(2, activation='softmax') and pass chapter2.utils.to_categorical(labels, 2) "
                "(or keep the integer labels with loss='sparse_categorical_crossentropy')")
        if y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1 and units > 1):
            raise InputValueError(
                f"{name} holds one integer label per sample (shape {y.shape}), but "
                f"categorical_crossentropy needs one-hot labels of shape ({len(y)}, {units}). "
                "Convert them with chapter2.utils.to_categorical(y), or compile with "
                "loss='sparse_categorical_crossentropy'")
        _check_2d_targets(y, units, name, self.name)
        if y.min() < 0 or y.max() > 1:
            raise InputValueError(
                f"{name} must hold probabilities in [0, 1] for {self.name}, found values from "
                f"{y.min()} to {y.max()}; one-hot encode labels with chapter2.utils.to_categorical")
        _check_rows_sum_to_one(y, name, self.name)
        return y


class SparseCategoricalCrossentropy(Loss):
    """Cross-entropy against integer class labels of shape (batch,).

    Examples
    --------
    >>> SparseCategoricalCrossentropy()(np.array([1]), np.array([[0.5, 0.5]]))
    0.6931471805599453
    """

    name = "sparse_categorical_crossentropy"
    fuses_with_softmax = True

    def per_sample(self, y_true, y_pred):
        picked = y_pred[np.arange(len(y_pred)), y_true]
        return -np.log(np.clip(picked, EPSILON, 1 - EPSILON))

    def gradient(self, y_true, y_pred):
        y_true, y_pred = self._prepare(y_true, y_pred)
        rows = np.arange(len(y_pred))
        picked = y_pred[rows, y_true]
        grad = np.zeros_like(y_pred)
        inside = (picked > EPSILON) & (picked < 1 - EPSILON)
        grad[rows, y_true] = -inside.astype(y_pred.dtype) / np.clip(picked, EPSILON, 1 - EPSILON) / len(y_pred)
        return grad

    def gradient_through_softmax(self, y_true, probs):
        """Gradient w.r.t. the softmax scores, given the softmax output ``probs``."""
        grad = probs.copy()
        grad[np.arange(len(probs)), y_true] -= 1
        return grad / len(probs)

    def check_targets(self, y, units, name="y"):
        if y.ndim == 2 and y.shape[1] == 1:
            y = y[:, 0]
        if y.ndim != 1:
            raise InputValueError(
                f"{name} has shape {y.shape}, but sparse_categorical_crossentropy needs one "
                f"integer label per sample, shape ({len(y)},). For one-hot labels compile with "
                "loss='categorical_crossentropy', or pass y.argmax(axis=1)")
        if y.dtype.kind == "f" and not np.all(y == np.round(y)):
            raise InputValueError(f"{name} must hold whole-number class labels, found fractional values")
        if y.min() < 0 or y.max() >= units:
            raise InputValueError(
                f"{name} holds labels from {y.min()} to {y.max()}, but the model has {units} outputs, "
                f"so labels must lie in 0..{units - 1}")
        return y.astype(np.intp, copy=False)


class MeanSquaredError(Loss):
    """Mean of squared differences over the outputs of each sample.

    Examples
    --------
    >>> MeanSquaredError()(np.array([[1.0, 2.0]]), np.array([[1.0, 4.0]]))
    2.0
    """

    name = "mse"

    def per_sample(self, y_true, y_pred):
        return np.mean((y_pred - y_true) ** 2, axis=-1)

    def gradient(self, y_true, y_pred):
        y_true, y_pred = self._prepare(y_true, y_pred)
        return 2 * (y_pred - y_true) / y_pred.size

    def check_targets(self, y, units, name="y"):
        if y.ndim == 1 and units == 1:
            y = y[:, None]
        _check_2d_targets(y, units, name, self.name)
        return y


def _check_rows_sum_to_one(y: np.ndarray, name: str, loss: str) -> None:
    """Refuse all-zero rows (they teach nothing) and warn about rows that do not sum to 1.

    Keras accepts any row of probabilities; a row of zeros gives a loss of 0
    whatever the model predicts, so that sample silently teaches nothing. Rows
    that sum to something else (several ones, say) are allowed, as in Keras,
    with a warning, since each 1 then counts as a separate target.
    """
    sums = y.sum(axis=1, dtype=np.float64)
    zero = np.flatnonzero(sums == 0)
    if zero.size:
        raise InputValueError(
            f"{name} has {zero.size} row(s) of all zeros (the first is row {int(zero[0])}): {loss} "
            "needs one 1 per row (a one-hot label) or probabilities summing to 1, and an all-zero row "
            "gives a loss of 0 and teaches nothing; check the labels, e.g. "
            f"chapter2.utils.to_categorical(labels, num_classes={y.shape[1]})")
    tolerance = max(1e-3, 8 * float(np.finfo(y.dtype).eps)) if y.dtype.kind == "f" else 0.0
    off = np.flatnonzero(np.abs(sums - 1) > tolerance)
    if off.size:
        warnings.warn(
            f"{name} has {off.size} row(s) that do not sum to 1 (row {int(off[0])} sums to "
            f"{sums[off[0]]:g}); {loss} expects one-hot labels or probabilities. Several 1s in a row "
            "are allowed, as in Keras, but each counts as a separate target", UserWarning, stacklevel=4)


def _check_2d_targets(y: np.ndarray, units: int, name: str, loss: str) -> None:
    if y.ndim != 2 or y.shape[1] != units:
        raise InputValueError(
            f"{name} has shape {y.shape}, but the model's last layer has {units} outputs, so "
            f"{loss} needs {name} of shape ({len(y)}, {units})")


_BY_NAME = {
    "categorical_crossentropy": CategoricalCrossentropy,
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
    "mse": MeanSquaredError,
    "mean_squared_error": MeanSquaredError,
}


def get(identifier: str | Loss) -> Loss:
    """Return the loss for a name such as ``"categorical_crossentropy"`` or an instance.

    Examples
    --------
    >>> get("mse")
    mse
    """
    return lookup(identifier, "loss", _BY_NAME, Loss, "categorical_crossentropy",
                  not_here=_keras_losses())


def _keras_losses() -> dict[str, str]:
    return {name.lower(): hint for name, hint in keras_names.ATTRIBUTES["losses"].items()}


def __getattr__(name: str):
    raise keras_names.missing_attribute("losses", name)


categorical_crossentropy = CategoricalCrossentropy()
sparse_categorical_crossentropy = SparseCategoricalCrossentropy()
mse = MeanSquaredError()

__all__ = ["Loss", "CategoricalCrossentropy", "SparseCategoricalCrossentropy",
           "MeanSquaredError", "get", "categorical_crossentropy",
           "sparse_categorical_crossentropy", "mse", "EPSILON"]
