"""A Tensor that records how it was computed, and backpropagates through it.

Introduced in notebook 08 (section 2.4.4, the backpropagation algorithm).

Every operation on a ``Tensor`` returns a new ``Tensor`` that remembers its
inputs (``parents``), the name of the operation (``op``) and a small closure,
``_backward``. The closure is the chain rule for that one operation: it takes
the gradient that has arrived at the output, multiplies it by the operation's
local derivative, and adds the result to each input's gradient.

``backward()`` seeds the output with gradient 1, sorts the graph so that every
node comes after its inputs, and calls the closures in reverse order. When a
closure runs, every use of its output has already sent back its share, so the
output's gradient is complete.

Gradients are written into tensors whose ``.grad`` is ``None``. A second
``backward()`` through the same graph would add to them, so it raises
``BackwardError`` instead; call ``zero_grad()`` first (see the docstring of
``backward``).
"""

from __future__ import annotations

from typing import Callable, Iterator, Sequence

import numpy as np

from ..errors import BackwardError, InputTypeError, InputValueError


class Tensor:
    """An array that remembers the operations that made it.

    Parameters
    ----------
    data : array_like of numbers
        Integer and boolean input becomes float64; float arrays keep their dtype.
    requires_grad : bool
        Whether ``backward()`` should compute a gradient for this tensor. Use
        ``False`` for data such as input images, whose gradient nobody needs.
    label : str
        A name shown in pictures of the computation graph.

    Attributes
    ----------
    data : ndarray
    grad : ndarray or None
        Same shape as ``data``: d(output)/d(this tensor) after ``backward()``,
        ``None`` before.
    parents : tuple of Tensor
        The inputs of the operation that made this tensor (empty for a leaf).
    op : str
        That operation's name, ``""`` for a leaf.

    Examples
    --------
    >>> a, b = Tensor(2.0, label="a"), Tensor(-3.0, label="b")
    >>> c = a * b + a
    >>> c.backward()
    >>> float(a.grad), float(b.grad)
    (-2.0, 2.0)
    """

    # Make NumPy hand ``array * tensor`` to Tensor.__rmul__ instead of looping itself.
    __array_ufunc__ = None

    def __init__(self, data, requires_grad: bool = True, label: str = "") -> None:
        self.data = _as_float_array(data)
        self.grad: np.ndarray | None = None
        self.requires_grad = bool(requires_grad)
        self.label = str(label)
        self.op = ""
        self.parents: tuple[Tensor, ...] = ()
        self._backward: Callable[[], None] = lambda: None

    @classmethod
    def _result(cls, data: np.ndarray, parents: tuple[Tensor, ...], op: str) -> Tensor:
        """The output node of an operation (its closure is attached by the caller)."""
        out = cls(data, requires_grad=any(p.requires_grad for p in parents))
        out.parents, out.op = parents, op
        return out

    def _accumulate(self, grad: np.ndarray) -> None:
        """Add one path's contribution to this tensor's gradient."""
        if not self.requires_grad:
            return
        grad = _unbroadcast(grad, self.data.shape)
        if self.grad is None:  # a copy, so no two tensors ever share one gradient array
            self.grad = np.array(grad, dtype=self.dtype)
        else:
            self.grad += grad

    # ----------------------------------------------------------- inspection
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def T(self) -> Tensor:
        return self.transpose()

    def item(self) -> float:
        """The value of a one-element tensor as a Python float."""
        if self.data.size != 1:
            raise InputValueError(f"item() needs a tensor with one element, this one has shape {self.shape}")
        return float(self.data.reshape(-1)[0])

    def __repr__(self) -> str:
        name = f", label={self.label!r}" if self.label else ""
        made = f", op={self.op!r}" if self.op else ""
        value = f"{self.item():.4g}" if self.data.size == 1 else f"shape={self.shape}"
        return f"Tensor({value}{name}{made})"

    # ------------------------------------------------ element-wise arithmetic
    def __add__(self, other) -> Tensor:
        other = _lift(other, self)
        out = Tensor._result(_broadcast(np.add, self, other, "add"), (self, other), "+")

        def backward() -> None:  # d(a+b)/da = 1, d(a+b)/db = 1
            self._accumulate(out.grad)
            other._accumulate(out.grad)
        out._backward = backward
        return out

    def __sub__(self, other) -> Tensor:
        other = _lift(other, self)
        out = Tensor._result(_broadcast(np.subtract, self, other, "subtract"), (self, other), "-")

        def backward() -> None:  # d(a-b)/da = 1, d(a-b)/db = -1
            self._accumulate(out.grad)
            other._accumulate(-out.grad)
        out._backward = backward
        return out

    def __mul__(self, other) -> Tensor:
        other = _lift(other, self)
        out = Tensor._result(_broadcast(np.multiply, self, other, "multiply"), (self, other), "*")

        def backward() -> None:  # d(ab)/da = b, d(ab)/db = a
            self._accumulate(out.grad * other.data)
            other._accumulate(out.grad * self.data)
        out._backward = backward
        return out

    def __truediv__(self, other) -> Tensor:
        other = _lift(other, self)
        out = Tensor._result(_broadcast(np.divide, self, other, "divide"), (self, other), "/")

        def backward() -> None:  # d(a/b)/da = 1/b, d(a/b)/db = -a/b^2
            self._accumulate(out.grad / other.data)
            other._accumulate(-out.grad * self.data / other.data ** 2)
        out._backward = backward
        return out

    def __pow__(self, exponent: float) -> Tensor:
        if isinstance(exponent, Tensor) or not np.isscalar(exponent):
            raise InputTypeError(
                f"the exponent in tensor ** exponent must be a plain number, got {type(exponent).__name__}; "
                "for a tensor exponent write (log(a) * b).exp()")
        out = Tensor._result(self.data ** exponent, (self,), f"**{exponent:g}")

        def backward() -> None:  # d(a^k)/da = k a^(k-1)
            self._accumulate(out.grad * exponent * self.data ** (exponent - 1))
        out._backward = backward
        return out

    def __neg__(self) -> Tensor:
        return self * -1.0

    def __radd__(self, other) -> Tensor:
        return _lift(other, self) + self

    def __rsub__(self, other) -> Tensor:
        return _lift(other, self) - self

    def __rmul__(self, other) -> Tensor:
        return _lift(other, self) * self

    def __rtruediv__(self, other) -> Tensor:
        return _lift(other, self) / self

    # -------------------------------------------------- element-wise functions
    def relu(self) -> Tensor:
        """``max(x, 0)`` element-wise; its derivative is 1 where x > 0, else 0."""
        out = Tensor._result(np.maximum(self.data, 0), (self,), "relu")

        def backward() -> None:
            self._accumulate(out.grad * (self.data > 0))
        out._backward = backward
        return out

    def exp(self) -> Tensor:
        """``e**x`` element-wise; it is its own derivative."""
        out = Tensor._result(np.exp(self.data), (self,), "exp")

        def backward() -> None:
            self._accumulate(out.grad * out.data)
        out._backward = backward
        return out

    def log(self) -> Tensor:
        """Natural logarithm element-wise; its derivative is 1/x."""
        out = Tensor._result(np.log(self.data), (self,), "log")

        def backward() -> None:
            self._accumulate(out.grad / self.data)
        out._backward = backward
        return out

    # --------------------------------------------------------- linear algebra
    def __matmul__(self, other) -> Tensor:
        """Matrix product of two 2-D tensors, ``(n, k) @ (k, m) -> (n, m)``."""
        other = _lift(other, self)
        _check_matmul(self.shape, other.shape)
        out = Tensor._result(self.data @ other.data, (self, other), "@")

        def backward() -> None:  # out[i, j] = sum_k a[i, k] b[k, j]
            if self.requires_grad:
                self._accumulate(out.grad @ other.data.T)
            if other.requires_grad:
                other._accumulate(self.data.T @ out.grad)
        out._backward = backward
        return out

    def __rmatmul__(self, other) -> Tensor:
        return _lift(other, self) @ self

    # ------------------------------------------------------------ reductions
    def sum(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """Sum over ``axis`` (all axes if ``None``), like ``np.sum``.

        Every summed entry influences the result with slope 1, so the backward
        pass copies the output's gradient back to every entry.

        Examples
        --------
        >>> x = Tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> x.sum(axis=0).data
        array([4., 6.])
        """
        axes = _normalize_axis(axis, self.ndim)
        out = Tensor._result(self.data.sum(axis=axes, keepdims=keepdims), (self,), "sum")

        def backward() -> None:
            grad = out.grad if keepdims else np.expand_dims(out.grad, axes)
            self._accumulate(np.broadcast_to(grad, self.shape))
        out._backward = backward
        return out

    def mean(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """Average over ``axis`` (all axes if ``None``), like ``np.mean``."""
        axes = _normalize_axis(axis, self.ndim)
        count = int(np.prod([self.shape[a] for a in axes]))
        out = Tensor._result(self.data.mean(axis=axes, keepdims=keepdims), (self,), "mean")

        def backward() -> None:  # each entry moves the mean by 1/count of its own change
            grad = out.grad if keepdims else np.expand_dims(out.grad, axes)
            self._accumulate(np.broadcast_to(grad / count, self.shape))
        out._backward = backward
        return out

    # ------------------------------------------------------------ reshaping
    def reshape(self, *shape: int) -> Tensor:
        """The same entries in a new shape; the gradient is reshaped back.

        Examples
        --------
        >>> Tensor(np.arange(6.0)).reshape(2, 3).shape
        (2, 3)
        """
        new_shape = tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        try:
            data = self.data.reshape(new_shape)
        except (ValueError, TypeError) as exc:
            raise InputValueError(
                f"cannot reshape a tensor of shape {self.shape} ({self.data.size} entries) "
                f"to shape {new_shape}: the new shape must hold the same number of entries") from exc
        out = Tensor._result(data, (self,), "reshape")

        def backward() -> None:
            self._accumulate(out.grad.reshape(self.shape))
        out._backward = backward
        return out

    def transpose(self, axes: Sequence[int] | None = None) -> Tensor:
        """Permute the axes (reverse them if ``axes`` is ``None``), like ``np.transpose``."""
        perm = tuple(reversed(range(self.ndim))) if axes is None else tuple(axes)
        if sorted(perm) != list(range(self.ndim)):
            raise InputValueError(
                f"axes must be a permutation of {tuple(range(self.ndim))} for a tensor of shape "
                f"{self.shape}, got {perm}")
        out = Tensor._result(self.data.transpose(perm), (self,), "transpose")

        def backward() -> None:  # undo the permutation
            self._accumulate(out.grad.transpose(np.argsort(perm)))
        out._backward = backward
        return out

    # -------------------------------------------------------- backpropagation
    def topological_order(self) -> list[Tensor]:
        """Every tensor this one depends on (itself last), each after its parents."""
        order: list[Tensor] = []
        seen: set[int] = set()

        def visit(node: Tensor) -> None:
            if id(node) in seen:
                return
            seen.add(id(node))
            for parent in node.parents:
                visit(parent)
            order.append(node)
        visit(self)
        return order

    def backward(self, grad: np.ndarray | None = None) -> None:
        """Compute the gradient of this tensor with respect to every tensor it depends on.

        Parameters
        ----------
        grad : ndarray, optional
            The seed: the gradient of some scalar with respect to this tensor,
            same shape. Leave it out when this tensor is itself a scalar (the
            seed is then 1).

        Raises
        ------
        InputValueError
            If the tensor is not a scalar and no ``grad`` is given, or ``grad``
            has the wrong shape.
        BackwardError
            If a tensor in the graph still holds a gradient from an earlier
            ``backward()``: adding to it would silently mix two passes. Call
            ``zero_grad()`` on the parameters and run the forward pass again.

        Examples
        --------
        >>> w = Tensor([1.0, 2.0], label="w")
        >>> loss = (w * w).sum()
        >>> loss.backward()
        >>> w.grad
        array([2., 4.])
        """
        for _ in self.backward_steps(grad):
            pass

    def backward_steps(self, grad: np.ndarray | None = None) -> Iterator[Tensor]:
        """Run ``backward()`` one node at a time, yielding each node after its closure ran.

        The graph pictures step through this; ``backward()`` simply runs it to the end.
        """
        seed = self._seed_gradient(grad)
        order = self.topological_order()
        _refuse_old_gradients(order, self)
        self.grad = seed
        for node in reversed(order):
            if node.requires_grad:
                node._backward()
                yield node

    def _seed_gradient(self, grad: np.ndarray | None) -> np.ndarray:
        if not self.requires_grad:
            raise InputValueError(
                "this tensor does not depend on any tensor with requires_grad=True, "
                "so there is nothing to differentiate")
        if grad is None:
            if self.data.size != 1:
                raise InputValueError(
                    f"backward() without a seed needs a scalar, but this tensor has shape {self.shape}; "
                    "reduce it first (e.g. loss.mean()) or pass grad=an array of that shape")
            return np.ones_like(self.data)
        seed = np.array(grad, dtype=self.dtype)  # a copy: the caller keeps its array
        if seed.shape != self.shape:
            raise InputValueError(
                f"grad must have this tensor's shape {self.shape}, got shape {seed.shape}")
        return seed

    def zero_grad(self) -> None:
        """Forget this tensor's gradient (set it to ``None``) before the next ``backward()``."""
        self.grad = None


# ----------------------------------------------------------------- helpers
def _as_float_array(data) -> np.ndarray:
    if isinstance(data, Tensor):
        raise InputTypeError("data is already a Tensor; use it directly or pass tensor.data")
    array = np.asarray(data)
    if array.dtype.kind in "iub":
        return array.astype(np.float64)
    if array.dtype.kind != "f":
        raise InputTypeError(
            f"a Tensor holds real numbers, got an array of dtype {array.dtype}; "
            "convert it with np.asarray(data, dtype=np.float32)")
    return array


def _lift(value, like: Tensor) -> Tensor:
    """Wrap a plain number or array as a constant in ``like``'s dtype."""
    if isinstance(value, Tensor):
        return value
    return Tensor(np.asarray(value, dtype=like.dtype), requires_grad=False)


def _broadcast(ufunc: np.ufunc, a: Tensor, b: Tensor, verb: str) -> np.ndarray:
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise InputValueError(
            f"cannot {verb} tensors of shapes {a.shape} and {b.shape}: they do not broadcast "
            "(aligned from the right, each pair of sizes must be equal or one of them 1)") from None
    return ufunc(a.data, b.data)


def _unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` down to ``shape``, undoing NumPy broadcasting.

    A value that was broadcast was used in several places, so its gradient
    is the sum of the gradients of all those places.
    """
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, size in enumerate(shape) if size == 1 and grad.shape[i] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad


def _check_matmul(a: tuple[int, ...], b: tuple[int, ...]) -> None:
    if len(a) != 2 or len(b) != 2:
        raise InputValueError(
            f"matmul needs two 2-D tensors, got shapes {a} @ {b}; reshape a vector v to (1, n) "
            "with v.reshape(1, -1)")
    if a[1] != b[0]:
        raise InputValueError(
            f"matmul shapes {a} @ {b} do not fit: the first tensor's columns ({a[1]}) "
            f"must equal the second tensor's rows ({b[0]})")


def _normalize_axis(axis, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if np.isscalar(axis) else tuple(axis)
    for a in axes:
        if not isinstance(a, (int, np.integer)) or not -ndim <= a < ndim:
            raise InputValueError(f"axis {axis!r} is out of range for a tensor with {ndim} dimensions")
    return tuple(sorted(int(a) % ndim for a in axes))


def _refuse_old_gradients(order: list[Tensor], root: Tensor) -> None:
    if root.grad is not None:
        raise BackwardError(
            "backward() was already called on this tensor, and a second pass would add to the "
            "gradients it computed. Run the forward pass again for a fresh graph, after calling "
            "zero_grad() on the parameters (e.g. model.zero_grad())")
    for node in order:
        if node.requires_grad and node.grad is not None:
            raise BackwardError(
                f"tensor {_describe(node)} still holds a gradient from an earlier backward(), and "
                "this pass would add to it. Call zero_grad() on it first (e.g. model.zero_grad())")


def _describe(node: Tensor) -> str:
    if node.label:
        return repr(node.label)
    return f"made by {node.op!r}" if node.op else f"of shape {node.shape}"


__all__ = ["Tensor", "BackwardError"]
