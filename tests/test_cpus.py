"""BLAS threads follow the CPUs the process may use (issue 22): affinity mask and cgroup quota.

The quota readers run on fake /proc and cgroup trees shaped like the ones of
Kubernetes (cgroup v2) and Docker (cgroup v1); the cap itself runs on this
machine's real OpenBLAS through threadpoolctl, with the usable CPUs patched.
"""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from chapter2 import cpus, layers, models


def _blas_threads():
    return [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]


def _fake_proc(tmp_path, membership, mount_line):
    proc = tmp_path / "proc"
    (proc / "self").mkdir(parents=True)
    (proc / "self" / "cgroup").write_text(membership + "\n")
    (proc / "self" / "mountinfo").write_text(
        "22 1 0:21 / /proc rw,nosuid - proc proc rw\n" + mount_line + "\n")
    return proc


def test_a_kubernetes_pod_quota_in_cgroup_v2_is_read_from_its_own_group(tmp_path):
    mount = tmp_path / "cgroup"
    pod = mount / "kubepods" / "pod1" / "c1"
    pod.mkdir(parents=True)
    (mount / "kubepods" / "cpu.max").write_text("max 100000\n")
    (mount / "kubepods" / "pod1" / "cpu.max").write_text("200000 100000\n")
    (pod / "cpu.max").write_text("50000 100000\n")
    proc = _fake_proc(tmp_path, "0::/kubepods/pod1/c1",
                      f"30 25 0:26 / {mount} rw,nosuid - cgroup2 cgroup2 rw")
    assert cpus.cgroup_quota(proc) == 0.5
    assert cpus.usable_cpus(proc) == 1  # half a CPU still runs one thread


def test_an_ancestors_smaller_quota_wins(tmp_path):
    mount = tmp_path / "cgroup"
    child = mount / "pod" / "c"
    child.mkdir(parents=True)
    (mount / "pod" / "cpu.max").write_text("150000 100000\n")
    (child / "cpu.max").write_text("max 100000\n")
    proc = _fake_proc(tmp_path, "0::/pod/c", f"30 25 0:26 / {mount} rw - cgroup2 cgroup2 rw")
    assert cpus.cgroup_quota(proc) == 1.5
    assert cpus.usable_cpus(proc) == min(1, len(os.sched_getaffinity(0)))


@pytest.mark.parametrize("mount_root, member", [("/", "/docker/abc"), ("/docker/abc", "/docker/abc")])
def test_a_docker_quota_in_cgroup_v1_is_read_whether_the_mount_shows_the_host_or_the_container(
        tmp_path, mount_root, member):
    mount = tmp_path / "cpu"
    folder = mount / "docker" / "abc" if mount_root == "/" else mount
    folder.mkdir(parents=True)
    (folder / "cpu.cfs_quota_us").write_text("250000\n")
    (folder / "cpu.cfs_period_us").write_text("100000\n")
    proc = _fake_proc(tmp_path, f"5:cpu,cpuacct:{member}\n4:memory:{member}",
                      f"31 25 0:27 {mount_root} {mount} rw - cgroup cgroup rw,cpu,cpuacct")
    assert cpus.cgroup_quota(proc) == 2.5


@pytest.mark.parametrize("quota", ["-1\n", "garbage\n"])
def test_no_quota_or_an_unreadable_one_means_none(tmp_path, quota):
    mount = tmp_path / "cpu"
    mount.mkdir()
    (mount / "cpu.cfs_quota_us").write_text(quota)
    (mount / "cpu.cfs_period_us").write_text("100000\n")
    proc = _fake_proc(tmp_path, "5:cpu,cpuacct:/", f"31 25 0:27 / {mount} rw - cgroup cgroup rw,cpu,cpuacct")
    assert cpus.cgroup_quota(proc) is None
    assert cpus.cgroup_quota(tmp_path / "missing") is None
    assert cpus.usable_cpus(proc) == len(os.sched_getaffinity(0))


def test_the_affinity_mask_limits_the_usable_cpus_and_the_threads_inside_matching_threads():
    script = textwrap.dedent("""
        import os
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.pop(name, None)
        import numpy  # OpenBLAS sizes its pool by the CPUs it sees when it loads
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
        from threadpoolctl import threadpool_info, threadpool_limits
        from chapter2 import cpus
        def blas():
            return [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
        with threadpool_limits(os.cpu_count(), user_api="blas"):  # the libraries' default
            with cpus.matching_threads() as share:
                inside = blas()
            print(cpus.usable_cpus(), share.threads, inside, blas())
    """)
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert shown.returncode == 0, shown.stderr
    reported = os.cpu_count()
    assert shown.stdout.split(maxsplit=1)[0] == "1"
    if reported > 1:
        assert shown.stdout.strip() == f"1 1 [1] [{reported}]"


