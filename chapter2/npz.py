"""Read NumPy ``.npz`` archives that nobody vouches for: headers first, then exactly the data.

Both untrusted files chapter2 reads, a dataset (``chapter2.datasets``) and a
weights file (``chapter2.saving``), go through here, so the same rules hold
for both:

* only a regular file is opened (never a FIFO or a device such as
  ``/dev/zero``, which would block or never end), and only if it is no larger
  than the caller allows;
* it must be a zip archive whose members are ``.npy`` arrays with distinct
  names (an archive holding both ``x.npy`` and ``x`` is refused, so what is
  checked is what is returned);
* each member's header (shape and dtype) is read and returned before any of
  its data, so the caller can refuse a wrong or absurdly large shape without
  allocating it, and pickled Python objects are never loaded;
* :func:`read_data` then reads exactly the bytes the header announced,
  checks the zip CRC, and refuses trailing bytes.

Every problem raises :class:`NpzProblem`, a ``ValueError`` whose message is a
short reason; the callers wrap it in their own error naming the file.

Examples
--------
>>> import io, tempfile, os
>>> file = os.path.join(tempfile.mkdtemp(), "a.npz")
>>> np.savez(file, x=np.arange(3, dtype=np.uint8))
>>> with open_archive(file, max_bytes=10_000) as archive:
...     member = members(archive)["x"]
...     header = read_header(archive, member)
...     read_data(archive, member, header)
array([0, 1, 2], dtype=uint8)
"""

from __future__ import annotations

import math
import os
import stat
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO, Iterator

import numpy as np
from numpy.lib import format as npy_format

__all__ = ["NpzProblem", "Header", "open_regular_file", "open_archive", "members", "read_header", "read_data",
           "kind_of"]

# Errors zipfile and NumPy raise for damaged bytes inside an archive member.
_DAMAGED = (ValueError, EOFError, zipfile.BadZipFile, zlib.error, OSError)
_HEADER_READERS = {
    (1, 0): npy_format.read_array_header_1_0,
    (2, 0): npy_format.read_array_header_2_0,
}
_NPY_MAGIC = b"\x93NUMPY"


class NpzProblem(ValueError):
    """An archive cannot be read safely; the message says why in a few words."""


@dataclass(frozen=True)
class Header:
    """What a member's ``.npy`` header announces."""

    shape: tuple[int, ...]
    dtype: np.dtype
    fortran_order: bool

    @property
    def nbytes(self) -> int:
        return math.prod(self.shape) * self.dtype.itemsize


def open_regular_file(path: str | os.PathLike, max_bytes: int) -> BinaryIO:
    """Open ``path`` for reading if it is a regular file of at most ``max_bytes``.

    The file is opened without blocking and checked through its descriptor,
    so a FIFO cannot hang the call and a file swapped in after a check is
    still checked.

    Raises
    ------
    FileNotFoundError, IsADirectoryError, PermissionError
        As ``open`` would.
    NpzProblem
        If it is not a regular file or is too large.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise NpzProblem(f"it is not a regular file but {_kind(info.st_mode)}")
        if info.st_size > max_bytes:
            raise NpzProblem(
                f"it holds {info.st_size:,} bytes, more than a valid file can ({max_bytes:,} bytes)")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


@contextmanager
def open_archive(path: str | os.PathLike, max_bytes: int) -> Iterator[zipfile.ZipFile]:
    """The zip archive at ``path`` (see :func:`open_regular_file`), closed when the block ends."""
    with open_regular_file(path, max_bytes) as stream:
        if stream.read(len(_NPY_MAGIC)) == _NPY_MAGIC:
            raise NpzProblem("it holds a single .npy array, not an .npz archive of named arrays")
        stream.seek(0)
        if not zipfile.is_zipfile(stream):
            raise NpzProblem("it is not an .npz archive: damaged, cut short, or another kind of file")
        stream.seek(0)
        try:
            archive = zipfile.ZipFile(stream)
        except _DAMAGED as error:
            raise NpzProblem(f"it is not a readable .npz archive ({error})") from None
        with archive:
            yield archive


def members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The archive's arrays by name (``"x"`` for the member ``x.npy``); refuses duplicates.

    Raises
    ------
    NpzProblem
        If two members give the same name (``x`` and ``x.npy``, or ``x.npy``
        twice).
    """
    found: dict[str, zipfile.ZipInfo] = {}
    for info in archive.infolist():
        _check_readable(info)
        key = info.filename[:-4] if info.filename.endswith(".npy") else info.filename
        if key in found:
            raise NpzProblem(
                f"it holds the array {key!r} twice ({found[key].filename!r} and {info.filename!r}); "
                "a valid file holds each array once")
        found[key] = info
    return found


# What zipfile can decompress; NumPy itself writes only the first two.
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate",
            zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "lzma"}


def _check_readable(info: zipfile.ZipInfo) -> None:
    """Refuse, before reading it, a member zipfile would fail on with a raw RuntimeError."""
    if info.flag_bits & 0x1:
        raise NpzProblem(f"its member {info.filename!r} is encrypted; NumPy never writes encrypted archives")
    if info.compress_type not in _METHODS:
        raise NpzProblem(
            f"its member {info.filename!r} is compressed with method {info.compress_type} "
            f"(9 is Deflate64), which cannot be read here; save it again with numpy.savez")


def read_header(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Header:
    """Shape, dtype and order announced by a member's ``.npy`` header, without its data."""
    try:
        with archive.open(member) as stream:
            version = npy_format.read_magic(stream)
            if version not in _HEADER_READERS:
                raise ValueError(f"unsupported .npy format version {version}")
            shape, fortran_order, dtype = _HEADER_READERS[version](stream)
    except _DAMAGED as error:
        raise NpzProblem(f"{member.filename!r} is not a valid .npy array ({error})") from None
    return Header(tuple(int(n) for n in shape), np.dtype(dtype), bool(fortran_order))


def read_data(archive: zipfile.ZipFile, member: zipfile.ZipInfo, header: Header) -> np.ndarray:
    """Exactly the array ``header`` announced, read from the same member; never unpickles.

    Raises
    ------
    NpzProblem
        If the dtype holds Python objects, the data is cut short, has bytes
        left over, or fails the zip CRC check.
    """
    if header.dtype.hasobject:
        raise NpzProblem(f"{member.filename!r} holds pickled Python objects, which are never loaded")
    try:
        with archive.open(member) as stream:
            version = npy_format.read_magic(stream)
            _HEADER_READERS[version](stream)
            data = _read_exactly(stream, header.nbytes)
            if stream.read(1):
                raise ValueError("bytes left over after the announced data")
    except _DAMAGED as error:
        raise NpzProblem(f"{member.filename!r} is damaged ({error})") from None
    array = np.frombuffer(data, dtype=header.dtype)
    if header.fortran_order:
        return np.ascontiguousarray(array.reshape(header.shape, order="F"))
    return array.reshape(header.shape)


def _read_exactly(stream: BinaryIO, count: int) -> bytearray:
    # Read into one writable buffer, so the array needs no second copy.
    buffer = bytearray(count)
    view, done = memoryview(buffer), 0
    while done < count:
        got = stream.readinto(view[done:done + (1 << 24)])
        if not got:
            raise ValueError(f"the data is cut short: {done:,} of {count:,} bytes")
        done += got
    return buffer


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "something other than a file"


def kind_of(path: str | os.PathLike) -> str | None:
    """None for a regular file (links followed), else a few words saying what ``path`` is.

    Examples
    --------
    >>> kind_of("/dev/null")
    'a device'
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "a broken link" if os.path.islink(path) else "missing"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    return _kind(mode)

