"""Layers: the building blocks a model stacks.

Every layer follows one contract, the :class:`Layer` base class, so that
``Sequential`` can stack any of them:

* ``build(input_shape)`` creates the weights for samples of that shape (the
  batch axis left out), and ``compute_output_shape`` says what comes out;
* ``forward(x)`` computes the output for a batch and remembers what the
  backward pass needs;
* ``backward(grad_out, need_input_grad=True, need_weight_grads=True)`` turns
  the gradient of the loss with respect to the output into gradients for the
  layer's weights (stored in ``grads``) and returns the gradient with respect
  to the input: the chain rule, one layer at a time (the two flags let a
  layer skip work nobody needs);
* ``weights`` and ``grads`` list the arrays, in the same order;
  ``trainable = False`` freezes them.

The chapter needs one kind with weights, ``Dense``: every output is a weighted
sum of every input plus a bias, passed through an activation,
``output = activation(x @ kernel + bias)``. ``Flatten`` turns images into
vectors and ``Input`` declares the shape of the samples, as in Keras.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from . import activations as activations_module
from . import keras_names, kernels
from .errors import InputTypeError, InputValueError
from .initializers import glorot_uniform
from .validation import as_numeric_array, check_allocation, check_bool, check_int

Shape = tuple[int, ...]


class Layer:
    """Base class of everything a ``Sequential`` model stacks.

    Parameters
    ----------
    name : str, optional
        Defaults to the kind of layer (``"dense"``); a model numbers it
        (``"dense_0"``).
    trainable : bool, default True
        ``False`` freezes the layer's weights: ``fit`` leaves them as they are.
    dtype : str, default "float32"
        Floating-point type of the weights and outputs.

    Attributes
    ----------
    input_shape : tuple of int or None
        The shape of one sample (no batch axis), once known.

    Examples
    --------
    A layer of your own needs ``forward`` and ``backward``; one with weights
    also creates them in ``build`` and lists them in ``weights`` and ``grads``:

    >>> class Scale(Layer):
    ...     # Multiplies its input by one learned number.
    ...     def build(self, input_shape):
    ...         super().build(input_shape)
    ...         self.scale = np.ones(1, dtype=self.dtype)
    ...         self.scale_grad = np.zeros(1, dtype=self.dtype)
    ...     def forward(self, x):
    ...         self.x = x                       # kept for the backward pass
    ...         return self.scale * x
    ...     def backward(self, grad_out, need_input_grad=True, need_weight_grads=True):
    ...         if need_weight_grads:
    ...             self.scale_grad[:] = np.sum(grad_out * self.x)
    ...         return self.scale * grad_out if need_input_grad else None
    ...     @property
    ...     def weights(self):
    ...         return [self.scale]
    ...     @property
    ...     def grads(self):
    ...         return [self.scale_grad]
    >>> layer = Scale()
    >>> layer.build((2,))
    >>> layer.forward(np.ones((1, 2), dtype="float32"))
    array([[1., 1.]], dtype=float32)
    >>> layer.backward(np.ones((1, 2), dtype="float32")), layer.grads
    (array([[1., 1.]], dtype=float32), [array([2.], dtype=float32)])
    """

    #: Default name, and the prefix a model numbers layers with.
    kind = "layer"

    def __init__(self, name: str | None = None, trainable: bool = True, dtype: Any = "float32") -> None:
        if name is not None and not isinstance(name, str):
            raise InputTypeError(f"name must be a str, got {type(name).__name__}")
        self.name = name or self.kind
        self.trainable = trainable
        self.dtype = _float_dtype(dtype)
        self.input_shape: Shape | None = None

    # ------------------------------------------------------------ the contract
    @property
    def trainable(self) -> bool:
        """Whether ``fit`` updates this layer's weights."""
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = check_bool(value, "trainable")

    @property
    def built(self) -> bool:
        """True once the shape of the inputs is known and the weights exist."""
        return self.input_shape is not None

    def build(self, input_shape: int | Sequence[int]) -> None:
        """Create the weights for samples of shape ``input_shape`` (no batch axis)."""
        self.input_shape = _as_sample_shape(input_shape, "input_shape")

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        """The shape of one output sample for one input sample of ``input_shape``."""
        return tuple(input_shape)

    @property
    def output_shape(self) -> Shape | None:
        """The shape of one output sample, or None while the input shape is unknown."""
        return None if self.input_shape is None else self.compute_output_shape(self.input_shape)

    def forward(self, x: np.ndarray) -> np.ndarray:
        """The output for a batch ``x`` of shape (batch, *input_shape)."""
        raise NotImplementedError

    def backward(self, grad_out: np.ndarray, need_input_grad: bool = True,
                 need_weight_grads: bool = True) -> np.ndarray | None:
        """Weight gradients from ``dL/doutput`` (stored in :attr:`grads`); returns ``dL/dx``.

        A model passes ``need_input_grad=False`` to the lowest layer that
        trains (nothing below it needs ``dL/dx``; return None) and
        ``need_weight_grads=False`` to frozen layers; a layer may use them to
        skip work, or ignore them.
        """
        raise NotImplementedError

    def call(self, x: np.ndarray) -> np.ndarray:
        """:meth:`forward` for a batch the model has already checked (Keras's ``call``).

        ``Sequential`` checks its data once, where it enters ``fit``, ``evaluate``
        or ``predict``, and then calls this. The default simply runs
        :meth:`forward`; a layer whose ``forward`` checks its input overrides it
        with the unchecked work.
        """
        return self.forward(x)

    def call_backward(self, grad_out: np.ndarray, need_input_grad: bool = True,
                      need_weight_grads: bool = True) -> np.ndarray | None:
        """:meth:`backward` for a gradient the model computed itself (no checks needed)."""
        return self.backward(grad_out, need_input_grad, need_weight_grads)

    @property
    def weights(self) -> list[np.ndarray]:
        """The layer's weight arrays (updated in place by the optimizer)."""
        return []

    @property
    def grads(self) -> list[np.ndarray]:
        """Gradients from the last ``backward``, aligned with :attr:`weights`."""
        return []

    @property
    def trainable_weights(self) -> list[np.ndarray]:
        return self.weights if self.trainable else []

    @property
    def non_trainable_weights(self) -> list[np.ndarray]:
        return [] if self.trainable else self.weights

    def count_params(self) -> int:
        return sum(w.size for w in self.weights)

    def get_weights(self) -> list[np.ndarray]:
        """Copies of the weight arrays."""
        return [w.copy() for w in self.weights]

    def set_weights(self, weights: Sequence[np.ndarray]) -> None:
        """Replace the weights; every array is checked before any is written."""
        from .saving import check_weight_arrays

        checked = check_weight_arrays(weights, self.weights, f"layer {self.name!r}")
        for old, new in zip(self.weights, checked):
            old[...] = new

    # ------------------------------------------- the softmax + cross-entropy shortcut
    @property
    def ends_in_softmax(self) -> bool:
        """True if the output is a softmax of scores, so :meth:`backward_from_scores` applies."""
        return False

    def backward_from_scores(self, grad_scores: np.ndarray, need_input_grad: bool = True,
                             need_weight_grads: bool = True) -> np.ndarray | None:
        """:meth:`backward` starting from the gradient with respect to the softmax's scores."""
        raise InputValueError(f"layer {self.name!r} does not end in a softmax")

    def call_backward_from_scores(self, grad_scores: np.ndarray, need_input_grad: bool = True,
                                  need_weight_grads: bool = True) -> np.ndarray | None:
        """:meth:`backward_from_scores` for a gradient the model computed itself."""
        return self.backward_from_scores(grad_scores, need_input_grad, need_weight_grads)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Dense(Layer):
    """A densely connected layer: ``activation(x @ kernel + bias)``.

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
    input_dim : int, optional
        Keras 2's way of writing ``input_shape=(input_dim,)``.
    trainable : bool, default True

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
    >>> Dense(3, input_dim=4).kernel.shape
    (4, 3)
    """

    kind = "dense"

    def __init__(self, units: int, activation=None, input_shape: Sequence[int] | None = None,
                 dtype: str = "float32", name: str | None = None, *, input_dim: int | None = None,
                 trainable: bool = True, **keras_only: Any) -> None:
        keras_names.check_keyword_arguments(
            "Dense", keras_only, ["units", "activation", "input_shape", "dtype", "name", "input_dim", "trainable"])
        self.units = check_int(units, "units", minimum=1)
        self.activation = activations_module.get(activation)
        super().__init__(name=name, trainable=trainable, dtype=dtype)
        features = _parse_input_shape(input_shape, input_dim)
        self.kernel = self.bias = None
        self.kernel_grad = self.bias_grad = None
        self._inputs = self._outputs = None
        if features is not None:
            self.build(features)

    @property
    def input_dim(self) -> int | None:
        """Number of input features, once known."""
        return None if self.input_shape is None else self.input_shape[0]

    def build(self, input_shape: int | Sequence[int]) -> None:
        """Create the weights for inputs of ``input_shape`` (``(features,)``, or just ``features``)."""
        shape = _as_sample_shape(input_shape, "input_shape")
        if len(shape) != 1:
            raise InputValueError(
                f"Dense takes flat inputs: input_shape must be (features,), got {shape}; "
                "put layers.Flatten() before it, or flatten the data with x.reshape(len(x), -1)")
        features = shape[0]
        count = features * self.units
        # Kernel, its gradient and the float64 draw it is cast from, all at once.
        check_allocation(count * (2 * self.dtype.itemsize + 8), f"Dense({self.units}) on {features} inputs",
                         "use fewer units (the chapter's network has 512)")
        self.kernel = glorot_uniform(features, self.units, self.dtype)
        self.bias = np.zeros(self.units, dtype=self.dtype)
        self.kernel_grad = np.zeros_like(self.kernel)
        self.bias_grad = np.zeros_like(self.bias)
        self.input_shape = shape

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return (self.units,)

    @property
    def output_shape(self) -> Shape:
        return (self.units,)

    @property
    def weights(self) -> list[np.ndarray]:
        return [] if not self.built else [self.kernel, self.bias]

    @property
    def grads(self) -> list[np.ndarray]:
        return [] if not self.built else [self.kernel_grad, self.bias_grad]

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
        return self.call(x)

    def call(self, x: np.ndarray) -> np.ndarray:
        z = x @ self.kernel
        z += self.bias
        self._inputs, self._outputs = x, self.activation.forward(z)
        return self._outputs

    def backward(self, grad_out: np.ndarray, need_input_grad: bool = True,
                 need_weight_grads: bool = True) -> np.ndarray | None:
        """Gradients for the kernel and bias from ``dL/doutput``; returns ``dL/dx``."""
        grad_out = self._check_gradient_shape(grad_out, "grad_out")
        return self.call_backward(grad_out, need_input_grad, need_weight_grads)

    def call_backward(self, grad_out, need_input_grad=True, need_weight_grads=True):
        grad_z = self.activation.backward(self._outputs, grad_out)
        return self._from_preactivation(grad_z, need_input_grad, need_weight_grads)

    def backward_from_preactivation(self, grad_z: np.ndarray, need_input_grad: bool = True,
                                    need_weight_grads: bool = True) -> np.ndarray | None:
        """Same as :meth:`backward`, starting from ``dL/dz`` where ``z = x @ kernel + bias``."""
        grad_z = self._check_gradient_shape(grad_z, "grad_z")
        return self._from_preactivation(grad_z, need_input_grad, need_weight_grads)

    def _from_preactivation(self, grad_z, need_input_grad, need_weight_grads):
        if need_weight_grads:
            np.matmul(self._inputs.T, grad_z, out=self.kernel_grad)
            kernels.column_sums(grad_z, self.bias_grad)
        return grad_z @ self.kernel.T if need_input_grad else None

    @property
    def ends_in_softmax(self) -> bool:
        return isinstance(self.activation, activations_module.Softmax)

    def backward_from_scores(self, grad_scores: np.ndarray, need_input_grad: bool = True,
                             need_weight_grads: bool = True) -> np.ndarray | None:
        if not self.ends_in_softmax:
            return super().backward_from_scores(grad_scores, need_input_grad, need_weight_grads)
        # The softmax's scores are this layer's pre-activation z.
        return self.backward_from_preactivation(grad_scores, need_input_grad, need_weight_grads)

    def call_backward_from_scores(self, grad_scores, need_input_grad=True, need_weight_grads=True):
        if not self.ends_in_softmax:
            return super().backward_from_scores(grad_scores, need_input_grad, need_weight_grads)
        return self._from_preactivation(grad_scores, need_input_grad, need_weight_grads)

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


