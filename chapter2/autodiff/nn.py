"""The chapter's MNIST network, built from autodiff operations.

Introduced in notebook 08 (section 2.4.4).

The engine (``chapter2.layers.Dense``) has a hand-written ``backward``; here a
layer only says how to compute its output, and ``Tensor.backward()`` works out
every gradient. The network ends in logits: the softmax is part of the loss
(``softmax_cross_entropy``), which is more stable and gives the same gradients.

Weights are drawn by the same function as ``chapter2.layers.Dense`` draws them
(``chapter2.initializers.glorot_uniform``, from chapter2's seeded generator;
zero biases), so after the same ``chapter2.utils.set_random_seed(seed)`` both
start from identical weights.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..errors import InputValueError
from ..initializers import glorot_uniform
from ..validation import check_int
from .tensor import Tensor


class Dense:
    """``activation(x @ kernel + bias)``, with the gradients left to autodiff.

    Parameters
    ----------
    fan_in, units : int
        Number of inputs and outputs.
    activation : {None, "relu"}
    dtype : str, default "float32"
    name : str
        Suffix of the weight labels in graph pictures (``W1``, ``b1``).

    Examples
    --------
    >>> layer = Dense(4, 3, activation="relu")
    >>> layer(Tensor(np.ones((2, 4), dtype="float32"))).shape
    (2, 3)
    """

    def __init__(self, fan_in: int, units: int, activation: str | None = None,
                 dtype: str = "float32", name: str = "") -> None:
        fan_in, units = check_int(fan_in, "fan_in", minimum=1), check_int(units, "units", minimum=1)
        if activation not in (None, "relu"):
            raise InputValueError(f"activation must be None or 'relu', got {activation!r}")
        self.activation = activation
        self.kernel = Tensor(glorot_uniform(fan_in, units, dtype), label=f"W{name}")
        self.bias = Tensor(np.zeros(units, dtype=dtype), label=f"b{name}")

    def __call__(self, x: Tensor) -> Tensor:
        z = x @ self.kernel + self.bias
        return z.relu() if self.activation == "relu" else z

    def parameters(self) -> list[Tensor]:
        return [self.kernel, self.bias]

    def __repr__(self) -> str:
        fan_in, units = self.kernel.shape
        return f"Dense({fan_in} -> {units}, activation={self.activation!r})"


class Network:
    """Layers applied one after another; the output is the last layer's logits.

    Examples
    --------
    >>> net = mnist_network()
    >>> net
    Network([Dense(784 -> 512, activation='relu'), Dense(512 -> 10, activation=None)])
    >>> net(Tensor(np.zeros((2, 784), dtype="float32"))).shape
    (2, 10)
    """

    def __init__(self, layers: Sequence[Dense]) -> None:
        self.layers = list(layers)

    def __call__(self, x: Tensor | np.ndarray) -> Tensor:
        out = x if isinstance(x, Tensor) else Tensor(x, requires_grad=False, label="x")
        for layer in self.layers:
            out = layer(out)
        return out

    def parameters(self) -> list[Tensor]:
        """Kernels and biases, in the order of the engine's ``model.get_weights()``."""
        return [p for layer in self.layers for p in layer.parameters()]

    def zero_grad(self) -> None:
        """Forget all parameter gradients, so the next ``backward()`` starts afresh."""
        for p in self.parameters():
            p.zero_grad()

    def get_weights(self) -> list[np.ndarray]:
        return [p.data.copy() for p in self.parameters()]

    def set_weights(self, weights: Sequence[np.ndarray]) -> None:
        """Copy in arrays shaped like ``get_weights()`` (e.g. from an engine model)."""
        params = self.parameters()
        if len(weights) != len(params):
            raise InputValueError(f"expected {len(params)} weight arrays, got {len(weights)}")
        for i, (p, w) in enumerate(zip(params, weights)):
            w = np.asarray(w)
            if w.shape != p.shape:
                raise InputValueError(f"weight {i} ({p.label}) must have shape {p.shape}, got {w.shape}")
            p.data = w.astype(p.dtype, copy=True)

    def predict(self, x: np.ndarray, batch_size: int = 1024) -> np.ndarray:
        """Class probabilities, shape (n, classes): softmax of the logits."""
        logits = np.concatenate([self(x[i:i + batch_size]).data for i in range(0, len(x), batch_size)])
        shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
        return shifted / shifted.sum(axis=1, keepdims=True)

    def __repr__(self) -> str:
        return f"Network({self.layers!r})"


def mnist_network(hidden: int = 512, dtype: str = "float32") -> Network:
    """The chapter's network: Dense(hidden) relu -> Dense(10), on 784 pixel inputs.

    Call ``chapter2.utils.set_random_seed`` first for reproducible weights.

    Examples
    --------
    >>> [p.shape for p in mnist_network().parameters()]
    [(784, 512), (512,), (512, 10), (10,)]
    """
    hidden = check_int(hidden, "hidden", minimum=1)
    return Network([Dense(784, hidden, "relu", dtype, name="1"), Dense(hidden, 10, None, dtype, name="2")])


__all__ = ["glorot_uniform", "Dense", "Network", "mnist_network"]
