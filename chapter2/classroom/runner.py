"""Grade one submission in a process of its own: kernel in the sandbox, checks in the grader.

``python -m chapter2.classroom.runner SETTINGS.json JOB.json OUTCOME.json`` is
started once per submission by a :class:`Runner` (on this machine, or on a
Dask worker through :func:`run_job`). The job holds everything needed, so a
worker needs nothing but an installed chapter2: the restored notebook, its
checks with their points, the instructor's imports, the limits and the
sandbox mode. The runner

1. starts the student's kernel through :mod:`~chapter2.classroom.sandbox`
   as SETTINGS says (the job without its notebook, checks and imports), in a
   fresh folder that will hold only the notebook, talking over Unix sockets
   in a folder the kernel can no longer write once it is up (when root);
2. waits for a line on its standard input, then reads JOB.json, loads the
   instructor's imports and writes the notebook into its folder (all before
   any student code runs);
3. runs the student's cells one by one (a cell that runs too long is
   interrupted; a kernel that does not answer or dies is replaced), and at
   each check cell runs the check in the grader (:mod:`~chapter2.classroom.judge`);
4. kills the kernel and every process it left (as their own user, and as
   their adopting parent), and writes the scores and the executed notebook.

Steps 1 and 2 are split so that a worker can start the runner of its *next*
submission while the current one is graded (:class:`RunnerLine`): the
interpreter, the imports and the kernel's start-up then cost no waiting,
while every submission still gets a process, a kernel and a sandbox of its
own, as before. A process that outlives its kernel cannot reach the report:
it never saw it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import json
import logging
import math
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterator

if __name__ == "__main__":
    # nbformat validates with jsonschema, which imports rfc3987_syntax when it is installed
    # (jupyter-events brings it) and builds its grammar: about a second, in every runner, for an
    # IRI format check nbformat never asks for. Only the runner process goes without it.
    sys.modules.setdefault("rfc3987_syntax", None)

import nbformat
from jupyter_client import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from . import cgroups, sandbox
from .judge import KernelTrouble, Remote, judge, trusted_namespace
from .protocol import NOT_RUN, PASSED, TIMEOUT, ExerciseOutcome, Job, Outcome, Plan
from .restore import Check

#: Seconds a kernel gets to answer a trivial cell after being interrupted.
PROBE_TIMEOUT = 10
_TIMEOUT_ENAME = "CellTimeoutError"
#: Extra seconds the parent allows a runner beyond the notebook's own time budget.
_GRACE = 60
#: Seconds an unused runner gets to stop its kernel and exit before it is killed.
_CLOSE_TIMEOUT = 10
#: Kernel messages the notebook client keeps nothing of (never counted against the output budget).
_KEEPS_NOTHING = frozenset({"status", "execute_input", "clear_output"})


# ------------------------------------------------------------------ dispatching

def run_job(job: Job) -> Outcome:
    """Grade one job in a new runner process on this machine; always returns an outcome.

    This is the function Dask workers call (local workers use a
    :class:`RunnerLine`). A runner that crashes or overruns is killed with
    its whole process group, and the outcome then says why, with every check
    scored zero.
    """
    runner = Runner(job)
    try:
        return runner.grade(job)
    finally:
        runner.close()


def settings_of(job: Job) -> Job:
    """What a runner needs before its job: the job without its notebook, checks and imports."""
    return dataclasses.replace(job, notebook={}, checks=(), imports="")


class Runner:
    """One runner process, started before its job is known (see the module docstring).

    Parameters
    ----------
    job : Job
        Any job with the settings (name, limits, sandbox mode, start-up time)
        of the job this runner will grade; only :func:`settings_of` it is sent.
    """

    def __init__(self, job: Job) -> None:
        self.settings = settings_of(job)
        self._folder = tempfile.TemporaryDirectory(prefix="chapter2-job-")
        folder = Path(self._folder.name)
        self._job_file, self._outcome_file = folder / "job.json", folder / "outcome.json"
        settings_file = folder / "settings.json"
        settings_file.write_text(self.settings.to_json())
        command = [sys.executable, "-m", "chapter2.classroom.runner", str(settings_file),
                   str(self._job_file), str(self._outcome_file)]
        # stderr to a file, of which only the end is read: what a submission makes the runner
        # log (a warning per message, say) is never held in this process
        self._errors = open(folder / "stderr", "w+b")
        self.process = subprocess.Popen(command, cwd="/", stdin=subprocess.PIPE,
                                        stdout=subprocess.DEVNULL, stderr=self._errors,
                                        start_new_session=True, env=_runner_environment())

    def fits(self, job: Job) -> bool:
        """Whether this runner was started for ``job``'s settings."""
        return settings_of(job) == self.settings

    def grade(self, job: Job) -> Outcome:
        """Send ``job`` (it must fit), wait for the runner to end, and read its outcome."""
        if not self.fits(job):
            raise ValueError(f"runner started for {self.settings.name!r} cannot grade {job.name!r}")
        self._job_file.write_text(job.to_json())
        try:
            self.process.stdin.write(b"go\n")
            self.process.stdin.close()
        except BrokenPipeError:  # the runner is already gone: its exit status says why below
            pass
        try:
            # the runner may still be starting its kernel when the job arrives
            self.process.wait(timeout=job.startup_timeout + job.deadline + _GRACE)
        except subprocess.TimeoutExpired:
            _kill_group(self.process)
            return Outcome.failed(job, "grading took longer than its time budget and was stopped")
        _kill_group(self.process)  # anything the runner left in its group
        if self.process.returncode == 0 and self._outcome_file.is_file():
            try:
                outcome = Outcome.from_json(self._outcome_file.read_text())
                outcome.worker = _worker_name()
                return outcome
            except ValueError:
                pass
        stderr = _tail(self._errors)
        last = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [
            f"exit {self.process.returncode}"]
        return Outcome.failed(job, f"the grading process failed: {last[0][:300]}")

    def close(self) -> None:
        """End the runner (an unused one shuts its kernel down itself) and remove its folder."""
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()  # no job: the runner stops its kernel and exits
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=_CLOSE_TIMEOUT)
        _kill_group(self.process)
        self._errors.close()
        self._folder.cleanup()


