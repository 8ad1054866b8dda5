"""The MNIST handwritten digits, loaded the Keras way.

>>> from chapter2.datasets import mnist
>>> (x_train, y_train), (x_test, y_test) = mnist.load_data()  # doctest: +SKIP

Where the file comes from (the first that applies wins):

1. ``load_data(path=...)``: that file. If it does not exist yet it is
   downloaded there, as Keras does (a relative path is relative to the current
   folder, not to ``~/.keras/datasets``).
2. The environment variable ``CHAPTER2_DATA_DIR``: the file ``mnist.npz`` in
   that folder. The folder is only read, never written, and nothing is
   downloaded: if the file is missing or bad, that is an error.
3. The chapter2 cache, :func:`cache_dir` (``~/.cache/chapter2`` on Linux, or
   the folder in ``CHAPTER2_CACHE_DIR``), if it holds a valid copy: the
   published file, or any file whose arrays have the published content (a
   copy saved with other compression is fine). A cached file that is not
   valid is never deleted: it is renamed to ``mnist.npz.invalid`` (or
   ``.invalid.1``, ...) beside itself, with a warning, and MNIST is
   downloaded again.
4. Keras's own copy, ``~/.keras/datasets/mnist.npz`` (``$KERAS_HOME`` if set),
   if it is valid in the same sense. It is never moved or changed.
5. Otherwise the file is downloaded from :data:`URL` into the cache, with a
   progress bar, verified and renamed into place only when complete; it gets
   the permissions the user's umask gives new files (a shared class cache
   stays readable).

Whatever the source, only a regular file of at most MNIST's size is read
(never a FIFO or a device), and the arrays are checked before they are
returned: exactly the four expected members, plain ``uint8`` arrays (pickled
objects are refused, never loaded), the expected shapes, labels in 0..9, and
the SHA-256 of every array's bytes.
"""

from __future__ import annotations

import hashlib
import os
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from chapter2 import npz
from chapter2.datasets.download import fetch_file
from chapter2.datasets.npzfile import NpzLayout, read_npz
from chapter2.errors import DatasetError, InputTypeError

__all__ = ["load_data", "fetch", "locate", "cache_dir", "Source"]

#: Where the file is downloaded from (the public Keras copy).
URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
#: SHA-256 of the downloaded file's bytes.
FILE_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
FILENAME = "mnist.npz"
DATA_DIR_ENV = "CHAPTER2_DATA_DIR"
CACHE_DIR_ENV = "CHAPTER2_CACHE_DIR"
#: Seconds to wait for the server to connect or to send the next chunk.
TIMEOUT = 30.0

#: The arrays of a valid file. The digests are of each array's raw bytes, so
#: they hold for any copy of MNIST, however its zip archive was compressed.
LAYOUT = NpzLayout(
    shapes={
        "x_train": (60000, 28, 28),
        "y_train": (60000,),
        "x_test": (10000, 28, 28),
        "y_test": (10000,),
    },
    label_keys=("y_train", "y_test"),
    num_classes=10,
    dtype="uint8",
    sha256={
        "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
        "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
        "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
        "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
    },
)

_ORIGINS = {
    "argument": "the path= argument",
    "env": f"the folder named by {DATA_DIR_ENV}",
    "cache": "the chapter2 cache",
    "keras": "the Keras cache",
    "download": "downloaded just now",
}


@dataclass(frozen=True)
class Source:
    """Where the MNIST file was found.

    Attributes
    ----------
    path : Path
        The ``.npz`` file.
    origin : {"argument", "env", "cache", "keras", "download"}
        Which rule of the search order found it (see the module docstring).

    Examples
    --------
    >>> Source(Path("/data/mnist.npz"), "env").describe()
    '/data/mnist.npz (the folder named by CHAPTER2_DATA_DIR)'
    """

    path: Path
    origin: str

    def describe(self) -> str:
        """One line for people: the path and how it was found."""
        return f"{self.path} ({_ORIGINS[self.origin]})"


def cache_dir() -> Path:
    """The folder chapter2 downloads datasets into.

    ``$CHAPTER2_CACHE_DIR`` if set, otherwise the per-user cache folder given
    by ``pooch.os_cache("chapter2")`` (``~/.cache/chapter2`` on Linux,
    respecting ``$XDG_CACHE_HOME``). The folder is created only when a
    download needs it.

    Examples
    --------
    >>> cache_dir().name  # doctest: +SKIP
    'chapter2'
    """
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override).expanduser()
    import pooch  # here, not at the top: it costs 60 ms of every ``import chapter2.datasets``

    return Path(pooch.os_cache("chapter2"))


