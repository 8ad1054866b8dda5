"""The web edition's tools without a browser: frames, page sources, and the build's first checks.

``tests/browser/test_site.py`` checks the built site in Chromium; here each piece
is checked on its own (and runs without the ``site`` extra): which values of a
control are drawn, what the kernel-side recorder writes, what a page source
changes (and does not) in a notebook, and the one-line errors the build gives
before any work.
"""

from __future__ import annotations

import doctest
import hashlib
import json
import sys
from pathlib import Path

import ipywidgets as w
import matplotlib
import nbformat
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from chapter2 import widgets as live_widgets  # noqa: E402
from chapter2.widgets import LiveFigure  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402
import site_frames  # noqa: E402
import site_pages  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LINKS = site_pages.Links("https://github.com/someone/chapter2", "main", "https://mybinder.org")


# --- site_frames: which values are drawn -------------------------------------------------------

@pytest.mark.parametrize("module", [site_frames, site_pages])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_slider_values_follow_the_step_without_float_noise():
    control = site_frames.describe_control("x", w.FloatSlider(value=0.3, min=0.0, max=1.0, step=0.1))
    assert control.values == [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    assert control.kind == "range" and control.initial == 3 and control.labels[3] == "0.30"


def test_each_control_kind_gets_its_values_and_html_control():
    pairs = site_frames.describe_control("r", w.IntRangeSlider(value=(1, 2), min=0, max=2))
    assert pairs.values == [(0, 0), (0, 1), (0, 2), (1, 1), (1, 2), (2, 2)] and pairs.kind == "select"
    assert pairs.values[pairs.initial] == (1, 2) and pairs.labels[pairs.initial] == "1 to 2"
    drop = site_frames.describe_control("d", w.Dropdown(options=[("small", 0.1), ("big", 2.0)], value=2.0))
    assert (drop.values, drop.labels, drop.initial, drop.kind) == ([0.1, 2.0], ["small", "big"], 1, "select")
    steps = site_frames.describe_control("s", w.SelectionSlider(options=[32, 128, 512], value=128))
    assert (steps.values, steps.initial, steps.kind) == ([32, 128, 512], 1, "range")
    box = site_frames.describe_control("c", w.Checkbox(value=True, description="on?"))
    assert (box.values, box.initial, box.kind, box.description) == ([False, True], 1, "checkbox", "on?")
    with pytest.raises(site_frames.NotListable, match="free input"):
        site_frames.describe_control("t", w.Text(value="(4, 1)"))
    with pytest.raises(site_frames.NotListable, match="not listed"):
        site_frames.describe_control("l", w.FloatLogSlider(value=10, base=10, min=0, max=3))


def test_a_grid_is_kept_within_budget_and_the_start_values_are_always_drawn():
    for sizes in ([2, 200], [97, 150], [7, 7], [73, 41, 41, 41, 41, 2], [100, 435, 435]):
        layout, counts = site_frames.design(sizes, 64)
        frames = 1 + sum(k - 1 for k in counts) if layout == "star" else int(__import__("math").prod(counts))
        assert frames <= 64 and all(1 <= k <= n for k, n in zip(counts, sizes)), (sizes, layout, counts)
        assert all(k >= 2 for k in counts), "every control moves"
    for n, k, initial in ((97, 5, 68), (30, 30, 0), (469, 64, 0), (2, 2, 1)):
        chosen = site_frames.spread(n, k, initial)
        assert initial in chosen and len(chosen) <= k and chosen == sorted(set(chosen))


# --- site_frames: what the recorder writes -----------------------------------------------------

def _live():
    def draw(size, label, show):
        if size == 0:
            return f"nothing to draw for {label}"
        fig, ax = plt.subplots(figsize=(2, 2))
        ax.plot(range(size), label=label, marker="o" if show else None)
        return fig

    return LiveFigure(draw, size=w.IntSlider(value=1, min=0, max=3, description="size"),
                      label=w.Dropdown(options=["a", "b"], value="a"), show=w.Checkbox(value=False))


def test_the_recorder_draws_every_combination_within_budget(tmp_path):
    site_frames.Recorder(tmp_path, budget=64, notebook="nb")(_live())
    manifest = json.loads((tmp_path / "nb-0" / "manifest.json").read_text())
    assert manifest["listable"] and manifest["design"] == "grid"
    assert manifest["total"] == manifest["drawn"] == len(manifest["frames"]) == 4 * 2 * 2
    texts = {k: f["text"] for k, f in manifest["frames"].items() if "text" in f}
    assert texts == {"0-0-0": "nothing to draw for a", "0-0-1": "nothing to draw for a",
                     "0-1-0": "nothing to draw for b", "0-1-1": "nothing to draw for b"}
    pngs = [f["src"] for f in manifest["frames"].values() if "src" in f]
    assert len(pngs) == 12 and all((tmp_path / "nb-0" / p).read_bytes()[:4] == b"\x89PNG" for p in pngs)
    assert [c["initial"] for c in manifest["controls"]] == [1, 0, 0]


def test_over_budget_the_recorder_draws_a_subset_and_says_how_many_of_how_many(tmp_path):
    site_frames.Recorder(tmp_path, budget=5, notebook="nb")(_live())
    manifest = json.loads((tmp_path / "nb-0" / "manifest.json").read_text())
    assert manifest["drawn"] == len(manifest["frames"]) <= 5 and manifest["total"] == 16
    assert "1-0-0" in manifest["frames"], "the start values are drawn"
    note = site_pages.widget_html("nb-0", manifest, "alt")
    assert f"{manifest['drawn']} of the 16 settings were drawn in advance" in note


def test_a_text_box_widget_is_recorded_as_not_listable(tmp_path):
    live = LiveFigure(lambda shape: shape, shape=w.Text(value="(4, 1)", description="shape"))
    site_frames.Recorder(tmp_path, budget=64, notebook="nb")(live)
    manifest = json.loads((tmp_path / "nb-0" / "manifest.json").read_text())
    assert manifest == {**manifest, "listable": False, "values": {"shape": "(4, 1)"}}
    assert "free input" in site_pages.widget_html("nb-0", manifest, "alt")


def test_live_figure_calls_the_display_hook_only_when_set(monkeypatch):
    seen = []
    live = _live()
    live._ipython_display_()
    assert live_widgets.display_hook is None and seen == []
    monkeypatch.setattr(live_widgets, "display_hook", seen.append)
    live._ipython_display_()
    assert seen == [live]


# --- site_pages: what a page source changes, and what it keeps ---------------------------------

def _outputs_without_widgets(cell):
    return [o for o in cell.get("outputs", []) if site_pages.WIDGET_VIEW not in o.get("data", {})]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_page_keeps_every_cell_and_output_and_adds_what_a_reader_needs(path):
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    stored = nbformat.read(path, as_version=4)
    page, counts = site_pages.make_page(path, LINKS, {}, None, toc=["x"] if path.stem.startswith("00") else None)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before, "the stored notebook is untouched"
    kept = [c for c in page.cells if c.get("id") in {s.get("id") for s in stored.cells}]
    assert len(kept) == len(stored.cells)
    for old, new in zip(stored.cells, kept):
        if old.cell_type == "code":
            assert new.source == old.source and _outputs_without_widgets(new)[:len(_outputs_without_widgets(old))] \
                == _outputs_without_widgets(old)
    figures = [i for i, c in enumerate(stored.cells)
               if any("image/png" in o.get("data", {}) for o in c.get("outputs", []))]
    assert counts["alt"] == len(figures)
    for i in figures:
        alt = stored.cells[i].metadata.get("mystnb", {}).get("image", {}).get("alt")
        assert alt is None, "the stored notebook has no alt of its own to keep"
    page_alts = [c.metadata["mystnb"]["image"]["alt"] for c in kept if "image" in c.metadata.get("mystnb", {})]
    assert page_alts == [site_pages.plain_text(stored.cells[i + 1].source) for i in figures]
    assert all(len(a.split()) >= 12 for a in page_alts)
    solutions = [c for c in kept if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"]
    assert counts["solutions"] == len(solutions)
    assert all("hide-input" in c.metadata["tags"] and c.metadata["mystnb"]["code_prompt_show"] == "Show solution"
               for c in solutions)
    assert counts["checks"] == sum(1 for c in page.cells if c.source == site_pages.CHECK_NOTE)
    assert "widgets" not in page.metadata
    assert not any(site_pages.WIDGET_VIEW in o.get("data", {}) for c in page.cells for o in c.get("outputs", []))
    assert not any("](../" in c.source for c in page.cells if c.cell_type == "markdown")
    assert f"labpath=notebooks%2F{path.name}" in page.cells[1].source


def test_a_link_out_of_notebooks_points_at_the_repository():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("see [the table](../docs/coverage.md).")])
    assert site_pages.point_outside_links(nb, LINKS) == 1
    assert nb.cells[0].source == "see [the table](https://github.com/someone/chapter2/blob/main/docs/coverage.md)."


