"""chapter2.autodiff.elementwise_op: new operations agree with finite differences and with the built-in ones."""

import numpy as np
import pytest

from chapter2.autodiff import Tensor, elementwise_op
from chapter2.errors import InputValueError
from chapter2.gradcheck import numerical_gradient

SIN = elementwise_op("sin", np.sin, lambda x, y, grad_y: grad_y * np.cos(x))
EXP = elementwise_op("exp", np.exp, lambda x, y, grad_y: grad_y * y)


def test_gradient_matches_finite_differences_in_a_graph():
    values, weights = np.array([[0.3, -1.2, 2.0], [0.0, 0.7, -0.4]]), np.array([1.5, -2.0, 0.5])
    x = Tensor(values.copy())
    (SIN(x) * SIN(x) * weights + x).sum().backward()  # two uses: the shares must add up
    measured = numerical_gradient(lambda v: float(np.sum(np.sin(v) ** 2 * weights + v)), values.copy())
    np.testing.assert_allclose(x.grad, measured, rtol=1e-7, atol=1e-9)


def test_same_as_the_built_in_exp():
    values = np.array([-1.0, 0.5, 2.0])
    mine, theirs = Tensor(values.copy()), Tensor(values.copy())
    (EXP(mine) * 3.0).sum().backward()
    (theirs.exp() * 3.0).sum().backward()
    np.testing.assert_array_equal(mine.grad, theirs.grad)
    assert EXP(Tensor(values)).op == "exp" and EXP.__name__ == "exp"


def test_keeps_float32():
    x = Tensor(np.array([0.5, -0.5], dtype=np.float32))
    out = SIN(x)
    out.sum().backward()
    assert out.dtype == np.float32 and x.grad.dtype == np.float32


def test_wrong_shapes_are_refused():
    bad_forward = elementwise_op("bad", lambda x: x.sum(), lambda x, y, g: g)
    with pytest.raises(InputValueError, match="forward of bad returned shape"):
        bad_forward(Tensor([1.0, 2.0]))
    bad_backward = elementwise_op("bad", np.tanh, lambda x, y, g: g.sum())
    out = bad_backward(Tensor([1.0, 2.0]))
    with pytest.raises(InputValueError, match="backward of bad returned shape"):
        out.sum().backward()
