"""Compare a stored notebook output with a fresh run, some numbers within a tolerance.

Most stored outputs of the notebooks are exact on every machine: shapes, counts,
seeded data, short arithmetic. A few are not. After the 2,345 float32 steps of
training, the last bits that a BLAS kernel's summation order leaves in every
matrix product have grown into the fourth decimal of a loss, so the training log
printed on one CPU differs from the one stored on another. Such a cell declares
it in its metadata (invisible to learners), with the reason and one rule per
kind of number::

    "chapter2": {"nbval": {
        "reason": "training log: after 2,345 float32 steps the BLAS kernel ...",
        "numbers": [
            {"pattern": "loss: [0-9.]+", "rel": 0.02},
            {"pattern": "accuracy: [0-9.]+", "abs": 0.005}
        ]
    }}

The comparison then splits both texts into numbers and the text between them.
The text must be identical. A number lying inside a match of a rule's pattern
(searched in the stored text) may differ from the stored one by at most
``abs + rel * |stored|`` plus one unit of its last printed digit, written with
as many decimals; every other number must be identical. The extra unit is there
because printing rounds: a value that moves by a hair across a rounding boundary
changes its last digit by one (0.0505 and 0.0504 print as 0.051 and 0.050).

Examples
--------
>>> tolerance = read_tolerance({"chapter2": {"nbval": {
...     "reason": "a loss after training", "numbers": [{"pattern": "loss: [0-9.]+", "rel": 0.02}]}}})
>>> reconcile("epoch 1 - loss: 0.2637", "epoch 1 - loss: 0.2645", tolerance)
('epoch 1 - loss: 0.2637', [])
>>> text, notes = reconcile("epoch 1 - loss: 0.2637", "epoch 1 - loss: 0.2901", tolerance)
>>> print(notes[0])
'epoch 1 - loss: 0.2901' is off the stored 0.2637 by 0.0264 (10.01%); allowed 0.005374 (rule 'loss: [0-9.]+': rel 0.02, plus 0.0001 for the rounded last digit)
"""

from __future__ import annotations

import copy
import json
import math
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Mapping, Sequence

from chapter2.errors import InputValueError

#: A number as printed: optional sign, digits, optional decimals and exponent.
#: Digits glued to a word (``dense_0``, ``x2``) are part of the text, not numbers.
NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")

_RULE_KEYS = {"pattern", "abs", "rel"}
#: A tolerance of 10% or more would let a real change pass (tests move numbers by 10%).
MAX_SHARE = 0.1
#: An absolute tolerance this small is allowed around any number (accuracies, probabilities, gaps).
SMALL_ABS = 0.01
#: An author's pattern gets this long on one output; catastrophic backtracking fails instead of hanging.
PATTERN_SECONDS = 2.0
_SPEC_KEYS = {"reason", "numbers"}


class ToleranceError(InputValueError):
    """A cell's ``chapter2.nbval`` metadata is malformed."""


@dataclass(frozen=True)
class Rule:
    """Numbers inside a match of ``pattern`` may move by ``abs + rel * |stored|``."""

    pattern: re.Pattern
    abs: float = 0.0
    rel: float = 0.0

    def allowance(self, stored: float, unit: float = 0.0) -> float:
        """How far a fresh number may lie from ``stored``, printed to a last digit worth ``unit``."""
        return self.abs + self.rel * abs(stored) + unit

    def describe(self) -> str:
        parts = [f"{name} {value:g}" for name, value in (("abs", self.abs), ("rel", self.rel)) if value]
        return f"rule {self.pattern.pattern!r}: {' + '.join(parts)}"


@dataclass(frozen=True)
class Tolerance:
    """The tolerant comparison a cell asked for: why, and one rule per kind of number."""

    reason: str
    rules: tuple[Rule, ...]

    def rule_for(self, text: str, start: int, end: int) -> Rule | None:
        """The first rule whose pattern, searched in ``text``, covers ``text[start:end]``."""
        for rule in self.rules:
            if any(a <= start and end <= b for a, b in spans(rule.pattern, text)):
                return rule
        return None


def spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    """Where ``pattern`` matches in ``text``, searched for at most :data:`PATTERN_SECONDS`.

    Raises
    ------
    ToleranceError
        If the search takes longer (a pattern that backtracks without end).

    >>> spans(re.compile("loss: [0-9.]+"), "a - loss: 0.26")
    [(4, 14)]
    """
    slow = ToleranceError(f"the pattern {pattern.pattern!r} took more than {PATTERN_SECONDS:g} s on one "
                          "output (it backtracks); write one that matches the number directly")
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return _spans_in_a_child(pattern, text, slow)       # signals reach only the main thread

    def stop(signum, frame):
        raise slow
    previous = signal.signal(signal.SIGALRM, stop)
    outer_left, _ = signal.setitimer(signal.ITIMER_REAL, PATTERN_SECONDS)
    started = time.monotonic()
    try:
        return [m.span() for m in pattern.finditer(text)]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:  # an outer alarm (pytest-timeout's) keeps its deadline
            signal.setitimer(signal.ITIMER_REAL, max(outer_left - (time.monotonic() - started), 1e-3))


_CHILD = ("import json, re, sys; p = re.compile(sys.argv[1], int(sys.argv[2])); "
          "print(json.dumps([m.span() for m in p.finditer(sys.stdin.read())]))")


def _spans_in_a_child(pattern: re.Pattern, text: str, slow: ToleranceError) -> list[tuple[int, int]]:
    """The same search in a child process that is killed after the time bound.

    A regular expression holds the interpreter lock while it runs, so a thread
    cannot be stopped or even waited for; a process can.
    """
    try:
        done = subprocess.run([sys.executable, "-c", _CHILD, pattern.pattern, str(int(pattern.flags))],
                              input=text, capture_output=True, text=True, timeout=PATTERN_SECONDS + 1)
    except subprocess.TimeoutExpired:
        raise slow from None
    return [tuple(span) for span in json.loads(done.stdout)]


def read_tolerance(metadata: Mapping[str, Any]) -> Tolerance | None:
    """The tolerance a cell's metadata declares, or None for an exactly compared cell.

    Raises :class:`ToleranceError` naming what is wrong when the declaration is
    malformed: a missing reason, no rules, an unknown key, a pattern that is not a
    regular expression, or a tolerance that is negative, not finite or zero.
    """
    spec = metadata.get("chapter2", {})
    if not isinstance(spec, Mapping):
        raise ToleranceError(f"cell metadata 'chapter2' must be a mapping, got {type(spec).__name__}")
    spec = spec.get("nbval")
    if spec is None:
        return None
    if not isinstance(spec, Mapping):
        raise ToleranceError(f"'chapter2.nbval' must be a mapping, got {type(spec).__name__}")
    _check_keys(spec, _SPEC_KEYS, "'chapter2.nbval'")
    reason = spec.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise ToleranceError("'chapter2.nbval' needs a 'reason': why this output depends on the machine")
    numbers = spec.get("numbers")
    if not isinstance(numbers, list) or not numbers:
        raise ToleranceError("'chapter2.nbval' needs 'numbers': a non-empty list of rules")
    return Tolerance(reason.strip(), tuple(_read_rule(rule, i) for i, rule in enumerate(numbers)))


def _read_rule(rule: Any, index: int) -> Rule:
    where = f"'chapter2.nbval.numbers[{index}]'"
    if not isinstance(rule, Mapping):
        raise ToleranceError(f"{where} must be a mapping, got {type(rule).__name__}")
    _check_keys(rule, _RULE_KEYS, where)
    try:
        pattern = re.compile(rule.get("pattern"), re.MULTILINE)
    except (TypeError, re.error) as exc:
        raise ToleranceError(f"{where} needs a 'pattern' that is a regular expression ({exc})") from None
    bounds = {}
    for name in ("abs", "rel"):
        value = rule.get(name, 0.0)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < math.inf:
            raise ToleranceError(f"{where}: '{name}' must be a finite number >= 0, got {value!r}")
        bounds[name] = float(value)
    if bounds["rel"] >= MAX_SHARE:
        raise ToleranceError(f"{where}: 'rel' {bounds['rel']:g} would let a {MAX_SHARE:.0%} change pass; "
                             f"keep it below {MAX_SHARE:g}")
    if not any(bounds.values()):
        raise ToleranceError(f"{where} allows no difference: give 'abs' or 'rel' greater than 0")
    return Rule(pattern, **bounds)


