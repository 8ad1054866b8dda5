"""Notebook 05's exercises as its cells see them: the questions, never the checks.

The checks, with the truths they compare with, are in
:mod:`chapter2.exercises.checks.geometry`; ``geometry.check_...`` finds them there on
first use. A graded kernel cannot: the sandbox hides that folder (see
:mod:`chapter2.exercises.view`).
"""

from __future__ import annotations

from .view import forward_to_checks

__getattr__, __dir__ = forward_to_checks(__name__)
