"""The numeric tolerance for machine-dependent notebook cells: the comparison, and nbval using it."""

import copy
import functools
import json
import math
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from authoring.tolerance import (ToleranceError, read_tolerance, reconcile, reconcile_outputs,
                                        split_numbers, unused_rules)

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
SANITIZE = ROOT / "notebooks" / "nbval_sanitize.cfg"
LOG = "469/469 - 4s - 8ms/step - accuracy: 0.9242 - loss: 0.2637\n"


def _spec(*rules, reason="a training log: float32 rounding differs between BLAS kernels"):
    return {"chapter2": {"nbval": {"reason": reason, "numbers": list(rules)}}}


FIT = read_tolerance(_spec({"pattern": "accuracy: [0-9.]+", "abs": 0.005},
                           {"pattern": "loss: [0-9.]+", "rel": 0.02}))


# --- the comparison -----------------------------------------------------------------------

def test_numbers_within_their_tolerance_are_replaced_by_the_stored_ones():
    fresh = "469/469 - 4s - 8ms/step - accuracy: 0.9261 - loss: 0.2672\n"
    assert reconcile(LOG, fresh, FIT) == (LOG, [])


def test_outputs_are_sanitized_before_their_numbers_are_compared():
    stored = [nbformat.v4.new_output("stream", name="stdout", text=LOG)]
    fresh = [nbformat.v4.new_output("stream", name="stdout", text=LOG.replace("4s - 8ms", "52s - 111ms"))]
    mask_times = functools.partial(re.sub, r"\d+(s|ms)\b", "TIME")
    reconciled, notes = reconcile_outputs(fresh, stored, FIT, sanitize=mask_times)
    assert notes == [] and reconciled[0]["text"] == mask_times(LOG)
    assert len(reconcile_outputs(fresh, stored, FIT)[1]) == 2     # unsanitized, both times differ


def test_a_loss_off_by_ten_percent_fails_with_a_note_naming_it():
    fresh = LOG.replace("0.2637", f"{0.2637 * 1.1:.4f}")
    text, notes = reconcile(LOG, fresh, FIT)
    assert text == fresh
    assert len(notes) == 1 and "- loss: 0.2901' is off the stored 0.2637" in notes[0] and "10.01%" in notes[0]


def test_an_accuracy_off_by_more_than_its_absolute_tolerance_fails():
    _, notes = reconcile(LOG, LOG.replace("0.9242", "0.9301"), FIT)
    assert len(notes) == 1 and "accuracy: 0.9301" in notes[0]
    assert reconcile(LOG, LOG.replace("0.9242", "0.9290"), FIT) == (LOG, [])


def test_changed_text_around_the_numbers_is_never_tolerated():
    for fresh in (LOG.replace("loss:", "loss ="), LOG + "warning\n", LOG.replace("0.2637", "nan")):
        text, notes = reconcile(LOG, fresh, FIT)
        assert text == fresh and notes == ["the text around the numbers differs, so no tolerance applies"]


def test_numbers_no_rule_covers_must_be_identical():
    _, notes = reconcile(LOG, LOG.replace("469/469", "468/469"), FIT)
    assert len(notes) == 1 and "no tolerance rule covers" in notes[0]


def test_a_number_written_with_other_decimals_fails_even_when_close():
    _, notes = reconcile(LOG, LOG.replace("0.2637", "0.264"), FIT)
    assert len(notes) == 1 and "not written like" in notes[0]


def test_the_first_rule_that_covers_a_number_decides():
    tolerance = read_tolerance(_spec({"pattern": "loss: [0-9.]+", "rel": 0.001},
                                     {"pattern": "[0-9.]+$", "rel": 0.05}))
    assert reconcile("loss: 1.00", "loss: 1.04", tolerance)[1]          # 4% > 0.1%
    assert reconcile("x 1.00", "x 1.04", tolerance) == ("x 1.00", [])


def test_split_numbers_keeps_digits_inside_words_as_text():
    pieces, numbers = split_numbers("dense_0 (Dense, relu) 401,920 -1.5e-3 x2")
    assert [m.group() for m in numbers] == ["401", "920", "-1.5e-3"]
    assert "".join(p + m.group() for p, m in zip(pieces, numbers)) + pieces[-1] == \
        "dense_0 (Dense, relu) 401,920 -1.5e-3 x2"


