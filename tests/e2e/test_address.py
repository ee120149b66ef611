"""End-to-end: a reload (or a shared link) shows the page as it was left."""

from __future__ import annotations

import pytest
from test_browser import _set_lever_to_max, _step, _wait_text

pytestmark = pytest.mark.browser


def test_a_reload_keeps_the_map_levers_year_and_language(page):
    page.locator(".karst-grid input[type=text]").fill("Anshun")
    page.get_by_role("option", name="Anshun", exact=True).click()
    _wait_text(page, "karst-region-table-title", "2020")
    _set_lever_to_max(page, "treatment_ha_per_year")
    _wait_text(page, "karst-lever-treatment_ha_per_year", "500,000 ha/yr")
    _step(page, 2)
    _wait_text(page, "karst-year", "2022")
    page.wait_for_function("() => location.search.includes('year=2022')")
    address = page.url
    assert "map=520400" in address and "treatment_ha_per_year=500000" in address

    page.reload(wait_until="networkidle")
    page.locator("img.karst-chart-forest").wait_for()
    assert "Year 2022" in page.locator(".karst-year").inner_text()
    assert "500,000 ha/yr" in page.locator(".karst-lever-treatment_ha_per_year").inner_text()
    assert "Anshun" in page.locator(".karst-grid input[type=text]").input_value()
    assert "Xixiu" in page.locator(".karst-region-table").inner_text()  # a county of Anshun
