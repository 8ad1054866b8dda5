"""The teacher's copy is the truth: rebuild a submission around the instructor's check cells.

As nbgrader's autograde does, nothing that decides a score is read from the
submitted file. The instructor notebook gives the check cells, their points
and grade ids, the read-only cells, and the imports the checks need; from the
submission only the cell types and sources are kept, in the student's order.
Every check or read-only cell is replaced by the instructor's as it was handed
out (or put back where it belongs if it was deleted), and whatever was
changed is reported, e.g. ``"modified check cell ex-relu restored"``. The
notebook that runs, and returns to the student as feedback, holds the cells
of the handout, so a check's hidden tests never leave the grader: they run
there, in :mod:`~chapter2.classroom.judge`, from :attr:`Check.source`.

Examples
--------
>>> import nbformat
>>> from chapter2.classroom.authoring import check_cell, solution_cell
>>> teacher = nbformat.v4.new_notebook(cells=[
...     solution_cell("def f(x):\\n    ### BEGIN SOLUTION\\n    return x\\n    ### END SOLUTION", "f"),
...     check_cell("assert f(2) == 2", "f-check", points=1)])
>>> source = instructor_from_notebook(teacher, "demo.ipynb")
>>> student = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("def f(x): return x"),
...                                           nbformat.v4.new_code_cell("print('no check here')")])
>>> student.cells[1].metadata["nbgrader"] = {"grade": True, "grade_id": "f-check", "points": 1000}
>>> restored = restore(read_submission(nbformat.writes(student)), source)
>>> restored.notes
['modified check cell f-check restored', 'solution cell f is missing']
>>> [c.grade_id for c in restored.checks], restored.checks[0].points
(['f-check'], 1.0)
"""

from __future__ import annotations

import ast
import builtins
import copy
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_raw_cell

from ..errors import InputValueError
from .notebook_format import bound_names, import_statements, solution_names
from .student import make_student_notebook


class NoGradedCells(InputValueError):
    """An instructor notebook without exercises (such as ``00_start_here``): nothing to grade."""


@dataclass(frozen=True)
class Check:
    """One graded cell of the instructor notebook, and where it sits in the notebook to run.

    ``remote_names`` are the names the check reads from the student's kernel
    (the student's answers); every other name comes from ``imports``.
    """

    grade_id: str
    points: float
    source: str
    index: int = -1
    remote_names: tuple[str, ...] = ()


@dataclass
class Instructor:
    """An instructor notebook, checked once before any grading."""

    name: str
    notebook: nbformat.NotebookNode
    checks: list[Check]
    imports: str
    protected: dict[str, int] = field(default_factory=dict)  # grade_id -> cell index
    solutions: dict[str, int] = field(default_factory=dict)
    #: The student version (what ``assignments`` hands out): its cells are what a submission
    #: should hold, and what goes back to the student (never a hidden test or a solution).
    handout: nbformat.NotebookNode = field(default_factory=nbformat.v4.new_notebook)

    @property
    def max_points(self) -> float:
        return sum(c.points for c in self.checks)


@dataclass
class Restored:
    """A submission rebuilt for grading: the notebook to run, its checks, and what was restored."""

    notebook: nbformat.NotebookNode
    checks: list[Check]
    notes: list[str]


# ------------------------------------------------------------- the instructor

def load_instructor(path: Path | str) -> Instructor:
    """Read and check an instructor notebook (clear errors for the teacher, before any work)."""
    path = Path(path)
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as error:  # the teacher's file: say which and why
        raise InputValueError(f"instructor notebook {path} cannot be read: "
                              f"{type(error).__name__}: {str(error).splitlines()[0][:200]}") from None
    return instructor_from_notebook(nb, path.name)


