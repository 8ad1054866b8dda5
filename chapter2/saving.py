"""Saving and loading a model's weights, as ``.npz`` files.

``Sequential.save_weights`` and ``load_weights`` call the functions here. A
weights file is a NumPy ``.npz`` archive holding the arrays ``w0``, ``w1``,
... in the order of ``model.get_weights()`` (kernel and bias of each layer).

Writing is atomic (see :mod:`chapter2.files`): a failed save leaves the
previous file intact. Reading treats the file as untrusted (see
:mod:`chapter2.npz`): only a regular file of a sensible size is opened, every
array's header is checked against the model (names, count, dtype, shape)
before any data is read, so a 200-byte file claiming a 4 TB array costs
nothing, and pickled objects are never loaded. The values are then checked
like ``set_weights`` checks them: finite, and within the range of the model's
float type (a float64 value beyond float32 would silently become infinite).

Examples
--------
>>> import os, tempfile
>>> from chapter2 import layers, models
>>> model = models.Sequential([layers.Dense(2, input_shape=(3,))])
>>> path = os.path.join(tempfile.mkdtemp(), "tiny.weights.npz")
>>> save_weights(model.get_weights(), path)
>>> [w.shape for w in load_weights(path, model.get_weights())]
[(3, 2), (2,)]
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from . import npz
from .errors import FileMissingError, InputTypeError, InputValueError
from .files import write_atomically
from .validation import as_numeric_array, check_finite, check_fits

__all__ = ["check_weights_path", "save_weights", "load_weights", "check_weight_arrays"]

_MEMBER = re.compile(r"w(0|[1-9][0-9]*)")


def check_weights_path(path: Any) -> Path:
    """Return ``path`` as a ``Path`` a weights file can be saved to, or raise before any work.

    The command line checks ``--save`` with this before training, so a bad
    name never costs a finished training run.

    Raises
    ------
    InputTypeError
        ``path`` is not a str or path.
    InputValueError
        It does not end in ``.npz``, is a folder, or its folder is not writable.
    chapter2.errors.FileMissingError
        Its folder does not exist (also a ``FileNotFoundError``).

    Examples
    --------
    >>> check_weights_path("model.weights.h5")
    Traceback (most recent call last):
    ...
    chapter2.errors.InputValueError: weights are saved as .npz files; got 'model.weights.h5' (Keras writes .h5, chapter2 writes NumPy archives), use e.g. 'model.weights.npz'
    """
    path = _as_path(path)
    if path.is_dir():
        raise InputValueError(f"{path} is a folder; save_weights needs a file name such as {path / 'model.weights.npz'}")
    if path.suffix != ".npz":
        keras = " (Keras writes .h5, chapter2 writes NumPy archives)" if path.suffix in (".h5", ".keras") else ""
        raise InputValueError(
            f"weights are saved as .npz files; got {path.name!r}{keras}, use e.g. 'model.weights.npz'")
    folder = path.parent
    if not folder.is_dir():
        raise FileMissingError(
            f"cannot save weights to {path}: the folder {folder} does not exist; "
            "create it first, e.g. os.makedirs(folder, exist_ok=True)")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputValueError(f"cannot save weights to {path}: the folder {folder} is not writable")
    return path


def save_weights(weights: Sequence[np.ndarray], path: str | os.PathLike) -> None:
    """Write ``weights`` to ``path`` as ``w0``, ``w1``, ..., atomically (a crash never leaves half a file)."""
    path = check_weights_path(path)
    arrays = {f"w{index}": w for index, w in enumerate(weights)}
    write_atomically(path, lambda stream: np.savez(stream, **arrays))


def load_weights(path: str | os.PathLike, current: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Read a weights file for a model whose weights are ``current``; return the checked arrays.

    Nothing is written: the caller copies the arrays in, all or none.

    Raises
    ------
    chapter2.errors.FileMissingError
        No file at ``path``.
    InputValueError
        The file is not a weights file, or holds weights of another model.
    """
    path = _as_path(path)
    # A float64 copy of every weight, uncompressed, plus headers: no valid file is larger.
    limit = sum(w.size for w in current) * 8 * 101 // 100 + (1 << 20)
    try:
        with npz.open_archive(path, limit) as archive:
            arrays = _read_matching(path, archive, current)
    except FileNotFoundError:
        raise FileMissingError(f"no weights file at {path}") from None
    except IsADirectoryError:
        raise InputValueError(f"{path} is a folder, not a weights file") from None
    except npz.NpzProblem as problem:
        raise InputValueError(f"{path} is not a weights file written by save_weights ({problem})") from None
    except OSError as error:
        raise InputValueError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        return check_weight_arrays(arrays, current)
    except (InputValueError, InputTypeError) as exc:
        raise type(exc)(f"{path} does not hold weights for this model: {exc}") from None


