"""End-to-end: the map comes first. On a projector (1024 × 768) and a desktop screen
(1600 × 1000), in English and Chinese, on the province (policy mode) and the classroom
map (classroom mode), the whole map is on the first screen; each view is saved
(``KARSTSIM_SCREENSHOTS=docs/screenshots`` refreshes the pictures in docs/)."""

from __future__ import annotations

import pytest
from conftest import offline_page

pytestmark = pytest.mark.browser

SCREENS = [(1600, 1000), (1024, 768)]
VIEWS = {"province": "map=province&mode=policy", "classroom": "map=classroom&mode=classroom"}


@pytest.mark.parametrize(("width", "height"), SCREENS, ids=lambda v: str(v))
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("view", list(VIEWS))
def test_the_whole_map_is_on_the_first_screen(
    browser, app_url, screenshot, view, lang, width, height
):
    url = f"{app_url}?{VIEWS[view]}&lang={lang}"
    with offline_page(browser, url, width, height) as tab:
        tab.locator("img.karst-map").wait_for()
        tab.wait_for_function("() => document.querySelector('img.karst-map').complete")
        box = tab.locator("img.karst-map").bounding_box()
        screenshot(tab, f"{view}_{lang}_{width}x{height}.png")
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, (
            f"the map spans {box['y']:.0f}–{box['y'] + box['height']:.0f} px of a {height} px screen"
        )
        assert box["width"] >= min(560, width * 0.5), f"the map is {box['width']:.0f} px wide"
