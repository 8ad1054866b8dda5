"""The colours, line styles and markers of every chapter2 figure, in one place.

The colours are the Okabe-Ito palette, chosen so that people with any of the
common colour-vision deficiencies (deuteranopia, protanopia, tritanopia) can
still tell them apart; ``tests/test_accessibility.py`` checks that with a
simulation of each deficiency. Colour is never the only carrier of meaning:
wherever two colours mean two different things (right and wrong, a clash and a
match, two curves), the figure also differs in a marker, a line style, a hatch
or a word, and the helpers below hand out those in step with the colours.

The plotting modules take every colour from here; they never name one of their
own (the same test checks their source), so changing the palette here changes
every figure.

Examples
--------
>>> series_style(0)
{'color': '#0072b2', 'linestyle': '-', 'marker': 'o'}
>>> series_style(1)["linestyle"]
'--'
"""

from __future__ import annotations

# The Okabe-Ito palette (Okabe & Ito, "Color Universal Design", 2002), as matplotlib writes
# hex colours (lower case), so a colour read back from a figure compares equal.
BLACK = "#000000"
ORANGE = "#e69f00"
SKY_BLUE = "#56b4e9"
BLUISH_GREEN = "#009e73"
YELLOW = "#f0e442"
BLUE = "#0072b2"
VERMILLION = "#d55e00"
REDDISH_PURPLE = "#cc79a7"
GREY = "#777777"
#: Grey text (a missing axis): dark enough for WCAG AA (4.5:1) on the pale fills, unlike GREY.
MUTED_TEXT = "#595959"
LIGHT_GREY = "#bbbbbb"
PALE_GREY = "#eeeeee"
WHITE = "#ffffff"

#: Colours of curves, points and arrows drawn side by side, in the order they are handed out.
SERIES = (BLUE, ORANGE, BLUISH_GREEN, REDDISH_PURPLE, SKY_BLUE, VERMILLION, BLACK)
#: Line styles handed out with :data:`SERIES`, so curves differ without colour too.
LINE_STYLES = ("-", "--", ":", "-.")
#: Markers handed out with :data:`SERIES`.
MARKERS = ("o", "s", "^", "D", "v", "P", "X")

#: A prediction that matches its label, and one that does not (always with a word or mark too).
RIGHT = BLUE
WRONG = VERMILLION
#: Text marks that say right and wrong without colour.
RIGHT_MARK = "✓"
WRONG_MARK = "✗"

#: A highlighted element (the point under study, the tangent line, the current step).
HIGHLIGHT = VERMILLION
#: A secondary line next to a highlighted one (a secant next to the tangent).
SECONDARY = BLUE
#: Curves drawn for reference (the function itself, grid lines).
REFERENCE = "#333333"
GRID = "#bfbfbf"

# Pale fills for boxes that stand for axes or matrix entries, with a hatch each
# where two fills mean opposite things.
KEPT = "#cfe3f3"        # an axis that passes through unchanged (first tensor)
KEPT_DARKER = "#b3d1ea"  # the shaded faces of a box drawn in 3-D
KEPT_DARKEST = "#94bee0"
OTHER = "#c9b3d9"       # an axis that comes from the second tensor
STRETCHED = "#f7d48a"   # a size-1 (or missing) axis repeated to a larger size
PAIRED = "#9fd8c6"      # axes that line up correctly (a result, or dot axes summed away)
CLASH = "#f1a27a"       # sizes that do not fit together
STRETCHED_HATCH = "//"
CLASH_HATCH = "xx"
#: Cells picked out of a grid (the row and column a matrix product pairs, the entry they make):
#: hatched and outlined thickly, so they differ from the other cells by more than their fill.
SELECTED_HATCH = "\\\\"
SELECTED_LINEWIDTH = 3.0

#: Two classes of points: colours and markers.
CLASS_COLOURS = (BLUE, ORANGE)
CLASS_MARKERS = ("o", "^")

#: Grey scale for pictures of digits: white paper, dark ink.
INK_CMAP = "gray_r"
#: Sequential and diverging colour maps that stay readable with colour-vision deficiencies.
SEQUENTIAL_CMAP = "viridis"
DIVERGING_CMAP = "PuOr_r"


def series_style(index: int) -> dict[str, str]:
    """Colour, line style and marker of the ``index``-th curve of a figure.

    Parameters
    ----------
    index : int
        0 for the first curve, 1 for the second, ...

    Returns
    -------
    dict
        ``color``, ``linestyle`` and ``marker``, ready to pass to ``Axes.plot``.

    Examples
    --------
    >>> series_style(2)
    {'color': '#009e73', 'linestyle': ':', 'marker': '^'}
    """
    return {"color": SERIES[index % len(SERIES)],
            "linestyle": LINE_STYLES[index % len(LINE_STYLES)],
            "marker": MARKERS[index % len(MARKERS)]}


def series_colour(index: int) -> str:
    """The colour of the ``index``-th curve, point set or arrow of a figure.

    Examples
    --------
    >>> series_colour(1)
    '#e69f00'
    """
    return SERIES[index % len(SERIES)]


def series_marker(index: int) -> str:
    """The marker of the ``index``-th point set of a figure.

    Examples
    --------
    >>> series_marker(1)
    's'
    """
    return MARKERS[index % len(MARKERS)]


__all__ = [
    "MUTED_TEXT", "SELECTED_HATCH", "SELECTED_LINEWIDTH",
    "BLACK", "ORANGE", "SKY_BLUE", "BLUISH_GREEN", "YELLOW", "BLUE", "VERMILLION", "REDDISH_PURPLE",
    "GREY", "LIGHT_GREY", "PALE_GREY", "WHITE", "SERIES", "LINE_STYLES", "MARKERS", "RIGHT", "WRONG", "RIGHT_MARK",
    "WRONG_MARK", "HIGHLIGHT", "SECONDARY", "REFERENCE", "GRID", "KEPT", "KEPT_DARKER", "KEPT_DARKEST", "OTHER", "STRETCHED", "PAIRED",
    "CLASH", "STRETCHED_HATCH", "CLASH_HATCH", "CLASS_COLOURS", "CLASS_MARKERS", "SEQUENTIAL_CMAP",
    "DIVERGING_CMAP", "INK_CMAP", "series_style", "series_colour", "series_marker",
]
