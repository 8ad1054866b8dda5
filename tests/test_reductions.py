"""Reductions along an axis: reduced_shape against NumPy, the explorer's figure, and Exercise 5 of notebook 03."""

import itertools

import matplotlib
import numpy as np
import pytest

from chapter2.errors import InputValueError
from chapter2.exercises import ExerciseFailed, broadcasting
from chapter2.plotting.describe import describe_figure
from chapter2.plotting.reductions import KEPT_ONE_LABEL, REDUCED_LABEL, REMOVED_LABEL, plot_reduction
from chapter2.reductions import REDUCTIONS, reduced_shape

matplotlib.use("Agg")

SHAPES = [(5,), (3, 4), (2, 3, 4), (2, 1, 3, 0)]


@pytest.mark.filterwarnings("ignore:Mean of empty slice:RuntimeWarning")
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("function", REDUCTIONS)
def test_reduced_shape_is_numpys_shape(shape, function):
    x = np.ones(shape)
    axes = [None] + list(range(-len(shape), len(shape)))
    for axis, keepdims in itertools.product(axes, (False, True)):
        if function in ("max", "argmax") and 0 in shape:
            continue  # NumPy has no largest entry of an empty axis
        with np.errstate(invalid="ignore"):  # the mean of nothing is nan, its shape still counts
            truth = np.shape(getattr(np, function)(x, axis=axis, keepdims=keepdims))
        assert reduced_shape(shape, axis, keepdims) == truth, (shape, function, axis, keepdims)


def test_reduced_shape_rejects_a_missing_axis():
    with pytest.raises(InputValueError, match="axis 2 does not exist for shape \\(3, 4\\)"):
        reduced_shape((3, 4), axis=2)
    with pytest.raises(InputValueError):
        reduced_shape((3, 4), axis=-3)


def _labels(fig):
    return {a["label"] for ax in describe_figure(fig)["axes"] for a in ax["artists"]}


def test_plot_reduction_draws_the_removed_or_kept_axis():
    fig = plot_reduction((128, 10), "sum", axis=1, keepdims=False)
    assert fig.axes[0].get_title() == "np.sum(x, axis=1, keepdims=False): (128, 10) → (128,)"
    assert "x and the result do not broadcast" in " ".join(t.get_text() for t in fig.axes[0].texts)
    assert {REDUCED_LABEL, REMOVED_LABEL} <= _labels(fig)
    fig = plot_reduction((128, 10), "sum", axis=1, keepdims=True)
    assert "x / result works" in " ".join(t.get_text() for t in fig.axes[0].texts)
    kept = [p for p in fig.axes[0].patches if p.get_label() == KEPT_ONE_LABEL]
    assert len(kept) == 1 and kept[0].get_hatch()


def test_plot_reduction_says_what_argmax_returns_and_keeps_its_size():
    fig = plot_reduction((60000, 28, 28), "argmax", axis=None, keepdims=True)
    text = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "the index (0 to 47,039,999) of the largest of the 47,040,000 entries of x" in text
    assert tuple(fig.get_size_inches()) == (7.5, 3.6)


def test_plot_reduction_explains_a_missing_axis_instead_of_failing():
    fig = plot_reduction((3, 4), "max", axis=2)
    assert "axis 2 does not exist" in fig.axes[0].texts[0].get_text()
    with pytest.raises(InputValueError):
        plot_reduction((3, 4), "median", axis=0)


RIGHT = [(128,), (128, 1), (10,), (28, 28), (60000, 28), (), (2, 1, 4)]


def test_reduction_predictions_pass_when_right(capsys):
    broadcasting.check_reduction_predictions(lambda: RIGHT)
    assert capsys.readouterr().out.startswith("Correct!")


@pytest.mark.parametrize("k,wrong", [
    (0, (10,)),          # kept the named axis instead of removing it
    (1, (128,)),         # forgot what keepdims keeps
    (1, (1, 10)),        # kept a 1, but in place of the other axis
    (2, (128,)),         # summed over the wrong axis for the bias gradient
    (3, (60000,)),       # the mean image is one image, not one number per sample
    (4, (28, 28)),       # counted -1 from the front
    (5, (1,)),           # a full sum is shape (), not (1,)
    (5, 0),              # a number where its shape was asked for
    (6, (2, 4)),         # dropped the axis despite keepdims
])
def test_reduction_predictions_fail_on_believable_mistakes(capsys, k, wrong):
    answers = list(RIGHT)
    answers[k] = wrong
    with pytest.raises(ExerciseFailed):
        broadcasting.check_reduction_predictions(lambda: answers)
    out = capsys.readouterr().out
    assert out.startswith("Not quite yet.") and broadcasting.describe_reduction(broadcasting.REDUCTION_CASES[k]) in out
    # The right shape is never shown (the question text itself may contain "()", as in x.sum()).
    assert f"you answered {RIGHT[k]!r}" not in out


@pytest.mark.parametrize("letter", ["b", "c"])
def test_why_not_columns_wrong_options_say_why(capsys, letter):
    with pytest.raises(ExerciseFailed):
        broadcasting.check_why_not_columns(lambda: letter)
    out = capsys.readouterr().out
    assert broadcasting.WHY_NOT_COLUMNS.feedback[letter] in out
