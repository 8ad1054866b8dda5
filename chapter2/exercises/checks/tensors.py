"""Checks for the exercises of notebook 02 (tensors, slicing, batches).

The truth each check compares with is plain NumPy slicing on small arrays
whose entries are all different, so a slice taken from the wrong place
cannot pass by accident.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..feedback import check_function, require_callable, call_student, fail, passed
from ..feedback import ExerciseFailed  # noqa: F401 (the examples catch it)
from ..feedback import Choice, check_answers, check_choice
from ..tensors import ATTRIBUTE_QUESTIONS, DATA_QUESTIONS

#: A small stand-in for MNIST: 10 "images" of 3 x 4 distinct pixels.
_IMAGES = np.arange(10 * 3 * 4, dtype=np.uint8).reshape(10, 3, 4)


def check_get_batch(get_batch: Callable) -> None:
    """Check ``get_batch(data, batch_size, n)``: batch number ``n`` of ``data``.

    Examples
    --------
    A first attempt (n counts batches, not samples), and the feedback it gets:

    >>> try: check_get_batch(lambda data, size, n: data[n:n + size])  # doctest: +ELLIPSIS
    ... except ExerciseFailed: pass
    Not quite yet. get_batch returned a wrong value at index (0, 0, 0) (48 of 48 entries are off).
    The input was:
      argument 1: an array of shape (10, 3, 4), dtype uint8, whose entries in reading order...
      argument 2: 4
      argument 3: 1
    Your function returned: an array of shape (4, 3, 4), dtype uint8, whose entries in readi...
    Work this input out by hand and compare.
    """
    cases = [(_IMAGES, 4, 0), (_IMAGES, 4, 1), (_IMAGES, 4, 2), (_IMAGES, 3, 3),
             (np.arange(7.0), 2, 1)]
    check_function(get_batch, lambda data, size, n: data[size * n:size * (n + 1)], cases,
                   task="get_batch")


def check_centre_crop(centre_crop: Callable) -> None:
    """Check ``centre_crop(images, margin)``: drop ``margin`` pixels on every side.

    Examples
    --------
    A first attempt (what does -0 mean?), and the feedback it gets:

    >>> try: check_centre_crop(lambda im, m: im[:, m:-m, m:-m])  # doctest: +ELLIPSIS
    ... except ExerciseFailed: pass
    Not quite yet. centre_crop returned an array of the wrong shape.
    Expected shape (2, 6, 8), got (2, 0, 0).
    The input was:
      argument 1: an array of shape (2, 6, 8), dtype uint8, whose entries in reading order s...
      argument 2: 0
    """
    big = np.arange(2 * 6 * 8, dtype=np.uint8).reshape(2, 6, 8)
    cases = [(big, 1), (big, 2), (_IMAGES[:3], 1), (big, 0)]

    def reference(images, margin):
        return images[:, margin:images.shape[1] - margin, margin:images.shape[2] - margin]

    check_function(centre_crop, reference, cases, task="centre_crop")


def check_count_batches(count_batches: Callable) -> None:
    """Check ``count_batches(num_samples, batch_size)``: batches needed, the last one possibly smaller.

    Examples
    --------
    A first attempt (the last, smaller batch is lost), and the feedback it gets:

    >>> try: check_count_batches(lambda n, size: n // size)  # doctest: +ELLIPSIS
    ... except ExerciseFailed: pass
    Not quite yet. count_batches(60000, 128) returned 468, which is not right yet.
    Remember the last batch: it may hold fewer samples than batch_size, and when the samples...
    """
    require_callable(count_batches, "count_batches")
    cases = [(60000, 128), (10, 5), (11, 5), (1, 128), (128, 128), (129, 128)]
    for num_samples, batch_size in cases:
        got = call_student(count_batches, num_samples, batch_size, task="count_batches")
        if isinstance(got, float) and not got.is_integer():
            fail(f"count_batches({num_samples}, {batch_size}) returned {got}, which is not a whole number.",
                 "A number of batches counts whole batches. Hint: look at `//` and `divmod`.")
        if not isinstance(got, (int, np.integer, float)) or isinstance(got, bool):
            fail(f"count_batches returned {got!r}; a whole number was expected.")
        if got != -(-num_samples // batch_size):
            fail(f"count_batches({num_samples}, {batch_size}) returned {got}, which is not right yet.",
                 "Remember the last batch: it may hold fewer samples than batch_size, "
                 "and when the samples divide evenly there is no extra batch.")
    passed(f"count_batches is right for all {len(cases)} cases.")


_DATA_TRUTHS = [(2000, 12), (365, 24, 4), (64, 32, 32, 3), (8, 16, 64, 64, 1)]

#: Why data is cut into batches along the samples axis (section 2.2.7).
WHY_BATCHES = Choice(
    "A model reads MNIST in batches of 128 images, cut along axis 0. Why along axis 0?",
    {"a": "Axis 0 is the samples axis: a slice along it keeps whole samples, so every batch is a smaller "
          "data set of the same kind, with the same shape for each sample.",
     "b": "Axis 0 is the longest axis (far longer than the 28 rows or columns), and a batch is always cut along "
          "the longest axis, so that there are as many batches as possible.",
     "c": "A slice along axis 0 is a view that shares memory with the data set, while a slice along "
          "axis 1 or 2 would have to copy the pixels."},
    "a",
    {"b": "Length does not decide it: 3 samples of 1,000 features are still batched along axis 0, the "
          "shorter axis, because a batch must hold whole samples.",
     "c": "Every start:stop slice is a view, whichever axis it cuts, so memory is not the reason; "
          "cutting axis 1 would give every image with some of its rows missing."},
    "Each batch keeps whole samples, so a batch of shape (128, 28, 28) is read exactly like the whole set.")


def _attributes(expression):
    array = eval(expression, {"np": np})  # the fixed expressions above, not student input
    return (array.ndim, array.shape)


def check_attribute_predictions(my_attributes: Callable) -> None:
    """Check the predicted ``(ndim, shape)`` pairs for :data:`ATTRIBUTE_QUESTIONS`.

    Examples
    --------
    A first attempt (one guess for every question), and the feedback it gets:

    >>> try: check_attribute_predictions(lambda: [(0, ())] * 6)
    ... except ExerciseFailed: pass
    Not quite yet. 5 of your 6 answers are not right yet.
    The first one: for `np.array([2, 7, 1, 8])` you answered (0, ()).
    Work through that case again, step by step.
    """
    require_callable(my_attributes, "my_attributes")
    answers = call_student(my_attributes, task="my_attributes")
    truths = [_attributes(e) for e in ATTRIBUTE_QUESTIONS]
    check_answers(answers, ATTRIBUTE_QUESTIONS, truths, "my_attributes",
                  describe=lambda expression: f"`{expression}`")


def check_data_shapes(my_data_shapes: Callable) -> None:
    """Check the predicted shapes for :data:`DATA_QUESTIONS`.

    Examples
    --------
    A first attempt (one guess for every data set), and the feedback it gets:

    >>> try: check_data_shapes(lambda: [(2000, 12)] * 4)  # doctest: +ELLIPSIS
    ... except ExerciseFailed: pass
    Not quite yet. 3 of your 4 answers are not right yet.
    The first one: for a year of hourly readings (365 days of 24 hours) of 4 sensors, one sa...
    Work through that case again, step by step.
    """
    require_callable(my_data_shapes, "my_data_shapes")
    answers = call_student(my_data_shapes, task="my_data_shapes")
    check_answers(answers, DATA_QUESTIONS, _DATA_TRUTHS, "my_data_shapes", describe=lambda text: text)


def check_why_batches(my_answer: Callable) -> None:
    """Check the letter chosen for :data:`WHY_BATCHES`.

    Examples
    --------
    A wrong letter, and the feedback it gets:

    >>> try: check_why_batches(lambda: "b")  # doctest: +ELLIPSIS
    ... except ExerciseFailed: pass
    Not quite yet. Option 'b' is not the reason.
    Length does not decide it: 3 samples of 1,000 features are still batched along axis 0, t...
    Read the options again and pick the one that explains it.
    """
    check_choice(my_answer, WHY_BATCHES, "my_answer")
