"""The "explain why" exercises of notebooks 04 and 05: every believable wrong option fails, with
feedback that says why it does not hold, and the right option passes."""

import pytest

from chapter2.exercises import ExerciseFailed, geometry, tensor_product


def feedback(capsys, check, letter):
    with pytest.raises(ExerciseFailed):
        check(lambda: letter)
    out = capsys.readouterr().out
    assert out.startswith("Not quite yet.")
    return out


@pytest.mark.parametrize("letter, reason", [("b", "either order whenever the paired sizes match"),
                                            ("c", "That is the rule of `*`")])
def test_why_not_commute_wrong_options(capsys, letter, reason):
    assert reason in feedback(capsys, tensor_product.check_why_not_commute, letter)


@pytest.mark.parametrize("letter, reason", [("a", "A score's sign is no obstacle"),
                                            ("c", "depends on the scale of the weights")])
def test_why_nonlinearity_wrong_options(capsys, letter, reason):
    assert reason in feedback(capsys, geometry.check_why_nonlinearity, letter)


@pytest.mark.parametrize("check, letter", [(tensor_product.check_why_not_commute, "a"),
                                           (geometry.check_why_nonlinearity, "b")])
def test_right_option_passes(capsys, check, letter):
    check(lambda: letter)
    assert capsys.readouterr().out.startswith("Correct!")


@pytest.mark.parametrize("question", [tensor_product.WHY_NOT_COMMUTE, geometry.WHY_NONLINEARITY])
def test_every_wrong_option_has_its_own_feedback(question):
    wrong = set(question.options) - {question.answer}
    assert wrong == set(question.feedback)
