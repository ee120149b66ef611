"""The forest economy (issue 13, item 6) on small maps: each programme moves its outputs the
right way, and with its lever at zero nothing else changes."""

from __future__ import annotations

import numpy as np
import pytest

from karstsim import KarstModel
from karstsim.model.layers import EcoCrop, LandCover, Treatment
from karstsim.model.processes.carbon import stand_volume
from karstsim.model.processes.forest_economy import (
    CHISHUI_CORRIDOR,
    ForestEconomy,
    bearing_fraction,
    crop_net_yuan_ha,
    ramp_share,
)
from karstsim.model.processes.forestry import TimberHarvest
from tests.conftest import blank_landscape

GRID = "60x60"
YEAR = 2027

LAND = ["forest_cover_pct", "cropland_pct", "desertified_km2", "treated_km2_cum"]
"""Land outputs that no forest-economy programme but the featured crops touches."""
HOUSEHOLD_MONEY = {
    "household_income_mean_yuan",
    "income_per_person_yuan",
    "poverty_share",
    "income_gini",
    "budget_spent_Myuan",
}


def _run(**overrides):
    model = KarstModel("plan14", rng=5, grid=GRID, **overrides)
    model.run_to_year(YEAR)
    return model.results().set_index("year")


@pytest.fixture(scope="module")
def base():
    return _run()


def _same(a, b, columns):
    for column in columns:
        assert np.array_equal(a[column].to_numpy(), b[column].to_numpy()), column


def test_plan14_sets_every_forest_economy_lever(base):
    last = base.loc[YEAR]
    for column in (
        "reserve_forest_ha",
        "forest_bought_back_ha_cum",
        "public_welfare_income_Myuan",
        "oil_tea_ha",
        "walnut_improved_ha",
        "rosa_ha",
        "spend_reserve_forest_Myuan",
    ):
        assert base[column].max() > 0, column
    assert last["walnut_income_Myuan"] > 0 and last["oil_tea_income_Myuan"] > 0


def test_reserve_forest_reaches_its_area_is_tended_and_cut_first(base):
    none = _run(reserve_forest_target_ha=0)
    scale = 3600 / 176_167
    assert base.loc[2025, "reserve_forest_ha"] >= 732_000 * scale
    assert base.loc[2023, "reserve_forest_ha"] < base.loc[2025, "reserve_forest_ha"]
    assert (none["reserve_forest_ha"] == 0).all() and (
        none["spend_reserve_forest_Myuan"] == 0
    ).all()
    assert base["reserve_timber_harvest_Mm3"].sum() > 0 == none["reserve_timber_harvest_Mm3"].sum()
    # kept tended: the stands grow faster
    assert base.loc[YEAR, "growing_stock_Mm3"] > none.loc[YEAR, "growing_stock_Mm3"]
    _same(base, none, [*LAND, "oil_tea_ha", "rosa_ha", "public_welfare_income_Myuan"])


def test_buy_back_takes_commercial_forest_out_of_household_hands():
    on = _run(forest_buyback_target_ha=60_000)
    off = _run(forest_buyback_target_ha=0)
    assert on.loc[2025, "forest_bought_back_ha_cum"] >= 60_000 * 3600 / 176_167
    assert on["spend_forest_buyback_Myuan"].sum() > 0
    assert (off["forest_bought_back_ha_cum"] == 0).all()
    # bought-back forest becomes (state) public-welfare forest
    assert on.loc[YEAR, "public_welfare_forest_km2"] > off.loc[YEAR, "public_welfare_forest_km2"]
    _same(on, off, [*LAND, "reserve_forest_ha", "oil_tea_ha", "walnut_improved_ha", "rosa_ha"])


def test_public_welfare_compensation_pays_households_and_changes_nothing_else(base):
    none = _run(public_welfare_comp_yuan_ha=0)
    assert base.loc[YEAR, "public_welfare_income_Myuan"] > 0
    assert (none["public_welfare_income_Myuan"] == 0).all()
    assert (none["spend_public_welfare_Myuan"] == 0).all()
    assert (
        base.loc[YEAR, "household_income_mean_yuan"] > none.loc[YEAR, "household_income_mean_yuan"]
    )
    # paid at 240 yuan/ha on the wooded public-welfare forest (households' part and the rest)
    expected = base.loc[YEAR, "public_welfare_forest_km2"] * 100 * 240 / 1e6
    assert base.loc[YEAR, "spend_public_welfare_Myuan"] == pytest.approx(expected)
    assert base.loc[YEAR, "public_welfare_income_Myuan"] <= expected + 1e-9
    money = HOUSEHOLD_MONEY | {"public_welfare_income_Myuan", "spend_public_welfare_Myuan"}
    _same(base, none, [c for c in base.columns if c not in money])


