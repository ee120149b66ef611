"""Issue 13, the plan's missing levers: each moves the outputs it should, in the right
direction, on a small grid; with the lever off nothing else changes; plan14 sets it at the
plan's figure and no_new_policy switches it off."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from karstsim import KarstModel
from karstsim.agents.mines import MinePopulation
from karstsim.experiments.targets import evaluate
from karstsim.model import karst_model
from karstsim.model import scenario as scenario_module
from karstsim.model.layers import LandCover
from karstsim.model.parameters import PARAMETERS
from karstsim.model.processes.grassland import GrasslandRestoration, Livestock
from karstsim.model.processes.relocation import Relocation
from karstsim.model.processes.wetland import Wetlands
from karstsim.model.processes.zoning import Zoning, habitat_value

GRID = "60x60"


def _run(scenario="plan14", year=2027, grid=GRID, seed=3, **levers) -> pd.DataFrame:
    model = KarstModel(scenario, rng=seed, grid=grid, **levers)
    model.run_to_year(year)
    return model.results().set_index("year")


def _same_except(a: pd.DataFrame, b: pd.DataFrame, columns: list[str]) -> None:
    """``a`` and ``b`` are equal in every column but ``columns``."""
    keep = [c for c in a.columns if c not in columns]
    pd.testing.assert_frame_equal(a[keep], b[keep])


# --- (a) item 9: mines as the plan counts them ------------------------------------------------
def test_legacy_restoration_is_reported_apart_from_owners_restoration():
    busy = _run(legacy_restoration_ha_per_year=20_000, mine_closure_rate=0.2)
    idle = _run(legacy_restoration_ha_per_year=0, mine_closure_rate=0.2)
    total = busy.legacy_mine_restored_ha_cum + busy.closed_mine_restored_ha_cum
    assert (total - busy.mine_restored_ha_cum).abs().max() < 1e-9
    assert busy.legacy_mine_restored_ha_cum.iloc[-1] > 0
    assert busy.closed_mine_restored_ha_cum.iloc[-1] > 0
    assert (idle.legacy_mine_restored_ha_cum == 0).all()
    assert (idle.closed_mine_restored_ha_cum == idle.mine_restored_ha_cum).all()
    assert busy.spend_mines_Myuan.sum() > 0 == idle.spend_mines_Myuan.sum()


def test_green_renewals_raise_the_green_share_and_close_the_mines_that_fail():
    rule = _run(renewed_mines_green=True, mine_licence_years=5)
    loose = _run(renewed_mines_green=False, mine_licence_years=5)
    assert rule.green_mine_share.iloc[-1] > loose.green_mine_share.iloc[-1]
    assert rule.mine_renewal_exits.sum() > 0 == loose.mine_renewal_exits.sum()
    assert rule.mines_active.iloc[-1] < loose.mines_active.iloc[-1]
    assert rule.green_upgrade_spend_Myuan.sum() > loose.green_upgrade_spend_Myuan.sum()
    assert rule.closed_mine_restored_ha_cum.iloc[-1] > loose.closed_mine_restored_ha_cum.iloc[-1]
    # every renewing brown mine that does not exit is upgraded: all exit, none is upgraded
    everyone_exits = _run(renewed_mines_green=True, mine_licence_years=5, renewal_exit_share=1.0)
    assert everyone_exits.mine_renewal_exits.sum() > rule.mine_renewal_exits.sum()


def test_without_the_renewal_rule_nothing_but_the_renewal_count_changes(monkeypatch):
    off = _run(renewed_mines_green=False)

    def no_renewals(self, year, streams, changed):
        self.renewed, self.renewal_exits = 0, 0
        return 0

    monkeypatch.setattr(MinePopulation, "_renew_licences", no_renewals)
    absent = _run(renewed_mines_green=False)
    _same_except(off, absent, ["mines_renewed"])


def test_mine_targets_are_in_the_summary_rows():
    model = KarstModel("plan14", rng=3, grid=GRID)
    model.run_to_year(2026)
    report = evaluate(model.results(), model.area_scale)
    assert report["legacy_mines_1000"]["threshold"] == pytest.approx(1000 * model.area_scale)
    assert report["green_mines_28"]["met_by_deadline"]


def test_plan14_sets_the_mine_rules_and_no_new_policy_switches_them_off():
    plan = scenario_module.load("plan14").parameters
    none = scenario_module.load("no_new_policy").parameters
    assert plan["renewed_mines_green"] is True and none["renewed_mines_green"] is False
    assert plan["legacy_restoration_ha_per_year"] * 5 == 1000  # 到 2025 年 … 1000 公顷
    assert plan["green_mine_share_target"] == 0.28


# --- (b) item 3: ecological red line and protected areas --------------------------------------
ZONES = {"red_line_share": 0.2606, "protected_area_share": 0.0684}
NO_ZONES = {"red_line_share": 0.0, "protected_area_share": 0.0}


def _model(year=2026, **levers) -> KarstModel:
    model = KarstModel("plan14", rng=3, grid=GRID, **levers)
    model.run_to_year(year)
    return model


def test_zones_are_laid_at_the_plans_shares_on_the_most_valuable_habitat():
    model = KarstModel("plan14", rng=3, grid=GRID, **ZONES)
    land = model.landscape
    red, protected = land["red_line"], land["protected_area"]
    row = model.results().iloc[0]
    assert row.red_line_pct == pytest.approx(26.06, abs=100 / land.land_cells)
    assert row.protected_area_pct == pytest.approx(6.84, abs=100 / land.land_cells)
    assert row.red_line_pct >= 26.06 and row.protected_area_pct >= 6.84
    assert not (protected & ~red).any()  # protected areas lie inside the red line
    value = habitat_value(land, model.params)
    assert value[red].mean() > value[land.land & ~red].mean()
    assert value[protected].mean() >= value[red & ~protected].mean()
    # habitat is over-represented in the zones
    assert row.red_line_habitat_pct > row.red_line_pct
    assert not (red & (land["land_cover"] == LandCover.BUILT)).any()
    report = evaluate(model.results(), model.area_scale)
    assert report["red_line_2606"]["first_met"] == 2020
    assert report["protected_areas_684"]["first_met"] == 2020


def test_no_new_mines_open_in_the_red_line():
    model = _model(new_mines_per_year=400, **ZONES)
    mines = model.mines
    first_new = round(model.params["mines"] * model.area_scale)
    new_cells = mines.cell[first_new:]
    assert new_cells.size > 0
    assert not model.landscape["red_line"].ravel()[new_cells].any()


def test_protected_areas_are_closed_to_grazing_and_the_red_line_if_banned():
    def grazed_in(model, zone):
        land = model.landscape
        return int((land["grazed"] & land[zone]).sum())

    def closed_in(model, zone):
        land = model.landscape
        return bool((land["protected"] | ~land[zone]).all())

    plain = _model(**ZONES)
    banned = _model(red_line_grazing_ban=True, **ZONES)
    assert closed_in(plain, "protected_area") and not closed_in(plain, "red_line")
    assert closed_in(banned, "red_line")
    assert grazed_in(banned, "red_line") < grazed_in(plain, "red_line")
    assert banned.results().zone_violations_attempted.sum() > 0


def test_monitoring_catches_more_illegal_acts_in_the_red_line():
    blind = _run(zone_monitoring_detection=0.0, red_line_grazing_ban=True, **ZONES)
    watched = _run(zone_monitoring_detection=1.0, red_line_grazing_ban=True, **ZONES)
    assert watched.zone_violations_attempted.sum() > 0
    assert (watched.zone_violations_detected == watched.zone_violations_attempted).all()
    ratio = lambda r: r.zone_violations_detected.sum() / r.zone_violations_attempted.sum()  # noqa: E731
    assert ratio(watched) > ratio(blind)


def test_extending_the_zones_grows_them_and_the_habitat_inside():
    fixed = _run(**ZONES)
    grown = _run(
        red_line_expansion_pp_per_year=1.0, protected_area_expansion_pp_per_year=0.5, **ZONES
    )
    years = grown.index.max() - 2020
    assert grown.red_line_pct.iloc[-1] == pytest.approx(26.06 + years, abs=0.1)
    assert grown.protected_area_pct.iloc[-1] == pytest.approx(6.84 + 0.5 * years, abs=0.1)
    assert grown.red_line_habitat_pct.iloc[-1] > fixed.red_line_habitat_pct.iloc[-1]
    assert grown.spend_zoning_Myuan.iloc[-1] > fixed.spend_zoning_Myuan.iloc[-1]


def test_zoning_cost_is_the_protected_area_times_its_unit_cost():
    model = _model(**ZONES)
    land = model.landscape
    ha = land["protected_area"].sum() * land.cell_area_ha
    expected = ha * model.params["zone_management_cost_yuan_ha"] / 1e6
    assert model.results().spend_zoning_Myuan.iloc[-1] == pytest.approx(expected)


def test_without_zones_nothing_else_changes(monkeypatch):
    zone_columns = [
        "red_line_pct",
        "protected_area_pct",
        "red_line_habitat_pct",
        "protected_area_habitat_pct",
    ]
    off = _run(red_line_grazing_ban=True, **NO_ZONES)
    assert (
        (off[[*zone_columns, "zone_violations_attempted", "spend_zoning_Myuan"]] == 0).all().all()
    )
    # the same run with no zoning at all: no zone layers, no zoning process
    monkeypatch.setattr(Zoning, "designate", lambda self, land, keys: None)
    monkeypatch.setattr(Zoning, "run_one_year", lambda self, land, rng: None)
    monkeypatch.setattr(
        karst_model, "zone_indicators", lambda land, habitat: dict.fromkeys(zone_columns, 0.0)
    )
    absent = _run(red_line_grazing_ban=True, **NO_ZONES)
    _same_except(off, absent, [])


def test_plan14_lays_the_zones_and_no_new_policy_has_none():
    plan = scenario_module.load("plan14").parameters
    none = scenario_module.load("no_new_policy").parameters
    assert plan["red_line_share"] == 0.2606 and plan["protected_area_share"] == 0.0684
    assert none["red_line_share"] == 0 == none["protected_area_share"]
    grown = scenario_module.load("red_line_expansion").parameters
    assert grown["red_line_expansion_pp_per_year"] > 0 and grown["red_line_grazing_ban"]


def test_red_line_monitoring_and_cropland_priority_by_hand():
    """The 1×6 strip of test_government: cells 0 and 4 in the red line, monitoring 0.5.
    Grazing on 0 with draw 0.6: the rangers' 0.5 misses it, 1 − 0.5 × 0.5 = 0.75 catches it;
    the quota's one place goes to cell 4 (red line) though cell 5's utility is higher."""
    from karstsim.model.resolution import LandUseResolution
    from tests.conftest import blank_landscape
    from tests.test_government import FixedDraws, lever_values, proposals

    p = lever_values(zone_monitoring_detection=0.5)
    cover = np.array([[LandCover.GRASS, LandCover.FOREST, LandCover.FOREST, LandCover.CROPLAND,
                       LandCover.CROPLAND, LandCover.CROPLAND]])  # fmt: skip
    red = np.array([[True, False, False, False, True, False]])
    outcome = {}
    for name, zone in (("inside", red), ("none", np.zeros_like(red))):
        land = blank_landscape(
            (1, 6),
            land_cover=cover,
            detection_prob=np.array([[0.5, 0.5, 0.2, 0.0, 0.0, 0.0]]),
            owner=np.array([[0, 1, -1, 0, 1, 1]]),
            red_line=zone,
        )
        offer = proposals(illegal_grazing=[0], gfg_offers=[4, 5], gfg_utility=[1.0, 2.0])
        rng = FixedDraws([0.6, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0] * 6)
        outcome[name] = LandUseResolution(p).resolve(land, offer, 1, 2, 2022, rng)
    inside, none = outcome["inside"], outcome["none"]
    assert list(inside.caught) == [True] and list(none.caught) == [False]
    assert inside.events(1.0)["zone_violations_detected"] == 1.0
    assert none.events(1.0)["zone_violations_attempted"] == 0.0
    assert list(inside.gfg_accepted) == [4] and list(none.gfg_accepted) == [5]


# --- (c) item 4: grassland and livestock -------------------------------------------------------
HERDS = {
    "livestock_herds": True,
    "cattle_offtake_target": 2_300_000,
    "sheep_offtake_target": 3_500_000,
}
LIVESTOCK_COLUMNS = [
    "cattle_offtake_head",
    "sheep_offtake_head",
    "livestock_sheep_units",
    "stocking_ratio",
    "grass_livestock_balance_pct",
    "grassland_cover_pct",
    "degraded_grassland_restored_ha_cum",
    "fodder_bought_Myuan",
    "spend_grassland_Myuan",
]


def test_herds_grow_to_the_plans_offtake_by_2025_and_stay_without_the_lever():
    model = _model(year=2026, **HERDS)
    table = model.results().set_index("year")
    scale = model.area_scale
    assert table.loc[2025, "cattle_offtake_head"] == pytest.approx(2_300_000 * scale)
    assert table.loc[2026, "sheep_offtake_head"] == pytest.approx(3_500_000 * scale)
    assert table.loc[2020, "cattle_offtake_head"] == pytest.approx(1_700_000 * scale)
    report = evaluate(model.results(), scale)
    assert report["cattle_offtake_230"]["met_by_deadline"]
    held = _run(livestock_herds=False)
    assert held.cattle_offtake_head.nunique() == 1 and held.fodder_bought_Myuan.max() == 0


def test_bigger_herds_overstock_the_grass():
    held = _run(livestock_herds=False)
    grown = _run(**HERDS)
    assert grown.stocking_ratio.iloc[-1] > held.stocking_ratio.iloc[-1]
    assert grown.grass_livestock_balance_pct.iloc[-1] < held.grass_livestock_balance_pct.iloc[-1]
    assert grown.fodder_bought_Myuan.iloc[-1] > 0
    assert grown.violations_attempted.sum() > held.violations_attempted.sum()


def test_grazing_bans_and_herd_growth_pull_against_each_other():
    """The plan's tension: closing the red line to grazing leaves less grass for the herds,
    so stocking, bought forage and illegal grazing rise."""
    open_red_line = _run(**HERDS, **ZONES)
    closed_red_line = _run(**HERDS, **ZONES, red_line_grazing_ban=True)
    assert (closed_red_line.stocking_ratio > open_red_line.stocking_ratio).all()
    assert closed_red_line.fodder_bought_Myuan.sum() > open_red_line.fodder_bought_Myuan.sum()
    assert closed_red_line.violations_attempted.sum() > open_red_line.violations_attempted.sum()
    # and the herds' growth alone, with the bans fixed, lowers the balance rate
    held = _run(**ZONES, red_line_grazing_ban=True, livestock_herds=False)
    assert (
        closed_red_line.grass_livestock_balance_pct.iloc[1:].mean()
        < held.grass_livestock_balance_pct.iloc[1:].mean()
    )


def test_restoring_degraded_grassland_counts_costs_and_raises_its_cover():
    # on the county map to 2025: grassland is 1.07 % of the land, a cell is restored once and
    # afforestation plants grassland too, so later years find none left
    none = _run(grid="county", year=2025, grassland_restoration_ha_per_year=0)
    some = _run(grid="county", year=2025, grassland_restoration_ha_per_year=2_000)
    cell_ha = 100.0
    years = some.index.max() - 2020
    expected = (2_000 * KarstModel("plan14", rng=3, grid="county").area_scale) * years
    assert some.degraded_grassland_restored_ha_cum.iloc[-1] == pytest.approx(expected, abs=cell_ha)
    assert (
        none.degraded_grassland_restored_ha_cum == 0
    ).all() and none.spend_grassland_Myuan.max() == 0
    spent = some.spend_grassland_Myuan.sum() * 1e6
    cost = PARAMETERS["grass_planting_cost_yuan_ha"].default
    assert spent == pytest.approx(some.degraded_grassland_restored_ha_cum.iloc[-1] * cost)
    assert some.grassland_cover_pct.iloc[-1] > none.grassland_cover_pct.iloc[-1]


def test_without_herds_or_restoration_nothing_else_changes(monkeypatch):
    off = _run(livestock_herds=False, grassland_restoration_ha_per_year=0)

    def measure(self, land, households, year, effects=True):
        self.indicators = dict.fromkeys(
            [
                c
                for c in LIVESTOCK_COLUMNS
                if c not in ("degraded_grassland_restored_ha_cum", "spend_grassland_Myuan")
            ],
            0.0,
        )

    monkeypatch.setattr(Livestock, "measure", measure)
    monkeypatch.setattr(GrasslandRestoration, "run_one_year", lambda self, land, rng: None)
    absent = _run(livestock_herds=False, grassland_restoration_ha_per_year=0)
    _same_except(off, absent, LIVESTOCK_COLUMNS)


def test_plan14_expands_herds_and_restores_grassland_and_no_new_policy_does_not():
    plan = scenario_module.load("plan14").parameters
    none = scenario_module.load("no_new_policy").parameters
    assert plan["livestock_herds"] and not none["livestock_herds"]
    assert plan["cattle_offtake_target"] == 2_300_000 and plan["sheep_offtake_target"] == 3_500_000
    assert plan["grassland_restoration_ha_per_year"] * 5 == pytest.approx(1_000_000 / 15, rel=1e-3)
    assert none["grassland_restoration_ha_per_year"] == 0
    bans = scenario_module.load("livestock_vs_bans").parameters
    assert bans["livestock_herds"] and bans["red_line_grazing_ban"]


# --- (d) item 5: wetlands -------------------------------------------------------------------
WETLAND = {"wetland_share": 0.0119}
WETLAND_COLUMNS = [
    "wetland_km2",
    "wetland_protection_pct",
    "wetland_reclaimed_ha_cum",
    "wetland_restored_ha_cum",
    "spend_wetland_Myuan",
]


def test_wetland_sites_and_their_protection_start_at_the_plans_2020_rate():
    model = KarstModel("plan14", rng=3, grid=GRID, **WETLAND, **ZONES)
    land = model.landscape
    sites = land["wetland"]
    assert sites.sum() == np.ceil(0.0119 * land.land_cells)
    water = land.land & (land["land_cover"] == LandCover.WATER)
    assert sites[water].all() or not (sites & ~water).any()  # water first
    row = model.results().iloc[0]
    assert row.wetland_protection_pct >= 51.5
    assert row.wetland_protection_pct < 51.5 + 100 / sites.sum() + 1e-9
    # protected wetland is closed to grazing
    assert land["protected"][land["wetland_protected"]].all()


def test_protection_gain_reaches_55_percent_by_2025_and_stops_reclamation():
    plan = _run(wetland_protection_gain_pp_per_year=0.7, **WETLAND)
    assert plan.loc[2025, "wetland_protection_pct"] >= 55.0
    none = _run(wetland_protection_gain_pp_per_year=0, wetland_reclamation_rate=0.05, **WETLAND)
    gain = _run(wetland_protection_gain_pp_per_year=10, wetland_reclamation_rate=0.05, **WETLAND)
    assert gain.wetland_reclaimed_ha_cum.iloc[-1] < none.wetland_reclaimed_ha_cum.iloc[-1]
    assert gain.wetland_km2.iloc[-1] > none.wetland_km2.iloc[-1]
    model = _model(year=2026, wetland_protection_gain_pp_per_year=0.7, **WETLAND)
    assert evaluate(model.results(), model.area_scale)["wetland_protection_55"]["met_by_deadline"]


def test_restoring_wetland_turns_reclaimed_sites_back_to_water_at_its_cost():
    kw = {"wetland_reclamation_rate": 0.1, "wetland_protection_gain_pp_per_year": 0, **WETLAND}
    none = _run(wetland_restoration_ha_per_year=0, **kw)
    some = _run(wetland_restoration_ha_per_year=20_000, **kw)
    assert some.wetland_restored_ha_cum.iloc[-1] > 0 == none.wetland_restored_ha_cum.iloc[-1]
    assert some.wetland_km2.iloc[-1] > none.wetland_km2.iloc[-1]
    cost = PARAMETERS["wetland_restoration_cost_yuan_ha"].default
    assert some.spend_wetland_Myuan.sum() * 1e6 == pytest.approx(
        some.wetland_restored_ha_cum.iloc[-1] * cost
    )


def test_without_wetland_sites_nothing_else_changes(monkeypatch):
    off = _run(wetland_share=0.0, wetland_protection_gain_pp_per_year=0.7)
    assert (off[WETLAND_COLUMNS] == 0).all().all()
    monkeypatch.setattr(Wetlands, "designate", lambda self, land: None)
    monkeypatch.setattr(Wetlands, "run_one_year", lambda self, land, rng: None)
    absent = _run(wetland_share=0.0, wetland_protection_gain_pp_per_year=0.7)
    _same_except(off, absent, [])


def test_plan14_raises_wetland_protection_and_no_new_policy_does_not():
    plan = scenario_module.load("plan14").parameters
    none = scenario_module.load("no_new_policy").parameters
    assert plan["wetland_share"] == none["wetland_share"] > 0
    assert plan["wetland_protection_gain_pp_per_year"] * 5 == pytest.approx(55 - 51.5)
    assert none["wetland_protection_gain_pp_per_year"] == 0


# --- (e) item 7: relocation out of fragile land -------------------------------------------------
def test_relocated_households_leave_their_land_and_work_off_farm():
    model = _model(year=2024, relocation_people_per_year=300_000)
    hh, land = model.households, model.landscape
    moved = np.flatnonzero(hh.relocated)
    assert moved.size > 0
    assert not np.isin(land["owner"], moved).any()  # their plots are collective now
    assert (hh.offfarm_share[moved] == 1.0).all()
    assert (hh.income["crops"][moved] == 0).all() and (hh.income["livestock"][moved] == 0).all()
    table = model.results()
    people = table.relocated_people_cum.iloc[-1]
    expected = 300_000 * model.area_scale * (model.year - 2020)
    assert people == pytest.approx(expected, rel=0.1)
    # the most fragile villages go first
    fragility = model.relocation.village_fragility(land)
    assert fragility[hh.village[moved]].mean() > fragility[hh.village[~hh.relocated]].mean()


def test_relocation_with_planting_raises_forest_cover_and_costs_what_it_moves():
    idle = _run(relocation_people_per_year=300_000, relocation_plots_afforested=False)
    planted = _run(relocation_people_per_year=300_000, relocation_plots_afforested=True)
    none = _run(relocation_people_per_year=0)
    assert planted.forest_cover_pct.iloc[-1] > none.forest_cover_pct.iloc[-1]
    assert idle.cropland_pct.iloc[-1] < none.cropland_pct.iloc[-1]
    assert (none.spend_relocation_Myuan == 0).all() and (none.relocated_people_cum == 0).all()
    cost = PARAMETERS["relocation_cost_yuan_pc"].default
    assert idle.spend_relocation_Myuan.sum() * 1e6 == pytest.approx(
        idle.relocated_people_cum.iloc[-1] * cost
    )
    assert planted.spend_relocation_Myuan.sum() > idle.spend_relocation_Myuan.sum()


def test_without_relocation_nothing_else_changes(monkeypatch):
    off = _run(relocation_people_per_year=0)
    monkeypatch.setattr(Relocation, "run_one_year", lambda self, land, rng: None)
    absent = _run(relocation_people_per_year=0)
    _same_except(off, absent, [])


def test_plan14_relocates_no_one_and_the_scenario_at_the_13th_plans_pace():
    assert scenario_module.load("plan14").parameters["relocation_people_per_year"] == 0
    assert scenario_module.load("no_new_policy").parameters["relocation_people_per_year"] == 0
    pace = scenario_module.load("relocation_fragile_land").parameters
    assert pace["relocation_people_per_year"] * 5 == 1_920_000  # 192 万人 in 2016–20
