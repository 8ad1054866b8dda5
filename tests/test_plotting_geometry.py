"""chapter2.plotting.geometry: the pictures show the moves chapter2.transforms computes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from chapter2.errors import InputValueError  # noqa: E402
from chapter2.plotting.geometry import (  # noqa: E402
    plot_relu_plane,
    plot_stage,
    plot_transform,
    plot_uncrumpling,
    plot_vector_sum,
    plot_vectors,
)
from chapter2.transforms import rotation, scaling, tangled_classes, uncrumple  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def line_by_label(ax, label):
    (line,) = [ln for ln in ax.get_lines() if ln.get_label() == label]
    return np.asarray(line.get_xydata())


def arrow_ends(ax):
    """(start, end) of every arrow drawn with annotate."""
    return [(np.asarray(a.xyann), np.asarray(a.xy)) for a in ax.texts if a.arrow_patch is not None]


def test_every_figure_has_a_fixed_size_titles_and_axis_labels():
    points, labels = tangled_classes(n=60, seed=0)
    figures = [
        ((8, 4), plot_vectors({"a": [1, 2]})),
        ((5, 5), plot_vector_sum([1, 2], [2, -1])),
        ((9, 4.5), plot_transform(rotation(30))),
        ((9, 4.5), plot_relu_plane(n=40)),
        ((5, 4), plot_stage(uncrumple(points), labels, 2)),
        ((12, 7), plot_uncrumpling(uncrumple(points), labels)),
    ]
    for size, fig in figures:
        assert tuple(fig.get_size_inches()) == size
        for ax in fig.axes:
            if ax.get_visible():
                assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


def test_plot_vectors_draws_points_and_arrows_at_the_given_coordinates():
    fig = plot_vectors({"a": [1, 2], "b": [3, -1]})
    points_ax, arrows_ax = fig.axes
    np.testing.assert_allclose(line_by_label(points_ax, "a"), [[1, 2]])
    ends = arrow_ends(arrows_ax)
    assert len(ends) == 2
    np.testing.assert_allclose([e for _, e in ends], [[1, 2], [3, -1]])
    np.testing.assert_allclose([s for s, _ in ends], [[0, 0], [0, 0]])


def test_plot_vector_sum_puts_b_head_to_tail_after_a():
    fig = plot_vector_sum([1, 2], [2, -1])
    ends = [(tuple(s), tuple(e)) for s, e in arrow_ends(fig.axes[0])]
    assert ((1.0, 2.0), (3.0, 1.0)) in ends   # b starting where a ends
    assert ((0.0, 0.0), (3.0, 1.0)) in ends   # a + b from the origin


def test_plot_transform_draws_the_letter_f_moved_by_the_affine_map():
    matrix, shift = rotation(90) @ scaling(2.0, 1.0), np.array([0.5, -1.0])
    fig = plot_transform(matrix, shift)
    before = line_by_label(fig.axes[0], "letter F")
    after = line_by_label(fig.axes[1], "letter F")
    np.testing.assert_allclose(after, before @ matrix.T + shift, atol=1e-12)
    # the unit-vector arrows end at the columns of the matrix, shifted
    ends = [e for _, e in arrow_ends(fig.axes[1])]
    np.testing.assert_allclose(ends, [matrix[:, 0] + shift, matrix[:, 1] + shift], atol=1e-12)


@pytest.mark.parametrize("scale, shift", [(1.0, (0.0, 2.0)), (2.0, (2.0, 2.0)), (-2.0, (-2.0, -2.0))])
def test_keep_f_widens_the_right_panel_until_the_letter_fits(scale, shift):
    matrix = rotation(30) @ scaling(scale, scale)
    after = plot_transform(matrix, shift, keep_f=True).axes[1]
    letter = line_by_label(after, "letter F")
    low, high = after.get_xlim()
    assert high == -low and after.get_ylim() == (low, high)
    assert np.abs(letter).max() < high
    assert plot_transform(matrix, shift).axes[1].get_xlim() == (-3.0, 3.0)


def test_keep_f_leaves_a_letter_that_fits_at_the_given_range():
    assert plot_transform(rotation(30), keep_f=True).axes[1].get_xlim() == (-3.0, 3.0)


def test_plot_transform_with_relu_leaves_nothing_negative():
    fig = plot_transform(rotation(45), shift=[-0.5, 0.0], relu=True)
    for line in fig.axes[1].get_lines():
        data = np.asarray(line.get_xydata())
        if len(data) > 2:  # grid lines and the letter, not the axes
            assert data.min() >= 0.0
    assert fig.axes[1].get_title() == "after: relu(W p + b)"


def test_plot_relu_plane_sends_each_quadrant_where_relu_says():
    fig = plot_relu_plane(n=200, seed=0)
    before, after = fig.axes
    for b, a in zip(before.collections, after.collections):
        np.testing.assert_allclose(a.get_offsets(), np.maximum(b.get_offsets(), 0.0))
    # the bottom-left quadrant collapses to the origin
    np.testing.assert_allclose(after.collections[3].get_offsets(), 0.0)


def test_plot_stage_colours_points_by_class_and_marks_the_final_line():
    points, labels = tangled_classes(n=80, seed=1)
    stages = uncrumple(points)
    fig = plot_stage(stages, labels, len(stages) - 1)
    ax = fig.axes[0]
    class0, class1 = ax.collections
    np.testing.assert_allclose(class1.get_offsets(), stages[-1][1][labels == 1])
    assert np.all(np.asarray(class1.get_offsets())[:, 1] > 0)
    assert np.all(np.asarray(class0.get_offsets())[:, 1] < 0)
    assert "separating line" in [ln.get_label() for ln in ax.get_lines()]
    first = plot_stage(stages, labels, 0).axes[0]
    assert "separating line" not in [ln.get_label() for ln in first.get_lines()]


def test_plot_uncrumpling_titles_follow_the_stages():
    points, labels = tangled_classes(n=60, seed=0)
    stages = uncrumple(points)
    titles = [ax.get_title() for ax in plot_uncrumpling(stages, labels).axes]
    assert titles == [f"step {i}: {caption}" for i, (caption, _) in enumerate(stages)]


def test_bad_inputs_raise_clear_errors():
    points, labels = tangled_classes(n=20, seed=0)
    stages = uncrumple(points)
    with pytest.raises(InputValueError, match="index"):
        plot_stage(stages, labels, 6)
    with pytest.raises(InputValueError, match="labels"):
        plot_stage(stages, labels[:5], 0)
    with pytest.raises(InputValueError, match="shape"):
        plot_vectors({"a": [1, 2, 3]})
    with pytest.raises(InputValueError, match="1 to 6"):
        plot_uncrumpling(stages + stages, labels)
