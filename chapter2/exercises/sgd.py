"""Notebook 07's exercises as its cells see them: the questions, never the checks.

The checks, with the truths they compare with, are in
:mod:`chapter2.exercises.checks.sgd`; ``sgd.check_...`` finds them there on
first use. A graded kernel cannot: the sandbox hides that folder (see
:mod:`chapter2.exercises.view`).
"""

from __future__ import annotations

from .view import forward_to_checks


#: Start, number of steps and loss target of the learning-rate exercise.
START, STEPS, TARGET = (-4.0, 1.5), 30, 1e-3

#: The curvature of the quadratic in the learning-rate-limit exercise: f(w) = CURVATURE * w**2 / 2.
CURVATURE = 6.0


__getattr__, __dir__ = forward_to_checks(__name__)
