"""Optimizer steps against updates computed by hand, one scalar at a time (float64)."""

import math

import numpy as np
import pytest

from chapter2 import optimizers
from chapter2.errors import InputTypeError, InputValueError

GRADS = [0.5, -1.25, 2.0, 0.0, 0.75]


def _run(optimizer, start=1.0):
    w = np.array([start])
    trace = []
    for g in GRADS:
        optimizer.apply([np.array([g])], [w])
        trace.append(float(w[0]))
    return trace


def _sgd_by_hand(lr, momentum=0.0, nesterov=False, w=1.0):
    v, trace = 0.0, []
    for g in GRADS:
        if momentum == 0:
            w = w - lr * g
        else:
            v = momentum * v - lr * g
            w = w + (momentum * v - lr * g if nesterov else v)
        trace.append(w)
    return trace


def _rmsprop_by_hand(lr, rho, eps, momentum=0.0, centered=False, w=1.0):
    s = a = m = 0.0
    trace = []
    for g in GRADS:
        s = rho * s + (1 - rho) * g * g
        denominator = s + eps
        if centered:
            a = rho * a + (1 - rho) * g
            denominator = s - a * a + eps
        step = lr * g / math.sqrt(denominator)
        if momentum:
            m = momentum * m + step
            step = m
        w = w - step
        trace.append(w)
    return trace


@pytest.mark.parametrize("momentum,nesterov", [(0.0, False), (0.9, False), (0.9, True)])
def test_sgd_matches_hand_computed_updates(momentum, nesterov):
    got = _run(optimizers.SGD(learning_rate=0.1, momentum=momentum, nesterov=nesterov))
    np.testing.assert_allclose(got, _sgd_by_hand(0.1, momentum, nesterov), rtol=1e-12)


@pytest.mark.parametrize("momentum,centered", [(0.0, False), (0.5, False), (0.0, True)])
def test_rmsprop_matches_hand_computed_updates(momentum, centered):
    opt = optimizers.RMSprop(learning_rate=0.01, rho=0.9, epsilon=1e-7, momentum=momentum, centered=centered)
    np.testing.assert_allclose(_run(opt), _rmsprop_by_hand(0.01, 0.9, 1e-7, momentum, centered), rtol=1e-12)


def test_rmsprop_puts_epsilon_inside_the_square_root_like_keras():
    # With a zero gradient history and a tiny gradient, eps inside vs outside the
    # root give visibly different steps; Keras's rule is the inside one.
    w = np.array([0.0])
    optimizers.RMSprop(learning_rate=1.0, rho=0.0, epsilon=1e-4).apply([np.array([1e-3])], [w])
    assert w[0] == pytest.approx(-1e-3 / math.sqrt(1e-6 + 1e-4))
    assert w[0] != pytest.approx(-1e-3 / (math.sqrt(1e-6) + 1e-4))


def test_string_names_give_keras_defaults():
    rms = optimizers.get("rmsprop")
    assert (rms.learning_rate, rms.rho, rms.epsilon) == (0.001, 0.9, 1e-7)
    assert optimizers.get("sgd").learning_rate == 0.01


def test_state_can_be_saved_and_restored():
    opt = optimizers.RMSprop()
    w = np.array([1.0, 2.0])
    opt.apply([np.array([0.1, 0.2])], [w])
    state, saved_w = opt.get_state(), w.copy()
    opt.apply([np.array([0.3, 0.3])], [w])
    after_first = w.copy()
    opt.set_state(state)
    w[...] = saved_w
    opt.apply([np.array([0.3, 0.3])], [w])
    np.testing.assert_array_equal(w, after_first)


@pytest.mark.parametrize("bad,error", [("adamw", InputValueError), (3, InputTypeError)])
def test_unknown_optimizer(bad, error):
    with pytest.raises(error, match="optimizer"):
        optimizers.get(bad)


def test_negative_learning_rate_is_refused():
    with pytest.raises(InputValueError, match="learning_rate"):
        optimizers.SGD(learning_rate=-0.1)


def test_plain_sgd_keeps_no_velocity_and_momentum_switched_on_later_gets_one():
    from chapter2.optimizers import SGD
    w, g = np.ones(3, dtype=np.float32), np.full(3, 0.5, dtype=np.float32)
    sgd = SGD(learning_rate=0.1)
    sgd.apply([g], [w])
    assert "velocity" not in sgd._slots_for(w)
    sgd.momentum = 0.9
    sgd.apply([g], [w])
    np.testing.assert_allclose(w, 1 - 0.05 - 0.05, rtol=1e-6)     # first momentum step: v = -lr g
    sgd.apply([g], [w])
    np.testing.assert_allclose(w, 0.9 - (0.9 * 0.05 + 0.05), rtol=1e-6)