def instructor_from_notebook(nb: nbformat.NotebookNode, name: str) -> Instructor:
    """Index an instructor notebook's graded, read-only and solution cells (see :func:`load_instructor`)."""
    checks, protected, solutions = [], {}, {}
    for index, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader")
        if meta is None:
            continue
        grade_id = _instructor_id(meta, name, index)
        if grade_id in protected or grade_id in solutions:
            raise InputValueError(f"instructor notebook {name}: grade_id {grade_id!r} is used twice")
        if meta.get("solution"):
            solutions[grade_id] = index
            continue
        if meta.get("grade"):
            if cell.cell_type != "code":
                raise InputValueError(f"instructor notebook {name}: graded cell {grade_id!r} is "
                                      "not a code cell (manually graded cells are not supported)")
            checks.append(Check(grade_id, _instructor_points(meta, name, grade_id), cell.source))
            protected[grade_id] = index
        elif meta.get("locked"):
            protected[grade_id] = index
    if not checks:
        raise NoGradedCells(f"instructor notebook {name} has no graded cells "
                              "(nbgrader metadata \"grade\": true, \"solution\": false)")
    checks, imports = _with_names(nb, checks, name)
    try:
        handout = make_student_notebook(nb)
    except InputValueError as error:
        raise InputValueError(f"instructor notebook {name}: {error}") from None
    return Instructor(name, nb, checks, imports, protected, solutions, handout)


def _instructor_id(meta: Any, name: str, index: int) -> str:
    grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
    if not isinstance(grade_id, str) or not grade_id or not grade_id.isprintable():
        raise InputValueError(f"instructor notebook {name}: cell {index} has nbgrader metadata "
                              "without a printable grade_id")
    return grade_id


def _instructor_points(meta: dict, name: str, grade_id: str) -> float:
    points = meta.get("points", 0)
    if isinstance(points, bool) or not isinstance(points, (int, float)) \
            or not math.isfinite(points) or points < 0:
        raise InputValueError(f"instructor notebook {name}: check {grade_id!r} has points "
                              f"{points!r}; points must be a finite number >= 0")
    return float(points)


def _with_names(nb: nbformat.NotebookNode, checks: list[Check],
                name: str) -> tuple[list[Check], str]:
    """Split each check's free names into imports (from the instructor) and the student's answers."""
    statements = import_statements(nb)
    answers = solution_names(nb)  # what the student defines is never taken from an import
    bound = {alias: stmt for stmt in statements for alias in bound_names(stmt) if alias not in answers}
    needed, result = [], []
    for check in checks:
        try:
            free = _free_names(check.source)
        except SyntaxError as error:
            raise InputValueError(f"instructor notebook {name}: check {check.grade_id!r} is not "
                                  f"valid Python: {error.msg} (line {error.lineno})") from None
        for n in free:
            if n in bound and bound[n] not in needed:
                needed.append(bound[n])
        remote = tuple(n for n in free if n not in bound and not hasattr(builtins, n))
        result.append(Check(check.grade_id, check.points, check.source, remote_names=remote))
    return result, "\n".join(ast.unparse(stmt) for stmt in needed)


def _free_names(source: str) -> list[str]:
    """Names a cell reads without binding them itself, in order of first use."""
    tree = ast.parse(source)
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update(bound_names(node))
    loads = [n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]
    return list(dict.fromkeys(n for n in loads if n not in bound))


# ------------------------------------------------------------- the submission

def read_submission(text: str) -> nbformat.NotebookNode:
    """Parse a submitted notebook, keeping only what grading may use: cell types and sources.

    Raises
    ------
    InputValueError
        If the text is not a notebook at all (the submission is then reported, not graded).
    """
    try:
        raw = nbformat.reads(text, as_version=4)
    except Exception as error:  # any malformed file is this student's problem only
        raise InputValueError(f"cannot read notebook: {type(error).__name__}: "
                              f"{str(error).splitlines()[0][:120] if str(error) else ''}") from None
    cells = raw.get("cells") if isinstance(raw, dict) else None
    if not isinstance(cells, list):
        raise InputValueError("cannot read notebook: it has no list of cells")
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for cell in cells:
        if isinstance(cell, dict):
            nb.cells.append(_clean_cell(cell))
    return nb


