"""Notebook 09's "explain why" questions: every wrong option is refused with its own reason."""

import pytest

from chapter2.exercises import looking_back
from chapter2.exercises.feedback import ExerciseFailed


def _feedback(capsys, check, letter):
    try:
        check(lambda: letter)
    except ExerciseFailed:
        pass
    return capsys.readouterr().out


@pytest.mark.parametrize("letter,reason", [
    ("a", "derivatives are taken with respect to the weights"),
    ("c", "gradients larger, not smaller"),
    ("d", "3.4e38"),
])
def test_why_scale_refuses_each_believable_wrong_reason(capsys, letter, reason):
    out = _feedback(capsys, looking_back.check_why_scale, letter)
    assert "Not quite yet" in out and reason in out and "Correct" not in out


@pytest.mark.parametrize("letter,reason", [
    ("a", "two Dense layers without an activation have just as many weights"),
    ("b", "Pixels are never negative"),
    ("d", "where its boundaries can lie"),
])
def test_why_hidden_refuses_each_believable_wrong_reason(capsys, letter, reason):
    out = _feedback(capsys, looking_back.check_why_hidden, letter)
    assert "Not quite yet" in out and reason in out and "Correct" not in out


@pytest.mark.parametrize("check,right", [(looking_back.check_why_scale, "b"),
                                         (looking_back.check_why_hidden, "c")])
def test_the_right_letter_passes_and_explains(capsys, check, right):
    check(lambda: right)
    out = capsys.readouterr().out
    assert out.startswith("Correct!")


def test_no_feedback_gives_the_right_letter_away():
    for choice in (looking_back.WHY_SCALE, looking_back.WHY_HIDDEN):
        for text in choice.feedback.values():
            assert f"option '{choice.answer}'" not in text.lower()
            assert choice.options[choice.answer] not in text
