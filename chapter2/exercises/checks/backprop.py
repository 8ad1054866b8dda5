"""Checks for the exercises of notebook 08 (backpropagation).

The truth is measured, not derived: for an upstream gradient ``G`` the loss
``L = sum(output * G)`` has exactly the gradients a backward pass must
return, and ``chapter2.gradcheck.numerical_gradient`` measures them by
central differences, entry by entry.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ...autodiff import Tensor, elementwise_op
from ...gradcheck import numerical_gradient, relative_error
from ..feedback import (_count, _format_args, _short, call_student, check_array_result, check_function,
                        check_tuple_result, fail, passed, require_callable)
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
    {"a": "Finite differences are too inaccurate for training: the rounding in the nudged losses "
          "spoils the slopes, while backpropagation is exact.",
     "b": "It needs two forward passes for every weight of the network, while backpropagation gets "
          "every partial derivative from one forward and one backward pass, together about the work of "
          "two forward passes.",
     "c": "Backpropagation skips the weights whose gradient is zero, such as those behind relu units "
          "that are switched off, and many weights are like that; finite differences have to try "
          "every weight."},
    "b",
    {"a": "In float64 the two agree to a relative 1e-3 or better even on the smallest entries (the "
          "784-16-10 comparison in this notebook), far closer than a step of gradient descent needs; "
          "accuracy is not what rules finite differences out.",
     "c": "Backpropagation computes every entry, zeros included: dW1 = x.T @ d1 is one full matrix "
          "product whatever the relu switched off, so it skips no work."},
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
    In float64 the two agree to a relative 1e-3 or better even on the smallest entries (the...
    Read the options again and pick the one that explains it.
    """
    check_choice(my_answer, WHY_BACKPROP, "my_answer")


# ------------------------------------------------------------ find the bugs

#: What each gradient is the gradient of, and a question that leads to its entry-wise sum.
_DENSE_RELU_PARTS = {
    "grad_x": ("x", "Each x[i, k] reaches the loss through every unit j of its own row. Write "
                    "dL/dx[i, k] as a sum over j and compare it with the product your line computes."),
    "grad_W": ("W", "Each W[k, j] reaches the loss once for every sample i of the batch. Write "
                    "dL/dW[k, j] as a sum over i and compare it with the product your line computes: "
                    "which index does it sum over?"),
    "grad_b": ("b", "In the forward pass b was added to every row of the batch (broadcasting), so "
                    "each b[j] reaches the loss once for every sample. What does the chain rule do "
                    "with several paths?"),
}


def _dense_relu_cases() -> list[tuple[np.ndarray, ...]]:
    """Small layers, the square one first: there a missing transpose raises no error."""
    rng = np.random.default_rng(_SEED)
    cases = []
    for batch, features, units in [(3, 3, 3), (4, 3, 2), (1, 2, 3), (5, 4, 4)]:
        x = rng.normal(size=(batch, features)).round(2)
        W = rng.normal(size=(features, units)).round(2)
        b = (rng.normal(size=units) + 1.0).round(2)  # a positive bias keeps most units switched on
        a = x @ W + b
        b = b + np.where(np.abs(a).min(axis=0) < 0.01, 0.05, 0.0)  # keep relu's kink out of reach of eps
        cases.append((x, W, b, rng.normal(size=(batch, units)).round(2)))
    return cases


def _measured_dense_relu_gradients(x, W, b, grad_h):
    def loss_of(x_, W_, b_):
        return float(np.sum(np.maximum(x_ @ W_ + b_, 0) * grad_h))

    return (numerical_gradient(lambda v: loss_of(v, W, b), x.copy()),
            numerical_gradient(lambda v: loss_of(x, v, b), W.copy()),
            numerical_gradient(lambda v: loss_of(x, W, v), b.copy()))


