"""What the tests that need this machine's extras (Debian's Chromium, Playwright, a Chinese
font) find missing, so that ``make test`` on a fresh machine skips only those tests and says
in one line what is missing and which tests it skipped."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
INSTALL_HINT = "apt-get install chromium fonts-wqy-zenhei"

BROWSER = "browser"
"""Marker of the tests that drive Chromium (every test under ``tests/e2e``)."""
CJK_FONT = "cjk_font"
"""Marker of the tests that need a Chinese font installed."""


@functools.cache
def missing() -> dict[str, list[str]]:
    """By marker, what its tests need and this machine lacks (empty lists: nothing)."""
    from karstsim.viz.style import configure_fonts

    browser = []
    if not CHROMIUM.exists():
        browser.append(str(CHROMIUM))
    if importlib.util.find_spec("playwright") is None:
        browser.append("the playwright package")
    font = [] if configure_fonts() is not None else ["a Chinese font"]
    return {BROWSER: browser, CJK_FONT: font}


def summary(skipped: list[str], lacking: set[str]) -> str:
    """The one line printed after the tests when some were skipped for what is missing."""
    tests = "test" if len(skipped) == 1 else "tests"
    return (
        f"karstsim: {len(skipped)} {tests} skipped, this machine lacks "
        f"{', '.join(sorted(lacking))} ({INSTALL_HINT}): {', '.join(skipped)}"
    )
