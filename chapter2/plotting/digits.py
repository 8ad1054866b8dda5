"""Pictures of MNIST digits and of what a model predicts for them.

Introduced in notebook 01 ("A first look at a neural network") and reused in
notebooks 02 and 09. Every function accepts images either as stack
``(n, 28, 28)`` or flattened ``(n, 784)``, with pixels in ``[0, 255]`` or
``[0, 1]``, and returns a matplotlib ``Figure`` whose size depends only on the
arguments, so stored notebook outputs stay stable.
"""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..errors import InputValueError
from ..validation import as_numeric_array, check_int
from . import style

# Colours used for right and wrong predictions throughout the notebooks; a mark
# (style.RIGHT_MARK or style.WRONG_MARK) always says the same in words.
RIGHT_COLOUR = style.RIGHT
WRONG_COLOUR = style.WRONG


def as_image_stack(images: np.ndarray, name: str = "images") -> np.ndarray:
    """Return ``images`` as a stack of 2-D pictures, shape ``(n, height, width)``.

    Parameters
    ----------
    images : array_like, shape (n, height, width) or (n, side*side)
        A batch of grayscale images; flattened rows must be square pictures.
    name : str
        The argument name used in error messages.

    Returns
    -------
    ndarray, shape (n, height, width)
        A view (or copy) of the same pixels, values unchanged.

    Examples
    --------
    >>> as_image_stack(np.zeros((2, 784))).shape
    (2, 28, 28)
    """
    array = as_numeric_array(images, name)
    if array.ndim == 3:
        return array
    if array.ndim == 2:
        side = int(round(np.sqrt(array.shape[1])))
        if side * side == array.shape[1]:
            return array.reshape(len(array), side, side)
    raise InputValueError(
        f"{name} must have shape (n, height, width) or (n, side*side), got shape {array.shape}; "
        f"pass a batch, e.g. images[:16] rather than images[0]")


def plot_digits(images: np.ndarray, labels: Sequence[int] | None = None, *,
                probabilities: np.ndarray | None = None, captions: Sequence[str] | None = None,
                ncols: int = 8, title: str = "MNIST digits") -> Figure:
    """Draw a grid of digits, each captioned with its label and/or prediction.

    Parameters
    ----------
    images : array_like, shape (n, height, width) or (n, 784)
        The digits to draw, in reading order.
    labels : sequence of int, length n, optional
        The true digit of each image.
    probabilities : array_like, shape (n, 10), optional
        A model's class probabilities. When given, each caption shows the
        predicted digit and its probability, marked and coloured by whether
        it matches the label (a tick in blue, or a cross in vermillion).
    captions : sequence of str, length n, optional
        Captions to use instead of labels and predictions.
    ncols : int
        Digits per row.
    title : str
        Title of the whole figure.

    Returns
    -------
    matplotlib.figure.Figure
        Size ``(1.3 * ncols, 1.5 * rows)`` inches.

    Examples
    --------
    >>> fig = plot_digits(np.zeros((4, 28, 28)), labels=[0, 1, 2, 3], ncols=4)
    >>> len(fig.axes)
    4
    """
    stack = as_image_stack(images)
    count = len(stack)
    # One grey scale for the whole grid, so a faint digit looks faint next to a bold one.
    top = max(float(stack.max(initial=0)), 1.0)
    if count == 0:
        raise InputValueError("images is empty; pass at least one image")
    ncols = check_int(ncols, "ncols", minimum=1)
    labels = _check_labels(labels, count)
    probabilities = _check_probabilities(probabilities, count)
    if captions is not None and len(captions) != count:
        raise InputValueError(f"captions must hold one string per image ({count}), got {len(captions)}")
    ncols = min(int(ncols), count)
    nrows = -(-count // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.3 * ncols, 1.5 * nrows), squeeze=False,
                             layout="constrained")
    for index, ax in enumerate(axes.flat):
        ax.axis("off")
        if index >= count:
            ax.remove()
            continue
        ax.imshow(stack[index], cmap=style.INK_CMAP, vmin=0, vmax=top)
        caption, colour = _caption(labels, probabilities, index)
        if captions is not None:
            caption, colour = str(captions[index]), style.BLACK
        ax.set_title(caption, fontsize=9, color=colour)
    fig.suptitle(title)
    return fig


