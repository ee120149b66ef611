"""Programme levers on a small map: each moves what it should, and nothing it should not."""

from __future__ import annotations

import pytest

from karstsim import KarstModel


def _final(grid="classroom", year=2025, **overrides):
    model = KarstModel("plan14", rng=5, grid=grid, **overrides)
    model.run_to_year(year)
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


# --- issue 13, item 2: grazing bans and the light-land rule as the plan writes them ----------
def _grazing_run(**overrides):
    return _final("classroom", 2027, **overrides)


@pytest.fixture(scope="module")
def grazing_base():
    return _grazing_run()


def test_the_fragile_grassland_ban_closes_grass_to_the_herds_and_conserves_soil(grazing_base):
    unbanned = _grazing_run(grazing_ban_fragile_grassland=False)
    assert grazing_base["stocking_ratio"] > unbanned["stocking_ratio"]
    assert grazing_base["grass_livestock_balance_pct"] < unbanned["grass_livestock_balance_pct"]
    assert grazing_base["soil_conservation_pct"] > unbanned["soil_conservation_pct"]
    # the ban closes land; it starts no treatment
    assert grazing_base["treated_km2_cum"] == unbanned["treated_km2_cum"]


def test_closing_corridors_to_grazing_is_a_lever_of_its_own(grazing_base):
    closed = _grazing_run(corridor_grazing_closure=True)
    assert closed["stocking_ratio"] > grazing_base["stocking_ratio"]
    assert closed["grassland_cover_pct"] > grazing_base["grassland_cover_pct"]
    assert closed["treated_km2_cum"] == grazing_base["treated_km2_cum"]


def test_forage_grass_on_light_land_feeds_the_herds(grazing_base):
    no_forage = _grazing_run(light_forage_share=0.0)
    assert grazing_base["stocking_ratio"] < no_forage["stocking_ratio"]
    assert grazing_base["fodder_bought_Myuan"] < no_forage["fodder_bought_Myuan"]
    assert grazing_base["treated_km2_cum"] == no_forage["treated_km2_cum"]
