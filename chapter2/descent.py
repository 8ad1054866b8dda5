"""Gradient descent, small enough to read in one sitting (sections 2.4.1-2.4.3).

Three groups of functions, used by notebooks 06 and 07:

- ``numerical_derivative`` and ``gradient_descent``: the slope of a curve,
  and the walk downhill that repeats "step against the slope";
- example landscapes with their exact gradients: ``bowl`` (a long narrow
  valley, where the learning rate matters), ``bumpy`` (a curve with a false
  minimum, where momentum matters) and ``two_valleys`` (the same in 2-D);
- a tiny learning problem: fit a line to noisy points with mini-batch
  stochastic gradient descent (``make_regression``, ``linear_loss``,
  ``linear_loss_grad``, ``sgd_step``, ``minibatch_sgd``).

Everything random takes a ``seed``; nothing keeps state between calls.
The landscapes take points of shape ``(..., 2)`` (or any array for the 1-D
``bumpy``), so a whole grid can be evaluated at once for a contour plot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .errors import InputValueError
from .gradcheck import numerical_gradient
from .validation import as_numeric_array, check_consistent_length, check_float, check_int


# --------------------------------------------------------------------------
# Slopes and the walk downhill
# --------------------------------------------------------------------------

def numerical_derivative(f: Callable[[float], float], x: float, eps: float = 1e-6) -> float:
    """The slope of ``f`` at ``x``, measured by central differences.

    A thin wrapper: ``chapter2.gradcheck.numerical_gradient`` does the work on
    a one-element array.

    Examples
    --------
    >>> round(numerical_derivative(lambda x: x ** 3, 2.0), 6)
    12.0
    """
    point = np.array([check_float(x, "x")])
    return float(numerical_gradient(lambda v: f(float(v[0])), point, eps=eps)[0])


def gradient_descent(grad: Callable[[np.ndarray], np.ndarray], start: float | np.ndarray,
                     lr: float, steps: int, momentum: float = 0.0) -> np.ndarray:
    """Walk downhill: repeatedly step against the gradient, and return every position.

    Each step (the same rule as Keras' ``SGD``)::

        velocity = momentum * velocity - lr * grad(position)
        position = position + velocity

    With ``momentum=0`` this is plain gradient descent; with momentum the walker
    keeps part of its previous step, like a ball rolling with inertia.

    Parameters
    ----------
    grad : callable
        Takes a position (a float64 array shaped like ``start``) and returns the
        gradient there, same shape.
    start : float or array_like, shape (d,)
        Where the walk begins.
    lr : float
        Learning rate (step size), > 0.
    steps : int
        Number of steps, >= 0.
    momentum : float
        In [0, 1).

    Returns
    -------
    ndarray, shape (steps + 1,) for a float ``start``, else (steps + 1, d)
        Row 0 is ``start``. If a position overflows (the learning rate was far
        too large), the remaining rows are NaN.

    Examples
    --------
    >>> gradient_descent(lambda x: 2 * x, start=1.0, lr=0.25, steps=3)
    array([1.   , 0.5  , 0.25 , 0.125])
    """
    position = _as_start(start)
    lr = check_float(lr, "lr", minimum=0.0, include_boundaries="neither")
    steps = check_int(steps, "steps", minimum=0)
    momentum = check_float(momentum, "momentum", minimum=0.0, maximum=1.0, include_boundaries="left")
    path = np.full((steps + 1,) + position.shape, np.nan)
    path[0] = position
    velocity = np.zeros_like(position)
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(1, steps + 1):
            slope = _gradient_at(grad, position)
            velocity = momentum * velocity - lr * slope
            position = position + velocity
            if not np.all(np.isfinite(position)):
                break  # diverged: the rest of the path stays NaN
            path[step] = position
    return path


# --------------------------------------------------------------------------
# Example landscapes, each with its exact gradient
# --------------------------------------------------------------------------

def bowl(p: np.ndarray) -> np.ndarray:
    """A long, narrow valley: ``(x**2 + 10 * y**2) / 2``, lowest (0) at the origin.

    Ten times steeper across (y) than along (x), so a learning rate above 0.2
    makes the walk jump from wall to wall ever higher, while a small one
    crawls along the valley floor.

    Parameters
    ----------
    p : array_like, shape (..., 2)

    Returns
    -------
    ndarray, shape (...)

    Examples
    --------
    >>> float(bowl(np.array([2.0, 1.0])))
    7.0
    """
    x, y = _xy(p)
    return 0.5 * (x * x + 10.0 * y * y)


def bowl_grad(p: np.ndarray) -> np.ndarray:
    """Gradient of ``bowl``: ``(x, 10 y)``, shape like ``p``.

    Examples
    --------
    >>> bowl_grad(np.array([2.0, 1.0]))
    array([ 2., 10.])
    """
    x, y = _xy(p)
    return np.stack([x, 10.0 * y], axis=-1)


def bumpy(x: np.ndarray) -> np.ndarray:
    """A curve with two dips: ``x**4 / 4 - x**2 + x / 2``.

    The deep (global) minimum is near x = -1.53, a shallow (local) one near
    x = 1.27, and a hump near x = 0.26 separates them.

    Examples
    --------
    >>> round(float(bumpy(2.0)), 6)
    1.0
    """
    x = np.asarray(x, dtype=np.float64)
    # products rather than ** so the values are bit-identical on every CPU
    return x * x * x * x / 4.0 - x * x + x / 2.0


def bumpy_grad(x: np.ndarray) -> np.ndarray:
    """Derivative of ``bumpy``: ``x**3 - 2 x + 1/2``.

    Examples
    --------
    >>> float(bumpy_grad(2.0))
    4.5
    """
    x = np.asarray(x, dtype=np.float64)
    return x * x * x - 2.0 * x + 0.5


def two_valleys(p: np.ndarray) -> np.ndarray:
    """``bumpy`` along x plus a parabola along y: a deep valley left, a shallow one right.

    Parameters
    ----------
    p : array_like, shape (..., 2)

    Returns
    -------
    ndarray, shape (...)

    Examples
    --------
    >>> round(float(two_valleys(np.array([2.0, 1.0]))), 6)
    2.0
    """
    x, y = _xy(p)
    return bumpy(x) + y * y


def two_valleys_grad(p: np.ndarray) -> np.ndarray:
    """Gradient of ``two_valleys``: ``(bumpy_grad(x), 2 y)``, shape like ``p``.

    Examples
    --------
    >>> two_valleys_grad(np.array([2.0, 1.0]))
    array([4.5, 2. ])
    """
    x, y = _xy(p)
    return np.stack([bumpy_grad(x), 2.0 * y], axis=-1)


# --------------------------------------------------------------------------
# A tiny learning problem: fit a line with mini-batch SGD
# --------------------------------------------------------------------------

def make_regression(n: int = 100, weights: tuple[float, ...] = (2.0,), bias: float = -1.0,
                    noise: float = 0.3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Noisy samples of a known linear function ``y = x @ weights + bias + noise``.

    Parameters
    ----------
    n : int
        Number of samples.
    weights : sequence of float, length d
        The true weights (one per feature).
    bias : float
        The true bias.
    noise : float
        Standard deviation of the Gaussian noise added to ``y``.
    seed : int
        Seed of the random generator.

    Returns
    -------
    x : ndarray, shape (n, d), features uniform in [-1, 1]
    y : ndarray, shape (n,)

    Examples
    --------
    >>> x, y = make_regression(n=5, seed=0)
    >>> x.shape, y.shape
    ((5, 1), (5,))
    """
    n = check_int(n, "n", minimum=1)
    true_w = as_numeric_array(weights, "weights", finite=True, dtype=np.float64).reshape(-1)
    bias, noise = check_float(bias, "bias"), check_float(noise, "noise", minimum=0.0)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=(n, true_w.size))
    y = x @ true_w + bias + noise * rng.standard_normal(n)
    return x, y


