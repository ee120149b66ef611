"""The land budget (issue 24) on tiny grids, with numbers worked out by hand: the land
account's ledger, the plantable-land rule, the closure lag of plantings, exposure that
moves only with soil, the harder-as-it-goes rule, and the ledger's sums over a real run."""

from __future__ import annotations

import numpy as np
import pytest

from karstsim import KarstModel
from karstsim.model import severity
from karstsim.model.allocation import plan_afforestation, plantable
from karstsim.model.land_account import LandLedger, change_class
from karstsim.model.layers import LandCover, Severity, Treatment
from karstsim.model.processes.erosion import SoilErosion
from karstsim.model.processes.treatment import (
    TreatmentEffects,
    mode_durations,
    start_treatment,
    treatment_difficulty,
)
from tests.conftest import blank_landscape

L = LandCover


def test_change_class_writes_the_class_and_records_each_change_once():
    land = blank_landscape((1, 4), land_cover=np.array([[L.GRASS, L.GRASS, L.CROPLAND, L.FOREST]]))
    land["county"] = np.array([[520101, 520101, 520102, 520102]])
    change_class(land, np.array([0, 2, 3]), L.OTHER_FOREST, "afforestation")
    assert land["land_cover"].tolist() == [
        [L.OTHER_FOREST, L.GRASS, L.OTHER_FOREST, L.OTHER_FOREST]
    ]
    # forest → other forest is a change too; the cell left alone is not recorded
    table = land.ledger.table({int(c): c.name.lower() for c in L}, 1.0, None)
    assert table[["from_class", "to_class", "km2"]].values.tolist() == [
        ["cropland", "other_forest", 1.0],
        ["forest", "other_forest", 1.0],
        ["grass", "other_forest", 1.0],
    ]
    by_county = land.ledger.table({int(c): c.name.lower() for c in L}, 1.0, {520101: 1, 520102: 2})
    assert by_county.groupby("region").km2.sum().to_dict() == {1: 1.0, 2: 2.0}
    # a cell already of the target class is no change
    change_class(land, np.array([0]), L.OTHER_FOREST, "afforestation")
    assert land.ledger.net_change(2020, len(L))[L.OTHER_FOREST] == 3


def test_the_ledger_refuses_a_change_without_a_known_cause():
    with pytest.raises(ValueError, match="unknown cause"):
        LandLedger().record(2020, np.array([0]), 1, "magic", np.array([0]))


def test_planting_takes_only_plantable_land():
    # six cells: grass, unused land with 25 cm and with 5 cm of soil, other forest land,
    # cropland and forest; with min soil 20 cm four are plantable, cropland never
    cover = np.array([[L.GRASS, L.BARE_ROCK, L.BARE_ROCK, L.OTHER_FOREST, L.CROPLAND, L.FOREST]])
    land = blank_landscape((1, 6), land_cover=cover)
    land["soil_depth_cm"] = np.array([[40.0, 25.0, 5.0, 30.0, 80.0, 50.0]])
    assert plantable(land, 20.0).tolist() == [[True, True, False, True, False, False]]
    durations = mode_durations({**_durations(), "afforestation_establish_years": 5})
    chosen = plan_afforestation(land, 10, durations, np.random.default_rng(0), min_soil_cm=20.0)
    assert sorted(chosen.tolist()) == [0, 1, 3]  # as many as there are: the year plants less


def test_a_planting_is_other_forest_land_until_it_closes(params):
    # one grass cell planted in 2020, closure after 3 years, no failure
    p = {**params, "afforestation_establish_years": 3, "afforestation_failure_prob": 0.0}
    land = blank_landscape((1, 1), land_cover=L.GRASS)
    start_treatment(land, np.array([0]), Treatment.AFFORESTATION)
    effects = TreatmentEffects(p)
    classes = []
    for year in (2021, 2022, 2023):
        land.year = year
        effects.run_one_year(land, np.random.default_rng(year))
        classes.append(int(land["land_cover"][0, 0]))
    assert classes == [L.OTHER_FOREST, L.OTHER_FOREST, L.FOREST]
    causes = land.ledger.table({int(c): c.name for c in L}, 1.0, None)
    assert causes[["year", "cause"]].values.tolist() == [
        [2020, "afforestation"],
        [2023, "plantation_closure"],
    ]


def test_a_failed_planting_stays_other_forest_land_free_to_replant(params):
    p = {**params, "afforestation_establish_years": 3, "afforestation_failure_prob": 1.0}
    land = blank_landscape((1, 1), land_cover=L.GRASS)
    start_treatment(land, np.array([0]), Treatment.AFFORESTATION)
    land.year = 2021
    TreatmentEffects(p).run_one_year(land, np.random.default_rng(0))
    assert land["land_cover"][0, 0] == L.OTHER_FOREST
    assert land["treatment_mode"][0, 0] == Treatment.NONE


