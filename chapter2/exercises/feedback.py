"""The feedback core every exercise check is built on.

A check runs the student's function on a few small inputs and compares each
result with an independent truth (NumPy or another part of chapter2). It
prints one friendly message and then either returns (the answer is right) or
raises :class:`ExerciseFailed` (it is not), so that a graded cell errors, the
way nbgrader scores a test cell.

What a message may show, and what it must not
---------------------------------------------
The student's task is to produce values, so a message never shows the values
the check expected. It may show shapes and dtypes (they are not the task),
the input on which the answer first went wrong, and what the student's code
returned for it: enough to reproduce the case by hand, not enough to copy.

Examples
--------
>>> import numpy as np
>>> def square(x):
...     return x * x
>>> check_function(square, lambda x: x ** 2, [(np.arange(3.0),)], task="square")
Correct! square gives the right result on 1 test input.
"""

from __future__ import annotations

import os
import sys
import sysconfig
import traceback
from dataclasses import dataclass
from typing import Any, Callable, Iterable, NoReturn, Sequence

import numpy as np

from ..errors import Chapter2Error

#: How a correct answer is announced (tests and notebooks look for this word).
CORRECT = "Correct!"
#: How a wrong or unfinished answer is announced.
NOT_YET = "Not quite yet."

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class ExerciseFailed(Chapter2Error, AssertionError):
    """An exercise check did not pass; the explanation was printed just before.

    It is an ``AssertionError`` so that graders and test runners treat it as
    a failed test. In IPython it shows as one short line instead of a
    traceback through chapter2's internals, because the printed feedback
    above it already says what went wrong.
    """

    def _render_traceback_(self) -> list[str]:
        # IPython calls this hook instead of formatting the full traceback.
        return [f"ExerciseFailed: {self} (read the message above)"]


# ---------------------------------------------------------------- verdicts

def passed(message: str) -> None:
    """Announce a correct answer.

    Examples
    --------
    >>> passed("naive_relu works.")
    Correct! naive_relu works.
    """
    print(f"{CORRECT} {message}")


def fail(headline: str, *details: str) -> NoReturn:
    """Print a kind explanation, then raise :class:`ExerciseFailed`.

    Parameters
    ----------
    headline : str
        One sentence naming what is wrong; it also becomes the exception text.
    *details : str
        Further paragraphs: the input, what the code returned, a hint.

    Examples
    --------
    >>> try:
    ...     fail("f returned None.", "Did you forget `return`?")
    ... except ExerciseFailed as error:
    ...     print("raised:", error)
    Not quite yet. f returned None.
    Did you forget `return`?
    raised: f returned None.
    """
    print("\n".join([f"{NOT_YET} {headline}", *details]))
    # `from None`: the student's own exception was already summarised above.
    raise ExerciseFailed(headline) from None


# ------------------------------------------------- running student code

def require_callable(obj: Any, task: str) -> None:
    """Fail kindly if the student passed something other than a function.

    Examples
    --------
    >>> require_callable(len, "length")
    """
    if callable(obj):
        return
    fail(f"The check for {task} needs your function itself, not {type(obj).__name__} {_short(obj)}.",
         f"Pass the name without calling it, e.g. check_...({task}), not check_...({task}(x)).")


def call_student(fn: Callable[..., Any], *args: Any, task: str | None = None) -> Any:
    """Call the student's function; turn any exception into kind feedback.

    A ``NotImplementedError`` means the placeholder is still there, so the
    message says the exercise is not written yet. Any other exception is
    reported with its type, its message and the line of the student's own
    code where it happened.

    Examples
    --------
    >>> call_student(abs, -2)
    2
    """
    task = task or _name_of(fn)
    try:
        return fn(*args)
    except NotImplementedError as error:
        hint = str(error).strip()
        fail(f"{task} is not written yet: it still raises NotImplementedError.",
             *([f"Hint: {hint}"] if hint else []),
             "Replace the `raise NotImplementedError(...)` line with your code, run that cell, "
             "then run this check again.")
    except Exception as error:  # the student's bug, reported rather than re-raised
        fail(f"{task} raised {type(error).__name__} while running on the test input.",
             *_describe_student_exception(error),
             *([f"The input was:{_format_args(args)}"] if args else []))


