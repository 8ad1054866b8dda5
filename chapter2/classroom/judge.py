"""Run a check cell in the grader, with the student's answers fetched from the kernel as data.

A check cell such as ``broadcasting.check_naive_leaky_relu(naive_leaky_relu)``
is never executed in the student's kernel, where the submission could have
replaced the check, patched the feedback module or IPython's hooks, or
shadowed the package. The grader executes the instructor's source of the cell
itself, in a namespace built from the instructor notebook's own imports
(loaded before the kernel starts). Each other name the cell reads, the
student's answer, is bound to a :class:`RemoteFunction`: calling it sends the
arguments the check chose to the kernel, which calls the student's function
and sends back the result (and the arguments afterwards, so that changing an
input in place is still seen) in :mod:`chapter2.classroom.wire`'s plain-data
form. The student's code therefore runs only in the kernel, and the verdict
only in the grader, from values compared against the check's own truth.

A check's hidden tests (``BEGIN/END HIDDEN TESTS``) run here too, and what
they print or the way they fail is not passed on: the feedback says only that
a hidden test failed.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import json
import re
import sys
import traceback
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ..exercises.feedback import ExerciseFailed
from . import wire
from .notebook_format import hidden_lines
from .protocol import FAILED, NOT_RUN, PASSED, TIMEOUT  # noqa: F401 (NOT_RUN: re-exported)
from .restore import Check


class KernelTrouble(Exception):
    """The kernel did not answer a call (timed out, died, or sent no readable reply)."""


class StudentError(Exception):
    """Base of the exceptions that stand for one the student's code raised in the kernel."""


@dataclass
class Verdict:
    """What the grader decided for one check, and the feedback the check printed."""

    status: str
    message: str
    printed: str


class Remote:
    """Runs the grader's helper calls in the student's kernel.

    ``execute`` is a function taking Python source and returning the helper
    cell's outputs, or raising :class:`KernelTrouble`.
    """

    def __init__(self, execute: Callable[[str], list[dict]]) -> None:
        self._execute = execute
        self.timed_out = False

    def ask(self, code: str) -> dict:
        try:
            outputs = self._execute(code)
        except KernelTrouble as error:
            self.timed_out = self.timed_out or "timed out" in str(error)
            raise
        replies = [o["data"][wire.MIME] for o in outputs
                   if o.get("output_type") == "display_data" and wire.MIME in o.get("data", {})]
        if not replies:
            errors = [o for o in outputs if o.get("output_type") == "error"]
            why = f" ({errors[0].get('ename')})" if errors else ""
            raise KernelTrouble(f"the kernel sent no answer{why}")
        try:
            return wire.loads_reply(replies[-1] if isinstance(replies[-1], str) else "".join(replies[-1]))
        except wire.WireError as error:
            raise KernelTrouble(f"the kernel's answer could not be read: {error}") from None

    def describe(self, names: tuple[str, ...]) -> dict[str, dict]:
        reply = self.ask(f"__import__('chapter2.classroom.wire', fromlist=['wire'])"
                         f".kernel_describe({list(names)!r})")
        found = reply.get("names")
        if not isinstance(found, dict):
            raise KernelTrouble("the kernel's answer could not be read: no names")
        return found

    def call(self, name: str, args: tuple) -> dict:
        payload = json.dumps(wire.encode(list(args)))
        return self.ask(f"__import__('chapter2.classroom.wire', fromlist=['wire'])"
                        f".kernel_call({name!r}, {payload!r})")


class RemoteFunction:
    """Stands for the student's function in the grader: each call runs it in the kernel."""

    def __init__(self, remote: Remote, name: str) -> None:
        self._remote = remote
        self.__name__ = self.__qualname__ = name

    def __repr__(self) -> str:
        return f"<function {self.__name__}>"

    def __call__(self, *args: Any) -> Any:
        reply = self._remote.call(self.__name__, args)
        if "raised" in reply:
            raise student_exception(reply["raised"])
        try:
            result = wire.decode(reply.get("result"))
            after = [wire.decode(a) for a in reply.get("args_after", [])]
        except wire.WireError as error:
            raise KernelTrouble(f"the answer of {self.__name__} could not be read: {error}") from None
        _apply_changes(args, after)
        return result


