"""Download one file, check its SHA-256 and store it atomically.

The work is done by :func:`pooch.retrieve`: it streams the download into a
temporary file beside the destination, compares the temporary file's hash with
the expected one, and only then renames it into place. A download that is cut
off, stalls past the timeout or arrives with the wrong bytes therefore never
appears under the destination name. This module adds a writable-folder check,
gives the new file the permissions the user's umask asks for (pooch's
temporary files are private, mode 0600, which would make a shared class
cache unreadable to everyone else), and turns every failure into
:class:`chapter2.errors.DatasetError`.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from chapter2.errors import DatasetError
from chapter2.files import give_umask_permissions

__all__ = ["file_sha256", "fetch_file"]


def file_sha256(path: str | Path) -> str:
    """SHA-256 hex digest of a file's bytes, read in chunks.

    Examples
    --------
    >>> import os, tempfile
    >>> file = os.path.join(tempfile.mkdtemp(), "empty")
    >>> open(file, "wb").close()
    >>> file_sha256(file)[:12]
    'e3b0c44298fc'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fetch_file(
    url: str,
    destination: str | Path,
    sha256: str,
    *,
    timeout: float = 30.0,
    progressbar: bool = False,
) -> Path:
    """Make sure ``destination`` holds the file at ``url``, verified by hash.

    If ``destination`` already holds a file with the expected hash nothing is
    downloaded. Otherwise the file is downloaded to a temporary name in the
    same folder, checked, and renamed to ``destination``; on any failure the
    temporary file is removed and ``destination`` is left as it was.

    Parameters
    ----------
    url : str
        Where to download from (``http://`` or ``https://``).
    destination : str or Path
        The file to create. Missing parent folders are created.
    sha256 : str
        Expected SHA-256 hex digest of the whole file.
    timeout : float, default=30.0
        Seconds to wait for the connection and for each chunk of data.
    progressbar : bool, default=False
        Show a tqdm progress bar on standard error while downloading.

    Returns
    -------
    destination : Path
        The verified file.

    Raises
    ------
    chapter2.errors.DatasetError
        If the folder is not writable, the server cannot be reached, the
        transfer is interrupted or times out, or the hash does not match.

    Examples
    --------
    >>> fetch_file(                                       # doctest: +SKIP
    ...     "https://example.org/data.npz", "/tmp/data.npz", sha256="ab12...")
    PosixPath('/tmp/data.npz')
    """
    import pooch  # imported on first download only: it costs 60 ms of every import
    import requests  # pooch depends on it; import lazily as pooch does

    destination = Path(destination).expanduser().absolute()
    _check_writable(destination.parent)
    existed = os.path.lexists(destination)
    downloader = pooch.HTTPDownloader(progressbar=progressbar, timeout=timeout)
    try:
        pooch.retrieve(
            url,
            known_hash=f"sha256:{sha256}",
            fname=destination.name,
            path=destination.parent,
            downloader=downloader,
        )
    except ValueError as error:  # pooch's hash mismatch
        raise DatasetError(
            f"The file downloaded from {url} is not the expected one and was "
            f"not kept ({error})"
        ) from error
    except requests.exceptions.RequestException as error:
        raise DatasetError(
            f"Downloading {url} failed ({type(error).__name__}: {error}); "
            f"nothing was saved to {destination}."
        ) from error
    except OSError as error:
        raise DatasetError(
            f"Could not save the download from {url} to {destination}: "
            f"{error.strerror or error}."
        ) from error
    if not existed:
        # Only a file this call created gets new permissions, never a user's file.
        give_umask_permissions(destination)
    return destination


def _check_writable(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise DatasetError(
            f"Cannot write to the folder {folder} ({error.strerror or error}), "
            "so nothing can be downloaded there."
        ) from error
