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
   ungraded (every check zero) and the others go on. A notebook without
   exercises (``00_start_here``) is skipped with a note.

Only a few submissions are in flight at once; each outcome is scored, its
feedback notebook written, and then dropped (:mod:`~chapter2.classroom.dispatch`),
so the main process holds a summary per submission, not every notebook.

Examples
--------
>>> report = grade_notebooks(["submitted/"], source="source/ps1", workers=2)  # doctest: +SKIP
>>> print(format_table(report))  # doctest: +SKIP
student  notebook     exercise                points  status
alice    ps1/03.ipynb naive_leaky_relu-check   2 / 2  passed
...
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Callable, Sequence

from ..errors import InputValueError
from . import dispatch, sandbox
from .protocol import NOT_RUN, PASSED, Job, Outcome
from .reports import (ExerciseScore, NotebookReport, Report, clean_text, format_table,
                      gradebook_csv, report_to_json)
from .restore import Instructor, NoGradedCells, load_instructor, read_submission, restore
from .student import write_text_no_follow
from .submissions import (Submission, default_source, file_identity, find_instructor,
                          find_submissions)

#: Longest timeout accepted (seconds, about 11 days): in milliseconds it still fits the 32-bit
#: poll timeouts it is handed to, where 1e15 overflowed for every student.
MAX_SECONDS = 10 ** 6


