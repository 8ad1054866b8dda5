"""The loader against files it did not write: a user's own copy, links, FIFOs, devices, tricked archives.

The rules (docs/robustness.md, "The MNIST file"): the loader never deletes a
file it did not write; a cached file is judged by the content digests of its
arrays, not by its bytes; a bad cached file is moved aside with a message;
only regular files of at most MNIST's size are read; an archive must hold
exactly the expected members, each once; and a downloaded file gets the
permissions the umask gives.

Every call that could hang runs under an alarm, so a regression fails the
test in seconds instead of stopping the suite.
"""

from __future__ import annotations

import hashlib
import io
import os
import signal
import stat
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from chapter2.datasets import mnist
from chapter2.datasets.npzfile import NpzLayout
from chapter2.errors import DatasetError
from helpers.http_server import FileServer, Reply, unused_port_url
from helpers.mnist_files import isolate_loader, npz_bytes, patch_zip_members, random_mnist

ROUTE = "/mnist.npz"


@contextmanager
def no_hang(seconds: int = 20):
    """Fail instead of waiting forever (a FIFO with no writer blocks ``open`` and ``read``)."""
    def stop(signum, frame):
        raise TimeoutError(f"the loader hung for {seconds} s")
    previous = signal.signal(signal.SIGALRM, stop)
    outer_left, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:  # pytest-timeout's alarm keeps its deadline
            signal.setitimer(signal.ITIMER_REAL, max(outer_left - (time.monotonic() - started), 1e-3))


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    """An isolated cache, a small MNIST-shaped file the module expects, and a silent URL."""
    isolate_loader(tmp_path, monkeypatch)
    arrays = random_mnist(train=30, test=6)
    data = npz_bytes(**arrays)
    layout = NpzLayout({k: v.shape for k, v in arrays.items()}, label_keys=("y_train", "y_test"),
                       sha256={k: hashlib.sha256(v.tobytes()).hexdigest() for k, v in arrays.items()})
    monkeypatch.setattr(mnist, "LAYOUT", layout)
    monkeypatch.setattr(mnist, "FILE_SHA256", hashlib.sha256(data).hexdigest())
    monkeypatch.setattr(mnist, "URL", unused_port_url())
    monkeypatch.setattr(mnist, "TIMEOUT", 5.0)
    (tmp_path / "cache").mkdir()
    return type("Tiny", (), {"arrays": arrays, "data": data, "cache": tmp_path / "cache", "tmp": tmp_path})


@pytest.fixture
def server(tiny, monkeypatch):
    with FileServer(max_stall=5.0) as running:
        running.routes[ROUTE] = Reply(tiny.data)
        monkeypatch.setattr(mnist, "URL", running.url(ROUTE))
        yield running


def loaded(result) -> dict[str, np.ndarray]:
    (x_train, y_train), (x_test, y_test) = result
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


def assert_same(result, arrays) -> None:
    got = loaded(result)
    for key, expected in arrays.items():
        np.testing.assert_array_equal(got[key], expected)


# ------------------------------------------- a user's valid copy is used, never deleted


def test_a_valid_copy_with_other_bytes_in_the_cache_is_used_and_kept(tiny):
    """The offline message tells users to copy their file into the cache: it must be used as it is."""
    theirs = npz_bytes(compressed=True, **tiny.arrays)          # same arrays, different bytes
    assert theirs != tiny.data
    (tiny.cache / "mnist.npz").write_bytes(theirs)
    assert_same(mnist.load_data(), tiny.arrays)                 # no download (the URL is dead)
    assert (tiny.cache / "mnist.npz").read_bytes() == theirs
    assert sorted(p.name for p in tiny.cache.iterdir()) == ["mnist.npz"]