def student_line(error: BaseException) -> traceback.FrameSummary | None:
    """The deepest traceback frame that lies in the student's own code.

    Frames in chapter2, NumPy and the standard library are skipped, so the
    line returned is one the student wrote (in a notebook, a line of a cell).
    An error that stands for one raised in the student's kernel during
    grading carries that frame as ``student_frame``.
    """
    remote = getattr(error, "student_frame", None)
    if isinstance(remote, traceback.FrameSummary):
        return remote  # an error raised in a student's kernel, reported to the grader
    frames = traceback.extract_tb(error.__traceback__)
    for frame in reversed(frames):
        if _is_student_file(frame.filename):
            return frame
    return None


def _describe_student_exception(error: BaseException) -> list[str]:
    lines = [f"    {type(error).__name__}: {error}"]
    frame = student_line(error)
    if frame is None:
        return lines
    where = f"line {frame.lineno} of your code (in {frame.name})"
    if frame.line:
        lines.append(f"It happened at {where}:\n    {frame.line.strip()}")
    else:
        lines.append(f"It happened at {where}.")
    return lines


def _is_student_file(filename: str) -> bool:
    if filename.startswith("<__array_function__"):
        return False      # the dispatch shim NumPy < 1.25 puts in tracebacks
    path = os.path.abspath(filename)
    if path.startswith(_PACKAGE_DIR + os.sep):
        return False
    library_dirs = {sysconfig.get_paths()[key] for key in ("stdlib", "purelib", "platlib")}
    library_dirs |= {os.path.join(prefix, "lib") for prefix in (sys.prefix, sys.base_prefix)}
    return not any(path.startswith(os.path.abspath(d) + os.sep) for d in library_dirs)


# ------------------------------------------------------ comparing results

def check_array_result(got: Any, expected: np.ndarray, args: Sequence[Any], task: str, *,
                       rtol: float = 1e-5, atol: float = 1e-8, check_dtype: bool = True) -> None:
    """Fail kindly unless ``got`` matches ``expected`` in type, shape, dtype and values.

    The message shows the input and the student's output, never ``expected``'s
    values (its shape and dtype are fine to show).
    """
    expected = np.asarray(expected)
    if got is None:
        fail(f"{task} returned None.", "Did you forget the `return` statement at the end?")
    if not isinstance(got, (np.ndarray, np.generic, int, float, complex, list, tuple)):
        fail(f"{task} returned a {type(got).__name__}; a NumPy array was expected.")
    got_array = np.asarray(got)
    if got_array.shape != expected.shape:
        fail(f"{task} returned an array of the wrong shape.",
             f"Expected shape {expected.shape}, got {got_array.shape}.",
             f"The input was:{_format_args(args)}")
    if check_dtype and got_array.dtype != expected.dtype:
        fail(f"{task} returned the wrong dtype.",
             f"Expected dtype {expected.dtype}, got {got_array.dtype}.",
             f"The input was:{_format_args(args)}",
             "Hint: keep the input's dtype, e.g. start from x.copy() or "
             "np.zeros(shape, dtype=x.dtype).")
    if not np.issubdtype(got_array.dtype, np.number) and got_array.dtype != np.bool_:
        fail(f"{task} returned an array of dtype {got_array.dtype}, which is not numeric.")
    wrong = ~np.isclose(got_array, expected, rtol=rtol, atol=atol, equal_nan=True)
    if wrong.any():
        first = tuple(int(i) for i in np.argwhere(wrong)[0])
        where = f" at index {first}" if first else ""
        fail(f"{task} returned a wrong value{where} "
             f"({int(wrong.sum())} of {wrong.size} entries are off).",
             f"The input was:{_format_args(args)}",
             _labelled("Your function returned:", got_array),
             "Work this input out by hand and compare.")


def check_tuple_result(got: Any, expected: tuple, args: Sequence[Any], task: str,
                       parts: Sequence[str] = (), **tolerances: Any) -> None:
    """Like :func:`check_array_result`, for a function that returns several arrays."""
    names = list(parts) or [f"part {k + 1}" for k in range(len(expected))]
    if not isinstance(got, (tuple, list)) or len(got) != len(expected):
        fail(f"{task} should return {len(expected)} things, ({', '.join(names)}), "
             f"but returned {_short(got)}.",
             f"Write `return {', '.join(names)}` at the end.")
    for name, got_part, expected_part in zip(names, got, expected):
        check_array_result(got_part, expected_part, args, f"{task} (its {name})", **tolerances)


