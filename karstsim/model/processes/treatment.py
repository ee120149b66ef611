"""Treatment of rocky desertification: starting a treatment and its effects over the years.

Modes (the plan's rule by severity is applied where cells are chosen, see
:mod:`karstsim.model.allocation`):

* **enclosure** (封山育林育草): the cell is closed to grazing and cutting for
  ``enclosure_years``; succession does the rest.
* **afforestation** (植树造林): trees are planted and the cell becomes other forest land
  (未成林造林地); it is closed while they establish and after
  ``afforestation_establish_years`` closes canopy and becomes forest, unless the planting
  fails the survival check after its first year (成活率检查; chance
  ``afforestation_failure_prob`` × (1 + ``difficulty_outcome_penalty`` × difficulty)), when
  it stays other forest land without a planting, free to be planted again. Plantings that
  passed that check (the land survey's unclosed plantations, 未成林造林地, are plantings
  with most of their stems alive) close.
* **grass planting** (人工种草): grass established after ``grass_establish_years``
  (failure ``grass_failure_prob``).
* **eco-economic** (生态经济型): an economic tree stand (fruit, tea, walnut) that counts
  as forest after ``eco_economic_establish_years`` with a lower carbon ceiling
  (failure ``eco_economic_failure_prob``).

Cropland leaves cropland only through Grain-for-Green (afforestation on an approved
quota, :mod:`karstsim.model.land_use`); the treatment programme restructures desertified
cropland in the eco-economic mode (terraces, eco-industry crops: it stays cropland, is
cropped while the fruit, tea or nut trees establish, then yields
``eco_economic_net_yuan_ha`` to its household). A Grain-for-Green planting that fails leaves the
programme: its instalments stop.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from karstsim.model.land_account import change_class
from karstsim.model.layers import LandCover, Landscape, Severity, Treatment, is_any
from karstsim.model.processes.carbon import CarbonModel
from karstsim.model.processes.grazing import OPEN_LAND

PLANTING = (Treatment.AFFORESTATION, Treatment.GRASS_PLANTING, Treatment.ECO_ECONOMIC)


def mode_durations(params: Mapping[str, Any]) -> np.ndarray:
    """Years each treatment mode lasts (enclosure) or takes to establish (plantings)."""
    years = np.zeros(len(Treatment), dtype=np.int16)
    years[Treatment.ENCLOSURE] = params["enclosure_years"]
    years[Treatment.AFFORESTATION] = params["afforestation_establish_years"]
    years[Treatment.GRASS_PLANTING] = params["grass_establish_years"]
    years[Treatment.ECO_ECONOMIC] = params["eco_economic_establish_years"]
    return years


def mode_costs(params: Mapping[str, Any]) -> np.ndarray:
    """Cost of each treatment mode, yuan/ha."""
    cost = np.zeros(len(Treatment))
    cost[Treatment.ENCLOSURE] = params["enclosure_cost_yuan_ha"]
    cost[Treatment.AFFORESTATION] = params["afforestation_cost_yuan_ha"]
    cost[Treatment.GRASS_PLANTING] = params["grass_planting_cost_yuan_ha"]
    cost[Treatment.ECO_ECONOMIC] = params["eco_economic_cost_yuan_ha"]
    return cost


START_WRITES = ("treatment_mode", "treatment_yr", "protected", "land_cover")
"""Layers :func:`start_treatment` writes (``land_cover`` through the land account)."""


def start_treatment(
    land: Landscape, cells: np.ndarray, mode: Treatment, cause: str = "afforestation"
) -> None:
    """Put flat-indexed ``cells`` under ``mode`` from this year on.

    Afforestation turns the planted cells into other forest land (未成林造林地: a planting
    counts as forest only when it closes, :class:`TreatmentEffects`), recorded with
    ``cause``; the other modes keep each cell's class until they establish (enclosure never
    changes it; eco-economic stands keep cropland cropland: crop restructuring)."""
    land["treatment_mode"].flat[cells] = mode
    land["treatment_yr"].flat[cells] = 0
    land["protected"].flat[cells] = True
    if mode == Treatment.AFFORESTATION:
        change_class(land, cells, LandCover.OTHER_FOREST, cause)


DIFFICULT_SLOPE_DEG = 45.0
"""Slope at which the slope term of :func:`treatment_difficulty` is 1 (cliffs and gorge
walls are not terraced or planted) [E]."""
DEEP_SOIL_CM = 30.0
"""Soil depth from which the soil term of :func:`treatment_difficulty` is 0 [E]."""


def treatment_difficulty(land: Landscape, cells: np.ndarray) -> np.ndarray:
    """How hard flat-indexed ``cells`` are to treat, 0 (easy) – 1 (hard): the mean of
    slope / 45°, bedrock exposure and 1 − soil depth / 30 cm (each clipped to 0–1)."""
    slope = np.minimum(land["slope_deg"].ravel()[cells] / DIFFICULT_SLOPE_DEG, 1.0)
    thin = 1.0 - np.minimum(land["soil_depth_cm"].ravel()[cells] / DEEP_SOIL_CM, 1.0)
    return (slope + land["bedrock_exposure"].ravel()[cells] + thin) / 3.0


def finished(land: Landscape, durations: np.ndarray) -> np.ndarray:
    """Cells whose treatment has run its course (or that were never treated)."""
    mode = land["treatment_mode"]
    return land["treatment_yr"] >= durations[mode]


def available_for_new_use(land: Landscape, durations: np.ndarray) -> np.ndarray:
    """Cells free for planting, enrolment or clearing: never treated, or whose enclosure
    has ended (planted stands stay planted)."""
    mode = land["treatment_mode"]
    ended = (mode == int(Treatment.ENCLOSURE)) & (
        land["treatment_yr"] >= durations[Treatment.ENCLOSURE]
    )  # finished() on enclosed cells, without looking up every cell's duration
    return (mode == int(Treatment.NONE)) | ended


def fragile_grassland(land: Landscape, slope_deg: float) -> np.ndarray:
    """Land grazed as grassland (:data:`~karstsim.model.processes.grazing.OPEN_LAND`: grass,
    shrub-grass slopes, unused land) that is rocky-desertified (light class or worse) or on a
    slope of at least ``slope_deg``: what the plan's extended grazing ban closes."""
    open_land = is_any(land["land_cover"], OPEN_LAND)
    return open_land & (
        (land["severity"] >= int(Severity.LIGHT)) | (land["slope_deg"] >= slope_deg)
    )


