"""Smoke tests of benchmarks/: every script runs at a tiny size and prints sane figures.

The benchmarks broke silently before (issue 22, item 5), since nothing ran them
but a person timing the job. Each test runs one script as a fresh process, as a
person would, at the smallest size it offers and one round, and checks that it
exits 0 and prints the figures it promises. Nothing here judges speed: a tiny
run's times mean nothing, and a shared CI machine's even less.

The peers (PyTorch, Keras) get ``/nonexistent`` interpreters, so the run is the
same on every machine: they must be reported as skipped, with the reason.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
PROJECT = ("chapter2", "chapter2-numpy", "cli", "numpy-loop", "numpy-tuned")
PEERS = ("pytorch", "keras-tf", "keras-jax")
NO_PEERS = ("--peer-python", "/nonexistent", "--keras-python", "/nonexistent",
            "--keras-jax-python", "/nonexistent")
TIMEOUT = 240  # seconds for one script: minutes more than a tiny run needs, so only a hang trips it

pytestmark = pytest.mark.slow  # each trains, or starts many processes


@pytest.fixture(scope="module")
def data_env() -> dict[str, str]:
    """Our environment, which must name the MNIST folder: an error in CI, a skip elsewhere."""
    folder = os.environ.get("CHAPTER2_DATA_DIR")
    if not folder or not (Path(folder) / "mnist.npz").is_file():
        if os.environ.get("CI"):
            pytest.fail("CI must set CHAPTER2_DATA_DIR to a folder holding mnist.npz (see .ci/run)")
        pytest.skip("set CHAPTER2_DATA_DIR to a folder holding mnist.npz to run the benchmarks")
    return dict(os.environ)


def run_script(env: dict[str, str], script: str, *args: str) -> str:
    """Run ``benchmarks/<script> args`` with this interpreter; assert it exits 0; return its stdout."""
    result = subprocess.run([sys.executable, str(BENCH / script), *args], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 0, (f"{script} {' '.join(args)} exited {result.returncode}:\n"
                                    f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def numbers(pattern: str, text: str) -> list[float]:
    """Every figure ``pattern``'s one group captures in ``text``; at least one must be there."""
    found = [float(value) for value in re.findall(pattern, text)]
    assert found, f"no {pattern!r} in:\n{text}"
    return found


def test_run_tiny_reports_every_contender(data_env, tmp_path):
    """run.py --tiny: the project's contenders train, the peers are skipped with a reason."""
    report = tmp_path / "run.json"
    out = run_script(data_env, "run.py", "--tiny", "--repeat", "1", "--json", str(report),
                     "--only", ",".join(PROJECT + PEERS), *NO_PEERS)
    # A tiny run must say so, lest its figures be taken for the real job's.
    assert "size: TINY" in out
    assert "not judged at the tiny size" in out
    assert " -> yes" not in out and " -> NO" not in out
    raw = json.loads(report.read_text())
    assert raw["tiny"] is True
    assert raw["floors"]["real_shape_s"] > 0 and raw["floors"]["peak_gflops"] > 0
    for name in PROJECT:
        outcome = raw["results"][name]
        assert not outcome["failed"] and not outcome["skipped"], (name, outcome)
        [result] = outcome["runs"]
        assert result["fit_s"] > 0, (name, result)
        assert 0 <= result["test_acc"] <= 1, (name, result)
    for name in PEERS:
        outcome = raw["results"][name]
        assert outcome["runs"] == [] and "/nonexistent" in outcome["skipped"], (name, outcome)
        assert f"{name:<14}  skipped: no " in out


def test_classroom_tiny_fills_its_columns(data_env):
    """classroom.py --tiny: free and concurrent fits measured; each quota measured or skipped, with why."""
    out = run_script(data_env, "classroom.py", "--tiny", "--only", "chapter2", "--quotas", "1",
                     "--concurrent", "2", *NO_PEERS)
    assert "size: TINY" in out
    heads, row = [line.split(" | ") for line in out.splitlines() if line.startswith(("contender |", "chapter2 |"))]
    assert heads[1] == "free fit s" and heads[-1].startswith("2 at once")
    cells = dict(zip(heads, row))
    assert float(cells["free fit s"]) > 0
    assert float(cells[heads[-1]].split()[0]) > 0
    quota = next(cell for head, cell in cells.items() if head.startswith("quota 1 CPU"))
    assert re.fullmatch(r"[0-9.]+ \([0-9.]+x\)|skipped: \S.*", quota), quota