def locate(path: str | os.PathLike | None = None, *, verbose: bool = False) -> Source:
    """Find the MNIST file, downloading it if no local copy exists.

    Parameters
    ----------
    path : str or path-like, optional
        A file to use instead of the search order (downloaded there if
        missing).
    verbose : bool, default=False
        Show a progress bar if a download happens.

    Returns
    -------
    source : Source
        The file and how it was found. A cached or Keras copy is used only
        if valid (an invalid cached file is moved aside); the others are
        checked by :func:`load_data` and :func:`fetch`.

    Raises
    ------
    chapter2.errors.DatasetError
        If ``CHAPTER2_DATA_DIR`` is set but has no ``mnist.npz``, or no copy
        exists and the download fails.

    Examples
    --------
    >>> locate().origin  # doctest: +SKIP
    'env'
    """
    if path is not None:
        if not isinstance(path, (str, os.PathLike)):
            raise InputTypeError(f"path must be a file name (str or path-like), got {path!r} "
                                 f"({type(path).__name__}); leave it out to use the cache")
        return _from_argument(Path(path).expanduser(), verbose)
    data_dir = os.environ.get(DATA_DIR_ENV)
    if data_dir:
        return Source(_file_in_data_dir(Path(data_dir).expanduser()), "env")
    cached = cache_dir() / FILENAME
    if _cached_file_is_good(cached):
        return Source(cached, "cache")
    keras = _keras_file()
    if _keras_file_is_good(keras):
        return Source(keras, "keras")
    _download(cached, verbose)
    return Source(cached, "download")


def fetch(path: str | os.PathLike | None = None, *, verbose: bool = True) -> Path:
    """Make sure a verified MNIST file is available and say where it is.

    This is what ``python -m chapter2 data`` runs: it finds or downloads the
    file (see :func:`locate`), checks its content like :func:`load_data`
    does, and, if ``verbose``, prints two lines such as::

        MNIST is ready: /home/me/.cache/chapter2/mnist.npz (the chapter2 cache)
          60000 training and 10000 test images of 28x28 pixels; content verified.

    Parameters
    ----------
    path : str or path-like, optional
        As in :func:`load_data`.
    verbose : bool, default=True
        Print the summary, and a progress bar if a download happens.

    Returns
    -------
    path : Path
        The verified ``.npz`` file.

    Raises
    ------
    chapter2.errors.DatasetError
        If no valid file can be found or downloaded; the message says why and
        what to do.

    Examples
    --------
    >>> mnist_file = fetch(verbose=False)  # doctest: +SKIP
    >>> mnist_file.name  # doctest: +SKIP
    'mnist.npz'
    """
    source = locate(path, verbose=verbose)
    arrays = read_npz(source.path, LAYOUT)
    if verbose:
        rows, cols = arrays["x_train"].shape[1:]
        print(f"MNIST is ready: {source.describe()}")
        print(
            f"  {len(arrays['y_train'])} training and {len(arrays['y_test'])} test "
            f"images of {rows}x{cols} pixels; content verified."
        )
    return source.path


