"""chapter2.plotting.landscapes: slopes, arrows and paths drawn where the maths puts them."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from chapter2.descent import bowl, bowl_grad, bumpy, bumpy_grad, gradient_descent  # noqa: E402
from chapter2.errors import InputValueError  # noqa: E402
from chapter2.plotting.landscapes import (  # noqa: E402
    plot_descent_1d,
    plot_descent_2d,
    plot_gradient_field,
    plot_tangent,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def line_by_label(ax, start):
    (line,) = [ln for ln in ax.get_lines() if ln.get_label().startswith(start)]
    return np.asarray(line.get_xydata())


def square(x):
    return x * x


def test_figures_have_fixed_sizes_titles_and_axis_labels():
    path2d = gradient_descent(bowl_grad, [1.0, 1.0], lr=0.1, steps=5)
    figures = [
        ((6, 4), plot_tangent(square, 1.0)),
        ((6, 5), plot_gradient_field(bowl, bowl_grad, (-2, 2), (-1, 1), arrows=5)),
        ((6, 4), plot_descent_1d(square, {"walk": np.array([1.0, 0.5])})),
        ((6, 5), plot_descent_2d(bowl, {"walk": path2d}, (-2, 2), (-1, 1))),
    ]
    for size, fig in figures:
        assert tuple(fig.get_size_inches()) == size
        ax = fig.axes[0]
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


def test_tangent_line_has_the_true_slope_and_touches_the_curve():
    fig = plot_tangent(square, 1.5)
    tangent = line_by_label(fig.axes[0], "tangent")
    slopes = np.diff(tangent[:, 1]) / np.diff(tangent[:, 0])
    np.testing.assert_allclose(slopes, 3.0, rtol=1e-6)
    # it passes through (1.5, 2.25)
    assert np.interp(1.5, tangent[:, 0], tangent[:, 1]) == pytest.approx(2.25, abs=1e-6)
    assert fig.axes[0].get_title() == "tangent at x = 1.50: slope 3.000"


def test_secant_slope_is_rise_over_run_and_approaches_the_tangent():
    wide = line_by_label(plot_tangent(square, 1.0, secant_h=1.0).axes[0], "secant")
    narrow = line_by_label(plot_tangent(square, 1.0, secant_h=0.01).axes[0], "secant")
    slope = lambda line: (line[-1, 1] - line[0, 1]) / (line[-1, 0] - line[0, 0])  # noqa: E731
    assert slope(wide) == pytest.approx(3.0)      # ((2)^2 - 1) / 1
    assert slope(narrow) == pytest.approx(2.01)
    with pytest.raises(InputValueError, match="secant_h"):
        plot_tangent(square, 1.0, secant_h=0.0)


def test_secant_point_off_the_range_is_named_not_drawn_outside():
    ax = plot_tangent(square, 2.4, xlim=(-2.5, 2.5), secant_h=1.5).axes[0]
    squares = [line for line in ax.get_lines() if line.get_marker() == "s"]
    assert squares == []
    assert any("x0 + h = 3.90" in t.get_text() and "off the plot" in t.get_text() for t in ax.texts)
    inside = plot_tangent(square, 1.0, xlim=(-2.5, 2.5), secant_h=1.5).axes[0]
    assert [line.get_xdata()[0] for line in inside.get_lines() if line.get_marker() == "s"] == [2.5]
    assert not inside.texts


def test_gradient_field_arrows_point_downhill():
    fig = plot_gradient_field(bowl, bowl_grad, (-2, 2), (-1, 1), arrows=5)
    (quiver,) = fig.axes[0].collections[-1:]
    positions = np.asarray(quiver.get_offsets())
    arrows = np.column_stack([quiver.U.ravel(), quiver.V.ravel()])
    np.testing.assert_allclose(arrows, -bowl_grad(positions))


def test_descent_paths_are_drawn_through_the_visited_points():
    path = gradient_descent(bumpy_grad, 2.3, lr=0.02, steps=30)
    fig = plot_descent_1d(lambda x: float(bumpy(x)), {"plain": path}, xlim=(-2.5, 2.5))
    drawn = line_by_label(fig.axes[0], "plain")
    np.testing.assert_allclose(drawn[:, 0], path)
    np.testing.assert_allclose(drawn[:, 1], bumpy(path))

    path2d = gradient_descent(bowl_grad, [-2.0, 1.0], lr=0.1, steps=10)
    fig = plot_descent_2d(bowl, {"lr 0.1": path2d}, (-3, 3), (-2, 2))
    np.testing.assert_allclose(line_by_label(fig.axes[0], "lr 0.1"), path2d)


def test_diverged_points_are_left_out_not_drawn_as_nan():
    path = gradient_descent(bowl_grad, [1.0, 1.0], lr=5.0, steps=400)
    assert np.isnan(path).any()
    fig = plot_descent_2d(bowl, {"too big": path}, (-3, 3), (-2, 2))
    assert np.all(np.isfinite(line_by_label(fig.axes[0], "too big")))


def test_drawing_into_a_given_axes_reuses_its_figure():
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    assert plot_tangent(square, 0.5, ax=left) is fig
    assert plot_descent_1d(square, {"walk": np.array([1.0, 0.5])}, ax=right) is fig
    assert len(fig.axes) == 2


def test_bad_paths_raise_clear_errors():
    with pytest.raises(InputValueError, match="1-D"):
        plot_descent_1d(square, {"walk": np.zeros((3, 2))})
    with pytest.raises(InputValueError, match=r"\(steps \+ 1, 2\)"):
        plot_descent_2d(bowl, {"walk": np.zeros(3)}, (-1, 1), (-1, 1))
