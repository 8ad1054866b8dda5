"""Grade a class: scores a student cannot forge, submissions that cannot harm the grader or each other.

:func:`grade_notebooks` is what ``python -m chapter2 grade`` runs:

1. **Before any work** the teacher's arguments are checked (timeouts
   positive and finite, output files that cannot overwrite a submission or
   an instructor notebook, one feedback file per student), the sandbox is
   found (:mod:`~chapter2.classroom.sandbox`), and the instructor notebooks
   are read.
2. Each submission is read (never trusted) and **rebuilt around the
   instructor's check cells** (:mod:`~chapter2.classroom.restore`): points,
   grade ids and check code come from the teacher's copy only.
3. The submissions are graded **in parallel** by ``workers`` local workers or
   on a Dask cluster (:mod:`~chapter2.classroom.dispatch`), each in its own
   runner process and sandboxed kernel, with the checks judged in the grader
   (:mod:`~chapter2.classroom.runner`, :mod:`~chapter2.classroom.judge`).
4. A submission that cannot be read, restored, run or scored is reported as
   ungraded (every check zero) and the others go on.

Examples
--------
>>> report = grade_notebooks(["submitted/"], source="source/ps1", workers=2)  # doctest: +SKIP
>>> print(format_table(report))  # doctest: +SKIP
student  notebook     exercise                points  status
alice    ps1/03.ipynb naive_leaky_relu-check   2 / 2  passed
...
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Sequence

from ..errors import InputValueError
from . import dispatch, sandbox
from .reports import (ExerciseScore, NotebookReport, Report, clean_text, format_table,
                      gradebook_csv, report_to_json)
from .restore import Instructor, load_instructor, read_submission, restore
from .runner import failed_outcome
from .student import write_text_no_follow
from .submissions import Submission, default_source, find_instructor, find_submissions


def grade_notebooks(paths: Sequence[Path | str] | Path | str, source: Path | str | None = None, *,
                    timeout: float = 120, notebook_timeout: float | None = None,
                    startup_timeout: float = 60, workers: int | None = None,
                    scheduler: str | None = None, sandbox_mode: str = "auto",
                    limits: sandbox.Limits | None = None, feedback_dir: Path | str | None = None,
                    outputs: Sequence[Path | str] = (), progress: bool = False) -> Report:
    """Grade every submission against the instructor notebooks.

    Parameters
    ----------
    paths : path or sequence of paths
        Submitted notebooks, or nbgrader ``submitted/`` folders
        (see :mod:`~chapter2.classroom.submissions`).
    source : path, optional
        The instructor notebooks: a folder (matched by file name) or one
        notebook. Default: the project's ``notebooks/`` in a source checkout.
    timeout : float
        Seconds one cell (or one call of a student's function by a check) may run.
    notebook_timeout : float, optional
        Seconds one whole submission may take (default ``10 * timeout``).
    startup_timeout : float
        Seconds a kernel may take to start.
    workers : int, optional
        Submissions graded at once on this machine (default: one per core).
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://HOST:PORT``) to grade on instead.
    sandbox_mode : {"auto", "bubblewrap", "none"}
        ``"auto"`` and ``"bubblewrap"`` need bubblewrap and refuse to start
        without it; ``"none"`` grades without the sandbox (with a warning).
    limits : Limits, optional
        Resource limits of each kernel.
    feedback_dir : path, optional
        Write each student's executed notebook, with the checks' feedback, to
        ``feedback_dir/<student>/[<assignment>/]<notebook>.ipynb``.
    outputs : sequence of paths
        Other files the caller will write (JSON report, gradebook): checked,
        before any work, not to be a submission or an instructor notebook.
    progress : bool
        Show a progress bar on stderr.

    Returns
    -------
    Report
        One :class:`NotebookReport` per submission, in order.
    """
    timeout = _seconds("timeout", timeout)
    startup_timeout = _seconds("startup_timeout", startup_timeout)
    notebook_timeout = _seconds("notebook_timeout", notebook_timeout or 10 * timeout)
    workers = dispatch.worker_count(workers) if workers is not None else None
    limits = limits or sandbox.Limits()
    submissions = find_submissions(paths)
    source = Path(source) if source is not None else default_source()
    if not source.exists():
        raise InputValueError(f"source {str(source)!r} does not exist")
    instructors = _instructors(source, submissions)
    feedback_dir = Path(feedback_dir) if feedback_dir is not None else None
    _check_outputs(submissions, instructors, feedback_dir, [Path(p) for p in outputs])
    mode = sandbox.resolve_mode(sandbox_mode)
    if mode == "none":
        print("WARNING: grading WITHOUT a sandbox: submissions can read files their user can read "
              "and reach the network (see the README's table).", file=sys.stderr)
    reports, jobs = [], []
    for sub in submissions:
        report, job = _prepare(sub, source, instructors, mode, limits, timeout, startup_timeout,
                               notebook_timeout)
        reports.append(report)
        if job is not None:
            jobs.append((report, job))
    outcomes = dispatch.grade_jobs([job for _, job in jobs], workers, scheduler, progress)
    for (report, job), outcome in zip(jobs, outcomes):
        _record(report, job, outcome, feedback_dir)
    return Report(reports, mode)


def _seconds(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or value <= 0:
        raise InputValueError(f"{name} must be a positive, finite number of seconds, got {value!r}")
    return float(value)


def _instructors(source: Path, submissions: list[Submission]) -> dict[Path, Instructor]:
    """Every instructor notebook some submission needs, read and checked once."""
    found = {}
    for sub in submissions:
        path = find_instructor(source, sub)
        if path is not None and path.resolve() not in found:
            found[path.resolve()] = load_instructor(path)
    return found


def _check_outputs(submissions: list[Submission], instructors: dict[Path, Instructor],
                   feedback_dir: Path | None, outputs: list[Path]) -> None:
    inputs = {sub.path.resolve() for sub in submissions} | set(instructors)
    targets = list(outputs)
    if feedback_dir is not None:
        if feedback_dir.exists() and not feedback_dir.is_dir():
            raise InputValueError(f"feedback folder {str(feedback_dir)!r} is a file")
        targets += [sub.feedback_path(feedback_dir) for sub in submissions]
    seen: set[Path] = set()
    for target in targets:
        resolved = target.resolve()
        if resolved in inputs:
            raise InputValueError(f"{str(target)!r} is a submission or an instructor notebook; "
                                  "refusing to overwrite it with grading output")
        if resolved in seen:
            raise InputValueError(f"two outputs would both be written to {str(target)!r}")
        if target.is_dir():
            raise InputValueError(f"output {str(target)!r} is a folder, not a file")
        seen.add(resolved)


def _prepare(sub: Submission, source: Path, instructors: dict[Path, Instructor], mode: str,
             limits: sandbox.Limits, timeout: float, startup_timeout: float,
             notebook_timeout: float) -> tuple[NotebookReport, dict | None]:
    """The report skeleton and the job for one submission (no job if it cannot be graded)."""
    report = NotebookReport(str(sub.path), sub.student, sub.assignment, sub.notebook)
    path = find_instructor(source, sub)
    if path is None:
        report.error = f"no instructor notebook for {sub.notebook} in {source} (see --source)"
        return report, None
    instructor = instructors[path.resolve()]
    report.exercises = [ExerciseScore(c.grade_id, 0.0, c.points, "not run") for c in instructor.checks]
    try:
        restored = restore(read_submission(sub.read()), instructor)
    except Exception as error:  # unreadable, too large, malformed: this student only
        report.error = clean_text(f"{error}")
        return report, None
    report.notes = [clean_text(n) for n in restored.notes]
    job = {"name": sub.notebook, "notebook": json.loads(json.dumps(restored.notebook)),
           "checks": [{"grade_id": c.grade_id, "points": c.points, "source": c.source,
                       "index": c.index, "remote_names": list(c.remote_names)}
                      for c in restored.checks],
           "imports": instructor.imports, "limits": asdict(limits), "sandbox": mode,
           "timeout": timeout, "startup_timeout": startup_timeout, "deadline": notebook_timeout}
    return report, job


def _record(report: NotebookReport, job: dict, outcome: dict, feedback_dir: Path | None) -> None:
    try:
        report.exercises = [_score(e, check) for e, check in zip(outcome["exercises"], job["checks"])]
        report.error = clean_text(outcome["error"]) if outcome.get("error") else None
        report.seconds = outcome.get("seconds") if isinstance(outcome.get("seconds"), float) else None
        report.worker = outcome.get("worker") if isinstance(outcome.get("worker"), str) else None
        if feedback_dir is not None and outcome.get("notebook"):
            target = Submission(report.student, report.assignment, report.notebook,
                                Path(report.path)).feedback_path(feedback_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            write_text_no_follow(outcome["notebook"], target)
    except Exception as error:  # a malformed outcome or an unwritable feedback file
        bad = failed_outcome(job, f"could not record the result: {type(error).__name__}: {error}")
        report.exercises = [_score(e, check) for e, check in zip(bad["exercises"], job["checks"])]
        report.error = clean_text(bad["error"])


def _score(exercise: dict, check: dict) -> ExerciseScore:
    """A score from an outcome, with points and grade id always the instructor's."""
    status = exercise.get("status") if exercise.get("status") in (
        "passed", "failed", "timeout", "not run") else "not run"
    points = float(check["points"]) if status == "passed" else 0.0
    return ExerciseScore(check["grade_id"], points, float(check["points"]), status,
                         clean_text(exercise.get("message", "")))


__all__ = ["ExerciseScore", "NotebookReport", "Report", "grade_notebooks", "format_table",
           "report_to_json", "gradebook_csv"]
