"""Issue 13, item 10: carbon beyond the trees (soil organic, grassland and wetland carbon)
and traded forest carbon. The rules by hand on a row of cells; each mechanism moves its
outputs the right way on a small grid; with a lever at zero (or the sub-model gone) no other
output changes; plan14, no_new_policy and carbon_market set the lever as they say."""

from __future__ import annotations

import numpy as np
import pytest
from test_plan_levers import _run, _same_except  # the same small runs as the other levers

from karstsim import KarstModel
from karstsim.experiments.targets import evaluate
from karstsim.model import parameters
from karstsim.model import scenario as scenario_module
from karstsim.model.carbon_credits import CarbonCredits
from karstsim.model.layers import LandCover, Landscape, Severity, Treatment
from karstsim.model.processes.soil_carbon import SoilCarbon, grassland_biomass_tC_ha

SINK_COLUMNS = [
    "soil_carbon_MtC",
    "wetland_carbon_MtC",
    "grassland_biomass_MtC",
    "ecosystem_carbon_MtC",
    "soil_carbon_sink_MtCO2",
    "grassland_carbon_sink_MtCO2",
    "wetland_carbon_sink_MtCO2",
    "ecosystem_sink_MtCO2",
]
GEP_CARBON_COLUMNS = ["gep_carbon_MtCO2", "gep_regulating_Myuan", "gep_Myuan"]
"""GEP outputs that hold the soil's carbon sequestration."""
CREDIT_COLUMNS = [
    "carbon_credits_MtCO2",
    "carbon_credit_revenue_Myuan",
    "carbon_credit_households_Myuan",
    "carbon_credit_collective_Myuan",
]
INCOME_COLUMNS = [
    "household_income_mean_yuan",
    "income_per_person_yuan",
    "poverty_share",
    "income_gini",
    "carbon_revenue_Myuan",
]


# --- the rule by hand -------------------------------------------------------------------------
COVERS = [
    LandCover.FOREST,  # 0: F = 1
    LandCover.GRASS,  # 1: nominal grass, F = 1
    LandCover.GRASS,  # 2: grazed, F = 0.95
    LandCover.GRASS,  # 3: sown and improved, F = 1.14
    LandCover.CROPLAND,  # 4: F = 0.69
    LandCover.BARE_ROCK,  # 5: F = 0.7
    LandCover.MINE,  # 6: F = 0
    LandCover.WATER,  # 7: not modelled
]


def _row(soc: float = 50.0) -> tuple[Landscape, dict]:
    """A row of eight 1-km² cells, one per case, exposure 0.2, 20 cm of soil, no erosion."""
    n = len(COVERS)
    land = Landscape(land=np.ones((1, n), bool), cell_size_km=1.0, year=2020)
    land["land_cover"] = np.array([COVERS], dtype=np.int8)
    land["bedrock_exposure"] = np.full((1, n), 0.2)
    land["severity"] = np.zeros((1, n), dtype=np.int8)
    grazed = np.zeros((1, n), bool)
    grazed[0, 2] = True
    land["grazed"] = grazed
    mode = np.zeros((1, n), dtype=np.int8)
    mode[0, 3] = Treatment.GRASS_PLANTING
    land["treatment_mode"] = mode
    land["erosion_t_km2"] = np.zeros((1, n))
    land["soil_depth_cm"] = np.full((1, n), 20.0)
    land["vegetation_cover"] = np.full((1, n), 0.5)
    land["carbon_tC_ha"] = np.full((1, n), 3.0)
    land["soil_carbon_tC_ha"] = np.full((1, n), soc)
    params = parameters.resolve()
    return land, params


def test_equilibrium_is_the_reference_times_the_ipcc_factor_on_the_soil_covered_part():
    land, params = _row()
    eq = SoilCarbon(params).equilibrium(land)
    ref = params["soc_reference_tC_ha"] * 0.8  # 84 × (1 − 0.2) = 67.2 tC/ha
    expected = [ref, ref, 0.95 * ref, 1.14 * ref, 0.69 * ref, 0.7 * ref, 0.0]
    np.testing.assert_allclose(eq[0, :7], expected)
    assert np.isnan(eq[0, 7])
    land["severity"][0, 1] = Severity.SEVERE  # severely desertified grass: at most 0.7
    assert SoilCarbon(params).equilibrium(land)[0, 1] == pytest.approx(0.7 * ref)