def test_grading_tiny_scores_agree(data_env):
    """grading.py with two submissions and one configuration grades them as expected."""
    out = run_script(data_env, "grading.py", "--count", "2", "--runs", "1")
    assert "scores identical in all runs" in out
    assert numbers(r"(\d+\.\d) nb/min", out)


def nbgrader_python() -> str:
    """A Python with nbgrader: skipped locally without one, an error in CI (as test_classroom_nbgrader)."""
    named = os.environ.get("CHAPTER2_NBGRADER_PYTHON")
    if named:
        return named
    if os.environ.get("CI"):
        pytest.fail("CI must set CHAPTER2_NBGRADER_PYTHON (see .ci/run)")
    pytest.skip("set CHAPTER2_NBGRADER_PYTHON to a Python that has nbgrader")


def test_grading_vs_nbgrader_tiny_prints_three_rows(data_env):
    """grading_vs_nbgrader.py: nbgrader and chapter2's two worker counts, each with its figures."""
    out = run_script(data_env, "grading_vs_nbgrader.py", "--count", "2", "--repeat", "1",
                     "--nbgrader-python", nbgrader_python())
    for run in ("nbgrader autograde", "chapter2 grade --workers 1", "chapter2 grade --workers 2"):
        assert numbers(rf"{re.escape(run)}\s+([0-9.]+)", out)[0] > 0
    assert "every run gave each honest submission full marks" in out


def test_floors_few_steps(data_env):
    """floors.py with one short trial prints its JSON line of positive figures."""
    floors = json.loads(run_script(data_env, "floors.py", "--trials", "1", "--steps", "20").splitlines()[-1])
    assert floors["steps"] == 20
    assert floors["peak_gflops"] > 0 and floors["real_shape_s"] > 0 and floors["bound_s"] > 0


def test_step_breakdown_tiny(data_env):
    """step_breakdown.py --tiny: an 8-step epoch, cut into sections with their shares."""
    out = run_script(data_env, "step_breakdown.py", "--tiny")
    assert "one epoch = 8 steps" in out
    assert numbers(r"matmul x @ W1\s+([0-9.]+)", out)[0] >= 0
    assert len(numbers(r"(?m)\s(-?[0-9.]+)%$", out)) >= 10  # the sections and the bookkeeping


def test_accuracy_over_seeds_one_epoch(data_env):
    """accuracy_over_seeds.py for one seed and one epoch prints an accuracy in [0, 1]."""
    out = run_script(data_env, "accuracy_over_seeds.py", "--seeds", "0", "--epochs", "1")
    [accuracy] = numbers(r"seed 0: test accuracy ([0-9.]+)", out)
    assert 0 <= accuracy <= 1
    assert "not the book example's" in out and "over 1 seeds" in out


def test_autodiff_vs_engine_tiny(data_env):
    """autodiff_vs_engine.py --tiny: per-step times, and both runs' accuracies."""
    out = run_script(data_env, "autodiff_vs_engine.py", "--tiny", "--epochs", "1", "--rounds", "1")
    assert "size: TINY" in out
    assert min(numbers(r"(?:engine|autodiff) ([0-9.]+) ms", out)) > 0
    accuracies = numbers(r"test accuracy ([0-9.]+)", out)
    assert len(accuracies) == 2 and all(0 <= a <= 1 for a in accuracies)


def test_import_time_one_round(data_env):
    """import_time.py --rounds 1 prints its table row with a figure (any sign: one round is noise)."""
    out = run_script(data_env, "import_time.py", "--rounds", "1")
    assert numbers(r"\(1 rounds\) \| (-?[0-9.]+) \|", out)
