"""Mini-batch training of an autodiff network, the same loop the engine runs.

Introduced in notebook 08 (section 2.4.4).

One step: forget old gradients, run the forward pass (which records the
graph), ``loss.backward()``, then let the optimizer move every weight. The
optimizer is the engine's own (``chapter2.optimizers``), so the only thing
that differs from ``model.fit`` is how the gradients are found.
"""

from __future__ import annotations

import numpy as np

from .. import optimizers
from ..progress import ProgressBar
from ..seeding import generator
from ..validation import check_consistent_length, check_int
from .losses import softmax_cross_entropy
from .nn import Network


def fit(net: Network, x: np.ndarray, y: np.ndarray, epochs: int = 5, batch_size: int = 128,
        optimizer: str | optimizers.Optimizer = "rmsprop", shuffle: bool = True,
        verbose: int = 0) -> dict[str, list[float]]:
    """Train ``net`` with softmax cross-entropy, like ``model.fit``.

    Parameters
    ----------
    net : Network
    x : ndarray, shape (n, features)
    y : ndarray, shape (n, classes) one-hot, or (n,) integer labels
    epochs, batch_size : int
    optimizer : str or chapter2.optimizers.Optimizer, default "rmsprop"
        ``"rmsprop"`` is Keras's default: learning rate 1e-3, rho 0.9, epsilon 1e-7.
    shuffle : bool
        Shuffle the samples before every epoch, drawing the order from
        chapter2's generator exactly as ``model.fit`` does.
    verbose : {0, 1, 2}
        Progress output, as in ``model.fit``.

    Returns
    -------
    dict
        ``{"loss": [mean training loss of every epoch]}``.

    Examples
    --------
    >>> from chapter2.autodiff.nn import Network, Dense
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(64, 2)).astype("float32")
    >>> labels = (x[:, 0] > 0).astype(int)
    >>> net = Network([Dense(2, 2)])
    >>> history = fit(net, x, labels, epochs=20, batch_size=16, optimizer="sgd")
    >>> history["loss"][-1] < history["loss"][0]
    True
    """
    epochs = check_int(epochs, "epochs", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    check_consistent_length({"x": x, "y": y})
    optimizer = optimizers.get(optimizer)
    params = net.parameters()
    steps = -(-len(x) // batch_size)
    history: dict[str, list[float]] = {"loss": []}
    for epoch in range(epochs):
        order = generator().permutation(len(x)) if shuffle else np.arange(len(x))
        if verbose:
            print(f"Epoch {epoch + 1}/{epochs}")
        bar = ProgressBar(steps, verbose=verbose)
        total = 0.0
        for step in range(steps):
            batch = order[step * batch_size:(step + 1) * batch_size]
            net.zero_grad()
            loss = softmax_cross_entropy(net(x[batch]), y[batch])
            loss.backward()
            optimizer.apply([p.grad for p in params], [p.data for p in params])
            total += loss.item() * len(batch)
            bar.update(step + 1, {"loss": total / ((step + 1) * batch_size)})
        history["loss"].append(total / len(x))
        bar.finish({"loss": history["loss"][-1]})
    return history


def accuracy(net: Network, x: np.ndarray, labels: np.ndarray) -> float:
    """Fraction of samples whose largest logit is the true class.

    ``labels`` may be integer classes (n,) or one-hot rows (n, classes).

    Examples
    --------
    >>> from chapter2.autodiff.nn import Network, Dense
    >>> net = Network([Dense(2, 2)])
    >>> net.set_weights([np.eye(2), np.zeros(2)])
    >>> accuracy(net, np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]]), np.array([0, 1, 0]))
    0.6666666666666666
    """
    labels = np.asarray(labels)
    if labels.ndim == 2:
        labels = labels.argmax(axis=1)
    return float(np.mean(net.predict(x).argmax(axis=1) == labels))


__all__ = ["fit", "accuracy"]
