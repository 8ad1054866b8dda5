"""Tests of chapter2.rounding against independent truths (NumPy, math.fsum, trigonometry)."""

import math

import numpy as np
import pytest

from chapter2.rounding import (determinant, multiply_adds, reorthonormalise, repeated_rotation,
                               running_dot)
from chapter2.transforms import rotation


def test_multiply_adds_counts_the_loops_of_a_naive_product():
    assert multiply_adds((128, 784), (784, 512)) == 128 * 784 * 512
    with pytest.raises(ValueError):
        multiply_adds((2, 3), (4, 5))


def test_running_dot_float64_matches_exact_sum_closely():
    rng = np.random.default_rng(0)
    x, y = rng.uniform(size=1000), rng.uniform(size=1000)
    exact = math.fsum((x * y).tolist())
    assert abs(running_dot(x, y, np.float64) - exact) < 1e-12 * exact


def test_running_dot_float32_is_the_sequential_float32_loop():
    rng = np.random.default_rng(1)
    x = rng.uniform(size=200).astype(np.float32)
    y = rng.uniform(size=200).astype(np.float32)
    total = np.float32(0.0)
    for a, b in zip(x, y):
        total = np.float32(total + a * b)
    assert running_dot(x, y, np.float32) == float(total)


def test_repeated_rotation_float64_matches_one_rotation_by_the_total_angle():
    np.testing.assert_allclose(repeated_rotation(3.0, 50, np.float64), rotation(150.0), atol=1e-12)


def test_float32_drift_grows_and_the_guard_stops_it():
    drift = abs(determinant(repeated_rotation(1.0, 2000, np.float32)) - 1)
    guarded = abs(determinant(repeated_rotation(1.0, 2000, np.float32, guard=True)) - 1)
    assert drift > 1e-5 and guarded < 1e-6


def test_reorthonormalise_gives_a_rotation():
    fixed = reorthonormalise(np.array([[1.1, -0.2], [0.3, 0.9]]))
    np.testing.assert_allclose(fixed.T @ fixed, np.eye(2), atol=1e-12)
    assert determinant(fixed) == pytest.approx(1.0)


def test_determinant_matches_numpy():
    m = np.array([[1.5, -2.0], [0.25, 3.0]])
    assert determinant(m) == pytest.approx(np.linalg.det(m))
