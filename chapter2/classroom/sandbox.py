"""Where a student's kernel runs: limits, a scrubbed environment, another user, a sandbox.

Every kernel is started through :mod:`chapter2.classroom.confine`, which sets
the resource limits of :class:`Limits` (CPU time, memory, file size, open
files, processes), drops to an unprivileged user when the grader runs as
root, forbids regaining privileges and refuses new user namespaces. Where a
control group can be made (:mod:`~chapter2.classroom.cgroups`), memory and
processes are also limited for the submission's processes together. Its
environment holds only what a kernel needs (no variable of the grader's is
passed on, so no secret is), and its working folder is new and empty but
for the notebook.

With bubblewrap (``apt-get install bubblewrap``; mode ``"bubblewrap"``), the
kernel also runs in new PID, network, IPC and UTS namespaces: it has no
network, sees none of the grader's processes, and sees a read-only view of
only the system folders, the Python installation, the chapter2 package
(without its exercise checks and their truths, which run in the grader only)
and the verified MNIST file alone; its home and ``/tmp`` are small in-memory
folders that vanish with it, and killing the sandbox kills every process inside.

Without bubblewrap (mode ``"none"``, chosen explicitly with ``--no-sandbox``)
the limits, the clean environment, the other user and the killing of every
leftover process still hold, but the kernel can read whatever the files'
permissions let its user read and it has the network: see the README's table
of what grading protects against.

Examples
--------
>>> Limits(cpu_seconds=60).rlimits(own_user=False)["RLIMIT_CPU"]
[60, 65]
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import math
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator

from ..errors import Chapter2Error, InputValueError
from ..exercises.view import CHECKS

#: Environment variable naming the bubblewrap binary; set it to "" to act as if it were absent.
BWRAP_ENV = "CHAPTER2_BWRAP"
#: Environment variable with the first of the user ids the kernels run as (when grading as root).
UID_BASE_ENV = "CHAPTER2_SANDBOX_UID_BASE"
DEFAULT_UID_BASE = 2_100_000
#: How many kernels may run at once on one machine when grading as root (one user id each).
UID_SLOTS = 256
CONFINE = Path(__file__).with_name("confine.py")
#: The kernel's working folder inside bubblewrap (it holds only the notebook).
SANDBOX_WORK = "/home/student"
#: Its home and temporary folders inside bubblewrap (in /tmp, away from the working folder).
SANDBOX_HOME, SANDBOX_TMP = "/tmp/home", "/tmp"
#: The folder inside bubblewrap holding the verified mnist.npz, and nothing else.
SANDBOX_DATA = "/chapter2-data"


class SandboxUnavailable(Chapter2Error, RuntimeError):
    """The isolation asked for cannot be had on this machine."""


@dataclass(frozen=True)
class Limits:
    """What one submission's kernel may use.

    Parameters
    ----------
    cpu_seconds : float
        CPU time of the kernel process, for the whole notebook.
    memory_mb : float
        Address space of each kernel process, and memory of all of them
        together where a control group can be made.
    file_mb : float
        Largest file a kernel process may write.
    disk_mb : float
        Size of each in-memory folder (home, /tmp) inside bubblewrap.
    processes : int
        Processes and threads of the kernel's own user; without one (the
        grader is not root), this many beyond what the grader's user already
        runs. Also the limit of the submission's control group.
    open_files : int
        Open file descriptors per process.
    output_mb : float
        Total size of the outputs kept from one notebook; the rest is dropped.
    """

    cpu_seconds: float = 600
    memory_mb: float = 2048
    file_mb: float = 64
    disk_mb: float = 256
    processes: int = 32
    open_files: int = 512
    output_mb: float = 8

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or not math.isfinite(value) or value <= 0:
                raise InputValueError(f"limit {name} must be a positive finite number, got {value!r}")

    def rlimits(self, own_user: bool) -> dict[str, list[int]]:
        """The ``setrlimit`` values for :mod:`~chapter2.classroom.confine` (soft, hard)."""
        cpu = math.ceil(self.cpu_seconds)
        limits = {"RLIMIT_CPU": [cpu, cpu + 5],  # SIGXCPU first, SIGKILL 5 s later
                  "RLIMIT_AS": [_mib(self.memory_mb)] * 2,
                  "RLIMIT_FSIZE": [_mib(self.file_mb)] * 2,
                  "RLIMIT_NOFILE": [int(self.open_files)] * 2,
                  "RLIMIT_CORE": [0, 0]}
        # Counted per user: without a user of its own the kernel shares the teacher's count.
        nproc = int(self.processes) + (0 if own_user else len(_pids_of(os.getuid())))
        limits["RLIMIT_NPROC"] = [nproc] * 2
        return limits


def _mib(megabytes: float) -> int:
    return int(megabytes * 2 ** 20)


# ------------------------------------------------------------------ choosing

def bubblewrap_path() -> str | None:
    """The bubblewrap binary to use, or None (``$CHAPTER2_BWRAP`` overrides the search)."""
    override = os.environ.get(BWRAP_ENV)
    if override is not None:
        return override or None
    return shutil.which("bwrap")


def resolve_mode(sandbox: str) -> str:
    """``"auto"`` or ``"bubblewrap"`` -> ``"bubblewrap"`` if it works here; ``"none"`` -> ``"none"``.

    Raises
    ------
    SandboxUnavailable
        If bubblewrap is asked for (or ``"auto"``) and cannot run here. The
        message says how to install it, or how to grade without it knowingly.
    """
    if sandbox == "none":
        problem = _probe_unprivileged() if os.geteuid() == 0 else None
        if problem:
            raise SandboxUnavailable(problem)
        return "none"
    if sandbox not in ("auto", "bubblewrap"):
        raise InputValueError(f"sandbox must be 'auto', 'bubblewrap' or 'none', got {sandbox!r}")
    path = bubblewrap_path()
    problem = "bubblewrap (bwrap) is not installed" if path is None else _probe(path)
    if problem:
        raise SandboxUnavailable(
            f"cannot isolate the submissions: {problem}. Install it (Debian/Ubuntu: "
            "`sudo apt-get install bubblewrap`), or pass --no-sandbox to grade with limits, a clean "
            "environment and an unprivileged user but without the sandbox (no read-only view of "
            "the system, network still reachable; see the README).")
    return "bubblewrap"


@functools.lru_cache(maxsize=None)
def _probe(path: str) -> str | None:
    """Start a trivial sandbox the way kernels are started; None if it works, else why not."""
    with tempfile.TemporaryDirectory(prefix="chapter2-probe-") as folder:
        os.chmod(folder, 0o755)
        command = bwrap_command(path, Path(folder), None, [sys.executable, "-I", "-S", "-c", "pass"],
                                bind_notebook=False)
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=30,
                                    env=minimal_environment(SANDBOX_HOME, SANDBOX_TMP, sandboxed=True))
        except (OSError, subprocess.TimeoutExpired) as error:
            return f"{path} cannot be run ({error})"
    if result.returncode != 0:
        return f"{path} fails here: {result.stderr.strip().splitlines()[-1:] or result.returncode}"
    return None


def _probe_unprivileged() -> str | None:
    """Without bubblewrap, can a kernel's own user run this Python and import chapter2?"""
    with kernel_user() as uid:
        command = confine_command(Limits(), uid, [sys.executable, "-c", "import chapter2"])
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd="/",
                                    env=minimal_environment("/", tempfile.gettempdir()))
        except (OSError, subprocess.TimeoutExpired) as error:
            result = None
            detail = str(error)
    if result is not None and result.returncode == 0:
        return None
    if result is not None:
        detail = (result.stderr.strip().splitlines() or [f"exit {result.returncode}"])[-1]
    return (f"without a sandbox the kernels run as an unprivileged user, who cannot run "
            f"{sys.executable} with chapter2 ({detail}); a folder on the way (such as /root) is "
            "private. Install Python and chapter2 where every user can read them, or install "
            "bubblewrap (`sudo apt-get install bubblewrap`), which shows them to the kernel.")


