"""chapter2.plotting.first_look: each widget frame shows the numbers its settings imply."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from chapter2.errors import InputValueError  # noqa: E402
from chapter2.plotting.first_look import (  # noqa: E402
    ENCODINGS,
    plot_digit_examples,
    plot_digit_in_both_sets,
    plot_loss_and_accuracy,
    plot_one_hot_vector,
    plot_parameter_counts,
    plot_pixel_encoding,
)
from chapter2.utils import to_categorical  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    labels = np.tile(np.arange(10), 9)
    images = rng.integers(0, 256, size=(len(labels), 28, 28)).astype(np.uint8)
    return images, labels


def test_digit_examples_show_the_images_paired_with_that_label(data):
    images, labels = data
    fig = plot_digit_examples(images, labels, 7)
    expected = np.flatnonzero(labels == 7)[:8]
    assert [ax.get_title() for ax in fig.axes] == [f"[{i}] label 7" for i in expected]
    for ax, index in zip(fig.axes, expected):
        np.testing.assert_array_equal(ax.images[0].get_array(), images[index])


def test_too_few_images_of_a_digit_are_reported(data):
    images, labels = data
    with pytest.raises(InputValueError):
        plot_digit_examples(images[:20], labels[:20], 3)


def test_both_sets_panel_prints_each_sets_count_and_share(data):
    images, labels = data
    train = np.array([2] * 3 + [1] * 7)
    fig = plot_digit_in_both_sets(images, labels, train, 2)
    texts = [t.get_text() for t in fig.axes[-1].texts]
    assert texts == ["3 of 10 (30.0%)", f"9 of {len(labels)} (10.0%)"]
    assert tuple(fig.get_size_inches()) == (1.3 * 8, 3.4)


@pytest.mark.parametrize("hidden", [32, 512, 2048])
def test_parameter_bars_are_kernel_and_bias_counts(hidden):
    fig = plot_parameter_counts((784, hidden, 10))
    heights = [patch.get_height() for patch in fig.axes[0].patches]
    assert heights == [784 * hidden, hidden * 10, hidden, 10]
    assert fig.axes[0].get_title().endswith(f"{784 * hidden + hidden + hidden * 10 + 10:,} parameters in all")


@pytest.mark.parametrize("p, rest, right", [(0.55, "one rival digit", True), (0.45, "one rival digit", False),
                                            (0.15, "spread over nine digits", True),
                                            (0.08, "spread over nine digits", False)])
def test_loss_depends_on_p_only_while_accuracy_depends_on_the_rest(p, rest, right):
    fig = plot_loss_and_accuracy(p, rest)
    assert fig.axes[0].get_title() == f"loss = −log {p:g} = {-np.log(p):.2f}"
    assert fig.axes[1].get_title().startswith("counted right" if right else "counted wrong")
    heights = [bar.get_height() for bar in fig.axes[1].patches]
    assert sum(heights) == pytest.approx(1.0)
    assert heights[3] == p


def test_a_probability_outside_0_to_1_is_refused():
    with pytest.raises(InputValueError):
        plot_loss_and_accuracy(0.0)


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_pixel_encoding_shows_the_value_range_and_numpys_memory(encoding):
    raw = np.array([[0, 51], [102, 255]], dtype=np.uint8)
    fig = plot_pixel_encoding(raw, encoding, shape=(3, 4))
    dtype, divisor = ENCODINGS[encoding]
    scaled = raw[raw > 0].astype(dtype) / np.asarray(divisor, dtype=dtype)
    assert fig.axes[0].get_title() == f"{dtype} values from {float(scaled.min()):.3g} to {float(scaled.max()):.3g}"
    memory = [t.get_text().split(" bytes")[0] for t in fig.axes[1].texts]
    assert memory == [f"{np.zeros((3, 4), dtype=ENCODINGS[name][0]).nbytes:,}" for name in ENCODINGS]


@pytest.mark.parametrize("digit", [0, 5, 9])
def test_one_hot_bars_match_to_categorical(digit):
    fig = plot_one_hot_vector(digit)
    heights = [bar.get_height() for bar in fig.axes[0].patches]
    np.testing.assert_array_equal(heights, to_categorical([digit], 10)[0])
