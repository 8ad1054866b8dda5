"""Checks for the exercises of notebook 04 (tensor product and reshaping).

Truths: ``chapter2.naive`` (the loop versions the notebook reads) and NumPy,
which agree with each other by the tests of ``chapter2.naive``.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ...errors import InputValueError
from ...naive import naive_dot_shape, naive_matrix_vector_dot
from ..feedback import call_student, check_answers, check_function, require_callable
from ..feedback import Choice, check_choice
from ..tensor_product import DOT_PAIRS


#: Seed of the test inputs. Each call of a check starts a fresh generator from
#: it, so every run draws the same inputs and a re-run quotes the same case.
_SEED = 40


def _dot_shape_or_none(shape_a, shape_b):
    try:
        return naive_dot_shape(shape_a, shape_b)
    except InputValueError:
        return None


def check_loop_matrix_vector_dot(loop_matrix_vector_dot: Callable) -> None:
    """Check ``loop_matrix_vector_dot(A, v)``: entry ``i`` is row ``i`` of ``A`` dotted with ``v``.

    Examples
    --------
    >>> check_loop_matrix_vector_dot(lambda A, v: A @ v)
    Correct! loop_matrix_vector_dot gives the right result on 4 test inputs.
    """
    rng = np.random.default_rng(_SEED)
    cases = [(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), np.array([1.0, -1.0])),
             (rng.normal(size=(4, 5)).round(2), rng.normal(size=5).round(2)),
             (rng.normal(size=(2, 3)).round(2), rng.normal(size=3).round(2)),
             (np.ones((1, 4)), np.arange(4.0))]
    check_function(loop_matrix_vector_dot, naive_matrix_vector_dot, cases,
                   task="loop_matrix_vector_dot", check_dtype=False)


def check_flatten_images(flatten_images: Callable) -> None:
    """Check ``flatten_images(images)``: ``(samples, height, width)`` to ``(samples, height * width)``.

    Examples
    --------
    >>> check_flatten_images(lambda images: images.reshape(len(images), -1))
    Correct! flatten_images gives the right result on 3 test inputs.
    """
    cases = [(np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4),),
             (np.arange(5 * 2 * 2, dtype=np.uint8).reshape(5, 2, 2),),
             (np.arange(1 * 4 * 3, dtype=np.float32).reshape(1, 4, 3),)]
    check_function(flatten_images, lambda images: images.reshape(images.shape[0], -1), cases,
                   task="flatten_images")


def check_dot_shape_predictions(my_dot_shapes: Callable) -> None:
    """Check the predicted ``np.dot`` result shapes for :data:`DOT_PAIRS` (None: not possible)."""
    require_callable(my_dot_shapes, "my_dot_shapes")
    answers = call_student(my_dot_shapes, task="my_dot_shapes")
    truths = [_dot_shape_or_none(a, b) for a, b in DOT_PAIRS]
    check_answers(answers, DOT_PAIRS, truths, "my_dot_shapes",
                  describe=lambda pair: f"np.dot of shapes {pair[0]} and {pair[1]}")


#: Why the product does not commute (section 2.3.3).
WHY_NOT_COMMUTE = Choice(
    "With `a` of shape `(128, 784)` and `W` of shape `(784, 512)`, `a @ W` works but `W @ a` raises "
    "an error. Why?",
    {"a": "`W @ a` pairs the last axis of `W` (512) with the first axis of `a` (128); they differ, so "
          "there are no matching entries to multiply and sum.",
     "b": "`@` only accepts the larger matrix on the right.",
     "c": "`W @ a` would need more memory than NumPy allows."},
    "a",
    {"b": "Size does not decide it: (2, 3) @ (3, 100) works with the larger matrix on the right, and "
          "(100, 3) @ (3, 2) with it on the left.",
     "c": "Memory has nothing to do with it: the shapes are refused before any multiplication."},
    "The shape rule pairs the last axis of the left tensor with the first (second-to-last) axis of the "
    "right one; swapping the operands pairs different sizes.")


def check_why_not_commute(my_answer: Callable) -> None:
    """Check the letter chosen for :data:`WHY_NOT_COMMUTE`.

    Examples
    --------
    >>> check_why_not_commute(lambda: "a")  # doctest: +ELLIPSIS
    Correct! The shape rule pairs...
    """
    check_choice(my_answer, WHY_NOT_COMMUTE, "my_answer")
