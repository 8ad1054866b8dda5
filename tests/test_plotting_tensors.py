"""chapter2.plotting.tensors: the drawings show the shapes and values of the tensors given."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from chapter2.errors import InputTypeError, InputValueError  # noqa: E402
from chapter2.plotting.tensors import plot_crop, plot_tensor_ranks  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def cells(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def test_one_cell_per_entry_and_the_front_values_written():
    matrix = np.arange(12).reshape(3, 4)
    cube = np.stack([matrix, matrix + 100])
    fig = plot_tensor_ranks([np.array(7), np.arange(5), matrix, cube])
    counts = [len(cells(ax)) for ax in fig.axes]
    assert counts == [1, 5, 12, 24]
    # Only the front layer of the rank-3 tensor is written out (its first matrix).
    written = sorted(int(t.get_text()) for t in fig.axes[3].texts if t.get_text().isdigit())
    assert written == list(range(12))
    assert [ax.get_title() for ax in fig.axes] == [
        "rank 0, shape ()", "rank 1, shape (5,)", "rank 2, shape (3, 4)", "rank 3, shape (2, 3, 4)"]


def test_first_row_is_drawn_on_top():
    fig = plot_tensor_ranks([np.array([[1, 2], [3, 4]])])
    texts = {t.get_text(): t.get_position() for t in fig.axes[0].texts}
    assert texts["1"][1] > texts["3"][1]
    assert texts["1"][0] < texts["2"][0]


@pytest.mark.parametrize("tensor", [np.zeros((2, 2, 2, 2)), np.zeros(9), np.zeros((0, 3))])
def test_tensors_too_big_or_empty_are_refused(tensor):
    with pytest.raises(InputValueError):
        plot_tensor_ranks([tensor])


def test_string_tensors_are_refused():
    with pytest.raises(InputTypeError):
        plot_tensor_ranks([np.array(["a"])])


def test_crop_shows_the_same_pixels_as_numpy_slicing():
    image = np.arange(28 * 28).reshape(28, 28)
    fig = plot_crop(image, rows=(3, 10), cols=(5, 25))
    np.testing.assert_array_equal(fig.axes[1].images[0].get_array(), image[3:10, 5:25])
    assert fig.axes[1].get_title() == "image[3:10, 5:25] has shape (7, 20)"
    frame = [p for p in fig.axes[0].patches if isinstance(p, Rectangle)][0]
    assert (frame.get_width(), frame.get_height()) == (20, 7)


@pytest.mark.parametrize("rows", [(5, 5), (-1, 4), (0, 29), (3, 2)])
def test_crop_ranges_must_be_inside_the_image_and_non_empty(rows):
    with pytest.raises(InputValueError, match="rows"):
        plot_crop(np.zeros((28, 28)), rows=rows, cols=(0, 28))


def test_crop_needs_a_matrix():
    with pytest.raises(InputValueError, match="2-D"):
        plot_crop(np.zeros((2, 28, 28)), rows=(0, 1), cols=(0, 1))
