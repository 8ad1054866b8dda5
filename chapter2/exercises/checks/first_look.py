"""Checks for the exercises of notebook 01 (a first look at a neural network).

Truths: ``chapter2.utils.to_categorical`` and ``chapter2.metrics.accuracy``
from the engine, and the preprocessing of the book's example in NumPy.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ...metrics import accuracy
from ...utils import to_categorical
from ..feedback import check_function
from ..feedback import ExerciseFailed  # noqa: F401 (the examples catch it)
from ..feedback import Choice, check_choice

#: Seed of the test inputs. Each call of a check starts a fresh generator from
#: it, so every run draws the same inputs and a re-run quotes the same case.
_SEED = 10


def check_prepare_images(prepare_images: Callable) -> None:
    """Check ``prepare_images(images)``: ``(n, 28, 28)`` uint8 to ``(n, 784)`` float32 in [0, 1].

    Examples
    --------
    A first attempt (which dtype is that?), and the feedback it gets:

    >>> try: check_prepare_images(lambda im: im.reshape(len(im), -1) / 255)  # doctest: +ELLIPSIS
    ... except ExerciseFailed: pass
    Not quite yet. prepare_images returned the wrong dtype.
    Expected dtype float32, got float64.
    The input was: an array of shape (2, 28, 28), dtype uint8, whose entries in reading orde...
    Hint: keep the input's dtype, e.g. start from x.copy() or np.zeros(shape, dtype=x.dtype).
    """
    rng = np.random.default_rng(_SEED)
    cases = [(rng.integers(0, 256, size=(2, 28, 28), dtype=np.uint8),),
             (np.full((1, 28, 28), 255, dtype=np.uint8),),
             (rng.integers(0, 256, size=(5, 28, 28), dtype=np.uint8),)]
    check_function(prepare_images,
                   lambda images: images.reshape(images.shape[0], -1).astype(np.float32) / 255,
                   cases, task="prepare_images")


def check_one_hot(one_hot: Callable) -> None:
    """Check ``one_hot(labels, num_classes)``: float32 rows with a single 1 at each label.

    Examples
    --------
    A first attempt (ignores the labels), and the feedback it gets:

    >>> try: check_one_hot(lambda labels, k: np.eye(k, dtype='float32')[:len(labels)])  # doctest: +ELLIPSIS
    ... except ExerciseFailed: pass
    Not quite yet. one_hot returned a wrong value at index (0, 0) (6 of 30 entries are off).
    The input was:
      argument 1: [3, 0, 9]  (shape (3,), dtype int64)
      argument 2: 10
    Your function returned: an array of shape (3, 10), dtype float32, whose entries in readi...
    Work this input out by hand and compare.
    """
    rng = np.random.default_rng(_SEED)
    cases = [(np.array([3, 0, 9]), 10), (np.array([1, 1, 0, 2]), 3),
             (rng.integers(0, 10, size=8), 10)]
    check_function(one_hot, lambda labels, k: to_categorical(labels, k), cases, task="one_hot")


def check_accuracy(my_accuracy: Callable) -> None:
    """Check ``my_accuracy(probabilities, labels)``: the fraction of rows whose largest entry is at the label.

    Examples
    --------
    A first attempt (a count, not a fraction), and the feedback it gets:

    >>> try: check_accuracy(lambda p, labels: np.sum(p.argmax(axis=1) == labels))
    ... except ExerciseFailed: pass
    Not quite yet. my_accuracy returned a wrong value (1 of 1 entries are off).
    The input was:
      argument 1: [[0.1, 0.7, 0.2],
     [0.5, 0.3, 0.2]]  (shape (2, 3), dtype float64)
      argument 2: [1, 2]  (shape (2,), dtype int64)
    Your function returned: 1  (shape (), dtype int64)
    Work this input out by hand and compare.
    """
    rng = np.random.default_rng(_SEED)

    def probabilities(n, k):
        p = rng.random(size=(n, k))
        return p / p.sum(axis=1, keepdims=True)

    cases = [(np.array([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]]), np.array([1, 2])),
             (probabilities(10, 10), rng.integers(0, 10, size=10)),
             (probabilities(7, 4), rng.integers(0, 4, size=7))]
    check_function(my_accuracy, lambda p, labels: np.float64(accuracy(labels, p)), cases,
                   task="my_accuracy", check_dtype=False)


#: Why the test accuracy is the number to trust (notebook 01, section 2.1).
WHY_TEST_SET = Choice(
    "The network is more accurate on the training images than on the test images. Why is the test "
    "accuracy the number that tells us how it will do on new digits?",
    {"a": "The test images are harder than the training images.",
     "b": "The network has never seen the test images, so they measure how well what it learned carries "
          "over to new data; on the training images it is also rewarded for details of those very images.",
     "c": "The test set is smaller, so its accuracy is computed more precisely.",
     "d": "The training accuracy was averaged over each epoch while the weights were still changing, so it "
          "is out of date."},
    "b",
    {"a": "Both sets mix the same two groups of writers, so the test set is not harder by design; and even "
          "a harder test set would not make it the better measure of how the network does on new digits.",
     "c": "A smaller set gives a *less* precise estimate, not a more precise one: fewer images pin an "
          "accuracy down less tightly. And precision is not the point: even a perfectly measured training "
          "accuracy would still count details the network learned from those very images.",
     "d": "That is true of the accuracy `fit` printed during training, but the training accuracy compared "
          "here was measured with `evaluate` on the finished network, and it is still the higher one: the "
          "gap is not a matter of timing."},
    "The test images were kept out of training, so the test accuracy measures what carries over to "
    "new data; the training accuracy also counts details of the training images that may not carry over "
    "(overfitting), one possible cause of the gap between the two.")


def check_why_test_set(my_answer: Callable) -> None:
    """Check the letter chosen for :data:`WHY_TEST_SET`.

    Examples
    --------
    A wrong letter, and the feedback it gets:

    >>> try: check_why_test_set(lambda: "a")  # doctest: +ELLIPSIS
    ... except ExerciseFailed: pass
    Not quite yet. Option 'a' is not the reason.
    Both sets mix the same two groups of writers, so the test set is not harder by design...
    Read the options again and pick the one that explains it.
    """
    check_choice(my_answer, WHY_TEST_SET, "my_answer")
