"""Tests of chapter2.datasets.mnist: the real file, the search order, downloads
and the checks on what is read.

Downloads only ever come from a local server (tests/helpers/http_server.py);
HOME, the cache folder and every file written live under pytest's tmp_path.
The real MNIST copy is read from $CHAPTER2_DATA_DIR (tests skip without it) and
compared with the digests and facts of its README, written out here again so
the test does not trust the module's own constants.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import types
import zipfile
from pathlib import Path

import numpy as np
import pytest

from chapter2.datasets import download, mnist
from chapter2.datasets.npzfile import NpzLayout
from chapter2.errors import DatasetError
from helpers.http_server import FileServer, Reply, unused_port_url
from helpers.mnist_files import isolate_loader, npz_bytes

REAL_DATA_DIR = os.environ.get("CHAPTER2_DATA_DIR")
needs_real_data = pytest.mark.skipif(
    not REAL_DATA_DIR, reason="set CHAPTER2_DATA_DIR to the folder holding mnist.npz"
)
running_as_root = hasattr(os, "geteuid") and os.geteuid() == 0
skip_if_root = pytest.mark.skipif(
    running_as_root, reason="root ignores permission bits; see the *_is_a_file tests"
)

# From /work/shared/data/README.md.
README_SHA256 = {
    "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
}
README_TRAIN_HEAD = [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
README_TEST_HEAD = [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
README_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
ROUTE = "/mnist.npz"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# ---------------------------------------------------------------- fixtures


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Point HOME, every cache and the download URL away from the real ones."""
    (tmp_path / "home").mkdir()
    isolate_loader(tmp_path, monkeypatch)
    monkeypatch.setattr(mnist, "URL", unused_port_url())
    monkeypatch.setattr(mnist, "TIMEOUT", 5.0)


@pytest.fixture
def cache(tmp_path) -> Path:
    return tmp_path / "cache"


def tiny_arrays() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    return {
        "x_train": rng.integers(0, 256, size=(6, 28, 28), dtype=np.uint8),
        "y_train": np.array([5, 0, 4, 1, 9, 2], dtype=np.uint8),
        "x_test": rng.integers(0, 256, size=(4, 28, 28), dtype=np.uint8),
        "y_test": np.array([7, 2, 1, 0], dtype=np.uint8),
    }


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    """A small MNIST-shaped file; the module is told to expect exactly it."""
    arrays = tiny_arrays()
    data = npz_bytes(**arrays)
    file = tmp_path / "source" / "tiny.npz"
    file.parent.mkdir()
    file.write_bytes(data)
    layout = NpzLayout(
        shapes={key: value.shape for key, value in arrays.items()},
        label_keys=("y_train", "y_test"),
        num_classes=10,
        sha256={key: sha256_hex(value.tobytes()) for key, value in arrays.items()},
    )
    monkeypatch.setattr(mnist, "LAYOUT", layout)
    monkeypatch.setattr(mnist, "FILE_SHA256", sha256_hex(data))
    return types.SimpleNamespace(arrays=arrays, data=data, file=file)


@pytest.fixture
def server(monkeypatch):
    """A local server; mnist.URL points at its /mnist.npz (404 until set)."""
    with FileServer(max_stall=10.0) as running:
        monkeypatch.setattr(mnist, "URL", running.url(ROUTE))
        yield running


def assert_loaded(result, arrays) -> None:
    (x_train, y_train), (x_test, y_test) = result
    got = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    for key, expected in arrays.items():
        np.testing.assert_array_equal(got[key], expected)
        assert got[key].dtype == np.uint8


# ------------------------------------------------- the real shared MNIST copy


