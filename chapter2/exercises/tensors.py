"""Checks for the exercises of notebook 02 (tensors, slicing, batches).

The truth each check compares with is plain NumPy slicing on small arrays
whose entries are all different, so a slice taken from the wrong place
cannot pass by accident.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .feedback import check_function, require_callable, call_student, fail, passed

#: A small stand-in for MNIST: 10 "images" of 3 x 4 distinct pixels.
_IMAGES = np.arange(10 * 3 * 4, dtype=np.uint8).reshape(10, 3, 4)


def check_get_batch(get_batch: Callable) -> None:
    """Check ``get_batch(data, batch_size, n)``: batch number ``n`` of ``data``.

    Examples
    --------
    >>> check_get_batch(lambda data, size, n: data[size * n:size * (n + 1)])
    Correct! get_batch gives the right result on 5 test inputs.
    """
    cases = [(_IMAGES, 4, 0), (_IMAGES, 4, 1), (_IMAGES, 4, 2), (_IMAGES, 3, 3),
             (np.arange(7.0), 2, 1)]
    check_function(get_batch, lambda data, size, n: data[size * n:size * (n + 1)], cases,
                   task="get_batch")


def check_centre_crop(centre_crop: Callable) -> None:
    """Check ``centre_crop(images, margin)``: drop ``margin`` pixels on every side.

    Examples
    --------
    >>> check_centre_crop(lambda im, m: im[:, m:im.shape[1] - m, m:im.shape[2] - m])
    Correct! centre_crop gives the right result on 4 test inputs.
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
    >>> check_count_batches(lambda n, size: -(-n // size))
    Correct! count_batches is right for all 6 cases.
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
