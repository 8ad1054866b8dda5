"""chapter2.twoclass and chapter2.finite_differences, checked against independent truths."""

from __future__ import annotations

import math

import numpy as np
import pytest

from chapter2.finite_differences import (central_difference_errors, directional_derivatives,
                                         linearization_errors, unit_direction)
from chapter2.gradcheck import numerical_gradient
from chapter2.twoclass import binary_crossentropy, naive_sigmoid, sigmoid, two_class_softmax


def test_sigmoid_matches_the_formula_and_keeps_float32():
    z = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(sigmoid(z), [1 / (1 + math.exp(-v)) for v in z], rtol=1e-12)
    assert sigmoid(z.astype(np.float32)).dtype == np.float32


def test_sigmoid_does_not_overflow_where_the_naive_formula_does():
    z = np.array([-100.0, -1000.0], dtype=np.float32)
    with np.errstate(over="raise"):
        stable = sigmoid(z)
        assert float(stable[0]) == pytest.approx(math.exp(-100), rel=0.05)   # a float32 subnormal
        assert float(stable[1]) == 0.0
        with pytest.raises(FloatingPointError):
            naive_sigmoid(z)


def test_two_class_softmax_is_the_sigmoid_of_the_difference():
    scores = np.random.default_rng(0).normal(0, 5, size=(100, 2))
    np.testing.assert_allclose(two_class_softmax(scores)[:, 1], sigmoid(scores[:, 1] - scores[:, 0]), atol=1e-14)
    np.testing.assert_allclose(two_class_softmax(scores).sum(axis=1), 1.0)


def test_binary_crossentropy_picks_the_true_class_and_clips():
    got = binary_crossentropy(np.array([0.8, 0.8, 0.0, 1.0]), np.array([1, 0, 1, 1]))
    np.testing.assert_allclose(got[:2], [-math.log(0.8), -math.log(0.2)])
    assert got[2] == pytest.approx(-math.log(1e-7))
    assert np.all(np.isfinite(got))


def test_central_difference_error_falls_like_h_squared_then_rounding_takes_over():
    steps = 10.0 ** -np.arange(1, 13)
    err = central_difference_errors(np.exp, 1.0, 0.0, steps)
    assert err[0] / err[1] == pytest.approx(100, rel=0.02)        # the h² law for large h
    assert 1e-6 <= steps[np.argmin(err)] <= 1e-4                   # the bottom of the U in float64
    assert err[-1] > 100 * err.min()                               # rounding wins for tiny h
    err32 = central_difference_errors(np.exp, 1.0, 0.0, steps, np.float32)
    assert steps[np.argmin(err32)] >= 1e-3 and err32.min() > 1e3 * err.min()


def test_linearization_error_shrinks_like_the_square_of_the_step():
    def f(v):
        return float(np.sin(v[0]) * np.exp(v[1]))

    w = np.array([0.3, -0.2])
    g = numerical_gradient(f, w.copy())
    lengths = [1e-1, 1e-2, 1e-3]
    ratios = linearization_errors(f, g, w, np.array([1.0, 2.0]), lengths) / np.square(lengths)
    assert ratios[1] == pytest.approx(ratios[2], rel=0.05)


def test_directional_derivative_is_the_dot_product_and_peaks_along_the_gradient():
    g = np.array([-1.2, 3.8])
    angles = np.arange(0.0, 360.0, 1.0)
    slopes = directional_derivatives(g, angles)
    np.testing.assert_allclose(slopes, [g @ unit_direction(a) for a in angles])
    best = math.degrees(math.atan2(g[1], g[0])) % 360
    assert abs(angles[np.argmax(slopes)] - best) <= 0.5
    assert slopes.min() == pytest.approx(-np.linalg.norm(g), rel=1e-4)
