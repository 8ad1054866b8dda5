"""Without a browser the JupyterLab walkthrough is skipped with the way to enable it, except under CI."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run_walkthrough_without_a_browser(ci: str | None):
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "CHAPTER2_SKIP_BROWSER")}
    env["CHAPTER2_BROWSER"] = str(ROOT / "no-such-browser")
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "tests/browser/test_jupyterlab.py", "-k", "01_first_look",
         "-p", "no:cacheprovider", "-rs", "-q"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_outside_ci_a_missing_browser_skips_with_a_one_line_reason():
    result = _run_walkthrough_without_a_browser(ci=None)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    reason = next(line for line in result.stdout.splitlines() if line.startswith("SKIPPED"))
    assert "no Chromium-family browser was found" in reason and ".ci/install-browser" in reason
    assert "playwright install chromium" in reason


@pytest.mark.parametrize("ci", ["true", "1"])
def test_under_ci_a_missing_browser_fails_the_run(ci):
    result = _run_walkthrough_without_a_browser(ci=ci)
    assert result.returncode != 0
    assert "CI=true requires it" in result.stdout
