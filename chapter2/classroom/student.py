"""Make student versions of the instructor notebooks.

The notebooks in the repository are instructor versions in nbgrader's format:
each exercise's solution sits between ``### BEGIN SOLUTION`` and
``### END SOLUTION`` in a cell whose metadata says ``"solution": true``. The
student version replaces every solution with a placeholder that raises
``NotImplementedError`` (with a hint), deletes hidden tests, clears all
outputs and execution counts, and leaves everything else as it was, so
nbgrader users can also feed the instructor notebooks to nbgrader directly.

A marker is recognised as nbgrader recognises it (the rule lives in
:mod:`~chapter2.classroom.notebook_format`): any line that contains ``BEGIN
SOLUTION``, ``END SOLUTION``, ``BEGIN HIDDEN TESTS`` or ``END HIDDEN TESTS``,
so labelled markers such as ``### BEGIN SOLUTION (loop)`` and other comment
styles are stripped too. Unbalanced markers are refused, never guessed at.

Examples
--------
>>> import nbformat
>>> cell = nbformat.v4.new_code_cell(
...     "def double(x):\\n    ### BEGIN SOLUTION\\n    return 2 * x\\n    ### END SOLUTION")
>>> print(strip_solution(cell.source, hint="multiply by two"))
def double(x):
    # YOUR CODE HERE
    raise NotImplementedError("multiply by two")
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Sequence

import nbformat

from ..errors import InputValueError
from .notebook_format import (BEGIN_HIDDEN_TESTS, BEGIN_SOLUTION, END_HIDDEN_TESTS, END_SOLUTION,
                              has_region, is_marker)

#: Placeholder text for a markdown (written-answer) solution, as in nbgrader.
MARKDOWN_PLACEHOLDER = "YOUR ANSWER HERE"
DEFAULT_HINT = "write your solution here, then run the check cell below"
#: Optional cell metadata key holding the hint shown by the placeholder.
HINT_KEY = "chapter2_hint"


def strip_solution(source: str, hint: str = DEFAULT_HINT, markdown: bool = False) -> str:
    """Replace each ``BEGIN/END SOLUTION`` region of a cell's source by a placeholder.

    Parameters
    ----------
    source : str
        The cell's source text.
    hint : str
        Message of the ``NotImplementedError`` the code placeholder raises.
    markdown : bool
        Use nbgrader's markdown placeholder ("YOUR ANSWER HERE") instead.

    Returns
    -------
    str
        The source with every region replaced, indented like its BEGIN line.
        A source without markers is returned unchanged.

    Raises
    ------
    InputValueError
        If a BEGIN marker has no matching END marker or the other way round.
    """
    return _replace_regions(source, BEGIN_SOLUTION, END_SOLUTION,
                            lambda indent: _placeholder(indent, hint, markdown))


def strip_hidden_tests(source: str) -> str:
    """Delete ``BEGIN/END HIDDEN TESTS`` regions (kept only in the instructor version)."""
    return _replace_regions(source, BEGIN_HIDDEN_TESTS, END_HIDDEN_TESTS, lambda indent: [])


def make_student_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a student copy of an instructor notebook (the input is not modified).

    Solution cells get placeholders (a solution cell without markers is
    replaced whole, as nbgrader does), hidden tests are removed, and every
    code cell loses its outputs, execution count and recorded timings. Stored widget state in
    the notebook metadata is dropped too, since it is output.
    """
    student = copy.deepcopy(nb)
    student.metadata.pop("widgets", None)
    for cell in student.cells:
        _strip_cell(cell)
    return student


