"""Shared fixtures: small synthetic data, and the real MNIST when CHAPTER2_DATA_DIR is set."""

import os

import numpy as np
import pytest

# Fixture notebooks (some deliberately broken) are data for the grader tests,
# not notebooks for nbval to check.
collect_ignore = ["data"]


@pytest.fixture
def blobs():
    """Three well-separated Gaussian blobs in 4-D: (x float32 (300, 4), labels int (300,))."""
    rng = np.random.default_rng(7)
    centres = rng.normal(scale=4.0, size=(3, 4))
    labels = np.repeat(np.arange(3), 100)
    x = (centres[labels] + rng.normal(size=(300, 4))).astype("float32")
    order = rng.permutation(300)
    return x[order], labels[order]


@pytest.fixture(scope="session")
def mnist_data():
    """The real MNIST arrays, from CHAPTER2_DATA_DIR in CI or the user's cache / a download.

    In CI (CI=true) a missing dataset is an error; elsewhere (an offline laptop)
    the tests that need it are skipped with the loader's explanation.
    """
    from chapter2.datasets import mnist
    from chapter2.errors import DatasetError
    try:
        return mnist.load_data()
    except DatasetError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"MNIST is not available: {exc}")
