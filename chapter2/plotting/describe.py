"""What a figure shows, in words a test can read: labels, markers, line styles, hatches, stacking.

:func:`describe_figure` lists every labelled element of every axes (lines,
point sets, patches, texts, images, and legend entries drawn with proxy
artists) with how it is drawn. :func:`install` makes a running IPython
kernel store that description with every figure it displays, in the
output's metadata under ``"image/png" -> "chapter2" -> "figure"`` (or
``"chapter2" -> "figure"`` at the top level when no PNG is produced), so the
notebooks' captions can be checked against the figure actually drawn
(``authoring/claims.py``). The metadata is invisible: the picture, the text
outputs and nbval's comparisons do not change.

Examples
--------
>>> import matplotlib.pyplot as plt
>>> fig, ax = plt.subplots()
>>> _ = ax.plot([0, 1], [0, 1], "s--", label="train")
>>> _ = ax.set_title("loss")
>>> axes = describe_figure(fig)["axes"][0]
>>> axes["title"], [(a["kind"], a["label"], a["marker"], a["linestyle"]) for a in axes["artists"]]
('loss', [('line', 'train', 's', '--')])
>>> plt.close(fig)
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
from matplotlib import rcParams
from matplotlib.axes import Axes
from matplotlib.collections import Collection, PathCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.patches import Patch
from matplotlib.text import Text

# Marker codes a scatter may have used: a PathCollection keeps only the path, so the code is
# found again by drawing each candidate the way scatter does and comparing the outlines.
SCATTER_MARKERS = ("o", "s", "^", "v", "<", ">", "D", "d", "*", "P", "X", "x", "+", ".", "p", "h", "H", "8")
# Matplotlib's long line-style names, and the short codes the captions' checker compares with.
LINESTYLE_CODES = {"solid": "-", "dashed": "--", "dotted": ":", "dashdot": "-."}
KINDS = ((Line2D, "line"), (Collection, "collection"), (Patch, "patch"), (Text, "text"), (AxesImage, "image"))
METADATA_KEY = "chapter2"


def describe_figure(fig: Figure) -> dict[str, Any]:
    """The drawn elements of every axes of ``fig``, as plain JSON-ready data.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    dict
        ``{"axes": [{"title", "xlabel", "ylabel", "artists": [...]}, ...]}``;
        each artist is a dict with ``kind`` (line, collection, patch, text,
        image), ``label`` (a text's string), ``marker``, ``linestyle``,
        ``hatch`` and ``color`` (``None`` when absent), ``zorder``, ``order``
        (position in the axes' drawing order: later is drawn on top at equal
        z-order) and ``in_legend`` (the entry appears in a legend). Legend
        entries drawn with proxy artists appear as artists too, with
        ``order`` -1. Figure-level legends add their entries to the first axes.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from matplotlib.patches import Rectangle
    >>> fig, ax = plt.subplots()
    >>> _ = ax.add_patch(Rectangle((0, 0), 1, 1, hatch="//", label="kept", zorder=3))
    >>> _ = ax.scatter([0], [0], marker="^", label="point")
    >>> [(a["label"], a["hatch"], a["marker"], a["zorder"]) for a in describe_figure(fig)["axes"][0]["artists"]]
    [('point', None, '^', 1.0), ('kept', '//', None, 3.0)]
    >>> plt.close(fig)
    """
    axes = [_describe_axes(ax) for ax in fig.axes]
    extra = [a for legend in getattr(fig, "legends", []) for a in _legend_entries(legend, set())]
    if axes and extra:
        axes[0]["artists"] += extra
    return {"axes": axes, "suptitle": fig._suptitle.get_text() if getattr(fig, "_suptitle", None) else ""}


def _describe_axes(ax: Axes) -> dict[str, Any]:
    drawn = [a for a in _drawing_order(ax) if _kind(a) and _shown_label(a) is not None]
    legend = ax.get_legend()
    legend_labels = {t.get_text() for t in legend.get_texts()} if legend else set()
    artists = [_describe_artist(a, order, legend_labels) for order, a in enumerate(drawn)]
    if legend is not None:
        artists += _legend_entries(legend, {a["label"] for a in artists})
    return {"title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(), "artists": artists}


def _drawing_order(ax: Axes) -> list:
    """The axes' own elements in the order matplotlib draws them (stable sort by z-order)."""
    skip = {ax.patch, ax.title, getattr(ax, "_left_title", None), getattr(ax, "_right_title", None),
            ax.get_legend(), *ax.spines.values()}
    children = [c for c in ax.get_children() if c not in skip and c.get_visible()]
    return sorted(children, key=lambda c: c.get_zorder())


def _kind(artist) -> str | None:
    return next((name for cls, name in KINDS if isinstance(artist, cls)), None)


def _shown_label(artist) -> str | None:
    """The label a reader sees for ``artist``, or None for matplotlib's unnamed helpers.

    A text is named by its string; a hatched patch or an image keeps an
    empty label (a caption may call it "hatched" without a legend entry).
    """
    if isinstance(artist, Text):
        return artist.get_text() or None
    label = str(artist.get_label() or "")
    if label and not label.startswith("_"):
        return label
    if isinstance(artist, AxesImage) or (isinstance(artist, Patch) and artist.get_hatch()):
        return ""
    return None


def _describe_artist(artist, order: int, legend_labels: set[str]) -> dict[str, Any]:
    label = _shown_label(artist) or ""
    return {"kind": _kind(artist), "label": label, "marker": _marker(artist),
            "linestyle": _linestyle(artist), "hatch": _hatch(artist), "color": _colour(artist),
            "zorder": float(artist.get_zorder()), "order": order,
            "in_legend": bool(label) and label in legend_labels}


def _legend_entries(legend, already: set[str]) -> list[dict[str, Any]]:
    """Entries of a legend whose label no axes element carries (proxy artists)."""
    handles = getattr(legend, "legend_handles", None) or getattr(legend, "legendHandles", [])
    entries = []
    for handle, text in zip(handles, legend.get_texts()):
        label = text.get_text()
        if label in already or handle is None or not _kind(handle):
            continue
        entry = _describe_artist(handle, -1, {label})
        entries.append({**entry, "label": label, "in_legend": True})
    return entries


def _marker(artist) -> str | None:
    if isinstance(artist, Line2D):
        marker = artist.get_marker()
        return None if marker in (None, "None", "none", "", " ") else str(marker)
    if isinstance(artist, PathCollection) and artist.get_paths():
        return _scatter_marker(artist.get_paths()[0].vertices)
    return None


def _scatter_marker(vertices: np.ndarray) -> str | None:
    for code in SCATTER_MARKERS:
        style = MarkerStyle(code)
        path = style.get_path().transformed(style.get_transform())
        if path.vertices.shape == vertices.shape and np.allclose(path.vertices, vertices, atol=1e-6):
            return code
    return None


def _linestyle(artist) -> str | None:
    if isinstance(artist, Line2D) or isinstance(artist, Patch):
        style = artist.get_linestyle()
        style = LINESTYLE_CODES.get(style, style)
        if style in ("None", "none", "", " "):
            return None
        # A legend's copy of a patch keeps the dash pattern but not the style's name (it reports
        # "solid" for a dashed proxy), so the pattern drawn decides whenever there is one.
        offset, dashes = getattr(artist, "_unscaled_dash_pattern", (0, None))
        if dashes is not None and len(dashes):
            return _dash_code(dashes) or (None if style == "-" else style)
        return style
    if isinstance(artist, Collection) and not isinstance(artist, PathCollection):
        return _collection_linestyle(artist)
    return None


def _collection_linestyle(collection: Collection) -> str | None:
    """A line collection's style code, found by matching its dash pattern to matplotlib's."""
    offset, dashes = collection.get_linestyle()[0]
    if dashes is None:
        return "-"
    width = float(np.ravel(collection.get_linewidth())[0]) if rcParams["lines.scale_dashes"] else 1.0
    return _dash_code(np.asarray(dashes, dtype=float) / max(width, 1e-12))


def _dash_code(unscaled) -> str | None:
    """The style code whose dash pattern (before scaling by the line width) is ``unscaled``."""
    unscaled = np.asarray(unscaled, dtype=float)
    for code, name in (("--", "dashed"), (":", "dotted"), ("-.", "dashdot")):
        pattern = np.asarray(rcParams[f"lines.{name}_pattern"], dtype=float)
        if pattern.shape == unscaled.shape and np.allclose(pattern, unscaled, rtol=1e-3):
            return code
    return None


def _hatch(artist) -> str | None:
    getter = getattr(artist, "get_hatch", None)
    hatch = getter() if getter else None
    return hatch or None


def _colour(artist) -> str | None:
    """The main colour: a line's or text's colour, a filled shape's face (else its edge)."""
    try:
        if isinstance(artist, (Line2D, Text)):
            return to_hex(artist.get_color())
        if isinstance(artist, Patch):
            face = artist.get_facecolor()
            return to_hex(face if artist.get_fill() and face[3] > 0 else artist.get_edgecolor())
        if isinstance(artist, Collection):
            faces = artist.get_facecolor()
            colours = faces if len(faces) and faces[0][3] > 0 else artist.get_edgecolor()
            return to_hex(colours[0]) if len(colours) else None
    except (ValueError, TypeError, IndexError):  # a colour matplotlib maps later (a colour map)
        return None
    return None


# --- storing the description with every figure a kernel displays ------------------------------

def figure_metadata(fig: Figure, formats: dict[str, Any]) -> dict[str, Any]:
    """The metadata to add to a displayed figure, given the mime types it was formatted to.

    The description goes with the PNG when there is one (IPython keeps
    per-mime-type metadata under the mime type), else at the top level.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure()
    >>> sorted(figure_metadata(fig, {"image/png": b""})["image/png"]["chapter2"])
    ['figure']
    >>> list(figure_metadata(fig, {"image/svg+xml": ""}))
    ['chapter2']
    >>> plt.close(fig)
    """
    entry = {METADATA_KEY: {"figure": describe_figure(fig)}}
    return {"image/png": entry} if "image/png" in formats else entry


def install(shell=None) -> bool:
    """Make an IPython shell store :func:`describe_figure` with every figure it displays.

    Wraps the shell's ``display_formatter.format``, which both ``display(fig)``
    and matplotlib-inline's end-of-cell flush (also inside ipywidgets'
    ``interactive_output``) go through. ``%matplotlib inline`` and
    ``%config InlineBackend.figure_formats`` replace only the per-type PNG/SVG
    printers, not this method, so the hook survives them. Installing twice
    wraps once. Any failure while describing leaves the output as it was.

    Parameters
    ----------
    shell : IPython.core.interactiveshell.InteractiveShell, optional
        Defaults to the running one; with none running nothing happens.

    Returns
    -------
    bool
        True if the hook is in place.

    Examples
    --------
    >>> install()  # outside IPython: nothing to do
    False
    """
    if shell is None:
        shell = _running_shell()
    formatter = getattr(shell, "display_formatter", None)
    if formatter is None:
        return False
    if not getattr(formatter.format, "_chapter2_describes", False):
        formatter.format = _describing(formatter.format)
    return True


def _running_shell():
    # Only ask IPython if it is already loaded: importing it here would slow plain scripts.
    if "IPython" not in sys.modules:
        return None
    return sys.modules["IPython"].get_ipython()


def _describing(format_):
    """``format_`` with each Figure's description merged into its metadata."""
    def format(obj, include=None, exclude=None):
        formats, metadata = format_(obj, include=include, exclude=exclude)
        if isinstance(obj, Figure) and formats:
            try:
                extra = figure_metadata(obj, formats)
            except Exception:  # noqa: BLE001 - describing must never cost the learner the figure
                return formats, metadata
            metadata = dict(metadata or {})
            for key, value in extra.items():
                metadata[key] = {**metadata.get(key, {}), **value}
        return formats, metadata
    format._chapter2_describes = True
    return format
