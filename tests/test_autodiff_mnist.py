"""The autodiff MNIST network against the engine's hand-written backward pass.

The engine (chapter2.models / chapter2.layers) computes gradients with
hand-derived formulas; autodiff derives them from the forward pass alone. Two
independent routes agreeing on a real MNIST batch is the check.
"""

from __future__ import annotations

import numpy as np
import pytest

from chapter2 import layers, models, optimizers
from chapter2.autodiff import Dense, Network, accuracy, fit, mnist_network, softmax_cross_entropy
from chapter2.datasets import mnist
from chapter2.errors import DatasetError, InputValueError
from chapter2.gradcheck import check_gradient
from chapter2.utils import set_random_seed, to_categorical


@pytest.fixture(scope="module")
def data():
    try:
        (x_train, y_train), (x_test, y_test) = mnist.load_data()
    except DatasetError as exc:  # pragma: no cover - only where MNIST is absent
        pytest.skip(f"MNIST not available: {exc}")
    x_train = x_train.reshape(len(x_train), 784).astype("float32") / 255
    x_test = x_test.reshape(len(x_test), 784).astype("float32") / 255
    return x_train, y_train, x_test, y_test


def engine_model(dtype: str = "float32") -> models.Sequential:
    model = models.Sequential([layers.Dense(512, activation="relu", input_shape=(784,), dtype=dtype),
                               layers.Dense(10, activation="softmax", dtype=dtype)])
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def test_same_seed_gives_the_engine_and_autodiff_identical_initial_weights():
    set_random_seed(3)
    engine = engine_model()
    set_random_seed(3)
    net = mnist_network()
    for ours, theirs in zip(net.get_weights(), engine.get_weights(), strict=True):
        assert ours.dtype == theirs.dtype == np.float32
        np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("dtype, tolerance", [("float32", 1e-5), ("float64", 1e-12)])
def test_autodiff_gradients_equal_the_engines_on_a_real_mnist_batch(data, dtype, tolerance):
    x_train, y_train, _, _ = data
    x, y = x_train[:128].astype(dtype), to_categorical(y_train[:128], 10, dtype=dtype)
    set_random_seed(0)
    engine = engine_model(dtype)
    net = mnist_network(dtype=dtype)
    net.set_weights(engine.get_weights())
    engine_loss, engine_grads = engine.compute_gradients(x, y)

    loss = softmax_cross_entropy(net(x), y)
    loss.backward()
    assert loss.item() == pytest.approx(engine_loss, rel=tolerance)
    for p, g in zip(net.parameters(), engine_grads, strict=True):
        assert p.grad.shape == g.shape and p.grad.dtype == np.dtype(dtype)
        assert np.max(np.abs(p.grad - g)) <= tolerance * np.max(np.abs(g)), p.label


def test_whole_network_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 6))
    labels = rng.integers(0, 3, size=8)
    set_random_seed(1)
    net = Network([Dense(6, 5, "relu", "float64"), Dense(5, 3, None, "float64")])
    softmax_cross_entropy(net(x), labels).backward()
    for p in net.parameters():
        def loss_at(values, p=p):
            saved, p.data = p.data, values
            try:
                return softmax_cross_entropy(net(x), labels).item()
            finally:
                p.data = saved
        assert check_gradient(loss_at, p.data.copy(), p.grad) < 1e-6, p.label


@pytest.mark.slow
def test_one_epoch_reaches_95_percent_and_agrees_with_the_engine(data):
    # The full 5-epoch comparison is in benchmarks/autodiff_vs_engine.py (too slow for a test).
    x_train, y_train, x_test, y_test = data
    y_onehot = to_categorical(y_train, 10)
    set_random_seed(0)
    engine = engine_model()
    engine.fit(x_train, y_onehot, epochs=1, batch_size=128, verbose=0)
    engine_accuracy = engine.evaluate(x_test, to_categorical(y_test, 10), verbose=0)[1]

    set_random_seed(0)
    net = mnist_network()
    history = fit(net, x_train, y_onehot, epochs=1, batch_size=128)
    ours = accuracy(net, x_test, y_test)
    assert ours > 0.95 and engine_accuracy > 0.95
    assert abs(ours - engine_accuracy) <= 0.005
    assert history["loss"][0] == pytest.approx(engine.history.history["loss"][0], rel=1e-3)


def test_training_reduces_the_loss(data):
    x_train, y_train, _, _ = data
    set_random_seed(0)
    net = mnist_network(hidden=32)
    history = fit(net, x_train[:512], y_train[:512].astype(int), epochs=3, batch_size=128)
    assert history["loss"][2] < history["loss"][0]


def test_each_training_step_uses_only_its_own_batch_gradient(data):
    # Replay two plain-SGD steps by hand; a gradient left over from step 1
    # would make fit's step-2 gradient differ from the fresh one.
    x_train, y_train, _, _ = data
    x, labels = x_train[:256], y_train[:256].astype(int)
    set_random_seed(0)
    net = mnist_network(hidden=16)
    start = net.get_weights()
    fit(net, x, labels, epochs=1, batch_size=128, optimizer=optimizers.SGD(learning_rate=0.5), shuffle=False)

    replay = mnist_network(hidden=16)
    replay.set_weights(start)
    for batch in (slice(0, 128), slice(128, 256)):
        replay.zero_grad()
        softmax_cross_entropy(replay(x[batch]), labels[batch]).backward()
        if batch.start == 0:
            for p in replay.parameters():
                p.data -= 0.5 * p.grad
    for ours, theirs in zip(net.parameters(), replay.parameters()):
        np.testing.assert_allclose(ours.grad, theirs.grad, rtol=1e-5, atol=1e-7)


def test_set_weights_checks_count_and_shapes():
    net = mnist_network(hidden=4)
    with pytest.raises(InputValueError, match="expected 4 weight arrays, got 1"):
        net.set_weights([np.zeros((784, 4))])
    with pytest.raises(InputValueError, match=r"W1.*\(784, 4\).*\(4, 784\)"):
        net.set_weights([np.zeros((4, 784)), np.zeros(4), np.zeros((4, 10)), np.zeros(10)])


def test_fit_refuses_mismatched_samples():
    net = mnist_network(hidden=4)
    with pytest.raises(InputValueError, match="3 in x and 2 in y"):
        fit(net, np.zeros((3, 784), dtype="float32"), np.array([0, 1]))
