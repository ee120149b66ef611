"""Matplotlib set-up for the app: a font that renders Chinese, figure sizes, PNG output.

Chinese text needs a CJK font. :func:`configure_fonts` looks for one among the system's
fonts (Debian: ``fonts-wqy-zenhei`` or ``fonts-noto-cjk``), registers it with matplotlib
even when matplotlib's font cache predates its installation, and puts it behind DejaVu
Sans so Latin text keeps its usual look and every CJK glyph falls back to it.
"""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Hashable

import matplotlib
import numpy as np
from matplotlib import font_manager
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

logger = logging.getLogger(__name__)

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "WenQuanYi Zen Hei",
    "Source Han Sans SC",
    "Noto Sans SC",
    "Droid Sans Fallback",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)
"""Font families that cover simplified Chinese, in order of preference."""

_CJK_FILE_HINTS = ("wqy", "notosanscjk", "notoserifcjk", "sourcehansans", "droidsansfallback")

DPI = 80
ARM_LINESTYLE = {"A": "-", "B": "--"}
"""Line style of each lever set in compare mode."""


@functools.cache
def configure_fonts() -> str | None:
    """Make matplotlib render Chinese; returns the CJK family used (``None``: none found)."""
    names = {font.name for font in font_manager.fontManager.ttflist}
    if not any(family in names for family in CJK_FAMILIES):
        for path in font_manager.findSystemFonts():
            if any(hint in path.lower().replace("-", "") for hint in _CJK_FILE_HINTS):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        names = {font.name for font in font_manager.fontManager.ttflist}
    family = next((f for f in CJK_FAMILIES if f in names), None)
    # CJK fonts often come in "medium" weight only: matplotlib would say so at every size
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    if family is None:
        logger.warning("no Chinese font found: install fonts-wqy-zenhei or fonts-noto-cjk")
    # a list of real families (not "sans-serif"): matplotlib falls back glyph by glyph
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", *([family] if family else [])]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return family


def new_figure(width_in: float, height_in: float) -> Figure:
    """A figure for the app (fonts configured, fixed DPI). Not registered with pyplot, so
    figures of several browser sessions can be drawn in parallel threads."""
    configure_fonts()
    return Figure(figsize=(width_in, height_in), dpi=DPI)


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


class LayeredFigure:
    """A figure drawn in three layers to PNG: a background (axes, ticks, titles, legends:
    most of the cost, all text) kept as pixels while its ``key`` stays the same, the
    figure's *animated* artists (the data) drawn over it at every call, and on top the
    :attr:`overlay` artists (static map features: boundaries, names), drawn once with the
    background and kept as transparent pixels."""

    def __init__(self, fig: Figure) -> None:
        self.fig = fig
        self._canvas = FigureCanvasAgg(fig)
        self._key: Hashable = None
        self._background = None
        self.overlay: list[Artist] = []
        """Artists drawn over the data, once per background (not animated)."""
        self._overlay: tuple[np.ndarray, np.ndarray] | None = None

    def redraws(self, key: Hashable) -> bool:
        """Whether :meth:`png` with this ``key`` draws the background anew (else the
        background's artists, e.g. a legend, need not exist: their pixels are kept)."""
        return self._background is None or key != self._key

    def png(self, key: Hashable) -> bytes:
        """The figure as PNG bytes; redraws the background only if ``key`` changed."""
        canvas = self._canvas
        if self.redraws(key):
            for artist in self.overlay:
                artist.set_visible(False)
            canvas.draw()
            self._background, self._key = canvas.copy_from_bbox(self.fig.bbox), key
            self._overlay = self._draw_overlay() if self.overlay else None
        else:
            canvas.restore_region(self._background)
        for ax in self.fig.axes:
            animated = [a for a in ax.get_children() if a.get_animated() and a.get_visible()]
            for artist in sorted(animated, key=lambda a: a.get_zorder()):
                ax.draw_artist(artist)
        pixels = np.asarray(canvas.buffer_rgba())
        if self._overlay is not None:
            where, colour_alpha = self._overlay
            alpha = colour_alpha[:, 3:] / 255.0
            under = pixels[where][:, :3]
            pixels = pixels.copy()
            pixels[where, :3] = (colour_alpha[:, :3] * alpha + under * (1 - alpha)).astype(np.uint8)
        image = Image.fromarray(pixels, "RGBA")
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", compress_level=1)
        return buffer.getvalue()

    def _draw_overlay(self) -> tuple[np.ndarray, np.ndarray]:
        """Draw the overlay alone on a transparent canvas: (pixels it covers as a boolean
        mask, their RGBA values); the canvas is left showing the background."""
        canvas = self._canvas
        canvas.get_renderer().clear()
        for artist in sorted(self.overlay, key=lambda a: a.get_zorder()):
            artist.set_visible(True)
            artist.axes.draw_artist(artist)
        layer = np.asarray(canvas.buffer_rgba())
        where = layer[:, :, 3] > 0
        drawn = layer[where].astype(np.float64)
        canvas.restore_region(self._background)
        return where, drawn
