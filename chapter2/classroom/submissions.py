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

A submission is read only as a **regular file inside the folder it was
handed in** (the folder named on the command line, or a plain file's own
folder): zip, tar and git keep symbolic links, and a link followed by the
grader would read the instructor notebook, a classmate's work or a system
file. Each step below that folder is opened without following links
(``O_NOFOLLOW``), and the file must be a regular file that is not an
instructor notebook (a hard link); otherwise the submission's row says why
it was refused.

Examples
--------
>>> Submission("alice", "ps1", "03.ipynb", Path("submitted/alice/ps1/03.ipynb")).feedback_path(Path("fb"))
PosixPath('fb/alice/ps1/03.ipynb')
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from ..errors import InputValueError

#: Largest submitted notebook that is read (bytes).
MAX_NOTEBOOK_BYTES = 50 * 2 ** 20
#: Most cells a submitted notebook may have (the chapter's have at most about 100).
MAX_CELLS = 2000
#: Most JSON objects and lists a submitted notebook may have (the chapter's have under 1000).
#: Counted on the raw bytes before parsing: a notebook of 450,000 tiny cells is small on disk
#: but costs the parser over a gigabyte.
MAX_CONTAINERS = 200_000


@dataclass(frozen=True)
class Submission:
    """One submitted notebook and whose it is (``assignment`` is "" for plain files).

    ``root`` is the folder it was handed in (default: the file's own folder):
    no link at or below it is followed when the file is read.
    """

    student: str
    assignment: str
    notebook: str
    path: Path
    root: Path | None = None

    def feedback_path(self, folder: Path) -> Path:
        """Where this student's executed notebook goes: one file per student and notebook."""
        parts = [self.student] + ([self.assignment] if self.assignment else []) + [self.notebook]
        return folder.joinpath(*parts)

    def read(self, forbidden: Mapping[tuple[int, int], Path] | None = None) -> str:
        """The file's text, read as a regular file inside :attr:`root` (see the module docstring).

        Parameters
        ----------
        forbidden : dict, optional
            ``{(device, inode): path}`` of files a submission may not be (the
            instructor notebooks): a hard link to one is refused (the file
            itself, named by the teacher, is not).

        Raises
        ------
        InputValueError
            If the file is a link, below a linked folder, not a regular file,
            one of ``forbidden``, or larger than :data:`MAX_NOTEBOOK_BYTES`.
        """
        fd = _open_inside(self.root if self.root is not None else self.path.parent, self.path)
        with os.fdopen(fd, "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise _refused(self.path, "is not a regular file")
            twin = (forbidden or {}).get((info.st_dev, info.st_ino))
            if twin is not None and Path(os.path.realpath(self.path)) != twin:
                raise _refused(self.path, "is the same file as an instructor notebook (a hard link)")
            if info.st_size > MAX_NOTEBOOK_BYTES:
                raise InputValueError(f"cannot read notebook: {info.st_size / 2 ** 20:.0f} MiB is larger "
                                      f"than the {MAX_NOTEBOOK_BYTES // 2 ** 20} MiB a notebook may have")
            data = file.read(MAX_NOTEBOOK_BYTES + 1)  # the size may grow after fstat
        if len(data) > MAX_NOTEBOOK_BYTES:
            raise InputValueError("cannot read notebook: it grew while it was read")
        _check_counts(data)
        return data.decode("utf-8", errors="replace")


def _check_counts(data: bytes) -> None:
    """Refuse, before parsing, a notebook with too many cells or JSON containers.

    Counting bytes over-counts (a brace inside a string counts too), which can
    only refuse a notebook whose text is itself unusually full of them.
    """
    cells = data.count(b'"cell_type"')
    if cells > MAX_CELLS:
        raise InputValueError(f"cannot read notebook: about {cells} cells, more than the {MAX_CELLS} "
                              "a notebook may have")
    containers = data.count(b"{") + data.count(b"[")
    if containers > MAX_CONTAINERS:
        raise InputValueError(f"cannot read notebook: {containers} braces and brackets, more than "
                              f"the {MAX_CONTAINERS} a notebook may have")


def file_identity(path: Path) -> tuple[int, int]:
    """(device, inode) of ``path`` (followed): what a hard link to it shares."""
    info = os.stat(path)
    return info.st_dev, info.st_ino


_NO_LINKS = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC


def _open_inside(root: Path, path: Path) -> int:
    """A descriptor of ``path``, opened step by step from ``root`` without following any link."""
    parts = Path(os.path.relpath(path, root)).parts
    if not parts or ".." in parts:
        raise _refused(path, f"is not inside the folder it was handed in ({str(root)!r})")
    folder = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)  # the teacher's own argument
    try:
        for part in parts[:-1]:
            try:
                below = os.open(part, _NO_LINKS | os.O_DIRECTORY, dir_fd=folder)
            except OSError:
                raise _refused(path, f"is in {part!r}, a symbolic link or not a folder") from None
            os.close(folder)
            folder = below
        try:  # O_NONBLOCK: a FIFO must not block the grader
            return os.open(parts[-1], _NO_LINKS | os.O_NONBLOCK, dir_fd=folder)
        except OSError as error:
            why = "is a symbolic link" if os.path.islink(path) else f"cannot be opened ({error.strerror})"
            raise _refused(path, why) from None
    finally:
        os.close(folder)


def _refused(path: Path, why: str) -> InputValueError:
    return InputValueError(f"refused: {str(path)!r} {why}; a submission is read only as a regular "
                           "file inside the folder it was handed in")


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
        elif path.is_file() or path.is_symlink():  # a link gets a row that says it was refused
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
    found = [Submission(student.name, assignment.name, notebook.name, notebook, folder)
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
    # links are listed too (even dangling ones), so that their rows say they were refused
    return [p for p in entries if (p.is_file() or p.is_symlink()) and p.name.endswith(suffix)]


def _plain_files(files: list[Path]) -> list[Submission]:
    if not files:
        return []
    folders = [os.path.abspath(f.parent) for f in files]
    common = os.path.commonpath(folders)
    if all(folder == common for folder in folders):  # side by side: named by their stems
        return [Submission(f.stem, "", f.name, f) for f in files]
    # handed in below the common folder: a student's folder that is a link is refused
    return [Submission(os.path.relpath(folder, common), "", f.name, f, Path(common))
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


__all__ = ["MAX_NOTEBOOK_BYTES", "MAX_CELLS", "MAX_CONTAINERS", "Submission", "find_submissions", "find_instructor",
           "default_source", "file_identity"]
