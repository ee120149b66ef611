"""The yearly choice of cells for treatment and afforestation."""

from __future__ import annotations

import numpy as np

from karstsim.model import parameters
from karstsim.model.allocation import (
    LAND_TYPES,
    CellBudget,
    land_types,
    plan_afforestation,
    plan_treatment,
    split_by_share,
    weighted_sample,
)
from karstsim.model.layers import LandCover, Severity, Treatment
from karstsim.model.processes.treatment import mode_durations
from tests.conftest import blank_landscape


def test_cell_budget_rounds_and_carries():
    budget = CellBudget()
    # 1.45 cells a year: 1, 2 (carry 0.45 → 1.9 → 2), 1, 2, 1 … never drifting more than half a cell
    got = [budget.cells(145.0, 100.0) for _ in range(10)]
    assert sum(got) == 14 or sum(got) == 15
    assert abs(sum(got) - 14.5) <= 0.5
    assert CellBudget().cells(0.0, 100.0) == 0


def test_split_by_share_is_proportional_and_capped():
    assert split_by_share(10, np.array([50, 30, 20])).tolist() == [5, 3, 2]
    assert split_by_share(10, np.array([1, 100, 0])).tolist() == [0, 10, 0]
    assert split_by_share(500, np.array([3, 4, 5])).tolist() == [3, 4, 5]


def test_weighted_sample_prefers_heavy_candidates():
    rng = np.random.default_rng(1)
    candidates = np.arange(100)
    weights = np.where(candidates < 10, 100.0, 1.0)
    picks = np.concatenate(
        [weighted_sample(candidates, 5, weights, rng.random(100)) for _ in range(50)]
    )
    assert (picks < 10).mean() > 0.8
    assert len(set(weighted_sample(candidates, 20, weights, rng.random(100)))) == 20


def test_weighted_sample_with_the_same_draws_is_nested():
    """Common random numbers: a larger sample keeps every cell of the smaller one."""
    draws = np.random.default_rng(2).random(100)
    candidates, weights = np.arange(100), np.linspace(1.0, 3.0, 100)
    small = set(weighted_sample(candidates, 10, weights, draws))
    large = set(weighted_sample(candidates, 11, weights, draws))
    assert small < large and len(large - small) == 1


def test_plan_follows_the_severity_rule(params):
    sev = [
        [
            Severity.EXTREME,
            Severity.SEVERE,
            Severity.MODERATE,
            Severity.MODERATE,
            Severity.LIGHT,
            Severity.LIGHT,
            Severity.POTENTIAL,
            Severity.NONE,
        ]
    ]
    lc = [
        [
            LandCover.BARE_ROCK,
            LandCover.GRASS,
            LandCover.GRASS,
            LandCover.SHRUB,
            LandCover.CROPLAND,
            LandCover.FOREST,
            LandCover.GRASS,
            LandCover.GRASS,
        ]
    ]
    land = blank_landscape(shape=(1, 8), severity=sev, land_cover=lc)
    plan = plan_treatment(
        land, 100, {**params, "moderate_afforestation_share": 1.0}, np.random.default_rng(0)
    )
    assert sorted(plan[Treatment.ENCLOSURE].tolist()) == [0, 1, 3, 5]
    assert plan[Treatment.AFFORESTATION].tolist() == [2]
    assert plan[Treatment.GRASS_PLANTING].size == 0
    assert plan[Treatment.ECO_ECONOMIC].tolist() == [4]


def test_running_treatments_are_not_chosen_again(params):
    land = blank_landscape(
        shape=(1, 2),
        severity=Severity.SEVERE,
        treatment_mode=[[Treatment.ENCLOSURE, Treatment.NONE]],
        treatment_yr=[[2, 0]],
    )
    plan = plan_treatment(land, 5, params, np.random.default_rng(0))
    assert plan[Treatment.ENCLOSURE].tolist() == [1]


def test_afforestation_takes_untreated_open_land():
    lc = [
        [LandCover.GRASS, LandCover.BARE_ROCK, LandCover.CROPLAND, LandCover.GRASS, LandCover.GRASS]
    ]
    sev = [[Severity.NONE, Severity.POTENTIAL, Severity.NONE, Severity.LIGHT, Severity.NONE]]
    mode = [[0, 0, 0, 0, Treatment.ENCLOSURE]]
    land = blank_landscape(shape=(1, 5), land_cover=lc, severity=sev, treatment_mode=mode)
    durations = mode_durations(parameters.resolve())
    got = plan_afforestation(land, 10, durations, np.random.default_rng(0))
    assert sorted(got.tolist()) == [0, 1, 3]


def test_light_land_gets_the_eco_economic_mode_with_forage_for_herbivores(params):
    """Light class: forest is enclosed (严格保护石山植被), shrub and cropland get eco-economic
    stands, and open land is sown to forage grass at ``light_forage_share``."""
    lc = [
        [
            LandCover.FOREST,
            LandCover.SHRUB,
            LandCover.CROPLAND,
            LandCover.GRASS,
            LandCover.BARE_ROCK,
        ]
    ]
    land = blank_landscape(shape=(1, 5), severity=Severity.LIGHT, land_cover=lc)
    rng = np.random.default_rng(0)
    all_forage = plan_treatment(land, 100, {**params, "light_forage_share": 1.0}, rng)
    assert all_forage[Treatment.ENCLOSURE].tolist() == [0]
    assert sorted(all_forage[Treatment.ECO_ECONOMIC].tolist()) == [1, 2]
    assert sorted(all_forage[Treatment.GRASS_PLANTING].tolist()) == [3, 4]
    no_forage = plan_treatment(land, 100, {**params, "light_forage_share": 0.0}, rng)
    assert sorted(no_forage[Treatment.ECO_ECONOMIC].tolist()) == [1, 2, 3, 4]
    assert no_forage[Treatment.GRASS_PLANTING].size == 0


def test_treated_land_is_counted_by_the_programmes_land_types():
    lc = [
        [
            LandCover.FOREST,
            LandCover.BARE_ROCK,
            LandCover.CROPLAND,
            LandCover.GRASS,
            LandCover.GRASS,
        ]
    ]
    sev = [[Severity.LIGHT, Severity.MODERATE, Severity.LIGHT, Severity.MODERATE, Severity.EXTREME]]
    land = blank_landscape(shape=(1, 5), severity=sev, land_cover=lc)
    kinds = land_types(land, np.arange(5))
    assert [LAND_TYPES[k] for k in kinds] == [
        "forest_land",
        "forest_land",
        "cropland",
        "grassland",
        "severe",
    ]
