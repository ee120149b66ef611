"""Ecological compensation (issue 13, item 8): the Chishui fund and the horizontal
compensation between a basin's upstream and downstream units, worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from karstsim import KarstModel
from karstsim.model.compensation import CHISHUI, FLOWS, EcoCompensation
from karstsim.model.layers import LandCover
from tests.conftest import blank_landscape

# one row of 4 forest cells of 1 km² (100 ha) in the Chishui basin: the two high cells
# (1000, 900 m; median 550 m) are the upstream unit, owned by household agent 0; the two
# low ones the downstream unit, owned by agent 1; each loses 100 t/km² in the start year
BASIN = np.full(4, CHISHUI)


def _land():
    return blank_landscape(
        shape=(1, 4),
        land_cover=LandCover.FOREST,
        elevation_m=[[1000.0, 900.0, 200.0, 100.0]],
        erosion_t_km2=100.0,
        owner=[[0, 0, 1, 1]],
    )


def _params(params, **levers):
    return {
        **params,
        "horizontal_compensation_yuan_ha": 75.0,
        "chishui_fund_Myuan": 0.0,
        "compensation_household_share": 0.5,
        **levers,
    }


def test_units_split_the_basin_at_its_median_elevation(params):
    scheme = EcoCompensation(_params(params), 1.0, _land(), BASIN)
    units = np.unique(scheme.unit)
    assert scheme.upstream[units].tolist() == [False, True]
    assert scheme.unit[0] == scheme.unit[1] != scheme.unit[2] == scheme.unit[3]


def test_downstream_pays_an_upstream_unit_that_holds_its_water_and_forest(params):
    land = _land()
    scheme = EcoCompensation(_params(params), 1.0, land, BASIN)
    households = scheme.pay(land, 2)
    # 200 ha of upstream forest × 75 yuan = 15 000 yuan, half to the owner of that forest
    assert scheme.flows["eco_comp_horizontal_Myuan"] == pytest.approx(0.015)
    assert scheme.flows["eco_comp_penalty_Myuan"] == 0.0
    assert households.tolist() == pytest.approx([7500.0, 0.0])
    assert scheme.flows["eco_comp_to_counties_Myuan"] == pytest.approx(0.0075)
    assert scheme.flows["eco_comp_paid_by_counties_Myuan"] == pytest.approx(0.015)
    assert scheme.flows["eco_comp_upstream_met_pct"] == 100.0


def test_an_upstream_unit_whose_sediment_rises_pays_downstream(params):
    land = _land()
    scheme = EcoCompensation(_params(params), 1.0, land, BASIN)
    land["erosion_t_km2"][0, 0] = 150.0  # upstream sediment 250 t > 200 t in the start year
    households = scheme.pay(land, 2)
    assert scheme.flows["eco_comp_horizontal_Myuan"] == 0.0
    assert scheme.flows["eco_comp_penalty_Myuan"] == pytest.approx(0.015)
    assert households.tolist() == pytest.approx([0.0, 7500.0])  # downstream owners receive
    assert scheme.flows["eco_comp_upstream_met_pct"] == 0.0


def test_an_upstream_unit_that_loses_forest_pays_downstream(params):
    land = _land()
    scheme = EcoCompensation(_params(params), 1.0, land, BASIN)
    land["land_cover"][0, 1] = LandCover.CROPLAND
    scheme.pay(land, 2)
    # the remaining 100 ha of upstream forest is what the penalty is counted on
    assert scheme.flows["eco_comp_penalty_Myuan"] == pytest.approx(0.0075)


def test_the_chishui_fund_pays_guizhou_four_tenths_if_its_basin_holds(params):
    land = _land()
    fund = _params(params, horizontal_compensation_yuan_ha=0.0, chishui_fund_Myuan=1.0)
    scheme = EcoCompensation(fund, 1.0, land, BASIN)
    households = scheme.pay(land, 2)
    assert scheme.flows["eco_comp_chishui_paid_Myuan"] == pytest.approx(0.5)  # 5 of 1:5:4
    assert scheme.flows["eco_comp_chishui_received_Myuan"] == pytest.approx(0.4)  # 4 of 3:4:3
    # 0.4 M yuan over 400 ha of forest, half of it to the owners: 100 000 yuan each
    assert households.tolist() == pytest.approx([100_000.0, 100_000.0])
    land["erosion_t_km2"][0, 3] = 200.0  # the basin's sediment rises: the share goes to Sichuan
    scheme.pay(land, 2)
    assert scheme.flows["eco_comp_chishui_received_Myuan"] == 0.0
    assert scheme.flows["eco_comp_chishui_met"] == 0.0
    assert scheme.flows["eco_comp_chishui_paid_Myuan"] == pytest.approx(0.5)


def test_at_zero_rates_nothing_is_paid(params):
    land = _land()
    off = _params(params, horizontal_compensation_yuan_ha=0.0, chishui_fund_Myuan=0.0)
    scheme = EcoCompensation(off, 1.0, land, BASIN)
    assert not scheme.pay(land, 2).any()
    money = [k for k in FLOWS if k.endswith("_Myuan")]
    assert all(scheme.flows[k] == 0.0 for k in money)


def _run(**levers):
    model = KarstModel("plan14", rng=4, grid="classroom", **levers)
    model.run_to_year(2025)
    return model.results()


def test_compensation_changes_money_only_and_pays_households():
    paid, unpaid = _run(), _run(chishui_fund_Myuan=0, horizontal_compensation_yuan_ha=0)
    assert paid["eco_comp_to_households_Myuan"].iloc[1:].gt(0).all()
    assert (
        paid["household_income_mean_yuan"].iloc[-1] > unpaid["household_income_mean_yuan"].iloc[-1]
    )
    money = {"household_income_mean_yuan", "income_per_person_yuan", "poverty_share", "income_gini"}
    changed = {
        c
        for c in paid
        if not np.allclose(paid[c], unpaid[c])
        and not c.startswith("eco_comp")
        and c not in money
        and c not in ("spend_compensation_Myuan", "budget_spent_Myuan")
    }
    assert not changed, changed


def test_plan14_runs_compensation_and_no_new_policy_does_not():
    from karstsim.model import scenario

    plan, none = scenario.load("plan14").parameters, scenario.load("no_new_policy").parameters
    assert plan["chishui_fund_Myuan"] == 200 and plan["horizontal_compensation_yuan_ha"] > 0
    assert none["chishui_fund_Myuan"] == 0 and none["horizontal_compensation_yuan_ha"] == 0


def test_receipts_and_payments_by_county_add_up_to_the_province():
    from karstsim.model.regional import RegionalRecorder

    model = KarstModel("plan14", rng=2, grid="Anshun")
    recorder = RegionalRecorder(model, "county")
    model.run_to_year(2022)
    recorder.record()
    rows = recorder.table_frame()
    flows = model.compensation.flows
    for column in ("eco_comp_received_Myuan", "eco_comp_paid_by_counties_Myuan"):
        assert rows[column].sum() == pytest.approx(flows[column])
    assert flows["eco_comp_received_Myuan"] > 0
    assert (rows["eco_comp_received_Myuan"] > 0).sum() < len(rows)  # upstream counties only


def test_the_gep_condition_replaces_sediment_and_forest(params):
    """With ``compensation_gep_condition`` a unit is judged on the value of its soil
    retention and water conservation (issue 28), not on sediment and forest."""
    levers = _params(params, compensation_gep_condition=True)
    # sediment rises upstream (250 t > 200 t): fails the default condition, and with GEP
    # too, since the soil retained falls by the same 50 t
    land = _land()
    land["slope_deg"][:] = 25.0
    land["soil_depth_cm"][:] = 30.0
    scheme = EcoCompensation(levers, 1.0, land, BASIN)
    land["erosion_t_km2"][0, 0] = 150.0
    scheme.pay(land, 2)
    assert scheme.flows["eco_comp_penalty_Myuan"] == pytest.approx(0.015)
    # upstream forest becomes cropland with the same soil loss: both conditions fail (less
    # forest; cropland conserves no water in the account)
    land = _land()
    land["slope_deg"][:] = 25.0
    land["soil_depth_cm"][:] = 30.0
    scheme = EcoCompensation(levers, 1.0, land, BASIN)
    land["land_cover"][0, 1] = LandCover.CROPLAND
    scheme.pay(land, 2)
    assert scheme.flows["eco_comp_penalty_Myuan"] == pytest.approx(0.0075)
    # upstream forest becomes grassland with the same soil loss: forest falls (the default
    # condition fails) but grass evaporates less than forest, so the water balance
    # (P − R − AET) conserves more: GEP holds, downstream pays
    land = _land()
    land["slope_deg"][:] = 25.0
    land["soil_depth_cm"][:] = 30.0
    default = EcoCompensation(_params(params), 1.0, land.copy(), BASIN)
    scheme = EcoCompensation(levers, 1.0, land, BASIN)
    land["land_cover"][0, 1] = LandCover.GRASS
    default.pay(land, 2)
    scheme.pay(land, 2)
    assert default.flows["eco_comp_upstream_met_pct"] == 0.0
    assert scheme.flows["eco_comp_upstream_met_pct"] == 100.0
    assert scheme.flows["eco_comp_horizontal_Myuan"] == pytest.approx(0.0075)
