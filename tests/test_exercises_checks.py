"""Every exercise check: typical wrong answers get the right, kind feedback.

The reference solutions themselves (the ones in the notebooks) are run
against their checks in tests/test_exercises_notebooks.py.
"""

import inspect

import numpy as np
import pytest

from chapter2 import scratch
from chapter2.exercises import (ExerciseFailed, backprop, broadcasting, derivatives, first_look,
                                geometry, looking_back, sgd, tensor_product, tensors)
from chapter2.transforms import rotation


def feedback(capsys, check, *answers):
    """Run a check that must fail; return its printed message."""
    with pytest.raises(ExerciseFailed):
        check(*answers)
    out = capsys.readouterr().out
    assert out.startswith("Not quite yet.")
    return out


def placeholder(*args):
    raise NotImplementedError("write your solution here, then run the check cell below")


ALL_CHECKS = [tensors.check_get_batch, tensors.check_centre_crop, tensors.check_count_batches,
              broadcasting.check_naive_leaky_relu, broadcasting.check_broadcast_predictions,
              broadcasting.check_naive_add_column, broadcasting.check_reduction_predictions,
              tensor_product.check_loop_matrix_vector_dot,
              tensor_product.check_flatten_images, tensor_product.check_dot_shape_predictions,
              geometry.check_rotate_points, geometry.check_compose_affine,
              derivatives.check_cubic_derivative, derivatives.check_valley_gradient,
              derivatives.check_central_difference, derivatives.check_binary_crossentropy,
              derivatives.check_direction_signs, sgd.check_sgd_update,
              sgd.check_momentum_update, sgd.check_learning_rate,
              first_look.check_prepare_images, first_look.check_one_hot, first_look.check_accuracy,
              backprop.check_dense_backward, backprop.check_relu_backward,
              backprop.check_chain_derivative, backprop.check_dense_relu_backward,
              backprop.check_tanh_op, looking_back.check_count_parameters,
              looking_back.check_predict_digits, looking_back.check_crossentropy_from_digits]


@pytest.mark.parametrize("check", ALL_CHECKS, ids=lambda c: c.__name__)
def test_placeholder_fails_kindly(capsys, check):
    answers = [placeholder] * len(inspect.signature(check).parameters)  # one per function asked for
    out = feedback(capsys, check, *answers)
    assert "is not written yet" in out and "Traceback" not in out


# ------------------------------------------------------------------ 02 tensors

def test_get_batch_wrong_answers(capsys):
    out = feedback(capsys, tensors.check_get_batch, lambda d, size, n: d[size * n:size * (n + 1) + 1])
    assert "wrong shape" in out and "Expected shape (4, 3, 4), got (5, 3, 4)" in out
    out = feedback(capsys, tensors.check_get_batch, lambda d, size, n: d[n:n + size])
    assert "wrong value" in out


def test_centre_crop_negative_zero_trap(capsys):
    out = feedback(capsys, tensors.check_centre_crop, lambda im, m: im[:, m:-m, m:-m])
    assert "Expected shape (2, 6, 8), got (2, 0, 0)" in out