class TreatmentEffects:
    """Advances treatment clocks, establishes or fails plantings, and sets protection."""

    reads: ClassVar[tuple[str, ...]] = (
        "county",  # through the land account
        "soil_depth_cm",
        "treatment_mode",
        "treatment_yr",
        "land_cover",
        "succession_yr",
        "severity",
        "carbon_tC_ha",
        "bedrock_exposure",
        "corridor",
        "protected",
        "slope_deg",
    )
    writes: ClassVar[tuple[str, ...]] = (
        "treatment_mode",
        "treatment_yr",
        "land_cover",
        "succession_yr",
        "stand_age_yr",
        "protected",
        "gfg_year",
    )

    def __init__(self, params: Mapping[str, Any]):
        self.params = params
        self.durations = mode_durations(params)
        self.failure = np.zeros(len(Treatment))
        self.failure[Treatment.AFFORESTATION] = params["afforestation_failure_prob"]
        self.failure[Treatment.GRASS_PLANTING] = params["grass_failure_prob"]
        self.failure[Treatment.ECO_ECONOMIC] = params["eco_economic_failure_prob"]
        self.grazing_ban = params["grazing_ban_severe"]
        self.fragile_ban = params["grazing_ban_fragile_grassland"]
        self.fragile_slope = params["fragile_grassland_slope_deg"]
        self.corridor_closed = params["corridor_grazing_closure"]
        self.difficulty_penalty = params["difficulty_outcome_penalty"]
        self.carbon = CarbonModel(params)

    def run_one_year(self, land: Landscape, rng: np.random.Generator) -> None:
        mode = land["treatment_mode"]
        years = land["treatment_yr"]
        years += mode != int(Treatment.NONE)  # a year more under treatment
        planting = is_any(mode, PLANTING)
        checked = np.flatnonzero(planting & (years == 1))  # the first year's survival check
        draw = land.uniform(rng)  # one per cell, used or not
        harder = 1.0 + self.difficulty_penalty * treatment_difficulty(land, checked)
        failing = checked[draw[checked] < self.failure[mode.flat[checked]] * harder]
        mode.flat[failing] = Treatment.NONE
        years.flat[failing] = 0
        land["gfg_year"].flat[failing] = 0
        planting.flat[failing] = False
        self._establish(land, np.flatnonzero(planting & (years == self.durations[mode])))
        closed = years < self.durations[mode]
        if self.grazing_ban:
            sev = land["severity"]
            closed |= (sev >= int(Severity.SEVERE)) | (
                land["protected"] & (sev >= int(Severity.LIGHT))
            )
        if self.fragile_ban:
            closed |= fragile_grassland(land, self.fragile_slope)
        if self.corridor_closed:
            closed |= land["corridor"] > 0
        land["protected"] = closed

    def _establish(self, land: Landscape, cells: np.ndarray) -> None:
        """Plantings on flat-indexed ``cells`` (ascending) that have taken: tree plantings
        close and become forest (eco-economic stands on cropland stay cropland, restructured);
        sown grass makes unused land grassland."""
        mode = land["treatment_mode"].ravel()
        cover = land["land_cover"].ravel()
        progress = land["succession_yr"].ravel()
        sown_mask = mode[cells] == int(Treatment.GRASS_PLANTING)
        on_cropland = is_any(cover[cells], (LandCover.CROPLAND, LandCover.GARDEN))
        trees = cells[~sown_mask & ~on_cropland & (cover[cells] != int(LandCover.FOREST))]
        age_keeping_carbon = self.carbon.establishment_age(land, trees)
        land["stand_age_yr"].ravel()[trees] = np.maximum(
            age_keeping_carbon, land["treatment_yr"].ravel()[trees]
        )
        change_class(land, trees, LandCover.FOREST, "plantation_closure")
        progress[trees] = np.maximum(progress[trees], self.params["forest_years"])
        sown = cells[sown_mask]
        change_class(
            land, sown[cover[sown] == int(LandCover.BARE_ROCK)], LandCover.GRASS, "grass_planting"
        )
        progress[sown] = np.maximum(progress[sown], self.params["grass_years"])
