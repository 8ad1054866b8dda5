"""Which files are submissions, whose they are, and which instructor notebook grades each.

Two layouts are accepted, and may be mixed on one command line:

* **nbgrader's**: a folder argument is read as nbgrader's ``submitted/``
  folder, ``DIR/<student>/<assignment>/<notebook>.ipynb`` (what ``nbgrader
  collect`` or the exchange leaves behind);
* **plain files**: ``alice/03.ipynb bob/03.ipynb`` are the submissions of
  ``alice`` and ``bob`` (the folders that tell them apart), and files side by
  side in one folder, ``handin/alice.ipynb handin/bob.ipynb``, are named by
  their stems.

Each submission is graded against the instructor notebook of the same file
name in the source folder (``source/<assignment>/<notebook>.ipynb`` in an
nbgrader course, else ``source/<notebook>.ipynb``), or against the one
instructor notebook when the source is a file.

Examples
--------
>>> Submission("alice", "ps1", "03.ipynb", Path("submitted/alice/ps1/03.ipynb")).feedback_path(Path("fb"))
PosixPath('fb/alice/ps1/03.ipynb')
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..errors import InputValueError

#: Largest submitted notebook that is read (bytes).
MAX_NOTEBOOK_BYTES = 50 * 2 ** 20


@dataclass(frozen=True)
class Submission:
    """One submitted notebook and whose it is (``assignment`` is "" for plain files)."""

    student: str
    assignment: str
    notebook: str
    path: Path

    def feedback_path(self, folder: Path) -> Path:
        """Where this student's executed notebook goes: one file per student and notebook."""
        parts = [self.student] + ([self.assignment] if self.assignment else []) + [self.notebook]
        return folder.joinpath(*parts)

    def read(self) -> str:
        """The file's text, refusing files larger than :data:`MAX_NOTEBOOK_BYTES`."""
        size = self.path.stat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            raise InputValueError(f"cannot read notebook: {size / 2 ** 20:.0f} MiB is larger than "
                                  f"the {MAX_NOTEBOOK_BYTES // 2 ** 20} MiB a notebook may have")
        return self.path.read_bytes().decode("utf-8", errors="replace")


def find_submissions(paths: Sequence[Path | str]) -> list[Submission]:
    """Every submission named by ``paths`` (files, or nbgrader ``submitted/`` folders), in order.

    Raises
    ------
    InputValueError
        If a path does not exist, a folder holds no submission in nbgrader's
        layout, or two submissions would be the same student's same notebook.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    found, files = [], []
    for path in map(Path, paths):
        if path.is_dir():
            found += _nbgrader_layout(path)
        elif path.is_file():
            files.append(path)
        else:
            raise InputValueError(f"submission {str(path)!r} does not exist")
    found += _plain_files(files)
    if not found:
        raise InputValueError("there is no submission to grade")
    seen: dict[tuple[str, str, str], Path] = {}
    for sub in found:
        key = (sub.student, sub.assignment, sub.notebook)
        if key in seen:
            # repr: a file name from a student is shown escaped, never sent raw to a terminal
            raise InputValueError(f"{str(seen[key])!r} and {str(sub.path)!r} would both be "
                                  f"{sub.student!r}'s {sub.notebook!r}; give each student's files "
                                  "their own folder")
        seen[key] = sub.path
    return found


def _nbgrader_layout(folder: Path) -> list[Submission]:
    found = [Submission(student.name, assignment.name, notebook.name, notebook)
             for student in _entries(folder) for assignment in _entries(student)
             for notebook in _entries(assignment, suffix=".ipynb")]
    if not found:
        raise InputValueError(f"folder {str(folder)!r} holds no submissions in nbgrader's layout "
                              "<student>/<assignment>/<notebook>.ipynb; to grade plain files, name "
                              "them (e.g. handin/*.ipynb)")
    return found


def _entries(folder: Path, suffix: str | None = None) -> list[Path]:
    """Sub-folders (or ``suffix`` files) of ``folder`` by name, hidden ones left out.

    Listed explicitly rather than globbed, so that no file name, however
    strange (a newline, an escape code), is missed.
    """
    if not folder.is_dir():
        return []
    entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    if suffix is None:
        return [p for p in entries if p.is_dir()]
    return [p for p in entries if p.is_file() and p.name.endswith(suffix)]


def _plain_files(files: list[Path]) -> list[Submission]:
    if not files:
        return []
    folders = [os.path.abspath(f.parent) for f in files]
    common = os.path.commonpath(folders)
    if all(folder == common for folder in folders):  # side by side: named by their stems
        return [Submission(f.stem, "", f.name, f) for f in files]
    return [Submission(os.path.relpath(folder, common), "", f.name, f)
            for f, folder in zip(files, folders)]


def find_instructor(source: Path, submission: Submission) -> Path | None:
    """The instructor notebook that grades ``submission`` (see the module docstring), or None."""
    if source.is_file():
        return source
    candidates = [source / submission.notebook]
    if submission.assignment:
        candidates.insert(0, source / submission.assignment / submission.notebook)
    return next((c for c in candidates if c.is_file()), None)


def default_source() -> Path:
    """The project's instructor notebooks, when chapter2 runs from a source checkout.

    The notebooks hold the solutions, so they are deliberately not installed
    with the package (students install it too). After a non-editable install
    there is no default, and the error says to pass ``--source``.
    """
    folder = Path(__file__).resolve().parents[2] / "notebooks"
    if folder.is_dir() and any(folder.glob("*.ipynb")):
        return folder
    raise InputValueError(
        "no instructor notebooks found: this chapter2 is installed without them (they hold the "
        "solutions, so they are not part of the package). Pass --source DIR, the folder of "
        "instructor notebooks (for example the notebooks/ folder of a chapter2 checkout).")


__all__ = ["MAX_NOTEBOOK_BYTES", "Submission", "find_submissions", "find_instructor",
           "default_source"]
