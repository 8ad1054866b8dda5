"""chapter2.plotting.digits: the pictures show the pixels, labels and predictions given."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402

from chapter2.errors import InputTypeError, InputValueError  # noqa: E402
from chapter2.plotting.digits import (  # noqa: E402
    RIGHT_COLOUR,
    WRONG_COLOUR,
    as_image_stack,
    misclassified,
    plot_digits,
    plot_prediction,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def images():
    return np.random.default_rng(0).integers(0, 256, size=(6, 28, 28)).astype(np.uint8)


def one_hot_probs(predicted, confidence=0.9):
    """Probabilities that put ``confidence`` on each predicted class, the rest spread evenly."""
    probs = np.full((len(predicted), 10), (1 - confidence) / 9)
    probs[np.arange(len(predicted)), predicted] = confidence
    return probs


# ------------------------------------------------------------ as_image_stack
def test_flat_images_become_squares_with_the_same_pixels(images):
    flat = images.reshape(6, 784)
    stack = as_image_stack(flat)
    assert stack.shape == (6, 28, 28)
    np.testing.assert_array_equal(stack, images)


def test_stacks_of_non_square_pictures_are_kept(images):
    wide = np.zeros((3, 28, 46))
    assert as_image_stack(wide).shape == (3, 28, 46)


@pytest.mark.parametrize("shape", [(784,), (2, 10), (2, 28, 28, 1)])
def test_shapes_that_are_not_a_batch_of_pictures_are_refused(shape):
    with pytest.raises(InputValueError, match="images must have shape"):
        as_image_stack(np.zeros(shape))


def test_text_is_refused():
    with pytest.raises(InputTypeError, match="numbers"):
        as_image_stack(np.array([["a", "b"]]))


# ------------------------------------------------------------ plot_digits
def test_grid_has_one_axes_per_image_and_a_size_from_its_layout(images):
    fig = plot_digits(images, ncols=4)
    assert len(fig.axes) == 6
    np.testing.assert_allclose(fig.get_size_inches(), (1.3 * 4, 1.5 * 2))


def test_each_axes_shows_its_own_image(images):
    fig = plot_digits(images, ncols=3)
    for ax, image in zip(fig.axes, images):
        np.testing.assert_array_equal(ax.images[0].get_array(), image)


def test_captions_show_labels(images):
    fig = plot_digits(images, labels=[0, 1, 2, 3, 4, 5])
    assert [ax.get_title() for ax in fig.axes] == [f"label {d}" for d in range(6)]


def test_captions_mark_and_colour_right_and_wrong_predictions(images):
    labels = np.array([3, 3, 7, 7, 1, 1])
    predicted = np.array([3, 5, 7, 2, 1, 1])
    fig = plot_digits(images, labels, probabilities=one_hot_probs(predicted))
    colours = [to_rgba(ax.title.get_color()) for ax in fig.axes]
    expected = [to_rgba(RIGHT_COLOUR if p == t else WRONG_COLOUR) for p, t in zip(predicted, labels)]
    assert colours == expected
    # colour is never the only carrier of meaning: a tick or a cross says it too
    assert fig.axes[1].get_title() == "true 3\n✗ pred 5 (0.90)"
    assert fig.axes[0].get_title() == "true 3\n✓ pred 3 (0.90)"


def test_explicit_captions_replace_labels(images):
    fig = plot_digits(images, labels=[0] * 6, captions=[f"frame {i}" for i in range(6)])
    assert fig.axes[5].get_title() == "frame 5"


def test_one_hot_labels_get_a_helpful_error(images):
    with pytest.raises(InputValueError, match="one-hot"):
        plot_digits(images, labels=np.eye(10)[:6])


@pytest.mark.parametrize("bad", [
    {"labels": [1, 2]},
    {"probabilities": np.ones((6, 9)) / 9},
    {"captions": ["a"]},
    {"ncols": 0},
])
def test_mismatched_arguments_are_refused(images, bad):
    with pytest.raises(InputValueError):
        plot_digits(images, **bad)


def test_empty_batch_is_refused():
    with pytest.raises(InputValueError, match="empty"):
        plot_digits(np.zeros((0, 28, 28)))


# ------------------------------------------------------------ plot_prediction
def test_prediction_bars_are_the_probabilities_and_the_top_one_is_coloured(images):
    probs = np.random.default_rng(1).dirichlet(np.ones(10))
    fig = plot_prediction(images[0], probs, label=int(np.argmax(probs)))
    bars = fig.axes[1].patches
    np.testing.assert_allclose([bar.get_height() for bar in bars], probs)
    top = int(np.argmax(probs))
    assert to_rgba(bars[top].get_facecolor()) == to_rgba(RIGHT_COLOUR)
    assert fig.axes[1].get_title() == f"predicted {top} with probability {probs[top]:.3f} ✓ right"


def test_a_wrong_prediction_is_red_and_the_true_class_is_marked(images):
    probs = one_hot_probs([4])[0]
    fig = plot_prediction(images[0].reshape(784), probs, label=9)
    assert to_rgba(fig.axes[1].patches[4].get_facecolor()) == to_rgba(WRONG_COLOUR)
    marks = [text for text in fig.axes[1].texts if text.get_text() == "true"]
    assert len(marks) == 1 and marks[0].xy[0] == 9
    assert tuple(fig.get_size_inches()) == (8.0, 3.0)


def test_prediction_needs_ten_probabilities(images):
    with pytest.raises(InputValueError, match="probabilities"):
        plot_prediction(images[0], np.ones(9) / 9)


# ------------------------------------------------------------ misclassified
def test_misclassified_matches_a_direct_comparison():
    rng = np.random.default_rng(2)
    probs = rng.dirichlet(np.ones(10), size=200)
    labels = rng.integers(0, 10, size=200)
    expected = [i for i in range(200) if probs[i].argmax() != labels[i]]
    assert misclassified(labels, probs).tolist() == expected
