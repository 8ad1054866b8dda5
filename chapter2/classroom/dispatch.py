"""Send grading jobs to workers: threads on this machine, or a Dask distributed cluster.

Each job is graded by :func:`chapter2.classroom.runner.run_job`, which starts a
runner process of its own wherever it runs, so the isolation is the same on
a local worker and on a Dask worker (which needs chapter2 installed, and
bubblewrap unless grading with ``--no-sandbox``). Results come back in the
order of the jobs; a job that fails on a worker is reported as ungraded, and
the others go on.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Callable, Sequence

from ..errors import InputValueError
from .runner import failed_outcome, run_job


def default_workers() -> int:
    """One worker per core of this machine."""
    return os.cpu_count() or 1


def grade_jobs(jobs: Sequence[dict], workers: int | None = None, scheduler: str | None = None,
               progress: bool = False) -> list[dict]:
    """Grade every job; the outcomes, in the order of ``jobs``."""
    bar = _progress_bar(len(jobs), progress)
    try:
        if scheduler:
            return _on_dask(jobs, scheduler, bar.update)
        return _on_threads(jobs, workers or default_workers(), bar.update)
    finally:
        bar.close()


def _on_threads(jobs: Sequence[dict], workers: int, tick: Callable[[int], object]) -> list[dict]:
    outcomes: list[dict | None] = [None] * len(jobs)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grader") as pool:
        futures = {pool.submit(run_job, job): i for i, job in enumerate(jobs)}
        for future in as_completed(futures):
            outcomes[futures[future]] = _outcome(jobs[futures[future]], future)
            tick(1)
    return outcomes


def _on_dask(jobs: Sequence[dict], scheduler: str, tick: Callable[[int], object]) -> list[dict]:
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise InputValueError("--scheduler needs Dask distributed: pip install \"chapter2[cluster]\"") \
            from None
    try:
        client = Client(scheduler, timeout=10)
    except (OSError, TimeoutError) as error:
        raise InputValueError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
    outcomes: list[dict | None] = [None] * len(jobs)
    with client:
        futures = {client.submit(run_job, job, pure=False): i for i, job in enumerate(jobs)}
        for future in dask_completed(futures):
            outcomes[futures[future]] = _outcome(jobs[futures[future]], future)
            tick(1)
    return outcomes


def _outcome(job: dict, future) -> dict:
    try:
        return future.result()
    except Exception as error:  # a worker lost or crashed: this submission only
        return failed_outcome(job, f"the grading worker failed: {type(error).__name__}: {error}")


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress_bar(total: int, show: bool):
    if not show:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, unit="notebook", desc="grading", file=sys.stderr)


def worker_count(value: object) -> int:
    """Validate a number of workers (a positive integer)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputValueError(f"workers must be a positive integer, got {value!r}")
    return value


__all__ = ["default_workers", "grade_jobs", "worker_count"]
