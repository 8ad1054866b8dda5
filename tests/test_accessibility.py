"""Accessible figures: a colour-blind-safe palette from one place, and a text for every figure.

- The colours that must be told apart (right and wrong, the first curves of a
  figure, the box fills of the shape pictures, two classes, tangent and secant)
  stay apart under simulated deuteranopia, protanopia and tritanopia
  (colorspacious' CVD model at full severity, distance in CAM02-UCS).
- No plotting module names a colour or colour map of its own: every one comes
  from ``chapter2.plotting.style``, so no figure can slip back to red against
  green.
- Where two categories are drawn, something besides colour differs too.
- Every figure stored in a notebook is followed by a markdown caption that
  describes it, which a screen reader or a converted notebook shows.
"""

import ast
import itertools
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import is_color_like, to_rgb  # noqa: E402

from chapter2.plotting import style  # noqa: E402

colorspacious = pytest.importorskip("colorspacious")

ROOT = Path(__file__).resolve().parents[1]
PLOTTING = sorted((ROOT / "chapter2" / "plotting").glob("*.py"))
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

DEFICIENCIES = ("deuteranomaly", "protanomaly", "tritanomaly")
MIN_DISTANCE = 10.0   # CAM02-UCS; about 2 is "just noticeable"
GROUPS = {
    "right and wrong": (style.RIGHT, style.WRONG),
    "the first four curves": style.SERIES[:4],
    "box fills": (style.KEPT, style.OTHER, style.STRETCHED, style.PAIRED, style.CLASH),
    "two classes": style.CLASS_COLOURS,
    "tangent and secant": (style.HIGHLIGHT, style.SECONDARY),
}
COLOUR_KEYWORDS = {"color", "colors", "c", "facecolor", "edgecolor", "fc", "ec", "markeredgecolor",
                   "markerfacecolor", "mec", "mfc", "cmap"}


def _seen_by(colour, deficiency):
    rgb = np.array(to_rgb(colour))
    simulated = colorspacious.cspace_convert(rgb, {"name": "sRGB1+CVD", "cvd_type": deficiency,
                                                   "severity": 100}, "sRGB1")
    return np.clip(simulated, 0, 1)


@pytest.mark.parametrize("deficiency", DEFICIENCIES)
@pytest.mark.parametrize("group", GROUPS, ids=str)
def test_colours_that_mean_different_things_stay_apart(group, deficiency):
    seen = [_seen_by(c, deficiency) for c in GROUPS[group]]
    for (a, ca), (b, cb) in itertools.combinations(zip(seen, GROUPS[group]), 2):
        distance = colorspacious.deltaE(a, b, input_space="sRGB1")
        assert distance >= MIN_DISTANCE, f"{group}: {ca} and {cb} look alike with {deficiency} ({distance:.1f})"


def test_the_check_itself_catches_red_against_green():
    red, green = _seen_by("#d62728", "deuteranomaly"), _seen_by("#2ca02c", "deuteranomaly")
    assert colorspacious.deltaE(red, green, input_space="sRGB1") < MIN_DISTANCE