def student_cell(cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The student version of one instructor cell (a copy; see :func:`make_student_notebook`)."""
    student = copy.deepcopy(cell)
    _strip_cell(student)
    return student


def write_student_versions(src: Path | str | Sequence[Path | str], out_dir: Path | str) -> list[Path]:
    """Write the student version of each notebook into ``out_dir``.

    Parameters
    ----------
    src : path or list of paths
        A directory (every ``*.ipynb`` directly inside it, sorted by name) or
        a list of notebook files.
    out_dir : path
        Created if needed. Each student notebook keeps its file name.

    Returns
    -------
    list of Path
        The files written, in the order of the inputs.

    Raises
    ------
    InputValueError
        If there is no notebook to convert, a notebook cannot be read or its
        markers are unbalanced, ``out_dir`` is a file or a symbolic link, a
        target file is a symbolic link, or ``out_dir`` is the directory of an
        input (that would overwrite the instructor version with solutions
        removed). Every notebook is checked before the first one is written.

    Examples
    --------
    >>> write_student_versions("notebooks", "assignments")  # doctest: +SKIP
    [PosixPath('assignments/01_first_look.ipynb'), ...]
    """
    sources = _notebook_paths(src)
    out_dir = _output_folder(out_dir)
    for path in sources:
        if path.resolve().parent == out_dir.resolve():
            raise InputValueError(
                f"out_dir {str(out_dir)!r} is where {path.name} lives; writing the student "
                "version there would delete its solutions. Choose another directory.")
    students = [(path, _student_version(path)) for path in sources]  # every check before any write
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path, student in students:
        target = out_dir / path.name
        write_text_no_follow(nbformat.writes(student), target)
        written.append(target)
    return written


def _output_folder(out_dir: Path | str) -> Path:
    out_dir = Path(out_dir)
    if out_dir.is_symlink():
        raise InputValueError(f"out_dir {str(out_dir)!r} is a symbolic link; give the real folder "
                              "(student versions are never written through links).")
    if out_dir.exists() and not out_dir.is_dir():
        raise InputValueError(f"out_dir {str(out_dir)!r} is a file, not a folder; give a folder "
                              "for the student notebooks (it is created if missing).")
    return out_dir


def _student_version(path: Path) -> nbformat.NotebookNode:
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as error:  # not JSON, not a notebook, unreadable: say which file
        raise InputValueError(f"{path} is not a readable notebook: "
                              f"{type(error).__name__}: {str(error).splitlines()[0][:200]}") from None
    try:
        return make_student_notebook(nb)
    except InputValueError as error:
        raise InputValueError(f"{path}: {error}") from None


def write_text_no_follow(text: str, target: Path) -> None:
    """Write ``target`` through a temporary file and a rename: never through a link.

    Raises
    ------
    InputValueError
        If ``target`` is a symbolic link or exists and is not a regular file.
    """
    if target.is_symlink():
        raise InputValueError(f"{target} is a symbolic link; refusing to write through it "
                              "(remove the link, or choose another out_dir).")
    if target.exists() and not target.is_file():
        raise InputValueError(f"{target} exists and is not a file; remove it or choose another out_dir.")
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, target)  # replaces a name, never follows it
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _strip_cell(cell: nbformat.NotebookNode) -> None:
    meta = cell.metadata.get("nbgrader", {})
    is_code = cell.cell_type == "code"
    if meta.get("solution"):
        hint = cell.metadata.get(HINT_KEY, DEFAULT_HINT)
        if has_region(cell.source, BEGIN_SOLUTION, END_SOLUTION):
            cell.source = strip_solution(cell.source, hint, markdown=not is_code)
        else:
            cell.source = "\n".join(_placeholder("", hint, markdown=not is_code))
        _unfold(cell)
    elif has_region(cell.source, BEGIN_SOLUTION, END_SOLUTION):
        # Markers outside a solution cell are still solutions: never leak them.
        cell.source = strip_solution(cell.source, markdown=not is_code)
    if has_region(cell.source, BEGIN_HIDDEN_TESTS, END_HIDDEN_TESTS):
        cell.source = strip_hidden_tests(cell.source)
    if is_code:
        cell.outputs = []
        cell.execution_count = None
        cell.metadata.pop("execution", None)  # timings recorded by the last run


def _unfold(cell: nbformat.NotebookNode) -> None:
    """Show a solution cell's source again: the instructor notebooks fold it away from self-learners."""
    view = cell.metadata.get("jupyter")
    if isinstance(view, dict):
        view.pop("source_hidden", None)
        if not view:
            cell.metadata.pop("jupyter")


def _placeholder(indent: str, hint: str, markdown: bool) -> list[str]:
    if markdown:
        return [indent + MARKDOWN_PLACEHOLDER]
    # json.dumps writes a double-quoted literal that Python reads back unchanged.
    literal = json.dumps(hint, ensure_ascii=False)
    return [indent + "# YOUR CODE HERE", indent + f"raise NotImplementedError({literal})"]


def _replace_regions(source: str, begin: str, end: str, make) -> str:
    lines, out = source.split("\n"), []
    inside = False
    for number, line in enumerate(lines, start=1):
        if is_marker(line, begin):
            if inside:
                raise InputValueError(f"line {number}: {begin!r} inside another region")
            inside = True
            out.extend(make(re.match(r"\s*", line).group(0)))
        elif is_marker(line, end):
            if not inside:
                raise InputValueError(f"line {number}: {end!r} without a {begin!r} before it")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise InputValueError(f"{begin!r} is never closed by {end!r}")
    return "\n".join(out)


def _notebook_paths(src: Path | str | Sequence[Path | str]) -> list[Path]:
    if isinstance(src, (str, Path)):
        src = Path(src)
        paths = sorted(src.glob("*.ipynb")) if src.is_dir() else [src]
    else:
        paths = [Path(p) for p in src]
    if not paths:
        raise InputValueError(f"src {str(src)!r} holds no .ipynb notebooks to convert")
    for path in paths:
        if not path.is_file():
            raise InputValueError(f"notebook {str(path)!r} does not exist")
    return paths


__all__ = [
    "BEGIN_SOLUTION",
    "END_SOLUTION",
    "strip_solution",
    "strip_hidden_tests",
    "make_student_notebook",
    "student_cell",
    "write_student_versions",
    "write_text_no_follow",
]
