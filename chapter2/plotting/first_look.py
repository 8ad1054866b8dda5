"""The interactive pictures of notebook 01 (section 2.1), one per step of the first example.

Each function draws one setting of a widget: the images of one digit in the
training or test set, the parameters of a layer width, the loss against the
accuracy for one probability, one way of storing the pixels, one label's
one-hot vector. Every figure has a size that depends on nothing the controls
change, so a widget's frames all have the same size.
"""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..costs import array_bytes, dense_parameter_counts
from ..errors import InputValueError
from . import style
from .digits import as_image_stack, plot_digits

#: The ways of storing the pixels that :func:`plot_pixel_encoding` compares: dtype and divisor.
ENCODINGS = {
    "uint8, as stored": ("uint8", 1),
    "float32, divided by 255": ("float32", 255),
    "float64, divided by 255": ("float64", 255),
    "float32, not divided": ("float32", 1),
}


def _check_digit(digit: int, num_classes: int = 10) -> int:
    if not 0 <= int(digit) < num_classes:
        raise InputValueError(f"digit must lie in 0..{num_classes - 1}, got {digit!r}")
    return int(digit)


def _first_of_digit(labels: Sequence[int], digit: int, count: int) -> np.ndarray:
    """Indices of the first ``count`` labels equal to ``digit``."""
    found = np.flatnonzero(np.asarray(labels).ravel() == _check_digit(digit))[:count]
    if len(found) < count:
        raise InputValueError(f"fewer than {count} images are labelled {digit}")
    return found


def plot_digit_examples(images: np.ndarray, labels: Sequence[int], digit: int, *, count: int = 8,
                        title: str = "Training images") -> Figure:
    """Draw the first ``count`` images whose label is ``digit``, each captioned with its index and label.

    Parameters
    ----------
    images : array_like, shape (n, 28, 28) or (n, 784)
    labels : sequence of int, length n
        ``labels[i]`` is the digit drawn in ``images[i]``.
    digit : int
    count : int
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        Size ``(1.3 * count, 1.5)`` inches.

    Examples
    --------
    >>> fig = plot_digit_examples(np.zeros((3, 28, 28)), [1, 0, 1], 1, count=2)
    >>> [ax.get_title() for ax in fig.axes]
    ['[0] label 1', '[2] label 1']
    """
    found = _first_of_digit(labels, digit, count)
    captions = [f"[{i}] label {int(np.asarray(labels)[i])}" for i in found]
    return plot_digits(as_image_stack(images)[found], captions=captions, ncols=count,
                       title=f"{title}: the first {count} labelled {digit} ([index] label)")


def plot_digit_in_both_sets(test_images: np.ndarray, test_labels: Sequence[int], train_labels: Sequence[int],
                            digit: int, *, count: int = 8) -> Figure:
    """Test images of one digit above how many images of that digit each set holds.

    Parameters
    ----------
    test_images : array_like, shape (n, 28, 28) or (n, 784)
    test_labels : sequence of int, length n
    train_labels : sequence of int
    digit : int
    count : int
        Test images drawn.

    Returns
    -------
    matplotlib.figure.Figure
        Size ``(1.3 * count, 3.4)`` inches.

    Examples
    --------
    >>> fig = plot_digit_in_both_sets(np.zeros((2, 28, 28)), [4, 4], [4, 1, 1, 1], 4, count=2)
    >>> fig.axes[-1].get_yticklabels()[0].get_text()
    'training set'
    """
    found = _first_of_digit(test_labels, digit, count)
    stack = as_image_stack(test_images)
    fig = plt.figure(figsize=(1.3 * count, 3.4), layout="constrained")
    top, bottom = fig.subfigures(2, 1, height_ratios=[1.25, 1])
    # One grey scale for the row, so a faint digit looks faint next to a bold one.
    darkest = max(float(stack[found].max()), 1.0)
    for ax, index in zip(top.subplots(1, count), found):
        ax.imshow(stack[index], cmap=style.INK_CMAP, vmin=0, vmax=darkest)
        ax.set_title(f"[{index}] label {digit}", fontsize=9)
        ax.axis("off")
    top.suptitle(f"Held-out test images labelled {digit}: the network never trains on them")
    ax = bottom.subplots()
    for row, (name, labels) in enumerate((("training set", train_labels), ("test set", test_labels))):
        digits = np.asarray(labels).ravel()
        share = np.mean(digits == digit)
        ax.barh(row, share * 100, color=style.series_colour(row), edgecolor=style.BLACK,
                hatch="" if row == 0 else "//")
        ax.text(share * 100 + 0.3, row, f"{np.count_nonzero(digits == digit):,} of {len(digits):,} ({share:.1%})",
                va="center", fontsize=9)
    ax.set_yticks([0, 1], ["training set", "test set"])
    ax.invert_yaxis()
    ax.set_xlim(0, 16)
    ax.set_xlabel(f"share of the set's images labelled {digit} (%)")
    return fig