class Flatten(Layer):
    """Flatten each sample into a vector: a batch (n, 28, 28) becomes (n, 784).

    Parameters
    ----------
    input_shape : tuple of int, optional
        The shape of one sample, e.g. ``(28, 28)``.
    name : str, optional
    data_format : {None, "channels_last"}
        Accepted for Keras compatibility; samples are flattened in C order.

    Examples
    --------
    >>> Flatten().forward(np.zeros((2, 28, 28))).shape
    (2, 784)
    """

    kind = "flatten"

    def __init__(self, input_shape: Sequence[int] | None = None, name: str | None = None,
                 data_format: str | None = None, dtype: Any = "float32") -> None:
        if data_format not in (None, "channels_last"):
            raise InputValueError(
                f"Flatten(data_format={data_format!r}) is not part of chapter2: samples are flattened "
                "in NumPy's order (channels last); transpose the data first if needed")
        super().__init__(name=name, dtype=dtype)
        self._batch_shape: tuple[int, ...] | None = None
        if input_shape is not None:
            self.build(input_shape)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return (math.prod(input_shape),)

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_numeric_array(x, "x")
        if x.ndim < 2:
            raise InputValueError(
                f"layer {self.name!r} takes a batch of samples, shape (batch, ...), got shape {x.shape}; "
                "for a single sample pass x[np.newaxis]")
        if not self.built:
            self.build(x.shape[1:])
        if x.shape[1:] != self.input_shape:
            raise InputValueError(
                f"layer {self.name!r} expects samples of shape {self.input_shape}, got a batch of shape {x.shape}")
        self._batch_shape = x.shape
        return x.astype(self.dtype, copy=False).reshape(len(x), -1)

    def backward(self, grad_out: np.ndarray, need_input_grad: bool = True,
                 need_weight_grads: bool = True) -> np.ndarray | None:
        if self._batch_shape is None:
            raise InputValueError(f"layer {self.name!r}: call forward before backward")
        return grad_out.reshape(self._batch_shape) if need_input_grad else None