def test_exposure_moves_only_with_soil(params):
    # two karst cells with 30 % exposure and full cover, one losing soil: on cropland at 25°
    # with cover 0.5 and deep soil the loss is 2300 × 1 × 0.5 × 1 = 1150 t/km²; net of
    # 30 t/km² formed that is 1120 / (1.3 × 10⁴) = 0.08615 cm, exposure + 0.03 × 0.08615.
    # A closed forest on flat land loses nothing and gains 30 / 13 000 cm: exposure falls by
    # 0.03 × 0.0023 a year, not by a share of itself.
    p = {**params, "soil_formation_t_km2_yr": 30.0, "exposure_gain_per_cm": 0.03}
    land = blank_landscape(
        (1, 2),
        land_cover=np.array([[L.CROPLAND, L.FOREST]]),
        slope_deg=np.array([[25.0, 0.0]]),
        vegetation_cover=np.array([[0.5, 1.0]]),
        soil_depth_cm=50.0,
        bedrock_exposure=0.3,
        carbonate=True,
    )
    SoilErosion(p).run_one_year(land, np.random.default_rng(0))
    lost = (2300.0 * 0.5 - 30.0) / 13_000.0
    assert land["bedrock_exposure"][0, 0] == pytest.approx(0.3 + 0.03 * lost)
    assert land["bedrock_exposure"][0, 1] == pytest.approx(0.3 - 0.03 * 30.0 / 13_000.0)
    assert land["soil_depth_cm"][0, 1] == pytest.approx(50.0 + 30.0 / 13_000.0)


def test_exposed_rock_under_good_cover_is_potential_not_desertified():
    # exposure 0.6 (moderate by rock): shrub with cover 0.55 is potential; shrub with 0.45
    # (moderate by cover) and other forest land with 0.55 (light by cover) take the milder of
    # rock and cover; restructured cropland is potential, unrestructured cropland moderate
    exposure = np.full(5, 0.6)
    cover = np.array([0.55, 0.45, 0.55, 0.35, 0.35])
    classes = np.array([L.SHRUB, L.SHRUB, L.OTHER_FOREST, L.CROPLAND, L.CROPLAND], dtype=np.int8)
    restructured = np.array([False, False, False, True, False])
    got = severity.classify(exposure, cover, np.ones(5, bool), classes, restructured)
    m, p = Severity.MODERATE, Severity.POTENTIAL
    assert got.tolist() == [p, m, Severity.LIGHT, p, m]


def test_treatment_grows_harder_as_the_easy_land_is_used(params):
    # difficulty = mean of slope/45, exposure and 1 − soil/30: an easy cell (0°, 0.3, 30 cm)
    # scores 0.1, a hard one (45°, 0.9, 0 cm) 0.9667; the hard one's planting fails
    # 0.2 × (1 + 0.5 × 0.9667) = 0.2967 of the time against 0.21 for the easy one
    land = blank_landscape(
        (1, 2),
        slope_deg=np.array([[0.0, 45.0]]),
        bedrock_exposure=np.array([[0.3, 0.9]]),
        soil_depth_cm=np.array([[30.0, 0.0]]),
    )
    assert treatment_difficulty(land, np.array([0, 1])) == pytest.approx([0.1, 2.9 / 3])
    p = {**params, "afforestation_failure_prob": 0.2, "difficulty_outcome_penalty": 0.5}
    failed = np.zeros(2)
    for seed in range(2000):
        trial = blank_landscape(
            (1, 2),
            slope_deg=land["slope_deg"],
            bedrock_exposure=land["bedrock_exposure"],
            soil_depth_cm=land["soil_depth_cm"],
        )
        start_treatment(trial, np.array([0, 1]), Treatment.AFFORESTATION)
        TreatmentEffects(p).run_one_year(trial, np.random.default_rng(seed))
        failed += trial["treatment_mode"][0] == Treatment.NONE
    assert failed / 2000 == pytest.approx([0.21, 0.2967], abs=0.03)


def test_the_ledger_sums_to_each_class_change_year_by_year():
    model = KarstModel("plan14", rng=3, grid="classroom")
    counts = [np.bincount(model.landscape["land_cover"], minlength=len(L))]
    for _ in range(6):
        model.step()
        counts.append(np.bincount(model.landscape["land_cover"], minlength=len(L)))
    ledger = model.landscape.ledger
    for k, year in enumerate(range(2021, 2027), start=1):
        assert (ledger.net_change(year, len(L)) == counts[k] - counts[k - 1]).all(), year
    table = model.transitions()
    assert {"year", "level", "adcode", "from_class", "to_class", "cause", "km2"} <= set(table)
    assert table.km2.sum() > 0
    by_county = model.transitions("county")
    assert by_county.km2.sum() == pytest.approx(table.km2.sum())


def test_forest_cover_never_exceeds_forest_land_plus_what_entered_it():
    model = KarstModel("plan14", rng=2, grid="classroom")
    start_forest_land = model.results().forest_land_pct.iloc[0]
    model.run_to_year(2030)
    table = model.results()
    assert (table.forest_cover_pct <= table.forest_land_pct + 1e-9).all()
    ledger = model.transitions()
    forest_land = {"forest", "shrub", "other_forest"}
    entered = ledger[~ledger.from_class.isin(forest_land) & ledger.to_class.isin(forest_land)]
    area = model.landscape.land_area_km2
    assert table.forest_cover_pct.iloc[-1] <= start_forest_land + 100 * entered.km2.sum() / area


def _durations() -> dict[str, int]:
    return {
        "enclosure_years": 5,
        "afforestation_establish_years": 5,
        "grass_establish_years": 1,
        "eco_economic_establish_years": 3,
    }
