"""The chapter's first network, rebuilt from scratch in plain NumPy.

Introduced in notebook 09 ("Looking back at the first example", section 2.5).
Where ``chapter2.models`` wraps the work in classes, this module spells out
every step as a short function on plain arrays, so the whole training loop can
be read top to bottom:

1. ``init_params``: the weight tensors, Glorot-uniform kernels and zero biases;
2. ``forward``: ``Dense(512, relu)`` then ``Dense(10, softmax)``;
3. ``crossentropy``: how wrong the predicted probabilities are;
4. ``backward``: the gradient of that loss for every weight (the chain rule);
5. ``rmsprop_step``: move every weight a little against its gradient;
6. ``train``: repeat 2-5 on shuffled batches, for a number of epochs.

It follows the same rules as Keras (and ``chapter2``): the cross-entropy clips
probabilities to ``[1e-7, 1 - 1e-7]``, and RMSprop updates
``v = rho * v + (1 - rho) * g**2`` then ``w -= lr * g / sqrt(v + eps)``.

Parameters are kept in a dict, ``{"W1", "b1", "W2", "b2"}``, so a reader can
print and poke at each tensor by name.
"""

from __future__ import annotations

from typing import Callable, Iterator

import numpy as np

from .errors import InputTypeError, InputValueError

Params = dict[str, np.ndarray]

#: Probabilities are clipped to [EPSILON, 1 - EPSILON] before the log, as Keras does.
EPSILON = 1e-7


def init_params(rng: np.random.Generator, sizes: tuple[int, int, int] = (784, 512, 10),
                dtype: str = "float32") -> Params:
    """Create the weights of a two-layer network.

    Each kernel is drawn uniformly from ``[-limit, limit]`` with
    ``limit = sqrt(6 / (fan_in + fan_out))`` (Glorot uniform, Keras's default),
    and each bias starts at zero.

    Parameters
    ----------
    rng : numpy.random.Generator
        Where the random numbers come from (seed it for reproducible weights).
    sizes : (int, int, int)
        Inputs, hidden units and classes.
    dtype : str
        Floating-point type of the weights.

    Returns
    -------
    dict
        ``W1`` (inputs, hidden), ``b1`` (hidden,), ``W2`` (hidden, classes),
        ``b2`` (classes,).

    Examples
    --------
    >>> params = init_params(np.random.default_rng(0), sizes=(4, 3, 2))
    >>> {name: p.shape for name, p in params.items()}
    {'W1': (4, 3), 'b1': (3,), 'W2': (3, 2), 'b2': (2,)}
    """
    if not isinstance(rng, np.random.Generator):
        raise InputTypeError(
            f"rng must be a numpy Generator, e.g. np.random.default_rng(0), got {type(rng).__name__}")
    if len(sizes) != 3 or any(int(n) < 1 for n in sizes):
        raise InputValueError(f"sizes must be three positive integers (inputs, hidden, classes), got {sizes}")
    n_in, n_hidden, n_out = (int(n) for n in sizes)
    return {
        "W1": _glorot_uniform(rng, n_in, n_hidden).astype(dtype),
        "b1": np.zeros(n_hidden, dtype=dtype),
        "W2": _glorot_uniform(rng, n_hidden, n_out).astype(dtype),
        "b2": np.zeros(n_out, dtype=dtype),
    }


