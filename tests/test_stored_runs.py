"""Stored runs a learner can believe: the fit logs of 01 and 09 come from a quiet machine.

``authoring/execute_notebooks.py`` refuses to store a notebook whose fit log
shows a training step slower than its bound (a run made while the machine was
busy). These tests hold the stored notebooks to the same bound, and show the
refusal works.
"""

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("authoring_execute", ROOT / "authoring" / "execute_notebooks.py")
execute_notebooks = sys.modules.setdefault("authoring_execute", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(execute_notebooks)

TRAINING = ["01_first_look.ipynb", "09_looking_back.ipynb"]


@pytest.mark.parametrize("name", TRAINING)
def test_stored_fit_logs_ran_at_full_speed(name):
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    steps = execute_notebooks.step_times_ms(nb)
    assert len(steps) >= 5, "the notebook's fit log shows its time per step"
    assert execute_notebooks.slow_steps(nb) == [], (
        f"{name} was stored from a busy machine: re-store it with authoring/execute_notebooks.py")


def _logged(*lines):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
        nbformat.v4.new_output("stream", text="".join(f"{line}\n" for line in lines))])])


def test_a_run_made_under_load_is_refused():
    busy = _logged("469/469 - 2s - 4ms/step - loss: 0.26", "469/469 - 66s - 141ms/step - loss: 0.10")
    assert execute_notebooks.slow_steps(busy) == [141.0]
    assert execute_notebooks.slow_steps(_logged("469/469 - 1s - 2ms/step")) == []
    assert execute_notebooks.step_times_ms(_logged("10/10 - 3s - 1s/step")) == [1000.0]


def test_the_tool_refuses_to_store_a_slow_run(tmp_path, monkeypatch, capsys):
    path = tmp_path / "n.ipynb"
    nbformat.write(_logged("old"), path)
    monkeypatch.setattr(execute_notebooks, "execute",
                        lambda p, timeout: _logged("469/469 - 66s - 141ms/step"))
    monkeypatch.delenv("MPLBACKEND", raising=False)
    assert execute_notebooks.main([str(path)]) == 1
    assert "NOT STORED" in capsys.readouterr().out
    assert "old" in path.read_text(), "the stored notebook is kept"


def test_the_tool_examples_run():
    import doctest
    assert doctest.testmod(execute_notebooks).failed == 0


def test_a_stored_run_records_the_versions_it_was_executed_with(tmp_path, monkeypatch, capsys):
    path = tmp_path / "n.ipynb"
    nbformat.write(_logged("old"), path)
    monkeypatch.setattr(execute_notebooks, "execute", lambda p, timeout: _logged("469/469 - 1s - 2ms/step"))
    monkeypatch.delenv("MPLBACKEND", raising=False)
    assert execute_notebooks.main([str(path)]) == 0
    recorded = nbformat.read(path, as_version=4).metadata["chapter2"]["executed_with"]
    assert set(recorded) == {"Python", *execute_notebooks.RECORDED_PACKAGES}
    assert recorded["numpy"] == __import__("numpy").__version__
