"""Grade student notebooks headless: run them, then score their check cells.

A graded cell (nbgrader metadata ``"grade": true, "solution": false``) earns
its ``points`` when it runs without raising, and zero otherwise, as in
nbgrader's autograder. Each notebook runs in a fresh kernel, cell by cell,
with errors allowed. A cell that runs longer than ``timeout`` seconds is
interrupted; if the kernel does not answer after the interrupt it is
restarted, so an infinite loop costs the student that exercise (and any that
needed the lost state), never the whole grading run. A notebook that cannot
be read or run is reported as an error and the next notebook is graded.

Examples
--------
>>> report = grade_notebooks(["alice/01_first_look.ipynb"], timeout=60)  # doctest: +SKIP
>>> print(format_table(report))  # doctest: +SKIP
notebook             exercise        points  status
01_first_look.ipynb  ex-relu          2 / 2  passed
...
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from ..errors import InputValueError

PASSED, FAILED, TIMEOUT, NOT_RUN = "passed", "failed", "timeout", "not run"
#: Seconds a kernel gets to answer a trivial cell after being interrupted.
_PROBE_TIMEOUT = 10
_TIMEOUT_ENAME = "CellTimeoutError"


@dataclass(frozen=True)
class ExerciseScore:
    """The score of one graded cell."""

    grade_id: str
    points: float
    max_points: float
    status: str  # one of "passed", "failed", "timeout", "not run"
    message: str = ""


@dataclass
class NotebookReport:
    """The scores of one notebook, or why it could not be graded."""

    path: str
    exercises: list[ExerciseScore] = field(default_factory=list)
    error: str | None = None

    @property
    def points(self) -> float:
        return sum(e.points for e in self.exercises)

    @property
    def max_points(self) -> float:
        return sum(e.max_points for e in self.exercises)


@dataclass
class Report:
    """Scores of every notebook graded in one run."""

    notebooks: list[NotebookReport] = field(default_factory=list)

    @property
    def points(self) -> float:
        return sum(n.points for n in self.notebooks)

    @property
    def max_points(self) -> float:
        return sum(n.max_points for n in self.notebooks)


def grade_notebooks(paths: Sequence[Path | str], timeout: float = 120,
                    kernel_name: str = "python3", startup_timeout: float = 60,
                    executed_dir: Path | str | None = None) -> Report:
    """Run each student notebook headless and score its graded cells.

    Parameters
    ----------
    paths : sequence of paths
        Student notebooks; each runs in its own fresh kernel, from its own folder.
    timeout : float
        Seconds one cell may run before it is interrupted (and scored zero).
    kernel_name : str
        Jupyter kernel to run the notebooks with.
    startup_timeout : float
        Seconds a kernel may take to start.
    executed_dir : path, optional
        If given, each executed notebook (with the feedback its checks printed)
        is saved there under its file name, for the teacher or the student to read.

    Returns
    -------
    Report
        One :class:`NotebookReport` per path, in order.
    """
    if timeout <= 0:
        raise InputValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    if isinstance(paths, (str, Path)):
        paths = [paths]
    return Report([grade_notebook(p, timeout, kernel_name, startup_timeout, executed_dir)
                   for p in paths])


def grade_notebook(path: Path | str, timeout: float = 120, kernel_name: str = "python3",
                   startup_timeout: float = 60,
                   executed_dir: Path | str | None = None) -> NotebookReport:
    """Run one notebook headless and score its graded cells (see :func:`grade_notebooks`)."""
    path = Path(path)
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as error:  # any unreadable file is reported, not raised
        return NotebookReport(str(path), error=f"cannot read notebook: {_first_line(error)}")
    graded = [i for i, cell in enumerate(nb.cells) if _is_graded(cell)]
    try:
        troubles = _run(nb, path, timeout, kernel_name, startup_timeout)
    except Exception as error:  # kernel failed to start or died beyond repair
        scores = [_score(nb.cells[i], NOT_RUN, f"notebook did not run: {_first_line(error)}")
                  for i in graded]
        return NotebookReport(str(path), scores, error=f"{type(error).__name__}: {_first_line(error)}")
    if executed_dir is not None:
        Path(executed_dir).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, Path(executed_dir) / path.name)
    return NotebookReport(str(path), [_score_cell(nb.cells[i], troubles.get(i)) for i in graded])


def format_table(report: Report) -> str:
    """The report as a plain-text table: one row per exercise, totals at the end.

    Examples
    --------
    >>> r = Report([NotebookReport("a.ipynb", [ExerciseScore("ex1", 2, 2, "passed")])])
    >>> print(format_table(r))
    notebook  exercise  points  status
    a.ipynb   ex1        2 / 2  passed
    TOTAL                2 / 2
    """
    rows = [("notebook", "exercise", "points", "status")]
    names = [Path(nb.path).name for nb in report.notebooks]
    unique = len(set(names)) == len(names)  # otherwise show whole paths to tell them apart
    for nb in report.notebooks:
        name = Path(nb.path).name if unique else nb.path
        if nb.error and not nb.exercises:
            rows.append((name, "-", "0 / ?", f"error: {nb.error}"))
        for ex in nb.exercises:
            status = ex.status if ex.status == PASSED or not ex.message else f"{ex.status}: {ex.message}"
            rows.append((name, ex.grade_id, f"{_num(ex.points)} / {_num(ex.max_points)}", status))
    rows.append(("TOTAL", "", f"{_num(report.points)} / {_num(report.max_points)}", ""))
    widths = [max(len(row[c]) for row in rows) for c in range(3)]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1]), row[2].rjust(widths[2]), row[3]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def report_to_json(report: Report) -> str:
    """The report as JSON: per notebook its path, error, points and exercises.

    Examples
    --------
    >>> r = Report([NotebookReport("a.ipynb", [ExerciseScore("ex1", 0, 2, "failed", "NameError")])])
    >>> json.loads(report_to_json(r))["max_points"]
    2
    """
    notebooks = []
    for nb in report.notebooks:
        notebooks.append({"path": nb.path, "error": nb.error, "points": nb.points,
                          "max_points": nb.max_points,
                          "exercises": [asdict(e) for e in nb.exercises]})
    data = {"points": report.points, "max_points": report.max_points, "notebooks": notebooks}
    return json.dumps(data, indent=2)


# ------------------------------------------------------------ execution

def _run(nb: nbformat.NotebookNode, path: Path, timeout: float, kernel_name: str,
         startup_timeout: float) -> dict[int, str]:
    """Execute every code cell in place; return {cell index: trouble} for timeouts/deaths."""
    # On a timeout nbclient itself interrupts the kernel and hands back this
    # error as the cell's reply; letting it finish the cell this way (rather
    # than raising) also stops its output reader, which would otherwise keep
    # swallowing the outputs, and errors, of the cells that follow.
    client = NotebookClient(
        nb, timeout=math.ceil(timeout), startup_timeout=math.ceil(startup_timeout),
        kernel_name=kernel_name, allow_errors=True, interrupt_on_timeout=True,
        error_on_timeout={"ename": _TIMEOUT_ENAME, "evalue": "cell timed out", "traceback": []},
        resources={"metadata": {"path": str(path.resolve().parent)}})
    timed_out: set[int] = set()

    def note_timeout(cell, cell_index, execute_reply):
        if (execute_reply or {}).get("content", {}).get("ename") == _TIMEOUT_ENAME:
            timed_out.add(cell_index)

    client.on_cell_executed = note_timeout
    troubles: dict[int, str] = {}
    with client.setup_kernel(), _quiet_asyncio():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            try:
                client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
            except DeadKernelError:
                troubles[index] = "the kernel died while running this cell"
                _restart(client)
                continue
            if index in timed_out:
                troubles[index] = f"timed out after {_num(timeout)} s"
                if not _responds(client, timed_out):
                    _restart(client)
    return troubles


@contextlib.contextmanager
def _quiet_asyncio() -> Iterator[None]:
    """Hide asyncio's "Task exception was never retrieved" noise after a timeout.

    nbclient can leave an output-polling task behind when a cell times out; its
    harmless exception would otherwise print a traceback that looks like a crash.
    """
    logger = logging.getLogger("asyncio")
    saved = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        gc.collect()  # let abandoned tasks be collected while the logger is quiet
        logger.setLevel(saved)


def _responds(client: NotebookClient, timed_out: set[int]) -> bool:
    """Run a trivial cell on the interrupted kernel: does it answer in time?"""
    probe = nbformat.v4.new_code_cell("pass")
    cells, saved_timeout = client.nb.cells, client.timeout
    cells.append(probe)  # execute_cell stores the cell at its index, so give it one
    index = len(cells) - 1
    client.timeout = _PROBE_TIMEOUT
    try:
        client.execute_cell(probe, index)
        return index not in timed_out
    except DeadKernelError:
        return False
    finally:
        timed_out.discard(index)
        client.timeout = saved_timeout
        cells.pop()


def _restart(client: NotebookClient) -> None:
    # A brand-new kernel and client, exactly as at start-up: restarting the old
    # kernel in place proved unreliable when the old one was stuck.
    graceful = client.shutdown_kernel
    client.shutdown_kernel = "immediate"  # a stuck kernel would not answer a polite request
    client._cleanup_kernel()  # kills the kernel process and closes the channels
    client.shutdown_kernel = graceful
    client.km = client.create_kernel_manager()
    client.start_new_kernel()  # in the notebook's folder, from resources
    client.start_new_kernel_client()


# -------------------------------------------------------------- scoring

def _is_graded(cell: nbformat.NotebookNode) -> bool:
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def _score_cell(cell: nbformat.NotebookNode, trouble: str | None) -> ExerciseScore:
    if trouble is not None:
        return _score(cell, TIMEOUT if "timed out" in trouble else FAILED, trouble)
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if errors:
        error = errors[0]
        return _score(cell, FAILED, f"{error.get('ename')}: {_first_line(error.get('evalue', ''))}")
    if cell.get("execution_count") is None:
        return _score(cell, NOT_RUN, "the cell was not executed")
    return _score(cell, PASSED)


def _score(cell: nbformat.NotebookNode, status: str, message: str = "") -> ExerciseScore:
    meta = cell.metadata["nbgrader"]
    max_points = float(meta.get("points", 0) or 0)
    grade_id = str(meta.get("grade_id", "?"))
    return ExerciseScore(grade_id, max_points if status == PASSED else 0.0, max_points, status, message)


def _first_line(text: object, limit: int = 120) -> str:
    lines = str(text).strip().splitlines()
    line = lines[0] if lines else ""
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _num(x: float) -> str:
    return f"{x:g}"


__all__ = [
    "ExerciseScore",
    "NotebookReport",
    "Report",
    "grade_notebooks",
    "grade_notebook",
    "format_table",
    "report_to_json",
]