class RunnerLine:
    """One local worker's runners: while a submission is graded, the next one's runner starts.

    Examples
    --------
    >>> with RunnerLine() as line:          # doctest: +SKIP
    ...     outcomes = [line.grade(job) for job in jobs]
    """

    def __init__(self) -> None:
        self._next: Runner | None = None

    def grade(self, job: Job) -> Outcome:
        """Grade ``job`` on the runner started for it (or a new one), starting the next meanwhile."""
        runner, self._next = self._next, None
        if runner is not None and not runner.fits(job):
            runner.close()  # started for other settings (another notebook): of no use
            runner = None
        runner = runner or Runner(job)
        # Most classes grade one notebook: the next job very likely has these settings.
        self._next = Runner(job)
        try:
            return runner.grade(job)
        finally:
            runner.close()

    def close(self) -> None:
        """Stop the runner waiting for a job that will not come."""
        if self._next is not None:
            self._next.close()
            self._next = None

    def __enter__(self) -> "RunnerLine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class RunnerLines:
    """A :class:`RunnerLine` per worker thread, all stopped together at the end."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._lines: list[RunnerLine] = []
        self._lock = threading.Lock()

    def grade(self, job: Job) -> Outcome:
        """Grade ``job`` on the calling thread's line."""
        line = getattr(self._local, "line", None)
        if line is None:
            line = self._local.line = RunnerLine()
            with self._lock:
                self._lines.append(line)
        return line.grade(job)

    def __enter__(self) -> "RunnerLines":
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            for line in self._lines:
                line.close()