def _clean_cell(cell: dict) -> nbformat.NotebookNode:
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(s for s in source if isinstance(s, str))
    if not isinstance(source, str):
        source = ""
    make = {"markdown": new_markdown_cell, "raw": new_raw_cell}.get(cell.get("cell_type"), new_code_cell)
    clean = make(source)
    meta = cell.get("metadata")
    claimed = meta.get("nbgrader") if isinstance(meta, dict) else None
    if claimed is not None:
        # Kept aside only to find the student's cells and report changes; never trusted.
        clean.metadata["claimed_nbgrader"] = copy.deepcopy(claimed) if isinstance(claimed, dict) \
            else {"malformed": True}
    return clean


def restore(submission: nbformat.NotebookNode, instructor: Instructor) -> Restored:
    """Rebuild ``submission`` (from :func:`read_submission`) around the instructor's cells."""
    out: list[nbformat.NotebookNode] = []
    placed: dict[int, int] = {}  # instructor cell index -> position in out
    notes: list[str] = []
    teacher = instructor.handout.cells  # the student's view: hidden tests stay with the teacher
    for number, cell in enumerate(submission.cells, start=1):
        claimed = cell.metadata.pop("claimed_nbgrader", None)
        grade_id = _claimed_id(claimed)
        if claimed is not None and grade_id is None:
            notes.append(f"cell {number} has malformed nbgrader metadata: ignored")
        index = instructor.protected.get(grade_id, instructor.solutions.get(grade_id))
        if index is not None and index in placed:
            notes.append(f"cell {number} repeats grade_id {grade_id!r}: run as an ordinary cell")
            index = None
        if index is None:
            if isinstance(claimed, dict) and claimed.get("grade") and grade_id is not None:
                notes.append(f"cell {number} claims to be graded as {grade_id!r}, which the "
                             "instructor's notebook does not have: not graded")
            out.append(cell)
            continue
        placed[index] = len(out)
        if grade_id in instructor.protected:
            original = teacher[index]
            if cell.source != original.source or claimed != original.metadata.get("nbgrader"):
                notes.append(f"modified {_kind(original)} {grade_id} restored")
            out.append(_fresh_copy(original))
        else:
            cell.metadata["nbgrader"] = copy.deepcopy(teacher[index].metadata["nbgrader"])
            out.append(cell)
    for grade_id, index in instructor.protected.items():
        if index not in placed:
            notes.append(f"{_kind(teacher[index])} {grade_id} was missing: restored")
            position = _insert_position(index, placed, len(out))
            out.insert(position, _fresh_copy(teacher[index]))
            placed = {i: p + (p >= position) for i, p in placed.items()}
            placed[index] = position
    for grade_id, index in instructor.solutions.items():
        if index not in placed:
            notes.append(f"solution cell {grade_id} is missing")
    nb = new_notebook(cells=out, metadata=copy.deepcopy(submission.metadata))
    checks = [Check(c.grade_id, c.points, c.source, placed[instructor.protected[c.grade_id]],
                    c.remote_names) for c in instructor.checks]
    return Restored(nb, checks, notes)


def _claimed_id(claimed: Any) -> str | None:
    grade_id = claimed.get("grade_id") if isinstance(claimed, dict) else None
    return grade_id if isinstance(grade_id, str) else None


def _kind(cell: nbformat.NotebookNode) -> str:
    return "check cell" if cell.metadata["nbgrader"].get("grade") else "read-only cell"


def _fresh_copy(cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    make = {"markdown": new_markdown_cell, "raw": new_raw_cell}.get(cell.cell_type, new_code_cell)
    fresh = make(cell.source)
    fresh.metadata["nbgrader"] = copy.deepcopy(cell.metadata["nbgrader"])
    return fresh


def _insert_position(index: int, placed: dict[int, int], end: int) -> int:
    """Right after the nearest earlier instructor cell the submission kept (else before a later one)."""
    earlier = [position for i, position in placed.items() if i < index]
    if earlier:
        return max(earlier) + 1
    later = [position for i, position in placed.items() if i > index]
    return min(later) if later else end


__all__ = ["Check", "NoGradedCells", "Instructor", "Restored", "load_instructor", "instructor_from_notebook",
           "read_submission", "restore"]
