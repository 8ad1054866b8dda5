"""Optimizers: how a model changes its weights after each batch.

An optimizer receives the weights and their gradients and updates the weights
in place. Both follow Keras 3's update rules exactly, so a model trained here
moves the way the same model moves in Keras:

* ``SGD``:      ``v = momentum * v - lr * g``; ``w += v`` (Nesterov:
  ``w += momentum * v - lr * g``); without momentum simply ``w -= lr * g``.
* ``RMSprop``:  ``s = rho * s + (1 - rho) * g**2``; ``w -= lr * g / sqrt(s + epsilon)``
  (epsilon *inside* the square root, as Keras does; PyTorch adds it outside).
* ``Adam``: ``m = b1 * m + (1 - b1) * g``; ``v = b2 * v + (1 - b2) * g**2``;
  ``w -= lr * sqrt(1 - b2**t) / (1 - b1**t) * m / (sqrt(v) + epsilon)`` at step ``t``.

The arithmetic lives in :mod:`chapter2.kernels`: in-place NumPy operations
into preallocated buffers (the first layer of the MNIST network has 401,408
weights, and fresh arrays at every step would cost more than the arithmetic),
or, with numba installed, the same arithmetic fused into one pass per array.

An optimizer's state (velocities, running averages) is kept per weight
array, keyed by the array itself, never by its position in a list: one
optimizer shared by two models keeps each model's state apart, and a frozen
layer (``trainable = False``) leaves the other weights' state where it
belongs. Hyperparameters are checked against the intervals Keras documents
(``momentum`` and ``rho`` in [0, 1), ``epsilon`` > 0, ...) when the optimizer
is made.
"""

from __future__ import annotations

import inspect
import math
import weakref
from typing import Any

import numpy as np

from . import keras_names, kernels
from .errors import InputValueError
from .validation import check_bool, check_float, lookup

_NOT_NEGATIVE_BELOW_ONE = {"minimum": 0.0, "maximum": 1.0, "include_boundaries": "left"}