def _tail(file, size: int = 4096) -> bytes:
    """The last ``size`` bytes of an open file."""
    file.seek(0, os.SEEK_END)
    file.seek(max(0, file.tell() - size))
    return file.read()


def _worker_name() -> str:
    """Which machine and process graded a job (so a report shows where each was graded)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _runner_environment() -> dict:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)  # the grader's own imports only
    return env


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, 9)
    with contextlib.suppress(Exception):
        process.wait(timeout=10)


# ------------------------------------------------------------------ the kernel

class SandboxedKernelManager(AsyncKernelManager):
    """Starts the kernel through confine.py (and bubblewrap), over Unix sockets, with a clean env."""

    plan: Plan
    cgroup: cgroups.Cgroup | None = None

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        command = super().format_kernel_cmd(extra_arguments)
        plan = self.plan
        kernel = sandbox.confine_command(plan.limits, plan.uid, command)
        if plan.mode == "bubblewrap":
            kernel = sandbox.bwrap_command(plan.bwrap, plan.runtime, plan.notebook, kernel, plan.limits)
        return cgroups.join_command(self.cgroup, kernel)  # bubblewrap and all it runs are inside

    async def interrupt_kernel(self) -> None:
        """SIGINT to the kernel inside bubblewrap, never to bubblewrap itself.

        jupyter_client signals the launched process's group, which under
        bubblewrap holds bubblewrap too: it would die of SIGINT and take the
        kernel, and everything the student defined, with it.
        """
        process = getattr(self.provisioner, "process", None)
        if self.plan.mode != "bubblewrap" or process is None:
            return await super().interrupt_kernel()
        for pid in sandbox.inside_bubblewrap(process.pid):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGINT)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        plan = self.plan
        kw.update(env=plan.env, cwd=str(plan.cwd), stdin=subprocess.DEVNULL,
                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if plan.uid is not None:  # the kernel's user must read its connection file
            os.chown(self.connection_file, plan.uid, plan.uid)
        await super()._async_launch_kernel(kernel_cmd, **kw)


class GradingClient(NotebookClient):
    """nbclient with a sandboxed kernel manager and a budget for the outputs it keeps."""

    def __init__(self, nb: nbformat.NotebookNode, plan: Plan, cgroup: cgroups.Cgroup | None = None,
                 **kw: Any) -> None:
        super().__init__(nb, **kw)
        self.plan, self.cgroup = plan, cgroup
        self.output_left = int(plan.limits.output_mb * 2 ** 20)

    def create_kernel_manager(self):
        self.km = SandboxedKernelManager(kernel_name=self.kernel_name, transport="ipc",
                                         ip=str(self.plan.runtime / "kernel"))
        self.km.plan, self.km.cgroup = self.plan, self.cgroup
        self.km.connection_file = str(self.plan.runtime / "kernel.json")
        return self.km

    def process_message(self, msg, cell, cell_index):
        # Every message the client would keep is counted here, before it is kept: outputs,
        # updates of display handles (an update rewrites each output showing that handle),
        # and widget state. Messages that keep nothing (status, clear_output) always pass.
        if msg.get("msg_type") in _KEEPS_NOTHING:
            return super().process_message(msg, cell, cell_index)
        size = self._kept_bytes(msg)
        if size > self.output_left:
            if self.output_left > 0:
                self.output_left = 0
                cell.outputs.append(nbformat.v4.new_output(
                    "stream", name="stderr", text="[grader: output limit reached, the rest is dropped]\n"))
            return None
        self.output_left -= size
        return super().process_message(msg, cell, cell_index)

    def _kept_bytes(self, msg: dict) -> int:
        """Bytes the client would hold for ``msg``, times the outputs an update rewrites."""
        content = msg.get("content") or {}
        size = len(json.dumps(content, default=str)) + sum(len(b) for b in msg.get("buffers") or [])
        transient = content.get("transient") if isinstance(content, dict) else None
        handle = transient.get("display_id") if isinstance(transient, dict) else None
        if handle is not None and handle in self._display_id_map:
            shown = sum(len(where) for where in self._display_id_map[handle].values())
            size *= 1 + shown
        return size


# ------------------------------------------------------------------ grading

def grade(job: Job, wait: Callable[[], Job | None] | None = None) -> Outcome | None:
    """Grade one job in this process (the runner's work; see the module docstring).

    With ``wait``, ``job`` only gives the settings (see :func:`settings_of`):
    the kernel is started first, then ``wait()`` returns the job to grade, or
    None when none will come (nothing is graded, and None is returned).
    """
    with sandbox.kernel_user() as uid, _folders(job.name, uid, job.sandbox) as folders, \
            cgroups.submission_cgroup(job.limits.memory_mb, job.limits.processes) as group:
        plan = Plan(mode=job.sandbox, bwrap=sandbox.bubblewrap_path(), limits=job.limits, uid=uid,
                    **folders)
        # Bound read-only into the sandbox now, filled in place once the job is known.
        plan.notebook.touch()
        os.chmod(plan.notebook, 0o644)
        client = GradingClient(nbformat.v4.new_notebook(), plan, group, timeout=math.ceil(job.timeout),
                               startup_timeout=math.ceil(job.startup_timeout),
                               kernel_name="python3", allow_errors=True, interrupt_on_timeout=True,
                               error_on_timeout={"ename": _TIMEOUT_ENAME, "evalue": "cell timed out",
                                                 "traceback": []})
        try:
            with contextlib.ExitStack() as kernel:
                error = None if job.sandbox != "bubblewrap" or plan.bwrap else \
                    "bubblewrap is not installed on this grading machine"
                error = error or _start_kernel(kernel, client)
                if wait is not None:
                    job = _arrived(wait(), job)
                    if job is None:
                        return None
                return _grade_on(client, job, error)
        finally:
            sandbox.kill_children()


def _arrived(job: Job | None, settings: Job) -> Job | None:
    if job is not None and settings_of(job) != settings_of(settings):
        raise ValueError(f"the job for {job.name!r} does not have the settings this runner started with")
    return job


def _start_kernel(stack: contextlib.ExitStack, client: GradingClient) -> str | None:
    """Start the kernel (stopped when ``stack`` closes); None, or why it could not start."""
    try:
        stack.enter_context(client.setup_kernel())
        stack.enter_context(_quiet_asyncio())
        _lock_runtime(client)
    except Exception as failure:
        return f"the notebook could not run: {type(failure).__name__}: {failure}"
    return None


def _grade_on(client: GradingClient, job: Job, error: str | None) -> Outcome:
    """Run ``job`` on the started kernel (unless ``error`` says it is not there)."""
    checks = list(job.checks)
    if error is None:
        try:
            namespace = trusted_namespace(job.imports)
        except Exception as failure:  # the instructor's imports fail on this worker
            return Outcome.failed(job, f"the checks' imports fail on this machine: "
                                       f"{type(failure).__name__}: {failure}")
    nb = nbformat.from_dict(job.notebook)
    nbformat.write(nb, client.plan.notebook)  # in place: the sandbox's read-only view shows it
    client.nb, client.timeout = nb, math.ceil(job.timeout)
    verdicts = {}
    if error is None:
        try:
            verdicts = _execute(client, checks, namespace, job.timeout, time.monotonic() + job.deadline)
        except Exception as failure:
            error = f"the notebook could not run: {type(failure).__name__}: {failure}"
    unreached = (NOT_RUN, error or "the check was not reached")
    exercises = [ExerciseOutcome(c.grade_id, *verdicts.get(c.grade_id, unreached)) for c in checks]
    return Outcome(exercises, error, nbformat.writes(nb))


@contextlib.contextmanager
def _folders(name: str, uid: int | None, mode: str) -> Iterator[dict]:
    """A throwaway folder: the kernel's sockets, its working folder (only the notebook), its home."""
    with tempfile.TemporaryDirectory(prefix="chapter2-grade-") as root:
        root = Path(root)
        os.chmod(root, 0o711)  # the kernel's user may pass through, not list
        runtime, work, home = root / "runtime", root / "work", root / "home"
        for folder in (runtime, work, home):
            folder.mkdir(mode=0o700)
            if uid is not None:
                os.chown(folder, uid, uid)
        notebook = work / Path(name).name
        (home / ".tmp").mkdir(mode=0o700)  # TMPDIR outside bubblewrap
        if uid is not None:
            os.chown(home / ".tmp", uid, uid)
        if mode == "bubblewrap":
            env = sandbox.minimal_environment(sandbox.SANDBOX_HOME, sandbox.SANDBOX_TMP, sandboxed=True)
        else:
            env = sandbox.minimal_environment(str(home), str(home / ".tmp"))
        yield {"runtime": runtime, "notebook": notebook, "cwd": work, "home": home, "env": env}


def _execute(client: GradingClient, checks: list[Check], namespace: dict, timeout: float,
             deadline: float) -> dict[str, tuple[str, str]]:
    """Run the cells in order; judge each check where it stands. {grade_id: (status, message)}."""
    timed_out: set[int] = set()

    def note_timeout(cell, cell_index, execute_reply):
        if (execute_reply or {}).get("content", {}).get("ename") == _TIMEOUT_ENAME:
            timed_out.add(cell_index)

    client.on_cell_executed = note_timeout
    at = {check.index: check for check in checks}
    verdicts: dict[str, tuple[str, str]] = {}
    for index, cell in enumerate(client.nb.cells):
        if time.monotonic() > deadline:
            break
        if index in at:
            verdicts[at[index].grade_id] = _judge_here(client, at[index], namespace, index,
                                                       timed_out)
            continue
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        try:
            client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
        except DeadKernelError:
            _restart(client)
            continue
        if client.plan.uid is None and _sweep_runtime(client.plan.runtime):
            cell.outputs.append(nbformat.v4.new_output("stream", name="stderr", text=(
                "[grader: files written into the kernel's socket folder were removed]\n")))
        if index in timed_out:
            cell.outputs.append(nbformat.v4.new_output("stream", name="stderr", text=(
                f"[grader: this cell ran longer than {client.timeout} s and was interrupted]\n")))
            if not _responds(client, timed_out):
                _restart(client)
    for check in checks:
        verdicts.setdefault(check.grade_id, (NOT_RUN, "the notebook ran out of its time budget "
                                                      "before this check"))
    return verdicts


def _judge_here(client: GradingClient, check: Check, namespace: dict, index: int,
                timed_out: set[int]) -> tuple[str, str]:
    died: list[bool] = []

    def execute(code: str) -> list[dict]:
        return _helper_cell(client, code, timed_out, died)

    verdict = judge(check, namespace, Remote(execute))
    cell = client.nb.cells[index]
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=verdict.printed)] \
        if verdict.printed else []
    if verdict.status != PASSED:
        ename, _, evalue = verdict.message.partition(": ")
        cell.outputs.append(nbformat.v4.new_output("error", ename=ename, evalue=evalue,
                                                   traceback=[verdict.message]))
    if died:
        _restart(client)
    elif verdict.status == TIMEOUT and not _responds(client, timed_out):
        _restart(client)
    return verdict.status, verdict.message


