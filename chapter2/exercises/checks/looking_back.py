"""Checks for the exercises of notebook 09 (looking back at the first example).

Truths: ``chapter2.scratch`` (the from-scratch network the notebook builds)
and ``chapter2.utils.to_categorical``.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ... import scratch
from ...utils import to_categorical
from ..feedback import call_student, check_function, fail, passed, require_callable
from ..feedback import ExerciseFailed  # noqa: F401 (the examples catch it)
from ..feedback import Choice, check_choice

#: Seed of the test inputs. Each call of a check starts a fresh generator from
#: it, so every run draws the same inputs and a re-run quotes the same case.
_SEED = 90


def _parameter_count(sizes) -> int:
    # Build the weights and count them, rather than trusting a formula.
    if len(sizes) == 3:
        params = scratch.init_params(np.random.default_rng(0), sizes=tuple(sizes))
        return int(sum(value.size for value in params.values()))
    return int(sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:])))


def check_count_parameters(count_parameters: Callable) -> None:
    """Check ``count_parameters(sizes)``: the number of weights of Dense layers of these sizes.

    ``sizes`` lists the inputs, then the units of each layer, e.g. ``[784, 512, 10]``.

    Examples
    --------
    A first attempt (the biases are forgotten), and the feedback it gets:

    >>> try: check_count_parameters(lambda s: sum(a * b for a, b in zip(s[:-1], s[1:])))
    ... except ExerciseFailed: pass
    Not quite yet. count_parameters([784, 512, 10]) returned 406528, which is not right yet.
    Each Dense layer has a kernel (inputs x units) and a bias (one per unit).
    """
    require_callable(count_parameters, "count_parameters")
    cases = [[784, 512, 10], [4, 3, 2], [2, 1, 1], [784, 10], [10, 20, 30, 40]]
    for sizes in cases:
        got = call_student(count_parameters, list(sizes), task="count_parameters")
        if isinstance(got, bool) or not isinstance(got, (int, np.integer)):
            fail(f"count_parameters({sizes}) returned {got!r}; a whole number (int) was expected.")
        if got != _parameter_count(sizes):
            fail(f"count_parameters({sizes}) returned {got}, which is not right yet.",
                 "Each Dense layer has a kernel (inputs x units) and a bias (one per unit).")
    passed(f"count_parameters is right for all {len(cases)} networks.")


def check_predict_digits(predict_digits: Callable) -> None:
    """Check ``predict_digits(params, x)``: the most probable class of each row of ``x``.

    Examples
    --------
    A first attempt (probabilities, not digits), and the feedback it gets:

    >>> try: check_predict_digits(lambda params, x: scratch.forward(params, x)[0])  # doctest: +ELLIPSIS
    ... except ExerciseFailed: pass
    Not quite yet. predict_digits returned an array of the wrong shape.
    Expected shape (3,), got (3, 4).
    The input was:
      argument 1: {'W1': array([[ 1.4541206 , -0.55399527,  0.09771446,  0.67148581,  0.16251902],
           [ 0.61695885,  1.41082527,  1.21820493, -0.37482125, -0.09082319],
           [ 0.03672513,  0.15199508, -0.70194762,  0.80648977,  1.03554006],
           [ 0.11904138,  0.39466623, -0.09588645, -0.22778611, -0.8231368 ],
           [ 0.36194801,  0.72121813,  0.46826495, -0.25256632,  0.77485498],
           [ 0.73585236,  0.02584946, -0.46591824,  1.32554147,  0.00782734]]), 'b1': array(...
           [ 0.03907705, -1.27185972, -0.86244496,  1.16707237],
           [-1.86066464, -0.70941774,  0.51649696,  0.28455025],
           [ 0.09984647, -1.50325618,  0.35919468,  0.01938598],
           [-0.50153475, -1.27608806, -0.33098838,  1.4415108 ]]), 'b2': array([-0.36914834,...
      argument 2: [[ 0.3954,  0.5907,  1.5849, -1.1508, -0.332 , -0.2576],
     [-0.2601,  0.4006, -0.013 ,  0.8074,  0.1056,  0.2876],
     [-1.0093, -0.2507, -0.2831,  2.9454,  0.3942, -0.4513]]  (shape (3, 6), dtype float64)
    """
    rng = np.random.default_rng(_SEED)
    params = scratch.init_params(np.random.default_rng(9), sizes=(6, 5, 4), dtype="float64")
    params = {name: value + rng.normal(scale=0.5, size=value.shape) for name, value in params.items()}
    cases = [(params, rng.normal(size=(3, 6))), (params, rng.normal(size=(8, 6)))]
    check_function(predict_digits, lambda p, x: scratch.predict(p, x).argmax(axis=1), cases,
                   task="predict_digits", check_dtype=False)


def check_crossentropy_from_digits(crossentropy_from_digits: Callable) -> None:
    """Check ``crossentropy_from_digits(probs, digits)``: mean ``-log`` of each row's probability at its digit.

    Examples
    --------
    A first attempt (every row at every digit), and the feedback it gets:

    >>> try: check_crossentropy_from_digits(lambda p, d: -np.mean(np.log(p[:, d])))
    ... except ExerciseFailed: pass
    Not quite yet. crossentropy_from_digits returned a wrong value (1 of 1 entries are off).
    The input was:
      argument 1: [[0.1, 0.7, 0.2],
     [0.5, 0.3, 0.2]]  (shape (2, 3), dtype float64)
      argument 2: [1, 2]  (shape (2,), dtype int64)
    Your function returned: 1.1949  (shape (), dtype float64)
    Work this input out by hand and compare.
    """
    rng = np.random.default_rng(_SEED)

    def probabilities(n, k):
        p = rng.random(size=(n, k)) + 0.05
        return p / p.sum(axis=1, keepdims=True)

    cases = [(np.array([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]]), np.array([1, 2])),
             (probabilities(6, 10), rng.integers(0, 10, size=6)),
             (probabilities(4, 4), np.array([3, 3, 0, 1])),
             # A true digit given probability 0: only the clip keeps the loss finite.
             (np.array([[1.0, 0.0], [0.5, 0.5]]), np.array([1, 0]))]
    check_function(crossentropy_from_digits,
                   lambda p, d: np.float64(scratch.crossentropy(p, to_categorical(d, p.shape[1]))),
                   cases, task="crossentropy_from_digits", check_dtype=False)


#: Why the pixels are divided by 255 (section 2.5).
WHY_SCALE = Choice(
    "Trained on raw pixels (0 to 255) instead of pixels divided by 255, the from-scratch network learns "
    "far worse. Why?",
    {"a": "Raw pixels are whole numbers, and gradient descent needs inputs that vary smoothly to take "
          "its derivatives.",
     "b": "Scores grow with the inputs: inputs multiplied by 255 give scores multiplied by 255 at the "
          "start, so softmax is certain and mostly wrong, the loss is huge, and each step moves the scores "
          "far too much.",
     "c": "Inputs as large as 255 make the gradients vanish, so the first layer barely moves.",
     "d": "float32 cannot hold the large sums that raw pixels produce: they overflow or lose their digits."},
    "b",
    {"a": "The derivatives are taken with respect to the weights, not the pixels: an image is a fixed "
          "constant in the loss, whatever values it holds, and the raw run computes in floats all the same.",
     "c": "It is the other way round: the gradient of a first-layer weight is proportional to its pixel, "
          "so raw pixels make those gradients larger, not smaller (and RMSprop's steps do not shrink with "
          "the scale of the gradient anyway).",
     "d": "float32 reaches about 3.4e38 and keeps about 7 significant digits at any size; the raw run's "
          "scores are nowhere near that limit, and its loss before training printed above is an ordinary "
          "finite number."},
    "With the biases at zero and relu(255 z) = 255 relu(z), pixels multiplied by 255 multiply the "
    "untrained network's scores by 255, and the effect of every weight step with them.")


def check_why_scale(my_answer: Callable) -> None:
    """Check the letter chosen for :data:`WHY_SCALE`.

    Examples
    --------
    A wrong letter, and the feedback it gets:

    >>> try: check_why_scale(lambda: "a")
    ... except ExerciseFailed: pass
    Not quite yet. Option 'a' is not the reason.
    The derivatives are taken with respect to the weights, not the pixels: an image is a fixed constant in the loss, whatever values it holds, and the raw run computes in floats all the same.
    Read the options again and pick the one that explains it.
    """
    check_choice(my_answer, WHY_SCALE, "my_answer")


#: Why the hidden layer helps (section 2.5, with notebook 05's geometry).
WHY_HIDDEN = Choice(
    "Softmax regression, the same training without the hidden layer, makes several times as many test "
    "errors as the two-layer network. Why does the hidden layer help?",
    {"a": "It has many more weights to adjust, and a network with more weights is always more accurate.",
     "b": "Its relu removes the noise from the images: every negative value is set to zero.",
     "c": "Without it, each digit's score is one weighted sum of the pixels, so the boundary between any "
          "two digits is flat in pixel space; the relu units first fold the space, so the output layer's "
          "flat boundaries become bent ones in pixel space, able to follow the many ways a digit is written.",
     "d": "Without it, the scores cannot grow large enough for softmax to be confident, so the network "
          "stays unsure of every answer."},
    "c",
    {"a": "Weights alone do not do it: two Dense layers without an activation have just as many weights, "
          "yet x @ W1 @ W2 is again one weighted sum of the pixels per digit, so they separate the digits "
          "no better than one layer does. More weights can also just memorise the training images.",
     "b": "Pixels are never negative, so there is nothing for relu to remove from an image. relu acts on "
          "the hidden units' weighted sums, and what it adds is a bend (zero below 0, straight above), "
          "which no stack of matrix products can make.",
     "d": "One layer's scores grow as large as its weights let them, and softmax regression is often very "
          "sure of itself, right or wrong. What limits it is where its boundaries can lie, not how "
          "confident it can be."},
    "A single Dense layer with softmax scores each digit with one template, a weighted sum of the pixels, "
    "and splits pixel space with flat boundaries. The relu units before it are each zero on one side of a "
    "flat boundary and grow on the other; sums of such pieces bend the boundaries, the uncrumpling of "
    "notebook 05. Without the relu the two layers would collapse into one linear map.")


def check_why_hidden(my_answer: Callable) -> None:
    """Check the letter chosen for :data:`WHY_HIDDEN`.

    Examples
    --------
    A wrong letter, and the feedback it gets:

    >>> try: check_why_hidden(lambda: "a")
    ... except ExerciseFailed: pass
    Not quite yet. Option 'a' is not the reason.
    Weights alone do not do it: two Dense layers without an activation have just as many weights, yet x @ W1 @ W2 is again one weighted sum of the pixels per digit, so they separate the digits no better than one layer does. More weights can also just memorise the training images.
    Read the options again and pick the one that explains it.
    """
    check_choice(my_answer, WHY_HIDDEN, "my_answer")
