"""Checks for the exercises of notebook 03 (element-wise operations and broadcasting).

The truths are NumPy's own element-wise and broadcasting operations
(``np.where``, ``np.broadcast_shapes``, ``+`` with an added axis, the reductions
themselves run on a zero-stride array of the asked shape).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..feedback import call_student, check_answers, check_function, require_callable
from ..feedback import ExerciseFailed  # noqa: F401 (the examples catch it)
from ..feedback import Choice, check_choice
from ..broadcasting import PREDICTION_PAIRS, REDUCTION_CASES, describe_reduction


#: Seed of the test inputs. Each call of a check starts a fresh generator from
#: it, so every run draws the same inputs and a re-run quotes the same case.
_SEED = 30


def _broadcast_or_none(shape_a, shape_b):
    try:
        return np.broadcast_shapes(shape_a, shape_b)
    except ValueError:
        return None


def check_naive_leaky_relu(naive_leaky_relu: Callable) -> None:
    """Check ``naive_leaky_relu(x, alpha)``: ``x`` where positive, ``alpha * x`` elsewhere.

    Examples
    --------
    A first attempt (alpha is forgotten), and the feedback it gets:

    >>> try: check_naive_leaky_relu(lambda x, alpha: np.maximum(x, 0))
    ... except ExerciseFailed: pass
    Not quite yet. naive_leaky_relu returned a wrong value at index (0,) (2 of 4 entries are off).
    The input was:
      argument 1: [-2. , -0.5,  0. ,  1.5]  (shape (4,), dtype float64)
      argument 2: 0.1
    Your function returned: [0. , 0. , 0. , 1.5]  (shape (4,), dtype float64)
    Work this input out by hand and compare.
    """
    rng = np.random.default_rng(_SEED)
    cases = [(np.array([-2.0, -0.5, 0.0, 1.5]), 0.1),
             (rng.normal(size=(3, 4)).round(2), 0.2),
             (rng.normal(size=(2, 2, 3)).astype(np.float32).round(2), 0.5),
             (np.array([[3.0, -1.0]]), 0.0)]
    check_function(naive_leaky_relu, lambda x, alpha: np.where(x > 0, x, alpha * x).astype(x.dtype),
                   cases, task="naive_leaky_relu")


def check_broadcast_predictions(my_predictions: Callable) -> None:
    """Check the predicted result shapes for :data:`PREDICTION_PAIRS` (None: does not broadcast).

    Examples
    --------
    A first attempt (no pair broadcasts?), and the feedback it gets:

    >>> try: check_broadcast_predictions(lambda: [None] * 6)
    ... except ExerciseFailed: pass
    Not quite yet. 5 of your 6 answers are not right yet.
    The first one: for shapes (128, 10) and (10,) you answered None.
    Work through that case again, step by step.
    """
    require_callable(my_predictions, "my_predictions")
    answers = call_student(my_predictions, task="my_predictions")
    truths = [_broadcast_or_none(a, b) for a, b in PREDICTION_PAIRS]
    check_answers(answers, PREDICTION_PAIRS, truths, "my_predictions",
                  describe=lambda pair: f"shapes {pair[0]} and {pair[1]}")


def check_naive_add_column(naive_add_column: Callable) -> None:
    """Check ``naive_add_column(x, c)``: add ``c[i]`` to every entry of row ``i`` of ``x``.

    Examples
    --------
    A first attempt (every row gets the first entry), and the feedback it gets:

    >>> try: check_naive_add_column(lambda x, c: x + c[0])
    ... except ExerciseFailed: pass
    Not quite yet. naive_add_column returned a wrong value at index (1, 0) (3 of 6 entries are off).
    The input was:
      argument 1: [[0., 1., 2.],
     [3., 4., 5.]]  (shape (2, 3), dtype float64)
      argument 2: [10., 20.]  (shape (2,), dtype float64)
    Your function returned:
    [[10., 11., 12.],
     [13., 14., 15.]]  (shape (2, 3), dtype float64)
    Work this input out by hand and compare.
    """
    rng = np.random.default_rng(_SEED)
    cases = [(np.arange(6.0).reshape(2, 3), np.array([10.0, 20.0])),
             (np.arange(9.0).reshape(3, 3), np.array([1.0, -1.0, 100.0])),
             (rng.normal(size=(4, 1)).round(2), rng.normal(size=4).round(2))]
    check_function(naive_add_column, lambda x, c: x + c[:, np.newaxis], cases,
                   task="naive_add_column")


#: Why ``x + c`` does not add ``c`` down the columns (section 2.3.2).
WHY_NOT_COLUMNS = Choice(
    "For `x` of shape `(3, 4)` and `c` of shape `(3,)`, `x + c` raises an error instead of adding "
    "`c[i]` to row `i`. Why?",
    {"a": "Broadcasting lines shapes up on the right, so `c`'s 3 entries face `x`'s 4 columns; "
          "3 and 4 differ and neither is 1.",
     "b": "Broadcasting stretches only axes of size 1, and `c` has no axis of size 1.",
     "c": "NumPy pairs tensors by their number of entries, and `c`'s 3 entries cannot be "
          "matched with `x`'s 12."},
    "a",
    {"b": "A missing axis counts as size 1 too: (3,) is padded to (1, 3), and that 1 stretches over "
          "the rows, just as a bias (10,) does for a batch (128, 10). Look at the other axis.",
     "c": "Sizes are compared axis by axis, never in total: a (4, 3) matrix plus the same c works, "
          "and it has 12 entries too."},
    "Shapes line up from the right, so c meets the last axis of x; c[:, np.newaxis], shape (3, 1), "
    "lines up with the rows instead.")


def check_why_not_columns(my_answer: Callable) -> None:
    """Check the letter chosen for :data:`WHY_NOT_COLUMNS`.

    Examples
    --------
    A wrong letter, and the feedback it gets:

    >>> try: check_why_not_columns(lambda: "c")
    ... except ExerciseFailed: pass
    Not quite yet. Option 'c' is not the reason.
    Sizes are compared axis by axis, never in total: a (4, 3) matrix plus the same c works, and it has 12 entries too.
    Read the options again and pick the one that explains it.
    """
    check_choice(my_answer, WHY_NOT_COLUMNS, "my_answer")


def _reduce(case) -> tuple[int, ...]:
    shape, method, kwargs = case
    # A zero-stride view of one float: any shape, no memory, and NumPy itself says the result shape.
    x = np.broadcast_to(np.zeros((), dtype=np.float32), shape)
    return np.shape(getattr(x, method)(**kwargs))


def check_reduction_predictions(my_reductions: Callable) -> None:
    """Check the predicted result shapes for :data:`REDUCTION_CASES`.

    Examples
    --------
    A first attempt (the reduced axis is the one kept), and the feedback it gets:

    >>> try: check_reduction_predictions(lambda: [(10,), (1, 10), (128,), (60000,), (28, 28), (), (1, 3, 1)])
    ... except ExerciseFailed: pass
    Not quite yet. 6 of your 7 answers are not right yet.
    The first one: for x.argmax(axis=1) for x of shape (128, 10) you answered (10,).
    Work through that case again, step by step.
    """
    require_callable(my_reductions, "my_reductions")
    answers = call_student(my_reductions, task="my_reductions")
    truths = [_reduce(case) for case in REDUCTION_CASES]
    check_answers(answers, REDUCTION_CASES, truths, "my_reductions", describe=describe_reduction)
