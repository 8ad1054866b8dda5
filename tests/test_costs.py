"""chapter2.costs: parameter, multiply-add and byte counts agree with what NumPy and the models do."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from chapter2 import layers, models
from chapter2.costs import (
    array_bytes,
    dense_parameter_counts,
    exact_quotients,
    exact_round_trips,
    training_step_multiply_adds,
)
from chapter2.errors import InputValueError


@pytest.mark.parametrize("hidden", [1, 32, 512])
def test_parameter_counts_match_the_models_own_count(hidden):
    network = models.Sequential()
    network.add(layers.Dense(hidden, activation="relu", input_shape=(784,)))
    network.add(layers.Dense(10, activation="softmax"))
    counts = dense_parameter_counts((784, hidden, 10))
    assert sum(k + b for k, b in counts) == network.count_params()
    assert [k + b for k, b in counts] == [layer.count_params() for layer in network.layers]


def test_multiply_adds_are_the_sizes_of_the_matrix_products():
    # Count each product by its operands' shapes, as np.matmul of (B, n_in) by (n_in, n_out) does.
    batch, sizes = 7, (5, 4, 3, 2)
    forward = sum(batch * a * b for a, b in zip(sizes[:-1], sizes[1:]))
    counts = training_step_multiply_adds(sizes, batch)
    assert counts["forward"] == counts["weight gradients"] == forward
    assert counts["input gradients"] == batch * (4 * 3 + 3 * 2)
    assert counts["total"] == 2 * forward + counts["input gradients"]


def test_the_chapters_network_costs_about_105_million_multiply_adds_per_batch_of_128():
    assert training_step_multiply_adds((784, 512, 10), 128)["total"] == 104_726_528


@pytest.mark.parametrize("dtype", ["uint8", "float32", "float64", "float16"])
def test_bytes_match_numpy(dtype):
    assert array_bytes((60, 7), dtype) == np.zeros((60, 7), dtype=dtype).nbytes


def test_quotients_by_255_are_exact_only_for_0_and_255():
    quotients = np.arange(256, dtype=np.float32) / np.float32(255)
    exact = [k for k in range(256) if Fraction(float(quotients[k])) == Fraction(k, 255)]
    assert exact == [0, 255]
    assert exact_quotients("float32") == 2 == exact_quotients("float64")


def test_quotients_by_a_power_of_two_are_all_exact():
    assert exact_quotients("float32", levels=257) == 257


def test_every_pixel_value_survives_the_round_trip_in_float32():
    assert exact_round_trips("float32") == 256


def test_a_divisor_whose_round_trip_fails_is_counted():
    # 1 / 49 * 49 is the classic case that comes back as 0.9999999999999999 in float64.
    assert 1 / 49 * 49 != 1
    k = np.arange(50, dtype=np.float64)
    lost = int(np.count_nonzero(k / 49.0 * 49.0 != k))
    assert exact_round_trips("float64", levels=50) == 50 - lost < 50


@pytest.mark.parametrize("sizes", [(784,), (784, 0, 10), ()])
def test_sizes_that_are_not_a_network_are_refused(sizes):
    with pytest.raises(InputValueError):
        dense_parameter_counts(sizes)


def test_a_batch_of_no_samples_is_refused():
    with pytest.raises(InputValueError):
        training_step_multiply_adds((784, 10), 0)