def _read_matching(path: Path, archive, current: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The arrays of ``archive``, after every header has been checked against ``current``."""
    found = npz.members(archive)
    if not found or not all(_MEMBER.fullmatch(key) for key in found):
        raise npz.NpzProblem(f"it holds {sorted(found)}, not arrays named w0, w1, ...")
    headers = {key: npz.read_header(archive, info) for key, info in found.items()}
    for key, header in headers.items():
        if header.dtype.hasobject:
            raise npz.NpzProblem(
                f"array {key!r} holds pickled Python objects, which are never loaded (allow_pickle=False)")
    names = [f"w{index}" for index in range(len(found))]
    if sorted(found) != sorted(names):
        raise npz.NpzProblem(f"its arrays {sorted(found)} are not numbered w0 to w{len(found) - 1}")
    if len(found) != len(current):
        raise InputValueError(
            f"{path} does not hold weights for this model: set_weights expects {len(current)} arrays, "
            f"got {len(found)}")
    for index, (name, old) in enumerate(zip(names, current)):
        header = headers[name]
        if header.dtype.kind not in "biuf":
            raise InputTypeError(
                f"{path} does not hold weights for this model: weights[{index}] must hold real numbers, "
                f"got dtype {header.dtype}")
        if header.shape != old.shape:
            raise InputValueError(
                f"{path} does not hold weights for this model: weights[{index}] must have shape "
                f"{old.shape}, got {header.shape}")
    return [npz.read_data(archive, found[name], headers[name]) for name in names]


def check_weight_arrays(weights: Any, current: Sequence[np.ndarray], owner: str | None = None) -> list[np.ndarray]:
    """Check replacement ``weights`` against the ``current`` arrays; return them as arrays.

    The rules of ``set_weights``: as many arrays as ``current``, each numeric,
    of the same shape, finite, and within the range of the current dtype.

    Examples
    --------
    >>> check_weight_arrays([np.array([1e300])], [np.zeros(1, np.float32)])
    Traceback (most recent call last):
    ...
    chapter2.errors.InputValueError: weights[0] holds values from 1e+300 to 1e+300, beyond the largest float32 (3.40282e+38); they would become infinite in the model. Values that large cannot be weights of a float32 model; build the model with dtype='float64' to keep them
    """
    if isinstance(weights, (str, bytes, np.ndarray)) or not hasattr(weights, "__iter__"):
        raise InputTypeError(
            f"set_weights expects a list of {len(current)} arrays (as returned by get_weights), "
            f"got {type(weights).__name__}")
    weights = list(weights)
    if len(weights) != len(current):
        where = f" ({owner})" if owner else ""
        raise InputValueError(f"set_weights expects {len(current)} arrays, got {len(weights)}{where}")
    checked = []
    for index, (old, new) in enumerate(zip(current, weights)):
        name = f"weights[{index}]"
        new = as_numeric_array(new, name)
        if new.shape != old.shape:
            raise InputValueError(f"{name} must have shape {old.shape}, got {new.shape}")
        check_finite(new, name)
        check_fits(new, old.dtype, name, fix="Values that large cannot be weights of a "
                   f"{old.dtype} model; build the model with dtype='float64' to keep them")
        checked.append(new)
    return checked


def _as_path(path: Any) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise InputTypeError(f"path must be a str or a pathlib.Path, got {type(path).__name__}")
    return Path(path).expanduser()      # "~/model.weights.npz" means the home folder, as in a shell
