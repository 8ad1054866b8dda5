"""chapter2.autodiff.Tensor: every operation against finite differences, and its errors."""

from __future__ import annotations


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import chapter2.autodiff
from chapter2.autodiff import BackwardError, Tensor, softmax_cross_entropy
from chapter2.errors import Chapter2Error, InputTypeError, InputValueError
from chapter2.gradcheck import check_gradient

TOLERANCE = 1e-6  # float64 central differences are good to ~1e-9; a wrong derivative is off by >1e-2
# Random shapes sometimes give a gradient entry that nearly cancels to zero, where
# the finite difference's rounding error is relatively large (up to ~7e-7 seen in
# 1,500 random cases), so the property test allows a little more.
PROPERTY_TOLERANCE = 1e-5


def gradient_error(fn, *arrays: np.ndarray, seed: int = 0) -> float:
    """Largest relative error of autodiff against finite differences, over all inputs of ``fn``.

    A non-scalar output is reduced with fixed random weights, so every output
    entry's gradient is exercised, not just their sum.
    """
    arrays = [np.asarray(a, dtype=np.float64) for a in arrays]
    tensors = [Tensor(a.copy()) for a in arrays]
    out = fn(*tensors)
    weights = np.random.default_rng(seed).normal(size=out.shape)
    (out * weights).sum().backward()
    errors = []
    for i, tensor in enumerate(tensors):
        def scalar(x, i=i):
            args = [x if j == i else a for j, a in enumerate(arrays)]
            return float(np.sum(fn(*[Tensor(a) for a in args]).data * weights))
        errors.append(check_gradient(scalar, arrays[i].copy(), tensor.grad))
    return max(errors)


def random(shape, low=-2.0, high=2.0, seed=1):
    return np.random.default_rng(seed).uniform(low, high, size=shape)


