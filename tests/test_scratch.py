"""chapter2.scratch: the from-scratch network agrees with calculus, NumPy and the engine."""

from __future__ import annotations

import numpy as np
import pytest

from chapter2 import layers, models, optimizers
from chapter2.errors import InputTypeError, InputValueError
from chapter2.gradcheck import check_gradient, numerical_gradient, relative_error
from chapter2.scratch import (
    EPSILON,
    backward,
    batch_indices,
    crossentropy,
    evaluate,
    forward,
    init_params,
    predict,
    relu,
    rmsprop_step,
    softmax,
    train,
)

SIZES = (6, 5, 4)


@pytest.fixture
def problem():
    """A small float64 network and batch, with one-hot targets."""
    rng = np.random.default_rng(0)
    params = init_params(rng, sizes=SIZES, dtype="float64")
    # Non-zero biases so that their gradients are tested on a general point.
    params["b1"] = rng.normal(size=5)
    params["b2"] = rng.normal(size=4)
    x = rng.normal(size=(8, 6))
    targets = np.eye(4)[rng.integers(0, 4, size=8)]
    return params, x, targets


def loss_of(params, x, targets):
    probs, _ = forward(params, x)
    return crossentropy(probs, targets)


# ------------------------------------------------------------ building blocks
def test_init_params_follows_glorot_uniform_and_zero_biases():
    params = init_params(np.random.default_rng(1), sizes=(784, 512, 10))
    limit1, limit2 = np.sqrt(6 / (784 + 512)), np.sqrt(6 / (512 + 10))
    assert np.abs(params["W1"]).max() <= limit1 and np.abs(params["W2"]).max() <= limit2
    # A uniform draw on [-a, a] has standard deviation a / sqrt(3).
    assert params["W1"].std() == pytest.approx(limit1 / np.sqrt(3), rel=0.01)
    assert not params["b1"].any() and not params["b2"].any()
    assert all(p.dtype == np.float32 for p in params.values())


def test_init_params_is_reproducible_from_a_seed():
    a = init_params(np.random.default_rng(5), sizes=SIZES)
    b = init_params(np.random.default_rng(5), sizes=SIZES)
    assert all(np.array_equal(a[k], b[k]) for k in a)


def test_init_params_refuses_a_seed_instead_of_a_generator():
    with pytest.raises(InputTypeError, match="Generator"):
        init_params(42)


def test_relu_and_softmax_match_their_definitions():
    z = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]])
    np.testing.assert_array_equal(relu(z), np.where(z > 0, z, 0))
    expected = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(softmax(z), expected)


def test_softmax_survives_huge_scores():
    probs = softmax(np.array([[1000.0, 1000.0, -1000.0]]))
    np.testing.assert_allclose(probs, [[0.5, 0.5, 0.0]])


def test_crossentropy_is_the_mean_negative_log_of_the_true_class():
    probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    targets = np.array([[1.0, 0, 0], [0, 0, 1.0]])
    assert crossentropy(probs, targets) == pytest.approx(-(np.log(0.7) + np.log(0.8)) / 2)


def test_crossentropy_clips_a_zero_probability():
    loss = crossentropy(np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]]))
    assert loss == pytest.approx(-np.log(EPSILON))


# ------------------------------------------------------------ gradients
@pytest.mark.parametrize("name", ["W1", "b1", "W2", "b2"])
def test_backward_matches_finite_differences(problem, name):
    params, x, targets = problem
    probs, hidden = forward(params, x)
    analytic = backward(params, x, hidden, probs, targets)[name]

    def loss_at(value):
        return loss_of({**params, name: value}, x, targets)

    assert check_gradient(loss_at, params[name].copy(), analytic) < 1e-6


def test_backward_matches_the_chapter2_engine(problem):
    params, x, targets = problem
    model = models.Sequential([layers.Dense(5, activation="relu", input_shape=(6,), dtype="float64"),
                               layers.Dense(4, activation="softmax", dtype="float64")])
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy")
    model.set_weights([params["W1"], params["b1"], params["W2"], params["b2"]])
    engine_loss, engine_grads = model.compute_gradients(x, targets)
    probs, hidden = forward(params, x)
    grads = backward(params, x, hidden, probs, targets)
    assert crossentropy(probs, targets) == pytest.approx(engine_loss, rel=1e-12)
    for name, engine_grad in zip(["W1", "b1", "W2", "b2"], engine_grads):
        assert relative_error(grads[name], engine_grad) < 1e-12


def test_a_single_first_layer_weight_matches_finite_differences(problem):
    # One entry checked on its own, so a transposed or shifted gradient cannot hide in an average.
    params, x, targets = problem
    probs, hidden = forward(params, x)
    analytic = backward(params, x, hidden, probs, targets)["W1"][2, 3]
    numeric = numerical_gradient(lambda w: loss_of({**params, "W1": w}, x, targets),
                                 params["W1"].copy())[2, 3]
    assert analytic == pytest.approx(numeric, rel=1e-5, abs=1e-9)


