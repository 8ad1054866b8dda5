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
from ..feedback import ExerciseFailed  # noqa: F401 (the examples catch it)
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
    A first attempt (sums the wrong axis), and the feedback it gets:

    >>> try: check_loop_matrix_vector_dot(lambda A, v: (A * v).sum(axis=0))
    ... except ExerciseFailed: pass
    Not quite yet. loop_matrix_vector_dot returned an array of the wrong shape.
    Expected shape (3,), got (2,).
    The input was:
      argument 1: [[1., 2.],
     [3., 4.],
     [5., 6.]]  (shape (3, 2), dtype float64)
      argument 2: [ 1., -1.]  (shape (2,), dtype float64)
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
    A first attempt (flattens the batch too), and the feedback it gets:

    >>> try: check_flatten_images(lambda images: images.reshape(-1))  # doctest: +ELLIPSIS
    ... except ExerciseFailed: pass
    Not quite yet. flatten_images returned an array of the wrong shape.
    Expected shape (2, 12), got (24,).
    The input was: an array of shape (2, 3, 4), dtype uint8, whose entries in reading order...
    """
    cases = [(np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4),),
             (np.arange(5 * 2 * 2, dtype=np.uint8).reshape(5, 2, 2),),
             (np.arange(1 * 4 * 3, dtype=np.float32).reshape(1, 4, 3),)]
    check_function(flatten_images, lambda images: images.reshape(images.shape[0], -1), cases,
                   task="flatten_images")


def check_dot_shape_predictions(my_dot_shapes: Callable) -> None:
    """Check the predicted ``np.dot`` result shapes for :data:`DOT_PAIRS` (None: not possible).

    Examples
    --------
    A first attempt (no product is defined?), and the feedback it gets:

    >>> try: check_dot_shape_predictions(lambda: [None] * 6)
    ... except ExerciseFailed: pass
    Not quite yet. 4 of your 6 answers are not right yet.
    The first one: for np.dot of shapes (32, 784) and (784, 512) you answered None.
    Work through that case again, step by step.
    """
    require_callable(my_dot_shapes, "my_dot_shapes")
    answers = call_student(my_dot_shapes, task="my_dot_shapes")
    truths = [_dot_shape_or_none(a, b) for a, b in DOT_PAIRS]
    check_answers(answers, DOT_PAIRS, truths, "my_dot_shapes",
                  describe=lambda pair: f"np.dot of shapes {pair[0]} and {pair[1]}")


#: Why `W @ a` fails where `a @ W` works (section 2.3.3).
WHY_NOT_COMMUTE = Choice(
    "With `a` of shape `(128, 784)` and `W` of shape `(784, 512)`, `a @ W` works but `W @ a` raises "
    "an error. Why?",
    {"a": "`W @ a` pairs the last axis of `W` (512) with the first axis of `a` (128); they differ, so "
          "there are no matching entries to multiply and sum.",
     "b": "The matrix product is not commutative, so `W @ a` would give a different answer from "
          "`a @ W`, and NumPy refuses to compute it.",
     "c": "`@` multiplies entry by entry, like `*`, so the two shapes would have to be equal or "
          "broadcast against each other."},
    "a",
    {"b": "Not commuting means the two orders usually give different results when both exist; NumPy "
          "computes either order whenever the paired sizes match, for example two (3, 3) matrices.",
     "c": "That is the rule of `*`. `@` pairs only one axis of each operand: `a @ W` itself works "
          "although (128, 784) and (784, 512) are neither equal nor broadcastable."},
    "The shape rule pairs the last axis of the left tensor with the first (second-to-last) axis of the "
    "right one; swapping the operands pairs different sizes.")


def check_why_not_commute(my_answer: Callable) -> None:
    """Check the letter chosen for :data:`WHY_NOT_COMMUTE`.

    Examples
    --------
    A wrong letter, and the feedback it gets:

    >>> try: check_why_not_commute(lambda: "c")
    ... except ExerciseFailed: pass
    Not quite yet. Option 'c' is not the reason.
    That is the rule of `*`. `@` pairs only one axis of each operand: `a @ W` itself works although (128, 784) and (784, 512) are neither equal nor broadcastable.
    Read the options again and pick the one that explains it.
    """
    check_choice(my_answer, WHY_NOT_COMMUTE, "my_answer")