@pytest.fixture
def quota_of_one(monkeypatch):
    """Pretend a 1-CPU quota on a 4-core node, with nothing set by the user."""
    for name in (*cpus.USER_SETTINGS, cpus.SWITCH):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(cpus, "usable_cpus", lambda proc="/proc": 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)


def _threads_seen_by(method):
    """A model whose forward pass records the BLAS threads, and what ``method`` saw."""
    model = models.Sequential([layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
    seen = []
    forward = model._forward

    def recording(x, *args, **kwargs):
        seen.append(tuple(_blas_threads()))
        return forward(x, *args, **kwargs)

    model._forward = recording
    x = np.random.default_rng(0).random((8, 4), dtype="float32")
    y = np.eye(3, dtype="float32")[np.arange(8) % 3]
    {"fit": lambda: model.fit(x, y, epochs=1, batch_size=2, verbose=0),
     "evaluate": lambda: model.evaluate(x, y, verbose=0),
     "predict": lambda: model.predict(x)}[method]()
    return set(seen)


@pytest.mark.parametrize("method", ["fit", "evaluate", "predict"])
def test_fit_evaluate_and_predict_lower_a_default_pool_to_the_usable_cpus(quota_of_one, method):
    with threadpool_limits(4, user_api="blas"):  # one thread per reported core: the default
        assert set(_blas_threads()) == {4}
        assert _threads_seen_by(method) == {(1,) * len(_blas_threads())}
        assert set(_blas_threads()) == {4}  # given back afterwards


def test_a_limit_the_user_set_is_kept(quota_of_one, monkeypatch):
    with threadpool_limits(3, user_api="blas"):  # below the reported 4: the user's choice
        assert _threads_seen_by("fit") == {(3,) * len(_blas_threads())}
    with threadpool_limits(4, user_api="blas"):
        monkeypatch.setenv("OPENBLAS_NUM_THREADS", "4")
        assert _threads_seen_by("fit") == {(4,) * len(_blas_threads())}
        monkeypatch.delenv("OPENBLAS_NUM_THREADS")
        monkeypatch.setenv(cpus.SWITCH, "0")
        assert _threads_seen_by("fit") == {(4,) * len(_blas_threads())}


# Seconds per second a training's threads waited for a CPU, measured on 2 cores with 2 BLAS
# threads each and the checks off: alone 0.001 to 0.004, two at once 1.0, four at once 1.4.
WAITED_ALONE, WAITED_FOUR_AT_ONCE = 0.004, 1.4


def _share_seeing(waited_per_second, threads=2):
    """A ThreadShare over the real BLAS pools, its clocks faked: each look finds 1 s more of wall time."""
    ticks = iter(range(100))
    waits = iter([i * waited_per_second for i in range(100)])
    pools = cpus._blas_pools()
    return cpus.ThreadShare(pools, [lib.prefix for lib in pools.lib_controllers], threads,
                            clock=lambda: float(next(ticks)), waiting=lambda: next(waits))


def test_a_crowded_training_drops_to_one_thread_and_gets_its_threads_back_at_the_end():
    with threadpool_limits(2, user_api="blas"):
        crowded = _share_seeing(WAITED_FOUR_AT_ONCE)
        crowded.step()  # the first step starts the clock
        crowded.step()
        assert crowded.threads == 2  # one crowded look is not enough
        crowded.step()
        assert crowded.threads == 1 and set(_blas_threads()) == {1}
        crowded.step()  # stays at one
        assert set(_blas_threads()) == {1}
        crowded.close()
        assert set(_blas_threads()) == {2}


def test_a_training_alone_keeps_its_threads():
    with threadpool_limits(2, user_api="blas"):
        alone = _share_seeing(WAITED_ALONE)
        for _ in range(5):
            alone.step()
        assert alone.threads == 2 and set(_blas_threads()) == {2}
        alone.close()


def test_fit_drops_to_one_thread_when_other_processes_crowd_the_cpus(quota_of_one, monkeypatch):
    monkeypatch.setattr(cpus, "usable_cpus", lambda proc="/proc": 4)  # no quota: 4 threads allowed
    monkeypatch.setattr(cpus, "CHECK_SECONDS", 0.0)
    waited = iter(range(10_000))  # a second of waiting at every look: crowded
    monkeypatch.setattr(cpus, "waiting_seconds", lambda: float(next(waited)))
    with threadpool_limits(4, user_api="blas"):
        seen = _threads_seen_by("fit")
        assert (4,) * len(_blas_threads()) in seen and (1,) * len(_blas_threads()) in seen
        assert set(_blas_threads()) == {4}
