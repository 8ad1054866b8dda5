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
from ..feedback import call_student, check_function, fail, passed, require_callable
from ..feedback import ExerciseFailed  # noqa: F401 (the examples catch it)
from ..feedback import Choice, check_choice
from ..derivatives import cubic, valley, _parabola

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
    {"a": "The accuracy is too expensive to compute at every step.",
     "b": "Accuracy only changes when a prediction flips, so at almost every point its slope is zero in "
          "every direction: its gradient says nothing about which way to move.",
     "c": "The accuracy can only go up during training."},
    "b",
    {"a": "Counting right answers is cheap, cheaper than the loss.",
     "c": "It can go down as well; and a quantity that only rises would still need a slope to follow."},
    "Accuracy is flat between the points where a prediction flips, so its gradient is zero almost "
    "everywhere; the loss changes smoothly with every weight, so its gradient shows the way.")


def check_why_loss_not_accuracy(my_answer: Callable) -> None:
    """Check the letter chosen for :data:`WHY_LOSS_NOT_ACCURACY`.

    Examples
    --------
    A wrong letter, and the feedback it gets:

    >>> try: check_why_loss_not_accuracy(lambda: "a")
    ... except ExerciseFailed: pass
    Not quite yet. Option 'a' is not the reason.
    Counting right answers is cheap, cheaper than the loss.
    Read the options again and pick the one that explains it.
    """
    check_choice(my_answer, WHY_LOSS_NOT_ACCURACY, "my_answer")
