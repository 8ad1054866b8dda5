"""``python -m chapter2`` as a user runs it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from chapter2.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _run(*args):
    return subprocess.run([sys.executable, "-m", "chapter2", *args], capture_output=True, text=True,
                          timeout=600, env=os.environ.copy())


@pytest.mark.usefixtures("mnist_data")
def test_data_command_says_where_the_file_is():
    result = _run("data")
    assert result.returncode == 0, result.stderr
    assert "MNIST is ready" in result.stdout
    assert os.environ["CHAPTER2_DATA_DIR"] in result.stdout


@pytest.mark.slow
@pytest.mark.usefixtures("mnist_data")
def test_train_command_trains_and_reports_test_accuracy():
    result = _run("train", "--epochs", "1", "--seed", "3", "--batch-size", "256", "--verbose", "2")
    assert result.returncode == 0, result.stderr
    assert "Epoch 1/1" in result.stdout
    accuracy = float(result.stdout.split("test_acc:")[1].split()[0])
    assert accuracy > 0.93


def test_bad_option_values_get_a_clear_error(capsys):
    assert main(["train", "--epochs", "-1"]) == 1
    assert "epochs must be >= 0" in capsys.readouterr().err


def test_no_command_prints_help(capsys):
    assert main([]) == 2
    assert "train" in capsys.readouterr().out


def test_assignments_command_writes_student_versions_without_solutions(tmp_path):
    result = _run("assignments", "--out", str(tmp_path / "student"))
    assert result.returncode == 0, result.stderr
    written = sorted((tmp_path / "student").glob("*.ipynb"))
    assert [p.name for p in written] == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    for path in written:
        text = path.read_text()
        assert "### BEGIN SOLUTION" not in text and "NotImplementedError" in text


def test_grade_command_prints_a_table_and_writes_json_and_a_gradebook(tmp_path):
    report_path, gradebook = tmp_path / "report.json", tmp_path / "grades.csv"
    notebook = ROOT / "tests" / "data" / "classroom_instructor.ipynb"
    result = _run("grade", str(notebook), "--source", str(notebook), "--timeout", "60",
                  "--json", str(report_path), "--gradebook", str(gradebook), "--no-progress")
    assert result.returncode == 0, result.stderr
    assert "classroom_instructor.ipynb" in result.stdout
    report = json.loads(report_path.read_text())
    assert report["max_points"] > 0 and report["points"] == report["max_points"]
    assert gradebook.read_text().splitlines()[1].startswith("classroom_instructor,1,2,3,3,0")


@pytest.mark.parametrize("args, message", [
    (["--timeout", "nan"], "timeout must be a positive, finite number"),
    (["--timeout", "0"], "timeout must be a positive, finite number"),
    (["--workers", "0"], "workers must be a positive integer"),
    (["--json", "SUBMISSION"], "refusing to overwrite"),
    (["--memory-mb", "-5"], "limit memory_mb must be a positive finite number")])
def test_grade_command_refuses_bad_arguments_before_any_work(tmp_path, capsys, args, message):
    submission = tmp_path / "alice" / "nb.ipynb"
    submission.parent.mkdir()
    submission.write_bytes((ROOT / "tests" / "data" / "classroom_instructor.ipynb").read_bytes())
    before = submission.read_bytes()
    args = [str(submission) if a == "SUBMISSION" else a for a in args]
    assert main(["grade", str(submission), "--source", str(submission), "--no-progress", *args]) == 1
    assert message in capsys.readouterr().err
    assert submission.read_bytes() == before


def test_assignments_command_gives_clear_errors_not_tracebacks(tmp_path, capsys):
    existing = tmp_path / "file.txt"
    existing.write_text("x")
    assert main(["assignments", "--out", str(existing)]) == 1
    assert "is a file, not a folder" in capsys.readouterr().err
    broken = ROOT / "tests" / "data" / "classroom_not_a_notebook.ipynb"
    assert main(["assignments", "--notebooks", str(broken), "--out", str(tmp_path / "out")]) == 1
    assert "is not a readable notebook" in capsys.readouterr().err


@pytest.mark.parametrize("save,message", [
    ("model.weights.h5", "weights are saved as .npz files; got 'model.weights.h5'"),
    ("/missing/dir/w.npz", "the folder /missing/dir does not exist"),
    (".", "is a folder; save_weights needs a file name such as model.weights.npz"),
    ("/tmp", "/tmp is a folder"),
])
def test_train_refuses_a_bad_save_path_before_loading_data_or_training(capsys, monkeypatch, save, message):
    """Minutes of training must never end in a refused file name: --save is checked first."""
    import chapter2.training

    def must_not_run(*args, **kwargs):
        raise AssertionError("the data was loaded although --save was bad")

    monkeypatch.setattr(chapter2.training, "prepare_mnist", must_not_run)
    monkeypatch.setattr(chapter2.training, "load_mnist_uint8", must_not_run)
    assert main(["train", "--epochs", "1", "--save", save]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err


def test_train_refuses_a_bad_learning_rate_before_loading_data(capsys, monkeypatch):
    import chapter2.training

    monkeypatch.setattr(chapter2.training, "prepare_mnist", lambda: (_ for _ in ()).throw(AssertionError))
    assert main(["train", "--learning-rate", "0"]) == 1
    assert "learning_rate must be > 0.0, got 0.0" in capsys.readouterr().err


def test_a_quoted_tilde_means_the_home_folder(tmp_path, monkeypatch, capsys):
    """'~/out' reaches the program unexpanded when quoted; it must not become a folder named ~."""
    from chapter2.saving import check_weights_path

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert check_weights_path("~/model.weights.npz") == tmp_path / "model.weights.npz"
    assert main(["assignments", "--out", "~/release"]) == 0
    assert (tmp_path / "release").is_dir() and not (tmp_path / "~").exists()