def check_dense_relu_backward(dense_relu_backward: Callable) -> None:
    """Check the fixed ``dense_relu_backward(x, W, b, grad_h)`` of ``h = relu(x @ W + b)``.

    The truth is measured by central differences of ``sum(relu(x @ W + b) * grad_h)``.
    The feedback names the first gradient that is wrong and asks the question that
    leads to it, never the corrected line.

    Examples
    --------
    The function as given, with both bugs, and the feedback it gets:

    >>> from chapter2.exercises.backprop import buggy_dense_relu_backward
    >>> try: check_dense_relu_backward(buggy_dense_relu_backward)  # doctest: +ELLIPSIS
    ... except ExerciseFailed: pass
    Not quite yet. grad_W, the gradient for W, is wrong on a layer of 3 samples, 3 features and 3 units...
    The input was:
    ...
    Each W[k, j] reaches the loss once for every sample i of the batch. Write dL/dW[k, j] as a sum...
    """
    require_callable(dense_relu_backward, "dense_relu_backward")
    for x, W, b, grad_h in _dense_relu_cases():
        args = (x, W, b, grad_h)
        got = call_student(dense_relu_backward, *[a.copy() for a in args], task="dense_relu_backward")
        expected = _measured_dense_relu_gradients(x, W, b, grad_h)
        names = tuple(_DENSE_RELU_PARTS)
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            check_tuple_result(got, expected, args, "dense_relu_backward", parts=names)
        for name, part, truth in zip(names, got, expected):
            if not isinstance(part, np.ndarray):  # None, a list...: the generic message says what came back
                check_array_result(part, truth, args, f"dense_relu_backward (its {name})", check_dtype=False)
        layer = f"a layer of {_count(x.shape[0], 'sample')}, {_count(x.shape[1], 'feature')} and " \
                f"{_count(W.shape[1], 'unit')}"
        wrong = [name for name, g, e in zip(_DENSE_RELU_PARTS, got, expected)
                 if np.shape(g) != e.shape or not np.allclose(g, e, rtol=1e-6, atol=1e-8)]
        if not wrong:
            continue
        name = wrong[0]
        param, question = _DENSE_RELU_PARTS[name]
        given = np.shape(got[list(_DENSE_RELU_PARTS).index(name)])
        expected_shape = expected[list(_DENSE_RELU_PARTS).index(name)].shape
        if given != expected_shape:
            headline = (f"{name}, the gradient for {param}, has shape {given} on {layer}, but {param} "
                        f"has shape {expected_shape}: a gradient has the shape of what it is the "
                        "gradient of.")
        else:
            headline = (f"{name}, the gradient for {param}, is wrong on {layer}: it differs from "
                        "the gradient measured by finite differences.")
        if len(wrong) == 3:
            question = ("All three gradients are off, and all three pass through the relu: check the "
                        "relu step first (where does it let the gradient through?).")
        fail(headline, f"The input was:{_format_args(args)}", question)
    passed("dense_relu_backward agrees with finite differences on 4 layers: both bugs are fixed.")


# --------------------------------------------------- a new autodiff operation

def _student_array(fn: Callable, args: tuple, shape: tuple[int, ...], task: str, what: str) -> np.ndarray:
    """Call one of the student's two functions; fail kindly unless it returns an array of ``shape``."""
    got = call_student(fn, *[a.copy() for a in args], task=task)
    if got is None:
        fail(f"{task} returned None.", "Did you forget the `return` statement?")
    try:
        array = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        fail(f"{task} returned {_short(got)}, but {what} (an array of numbers) was expected.")
    if array.shape != shape:
        fail(f"{task} returned an array of shape {array.shape} for inputs of shape {shape}.",
             "tanh works entry by entry: every array it takes or gives has the shape of its input.")
    return array


def _tanh_from(tanh_forward: Callable, tanh_backward: Callable) -> Callable[[Tensor], Tensor]:
    """The student's two functions, wired into an operation by the engine's own helper."""
    def forward(x):
        return _student_array(tanh_forward, (x,), x.shape, "tanh_forward", "the output's values")

    def backward(x, y, grad_y):
        return _student_array(tanh_backward, (x, y, grad_y), x.shape, "tanh_backward",
                              "the gradient for x")
    return elementwise_op("tanh", forward, backward)


