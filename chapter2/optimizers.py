"""Optimizers: how a model changes its weights after each batch.

An optimizer receives the weights and their gradients and updates the weights
in place. Both follow Keras 3's update rules exactly, so a model trained here
moves the way the same model moves in Keras:

* ``SGD``:      ``v = momentum * v - lr * g``; ``w += v`` (Nesterov:
  ``w += momentum * v - lr * g``); without momentum simply ``w -= lr * g``.
* ``RMSprop``:  ``s = rho * s + (1 - rho) * g**2``; ``w -= lr * g / sqrt(s + epsilon)``
  (epsilon *inside* the square root, as Keras does; PyTorch adds it outside).

The arithmetic lives in :mod:`chapter2.kernels`: in-place NumPy operations
into preallocated buffers (the first layer of the MNIST network has 401,408
weights, and fresh arrays at every step would cost more than the arithmetic),
or, with numba installed, the same arithmetic fused into one pass per array.
"""

from __future__ import annotations

import numpy as np

from . import kernels
from .errors import InputTypeError, InputValueError
from .validation import check_float


class Optimizer:
    """Base class: keeps one set of state buffers per weight array."""

    name = "optimizer"

    def __init__(self, learning_rate: float) -> None:
        self.learning_rate = check_float(learning_rate, "learning_rate", minimum=0.0, exclusive_minimum=True)
        self._slots: dict[int, dict[str, np.ndarray]] = {}
        self.iterations = 0

    def apply(self, weights: list[np.ndarray], grads: list[np.ndarray]) -> None:
        """Update every array in ``weights`` in place from the matching gradient."""
        if len(weights) != len(grads):
            raise InputValueError(f"apply got {len(weights)} weight arrays but {len(grads)} gradients")
        for w, g in zip(weights, grads):
            if getattr(w, "shape", None) != getattr(g, "shape", None):
                raise InputValueError(
                    f"a gradient of shape {getattr(g, 'shape', type(g).__name__)} cannot update "
                    f"a weight of shape {getattr(w, 'shape', type(w).__name__)}")
        for index, (w, g) in enumerate(zip(weights, grads)):
            slots = self._slots.get(index)
            if slots is None or slots["scratch"].shape != w.shape:
                slots = self._slots[index] = self._new_slots(w)
            self._update(w, g, slots)
        self.iterations += 1

    def get_state(self) -> dict:
        """A copy of the optimizer's state (used to undo an interrupted epoch)."""
        return {"iterations": self.iterations,
                "slots": {i: {k: v.copy() for k, v in s.items()} for i, s in self._slots.items()}}

    def set_state(self, state: dict) -> None:
        """Restore a state returned by :meth:`get_state`."""
        self.iterations = state["iterations"]
        self._slots = {i: {k: v.copy() for k, v in s.items()} for i, s in state["slots"].items()}

    def _new_slots(self, w: np.ndarray) -> dict[str, np.ndarray]:
        return {"scratch": np.empty_like(w)}

    def _update(self, w: np.ndarray, g: np.ndarray, slots: dict[str, np.ndarray]) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(learning_rate={self.learning_rate})"


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with (Nesterov) momentum.

    Parameters
    ----------
    learning_rate : float, default 0.01
    momentum : float in [0, 1), default 0.0
    nesterov : bool, default False

    Examples
    --------
    >>> w, g = np.array([1.0]), np.array([0.5])
    >>> SGD(learning_rate=0.1).apply([w], [g]); w
    array([0.95])
    """

    name = "sgd"

    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.0, nesterov: bool = False) -> None:
        super().__init__(learning_rate)
        self.momentum = check_float(momentum, "momentum", minimum=0.0, maximum=1.0)
        self.nesterov = bool(nesterov)

    def _new_slots(self, w):
        return {"scratch": np.empty_like(w), "velocity": np.zeros_like(w)}

    def _update(self, w, g, slots):
        velocity = slots["velocity"] if self.momentum else None
        kernels.sgd_update(w, g, velocity, slots["scratch"], self.learning_rate, self.momentum,
                           self.nesterov)


class RMSprop(Optimizer):
    """RMSprop: divide each step by a running root-mean-square of recent gradients.

    Parameters
    ----------
    learning_rate : float, default 0.001
    rho : float in [0, 1), default 0.9
        How much of the running average is kept at each step.
    momentum : float in [0, 1), default 0.0
    epsilon : float, default 1e-7
        Added to the running average inside the square root.
    centered : bool, default False
        Divide by the running variance instead of the running mean square.

    Examples
    --------
    >>> w, g = np.array([1.0]), np.array([0.5])
    >>> RMSprop(learning_rate=0.1).apply([w], [g]); np.round(w, 4)
    array([0.6838])
    """

    name = "rmsprop"

    def __init__(self, learning_rate: float = 0.001, rho: float = 0.9, momentum: float = 0.0,
                 epsilon: float = 1e-7, centered: bool = False) -> None:
        super().__init__(learning_rate)
        self.rho = check_float(rho, "rho", minimum=0.0, maximum=1.0)
        self.momentum = check_float(momentum, "momentum", minimum=0.0, maximum=1.0)
        self.epsilon = check_float(epsilon, "epsilon", minimum=0.0)
        self.centered = bool(centered)

    def _new_slots(self, w):
        slots = {"scratch": np.empty_like(w), "velocity": np.zeros_like(w)}
        if self.momentum > 0:
            slots["momentum"] = np.zeros_like(w)
        if self.centered:
            slots["average_gradient"] = np.zeros_like(w)
        return slots

    def _update(self, w, g, slots):
        kernels.rmsprop_update(w, g, slots["velocity"], slots.get("average_gradient"),
                               slots.get("momentum"), slots["scratch"], self.learning_rate,
                               self.rho, self.epsilon, self.momentum)


_BY_NAME = {"sgd": SGD, "rmsprop": RMSprop}


def get(identifier: str | Optimizer) -> Optimizer:
    """Return a fresh optimizer for a name (``"rmsprop"``, ``"sgd"``) or the instance given."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        key = identifier.lower()
        if key in _BY_NAME:
            return _BY_NAME[key]()
        raise InputValueError(f"unknown optimizer {identifier!r}; choose one of {sorted(_BY_NAME)}")
    raise InputTypeError(
        f"optimizer must be a name such as 'rmsprop' or an Optimizer, got {type(identifier).__name__}")


__all__ = ["Optimizer", "SGD", "RMSprop", "get"]
