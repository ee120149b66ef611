"""Each land process on tiny grids, with numbers worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from karstsim.model import severity
from karstsim.model.layers import LandCover, Severity, Treatment
from karstsim.model.processes.carbon import (
    CarbonGrowth,
    age_for_volume,
    live_carbon_per_m3,
    stand_volume,
)
from karstsim.model.processes.erosion import SoilErosion
from karstsim.model.processes.grazing import grazeable
from karstsim.model.processes.mine_impact import MineImpact
from karstsim.model.processes.succession import Succession, neighbour_count, site_factor
from karstsim.model.processes.treatment import TreatmentEffects, start_treatment
from karstsim.model.processes.vegetation import SeverityClassification, VegetationCover
from tests.conftest import blank_landscape

RNG = np.random.default_rng(0)


def test_severity_is_the_milder_of_exposure_and_cover_classes():
    exposure = np.array([0.10, 0.25, 0.40, 0.60, 0.80, 0.95, 0.95, 0.95])
    cover = np.array([0.00, 0.90, 0.60, 0.40, 0.20, 0.05, 0.80, 0.40])
    carbonate = np.ones(8, dtype=bool)
    lc = np.full(8, LandCover.GRASS, dtype=np.int8)
    got = severity.classify(exposure, cover, carbonate, lc)
    S = Severity
    assert got.tolist() == [
        S.NONE,
        S.POTENTIAL,
        S.LIGHT,
        S.MODERATE,
        S.SEVERE,
        S.EXTREME,
        S.POTENTIAL,
        S.MODERATE,
    ]


def test_severity_only_on_carbonate_open_land():
    exposure = np.full(3, 0.95)
    cover = np.zeros(3)
    carbonate = np.array([False, True, True])
    lc = np.array([LandCover.GRASS, LandCover.BUILT, LandCover.BARE_ROCK], dtype=np.int8)
    assert severity.classify(exposure, cover, carbonate, lc).tolist() == [0, 0, Severity.EXTREME]


def test_class_boundaries_belong_to_the_worse_class():
    assert severity.exposure_class(np.array([0.2, 0.3, 0.5, 0.7, 0.9])).tolist() == [1, 2, 3, 4, 5]
    assert severity.cover_class(np.array([0.7, 0.5, 0.3, 0.1, 0.0999])).tolist() == [1, 2, 3, 4, 5]


def test_erosion_on_cropland_by_hand(params):
    # 2 300 t/km² × sin25/sin25 × (1 − 0.5) × use 1 × min(1, 30/5) = 1 150 t/km²; 30 t/km²
    # form: depth (1 150 − 30) / (1.3 × 10⁴) = 0.086154 cm; exposure + 0.03 × 0.086154.
    land = blank_landscape(
        land_cover=LandCover.CROPLAND,
        slope_deg=25.0,
        vegetation_cover=0.5,
        soil_depth_cm=30.0,
        carbonate=True,
        bedrock_exposure=0.4,
    )
    SoilErosion(params).run_one_year(land, RNG)
    assert land["erosion_t_km2"][0, 0] == pytest.approx(1150.0)
    assert land["soil_depth_cm"][0, 0] == pytest.approx(30.0 - 1120.0 / 13000.0)
    assert land["bedrock_exposure"][0, 0] == pytest.approx(0.4 + 0.03 * 1120.0 / 13000.0)


def test_forest_cover_alone_does_not_re_cover_rock(params):
    # forest: use factor 0.1 → loss = 2300 × 1 × 0.2 × 0.1 = 46 t/km², 30 t/km² formed: a net
    # 16/13000 cm lost, so exposure 0.5 + 0.03 × 0.0012308 rises a little; only soil moves it
    land = blank_landscape(
        land_cover=LandCover.FOREST,
        slope_deg=25.0,
        vegetation_cover=0.8,
        soil_depth_cm=20.0,
        carbonate=True,
        bedrock_exposure=0.5,
    )
    SoilErosion({**params, "soil_formation_t_km2_yr": 30.0}).run_one_year(land, RNG)
    assert land["erosion_t_km2"][0, 0] == pytest.approx(46.0)
    assert land["bedrock_exposure"][0, 0] == pytest.approx(0.5 + 0.03 * 16 / 13000)


def test_non_karst_soil_loss_bares_no_rock(params):
    land = blank_landscape(
        land_cover=LandCover.CROPLAND, slope_deg=30.0, soil_depth_cm=80.0, bedrock_exposure=0.05
    )
    SoilErosion(params).run_one_year(land, RNG)
    assert land["erosion_t_km2"][0, 0] > 0
    assert land["bedrock_exposure"][0, 0] == pytest.approx(0.05)


def test_vegetation_cover_relaxes_toward_target(params):
    # forest target 0.85 × (1 − 0.3 × 0.2) = 0.799; 0.5 + 0.3 × (0.799 − 0.5) = 0.5897
    land = blank_landscape(land_cover=LandCover.FOREST, vegetation_cover=0.5, bedrock_exposure=0.2)
    VegetationCover(params).run_one_year(land, RNG)
    assert land["vegetation_cover"][0, 0] == pytest.approx(0.5897)


def test_grazing_lowers_the_cover_target(params):
    # grass 0.60 × (1 − 0.3 × 0.5) − 0.2 = 0.31; from 0.6: 0.6 + 0.3 × (0.31 − 0.6) = 0.513
    land = blank_landscape(vegetation_cover=0.6, bedrock_exposure=0.5, grazed=True)
    VegetationCover(params).run_one_year(land, RNG)
    assert land["vegetation_cover"][0, 0] == pytest.approx(0.513)


def test_severity_process_reclassifies(params):
    land = blank_landscape(bedrock_exposure=0.6, vegetation_cover=0.4, carbonate=True)
    SeverityClassification(params).run_one_year(land, RNG)
    assert land["severity"][0, 0] == Severity.MODERATE


def test_site_factor_by_hand(params):
    # soil 15 cm: 1 + 1 × 0.5 = 1.5; slope 45°: 1 + 0.5 = 1.5; 4/8 forest: ÷ (1 + 0.5 × 0.5)
    got = site_factor(np.array([15.0]), np.array([45.0]), np.array([0.5]), params)
    assert got[0] == pytest.approx(1.5 * 1.5 / 1.25)


def test_neighbour_count_ignores_off_grid_and_self():
    mask = np.array([[1, 1, 0], [0, 1, 0], [0, 0, 1]], dtype=bool)
    assert neighbour_count(mask).tolist() == [[2, 2, 2], [3, 3, 3], [1, 2, 1]]


def test_grass_becomes_shrub_after_reference_years(params):
    # deep soil (no slowdown), flat, no forest around: 1 reference year per calendar year.
    land = blank_landscape(
        shape=(1, 2), soil_depth_cm=40.0, succession_yr=[[13.5, 13.5]], grazed=[[False, True]]
    )
    step = Succession(params)
    step.run_one_year(land, RNG)
    assert land["land_cover"].tolist() == [[LandCover.GRASS, LandCover.GRASS]]
    assert land["succession_yr"][0].tolist() == [14.5, 13.5]
    step.run_one_year(land, RNG)
    assert land["land_cover"].tolist() == [[LandCover.SHRUB, LandCover.GRASS]]


def test_shrub_turning_forest_keeps_its_carbon(params):
    land = blank_landscape(
        land_cover=LandCover.SHRUB, soil_depth_cm=40.0, succession_yr=29.5, carbon_tC_ha=12.0
    )
    Succession(params).run_one_year(land, RNG)
    assert land["land_cover"][0, 0] == LandCover.FOREST
    age = land["stand_age_yr"][0, 0]
    volume = stand_volume(np.array([age]), np.array([180.0]), 0.028)[0]
    assert volume * live_carbon_per_m3(params) == pytest.approx(12.0)


def test_stand_volume_by_hand():
    # 180 × (1 − e^(−0.28))^1.5 = 180 × 0.244216^1.5 = 21.724
    assert stand_volume(np.array([10.0]), np.array([180.0]), 0.028)[0] == pytest.approx(
        21.724, abs=1e-3
    )
    assert age_for_volume(np.array([21.724]), np.array([180.0]), 0.028)[0] == pytest.approx(
        10.0, abs=1e-3
    )


def test_live_carbon_per_m3_is_the_ipcc_chain(params):
    # 0.46 t/m³ × BEF 1.4 × 0.47 tC/t × (1 + 0.24) = 0.375323 tC/m³
    assert live_carbon_per_m3(params) == pytest.approx(0.46 * 1.4 * 0.47 * 1.24)


def test_carbon_growth_ages_forest_and_uses_rock_ceiling(params):
    # forest age 9 → 10 on exposure 0.4: site 180 × (1 − 0.5 × 0.4) = 144 m³/ha
    # → 144 × 0.244216^1.5 m³/ha × 0.375323 tC/m³
    land = blank_landscape(
        shape=(1, 2),
        land_cover=[[LandCover.FOREST, LandCover.SHRUB]],
        stand_age_yr=9.0,
        bedrock_exposure=0.4,
    )
    CarbonGrowth(params).run_one_year(land, RNG)
    assert land["stand_age_yr"][0].tolist() == [10.0, 0.0]
    expected = 144 * 0.244216**1.5 * 0.46 * 1.4 * 0.47 * 1.24
    assert land["carbon_tC_ha"][0, 0] == pytest.approx(expected, rel=1e-4)
    assert land["carbon_tC_ha"][0, 1] == pytest.approx(12.0 * 0.8)


def test_tended_stands_grow_faster_while_the_tending_lasts(params):
    # tended in 2016 and 2020 with a 5-year effect: in 2021 the 2016 stand's effect has
    # ended (2021 − 2016 = 5), the 2020 one's has not: it ages 1.2 years
    land = blank_landscape(
        shape=(1, 3), land_cover=LandCover.FOREST, stand_age_yr=10.0, tended_yr=[[0, 2016, 2020]]
    )
    land.year = 2021
    CarbonGrowth(params).run_one_year(land, RNG)
    assert land["stand_age_yr"][0].tolist() == pytest.approx([11.0, 11.0, 11.2])


def test_grazeable_is_open_unprotected_land_near_villages(params):
    lc = [
        [LandCover.GRASS, LandCover.BARE_ROCK, LandCover.FOREST, LandCover.GRASS, LandCover.GRASS]
    ]
    land = blank_landscape(
        shape=(1, 5),
        land_cover=lc,
        distance_to_village_km=[[1.0, 1.0, 1.0, 5.0, 1.0]],
        protected=[[False, False, False, False, True]],
    )
    assert grazeable(land, 3.0)[0].tolist() == [True, True, False, False, False]


def test_mine_dust_damages_neighbours(params):
    # centre cell dirty: each neighbour has 1/8 dirty neighbours → −0.15/8 cover
    land = blank_landscape(
        shape=(3, 3), vegetation_cover=0.5, mine_dirty=[[0, 0, 0], [0, 1, 0], [0, 0, 0]]
    )
    MineImpact(params).run_one_year(land, RNG)
    assert land["vegetation_cover"][0, 0] == pytest.approx(0.5 - 0.15 / 8)
    assert land["vegetation_cover"][1, 1] == pytest.approx(0.5)


@pytest.mark.parametrize(
    "failure, expected", [(0.0, LandCover.FOREST), (1.0, LandCover.OTHER_FOREST)]
)
def test_afforestation_establishes_after_three_years_or_fails(params, failure, expected):
    land = blank_landscape(land_cover=LandCover.CROPLAND, carbon_tC_ha=3.0)
    start_treatment(land, np.array([0]), Treatment.AFFORESTATION, "grain_for_green")
    assert land["land_cover"][0, 0] == LandCover.OTHER_FOREST  # cropping stops at once
    effects = TreatmentEffects(
        {**params, "afforestation_failure_prob": failure, "afforestation_establish_years": 3}
    )
    for year in range(3):
        assert land["land_cover"][0, 0] == LandCover.OTHER_FOREST, year
        effects.run_one_year(land, RNG)
    assert land["land_cover"][0, 0] == expected
    if failure == 0.0:
        assert land["treatment_mode"][0, 0] == Treatment.AFFORESTATION
        assert land["stand_age_yr"][0, 0] >= 3.0
    else:
        assert land["treatment_mode"][0, 0] == Treatment.NONE


def test_eco_economic_cropland_stays_cropland_restructured(params):
    # crop restructuring keeps cropland cropland (cropland protection); eco-economic stands
    # on open land close and become forest
    land = blank_landscape((1, 2), land_cover=np.array([[LandCover.CROPLAND, LandCover.GRASS]]))
    start_treatment(land, np.array([0, 1]), Treatment.ECO_ECONOMIC)
    effects = TreatmentEffects(
        {**params, "eco_economic_failure_prob": 0.0, "eco_economic_establish_years": 3}
    )
    for year in range(3):
        assert land["land_cover"].tolist() == [[LandCover.CROPLAND, LandCover.GRASS]], year
        effects.run_one_year(land, RNG)
    assert land["land_cover"].tolist() == [[LandCover.CROPLAND, LandCover.FOREST]]
    assert (land["treatment_mode"] == Treatment.ECO_ECONOMIC).all()


def test_enclosure_protects_for_its_years(params):
    land = blank_landscape(severity=Severity.MODERATE)
    start_treatment(land, np.array([0]), Treatment.ENCLOSURE)
    effects = TreatmentEffects(
        {
            **params,
            "enclosure_years": 3,
            "grazing_ban_severe": False,
            "grazing_ban_fragile_grassland": False,
        }
    )
    protected = [bool(land["protected"][0, 0])]
    for _ in range(4):
        effects.run_one_year(land, RNG)
        protected.append(bool(land["protected"][0, 0]))
    assert protected == [True, True, True, False, False]


def test_grazing_ban_closes_severe_land_until_it_recovers(params):
    land = blank_landscape(severity=Severity.SEVERE)
    only_severe = {"grazing_ban_fragile_grassland": False, "corridor_grazing_closure": False}
    effects = TreatmentEffects({**params, "grazing_ban_severe": True, **only_severe})
    effects.run_one_year(land, RNG)
    assert land["protected"][0, 0]
    land["severity"][:] = Severity.LIGHT  # improving, still desertified: ban holds
    effects.run_one_year(land, RNG)
    assert land["protected"][0, 0]
    land["severity"][:] = Severity.POTENTIAL
    effects.run_one_year(land, RNG)
    assert not land["protected"][0, 0]
    unbanned = blank_landscape(severity=Severity.SEVERE)
    TreatmentEffects({**params, "grazing_ban_severe": False, **only_severe}).run_one_year(
        unbanned, RNG
    )
    assert not unbanned["protected"][0, 0]


def test_corridor_cells_are_closed_only_by_their_own_lever(params):
    land = blank_landscape(shape=(1, 2), corridor=[[3, 0]])
    levers = {"grazing_ban_severe": False, "corridor_priority": True}
    TreatmentEffects({**params, **levers, "corridor_grazing_closure": False}).run_one_year(
        land, RNG
    )
    assert land["protected"][0].tolist() == [False, False]  # priority alone closes nothing
    TreatmentEffects({**params, **levers, "corridor_grazing_closure": True}).run_one_year(land, RNG)
    assert land["protected"][0].tolist() == [True, False]


def test_the_plans_ban_closes_desertified_and_steep_grassland_not_forest(params):
    # grass light, grass none at 30°, grass none at 10°, bare rock moderate, forest light at 30°
    land = blank_landscape(
        shape=(1, 5),
        land_cover=[[LandCover.GRASS] * 3 + [LandCover.BARE_ROCK, LandCover.FOREST]],
        severity=[[Severity.LIGHT, 0, 0, Severity.MODERATE, Severity.LIGHT]],
        slope_deg=[[5.0, 30.0, 10.0, 5.0, 30.0]],
    )
    levers = {"grazing_ban_severe": False, "corridor_grazing_closure": False}
    TreatmentEffects({**params, **levers, "grazing_ban_fragile_grassland": True}).run_one_year(
        land, RNG
    )
    assert land["protected"][0].tolist() == [True, True, False, True, False]
    steeper = {"grazing_ban_fragile_grassland": True, "fragile_grassland_slope_deg": 35.0}
    TreatmentEffects({**params, **levers, **steeper}).run_one_year(land, RNG)
    assert land["protected"][0].tolist() == [True, False, False, True, False]
    TreatmentEffects({**params, **levers, "grazing_ban_fragile_grassland": False}).run_one_year(
        land, RNG
    )
    assert not land["protected"].any()


def test_erosion_control_takes_the_most_eroding_land_and_cuts_its_loss(params):
    # soil loss 900, 50, 700, 300 t/km²: 200 ha (2 cells of 100 ha) go to cells 0 and 2;
    # built land (cell 4) is never taken; controlled land loses half as much
    from karstsim.model.processes.erosion import control_erosion

    land = blank_landscape(
        shape=(1, 5),
        land_cover=[[LandCover.CROPLAND] * 4 + [LandCover.BUILT]],
        erosion_t_km2=[[900.0, 50.0, 700.0, 300.0, 5000.0]],
        slope_deg=25.0,
        soil_depth_cm=30.0,
    )
    chosen = control_erosion(land, 200.0, params, np.random.default_rng(0))
    assert sorted(chosen.tolist()) == [0, 2]
    assert land["erosion_control_yr"][0].tolist() == [2020, 0, 2020, 0, 0]
    loss = SoilErosion(params).soil_loss(land)[0]
    # 2300 × sin25/sin25 × (1 − 0) × 1 × 1, halved where controlled
    assert loss.tolist() == pytest.approx([1150.0, 2300.0, 1150.0, 2300.0, 0.0])


@pytest.mark.parametrize("compact", [False, True])
def test_habitat_networks_and_patches_on_a_strip_worked_by_hand(compact):
    from karstsim.model.corridors import find_patches

    # habitat (old forest) at columns 0-1, 3 and 7 of a 1 × 8 strip: three patches.
    # 2 km dispersal on 1 km cells is one cell of reach each way, so the first two
    # patches' reaches (columns 0-2 and 2-4) touch and the third's (6-7) stands alone
    cover = np.full((1, 8), LandCover.GRASS, dtype=np.int8)
    cover[0, [0, 1, 3, 7]] = LandCover.FOREST
    land = blank_landscape((1, 8), land_cover=cover, stand_age_yr=50.0)
    if compact:
        land = land.compact()
    patches = find_patches(land, {"habitat_min_age_yr": 20.0, "dispersal_distance_km": 2.0})
    assert patches.connectivity() == 0.75  # 3 of the 4 habitat cells are in one network
    area, network = patches.patch_areas()
    assert area.tolist() == [2.0, 1.0, 1.0] and network[0] == network[1] != network[2]
    graph = patches.graph()  # each patch linked to the largest it reaches
    assert sorted(graph.edges) == [(0, 1)] and graph.number_of_nodes() == 3
