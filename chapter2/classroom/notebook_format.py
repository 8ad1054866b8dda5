"""The rules of the notebook format, in one place: IPython lines, imports, answers, markers.

The grader (:mod:`~chapter2.classroom.restore`), the student versions
(:mod:`~chapter2.classroom.student`), the answer key and the tests all read
notebooks by these rules, so they can never disagree about what a cell holds.

* A code cell is Python once its IPython lines are blanked: a line magic
  (``%matplotlib inline``) or shell escape (``!ls``) at the start of a line
  holds no Python, and a cell magic (``%%time`` on the first line) makes the
  whole cell not Python.
* A line is a solution or hidden-test marker when it *contains* one of
  nbgrader's delimiters (``BEGIN SOLUTION``, ``END HIDDEN TESTS``, ...), as
  nbgrader decides; so ``### BEGIN SOLUTION (loop)`` and ``# END SOLUTION``
  are markers too.

Examples
--------
>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[
...     nbformat.v4.new_code_cell("%matplotlib inline\\nimport numpy as np\\nfrom chapter2 import layers")])
>>> [ast.unparse(s) for s in import_statements(nb)]
['import numpy as np', 'from chapter2 import layers']
>>> solution_text("def f(x):\\n    ### BEGIN SOLUTION (short)\\n    return x\\n    ### END SOLUTION")
'def f(x):\\n    return x'
"""

from __future__ import annotations

import ast
import re

import nbformat

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
BEGIN_HIDDEN_TESTS = "### BEGIN HIDDEN TESTS"
END_HIDDEN_TESTS = "### END HIDDEN TESTS"
#: What makes a line a marker: it contains one of these (nbgrader's delimiters).
DELIMITERS = {BEGIN_SOLUTION: "BEGIN SOLUTION", END_SOLUTION: "END SOLUTION",
              BEGIN_HIDDEN_TESTS: "BEGIN HIDDEN TESTS", END_HIDDEN_TESTS: "END HIDDEN TESTS"}
_IPYTHON_LINE = re.compile(r"\s*[%!]")


# ------------------------------------------------------------------ Python in a cell

def python_source(source: str) -> str:
    """A code cell's source with its IPython lines blanked (line numbers are kept).

    Examples
    --------
    >>> python_source("%matplotlib inline\\nx = 1")
    '\\nx = 1'
    >>> python_source("%%time\\nx = 1")
    ''
    """
    if source.lstrip().startswith("%%"):
        return ""  # a cell magic: the rest of the cell is its input, not Python
    return "\n".join("" if _IPYTHON_LINE.match(line) else line for line in source.split("\n"))


def parse_cell(source: str) -> ast.Module | None:
    """The syntax tree of a code cell's Python (see :func:`python_source`), or None if it is not Python."""
    try:
        return ast.parse(python_source(source))
    except (SyntaxError, ValueError):  # other IPython syntax (``x = !ls``), or a NUL byte
        return None


def import_statements(nb: nbformat.NotebookNode) -> list[ast.stmt]:
    """Every top-level ``import``/``from ... import`` of the notebook's code cells, in order."""
    statements: list[ast.stmt] = []
    for cell in nb.cells:
        tree = parse_cell(cell.source) if cell.cell_type == "code" else None
        if tree is not None:
            statements += [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    return statements


def bound_names(statement: ast.stmt) -> list[str]:
    """The names an import statement binds (``import a.b`` binds ``a``)."""
    return [(a.asname or a.name).split(".")[0] for a in statement.names if a.name != "*"]


# ------------------------------------------------------------------ nbgrader cells

def nbgrader(cell: nbformat.NotebookNode) -> dict:
    """A cell's nbgrader metadata ({} when it has none or it is malformed)."""
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) else {}


def is_solution(cell: nbformat.NotebookNode) -> bool:
    """Is this a cell the student writes in?"""
    return bool(nbgrader(cell).get("solution"))


def is_check(cell: nbformat.NotebookNode) -> bool:
    """Is this a graded (test) cell?"""
    return bool(nbgrader(cell).get("grade")) and not is_solution(cell)


def solution_names(nb: nbformat.NotebookNode) -> set[str]:
    """Names the solution cells define at top level: the student's answers."""
    names: set[str] = set()
    for cell in nb.cells:
        tree = parse_cell(cell.source) if cell.cell_type == "code" and is_solution(cell) else None
        for node in tree.body if tree is not None else []:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


# ------------------------------------------------------------------ markers

def is_marker(line: str, *markers: str) -> bool:
    """Does ``line`` contain one of ``markers`` (all four when none are given), as nbgrader reads it?"""
    return any(DELIMITERS[m] in line for m in markers or DELIMITERS)


def has_region(source: str, begin: str, end: str) -> bool:
    """Does ``source`` hold a ``begin`` or an ``end`` marker?"""
    return any(is_marker(line, begin, end) for line in source.split("\n"))


def hidden_lines(source: str) -> set[int]:
    """Numbers (from 1) of the lines of ``source`` that belong to a hidden-test region, markers included.

    Examples
    --------
    >>> sorted(hidden_lines("check(f)\\n### BEGIN HIDDEN TESTS\\nassert f(2) == 4\\n### END HIDDEN TESTS"))
    [2, 3, 4]
    """
    lines, inside = set(), False
    for number, line in enumerate(source.split("\n"), start=1):
        begins = is_marker(line, BEGIN_HIDDEN_TESTS)
        if begins or inside:
            lines.add(number)
        inside = (inside or begins) and not is_marker(line, END_HIDDEN_TESTS)
    return lines


def solution_text(source: str) -> str:
    """A solution cell's source without its BEGIN/END SOLUTION marker lines (the answer key's view)."""
    return "\n".join(line for line in source.split("\n") if not is_marker(line, BEGIN_SOLUTION, END_SOLUTION))


def solution_lines(source: str) -> list[str]:
    """The non-blank lines between BEGIN and END SOLUTION markers, stripped.

    Examples
    --------
    >>> solution_lines("def f(x):\\n    # BEGIN SOLUTION\\n    return x\\n    # END SOLUTION")
    ['return x']
    """
    lines, inside = [], False
    for line in source.split("\n"):
        if is_marker(line, BEGIN_SOLUTION, END_SOLUTION):
            inside = is_marker(line, BEGIN_SOLUTION)
        elif inside and line.strip():
            lines.append(line.strip())
    return lines


__all__ = ["BEGIN_SOLUTION", "END_SOLUTION", "BEGIN_HIDDEN_TESTS", "END_HIDDEN_TESTS", "DELIMITERS",
           "python_source", "parse_cell", "import_statements", "bound_names", "nbgrader", "is_solution",
           "is_check", "solution_names", "is_marker", "has_region", "hidden_lines", "solution_text",
           "solution_lines"]
