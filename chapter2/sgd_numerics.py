"""The numerical side of SGD: how noisy a batch gradient is, and what an optimizer keeps in memory.

Notebook 07 uses these to show that the spread of a batch gradient around the
full gradient shrinks like ``1 / sqrt(batch size)`` (a little faster when the
batch is a large part of the data), and how many bytes each update rule keeps
per weight between steps.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .errors import InputValueError
from .validation import as_numeric_array, check_float, check_int

#: Arrays of the weights' shape each update rule keeps from one step to the next:
#: plain SGD keeps nothing, momentum its velocity, RMSprop its running mean square
#: of the gradients, Adam a running mean of the gradients and one of their squares.
STATE_ARRAYS = {"SGD": 0, "SGD with momentum": 1, "RMSprop": 1, "Adam": 2}


def batch_gradient_spread(grad: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
                          params: np.ndarray, x: np.ndarray, y: np.ndarray, batch_size: int,
                          draws: int = 1000, seed: int = 0) -> float:
    """Root-mean-square distance of batch gradients from the gradient on all the data.

    Each batch is drawn without repeats, as an epoch of SGD draws it.

    Parameters
    ----------
    grad : callable
        ``grad(params, x_batch, y_batch)``, the gradient of the loss on a batch, shape (p,).
    params : ndarray, shape (p,)
        Where the gradients are taken.
    x : ndarray, shape (n, d)
    y : ndarray, shape (n,)
    batch_size : int
        Samples per batch, at most ``n``.
    draws : int
        How many batches are drawn.
    seed : int
        Seed of the generator that draws them.

    Returns
    -------
    float
        ``sqrt(mean over batches of |grad(batch) - grad(all)|**2)``.

    Examples
    --------
    >>> from chapter2.descent import linear_loss_grad
    >>> x, y = np.array([[0.0], [1.0]]), np.array([0.0, 0.0])
    >>> batch_gradient_spread(linear_loss_grad, np.array([1.0, 0.0]), x, y, batch_size=2, draws=3)
    0.0
    """
    batch_size = check_int(batch_size, "batch_size", minimum=1, maximum=len(x))
    draws = check_int(draws, "draws", minimum=1)
    full = grad(params, x, y)
    rng = np.random.default_rng(seed)
    squared = [np.sum(np.square(grad(params, x[batch], y[batch]) - full))
               for batch in (rng.choice(len(x), size=batch_size, replace=False) for _ in range(draws))]
    return float(np.sqrt(np.mean(squared)))


def linear_sample_gradients(params: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The gradient of ``linear_loss`` on each sample alone, all at once.

    Parameters
    ----------
    params : ndarray, shape (d + 1,)
        The weights followed by the bias.
    x : ndarray, shape (n, d)
    y : ndarray, shape (n,)

    Returns
    -------
    ndarray, shape (n, d + 1)
        Row ``i`` is ``linear_loss_grad(params, x[i:i+1], y[i:i+1])``; their mean is the full gradient.

    Examples
    --------
    >>> linear_sample_gradients(np.array([2.0, 1.0]), np.array([[1.0], [0.0]]), np.array([3.0, 0.0]))
    array([[0., 0.],
           [0., 2.]])
    """
    x = np.asarray(x, dtype=np.float64)
    params = np.asarray(params, dtype=np.float64)
    error = x @ params[:-1] + params[-1] - np.asarray(y, dtype=np.float64)
    # One sample's squared error e**2 has gradient 2 e (x, 1) with respect to (w, b).
    return 2.0 * error[:, None] * np.column_stack([x, np.ones(len(error))])


def gradient_spread(sample_gradients: np.ndarray) -> float:
    """Root-mean-square distance of per-sample gradients from their mean, the full gradient.

    It is the spread of a batch of one sample, computed exactly from every
    sample instead of from random draws.

    Parameters
    ----------
    sample_gradients : ndarray, shape (n, p)
        One gradient per row, such as :func:`linear_sample_gradients` returns.

    Returns
    -------
    float

    Examples
    --------
    >>> gradient_spread(np.array([[1.0, 0.0], [-1.0, 0.0]]))
    1.0
    """
    sample_gradients = as_numeric_array(sample_gradients, "sample_gradients", finite=True, dtype=np.float64)
    if sample_gradients.ndim != 2 or len(sample_gradients) == 0:
        raise InputValueError(f"sample_gradients must have shape (n, p) with n >= 1, got {sample_gradients.shape}")
    deviations = sample_gradients - sample_gradients.mean(axis=0)
    return float(np.sqrt(np.mean(np.sum(np.square(deviations), axis=1))))


def expected_batch_spread(sample_spread: float, batch_size: int, n: int) -> float:
    """The root-mean-square spread of a batch gradient predicted from the spread of one sample's.

    For a batch of ``b`` samples drawn without repeats from ``n``, the mean of
    ``b`` sample gradients strays from the full gradient by
    ``sample_spread * sqrt((n - b) / (n - 1)) / sqrt(b)``: the familiar
    ``1 / sqrt(b)``, times a correction that matters only when the batch is a
    large part of the data (it is 0 when the batch is all of it).

    Parameters
    ----------
    sample_spread : float
        ``sqrt(mean over samples of |sample gradient - full gradient|**2)``.
    batch_size : int
        ``b``, from 1 to ``n``.
    n : int
        Number of samples, at least 2.

    Returns
    -------
    float

    Examples
    --------
    >>> print(f"{expected_batch_spread(2.0, 4, 100_000) * np.sqrt(4):.5f}")   # a small batch of much data: 1 / sqrt(b)
    1.99997
    >>> expected_batch_spread(2.0, 100, 100)                   # the whole data set: no noise left
    0.0
    """
    sample_spread = check_float(sample_spread, "sample_spread", minimum=0.0)
    n = check_int(n, "n", minimum=2)
    batch_size = check_int(batch_size, "batch_size", minimum=1, maximum=n)
    return float(sample_spread * np.sqrt((n - batch_size) / (n - 1) / batch_size))


def state_bytes(num_weights: int, itemsize: int = 4) -> dict[str, int]:
    """Bytes each update rule of :data:`STATE_ARRAYS` keeps between steps.

    Parameters
    ----------
    num_weights : int
        Number of trainable weights of the model.
    itemsize : int
        Bytes per number: 4 for float32, 8 for float64.

    Returns
    -------
    dict of str to int
        By rule name, in the order of :data:`STATE_ARRAYS`.

    Examples
    --------
    >>> state_bytes(10)
    {'SGD': 0, 'SGD with momentum': 40, 'RMSprop': 40, 'Adam': 80}
    """
    num_weights = check_int(num_weights, "num_weights", minimum=0)
    itemsize = check_int(itemsize, "itemsize", minimum=1)
    return {name: arrays * num_weights * itemsize for name, arrays in STATE_ARRAYS.items()}
