"""Dask mode trusts no network (issue 19, class 7): mutual TLS with the teacher's certificates.

Everything runs on 127.0.0.1: a scheduler and a worker made with the
certificates of ``python -m chapter2 grade-certs``. The grader connects with
them; a client or a worker without them (or with another teacher's) is
refused, and the grader refuses a ``tcp://`` scheduler unless told to trust it.
"""

import socket
import ssl
import stat
import subprocess
import sys
import time

import pytest

distributed = pytest.importorskip("distributed", reason="the cluster extra: pip install -e '.[cluster]'")
pytest.importorskip("cryptography", reason="the cluster extra: pip install -e '.[cluster]'")

from chapter2.classroom import certs  # noqa: E402
from chapter2.classroom.dispatch import Scheduler  # noqa: E402
from chapter2.errors import InputValueError  # noqa: E402


def _cluster_security(folder):
    """What the teacher's scheduler and workers run with (the README's command lines)."""
    ca, cert, key = (str(folder / name) for name in (certs.CA, certs.CERT, certs.KEY))
    return distributed.security.Security(
        tls_ca_file=ca, tls_scheduler_cert=cert, tls_scheduler_key=key, tls_worker_cert=cert,
        tls_worker_key=key, tls_client_cert=cert, tls_client_key=key, require_encryption=True)


@pytest.fixture(scope="module")
def teacher(tmp_path_factory):
    folder = tmp_path_factory.mktemp("certs") / "grading"
    made = subprocess.run([sys.executable, "-m", "chapter2", "grade-certs", str(folder)],
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    return folder


@pytest.fixture(scope="module")
def cluster(teacher):
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tls://",
                                  host="127.0.0.1", dashboard_address=None,
                                  security=_cluster_security(teacher)) as local:
        yield local


def test_grade_certs_writes_private_keys_once(teacher):
    assert sorted(p.name for p in teacher.iterdir()) == sorted([certs.CA, certs.CA_KEY, certs.CERT,
                                                                certs.KEY])
    for key in (certs.CA_KEY, certs.KEY):
        assert stat.S_IMODE((teacher / key).stat().st_mode) == 0o600
    assert stat.S_IMODE(teacher.stat().st_mode) == 0o700
    with pytest.raises(InputValueError, match="already holds"):
        certs.make_certificates(teacher)


def test_the_grader_reaches_a_tls_cluster_with_the_teachers_certificates(cluster, teacher):
    assert cluster.scheduler_address.startswith("tls://127.0.0.1:")
    with Scheduler(cluster.scheduler_address, teacher).connect() as client:
        assert client.submit(sum, [1, 2], pure=False).result(timeout=60) == 3


def test_a_client_without_the_certificate_is_refused(cluster, teacher, tmp_path):
    """Before: any client reaching the scheduler ran code on every worker (0 / 6 became 6 / 6)."""
    stranger = certs.security(certs.make_certificates(tmp_path / "other")[0].parent)
    with pytest.raises((OSError, TimeoutError)):
        distributed.Client(cluster.scheduler_address, security=stranger, timeout=3)
    # TLS that trusts the teacher's authority but shows no certificate: the scheduler hangs up
    context = ssl.create_default_context(cafile=str(teacher / certs.CA))
    context.check_hostname = False
    host, port = cluster.scheduler_address.removeprefix("tls://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        with pytest.raises((ssl.SSLError, OSError)):
            with context.wrap_socket(raw) as tls:
                tls.sendall(b"hello")
                tls.recv(1)  # the scheduler answers with an alert: certificate required
    with pytest.raises((OSError, TimeoutError, TypeError, ValueError)):
        distributed.Client(cluster.scheduler_address.replace("tls://", "tcp://"), timeout=3)


# A would-be worker runs in its own process, as a student's would: a refused TLS
# handshake makes some distributed versions retry (2023.1 never returned in-process
# under asyncio.run), and a process can always be killed.
_JOIN = """
import asyncio, sys, distributed
address, files = sys.argv[1], sys.argv[2:]
if not files:
    security = distributed.security.Security()
else:
    ca, cert, key = files
    security = distributed.security.Security(tls_ca_file=ca, tls_worker_cert=cert,
                                             tls_worker_key=key, require_encryption=True)
async def main():
    async with distributed.Worker(address, security=security, nthreads=1, host="127.0.0.1"):
        await asyncio.sleep(3600)
asyncio.run(main())
"""


def _most_workers_while_joining(cluster, teacher, folder, seconds):
    """The most workers the scheduler lists while a process tries to join with ``folder``'s certificates."""
    files = [str(folder / name) for name in (certs.CA, certs.CERT, certs.KEY)] if folder else []
    joining = subprocess.Popen([sys.executable, "-c", _JOIN, cluster.scheduler_address, *files],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    most = 0
    with Scheduler(cluster.scheduler_address, teacher).connect() as client:
        try:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline and most < 2:
                most = max(most, len(client.scheduler_info()["workers"]))
                time.sleep(0.25)
        finally:
            joining.kill()
            joining.wait(timeout=30)
        # a killed worker leaves the scheduler's list when its connection closes
        deadline = time.monotonic() + 30
        while len(client.scheduler_info()["workers"]) > 1 and time.monotonic() < deadline:
            time.sleep(0.25)
    return most


def test_a_worker_without_the_certificate_cannot_join(cluster, teacher, tmp_path):
    """Before: a student's own worker joined, took jobs and returned forged full marks."""
    stranger = certs.make_certificates(tmp_path / "other")[0].parent
    # the same process with the teacher's certificates joins: the check can see a second worker
    assert _most_workers_while_joining(cluster, teacher, teacher, seconds=60) == 2
    for folder in (stranger, None):  # another teacher's certificates, then none
        assert _most_workers_while_joining(cluster, teacher, folder, seconds=8) == 1
    with Scheduler(cluster.scheduler_address, teacher).connect() as client:
        assert len(client.scheduler_info()["workers"]) == 1  # the teacher's worker alone


def test_an_unauthenticated_scheduler_is_refused_unless_asked_for():
    with pytest.raises(InputValueError, match="grade-certs"):
        Scheduler("tcp://127.0.0.1:9").connect()
    with pytest.raises(OSError):  # told to trust the network: it tries, and here finds nothing
        Scheduler("tcp://127.0.0.1:9", insecure=True).connect()


def test_the_command_refuses_a_tcp_scheduler_and_says_why(tmp_path):
    from pathlib import Path

    instructor = Path(__file__).parent / "data" / "classroom_instructor.ipynb"
    submission = tmp_path / "alice" / instructor.name
    submission.parent.mkdir()
    submission.write_bytes(instructor.read_bytes())
    result = subprocess.run([sys.executable, "-m", "chapter2", "grade", str(submission), "--source",
                             str(instructor), "--no-progress", "--scheduler", "tcp://127.0.0.1:9"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "refusing to grade over 'tcp://127.0.0.1:9'" in result.stderr
