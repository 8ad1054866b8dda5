"""The results of a grading run: score table, JSON report and gradebook CSV.

Every string that a submission could have influenced (a student's folder
name, a message quoting what the student's code raised) goes through
:func:`clean_text` first: control characters, ANSI escape codes, line breaks
and invisible formatting characters are shown as escapes, so a submission
can neither add rows to the table nor send commands to the teacher's
terminal. Gradebook cells that a spreadsheet would run as a formula are
quoted.

Examples
--------
>>> clean_text("ok\\n\\x1b[2J")
'ok\\\\n\\\\x1b[2J'
>>> r = Report([NotebookReport("a.ipynb", "a", "", "a.ipynb",
...                            [ExerciseScore("ex1", 2, 2, "passed")])])
>>> print(format_table(r))
student  notebook  exercise  points  status
a        a.ipynb   ex1        2 / 2  passed
TOTAL                         2 / 2
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field

from .protocol import PASSED


@dataclass(frozen=True)
class ExerciseScore:
    """The score of one check."""

    grade_id: str
    points: float
    max_points: float
    status: str  # one of protocol.STATUSES
    message: str = ""


@dataclass
class NotebookReport:
    """The scores of one submission, what was restored in it, or why it could not be graded."""

    path: str
    student: str
    assignment: str
    notebook: str
    exercises: list[ExerciseScore] = field(default_factory=list)
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    seconds: float | None = None  # wall time of its grading
    worker: str | None = None  # "host:pid" of the process that graded it

    @property
    def points(self) -> float:
        return sum(e.points for e in self.exercises)

    @property
    def max_points(self) -> float:
        return sum(e.max_points for e in self.exercises)


@dataclass
class Report:
    """Every submission graded in one run, and the isolation they were graded with."""

    notebooks: list[NotebookReport] = field(default_factory=list)
    sandbox: str = "bubblewrap"

    @property
    def points(self) -> float:
        return sum(n.points for n in self.notebooks)

    @property
    def max_points(self) -> float:
        return sum(n.max_points for n in self.notebooks)

    @property
    def failures(self) -> list[NotebookReport]:
        """Submissions that could not be graded (their checks scored zero)."""
        return [n for n in self.notebooks if n.error]


def clean_text(text: object, limit: int = 300) -> str:
    """``text`` on one line, with every non-printable character escaped, at most ``limit`` long."""
    out = []
    for char in str(text):
        if char.isprintable():
            out.append(char)
        elif char == "\n":
            out.append("\\n")
        elif ord(char) < 0x100:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(f"\\u{ord(char):04x}")
    line = "".join(out)
    return line if len(line) <= limit else line[: limit - 3] + "..."


def format_table(report: Report) -> str:
    """The report as a plain-text table: one row per exercise, totals at the end."""
    rows = [("student", "notebook", "exercise", "points", "status")]
    for nb in report.notebooks:
        student = clean_text(nb.student, 60)
        name = clean_text(f"{nb.assignment}/{nb.notebook}" if nb.assignment else nb.notebook, 80)
        if nb.error:
            rows.append((student, name, "-", f"0 / {_num(nb.max_points) if nb.exercises else '?'}",
                         "error: " + clean_text(nb.error)))
        for ex in nb.exercises:
            status = ex.status if ex.status == PASSED or not ex.message else f"{ex.status}: {ex.message}"
            rows.append((student, name, clean_text(ex.grade_id, 60),
                         f"{_num(ex.points)} / {_num(ex.max_points)}", clean_text(status)))
        for note in nb.notes:
            rows.append((student, name, "-", "", "note: " + clean_text(note)))
    rows.append(("TOTAL", "", "", f"{_num(report.points)} / {_num(report.max_points)}", ""))
    widths = [max(len(row[c]) for row in rows) for c in range(4)]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1]), row[2].ljust(widths[2]),
                 row[3].rjust(widths[3]), row[4]]
        lines.append("  ".join(cells).rstrip())
    if report.sandbox != "bubblewrap":
        lines.append("WARNING: graded without a sandbox (--no-sandbox); see the README")
    return "\n".join(lines)


def report_to_json(report: Report) -> str:
    """The report as JSON (ASCII only: every non-ASCII character is escaped).

    Examples
    --------
    >>> r = Report([NotebookReport("a.ipynb", "a", "", "a.ipynb",
    ...                            [ExerciseScore("ex1", 0, 2, "failed", "NameError")])])
    >>> json.loads(report_to_json(r))["max_points"]
    2
    """
    notebooks = [{"path": nb.path, "student": nb.student, "assignment": nb.assignment,
                  "notebook": nb.notebook, "error": nb.error, "notes": nb.notes,
                  "points": nb.points, "max_points": nb.max_points, "seconds": nb.seconds, "worker": nb.worker,
                  "exercises": [asdict(e) for e in nb.exercises]} for nb in report.notebooks]
    data = {"sandbox": report.sandbox, "points": report.points, "max_points": report.max_points,
            "ungraded": len(report.failures), "notebooks": notebooks}
    return json.dumps(data, indent=2, ensure_ascii=True)


def gradebook_csv(report: Report) -> str:
    """One row per student, one column per exercise (``assignment/notebook:grade_id``), then totals.

    Examples
    --------
    >>> r = Report([NotebookReport("a.ipynb", "=cmd()", "", "n.ipynb",
    ...                            [ExerciseScore("ex1", 1, 2, "passed")])])
    >>> print(gradebook_csv(r).strip())
    student,n.ipynb:ex1,total,max_total,ungraded
    '=cmd(),1,1,2,0
    """
    columns: dict[str, None] = {}
    students: dict[str, dict] = {}
    for nb in report.notebooks:
        prefix = f"{nb.assignment}/{nb.notebook}" if nb.assignment else nb.notebook
        row = students.setdefault(nb.student, {"scores": {}, "total": 0.0, "max": 0.0, "ungraded": 0})
        for ex in nb.exercises:
            column = f"{prefix}:{ex.grade_id}"
            columns[column] = None
            row["scores"][column] = ex.points
        row["total"] += nb.points
        row["max"] += nb.max_points
        row["ungraded"] += bool(nb.error)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student", *[_cell(c) for c in columns], "total", "max_total", "ungraded"])
    for student, row in students.items():
        scores = [_num(row["scores"][c]) if c in row["scores"] else "" for c in columns]
        writer.writerow([_cell(student), *scores, _num(row["total"]), _num(row["max"]), row["ungraded"]])
    return out.getvalue()


def _cell(text: str) -> str:
    text = clean_text(text, 200)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _num(x: float) -> str:
    return f"{x:g}"


__all__ = ["ExerciseScore", "NotebookReport", "Report", "clean_text", "format_table",
           "report_to_json", "gradebook_csv"]
