"""chapter2.sgd_numerics: batch-gradient noise against its formula, optimizer memory against the optimizers."""

import numpy as np
import pytest

from chapter2.errors import InputTypeError, InputValueError
from chapter2.descent import linear_loss_grad, make_regression
from chapter2.optimizers import SGD, Adam, RMSprop
from chapter2.sgd_numerics import (STATE_ARRAYS, batch_gradient_spread, expected_batch_spread,
                                   gradient_spread, linear_sample_gradients, state_bytes)


@pytest.fixture(scope="module")
def line():
    return make_regression(n=200, weights=(2.0, -0.5), bias=-1.0, noise=0.3, seed=3)


def test_sample_gradients_are_the_loss_gradient_of_each_sample(line):
    x, y = line
    params = np.array([0.4, -0.2, 0.1])
    rows = linear_sample_gradients(params, x, y)
    assert rows.shape == (200, 3)
    for i in (0, 17, 199):
        np.testing.assert_allclose(rows[i], linear_loss_grad(params, x[i:i + 1], y[i:i + 1]), rtol=1e-12)
    # Their mean is the full gradient, as the mean squared error is the mean of the samples' errors.
    np.testing.assert_allclose(rows.mean(axis=0), linear_loss_grad(params, x, y), rtol=1e-12)


def test_gradient_spread_is_the_root_mean_square_distance_from_the_mean():
    rows = np.array([[3.0, 4.0], [-3.0, -4.0]])                # distances 5 and 5 from the mean (0, 0)
    assert gradient_spread(rows) == pytest.approx(5.0)
    assert gradient_spread(np.ones((4, 3))) == 0.0


def test_measured_spread_matches_the_formula_for_every_batch_size(line):
    x, y = line
    params = np.zeros(3)
    one = gradient_spread(linear_sample_gradients(params, x, y))
    for size in (1, 10, 100, 190):
        measured = batch_gradient_spread(linear_loss_grad, params, x, y, size, draws=4000, seed=1)
        assert measured == pytest.approx(expected_batch_spread(one, size, len(x)), rel=0.05)


def test_whole_data_set_as_a_batch_has_no_noise(line):
    x, y = line
    assert batch_gradient_spread(linear_loss_grad, np.zeros(3), x, y, len(x), draws=5) == pytest.approx(0.0, abs=1e-12)
    assert expected_batch_spread(2.5, len(x), len(x)) == 0.0


def test_expected_spread_is_one_over_sqrt_batch_for_a_large_data_set():
    for size in (1, 16, 256):
        assert expected_batch_spread(3.0, size, 10 ** 9) * np.sqrt(size) == pytest.approx(3.0, rel=1e-6)


def test_spread_is_reproducible_with_its_seed(line):
    x, y = line
    runs = [batch_gradient_spread(linear_loss_grad, np.zeros(3), x, y, 8, draws=50, seed=5) for _ in range(2)]
    assert runs[0] == runs[1]


@pytest.mark.parametrize("name, optimizer", [("SGD with momentum", SGD(learning_rate=0.1, momentum=0.9)),
                                             ("RMSprop", RMSprop()), ("Adam", Adam())])
def test_state_arrays_match_what_the_optimizers_allocate(name, optimizer):
    w = np.zeros((3, 4), dtype=np.float32)
    optimizer.apply([np.ones_like(w)], [w])
    (_, slots), = optimizer._slots.values()
    # "scratch" is a work buffer, not state carried between steps; Adam's step counter is one number.
    carried = [a for key, a in slots.items() if key != "scratch" and a.shape == w.shape]
    assert len(carried) == STATE_ARRAYS[name]
    assert sum(a.nbytes for a in carried) == state_bytes(w.size, itemsize=w.itemsize)[name]


def test_plain_sgd_needs_no_state():
    # The rule w <- w - lr * g reads only the weight and its gradient.
    assert STATE_ARRAYS["SGD"] == 0 and state_bytes(407_050)["SGD"] == 0


def test_state_bytes_of_the_mnist_network():
    assert state_bytes(407_050) == {"SGD": 0, "SGD with momentum": 1_628_200, "RMSprop": 1_628_200,
                                    "Adam": 3_256_400}
    assert state_bytes(10, itemsize=8)["Adam"] == 160


@pytest.mark.parametrize("call, error, message", [
    (lambda x, y: batch_gradient_spread(linear_loss_grad, np.zeros(3), x, y, 0), InputValueError, "batch_size"),
    (lambda x, y: batch_gradient_spread(linear_loss_grad, np.zeros(3), x, y, 201), InputValueError, "batch_size"),
    (lambda x, y: batch_gradient_spread(linear_loss_grad, np.zeros(3), x, y, 4, draws=0), InputValueError, "draws"),
    (lambda x, y: expected_batch_spread(1.0, 5, 4), InputValueError, "batch_size"),
    (lambda x, y: expected_batch_spread(1.0, 1, 1), InputValueError, "n must be"),
    (lambda x, y: expected_batch_spread(-1.0, 1, 10), InputValueError, "sample_spread"),
    (lambda x, y: gradient_spread(np.ones(3)), InputValueError, "must have shape"),
    (lambda x, y: state_bytes(2.5), InputTypeError, "num_weights"),
    (lambda x, y: state_bytes(10, itemsize=0), InputValueError, "itemsize"),
])
def test_bad_arguments_are_refused_with_their_name(line, call, error, message):
    with pytest.raises(error, match=message):
        call(*line)
