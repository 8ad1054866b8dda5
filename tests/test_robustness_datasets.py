"""The two dataset-loader rows of docs/robustness.md that tests/test_datasets.py leaves open.

* An unwritable cache folder, also when the tests run as root (CI does): root
  ignores permission bits, but not a directory marked immutable (chattr +i).
* A download interrupted midway by Ctrl-C, not by the network: pooch's
  temporary file must be removed, so the next call downloads again instead
  of trusting half a file.

The other loader rows are covered in tests/test_datasets.py; the table names
those tests.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import requests

from chapter2.datasets import mnist
from chapter2.datasets.npzfile import NpzLayout
from chapter2.errors import DatasetError
from helpers.http_server import FileServer, Reply
from helpers.mnist_files import isolate_loader, npz_bytes, random_mnist

ROUTE = "/mnist.npz"


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    """Isolated HOME and cache, and a small MNIST-shaped file the module is told to expect."""
    isolate_loader(tmp_path, monkeypatch)
    arrays = random_mnist(train=40, test=8)
    data = npz_bytes(**arrays)
    monkeypatch.setattr(mnist, "LAYOUT", NpzLayout({k: v.shape for k, v in arrays.items()},
                                                   label_keys=("y_train", "y_test")))
    monkeypatch.setattr(mnist, "FILE_SHA256", hashlib.sha256(data).hexdigest())
    monkeypatch.setattr(mnist, "TIMEOUT", 5.0)
    with FileServer(max_stall=5.0) as server:
        server.routes[ROUTE] = Reply(data)
        monkeypatch.setattr(mnist, "URL", server.url(ROUTE))
        yield server, tmp_path / "cache", data


def make_unwritable(folder: Path) -> Path | None:
    """Make ``folder`` refuse new files; return it if marked immutable (to undo), else None."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return None
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: cannot make a folder unwritable")
    result = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
    if result.returncode != 0:
        pytest.skip(f"chattr +i is not supported here ({result.stderr.decode().strip()})")
    return folder


def test_unwritable_cache_folder_is_a_clear_error_even_as_root(tiny):
    server, cache, _ = tiny
    cache.mkdir()
    immutable = make_unwritable(cache)
    try:
        with pytest.raises(DatasetError) as info:
            mnist.load_data()
    finally:
        if immutable is not None:
            subprocess.run(["chattr", "-i", str(immutable)], check=True)
        else:
            cache.chmod(0o755)
    message = str(info.value)
    assert "Cannot write to the folder" in message and str(cache) in message
    assert "CHAPTER2_CACHE_DIR" in message and "CHAPTER2_DATA_DIR" in message
    assert server.hits[ROUTE] == 0          # refused before downloading anything
    assert list(cache.iterdir()) == []


def test_download_interrupted_midway_leaves_nothing_and_is_fetched_again(tiny, monkeypatch):
    server, cache, data = tiny
    real_iter_content = requests.models.Response.iter_content
    written = {"bytes": 0}

    def first_chunk_then_ctrl_c(self, chunk_size=1, decode_unicode=False):
        for chunk in real_iter_content(self, chunk_size=chunk_size, decode_unicode=decode_unicode):
            written["bytes"] += len(chunk)
            yield chunk
            raise KeyboardInterrupt

    monkeypatch.setattr(requests.models.Response, "iter_content", first_chunk_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        mnist.load_data()
    assert 0 < written["bytes"] < len(data)         # it really stopped midway
    assert list(cache.iterdir()) == []              # no partial file, no temporary file

    monkeypatch.setattr(requests.models.Response, "iter_content", real_iter_content)
    (x_train, _), _ = mnist.load_data()
    assert x_train.shape == (40, 28, 28)
    assert server.hits[ROUTE] == 2
    assert (cache / "mnist.npz").read_bytes() == data
