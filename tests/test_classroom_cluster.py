"""Grading on a real Dask distributed cluster: a LocalCluster of two worker processes on 127.0.0.1.

The same command as on one machine, with ``--scheduler``: every worker runs
each submission in its own runner process and sandbox, and the scores are
those local grading gives (tests/test_classroom.py grades the same notebooks).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed", reason="the cluster extra: pip install -e '.[cluster]'")

from chapter2.classroom.student import write_student_versions  # noqa: E402

DATA = Path(__file__).parent / "data"
INSTRUCTOR = DATA / "classroom_instructor.ipynb"


@pytest.fixture(scope="module")
def teacher(tmp_path_factory):
    pytest.importorskip("cryptography", reason="the cluster extra: pip install -e '.[cluster]'")
    from chapter2.classroom.certs import make_certificates

    folder = tmp_path_factory.mktemp("certs") / "grading"
    make_certificates(folder)
    return folder


@pytest.fixture(scope="module")
def cluster(teacher):
    ca, cert, key = (str(teacher / name) for name in ("ca.pem", "grader.pem", "grader-key.pem"))
    security = distributed.security.Security(
        tls_ca_file=ca, tls_scheduler_cert=cert, tls_scheduler_key=key, tls_worker_cert=cert,
        tls_worker_key=key, tls_client_cert=cert, tls_client_key=key, require_encryption=True)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, protocol="tls://",
                                  host="127.0.0.1", dashboard_address=None, security=security) as local:
        yield local


def _grade(args, tmp_path, name):
    report = tmp_path / f"{name}.json"
    result = subprocess.run([sys.executable, "-m", "chapter2", "grade", *args, "--source", str(INSTRUCTOR),
                             "--json", str(report), "--no-progress", "--timeout", "60"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return json.loads(report.read_text())


@pytest.mark.slow
def test_a_local_dask_cluster_grades_like_local_workers(cluster, teacher, tmp_path):
    submitted = tmp_path / "submitted"
    for student in ("alice", "bob", "carol"):
        folder = submitted / student / "fixture"
        folder.mkdir(parents=True)
        if student == "bob":
            (folder / INSTRUCTOR.name).write_bytes(INSTRUCTOR.read_bytes())
        else:
            write_student_versions([INSTRUCTOR], folder)
    assert cluster.scheduler_address.startswith("tls://127.0.0.1:")
    on_dask = _grade([str(submitted), "--scheduler", cluster.scheduler_address, "--tls", str(teacher)],
                     tmp_path, "dask")
    scores = [(n["student"], n["points"], [e["status"] for e in n["exercises"]]) for n in on_dask["notebooks"]]
    assert scores == [("alice", 0, ["failed", "failed"]), ("bob", 3, ["passed", "passed"]),
                      ("carol", 0, ["failed", "failed"])]
    # the cluster's two worker processes did the work, not this one or the command's
    with distributed.Client(cluster, security=cluster.security) as client:
        worker_pids = set(client.run(os.getpid).values())
    assert len(worker_pids) == 2
    assert {int(n["worker"].rsplit(":", 1)[1]) for n in on_dask["notebooks"]} <= worker_pids


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path):
    from chapter2.cli import main

    assert main(["grade", str(INSTRUCTOR), "--source", str(INSTRUCTOR), "--no-progress",
                 "--scheduler", "tcp://127.0.0.1:9", "--insecure-scheduler"]) == 1