class Optimizer:
    """Base class: keeps one set of state buffers per weight array.

    Examples
    --------
    >>> a, b = np.ones(2), np.ones(2)
    >>> opt = SGD(learning_rate=0.1, momentum=0.5)
    >>> opt.apply([np.ones(2)], [a]); opt.apply([np.ones(2)], [b])   # two models, one optimizer
    >>> a.tolist() == b.tolist()      # b did not inherit a's velocity
    True
    """

    name = "optimizer"

    def __init__(self, learning_rate: float, keras_only: dict[str, Any] | None = None) -> None:
        accepted = [name for name in inspect.signature(type(self)).parameters if name != "keras_only"]
        keras_names.check_keyword_arguments(type(self).__name__, keras_only or {}, accepted, table="optimizer")
        self.learning_rate = learning_rate
        # id(weight) -> (a weak reference to the weight, its state buffers)
        self._slots: dict[int, tuple[weakref.ref, dict[str, np.ndarray]]] = {}
        self.iterations = 0

    @property
    def learning_rate(self) -> float:
        """Step size, > 0; may be changed between calls to ``fit``."""
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self._learning_rate = check_float(value, "learning_rate", minimum=0.0, include_boundaries="neither")

    def apply(self, grads: list[np.ndarray], trainable_variables: list[np.ndarray] | None = None) -> None:
        """Update every array of ``trainable_variables`` in place from the matching gradient.

        Gradients come first, as in Keras 3's ``optimizer.apply(grads, trainable_variables)``.

        Parameters
        ----------
        grads : list of arrays
            One gradient per weight array, each of that array's shape.
        trainable_variables : list of arrays
            The weight arrays to update, in the same order.
        """
        if trainable_variables is None:
            raise InputValueError(
                "apply needs the weights too: chapter2's optimizers do not hold a model's weights, "
                "so call optimizer.apply(grads, weights), gradients first as in Keras 3")
        grads, weights = _array_list(grads, "grads"), _array_list(trainable_variables, "trainable_variables")
        if len(weights) != len(grads):
            raise InputValueError(f"apply got {len(grads)} gradients but {len(weights)} weight arrays")
        for w, g in zip(weights, grads):
            if getattr(w, "shape", None) != getattr(g, "shape", None):
                raise InputValueError(
                    f"a gradient of shape {getattr(g, 'shape', type(g).__name__)} cannot update "
                    f"a weight of shape {getattr(w, 'shape', type(w).__name__)}")
        self._apply_unchecked(grads, weights)

    def _apply_unchecked(self, grads: list[np.ndarray], weights: list[np.ndarray]) -> None:
        # For Sequential.fit, whose weights and gradients are its own arrays, checked once before the first step.
        for w, g in zip(weights, grads):
            self._update(w, g, self._slots_for(w))
        self.iterations += 1

    def apply_gradients(self, grads_and_vars: list[tuple[np.ndarray, np.ndarray]]) -> None:
        """Keras's other spelling: a list of ``(gradient, weight)`` pairs.

        Examples
        --------
        >>> w = np.array([1.0])
        >>> SGD(learning_rate=0.1).apply_gradients([(np.array([0.5]), w)]); w
        array([0.95])
        """
        pairs = list(grads_and_vars)
        if not all(isinstance(p, (tuple, list)) and len(p) == 2 for p in pairs):
            raise InputValueError("apply_gradients takes a list of (gradient, weight) pairs, "
                                  f"got {_describe(pairs)}; or call apply(grads, weights)")
        self.apply([g for g, _ in pairs], [w for _, w in pairs])

    def get_state(self) -> dict:
        """A copy of the optimizer's state (used to undo an interrupted epoch)."""
        return {"iterations": self.iterations,
                "slots": {key: (ref, {k: v.copy() for k, v in s.items()})
                          for key, (ref, s) in self._slots.items()}}

    def set_state(self, state: dict) -> None:
        """Restore a state returned by :meth:`get_state`."""
        self.iterations = state["iterations"]
        self._slots = {key: (ref, {k: v.copy() for k, v in s.items()})
                       for key, (ref, s) in state["slots"].items()}

    def _slots_for(self, w: np.ndarray) -> dict[str, np.ndarray]:
        """The state of the array ``w`` itself; new zeros the first time it is seen."""
        entry = self._slots.get(id(w))
        if entry is not None and entry[0]() is w and entry[1]["scratch"].shape == w.shape:
            return entry[1]
        self._check_weight(w)
        # Forget the state of arrays that no longer exist (a model that was deleted).
        self._slots = {key: value for key, value in self._slots.items() if value[0]() is not None}
        slots = self._new_slots(w)
        self._slots[id(w)] = (weakref.ref(w), slots)
        return slots

    def check_weights(self, weights: list[np.ndarray]) -> None:
        """Refuse, before any work, weight arrays this optimizer cannot update correctly.

        ``fit`` calls it before the first step; ``apply`` checks each new array too.
        """
        for w in weights:
            self._check_weight(w)

    def _check_weight(self, w: np.ndarray) -> None:
        """Refuse a weight array this optimizer cannot update correctly."""
        epsilon = getattr(self, "epsilon", None)
        if epsilon is not None and w.dtype.kind == "f" and w.dtype.type(epsilon) == 0:
            tiny = float(np.finfo(w.dtype).tiny)
            raise InputValueError(
                f"epsilon={epsilon:g} is 0 in {w.dtype}, so a weight whose gradients are all zero "
                f"would become NaN; use epsilon of at least {tiny:.1e} (Keras's default is 1e-7)")

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
    >>> SGD(learning_rate=0.1).apply([g], [w]); w
    array([0.95])
    """

    name = "sgd"

    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.0, nesterov: bool = False,
                 **keras_only: Any) -> None:
        super().__init__(learning_rate, keras_only)
        self.momentum = check_float(momentum, "momentum", **_NOT_NEGATIVE_BELOW_ONE)
        self.nesterov = check_bool(nesterov, "nesterov")

    def _new_slots(self, w):
        # Plain SGD keeps no state between steps: the velocity exists only with momentum.
        slots = {"scratch": np.empty_like(w)}
        if self.momentum:
            slots["velocity"] = np.zeros_like(w)
        return slots

    def _update(self, w, g, slots):
        if self.momentum and "velocity" not in slots:   # momentum switched on after the first step
            slots["velocity"] = np.zeros_like(w)
        velocity = slots["velocity"] if self.momentum else None
        kernels._sgd_update(w, g, velocity, slots["scratch"], self.learning_rate, self.momentum,
                           self.nesterov)


class RMSprop(Optimizer):
    """RMSprop: divide each step by a running root-mean-square of recent gradients.

    Parameters
    ----------
    learning_rate : float, default 0.001
    rho : float in [0, 1), default 0.9
        How much of the running average is kept at each step.
    momentum : float in [0, 1), default 0.0
    epsilon : float > 0, default 1e-7
        Added to the running average inside the square root.
    centered : bool, default False
        Divide by the running variance instead of the running mean square.

    Examples
    --------
    >>> w, g = np.array([1.0]), np.array([0.5])
    >>> RMSprop(learning_rate=0.1).apply([g], [w]); np.round(w, 4)
    array([0.6838])
    """

    name = "rmsprop"

    def __init__(self, learning_rate: float = 0.001, rho: float = 0.9, momentum: float = 0.0,
                 epsilon: float = 1e-7, centered: bool = False, **keras_only: Any) -> None:
        super().__init__(learning_rate, keras_only)
        self.rho = check_float(rho, "rho", **_NOT_NEGATIVE_BELOW_ONE)
        self.momentum = check_float(momentum, "momentum", **_NOT_NEGATIVE_BELOW_ONE)
        self.epsilon = check_float(epsilon, "epsilon", minimum=0.0, include_boundaries="neither")
        self.centered = check_bool(centered, "centered")

    def _new_slots(self, w):
        slots = {"scratch": np.empty_like(w), "velocity": np.zeros_like(w)}
        if self.momentum > 0:
            slots["momentum"] = np.zeros_like(w)
        if self.centered:
            slots["average_gradient"] = np.zeros_like(w)
        return slots

    def _update(self, w, g, slots):
        kernels._rmsprop_update(w, g, slots["velocity"], slots.get("average_gradient"),
                               slots.get("momentum"), slots["scratch"], self.learning_rate,
                               self.rho, self.epsilon, self.momentum)


class Adam(Optimizer):
    """Adam: steps scaled by running averages of the gradients and of their squares.

    Keras's rule: at step ``t`` (counted per weight array, from 1),
    ``m = b1 * m + (1 - b1) * g``, ``v = b2 * v + (1 - b2) * g**2`` and
    ``w -= lr * sqrt(1 - b2**t) / (1 - b1**t) * m / (sqrt(v) + epsilon)``
    (epsilon *outside* the square root here, unlike RMSprop).

    Parameters
    ----------
    learning_rate : float, default 0.001
    beta_1 : float in [0, 1), default 0.9
        How much of the running average of gradients is kept at each step.
    beta_2 : float in [0, 1), default 0.999
        The same for the squared gradients.
    epsilon : float > 0, default 1e-7
    amsgrad : bool, default False
        Divide by the largest ``v`` seen so far instead of the current one.

    Examples
    --------
    >>> w, g = np.array([1.0]), np.array([0.5])
    >>> Adam(learning_rate=0.1).apply([g], [w]); np.round(w, 4)   # the first step is about lr
    array([0.9])
    """

    name = "adam"

    def __init__(self, learning_rate: float = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-7, amsgrad: bool = False, **keras_only: Any) -> None:
        super().__init__(learning_rate, keras_only)
        self.beta_1 = check_float(beta_1, "beta_1", **_NOT_NEGATIVE_BELOW_ONE)
        self.beta_2 = check_float(beta_2, "beta_2", **_NOT_NEGATIVE_BELOW_ONE)
        self.epsilon = check_float(epsilon, "epsilon", minimum=0.0, include_boundaries="neither")
        self.amsgrad = check_bool(amsgrad, "amsgrad")

    def _new_slots(self, w):
        slots = {"scratch": np.empty_like(w), "m": np.zeros_like(w), "v": np.zeros_like(w),
                 "step": np.zeros((), dtype=np.int64)}
        if self.amsgrad:
            slots["v_max"] = np.zeros_like(w)
        return slots

    def _update(self, w, g, slots):
        m, v, tmp = slots["m"], slots["v"], slots["scratch"]
        slots["step"] += 1
        t = int(slots["step"])
        # m += (1 - b1) * (g - m) and v += (1 - b2) * (g**2 - v): the same averages, in place.
        np.subtract(g, m, out=tmp)
        tmp *= 1 - self.beta_1
        m += tmp
        np.multiply(g, g, out=tmp)
        tmp -= v
        tmp *= 1 - self.beta_2
        v += tmp
        if self.amsgrad:
            np.maximum(slots["v_max"], v, out=slots["v_max"])
            v = slots["v_max"]
        alpha = self.learning_rate * math.sqrt(1 - self.beta_2 ** t) / (1 - self.beta_1 ** t)
        np.sqrt(v, out=tmp)
        tmp += self.epsilon
        np.divide(m, tmp, out=tmp)
        tmp *= alpha
        w -= tmp


def _array_list(value, name: str) -> list:
    if isinstance(value, np.ndarray) or not isinstance(value, (list, tuple)):
        raise InputValueError(f"{name} must be a list of arrays, one per weight array, got {_describe(value)}")
    return list(value)


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"one array of shape {value.shape}"
    return type(value).__name__


_BY_NAME = {"sgd": SGD, "rmsprop": RMSprop, "adam": Adam}


def get(identifier: str | Optimizer) -> Optimizer:
    """Return a fresh optimizer for a name (``"rmsprop"``, ``"sgd"``, ``"adam"``) or the instance given.

    Examples
    --------
    >>> get("adam")
    Adam(learning_rate=0.001)
    """
    return lookup(identifier, "optimizer", _BY_NAME, Optimizer, "rmsprop",
                  not_here={name.lower(): hint for name, hint in keras_names.ATTRIBUTES["optimizers"].items()})


def __getattr__(name: str):
    raise keras_names.missing_attribute("optimizers", name)


__all__ = ["Optimizer", "SGD", "RMSprop", "Adam", "get"]
