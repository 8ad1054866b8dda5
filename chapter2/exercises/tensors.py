"""Notebook 02's exercises as its cells see them: the questions, never the checks.

The checks, with the truths they compare with, are in
:mod:`chapter2.exercises.checks.tensors`; ``tensors.check_...`` finds them there on
first use. A graded kernel cannot: the sandbox hides that folder (see
:mod:`chapter2.exercises.view`).
"""

from __future__ import annotations

import numpy as np

from .view import forward_to_checks


#: The tensors of the attributes exercise (section 2.2.5): the expression, then how to build it.
ATTRIBUTE_QUESTIONS = ["np.array(7.5)", "np.array([2, 7, 1, 8])", "np.zeros((3, 5))",
                       "np.ones((2, 3, 4), dtype=np.uint8)", "np.zeros((60000, 28, 28))[:128]",
                       "np.zeros((60000, 28, 28))[0, 5]"]


#: The data sets of the real-world shapes exercise (sections 2.2.8-2.2.12).
DATA_QUESTIONS = [
    "a table of 2,000 houses, each described by 12 numbers",
    "a year of hourly readings (365 days of 24 hours) of 4 sensors, one sample per day",
    "a batch of 64 colour photos of 32 x 32 pixels, channels last",
    "8 video clips of 16 frames of 64 x 64 grayscale pixels, channels last",
]


__getattr__, __dir__ = forward_to_checks(__name__)
