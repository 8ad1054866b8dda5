"""Figures describe themselves: what ``describe_figure`` reports, and the kernel hook that stores it.

The captions' checker (``authoring/claims.py``) compares words such as
"squares", "dashed", "hatched" and "on top" with these descriptions, so they
must report what matplotlib actually draws; and a notebook run in a real
kernel must store them with every figure, also after ``%matplotlib inline``
or ``%config InlineBackend.figure_formats`` run again, and inside ipywidgets'
``interactive_output``.
"""

import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Patch, Rectangle  # noqa: E402

from chapter2.plotting import style  # noqa: E402
from chapter2.plotting.describe import describe_figure, install  # noqa: E402


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def _artists(ax):
    return {a["label"]: a for a in describe_figure(ax.figure)["axes"][0]["artists"]}


def test_lines_report_marker_linestyle_colour_and_titles(ax):
    ax.plot([0, 1], [0, 1], "s--", color=style.BLUE, label="squares dashed")
    ax.plot([0, 1], [1, 0], marker="^", linestyle=":", label="triangles dotted")
    ax.plot([0, 1], [1, 1], linestyle="-.", label="no marker")
    ax.set(title="t", xlabel="x", ylabel="y")
    found = _artists(ax)
    assert (found["squares dashed"]["marker"], found["squares dashed"]["linestyle"]) == ("s", "--")
    assert (found["triangles dotted"]["marker"], found["triangles dotted"]["linestyle"]) == ("^", ":")
    assert (found["no marker"]["marker"], found["no marker"]["linestyle"]) == (None, "-.")
    assert found["squares dashed"]["color"] == style.BLUE
    axes = describe_figure(ax.figure)["axes"][0]
    assert (axes["title"], axes["xlabel"], axes["ylabel"]) == ("t", "x", "y")


@pytest.mark.parametrize("marker", ["o", "s", "^", "*", "D", "x", "P"])
def test_scatter_markers_are_recovered_from_the_drawn_path(ax, marker):
    ax.scatter([0, 1], [0, 1], marker=marker, s=40, label="points")
    assert _artists(ax)["points"]["marker"] == marker


@pytest.mark.parametrize("code", ["-", "--", ":", "-."])
def test_line_collections_report_their_style(ax, code):
    ax.vlines([0, 1], 0, 1, linestyles=code, linewidth=2.5, label="rules")
    assert _artists(ax)["rules"]["linestyle"] == code


def test_hatched_patches_are_reported_even_without_a_label(ax):
    ax.add_patch(Rectangle((0, 0), 1, 1, hatch="//", label="kept"))
    ax.add_patch(Rectangle((1, 0), 1, 1, hatch="xx"))
    ax.add_patch(Rectangle((2, 0), 1, 1))  # unlabelled and plain: nothing to say about it
    hatches = sorted((a["label"], a["hatch"]) for a in describe_figure(ax.figure)["axes"][0]["artists"])
    assert hatches == [("", "xx"), ("kept", "//")]


def test_zorder_and_drawing_order_say_what_is_on_top(ax):
    ax.plot([0, 1], [0, 1], label="first", zorder=3)
    ax.plot([0, 1], [0, 1], label="second", zorder=3)
    ax.plot([0, 1], [0, 1], label="underneath", zorder=1)
    found = _artists(ax)
    stacking = {k: (a["zorder"], a["order"]) for k, a in found.items()}
    assert stacking["underneath"] < stacking["first"] < stacking["second"]
    assert found["first"]["zorder"] == 3.0


def test_texts_are_named_by_their_string(ax):
    ax.text(0.5, 0.5, "-2.1", color=style.WHITE)
    ax.annotate("c", xy=(0, 0), xytext=(1, 1), arrowprops={"arrowstyle": "->"})
    found = _artists(ax)
    assert found["-2.1"]["kind"] == "text" and found["-2.1"]["color"] == style.WHITE
    assert "c" in found


def test_proxy_legend_entries_are_listed_once(ax):
    ax.plot([0, 1], [0, 1], "o-", label="curve")
    ax.legend(handles=[Patch(facecolor=style.KEPT, hatch="//", label="kept"), *ax.get_lines()])
    artists = describe_figure(ax.figure)["axes"][0]["artists"]
    assert [a["label"] for a in artists].count("curve") == 1
    kept = next(a for a in artists if a["label"] == "kept")
    assert kept["hatch"] == "//" and kept["in_legend"] and kept["color"] == style.KEPT


@pytest.mark.parametrize("code", ["-", "--", ":", "-."])
def test_proxy_legend_entries_report_the_line_style_they_are_drawn_with(ax, code):
    # The legend's copy of a patch keeps the dash pattern but reports its style as "solid".
    ax.legend(handles=[Patch(facecolor=style.WHITE, edgecolor=style.GREY, linestyle=code, linewidth=1.5,
                             label="box"),
                       plt.Line2D([], [], linestyle=code, linewidth=2.5, label="rule")])
    artists = _artists(ax)
    assert (artists["box"]["linestyle"], artists["rule"]["linestyle"]) == (code, code)
    assert artists["box"]["in_legend"] and artists["box"]["order"] == -1


