"""The messages between grading stages, as typed records: one home for their fields.

A grading run crosses two process boundaries, and the same records are used
on both sides of each:

* the main process (:mod:`~chapter2.classroom.grading`) sends a :class:`Job`
  to a worker (a thread, or a Dask worker), which hands it to a runner
  process as JSON (:meth:`Job.to_json` / :meth:`Job.from_json`);
* the runner (:mod:`~chapter2.classroom.runner`) starts the student's kernel
  (in the sandbox) from a :class:`Plan`, and answers with an
  :class:`Outcome`, JSON again, which the main process turns into the
  submission's report row and then drops (it keeps no notebook).

The status words of a check live here too (:data:`PASSED` and the others).
An outcome is read defensively: it was made next to a student's kernel, so a
field of the wrong type or an unknown status reads as "not run".

Examples
--------
>>> job = Job("03.ipynb", {"cells": []}, (Check("ex1", 2.0, "check(f)", 4, ("f",)),), "import numpy",
...           Limits(), "bubblewrap", 10.0, 60.0, 100.0)
>>> Job.from_json(job.to_json()) == job
True
>>> Outcome.from_json('{"exercises": [{"grade_id": "ex1", "status": "won"}]}').exercises[0].status
'not run'
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .restore import Check
from .sandbox import Limits

#: The status words of a check's verdict.
PASSED, FAILED, TIMEOUT, NOT_RUN = "passed", "failed", "timeout", "not run"
STATUSES = (PASSED, FAILED, TIMEOUT, NOT_RUN)


@dataclass(frozen=True)
class Job:
    """Everything a runner needs to grade one submission (a worker needs only chapter2).

    ``notebook`` is the restored notebook (nbformat's dict form), ``imports``
    the instructor's imports the checks run with, ``timeout`` the seconds of a
    cell, ``deadline`` the seconds of the whole submission.
    """

    name: str
    notebook: dict
    checks: tuple[Check, ...]
    imports: str
    limits: Limits
    sandbox: str
    timeout: float
    startup_timeout: float
    deadline: float

    def to_json(self) -> str:
        """The job as JSON, for the runner process."""
        return json.dumps({**asdict(self), "checks": [asdict(c) for c in self.checks],
                           "limits": asdict(self.limits)})

    @classmethod
    def from_json(cls, text: str) -> "Job":
        """The job :meth:`to_json` wrote (made by the grader, so trusted)."""
        data = json.loads(text)
        checks = tuple(Check(c["grade_id"], float(c["points"]), c["source"], c["index"],
                             tuple(c["remote_names"])) for c in data.pop("checks"))
        return cls(**{**data, "checks": checks, "limits": Limits(**data.pop("limits"))})


@dataclass(frozen=True)
class Plan:
    """How the runner starts one kernel: sandbox mode, limits, user, folders and environment.

    ``runtime`` holds the kernel's sockets, ``cwd`` (holding only ``notebook``)
    is its working folder, ``home`` its home outside bubblewrap, ``uid`` its
    own user (None when the grader is not root).
    """

    mode: str
    bwrap: str | None
    limits: Limits
    uid: int | None
    runtime: Path
    notebook: Path
    cwd: Path
    home: Path
    env: dict[str, str]


@dataclass(frozen=True)
class ExerciseOutcome:
    """The verdict on one check, as the runner saw it (points come from the instructor)."""

    grade_id: str
    status: str = NOT_RUN
    message: str = ""


@dataclass
class Outcome:
    """What a runner sends back for one job: verdicts, the executed notebook, or why it failed."""

    exercises: list[ExerciseOutcome] = field(default_factory=list)
    error: str | None = None
    notebook: str | None = None  # the executed notebook (nbformat JSON), for the feedback
    seconds: float | None = None
    worker: str | None = None  # "host:pid" of the process that graded it

    def to_json(self) -> str:
        """The outcome as JSON."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> "Outcome":
        """Read an outcome, every field checked (see the module docstring)."""
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("an outcome must be an object")
        exercises = data.get("exercises")
        return cls([_exercise(e) for e in exercises] if isinstance(exercises, list) else [],
                   _typed(data.get("error"), str), _typed(data.get("notebook"), str),
                   _typed(data.get("seconds"), float), _typed(data.get("worker"), str))

    @classmethod
    def failed(cls, job: Job, error: str) -> "Outcome":
        """The outcome of a job that could not be graded: every check not run, with the reason."""
        return cls([ExerciseOutcome(c.grade_id, NOT_RUN, error) for c in job.checks], error)


def _exercise(data: Any) -> ExerciseOutcome:
    if not isinstance(data, dict):
        return ExerciseOutcome("")
    status = data.get("status") if data.get("status") in STATUSES else NOT_RUN
    return ExerciseOutcome(_typed(data.get("grade_id"), str) or "", status,
                           _typed(data.get("message"), str) or "")


def _typed(value: Any, kind: type) -> Any:
    """``value`` if it is a ``kind`` (ints count as floats), else None."""
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value if isinstance(value, kind) and not isinstance(value, bool) else None


__all__ = ["PASSED", "FAILED", "TIMEOUT", "NOT_RUN", "STATUSES", "Job", "Plan", "ExerciseOutcome",
           "Outcome"]