def test_a_cache_folder_that_links_to_the_users_folder_never_loses_their_file(tiny, server, monkeypatch):
    users = tiny.tmp / "my-data"
    users.mkdir()
    theirs = npz_bytes(compressed=True, **tiny.arrays)
    (users / "mnist.npz").write_bytes(theirs)
    link = tiny.tmp / "linked-cache"
    link.symlink_to(users, target_is_directory=True)
    monkeypatch.setenv("CHAPTER2_CACHE_DIR", str(link))
    assert_same(mnist.load_data(), tiny.arrays)
    assert (users / "mnist.npz").read_bytes() == theirs and server.hits[ROUTE] == 0

    # A bad file there is moved aside in the user's folder, with its bytes, and replaced.
    (users / "mnist.npz").write_bytes(b"my notes, not MNIST")
    with pytest.warns(UserWarning, match="Nothing was deleted"):
        assert_same(mnist.load_data(), tiny.arrays)
    assert (users / "mnist.npz.invalid").read_bytes() == b"my notes, not MNIST"
    assert (users / "mnist.npz").read_bytes() == tiny.data and server.hits[ROUTE] == 1


def test_a_second_bad_file_is_moved_aside_under_a_new_name(tiny, server):
    (tiny.cache / "mnist.npz.invalid").write_bytes(b"the first one")
    (tiny.cache / "mnist.npz").write_bytes(b"the second one")
    with pytest.warns(UserWarning, match=r"renamed to mnist\.npz\.invalid\.1"):
        mnist.load_data()
    assert (tiny.cache / "mnist.npz.invalid").read_bytes() == b"the first one"
    assert (tiny.cache / "mnist.npz.invalid.1").read_bytes() == b"the second one"


