"""Checks for the exercises of notebook 06 (derivatives and gradients).

The truth is a measurement, not a formula: central differences from
``chapter2.gradcheck``, compared through a relative error, exactly as the
notebook checks its own derivatives. Messages quote the point and the
student's value, never the measured slope.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ...gradcheck import numerical_gradient, relative_error
from ..feedback import call_student, check_answers, check_function, fail, passed, require_callable
from ..feedback import ExerciseFailed  # noqa: F401 (the examples catch it)
from ..feedback import Choice, check_choice
from ..derivatives import DIRECTION_GRADIENT, DIRECTIONS, cubic, valley, _parabola

#: Largest relative error accepted between a derivative and its measurement.
TOLERANCE = 1e-6


def _measured_slope(f: Callable[[float], float], x: float) -> float:
    return float(numerical_gradient(lambda v: f(float(v[0])), np.array([x]))[0])


def check_cubic_derivative(cubic_derivative: Callable) -> None:
    """Check a hand-derived derivative of :func:`cubic` against central differences.

    Examples
    --------
    A first attempt (one term is missing), and the feedback it gets:

    >>> try: check_cubic_derivative(lambda x: 3 * x ** 2 - 6 * x)  # doctest: +ELLIPSIS
    ... except ExerciseFailed: pass
    Not quite yet. At x = -2.0, cubic_derivative returned 24, but the slope measured on the...
    Differentiate each term on its own with the power rule, d/dx xⁿ = n·xⁿ⁻¹; a constant ter...
    """
    require_callable(cubic_derivative, "cubic_derivative")
    points = [-2.0, -0.5, 0.0, 1.0, 1.5, 3.25]
    for x in points:
        got = call_student(cubic_derivative, x, task="cubic_derivative")
        if not isinstance(got, (int, float, np.number)) and np.ndim(got) != 0:
            fail(f"cubic_derivative({x}) returned {got!r}; a single number was expected.")
        error = relative_error(np.array(float(got)), np.array(_measured_slope(cubic, x)))
        if not error < TOLERANCE:
            fail(f"At x = {x}, cubic_derivative returned {float(got):.6g}, but the slope measured "
                 f"on the curve disagrees (relative error {error:.1e}).",
                 "Differentiate each term on its own with the power rule, d/dx xⁿ = n·xⁿ⁻¹; "
                 "a constant term has derivative 0.")
    passed(f"cubic_derivative agrees with the measured slope at all {len(points)} points.")


def check_valley_gradient(valley_gradient: Callable) -> None:
    """Check the gradient of :func:`valley` (shape (2,)) against central differences.

    Examples
    --------
    A first attempt (the product term is missing), and the feedback it gets:

    >>> try: check_valley_gradient(lambda p: np.array([2 * (p[0] - 1), 6 * (p[1] + 2)]))  # doctest: +ELLIPSIS
    ... except ExerciseFailed: pass
    Not quite yet. At p = [ 1. -2.], valley_gradient returned [0. 0.], which disagrees with...
    Take one partial derivative at a time, holding the other entry fixed; the product p0·p1...
    """
    require_callable(valley_gradient, "valley_gradient")
    points = [np.array([0.0, 0.0]), np.array([1.0, -2.0]), np.array([-1.5, 0.5]),
              np.array([2.0, 3.0])]
    for p in points:
        got = call_student(valley_gradient, p.copy(), task="valley_gradient")
        got = np.asarray(got, dtype=np.float64) if got is not None else None
        if got is None or got.shape != (2,):
            fail(f"valley_gradient returned {'None' if got is None else f'shape {got.shape}'}; "
                 "the gradient of a function of p (shape (2,)) has shape (2,).",
                 "Return np.array([d/dp0, d/dp1]).")
        error = relative_error(got, numerical_gradient(valley, p.copy()))
        if not error < TOLERANCE:
            fail(f"At p = {p}, valley_gradient returned {got}, which disagrees with the measured "
                 f"gradient (relative error {error:.1e}).",
                 "Take one partial derivative at a time, holding the other entry fixed; "
                 "the product p0·p1 contributes to both.")
    passed(f"valley_gradient agrees with the measured gradient at all {len(points)} points.")


def check_central_difference(central_difference: Callable) -> None:
    """Check ``central_difference(f, x, h)`` = ``(f(x + h) − f(x − h)) / (2h)``.

    Examples
    --------
    A first attempt (a forward difference), and the feedback it gets:

    >>> try: check_central_difference(lambda f, x, h: (f(x + h) - f(x)) / h)
    ... except ExerciseFailed: pass
    Not quite yet. central_difference returned a wrong value (1 of 1 entries are off).
    The input was:
      argument 1: <ufunc 'sin'>
      argument 2: 0.5
      argument 3: 0.01
    Your function returned: 0.8752  (shape (), dtype float64)
    Work this input out by hand and compare.
    """
    cases = [(cubic, 1.0, 0.1), (np.sin, 0.5, 0.01), (np.exp, -1.0, 0.2), (_parabola, 3.0, 0.5)]
    check_function(central_difference, lambda f, x, h: (f(x + h) - f(x - h)) / (2 * h), cases,
                   task="central_difference", rtol=1e-9, check_dtype=False)


#: Why networks are trained on the loss, not on the accuracy (sections 2.4.1-2.4.2).
WHY_LOSS_NOT_ACCURACY = Choice(
    "We care about accuracy, yet training minimises the cross-entropy loss. Why not follow the "
    "gradient of the accuracy directly?",
    {"a": "Following the accuracy would fit the training data too closely (overfit), while the loss "
          "keeps the model general.",
     "b": "Accuracy only changes when a prediction flips, so at almost every point its slope is zero in "
          "every direction: its gradient says nothing about which way to move.",
     "c": "The accuracy's gradient points the same way as the loss's; the loss is used only by convention.",
     "d": "The accuracy lies between 0 and 1, so its gradient is too small to move the weights; the loss "
          "is unbounded and gives bigger steps."},
    "b",
    {"a": "Both are measured on the training data, so either could be overfitted; the trouble with the "
          "accuracy comes first: it gives gradient descent nothing to follow.",
     "c": "Where the accuracy has a gradient at all, that gradient is zero, so it points nowhere; the "
          "notebook's walk along a line showed flat steps.",
     "d": "A bounded function can still be steep (the sigmoid is), and a small gradient could be scaled "
          "by the learning rate; the accuracy's gradient is not small but exactly zero."},
    "Accuracy is flat between the points where a prediction flips, so its gradient is zero almost "
    "everywhere; the loss changes smoothly with every weight, so its gradient shows the way.")


def check_why_loss_not_accuracy(my_answer: Callable) -> None:
    """Check the letter chosen for :data:`WHY_LOSS_NOT_ACCURACY`.

    Examples
    --------
    A wrong letter, and the feedback it gets:

    >>> try: check_why_loss_not_accuracy(lambda: "c")
    ... except ExerciseFailed: pass
    Not quite yet. Option 'c' is not the reason.
    Where the accuracy has a gradient at all, that gradient is zero, so it points nowhere; the notebook's walk along a line showed flat steps.
    Read the options again and pick the one that explains it.
    """
    check_choice(my_answer, WHY_LOSS_NOT_ACCURACY, "my_answer")


def _reference_binary_crossentropy(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    # Written out independently of chapter2.twoclass: clip, pick the true class's probability, -log.
    p = np.minimum(np.maximum(np.asarray(p, dtype=np.float64), 1e-7), 1 - 1e-7)
    picked = np.where(np.asarray(y) == 1, p, 1 - p)
    return -np.log(picked)


def check_binary_crossentropy(binary_crossentropy: Callable) -> None:
    """Check ``binary_crossentropy(p, y)``: per-sample ``-log`` of the true class's clipped probability.

    Examples
    --------
    A first attempt (no clipping), and the feedback it gets:

    >>> with np.errstate(divide="ignore"):
    ...     try: check_binary_crossentropy(lambda p, y: -np.log(np.where(y == 1, p, 1 - p)))  # doctest: +ELLIPSIS
    ...     except ExerciseFailed: pass
    Not quite yet...
    """
    cases = [(np.array([0.9, 0.2, 0.5]), np.array([1, 0, 1])),
             (np.array([0.7, 0.7, 0.05, 0.95]), np.array([0, 1, 1, 0])),
             (np.array([1.0, 0.0, 0.0, 1.0]), np.array([0, 1, 0, 1]))]
    check_function(binary_crossentropy, _reference_binary_crossentropy, cases,
                   task="binary_crossentropy", rtol=1e-6, atol=1e-9, check_dtype=False)


#: Why the cross-entropy charges -log p and not the probability of being wrong, 1 - p.
WHY_LOG_LOSS = Choice(
    "A two-class model gives probability p = σ(s) to the true class, from a score s. Why is it trained "
    "on the cost −log p rather than on the simpler cost 1 − p, the probability of being wrong?",
    {"a": "−log p is cheaper to compute than 1 − p.",
     "b": "1 − p can be negative, and a loss must never be negative.",
     "c": "Through the sigmoid, the slope of 1 − p with respect to the score is −p(1 − p), which "
          "vanishes when the model is confidently wrong (p near 0); the slope of −log p is −(1 − p), "
          "close to −1 there, so the worst answers get the strongest push.",
     "d": "1 − p is smallest at `p = 0.5`, so minimising it would make the model unsure."},
    "c",
    {"a": "A logarithm costs more than a subtraction; cost is not the reason.",
     "b": "p lies between 0 and 1, so 1 − p is never negative.",
     "d": "1 − p keeps falling as p grows, so it is smallest at p = 1, just like −log p."},
    "With 1 − p a confidently wrong point sits on a flat stretch of the sigmoid and barely pulls; −log p "
    "undoes that flatness, so its gradient with respect to the score stays near −1 exactly where the "
    "model is most wrong.")


def check_why_log_loss(my_answer: Callable) -> None:
    """Check the letter chosen for :data:`WHY_LOG_LOSS`.

    Examples
    --------
    >>> try: check_why_log_loss(lambda: "d")
    ... except ExerciseFailed: pass
    Not quite yet. Option 'd' is not the reason.
    1 − p keeps falling as p grows, so it is smallest at p = 1, just like −log p.
    Read the options again and pick the one that explains it.
    """
    check_choice(my_answer, WHY_LOG_LOSS, "my_answer")


def check_direction_signs(my_signs: Callable) -> None:
    """Check the predicted signs (``"+"``, ``"-"`` or ``"0"``) of the slope along each of :data:`DIRECTIONS`.

    The truth is measured: the slope of the plane ``g · p`` along each unit direction by a central
    difference, never the student's own dot product.

    Examples
    --------
    Reading the sign off the direction's first entry, and the feedback it gets:

    >>> try: check_direction_signs(lambda: ["0", "+", "-"])
    ... except ExerciseFailed: pass
    Not quite yet. 3 of your 3 answers are not right yet.
    The first one: for direction u1 = [0.0, 1.0] you answered '0'.
    Work through that case again, step by step.
    """
    require_callable(my_signs, "my_signs")
    answers = call_student(my_signs, task="my_signs")
    truths = []
    for _, u in DIRECTIONS:
        unit = u / np.linalg.norm(u)
        slope = _measured_slope(lambda t: float(DIRECTION_GRADIENT @ (t * unit)), 0.0)
        truths.append("0" if abs(slope) < 1e-6 else ("+" if slope > 0 else "-"))
    if isinstance(answers, (list, tuple)):
        answers = [a.strip() if isinstance(a, str) else a for a in answers]
    check_answers(answers, DIRECTIONS, truths, "my_signs",
                  describe=lambda item: f"direction {item[0]} = {item[1].tolist()}")
