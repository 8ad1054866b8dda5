"""New element-wise operations for ``chapter2.autodiff``, from two plain-array functions.

Every element-wise operation of :class:`~chapter2.autodiff.tensor.Tensor` (``relu``,
``exp``, ``log``) is written the same way: compute the output's values, make its
node, and attach a closure that multiplies the gradient arriving at the output by
the local derivative and adds the result to the input's gradient.
:func:`elementwise_op` does that wiring once, so that a new operation is only its
mathematics: a ``forward`` function and a ``backward`` function on NumPy arrays
(notebook 08, exercise 5, adds ``tanh`` this way).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..errors import InputValueError
from .tensor import Tensor


def elementwise_op(name: str, forward: Callable[[np.ndarray], np.ndarray],
                   backward: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
                   ) -> Callable[[Tensor], Tensor]:
    """Turn a forward and a backward function on arrays into an operation on tensors.

    Parameters
    ----------
    name : str
        The operation's name in graph pictures, e.g. ``"tanh"``.
    forward : callable
        ``forward(x) -> y``: the output's values for the input's values, same shape.
    backward : callable
        ``backward(x, y, grad_y) -> grad_x``: given the input ``x``, the output
        ``y`` and the gradient ``grad_y`` of the loss with respect to ``y`` (all
        of one shape), the gradient of the loss with respect to ``x``, same shape.

    Returns
    -------
    callable
        ``op(x)``, taking a ``Tensor`` and returning a new one whose backward
        closure calls ``backward`` and adds its result to ``x``'s gradient.

    Raises
    ------
    InputValueError
        If ``forward`` or ``backward`` returns an array of another shape.

    Examples
    --------
    >>> square = elementwise_op("square", lambda x: x * x, lambda x, y, grad_y: grad_y * 2 * x)
    >>> w = Tensor([1.0, -3.0], label="w")
    >>> loss = (square(w) * 0.5).sum()
    >>> loss.backward()
    >>> w.grad
    array([ 1., -3.])
    """
    def op(x: Tensor) -> Tensor:
        values = np.asarray(forward(x.data), dtype=x.dtype)
        _same_shape(values, x.shape, f"forward of {name}")
        out = Tensor._result(values, (x,), name)

        def closure() -> None:  # the chain rule: what arrived at y, times the local slope dy/dx
            grad = np.asarray(backward(x.data, out.data, out.grad), dtype=x.dtype)
            _same_shape(grad, x.shape, f"backward of {name}")
            x._accumulate(grad)
        out._backward = closure
        return out
    op.__name__ = op.__qualname__ = name
    return op


def _same_shape(array: np.ndarray, shape: tuple[int, ...], what: str) -> None:
    if array.shape != shape:
        raise InputValueError(f"the {what} returned shape {array.shape}; an element-wise operation "
                              f"keeps its input's shape {shape}")