def test_count_batches_wrong_answers(capsys):
    out = feedback(capsys, tensors.check_count_batches, lambda n, size: n // size)
    assert "count_batches(60000, 128) returned 468" in out and "last batch" in out
    out = feedback(capsys, tensors.check_count_batches, lambda n, size: n / size)
    assert "not a whole number" in out


# ------------------------------------------------------- 03 broadcasting

def test_leaky_relu_wrong_answers(capsys):
    def in_place(x, alpha):
        x[x < 0] *= alpha
        return x

    assert "in place" in feedback(capsys, broadcasting.check_naive_leaky_relu, in_place)
    out = feedback(capsys, broadcasting.check_naive_leaky_relu, lambda x, alpha: np.maximum(x, 0))
    assert "wrong value at index (0,)" in out and "-2." in out

    def float64_out(x, alpha):
        out = np.zeros(x.shape)
        for i in np.ndindex(x.shape):
            out[i] = x[i] if x[i] > 0 else alpha * x[i]
        return out

    out = feedback(capsys, broadcasting.check_naive_leaky_relu, float64_out)
    assert "Expected dtype float32, got float64" in out


def test_broadcast_predictions_wrong_answer_hides_the_truth(capsys):
    answers = [(128, 10), (8, 1, 6), None, (5, 3, 4), (2, 3), (64, 28, 28)]
    out = feedback(capsys, broadcasting.check_broadcast_predictions, lambda: answers)
    assert "for shapes (8, 1, 6) and (7, 1) you answered (8, 1, 6)" in out
    assert "(8, 7, 6)" not in out
    out = feedback(capsys, broadcasting.check_broadcast_predictions, lambda: [(128, 10)])
    assert "one answer per question" in out


def test_add_column_with_plain_broadcasting_shows_the_failing_line(capsys):
    def naive_add_column(x, c):
        return x + c

    out = feedback(capsys, broadcasting.check_naive_add_column, naive_add_column)
    assert "raised ValueError" in out and "return x + c" in out


# ---------------------------------------------------- 04 tensor product

def test_loop_matrix_vector_dot_wrong_answers(capsys):
    def transposed(A, v):
        result = np.zeros(A.shape[1])
        for i in range(A.shape[1]):
            result[i] = sum(A[k, i] * v[k] for k in range(A.shape[0]))
        return result

    out = feedback(capsys, tensor_product.check_loop_matrix_vector_dot, transposed)
    assert "raised IndexError" in out or "wrong shape" in out

    def forgets_to_sum(A, v):
        result = np.zeros(A.shape[0])
        for i in range(A.shape[0]):
            for k in range(A.shape[1]):
                result[i] = A[i, k] * v[k]
        return result

    out = feedback(capsys, tensor_product.check_loop_matrix_vector_dot, forgets_to_sum)
    assert "wrong value at index (0,)" in out


def test_flatten_images_wrong_answers(capsys):
    out = feedback(capsys, tensor_product.check_flatten_images, lambda im: im.reshape(-1))
    assert "Expected shape (2, 12), got (24,)" in out
    out = feedback(capsys, tensor_product.check_flatten_images,
                   lambda im: im.transpose(0, 2, 1).reshape(len(im), -1))
    assert "wrong value" in out


def test_dot_shape_predictions_wrong_answer(capsys):
    answers = [(32, 512), (), (4,), (10, 2, 3), None, (128, 10)]
    out = feedback(capsys, tensor_product.check_dot_shape_predictions, lambda: answers)
    assert "shapes (4, 3) and (4,) you answered (4,)" in out


# --------------------------------------------------------- 05 geometry

def test_rotate_points_clockwise_is_wrong(capsys):
    out = feedback(capsys, geometry.check_rotate_points, lambda p, a: p @ rotation(a))
    assert "wrong value" in out and "[[1., 0.]]" in out


def test_compose_affine_wrong_answers(capsys):
    out = feedback(capsys, geometry.check_compose_affine,
                   lambda W1, b1, W2, b2: (W1 @ W2, W2 @ b1 + b2))
    assert "compose_affine (its W) returned a wrong value" in out
    out = feedback(capsys, geometry.check_compose_affine,
                   lambda W1, b1, W2, b2: (W2 @ W1, b1 + b2))
    assert "compose_affine (its b) returned a wrong value" in out
    out = feedback(capsys, geometry.check_compose_affine, lambda W1, b1, W2, b2: W2 @ W1)
    assert "should return 2 things, (W, b)" in out


# ------------------------------------------------------ 06 derivatives

def test_cubic_derivative_wrong_answers(capsys):
    out = feedback(capsys, derivatives.check_cubic_derivative, lambda x: 3 * x ** 2 - 6 * x)
    assert "At x = -2.0, cubic_derivative returned 24" in out and "26" not in out
    out = feedback(capsys, derivatives.check_cubic_derivative, lambda x: np.array([1.0, 2.0]))
    assert "a single number was expected" in out


def test_valley_gradient_wrong_answers(capsys):
    out = feedback(capsys, derivatives.check_valley_gradient,
                   lambda p: np.array([2 * (p[0] - 1), 6 * (p[1] + 2)]))
    assert "disagrees with the measured gradient" in out and "p0·p1" in out
    out = feedback(capsys, derivatives.check_valley_gradient, lambda p: np.zeros((2, 1)))
    assert "shape (2, 1)" in out


def test_forward_difference_is_not_central(capsys):
    out = feedback(capsys, derivatives.check_central_difference,
                   lambda f, x, h: (f(x + h) - f(x)) / h)
    assert "central_difference returned a wrong value" in out


# -------------------------------------------------------------- 07 sgd

def test_sgd_update_wrong_answers(capsys):
    def in_place(params, grad, lr):
        params -= lr * grad
        return params

    assert "changed its input (argument 1) in place" in feedback(capsys, sgd.check_sgd_update,
                                                                 in_place)
    out = feedback(capsys, sgd.check_sgd_update, lambda params, grad, lr: params + lr * grad)
    assert "wrong value" in out


def test_momentum_update_wrong_answers(capsys):
    def no_momentum(params, velocity, grad, lr, momentum):
        return params - lr * grad, -lr * grad

    out = feedback(capsys, sgd.check_momentum_update, no_momentum)
    assert "momentum_update (its new params) returned a wrong value" in out

    def old_velocity(params, velocity, grad, lr, momentum):
        return params + velocity, momentum * velocity - lr * grad

    out = feedback(capsys, sgd.check_momentum_update, old_velocity)
    assert "its new params" in out


@pytest.mark.parametrize("lr, message", [(0.5, "it grew instead of falling"),
                                         (0.01, "not yet below 0.001"),
                                         (0.13, "not yet below 0.001"),
                                         (0.17, "lr = 0.16 gets there too"),
                                         (0.18, "lr = 0.17 gets there too"),
                                         (0.145, "in steps of 0.01"),
                                         (-0.1, "must be positive"),
                                         ("0.1", "a positive number")])
def test_learning_rate_feedback(capsys, lr, message):
    assert message in feedback(capsys, sgd.check_learning_rate, lambda: lr)



@pytest.mark.parametrize("lr", [0.14, np.float64(0.14), 14 / 100])
def test_learning_rate_accepts_the_smallest_rate_on_the_grid(capsys, lr):
    sgd.check_learning_rate(lambda: lr)
    assert "Correct! With lr = 0.14" in capsys.readouterr().out


def test_why_rmsprop_first_step_feedback(capsys):
    out = feedback(capsys, sgd.check_why_rmsprop_first_step, lambda: "a")
    assert "Only the first step behaves like that" in out
    out = feedback(capsys, sgd.check_why_rmsprop_first_step, lambda: "c")
    assert "velocity starts at 0" in out


@pytest.mark.parametrize("letter, reason", [("d", "keeps the ratio of its parts"),
                                            ("e", "never second derivatives")])
def test_why_rmsprop_first_step_believable_wrong_options(capsys, letter, reason):
    out = feedback(capsys, sgd.check_why_rmsprop_first_step, lambda: letter)
    assert "not the reason" in out and reason in out
    assert "'b'" not in out                                       # never names the right letter


def test_why_rmsprop_first_step_feedback_numbers_hold():
    """The numbers the wrong options' feedback quotes, computed from bowl and RMSprop."""
    from chapter2.descent import bowl_grad
    from chapter2.optimizers import RMSprop
    g = bowl_grad(np.array([-4.0, 1.5]))
    assert g.tolist() == [-4.0, 15.0]
    unit = g / np.linalg.norm(g)                                  # option d's normalized step
    assert abs(unit[1] / unit[0]) == pytest.approx(3.75)
    # option e: the Newton step -g / curvature reaches the floor (0, 0) in one step
    assert (-g / np.array([1.0, 10.0])).tolist() == [4.0, -1.5]
    w, optimizer, path = np.array([-4.0, 1.5]), RMSprop(learning_rate=0.3), [np.array([-4.0, 1.5])]
    for _ in range(30):                                           # notebook 07's RMSprop walk
        optimizer.apply([bowl_grad(w)], [w])
        path.append(w.copy())
    steps = np.abs(np.diff(path, axis=0))
    assert steps[0, 0] == pytest.approx(steps[0, 1]) == pytest.approx(0.3 / np.sqrt(0.1), rel=1e-5)
    # option a's feedback: from step 16 on the steps along y are below 1e-12, those along x are not
    assert np.all(steps[15:, 1] < 1e-12) and np.all(steps[15:, 0] > 1e-12) and steps[14, 1] >= 1e-12

# ------------------------------------------------------- 01 first look

def test_prepare_images_wrong_answers(capsys):
    out = feedback(capsys, first_look.check_prepare_images,
                   lambda im: im.reshape(len(im), -1).astype("float32"))
    assert "wrong value" in out
    out = feedback(capsys, first_look.check_prepare_images, lambda im: im.reshape(len(im), -1) / 255)
    assert "Expected dtype float32, got float64" in out
    out = feedback(capsys, first_look.check_prepare_images, lambda im: im.astype("float32") / 255)
    assert "Expected shape (2, 784), got (2, 28, 28)" in out


def test_one_hot_wrong_answers(capsys):
    out = feedback(capsys, first_look.check_one_hot, lambda labels, k: np.eye(k)[labels])
    assert "Expected dtype float32, got float64" in out
    out = feedback(capsys, first_look.check_one_hot,
                   lambda labels, k: np.eye(k, dtype="float32")[labels - 1])
    assert "wrong value" in out
    out = feedback(capsys, first_look.check_one_hot,
                   lambda labels, k: np.eye(k, dtype="float32")[:, labels])
    assert "wrong shape" in out or "wrong value" in out


def test_accuracy_wrong_answers(capsys):
    out = feedback(capsys, first_look.check_accuracy,
                   lambda p, labels: np.sum(p.argmax(axis=1) == labels))
    assert "wrong value" in out
    out = feedback(capsys, first_look.check_accuracy,
                   lambda p, labels: np.mean(p.argmax(axis=0) == labels))
    assert "raised ValueError" in out or "wrong value" in out


# --------------------------------------------------------- 08 backprop

def test_dense_backward_wrong_answers(capsys):
    out = feedback(capsys, backprop.check_dense_backward,
                   lambda x, W, g: (g @ W, x.T @ g, g.sum(axis=0)))
    assert "raised ValueError" in out and "g @ W" in out
    out = feedback(capsys, backprop.check_dense_backward,
                   lambda x, W, g: (g @ W.T, x.T @ g, g.sum(axis=1)))
    assert "dense_backward (its grad_b) returned an array of the wrong shape" in out
    out = feedback(capsys, backprop.check_dense_backward,
                   lambda x, W, g: (g @ W.T, x.T @ g, g.mean(axis=0)))
    assert "its grad_b" in out and "wrong value" in out
    out = feedback(capsys, backprop.check_dense_backward, lambda x, W, g: (g @ W.T, x.T @ g))
    assert "should return 3 things, (grad_x, grad_W, grad_b)" in out


def test_relu_backward_wrong_answers(capsys):
    out = feedback(capsys, backprop.check_relu_backward, lambda z, g: np.maximum(g, 0))
    assert "wrong value" in out
    out = feedback(capsys, backprop.check_relu_backward, lambda z, g: g * (z > 0).sum())
    assert "wrong value" in out


def _dense_relu(transpose_x=True, sum_b=True, transpose_w=True, mask=True, mean_b=False):
    """A Dense+relu backward pass with the chosen mistakes."""
    def backward(x, W, b, grad_h):
        a = x @ W + b
        grad_a = grad_h * (a > 0) if mask else grad_h
        grad_x = grad_a @ (W.T if transpose_w else W)
        grad_W = (x.T if transpose_x else x) @ grad_a
        grad_b = grad_a.mean(axis=0) if mean_b else grad_a.sum(axis=0) if sum_b else grad_a
        return grad_x, grad_W, grad_b
    return backward


def test_dense_relu_backward_names_the_wrong_gradient(capsys):
    assert _dense_relu()(np.ones((2, 3)), np.ones((3, 4)), np.ones(4), np.ones((2, 4)))[2].shape == (4,)
    out = feedback(capsys, backprop.check_dense_relu_backward, backprop.buggy_dense_relu_backward)
    assert "grad_W, the gradient for W, is wrong on a layer of 3 samples" in out
    assert "sum over i" in out and "x.T" not in out  # names the gradient, not the fix
    out = feedback(capsys, backprop.check_dense_relu_backward, _dense_relu(sum_b=False))
    assert "grad_b, the gradient for b, has shape (3, 3)" in out and "but b has shape (3,)" in out
    assert "sum(axis=0)" not in out
    out = feedback(capsys, backprop.check_dense_relu_backward, _dense_relu(mean_b=True))
    assert "grad_b, the gradient for b, is wrong" in out and "once for every sample" in out
    out = feedback(capsys, backprop.check_dense_relu_backward, _dense_relu(transpose_x=False))
    assert "grad_W" in out and "grad_b" not in out.splitlines()[0]
    out = feedback(capsys, backprop.check_dense_relu_backward, _dense_relu(transpose_w=False))
    assert "grad_x, the gradient for x, is wrong" in out
    out = feedback(capsys, backprop.check_dense_relu_backward, _dense_relu(mask=False))
    assert "check the relu step first" in out
    out = feedback(capsys, backprop.check_dense_relu_backward, lambda x, W, b, g: (g @ W.T, x.T @ g))
    assert "should return 3 things, (grad_x, grad_W, grad_b)" in out


def test_tanh_op_right_answer_passes(capsys):
    backprop.check_tanh_op(np.tanh, lambda x, y, grad_y: grad_y * (1 - y ** 2))
    assert capsys.readouterr().out.startswith("Correct!")


def test_tanh_op_wrong_answers(capsys):
    out = feedback(capsys, backprop.check_tanh_op, np.tanh, lambda x, y, g: 1 - y ** 2)
    assert "grad_y, is not 1" in out
    out = feedback(capsys, backprop.check_tanh_op, np.tanh, lambda x, y, g: g * (1 - x ** 2))
    assert "In the graph L = sum(tanh(x) * c)" in out and "from the input or from the output" in out
    out = feedback(capsys, backprop.check_tanh_op, np.tanh, lambda x, y, g: g * (1 - y))
    assert "In the graph L = sum(tanh(x) * c)" in out
    out = feedback(capsys, backprop.check_tanh_op, np.tanh, lambda x, y, g: g * (1 - np.tanh(x[0]) ** 2))
    assert "In the graph L = sum(tanh(x) * c)" in out
    out = feedback(capsys, backprop.check_tanh_op, np.sinh, lambda x, y, g: g * (1 - y ** 2))
    assert "which is not tanh of x" in out
    out = feedback(capsys, backprop.check_tanh_op, np.tanh, lambda x, y, g: None)
    assert "tanh_backward returned None" in out
    out = feedback(capsys, backprop.check_tanh_op, np.tanh, lambda x, y, g: (g * (1 - y ** 2)).sum())
    assert "tanh_backward returned an array of shape ()" in out
    out = feedback(capsys, backprop.check_tanh_op, np.tanh, lambda x, y, g: g @ (1 - y ** 2))
    assert "tanh_backward" in out and "Traceback" not in out


def test_why_backprop_wrong_options(capsys):
    out = feedback(capsys, backprop.check_why_backprop, lambda: "a")
    assert "784-16-10" in out
    out = feedback(capsys, backprop.check_why_backprop, lambda: "c")
    assert "skips no work" in out


def test_chain_derivative_forgets_the_inner_factor(capsys):
    out = feedback(capsys, backprop.check_chain_derivative, lambda x: 3 * (x ** 2 + 1) ** 2)
    assert "At x = -1.5, chain_derivative returned" in out and "inner step" in out


# ----------------------------------------------------- 09 looking back

def test_count_parameters_wrong_answers(capsys):
    out = feedback(capsys, looking_back.check_count_parameters,
                   lambda s: sum(a * b for a, b in zip(s[:-1], s[1:])))
    assert "count_parameters([784, 512, 10]) returned 406528" in out and "bias" in out
    out = feedback(capsys, looking_back.check_count_parameters, lambda s: 407050.0)
    assert "a whole number (int) was expected" in out


def test_predict_digits_wrong_answers(capsys):
    out = feedback(capsys, looking_back.check_predict_digits,
                   lambda params, x: scratch.forward(params, x)[0].argmax(axis=0))
    assert "wrong shape" in out
    out = feedback(capsys, looking_back.check_predict_digits,
                   lambda params, x: scratch.forward(params, x)[0])
    assert "Expected shape (3,), got (3, 4)" in out


def test_crossentropy_from_digits_wrong_answers(capsys):
    out = feedback(capsys, looking_back.check_crossentropy_from_digits,
                   lambda p, d: -np.mean(np.log(p[:, d])))
    assert "wrong value" in out
    out = feedback(capsys, looking_back.check_crossentropy_from_digits,
                   lambda p, d: np.mean(np.log(p[np.arange(len(d)), d])))
    assert "wrong value" in out


# ------------------------------------------------------- the same case every time

# Checks that draw random test inputs, each with a right answer (from its docstring).
RANDOM_INPUT_CHECKS = [
    (broadcasting.check_naive_leaky_relu, lambda x, alpha: np.where(x > 0, x, alpha * x)),
    (broadcasting.check_naive_add_column, lambda x, c: x + c[:, np.newaxis]),
    (tensor_product.check_loop_matrix_vector_dot, lambda a, v: a @ v),
    (geometry.check_rotate_points, lambda p, a: p @ rotation(a).T),
    (geometry.check_compose_affine, lambda w1, b1, w2, b2: (w2 @ w1, w2 @ b1 + b2)),
    (sgd.check_sgd_update, lambda params, grad, lr: params - lr * grad),
    (first_look.check_prepare_images, lambda im: im.reshape(len(im), -1).astype("float32") / 255),
    (first_look.check_one_hot, lambda labels, k: np.eye(k, dtype="float32")[labels]),
    (first_look.check_accuracy, lambda p, labels: np.mean(p.argmax(axis=1) == labels)),
    (backprop.check_dense_backward, lambda x, w, g: (g @ w.T, x.T @ g, g.sum(axis=0))),
    (backprop.check_relu_backward, lambda z, g: g * (z > 0)),
    (backprop.check_dense_relu_backward,
     lambda x, w, b, g: (((x @ w + b) > 0) * g @ w.T, x.T @ (((x @ w + b) > 0) * g),
                         (((x @ w + b) > 0) * g).sum(axis=0))),
    (looking_back.check_predict_digits, lambda params, x: scratch.forward(params, x)[0].argmax(axis=1)),
    (looking_back.check_crossentropy_from_digits, lambda p, d: -np.mean(np.log(np.clip(p[np.arange(len(d)), d], 1e-7, 1 - 1e-7)))),
]


@pytest.mark.parametrize("check,right", RANDOM_INPUT_CHECKS, ids=lambda v: getattr(v, "__name__", ""))
def test_every_run_of_a_check_draws_the_same_inputs(capsys, check, right):
    """Inputs come from a generator seeded per call, so a re-run quotes the same failing case."""
    runs = []
    for _ in range(2):
        seen = []

        def recording(*args):
            seen.append([np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args])
            return right(*args)

        check(recording)
        runs.append(seen)
    assert "Correct!" in capsys.readouterr().out
    assert len(runs[0]) == len(runs[1]) > 0
    for first, second in zip(*runs):
        for a, b in zip(first, second):
            if isinstance(a, dict):
                assert a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)
            else:
                np.testing.assert_array_equal(a, b)