def check_answers(answers: Any, questions: Sequence[Any], truths: Sequence[Any],
                  task: str, describe: Callable[[Any], str]) -> None:
    """Compare a list of predictions with the truths, one question at a time.

    A wrong prediction is reported by its question and the student's answer;
    the right answer is never shown.
    """
    if answers is None:
        fail(f"{task} returned None.", "Did you forget the `return` statement?")
    if not isinstance(answers, (list, tuple)) or len(answers) != len(questions):
        fail(f"{task} should return a list with one answer per question "
             f"({len(questions)} in all), but returned {_short(answers)}.")
    wrong = [k for k, (a, t) in enumerate(zip(answers, truths)) if not _same_answer(a, t)]
    if wrong:
        k = wrong[0]
        fail(f"{len(wrong)} of your {len(questions)} answers are not right yet.",
             f"The first one: for {describe(questions[k])} you answered {answers[k]!r}.",
             "Work through that case again, step by step.")
    passed(f"All {len(questions)} answers of {task} are right.")


def _same_answer(answer: Any, truth: Any) -> bool:
    if truth is None or answer is None:
        return answer is None and truth is None
    if isinstance(truth, tuple):
        return isinstance(answer, (tuple, list)) and tuple(answer) == truth
    return answer == truth


def check_not_mutated(before: Sequence[Any], after: Sequence[Any], task: str) -> None:
    """Fail kindly if any array argument was changed in place by the student's code."""
    for position, (old, new) in enumerate(zip(before, after)):
        if isinstance(old, np.ndarray) and not np.array_equal(old, new, equal_nan=True):
            fail(f"{task} changed its input (argument {position + 1}) in place.",
                 _labelled("The input was:", old),
                 _labelled("Afterwards it was:", new),
                 "A function should leave its arguments untouched: work on a copy "
                 "(x = x.copy()) or build a new array for the result.")


def check_function(student: Callable[..., Any], reference: Callable[..., Any],
                   cases: Iterable[Sequence[Any]], *, task: str,
                   rtol: float = 1e-5, atol: float = 1e-8, check_dtype: bool = True,
                   success: str | None = None, parts: Sequence[str] = ()) -> None:
    """Compare the student's function with a reference on every test case.

    Parameters
    ----------
    student, reference : callable
        Called with the same arguments; the reference is the independent truth.
    cases : iterable of argument tuples
        Small inputs, so that a message quoting one stays readable.
    task : str
        The name the student knows the function by.
    success : str, optional
        Replaces the default praise after a pass.
    parts : sequence of str
        Names of the parts when the reference returns a tuple, e.g. ``("W", "b")``.

    Raises
    ------
    ExerciseFailed
        On the first case that goes wrong (after printing why).
    """
    require_callable(student, task)
    cases = [tuple(case) for case in cases]
    for args in cases:
        originals = [_copy(a) for a in args]
        working = [_copy(a) for a in args]
        got = call_student(student, *working, task=task)
        check_not_mutated(originals, working, task)
        expected = reference(*[_copy(a) for a in originals])
        if isinstance(expected, tuple):
            check_tuple_result(got, expected, originals, task, parts,
                               rtol=rtol, atol=atol, check_dtype=check_dtype)
        else:
            check_array_result(got, expected, originals, task,
                               rtol=rtol, atol=atol, check_dtype=check_dtype)
    passed(success or f"{task} gives the right result on {_count(len(cases), 'test input')}.")


# ------------------------------------------------ conceptual questions