def test_public_welfare_forest_is_not_cut():
    none = _run(public_welfare_forest_share=0.0, forest_buyback_target_ha=0)  # bought-back joins it
    assert (none["public_welfare_forest_km2"] == 0).all()
    model = KarstModel("plan14", rng=5, grid=GRID, timber_harvest_m3_ha_yr=1.5)
    land = model.landscape
    welfare = land["public_welfare_forest"] & (land["treatment_mode"] == Treatment.AFFORESTATION)
    assert welfare.any()
    cut_outside = 0
    for _ in range(4):  # no public-welfare stand is cut and replanted (its age never falls)
        age = land["stand_age_yr"].copy()
        model.step()
        forest = land["land_cover"] == LandCover.FOREST
        fell = forest & (land["stand_age_yr"] < age)
        assert not (fell & welfare).any()
        cut_outside += int(fell.sum())
    assert cut_outside > 0


def test_understory_programme_opens_land_households_use(base):
    none = _run(understory_programme_ha_per_year=0)
    assert base.loc[YEAR, "understory_area_ha"] > none.loc[YEAR, "understory_area_ha"]
    assert (
        base.loc[YEAR, "understory_output_value_Myuan"]
        > none.loc[YEAR, "understory_output_value_Myuan"]
    )
    assert (none["spend_understory_Myuan"] == 0).all()
    assert base.loc[2020, "understory_area_ha"] == none.loc[2020, "understory_area_ha"]
    # households' choice only: the land is as it was
    land = [c for c in base.columns if c.endswith(("_pct", "_km2", "_ha", "_Mm3", "_MtC"))]
    land = [c for c in land if c != "understory_area_ha"]
    _same(base, none, land)


@pytest.mark.parametrize(
    ("lever", "area", "income"),
    [
        ("oil_tea_ha_per_year", "oil_tea_ha", "oil_tea_income_Myuan"),
        ("rosa_ha_per_year", "rosa_ha", "rosa_income_Myuan"),
    ],
)
def test_planted_crops_take_cropland_and_open_land_and_pay_once_bearing(base, lever, area, income):
    none = _run(**{lever: 0})
    assert base.loc[YEAR, area] > 0 and (none[area] == 0).all()
    assert base.loc[YEAR, income] > 0 and (none[income] == 0).all()
    assert base.loc[2021, income] == 0  # not bearing in the first year
    assert (
        none.loc[YEAR, "spend_featured_crops_Myuan"] < base.loc[YEAR, "spend_featured_crops_Myuan"]
    )
    assert base.loc[YEAR, "forest_cover_pct"] >= none.loc[YEAR, "forest_cover_pct"]
    others = [a for a in ("reserve_forest_ha", "walnut_improved_ha") if a != area]
    _same(base, none, [*others, "public_welfare_forest_km2", "forest_bought_back_ha_cum"])


def test_walnut_improvement_changes_income_not_land(base):
    none = _run(walnut_improvement_ha_per_year=0)
    assert base.loc[YEAR, "walnut_improved_ha"] > 0 and (none["walnut_improved_ha"] == 0).all()
    assert base.loc[YEAR, "walnut_income_Myuan"] > 0 == none.loc[YEAR, "walnut_income_Myuan"]
    _same(base, none, [*LAND, "oil_tea_ha", "rosa_ha", "reserve_forest_ha"])


# --- the rules, by hand -----------------------------------------------------------------------
def test_bearing_fraction_and_crop_income_by_hand(params):
    # bears from year 4, full at year 9: 1/6, 2/6, … from age 4
    share = bearing_fraction(np.array([0, 3, 4, 5, 9, 20]), 4, 9)
    assert share.tolist() == pytest.approx([0, 0, 1 / 6, 2 / 6, 1, 1])
    # oil-tea at full yield: 300 kg × 80 yuan − 12 000 = 12 000 yuan/ha
    net = crop_net_yuan_ha(EcoCrop.OIL_TEA, np.array([9.0]), params)
    assert net.tolist() == pytest.approx([12_000.0])
    # rosa roxburghii in its 3rd year (bears from 2, full at 5): 2/4 × (7 500 × 3 − 10 000)
    net = crop_net_yuan_ha(EcoCrop.ROSA, np.array([3.0]), params, growth=2.0)
    assert net.tolist() == pytest.approx([0.5 * 12_500 * 2])
    assert [ramp_share(y) for y in (2019, 2020, 2022, 2025, 2030)] == [0, 0, 0.4, 1, 1]


