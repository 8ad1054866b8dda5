"""chapter2.plotting.training: the curves drawn are the numbers given."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from chapter2.errors import InputTypeError, InputValueError  # noqa: E402
from chapter2.plotting.training import history_dict, moving_average, plot_curves, plot_history  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


class FakeHistory:
    """Stands in for what fit returns: an object with a .history dict."""

    def __init__(self, history):
        self.history = history


HISTORY = {"loss": [0.30, 0.12, 0.08], "accuracy": [0.91, 0.96, 0.98], "val_loss": [0.2, 0.15, 0.14]}


def test_history_objects_and_dicts_give_the_same_values():
    assert history_dict(FakeHistory(HISTORY)) == history_dict(HISTORY) == HISTORY


def test_history_of_the_wrong_type_is_refused():
    with pytest.raises(InputTypeError, match="history"):
        history_dict([0.3, 0.2])


def test_each_metric_gets_a_panel_with_its_values_per_epoch():
    fig = plot_history(FakeHistory(HISTORY))
    loss_ax, acc_ax = fig.axes
    np.testing.assert_allclose(loss_ax.lines[0].get_ydata(), HISTORY["loss"])
    np.testing.assert_allclose(loss_ax.lines[0].get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(acc_ax.lines[0].get_ydata(), HISTORY["accuracy"])
    assert (loss_ax.get_xlabel(), loss_ax.get_ylabel()) == ("epoch", "loss")


def test_validation_curve_joins_its_metric_only_when_present():
    fig = plot_history(HISTORY)
    loss_ax, acc_ax = fig.axes
    assert len(loss_ax.lines) == 2 and len(acc_ax.lines) == 1
    np.testing.assert_allclose(loss_ax.lines[1].get_ydata(), HISTORY["val_loss"])


def test_an_unknown_metric_is_named_in_the_error():
    with pytest.raises(InputValueError, match="'val_accuracy'"):
        plot_history(HISTORY, metrics=("val_accuracy",))


def test_curves_accept_values_or_x_value_pairs():
    fig = plot_curves({"plain": [5.0, 4.0, 3.0], "paired": ([10, 20], [1.0, 0.5])})
    plain, paired = fig.axes[0].lines
    np.testing.assert_allclose(plain.get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(paired.get_xdata(), [10, 20])
    assert [line.get_label() for line in fig.axes[0].lines] == ["plain", "paired"]


def test_coinciding_curves_stay_distinguishable():
    fig = plot_curves({"a": [3.0, 2.0, 1.0], "b": [3.0, 2.0, 1.0]})
    first, second = fig.axes[0].lines
    assert first.get_linestyle() != second.get_linestyle()


def test_smoothing_draws_the_moving_average_at_the_window_end():
    values = np.arange(10.0) ** 2
    fig = plot_curves({"squares": values}, smooth=3)
    line = fig.axes[0].lines[0]
    np.testing.assert_allclose(line.get_ydata(), np.convolve(values, np.ones(3) / 3, mode="valid"))
    np.testing.assert_allclose(line.get_xdata(), np.arange(3, 11))


def test_moving_average_matches_numpy_convolution():
    values = np.random.default_rng(0).normal(size=50)
    np.testing.assert_allclose(moving_average(values, 7), np.convolve(values, np.ones(7) / 7, mode="valid"))


@pytest.mark.parametrize("width", [0, 11])
def test_moving_average_window_must_fit(width):
    with pytest.raises(InputValueError, match="width"):
        moving_average(np.ones(10), width)


def test_curves_with_mismatched_x_are_refused():
    with pytest.raises(InputValueError, match="shape"):
        plot_curves({"bad": ([1, 2, 3], [1.0, 2.0])})


def test_a_descent_path_is_drawn_from_step_0_into_a_given_axes():
    """The one loss-curve plotter also draws notebook 07's curves: step 0 is before any step."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    assert plot_curves({"b": [1.0, 0.1]}, xlabel="step", log_y=True, start=0, ax=right) is fig
    line = right.lines[0]
    np.testing.assert_allclose(line.get_xdata(), [0, 1])
    assert right.get_yscale() == "log" and right.get_xlabel() == "step" and len(fig.axes) == 2


def test_curves_that_are_not_1d_values_are_refused():
    with pytest.raises(InputValueError, match="1-D"):
        plot_curves({"grid": np.zeros((2, 2))})
    with pytest.raises(InputTypeError, match="real numbers"):
        plot_curves({"words": ["a", "b"]})
