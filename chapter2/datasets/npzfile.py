"""Read a dataset stored as a NumPy ``.npz`` archive, and check every array.

A dataset file arrives from places chapter2 does not control (a download, a
colleague's copy, a folder named in an environment variable), so nothing in it
is trusted until checked: the file must be an ``.npz`` archive, hold the
expected arrays with the expected shapes and dtypes, never contain pickled
Python objects (which could run code when loaded), keep labels inside their
class range, and, when digests are known, hold exactly the published content.
Every failure raises :class:`chapter2.errors.DatasetError` naming the file.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import numpy as np
from numpy.lib import format as npy_format

from chapter2.errors import DatasetError

__all__ = ["NpzLayout", "read_npz", "array_sha256"]

# Errors NumPy and zipfile raise for damaged bytes inside an archive member.
_DAMAGED = (ValueError, EOFError, zipfile.BadZipFile, zlib.error)


@dataclass(frozen=True)
class NpzLayout:
    """What a valid archive holds.

    Parameters
    ----------
    shapes : mapping of str to tuple of int
        Name and exact shape of every array the archive must hold.
    label_keys : tuple of str
        The arrays holding class labels; their values must lie in
        ``0 .. num_classes - 1``.
    num_classes : int
        Number of classes the labels may take.
    dtype : str
        The dtype every array must have.
    sha256 : mapping of str to str, optional
        SHA-256 hex digest of each array's raw bytes (``array.tobytes()``);
        when given, the content must match exactly.

    Examples
    --------
    >>> layout = NpzLayout({"x": (2, 3), "y": (2,)}, label_keys=("y",), num_classes=3)
    >>> layout.keys
    ('x', 'y')
    """

    shapes: Mapping[str, tuple[int, ...]]
    label_keys: tuple[str, ...] = ()
    num_classes: int = 10
    dtype: str = "uint8"
    sha256: Mapping[str, str] | None = field(default=None)

    @property
    def keys(self) -> tuple[str, ...]:
        """Names of the arrays, in the order they are returned."""
        return tuple(self.shapes)


def array_sha256(array: np.ndarray) -> str:
    """SHA-256 hex digest of an array's raw bytes in C order.

    Examples
    --------
    >>> array_sha256(np.zeros(3, dtype=np.uint8))[:12]
    '709e80c88487'
    """
    # Hashing the array's own buffer, not a bytes copy of it: no second 47 MB
    # for the MNIST training images.
    return hashlib.sha256(np.ascontiguousarray(array).reshape(-1).view(np.uint8)).hexdigest()


def read_npz(path: str | Path, layout: NpzLayout) -> dict[str, np.ndarray]:
    """Load and validate every array of an ``.npz`` archive.

    The file is opened with ``allow_pickle=False`` and each array's header is
    read before its data, so an archive holding Python objects is refused
    without ever being unpickled.

    Parameters
    ----------
    path : str or Path
        The ``.npz`` file.
    layout : NpzLayout
        The arrays the file must hold.

    Returns
    -------
    arrays : dict of str to ndarray
        One array per name in ``layout.keys``, with the shapes of
        ``layout.shapes``.

    Raises
    ------
    chapter2.errors.DatasetError
        If the file cannot be read or does not match ``layout``.

    Examples
    --------
    >>> import tempfile, os
    >>> file = os.path.join(tempfile.mkdtemp(), "tiny.npz")
    >>> np.savez(file, x=np.zeros((2, 3), np.uint8), y=np.array([0, 2], np.uint8))
    >>> layout = NpzLayout({"x": (2, 3), "y": (2,)}, label_keys=("y",), num_classes=3)
    >>> {k: v.shape for k, v in read_npz(file, layout).items()}
    {'x': (2, 3), 'y': (2,)}
    """
    path = Path(path)
    with _open_npz(path) as npz:
        _check_keys(path, npz, layout)
        arrays = {key: _read_array(path, npz, key, layout) for key in layout.keys}
    for key in layout.label_keys:
        _check_labels(path, key, arrays[key], layout.num_classes)
    if layout.sha256 is not None:
        _check_digests(path, arrays, layout.sha256)
    return arrays


def _open_npz(path: Path) -> np.lib.npyio.NpzFile:
    try:
        loaded = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise DatasetError(f"Dataset file {path} does not exist.") from None
    except IsADirectoryError:
        raise DatasetError(f"{path} is a folder; expected an .npz file.") from None
    except OSError as error:
        raise DatasetError(
            f"Cannot read dataset file {path}: {error.strerror or error}. "
            "Check that the file exists and that you may read it."
        ) from error
    except _DAMAGED as error:
        # Without the zip signature NumPy falls back to pickle and refuses it,
        # so a text file, a raw pickle or a cut-off download all end up here.
        raise DatasetError(
            f"{path} is not a readable .npz archive ({error}). The file is "
            "damaged or is another kind of file; delete it or replace it with "
            "a fresh copy."
        ) from error
    if not isinstance(loaded, np.lib.npyio.NpzFile):
        raise DatasetError(
            f"{path} holds a single .npy array, not an .npz archive of named "
            "arrays; replace it with the dataset's .npz file."
        )
    return loaded


def _check_keys(path: Path, npz: np.lib.npyio.NpzFile, layout: NpzLayout) -> None:
    missing = [key for key in layout.keys if key not in npz.files]
    if missing:
        raise DatasetError(
            f"{path} is missing the arrays {missing}; it holds {sorted(npz.files)} "
            f"but a valid file holds {list(layout.keys)}. Replace it with the "
            "dataset's .npz file."
        )


def _read_array(
    path: Path, npz: np.lib.npyio.NpzFile, key: str, layout: NpzLayout
) -> np.ndarray:
    shape, dtype = _peek_header(path, npz, key)
    if dtype.hasobject:
        raise DatasetError(
            f"{path}: array {key!r} holds pickled Python objects (dtype "
            f"{dtype}). chapter2 never unpickles data files, because unpickling "
            "can run arbitrary code; use a file of plain numeric arrays."
        )
    expected_shape = tuple(layout.shapes[key])
    if dtype != np.dtype(layout.dtype) or shape != expected_shape:
        raise DatasetError(
            f"{path}: array {key!r} has shape {shape} and dtype {dtype}; expected "
            f"shape {expected_shape} and dtype {layout.dtype}. The file is not "
            "the expected dataset; replace it."
        )
    try:
        return npz[key]
    except _DAMAGED as error:
        raise DatasetError(
            f"{path}: array {key!r} is damaged ({error}); delete the file or "
            "replace it with a fresh copy."
        ) from error


def _peek_header(
    path: Path, npz: np.lib.npyio.NpzFile, key: str
) -> tuple[tuple[int, ...], np.dtype]:
    """Shape and dtype of one member, read from its header without its data."""
    names = npz.zip.namelist()
    member = key + ".npy" if key + ".npy" in names else key
    readers = {
        (1, 0): npy_format.read_array_header_1_0,
        (2, 0): npy_format.read_array_header_2_0,
    }
    try:
        with npz.zip.open(member) as stream:
            version = npy_format.read_magic(stream)
            if version not in readers:
                raise ValueError(f"unsupported .npy format version {version}")
            shape, _, dtype = readers[version](stream)
    except _DAMAGED as error:
        raise DatasetError(
            f"{path}: array {key!r} is not a valid .npy array ({error}); delete "
            "the file or replace it with a fresh copy."
        ) from error
    return tuple(shape), np.dtype(dtype)


def _check_labels(path: Path, key: str, labels: np.ndarray, num_classes: int) -> None:
    outside = labels[(labels < 0) | (labels >= num_classes)]
    if outside.size:
        raise DatasetError(
            f"{path}: array {key!r} holds the label {outside[0]}, outside "
            f"0..{num_classes - 1}. The file is not the expected dataset; replace it."
        )


def _check_digests(
    path: Path, arrays: Mapping[str, np.ndarray], expected: Mapping[str, str]
) -> None:
    changed = [key for key in expected if array_sha256(arrays[key]) != expected[key]]
    if changed:
        raise DatasetError(
            f"{path}: the content of {changed} differs from the published "
            "dataset (SHA-256 of the array bytes does not match). The file is "
            "corrupted or modified; delete it or replace it with a fresh copy."
        )