# ------------------------------------------------------------------ commands

def bwrap_command(bwrap: str, runtime: Path, notebook: Path | None, command: list[str],
                  limits: Limits | None = None, bind_notebook: bool = True) -> list[str]:
    """The bubblewrap command line that runs ``command`` in a fresh sandbox.

    ``runtime`` (the kernel's connection file and sockets) is the only host
    folder it can write; ``notebook`` is shown read-only in its home folder.
    """
    limits = limits or Limits()
    disk = str(_mib(limits.disk_mb))
    args = [bwrap, "--die-with-parent", "--unshare-ipc", "--unshare-pid", "--unshare-net",
            "--unshare-uts", "--unshare-cgroup-try", "--hostname", "grader", "--clearenv"]
    if os.geteuid() == 0:
        # No user namespace as root: the kernel really runs as another user,
        # which confine.py switches to with these two capabilities, then drops.
        args += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        args += ["--unshare-user"] + (["--disable-userns"] if _disables_userns(bwrap) else [])
    for folder in ("/usr", "/etc"):
        args += ["--ro-bind", folder, folder]
    for link in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(link):
            args += ["--symlink", os.readlink(link), link]
        elif os.path.isdir(link):
            args += ["--ro-bind", link, link]
    # /tmp first: a host folder under /tmp bound later stays visible on top of it.
    args += ["--proc", "/proc", "--dev", "/dev",
             "--perms", "1777", "--size", disk, "--tmpfs", SANDBOX_TMP,
             "--perms", "1777", "--dir", SANDBOX_HOME,
             "--perms", "0755", "--dir", "/home",
             "--perms", "1777", "--size", disk, "--tmpfs", SANDBOX_WORK]
    made: set[str] = set()
    for folder in _readable_folders():
        args += _parents(folder, made) + ["--ro-bind", folder, folder]
    # The checks and their truths stay in the grader: the kernel sees an empty folder.
    args += ["--perms", "0555", "--size", "4096", "--tmpfs", str(CHECKS)]
    args += _parents(str(runtime), made) + ["--bind", str(runtime), str(runtime)]
    if bind_notebook and notebook is not None:
        args += ["--ro-bind", str(notebook), f"{SANDBOX_WORK}/{notebook.name}"]
    args += ["--chdir", SANDBOX_WORK]
    mnist = data_file()
    if mnist:  # the verified file alone: never the folder it is in (a course folder, perhaps)
        args += ["--perms", "0755", "--dir", SANDBOX_DATA, "--ro-bind", mnist, f"{SANDBOX_DATA}/mnist.npz"]
    for name, value in minimal_environment(SANDBOX_HOME, SANDBOX_TMP, sandboxed=True).items():
        args += ["--setenv", name, value]
    return args + ["--"] + command


