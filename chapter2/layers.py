"""Layers: the building blocks a model stacks.

The chapter needs one kind, ``Dense``: every output is a weighted sum of every
input plus a bias, passed through an activation,
``output = activation(x @ kernel + bias)``.

A layer remembers what its forward pass saw, so that ``backward`` can turn the
gradient of the loss with respect to its output into gradients for its kernel
and bias (stored on the layer) and for its input (returned). That is the chain
rule, one layer at a time.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from . import activations as activations_module
from . import kernels
from .errors import InputTypeError, InputValueError
from .seeding import generator
from .validation import as_numeric_array, check_int


class Dense:
    """A densely connected layer.

    Parameters
    ----------
    units : int
        Number of outputs.
    activation : str, Activation or None
        ``"relu"``, ``"softmax"``, ``"sigmoid"``, ``"linear"`` or ``None`` (linear).
    input_shape : tuple of one int, optional
        ``(features,)``; lets the first layer of a model build its weights at once.
    dtype : str, default "float32"
        Floating-point type of the weights (use "float64" for gradient checks).
    name : str, optional

    Attributes
    ----------
    kernel : ndarray, shape (features, units)
        Glorot-uniform initialised.
    bias : ndarray, shape (units,)
        Zero initialised.
    kernel_grad, bias_grad : ndarray
        Gradients from the last ``backward`` call.

    Examples
    --------
    >>> layer = Dense(3, activation="relu", input_shape=(4,))
    >>> layer.forward(np.ones((2, 4), dtype="float32")).shape
    (2, 3)
    """

    def __init__(self, units: int, activation=None, input_shape: Sequence[int] | None = None,
                 dtype: str = "float32", name: str | None = None) -> None:
        self.units = check_int(units, "units", minimum=1)
        self.activation = activations_module.get(activation)
        try:
            self.dtype = np.dtype(dtype)
        except TypeError:
            raise InputTypeError(f"dtype must be a floating-point type such as 'float32', got {dtype!r}") from None
        if self.dtype.kind != "f":
            raise InputValueError(f"dtype must be a floating-point type such as 'float32', got {dtype!r}")
        self.input_dim = _parse_input_shape(input_shape)
        self.name = name or "dense"
        self.kernel = self.bias = None
        self.kernel_grad = self.bias_grad = None
        self._inputs = self._outputs = None
        if self.input_dim is not None:
            self.build(self.input_dim)

    @property
    def built(self) -> bool:
        return self.kernel is not None

    def build(self, input_dim: int) -> None:
        """Create the weights for inputs with ``input_dim`` features."""
        self.input_dim = check_int(input_dim, "input_dim", minimum=1)
        limit = np.sqrt(6.0 / (self.input_dim + self.units))
        shape = (self.input_dim, self.units)
        self.kernel = generator().uniform(-limit, limit, size=shape).astype(self.dtype)
        self.bias = np.zeros(self.units, dtype=self.dtype)
        self.kernel_grad = np.zeros_like(self.kernel)
        self.bias_grad = np.zeros_like(self.bias)

    @property
    def weights(self) -> list[np.ndarray]:
        return [] if not self.built else [self.kernel, self.bias]

    @property
    def grads(self) -> list[np.ndarray]:
        return [] if not self.built else [self.kernel_grad, self.bias_grad]

    def count_params(self) -> int:
        return 0 if not self.built else self.kernel.size + self.bias.size

    def forward(self, x: np.ndarray) -> np.ndarray:
        """``activation(x @ kernel + bias)`` for ``x`` of shape (batch, features)."""
        x = as_numeric_array(x, "x")
        if x.ndim != 2:
            raise InputValueError(
                f"layer {self.name!r} takes a batch of shape (batch, features), got shape {x.shape}; "
                "for a single sample pass x.reshape(1, -1)")
        x = x.astype(self.dtype, copy=False)
        if not self.built:
            self.build(x.shape[-1])
        if x.shape[-1] != self.input_dim:
            raise InputValueError(
                f"layer {self.name!r} expects inputs with {self.input_dim} features, got shape {x.shape}")
        z = x @ self.kernel
        z += self.bias
        self._inputs, self._outputs = x, self.activation.forward(z)
        return self._outputs

    def backward(self, grad_out: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
        """Gradients for the kernel and bias from ``dL/doutput``; returns ``dL/dx``."""
        grad_out = self._check_gradient_shape(grad_out, "grad_out")
        grad_z = self.activation.backward(self._outputs, grad_out)
        return self.backward_from_preactivation(grad_z, need_input_grad)

    def backward_from_preactivation(self, grad_z: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
        """Same as :meth:`backward`, starting from ``dL/dz`` where ``z = x @ kernel + bias``."""
        grad_z = self._check_gradient_shape(grad_z, "grad_z")
        np.matmul(self._inputs.T, grad_z, out=self.kernel_grad)
        kernels.column_sums(grad_z, self.bias_grad)
        return grad_z @ self.kernel.T if need_input_grad else None

    def _check_gradient_shape(self, grad: np.ndarray, name: str) -> np.ndarray:
        if self._inputs is None:
            raise InputValueError(f"layer {self.name!r}: call forward before backward")
        grad = as_numeric_array(grad, name)
        if grad.shape != self._outputs.shape:
            raise InputValueError(
                f"layer {self.name!r}: {name} must have the shape of the last forward output, "
                f"{self._outputs.shape}, got {grad.shape}")
        return grad

    def __repr__(self) -> str:
        return f"Dense({self.units}, activation={self.activation.name!r})"


def _parse_input_shape(input_shape) -> int | None:
    if input_shape is None:
        return None
    if isinstance(input_shape, (int, np.integer)):
        input_shape = (input_shape,)
    if isinstance(input_shape, (str, bytes)):
        raise InputTypeError(f"input_shape must be a tuple of ints such as (784,), got {input_shape!r}")
    try:
        dims = tuple(input_shape)
    except TypeError:
        raise InputValueError(f"input_shape must be a tuple such as (784,), got {input_shape!r}") from None
    if len(dims) != 1:
        raise InputValueError(
            f"Dense takes flat inputs: input_shape must be (features,), got {dims}; "
            "flatten images first, e.g. x.reshape(len(x), -1)")
    return check_int(dims[0], "input_shape[0]", minimum=1)


__all__ = ["Dense"]
