"""Reverse-mode automatic differentiation over NumPy arrays (section 2.4.4, notebook 08).

Small enough to read in one sitting, one idea per module, and pure NumPy
(importing it loads neither matplotlib nor ipywidgets):

* ``tensor``    -- ``Tensor``: every operation records its inputs and a closure
  with its local derivative; ``backward()`` applies the chain rule in reverse
  topological order.
* ``losses``    -- ``softmax_cross_entropy``, stable because it works from logits.
* ``custom``    -- ``elementwise_op``: a new operation from a forward and a backward function.
* ``snapshots`` -- ``backward_snapshots``: the backward pass recorded node by node.
* ``nn``        -- ``Dense``, ``Network``, ``mnist_network``: the chapter's MNIST network.
* ``train``     -- ``fit`` and ``accuracy`` for such a network.

The pictures of a graph and the slider that walks its backward pass are in
:mod:`chapter2.plotting.graph` (``draw_graph``, ``draw_backward_step``,
``backward_stepper``).

Example
-------
>>> from chapter2.autodiff import Tensor
>>> x = Tensor([1.0, 2.0, 3.0], label="x")
>>> loss = (x * x).mean()
>>> loss.backward()
>>> x.grad.round(4)
array([0.6667, 1.3333, 2.    ])
"""

from ..errors import NotInChapter2Error
from .custom import elementwise_op
from .losses import softmax_cross_entropy
from .nn import Dense, Network, glorot_uniform, mnist_network
from .snapshots import Snapshot, backward_snapshots
from .tensor import BackwardError, Tensor
from .train import accuracy, fit

__all__ = [
    "Tensor", "BackwardError", "softmax_cross_entropy", "elementwise_op",
    "Snapshot", "backward_snapshots",
    "Dense", "Network", "glorot_uniform", "mnist_network", "fit", "accuracy",
]

_MOVED = {"draw_graph", "draw_backward_step", "backward_stepper"}


def __getattr__(name: str):
    if name in _MOVED:
        raise NotInChapter2Error(
            f"chapter2.autodiff.{name} moved to chapter2.plotting.graph (autodiff is pure NumPy): "
            f"from chapter2.plotting.graph import {name}")
    raise AttributeError(f"module 'chapter2.autodiff' has no attribute {name!r}")
