"""Biomass carbon: stand carbon grows with age toward a karst-appropriate ceiling.

Forest carbon density follows a Chapman–Richards curve
``C(a) = ceiling × (1 − exp(−k·a))^1.5`` with
``ceiling = forest_carbon_max_tC_ha × (1 − rock_carbon_penalty × bedrock_exposure)``
(× ``eco_economic_carbon_factor`` for eco-economic stands). Shrubland holds
``shrub_carbon_tC_ha`` and grass and cropland ``grass_carbon_tC_ha``, both × the same rock
factor; bare rock a tenth of grass; mine, built land and water none. Units: tC/ha; one
tonne of carbon is 44/12 t CO₂.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from karstsim.model.layers import LandCover, Landscape, Treatment

CURVE_SHAPE = 1.5
"""Exponent of the Chapman–Richards curve (fixed; the fit's other two numbers are parameters)."""
CO2_PER_C = 44.0 / 12.0


def stand_carbon(age_yr: np.ndarray, ceiling_tC_ha: np.ndarray, k_per_yr: float) -> np.ndarray:
    """Stand biomass carbon (tC/ha) at ``age_yr`` on a site with ``ceiling_tC_ha``."""
    return ceiling_tC_ha * (1.0 - np.exp(-k_per_yr * age_yr)) ** CURVE_SHAPE


def age_for_carbon(
    carbon_tC_ha: np.ndarray, ceiling_tC_ha: np.ndarray, k_per_yr: float
) -> np.ndarray:
    """Inverse of :func:`stand_carbon`: the age (yr) at which a stand holds ``carbon_tC_ha``."""
    ratio = np.clip(carbon_tC_ha / np.maximum(ceiling_tC_ha, 1e-9), 0.0, 0.999)
    return -np.log(1.0 - ratio ** (1.0 / CURVE_SHAPE)) / k_per_yr


class CarbonModel:
    """Carbon densities from land cover, exposure and stand age."""

    def __init__(self, params: Mapping[str, Any]):
        self.forest_max = params["forest_carbon_max_tC_ha"]
        self.k = params["forest_carbon_k_per_yr"]
        self.rock_penalty = params["rock_carbon_penalty"]
        self.eco_factor = params["eco_economic_carbon_factor"]
        grass = params["grass_carbon_tC_ha"]
        self.class_carbon = np.zeros(len(LandCover))
        self.class_carbon[LandCover.SHRUB] = params["shrub_carbon_tC_ha"]
        self.class_carbon[LandCover.GRASS] = grass
        self.class_carbon[LandCover.CROPLAND] = grass
        self.class_carbon[LandCover.BARE_ROCK] = 0.1 * grass

    def rock_factor(self, bedrock_exposure: np.ndarray) -> np.ndarray:
        return 1.0 - self.rock_penalty * bedrock_exposure

    def forest_ceiling(
        self, bedrock_exposure: np.ndarray, treatment_mode: np.ndarray
    ) -> np.ndarray:
        """Site carbon ceiling of forest (tC/ha)."""
        eco = np.where(treatment_mode == Treatment.ECO_ECONOMIC, self.eco_factor, 1.0)
        return self.forest_max * self.rock_factor(bedrock_exposure) * eco

    def density(self, land: Landscape) -> np.ndarray:
        """Carbon density of every cell (tC/ha) from its current state."""
        exposure = land["bedrock_exposure"]
        cover = land["land_cover"]
        carbon = self.class_carbon[cover] * self.rock_factor(exposure)
        forest = cover == LandCover.FOREST
        ceiling = self.forest_ceiling(exposure[forest], land["treatment_mode"][forest])
        carbon[forest] = stand_carbon(land["stand_age_yr"][forest], ceiling, self.k)
        return carbon

    def establishment_age(self, land: Landscape, cells: np.ndarray) -> np.ndarray:
        """Age (yr) a new forest stand on ``cells`` starts at, so it keeps the carbon it had."""
        ceiling = self.forest_ceiling(
            land["bedrock_exposure"][cells], land["treatment_mode"][cells]
        )
        return age_for_carbon(land["carbon_tC_ha"][cells], ceiling, self.k)


class CarbonGrowth:
    """Ages forest stands by a year and updates every cell's carbon density."""

    reads: ClassVar[tuple[str, ...]] = (
        "land_cover",
        "bedrock_exposure",
        "treatment_mode",
        "stand_age_yr",
    )
    writes: ClassVar[tuple[str, ...]] = ("stand_age_yr", "carbon_tC_ha")

    def __init__(self, params: Mapping[str, Any]):
        self.carbon = CarbonModel(params)

    def run_one_year(self, land: Landscape, rng: np.random.Generator) -> None:
        forest = land["land_cover"] == LandCover.FOREST
        age = land["stand_age_yr"]
        age += 1.0
        age *= forest
        land["carbon_tC_ha"] = self.carbon.density(land) * land.land