def _apply_changes(args: tuple, after: list) -> None:
    """Show the check an argument the student's function changed in place."""
    for before, now in zip(args, after):
        if isinstance(before, np.ndarray) and before.flags.writeable:
            if isinstance(now, np.ndarray) and now.shape == before.shape:
                np.copyto(before, now, casting="unsafe")
            elif before.size and before.dtype.kind in "fc":
                before[...] = np.nan  # reshaped or replaced in place: certainly changed


def student_exception(info: Any) -> BaseException:
    """An exception standing for the one the student's code raised (same name and message)."""
    if not isinstance(info, dict):
        return KernelTrouble("the kernel's answer could not be read")
    name = info.get("type") if isinstance(info.get("type"), str) else "Exception"
    name = name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,99}", name) else "Exception"
    base = NotImplementedError if info.get("not_implemented") is True else StudentError
    message = info.get("message") if isinstance(info.get("message"), str) else ""
    error = type(name, (base,), {"__module__": "student"})(message)
    frame = info.get("frame")
    if isinstance(frame, dict) and isinstance(frame.get("lineno"), int) \
            and isinstance(frame.get("name"), str) and isinstance(frame.get("line"), str):
        error.student_frame = traceback.FrameSummary("<student>", frame["lineno"], frame["name"][:100],
                                                     lookup_line=False, line=frame["line"])
    return error


def trusted_namespace(imports: str) -> dict:
    """The namespace checks run in: the instructor's imports, loaded in the grader."""
    namespace: dict = {"__builtins__": builtins, "__name__": "__check__"}
    exec(compile(imports, "<instructor imports>", "exec"), namespace)
    return namespace


def judge(check: Check, namespace: dict, remote: Remote) -> Verdict:
    """Run ``check`` in the grader against the student's answers in the kernel."""
    scope = dict(namespace)
    where, hidden = f"<check {check.grade_id}>", hidden_lines(check.source)
    printed = _Printed(where, hidden)
    try:
        for name, found in remote.describe(check.remote_names).items():
            if name in check.remote_names:
                _bind(scope, name, found, remote)
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            exec(compile(check.source, where, "exec"), scope)
    except (ExerciseFailed, KernelTrouble) as error:
        return Verdict(_failure(remote), _message(error, where, hidden), printed.getvalue())
    except Exception as error:  # the check's own assertion, a NameError for a missing answer, ...
        return Verdict(_failure(remote), _message(error, where, hidden), printed.getvalue())
    if remote.timed_out:  # the check swallowed a timeout: never a pass
        return Verdict(TIMEOUT, "a call to the student's code timed out", printed.getvalue())
    return Verdict(PASSED, "", printed.getvalue())


class _Printed(io.StringIO):
    """The check's printed feedback, without what its hidden tests print."""

    def __init__(self, where: str, hidden: set[int]) -> None:
        super().__init__()
        self._where, self._hidden = where, hidden

    def write(self, text: str) -> int:
        if self._hidden and _check_line(sys._getframe(1), self._where) in self._hidden:
            return len(text)
        return super().write(text)


def _check_line(frame: Any, where: str) -> int | None:
    """The line of the check's source being run (the innermost one if the check calls itself)."""
    while frame is not None:
        if frame.f_code.co_filename == where:
            return frame.f_lineno
        frame = frame.f_back
    return None


def _message(error: BaseException, where: str, hidden: set[int]) -> str:
    lines = [tb.tb_lineno for tb in _frames(error.__traceback__) if tb.tb_frame.f_code.co_filename == where]
    if lines and lines[-1] in hidden:
        return f"{type(error).__name__}: a hidden test failed (what it tests stays with your teacher)"
    return f"{type(error).__name__}: {error}"


def _frames(tb: Any) -> list:
    frames = []
    while tb is not None:
        frames.append(tb)
        tb = tb.tb_next
    return frames


def _failure(remote: Remote) -> str:
    return TIMEOUT if remote.timed_out else FAILED


def _bind(scope: dict, name: str, found: Any, remote: Remote) -> None:
    kind = found.get("kind") if isinstance(found, dict) else None
    if kind == "callable":
        scope[name] = RemoteFunction(remote, name)
    elif kind == "value":
        try:
            scope[name] = wire.decode(found.get("value"))
        except wire.WireError:
            scope[name] = wire.Opaque("object", f"<{name}: unreadable value>")
    # "missing": left unbound, so the check fails with NameError as in the notebook


__all__ = ["PASSED", "FAILED", "TIMEOUT", "NOT_RUN", "KernelTrouble", "Verdict", "Remote",
           "RemoteFunction", "student_exception", "trusted_namespace", "judge"]
