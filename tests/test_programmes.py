"""Programme levers on a small map: each moves what it should, and nothing it should not."""

from __future__ import annotations

import pytest

from karstsim import KarstModel


def _final(**overrides):
    model = KarstModel("plan14", rng=5, grid="classroom", **overrides)
    model.run_to_year(2025)
    return model.results().iloc[-1]


@pytest.fixture(scope="module")
def base():
    return _final()


def test_no_tending_lowers_growing_stock_only_through_the_stands(base):
    none = _final(forest_tending_ha_per_year=0)
    assert base["growing_stock_Mm3"] > none["growing_stock_Mm3"]
    assert base["tended_km2"] > 0 and none["tended_km2"] == 0
    for column in ("forest_cover_pct", "desertified_km2", "treated_km2_cum"):
        assert base[column] == none[column]


def test_erosion_control_raises_soil_conservation_and_leaves_forest_alone(base):
    none = _final(erosion_control_ha_per_year=0)
    assert base["erosion_controlled_km2_cum"] > 0 == none["erosion_controlled_km2_cum"]
    assert base["soil_conservation_pct"] > none["soil_conservation_pct"]
    assert base["soil_loss_Mt"] < none["soil_loss_Mt"]
    # less soil lost bares less rock, which helps stands a little (site volume): the forest
    # area and the other programmes stay as they were
    for column in ("forest_cover_pct", "treated_km2_cum", "tended_km2", "afforested_km2_cum"):
        assert base[column] == none[column]
