"""chapter2.descent: gradients against finite differences, walks against closed forms."""

import numpy as np
import pytest

from chapter2.descent import (bowl, bowl_grad, bumpy, bumpy_grad, gradient_descent, linear_loss,
                              linear_loss_grad, make_regression, minibatch_sgd, numerical_derivative,
                              sgd_step, two_valleys, two_valleys_grad)
from chapter2.errors import InputTypeError, InputValueError
from chapter2.gradcheck import check_gradient


def test_numerical_derivative_matches_known_derivatives():
    assert numerical_derivative(lambda x: x ** 3, 2.0) == pytest.approx(12.0, rel=1e-8)
    assert numerical_derivative(np.sin, 0.3) == pytest.approx(np.cos(0.3), rel=1e-8)


@pytest.mark.parametrize("f, grad", [(bowl, bowl_grad), (two_valleys, two_valleys_grad)])
@pytest.mark.parametrize("point", [[0.3, -1.2], [2.0, 0.5], [-1.7, 1.1]])
def test_landscape_gradients_match_finite_differences(f, grad, point):
    p = np.array(point)
    assert check_gradient(lambda v: float(f(v)), p, grad(p)) < 1e-7


@pytest.mark.parametrize("x", [-2.0, -0.4, 0.26, 1.3, 2.5])
def test_bumpy_gradient_matches_finite_differences(x):
    assert float(bumpy_grad(x)) == pytest.approx(numerical_derivative(lambda v: float(bumpy(v)), x), rel=1e-6)


def test_bumpy_has_the_documented_minima():
    roots = np.sort(np.roots([1.0, 0.0, -2.0, 0.5]).real)
    np.testing.assert_allclose(roots, [-1.5257, 0.2587, 1.2670], atol=1e-4)
    assert bumpy(roots[0]) < bumpy(roots[2]) < bumpy(roots[1])


def test_landscapes_evaluate_a_whole_grid_at_once():
    grid = np.stack(np.meshgrid(np.linspace(-1, 1, 4), np.linspace(-2, 2, 3)), axis=-1)
    assert bowl(grid).shape == (3, 4)
    assert two_valleys_grad(grid).shape == (3, 4, 2)
    np.testing.assert_allclose(bowl(grid)[1, 2], float(bowl(grid[1, 2])))


def test_gradient_descent_on_a_parabola_matches_the_closed_form():
    # f(x) = x**2: each step multiplies x by (1 - 2 lr)
    path = gradient_descent(lambda x: 2 * x, start=3.0, lr=0.1, steps=20)
    assert path.shape == (21,)
    np.testing.assert_allclose(path, 3.0 * 0.8 ** np.arange(21))


def test_gradient_descent_in_2d_returns_one_row_per_step():
    path = gradient_descent(bowl_grad, start=[-4.0, 1.5], lr=0.1, steps=50)
    assert path.shape == (51, 2)
    np.testing.assert_allclose(path[0], [-4.0, 1.5])
    assert bowl(path[-1]) < 1e-3 * bowl(path[0])


def test_gradient_descent_with_momentum_follows_the_keras_rule():
    lr, m = 0.1, 0.9
    path = gradient_descent(lambda x: 2 * x, start=1.0, lr=lr, steps=3, momentum=m)
    x, v, expected = 1.0, 0.0, [1.0]
    for _ in range(3):
        v = m * v - lr * 2 * x
        x = x + v
        expected.append(x)
    np.testing.assert_allclose(path, expected)


def test_learning_rate_above_the_stability_limit_diverges_on_the_bowl():
    # bowl is 10x steeper along y: steps grow once lr > 2 / 10
    stable = gradient_descent(bowl_grad, [1.0, 1.0], lr=0.19, steps=200)
    unstable = gradient_descent(bowl_grad, [1.0, 1.0], lr=0.21, steps=200)
    assert abs(stable[-1, 1]) < 1e-6
    assert abs(unstable[-1, 1]) > 1e3


def test_a_diverging_walk_fills_the_rest_with_nan_instead_of_warning():
    with np.errstate(all="raise"):
        path = gradient_descent(bumpy_grad, 3.0, lr=5.0, steps=40)
    assert path.shape == (41,)
    assert np.isnan(path[-1]) and np.isfinite(path[0])


def test_momentum_escapes_the_shallow_minimum_of_bumpy():
    plain = gradient_descent(bumpy_grad, 2.3, lr=0.02, steps=300)
    rolling = gradient_descent(bumpy_grad, 2.3, lr=0.02, steps=300, momentum=0.9)
    assert plain[-1] == pytest.approx(1.2670, abs=1e-3)    # stuck in the local minimum
    assert rolling[-1] == pytest.approx(-1.5257, abs=1e-3)  # reached the global one