def test_a_bad_cached_file_that_cannot_be_moved_is_left_alone_with_a_clear_error(tiny, server, monkeypatch):
    (tiny.cache / "mnist.npz").write_bytes(b"not MNIST")

    def refuse(source, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(mnist.os, "rename", refuse)
    with pytest.raises(DatasetError, match="could not be moved aside .* left as it is") as info:
        mnist.load_data()
    assert "CHAPTER2_CACHE_DIR" in str(info.value)
    assert (tiny.cache / "mnist.npz").read_bytes() == b"not MNIST" and server.hits[ROUTE] == 0


# ----------------------------------------------- the archive must hold exactly the arrays


def archive_with(path: Path, entries: list[tuple[str, np.ndarray | bytes]]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, value in entries:
            if isinstance(value, np.ndarray):
                buffer = io.BytesIO()
                np.save(buffer, value)
                value = buffer.getvalue()
            archive.writestr(name, value)
    return path


@pytest.mark.parametrize("decoy", [
    pytest.param(lambda a: a.astype(np.int8), id="int8-pixels"),
    pytest.param(lambda a: a.reshape(len(a), -1), id="flattened-images"),
])
def test_an_archive_holding_an_array_under_two_names_is_refused(tiny, decoy):
    """numpy reads 'x_train' before 'x_train.npy': checking one and returning the other is a bypass."""
    entries = [(f"{key}.npy", value) for key, value in tiny.arrays.items()]
    entries.append(("x_train", decoy(tiny.arrays["x_train"])))
    file = archive_with(tiny.tmp / "two-names.npz", entries)
    with pytest.raises(DatasetError, match="holds the array 'x_train' twice"):
        mnist.load_data(path=file)


def test_an_archive_holding_the_same_member_twice_is_refused(tiny):
    entries = [(f"{key}.npy", value) for key, value in tiny.arrays.items()]
    entries.append(("y_test.npy", np.zeros(6, np.uint8)))
    with pytest.warns(UserWarning, match="Duplicate name"):        # zipfile's own warning on writing
        file = archive_with(tiny.tmp / "twice.npz", entries)
    with pytest.raises(DatasetError, match="holds the array 'y_test' twice"):
        mnist.load_data(path=file)


def test_an_archive_with_an_unexpected_extra_entry_is_refused(tiny):
    entries = [(f"{key}.npy", value) for key, value in tiny.arrays.items()]
    entries.append(("readme.txt", b"hello"))
    file = archive_with(tiny.tmp / "extra.npz", entries)
    with pytest.raises(DatasetError, match=r"unexpected entries \['readme.txt'\]"):
        mnist.load_data(path=file)


def test_what_is_returned_is_exactly_what_was_checked(tiny):
    """A valid archive written member by member loads, and equals the arrays written."""
    file = archive_with(tiny.tmp / "members.npz", [(f"{k}.npy", v) for k, v in tiny.arrays.items()])
    assert_same(mnist.load_data(path=file), tiny.arrays)


# ------------------------------------------------ only regular files, of a sensible size


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")


@needs_fifo
def test_path_that_is_a_fifo_is_refused_without_hanging(tiny):
    fifo = tiny.tmp / "mnist.npz"
    os.mkfifo(fifo)
    with no_hang(), pytest.raises(DatasetError, match="not a regular file but a FIFO"):
        mnist.load_data(path=fifo)


def test_path_that_links_to_dev_zero_is_refused_without_hanging(tiny):
    link = tiny.tmp / "mnist.npz"
    link.symlink_to("/dev/zero")
    with no_hang(), pytest.raises(DatasetError, match="not a regular file but a device"):
        mnist.load_data(path=link)


@needs_fifo
def test_a_fifo_in_the_cache_is_moved_aside_without_hanging(tiny, server):
    os.mkfifo(tiny.cache / "mnist.npz")
    with no_hang(), pytest.warns(UserWarning, match="a FIFO"):
        assert_same(mnist.load_data(), tiny.arrays)
    assert stat.S_ISFIFO(os.lstat(tiny.cache / "mnist.npz.invalid").st_mode)


def test_a_link_to_dev_zero_in_the_cache_is_moved_aside_without_hanging(tiny, server):
    (tiny.cache / "mnist.npz").symlink_to("/dev/zero")
    with no_hang(), pytest.warns(UserWarning, match="a device"):
        assert_same(mnist.load_data(), tiny.arrays)
    assert os.readlink(tiny.cache / "mnist.npz.invalid") == "/dev/zero"   # the link itself was moved
    assert (tiny.cache / "mnist.npz").read_bytes() == tiny.data


def test_a_keras_copy_that_links_to_dev_zero_is_ignored_and_left_alone(tiny, server):
    keras = tiny.tmp / "home" / ".keras" / "datasets" / "mnist.npz"
    keras.parent.mkdir(parents=True)
    keras.symlink_to("/dev/zero")
    with no_hang(), pytest.warns(UserWarning, match="Ignoring .* a device"):
        assert_same(mnist.load_data(), tiny.arrays)
    assert os.readlink(keras) == "/dev/zero"


def test_a_file_larger_than_any_mnist_copy_is_refused_before_reading(tiny):
    huge = tiny.tmp / "huge.npz"
    with open(huge, "wb") as stream:
        stream.truncate(mnist.LAYOUT.max_file_bytes + 1)        # sparse: costs no disk
    with no_hang(), pytest.raises(DatasetError, match="more than a valid file can"):
        mnist.load_data(path=huge)


# --------------------------------------------------------- permissions of a download


@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_downloaded_file_gets_the_permissions_of_the_umask(tiny, server, umask, mode):
    previous = os.umask(umask)
    try:
        mnist.load_data()
    finally:
        os.umask(previous)
    assert stat.S_IMODE(os.stat(tiny.cache / "mnist.npz").st_mode) == mode


# ------------------------------------------- archive members zipfile cannot read


@pytest.mark.parametrize("trick", [{"flag": 0x1}, {"method": 9}], ids=["encrypted", "deflate64"])
def test_an_unreadable_member_is_a_dataset_error_and_the_cached_copy_is_moved_aside(tiny, server, trick):
    (tiny.cache / "mnist.npz").write_bytes(patch_zip_members(tiny.data, **trick))
    with pytest.warns(UserWarning, match=r"renamed to mnist\.npz\.invalid"):
        assert_same(mnist.load_data(), tiny.arrays)
    assert (tiny.cache / "mnist.npz.invalid").exists()


@pytest.mark.parametrize("trick", [{"flag": 0x1}, {"method": 9}], ids=["encrypted", "deflate64"])
def test_an_unreadable_member_given_as_path_says_what_is_wrong_once(tiny, trick):
    path = tiny.tmp / "mine.npz"
    path.write_bytes(patch_zip_members(tiny.data, **trick))
    with pytest.raises(DatasetError) as caught:
        mnist.load_data(path=path)
    message = str(caught.value)
    assert ("encrypted" in message) or ("Deflate64" in message)
    assert "Check that the file exists" not in message and message.count(str(path)) == 1
