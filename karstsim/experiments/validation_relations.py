"""How each observation relates to the model: the ``relation`` of a validation row.

A row compares one observation (an output column in a year) with one run. What the
comparison is worth depends on whether the model already knew the observation:

* **calibration target**: a fit chose parameters to match it (the ABC targets of
  ``karstsim calibrate``, :func:`karstsim.experiments.calibration.targets`, for the
  hindcast; or a parameter set by hand from it, :data:`FITTED_PARAMETERS`);
* **start state**: it built a start state (:mod:`karstsim.model.initial_states`), directly
  (the start year's own figure) or interpolated into it (the 2020 desertified area lies
  between the 2016 and 2022 figures);
* **by construction**: a lever sets it (:data:`SET_BY_LEVER`);
* **past, not fitted**: up to the calibration cutoff (2020), used by nothing above;
* **out-of-sample**: after the cutoff and used by nothing above.

An observation that built the start state of *any* run is never out-of-sample, for any
run: the rule is derived from the start states' figures (:func:`start_state_sources`), not
from a list of exceptions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from karstsim.experiments import calibration
from karstsim.experiments.observations import Observation, load_observations
from karstsim.model.initial_states import START_STATES, StartState
from karstsim.model.parameters import PROVINCE_LAND_KM2

CALIBRATION_TARGET = "calibration target"
START_STATE = "start state"
BY_CONSTRUCTION = "by construction"
PAST_NOT_FITTED = "past, not fitted"
OUT_OF_SAMPLE = "out-of-sample"
RELATIONS = (CALIBRATION_TARGET, START_STATE, BY_CONSTRUCTION, PAST_NOT_FITTED, OUT_OF_SAMPLE)
"""Every relation a row can have."""

FITTED_PARAMETERS = {
    ("soil_conservation_pct", 2020): "karst_soil_loss_tolerance_t_km2_yr",
    ("income_per_person_yuan", 2020): "other_income_yuan_pc",
}
"""Observations a parameter was set from by hand on the 2020 start state (column, year) →
parameter; each parameter's declared source names the observed figure (a test checks it).
Every run shares the parameter, so the observation is a calibration target for the
hindcast too, though the fit was made on the start state, not on the hindcast's end."""

SET_BY_LEVER = {("treated_km2_cum", 2020): ("hindcast13", "treatment_ha_per_year")}
"""Observations a lever sets: (column, year) → (scenario, lever). The hindcast treats the
plan's reported 2016–20 amount in 2017–20."""


@dataclass(frozen=True)
class Relation:
    """A row's relation (one of :data:`RELATIONS`) and why, in words."""

    kind: str
    detail: str


def start_state_figures(state: StartState) -> dict[str, float]:
    """A start state's figures in the units of the observed columns (%, km², 10⁶ m³)."""
    return {
        "forest_cover_pct": 100.0 * state.forest_cover,
        "desertified_km2": state.desertified_share * PROVINCE_LAND_KM2,
        "growing_stock_Mm3": state.growing_stock_Mm3,
    }


def _sources_of(
    column: str, year: int, value: float, observations: Sequence[Observation]
) -> list[Observation]:
    """The observations a start-state figure (``column`` in ``year`` = ``value``) comes
    from: the start year's own observation, or else the nearest observations before and
    after it when ``value`` lies between them (an interpolation)."""
    series = [o for o in observations if o.column == column]
    same_year = [o for o in series if o.year == year]
    if same_year:
        return same_year
    before = max((o for o in series if o.year < year), key=lambda o: o.year, default=None)
    after = min((o for o in series if o.year > year), key=lambda o: o.year, default=None)
    if before is None or after is None:
        return []
    low, high = sorted((before.value, after.value))
    return [before, after] if low <= value <= high else []


def start_state_sources(
    observations: Sequence[Observation] | None = None,
    states: dict[int, StartState] | None = None,
) -> dict[tuple[str, int], list[int]]:
    """(column, year) of every observation that built a start state → the start years it
    built (the shipped observations and start states unless given)."""
    observations = load_observations() if observations is None else observations
    states = START_STATES if states is None else states
    built: dict[tuple[str, int], list[int]] = {}
    for start, state in sorted(states.items()):
        for column, value in start_state_figures(state).items():
            for obs in _sources_of(column, start, value, observations):
                built.setdefault((obs.column, obs.year), []).append(start)
    return built


def _start_state_relation(column: str, year: int, start_year: int) -> Relation | None:
    """``start state`` if the observation is of the run's start year or built its start
    state; else None."""
    if year == start_year:
        return Relation(START_STATE, f"the run's start year ({start_year}): the start state")
    if start_year in start_state_sources().get((column, year), []):
        return Relation(START_STATE, f"interpolated into the run's {start_year} start state")
    return None


def _other_start_relation(column: str, year: int, start_year: int) -> Relation | None:
    """``start state`` if the observation built another run's start state; else None."""
    starts = [s for s in start_state_sources().get((column, year), []) if s != start_year]
    if not starts:
        return None
    years = ", ".join(str(s) for s in starts)
    return Relation(START_STATE, f"built the {years} start state (not this run's)")


def _fitted_relation(scenario: str, column: str, year: int) -> Relation | None:
    """``calibration target`` or ``by construction`` if a fit or a lever used it."""
    if scenario == calibration.HINDCAST and any(
        (o.column, o.year) == (column, year) for o in calibration.targets()
    ):
        return Relation(CALIBRATION_TARGET, "an ABC target of karstsim calibrate")
    if (column, year) in FITTED_PARAMETERS:
        name = FITTED_PARAMETERS[(column, year)]
        return Relation(CALIBRATION_TARGET, f"{name} was set from it on the 2020 start state")
    if (column, year) in SET_BY_LEVER and SET_BY_LEVER[(column, year)][0] == scenario:
        return Relation(BY_CONSTRUCTION, f"the lever {SET_BY_LEVER[(column, year)][1]} sets it")
    return None


def relation_of(scenario: str, start_year: int, column: str, year: int) -> Relation:
    """How the observation of ``column`` in ``year`` relates to a run of ``scenario`` that
    starts in ``start_year`` (see the module text): the run's own start state first, then a
    fit or a lever, then another run's start state; only what none of them used is past or
    out-of-sample."""
    for relation in (
        _start_state_relation(column, year, start_year),
        _fitted_relation(scenario, column, year),
        _other_start_relation(column, year, start_year),
    ):
        if relation is not None:
            return relation
    if year > calibration.CALIBRATION_CUTOFF_YEAR:
        return Relation(OUT_OF_SAMPLE, f"after {calibration.CALIBRATION_CUTOFF_YEAR}, never fitted")
    return Relation(PAST_NOT_FITTED, "before 2021, used by no fit or start state")