def _helper_cell(client: GradingClient, code: str, timed_out: set[int], died: list) -> list[dict]:
    """Run grader code in the kernel, outside the notebook; its outputs."""
    if died:
        raise KernelTrouble("the kernel died")
    cells = client.nb.cells
    cell = nbformat.v4.new_code_cell(code)
    cells.append(cell)  # execute_cell stores the cell at its index, so give it one
    index = len(cells) - 1
    saved_budget, client.output_left = client.output_left, wire_budget()
    try:
        client.execute_cell(cell, index)
    except DeadKernelError:
        died.append(True)
        raise KernelTrouble("the kernel died while running the student's code") from None
    finally:
        client.output_left = saved_budget
        cells.pop()
    if index in timed_out:
        timed_out.discard(index)
        raise KernelTrouble(f"the student's code timed out after {client.timeout} s")
    return cell.outputs


def wire_budget() -> int:
    from .wire import MAX_REPLY_BYTES

    return 2 * MAX_REPLY_BYTES


def _sweep_runtime(runtime: Path) -> bool:
    """Remove all but the connection file and the sockets from the kernel's socket folder.

    Without root the kernel's user is the grader's, so it can write in its
    socket folder (the only host folder it sees): files there, each bounded
    by ``RLIMIT_FSIZE``, live at most until the end of the cell. True if any was.
    """
    swept = False
    for entry in runtime.iterdir():
        info = entry.lstat()
        if entry.name == "kernel.json" and stat.S_ISREG(info.st_mode) or stat.S_ISSOCK(info.st_mode):
            continue
        swept = True
        if stat.S_ISDIR(info.st_mode):
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                entry.unlink()
    return swept


