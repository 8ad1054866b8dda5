"""Notebook 06's exercises as its cells see them: the questions, never the checks.

The checks, with the truths they compare with, are in
:mod:`chapter2.exercises.checks.derivatives`; ``derivatives.check_...`` finds them there on
first use. A graded kernel cannot: the sandbox hides that folder (see
:mod:`chapter2.exercises.view`).
"""

from __future__ import annotations

import numpy as np

from .view import forward_to_checks


def cubic(x: float) -> float:
    """The function of the first exercise, ``x³ − 3x² + 2x − 5``.

    Examples
    --------
    >>> cubic(2.0)
    -5.0
    """
    return x ** 3 - 3 * x ** 2 + 2 * x - 5


def valley(p: np.ndarray) -> float:
    """The function of the second exercise, ``(p₀ − 1)² + 3 (p₁ + 2)² + p₀ p₁``, for ``p`` of shape (2,).

    Examples
    --------
    >>> valley(np.array([1.0, -2.0]))
    -2.0
    """
    return float((p[0] - 1) ** 2 + 3 * (p[1] + 2) ** 2 + p[0] * p[1])


#: The gradient at a point of some surface, for the prediction exercise on directional derivatives.
DIRECTION_GRADIENT = np.array([2.0, -1.0])

#: The three directions whose slope the learner predicts, as (name, vector) pairs.
DIRECTIONS = [("u1", np.array([0.0, 1.0])), ("u2", np.array([1.0, 2.0])), ("u3", np.array([-1.0, -3.0]))]


def _parabola(t: float) -> float:
    # A named function, not a lambda: grading sends the functions a check
    # passes to the student's code to the student's kernel by name.
    return t ** 2


__getattr__, __dir__ = forward_to_checks(__name__)