@functools.lru_cache(maxsize=None)
def _disables_userns(bwrap: str) -> bool:
    """Does this bubblewrap (0.8 or later) have ``--disable-userns``? (confine.py's filter holds anyway)"""
    try:
        shown = subprocess.run([bwrap, "--help"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "--disable-userns" in shown.stdout + shown.stderr


def _parents(folder: str, made: set[str]) -> list[str]:
    """``--dir`` arguments creating the parents of ``folder`` world-traversable, once each."""
    args = []
    parts = Path(folder).parts
    for depth in range(2, len(parts)):
        parent = str(Path(*parts[:depth]))
        if parent not in made and parent not in ("/usr", "/etc", "/proc", "/dev", "/tmp", "/home"):
            made.add(parent)
            args += ["--perms", "0755", "--dir", parent]
    return args


def _readable_folders() -> list[str]:
    """The Python installation and the chapter2 package (read-only in the sandbox)."""
    import chapter2

    folders = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
               str(Path(chapter2.__file__).resolve().parent)}
    folders.add(str(Path(os.path.realpath(sys.executable)).parent.parent))
    keep = sorted(f for f in folders if os.path.isdir(f) and not f.startswith(("/usr/", "/etc/")))
    # A folder inside another bound folder is already visible.
    return [f for f in keep if not any(f != o and f.startswith(o + os.sep) for o in keep)]


def data_folder() -> str | None:
    """The folder holding mnist.npz for the notebooks (``$CHAPTER2_DATA_DIR``, else the cache)."""
    folder = os.environ.get("CHAPTER2_DATA_DIR")
    if folder and os.path.isdir(folder):
        return os.path.realpath(folder)
    from ..datasets import mnist

    cached = mnist.cache_dir()
    return str(cached) if (cached / "mnist.npz").is_file() else None


def data_file() -> str | None:
    """The real path of the MNIST file shown to the kernels, if it is a verified copy; else None.

    Only this file is shown inside bubblewrap, read-only: ``$CHAPTER2_DATA_DIR``
    may name a course folder that also holds instructor notebooks or students' work.
    """
    folder = data_folder()
    if folder is None:
        return None
    file = os.path.realpath(os.path.join(folder, "mnist.npz"))
    try:
        info = os.stat(file)
    except OSError:
        return None
    return file if _verified(file, info.st_size, info.st_mtime_ns) else None


@functools.lru_cache(maxsize=4)
def _verified(file: str, size: int, mtime_ns: int) -> bool:
    """Is ``file`` a valid MNIST copy? (checked once per size and time of change)"""
    from ..datasets import mnist

    return mnist._problem_with(Path(file)) is None


def minimal_environment(home: str, tmp: str, sandboxed: bool = False) -> dict[str, str]:
    """Everything a kernel's environment holds: no variable of the grader's is passed on.

    ``sandboxed``: the kernel runs in bubblewrap, where MNIST is in :data:`SANDBOX_DATA`.
    """
    env = {"PATH": os.pathsep.join([os.path.dirname(sys.executable), "/usr/bin", "/bin"]),
           "HOME": home, "TMPDIR": tmp, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
           "PYTHONNOUSERSITE": "1", "PYTHONDONTWRITEBYTECODE": "1",
           "IPYTHONDIR": f"{tmp}/ipython", "MPLCONFIGDIR": f"{tmp}/matplotlib",
           "JUPYTER_CONFIG_DIR": f"{tmp}/jupyter", "JUPYTER_DATA_DIR": f"{tmp}/jupyter-data",
           "JUPYTER_RUNTIME_DIR": f"{tmp}/jupyter-runtime", "CHAPTER2_CACHE_DIR": f"{tmp}/cache",
           "XDG_CACHE_HOME": f"{tmp}/xdg-cache", "XDG_CONFIG_HOME": f"{tmp}/xdg-config",
           "XDG_DATA_HOME": f"{tmp}/xdg-data",
           # One thread per kernel: parallel grading shares the cores fairly.
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    data = (SANDBOX_DATA if data_file() else None) if sandboxed else data_folder()
    if data:
        env["CHAPTER2_DATA_DIR"] = data
    return env


def confine_command(limits: Limits, uid: int | None, command: list[str]) -> list[str]:
    """``command`` preceded by :mod:`~chapter2.classroom.confine` with these limits and user."""
    import json

    spec = {"limits": limits.rlimits(own_user=uid is not None), "uid": uid, "gid": uid}
    return [sys.executable, "-I", "-S", str(CONFINE), json.dumps(spec), "--", *command]


# ------------------------------------------------------------------ users

@contextlib.contextmanager
def kernel_user() -> Iterator[int | None]:
    """A user id of its own for one kernel when grading as root (None otherwise).

    Each id is held with a lock file, so kernels of parallel workers, or of
    several grading runs on one machine, never share one; at the end every
    process left running as that user is killed.
    """
    if os.geteuid() != 0:
        yield None
        return
    base = int(os.environ.get(UID_BASE_ENV, DEFAULT_UID_BASE))
    if base < 65536:
        # Every process of a kernel's user is killed at the end: never a real account's id.
        raise SandboxUnavailable(f"{UID_BASE_ENV}={base}: kernel user ids must be >= 65536, "
                                 "outside the ids of real accounts")
    locks = _lock_folder()
    for uid in range(base, base + UID_SLOTS):
        if _is_account(uid):
            continue
        handle = open(locks / f"{uid}.lock", "a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        try:
            kill_user(uid)  # anything a crashed run left behind
            yield uid
        finally:
            kill_user(uid)
            handle.close()
        return
    raise SandboxUnavailable(f"all {UID_SLOTS} kernel user ids from {base} are in use")


def _is_account(uid: int) -> bool:
    import pwd

    try:
        pwd.getpwuid(uid)
    except KeyError:
        return False
    return True


def _lock_folder() -> Path:
    folder = Path(tempfile.gettempdir()) / "chapter2-grader-users"
    folder.mkdir(mode=0o700, exist_ok=True)
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != 0 or info.st_mode & 0o077:
        raise SandboxUnavailable(f"{folder} is not a private folder of root; remove it")
    return folder


def kill_user(uid: int, rounds: int = 50) -> None:
    """Kill every process running as ``uid`` (root only): no orphan outlives grading."""
    for _ in range(rounds):
        if not _pids_of(uid):
            return
        child = os.fork()
        if child == 0:  # pragma: no cover - runs in the forked child
            try:
                os.setresgid(uid, uid, uid)
                os.setresuid(uid, uid, uid)
                os.kill(-1, signal.SIGKILL)  # as that user, -1 reaches exactly its processes
            finally:
                os._exit(0)
        os.waitpid(child, 0)
        time.sleep(0.01)
    raise SandboxUnavailable(f"processes of user {uid} keep coming back; giving up")


def _pids_of(uid: int) -> list[int]:
    pids = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if os.stat(entry.path).st_uid == uid:
                    pids.append(int(entry.name))
    return pids


# ------------------------------------------------------------------ orphans

def become_subreaper() -> bool:
    """Make this process adopt its orphaned descendants (Linux), so they can be found and killed."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER


def kill_children(keep: set[int] = frozenset(), rounds: int = 50) -> None:
    """Kill and collect every child of this process (orphans it adopted included)."""
    me = os.getpid()
    for _ in range(rounds):
        children = [pid for pid in _children_of(me) if pid not in keep]
        if not children:
            return
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for pid in children:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def inside_bubblewrap(bwrap_pid: int) -> list[int]:
    """The processes a bubblewrap sandbox runs, below bubblewrap's own two (outer, then its init).

    Signalling these, not bubblewrap's process group, is how a kernel is
    interrupted: SIGINT to the group would also reach bubblewrap, whose
    default action is to die, and the kernel with it.
    """
    found, level = [], [bwrap_pid]
    for depth in range(64):
        level = [child for pid in level for child in _children_of(pid)]
        if not level:
            break
        if depth >= 1:  # depth 0 is bubblewrap's init in the new PID namespace
            found += level
    return found


def _children_of(parent: int) -> list[int]:
    children = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"{entry.path}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            children.append(int(entry.name))
    return children


__all__ = ["Limits", "SandboxUnavailable", "resolve_mode", "bubblewrap_path", "bwrap_command",
           "confine_command", "minimal_environment", "kernel_user", "kill_user",
           "become_subreaper", "kill_children", "inside_bubblewrap"]
