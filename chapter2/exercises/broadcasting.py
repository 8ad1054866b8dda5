"""Notebook 03's exercises as its cells see them: the questions, never the checks.

The checks, with the truths they compare with, are in
:mod:`chapter2.exercises.checks.broadcasting`; ``broadcasting.check_...`` finds them there on
first use. A graded kernel cannot: the sandbox hides that folder (see
:mod:`chapter2.exercises.view`).
"""

from __future__ import annotations

from .view import forward_to_checks


#: The shape pairs of the prediction exercise, in order.
PREDICTION_PAIRS = [((128, 10), (10,)), ((8, 1, 6), (7, 1)), ((3, 4), (3,)),
                    ((5, 1, 4), (1, 3, 1)), ((2, 3), ()), ((64, 28, 28), (28, 1))]

#: The reductions of the reduction exercise, in order: the shape of ``x``, the method called on it
#: and its keyword arguments.
REDUCTION_CASES = [((128, 10), "argmax", {"axis": 1}),
                   ((128, 10), "sum", {"axis": 1, "keepdims": True}),
                   ((128, 10), "sum", {"axis": 0}),
                   ((60000, 28, 28), "mean", {"axis": 0}),
                   ((60000, 28, 28), "max", {"axis": -1}),
                   ((2, 3, 4), "sum", {}),
                   ((2, 3, 4), "mean", {"axis": 1, "keepdims": True})]


def describe_reduction(case) -> str:
    """``x.sum(axis=1)`` for ``x`` of shape ``(128, 10)``, as one line of text."""
    shape, method, kwargs = case
    arguments = ", ".join(f"{key}={value}" for key, value in kwargs.items())
    return f"x.{method}({arguments}) for x of shape {shape}"


__getattr__, __dir__ = forward_to_checks(__name__)
