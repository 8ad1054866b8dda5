"""chapter2.plotting.derivatives: fixed sizes, labelled axes, and marks where the numbers put them."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from chapter2.plotting.derivatives import plot_difference_errors, plot_direction, plot_neg_log  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def line(ax, start):
    (found,) = [ln for ln in ax.get_lines() if ln.get_label().startswith(start)]
    return np.asarray(found.get_xydata())


def test_neg_log_marks_sit_on_the_curve():
    fig = plot_neg_log((0.9, 0.1))
    ax = fig.axes[0]
    assert tuple(fig.get_size_inches()) == (6, 4) and ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    marks = [ln.get_xydata()[0] for ln in ax.get_lines() if ln.get_marker() == "s" and len(ln.get_xydata())]
    for x, y in marks:
        assert y == pytest.approx(-np.log(x))


def test_difference_errors_star_the_smallest_error():
    steps = np.array([1e-1, 1e-2, 1e-3, 1e-4])
    errors = {"float64": np.array([1e-3, 1e-5, 1e-4, 1e-2])}
    fig = plot_difference_errors(steps, errors)
    ax = fig.axes[0]
    assert tuple(fig.get_size_inches()) == (7, 4.5) and ax.get_xscale() == "log"
    np.testing.assert_allclose(line(ax, "best h, float64")[0], [1e-2, 1e-5])


def test_direction_marks_the_directional_derivative_at_the_angle():
    grad, point = np.array([3.0, 4.0]), np.array([0.0, 0.0])
    fig = plot_direction(lambda p: float(3 * p[0] + 4 * p[1]), grad, point, 90.0, (-1, 1), (-1, 1))
    right = fig.axes[1]
    assert tuple(fig.get_size_inches()) == (11, 4.5)
    np.testing.assert_allclose(line(right, "the current direction")[0], [90.0, 4.0])
    curve = line(right, "slope along u")
    assert curve[:, 1].max() == pytest.approx(5.0, rel=1e-3)            # |grad|, at the gradient's angle
    assert curve[np.argmax(curve[:, 1]), 0] == pytest.approx(np.degrees(np.arctan2(4, 3)), abs=0.6)


@pytest.mark.parametrize("angle", range(0, 360, 15))
def test_both_arrows_stay_inside_the_map_at_every_angle(angle):
    # A point near the top-left corner, as in notebook 06: an arrow tip outside the axes is not drawn.
    fig = plot_direction(lambda p: float(p @ p), np.array([1.0, -2.0]), np.array([0.0, 1.0]), float(angle),
                         (-1.0, 5.0), (-4.0, 2.0))
    tips = [ann.xy for ann in fig.axes[0].texts if hasattr(ann, "xy")]
    assert len(tips) == 2
    for x, y in tips:
        assert -1.0 < x < 5.0 and -4.0 < y < 2.0
    plt.close(fig)


def test_neg_log_labels_stay_clear_of_the_curve():
    from matplotlib.text import Text

    fig = plot_neg_log((0.9, 0.5, 0.1))
    fig.canvas.draw()
    ax = fig.axes[0]
    curve = ax.transData.transform(np.asarray(ax.get_lines()[0].get_xydata()))
    renderer = fig.canvas.get_renderer()
    # the text's own box: an annotation's box also spans its leader line, which must touch the point
    text_box = lambda label: Text.get_window_extent(label, renderer)  # noqa: E731
    for label in ax.texts:
        box = text_box(label)
        inside = ((curve[:, 0] > box.x0) & (curve[:, 0] < box.x1)
                  & (curve[:, 1] > box.y0) & (curve[:, 1] < box.y1))
        assert not inside.any(), label.get_text()
    boxes = [text_box(label) for label in ax.texts]
    for i, one in enumerate(boxes):
        for other in boxes[i + 1:]:
            assert not one.overlaps(other), [t.get_text() for t in ax.texts]
