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


__getattr__, __dir__ = forward_to_checks(__name__)
