"""Loss functions: one number that says how wrong a batch of predictions is.

Every loss offers the mean loss over a batch (``__call__``), its gradient with
respect to the predictions (``gradient``), and a check that the targets have the
form it needs (``check_targets``). The two cross-entropies also offer
``gradient_through_softmax``: when the last layer is a softmax, the gradient
with respect to its *scores* is simply ``(probabilities - targets) / batch``,
which is both cheaper and numerically safer than chaining the two derivatives.
"""

from __future__ import annotations

import numpy as np

from .errors import InputTypeError, InputValueError
from .validation import as_numeric_array, check_finite, check_not_empty

# Keras clips probabilities to [EPSILON, 1 - EPSILON] before taking the log,
# so a confident wrong answer costs about 16 instead of infinity.
EPSILON = 1e-7


class Loss:
    """Base class of the losses."""

    name = "loss"

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
        if y_true.ndim == 0 or len(y_true) != len(y_pred):
            raise InputValueError(
                f"y_true and y_pred must have the same number of samples, got shapes "
                f"{y_true.shape} and {y_pred.shape}")
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
        return y


class SparseCategoricalCrossentropy(Loss):
    """Cross-entropy against integer class labels of shape (batch,).

    Examples
    --------
    >>> SparseCategoricalCrossentropy()(np.array([1]), np.array([[0.5, 0.5]]))
    0.6931471805599453
    """

    name = "sparse_categorical_crossentropy"

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
    """Return the loss for a name such as ``"categorical_crossentropy"`` or an instance."""
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, str):
        key = identifier.lower()
        if key in _BY_NAME:
            return _BY_NAME[key]()
        raise InputValueError(f"unknown loss {identifier!r}; choose one of {sorted(_BY_NAME)}")
    raise InputTypeError(
        f"loss must be a name such as 'categorical_crossentropy' or a Loss, got {type(identifier).__name__}")


categorical_crossentropy = CategoricalCrossentropy()
sparse_categorical_crossentropy = SparseCategoricalCrossentropy()
mse = MeanSquaredError()

__all__ = ["Loss", "CategoricalCrossentropy", "SparseCategoricalCrossentropy",
           "MeanSquaredError", "get", "categorical_crossentropy",
           "sparse_categorical_crossentropy", "mse", "EPSILON"]
