"""Checks for the exercises of notebook 07 (stochastic gradient descent).

Truths: the update rules written out in NumPy, and ``chapter2.descent`` for
the learning-rate exercise.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ...descent import bowl, bowl_grad, gradient_descent
from ..feedback import call_student, check_function, fail, passed, require_callable
from ..feedback import ExerciseFailed  # noqa: F401 (the examples catch it)
from ..feedback import Choice, check_choice, check_number
from ..sgd import START, STEPS, TARGET, CURVATURE


#: Seed of the test inputs. Each call of a check starts a fresh generator from
#: it, so every run draws the same inputs and a re-run quotes the same case.
_SEED = 70


def check_sgd_update(sgd_update: Callable) -> None:
    """Check ``sgd_update(params, grad, lr)``: the parameters after one step against the gradient.

    Examples
    --------
    A first attempt (uphill), and the feedback it gets:

    >>> try: check_sgd_update(lambda params, grad, lr: params + lr * grad)
    ... except ExerciseFailed: pass
    Not quite yet. sgd_update returned a wrong value at index (0,) (2 of 2 entries are off).
    The input was:
      argument 1: [0., 0.]  (shape (2,), dtype float64)
      argument 2: [-3.,  2.]  (shape (2,), dtype float64)
      argument 3: 0.1
    Your function returned: [-0.3,  0.2]  (shape (2,), dtype float64)
    Work this input out by hand and compare.
    """
    rng = np.random.default_rng(_SEED)
    cases = [(np.array([0.0, 0.0]), np.array([-3.0, 2.0]), 0.1),
             (rng.normal(size=(3, 2)).round(2), rng.normal(size=(3, 2)).round(2), 0.5),
             (np.array([1.0, -1.0, 2.0], dtype=np.float32), np.array([0.5, 0.5, -1.0], dtype=np.float32),
              0.01)]
    check_function(sgd_update, lambda params, grad, lr: params - lr * grad, cases,
                   task="sgd_update")


def check_momentum_update(momentum_update: Callable) -> None:
    """Check ``momentum_update(params, velocity, grad, lr, momentum)`` -> ``(params, velocity)``.

    Examples
    --------
    A first attempt (the velocity never changes), and the feedback it gets:

    >>> try: check_momentum_update(lambda params, velocity, grad, lr, momentum: (params - lr * grad, velocity))  # doctest: +ELLIPSIS
    ... except ExerciseFailed: pass
    Not quite yet. momentum_update (its new velocity) returned a wrong value at index (0,) (...
    The input was:
      argument 1: [1., 2.]  (shape (2,), dtype float64)
      argument 2: [0., 0.]  (shape (2,), dtype float64)
      argument 3: [ 0.5, -1. ]  (shape (2,), dtype float64)
      argument 4: 0.1
      argument 5: 0.9
    Your function returned: [0., 0.]  (shape (2,), dtype float64)
    Work this input out by hand and compare.
    """
    rng = np.random.default_rng(_SEED)
    cases = [(np.array([1.0, 2.0]), np.zeros(2), np.array([0.5, -1.0]), 0.1, 0.9),
             (np.array([1.0, 2.0]), np.array([0.3, -0.2]), np.array([0.5, -1.0]), 0.1, 0.9),
             (rng.normal(size=4).round(2), rng.normal(size=4).round(2), rng.normal(size=4).round(2),
              0.05, 0.5)]

    def reference(params, velocity, grad, lr, momentum):
        velocity = momentum * velocity - lr * grad
        return params + velocity, velocity

    check_function(momentum_update, reference, cases, task="momentum_update",
                   parts=("new params", "new velocity"))


def check_learning_rate(my_learning_rate: Callable) -> None:
    """Check that ``my_learning_rate()`` is the smallest working rate in steps of 0.01.

    Working means: :data:`STEPS` steps of gradient descent on ``bowl`` from :data:`START`
    bring the loss below :data:`TARGET`. The answer is 0.14 (0.13 falls just short).

    Examples
    --------
    A first attempt, and the feedback it gets:

    >>> try: check_learning_rate(lambda: 0.01)  # doctest: +ELLIPSIS
    ... except ExerciseFailed: pass
    Not quite yet. With lr = 0.01 the loss after 30 steps is 4.4, not yet below 0.001.
    The walk is heading the right way but too slowly: try a larger rate, and watch the limit...
    """
    require_callable(my_learning_rate, "my_learning_rate")
    lr = call_student(my_learning_rate, task="my_learning_rate")
    if isinstance(lr, bool) or not isinstance(lr, (int, float, np.floating)):
        fail(f"my_learning_rate returned {lr!r}; a positive number such as 0.05 was expected.")
    if not lr > 0:
        fail(f"my_learning_rate returned {lr}; a learning rate must be positive, "
             "otherwise the steps go uphill or nowhere.")
    if not np.isclose(lr * 100, round(lr * 100), rtol=0, atol=1e-9):
        fail(f"my_learning_rate returned {lr}; the question asks for a rate in steps of 0.01 "
             "(0.01, 0.02, 0.03, ...).")
    final, start = _loss_after_steps(float(lr))
    if not np.isfinite(final) or final > start:
        fail(f"With lr = {lr} the loss after {STEPS} steps is {final:.3g}: it grew instead of "
             "falling.", "Each step overshoots the steep walls of the valley: try a smaller rate.")
    if final >= TARGET:
        fail(f"With lr = {lr} the loss after {STEPS} steps is {final:.3g}, not yet below {TARGET:g}.",
             "The walk is heading the right way but too slowly: try a larger rate, "
             "and watch the limit set by the steep direction.")
    smaller = round(lr - 0.01, 2)
    smaller_final = _loss_after_steps(smaller)[0]
    if smaller > 0 and smaller_final < TARGET:
        fail(f"With lr = {lr} the loss after {STEPS} steps is {final:.1e}, below {TARGET:g}, but "
             f"lr = {smaller:g} gets there too.", "The question asks for the smallest such rate: "
             "keep stepping down by 0.01 until the loss no longer gets below the target.")
    passed(f"With lr = {lr} the loss after {STEPS} steps is {final:.1e}, below {TARGET:g}; "
           f"with {smaller:g} it is {smaller_final:.1e}, not below.")


def _loss_after_steps(lr: float) -> tuple[float, float]:
    """The loss of ``bowl`` after :data:`STEPS` steps of gradient descent at ``lr``, and at the start."""
    with np.errstate(over="ignore", invalid="ignore"):
        losses = bowl(gradient_descent(bowl_grad, list(START), lr=lr, steps=STEPS))
    return float(losses[-1]), float(losses[0])


def check_rate_limit(my_rate_limit: Callable) -> None:
    """Check the limit of the learning rates with which gradient descent converges on ``3 w**2``.

    The walk converges for ``0 < lr < 2 / CURVATURE``; at the limit itself the factor is -1 and the walk
    bounces forever without converging.

    Examples
    --------
    A first attempt, and the feedback it gets:

    >>> try: check_rate_limit(lambda: 1.0)
    ... except ExerciseFailed: pass
    Not quite yet. my_rate_limit returned 1, which is not it yet.
    One step multiplies w by (1 - lr * f''(w)); the limit is the rate where that factor reaches -1 (every smaller positive rate converges).
    """
    check_number(my_rate_limit, 2.0 / CURVATURE, "my_rate_limit", rel=1e-3,
                 hint="One step multiplies w by (1 - lr * f''(w)); the limit is the rate where that factor "
                      "reaches -1 (every smaller positive rate converges).")


#: Why RMSprop's first step is the same along every weight, and larger than the learning rate.
#: Each wrong option is a reason a learner could hold: RMSprop taken for a rule that moves by a
#: fixed amount at every step (a), for Adam and its momentum (c), for a normalization of the whole
#: gradient vector (d), or for a curvature-aware method like Newton's (e).
WHY_RMSPROP_FIRST_STEP = Choice(
    "On the valley `bowl`, RMSprop's first step has the same size along `x` and along `y`, although the "
    "slope across the valley is the steeper one, and that size is larger than the learning rate. Why?",
    {"a": "RMSprop moves every weight by the same fixed amount at every step, in the direction given by "
          "the sign of its gradient, so the size of a step never depends on the slope.",
     "b": "RMSprop divides each gradient by the root of a running average of its squared values; that "
          "average starts at 0 and after one gradient holds only `(1 − rho) · gradient²`, so the first "
          "step is `lr / sqrt(1 − rho)` whatever the gradient.",
     "c": "RMSprop, like Adam, keeps a running average of past gradients that pushes the weights like "
          "momentum, and that push makes the first step longer than the learning rate.",
     "d": "RMSprop divides the whole gradient vector by its length, so the step has a fixed length and "
          "the steeper direction no longer gets the larger share.",
     "e": "RMSprop divides each gradient by the curvature of its direction, as Newton's method does, so "
          "each direction takes the step that would reach the floor of the valley."},
    "b",
    {"a": "Only the first step behaves like that. Later steps do depend on the gradients: above, RMSprop's "
          "steps along y fell below 1e-12 from step 16 on while those along x did not, which a fixed amount "
          "could never do. And a fixed amount would be the learning rate itself, not 3.16 times it.",
     "c": "The running average RMSprop keeps is of squared gradients, and it divides the step rather than "
          "pushing it; this RMSprop has no momentum, and a momentum velocity starts at 0, so it could not "
          "lengthen a first step anyway.",
     "d": "Dividing the whole vector by one number keeps the ratio of its parts: the gradient at the start "
          "is (-4, 15), so the step along y would still be 3.75 times the step along x, not equal to it.",
     "e": "RMSprop uses only gradients, never second derivatives; and the steps that reach the floor from "
          "(-4, 1.5) would be 4 along x and 1.5 along y, not two equal steps."},
    "Dividing a gradient by the root of its own running mean square removes its scale, and after the "
    "first gradient that mean holds only (1 - rho) * g**2, so every weight moves by lr / sqrt(1 - rho): "
    "with rho = 0.9 that is lr / sqrt(0.1), about 3.16 times the learning rate.")


def check_why_rmsprop_first_step(my_answer: Callable) -> None:
    """Check the letter chosen for :data:`WHY_RMSPROP_FIRST_STEP`.

    Examples
    --------
    A wrong letter, and the feedback it gets:

    >>> try: check_why_rmsprop_first_step(lambda: "a")  # doctest: +ELLIPSIS
    ... except ExerciseFailed: pass
    Not quite yet. Option 'a' is not the reason.
    Only the first step behaves like that. Later steps do depend on the gradients: above, RMSprop's...
    Read the options again and pick the one that explains it.
    """
    check_choice(my_answer, WHY_RMSPROP_FIRST_STEP, "my_answer")