def plot_parameter_counts(sizes: Sequence[int]) -> Figure:
    """Bars of each ``Dense`` layer's kernel and bias parameter counts, on a log scale, with the total.

    Parameters
    ----------
    sizes : sequence of int
        Input width, then the units of each layer, e.g. ``(784, 512, 10)``.

    Returns
    -------
    matplotlib.figure.Figure
        Size 8 x 3.6 inches; the vertical axis is fixed from 1 to 10 million.

    Examples
    --------
    >>> plot_parameter_counts((784, 32, 10)).axes[0].get_title()
    '784 → 32 → 10: 25,450 parameters in all'
    """
    counts = dense_parameter_counts(sizes)
    fig, ax = plt.subplots(figsize=(8, 3.6), layout="constrained")
    for part, (name, hatch) in enumerate((("kernel (weights)", ""), ("bias", "//"))):
        positions = np.arange(len(counts)) + (part - 0.5) * 0.38
        values = [pair[part] for pair in counts]
        ax.bar(positions, values, width=0.36, color=style.series_colour(part), edgecolor=style.BLACK,
               hatch=hatch, label=name)
        for x, value in zip(positions, values):
            ax.text(x, value * 1.25, f"{value:,}", ha="center", va="bottom", fontsize=9)
    ax.set_yscale("log")
    ax.set_ylim(1, 1e7)
    ax.set_xticks(range(len(counts)),
                  [f"layer {i + 1}: Dense({n_out})\n{n_in} × {n_out} + {n_out}"
                   for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]))])
    ax.set_ylabel("parameters (log scale)")
    ax.legend(loc="upper right")
    total = sum(kernel + bias for kernel, bias in counts)
    ax.set_title(" → ".join(str(int(n)) for n in sizes) + f": {total:,} parameters in all")
    return fig


def plot_loss_and_accuracy(p_true: float, rest: str = "one rival digit", *, true_digit: int = 3) -> Figure:
    """The cross-entropy loss of one prediction next to whether accuracy counts it as right.

    The network gives probability ``p_true`` to the true digit; the remaining
    ``1 - p_true`` goes either all to one other digit (``"one rival digit"``)
    or evenly to the nine others (``"spread over nine digits"``). The loss,
    ``-log(p_true)``, only looks at ``p_true``; accuracy only asks whether the
    true digit has the largest probability.

    Parameters
    ----------
    p_true : float
        In (0, 1].
    rest : {"one rival digit", "spread over nine digits"}
    true_digit : int

    Returns
    -------
    matplotlib.figure.Figure
        Size 10 x 3.4 inches, two panels.

    Examples
    --------
    >>> fig = plot_loss_and_accuracy(0.3)
    >>> fig.axes[1].get_title()
    'counted wrong ✗ (accuracy adds 0)'
    """
    if not 0 < p_true <= 1:
        raise InputValueError(f"p_true must lie in (0, 1], got {p_true!r}")
    rival = (true_digit + 5) % 10
    probs = np.full(10, 0.0)
    if rest == "one rival digit":
        probs[rival], threshold = 1 - p_true, 0.5
    elif rest == "spread over nine digits":
        probs[:], threshold = (1 - p_true) / 9, 0.1
    else:
        raise InputValueError(f"rest must be 'one rival digit' or 'spread over nine digits', got {rest!r}")
    probs[true_digit] = p_true
    right = bool(probs.argmax() == true_digit)
    fig, (left, bars) = plt.subplots(1, 2, figsize=(10, 3.4), layout="constrained")
    grid = np.linspace(0.005, 1, 400)
    left.axvspan(threshold, 1, color=style.PALE_GREY, label=f"counted right (p > {threshold})")
    left.plot(grid, -np.log(grid), color=style.REFERENCE, label="loss = −log p")
    left.plot([p_true], [-np.log(p_true)], "o", color=style.HIGHLIGHT, markersize=9, label="this prediction")
    left.set_ylim(0, 5.5)
    left.set_xlim(0, 1)
    left.set_xlabel("p, the probability given to the true digit")
    left.set_ylabel("categorical cross-entropy")
    left.set_title(f"loss = −log {p_true:g} = {-np.log(p_true):.2f}")
    left.legend(loc="upper right", fontsize=8)
    # Only the true digit's bar is coloured, by the verdict; a cross hatch says "wrong" without colour.
    colours = [(style.RIGHT if right else style.WRONG) if d == true_digit else style.LIGHT_GREY for d in range(10)]
    bars.bar(range(10), probs, color=colours, edgecolor=style.BLACK,
             hatch=["" if right or d != true_digit else "xx" for d in range(10)])
    bars.annotate("true", (true_digit, p_true), (true_digit, min(p_true + 0.2, 1.05)), ha="center",
                  arrowprops={"arrowstyle": "->", "color": style.BLACK})
    bars.set_ylim(0, 1.15)
    bars.set_xticks(range(10))
    bars.set_xlabel(f"digit (the rest: {rest})")
    bars.set_ylabel("probability")
    bars.set_title(f"counted right {style.RIGHT_MARK} (accuracy adds 1)" if right
                   else f"counted wrong {style.WRONG_MARK} (accuracy adds 0)")
    return fig