def linear_loss(params: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    """Mean squared error of the line ``x @ w + b``, with ``params = [w..., b]``.

    Keeping weights and bias in one vector makes the loss a function of a
    single tensor, the setting of the gradient.

    Parameters
    ----------
    params : ndarray, shape (d + 1,)
        The weights followed by the bias.
    x : ndarray, shape (n, d)
    y : ndarray, shape (n,)

    Returns
    -------
    float

    Examples
    --------
    >>> linear_loss(np.array([2.0, 1.0]), np.array([[1.0], [0.0]]), np.array([3.0, 0.0]))
    0.5
    """
    _, error = _residual(params, x, y)
    return float(np.mean(error * error))


def linear_loss_grad(params: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Gradient of ``linear_loss`` with respect to ``params``, shape (d + 1,).

    With ``e = x @ w + b - y``: ``d loss / d w = 2 x.T @ e / n`` and
    ``d loss / d b = 2 mean(e)``.

    Examples
    --------
    >>> linear_loss_grad(np.array([2.0, 1.0]), np.array([[1.0], [0.0]]), np.array([3.0, 0.0]))
    array([0., 1.])
    """
    x, error = _residual(params, x, y)
    return np.append(2.0 * x.T @ error / len(error), 2.0 * error.mean())


def sgd_step(params: np.ndarray, x_batch: np.ndarray, y_batch: np.ndarray,
             lr: float) -> tuple[np.ndarray, float]:
    """One step of SGD on one batch: measure the loss, then move against its gradient.

    Returns
    -------
    new_params : ndarray, shape (d + 1,)
    loss : float
        The batch loss *before* the step.

    Examples
    --------
    >>> new, loss = sgd_step(np.array([2.0, 1.0]), np.array([[1.0], [0.0]]), np.array([3.0, 0.0]), lr=0.5)
    >>> new, loss
    (array([2. , 0.5]), 0.5)
    """
    lr = check_float(lr, "lr", minimum=0.0, include_boundaries="neither")
    loss = linear_loss(params, x_batch, y_batch)
    return params - lr * linear_loss_grad(params, x_batch, y_batch), loss


@dataclass(frozen=True)
class SGDRun:
    """What ``minibatch_sgd`` saw along the way.

    Attributes
    ----------
    path : ndarray, shape (steps + 1, d + 1)
        The parameters before the first step and after every step.
    batch_losses : ndarray, shape (steps,)
        The loss on each step's batch, measured before that step.
    epoch_losses : ndarray, shape (epochs + 1,)
        The loss on the whole data set before training and after each epoch.
    """

    path: np.ndarray
    batch_losses: np.ndarray
    epoch_losses: np.ndarray

    @property
    def params(self) -> np.ndarray:
        """The final parameters ``[w..., b]``."""
        return self.path[-1]


def minibatch_sgd(x: np.ndarray, y: np.ndarray, lr: float = 0.1, batch_size: int = 16,
                  epochs: int = 5, seed: int = 0, start: np.ndarray | None = None) -> SGDRun:
    """Fit ``y ~ x @ w + b`` by mini-batch stochastic gradient descent.

    Each epoch shuffles the samples (with a generator seeded by ``seed``), cuts
    them into batches of ``batch_size`` (the last one may be smaller) and takes
    one ``sgd_step`` per batch.

    Parameters
    ----------
    x : ndarray, shape (n, d)
    y : ndarray, shape (n,)
    lr : float
        Learning rate, > 0.
    batch_size : int
        Samples per step, >= 1.
    epochs : int
        Passes over the data, >= 1.
    seed : int
        Seed of the shuffling.
    start : ndarray, shape (d + 1,), optional
        Initial parameters; zeros by default.

    Returns
    -------
    SGDRun

    Examples
    --------
    >>> x, y = make_regression(n=64, noise=0.0, seed=0)
    >>> run = minibatch_sgd(x, y, lr=0.3, batch_size=8, epochs=30, seed=0)
    >>> np.round(run.params, 3)
    array([ 2., -1.])
    """
    x, y = _as_xy(x, y)
    lr = check_float(lr, "lr", minimum=0.0, include_boundaries="neither")
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    epochs = check_int(epochs, "epochs", minimum=1)
    params = np.zeros(x.shape[1] + 1) if start is None else np.array(start, dtype=np.float64)
    if params.shape != (x.shape[1] + 1,):
        raise InputValueError(f"start must have shape ({x.shape[1] + 1},) (weights then bias), got {params.shape}")
    rng = np.random.default_rng(seed)
    path, batch_losses, epoch_losses = [params], [], [linear_loss(params, x, y)]
    for _ in range(epochs):
        order = rng.permutation(len(y))
        for begin in range(0, len(y), batch_size):
            batch = order[begin:begin + batch_size]
            params, loss = sgd_step(params, x[batch], y[batch], lr)
            path.append(params)
            batch_losses.append(loss)
        epoch_losses.append(linear_loss(params, x, y))
    return SGDRun(np.array(path), np.array(batch_losses), np.array(epoch_losses))


# --------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------

def _as_start(start: float | np.ndarray) -> np.ndarray:
    position = as_numeric_array(start, "start", finite=True).astype(np.float64)
    if position.ndim > 1:
        raise InputValueError(
            f"start must be a finite number or a 1-D array of finite numbers, got shape {position.shape}")
    return position


def _gradient_at(grad: Callable[[np.ndarray], np.ndarray], position: np.ndarray) -> np.ndarray:
    slope = np.asarray(grad(position.copy()), dtype=np.float64)
    if slope.shape != position.shape:
        raise InputValueError(
            f"grad returned shape {slope.shape} at a position of shape {position.shape}; "
            "it must return one partial derivative per coordinate")
    return slope


def _xy(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = as_numeric_array(p, "p", dtype=np.float64)
    if p.ndim == 0 or p.shape[-1] != 2:
        raise InputValueError(f"a point of the plane must have shape (..., 2), got shape {p.shape}")
    return p[..., 0], p[..., 1]


def _residual(params: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``x`` as float64, and the errors ``x @ w + b - y`` of the line ``params``."""
    params = as_numeric_array(params, "params", dtype=np.float64)
    x, y = _as_xy(x, y)
    if params.shape != (x.shape[1] + 1,):
        raise InputValueError(
            f"params must have shape ({x.shape[1] + 1},) (one weight per feature, then the bias), "
            f"got {params.shape}")
    return x, x @ params[:-1] + params[-1] - y


def _as_xy(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = as_numeric_array(x, "x", dtype=np.float64)
    y = as_numeric_array(y, "y", dtype=np.float64)
    if x.ndim != 2 or y.ndim != 1:
        raise InputValueError(
            f"x must have shape (n, d) and y shape (n,), got x {x.shape} and y {y.shape}; "
            "for one feature use x.reshape(-1, 1)")
    check_consistent_length({"x": x, "y": y})
    return x, y


__all__ = [
    "numerical_derivative", "gradient_descent",
    "bowl", "bowl_grad", "bumpy", "bumpy_grad", "two_valleys", "two_valleys_grad",
    "make_regression", "linear_loss", "linear_loss_grad", "sgd_step", "SGDRun", "minibatch_sgd",
]