class InputLayer(Layer):
    """The shape of the samples a model takes, as the first entry of ``Sequential``; see :func:`Input`.

    Examples
    --------
    >>> InputLayer((28, 28)).output_shape
    (28, 28)
    """

    kind = "input_layer"

    def __init__(self, shape: int | Sequence[int], name: str | None = None, dtype: Any = "float32") -> None:
        super().__init__(name=name, dtype=dtype)
        self.build(shape)

    def forward(self, x: np.ndarray) -> np.ndarray:
        return as_numeric_array(x, "x").astype(self.dtype, copy=False)

    def backward(self, grad_out: np.ndarray, need_input_grad: bool = True,
                 need_weight_grads: bool = True) -> np.ndarray | None:
        return grad_out if need_input_grad else None

    def __repr__(self) -> str:
        return f"Input(shape={self.input_shape})"


def Input(shape: int | Sequence[int] | None = None, batch_size: int | None = None, dtype: Any = None,
          name: str | None = None, *, batch_shape: Sequence[int | None] | None = None,
          **keras_only: Any) -> InputLayer:
    """Declare the shape of one sample, as ``keras.Input`` does; put it first in ``Sequential``.

    Parameters
    ----------
    shape : tuple of int
        Shape of one sample, without the batch axis, e.g. ``(784,)`` or ``(28, 28)``.
    batch_size : None
        chapter2 takes the batch size in ``fit``; only ``None`` is accepted.
    dtype : str, optional
        A floating-point type (default float32).
    name : str, optional
    batch_shape : tuple, optional
        ``(None, *shape)``, Keras's other way of writing ``shape``.

    Returns
    -------
    InputLayer

    Examples
    --------
    >>> from chapter2 import models
    >>> model = models.Sequential([Input(shape=(784,)), Dense(10, activation="softmax")])
    >>> model.layers[0].kernel.shape
    (784, 10)
    """
    keras_names.check_keyword_arguments(
        "Input", keras_only, ["shape", "batch_size", "dtype", "name", "batch_shape"])
    if batch_size is not None:
        raise InputValueError("Input(batch_size=...) is not part of chapter2: give the batch size to fit")
    if batch_shape is not None:
        if shape is not None:
            raise InputValueError("give Input either shape or batch_shape, not both")
        if isinstance(batch_shape, (str, bytes)) or len(tuple(batch_shape)) < 2:
            raise InputValueError(f"batch_shape must be (None, *shape), got {batch_shape!r}")
        shape = tuple(batch_shape)[1:]
    if shape is None:
        raise InputValueError("Input needs the shape of one sample, e.g. Input(shape=(784,))")
    return InputLayer(shape, name=name, dtype="float32" if dtype is None else dtype)