def plot_pixel_encoding(raw: np.ndarray, encoding: str, *, shape: Sequence[int] = (60000, 784)) -> Figure:
    """The inked pixel values in one encoding, and the memory each encoding takes for an array of ``shape``.

    Parameters
    ----------
    raw : ndarray of uint8
        Some images as stored (any shape); background pixels (0) are left out.
    encoding : str
        A key of :data:`ENCODINGS`.
    shape : sequence of int
        The shape whose memory is compared, the training set by default.

    Returns
    -------
    matplotlib.figure.Figure
        Size 10 x 3.4 inches, two panels.

    Examples
    --------
    >>> fig = plot_pixel_encoding(np.array([0, 51, 255], dtype=np.uint8), "float32, divided by 255")
    >>> fig.axes[0].get_title()
    'float32 values from 0.2 to 1'
    """
    if encoding not in ENCODINGS:
        raise InputValueError(f"encoding must be one of {list(ENCODINGS)}, got {encoding!r}")
    dtype, divisor = ENCODINGS[encoding]
    values = np.asarray(raw).ravel()
    values = values[values > 0].astype(dtype)
    if divisor != 1:
        values = values / np.asarray(divisor, dtype=dtype)
    top = 255 if divisor == 1 else 1
    fig, (hist, memory) = plt.subplots(1, 2, figsize=(10, 3.4), layout="constrained")
    hist.hist(values, bins=32, range=(0, top), color=style.BLUE, edgecolor=style.WHITE)
    hist.set_xlim(0, top)
    hist.set_xlabel(f"pixel value ({encoding})")
    hist.set_ylabel("number of inked pixels")
    hist.set_title(f"{dtype} values from {float(values.min()):.3g} to {float(values.max()):.3g}")
    names = list(ENCODINGS)
    megabytes = [array_bytes(shape, ENCODINGS[name][0]) / 1e6 for name in names]
    memory.barh(range(len(names)), megabytes, edgecolor=style.BLACK,
                color=[style.ORANGE if name == encoding else style.LIGHT_GREY for name in names])
    for row, (name, mb) in enumerate(zip(names, megabytes)):
        memory.text(mb + 8, row, f"{array_bytes(shape, ENCODINGS[name][0]):,} bytes"
                    + ("  ← chosen" if name == encoding else ""), va="center", fontsize=9)
    memory.set_yticks(range(len(names)), names)
    memory.invert_yaxis()
    memory.set_xlim(0, 650)
    memory.set_xlabel("memory in MB (10⁶ bytes)")
    memory.set_title("an array of shape (" + ", ".join(f"{int(n):,}" for n in shape) + ")")
    return fig


def plot_one_hot_vector(digit: int, num_classes: int = 10) -> Figure:
    """One label's one-hot vector as a row of bars, each entry's value written above it.

    Parameters
    ----------
    digit : int
        The label, in ``0 .. num_classes - 1``.
    num_classes : int

    Returns
    -------
    matplotlib.figure.Figure
        Size 7 x 2.8 inches.

    Examples
    --------
    >>> plot_one_hot_vector(2, num_classes=4).axes[0].get_title()
    'label 2  →  one-hot [0 0 1 0]'
    """
    digit = _check_digit(digit, num_classes)
    vector = np.eye(num_classes, dtype=int)[digit]
    fig, ax = plt.subplots(figsize=(7, 2.8), layout="constrained")
    ax.bar(range(num_classes), vector, color=[style.HIGHLIGHT if v else style.LIGHT_GREY for v in vector],
           edgecolor=style.BLACK)
    for position, value in enumerate(vector):
        ax.text(position, value + 0.05, str(value), ha="center", va="bottom",
                fontweight="bold" if value else "normal")
    ax.set_ylim(0, 1.35)
    ax.set_xticks(range(num_classes))
    ax.set_xlabel("position in the vector (one per class)")
    ax.set_ylabel("entry")
    ax.set_title(f"label {digit}  →  one-hot [" + " ".join(str(v) for v in vector) + "]")
    return fig


__all__ = ["ENCODINGS", "plot_digit_examples", "plot_digit_in_both_sets", "plot_parameter_counts",
           "plot_loss_and_accuracy", "plot_pixel_encoding", "plot_one_hot_vector"]
