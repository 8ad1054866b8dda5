"""One control group per submission: its memory and process limits hold for all its processes.

``setrlimit`` limits each process (``RLIMIT_AS``) or each user
(``RLIMIT_NPROC``); a kernel's children, or a tmpfs they fill, are not
counted against it. A control group counts every process of the
submission together, and tmpfs pages too. The grader makes one where it
can (root, or a delegated cgroup v2 subtree): with cgroup v2 under
``chapter2-grader/`` at the top of the hierarchy (``memory.max``,
``memory.swap.max``, ``pids.max``), else with the v1 ``memory`` and
``pids`` controllers below the grader's own groups. Where none can be made
:func:`submission_cgroup` yields None and the per-process limits alone hold
(see the README's residual risks).

A process joins by writing its own pid to each ``cgroup.procs`` file of
:attr:`Cgroup.procs` (:func:`join_command` does so before running the kernel),
so every process the kernel starts is inside, and at the end every process
inside is killed and the group removed.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

#: Name of the grader's own cgroup v2 folder, below which each submission gets one.
PARENT = "chapter2-grader"
_ROOT = Path("/sys/fs/cgroup")
_counter = itertools.count()


@dataclass(frozen=True)
class Cgroup:
    """The folders of one submission's control group (one, or one per v1 controller)."""

    folders: tuple[Path, ...]

    @property
    def procs(self) -> list[str]:
        """The files a process writes its pid to, to join."""
        return [str(folder / "cgroup.procs") for folder in self.folders]

    def pids(self) -> set[int]:
        found: set[int] = set()
        for file in self.procs:
            with contextlib.suppress(OSError):
                found.update(int(line) for line in Path(file).read_text().split())
        return found

    def kill(self, rounds: int = 100) -> None:
        """Kill every process inside (a fork bomb included: until none is left)."""
        for _ in range(rounds):
            pids = self.pids()
            if not pids:
                return
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.01)

    def remove(self) -> None:
        self.kill()
        for folder in self.folders:
            for _ in range(50):  # a killed process leaves its group a moment later
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)


@contextlib.contextmanager
def submission_cgroup(memory_mb: float, processes: int) -> Iterator[Cgroup | None]:
    """A new control group with these limits for one submission, removed after; None if none can be made.

    Parameters
    ----------
    memory_mb : float
        Memory of all its processes together (tmpfs included); no swap.
    processes : int
        Processes and threads of all its processes together.
    """
    group = _make(int(memory_mb * 2 ** 20), int(processes))
    try:
        yield group
    finally:
        if group is not None:
            group.remove()


def join_command(group: Cgroup | None, command: list[str]) -> list[str]:
    """``command``, run after its process has joined ``group`` (unchanged when there is none)."""
    if group is None:
        return command
    code = ("import os, sys\nend = sys.argv.index('--')\n"
            "for file in sys.argv[1:end]:\n"
            "    with open(file, 'w') as handle:\n"
            "        handle.write(str(os.getpid()))\n"
            "os.execv(sys.argv[end + 1], sys.argv[end + 1:])")
    return [sys.executable, "-I", "-S", "-c", code, *group.procs, "--", *command]


def _make(memory: int, processes: int) -> Cgroup | None:
    if os.environ.get("CHAPTER2_NO_CGROUP"):  # to grade, or test, as where none can be made
        return None
    name = f"submission-{os.getpid()}-{next(_counter)}"
    for make in (_make_v2, _make_v1):
        with contextlib.suppress(OSError, ValueError):
            group = make(name, memory, processes)
            if group is not None:
                return group
    return None


def _make_v2(name: str, memory: int, processes: int) -> Cgroup | None:
    """Below ``/sys/fs/cgroup/chapter2-grader`` (cgroup v2 with the memory and pids controllers)."""
    root = _mount("cgroup2")
    if root is None or not {"memory", "pids"} <= set((root / "cgroup.controllers").read_text().split()):
        return None
    parent = root / PARENT
    parent.mkdir(exist_ok=True)
    _enable(root, "+memory +pids")
    _enable(parent, "+memory +pids")
    folder = parent / name
    folder.mkdir()
    try:
        _write(folder / "memory.max", memory)
        with contextlib.suppress(FileNotFoundError):
            _write(folder / "memory.swap.max", 0)
        _write(folder / "pids.max", processes)
    except OSError:
        folder.rmdir()
        raise
    return Cgroup((folder,))


def _make_v1(name: str, memory: int, processes: int) -> Cgroup | None:
    """Below the grader's own v1 ``memory`` and ``pids`` groups (hierarchical, so their limits hold too)."""
    memory_root, pids_root = _v1_home("memory"), _v1_home("pids")
    if memory_root is None or pids_root is None:
        return None
    made: list[Path] = []
    try:
        for home in (memory_root, pids_root):
            (home / name).mkdir()
            made.append(home / name)
        _write(made[0] / "memory.limit_in_bytes", memory)
        with contextlib.suppress(OSError):  # without swap accounting there is no such file
            _write(made[0] / "memory.memsw.limit_in_bytes", memory)
        _write(made[1] / "pids.max", processes)
    except OSError:
        for folder in made:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return Cgroup(tuple(made))


def _mount(kind: str, option: str | None = None) -> Path | None:
    """Where a cgroup hierarchy of ``kind`` (with controller ``option`` for v1) is mounted."""
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        before, _, after = line.partition(" - ")
        fields, tail = before.split(), after.split()
        if tail and tail[0] == kind and (option is None or option in tail[-1].split(",")):
            return Path(fields[4])
    return None


def _v1_home(controller: str) -> Path | None:
    """The grader's own group in the v1 hierarchy of ``controller``, if writable."""
    mount = _mount("cgroup", controller)
    if mount is None:
        return None
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(","):
            home = mount / path.lstrip("/")
            return home if os.access(home, os.W_OK) else None
    return None


def _enable(folder: Path, controllers: str) -> None:
    with contextlib.suppress(OSError):  # already enabled, or enabled by whoever delegated it
        (folder / "cgroup.subtree_control").write_text(controllers)


def _write(file: Path, value: int) -> None:
    file.write_text(str(value))


__all__ = ["Cgroup", "submission_cgroup", "join_command", "PARENT"]
