"""Activation functions: what a layer applies to ``x @ kernel + bias``.

Each activation knows two things: how to compute its output from the
pre-activation ``z`` (``forward``), and how to turn the gradient with respect to
its output into the gradient with respect to ``z`` (``backward``), given the
output it produced. Working from the output keeps the layer from storing ``z``.

Activations are looked up by name, as in Keras: ``Dense(512, activation="relu")``.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from . import keras_names, kernels
from .validation import as_numeric_array, lookup


class Activation:
    """Base class: an element-wise (or row-wise) function and its derivative."""

    name = "activation"

    def forward(self, z: np.ndarray) -> np.ndarray:
        """Output for pre-activation ``z`` of shape (batch, units); may overwrite ``z``."""
        raise NotImplementedError

    def backward(self, out: np.ndarray, grad_out: np.ndarray) -> np.ndarray:
        """Gradient w.r.t. ``z`` from the output ``out`` and the gradient w.r.t. it."""
        raise NotImplementedError

    def __call__(self, z: np.ndarray) -> np.ndarray:
        z = as_numeric_array(z, "z")
        return self.forward(z.astype(np.result_type(z.dtype, np.float32), copy=True))

    def __repr__(self) -> str:
        return self.name


class Linear(Activation):
    """The identity: ``f(z) = z``."""

    name = "linear"

    def forward(self, z):
        return z

    def backward(self, out, grad_out):
        return grad_out


class ReLU(Activation):
    """``f(z) = max(z, 0)``; its derivative is 1 where the output is positive, else 0."""

    name = "relu"

    def forward(self, z):
        return np.maximum(z, 0, out=z)

    def backward(self, out, grad_out):
        return kernels.relu_backward(out, grad_out)


class Sigmoid(Activation):
    """``f(z) = 1 / (1 + exp(-z))``; its derivative is ``f(z) (1 - f(z))``."""

    name = "sigmoid"

    def forward(self, z):
        # exp(-|z|) never overflows; the two branches give the same function.
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1 / (1 + e), e / (1 + e)).astype(z.dtype, copy=False)

    def backward(self, out, grad_out):
        return grad_out * out * (1 - out)


class Softmax(Activation):
    """Turns each row of scores into probabilities that sum to 1.

    Subtracting the row maximum before ``exp`` changes nothing mathematically
    and keeps ``exp`` from overflowing.
    """

    name = "softmax"

    def forward(self, z):
        z -= z.max(axis=-1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=-1, keepdims=True)
        return z

    def backward(self, out, grad_out):
        # Jacobian-vector product of softmax: s * (g - <g, s>) row by row.
        dot = np.sum(grad_out * out, axis=-1, keepdims=True)
        return out * (grad_out - dot)


_BY_NAME: dict[str, Callable[[], Activation]] = {
    "linear": Linear, "relu": ReLU, "sigmoid": Sigmoid, "softmax": Softmax,
}


def get(identifier: str | Activation | None) -> Activation:
    """Return the activation for a name (``"relu"``), an instance, or ``None`` (linear).

    Examples
    --------
    >>> get("relu")(np.array([[-1.0, 2.0]]))
    array([[0., 2.]])
    """
    if identifier is None:
        return Linear()
    return lookup(identifier, "activation", _BY_NAME, Activation, "relu",
                  not_here=keras_names.ATTRIBUTES["activations"])


def __getattr__(name: str):
    raise keras_names.missing_attribute("activations", name)


relu, sigmoid, softmax, linear = ReLU(), Sigmoid(), Softmax(), Linear()

__all__ = ["Activation", "Linear", "ReLU", "Sigmoid", "Softmax", "get",
           "relu", "sigmoid", "softmax", "linear"]
