"""Weights files (chapter2.saving): headers are checked before any data is read, and saved files are readable.

The issue these guard against: ``load_weights`` used to decompress every array
before comparing shapes, so a 0.5 MB file of another model's zeros cost
half a gigabyte, and a 200-byte file whose header claims 4 TB raised a raw
``MemoryError``. Now every header is compared with the model first, and a
mismatch is refused before a single data byte is read.
"""

from __future__ import annotations

import os
import stat

import numpy as np
import pytest

from chapter2 import layers, models, npz, saving
from chapter2.errors import InputValueError
from chapter2.utils import set_random_seed
from helpers.npy import npy_header


@pytest.fixture
def model():
    set_random_seed(0)
    net = models.Sequential([layers.Dense(5, activation="relu", input_shape=(4,)), layers.Dense(3)])
    net.compile("sgd", "mse")
    return net


@pytest.fixture
def data_reads(monkeypatch):
    """Count the arrays whose data is read (not just their headers)."""
    reads = []
    real = npz.read_data

    def counting(archive, member, header):
        reads.append(member.filename)
        return real(archive, member, header)

    monkeypatch.setattr(npz, "read_data", counting)
    return reads


def test_a_file_of_another_models_large_arrays_is_refused_without_reading_their_data(model, tmp_path, data_reads):
    path = tmp_path / "big.weights.npz"
    big = [np.zeros((2000, 2000), np.float32), np.zeros(2000, np.float32),
           np.zeros((2000, 3), np.float32), np.zeros(3, np.float32)]
    np.savez_compressed(path, **{f"w{i}": w for i, w in enumerate(big)})
    assert path.stat().st_size < 100_000                       # tiny on disk, 16 MB once decompressed
    with pytest.raises(InputValueError, match=r"weights\[0\] must have shape \(4, 5\), got \(2000, 2000\)"):
        model.load_weights(path)
    assert data_reads == []


def test_a_header_claiming_terabytes_costs_nothing(model, tmp_path, data_reads):
    import zipfile

    path = tmp_path / "claims.weights.npz"
    with zipfile.ZipFile(path, "w") as archive:
        for i, shape in enumerate([(10**6, 10**6), (5,), (5, 3), (3,)]):
            archive.writestr(f"w{i}.npy", npy_header(shape))
    assert path.stat().st_size < 1000
    with pytest.raises(InputValueError, match=r"\(1000000, 1000000\)"):
        model.load_weights(path)
    assert data_reads == []


def test_a_good_file_reads_each_array_once_and_round_trips(model, tmp_path, data_reads):
    path = tmp_path / "good.weights.npz"
    model.save_weights(path)
    twin = models.Sequential([layers.Dense(5, activation="relu", input_shape=(4,)), layers.Dense(3)])
    twin.load_weights(path)
    assert sorted(data_reads) == ["w0.npy", "w1.npy", "w2.npy", "w3.npy"]
    for a, b in zip(model.get_weights(), twin.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o077, 0o600)])
def test_a_saved_weights_file_gets_the_permissions_of_the_umask(model, tmp_path, umask, mode):
    previous = os.umask(umask)
    try:
        model.save_weights(tmp_path / "shared.weights.npz")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(os.stat(tmp_path / "shared.weights.npz").st_mode) == mode


def test_the_path_is_checked_before_anything_is_written(tmp_path):
    with pytest.raises(InputValueError, match="Keras writes .h5"):
        saving.check_weights_path(tmp_path / "model.weights.h5")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        saving.check_weights_path(tmp_path / "missing" / "w.npz")
    assert saving.check_weights_path(tmp_path / "w.npz") == tmp_path / "w.npz"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("trick", [{"flag": 0x1}, {"method": 9}], ids=["encrypted", "deflate64"])
def test_a_weights_file_with_an_unreadable_member_is_a_clear_error(model, tmp_path, trick):
    from helpers.mnist_files import patch_zip_members

    path = tmp_path / "m.weights.npz"
    model.save_weights(path)
    path.write_bytes(patch_zip_members(path.read_bytes(), **trick))
    with pytest.raises(InputValueError, match="encrypted|Deflate64"):
        model.load_weights(path)