def plot_prediction(image: np.ndarray, probabilities: np.ndarray, label: int | None = None, *,
                    title: str | None = None) -> Figure:
    """Draw one digit beside a bar chart of the ten probabilities a model gave it.

    Parameters
    ----------
    image : array_like, shape (28, 28) or (784,)
        The digit.
    probabilities : array_like, shape (10,)
        The model's probability for each class 0-9.
    label : int, optional
        The true digit; an arrow marks its bar.
    title : str, optional
        Title of the figure; by default it states the prediction.

    Returns
    -------
    matplotlib.figure.Figure
        Size ``(8, 3)`` inches, two axes.

    Examples
    --------
    >>> probs = np.full(10, 0.1)
    >>> fig = plot_prediction(np.zeros(784), probs, label=3)
    >>> len(fig.axes)
    2
    """
    picture = as_image_stack(np.asarray(image)[np.newaxis], "image")[0]
    probs = _check_probabilities(np.asarray(probabilities)[np.newaxis], 1)[0]
    labels = _check_labels(None if label is None else [label], 1)
    predicted = int(np.argmax(probs))
    fig, (ax_image, ax_bars) = plt.subplots(1, 2, figsize=(8, 3), width_ratios=[1, 2],
                                            layout="constrained")
    ax_image.imshow(picture, cmap=style.INK_CMAP)
    ax_image.set_title("the input image")
    ax_image.axis("off")
    right = labels is None or labels[0] == predicted
    bars = ax_bars.bar(np.arange(10), probs, color=style.LIGHT_GREY, edgecolor=style.GREY)
    bars[predicted].set_facecolor(RIGHT_COLOUR if right else WRONG_COLOUR)
    if not right:
        bars[predicted].set_hatch(style.CLASH_HATCH)
    if labels is not None:
        # Mark the true class above its bar, however small the bar is.
        ax_bars.annotate("true", (labels[0], probs[labels[0]]), xytext=(0, 12),
                         textcoords="offset points", ha="center", fontsize=9,
                         arrowprops={"arrowstyle": "->"})
    ax_bars.set_xticks(np.arange(10))
    ax_bars.set_ylim(0, 1.15)
    ax_bars.set_xlabel("digit class")
    ax_bars.set_ylabel("predicted probability")
    verdict = "" if labels is None else (f" {style.RIGHT_MARK} right" if right else f" {style.WRONG_MARK} wrong")
    ax_bars.set_title(f"predicted {predicted} with probability {probs[predicted]:.3f}{verdict}")
    if title is None:
        title = "prediction" if labels is None else f"true label {labels[0]}"
    fig.suptitle(title)
    return fig


def _caption(labels: np.ndarray | None, probabilities: np.ndarray | None,
             index: int) -> tuple[str, str]:
    """The caption of one digit in a grid, and its colour."""
    if probabilities is None:
        return ("" if labels is None else f"label {labels[index]}"), style.BLACK
    predicted = int(np.argmax(probabilities[index]))
    text = f"pred {predicted} ({probabilities[index, predicted]:.2f})"
    if labels is None:
        return text, style.BLACK
    if labels[index] == predicted:
        return f"true {labels[index]}\n{style.RIGHT_MARK} {text}", RIGHT_COLOUR
    return f"true {labels[index]}\n{style.WRONG_MARK} {text}", WRONG_COLOUR


def _check_labels(labels: Sequence[int] | None, count: int) -> np.ndarray | None:
    if labels is None:
        return None
    array = as_numeric_array(labels, "labels", finite=True)
    if array.ndim == 2 and array.shape[1] == 10:
        raise InputValueError(
            "labels looks one-hot encoded (shape (n, 10)); pass the digits themselves, "
            "e.g. labels.argmax(axis=1)")
    if array.shape != (count,):
        raise InputValueError(f"labels must have shape ({count},) to match the images, got {array.shape}")
    return array.astype(int)


def _check_probabilities(probabilities: np.ndarray | None, count: int) -> np.ndarray | None:
    if probabilities is None:
        return None
    array = as_numeric_array(probabilities, "probabilities", dtype=float)
    if array.shape != (count, 10):
        raise InputValueError(
            f"probabilities must have shape ({count}, 10), one row of ten class "
            f"probabilities per image, got {array.shape}")
    return array


def misclassified(labels: Sequence[int], probabilities: np.ndarray) -> np.ndarray:
    """Indices of the samples whose most probable class is not their label.

    Parameters
    ----------
    labels : sequence of int, shape (n,)
        True digits.
    probabilities : array_like, shape (n, 10)
        Predicted class probabilities.

    Returns
    -------
    ndarray of int, shape (m,)
        Increasing indices ``i`` with ``argmax(probabilities[i]) != labels[i]``.

    Examples
    --------
    >>> misclassified([0, 1], np.eye(10)[[0, 2]])
    array([1])
    """
    array = _check_probabilities(probabilities, len(np.asarray(labels)))
    truth = _check_labels(labels, len(array))
    return np.flatnonzero(array.argmax(axis=1) != truth)


def plot_label_counts(train_labels: Sequence[int], test_labels: Sequence[int], *,
                      title: str = "How many images of each digit") -> Figure:
    """Bar charts of how often each digit occurs in the training set and in the test set.

    Parameters
    ----------
    train_labels, test_labels : sequence of int
        Digits 0-9.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        Size 10 x 3.2 inches, one panel per set.

    Examples
    --------
    >>> fig = plot_label_counts([0, 1, 1], [2])
    >>> [ax.get_title() for ax in fig.axes]
    ['training set: 3 images', 'test set: 1 images']
    """
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.2), layout="constrained")
    for index, (ax, labels, name) in enumerate(((axes[0], train_labels, "training set"),
                                               (axes[1], test_labels, "test set"))):
        digits = as_numeric_array(labels, name, finite=True).astype(int).ravel()
        if digits.size == 0 or digits.min() < 0 or digits.max() > 9:
            raise InputValueError(f"the {name} labels must be digits 0 to 9, got {digits[:10]}")
        counts = np.bincount(digits, minlength=10)
        ax.bar(np.arange(10), counts, color=style.series_colour(index), edgecolor=style.BLACK,
               hatch="" if index == 0 else "//")
        ax.set_xticks(np.arange(10))
        ax.set_xlabel("digit")
        ax.set_ylabel("number of images")
        ax.set_title(f"{name}: {digits.size:,} images")
    fig.suptitle(title)
    return fig


__all__ = ["as_image_stack", "plot_digits", "plot_prediction", "misclassified", "plot_label_counts"]