def grade_notebooks(paths: Sequence[Path | str] | Path | str, source: Path | str | None = None, *,
                    timeout: float = 120, notebook_timeout: float | None = None,
                    startup_timeout: float = 60, workers: int | None = None,
                    scheduler: dispatch.Scheduler | str | None = None, sandbox_mode: str = "auto",
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
    scheduler : dispatch.Scheduler or str, optional
        A Dask scheduler to grade on instead, with the teacher's certificates
        (a bare address is refused as unauthenticated: see
        :class:`~chapter2.classroom.dispatch.Scheduler`).
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
    notebook_timeout = _seconds("notebook_timeout", notebook_timeout or min(10 * timeout, MAX_SECONDS))
    workers = dispatch.worker_count(workers) if workers is not None else None
    limits = limits or sandbox.Limits()
    submissions = find_submissions(paths)
    source = Path(source) if source is not None else default_source()
    if not source.exists():
        raise InputValueError(f"source {str(source)!r} does not exist")
    graders = _instructors(source, submissions)
    feedback_dir = Path(feedback_dir) if feedback_dir is not None else None
    _check_outputs(submissions, graders, feedback_dir, [Path(p) for p in outputs])
    mode = sandbox.resolve_mode(sandbox_mode)
    if mode == "none":
        print("WARNING: grading WITHOUT a sandbox: submissions can read files their user can read "
              "and reach the network (see the README's table).", file=sys.stderr)
    forbidden = {file_identity(g[1]): g[1] for g in graders.values() if g is not None}
    settings = Job("", {}, (), "", limits, mode, timeout, startup_timeout, notebook_timeout)
    reports = [_skeleton(sub, graders[sub], source) for sub in submissions]

    def make(i: int) -> Callable[[], Job | None]:
        return lambda: _prepare(submissions[i], graders[submissions[i]], reports[i], settings,
                                forbidden)

    def record(i: int, job: Job, outcome: Outcome) -> None:
        _record(submissions[i], reports[i], job, outcome, feedback_dir)

    todo = [i for i, sub in enumerate(submissions) if _gradable(graders[sub])]
    dispatch.grade_jobs(((i, make(i)) for i in todo), record, len(todo), workers, scheduler, progress)
    return Report(reports, mode)


def _seconds(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or value <= 0:
        raise InputValueError(f"{name} must be a positive, finite number of seconds, got {value!r}")
    if value > MAX_SECONDS:
        raise InputValueError(f"{name} must be at most {MAX_SECONDS} seconds, got {value!r}")
    return float(value)


def _instructors(source: Path, submissions: list[Submission]) -> dict:
    """Each instructor notebook looked up and read once.

    Returns ``{submission: (instructor, resolved path)}``, with None for a
    submission without an instructor notebook, and instructor None for a
    notebook that has no graded cells.
    """
    read: dict[Path, Instructor | None] = {}
    graders = {}
    for sub in submissions:
        path = find_instructor(source, sub)
        if path is not None and path.resolve() not in read:
            try:
                read[path.resolve()] = load_instructor(path)
            except NoGradedCells:  # a notebook without exercises, such as 00_start_here
                read[path.resolve()] = None
        graders[sub] = None if path is None else (read[path.resolve()], path.resolve())
    return graders


def _gradable(grader) -> bool:
    return grader is not None and grader[0] is not None


def _check_outputs(submissions: list[Submission], graders: dict, feedback_dir: Path | None,
                   outputs: list[Path]) -> None:
    inputs = {sub.path.resolve() for sub in submissions} | {g[1] for g in graders.values() if g}
    for output in outputs:  # refused now, not after grading the whole class
        if not output.parent.is_dir():
            raise InputValueError(f"the folder of output {str(output)!r} does not exist")
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


def _skeleton(sub: Submission, grader, source: Path) -> NotebookReport:
    """The report row of a submission before grading: every check not run, or why none is."""
    report = NotebookReport(str(sub.path), sub.student, sub.assignment, sub.notebook)
    if grader is None:
        report.error = f"no instructor notebook for {sub.notebook} in {source} (see --source)"
    elif grader[0] is None:
        report.notes = [f"{sub.notebook} has no graded cells: not graded"]
    else:
        report.exercises = [ExerciseScore(c.grade_id, 0.0, c.points, NOT_RUN)
                            for c in grader[0].checks]
    return report


def _prepare(sub: Submission, grader, report: NotebookReport, settings: Job,
             forbidden: dict) -> Job | None:
    """The job for one submission, or None (the reason in its report) if it cannot be graded."""
    instructor = grader[0]
    try:
        restored = restore(read_submission(sub.read(forbidden)), instructor)
    except Exception as error:  # a link, unreadable, too large, malformed: this student only
        report.error = clean_text(f"{error}")
        return None
    report.notes = [clean_text(n) for n in restored.notes]
    return Job(sub.notebook, restored.notebook, tuple(restored.checks), instructor.imports,
               settings.limits, settings.sandbox, settings.timeout, settings.startup_timeout,
               settings.deadline)


def _record(sub: Submission, report: NotebookReport, job: Job, outcome: Outcome,
            feedback_dir: Path | None) -> None:
    """Score ``outcome`` into ``report`` and write its feedback; the outcome is then dropped."""
    try:
        report.exercises = _scores(report, outcome)
        report.error = clean_text(outcome.error) if outcome.error else None
        report.seconds, report.worker = outcome.seconds, outcome.worker
        if feedback_dir is not None and outcome.notebook:
            target = sub.feedback_path(feedback_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            write_text_no_follow(outcome.notebook, target)
    except Exception as error:  # an unwritable feedback file
        bad = Outcome.failed(job, f"could not record the result: {type(error).__name__}: {error}")
        report.exercises = _scores(report, bad)
        report.error = clean_text(bad.error)


def _scores(report: NotebookReport, outcome: Outcome) -> list[ExerciseScore]:
    """Scores from an outcome, with grade ids and points always the instructor's (the skeleton's)."""
    by_id = {e.grade_id: e for e in outcome.exercises}
    scores = []
    for skeleton in report.exercises:
        verdict = by_id.get(skeleton.grade_id)
        status = verdict.status if verdict is not None else NOT_RUN
        points = skeleton.max_points if status == PASSED else 0.0
        scores.append(ExerciseScore(skeleton.grade_id, points, skeleton.max_points, status,
                                    clean_text(verdict.message if verdict is not None else "")))
    return scores


__all__ = ["ExerciseScore", "NotebookReport", "Report", "grade_notebooks", "format_table",
           "report_to_json", "gradebook_csv"]
