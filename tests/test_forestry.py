"""Forest tending, timber harvest, carbon pools and the fit of stand ages to the stock."""

from __future__ import annotations

import numpy as np
import pytest

from karstsim.model import metrics
from karstsim.model.generator import fit_stand_ages
from karstsim.model.layers import LandCover, Treatment
from karstsim.model.processes.carbon import CarbonModel, live_carbon_per_m3, stand_volume
from karstsim.model.processes.forestry import TimberHarvest, tend_forest
from tests.conftest import blank_landscape

RNG = np.random.default_rng(0)


def test_tending_takes_young_untended_forest_only(params):
    # 1 km cells (100 ha); 250 ha → 2 or 3 cells; eligible: forest, age < 30, not tended
    # within 5 years of 2021 → cells 0 and 3 only (1 is too old, 2 tended in 2019, 4 grass)
    land = blank_landscape(
        shape=(1, 5),
        land_cover=[[LandCover.FOREST] * 4 + [LandCover.GRASS]],
        stand_age_yr=[[10.0, 40.0, 10.0, 5.0, 0.0]],
        tended_yr=[[0, 0, 2019, 2015, 0]],
    )
    land.year = 2021
    chosen = tend_forest(land, 250.0, params, np.random.default_rng(1))
    assert sorted(chosen.tolist()) == [0, 3]
    assert land["tended_yr"][0].tolist() == [2021, 0, 2019, 2021, 0]


def test_tending_area_moves_only_which_cells_are_tended(params):
    def tended(area_ha):
        land = blank_landscape(shape=(10, 10), land_cover=LandCover.FOREST, stand_age_yr=10.0)
        return set(tend_forest(land, area_ha, params, np.random.default_rng(3)).tolist())

    small, large = tended(2000.0), tended(4000.0)
    assert len(small) == 20 and len(large) == 40 and small < large


def test_harvest_cuts_planted_stands_past_rotation_up_to_the_volume(params):
    # 4 forest cells of 100 ha; only cells 1 and 2 are planted and past the 26-yr rotation
    land = blank_landscape(
        shape=(1, 4),
        land_cover=LandCover.FOREST,
        stand_age_yr=[[60.0, 30.0, 50.0, 20.0]],
        treatment_mode=[[Treatment.NONE] + [Treatment.AFFORESTATION] * 3],
    )
    harvest = TimberHarvest({**params, "timber_harvest_m3_ha_yr": 37.5})
    # quota 37.5 × 400 ha = 15 000 m³; stand volumes 180 × (1 − e^(−0.028 a))^1.5 × 100 ha:
    # 11 771 m³ at 50 yr and 7 711 m³ at 30 yr: one is cut, the other with the chance of
    # what is left of the quota
    v50 = stand_volume(np.array([50.0]), np.array([180.0]), 0.028)[0] * 100
    v30 = stand_volume(np.array([30.0]), np.array([180.0]), 0.028)[0] * 100
    assert v50 < 15_000 < v50 + v30
    for seed in range(20):
        land["stand_age_yr"][:] = [[60.0, 30.0, 50.0, 20.0]]
        harvest.run_one_year(land, np.random.default_rng(seed))
        ages = land["stand_age_yr"][0].tolist()
        assert ages[0] == 60.0 and ages[3] == 20.0  # natural forest, young plantation kept
        cut = [i for i in (1, 2) if ages[i] == 0.0]
        assert cut  # at least one stand past rotation is cut and replanted
        expected = sum({1: v30, 2: v50}[i] for i in cut)
        assert harvest.harvested_m3 == pytest.approx(expected)


def test_harvest_is_right_on_average(params):
    land = blank_landscape(
        shape=(1, 1), land_cover=LandCover.FOREST, stand_age_yr=40.0,
        treatment_mode=Treatment.AFFORESTATION,
    )  # fmt: skip
    v40 = stand_volume(np.array([40.0]), np.array([180.0]), 0.028)[0] * 100
    harvest = TimberHarvest({**params, "timber_harvest_m3_ha_yr": v40 / 100 / 4})
    cuts = 0
    for seed in range(400):
        land["stand_age_yr"][:] = 40.0
        harvest.run_one_year(land, np.random.default_rng(seed))
        cuts += harvest.harvested_m3 > 0
    assert cuts / 400 == pytest.approx(0.25, abs=0.06)


def test_pools_and_growing_stock_are_one_carbon(params):
    # one forest cell at age 30, exposure 0: the growing stock and the pools follow the IPCC
    # chain exactly, so a change of stock is a change of carbon
    land = blank_landscape(land_cover=LandCover.FOREST, stand_age_yr=30.0)
    land["carbon_tC_ha"] = CarbonModel(params).density(land)
    row = metrics.land_indicators(land, params)
    volume_m3 = stand_volume(np.array([30.0]), np.array([180.0]), 0.028)[0] * 100
    assert row["growing_stock_Mm3"] == pytest.approx(volume_m3 / 1e6)
    above = volume_m3 * 0.46 * 1.4 * 0.47 / 1e6
    assert row["carbon_above_MtC"] == pytest.approx(above)
    assert row["carbon_below_MtC"] == pytest.approx(above * 0.24)
    assert row["carbon_dead_MtC"] == pytest.approx(above * 0.12)
    assert row["carbon_stock_MtC"] == pytest.approx(above * (1 + 0.24 + 0.12))
    per_m3 = live_carbon_per_m3(params) * (1 + 0.12 / 1.24)
    assert row["carbon_stock_MtC"] == pytest.approx(row["growing_stock_Mm3"] * per_m3)


def test_stand_ages_are_fitted_to_the_stock(params):
    relative = np.random.default_rng(0).gamma(3.0, 1 / 3, 5000)
    exposure = np.zeros(5000)
    for stock in (40.0, 74.0, 110.0):
        mean_age = fit_stand_ages(relative, exposure, stock, params)
        held = stand_volume(np.maximum(relative * mean_age, 1.0), 180.0, 0.028).mean()
        assert held == pytest.approx(stock, rel=1e-6)
    assert fit_stand_ages(relative, exposure, 40.0, params) < fit_stand_ages(
        relative, exposure, 110.0, params
    )


def test_province_starts_at_the_plans_growing_stock(province_2020):
    row = province_2020.results().iloc[0]
    assert row["growing_stock_Mm3"] == pytest.approx(609.0, rel=0.005)