def test_a_year_closes_a_twentieth_of_the_gap_and_erosion_carries_carbon_away():
    land, params = _row(soc=50.0)
    process = SoilCarbon(params)
    process._last = process._state(land)
    process.run_one_year(land, np.random.default_rng(0))
    soc = land["soil_carbon_tC_ha"][0]
    ref = 67.2
    assert soc[0] == pytest.approx(50 + (ref - 50) / 20)  # forest: 50.86
    assert soc[4] == pytest.approx(50 + (0.69 * ref - 50) / 20)  # cropland: 49.82
    assert soc[6] == pytest.approx(50 - 50 / 20)  # mine: topsoil stripped
    assert soc[7] == 50.0  # water: as it was
    # 2 000 t/km² = 20 t/ha of soil with 1.3 × the carbon of 20 cm of soil at 1.3 t/m³:
    # a = 20 × 1.3 / (100 × 1.3 × 20) = 1 % of the stock a year
    land, params = _row(soc=50.0)
    land["erosion_t_km2"][0, 0] = 2000.0
    assert SoilCarbon(params).erosion_rate(land)[0, 0] == pytest.approx(0.01)
    SoilCarbon(params).run_one_year(land, np.random.default_rng(0))
    assert land["soil_carbon_tC_ha"][0, 0] == pytest.approx(50 + (ref - 50) / 20 - 0.5)


def test_the_start_state_is_the_steady_state_so_nothing_drifts():
    land, params = _row()
    land["erosion_t_km2"][0, :] = 2000.0  # a = 1 %/yr on every cell
    process = SoilCarbon(params)
    process.initialise(land)
    start = land["soil_carbon_tC_ha"].copy()
    assert start[0, 0] == pytest.approx(67.2 / (1 + 0.01 * 20))  # 56 tC/ha
    assert start[0, 7] == 0.0  # water off the wetland sites
    process.run_one_year(land, np.random.default_rng(0))
    np.testing.assert_allclose(land["soil_carbon_tC_ha"], start)
    assert process.sinks_MtCO2["soil"] == pytest.approx(0.0, abs=1e-12)


def test_wetland_sites_bury_carbon_protected_more_and_reclaimed_ones_lose_it():
    land, params = _row(soc=50.0)
    sites = np.zeros((1, 8), bool)
    sites[0, [4, 5, 7]] = True  # a reclaimed site (cropland), an open one, a protected one
    protected = np.zeros((1, 8), bool)
    protected[0, 7] = True
    land["wetland"], land["wetland_protected"] = sites, protected
    process = SoilCarbon(params)
    process._last = process._state(land)
    process.run_one_year(land, np.random.default_rng(0))
    soc = land["soil_carbon_tC_ha"][0]
    assert soc[7] == pytest.approx(51.0)  # + 1 tC/ha/yr protected
    assert soc[5] == pytest.approx(50.5)  # × 0.5 unprotected
    assert soc[4] == pytest.approx(50 + (0.69 * 67.2 - 50) / 20)  # drained: the cropland rule
    # MtCO₂ = tC/ha × 100 ha × 44/12 / 10⁶
    wetland_tC = (1.0 + 0.5 + (0.69 * 67.2 - 50) / 20) * 100
    assert process.sinks_MtCO2["wetland"] == pytest.approx(wetland_tC * 44 / 12 / 1e6)


def test_grassland_biomass_follows_cover_over_its_natural_target():
    land, params = _row()
    natural = 0.60 * (1 - params["rock_cover_penalty"] * 0.2)  # 0.564
    biomass = grassland_biomass_tC_ha(land, params)[0]
    assert biomass[1] == pytest.approx(3.0 * 0.5 / natural)
    assert biomass[0] == biomass[4] == 0.0  # not grass


