"""Checks for the exercises of notebook 08 (backpropagation).

The truth is measured, not derived: for an upstream gradient ``G`` the loss
``L = sum(output * G)`` has exactly the gradients a backward pass must
return, and ``chapter2.gradcheck.numerical_gradient`` measures them by
central differences, entry by entry.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ...gradcheck import numerical_gradient, relative_error
from ..feedback import call_student, check_function, fail, passed, require_callable
from ..feedback import ExerciseFailed  # noqa: F401 (the examples catch it)
from ..feedback import Choice, check_choice
from ..backprop import inner_outer

#: Seed of the test inputs. Each call of a check starts a fresh generator from
#: it, so every run draws the same inputs and a re-run quotes the same case.
_SEED = 80


def _measured_dense_gradients(x, W, b, grad_z):
    def loss_of(x_, W_, b_):
        return float(np.sum((x_ @ W_ + b_) * grad_z))

    grad_x = numerical_gradient(lambda v: loss_of(v, W, b), x.copy())
    grad_W = numerical_gradient(lambda v: loss_of(x, v, b), W.copy())
    grad_b = numerical_gradient(lambda v: loss_of(x, W, v), b.copy())
    return grad_x, grad_W, grad_b


def check_dense_backward(dense_backward: Callable) -> None:
    """Check ``dense_backward(x, W, grad_z)`` -> ``(grad_x, grad_W, grad_b)`` for ``z = x @ W + b``.

    Examples
    --------
    A first attempt (a mean, not a sum), and the feedback it gets:

    >>> try: check_dense_backward(lambda x, W, g: (g @ W.T, x.T @ g, g.mean(axis=0)))  # doctest: +ELLIPSIS
    ... except ExerciseFailed: pass
    Not quite yet. dense_backward (its grad_b) returned a wrong value at index (0,) (2 of 2...
    The input was:
      argument 1: [[-0.99,  0.42, -0.67],
     [ 0.93, -0.51, -0.92],
     [-0.26, -0.83, -0.05],
     [-2.08, -0.51,  1.34]]  (shape (4, 3), dtype float64)
      argument 2: [[-0.43,  1.71],
     [ 2.05, -0.46],
     [ 0.9 , -0.46]]  (shape (3, 2), dtype float64)
      argument 3: [[-0.13, -0.85],
     [ 0.37,  0.85],
     [ 0.61,  0.3 ],
     [-0.81, -0.24]]  (shape (4, 2), dtype float64)
    Your function returned: [0.01 , 0.015]  (shape (2,), dtype float64)
    Work this input out by hand and compare.
    """
    rng = np.random.default_rng(_SEED)
    cases = []
    for batch, features, units in [(1, 2, 3), (4, 3, 2), (5, 4, 4)]:
        cases.append((rng.normal(size=(batch, features)).round(2),
                      rng.normal(size=(features, units)).round(2),
                      rng.normal(size=(batch, units)).round(2)))

    def reference(x, W, grad_z):
        # The bias does not change any gradient, so any b will do for the measurement.
        return _measured_dense_gradients(x, W, np.zeros(W.shape[1]), grad_z)

    check_function(dense_backward, reference, cases, task="dense_backward",
                   parts=("grad_x", "grad_W", "grad_b"), rtol=1e-6, atol=1e-8, check_dtype=False)


def check_relu_backward(relu_backward: Callable) -> None:
    """Check ``relu_backward(z, grad_out)``: the gradient reaching ``z`` through ``relu(z)``.

    Examples
    --------
    A first attempt (the value, not the slope), and the feedback it gets:

    >>> try: check_relu_backward(lambda z, g: g * np.maximum(z, 0))
    ... except ExerciseFailed: pass
    Not quite yet. relu_backward returned a wrong value at index (0, 1) (2 of 3 entries are off).
    The input was:
      argument 1: [[-1.5,  0.5,  2. ]]  (shape (1, 3), dtype float64)
      argument 2: [[1., 1., 1.]]  (shape (1, 3), dtype float64)
    Your function returned: [[0. , 0.5, 2. ]]  (shape (1, 3), dtype float64)
    Work this input out by hand and compare.
    """
    rng = np.random.default_rng(_SEED)
    cases = [(np.array([[-1.5, 0.5, 2.0]]), np.array([[1.0, 1.0, 1.0]])),
             (np.array([[0.3, -0.2], [-1.0, 4.0]]), np.array([[2.0, -3.0], [0.5, -1.5]])),
             (rng.normal(size=(3, 4)).round(2) + 0.005, rng.normal(size=(3, 4)).round(2))]

    def reference(z, grad_out):
        return numerical_gradient(lambda v: float(np.sum(np.maximum(v, 0) * grad_out)), z.copy())

    check_function(relu_backward, reference, cases, task="relu_backward", check_dtype=False,
                   rtol=1e-6, atol=1e-8)


def check_chain_derivative(chain_derivative: Callable) -> None:
    """Check ``chain_derivative(x)``, the derivative of :func:`inner_outer`, against central differences.

    Examples
    --------
    A first attempt (the inner derivative is missing), and the feedback it gets:

    >>> try: check_chain_derivative(lambda x: 3 * (x ** 2 + 1) ** 2)  # doctest: +ELLIPSIS
    ... except ExerciseFailed: pass
    Not quite yet. At x = -1.5, chain_derivative returned 31.6875, but the slope measured on...
    Split y into an inner step u = x² + 1 and an outer step y = u³, and multiply their local...
    """
    require_callable(chain_derivative, "chain_derivative")
    points = [-1.5, -0.25, 0.0, 0.5, 2.0]
    for x in points:
        got = call_student(chain_derivative, x, task="chain_derivative")
        if np.ndim(got) != 0 or not np.issubdtype(np.asarray(got).dtype, np.number):
            fail(f"chain_derivative({x}) returned {got!r}; a single number was expected.")
        measured = numerical_gradient(lambda v: inner_outer(float(v[0])), np.array([x]))
        error = relative_error(np.array(float(got)), measured[0])
        if not error < 1e-6:
            fail(f"At x = {x}, chain_derivative returned {float(got):.6g}, but the slope measured "
                 f"on the curve disagrees (relative error {error:.1e}).",
                 "Split y into an inner step u = x² + 1 and an outer step y = u³, and multiply "
                 "their local derivatives.")
    passed(f"chain_derivative agrees with the measured slope at all {len(points)} points.")


#: Why finite differences do not scale (section 2.4.4).
WHY_BACKPROP = Choice(
    "To get the gradient of the MNIST network's loss, why not simply nudge each weight and measure "
    "how the loss changes (finite differences)?",
    {"a": "Finite differences give wrong answers for networks with relu.",
     "b": "It needs two forward passes for every weight of the network, while backpropagation gets "
          "every partial derivative from one forward and one backward pass, together about the work of "
          "two forward passes.",
     "c": "Finite differences need the loss to be a single number, and backpropagation does not."},
    "b",
    {"a": "Away from relu's kink at 0, a small enough nudge gives the right slope; that is how this "
          "notebook checks its gradients.",
     "c": "Both need a single number to differentiate: backward() refuses anything else."},
    "One forward and one backward pass, together about two forward passes of work (818,176 "
    "multiply-adds per sample against 406,528 for one forward pass), give every partial derivative "
    "at once; finite differences pay two forward passes for each of the 407,050 weights.")


def check_why_backprop(my_answer: Callable) -> None:
    """Check the letter chosen for :data:`WHY_BACKPROP`.

    Examples
    --------
    A wrong letter, and the feedback it gets:

    >>> try: check_why_backprop(lambda: "a")  # doctest: +ELLIPSIS
    ... except ExerciseFailed: pass
    Not quite yet. Option 'a' is not the reason.
    Away from relu's kink at 0, a small enough nudge gives the right slope; that is how this...
    Read the options again and pick the one that explains it.
    """
    check_choice(my_answer, WHY_BACKPROP, "my_answer")
