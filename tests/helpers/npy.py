"""Hand-made ``.npy`` bytes for tests of readers that must check headers before data."""

from __future__ import annotations

import io

import numpy as np


def npy_header(shape: tuple[int, ...], descr: str = "<f4") -> bytes:
    """The magic string and header of an ``.npy`` array of ``shape``, with no data after it."""
    stream = io.BytesIO()
    np.lib.format.write_array_header_1_0(stream, {"descr": descr, "fortran_order": False, "shape": shape})
    return stream.getvalue()
