"""Fixtures for the browser test: JupyterLab on a copy of the notebooks, and Chromium.

The test needs the Python package ``playwright`` (in the ``test`` extras) and a
Chromium it can drive: Debian's (``sudo bash .ci/install-browser``), one on
PATH, one named by ``CHAPTER2_BROWSER=/path/to/chrome``, or the one
``python -m playwright install chromium`` downloads. Without one the test is
skipped with a line saying how to enable it, except under ``CI=true``, where a
missing browser FAILS the run, so CI cannot pass without really running it.
``CHAPTER2_SKIP_BROWSER=1`` skips it on purpose, and ``-m "not browser"``
deselects it.

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
from labdriver import CHROMIUM_ARGS, NOTEBOOK_DIR, find_browser, start_lab  # noqa: E402

VIEWPORT = {"width": 1280, "height": 900}
HOW_TO_ENABLE = ("install Debian's Chromium (sudo bash .ci/install-browser) or run "
                 "`python -m playwright install chromium`, or name one with CHAPTER2_BROWSER=/path")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: runs the notebooks in JupyterLab in a headless Chromium "
                   "(skipped without one, except under CI=true)")


def _missing(what: str) -> None:
    """Fail under CI, where the walkthrough must run; skip with the way to enable it elsewhere."""
    message = f"JupyterLab browser test not run: {what}; to run it, {HOW_TO_ENABLE}"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{message} (CI=true requires it)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser_path() -> str:
    """The browser to drive; skipped only on request or, outside CI, when there is none."""
    if os.environ.get("CHAPTER2_SKIP_BROWSER") == "1":
        pytest.skip("CHAPTER2_SKIP_BROWSER=1 is set: the JupyterLab browser test was skipped on request")
    try:
        import playwright  # noqa: F401
    except ImportError:
        _missing("the Python package playwright is not installed (pip install -e '.[test]')")
    path = find_browser()
    if path is None:
        _missing("no Chromium-family browser was found")
    return path


@pytest.fixture(scope="session")
def lab_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the notebooks, so running them never changes the stored ones."""
    root = tmp_path_factory.mktemp("lab") / "notebooks"
    shutil.copytree(NOTEBOOK_DIR, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return root


@pytest.fixture(scope="session")
def lab(browser_path, lab_root: Path, tmp_path_factory: pytest.TempPathFactory):
    """A JupyterLab server on the copy, stopped (its whole process group) at the end."""
    server = start_lab(lab_root, tmp_path_factory.mktemp("jupyter"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium(browser_path):
    """The browser found, headless, driven by playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=browser_path, args=CHROMIUM_ARGS)
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