def _check_keys(mapping: Mapping, allowed: set[str], where: str) -> None:
    unknown = sorted(set(mapping) - allowed)
    if unknown:
        raise ToleranceError(f"{where} has unknown keys {unknown}; allowed: {sorted(allowed)}")


def split_numbers(text: str) -> tuple[list[str], list[re.Match]]:
    """Split ``text`` into the pieces between numbers and the numbers themselves.

    >>> pieces, numbers = split_numbers("469/469 - loss: 0.2637")
    >>> pieces, [m.group() for m in numbers]
    (['', '/', ' - loss: ', ''], ['469', '469', '0.2637'])
    """
    numbers = list(NUMBER.finditer(text))
    edges = [0] + [edge for m in numbers for edge in m.span()] + [len(text)]
    return [text[a:b] for a, b in zip(edges[::2], edges[1::2])], numbers


def reconcile(stored: str, fresh: str, tolerance: Tolerance) -> tuple[str, list[str]]:
    """Return ``fresh`` with each number within tolerance replaced by the stored one.

    What comes back equals ``stored`` exactly when the fresh output is acceptable;
    otherwise the second item explains each difference that remains.
    """
    stored_text, stored_numbers = split_numbers(stored)
    fresh_text, fresh_numbers = split_numbers(fresh)
    if stored_text != fresh_text:
        return fresh, ["the text around the numbers differs, so no tolerance applies"]
    pieces, notes = [fresh_text[0]], []
    for s, f, after in zip(stored_numbers, fresh_numbers, fresh_text[1:]):
        note = _judge(stored, s, f.group(), tolerance)
        pieces += [f.group() if note else s.group(), after]
        if note:
            notes.append(note)
    return "".join(pieces), notes


def _judge(stored_text: str, stored: re.Match, fresh: str, tolerance: Tolerance) -> str | None:
    """None if ``fresh`` may stand for the stored number, else why it may not."""
    if fresh == stored.group():
        return None
    rule = tolerance.rule_for(stored_text, *stored.span())
    line_start = stored_text.rfind("\n", 0, stored.start()) + 1
    shown = stored_text[max(line_start, stored.start() - 40):stored.start()] + fresh
    if rule is None:
        return f"{shown!r}: no tolerance rule covers this number, so it must equal the stored {stored.group()}"
    if _layout(fresh) != _layout(stored.group()):
        return f"{shown!r} is not written like the stored {stored.group()} (decimals or exponent differ)"
    s, f, unit = float(stored.group()), float(fresh), last_digit_unit(stored.group())
    off, allowed = abs(f - s), rule.allowance(s, unit)
    if off <= allowed * (1 + 1e-9):
        return None
    relative = f" ({off / abs(s):.2%})" if s else ""
    return (f"{shown!r} is off the stored {stored.group()} by {off:.4g}{relative}; "
            f"allowed {allowed:.4g} ({rule.describe()}, plus {unit:g} for the rounded last digit)")


def last_digit_unit(number: str) -> float:
    """What one unit of the last printed digit of ``number`` is worth.

    >>> last_digit_unit("0.067"), last_digit_unit("201"), last_digit_unit("2.5e-03")
    (0.001, 1.0, 0.0001)
    """
    mantissa, _, exponent = number.lower().partition("e")
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    return float(f"1e{int(exponent or 0) - decimals}")


def _layout(number: str) -> tuple[int, bool]:
    mantissa = re.split("[eE]", number)[0]
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else -1
    return decimals, mantissa != number


def text_fields(outputs: Sequence[Mapping]) -> Iterator[tuple[Any, Mapping, str | None]]:
    """Every text an output list holds, as ``(key, output, mime)``, in order.

    ``key`` is what nbval pairs stored and fresh values by (a stream's name, or a
    MIME type); ``mime`` is None for a stream's text. Images are left out: nbval
    does not compare them.
    """
    for output in outputs:
        if output.get("output_type") == "stream":
            yield ("stream", output.get("name")), output, None
        for mime, value in output.get("data", {}).items():
            if isinstance(value, str) and not mime.startswith("image/"):
                yield mime, output, mime


