"""Text that stays readable on a coloured cell: WCAG 2.x contrast, and the ink that meets it.

A number written on a shaded cell (a heatmap, a table, a matrix picture) must
stand out from that cell for every reader, whatever the shade: WCAG 2.x level
AA asks for a contrast ratio of at least 4.5:1 for normal text. The plotting
modules pick each number's ink with :func:`text_colour_on` instead of one
colour for the whole grid, and ``tests/test_accessibility.py`` measures the
result with :func:`contrast_ratio`.

Examples
--------
>>> round(contrast_ratio(style.BLACK, style.WHITE), 1)
21.0
>>> text_colour_on("#2d004b")  # the darkest purple of the diverging map: white ink
'#ffffff'
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.image import AxesImage

from . import style

#: WCAG 2.x level AA: the least contrast ratio for normal-size text.
MIN_TEXT_CONTRAST = 4.5
#: The inks a number on a cell may take: the darkest and lightest of the palette.
INKS = (style.BLACK, style.WHITE)


def relative_luminance(colour) -> float:
    """WCAG 2.x relative luminance of an opaque sRGB colour, 0 (black) to 1 (white).

    Examples
    --------
    >>> relative_luminance(style.WHITE), relative_luminance(style.BLACK)
    (1.0, 0.0)
    """
    rgb = np.asarray(to_rgba(colour)[:3], dtype=float)
    # The sRGB transfer curve undone, with the WCAG thresholds (0.03928 as written in WCAG 2.x).
    linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(np.dot([0.2126, 0.7152, 0.0722], linear))


def contrast_ratio(a, b) -> float:
    """WCAG 2.x contrast ratio of two opaque colours, from 1 (same) to 21 (black on white).

    Examples
    --------
    >>> round(contrast_ratio(style.GREY, style.WHITE), 2)
    4.48
    """
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def over(colour, background=style.WHITE) -> tuple[float, float, float]:
    """A possibly transparent colour as seen painted over ``background`` (alpha blending).

    Examples
    --------
    >>> over((0.0, 0.0, 0.0, 0.5))
    (0.5, 0.5, 0.5)
    """
    r, g, b, alpha = to_rgba(colour)
    base = np.asarray(to_rgba(background)[:3])
    seen = alpha * np.array([r, g, b]) + (1.0 - alpha) * base
    return tuple(float(v) for v in seen)


def text_colour_on(background, inks: Sequence[str] = INKS) -> str:
    """The ink of ``inks`` that stands out most from ``background`` (a cell's colour).

    Examples
    --------
    >>> text_colour_on(style.YELLOW), text_colour_on(style.BLUE)
    ('#000000', '#ffffff')
    """
    seen = over(background)
    return max(inks, key=lambda ink: contrast_ratio(ink, seen))


def write_on_cells(ax: Axes, image: AxesImage, texts: np.ndarray, **text_kwargs) -> None:
    """Write ``texts[r, c]`` centred on cell ``(r, c)`` of ``image``, each in the ink its cell needs.

    The cell's colour is the one the image paints there (its colour map, norm
    and transparency over the white axes), so the choice follows the data.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> image = ax.imshow([[0.0, 1.0]], cmap=style.INK_CMAP)
    >>> write_on_cells(ax, image, np.array([["0", "1"]]))
    >>> [t.get_color() for t in ax.texts]
    ['#000000', '#ffffff']
    >>> plt.close(fig)
    """
    colours = image.to_rgba(image.get_array())
    alpha = image.get_alpha()
    for (r, c), text in np.ndenumerate(texts):
        cell = colours[r, c] if alpha is None else (*colours[r, c][:3], alpha * colours[r, c][3])
        ax.text(c, r, str(text), ha="center", va="center", color=text_colour_on(cell), **text_kwargs)


__all__ = ["MIN_TEXT_CONTRAST", "INKS", "relative_luminance", "contrast_ratio", "over", "text_colour_on",
           "write_on_cells"]
