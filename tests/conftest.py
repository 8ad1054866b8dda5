"""Shared fixtures: small synthetic data, and the real MNIST when CHAPTER2_DATA_DIR is set."""

import os

import numpy as np
import pytest

# Fixture notebooks (some deliberately broken) are data for the grader tests,
# not notebooks for nbval to check.
collect_ignore = ["data"]

# The variables through which the BLAS and OpenMP libraries take a thread count.
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def pytest_configure(config):
    """Under pytest-xdist (the README's ``-n auto``), give each worker its share of the cores.

    Without this every worker's OpenBLAS starts one thread per core, and on two
    cores two workers' threads spin waiting for each other: training in a test
    ran six times slower than alone. A thread count the user set is kept; the
    variables reach the kernels and subprocesses the tests start, threadpoolctl
    the libraries already loaded in this process.
    """
    workers = os.environ.get("PYTEST_XDIST_WORKER_COUNT")
    if not workers:
        return
    from threadpoolctl import threadpool_limits

    threads = max(1, (os.cpu_count() or 1) // int(workers))
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, str(threads))
    threadpool_limits(int(os.environ["OPENBLAS_NUM_THREADS"]))


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


def pytest_collection_modifyitems(config, items):
    """Run the browser walkthrough first: the longest file, so under ``-n auto`` it starts
    at once on one worker while the others share the rest, instead of running alone at the end."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is None)
