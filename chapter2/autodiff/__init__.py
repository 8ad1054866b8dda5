"""Reverse-mode automatic differentiation over NumPy arrays (section 2.4.4, notebook 08).

Small enough to read in one sitting, one idea per module:

* ``tensor``  -- ``Tensor``: every operation records its inputs and a closure
  with its local derivative; ``backward()`` applies the chain rule in reverse
  topological order.
* ``losses``  -- ``softmax_cross_entropy``, stable because it works from logits.
* ``graph``   -- ``draw_graph``: a matplotlib picture of the computation graph.
* ``stepper`` -- ``backward_stepper``: a slider that walks the backward pass node by node.
* ``nn``      -- ``Dense``, ``Network``, ``mnist_network``: the chapter's MNIST network.
* ``train``   -- ``fit`` and ``accuracy`` for such a network.

Example
-------
>>> from chapter2.autodiff import Tensor
>>> x = Tensor([1.0, 2.0, 3.0], label="x")
>>> loss = (x * x).mean()
>>> loss.backward()
>>> x.grad.round(4)
array([0.6667, 1.3333, 2.    ])
"""

from .graph import draw_graph
from .losses import softmax_cross_entropy
from .nn import Dense, Network, glorot_uniform, mnist_network
from .stepper import Snapshot, backward_snapshots, backward_stepper, draw_backward_step
from .tensor import BackwardError, Tensor
from .train import accuracy, fit

__all__ = [
    "Tensor", "BackwardError", "softmax_cross_entropy", "draw_graph",
    "Snapshot", "backward_snapshots", "backward_stepper", "draw_backward_step",
    "Dense", "Network", "glorot_uniform", "mnist_network", "fit", "accuracy",
]
