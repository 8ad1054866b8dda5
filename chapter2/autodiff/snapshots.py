"""Record a backward pass one node at a time, so it can be shown step by step.

Introduced in notebook 08 (section 2.4.4); the pictures and the slider that
walk through the recorded steps are in :mod:`chapter2.plotting.graph`.

The backward pass is recorded once, through the same ``Tensor.backward_steps``
that ``backward()`` uses, keeping a copy of every gradient after each step.
Step 0 is the seed (the output's gradient with respect to itself is 1); at
step k the k-th operation from the end has sent its output's gradient back to
its inputs.
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

import numpy as np

from ..errors import InputTypeError
from .tensor import Tensor


class Snapshot(NamedTuple):
    """The state of a backward pass after one step."""

    node: Tensor                           # the node whose gradient was just passed on
    grads: dict[int, np.ndarray | None]    # id(tensor) -> its gradient so far (None: nothing yet)
    text: str                              # one sentence saying what happened


def backward_snapshots(root: Tensor) -> list[Snapshot]:
    """Run ``root.backward()`` and record the gradients after every step.

    Parameters
    ----------
    root : Tensor
        A scalar whose graph has not been backpropagated yet. Afterwards its
        graph holds the gradients, exactly as after ``root.backward()``.

    Returns
    -------
    list of Snapshot
        One for the seed, then one per operation in the order they ran.

    Examples
    --------
    >>> a = Tensor(3.0, label="a")
    >>> b = a * a
    >>> b.label = "b"
    >>> [s.text for s in backward_snapshots(b)]  # doctest: +NORMALIZE_WHITESPACE
    ['seed: the gradient of b with respect to itself is 1',
     "backprop through '*': the gradient of b goes to a, a"]
    """
    if not isinstance(root, Tensor):
        raise InputTypeError(f"root must be a Tensor, got {type(root).__name__}")
    order = root.topological_order()
    steps = root.backward_steps()
    first = next(steps)  # the seed is set as the generator starts, before any closure runs
    seed_grads = {id(n): (n.grad.copy() if n is root else None) for n in order}
    snapshots = [Snapshot(root, seed_grads, f"seed: the gradient of {_name(root)} with respect to itself is 1")]
    for node in itertools.chain([first], steps):  # lazily: each copy is taken right after its step
        if node.op:
            grads = {id(n): None if n.grad is None else n.grad.copy() for n in order}
            inputs = ", ".join(_name(p) for p in node.parents if p.requires_grad)
            text = f"backprop through {node.op!r}: the gradient of {_name(node)} goes to {inputs}"
            snapshots.append(Snapshot(node, grads, text.replace("\n", " ")))
    return snapshots


def _name(node: Tensor) -> str:
    if node.label:
        return node.label
    if not node.requires_grad:
        return "a constant"
    return f"the {node.op!r} output" if node.op else "an unnamed input"


__all__ = ["Snapshot", "backward_snapshots"]
