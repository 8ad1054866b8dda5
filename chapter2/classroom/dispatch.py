"""Send grading jobs to workers: threads on this machine, or a Dask distributed cluster.

Each job is graded in a runner process of its own wherever it runs
(:mod:`chapter2.classroom.runner`), so the isolation is the same on a local
worker and on a Dask worker (which needs chapter2 installed, and
bubblewrap unless grading with ``--no-sandbox``). A job that fails on a
worker is reported as ungraded, and the others go on.

Security: a Dask scheduler runs whatever its clients send on every worker,
and takes any worker that connects. The grader therefore talks only to a
``tls://`` scheduler, presenting the teacher's certificate
(:mod:`~chapter2.classroom.certs`), unless told explicitly to trust the
network (:attr:`Scheduler.insecure`).

Memory: only a few jobs are in flight at once (a *window*: one per local
worker, a few per Dask thread). A job is made just before it is sent and
each outcome is handed to ``record`` as soon as it arrives, then dropped, so
the main process never holds every restored notebook or every executed one.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor
from concurrent.futures import wait as wait_threads
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ..errors import InputValueError
from .protocol import Job, Outcome
from .runner import RunnerLines, run_job

#: Jobs in flight per Dask worker thread (enough to keep every worker busy).
_DASK_WINDOW_PER_THREAD = 2


@dataclass(frozen=True)
class Scheduler:
    """A Dask scheduler to grade on.

    Parameters
    ----------
    address : str
        ``tls://HOST:PORT`` (or ``tcp://HOST:PORT`` with ``insecure``).
    tls : Path, optional
        The folder of ``python -m chapter2 grade-certs``; required unless ``insecure``.
    insecure : bool
        Grade over an unauthenticated scheduler: whoever reaches it can run
        code on the grading workers and join as a worker (the README says so).
    """

    address: str
    tls: Path | None = None
    insecure: bool = False

    def connect(self):
        """A Dask client for this scheduler; refuses an unauthenticated one unless ``insecure``."""
        from distributed import Client

        if self.tls is not None:
            from .certs import security

            if not self.address.startswith("tls://"):
                raise InputValueError(f"with certificates the scheduler's address is tls://HOST:PORT, "
                                      f"not {self.address!r}")
            return Client(self.address, timeout=10, security=security(self.tls))
        if not self.insecure:
            raise InputValueError(
                f"refusing to grade over {self.address!r} without the teacher's certificates: anyone "
                "who reaches an unauthenticated scheduler can run code on the workers or join as one. "
                "Make certificates with `python -m chapter2 grade-certs DIR`, start the cluster with "
                "them (see the README), and pass --tls DIR; or pass --insecure-scheduler on a network "
                "only the teacher's machines reach.")
        return Client(self.address, timeout=10)


def default_workers() -> int:
    """One worker per core of this machine."""
    return os.cpu_count() or 1


def grade_jobs(jobs: Iterable[tuple[int, Callable[[], Job | None]]],
               record: Callable[[int, Job, Outcome], None], total: int, workers: int | None = None,
               scheduler: Scheduler | str | None = None, progress: bool = False) -> None:
    """Grade every job, handing each outcome to ``record`` as it arrives.

    Parameters
    ----------
    jobs : iterable of (key, make_job)
        ``make_job()`` builds the job (or returns None when there is nothing
        to grade); it is called only when the job can be sent at once.
    record : callable
        ``record(key, job, outcome)``, called in this thread, in the order outcomes arrive.
    total : int
        Number of jobs, for the progress bar.
    scheduler : Scheduler or str, optional
        Grade on this Dask scheduler. A bare address is a :class:`Scheduler`
        without certificates, so it is refused as unauthenticated.
    """
    bar = _progress_bar(total, progress)
    try:
        if scheduler:
            _on_dask(jobs, record, scheduler, bar.update)
        else:
            _on_threads(jobs, record, workers or default_workers(), bar.update)
    finally:
        bar.close()


def _on_threads(jobs, record, workers: int, tick: Callable[[int], object]) -> None:
    # Each worker thread starts its next submission's runner while it grades the current one.
    with RunnerLines() as lines, \
            ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grader") as pool:
        _windowed(jobs, record, workers, lambda job: pool.submit(lines.grade, job),
                  lambda pending: wait_threads(pending, return_when=FIRST_COMPLETED)[0], tick)


def _on_dask(jobs, record, scheduler: Scheduler | str, tick: Callable[[int], object]) -> None:
    try:
        from distributed import wait as wait_dask
    except ImportError:
        raise InputValueError("--scheduler needs Dask distributed: pip install \"chapter2[cluster]\"") \
            from None
    if isinstance(scheduler, str):
        scheduler = Scheduler(scheduler)
    try:
        client = scheduler.connect()
    except (OSError, TimeoutError) as error:
        raise InputValueError(f"cannot reach the Dask scheduler at {scheduler.address}: {error}") from None
    with client:
        threads = sum(client.nthreads().values()) or 1
        _windowed(jobs, record, threads * _DASK_WINDOW_PER_THREAD,
                  lambda job: client.submit(run_job, job, pure=False),
                  lambda pending: wait_dask(list(pending), return_when="FIRST_COMPLETED").done, tick)


def _windowed(jobs: Iterable[tuple[int, Callable[[], Job | None]]],
              record: Callable[[int, Job, Outcome], None], window: int,
              submit: Callable[[Job], object], wait_some: Callable[[set], set],
              tick: Callable[[int], object]) -> None:
    """Keep at most ``window`` jobs in flight; record each outcome as it arrives."""
    pending: dict[object, tuple[int, Job]] = {}
    jobs = iter(jobs)
    while True:
        while len(pending) < window:
            made = _next_job(jobs, tick)
            if made is None:
                break
            key, job = made
            pending[submit(job)] = (key, job)
        if not pending:
            return
        for future in wait_some(set(pending)):
            key, job = pending.pop(future)
            record(key, job, _outcome(job, future))
            tick(1)


def _next_job(jobs, tick: Callable[[int], object]) -> tuple[int, Job] | None:
    """The next (key, job) to send, skipping (and counting as done) those with nothing to grade."""
    for key, make in jobs:
        job = make()
        if job is not None:
            return key, job
        tick(1)
    return None


def _outcome(job: Job, future) -> Outcome:
    try:
        return future.result()
    except Exception as error:  # a worker lost or crashed: this submission only
        return Outcome.failed(job, f"the grading worker failed: {type(error).__name__}: {error}")
    finally:
        release = getattr(future, "release", None)  # a Dask future: the cluster may drop the result
        if release is not None:
            release()


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


__all__ = ["Scheduler", "default_workers", "grade_jobs", "worker_count"]
