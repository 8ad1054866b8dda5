"""The element-wise work of a training step as compiled loops (numba): one pass per array.

Importing this module imports numba, so only :mod:`chapter2.kernels` does it, on
first use. Each kernel is a plain loop over the elements: it reads every input
once and writes every output once, where NumPy makes a whole-array pass per
operation. Nothing is compiled here; numba compiles a kernel the first time it
is called with a new combination of argument types, and keeps the machine code
in its cache (the ``__pycache__`` folder beside this file when it is writable,
else numba's per-user cache folder, or ``NUMBA_CACHE_DIR`` when the user sets
it), so a later process loads it instead of compiling again.

The loops perform the floating-point operations of :mod:`chapter2.kernels.reference`
in the same order and precision (scalars arrive in the arrays' dtype, and
``error_model="numpy"`` lets a division follow IEEE rules, as NumPy's does, which
also lets the loop be vectorised), so both give the same numbers.

The functions here take flat (1-D, contiguous) arrays and scalars already
converted to the arrays' dtype; :mod:`chapter2.kernels` prepares both.
"""

from __future__ import annotations

import numba
import numpy as np

NAME = "numba"


def _compile_lazily(function):
    """``numba.njit`` with on-disk caching, or without it where no cache folder is writable."""
    try:
        return numba.njit(cache=True, error_model="numpy", nogil=True)(function)
    except RuntimeError:
        # numba found neither a writable __pycache__, nor a per-user cache
        # folder, nor NUMBA_CACHE_DIR: compile in every process instead.
        return numba.njit(cache=False, error_model="numpy", nogil=True)(function)


@_compile_lazily
def rmsprop_update(w, g, s, a, m, learning_rate, rho, one_minus_rho, epsilon, momentum):
    """RMSprop on flat arrays; ``a`` (centered) and ``m`` (momentum) may be None.

    numba compiles one version per combination of None and arrays, with the
    unused branches removed.
    """
    for i in range(w.size):
        gi = g[i]
        si = s[i] + one_minus_rho * (gi * gi - s[i])
        s[i] = si
        if a is not None:
            ai = a[i] * rho + g[i] * one_minus_rho
            a[i] = ai
            denominator = (si - ai * ai) + epsilon
        else:
            denominator = si + epsilon
        step = gi / np.sqrt(denominator) * learning_rate
        if m is not None:
            mi = m[i] * momentum + step
            m[i] = mi
            w[i] -= mi
        else:
            w[i] -= step


@_compile_lazily
def sgd_update(w, g, v, learning_rate, momentum, nesterov):
    """SGD on flat arrays; ``v`` (the velocity) is None without momentum."""
    for i in range(w.size):
        step = g[i] * learning_rate
        if v is None:
            w[i] -= step
        else:
            vi = v[i] * momentum - step
            v[i] = vi
            if nesterov:
                w[i] += vi * momentum - g[i] * learning_rate
            else:
                w[i] += vi


@_compile_lazily
def relu_backward(out, grad_out, grad_z):
    """``grad_z = grad_out`` where ``out > 0``, else 0, on flat arrays."""
    for i in range(out.size):
        # A product, not a choice, so that NaN and the sign of zero come out as in NumPy.
        grad_z[i] = grad_out[i] * (out[i] > 0)


@_compile_lazily
def column_sums(x, out):
    """Sum over the rows of a C-contiguous (batch, units) ``x``, row after row, as NumPy does."""
    rows, units = x.shape
    for j in range(units):
        out[j] = 0
    for r in range(rows):
        for j in range(units):
            out[j] += x[r, j]


__all__ = ["NAME", "rmsprop_update", "sgd_update", "relu_backward", "column_sums"]