def test_outputs_are_paired_like_nbval_pairs_them_and_not_modified_in_place():
    stored = [nbformat.v4.new_output("stream", name="stdout", text=LOG),
              nbformat.v4.new_output("execute_result", {"text/plain": "accuracy: 0.9242"})]
    fresh = copy.deepcopy(stored)
    fresh[0]["text"] = LOG.replace("0.2637", "0.2640")
    fresh[1]["data"]["text/plain"] = "accuracy: 0.9250"
    before = copy.deepcopy(fresh)
    reconciled, notes = reconcile_outputs(fresh, stored, FIT)
    assert notes == [] and reconciled == stored and fresh == before


# --- the declaration ------------------------------------------------------------------------

@pytest.mark.parametrize("metadata, message", [
    ({"chapter2": []}, "must be a mapping"),
    ({"chapter2": {"nbval": {"numbers": [{"pattern": "x", "abs": 1}]}}}, "needs a 'reason'"),
    (_spec(reason="  "), "needs a 'reason'"),
    (_spec(), "non-empty list"),
    (_spec({"pattern": "x", "abs": 1, "rell": 0.1}), "unknown keys"),
    (_spec({"pattern": "(", "abs": 1}), "regular expression"),
    (_spec({"abs": 1}), "regular expression"),
    (_spec({"pattern": "x", "abs": -1}), "finite number >= 0"),
    (_spec({"pattern": "x", "rel": math.inf}), "finite number >= 0"),
    (_spec({"pattern": "x", "rel": True}), "finite number >= 0"),
    (_spec({"pattern": "x", "rel": "0.1"}), "finite number >= 0"),
    (_spec({"pattern": "x"}), "allows no difference"),
    (_spec({"pattern": "x", "rel": 1e300}), "keep it below 0.1"),
    (_spec({"pattern": "x", "rel": 0.1}), "keep it below 0.1"),
])
def test_a_malformed_declaration_is_refused_with_the_reason(metadata, message):
    with pytest.raises(ToleranceError, match=message):
        read_tolerance(metadata)


def test_a_cell_without_a_declaration_is_compared_exactly():
    assert read_tolerance({}) is None
    assert read_tolerance({"chapter2": {}, "tags": ["x"]}) is None


def test_stale_rules_that_cover_no_stored_number_are_found():
    tolerance = read_tolerance(_spec({"pattern": "loss: [0-9.]+", "rel": 0.02},
                                     {"pattern": "val_loss: [0-9.]+", "rel": 0.02}))
    stored = [nbformat.v4.new_output("stream", name="stdout", text=LOG)]
    assert [r.pattern.pattern for r in unused_rules(tolerance, stored)] == ["val_loss: [0-9.]+"]


# --- nbval with the plugin, end to end --------------------------------------------------------

def test_the_plugin_is_loaded_where_these_notebooks_are_tested(pytestconfig):
    assert pytestconfig.pluginmanager.has_plugin("authoring.nbval_plugin"), \
        "the repository's root conftest.py loads it"