# --- each mechanism on a small grid ------------------------------------------------------------
def test_afforestation_and_grassland_restoration_raise_soil_and_grassland_carbon():
    none = _run(afforestation_ha_per_year=0, grassland_restoration_ha_per_year=0)
    planted = _run(afforestation_ha_per_year=400_000, grassland_restoration_ha_per_year=0)
    restored = _run(afforestation_ha_per_year=0, grassland_restoration_ha_per_year=150_000)
    assert planted.soil_carbon_MtC.iloc[-1] > none.soil_carbon_MtC.iloc[-1]
    assert planted.ecosystem_sink_MtCO2.iloc[-1] > none.ecosystem_sink_MtCO2.iloc[-1]
    assert restored.grassland_carbon_sink_MtCO2.sum() > none.grassland_carbon_sink_MtCO2.sum()
    assert restored.soil_carbon_MtC.iloc[-1] > none.soil_carbon_MtC.iloc[-1]


def test_more_erosion_loses_more_soil_carbon():
    low = _run(erosion_base_t_km2_yr=1000.0)
    high = _run(erosion_base_t_km2_yr=7000.0)
    assert high.soil_carbon_MtC.iloc[0] < low.soil_carbon_MtC.iloc[0]  # the steady state too
    rich = _run(soc_enrichment_ratio=3.0)
    base = _run(soc_enrichment_ratio=1.0)
    assert rich.soil_carbon_MtC.iloc[-1] < base.soil_carbon_MtC.iloc[-1]


def test_wetland_protection_raises_the_wetland_sink():
    held = _run(wetland_protection_gain_pp_per_year=0.0)
    gained = _run(wetland_protection_gain_pp_per_year=5.0)
    assert gained.wetland_carbon_sink_MtCO2.iloc[-1] > held.wetland_carbon_sink_MtCO2.iloc[-1]
    assert (held.wetland_carbon_sink_MtCO2.iloc[1:] > 0).all()
    none = _run(wetland_share=0.0)
    assert (none.wetland_carbon_MtC == 0).all() and (none.wetland_carbon_sink_MtCO2 == 0).all()


def test_the_ecosystem_sink_is_the_biomass_sink_plus_soil_and_the_grass_cover():
    results = _run()
    stock = results.ecosystem_carbon_MtC
    assert results.ecosystem_sink_MtCO2.iloc[1:].to_numpy() == pytest.approx(
        np.diff(stock.to_numpy()) * 44 / 12
    )
    soil = results.soil_carbon_MtC.diff().iloc[1:] * 44 / 12
    sinks = results.soil_carbon_sink_MtCO2 + results.wetland_carbon_sink_MtCO2
    assert sinks.iloc[1:].to_numpy() == pytest.approx(soil.to_numpy())
    assert results.ecosystem_carbon_MtC.iloc[0] > results.carbon_stock_MtC.iloc[0]


def test_without_the_soil_carbon_sub_model_nothing_else_changes(monkeypatch):
    on = _run()
    monkeypatch.setattr(SoilCarbon, "run_one_year", lambda self, land, rng: None)
    monkeypatch.setattr(
        SoilCarbon,
        "initialise",
        lambda self, land: land.__setitem__("soil_carbon_tC_ha", np.zeros(land.shape)),
    )
    absent = _run()
    # the GEP's carbon sequestration counts soil carbon too (issue 28): it and the totals
    # holding it change with the sub-model, nothing else does
    _same_except(on, absent, [*SINK_COLUMNS, *GEP_CARBON_COLUMNS])


# --- traded forest carbon -----------------------------------------------------------------------
def test_credits_pay_holders_their_share_of_the_net_price_and_count_each_tonne_once():
    model = KarstModel("plan14", rng=3, grid="30x30", carbon_credit_issuance_share=0.5)
    model.run_to_year(2024)
    land, households = model.landscape, model.households
    credits = CarbonCredits(model.params, model.start_year)
    cells = credits.eligible(land, model.year)
    assert cells.size > 0
    assert (land["treatment_yr"].ravel()[cells] <= model.year - 2020).all()
    growth = np.zeros(land.shape)
    growth.flat[cells] = 1.0  # 1 tC/ha on every eligible cell: 100 ha × 44/12 tCO₂ a cell
    households.carbon_project_share[:] = 0.0
    households.single_tree_share[:] = 0.0
    payment = credits.trade(land, growth, households, model.year)
    p = model.params
    issued_t = 0.5 * cells.size * 100 * 44 / 12
    assert credits.indicators["carbon_credits_MtCO2"] == pytest.approx(issued_t / 1e6)
    per_t = (p["forest_carbon_price_yuan_tCO2"] - p["carbon_credit_cost_yuan_tCO2"]) * p[
        "carbon_project_household_share"
    ]  # (60 − 15) × 0.6 = 27 yuan/tCO₂ to the holder
    to_holders = payment.sum() + credits.indicators["carbon_credit_collective_Myuan"] * 1e6
    assert to_holders == pytest.approx(issued_t * per_t)
    households.carbon_project_share[:] = 1.0  # every household sells its own: none issued
    credits.trade(land, growth, households, model.year)
    held = land["owner"].ravel()[cells] >= 0
    issued_again = 0.5 * (~held).sum() * 100 * 44 / 12
    assert credits.indicators["carbon_credit_collective_Myuan"] * 1e6 == pytest.approx(
        issued_again * per_t
    )