def _float_dtype(dtype: Any) -> np.dtype:
    try:
        chosen = np.dtype(dtype)
    except TypeError:
        raise InputTypeError(f"dtype must be a floating-point type such as 'float32', got {dtype!r}") from None
    if chosen.kind != "f":
        raise InputValueError(f"dtype must be a floating-point type such as 'float32', got {dtype!r}")
    return chosen


def _as_sample_shape(shape: Any, name: str) -> Shape:
    """A sample shape: a tuple of positive ints (a lone int means ``(n,)``)."""
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    if isinstance(shape, (str, bytes)):
        raise InputTypeError(f"{name} must be a tuple of ints such as (784,), got {shape!r}")
    try:
        dims = tuple(shape)
    except TypeError:
        raise InputValueError(f"{name} must be a tuple such as (784,), got {shape!r}") from None
    if not dims:
        raise InputValueError(f"{name} must have at least one axis, such as (784,), got ()")
    return tuple(check_int(d, f"{name}[{i}]", minimum=1) for i, d in enumerate(dims))


def _parse_input_shape(input_shape: Any, input_dim: Any) -> int | None:
    if input_dim is not None:
        features = check_int(input_dim, "input_dim", minimum=1)
        if input_shape is not None and _parse_input_shape(input_shape, None) != features:
            raise InputValueError(f"input_dim={features} and input_shape={input_shape!r} disagree; give one")
        return features
    if input_shape is None:
        return None
    dims = _as_sample_shape(input_shape, "input_shape")
    if len(dims) != 1:
        raise InputValueError(
            f"Dense takes flat inputs: input_shape must be (features,), got {dims}; "
            "put layers.Flatten(input_shape=...) first, or flatten the data with x.reshape(len(x), -1)")
    return dims[0]


def __getattr__(name: str):
    raise keras_names.missing_attribute("layers", name)


__all__ = ["Layer", "Dense", "Flatten", "InputLayer", "Input"]