@dataclass(frozen=True)
class Choice:
    """A multiple-choice question that asks *why*, with feedback for every wrong option.

    Attributes
    ----------
    question : str
        The question, as the notebook shows it.
    options : dict of str to str
        Letter -> option text.
    answer : str
        The letter of the right option.
    feedback : dict of str to str
        Letter of each wrong option -> why that reason does not hold (shown
        when it is chosen; it never names the right letter).
    explanation : str
        Shown with "Correct!": the reason in full, for a student who guessed.
    """

    question: str
    options: dict
    answer: str
    feedback: dict
    explanation: str

    def __post_init__(self) -> None:
        wrong = set(self.options) - {self.answer}
        if self.answer not in self.options or set(self.feedback) != wrong:
            raise ValueError("a Choice needs its answer among the options and feedback for every other option")

    def as_markdown(self) -> str:
        """The question and its lettered options, for the exercise's prose.

        Examples
        --------
        >>> print(Choice("Why?", {"a": "x", "b": "y"}, "a", {"b": "no"}, "x").as_markdown())
        Why?
        <BLANKLINE>
        - **a**: x
        - **b**: y
        """
        return "\n".join([self.question, ""] + [f"- **{k}**: {v}" for k, v in self.options.items()])


def check_choice(my_answer: Callable[[], Any], question: Choice, task: str) -> None:
    """Check the letter ``my_answer()`` returns for a :class:`Choice`.

    Examples
    --------
    >>> q = Choice("Why?", {"a": "because", "b": "no reason"}, "a", {"b": "There is one."}, "Because.")
    >>> check_choice(lambda: "a", q, "my_answer")
    Correct! Because.
    """
    require_callable(my_answer, task)
    answer = call_student(my_answer, task=task)
    letters = ", ".join(repr(k) for k in question.options)
    if not isinstance(answer, str) or answer.strip().lower() not in question.options:
        fail(f"{task} returned {_short(answer)}; one of the letters {letters} was expected.",
             "Return the letter as a string, e.g. return 'a'.")
    letter = answer.strip().lower()
    if letter != question.answer:
        fail(f"Option {letter!r} is not the reason.", question.feedback[letter],
             "Read the options again and pick the one that explains it.")
    passed(question.explanation)


def check_number(my_answer: Callable[[], Any], truth: float, task: str, *, rel: float = 1e-6,
                 hint: str = "Work it out on paper from the rule above.", unit: str = "") -> None:
    """Check a numeric answer returned by ``my_answer()`` against ``truth`` (relative tolerance ``rel``).

    Examples
    --------
    >>> check_number(lambda: 0.5, 0.5, "my_rate")
    Correct! my_rate is right: 0.5.
    """
    require_callable(my_answer, task)
    answer = call_student(my_answer, task=task)
    if isinstance(answer, bool) or not isinstance(answer, (int, float, np.integer, np.floating)):
        fail(f"{task} returned {_short(answer)}; a number was expected.")
    if not np.isfinite(answer) or abs(float(answer) - truth) > rel * max(abs(truth), 1e-12):
        fail(f"{task} returned {float(answer):g}{unit}, which is not it yet.", hint)
    passed(f"{task} is right: {float(answer):g}{unit}.")


# ------------------------------------------------------------- formatting

def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _copy(value: Any) -> Any:
    return value.copy() if isinstance(value, np.ndarray) else value


def _name_of(fn: Any) -> str:
    return getattr(fn, "__name__", None) or type(fn).__name__


def _format_value(value: Any) -> str:
    if not isinstance(value, np.ndarray):
        return repr(value)
    if value.size > 24 or value.ndim > 2:
        # A wall of numbers helps nobody: describe the array and show how it starts.
        start = np.array2string(value.reshape(-1)[:6], precision=4, suppress_small=True,
                                separator=", ")
        return (f"an array of shape {value.shape}, dtype {value.dtype}, "
                f"whose entries in reading order start {start[:-1]}, ...]")
    text = np.array2string(value, precision=4, suppress_small=True, separator=", ")
    return f"{text}  (shape {value.shape}, dtype {value.dtype})"


def _labelled(label: str, value: Any) -> str:
    text = _format_value(value)
    return f"{label} {text}" if "\n" not in text else f"{label}\n{text}"


def _format_args(args: Sequence[Any]) -> str:
    if len(args) == 1:
        return " " + _format_value(args[0])
    return "".join(f"\n  argument {i + 1}: {_format_value(a)}" for i, a in enumerate(args))


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


__all__ = [
    "CORRECT",
    "NOT_YET",
    "ExerciseFailed",
    "passed",
    "fail",
    "require_callable",
    "call_student",
    "student_line",
    "check_array_result",
    "check_tuple_result",
    "check_answers",
    "check_not_mutated",
    "check_function",
    "Choice",
    "check_choice",
    "check_number",
]
