"""chapter2.plotting.shapes: the pictures say what NumPy does with the shapes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from chapter2.errors import InputTypeError, InputValueError  # noqa: E402
from chapter2.plotting import shapes  # noqa: E402
from chapter2.plotting.shapes import (  # noqa: E402
    broadcast_explorer,
    parse_shape,
    plot_broadcast,
    plot_dot_shapes,
    plot_image_reshape,
    plot_matrix_product,
    plot_reshape,
    plot_transpose,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def boxes(fig, colour):
    """Rectangles of one fill colour, as (x, y) of their lower-left corners."""
    ax = fig.axes[0]
    return sorted((round(p.get_x()), round(p.get_y())) for p in ax.patches
                  if isinstance(p, Rectangle) and to_hex(p.get_facecolor()) == colour)


def row_numbers(fig, row):
    """The numbers written inside the boxes of one row (0 = bottom), left to right."""
    ax = fig.axes[0]
    texts = sorted((t.get_position()[0], t.get_text()) for t in ax.texts
                   if abs(t.get_position()[1] - (row + 0.5)) < 1e-9)
    return tuple(int(text) for _, text in texts if text.isdigit())


@pytest.mark.parametrize("text, shape", [("(2, 3)", (2, 3)), ("2,3", (2, 3)), (" 2 3 ", (2, 3)),
                                         ("(10,)", (10,)), ("5", (5,)), ("()", ()), ("", ())])
def test_parse_shape_reads_the_usual_spellings(text, shape):
    assert parse_shape(text) == shape


@pytest.mark.parametrize("text", ["(2, x)", "(2.5,)", "(-1, 2)", "[[2]]"])
def test_parse_shape_refuses_what_is_not_a_shape(text):
    with pytest.raises(InputValueError, match="cannot read"):
        parse_shape(text)
    with pytest.raises(InputTypeError):
        parse_shape((2, 3))


@settings(max_examples=15, deadline=None)
@given(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=4, min_side=2, max_side=9))
def test_broadcast_picture_shows_numpys_result(shapes_):
    a, b = shapes_.input_shapes
    fig = plot_broadcast(a, b)
    assert row_numbers(fig, 0) == np.broadcast_shapes(a, b)
    assert tuple(fig.get_size_inches()) == (7.5, 3.4)
    plt.close(fig)


def test_broadcast_picture_colours_each_axis():
    fig = plot_broadcast((4, 1, 3), (5, 1))
    # Column 0 of y is missing, x's middle axis and y's last axis are stretched.
    assert boxes(fig, shapes.STRETCHED) == [(0, 1), (1, 2), (2, 1)]
    assert boxes(fig, shapes.PAIRED) == [(0, 0), (1, 0), (2, 0)]
    assert boxes(fig, shapes.CLASH) == []
    assert "→  shape (4, 5, 3)" in fig.axes[0].get_title()


def test_broadcast_picture_marks_the_clash_and_draws_no_result():
    fig = plot_broadcast((8, 4, 3), (5, 1))
    assert boxes(fig, shapes.CLASH) == [(1, 1), (1, 2)]
    assert boxes(fig, shapes.PAIRED) == []
    assert fig.axes[0].get_title() == "x (8, 4, 3) and y (5, 1) do not broadcast"
    assert any("axis -2: 4 and 5 differ" in t.get_text() for t in fig.axes[0].texts)


def legend_labels(fig):
    return [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


def test_broadcast_legend_names_only_the_boxes_drawn():
    fits = legend_labels(plot_broadcast((4, 1, 3), (5, 1)))
    assert "clash" not in fits
    assert {"passes through", "stretched from 1", "result", shapes.MISSING_AXIS_LABEL} <= set(fits)
    clashing = legend_labels(plot_broadcast((8, 4, 3), (5, 1)))
    assert "clash" in clashing and "result" not in clashing
    same = legend_labels(plot_broadcast((2, 3), (2, 3)))
    assert same == ["passes through", "result"]


def test_broadcast_picture_refuses_too_many_axes():
    with pytest.raises(InputValueError, match="at most 6"):
        plot_broadcast((1,) * 7, (1,))


def test_explorer_turns_typos_into_a_message_of_the_same_size():
    good = broadcast_explorer("(3, 1)", "4")
    bad = broadcast_explorer("(3, one)", "4")
    assert good.axes[0].get_title() == "x (3, 1) + y (4,)  →  shape (3, 4)"
    assert bad.axes[0].get_title() == "Cannot draw these shapes"
    assert "cannot read '(3, one)'" in bad.axes[0].texts[0].get_text()
    assert tuple(bad.get_size_inches()) == tuple(good.get_size_inches())


@pytest.mark.parametrize("a, b", [((2, 3), (3, 4)), ((5, 2, 3), (3,)), ((3,), (2, 3, 4)),
                                  ((3,), (3,)), ((2, 2, 3), (4, 3, 5))])
def test_dot_picture_shows_numpys_result(a, b):
    fig = plot_dot_shapes(a, b)
    expected = np.dot(np.ones(a), np.ones(b)).shape
    assert row_numbers(fig, 0) == expected
    assert len(boxes(fig, shapes.PAIRED)) == 2  # the two summed axes
    assert fig.axes[0].get_title().endswith(f"shape {expected}")


def test_dot_picture_marks_a_mismatch():
    fig = plot_dot_shapes((2, 3), (4, 5))
    assert len(boxes(fig, shapes.CLASH)) == 2
    assert row_numbers(fig, 0) == ()
    assert any("3 ≠ 4" in t.get_text() for t in fig.axes[0].texts)
    assert "do not line up" in fig.axes[0].get_title()
    with pytest.raises(InputValueError, match="at least one axis"):
        plot_dot_shapes((), (3,))


def test_matrix_product_highlights_row_column_and_entry():
    fig = plot_matrix_product(3, 4, 2, 1, 1)
    assert len(boxes(fig, shapes.PAIRED)) == 4 + 4  # row 1 of x and column 1 of y
    assert len(boxes(fig, shapes.STRETCHED)) == 1
    assert fig.axes[0].get_title() == "z[1, 1] = dot(x[1, :], y[:, 1])"
    with pytest.raises(InputValueError, match=r"index z of shape \(3, 2\)"):
        plot_matrix_product(3, 4, 2, 3, 0)
    with pytest.raises(InputValueError, match="inner"):
        plot_matrix_product(3, 9, 2, 0, 0)


def test_reshape_picture_keeps_reading_order():
    fig = plot_reshape((3, 4), (2, 6))
    for ax, shape in zip(fig.axes, [(3, 4), (2, 6)]):
        grid = ax.images[0].get_array()
        np.testing.assert_array_equal(grid, np.arange(12).reshape(shape))
    with pytest.raises(InputValueError, match="12 entries.*10 entries"):
        plot_reshape((3, 4), (2, 5))


def test_transpose_picture_swaps_rows_and_columns():
    fig = plot_transpose(2, 3)
    left, right = (ax.images[0].get_array() for ax in fig.axes)
    np.testing.assert_array_equal(right, np.asarray(left).T)
    assert fig.axes[1].get_title() == "x.T: shape (3, 2)"


def test_image_reshape_shows_the_same_pixels_regrouped():
    image = np.arange(28 * 28).reshape(28, 28)
    fig = plot_image_reshape(image, (14, 56))
    np.testing.assert_array_equal(fig.axes[1].images[0].get_array(), image.reshape(14, 56))
    with pytest.raises(InputValueError, match="784 entries"):
        plot_image_reshape(image, (28, 27))


def test_explorer_redraws_inside_a_live_figure():
    import ipywidgets

    from chapter2.widgets import LiveFigure

    a, b = ipywidgets.Text(value="(2, 3)"), ipywidgets.Text(value="3")
    live = LiveFigure(broadcast_explorer, text_a=a, text_b=b)
    assert live.render().axes[0].get_title().endswith("shape (2, 3)")
    b.value = "(4, 1, 1)"
    assert live.render().axes[0].get_title().endswith("shape (4, 2, 3)")
    assert live.renders == 2



def test_image_reshape_ticks_are_whole_rows_and_columns():
    fig = plot_image_reshape(np.arange(784.0).reshape(28, 28), (4, 196))
    for ax in fig.axes:
        for ticks in (ax.get_xticks(), ax.get_yticks()):
            assert np.all(ticks == np.round(ticks)), ticks