def _lock_runtime(client: GradingClient) -> None:
    """Once the kernel is up, its socket folder is the grader's again: the kernel cannot write there."""
    if client.plan.uid is not None:
        os.chown(client.plan.runtime, 0, 0)
        os.chmod(client.plan.runtime, 0o755)


def _unlock_runtime(client: GradingClient) -> None:
    if client.plan.uid is not None:
        os.chown(client.plan.runtime, client.plan.uid, client.plan.uid)
        os.chmod(client.plan.runtime, 0o700)


@contextlib.contextmanager
def _quiet_asyncio() -> Iterator[None]:
    """Hide asyncio's "Task exception was never retrieved" noise after a timeout."""
    logger = logging.getLogger("asyncio")
    saved = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        gc.collect()  # let abandoned tasks be collected while the logger is quiet
        logger.setLevel(saved)


def _responds(client: GradingClient, timed_out: set[int]) -> bool:
    """Run a trivial cell on the interrupted kernel: does it answer in time?"""
    probe = nbformat.v4.new_code_cell("pass")
    cells, saved_timeout = client.nb.cells, client.timeout
    cells.append(probe)
    index = len(cells) - 1
    client.timeout = PROBE_TIMEOUT
    try:
        client.execute_cell(probe, index)
        return index not in timed_out
    except DeadKernelError:
        return False
    finally:
        timed_out.discard(index)
        client.timeout = saved_timeout
        cells.pop()