def away_from_zero(shape, seed=1):
    """Values with |x| in [0.5, 2]: safe for division, relu kinks and logs of |x|."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0.5, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)


BROADCAST_PAIRS = [((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 1), (1, 4)), ((2, 3, 4), (3, 1)),
                   ((), (3,)), ((4,), (2, 3, 4)), ((1,), (2, 2))]
BINARY = {"add": lambda a, b: a + b, "subtract": lambda a, b: a - b,
          "multiply": lambda a, b: a * b, "divide": lambda a, b: a / b}


# ------------------------------------------------------------- gradient checks
@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("shapes", BROADCAST_PAIRS, ids=str)
def test_binary_op_gradients_match_finite_differences(name, shapes):
    a, b = random(shapes[0], seed=2), away_from_zero(shapes[1], seed=3)
    assert gradient_error(BINARY[name], a, b) < TOLERANCE


@pytest.mark.parametrize("name", BINARY)
def test_binary_op_values_match_numpy(name):
    a, b = random((3, 4)), away_from_zero((4,))
    numpy_op = {"add": np.add, "subtract": np.subtract, "multiply": np.multiply, "divide": np.divide}[name]
    np.testing.assert_array_equal(BINARY[name](Tensor(a), Tensor(b)).data, numpy_op(a, b))


@settings(max_examples=40, deadline=None)
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3),
       name=st.sampled_from(sorted(BINARY)), seed=st.integers(0, 1000))
def test_broadcast_gradients_have_operand_shapes_and_are_right(shapes, name, seed):
    a, b = random(shapes.input_shapes[0], seed=seed), away_from_zero(shapes.input_shapes[1], seed=seed + 1)
    ta, tb = Tensor(a), Tensor(b)
    BINARY[name](ta, tb).sum().backward()
    assert ta.grad.shape == a.shape and tb.grad.shape == b.shape
    assert gradient_error(BINARY[name], a, b, seed=seed) < PROPERTY_TOLERANCE


def test_python_numbers_and_arrays_mix_with_tensors_on_either_side():
    x = random((2, 3))
    checks = [lambda t: 2.0 * t, lambda t: t * 2.0, lambda t: 1.0 - t, lambda t: t - 1.0,
              lambda t: 3.0 / (t * t + 1.0), lambda t: -t, lambda t: np.ones((2, 3)) * t,
              lambda t: t ** 3, lambda t: (t * t + 1.0) ** 0.5]
    for fn in checks:
        assert gradient_error(fn, x) < TOLERANCE


@pytest.mark.parametrize("shapes", [((3, 4), (4, 2)), ((1, 5), (5, 1)), ((4, 4), (4, 7))], ids=str)
def test_matmul_gradients(shapes):
    a, b = random(shapes[0], seed=4), random(shapes[1], seed=5)
    assert gradient_error(lambda p, q: p @ q, a, b) < TOLERANCE
    np.testing.assert_allclose((Tensor(a) @ Tensor(b)).data, a @ b)


def test_matmul_with_a_plain_array_on_the_left():
    w = random((4, 2))
    assert gradient_error(lambda t: np.ones((3, 4)) @ t, w) < TOLERANCE


@pytest.mark.parametrize("reduce", ["sum", "mean"])
@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 2)], ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduction_gradients(reduce, axis, keepdims):
    x = random((2, 3, 4))
    fn = lambda t: getattr(t, reduce)(axis=axis, keepdims=keepdims)  # noqa: E731
    assert gradient_error(fn, x) < TOLERANCE
    np.testing.assert_allclose(fn(Tensor(x)).data, getattr(np, reduce)(x, axis=axis, keepdims=keepdims))


@pytest.mark.parametrize("name, fn, data", [
    ("relu", lambda t: t.relu(), away_from_zero((3, 4))),
    ("exp", lambda t: t.exp(), random((3, 4))),
    ("log", lambda t: t.log(), random((3, 4), low=0.3, high=3.0)),
])
def test_elementwise_function_gradients(name, fn, data):
    assert gradient_error(fn, data) < TOLERANCE


def test_elementwise_function_values_and_known_derivatives():
    x = np.array([-1.5, 0.5, 2.0])
    t = Tensor(x)
    (t.relu() + t.exp() + (t * t).log()).sum().backward()
    # d/dx [relu(x) + e^x + log(x^2)] = step(x) + e^x + 2/x
    np.testing.assert_allclose(t.grad, (x > 0) + np.exp(x) + 2 / x)


@pytest.mark.parametrize("fn", [
    lambda t: t.reshape(4, 6), lambda t: t.reshape((2, -1)), lambda t: t.reshape(24),
    lambda t: t.transpose(), lambda t: t.T, lambda t: t.transpose((1, 0, 2)),
], ids=["reshape-args", "reshape-tuple", "flatten", "transpose", "T", "transpose-axes"])
def test_reshape_and_transpose_gradients(fn):
    assert gradient_error(fn, random((2, 3, 4))) < TOLERANCE


def test_softmax_cross_entropy_gradient_one_hot_and_soft_and_integer_targets():
    logits = random((5, 4), low=-3, high=3)
    labels = np.array([0, 3, 1, 1, 2])
    one_hot = np.eye(4)[labels]
    soft = np.random.default_rng(7).dirichlet(np.ones(4), size=5)
    for targets in (one_hot, soft, labels):
        assert gradient_error(lambda z: softmax_cross_entropy(z, targets), logits) < TOLERANCE


def test_softmax_cross_entropy_value_matches_the_definition():
    logits = random((5, 4))
    labels = np.array([0, 3, 1, 1, 2])
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    expected = -np.mean(np.log(probs[np.arange(5), labels]))
    assert softmax_cross_entropy(Tensor(logits), labels).item() == pytest.approx(expected, rel=1e-12)


def test_softmax_cross_entropy_is_stable_for_huge_logits():
    logits = Tensor(np.array([[1000.0, 0.0, -1000.0], [0.0, 800.0, 0.0]]))
    loss = softmax_cross_entropy(logits, np.array([0, 0]))
    loss.backward()
    # sample 0 is right with certainty (loss 0); sample 1 misses by 800 (loss 800); mean 400
    assert loss.item() == pytest.approx(400.0)
    np.testing.assert_allclose(logits.grad, [[0, 0, 0], [-0.5, 0.5, 0]], atol=1e-12)


def test_chain_rule_through_a_composed_expression():
    # f(a, b) = exp(a * b) / b, so df/da = exp(ab) and df/db = a exp(ab)/b - exp(ab)/b^2
    a, b = Tensor(0.7), Tensor(-1.3)
    ((a * b).exp() / b).backward()
    e = np.exp(0.7 * -1.3)
    assert float(a.grad) == pytest.approx(e)
    assert float(b.grad) == pytest.approx(0.7 * e / -1.3 - e / 1.3 ** 2)


def test_a_tensor_used_twice_collects_both_contributions():
    x = Tensor(3.0)
    (x * x + x).backward()  # d/dx (x^2 + x) = 2x + 1
    assert float(x.grad) == 7.0


def test_backward_with_a_seed_gives_a_vector_jacobian_product():
    x = random((3,))
    t = Tensor(x)
    seed = np.array([1.0, -2.0, 0.5])
    (t * t).backward(seed)
    np.testing.assert_allclose(t.grad, seed * 2 * x)


# ----------------------------------------------------- dtypes and constants
def test_float32_stays_float32_through_ops_and_gradients():
    x = Tensor(np.ones((2, 3), dtype=np.float32))
    w = Tensor(np.ones((3, 2), dtype=np.float32))
    loss = ((x @ w + 1.0) * 0.5).relu().mean()
    loss.backward()
    assert loss.dtype == np.float32 and w.grad.dtype == np.float32


def test_integer_data_becomes_float64_and_strings_are_refused():
    assert Tensor([1, 2]).dtype == np.float64
    with pytest.raises(InputTypeError, match="dtype"):
        Tensor(["a", "b"])


def test_constants_get_no_gradient():
    x = Tensor(random((2, 3)), requires_grad=False)
    w = Tensor(random((3, 1)))
    (x @ w).sum().backward()
    assert x.grad is None
    np.testing.assert_allclose(w.grad, x.data.sum(axis=0, keepdims=True).T)


def test_gradients_are_independent_copies():
    a, b = Tensor(np.ones(3)), Tensor(np.ones(3))
    (a + b).sum().backward()
    a.grad[0] = 100.0
    assert b.grad[0] == 1.0


# ----------------------------------------------------------- clear errors
def test_backward_on_a_non_scalar_without_seed_names_the_shape():
    with pytest.raises(InputValueError, match=r"scalar.*\(3, 4\)"):
        (Tensor(np.ones((3, 4))) * 2.0).backward()


def test_backward_seed_of_the_wrong_shape_is_refused():
    with pytest.raises(InputValueError, match=r"\(3,\).*\(2,\)"):
        (Tensor(np.ones(3)) * 2.0).backward(np.ones(2))


def test_matmul_shape_mismatch_names_both_shapes():
    with pytest.raises(InputValueError, match=r"\(3, 4\) @ \(5, 2\)"):
        Tensor(np.ones((3, 4))) @ Tensor(np.ones((5, 2)))
    with pytest.raises(InputValueError, match="2-D"):
        Tensor(np.ones(3)) @ Tensor(np.ones((3, 2)))


@pytest.mark.parametrize("name", BINARY)
def test_broadcast_mismatch_names_both_shapes(name):
    with pytest.raises(InputValueError, match=rf"{name}.*\(3, 4\) and \(3,\)"):
        BINARY[name](Tensor(np.ones((3, 4))), Tensor(np.ones(3)))


def test_backward_twice_on_the_same_output_is_an_error():
    x = Tensor(2.0)
    y = x * x
    y.backward()
    with pytest.raises(BackwardError, match="already called"):
        y.backward()
    assert float(x.grad) == 4.0  # the failed call changed nothing


def test_a_stale_gradient_on_a_parameter_is_an_error_until_zero_grad():
    w = Tensor(2.0, label="w")
    (w * 3.0).backward()
    with pytest.raises(BackwardError, match="'w'.*zero_grad"):
        (w * 5.0).backward()
    w.zero_grad()
    (w * 5.0).backward()
    assert float(w.grad) == 5.0  # not 8.0: nothing piled up


def test_backward_error_is_a_chapter2_error_and_a_runtime_error():
    assert issubclass(BackwardError, Chapter2Error) and issubclass(BackwardError, RuntimeError)


def test_backward_on_something_without_parameters_is_refused():
    with pytest.raises(InputValueError, match="nothing to differentiate"):
        (Tensor(1.0, requires_grad=False) * 2.0).backward()


@pytest.mark.parametrize("call, pattern", [
    (lambda t: t.reshape(5, 5), r"\(2, 3, 4\).*\(5, 5\)"),
    (lambda t: t.sum(axis=3), "axis 3"),
    (lambda t: t.mean(axis=(0, -4)), "axis"),
    (lambda t: t.transpose((0, 0, 1)), "permutation"),
])
def test_bad_shapes_and_axes_are_named(call, pattern):
    with pytest.raises(InputValueError, match=pattern):
        call(Tensor(np.ones((2, 3, 4))))


def test_item_needs_exactly_one_element():
    assert Tensor([[2.5]]).item() == 2.5
    with pytest.raises(InputValueError, match=r"one element.*\(2,\)"):
        Tensor([1.0, 2.0]).item()


def test_tensor_exponent_is_refused_with_a_hint():
    with pytest.raises(InputTypeError, match="exponent"):
        Tensor(2.0) ** Tensor(3.0)


@pytest.mark.parametrize("targets, pattern", [
    (np.ones((4, 3)), r"\(3, 4\).*\(4, 3\)"),
    (np.array([0, 1, 4]), "0..3"),
    (np.array([0, 1]), r"\(3,\)"),
])
def test_softmax_cross_entropy_refuses_mismatched_targets(targets, pattern):
    with pytest.raises(InputValueError, match=pattern):
        softmax_cross_entropy(Tensor(np.zeros((3, 4))), targets)


def test_softmax_cross_entropy_needs_a_tensor():
    with pytest.raises(InputTypeError, match="Tensor"):
        softmax_cross_entropy(np.zeros((3, 4)), np.array([0, 1, 2]))


# ------------------------------------------------------------- the rest
def test_topological_order_puts_parents_first_and_each_node_once():
    a = Tensor(1.0)
    b = a * 2.0
    c = b + a
    d = c * b
    order = d.topological_order()
    assert order[-1] is d and len(order) == len({id(n) for n in order})
    position = {id(n): i for i, n in enumerate(order)}
    assert all(position[id(p)] < position[id(n)] for n in order for p in n.parents)


def test_repr_shows_value_or_shape_label_and_op():
    assert repr(Tensor(2.0, label="a")) == "Tensor(2, label='a')"
    assert repr(Tensor(np.ones((2, 3))) * 2.0) == "Tensor(shape=(2, 3), op='*')"


def test_importing_autodiff_loads_no_plotting_or_widgets():
    """The maths stays pure NumPy; the pictures of a graph live in chapter2.plotting.graph."""
    import subprocess
    import sys

    code = ("import sys, chapter2.autodiff; "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_moved_pictures_say_where_they_went():
    with pytest.raises(AttributeError, match="moved to chapter2.plotting.graph"):
        chapter2.autodiff.draw_graph
