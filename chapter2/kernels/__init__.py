"""Kernels: the element-wise work of a training step, in pure NumPy or fused.

The optimizer updates, ReLU's backward pass and the bias gradients come in two
interchangeable versions that compute the same numbers:

* :mod:`chapter2.kernels.reference`, pure NumPy with in-place operations: the
  definition, and what the notebooks teach;
* :mod:`chapter2.kernels.fused`, the same arithmetic as loops compiled by numba
  (``pip install "chapter2[fast]"``), which read and write every array once per
  step instead of once per operation.

Which one runs: ``"auto"`` (the default) takes the fused kernels when numba can
be imported, else NumPy; ``"numba"`` insists on the fused ones; ``"numpy"``
forces pure NumPy. The environment variable ``CHAPTER2_KERNELS`` sets the choice
for a process, :func:`use` sets it from Python and wins over the variable. The
choice is made on first use (``Sequential.compile`` or the first optimizer step),
never at import, so ``import chapter2`` does not import numba.

Examples
--------
>>> from chapter2 import kernels
>>> previous = kernels.use("numpy")
>>> kernels.current()
'numpy'
>>> _ = kernels.use(previous)
"""

from __future__ import annotations

import os
from types import ModuleType

import numpy as np

from ..errors import InputValueError
from ..validation import check_choice
from . import reference

ENV_VARIABLE = "CHAPTER2_KERNELS"
CHOICES = ("auto", "numba", "numpy")

_choice: str | None = None          # set by use(); None: follow the environment variable
_implementation: ModuleType | None = None


def use(name: str | None) -> str | None:
    """Choose the kernels for this process: ``"auto"``, ``"numba"``, ``"numpy"``.

    ``None`` goes back to following ``CHAPTER2_KERNELS``. The choice takes effect
    at once (``"numba"`` imports numba now and fails if it cannot).

    Returns
    -------
    str or None
        The previous choice, so that ``use(previous)`` restores it.

    Raises
    ------
    InputValueError
        For another name, or for ``"numba"`` when numba cannot be imported.
    """
    global _choice, _implementation
    if name is not None:
        check_choice(name, "kernels", CHOICES)
    implementation = _load(name if name is not None else _from_environment())
    previous, _choice, _implementation = _choice, name, implementation
    return previous


def current() -> str:
    """The kernels in use, ``"numba"`` or ``"numpy"``; makes the choice if not yet made.

    Raises
    ------
    InputValueError
        If ``CHAPTER2_KERNELS`` holds an unknown name, or ``numba`` while numba
        cannot be imported.
    """
    return _active().NAME


def rmsprop_update(w: np.ndarray, g: np.ndarray, s: np.ndarray, a: np.ndarray | None,
                   m: np.ndarray | None, scratch: np.ndarray, learning_rate: float, rho: float,
                   epsilon: float, momentum: float) -> None:
    """One RMSprop step in place; see :func:`chapter2.kernels.reference.rmsprop_update`.

    Every array must have the shape and float dtype of ``w`` (a compiled loop
    would otherwise read and write past the end of a shorter one).

    Raises
    ------
    InputValueError
        For an array of another shape or dtype, named by its argument.

    Examples
    --------
    >>> w, g, s = np.ones(3), np.ones(3), np.zeros(2)
    >>> rmsprop_update(w, g, s, None, None, np.empty(3), 0.1, 0.9, 1e-7, 0.0)
    Traceback (most recent call last):
    ...
    chapter2.errors.InputValueError: rmsprop_update: s has shape (2,) and dtype float64, but w has shape (3,) and dtype float64; every state array must match w
    """
    _check_like(w, "rmsprop_update", g=g, s=s, a=a, m=m, scratch=scratch)
    _rmsprop_update(w, g, s, a, m, scratch, learning_rate, rho, epsilon, momentum)


def _rmsprop_update(w, g, s, a, m, scratch, learning_rate, rho, epsilon, momentum) -> None:
    # Unchecked: for callers that made every array like w (the optimizers).
    fused = _fused_for(w, g, s, a, m)
    if fused is None:
        reference.rmsprop_update(w, g, s, a, m, scratch, learning_rate, rho, epsilon, momentum)
        return
    t = w.dtype.type
    fused.rmsprop_update(w.reshape(-1), g.reshape(-1), s.reshape(-1), _flat(a), _flat(m),
                         t(learning_rate), t(rho), t(1 - rho), t(epsilon), t(momentum))


