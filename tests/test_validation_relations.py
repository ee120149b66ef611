"""The relation of every observation to the model: nothing that built a start state is
out-of-sample (issue 25)."""

from __future__ import annotations

import pytest

from karstsim.experiments import calibration
from karstsim.experiments import validation_relations as relations
from karstsim.experiments.observations import Observation, load_observations
from karstsim.model import parameters
from karstsim.model.initial_states import START_STATES
from karstsim.model.scenario import load

SCENARIOS = ("hindcast13", "plan14", "record", "no_new_policy")


def _relation(scenario: str, column: str, year: int) -> str:
    return relations.relation_of(scenario, load(scenario).start_year, column, year).kind


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_2022_desertified_area_is_never_out_of_sample(scenario):
    """It was interpolated into the 2020 start state (18 600 km²)."""
    assert _relation(scenario, "desertified_km2", 2022) == relations.START_STATE


def test_the_start_states_are_built_from_these_observations():
    assert relations.start_state_sources() == {
        ("forest_cover_pct", 2016): [2016],
        ("desertified_km2", 2016): [2016, 2020],
        ("forest_cover_pct", 2020): [2020],
        ("desertified_km2", 2022): [2020],
        ("growing_stock_Mm3", 2020): [2020],
    }


def test_the_2020_desertified_area_is_the_2016_and_2022_figures_interpolated():
    """24 700 + (15 500 − 24 700) × 4/6 = 18 567 km², rounded to 18 600 in the start state."""
    observed = {o.year: o.value for o in load_observations() if o.column == "desertified_km2"}
    line = observed[2016] + (observed[2022] - observed[2016]) * (2020 - 2016) / (2022 - 2016)
    figures = relations.start_state_figures(START_STATES[2020])
    assert figures["desertified_km2"] == pytest.approx(line, rel=0.005)


def _obs(column: str, year: int, value: float) -> Observation:
    return Observation(column, year, value, "F", "test")


def test_a_start_year_figure_outranks_an_interpolation():
    """With an observation of the start year itself, the later one built nothing."""
    observations = [
        _obs("desertified_km2", 2016, 24_700.0),
        _obs("desertified_km2", 2020, 18_600.0),
        _obs("desertified_km2", 2022, 15_500.0),
    ]
    built = relations.start_state_sources(observations)
    assert ("desertified_km2", 2022) not in built
    assert built[("desertified_km2", 2020)] == [2020]


def test_a_figure_outside_its_neighbours_is_not_their_interpolation():
    observations = [_obs("growing_stock_Mm3", 2016, 100.0), _obs("growing_stock_Mm3", 2022, 200.0)]
    built = relations.start_state_sources(observations)
    assert ("growing_stock_Mm3", 2022) not in built  # the 2020 state holds 609


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_observation_has_a_declared_relation_and_the_rule_holds(scenario):
    built = relations.start_state_sources()
    for obs in load_observations():
        kind = _relation(scenario, obs.column, obs.year)
        assert kind in relations.RELATIONS
        if (obs.column, obs.year) in built:
            assert kind != relations.OUT_OF_SAMPLE, (scenario, obs)
        if kind in (relations.OUT_OF_SAMPLE,):
            assert obs.year > calibration.CALIBRATION_CUTOFF_YEAR
        if obs.year > calibration.CALIBRATION_CUTOFF_YEAR:
            assert kind in (relations.OUT_OF_SAMPLE, relations.START_STATE), (scenario, obs)


def test_the_hindcast_labels():
    assert _relation("hindcast13", "forest_cover_pct", 2016) == relations.START_STATE
    for target in calibration.targets():
        assert _relation("hindcast13", target.column, target.year) == relations.CALIBRATION_TARGET
    assert _relation("hindcast13", "treated_km2_cum", 2020) == relations.BY_CONSTRUCTION
    assert _relation("hindcast13", "co2_sequestered_MtCO2", 2019) == relations.PAST_NOT_FITTED
    assert _relation("plan14", "forest_cover_pct", 2021) == relations.OUT_OF_SAMPLE
    assert _relation("plan14", "forest_cover_pct", 2016) == relations.START_STATE


@pytest.mark.parametrize("key", list(relations.FITTED_PARAMETERS))
def test_a_hand_fitted_parameter_names_its_observation_in_its_source(key):
    column, year = key
    value = next(o.value for o in load_observations() if (o.column, o.year) == key)
    source = parameters.get(relations.FITTED_PARAMETERS[key]).source.replace(" ", "")
    assert f"{value:g}" in source
    assert _relation("hindcast13", column, year) == relations.CALIBRATION_TARGET


def test_the_hindcast_treatment_lever_sets_the_2020_treated_area():
    """104 680 ha a year for 2017–20 is 4 187.2 km²."""
    (key,) = relations.SET_BY_LEVER
    scenario, lever = relations.SET_BY_LEVER[key]
    observed = next(o.value for o in load_observations() if (o.column, o.year) == key)
    years = key[1] - load(scenario).start_year
    assert load(scenario).parameters[lever] * years / 100.0 == pytest.approx(observed)