def test_dashed_patches_drawn_in_the_axes_report_dashed(ax):
    ax.add_patch(Rectangle((0, 0), 1, 1, fill=False, linestyle="--", label="frame"))
    ax.add_patch(Rectangle((0, 0), 1, 1, fill=False, linestyle=":", linewidth=3, label="dots"))
    assert (_artists(ax)["frame"]["linestyle"], _artists(ax)["dots"]["linestyle"]) == ("--", ":")


def test_the_description_is_plain_json(ax):
    ax.scatter([0], [0], c=[0.5], cmap=style.SEQUENTIAL_CMAP, label="mapped")
    ax.imshow([[0, 1], [1, 0]], cmap=style.SEQUENTIAL_CMAP)
    description = describe_figure(ax.figure)
    assert json.loads(json.dumps(description)) == description


def test_install_outside_ipython_is_a_no_op():
    assert install() is False


class _Shell:
    """The part of an IPython shell the hook touches."""

    class display_formatter:  # noqa: N801 - mirrors IPython's attribute name
        @staticmethod
        def format(obj, include=None, exclude=None):
            return {"image/png": b"", "text/plain": "<Figure>"}, {"image/png": {"width": 4}}


def test_install_wraps_once_and_keeps_existing_metadata(ax):
    shell = _Shell()
    assert install(shell) and install(shell)
    ax.plot([0, 1], [0, 1], "s", label="squares")
    formats, metadata = shell.display_formatter.format(ax.figure)
    assert formats["text/plain"] == "<Figure>"
    assert metadata["image/png"]["width"] == 4
    assert metadata["image/png"]["chapter2"]["figure"]["axes"][0]["artists"][0]["marker"] == "s"
    # wrapped once: the original format is one level down, not two
    assert not getattr(shell.display_formatter.format.__closure__[0].cell_contents, "_chapter2_describes", False)
    assert shell.display_formatter.format("text") == ({"image/png": b"", "text/plain": "<Figure>"},
                                                      {"image/png": {"width": 4}})


# --- the real thing: a notebook run by a kernel ------------------------------------------------

CELLS = [
    "%matplotlib inline\nimport matplotlib.pyplot as plt\nimport chapter2.plotting",
    "fig, ax = plt.subplots()\nax.plot([0, 1], [0, 1], 's--', label='train')\nax.legend();",
    "%matplotlib inline\n%config InlineBackend.figure_formats = ['retina']\n"
    "fig, ax = plt.subplots()\nax.plot([0, 1], [1, 0], '^:', label='again');",
    "%config InlineBackend.figure_formats = ['png']\nimport ipywidgets as widgets\n"
    "from IPython.display import display\n"
    "def draw(k):\n    fig, ax = plt.subplots()\n    ax.plot([0, k], [0, 1], 'o-', label=f'k={k}')\n    plt.show()\n"
    "display(widgets.interactive_output(draw, {'k': widgets.IntSlider(value=2, min=1, max=3)}))",
]


def _find(node):
    """Every ``{"chapter2": {"figure": ...}}`` under ``node``, as the claims checker searches."""
    if isinstance(node, dict):
        if isinstance(node.get("chapter2"), dict) and "figure" in node["chapter2"]:
            yield node["chapter2"]["figure"]
        for value in node.values():
            yield from _find(value)
    elif isinstance(node, list):
        for value in node:
            yield from _find(value)


def _labels(outputs):
    return [a["label"] for o in outputs for d in _find(o.get("metadata", {}))
            for axes in d["axes"] for a in axes["artists"]]


@pytest.fixture(scope="module")
def executed():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipywidgets")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    return nb


def test_a_kernel_stores_the_description_under_image_png(executed):
    output = next(o for o in executed.cells[1].outputs if "image/png" in o.get("data", {}))
    line = output["metadata"]["image/png"]["chapter2"]["figure"]["axes"][0]["artists"][0]
    assert (line["label"], line["marker"], line["linestyle"]) == ("train", "s", "--")


def test_the_hook_survives_matplotlib_inline_and_figure_formats_again(executed):
    outputs = executed.cells[2].outputs
    assert _labels(outputs) == ["again"]
    png = next(o for o in outputs if "image/png" in o.get("data", {}))
    assert "width" in png["metadata"]["image/png"]  # retina's own metadata is kept


def test_figures_inside_interactive_output_are_described(executed):
    state = executed.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    outputs = [o for model in state.values() for o in model["state"].get("outputs", [])]
    assert _labels(outputs) == ["k=2"]
