"""Notebook 08's exercises as its cells see them: the questions, never the checks.

The checks, with the truths they compare with, are in
:mod:`chapter2.exercises.checks.backprop`; ``backprop.check_...`` finds them there on
first use. A graded kernel cannot: the sandbox hides that folder (see
:mod:`chapter2.exercises.view`).
"""

from __future__ import annotations

from .view import forward_to_checks


def inner_outer(x: float) -> float:
    """The function of the chain-rule exercise, ``y = (x² + 1)³``.

    Examples
    --------
    >>> inner_outer(1.0)
    8.0
    """
    return (x ** 2 + 1) ** 3


__getattr__, __dir__ = forward_to_checks(__name__)