def test_make_regression_is_seeded_and_follows_the_true_line():
    x, y = make_regression(n=500, weights=(2.0, -1.0), bias=0.5, noise=0.1, seed=7)
    x2, y2 = make_regression(n=500, weights=(2.0, -1.0), bias=0.5, noise=0.1, seed=7)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    assert x.shape == (500, 2) and y.shape == (500,)
    coef, *_ = np.linalg.lstsq(np.column_stack([x, np.ones(500)]), y, rcond=None)
    np.testing.assert_allclose(coef, [2.0, -1.0, 0.5], atol=0.05)


def test_linear_loss_and_gradient_against_numpy_and_finite_differences():
    x, y = make_regression(n=30, weights=(1.0, 3.0), seed=1)
    params = np.array([0.2, -0.4, 0.7])
    assert linear_loss(params, x, y) == pytest.approx(np.mean((x @ params[:2] + params[2] - y) ** 2))
    analytic = linear_loss_grad(params, x, y)
    assert check_gradient(lambda p: linear_loss(p, x, y), params.copy(), analytic) < 1e-7


def test_sgd_step_moves_against_the_batch_gradient():
    x, y = make_regression(n=8, seed=2)
    params = np.array([0.5, 0.5])
    new, loss = sgd_step(params, x, y, lr=0.1)
    np.testing.assert_allclose(new, params - 0.1 * linear_loss_grad(params, x, y))
    assert loss == pytest.approx(linear_loss(params, x, y))
    assert linear_loss(new, x, y) < loss


def test_minibatch_sgd_records_every_step_and_recovers_the_line():
    x, y = make_regression(n=100, noise=0.1, seed=0)
    run = minibatch_sgd(x, y, lr=0.1, batch_size=16, epochs=40, seed=0)
    steps_per_epoch = 7  # ceil(100 / 16)
    assert run.path.shape == (40 * steps_per_epoch + 1, 2)
    assert run.batch_losses.shape == (40 * steps_per_epoch,)
    assert run.epoch_losses.shape == (41,)
    np.testing.assert_allclose(run.path[0], [0.0, 0.0])
    exact, *_ = np.linalg.lstsq(np.column_stack([x, np.ones(100)]), y, rcond=None)
    np.testing.assert_allclose(run.params, exact, atol=0.05)
    assert run.epoch_losses[-1] < 0.1 * run.epoch_losses[0]


def test_minibatch_sgd_is_reproducible_and_depends_on_the_seed():
    x, y = make_regression(n=40, seed=0)
    a = minibatch_sgd(x, y, lr=0.1, batch_size=8, epochs=2, seed=5)
    b = minibatch_sgd(x, y, lr=0.1, batch_size=8, epochs=2, seed=5)
    c = minibatch_sgd(x, y, lr=0.1, batch_size=8, epochs=2, seed=6)
    np.testing.assert_array_equal(a.path, b.path)
    assert not np.allclose(a.path, c.path)


def test_full_batch_sgd_equals_gradient_descent():
    x, y = make_regression(n=20, seed=3)
    run = minibatch_sgd(x, y, lr=0.2, batch_size=20, epochs=5, seed=0)
    path = gradient_descent(lambda p: linear_loss_grad(p, x, y), [0.0, 0.0], lr=0.2, steps=5)
    np.testing.assert_allclose(run.path, path, atol=1e-12)


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(InputValueError, match="lr"):
        gradient_descent(bowl_grad, [1.0, 1.0], lr=0.0, steps=3)
    with pytest.raises(InputValueError, match="momentum"):
        gradient_descent(bowl_grad, [1.0, 1.0], lr=0.1, steps=3, momentum=1.0)
    with pytest.raises(InputTypeError, match="steps"):
        gradient_descent(bowl_grad, [1.0, 1.0], lr=0.1, steps=2.5)
    with pytest.raises(InputValueError, match="grad returned shape"):
        gradient_descent(lambda p: 1.0, [1.0, 1.0], lr=0.1, steps=3)
    with pytest.raises(InputValueError, match="start"):
        gradient_descent(bowl_grad, [[1.0, 1.0]], lr=0.1, steps=3)
    x, y = make_regression(n=10, seed=0)
    with pytest.raises(InputValueError, match="reshape"):
        minibatch_sgd(x.ravel(), y)
    with pytest.raises(InputValueError, match="batch_size"):
        minibatch_sgd(x, y, batch_size=0)
    with pytest.raises(InputValueError, match="params"):
        linear_loss(np.zeros(3), x, y)
