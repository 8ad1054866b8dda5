"""A loader cut off from the real world, and small MNIST-shaped files, for the dataset tests."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np


def isolate_loader(tmp_path: Path, monkeypatch) -> None:
    """Point HOME, every cache folder and the proxy rules away from the real ones."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("CHAPTER2_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CHAPTER2_DATA_DIR", raising=False)
    monkeypatch.delenv("KERAS_HOME", raising=False)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")


def random_mnist(train: int, test: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Arrays shaped like MNIST's, with ``train`` and ``test`` samples of random pixels and labels."""
    rng = np.random.default_rng(seed)
    return {"x_train": rng.integers(0, 256, size=(train, 28, 28), dtype=np.uint8),
            "y_train": rng.integers(0, 10, size=train, dtype=np.uint8),
            "x_test": rng.integers(0, 256, size=(test, 28, 28), dtype=np.uint8),
            "y_test": rng.integers(0, 10, size=test, dtype=np.uint8)}


def npz_bytes(compressed: bool = False, **arrays: np.ndarray) -> bytes:
    """The bytes of an ``.npz`` archive of ``arrays``, as ``np.savez`` (or ``savez_compressed``) writes it."""
    buffer = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buffer, **arrays)
    return buffer.getvalue()


def patch_zip_members(data: bytes, *, flag: int = 0, method: int | None = None) -> bytes:
    """The archive with every member's flag bits or compression method rewritten in both headers."""
    raw = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    central = raw.rfind(b"PK\x05\x06")
    start = int.from_bytes(raw[central + 16:central + 20], "little")
    for info in infos:
        local = info.header_offset
        raw[local + 6:local + 8] = (info.flag_bits | flag).to_bytes(2, "little")
        if method is not None:
            raw[local + 8:local + 10] = method.to_bytes(2, "little")
    position = start
    for _ in infos:
        raw[position + 8:position + 10] = (int.from_bytes(raw[position + 8:position + 10], "little")
                                           | flag).to_bytes(2, "little")
        if method is not None:
            raw[position + 10:position + 12] = method.to_bytes(2, "little")
        size = 46 + sum(int.from_bytes(raw[position + o:position + o + 2], "little") for o in (28, 30, 32))
        position += size
    return bytes(raw)
