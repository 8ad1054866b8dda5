"""The "explain why" exercise of notebook 02: every believable wrong option fails with its own reason."""

import numpy as np
import pytest

from chapter2.exercises import ExerciseFailed, tensors
from chapter2.exercises.checks.tensors import WHY_BATCHES


def feedback(capsys, letter):
    with pytest.raises(ExerciseFailed):
        tensors.check_why_batches(lambda: letter)
    out = capsys.readouterr().out
    assert out.startswith("Not quite yet.")
    return out


@pytest.mark.parametrize("letter, reason", [("b", "Length does not decide it"),
                                            ("c", "Every start:stop slice is a view")])
def test_wrong_options_fail_with_their_reason(capsys, letter, reason):
    assert reason in feedback(capsys, letter)


def test_right_option_passes(capsys):
    tensors.check_why_batches(lambda: "a")
    assert capsys.readouterr().out.startswith("Correct!")


def test_every_wrong_option_has_its_own_feedback():
    assert set(WHY_BATCHES.options) - {WHY_BATCHES.answer} == set(WHY_BATCHES.feedback)


def test_the_feedback_of_c_is_true_slices_along_any_axis_are_views():
    images = np.zeros((5, 28, 28), dtype=np.uint8)
    assert all(np.shares_memory(images, part) for part in (images[1:3], images[:, 1:3], images[:, :, 1:3]))
