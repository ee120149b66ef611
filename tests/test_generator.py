"""The generated start states reproduce the observed figures."""

from __future__ import annotations

import numpy as np
import pytest

from karstsim import KarstModel
from karstsim.model.layers import LandCover

PROVINCE_LAND_KM2 = 176_167


def test_province_2020_state_matches_the_plan(province_2020):
    land = province_2020.landscape
    row = province_2020.results().iloc[0]
    # the real outline at 1 km: within 0.1 % of the official land area
    assert land.land_cells == pytest.approx(PROVINCE_LAND_KM2, rel=0.001)
    assert land.geo is not None and land.geo.cell_size_m == 1000.0
    assert row.forest_cover_pct == pytest.approx(61.51, abs=0.01)
    assert land["carbonate"][land.land].mean() == pytest.approx(0.6192, abs=0.001)
    assert 18_000 <= row.desertified_km2 <= 20_000
    assert row.desertified_km2 == pytest.approx(18_600, rel=0.01)
    assert row.cropland_pct == pytest.approx(19.7, abs=0.05)
    # class split follows China's 2016 shares: moderate ≥ light > severe > extreme
    assert row.desert_moderate_km2 > row.desert_severe_km2 > row.desert_extreme_km2 > 0
    assert row.desert_light_km2 > row.desert_severe_km2
    # soil-conservation rate, the national definition (soil loss within each soil type's
    # tolerance): the plan's 73.32 % in 2020, ± 1 point
    assert row.soil_conservation_pct == pytest.approx(73.32, abs=1.0)
    # calibrated growing stock: 6.09×10⁸ m³ in 2020 (plan Table 1)
    assert row.growing_stock_Mm3 == pytest.approx(609, rel=0.05)


def test_province_2020_layers_are_plausible(province_2020):
    land = province_2020.landscape.on_grid()
    mask = land.land
    slope = land["slope_deg"][mask]
    assert 14 < slope.mean() < 20 and slope.max() <= 75
    soil = land["soil_depth_cm"][mask]
    karst = land["carbonate"][mask]
    assert soil[karst].mean() < soil[~karst].mean()  # thin soil on karst
    assert land["elevation_m"][mask][:, None].shape[0] == mask.sum()
    west = land["elevation_m"][:, :100][mask[:, :100]].mean()
    east = land["elevation_m"][:, -100:][mask[:, -100:]].mean()
    assert west > east + 500  # the plateau falls eastward
    bare = land["land_cover"] == LandCover.BARE_ROCK
    assert land["carbonate"][bare].all()


@pytest.mark.parametrize("grid", ["county", "73x41"])
def test_smaller_grids_keep_the_proportions(grid):
    row = KarstModel("plan14", rng=2, grid=grid).results().iloc[0]
    land = KarstModel("plan14", rng=2, grid=grid).landscape
    assert row.forest_cover_pct == pytest.approx(61.51, abs=0.1)
    share = row.desertified_km2 / land.land_area_km2
    assert share == pytest.approx(18_600 / PROVINCE_LAND_KM2, rel=0.05)
    assert land["carbonate"].mean() == pytest.approx(0.6192, abs=0.01)


def test_2016_start_state_for_the_hindcast():
    from karstsim.model.scenario import Scenario

    model = KarstModel(Scenario(name="h", start_year=2016, end_year=2020), rng=1, grid="county")
    row = model.results().iloc[0]
    assert row.year == 2016
    assert row.forest_cover_pct == pytest.approx(52.0, abs=0.1)
    share = row.desertified_km2 / model.landscape.land_area_km2
    assert share == pytest.approx(24_700 / PROVINCE_LAND_KM2, rel=0.05)


def test_same_seed_2016_and_2020_share_terrain():
    from karstsim.model.scenario import Scenario

    a = KarstModel(Scenario(name="a", start_year=2016), rng=4, grid="classroom").landscape
    b = KarstModel(Scenario(name="b", start_year=2020), rng=4, grid="classroom").landscape
    for name in ("elevation_m", "slope_deg", "carbonate", "village"):
        assert np.array_equal(a[name], b[name]), name
    assert not np.array_equal(a["land_cover"], b["land_cover"])


def test_cell_size_scales_areas():
    coarse = KarstModel("plan14", rng=1, grid="classroom")
    fine = KarstModel("plan14", rng=1, grid="classroom", cell_size_km=0.5)
    # Guanling's boundary encloses 1 464 km² at any resolution; 4× the cells at 500 m
    assert coarse.landscape.land_area_km2 == pytest.approx(1464, rel=0.02)
    assert fine.landscape.land_area_km2 == pytest.approx(1464, rel=0.01)
    assert fine.landscape.land_cells == pytest.approx(4 * coarse.landscape.land_cells, rel=0.02)
    assert fine.results().iloc[0].desertified_km2 == pytest.approx(
        coarse.results().iloc[0].desertified_km2, rel=0.1
    )
