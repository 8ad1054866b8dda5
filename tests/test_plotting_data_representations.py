"""The widget pictures of notebook 02 (chapter2.plotting.data_representations), checked against NumPy."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from chapter2.errors import InputValueError  # noqa: E402
from chapter2.plotting import style  # noqa: E402
from chapter2.plotting.data_representations import (  # noqa: E402
    CHANNELS, LAYOUTS, RANK_SHAPES, SCALAR_EXAMPLES, plot_image_channels, plot_matrix_slice, plot_named_axes,
    plot_nested_tensor, plot_sample_row, plot_scalar_example, plot_vector_entry)

import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


MATRIX = np.array([[5, 8, 1, 0], [2, 7, 3, 9], [6, 4, 2, 8]])


def _selected_texts(fig):
    """The numbers written in the cells drawn with the selection hatch, in drawing order."""
    ax = fig.axes[0]
    boxes = [p.get_bbox() for p in ax.patches if p.get_hatch() == style.SELECTED_HATCH]
    return [t.get_text() for t in ax.texts
            if any(b.contains(*t.get_position()) for b in boxes) and t.get_text().lstrip("-").isdigit()]


@pytest.mark.parametrize("name", list(SCALAR_EXAMPLES))
def test_scalar_example_title_gives_numpy_ndim_and_shape(name):
    value = SCALAR_EXAMPLES[name]
    assert plot_scalar_example(name).axes[0].get_title() == f"{name}: ndim {np.ndim(value)}, shape {np.shape(value)}"


def test_only_the_one_entry_vector_has_an_axis():
    assert [np.ndim(v) for v in SCALAR_EXAMPLES.values()] == [0, 0, 0, 1]


@pytest.mark.parametrize("index", range(4))
def test_vector_entry_selects_x_i(index):
    fig = plot_vector_entry([3, 1, 4, 1], index)
    assert _selected_texts(fig) == [str([3, 1, 4, 1][index])]


@pytest.mark.parametrize("axis", [0, 1])
@pytest.mark.parametrize("index", range(3))
def test_matrix_slice_selects_the_row_or_column_numpy_returns(axis, index):
    fig = plot_matrix_slice(MATRIX, axis, index)
    expected = MATRIX[index] if axis == 0 else MATRIX[:, index]
    assert sorted(_selected_texts(fig)) == sorted(str(v) for v in expected)
    assert fig.get_size_inches().tolist() == [7, 3.2]


@pytest.mark.parametrize("rank", range(5))
def test_nested_tensor_writes_every_entry_once(rank):
    fig = plot_nested_tensor(rank)
    numbers = sorted(int(t.get_text()) for t in fig.axes[0].texts)
    assert numbers == list(range(int(np.prod(RANK_SHAPES[rank]))))
    assert len(RANK_SHAPES[rank]) == rank


def test_named_axes_writes_each_name_and_length():
    fig = plot_named_axes((128, 28, 28, 1), ("samples", "height", "width", "channels"))
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert ["samples", "128", "channels", "1"] == [texts[1], texts[2], texts[-2], texts[-1]]


def test_sample_row_selects_table_row():
    table = np.arange(18).reshape(6, 3)
    assert _selected_texts(plot_sample_row(table, ["a", "b", "c"], 4)) == ["12", "13", "14"]


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("order", LAYOUTS)
def test_image_channels_shape_matches_numpy_transpose(channel, order):
    image = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    fig = plot_image_channels(image, channel, order)
    shape = np.moveaxis(image, -1, 0).shape if order == "channels first" else image.shape
    assert fig.axes[2].get_title() == f"{order}: shape {shape}"
    written = [int(t.get_text()) for t in fig.axes[1].texts]
    assert written == image[:, :, CHANNELS.index(channel)].ravel().tolist()


@pytest.mark.parametrize("call", [lambda: plot_scalar_example("4"), lambda: plot_vector_entry([1, 2], 2),
                                  lambda: plot_matrix_slice(MATRIX, 0, 3), lambda: plot_nested_tensor(5),
                                  lambda: plot_named_axes((1, 2), ("a",)),
                                  lambda: plot_image_channels(np.zeros((2, 2, 3)), "alpha", "channels last")])
def test_bad_settings_raise(call):
    with pytest.raises(InputValueError):
        call()
