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

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure

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