def test_another_projects_pytest_run_does_not_load_it(pytester):
    pytester.makepyfile(test_elsewhere="""
        import sys

        def test_no_chapter2_plugin(pytestconfig):
            names = [name for name, _ in pytestconfig.pluginmanager.list_name_plugin()]
            assert not any("nbval_plugin" in str(name) or "chapter2" in str(name) for name in names)
            assert "authoring.nbval_plugin" not in sys.modules
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def _cell(source, stored_text, metadata=None):
    cell = nbformat.v4.new_code_cell(source, metadata=metadata or {}, execution_count=1)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=stored_text)]
    return cell


def _notebook(path, cells):
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for count, cell in enumerate(nb.cells, start=1):
        cell.execution_count = count
    nbformat.write(nb, path)


def _failed_cells(result):
    return sorted(line.split("::")[1].split(" - ")[0] for line in result.outlines if line.startswith("FAILED"))


def _run_nbval(pytester, *paths):
    pytester._monkeypatch.setenv("PYTHONPATH", str(ROOT))  # where the authors' tools are
    # A local copy: a path into the repository would make pytest (7.x) treat the repository as a
    # starting point and load its conftest.py as well.
    shutil.copy(SANITIZE, pytester.path / SANITIZE.name)
    return pytester.runpytest_subprocess("-p", "authoring.nbval_plugin", "--nbval", "--nbval-current-env",
                                         "-p", "no:cacheprovider",
                                         "--nbval-sanitize-with", SANITIZE.name, *map(str, paths))


def test_nbval_passes_close_numbers_and_fails_far_ones_changed_text_and_strict_cells(pytester):
    source = 'print(f"epoch 1 - 3s - loss: {0.2637 * 1.003:.4f} - accuracy: {0.9242 + 0.001:.4f}")'
    good = "epoch 1 - 41s - loss: 0.2637 - accuracy: 0.9242\n"
    spec = _spec({"pattern": "loss: [0-9.]+", "rel": 0.02}, {"pattern": "accuracy: [0-9.]+", "abs": 0.005})
    _notebook(pytester.path / "probe.ipynb", [
        _cell(source, good, spec),                                              # Cell 0: passes
        _cell(source, good.replace("0.2637", "0.2901"), spec),                  # Cell 1: stored loss +10%
        _cell(source, good.replace("- accuracy", "| accuracy"), spec),          # Cell 2: text differs
        _cell(source, good),                                                    # Cell 3: strict, floats differ
        _cell('print("exact 1.5")', "exact 1.5\n"),                             # Cell 4: strict, same
    ])
    result = _run_nbval(pytester, "probe.ipynb")
    result.assert_outcomes(passed=2, failed=3)
    assert _failed_cells(result) == ["Cell 1", "Cell 2", "Cell 3"]
    assert "'epoch 1 - TIME - loss: 0.2645' is off the stored 0.2901" in result.stdout.str()
    assert "chapter2: 3 notebook cells compared with numeric tolerances" in result.stdout.str()


LOSS_SPEC = _spec({"pattern": "loss: [0-9.]+", "rel": 0.02})


@pytest.mark.parametrize("source, metadata, message", [
    ('print("loss: 0.5")', {**LOSS_SPEC, "tags": ["nbval-ignore-output"]}, "must not also be skipped"),
    ('# NBVAL_SKIP\nprint("loss: 0.5")', LOSS_SPEC, "must not also be skipped"),
    ('print("loss: 0.5")', _spec({"pattern": "val_loss: [0-9.]+", "rel": 0.02}), "cover no number"),
    ('print("loss: 0.5")', _spec({"pattern": "loss: [0-9.]+"}), "allows no difference"),
    ('print("epoch 1 - loss: 0.5")', _spec({"pattern": ".*", "abs": 0.001}), "covers the whole line"),
    ('print("epoch 1 - loss: 0.5")', _spec({"pattern": "[\\s\\S]+", "rel": 0.05}), "covers the whole line"),
    ('print("loss: 0.5")', _spec({"pattern": "loss: [0-9.]+", "abs": 1e300}), "a real change would pass"),
])
def test_nbval_fails_a_cell_whose_declaration_cannot_be_trusted(pytester, source, metadata, message):
    stored = source.split('"')[1] + "\n"
    _notebook(pytester.path / "probe.ipynb", [_cell(source, stored, metadata)])
    result = _run_nbval(pytester, "probe.ipynb")
    result.assert_outcomes(failed=1)
    assert message in result.stdout.str()


@pytest.mark.slow
def test_a_real_notebook_with_a_stored_loss_changed_by_ten_percent_fails(pytester):
    """A copy of notebook 01 up to the test evaluation, trained for real, with two stored outputs altered."""
    if not os.environ.get("CHAPTER2_DATA_DIR") and not os.environ.get("CI"):
        pytest.skip("needs MNIST: set CHAPTER2_DATA_DIR")
    nb = nbformat.read(ROOT / "notebooks" / "01_first_look.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    fit = next(c for c in code if "network.fit(" in c.source)
    evaluate = next(c for c in code if "network.evaluate(test_images" in c.source)
    nb.cells = [c for c in nb.cells if c.cell_type == "code"][:code.index(evaluate) + 1]
    log = fit.outputs[-1]
    last_loss = log.text.rsplit("loss: ", 1)[1].strip()
    log.text = log.text.replace(f"loss: {last_loss}", f"loss: {float(last_loss) * 1.1:.4f}")
    for output in evaluate.outputs:
        output.text = output.text.replace("test loss:", "the test loss:")
    path = pytester.path / "first_look_altered.ipynb"
    nbformat.write(nb, path)
    shutil.copy(SANITIZE, pytester.path)
    result = _run_nbval(pytester, path)
    assert _failed_cells(result) == [f"Cell {code.index(fit)}", f"Cell {code.index(evaluate)}"]
    assert f"is off the stored {float(last_loss) * 1.1:.4f}" in result.stdout.str()
    assert "the text around the numbers differs" in result.stdout.str()



# --- the measuring tool ------------------------------------------------------------------------

def test_spread_measures_each_rule_and_lists_exact_cells_that_differ(tmp_path, capsys):
    from authoring import spread

    stored = nbformat.v4.new_notebook(cells=[
        _cell("fit()", LOG, _spec({"pattern": "accuracy: [0-9.]+", "abs": 0.005},
                                  {"pattern": "loss: [0-9.]+", "rel": 0.02})),
        _cell("print(2 + 2)", "4\n")])
    fresh = copy.deepcopy(stored)
    fresh.cells[0].outputs[0].text = LOG.replace("0.2637", "0.2664").replace("4s", "9s")
    fresh.cells[1].outputs[0].text = "5\n"
    records = spread.measure(stored, fresh, spread.sanitizer(SANITIZE))
    accuracy, loss, exact = records
    assert (accuracy["max_abs"], accuracy["fails"]) == (0.0, False)
    assert loss["max_abs"] == pytest.approx(0.0027) and loss["max_rel"] == pytest.approx(0.0027 / 0.2637)
    assert loss["share_of_allowance"] == pytest.approx(0.0027 / (0.02 * 0.2637 + 0.0001))
    assert exact == {"cell": 1, "exact": True, "differs": True}

    runs = tmp_path / "runs.jsonl"
    runs.write_text(json.dumps({"notebook": "x.ipynb", "label": "probe", "records": records}) + "\n")
    spread.summarize([runs])
    out = capsys.readouterr().out
    assert "x.ipynb cell  0  loss: [0-9.]+" in out and "max rel 1.02%" in out
    assert "x.ipynb cell  1" in out and "exact cell differs in: ['probe']" in out


def test_a_backtracking_pattern_fails_in_seconds_instead_of_hanging(pytester):
    import time

    spec = _spec({"pattern": "(a+)+$", "rel": 0.02})
    _notebook(pytester.path / "probe.ipynb", [_cell('print("a" * 40 + "b 0.5")', "a" * 40 + "b 0.5\n", spec)])
    started = time.perf_counter()
    result = _run_nbval(pytester, "probe.ipynb")
    assert time.perf_counter() - started < 60
    result.assert_outcomes(failed=1)
    assert "backtracks" in result.stdout.str()


def test_the_time_bound_holds_off_the_main_thread_too():
    import threading

    from authoring.tolerance import spans

    caught = []

    def search():
        try:
            spans(re.compile("(a+)+$"), "a" * 40 + "b")
        except ToleranceError as error:
            caught.append(error)
    worker = threading.Thread(target=search, daemon=True)
    worker.start()
    worker.join(30)
    assert caught and "backtracks" in str(caught[0])


def test_an_outer_alarm_keeps_its_deadline_through_a_bounded_search():
    """pytest-timeout arms SIGALRM for every test; bounding a search must not disarm it."""
    import signal
    import time

    from authoring.tolerance import spans

    fired = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(time.monotonic()))
    outer_left, _ = signal.setitimer(signal.ITIMER_REAL, 0.5)
    started = time.monotonic()
    try:
        assert spans(re.compile("loss: [0-9.]+"), "a - loss: 0.26") == [(4, 14)]
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0.3  # re-armed with what was left
        while not fired and time.monotonic() - started < 5:
            time.sleep(0.01)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:
            signal.setitimer(signal.ITIMER_REAL, outer_left)
    assert len(fired) == 1 and 0.4 < fired[0] - started < 1.5