@pytest.fixture(scope="module")
def real_mnist(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CHAPTER2_DATA_DIR", REAL_DATA_DIR or "")
        patch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
        patch.setenv("CHAPTER2_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        (x_train, y_train), (x_test, y_test) = mnist.load_data()
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


@needs_real_data
def test_real_mnist_shapes_and_dtypes(real_mnist):
    shapes = {key: value.shape for key, value in real_mnist.items()}
    assert shapes == {
        "x_train": (60000, 28, 28),
        "y_train": (60000,),
        "x_test": (10000, 28, 28),
        "y_test": (10000,),
    }
    assert {value.dtype for value in real_mnist.values()} == {np.dtype(np.uint8)}


@needs_real_data
def test_real_mnist_matches_readme_digests(real_mnist):
    digests = {key: sha256_hex(value.tobytes()) for key, value in real_mnist.items()}
    assert digests == README_SHA256


@needs_real_data
def test_real_mnist_known_facts(real_mnist):
    assert real_mnist["y_train"][:10].tolist() == README_TRAIN_HEAD
    assert real_mnist["y_test"][:10].tolist() == README_TEST_HEAD
    assert np.bincount(real_mnist["y_train"], minlength=10).tolist() == README_TRAIN_COUNTS
    assert real_mnist["x_train"].min() == 0 and real_mnist["x_train"].max() == 255


@needs_real_data
def test_fetch_reports_data_dir_and_only_reads_it(monkeypatch, capsys, cache):
    folder = Path(REAL_DATA_DIR)
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    monkeypatch.setenv("CHAPTER2_DATA_DIR", REAL_DATA_DIR)
    assert mnist.fetch(verbose=True) == folder / "mnist.npz"
    out = capsys.readouterr().out
    assert "CHAPTER2_DATA_DIR" in out and str(folder / "mnist.npz") in out
    assert "60000 training and 10000 test images of 28x28 pixels" in out
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before
    assert not cache.exists()


# ------------------------------------------------------------- search order


def test_search_order_argument_env_cache_keras_download(
    tiny, server, tmp_path, cache, monkeypatch
):
    server.routes[ROUTE] = Reply(tiny.data)
    env_dir = tmp_path / "env"
    keras = tmp_path / "home" / ".keras" / "datasets" / "mnist.npz"
    for folder in (env_dir, cache, keras.parent):
        folder.mkdir(parents=True)
    for file in (env_dir / "mnist.npz", cache / "mnist.npz", keras):
        file.write_bytes(tiny.data)
    monkeypatch.setenv("CHAPTER2_DATA_DIR", str(env_dir))

    assert mnist.locate(tiny.file) == mnist.Source(tiny.file, "argument")
    assert mnist.locate() == mnist.Source(env_dir / "mnist.npz", "env")
    monkeypatch.delenv("CHAPTER2_DATA_DIR")
    assert mnist.locate() == mnist.Source(cache / "mnist.npz", "cache")
    (cache / "mnist.npz").unlink()
    assert mnist.locate() == mnist.Source(keras, "keras")
    keras.unlink()
    assert server.hits[ROUTE] == 0
    assert mnist.locate() == mnist.Source(cache / "mnist.npz", "download")
    assert server.hits[ROUTE] == 1


def test_path_argument_wins_over_a_bad_data_dir(tiny, tmp_path, monkeypatch):
    env_dir = tmp_path / "env"
    env_dir.mkdir()
    (env_dir / "mnist.npz").write_bytes(b"not a dataset")
    monkeypatch.setenv("CHAPTER2_DATA_DIR", str(env_dir))
    assert_loaded(mnist.load_data(path=str(tiny.file)), tiny.arrays)


def test_path_argument_missing_is_downloaded_there(tiny, server, tmp_path, cache):
    server.routes[ROUTE] = Reply(tiny.data)
    target = tmp_path / "elsewhere" / "my-mnist.npz"
    assert_loaded(mnist.load_data(path=target), tiny.arrays)
    assert target.read_bytes() == tiny.data
    assert server.hits[ROUTE] == 1
    assert not cache.exists()


def test_default_cache_dir_is_the_per_user_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("CHAPTER2_CACHE_DIR")
    assert mnist.cache_dir() == tmp_path / "xdg-cache" / "chapter2"
    monkeypatch.setenv("CHAPTER2_CACHE_DIR", str(tmp_path / "mine"))
    assert mnist.cache_dir() == tmp_path / "mine"


def test_source_describes_itself():
    text = mnist.Source(Path("/d/mnist.npz"), "keras").describe()
    assert text == "/d/mnist.npz (the Keras cache)"


# ------------------------------------------------------- CHAPTER2_DATA_DIR


def test_data_dir_without_file_is_an_error_not_a_download(
    tiny, server, tmp_path, cache, monkeypatch
):
    server.routes[ROUTE] = Reply(tiny.data)
    env_dir = tmp_path / "env"
    env_dir.mkdir()
    monkeypatch.setenv("CHAPTER2_DATA_DIR", str(env_dir))
    with pytest.raises(DatasetError, match="CHAPTER2_DATA_DIR") as info:
        mnist.load_data()
    assert str(env_dir / "mnist.npz") in str(info.value)
    assert server.hits[ROUTE] == 0
    assert listing(env_dir) == [] and not cache.exists()


def test_bad_file_in_data_dir_is_an_error_not_a_download(
    tiny, server, tmp_path, monkeypatch
):
    server.routes[ROUTE] = Reply(tiny.data)
    env_dir = tmp_path / "env"
    env_dir.mkdir()
    (env_dir / "mnist.npz").write_bytes(tiny.data[: len(tiny.data) // 2])
    monkeypatch.setenv("CHAPTER2_DATA_DIR", str(env_dir))
    with pytest.raises(DatasetError, match="not a readable .npz") as info:
        mnist.load_data()
    assert str(env_dir / "mnist.npz") in str(info.value)
    assert server.hits[ROUTE] == 0


def test_data_dir_that_is_a_file_is_an_error(tmp_path, monkeypatch):
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("hello")
    monkeypatch.setenv("CHAPTER2_DATA_DIR", str(not_a_folder))
    with pytest.raises(DatasetError, match="not an existing folder"):
        mnist.load_data()


def test_data_dir_holding_a_folder_named_mnist_npz_is_an_error(tmp_path, monkeypatch):
    (tmp_path / "env" / "mnist.npz").mkdir(parents=True)
    monkeypatch.setenv("CHAPTER2_DATA_DIR", str(tmp_path / "env"))
    with pytest.raises(DatasetError, match="is not a file"):
        mnist.load_data()


@skip_if_root
def test_unreadable_data_dir_is_an_error(tiny, tmp_path, monkeypatch):
    env_dir = tmp_path / "env"
    env_dir.mkdir()
    (env_dir / "mnist.npz").write_bytes(tiny.data)
    env_dir.chmod(0)
    monkeypatch.setenv("CHAPTER2_DATA_DIR", str(env_dir))
    try:
        with pytest.raises(DatasetError, match="cannot be read"):
            mnist.load_data()
    finally:
        env_dir.chmod(0o755)


# --------------------------------------------------- downloads and the cache


def test_download_is_cached_and_reused(tiny, server, cache):
    server.routes[ROUTE] = Reply(tiny.data)
    assert_loaded(mnist.load_data(), tiny.arrays)
    assert listing(cache) == ["mnist.npz"]
    assert sha256_hex((cache / "mnist.npz").read_bytes()) == sha256_hex(tiny.data)
    assert_loaded(mnist.load_data(), tiny.arrays)
    assert server.hits[ROUTE] == 1


def test_fetch_shows_a_progress_bar_and_returns_the_path(tiny, server, cache, capsys):
    server.routes[ROUTE] = Reply(tiny.data)
    assert mnist.fetch(verbose=True) == cache / "mnist.npz"
    captured = capsys.readouterr()
    assert "100%" in captured.err
    assert "downloaded just now" in captured.out
    assert "6 training and 4 test" in captured.out


def test_truncated_download_is_not_kept(tiny, server, cache):
    server.routes[ROUTE] = Reply(tiny.data[:1000], declared_length=len(tiny.data))
    with pytest.raises(DatasetError, match="could not be downloaded") as info:
        mnist.load_data()
    assert mnist.URL in str(info.value)
    assert listing(cache) == []


def test_corrupted_download_fails_the_checksum_and_is_not_kept(tiny, server, cache):
    damaged = bytearray(tiny.data)
    damaged[len(damaged) // 2] ^= 0xFF
    server.routes[ROUTE] = Reply(bytes(damaged))
    with pytest.raises(DatasetError, match="not kept") as info:
        mnist.load_data()
    assert sha256_hex(tiny.data) in str(info.value)
    assert listing(cache) == []


def test_stalled_download_times_out_and_is_not_kept(tiny, server, cache, monkeypatch):
    monkeypatch.setattr(mnist, "TIMEOUT", 0.5)
    server.routes[ROUTE] = Reply(tiny.data, stall_after=2000)
    with pytest.raises(DatasetError, match="(?i)timed out"):
        mnist.load_data()
    assert listing(cache) == []


def test_http_error_status_is_reported(server, cache):
    with pytest.raises(DatasetError, match="404"):
        mnist.load_data()
    assert listing(cache) == []


def test_offline_without_a_copy_says_what_to_do(cache):
    with pytest.raises(DatasetError) as info:
        mnist.load_data()
    message = str(info.value)
    assert mnist.URL in message
    assert "CHAPTER2_DATA_DIR" in message
    assert str(cache / "mnist.npz") in message
    assert listing(cache) == []


def test_damaged_cached_file_is_moved_aside_and_fetched_again_once(tiny, server, cache):
    server.routes[ROUTE] = Reply(tiny.data)
    cache.mkdir()
    (cache / "mnist.npz").write_bytes(tiny.data[:-10])
    with pytest.warns(UserWarning, match="renamed to mnist.npz.invalid"):
        assert_loaded(mnist.load_data(), tiny.arrays)
    assert server.hits[ROUTE] == 1
    assert (cache / "mnist.npz").read_bytes() == tiny.data
    assert (cache / "mnist.npz.invalid").read_bytes() == tiny.data[:-10]   # kept, not deleted


def test_damaged_cached_file_is_not_trusted_when_refetch_fails(tiny, cache):
    cache.mkdir()
    (cache / "mnist.npz").write_bytes(b"garbage")
    with pytest.warns(UserWarning, match="not a valid MNIST copy"), pytest.raises(DatasetError):
        mnist.load_data()
    assert listing(cache) == ["mnist.npz.invalid"]
    assert (cache / "mnist.npz.invalid").read_bytes() == b"garbage"


def test_cache_path_that_is_a_file_is_a_clear_error(tiny, server, cache):
    server.routes[ROUTE] = Reply(tiny.data)
    cache.write_text("I am a file, not a folder")
    with pytest.raises(DatasetError, match="Cannot write to the folder") as info:
        mnist.load_data()
    assert str(cache) in str(info.value) and "CHAPTER2_CACHE_DIR" in str(info.value)
    assert server.hits[ROUTE] == 0


@skip_if_root
def test_read_only_cache_folder_is_a_clear_error(tiny, server, cache):
    server.routes[ROUTE] = Reply(tiny.data)
    cache.mkdir()
    cache.chmod(0o555)
    try:
        with pytest.raises(DatasetError, match="Cannot write to the folder"):
            mnist.load_data()
    finally:
        cache.chmod(0o755)
    assert server.hits[ROUTE] == 0


def test_fetch_file_keeps_an_already_verified_file(tiny, server, tmp_path):
    target = tmp_path / "deep" / "copy.npz"
    server.routes[ROUTE] = Reply(tiny.data)
    sha = sha256_hex(tiny.data)
    assert download.fetch_file(server.url(ROUTE), target, sha, timeout=5) == target
    assert download.fetch_file(server.url(ROUTE), target, sha, timeout=5) == target
    assert server.hits[ROUTE] == 1
    assert download.file_sha256(target) == sha


# --------------------------------------------------------- the Keras cache


def test_keras_cache_is_reused_without_download(tiny, tmp_path, cache):
    keras = tmp_path / "home" / ".keras" / "datasets" / "mnist.npz"
    keras.parent.mkdir(parents=True)
    keras.write_bytes(tiny.data)
    assert_loaded(mnist.load_data(), tiny.arrays)
    assert mnist.locate().origin == "keras"
    assert not cache.exists()


def test_keras_cache_with_wrong_hash_is_ignored_and_left_alone(tiny, server, tmp_path):
    server.routes[ROUTE] = Reply(tiny.data)
    keras = tmp_path / "home" / ".keras" / "datasets" / "mnist.npz"
    keras.parent.mkdir(parents=True)
    keras.write_bytes(b"an old broken download")
    with pytest.warns(UserWarning, match="Ignoring .* not a valid MNIST copy"):
        assert_loaded(mnist.load_data(), tiny.arrays)
    assert server.hits[ROUTE] == 1
    assert keras.read_bytes() == b"an old broken download"


# ------------------------------------------- checks on what is read (path=)


def _touch(path: str) -> None:
    """Runs only if a pickle is loaded: the side effect the tests look for."""
    Path(path).touch()


class Sentinel:
    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def __reduce__(self):
        return _touch, (self.path,)


def test_object_arrays_are_refused_never_unpickled(tiny, tmp_path):
    sentinel = tmp_path / "unpickled"
    arrays = dict(tiny.arrays, x_test=np.array([Sentinel(sentinel)], dtype=object))
    file = tmp_path / "evil.npz"
    np.savez(file, **arrays)
    with pytest.raises(DatasetError, match="pickled Python objects") as info:
        mnist.load_data(path=file)
    assert "'x_test'" in str(info.value)
    assert not sentinel.exists()
    # The control: the same file does run code when unpickled on purpose.
    with np.load(file, allow_pickle=True) as npz:
        npz["x_test"]
    assert sentinel.exists()


def test_a_raw_pickle_file_is_refused_never_unpickled(tmp_path):
    sentinel = tmp_path / "unpickled"
    file = tmp_path / "evil.npz"
    file.write_bytes(pickle.dumps({"x_train": Sentinel(sentinel)}))
    with pytest.raises(DatasetError, match="not a readable .npz"):
        mnist.load_data(path=file)
    assert not sentinel.exists()


def test_missing_keys_are_named(tiny, tmp_path):
    file = tmp_path / "partial.npz"
    np.savez(file, x_train=tiny.arrays["x_train"], y_train=tiny.arrays["y_train"])
    with pytest.raises(DatasetError, match=r"missing the arrays \['x_test', 'y_test'\]"):
        mnist.load_data(path=file)


@pytest.mark.parametrize(
    ("key", "change", "expected"),
    [
        ("x_train", lambda a: a.astype(np.float32), "dtype float32"),
        ("y_test", lambda a: a.astype(np.int64), "dtype int64"),
        ("x_train", lambda a: a[:, :, :27], r"shape \(6, 28, 27\)"),
        ("y_train", lambda a: a[:5], r"shape \(5,\)"),
    ],
)
def test_wrong_shape_or_dtype_is_refused(tiny, tmp_path, key, change, expected):
    file = tmp_path / "wrong.npz"
    np.savez(file, **dict(tiny.arrays, **{key: change(tiny.arrays[key])}))
    with pytest.raises(DatasetError, match=expected) as info:
        mnist.load_data(path=file)
    assert repr(key) in str(info.value) and str(file) in str(info.value)


def test_labels_outside_0_to_9_are_refused(tiny, tmp_path):
    labels = tiny.arrays["y_test"].copy()
    labels[2] = 10
    file = tmp_path / "labels.npz"
    np.savez(file, **dict(tiny.arrays, y_test=labels))
    with pytest.raises(DatasetError, match="label 10, outside 0..9"):
        mnist.load_data(path=file)


def test_changed_content_fails_the_digest_check(tiny, tmp_path):
    images = tiny.arrays["x_test"].copy()
    images[0, 0, 0] ^= 1
    file = tmp_path / "changed.npz"
    np.savez(file, **dict(tiny.arrays, x_test=images))
    with pytest.raises(DatasetError, match=r"content of \['x_test'\] differs"):
        mnist.load_data(path=file)


@pytest.mark.parametrize(
    "content", [b"", b"hello, I am a text file\n", b"PK\x03\x04 but no archive"]
)
def test_not_a_zip_is_refused(tmp_path, content):
    file = tmp_path / "mnist.npz"
    file.write_bytes(content)
    with pytest.raises(DatasetError, match="not a readable .npz archive"):
        mnist.load_data(path=file)


def test_a_zip_that_is_not_an_npz_is_refused(tmp_path):
    file = tmp_path / "mnist.npz"
    with zipfile.ZipFile(file, "w") as archive:
        archive.writestr("readme.txt", "no arrays here")
    with pytest.raises(DatasetError, match=r"holds \['readme.txt'\]"):
        mnist.load_data(path=file)


def test_a_zip_member_that_is_not_npy_is_refused(tiny, tmp_path):
    file = tmp_path / "mnist.npz"
    np.savez(file, **{k: v for k, v in tiny.arrays.items() if k != "y_test"})
    with zipfile.ZipFile(file, "a") as archive:
        archive.writestr("y_test.npy", "plain text, not an array")
    with pytest.raises(DatasetError, match="'y_test' is not a valid .npy array"):
        mnist.load_data(path=file)


def test_a_single_npy_file_is_refused(tiny, tmp_path):
    file = tmp_path / "mnist.npz"
    with open(file, "wb") as stream:
        np.save(stream, tiny.arrays["x_train"])
    with pytest.raises(DatasetError, match="single .npy array"):
        mnist.load_data(path=file)


def test_truncated_file_is_refused(tiny, tmp_path):
    file = tmp_path / "mnist.npz"
    file.write_bytes(tiny.data[: len(tiny.data) * 2 // 3])
    with pytest.raises(DatasetError, match="not a readable .npz archive"):
        mnist.load_data(path=file)


def test_corrupted_bytes_inside_the_archive_are_refused(tiny, tmp_path, monkeypatch):
    # Without digests, only zip's own CRC check can notice the change.
    no_digests = NpzLayout(mnist.LAYOUT.shapes, label_keys=("y_train", "y_test"))
    monkeypatch.setattr(mnist, "LAYOUT", no_digests)
    damaged = bytearray(tiny.data)
    start = damaged.index(b"x_train.npy") + 200  # inside the x_train pixels
    damaged[start : start + 8] = bytes(8)
    file = tmp_path / "mnist.npz"
    file.write_bytes(bytes(damaged))
    with pytest.raises(DatasetError, match="'x_train' is damaged"):
        mnist.load_data(path=file)


def test_path_that_is_a_folder_is_refused(tmp_path):
    with pytest.raises(DatasetError, match="is a folder"):
        mnist.load_data(path=tmp_path)