# ------------------------------------------------------------ RMSprop
def test_rmsprop_step_follows_the_written_rule():
    params, state = {"w": np.array([1.0, -2.0])}, {}
    g1, g2 = np.array([0.5, 0.1]), np.array([-0.3, 0.2])
    rmsprop_step(params, {"w": g1}, state, learning_rate=0.01)
    rmsprop_step(params, {"w": g2}, state, learning_rate=0.01)
    v1 = 0.1 * g1**2
    w1 = np.array([1.0, -2.0]) - 0.01 * g1 / np.sqrt(v1 + 1e-7)
    v2 = 0.9 * v1 + 0.1 * g2**2
    w2 = w1 - 0.01 * g2 / np.sqrt(v2 + 1e-7)
    np.testing.assert_allclose(params["w"], w2, rtol=1e-12)
    np.testing.assert_allclose(state["w"], v2, rtol=1e-12)


def test_rmsprop_step_matches_the_chapter2_optimizer():
    rng = np.random.default_rng(3)
    mine = {"a": rng.normal(size=(3, 4)), "b": rng.normal(size=4)}
    theirs = [mine["a"].copy(), mine["b"].copy()]
    optimizer, state = optimizers.RMSprop(), {}
    for _ in range(5):
        grads = {"a": rng.normal(size=(3, 4)), "b": rng.normal(size=4)}
        rmsprop_step(mine, grads, state)
        optimizer.apply([grads["a"], grads["b"]], theirs)
    np.testing.assert_allclose(mine["a"], theirs[0], rtol=1e-12)
    np.testing.assert_allclose(mine["b"], theirs[1], rtol=1e-12)


# ------------------------------------------------------------ the loop
def test_batch_indices_visit_every_sample_once_per_epoch():
    batches = list(batch_indices(10, 4, np.random.default_rng(0)))
    assert [len(b) for b in batches] == [4, 4, 2]
    assert sorted(np.concatenate(batches).tolist()) == list(range(10))


def blobs(n=200, seed=0):
    """Four well-separated clusters in 6 dimensions, one per class."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 4, size=n)
    centres = 3 * np.eye(4, 6)
    x = (centres[labels] + rng.normal(scale=0.5, size=(n, 6))).astype("float32")
    return x, np.eye(4, dtype="float32")[labels]


def test_training_lowers_the_loss_and_learns_separable_classes():
    x, targets = blobs()
    params = init_params(np.random.default_rng(1), sizes=SIZES)
    before, _ = evaluate(params, x, targets)
    history = train(params, x, targets, epochs=20, batch_size=32, learning_rate=0.01,
                    rng=np.random.default_rng(2))
    after, accuracy = evaluate(params, x, targets)
    assert after < before / 5
    assert accuracy == 1.0
    assert history["loss"][-1] < history["loss"][0]
    assert len(history["batch_loss"]) == 20 * 7


def test_training_reports_what_the_batches_saw():
    # With one batch per epoch, the epoch loss is the loss before that epoch's update.
    x, targets = blobs(n=40)
    params = init_params(np.random.default_rng(1), sizes=SIZES)
    before, accuracy_before = evaluate(params, x, targets)
    history = train(params, x, targets, epochs=1, batch_size=40)
    assert history["loss"][0] == pytest.approx(before, rel=1e-5)
    assert history["accuracy"][0] == accuracy_before


def test_training_is_reproducible_with_the_same_seeds():
    x, targets = blobs()
    runs = []
    for _ in range(2):
        params = init_params(np.random.default_rng(4), sizes=SIZES)
        runs.append(train(params, x, targets, epochs=2, batch_size=16, rng=np.random.default_rng(5)))
    assert runs[0] == runs[1]


def test_on_epoch_hears_every_epoch():
    x, targets = blobs(n=32)
    heard = []
    train(init_params(np.random.default_rng(0), sizes=SIZES), x, targets, epochs=3, batch_size=8,
          on_epoch=lambda epoch, loss, acc: heard.append(epoch))
    assert heard == [1, 2, 3]


def test_predict_in_batches_equals_one_big_forward_pass():
    x, _ = blobs(n=25)
    params = init_params(np.random.default_rng(0), sizes=SIZES)
    np.testing.assert_allclose(predict(params, x, batch_size=7), forward(params, x)[0], rtol=1e-6)


@pytest.mark.parametrize("change, message", [
    ({"x": np.zeros((10, 5), dtype="float32")}, "x must have shape"),
    ({"targets": np.zeros(10, dtype="float32")}, "to_categorical"),
    ({"epochs": 0}, "epochs"),
    ({"batch_size": 2.5}, "batch_size"),
])
def test_train_explains_bad_inputs(change, message):
    x, targets = blobs(n=10)
    arguments = {"x": x, "targets": targets, "epochs": 1, "batch_size": 4, **change}
    params = init_params(np.random.default_rng(0), sizes=SIZES)
    with pytest.raises(InputValueError, match=message):
        train(params, arguments.pop("x"), arguments.pop("targets"), **arguments)
