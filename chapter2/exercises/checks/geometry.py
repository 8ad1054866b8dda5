"""Checks for the exercises of notebook 05 (geometric interpretation).

Truths: ``chapter2.transforms`` (rotation matrices, linear and affine maps).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ...transforms import affine, linear, rotation
from ..feedback import check_function
from ..feedback import ExerciseFailed  # noqa: F401 (the examples catch it)
from ..feedback import Choice, check_choice

#: Seed of the test inputs. Each call of a check starts a fresh generator from
#: it, so every run draws the same inputs and a re-run quotes the same case.
_SEED = 50


def check_rotate_points(rotate_points: Callable) -> None:
    """Check ``rotate_points(points, angle)``: turn each row of ``points`` counter-clockwise by ``angle`` degrees.

    Examples
    --------
    A first attempt (turns the other way), and the feedback it gets:

    >>> try: check_rotate_points(lambda p, a: p @ rotation(a))
    ... except ExerciseFailed: pass
    Not quite yet. rotate_points returned a wrong value at index (0, 1) (1 of 2 entries are off).
    The input was:
      argument 1: [[1., 0.]]  (shape (1, 2), dtype float64)
      argument 2: 90.0
    Your function returned: [[ 0., -1.]]  (shape (1, 2), dtype float64)
    Work this input out by hand and compare.
    """
    rng = np.random.default_rng(_SEED)
    square = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    cases = [(np.array([[1.0, 0.0]]), 90.0), (square, 30.0), (square, -45.0),
             (rng.normal(size=(5, 2)).round(2), 200.0)]
    check_function(rotate_points, lambda points, angle: linear(points, rotation(angle)), cases,
                   task="rotate_points", check_dtype=False)


def check_compose_affine(compose_affine: Callable) -> None:
    """Check ``compose_affine(W1, b1, W2, b2)``: the one affine map ``(W, b)`` equal to map 1 then map 2.

    Examples
    --------
    A first attempt (the order of the steps), and the feedback it gets:

    >>> try: check_compose_affine(lambda W1, b1, W2, b2: (W1 @ W2, b1 + b2))  # doctest: +ELLIPSIS
    ... except ExerciseFailed: pass
    Not quite yet. compose_affine (its W) returned a wrong value at index (0, 1) (2 of 4 ent...
    The input was:
      argument 1: [[ 0., -1.],
     [ 1.,  0.]]  (shape (2, 2), dtype float64)
      argument 2: [1., 0.]  (shape (2,), dtype float64)
      argument 3: [[2., 0.],
     [0., 1.]]  (shape (2, 2), dtype float64)
      argument 4: [0., 3.]  (shape (2,), dtype float64)
    Your function returned:
    [[ 0., -1.],
     [ 2.,  0.]]  (shape (2, 2), dtype float64)
    Work this input out by hand and compare.
    """
    rng = np.random.default_rng(_SEED)
    cases = [(rotation(90), np.array([1.0, 0.0]), np.diag([2.0, 1.0]), np.array([0.0, 3.0])),
             (rng.normal(size=(2, 2)).round(2), rng.normal(size=2).round(2),
              rng.normal(size=(2, 2)).round(2), rng.normal(size=2).round(2)),
             (np.diag([1.0, -1.0]), np.array([0.5, 0.5]), rotation(30), np.zeros(2))]

    def reference(W1, b1, W2, b2):
        # The composite map must move points exactly as the two maps in a row do.
        probe = np.eye(len(b1))
        shift = affine(affine(np.zeros((1, len(b1))), W1, b1), W2, b2)[0]
        matrix = (affine(affine(probe, W1, b1), W2, b2) - shift).T
        return matrix, shift

    check_function(compose_affine, reference, cases, task="compose_affine",
                   parts=("W", "b"), check_dtype=False)


#: Why depth needs a nonlinearity (section 2.3.6).
WHY_NONLINEARITY = Choice(
    "A network of ten `Dense` layers *without* activations is trained on the tangled classes of this "
    "notebook. Why can it classify no more points correctly than a single straight line can?",
    {"a": "Without relu the layers' outputs can be negative, and a classifier needs non-negative "
          "scores to decide between the classes.",
     "b": "Affine maps composed are one affine map, so the ten layers together still split the plane "
          "along one straight line; only a nonlinearity such as relu between the layers lets the "
          "boundary bend.",
     "c": "Without activations the values grow through every layer, so after ten layers training "
          "diverges before it can find a good boundary."},
    "b",
    {"a": "A score's sign is no obstacle: a sign test or a softmax turns any real scores, negative "
          "ones included, into a decision. What limits the stack is the shape of its boundary.",
     "c": "How large the values get depends on the scale of the weights, not on the missing "
          "activations; even a stack that trains smoothly ends with a straight-line boundary."},
    "W2 (W1 p + b1) + b2 = (W2 W1) p + (W2 b1 + b2): the whole stack is one affine map, and only "
    "a nonlinearity between the layers makes depth add anything.")


def check_why_nonlinearity(my_answer: Callable) -> None:
    """Check the letter chosen for :data:`WHY_NONLINEARITY`.

    Examples
    --------
    A wrong letter, and the feedback it gets:

    >>> try: check_why_nonlinearity(lambda: "a")
    ... except ExerciseFailed: pass
    Not quite yet. Option 'a' is not the reason.
    A score's sign is no obstacle: a sign test or a softmax turns any real scores, negative ones included, into a decision. What limits the stack is the shape of its boundary.
    Read the options again and pick the one that explains it.
    """
    check_choice(my_answer, WHY_NONLINEARITY, "my_answer")