def check_tanh_op(tanh_forward: Callable, tanh_backward: Callable) -> None:
    """Check a ``tanh`` operation for :mod:`chapter2.autodiff`, given as two array functions.

    ``tanh_forward(x)`` gives the output's values; ``tanh_backward(x, y, grad_y)`` the
    gradient for ``x``. The check wires them into an operation with
    :func:`chapter2.autodiff.elementwise_op`, compares the values with ``np.tanh`` and
    runs the operation in three small graphs: a weighted sum (the gradient arriving at
    the output is not 1), one where ``x`` reaches the loss along three paths, and one
    after a matrix product. Each gradient is compared with central differences.

    Examples
    --------
    A first attempt that forgets the gradient arriving from above, and the feedback it gets:

    >>> try: check_tanh_op(np.tanh, lambda x, y, grad_y: 1 - y ** 2)  # doctest: +ELLIPSIS
    ... except ExerciseFailed: pass
    Not quite yet. In the graph L = sum(tanh(x) * c), the gradient your tanh_backward sent to x is off...
    ...
    """
    require_callable(tanh_forward, "tanh_forward")
    require_callable(tanh_backward, "tanh_backward")
    tanh = _tanh_from(tanh_forward, tanh_backward)
    values = np.array([-2.0, -0.5, 0.0, 0.7, 3.0])
    weights = np.array([0.5, -1.0, 2.0, 1.5, -0.25])
    x = Tensor(values.copy(), label="x")
    out = tanh(x)
    if not np.allclose(out.data, np.tanh(values), rtol=1e-9, atol=1e-12):
        fail(f"For x = {_short(values)}, tanh_forward gave {_short(np.round(out.data, 4))}, "
             "which is not tanh of x.",
             "NumPy computes the forward values for you.")

    (out * weights).sum().backward()
    measured = numerical_gradient(lambda v: float(np.sum(np.tanh(v) * weights)), values.copy())
    if not np.allclose(x.grad, measured, rtol=1e-6, atol=1e-8):
        seed_one = np.allclose(x.grad, measured / weights, rtol=1e-6, atol=1e-8)
        hint = ("Your gradient would be right if the loss were sum(tanh(x)) itself. Here each output "
                "is multiplied by a weight c before the sum, so the gradient arriving at tanh's output, "
                "grad_y, is not 1: the chain rule needs it." if seed_one else
                "tanh's derivative is 1 − tanh(x)²: compare it with the factor your function uses. Is "
                "it computed from the input or from the output, and is it squared?")
        fail(f"In the graph L = sum(tanh(x) * c), the gradient your tanh_backward sent to x is off: "
             f"{_short(np.round(x.grad, 4))} for x = {_short(values)} and c = {_short(weights)}, "
             "while finite differences measure something else.", hint)

    x = Tensor(values.copy(), label="x")
    (tanh(x) * tanh(x) + x).sum().backward()
    measured = numerical_gradient(lambda v: float(np.sum(np.tanh(v) ** 2 + v)), values.copy())
    if not np.allclose(x.grad, measured, rtol=1e-6, atol=1e-8):
        fail("In the graph L = sum(tanh(x) * tanh(x) + x), where x reaches the loss along three "
             "paths, its gradient is off, although a single use of tanh was right.",
             "Does your tanh_backward depend on anything besides its three arguments?")

    rng = np.random.default_rng(_SEED)
    inputs, matrix = rng.normal(size=(2, 3)).round(2), rng.normal(size=(3, 2)).round(2)
    W = Tensor(matrix.copy(), label="W")
    hidden = tanh(Tensor(inputs, requires_grad=False) @ W)
    (hidden * hidden).sum().backward()
    measured = numerical_gradient(lambda m: float(np.sum(np.tanh(inputs @ m) ** 2)), matrix.copy())
    if not np.allclose(W.grad, measured, rtol=1e-6, atol=1e-8):
        fail("In the graph L = sum(tanh(x @ W)²), the gradient reaching W through your tanh is off.",
             "Here tanh's input is a matrix computed from W; does your tanh_backward assume a "
             "vector, or anything else about its inputs?")
    passed("tanh gives the right values, and its gradients agree with finite differences in 3 graphs: "
           "with weights after it, along several paths, and after a matrix product.")