def sgd_update(w: np.ndarray, g: np.ndarray, v: np.ndarray | None, scratch: np.ndarray,
               learning_rate: float, momentum: float, nesterov: bool) -> None:
    """One SGD step in place; see :func:`chapter2.kernels.reference.sgd_update`.

    Every array must have the shape and float dtype of ``w``.

    Raises
    ------
    InputValueError
        For an array of another shape or dtype, named by its argument.
    """
    _check_like(w, "sgd_update", g=g, v=v, scratch=scratch)
    _sgd_update(w, g, v, scratch, learning_rate, momentum, nesterov)


def _sgd_update(w, g, v, scratch, learning_rate, momentum, nesterov) -> None:
    # Unchecked: for callers that made every array like w (the optimizers).
    fused = _fused_for(w, g, v)
    if fused is None:
        reference.sgd_update(w, g, v, scratch, learning_rate, momentum, nesterov)
        return
    t = w.dtype.type
    fused.sgd_update(w.reshape(-1), g.reshape(-1), _flat(v), t(learning_rate), t(momentum),
                     bool(nesterov))


def relu_backward(out: np.ndarray, grad_out: np.ndarray) -> np.ndarray:
    """``grad_out`` where ``out > 0``, else 0, as a new array."""
    fused = _fused_for(out, grad_out) if out.shape == grad_out.shape else None
    if fused is None:
        return reference.relu_backward(out, grad_out)
    grad_z = np.empty_like(grad_out)
    fused.relu_backward(out.reshape(-1), grad_out.reshape(-1), grad_z.reshape(-1))
    return grad_z


def column_sums(x: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Sum over the rows of ``x`` (batch, units) into ``out`` (units,), returned."""
    fused = _fused_for(x, out) if x.ndim == 2 and out.shape == x.shape[1:] else None
    if fused is None:
        return reference.column_sums(x, out)
    fused.column_sums(x, out)
    return out


def _check_like(w: np.ndarray, function: str, **arrays: np.ndarray | None) -> None:
    """Refuse arrays that are not float arrays of ``w``'s shape and dtype."""
    if not isinstance(w, np.ndarray) or w.dtype.kind != "f" or not w.flags.writeable:
        raise InputValueError(f"{function}: w must be a writable float array, got {_describe(w)}")
    for name, array in arrays.items():
        if array is None and name in ("a", "m", "v"):
            continue
        # The gradient may be of another float dtype (it is cast); state arrays are written in place.
        dtype_ok = array.dtype.kind == "f" if name == "g" and isinstance(array, np.ndarray) else (
            isinstance(array, np.ndarray) and array.dtype == w.dtype)
        if not isinstance(array, np.ndarray) or array.shape != w.shape or not dtype_ok:
            raise InputValueError(
                f"{function}: {name} has {_describe(array)}, but w has {_describe(w)}; "
                "every state array must match w")


def _describe(array) -> str:
    if isinstance(array, np.ndarray):
        return f"shape {array.shape} and dtype {array.dtype}"
    return f"type {type(array).__name__}"


def _active() -> ModuleType:
    global _implementation
    if _implementation is None:
        _implementation = _load(_choice if _choice is not None else _from_environment())
    return _implementation


def _from_environment() -> str:
    value = os.environ.get(ENV_VARIABLE, "").strip().lower() or "auto"
    if value not in CHOICES:
        raise InputValueError(
            f"the environment variable {ENV_VARIABLE} is {os.environ[ENV_VARIABLE]!r}; "
            f"set it to one of {list(CHOICES)} or unset it")
    return value


def _load(name: str) -> ModuleType:
    if name == "numpy":
        return reference
    try:
        from . import fused
    except ImportError as exc:
        if name == "numba":
            raise InputValueError(
                f"the fused kernels need numba, which cannot be imported here ({exc}); install it "
                f"with pip install \"chapter2[fast]\", or choose 'auto' or 'numpy'") from None
        return reference
    return fused


def _fused_for(*arrays: np.ndarray | None) -> ModuleType | None:
    """The fused module if it is active and can take these arrays, else None.

    The loops need plain, C-contiguous, writable float32 or float64 arrays of one
    dtype; anything else (a strided view, mixed dtypes) takes the NumPy path,
    which handles every layout.
    """
    implementation = _active()
    if implementation is reference:
        return None
    dtype = arrays[0].dtype
    if dtype != np.float32 and dtype != np.float64:
        return None
    for array in arrays:
        if array is None:
            continue
        if (type(array) is not np.ndarray or array.dtype != dtype
                or not array.flags.c_contiguous or not array.flags.writeable):
            return None
    return implementation


def _flat(array: np.ndarray | None) -> np.ndarray | None:
    return None if array is None else array.reshape(-1)


__all__ = ["use", "current", "rmsprop_update", "sgd_update", "relu_backward", "column_sums",
           "ENV_VARIABLE", "CHOICES"]
