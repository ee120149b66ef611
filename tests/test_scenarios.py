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
    "record",
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


def test_a_schedule_sets_its_years_only():
    """The record's treatment follows its schedule (640 km² in 2021, 887.83 in 2024) and is
    otherwise plan14's; the land and the draws are the same until the amounts differ."""
    from karstsim import KarstModel

    runs = {}
    for name in ("record", "plan14"):
        model = KarstModel(name, rng=4, grid="province")
        model.run_to_year(2024)
        runs[name] = model.results().set_index("year")
    record, plan = runs["record"], runs["plan14"]
    assert record.loc[2021, "treated_km2"] == pytest.approx(640.0, abs=1.0)
    assert record.loc[2024, "treated_km2"] == pytest.approx(887.83, abs=1.0)
    assert plan.loc[2021, "treated_km2"] == pytest.approx(710.0, abs=1.0)
    assert record.loc[2020].equals(plan.loc[2020])
    assert record.loc[2022, "afforested_km2"] == pytest.approx(477.0, abs=1.0)
    assert plan.loc[2022, "afforested_km2"] == pytest.approx(790.0, abs=1.0)


def test_runs_of_the_experiments_keep_the_schedule():
    """validate, forecast, compare and sweeps build models through RunSpec: the record's
    schedule must survive it (it once did not, and record ran as plan14)."""
    from karstsim.experiments.run import RunSpec, simulate

    model = simulate(RunSpec(scenario="record", grid="classroom", end_year=2021, seed=1))
    treated = model.results().set_index("year").loc[2021, "treated_km2"]
    assert treated == pytest.approx(640.0 * model.area_scale, abs=model.landscape.cell_area_km2)


@pytest.mark.parametrize(
    "table, message",
    [
        ("grazing_pressure = { 2021 = 0.5 }", "cannot change year by year"),
        ("treatment_ha_per_year = 5", "table of year = value"),
        ("treatment_ha_per_year = { 2019 = 5 }", "not a simulated year"),
        ("treatment_ha_per_year = { 2021 = -5 }", "out of range"),
    ],
)
def test_a_bad_schedule_is_refused_in_one_line(table, message):
    from karstsim.model.parameters import ParameterError
    from karstsim.model.scenario import parse

    source = f"[scenario]\nname = 'x'\n[schedule]\n{table}\n"
    with pytest.raises(ParameterError, match=message) as error:
        parse(source, "scenario file x.toml")
    assert "\n" not in str(error.value) and "x.toml" in str(error.value)