def _restart(client: GradingClient) -> None:
    # A brand-new kernel and client, exactly as at start-up: restarting the old
    # kernel in place proved unreliable when the old one was stuck.
    graceful = client.shutdown_kernel
    client.shutdown_kernel = "immediate"  # a stuck kernel would not answer a polite request
    client._cleanup_kernel()  # kills the kernel process and closes the channels
    client.shutdown_kernel = graceful
    sandbox.kill_children()
    if client.cgroup is not None:
        client.cgroup.kill()
    if client.plan.uid is not None:
        sandbox.kill_user(client.plan.uid)
    _unlock_runtime(client)
    for leftover in client.plan.runtime.iterdir():
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink()
    client.km = client.create_kernel_manager()
    client.start_new_kernel()
    client.start_new_kernel_client()
    _lock_runtime(client)


def main(argv: list[str]) -> int:
    """``runner SETTINGS.json JOB.json OUTCOME.json``: see the module docstring."""
    settings = Job.from_json(Path(argv[1]).read_text())
    sandbox.become_subreaper()
    arrived: list[float] = []

    def wait() -> Job | None:
        if not sys.stdin.readline():  # stdin closed without a job: this runner is not needed
            return None
        arrived.append(time.monotonic())
        return Job.from_json(Path(argv[2]).read_text())

    outcome = grade(settings, wait)
    if outcome is not None:
        outcome.seconds = round(time.monotonic() - arrived[0], 2)
        Path(argv[3]).write_text(outcome.to_json())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
