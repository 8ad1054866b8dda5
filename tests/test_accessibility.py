"""Accessible figures: a colour-blind-safe palette from one place, and a text for every figure.

- The colours that must be told apart (right and wrong, the first curves of a
  figure, the box fills of the shape pictures, two classes, tangent and secant)
  stay apart under simulated deuteranopia, protanopia and tritanopia
  (colorspacious' CVD model at full severity, distance in CAM02-UCS).
- No plotting module names a colour or colour map of its own: every one comes
  from ``chapter2.plotting.style``, so no figure can slip back to red against
  green.
- Where two categories are drawn, something besides colour differs too; in
  a grid of cells, neighbouring cells filled differently also differ in hatch
  or outline (the highlighted row and column of the matrix product).
- Text written on a coloured cell (a heatmap, a table, a box) has a WCAG 2.x
  contrast ratio of at least 4.5:1 against that cell (level AA).
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


# --- text on coloured cells is readable, and picked cells differ by more than colour -------------

from types import SimpleNamespace  # noqa: E402

from matplotlib.patches import FancyArrowPatch, Rectangle  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402

from chapter2.plotting.contrast import MIN_TEXT_CONTRAST, contrast_ratio, over  # noqa: E402

# The matrix notebook 03 [13] draws (rng seed 3, after its two earlier draws): -2.1 sits on the
# darkest cell of the diverging map, where black ink was unreadable.
SMALL_03 = np.array([[0.4, -0.6, -0.2, 0.0], [-0.1, -0.2, -0.8, -0.2], [-2.1, -0.2, -1.2, 1.1]])


def _layers_under(ax, text, xy):
    """(z-order, colour) of every filled image cell and patch beneath ``text`` at display point ``xy``."""
    layers = []
    for image in ax.images:
        value = image.get_cursor_data(SimpleNamespace(x=xy[0], y=xy[1]))
        if image.get_array().ndim == 2 and value is not None and not np.ma.is_masked(value):
            r, g, b, a = image.to_rgba(value)
            alpha = 1.0 if image.get_alpha() is None else image.get_alpha()
            layers.append((image.get_zorder(), (r, g, b, a * alpha)))
    for patch in ax.patches:
        # Arrows are lines, not cells: a text beside one is not written on it.
        if isinstance(patch, FancyArrowPatch):
            continue
        if patch.get_fill() and patch.get_facecolor()[3] > 0 and patch.contains_point(xy):
            layers.append((patch.get_zorder(), patch.get_facecolor()))
    return [layer for layer in layers if layer[0] <= text.get_zorder()]


def texts_on_cells(fig):
    """(text, colour seen behind it) for every text drawn on a filled cell, box or image of ``fig``."""
    fig.canvas.draw()
    found = []
    for ax in fig.axes:
        for text in ax.texts:
            xy = text.get_transform().transform(text.get_position())
            layers = _layers_under(ax, text, xy)
            if not text.get_visible() or not text.get_text().strip() or not layers:
                continue
            seen = over(ax.get_facecolor())
            for _, colour in sorted(layers, key=lambda layer: layer[0]):
                seen = over(colour, seen)
            box = text.get_bbox_patch()
            if box is not None and box.get_fill():
                seen = over(box.get_facecolor(), seen)
            found.append((text, seen))
    return found


def unreadable(fig):
    """Texts on cells below the WCAG AA ratio, as (text, ratio)."""
    return [(t.get_text(), round(contrast_ratio(t.get_color(), seen), 2)) for t, seen in texts_on_cells(fig)
            if contrast_ratio(t.get_color(), seen) < MIN_TEXT_CONTRAST]


def _figures_with_text_on_cells():
    from chapter2.autodiff import Tensor
    from chapter2.plotting.data import ELEMENTWISE, plot_elementwise
    from chapter2.plotting.graph import draw_graph
    from chapter2.plotting.network import plot_one_hot, plot_training_loop
    from chapter2.plotting.shapes import plot_broadcast, plot_dot_shapes, plot_reshape, plot_transpose
    from chapter2.plotting.tensors import plot_tensor_ranks
    spread = np.linspace(-3.0, 3.0, 12).reshape(3, 4)
    for name in ELEMENTWISE:
        yield f"03[13] {name}", lambda name=name: plot_elementwise(name, SMALL_03)
        yield f"elementwise {name}, -3 to 3", lambda name=name: plot_elementwise(name, spread)
    a, b = Tensor(2.0, label="a"), Tensor(3.0, label="b")
    c = a * b + a
    c.backward()
    yield "graph", lambda: draw_graph(c, highlight=a)
    yield "one-hot", lambda: plot_one_hot([5, 0, 4, 1, 9])
    yield "training loop", plot_training_loop
    yield "reshape", lambda: plot_reshape((3, 4), (2, 6))
    yield "transpose", lambda: plot_transpose(2, 3)
    yield "broadcast", lambda: plot_broadcast((8, 4, 3), (5, 1))
    yield "dot shapes", lambda: plot_dot_shapes((4, 3), (4, 2))
    yield "tensor ranks", lambda: plot_tensor_ranks([np.array(5), np.arange(3), np.arange(6).reshape(2, 3)])


@pytest.mark.parametrize("name, draw", list(_figures_with_text_on_cells()),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_text_on_coloured_cells_meets_wcag_aa(name, draw):
    fig = draw()
    assert texts_on_cells(fig), f"{name}: found no text on a cell, so nothing was checked"
    assert unreadable(fig) == [], f"{name}: text below {MIN_TEXT_CONTRAST}:1 against its cell"
    plt.close(fig)


def test_03_13_minus_two_point_one_is_written_in_white_on_the_darkest_cell():
    from chapter2.plotting.data import plot_elementwise
    fig = plot_elementwise("relu", SMALL_03)
    darkest = next((t, seen) for t, seen in texts_on_cells(fig) if t.get_text() == "-2.1")
    assert darkest[0].get_color() == style.WHITE
    assert contrast_ratio(style.WHITE, darkest[1]) >= 7.0  # well past AA: AAA's ratio for small text
    plt.close(fig)


def test_the_contrast_check_fails_on_black_text_on_a_dark_cell():
    fig, ax = plt.subplots()
    ax.imshow(SMALL_03, cmap=style.DIVERGING_CMAP, vmin=-2.1, vmax=2.1)
    ax.text(0, 2, "-2.1", ha="center", va="center", color=style.BLACK)  # what 03 [13] used to draw
    ax.text(1, 2, "-0.2", ha="center", va="center", color=style.BLACK)  # fine on a pale cell
    assert [text for text, _ in unreadable(fig)] == ["-2.1"]
    plt.close(fig)


def _cells(ax):
    """The unit squares of the grids drawn with patches, and the unfilled frames drawn around some."""
    rects = [p for p in ax.patches if isinstance(p, Rectangle)]
    cells = [p for p in rects if p.get_fill() and p.get_facecolor()[3] > 0
             and np.isclose(p.get_width(), 1) and np.isclose(p.get_height(), 1)]
    frames = [p for p in rects if not p.get_fill() or p.get_facecolor()[3] == 0]
    return cells, frames


def _looks_without_colour(cell, frames):
    """What tells a cell apart in grey print: its hatch, and a thick edge or frame around it."""
    x, y = cell.get_x() + 0.5, cell.get_y() + 0.5
    framed = any(f.get_linewidth() >= 2 and f.get_x() <= x <= f.get_x() + f.get_width()
                 and f.get_y() <= y <= f.get_y() + f.get_height() for f in frames)
    return cell.get_hatch() or None, framed or cell.get_linewidth() >= 2


def colour_only_neighbours(fig):
    """Pairs of neighbouring cells whose fills differ while nothing else does."""
    found = []
    for ax in fig.axes:
        cells, frames = _cells(ax)
        for a, b in itertools.combinations(cells, 2):
            dx, dy = abs(a.get_x() - b.get_x()), abs(a.get_y() - b.get_y())
            neighbours = np.isclose(dx + dy, 1) and min(dx, dy) < 1e-9
            if neighbours and a.get_facecolor() != b.get_facecolor() \
                    and _looks_without_colour(a, frames) == _looks_without_colour(b, frames):
                found.append(((a.get_x(), a.get_y()), (b.get_x(), b.get_y())))
    return found


@pytest.mark.parametrize("sizes", [(3, 4, 2, 1, 1), (3, 4, 2, 0, 0), (1, 1, 1, 0, 0), (8, 8, 8, 7, 3)])
def test_highlighted_cells_of_the_matrix_product_are_hatched_and_outlined(sizes):
    from chapter2.plotting.shapes import plot_matrix_product
    fig = plot_matrix_product(*sizes)
    rows, inner, columns, i, j = sizes
    cells, frames = _cells(fig.axes[0])
    assert len(cells) == rows * inner + inner * columns + rows * columns
    assert colour_only_neighbours(fig) == []
    picked = [c for c in cells if c.get_hatch()]
    assert len(picked) == inner + inner + 1  # row i of x, column j of y, z[i, j]
    assert all(_looks_without_colour(c, frames) == (style.SELECTED_HATCH, True) for c in picked)
    labels = {c.get_label() for c in picked}
    assert labels == {f"row {i} of x", f"column {j} of y", f"z[{i}, {j}]"}
    plt.close(fig)


def test_highlighted_cells_of_the_backward_matmul_picture_differ_by_more_than_colour():
    from chapter2.plotting.gradients import plot_matmul_backward
    fig = plot_matmul_backward(3, 4, 2, 1, 0)
    assert colour_only_neighbours(fig) == []
    plt.close(fig)


def test_the_grid_check_fails_when_a_highlight_is_colour_only():
    fig, ax = plt.subplots()
    for c, colour in enumerate((style.KEPT, style.PAIRED, style.KEPT)):  # 04 [16] before the fix
        ax.add_patch(Rectangle((c, 0), 1, 1, facecolor=colour, edgecolor=style.BLACK))
    assert len(colour_only_neighbours(fig)) == 2
    ax.patches[1].set_hatch(style.SELECTED_HATCH)
    assert colour_only_neighbours(fig) == []
    plt.close(fig)


# --- labels stay clear of each other and of the arrows ---------------------------------------

def _named_texts(ax):
    return [t for t in ax.texts if t.get_visible() and t.get_text().strip()]


def _arrows(ax):
    patches = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    return patches + [t.arrow_patch for t in ax.texts if getattr(t, "arrow_patch", None) is not None]


def clashes(fig):
    """Texts drawn over each other, and texts an arrow (its line or its head) runs through."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    found = []
    for ax in fig.axes:
        boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in _named_texts(ax)]
        found += [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2) if box_a.overlaps(box_b)]
        for arrow in _arrows(ax):
            # Piece by piece (shaft, head): the compound path's own test reports boxes it misses.
            path = arrow.get_transform().transform_path(arrow.get_path())
            pieces = [MplPath(v) for v in path.to_polygons(closed_only=False)]
            found += [(name, "an arrow") for name, box in boxes
                      if any(piece.intersects_bbox(box, filled=False) for piece in pieces)]
    return found