def test_issuing_credits_pays_households_and_collectives_and_changes_no_land():
    off = _run()
    on = _run(carbon_credit_issuance_share=0.8)
    assert on.carbon_credits_MtCO2.iloc[-1] > off.carbon_credits_MtCO2.iloc[-1]
    assert on.carbon_credit_revenue_Myuan.sum() > off.carbon_credit_revenue_Myuan.sum()
    assert on.carbon_credit_households_Myuan.sum() > off.carbon_credit_households_Myuan.sum()
    assert on.carbon_credit_collective_Myuan.sum() > 0 == off.carbon_credit_collective_Myuan.sum()
    assert on.household_income_mean_yuan.iloc[-1] > off.household_income_mean_yuan.iloc[-1]
    _same_except(off, on, CREDIT_COLUMNS + INCOME_COLUMNS)


def test_with_no_credits_issued_nothing_else_changes(monkeypatch):
    off = _run(carbon_credit_issuance_share=0.0)
    monkeypatch.setattr(
        CarbonCredits, "trade", lambda self, land, growth, households, year: np.zeros(households.n)
    )
    absent = _run(carbon_credit_issuance_share=0.0)
    _same_except(off, absent, CREDIT_COLUMNS)


def test_scenarios_set_the_credit_lever_and_carbon_market_sells_more():
    plan = scenario_module.load("plan14").parameters
    none = scenario_module.load("no_new_policy").parameters
    market = scenario_module.load("carbon_market").parameters
    assert plan["carbon_credit_issuance_share"] == 0 == none["carbon_credit_issuance_share"]
    assert market["carbon_credit_issuance_share"] > 0
    base = _run("plan14", grid="30x30")
    sold = _run("carbon_market", grid="30x30")
    assert sold.carbon_credits_MtCO2.iloc[-1] > base.carbon_credits_MtCO2.iloc[-1]
    assert sold.carbon_credit_collective_Myuan.iloc[-1] > 0


def test_single_tree_income_target_is_in_the_summary():
    model = KarstModel("plan14", rng=3, grid="30x30")
    model.run_to_year(2025)
    row = evaluate(model.results(), model.area_scale)["single_tree_income_1000"]
    assert row["threshold"] == 1000.0 and row["deadline"] == 2025
    assert row["met_by_deadline"]  # 450 trees × 3 yuan = 1 350 yuan a household
    ended = KarstModel("no_new_policy", rng=3, grid="30x30")
    ended.run_to_year(2025)
    row = evaluate(ended.results(), ended.area_scale)["single_tree_income_1000"]
    assert row["first_met"] == 2020 and not row["met_by_deadline"]  # the scheme ended


def test_desertification_treatment_and_grazing_bans_raise_soil_carbon():
    """Enclosure and planting on desertified land: less grazing, less bare rock, lower
    severity, so more soil organic carbon than without the programme."""
    none = _run(treatment_ha_per_year=0, grazing_ban_severe=False)
    treated = _run(treatment_ha_per_year=400_000, grazing_ban_severe=True)
    assert treated.soil_carbon_MtC.iloc[-1] > none.soil_carbon_MtC.iloc[-1]
    assert treated.soil_carbon_sink_MtCO2.sum() > none.soil_carbon_sink_MtCO2.sum()
