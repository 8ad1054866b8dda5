"""The CPUs this process may use, and BLAS threads to match them.

On a JupyterHub pod ``os.cpu_count()`` reports every core of the node while a
cgroup quota lets the pod use one or two. OpenBLAS starts one thread per
reported core, and the extra threads spin against the quota: one epoch of the
seed network took 2.95 s under a 1-CPU quota instead of 1.43 s with one thread.
:func:`usable_cpus` reads the affinity mask and the cgroup quota (v2
``cpu.max`` or v1 ``cpu.cfs_quota_us``), and :func:`matching_threads` caps the
BLAS pools at that number while ``fit``, ``evaluate`` or ``predict`` runs;
during ``fit``, a :class:`ThreadShare` drops them to one thread when other
processes crowd the CPUs.

What the user chose always wins: with any of :data:`USER_SETTINGS` in the
environment nothing is changed, and a pool already below the reported core
count (``threadpoolctl.threadpool_limits(2)`` around the call, say) is left as
it is. ``CHAPTER2_MATCH_THREADS=0`` turns the whole mechanism off. The fused
numba kernels are single-threaded, so only BLAS needs the cap.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import time
from pathlib import Path
from typing import Iterator

#: Environment variables through which a user sets BLAS thread counts themselves.
USER_SETTINGS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
                 "VECLIB_MAXIMUM_THREADS")
SWITCH = "CHAPTER2_MATCH_THREADS"


def usable_cpus(proc: Path | str = "/proc") -> int:
    """How many CPUs this process may keep busy: affinity mask and cgroup quota, whichever is smaller.

    A fractional quota rounds down (1.5 CPUs allow one busy thread), but never below 1.

    Parameters
    ----------
    proc : path, default "/proc"
        Where to read ``self/cgroup`` and ``self/mountinfo`` (tests pass a fake tree).

    Examples
    --------
    >>> 1 <= usable_cpus() <= (os.cpu_count() or 1)
    True
    """
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    quota = cgroup_quota(proc)
    if quota is not None:
        cpus = min(cpus, max(1, math.floor(quota)))
    return max(1, cpus)


def cgroup_quota(proc: Path | str = "/proc") -> float | None:
    """The CPU quota of this process's cgroup and its ancestors in CPUs (0.5, 2.0, ...), or None.

    Reads cgroup v2 ``cpu.max`` and v1 ``cpu.cfs_quota_us`` / ``cpu.cfs_period_us``
    at every level from the process's own group up to the mount's root, and
    returns the smallest quota found; None where there is none or nothing can be read.
    """
    proc = Path(proc)
    try:
        memberships = (proc / "self" / "cgroup").read_text().splitlines()
        mounts = (proc / "self" / "mountinfo").read_text().splitlines()
    except OSError:
        return None
    quotas = [q for folder in _cpu_folders(memberships, mounts) for q in _quotas_up_from(folder)]
    return min(quotas, default=None)


def _cpu_folders(memberships: list[str], mounts: list[str]) -> Iterator[tuple[Path, Path]]:
    """(the process's cgroup folder, the mount point) for each hierarchy that holds a CPU quota."""
    groups = {}
    for line in memberships:
        number, controllers, path = (line.split(":", 2) + ["", ""])[:3]
        if number == "0" and controllers == "":
            groups["cgroup2"] = path
        elif "cpu" in controllers.split(","):
            groups["cgroup"] = path
    for line in mounts:
        fields = line.split()
        if " - " not in line or len(fields) < 5:
            continue
        after = line.split(" - ", 1)[1].split()
        kind = after[0] if after else ""
        options = after[2].split(",") if len(after) > 2 else []
        if kind not in groups or (kind == "cgroup" and "cpu" not in options):
            continue
        root, point, path = fields[3], Path(fields[4]), groups[kind]
        if root != "/" and not (path + "/").startswith(root.rstrip("/") + "/"):
            continue
        relative = path[len(root):] if root != "/" else path
        yield point / relative.lstrip("/"), point


def _quotas_up_from(place: tuple[Path, Path]) -> Iterator[float]:
    folder, top = place
    while True:
        quota = _read_quota(folder)
        if quota is not None:
            yield quota
        if folder == top or top not in folder.parents:
            return
        folder = folder.parent


def _read_quota(folder: Path) -> float | None:
    try:
        if (folder / "cpu.max").exists():
            limit, period = (folder / "cpu.max").read_text().split()[:2]
            return None if limit == "max" else int(limit) / int(period)
        limit = int((folder / "cpu.cfs_quota_us").read_text())
        period = int((folder / "cpu.cfs_period_us").read_text())
    except (OSError, ValueError):
        return None
    return None if limit <= 0 or period <= 0 else limit / period


@functools.cache
def _blas_pools():
    """threadpoolctl's controller of the BLAS libraries loaded (NumPy's), or None without threadpoolctl."""
    import numpy  # noqa: F401  (its BLAS must be loaded before threadpoolctl looks)
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    return ThreadpoolController().select(user_api="blas")


#: Seconds per second this process's threads may wait for a CPU before it counts as crowded.
CROWDED = 0.25
#: Seconds between two looks.
CHECK_SECONDS = 0.3


def waiting_seconds(proc: Path | str = "/proc") -> float | None:
    """Seconds this process's threads have been ready to run but waiting for a CPU, or None if unknown.

    The second field of each thread's ``schedstat`` (the run-queue delay the
    kernel keeps). A thread that sleeps, as OpenBLAS's helpers do while the
    main thread runs NumPy's element-wise work, does not wait.

    Examples
    --------
    >>> waited = waiting_seconds()
    >>> waited is None or waited >= 0
    True
    """
    total = 0
    try:
        for task in (Path(proc) / "self" / "task").iterdir():
            try:
                total += int((task / "schedstat").read_text().split()[1])
            except FileNotFoundError:  # the thread ended meanwhile
                continue
    except (OSError, ValueError, IndexError):
        return None
    return total / 1e9


class ThreadShare:
    """Called between the steps of a long computation: drops BLAS to one thread when the CPUs are crowded.

    OpenBLAS's threads wait for each other by spinning, so trainings that
    share the cores with their own thread pools slow each other down far more
    than their number: on 2 cores, four trainings with 2 threads each took 99
    to 122 s where each alone takes about 4 s (``benchmarks/classroom.py``).
    With one thread each they share the cores instead. Crowded means the
    process's threads spent more than :data:`CROWDED` seconds per second
    waiting for a CPU, twice in a row; the lowering lasts until the
    computation ends, and the next one starts again at the usable CPUs.
    Measured on 2 cores with the checks off, a training's threads waited
    0.001 to 0.004 s per second alone, 1.0 with two at once, 1.4 with four.

    Parameters
    ----------
    pools : threadpoolctl controller of the BLAS libraries, or None
    prefixes : names of the pools this may set (those the user left at their default)
    threads : threads those pools run now; 0 or 1 turns the checks off
    clock, waiting : wall clock and :func:`waiting_seconds` (tests pass fakes)

    Examples
    --------
    >>> ticks = iter(range(9)); waits = iter([0, 0.6, 1.2, 1.8])   # 0.6 s waited every second
    >>> share = ThreadShare(None, [], 2, clock=lambda: next(ticks), waiting=lambda: next(waits))
    >>> share.step(); share.step(); share.threads  # the first step starts the clock, one look: crowded
    2
    >>> share.step(); share.threads   # crowded twice in a row
    1
    """

    def __init__(self, pools, prefixes: list[str], threads: int, clock=None, waiting=None) -> None:
        self._pools, self._prefixes = pools, list(prefixes)
        self._clock, self._waiting = clock or time.monotonic, waiting or waiting_seconds
        self.threads = threads
        self._since, self._waited = 0.0, None  # the first step starts the clock
        self._checking, self._crowded = True, 0
        self._lowered = contextlib.ExitStack()

    def step(self) -> None:
        """Look every :data:`CHECK_SECONDS`; crowded twice in a row, go to one thread.

        The first step only starts the clock: it loads cached kernels and
        touches fresh memory, which says nothing about the other processes.
        """
        if self.threads <= 1 or not self._checking:
            return
        now = self._clock()
        if self._waited is not None and now - self._since < CHECK_SECONDS:
            return
        waited = self._waiting()
        if waited is None:  # no schedstat here: no checks
            self._checking = False
            return
        if self._waited is not None:  # the first step only starts the clock
            rate = (waited - self._waited) / (now - self._since)
            self._crowded = self._crowded + 1 if rate > CROWDED else 0
        self._since, self._waited = now, waited
        if self._crowded >= 2:
            if self._pools is not None:
                self._lowered.enter_context(self._pools.limit(limits={p: 1 for p in self._prefixes}))
            self.threads = 1

    def close(self) -> None:
        """Give back the thread count this share found."""
        self._lowered.close()


@contextlib.contextmanager
def matching_threads() -> Iterator[ThreadShare]:
    """Cap the BLAS pools at :func:`usable_cpus` inside the block, and yield a :class:`ThreadShare`.

    Only pools running one thread per reported core (the libraries' default)
    are set; ``share.threads`` is their thread count inside the block, 0 where
    the user chose the threads (or there is no BLAS pool to set). The old counts
    come back when the block ends.

    Examples
    --------
    >>> with matching_threads() as share:
    ...     share.threads in (0, usable_cpus())
    True
    """
    pools = _blas_pools()
    if pools is None or os.environ.get(SWITCH, "1") == "0" or any(os.environ.get(n) for n in USER_SETTINGS):
        yield ThreadShare(None, [], 0)
        return
    cap, reported = usable_cpus(), os.cpu_count() or 1
    ours = [lib for lib in pools.lib_controllers if lib.num_threads >= reported]
    with contextlib.ExitStack() as stack:
        lower = {lib.prefix: cap for lib in ours if lib.num_threads > cap}
        if lower:
            stack.enter_context(pools.limit(limits=lower))
        share = ThreadShare(pools, [lib.prefix for lib in ours], cap if ours else 0)
        stack.callback(share.close)
        yield share


def within_usable_cpus(method):
    """Decorator: run ``method`` inside :func:`matching_threads`."""
    @functools.wraps(method)
    def run(*args, **kwargs):
        with matching_threads():
            return method(*args, **kwargs)
    return run