def load_data(
    path: str | os.PathLike | None = None,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load the MNIST digits as NumPy arrays, like ``keras.datasets.mnist``.

    Parameters
    ----------
    path : str or path-like, optional
        An ``mnist.npz`` file to use; if it does not exist it is downloaded
        there. By default the file is searched for as the module docstring
        describes.

    Returns
    -------
    (x_train, y_train) : tuple of ndarray
        Training images, shape (60000, 28, 28), and their labels, shape
        (60000,); dtype uint8, pixels 0..255, labels 0..9.
    (x_test, y_test) : tuple of ndarray
        Test images, shape (10000, 28, 28), and labels, shape (10000,).

    Raises
    ------
    chapter2.errors.DatasetError
        If no valid file can be found or downloaded, or the file found is not
        exactly MNIST; the message names the file and what to do.

    Examples
    --------
    >>> (x_train, y_train), (x_test, y_test) = load_data()  # doctest: +SKIP
    >>> x_train.shape, y_train[:3]  # doctest: +SKIP
    ((60000, 28, 28), array([5, 0, 4], dtype=uint8))
    """
    source = locate(path, verbose=True)
    arrays = read_npz(source.path, LAYOUT)
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def _from_argument(file: Path, verbose: bool) -> Source:
    if os.path.lexists(file):
        return Source(file, "argument")
    _download(file, verbose)
    return Source(file, "download")


def _file_in_data_dir(folder: Path) -> Path:
    """The file in $CHAPTER2_DATA_DIR; an error, never a download, if absent."""
    fix = (
        f"Put {FILENAME} in that folder, or unset {DATA_DIR_ENV} to use the "
        f"cache ({cache_dir()}) and download if needed."
    )
    if not folder.is_dir():
        raise DatasetError(
            f"{DATA_DIR_ENV} is set to {folder}, which is not an existing folder. {fix}"
        )
    file = folder / FILENAME
    try:
        mode = file.stat().st_mode
    except FileNotFoundError:
        raise DatasetError(
            f"{DATA_DIR_ENV} is set to {folder}, but {file} does not exist. {fix}"
        ) from None
    except OSError as error:
        raise DatasetError(
            f"{DATA_DIR_ENV} is set to {folder}, but {file} cannot be read "
            f"({error.strerror or error}). Check the folder's permissions. {fix}"
        ) from error
    if not stat.S_ISREG(mode):
        raise DatasetError(
            f"{DATA_DIR_ENV} is set to {folder}, but {file} is not a file. {fix}"
        )
    return file


def _cached_file_is_good(file: Path) -> bool:
    """True if the cache holds a valid copy; an invalid one is moved aside, never deleted.

    The cache folder may be a link to a folder of the user's (the offline
    error message tells users to put their copy there), so whatever is found
    is treated as the user's file.
    """
    if not os.path.lexists(file):
        return False
    problem = _problem_with(file)
    if problem is None:
        return True
    moved = _move_aside(file, problem)
    warnings.warn(
        f"The cached file {file} is not a valid MNIST copy ({problem}). Nothing was deleted: "
        f"it was renamed to {moved.name} in the same folder, and MNIST will be downloaded again.",
        stacklevel=3,
    )
    return False


def _keras_file() -> Path:
    keras_home = os.environ.get("KERAS_HOME") or Path.home() / ".keras"
    return Path(keras_home) / "datasets" / FILENAME


def _keras_file_is_good(file: Path) -> bool:
    """True if Keras's copy is valid. It is not ours: never moved, never changed."""
    if not os.path.lexists(file):
        return False
    problem = _problem_with(file)
    if problem is not None:
        warnings.warn(f"Ignoring {file}: it is not a valid MNIST copy ({problem}).", stacklevel=3)
    return problem is None


def _problem_with(file: Path) -> str | None:
    """None if ``file`` is a valid MNIST copy, else a few words saying what is wrong.

    The published file is recognised by its SHA-256 alone; any other regular
    file is valid if its arrays have the published content.
    """
    kind = npz.kind_of(file)
    if kind is not None:
        return f"it is {kind}, not a file"
    try:
        if _bounded_sha256(file) == FILE_SHA256:
            return None
        read_npz(file, LAYOUT)
    except npz.NpzProblem as problem:
        return str(problem)
    except OSError as error:  # DatasetError included
        return str(error) if isinstance(error, DatasetError) else (error.strerror or str(error))
    return None


def _bounded_sha256(file: Path) -> str:
    """SHA-256 of a regular file no larger than a valid MNIST file (FIFOs and devices refused)."""
    digest = hashlib.sha256()
    with npz.open_regular_file(file, LAYOUT.max_file_bytes) as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _move_aside(file: Path, problem: str) -> Path:
    """Rename ``file`` to a free ``<name>.invalid[.N]`` beside it and return the new path."""
    target = file.with_name(file.name + ".invalid")
    number = 0
    while os.path.lexists(target):
        number += 1
        target = file.with_name(f"{file.name}.invalid.{number}")
    try:
        os.rename(file, target)
    except OSError as error:
        raise DatasetError(
            f"The cached file {file} is not a valid MNIST copy ({problem}), and it could not be "
            f"moved aside ({error.strerror or error}); it was left as it is. Move or delete it "
            f"yourself, or set {CACHE_DIR_ENV} to another folder."
        ) from error
    return target


def _download(destination: Path, verbose: bool) -> None:
    try:
        fetch_file(
            URL, destination, FILE_SHA256, timeout=TIMEOUT, progressbar=verbose
        )
    except DatasetError as error:
        raise DatasetError(
            f"MNIST is not available locally and could not be downloaded.\n"
            f"{error}\n"
            f"To use a copy you already have, set the environment variable "
            f"{DATA_DIR_ENV} to the folder holding {FILENAME}, or copy the file "
            f"to {destination}. To download into another folder, set "
            f"{CACHE_DIR_ENV}."
        ) from error