def _stands(params, **values):
    land = blank_landscape(
        shape=(1, 4),
        land_cover=LandCover.FOREST,
        treatment_mode=Treatment.AFFORESTATION,
        stand_age_yr=40.0,
        soil_depth_cm=30.0,
        owner=0,
        **values,
    )
    land.year = 2021
    return land


def test_reserve_forest_takes_the_chishui_basin_first_then_the_best_stands(params):
    # 4 cells of 100 ha; a reserve of 2 cells in 2025 asks for ceil(2 × 0.2) = 1 cell in 2021
    land = _stands(
        params,
        corridor=[[0, 0, CHISHUI_CORRIDOR, 0]],
        bedrock_exposure=[[0.0, 0.5, 0.9, 0.2]],
    )
    process = ForestEconomy({**params, "reserve_forest_target_ha": 200.0}, 1.0)
    process.run_one_year(land, np.random.default_rng(0))
    assert land["reserve_forest"][0].tolist() == [False, False, True, False]
    assert land["tended_yr"][0].tolist() == [0, 0, 2021, 0]
    land.year = 2025  # 2 cells: the next is the most productive, accessible stand
    process.run_one_year(land, np.random.default_rng(0))
    assert land["reserve_forest"][0].tolist() == [True, False, True, False]
    assert process.cost_yuan["reserve"] == pytest.approx(100 * 15_000.0)


def test_buy_back_takes_protected_areas_first_and_hands_forest_to_the_state(params):
    land = _stands(
        params,
        red_line=[[True, True, True, False]],
        protected_area=[[False, False, True, False]],
        public_welfare_forest=[[True, False, False, False]],
    )
    process = ForestEconomy({**params, "forest_buyback_target_ha": 500.0}, 1.0)
    process.run_one_year(land, np.random.default_rng(0))  # ceil(5 × 0.2) = 1 cell
    assert land["bought_back"][0].tolist() == [False, False, True, False]
    assert land["owner"][0].tolist() == [0, 0, -1, 0]
    assert land["public_welfare_forest"][0].tolist() == [True, False, True, False]
    land.year = 2025  # 5 cells asked, but only 2 commercial stands lie in the red line
    process.run_one_year(land, np.random.default_rng(0))
    assert land["bought_back"][0].tolist() == [False, True, True, False]
    assert process.bought_back_ha_cum == pytest.approx(200.0)


def test_harvest_skips_kept_stands_and_cuts_reserve_first(params):
    land = _stands(
        params,
        public_welfare_forest=[[True, False, False, False]],
        eco_crop=[[0, EcoCrop.WALNUT, 0, 0]],
        reserve_forest=[[False, False, False, True]],
    )
    # a quota of just over one stand's volume (stands 2 and 3 may be cut; 3 is reserve)
    carbon = TimberHarvest(params).carbon
    site = carbon.site_volume(np.zeros(1), np.array([Treatment.AFFORESTATION]))
    stand_m3 = float(stand_volume(np.array([40.0]), site, carbon.k)[0]) * land.cell_area_ha
    harvest = TimberHarvest({**params, "timber_harvest_m3_ha_yr": 1.0001 * stand_m3 / 400.0})
    harvest.run_one_year(land, np.random.default_rng(0))
    cut = land["stand_age_yr"][0] == 0
    assert cut.tolist() == [False, False, False, True]
    assert harvest.reserve_harvested_m3 == harvest.harvested_m3 > 0


def test_failed_crop_plantings_drop_their_crop(params):
    land = blank_landscape(shape=(1, 2), eco_crop=[[EcoCrop.OIL_TEA, EcoCrop.ROSA]])
    land["treatment_mode"][0, 1] = Treatment.ECO_ECONOMIC
    ForestEconomy(params, 1.0).run_one_year(land, np.random.default_rng(0))
    assert land["eco_crop"][0].tolist() == [EcoCrop.NONE, EcoCrop.ROSA]


def test_the_featured_crops_push_earns_more_costs_more_and_takes_grazing_land(base):
    """Scenario featured_crops_push against plan14: more crop area and public cost, and a
    heavier stocking of the grazing land left (the new stands are closed while they grow)."""
    model = KarstModel("featured_crops_push", rng=5, grid=GRID)
    model.run_to_year(YEAR)
    push = model.results().set_index("year")
    for column in ("oil_tea_ha", "rosa_ha", "walnut_improved_ha", "spend_featured_crops_Myuan"):
        assert push[column].iloc[-1] > base[column].iloc[-1], column
    assert push["stocking_ratio"].iloc[-1] > base["stocking_ratio"].iloc[-1]
