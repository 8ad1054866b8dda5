"""Writing files so that a failure loses nothing and others can read what was written.

Two small rules shared by the weights files (``chapter2.saving``) and the
dataset downloads (``chapter2.datasets.download``):

* a file is written under a temporary name in the same folder and renamed
  over the target only when complete (``os.replace`` is atomic), so a crash,
  a full disk or Ctrl-C leaves the previous file intact and no temporary file
  behind;
* the finished file gets the permissions the user's umask gives new files
  (temporary files are created private, mode 0600).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable

__all__ = ["current_umask", "write_atomically", "give_umask_permissions"]


def current_umask() -> int:
    """The process's umask, read without changing it where the system allows.

    Examples
    --------
    >>> 0 <= current_umask() <= 0o777
    True
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere the only way to read it is to set it and put it back
    os.umask(mask)
    return mask


def give_umask_permissions(path: str | os.PathLike) -> None:
    """Set ``path``'s mode to what a new file gets under the current umask (``0o666 & ~umask``)."""
    os.chmod(path, 0o666 & ~current_umask())


def write_atomically(path: str | os.PathLike, write: Callable[[BinaryIO], None]) -> None:
    """Write ``path`` through ``write(stream)`` into a temporary file, then rename it into place.

    Examples
    --------
    >>> import os, tempfile
    >>> target = os.path.join(tempfile.mkdtemp(), "note.txt")
    >>> write_atomically(target, lambda stream: stream.write(b"hello"))
    >>> open(target, "rb").read(), sorted(os.listdir(os.path.dirname(target)))
    (b'hello', ['note.txt'])
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            write(stream)
        give_umask_permissions(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