def test_a_figure_without_a_caption_stops_the_build():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
        "display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})])])
    with pytest.raises(ValueError, match="without a '\\*\\*Figure:\\*\\*' caption"):
        site_pages.caption_alt_texts(nb, "x.ipynb")


def test_widgets_out_of_step_with_the_notebook_stop_the_build():
    path = next(p for p in NOTEBOOKS if p.stem.startswith("04"))
    nb = nbformat.read(path, as_version=4)
    with pytest.raises(ValueError, match="stores 3 widgets but drawing its frames displayed 1"):
        site_pages.static_widgets(nb, path.stem, {f"{path.stem}-0": {"listable": False}})


# --- build_site: clear errors before any work ---------------------------------------------------

def test_a_missing_site_extra_is_one_line_naming_the_install(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(build_site, "EXTRA", {"no_such_module_c2": "no-such-package"})
    assert build_site.main([str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "missing no-such-package" in err and '[site]"' in err


@pytest.mark.parametrize("case", ["a file", "not empty", "under a file"])
def test_an_unusable_outdir_is_refused_before_any_work(case, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(build_site, "EXTRA", {})
    monkeypatch.setattr(build_site, "build", lambda *a: pytest.fail("the build started"))
    target = tmp_path / "out"
    if case == "a file":
        target.write_text("x")
        expected = "is not a folder"
    elif case == "not empty":
        target.mkdir()
        (target / "notes.txt").write_text("mine")
        expected = "is not empty and holds no earlier web edition"
    else:
        (tmp_path / "file").write_text("x")
        target = tmp_path / "file" / "out"
        expected = "is not writable"
    assert build_site.main([str(target)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and expected in err, err


def test_settings_need_a_github_repository(tmp_path):
    config = tmp_path / "site.cfg"
    config.write_text("[site]\ntitle = t\nrepository = https://example.org/x\nbranch = main\n"
                      "binder = https://mybinder.org\nframes_per_widget = 8\nsize_budget_mb = 1\n")
    with pytest.raises(build_site.BuildError, match="must be a GitHub address"):
        build_site.read_settings(config, None)
    assert build_site.read_settings(config, "https://github.com/a/b")["frames_per_widget"] == 8
    config.write_text("[site]\ntitle = t\n")
    with pytest.raises(build_site.BuildError, match="missing or not a number"):
        build_site.read_settings(config, None)


def test_the_versions_note_says_what_is_recorded_and_what_is_not():
    nb = nbformat.v4.new_notebook(metadata={"language_info": {"name": "python", "version": "3.11.7"}})
    note = site_pages.versions_note(nb, None)
    assert "executed with Python 3.11.7" in note and "were not recorded" in note
    nb.metadata["chapter2"] = {"executed_with": {"Python": "3.12.1", "numpy": "2.1.0"}}
    note = site_pages.versions_note(nb, {"Python": "3.11.9", "matplotlib": "3.9.0"})
    assert "executed with Python 3.12.1, numpy 2.1.0." in note and "not recorded" not in note
    assert "drawn when this site was built, with Python 3.11.9, matplotlib 3.9.0" in note


def test_a_site_over_its_size_budget_is_refused(tmp_path):
    (tmp_path / "big.png").write_bytes(b"x" * 1_500_000)
    assert build_site.check_size(tmp_path, 2) == 1_500_000
    with pytest.raises(build_site.BuildError, match="the site is 1.5 MB, over the budget of 1 MB"):
        build_site.check_size(tmp_path, 1)


def test_frames_whose_start_figure_differs_from_the_stored_one_stop_the_build():
    path = next(p for p in NOTEBOOKS if p.stem.startswith("07"))
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if any(site_pages.WIDGET_VIEW in o.get("data", {}) for o in c.get("outputs", [])))
    stored = next(o for o in cell.outputs if "image/png" in o.get("data", {}))
    layout = [[a["xlabel"], a["ylabel"]] for a in stored["metadata"]["image/png"]["chapter2"]["figure"]["axes"]]
    site_pages._check_same_figure(cell, "07-0", {"start_layout": layout})   # the same axes: no error
    with pytest.raises(ValueError, match="the figure drawn for the start values has axes"):
        site_pages._check_same_figure(cell, "07-0", {"start_layout": [["x", "y"]]})


def test_the_recorder_notes_the_axes_of_the_figure_for_the_start_values(tmp_path):
    site_frames.Recorder(tmp_path, budget=64, notebook="nb")(_live())
    manifest = json.loads((tmp_path / "nb-0" / "manifest.json").read_text())
    assert manifest["start_layout"] == [["", ""]]
    assert list(manifest["frames"])[0] == "1-0-0", "the start values are drawn first"


def test_without_mnist_the_widgets_build_stops_with_one_line(monkeypatch, tmp_path):
    monkeypatch.setenv("CHAPTER2_DATA_DIR", str(tmp_path))   # a folder without mnist.npz
    with pytest.raises(build_site.BuildError, match="the widgets' figures need MNIST: .*--no-widgets"):
        build_site.check_mnist()


def test_a_menu_mixing_numbers_and_none_finds_its_start_value():
    from tools.site_frames import _index_of
    assert _index_of([0, 1, 2, -1, None], 1) == 1
    assert _index_of([0, 1, 2, -1, None], None) == 4
    assert _index_of([0.0, 0.5, 1.0], 0.49) == 1


def _listable(stem, k):
    return {"listable": True, "design": "grid", "total": 2, "drawn": 2, "frames": {},
            "controls": [{"name": "a", "description": "a", "kind": "slider", "labels": ["0", "1"],
                          "indices": [0, 1], "initial": 0, "total": 2}]}


@pytest.mark.parametrize("stem, redrawn", [("01_first_look", {True}), ("04_tensor_product_and_reshaping", {False})])
def test_widgets_below_a_training_run_say_their_frames_may_differ(stem, redrawn):
    """01's widgets come after its tolerant (training) cells; 04 has none, so no note there."""
    path = next(p for p in NOTEBOOKS if p.stem == stem)
    nb = nbformat.read(path, as_version=4)
    count = sum(1 for c in nb.cells if site_pages._has_widget(c))
    manifests = {f"{stem}-{k}": _listable(stem, k) for k in range(count)}
    first_tolerant = min(i for i, c in enumerate(nb.cells) if site_pages._is_machine_dependent(c)) \
        if any(site_pages._is_machine_dependent(c) for c in nb.cells) else len(nb.cells)
    site_pages.static_widgets(nb, stem, manifests)
    notes = [(i >= first_tolerant, site_pages.REDRAWN_NOTE.strip() in o["data"]["text/html"])
             for i, c in enumerate(nb.cells) for o in c.get("outputs", [])
             if "c2-widget" in o.get("data", {}).get("text/html", "")]
    assert len(notes) == count
    assert all(below == said for below, said in notes)
    assert {below for below, _ in notes} >= redrawn


def test_the_redrawn_note_is_added_only_when_asked():
    manifest = _listable("nb", 0)
    assert site_pages.REDRAWN_NOTE.strip() in site_pages.widget_html("nb-0", manifest, "alt", redrawn=True)
    assert site_pages.REDRAWN_NOTE.strip() not in site_pages.widget_html("nb-0", manifest, "alt")


def test_only_figures_wider_than_the_text_column_get_the_full_width_tag():
    path = next(p for p in NOTEBOOKS if p.stem.startswith("08"))
    nb = nbformat.read(path, as_version=4)
    widths = [max((site_pages._png_width(o["data"]["image/png"]) for o in c.get("outputs", [])
                   if "image/png" in o.get("data", {})), default=0) for c in nb.cells]
    assert site_pages.widen_wide_figures(nb) == sum(w > site_pages.WIDE_FIGURE_PX for w in widths) > 0
    for cell, width in zip(nb.cells, widths):
        assert ("full-width" in cell.metadata.get("tags", [])) == (width > site_pages.WIDE_FIGURE_PX)
    stepper = next(c for c in nb.cells if "backward_stepper(" in c.source and c.cell_type == "code")
    assert "full-width" in stepper.metadata["tags"]
    assert site_pages.widen_wide_figures(nb) == sum(w > site_pages.WIDE_FIGURE_PX for w in widths)
    assert all(c.metadata.get("tags", []).count("full-width") <= 1 for c in nb.cells)
