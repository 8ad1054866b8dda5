"""Notebook 04's exercises as its cells see them: the questions, never the checks.

The checks, with the truths they compare with, are in
:mod:`chapter2.exercises.checks.tensor_product`; ``tensor_product.check_...`` finds them there on
first use. A graded kernel cannot: the sandbox hides that folder (see
:mod:`chapter2.exercises.view`).
"""

from __future__ import annotations

from .view import forward_to_checks


#: The shape pairs of the prediction exercise, in order.
DOT_PAIRS = [((32, 784), (784, 512)), ((5,), (5,)), ((4, 3), (4,)), ((10, 2, 6), (6, 3)),
             ((3, 7), (3, 7)), ((128, 512), (512, 10))]


__getattr__, __dir__ = forward_to_checks(__name__)