@pytest.mark.parametrize("case", ["05[4] vectors", "05[7] vector sum", "01[29] training loop"])
def test_labels_do_not_overlap_each_other_or_the_arrows(case):
    from chapter2.plotting.geometry import plot_vector_sum, plot_vectors
    from chapter2.plotting.network import plot_training_loop
    a, b, c = np.array([1.0, 2.0]), np.array([2.0, -1.0]), np.array([-2.5, -1.5])  # as notebook 05 draws them
    fig = {"05[4] vectors": lambda: plot_vectors({"a": a, "b": b, "c": c}),
           "05[7] vector sum": lambda: plot_vector_sum(a, b),
           "01[29] training loop": plot_training_loop}[case]()
    assert clashes(fig) == []
    plt.close(fig)


def test_the_clash_check_finds_a_name_on_an_arrowhead():
    fig, ax = plt.subplots()
    ax.set(xlim=(-3, 3), ylim=(-3, 3))
    ax.annotate("", xy=(-2.5, -1.5), xytext=(0, 0), arrowprops={"arrowstyle": "-|>"})
    ax.annotate("c", (-2.5, -1.5), textcoords="offset points", xytext=(-2, -2))  # on the head
    ax.text(1, 1, "b")
    ax.text(1, 1, "a + b")  # on top of "b"
    assert sorted(clashes(fig)) == [("b", "a + b"), ("c", "an arrow")]
    plt.close(fig)
