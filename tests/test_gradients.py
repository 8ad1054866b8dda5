"""Every layer, activation and loss against central finite differences (float64)."""

import numpy as np
import pytest

from chapter2 import activations, layers, losses, models
from chapter2.utils import set_random_seed
from chapter2.gradcheck import check_gradient, numerical_gradient, relative_error

TOLERANCE = 1e-6


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


@pytest.mark.parametrize("name", ["linear", "relu", "sigmoid", "softmax"])
def test_activation_backward_matches_finite_differences(name, rng):
    act = activations.get(name)
    z = rng.normal(size=(4, 5))
    z[np.abs(z) < 1e-3] = 0.5          # keep relu away from its kink
    upstream = rng.normal(size=(4, 5))

    def scalar(zz):
        return float(np.sum(act(zz) * upstream))

    analytic = act.backward(act(z), upstream)
    assert check_gradient(scalar, z, analytic) < TOLERANCE


@pytest.mark.parametrize("activation", ["linear", "relu", "sigmoid", "softmax"])
def test_dense_gradients_for_kernel_bias_and_input(activation, rng):
    layer = layers.Dense(3, activation=activation, input_shape=(4,), dtype="float64")
    x = rng.normal(size=(5, 4))
    upstream = rng.normal(size=(5, 3))

    def loss_of(kernel=None, bias=None, inputs=None):
        saved = layer.kernel.copy(), layer.bias.copy()
        if kernel is not None:
            layer.kernel[...] = kernel
        if bias is not None:
            layer.bias[...] = bias
        out = layer.forward(x if inputs is None else inputs)
        layer.kernel[...], layer.bias[...] = saved
        return float(np.sum(out * upstream))

    layer.forward(x)
    grad_x = layer.backward(upstream)
    kernel_grad, bias_grad = layer.kernel_grad.copy(), layer.bias_grad.copy()
    assert check_gradient(lambda k: loss_of(kernel=k), layer.kernel.copy(), kernel_grad) < TOLERANCE
    assert check_gradient(lambda b: loss_of(bias=b), layer.bias.copy(), bias_grad) < TOLERANCE
    assert check_gradient(lambda xx: loss_of(inputs=xx), x.copy(), grad_x) < TOLERANCE


def _probabilities(rng, n=6, k=4):
    p = rng.uniform(0.05, 1.0, size=(n, k))
    return p / p.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("name", ["categorical_crossentropy", "sparse_categorical_crossentropy", "mse"])
def test_loss_gradient_matches_finite_differences(name, rng):
    loss = losses.get(name)
    y_pred = _probabilities(rng)
    labels = rng.integers(0, 4, size=6)
    y_true = labels if name.startswith("sparse") else np.eye(4)[labels]
    if name == "mse":
        y_true = rng.normal(size=(6, 4))
    analytic = loss.gradient(y_true, y_pred)
    assert check_gradient(lambda p: loss(y_true, p), y_pred.copy(), analytic) < TOLERANCE


@pytest.mark.parametrize("name", ["categorical_crossentropy", "sparse_categorical_crossentropy"])
def test_fused_softmax_crossentropy_gradient_is_the_gradient_wrt_scores(name, rng):
    loss = losses.get(name)
    scores = rng.normal(size=(6, 4))
    labels = rng.integers(0, 4, size=6)
    y_true = labels if name.startswith("sparse") else np.eye(4)[labels]
    analytic = loss.gradient_through_softmax(y_true, activations.softmax(scores))
    numeric = numerical_gradient(lambda s: loss(y_true, activations.softmax(s)), scores.copy())
    assert relative_error(analytic, numeric) < TOLERANCE


@pytest.mark.parametrize("loss_name,last", [("categorical_crossentropy", "softmax"),
                                            ("sparse_categorical_crossentropy", "softmax"),
                                            ("mse", "sigmoid"), ("mse", "linear")])
def test_whole_model_gradients_match_finite_differences(loss_name, last, rng):
    set_random_seed(0)   # fixed weights: no hidden unit sits within eps of relu's kink
    model = models.Sequential([layers.Dense(7, activation="relu", input_shape=(5,), dtype="float64"),
                               layers.Dense(3, activation=last, dtype="float64")])
    model.compile(optimizer="sgd", loss=loss_name)
    x = rng.normal(size=(8, 5))
    labels = rng.integers(0, 3, size=8)
    y = {"categorical_crossentropy": np.eye(3)[labels], "sparse_categorical_crossentropy": labels,
         "mse": rng.uniform(size=(8, 3))}[loss_name]
    _, grads = model.compute_gradients(x, y)
    for weight, grad in zip(model._weights(), grads):
        def loss_at(value, weight=weight):
            saved = weight.copy()
            weight[...] = value
            result = model.compute_gradients(x, y)[0]
            weight[...] = saved
            return result
        assert check_gradient(loss_at, weight.copy(), grad) < TOLERANCE


def test_a_wrong_gradient_is_caught(rng):
    """The check itself can fail: a gradient off by 1% is far above the tolerance."""
    x = rng.normal(size=5)
    assert check_gradient(lambda v: float(np.sum(v ** 3)), x, 3 * x ** 2 * 1.01) > 1e-3
