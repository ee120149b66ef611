"""The scenario library: every shipped scenario is complete, bilingual and runs."""

from __future__ import annotations

import pytest

from karstsim import KarstModel
from karstsim.model.parameters import PARAMETERS
from karstsim.model.scenario import load, shipped_names

LIBRARY = {
    "plan14",
    "no_new_policy",
    "hindcast13",
    "carbon_market",
    "strict_enclosure",
    "budget_shift",
    "mining_pressure",
    "fast_track_64",
}


def test_the_library_is_shipped():
    assert set(shipped_names()) >= LIBRARY


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_each_scenario_explains_itself_in_both_languages(name):
    scenario = load(name)
    for key in ("title", "description", "question"):
        for language in ("en", "zh"):
            assert scenario.texts.get(f"{key}_{language}"), (name, key, language)
    assert set(scenario.parameters) <= set(PARAMETERS)


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_each_scenario_runs(name):
    scenario = load(name)
    model = KarstModel(name, rng=0, grid="30x30")
    model.run_to_year(scenario.start_year + 2)
    assert len(model.results()) == 3


def test_hindcast_shares_the_fitted_planting_rate_with_the_start_states():
    hindcast = load("hindcast13").parameters
    assert (
        hindcast["afforestation_ha_per_year"]
        == PARAMETERS["young_afforestation_ha_per_year"].default
    )
    assert (
        hindcast["young_afforestation_ha_per_year"]
        == PARAMETERS["young_afforestation_ha_per_year"].default
    )


def test_scenarios_change_what_they_say_they_change():
    def final(name, **kw):
        model = KarstModel(name, rng=1, grid="county", **kw)
        model.run_to_year(2026)
        return model.results().iloc[-1]

    plan = final("plan14")
    assert final("carbon_market").carbon_revenue_Myuan > plan.carbon_revenue_Myuan
    assert final("mining_pressure").mine_area_ha > plan.mine_area_ha
    shift = final("budget_shift")
    assert shift.rangers < plan.rangers
    assert shift.treated_km2_cum > plan.treated_km2_cum
    wider = final("red_line_expansion")
    assert wider.red_line_pct > plan.red_line_pct
    assert wider.red_line_habitat_pct > plan.red_line_habitat_pct
    bans = final("livestock_vs_bans")
    assert bans.stocking_ratio > plan.stocking_ratio
    assert bans.fodder_bought_Myuan > plan.fodder_bought_Myuan
    moved = final("relocation_fragile_land")
    assert moved.relocated_people_cum > 0 == plan.relocated_people_cum
