"""Notebook 01's "explain why" exercise: every wrong reason gets its own feedback, never the answer."""

import pytest

from chapter2.exercises import ExerciseFailed, first_look
from chapter2.exercises.checks.first_look import WHY_TEST_SET

WRONG = sorted(set(WHY_TEST_SET.options) - {WHY_TEST_SET.answer})


def test_there_are_at_least_three_believable_wrong_reasons():
    assert len(WRONG) >= 3


@pytest.mark.parametrize("letter", WRONG)
def test_each_wrong_reason_is_answered_with_why_it_does_not_hold(capsys, letter):
    with pytest.raises(ExerciseFailed):
        first_look.check_why_test_set(lambda: letter)
    out = capsys.readouterr().out
    assert out.startswith("Not quite yet.")
    assert WHY_TEST_SET.feedback[letter].split(":")[0] in out
    # The feedback never gives the right letter away.
    assert f"'{WHY_TEST_SET.answer}'" not in out and f"**{WHY_TEST_SET.answer}**" not in out


def test_the_timing_reason_is_answered_with_evaluate_on_the_finished_network(capsys):
    with pytest.raises(ExerciseFailed):
        first_look.check_why_test_set(lambda: "d")
    assert "evaluate" in capsys.readouterr().out


def test_the_right_reason_passes(capsys):
    first_look.check_why_test_set(lambda: WHY_TEST_SET.answer)
    assert capsys.readouterr().out.startswith("Correct!")