def _colour_literals(path):
    """(line, text) of every colour or colour map named in a plotting module's source."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.keyword) and node.arg in COLOUR_KEYWORDS:
            values = [node.value]
        elif isinstance(node, ast.Dict):
            values = [v for k, v in zip(node.keys, node.values)
                      if isinstance(k, ast.Constant) and k.value in COLOUR_KEYWORDS]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) in ("plot", "get_cmap"):
            values = [a for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            found += [(a.lineno, a.value) for a in values if getattr(node.func, "attr") == "get_cmap"]
            found += [(a.lineno, a.value) for a in values
                      if getattr(node.func, "attr") == "plot" and _format_colour(a.value)]
            continue
        else:
            continue
        cmap = isinstance(node, ast.keyword) and node.arg == "cmap"
        for value in values:
            for constant in ast.walk(value):
                if isinstance(constant, ast.Constant) and isinstance(constant.value, str) \
                        and constant.value != "none" and (cmap or is_color_like(constant.value)):
                    found.append((constant.lineno, constant.value))
    return sorted(found)


def _format_colour(fmt):
    from matplotlib.axes._base import _process_plot_format
    try:
        return _process_plot_format(fmt)[2] is not None
    except ValueError:
        return False


@pytest.mark.parametrize("path", [p for p in PLOTTING if p.name != "style.py"], ids=lambda p: p.stem)
def test_plotting_modules_take_every_colour_from_the_style_module(path):
    assert _colour_literals(path) == [], f"{path.name}: colours named outside chapter2.plotting.style"


def test_the_source_check_finds_a_colour_named_in_place(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text('ax.plot(x, y, color="tab:green")\nax.plot(x, y, "r--")\nax.imshow(a, cmap="jet")\n'
                      'ax.plot(x, y, "o-", color=style.BLUE)\n')
    assert [line for line, _ in _colour_literals(module)] == [1, 2, 3]
    assert all(is_color_like(text) or text == "jet" or _format_colour(text)
               for _, text in _colour_literals(module))


# --- two categories differ in more than colour ------------------------------------------------

def test_relu_quadrants_differ_in_marker_too():
    from chapter2.plotting.geometry import plot_relu_plane
    fig = plot_relu_plane(n=80, seed=0)
    markers = {tuple(map(tuple, c.get_paths()[0].vertices.round(3))) for c in fig.axes[0].collections}
    assert len(markers) == 4
    plt.close(fig)


def test_tangent_and_secant_differ_in_line_style_too():
    from chapter2.plotting.landscapes import plot_tangent
    fig = plot_tangent(lambda x: x * x, 1.0, secant_h=0.5)
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    tangent = next(v for k, v in lines.items() if k.startswith("tangent"))
    secant = next(v for k, v in lines.items() if k.startswith("secant"))
    assert tangent.get_linestyle() != secant.get_linestyle()
    plt.close(fig)


def test_broadcast_clash_and_stretch_are_hatched():
    from chapter2.plotting.shapes import plot_broadcast, plot_dot_shapes
    for fig in (plot_broadcast((8, 4, 3), (5, 1)), plot_dot_shapes((4, 3), (4, 2))):
        hatches = {p.get_hatch() for p in fig.axes[0].patches if p.get_hatch()}
        assert style.CLASH_HATCH in hatches
        plt.close(fig)
    fig = plot_broadcast((4, 1, 3), (5, 1))
    assert style.STRETCHED_HATCH in {p.get_hatch() for p in fig.axes[0].patches}
    plt.close(fig)


def test_a_wrong_prediction_is_marked_in_words():
    from chapter2.plotting.digits import plot_prediction
    fig = plot_prediction(np.zeros(784), np.eye(10)[3] * 0.9 + 0.01, label=5)
    assert style.WRONG_MARK in fig.axes[1].get_title()
    plt.close(fig)


# --- a text alternative for every figure in the notebooks -------------------------------------

CAPTION = "**Figure:**"
MIN_CAPTION_WORDS = 12


def _figure_cells(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "code" and any("image/png" in o.get("data", {}) for o in cell.get("outputs", [])):
            yield index, cells


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_figure_is_followed_by_a_caption_that_describes_it(path):
    captions = []
    for index, cells in _figure_cells(path):
        after = cells[index + 1] if index + 1 < len(cells) else None
        text = "".join(after["source"]).strip() if after and after["cell_type"] == "markdown" else ""
        assert text.startswith(CAPTION), \
            f"{path.name} cell {index}: a figure must be followed by a markdown cell starting {CAPTION!r}"
        words = text[len(CAPTION):].split()
        assert len(words) >= MIN_CAPTION_WORDS, f"{path.name} cell {index}: the caption is too short to describe"
        captions.append(text)
    assert len(captions) == len(set(captions)), f"{path.name}: two figures share one caption"