def _get(output: Mapping, mime: str | None) -> str:
    value = output["text"] if mime is None else output["data"][mime]
    return "".join(value) if isinstance(value, list) else value      # raw JSON keeps lines as a list


def reconcile_outputs(fresh: Sequence[Mapping], stored: Sequence[Mapping], tolerance: Tolerance,
                      sanitize: Callable[[str], str] = str) -> tuple[list, list[str]]:
    """:func:`reconcile` over a cell's outputs, pairing texts the way nbval does.

    ``sanitize`` is applied to both texts first: nbval's own sanitizer, which
    masks timings and addresses, so that only real differences are reported.
    Returns a reconciled deep copy of ``fresh`` and the notes on what still differs.
    """
    fresh = copy.deepcopy(list(fresh))
    by_key: dict[Any, list[str]] = {}
    for key, output, mime in text_fields(stored):
        by_key.setdefault(key, []).append(sanitize(_get(output, mime)))
    seen: dict[Any, int] = {}
    notes = []
    for key, output, mime in text_fields(fresh):
        index = seen[key] = seen.get(key, -1) + 1
        if index >= len(by_key.get(key, [])):
            continue
        text, more = reconcile(by_key[key][index], sanitize(_get(output, mime)), tolerance)
        if mime is None:
            output["text"] = text
        else:
            output["data"][mime] = text
        notes += more
    return fresh, notes


def unused_rules(tolerance: Tolerance, stored: Sequence[Mapping]) -> list[Rule]:
    """The rules that cover no number of the stored outputs (stale metadata)."""
    texts = [_get(output, mime) for _, output, mime in text_fields(stored)]
    return [rule for rule in tolerance.rules
            if not any(rule is tolerance.rule_for(text, *m.span())
                       for text in texts for m in NUMBER.finditer(text))]


def overbroad_rules(tolerance: Tolerance, stored: Sequence[Mapping]) -> list[str]:
    """Why rules would let too much pass, or an empty list.

    A match may not cover a whole line that holds two numbers or more, nor run
    across a line break (the pattern then covers the output, not its numbers),
    and ``abs`` must stay under 10% of each nonzero number it covers unless it
    is at most :data:`SMALL_ABS` (a probability, an accuracy, a difference of two).

    >>> tolerance = read_tolerance({"chapter2": {"nbval": {"reason": "a catch-all",
    ...     "numbers": [{"pattern": ".*", "abs": 0.001}]}}})
    >>> overbroad_rules(tolerance, [{"output_type": "stream", "name": "stdout", "text": "epoch 1 - loss: 0.5"}])
    ["rule '.*' covers the whole line 'epoch 1 - loss: 0.5'; match the numbers, not the output"]
    """
    problems = []
    for _, output, mime in text_fields(stored):
        text = _get(output, mime)
        lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)
                 if len(NUMBER.findall(m.group())) >= 2]
        for rule in tolerance.rules:
            for a, b in spans(rule.pattern, text):
                whole = next((text[s:e] for s, e in lines if a <= s and e <= b), None)
                if whole is not None or "\n" in text[a:b].strip("\n"):
                    shown = (whole or text[a:b]).strip()
                    problems.append(f"rule {rule.pattern.pattern!r} covers the whole line {shown!r}; "
                                    "match the numbers, not the output")
        for m in NUMBER.finditer(text):
            rule, value = tolerance.rule_for(text, *m.span()), float(m.group())
            if rule is not None and value and rule.abs > SMALL_ABS and rule.abs >= MAX_SHARE * abs(value):
                problems.append(f"{rule.describe()} allows {rule.abs:g} around the stored {m.group()}, "
                                f"{MAX_SHARE:.0%} or more of it; a real change would pass")
    return sorted(set(problems))


__all__ = ["NUMBER", "Rule", "Tolerance", "ToleranceError", "last_digit_unit", "read_tolerance", "split_numbers",
           "reconcile", "reconcile_outputs", "text_fields", "unused_rules", "overbroad_rules", "spans"]
