"""Fixtures for the browser test: JupyterLab on a copy of the notebooks, and Chromium.

The test needs the Python package ``playwright`` and Debian's Chromium at
/usr/bin/chromium (``.ci/install-browser`` installs it). When either is missing
the test FAILS, so CI cannot pass without really running it; set
``CHAPTER2_SKIP_BROWSER=1`` to skip it on purpose, or deselect it with
``-m "not browser"``.

``CHAPTER2_BROWSER_NOTEBOOKS=/some/dir`` runs the test on the notebooks of
another folder (handy while writing a notebook); the default is ``notebooks/``.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

# labdriver sits beside this file; make it importable under any --import-mode.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from labdriver import CHROMIUM, CHROMIUM_ARGS, NOTEBOOK_DIR, start_lab  # noqa: E402

VIEWPORT = {"width": 1280, "height": 900}
HOW_TO_INSTALL = ("run .ci/install-browser (Debian's chromium) and "
                  "`pip install playwright` (its own browser download does not work here), "
                  "or set CHAPTER2_SKIP_BROWSER=1 to skip the browser test on purpose")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: runs the notebooks in JupyterLab in headless Chromium "
                   "(needs .ci/install-browser and playwright)")


@pytest.fixture(scope="session")
def browser_tools() -> None:
    """Skip only on request; otherwise fail loudly when a tool is missing."""
    if os.environ.get("CHAPTER2_SKIP_BROWSER") == "1":
        pytest.skip("CHAPTER2_SKIP_BROWSER=1 is set: the JupyterLab browser test was skipped on request")
    try:
        import playwright  # noqa: F401
    except ImportError:
        pytest.fail(f"the Python package playwright is not installed: {HOW_TO_INSTALL}", pytrace=False)
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} not found: {HOW_TO_INSTALL}", pytrace=False)


@pytest.fixture(scope="session")
def lab_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the notebooks, so running them never changes the stored ones."""
    root = tmp_path_factory.mktemp("lab") / "notebooks"
    shutil.copytree(NOTEBOOK_DIR, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return root


@pytest.fixture(scope="session")
def lab(browser_tools, lab_root: Path, tmp_path_factory: pytest.TempPathFactory):
    """A JupyterLab server on the copy, stopped (its whole process group) at the end."""
    server = start_lab(lab_root, tmp_path_factory.mktemp("jupyter"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium(browser_tools):
    """Debian's Chromium, headless, driven by playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, lab):
    """A fresh browser tab; afterwards its kernels are shut down to spare the CPU."""
    context = chromium.new_context(viewport=VIEWPORT)
    context.set_default_timeout(60_000)
    tab = context.new_page()
    yield tab
    context.close()
    lab.shut_down_kernels()