# ------------------------------------------------------ 06 derivatives, cross-entropy and directions

def test_binary_crossentropy_wrong_answers(capsys):
    with np.errstate(divide="ignore"):
        out = feedback(capsys, derivatives.check_binary_crossentropy,     # no clipping: -log(0) = inf
                       lambda p, y: -np.log(np.where(y == 1, p, 1 - p)))
    assert "wrong value" in out and "inf" in out
    out = feedback(capsys, derivatives.check_binary_crossentropy,         # ignores the class
                   lambda p, y: -np.log(np.clip(p, 1e-7, 1 - 1e-7)))
    assert "wrong value" in out
    out = feedback(capsys, derivatives.check_binary_crossentropy,         # the mean, not per sample
                   lambda p, y: np.mean(-np.log(np.where(y == 1, np.clip(p, 1e-7, 1 - 1e-7),
                                                         1 - np.clip(p, 1e-7, 1 - 1e-7)))))
    assert "Not quite yet" in out


@pytest.mark.parametrize("letter", ["a", "b", "d"])
def test_why_log_loss_wrong_letters(capsys, letter):
    out = feedback(capsys, derivatives.check_why_log_loss, lambda: letter)
    assert f"Option '{letter}' is not the reason" in out and "sigmoid" not in out.split("\n")[1]


@pytest.mark.parametrize("letter", ["a", "c", "d"])
def test_why_loss_not_accuracy_wrong_letters(capsys, letter):
    out = feedback(capsys, derivatives.check_why_loss_not_accuracy, lambda: letter)
    assert f"Option '{letter}' is not the reason" in out


@pytest.mark.parametrize("signs", [
    ["+", "+", "-"],     # "pointing up is uphill, pointing back is downhill"
    ["-", "+", "+"],     # the sign of the second entry of the gradient times ... a guess
    ["-", "-", "+"],     # u2 taken as downhill instead of level
    ["+", "0", "-"],     # the signs flipped: minus the gradient mistaken for the gradient
])
def test_direction_signs_believable_wrong_answers(capsys, signs):
    out = feedback(capsys, derivatives.check_direction_signs, lambda: signs)
    assert "answers are not right yet" in out


def test_direction_signs_right_answer_passes(capsys):
    derivatives.check_direction_signs(lambda: ["-", "0", "+"])
    assert capsys.readouterr().out.startswith("Correct!")
