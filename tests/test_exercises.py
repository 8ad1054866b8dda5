"""The feedback core of the exercise checks: verdicts, kind messages, no answers given away."""

import numpy as np
import pytest

from chapter2.errors import Chapter2Error
from chapter2.exercises.feedback import (ExerciseFailed, call_student, check_answers,
                                         check_function, fail, passed, student_line)


def run_check(capsys, check, *args, **kwargs):
    """Run a check expected to fail; return what it printed."""
    with pytest.raises(ExerciseFailed):
        check(*args, **kwargs)
    return capsys.readouterr().out


def relu(x):
    return np.maximum(x, 0)


CASES = [(np.array([-1.0, 2.0, -3.0]),), (np.array([[0.5, -0.5]], dtype=np.float32),)]


def test_a_failed_check_is_an_assertion_and_a_chapter2_error(capsys):
    with pytest.raises(AssertionError) as info:
        fail("Something is off.", "A hint.")
    assert isinstance(info.value, Chapter2Error)
    assert capsys.readouterr().out == "Not quite yet. Something is off.\nA hint.\n"
    # IPython shows one line instead of a traceback through chapter2
    assert info.value._render_traceback_() == [
        "ExerciseFailed: Something is off. (read the message above)"]


def test_correct_answer_says_so(capsys):
    check_function(lambda x: np.maximum(x, 0), relu, CASES, task="relu")
    assert capsys.readouterr().out.startswith("Correct! relu")
    passed("Well done.")
    assert capsys.readouterr().out == "Correct! Well done.\n"


def test_placeholder_is_reported_as_not_written_yet(capsys):
    def relu_todo(x):
        raise NotImplementedError("take the larger of each entry and 0")

    out = run_check(capsys, check_function, relu_todo, relu, CASES, task="relu_todo")
    assert "relu_todo is not written yet" in out
    assert "Hint: take the larger of each entry and 0" in out
    assert "Traceback" not in out


def test_exception_in_student_code_shows_their_line(capsys):
    def buggy(x):
        out = x.copy()
        out[len(x)] = 0.0  # one past the end
        return out

    out = run_check(capsys, check_function, buggy, relu, CASES, task="buggy")
    assert "buggy raised IndexError" in out
    assert "out[len(x)] = 0.0  # one past the end" in out
    assert "(in buggy)" in out


def test_student_line_skips_numpy_frames():
    def calls_numpy(x):
        return np.reshape(x, (7, 7))

    with pytest.raises(ValueError) as info:
        calls_numpy(np.ones(3))
    frame = student_line(info.value)
    assert frame.name == "calls_numpy" and "np.reshape(x, (7, 7))" in frame.line


def test_wrong_shape_shows_expected_and_got(capsys):
    out = run_check(capsys, check_function, lambda x: np.maximum(x, 0).reshape(-1, 1), relu,
                    CASES, task="relu")
    assert "Expected shape (3,), got (3, 1)." in out


def test_wrong_dtype_is_named(capsys):
    out = run_check(capsys, check_function, lambda x: np.maximum(x, 0).astype(np.float16), relu,
                    CASES, task="relu")
    assert "wrong dtype" in out and "Expected dtype float64, got float16" in out


def test_wrong_value_shows_input_and_student_output_but_not_the_answer(capsys):
    out = run_check(capsys, check_function, lambda x: np.abs(x), relu,
                    [(np.array([-1.25, 2.5, -3.75]),)], task="relu")
    assert "wrong value at index (0,)" in out and "2 of 3 entries" in out
    assert "-1.25" in out and "3.75" in out  # the input, and the student's output
    assert "0." not in out.replace("-1.25", "").replace("1.25", "")  # the right 0.0 never shown


def test_mutating_the_input_is_reported(capsys):
    def in_place(x):
        x[x < 0] = 0
        return x

    out = run_check(capsys, check_function, in_place, relu, CASES, task="in_place")
    assert "changed its input (argument 1) in place" in out and "x.copy()" in out


def test_forgotten_return_and_wrong_type(capsys):
    def no_return(x):
        np.maximum(x, 0)

    assert "Did you forget the `return`" in run_check(capsys, check_function, no_return, relu,
                                                      CASES, task="no_return")
    out = run_check(capsys, check_function, lambda x: "relu", relu, CASES, task="text")
    assert "returned a str" in out


def test_passing_a_result_instead_of_the_function(capsys):
    out = run_check(capsys, check_function, np.zeros(3), relu, CASES, task="relu")
    assert "needs your function itself" in out


def test_tuple_results_are_checked_part_by_part(capsys):
    def reference(a):
        return a + 1, a * 2

    check_function(lambda a: (a + 1, a * 2), reference, [(np.arange(3.0),)], task="pair",
                   parts=("plus", "times"))
    capsys.readouterr()
    out = run_check(capsys, check_function, lambda a: (a + 1, a * 3), reference,
                    [(np.arange(3.0),)], task="pair", parts=("plus", "times"))
    assert "pair (its times) returned a wrong value" in out
    out = run_check(capsys, check_function, lambda a: a + 1, reference,
                    [(np.arange(3.0),)], task="pair", parts=("plus", "times"))
    assert "should return 2 things, (plus, times)" in out


def test_check_answers_never_shows_the_right_answer(capsys):
    questions, truths = ["2 + 2", "3 + 3"], [4, 6]
    out = run_check(capsys, check_answers, [4, 7], questions, truths, "sums", describe=str)
    assert "1 of your 2 answers" in out and "for 3 + 3 you answered 7" in out
    assert "6" not in out.replace("3 + 3", "")
    assert "should return a list" in run_check(capsys, check_answers, 4, questions, truths,
                                               "sums", describe=str)
    check_answers([4, 6], questions, truths, "sums", describe=str)
    assert capsys.readouterr().out.startswith("Correct!")


def test_call_student_passes_through_a_good_result():
    assert call_student(max, 3, 5) == 5
