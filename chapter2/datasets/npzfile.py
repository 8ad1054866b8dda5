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
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import numpy as np

from chapter2 import npz
from chapter2.errors import DatasetError

__all__ = ["NpzLayout", "read_npz", "array_sha256"]


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

    @property
    def max_file_bytes(self) -> int:
        """The largest file that can hold these arrays: their raw bytes, stored
        uncompressed, plus room for zip and ``.npy`` headers.

        Examples
        --------
        >>> NpzLayout({"x": (1000,)}).max_file_bytes
        1049586
        """
        raw = sum(math.prod(shape) for shape in self.shapes.values()) * np.dtype(self.dtype).itemsize
        return raw + raw // 100 + (1 << 20)


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

    Only a regular file no larger than ``layout.max_file_bytes`` is opened.
    Each array's header is read before its data, and the data returned is
    read from exactly the member whose header was checked, so an archive
    holding Python objects, duplicate or unexpected members, or an array of
    the wrong shape is refused before anything large is allocated, and
    nothing is ever unpickled.

    Parameters
    ----------
    path : str or Path
        The ``.npz`` file.
    layout : NpzLayout
        The arrays the file must hold (and nothing else).

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
    try:
        with npz.open_archive(path, layout.max_file_bytes) as archive:
            found = npz.members(archive)
            _check_keys(path, found, layout)
            arrays = {key: _read_array(path, archive, found[key], key, layout) for key in layout.keys}
    except DatasetError:
        raise           # already says what is wrong with the file; wrapping it again would bury that
    except FileNotFoundError:
        raise DatasetError(f"Dataset file {path} does not exist.") from None
    except IsADirectoryError:
        raise DatasetError(f"{path} is a folder; expected an .npz file.") from None
    except OSError as error:
        raise DatasetError(
            f"Cannot read dataset file {path}: {error.strerror or error}. "
            "Check that the file exists and that you may read it."
        ) from error
    except npz.NpzProblem as problem:
        raise DatasetError(
            f"{path} is not a readable .npz archive of the dataset: {problem}. Delete it "
            "or replace it with a fresh copy."
        ) from None
    for key in layout.label_keys:
        _check_labels(path, key, arrays[key], layout.num_classes)
    if layout.sha256 is not None:
        _check_digests(path, arrays, layout.sha256)
    return arrays


def _check_keys(path: Path, found: Mapping[str, object], layout: NpzLayout) -> None:
    missing = [key for key in layout.keys if key not in found]
    if missing:
        raise DatasetError(
            f"{path} is missing the arrays {missing}; it holds {sorted(found)} "
            f"but a valid file holds {list(layout.keys)}. Replace it with the "
            "dataset's .npz file."
        )
    unexpected = sorted(set(found) - set(layout.keys))
    if unexpected:
        raise DatasetError(
            f"{path} holds unexpected entries {unexpected} besides the arrays "
            f"{list(layout.keys)}; a valid file holds nothing else. Replace it with "
            "the dataset's .npz file."
        )


def _read_array(path: Path, archive, member, key: str, layout: NpzLayout) -> np.ndarray:
    try:
        header = npz.read_header(archive, member)
    except npz.NpzProblem as problem:
        raise DatasetError(
            f"{path}: array {key!r} is not a valid .npy array ({problem}); delete "
            "the file or replace it with a fresh copy."
        ) from None
    if header.dtype.hasobject:
        raise DatasetError(
            f"{path}: array {key!r} holds pickled Python objects (dtype "
            f"{header.dtype}). chapter2 never unpickles data files, because unpickling "
            "can run arbitrary code; use a file of plain numeric arrays."
        )
    expected_shape = tuple(layout.shapes[key])
    if header.dtype != np.dtype(layout.dtype) or header.shape != expected_shape:
        raise DatasetError(
            f"{path}: array {key!r} has shape {header.shape} and dtype {header.dtype}; expected "
            f"shape {expected_shape} and dtype {layout.dtype}. The file is not "
            "the expected dataset; replace it."
        )
    try:
        return npz.read_data(archive, member, header)
    except npz.NpzProblem as problem:
        raise DatasetError(
            f"{path}: array {key!r} is damaged ({problem}); delete the file or "
            "replace it with a fresh copy."
        ) from None


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