def _glorot_uniform(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


def relu(z: np.ndarray) -> np.ndarray:
    """``max(z, 0)`` element by element.

    Examples
    --------
    >>> relu(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 3.])
    """
    return np.maximum(z, 0)


def softmax(z: np.ndarray) -> np.ndarray:
    """Turn each row of scores, shape (batch, classes), into probabilities summing to 1.

    Subtracting each row's maximum first changes nothing mathematically but
    keeps ``exp`` from overflowing.

    Examples
    --------
    >>> softmax(np.array([[0.0, np.log(3.0)]]))
    array([[0.25, 0.75]])
    """
    exps = np.exp(z - z.max(axis=1, keepdims=True))
    return exps / exps.sum(axis=1, keepdims=True)


def forward(params: Params, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Run a batch through both layers.

    Parameters
    ----------
    params : dict
        As made by :func:`init_params`.
    x : ndarray, shape (batch, inputs)

    Returns
    -------
    probs : ndarray, shape (batch, classes)
        Softmax probabilities.
    hidden : ndarray, shape (batch, hidden)
        The relu layer's output, which :func:`backward` needs.

    Examples
    --------
    >>> params = init_params(np.random.default_rng(0), sizes=(4, 3, 2))
    >>> probs, hidden = forward(params, np.ones((5, 4), dtype="float32"))
    >>> probs.shape, hidden.shape, bool(np.allclose(probs.sum(axis=1), 1))
    ((5, 2), (5, 3), True)
    """
    hidden = relu(x @ params["W1"] + params["b1"])
    probs = softmax(hidden @ params["W2"] + params["b2"])
    return probs, hidden


def crossentropy(probs: np.ndarray, targets: np.ndarray) -> float:
    """Mean categorical cross-entropy of a batch: average of ``-sum(t * log(p))``.

    Parameters
    ----------
    probs : ndarray, shape (batch, classes)
    targets : ndarray, shape (batch, classes)
        One-hot labels.

    Examples
    --------
    >>> round(crossentropy(np.array([[0.5, 0.5]]), np.array([[0.0, 1.0]])), 4)
    0.6931
    """
    clipped = np.clip(probs, EPSILON, 1 - EPSILON)
    return float(np.mean(-np.sum(targets * np.log(clipped), axis=1)))


def backward(params: Params, x: np.ndarray, hidden: np.ndarray, probs: np.ndarray,
             targets: np.ndarray) -> Params:
    """Gradient of the mean cross-entropy with respect to every parameter.

    The chain rule, from the loss back to the input layer:

    * softmax followed by cross-entropy: ``dL/dscores = (probs - targets) / batch``;
    * second layer: ``dW2 = hidden.T @ dscores``, ``db2 = sum of dscores``;
    * into the hidden layer: ``dhidden = dscores @ W2.T``, zeroed where relu was off;
    * first layer: ``dW1 = x.T @ dpre``, ``db1 = sum of dpre``.

    Parameters
    ----------
    params : dict
    x : ndarray, shape (batch, inputs)
    hidden, probs : ndarray
        What :func:`forward` returned for ``x``.
    targets : ndarray, shape (batch, classes)

    Returns
    -------
    dict
        One gradient per parameter, same names and shapes.

    Examples
    --------
    >>> params = init_params(np.random.default_rng(0), sizes=(4, 3, 2))
    >>> x, t = np.ones((5, 4), dtype="float32"), np.eye(2, dtype="float32")[[0, 1, 0, 1, 1]]
    >>> probs, hidden = forward(params, x)
    >>> grads = backward(params, x, hidden, probs, t)
    >>> {name: g.shape for name, g in grads.items()}
    {'W1': (4, 3), 'b1': (3,), 'W2': (3, 2), 'b2': (2,)}
    """
    d_scores = (probs - targets) / len(x)
    d_hidden = (d_scores @ params["W2"].T) * (hidden > 0)
    return {
        "W1": x.T @ d_hidden,
        "b1": d_hidden.sum(axis=0),
        "W2": hidden.T @ d_scores,
        "b2": d_scores.sum(axis=0),
    }


def rmsprop_step(params: Params, grads: Params, state: Params, learning_rate: float = 1e-3,
                 rho: float = 0.9, epsilon: float = 1e-7) -> None:
    """Update every parameter in place with one RMSprop step.

    For each parameter ``w`` with gradient ``g``, a running average of squared
    gradients ``v`` (kept in ``state``) is updated, and the step is divided by
    its square root, so the size of a step does not depend on the scale of the
    gradient: multiplying every gradient by 100 leaves the steps almost
    unchanged (only the small ``epsilon`` tells them apart).
    The average starts at 0, so the first step is ``learning_rate / sqrt(1 - rho)``
    (about 3.2 times ``learning_rate`` for ``rho = 0.9``), larger than the steps
    that follow: as the average fills up, and as the gradients shrink relative
    to their recent size, the steps get smaller::

        v = rho * v + (1 - rho) * g**2
        w -= learning_rate * g / sqrt(v + epsilon)

    Parameters
    ----------
    params, grads : dict
        Parameters (changed in place) and their gradients.
    state : dict
        The running averages, by parameter name; pass the same (initially
        empty) dict at every step.
    learning_rate, rho, epsilon : float
        Keras's defaults.

    Examples
    --------
    >>> params, state = {"w": np.array([1.0])}, {}
    >>> rmsprop_step(params, {"w": np.array([0.5])}, state, learning_rate=0.1)
    >>> np.round(params["w"], 4)
    array([0.6838])
    """
    for name, g in grads.items():
        v = state.setdefault(name, np.zeros_like(g))
        v *= rho
        v += (1 - rho) * g * g
        params[name] -= learning_rate * g / np.sqrt(v + epsilon)


def batch_indices(n: int, batch_size: int, rng: np.random.Generator | None = None) -> Iterator[np.ndarray]:
    """Split ``range(n)`` into consecutive batches, shuffled first if ``rng`` is given.

    Examples
    --------
    >>> [b.tolist() for b in batch_indices(5, 2)]
    [[0, 1], [2, 3], [4]]
    """
    order = np.arange(n) if rng is None else rng.permutation(n)
    for start in range(0, n, batch_size):
        yield order[start:start + batch_size]


def train(params: Params, x: np.ndarray, targets: np.ndarray, *, epochs: int = 5,
          batch_size: int = 128, learning_rate: float = 1e-3, rng: np.random.Generator | None = None,
          on_epoch: Callable[[int, float, float], None] | None = None) -> dict[str, list[float]]:
    """Train the network in place: epochs of shuffled mini-batches, one RMSprop step per batch.

    Parameters
    ----------
    params : dict
        As made by :func:`init_params`; updated in place.
    x : ndarray, shape (samples, inputs)
        Training inputs, scaled to about [0, 1].
    targets : ndarray, shape (samples, classes)
        One-hot labels.
    epochs, batch_size : int
    learning_rate : float
    rng : numpy.random.Generator, optional
        Shuffles the samples before each epoch; ``None`` keeps their order.
    on_epoch : callable, optional
        Called as ``on_epoch(epoch, loss, accuracy)`` after each epoch
        (epochs counted from 1), e.g. to print progress.

    Returns
    -------
    dict
        ``"loss"`` and ``"accuracy"``: one value per epoch, each the average
        over that epoch's batches as they were trained (like Keras's ``fit``);
        ``"batch_loss"``: the loss of every batch, in order.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.random((64, 4), dtype="float32"); t = np.eye(2, dtype="float32")[(x[:, 0] > 0.5).astype(int)]
    >>> params = init_params(rng, sizes=(4, 8, 2))
    >>> history = train(params, x, t, epochs=3, batch_size=16, learning_rate=0.01)
    >>> len(history["loss"]), len(history["batch_loss"])
    (3, 12)
    """
    _check_training_data(params, x, targets, epochs, batch_size)
    history: dict[str, list[float]] = {"loss": [], "accuracy": [], "batch_loss": []}
    state: Params = {}
    for epoch in range(1, epochs + 1):
        loss_sum = correct = 0.0
        for index in batch_indices(len(x), batch_size, rng):
            xb, tb = x[index], targets[index]
            probs, hidden = forward(params, xb)
            loss = crossentropy(probs, tb)
            grads = backward(params, xb, hidden, probs, tb)
            rmsprop_step(params, grads, state, learning_rate)
            history["batch_loss"].append(loss)
            loss_sum += loss * len(index)
            correct += np.sum(probs.argmax(axis=1) == tb.argmax(axis=1))
        history["loss"].append(loss_sum / len(x))
        history["accuracy"].append(float(correct) / len(x))
        if on_epoch is not None:
            on_epoch(epoch, history["loss"][-1], history["accuracy"][-1])
    return history


def predict(params: Params, x: np.ndarray, batch_size: int = 1000) -> np.ndarray:
    """Class probabilities for every sample, shape (samples, classes), computed batch by batch.

    Examples
    --------
    >>> params = init_params(np.random.default_rng(0), sizes=(4, 3, 2))
    >>> predict(params, np.zeros((7, 4), dtype="float32")).shape
    (7, 2)
    """
    return np.concatenate([forward(params, x[start:start + batch_size])[0]
                           for start in range(0, len(x), batch_size)])


def evaluate(params: Params, x: np.ndarray, targets: np.ndarray) -> tuple[float, float]:
    """Mean loss and accuracy on a data set, as ``model.evaluate`` reports them.

    Examples
    --------
    >>> params = init_params(np.random.default_rng(0), sizes=(4, 3, 2))
    >>> loss, acc = evaluate(params, np.zeros((2, 4), dtype="float32"), np.eye(2, dtype="float32"))
    >>> round(loss, 4), acc
    (0.6931, 0.5)
    """
    probs = predict(params, x)
    accuracy = float(np.mean(probs.argmax(axis=1) == targets.argmax(axis=1)))
    return crossentropy(probs, targets), accuracy


def _check_training_data(params: Params, x: np.ndarray, targets: np.ndarray, epochs: int,
                         batch_size: int) -> None:
    missing = {"W1", "b1", "W2", "b2"} - set(params)
    if missing:
        raise InputValueError(f"params lacks {sorted(missing)}; create it with init_params")
    if x.ndim != 2 or x.shape[1] != params["W1"].shape[0]:
        raise InputValueError(
            f"x must have shape (samples, {params['W1'].shape[0]}), got {x.shape}; "
            "flatten images first, e.g. x.reshape(len(x), -1)")
    if targets.shape != (len(x), params["W2"].shape[1]):
        raise InputValueError(
            f"targets must be one-hot with shape ({len(x)}, {params['W2'].shape[1]}), got {targets.shape}; "
            "use chapter2.utils.to_categorical(labels)")
    for name, value in (("epochs", epochs), ("batch_size", batch_size)):
        if not isinstance(value, (int, np.integer)) or value < 1:
            raise InputValueError(f"{name} must be a positive integer, got {value!r}")


__all__ = ["init_params", "relu", "softmax", "forward", "crossentropy", "backward",
           "rmsprop_step", "batch_indices", "train", "predict", "evaluate"]
