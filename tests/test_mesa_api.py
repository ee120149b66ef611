"""A Mesa user's habits work on KarstModel: time, run_for, run_model, running,
agents_by_type, datacollector; the calendar year follows Mesa's time."""

from __future__ import annotations

import mesa
import pandas as pd
import pytest

from karstsim.agents.households import Household
from karstsim.agents.mines import Mine
from karstsim.agents.rangers import Ranger
from karstsim.model.karst_model import KarstModel


def test_year_is_start_year_plus_mesa_time():
    model = KarstModel("plan14", rng=1, grid="20x20")
    assert (model.time, model.year) == (0, 2020)
    model.step()
    assert (model.time, model.steps, model.year) == (1, 1, 2021)


def test_run_for_counts_years_like_mesa_time():
    model = KarstModel("plan14", rng=1, grid="20x20")
    model.run_for(3)
    assert model.year == 2023
    assert model.time == 3
    assert list(model.results()["year"]) == [2020, 2021, 2022, 2023]


def test_run_to_year_and_run_for_give_the_same_run():
    a = KarstModel("plan14", rng=5, grid="20x20")
    a.run_to_year(2023)
    b = KarstModel("plan14", rng=5, grid="20x20")
    b.run_for(3)
    pd.testing.assert_frame_equal(a.results(), b.results())


def test_run_until_keeps_mesas_meaning():
    """``run_until`` is Mesa's (a time, not a calendar year): not overridden."""
    assert KarstModel.run_until is mesa.Model.run_until
    model = KarstModel("plan14", rng=1, grid="20x20")
    model.run_until(2)
    assert model.year == 2022


def test_run_model_stops_at_the_scenario_end_year():
    model = KarstModel("hindcast13", rng=1, grid="20x20")  # 2016 → 2020
    assert model.running
    model.run_model()
    assert not model.running
    assert model.year == 2020
    assert list(model.results()["year"]) == [2016, 2017, 2018, 2019, 2020]


def test_agents_are_reached_by_type():
    model = KarstModel("plan14", rng=1, grid="30x30")
    model.run_for(1)
    households = model.agents_by_type[Household]
    assert len(households) == model.households.n
    assert len(model.agents_by_type[Mine]) == model.mines.cell.size
    rangers = model.agents_by_type[Ranger]
    assert sum(r.count for r in rangers) == model.rangers.total
    assert model.rangers.agents() == list(rangers)


def test_rangers_let_go_leave_mesas_registry():
    model = KarstModel("plan14", rng=1, grid="30x30")
    before = len(model.agents_by_type[Ranger])
    assert before > 1
    model.rangers.staff(1, model.households)
    assert len(model.agents_by_type[Ranger]) == 1
    assert model.rangers.total == 1


def test_datacollector_is_a_mesa_datacollector():
    model = KarstModel("plan14", rng=1, grid="20x20")
    model.run_for(2)
    assert isinstance(model.datacollector, mesa.DataCollector)
    frame = model.datacollector.get_model_vars_dataframe()
    assert list(frame["year"]) == [2020, 2021, 2022]
    assert frame["forest_cover_pct"].iloc[0] == pytest.approx(
        model.results()["forest_cover_pct"].iloc[0]
    )


def test_scenario_settings_do_not_shadow_mesas_scenario():
    model = KarstModel("plan14", rng=1, grid="20x20")
    assert model.scenario_settings.name == "plan14"
    assert not hasattr(model, "scenario_spec")
