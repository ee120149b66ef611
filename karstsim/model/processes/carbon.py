"""Forest stands, growing stock and carbon pools.

A forest stand's growing stock follows a karst yield curve, Chapman–Richards in volume::

    V(a) = V_site × (1 − exp(−k·a))^1.5            m³/ha
    V_site = stand_volume_max_m3_ha × (1 − rock_carbon_penalty × bedrock_exposure)
             (× eco_economic_carbon_factor for eco-economic stands)

Carbon pools are declared as InVEST's carbon model declares them, with IPCC 2006 (Vol. 4,
ch. 4) conversion factors, so that a cubic metre of growing stock is always the same carbon:

- above-ground biomass carbon = V × wood density × biomass expansion factor × carbon fraction
- below-ground = above-ground × root-to-shoot ratio
- dead organic matter (dead wood and litter) = above-ground × ``dead_organic_matter_fraction``
- soil organic carbon, grassland cover and wetland carbon are kept apart, in
  :mod:`.soil_carbon`, so that these forest pools mean what the forest observations mean.

``carbon_tC_ha`` holds live biomass (above + below ground). Shrubland holds
``shrub_carbon_tC_ha`` and grass and cropland ``grass_carbon_tC_ha`` of live biomass, both ×
the same rock factor; bare rock a tenth of grass; mine, built land and water none. The same
root and dead-matter shares split them into pools. One tonne of carbon is 44/12 t CO₂.

Stands age a year each year; tended stands (forest tending, 森林抚育) age
``1 + tending_growth_gain`` "growth years" while the tending lasts, the growth response
to thinning and release of young and middle-aged stands.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from karstsim.model.layers import LandCover, Landscape, Treatment

CURVE_SHAPE = 1.5
"""Exponent of the Chapman–Richards curve (fixed; its other two numbers are parameters)."""
CO2_PER_C = 44.0 / 12.0


def stand_volume(age_yr: np.ndarray, site_m3_ha: np.ndarray, k_per_yr: float) -> np.ndarray:
    """Growing stock (m³/ha) of a stand aged ``age_yr`` on a site whose asymptote is
    ``site_m3_ha``."""
    return site_m3_ha * (1.0 - np.exp(-k_per_yr * age_yr)) ** CURVE_SHAPE


def age_for_volume(volume_m3_ha: np.ndarray, site_m3_ha: np.ndarray, k_per_yr: float) -> np.ndarray:
    """Inverse of :func:`stand_volume`: the age (yr) at which a stand holds ``volume_m3_ha``."""
    ratio = np.clip(volume_m3_ha / np.maximum(site_m3_ha, 1e-9), 0.0, 0.999)
    return -np.log(1.0 - ratio ** (1.0 / CURVE_SHAPE)) / k_per_yr


def live_carbon_per_m3(params: Mapping[str, Any]) -> float:
    """Live biomass carbon (above + below ground) per m³ of growing stock, tC/m³: wood
    density × biomass expansion factor × carbon fraction × (1 + root-to-shoot ratio)."""
    above = params["wood_density_t_m3"] * params["biomass_expansion_factor"]
    return above * params["carbon_fraction"] * (1.0 + params["root_shoot_ratio"])


def pool_shares(params: Mapping[str, Any]) -> dict[str, float]:
    """Each pool's carbon per tonne of live biomass carbon (the InVEST pools modelled)."""
    root = params["root_shoot_ratio"]
    above = 1.0 / (1.0 + root)
    return {
        "above": above,
        "below": root * above,
        "dead": params["dead_organic_matter_fraction"] * above,
    }


def carbon_per_m3(params: Mapping[str, Any]) -> float:
    """Carbon in every modelled pool of a forest stand per m³ of its growing stock, tC/m³:
    live carbon × (1 + dead matter per tonne of live carbon)."""
    return live_carbon_per_m3(params) * (1.0 + pool_shares(params)["dead"])


class CarbonModel:
    """Growing stock and carbon densities from land cover, exposure and stand age."""

    def __init__(self, params: Mapping[str, Any]):
        self.volume_max = params["stand_volume_max_m3_ha"]
        self.k = params["stand_volume_k_per_yr"]
        self.rock_penalty = params["rock_carbon_penalty"]
        self.eco_factor = params["eco_economic_carbon_factor"]
        self.carbon_per_m3 = live_carbon_per_m3(params)
        grass = params["grass_carbon_tC_ha"]
        self.class_carbon = np.zeros(len(LandCover))
        self.class_carbon[LandCover.SHRUB] = params["shrub_carbon_tC_ha"]
        self.class_carbon[LandCover.GRASS] = grass
        self.class_carbon[LandCover.CROPLAND] = grass
        self.class_carbon[LandCover.BARE_ROCK] = 0.1 * grass
        self.class_carbon[LandCover.OTHER_FOREST] = grass  # young planted trees, cut-over
        self.class_carbon[LandCover.GARDEN] = params["shrub_carbon_tC_ha"]  # tea, orchards

    def rock_factor(self, bedrock_exposure: np.ndarray) -> np.ndarray:
        return 1.0 - self.rock_penalty * bedrock_exposure

    def site_volume(self, bedrock_exposure: np.ndarray, treatment_mode: np.ndarray) -> np.ndarray:
        """Asymptotic growing stock of the site (m³/ha)."""
        eco = np.where(treatment_mode == int(Treatment.ECO_ECONOMIC), self.eco_factor, 1.0)
        return self.volume_max * self.rock_factor(bedrock_exposure) * eco

    def density(self, land: Landscape) -> np.ndarray:
        """Live biomass carbon of every cell (tC/ha) from its current state."""
        exposure = land["bedrock_exposure"]
        cover = land["land_cover"]
        carbon = self.class_carbon[cover] * self.rock_factor(exposure)
        forest = np.flatnonzero(cover == int(LandCover.FOREST))
        site = self.site_volume(exposure.ravel()[forest], land["treatment_mode"].ravel()[forest])
        stand = stand_volume(land["stand_age_yr"].ravel()[forest], site, self.k)
        stand *= self.carbon_per_m3
        carbon.ravel()[forest] = stand
        return carbon

    def establishment_age(self, land: Landscape, cells: np.ndarray) -> np.ndarray:
        """Age (yr) a new forest stand on ``cells`` (a mask of the grid, or flat indices)
        starts at, so it keeps the carbon it had."""

        def at(name: str) -> np.ndarray:
            layer = land[name]
            return layer[cells] if cells.dtype == bool else layer.ravel()[cells]

        site = self.site_volume(at("bedrock_exposure"), at("treatment_mode"))
        return age_for_volume(at("carbon_tC_ha") / self.carbon_per_m3, site, self.k)


class CarbonGrowth:
    """Ages forest stands by a year (more while tended) and updates every cell's carbon."""

    reads: ClassVar[tuple[str, ...]] = (
        "land_cover",
        "bedrock_exposure",
        "treatment_mode",
        "stand_age_yr",
        "tended_yr",
    )
    writes: ClassVar[tuple[str, ...]] = ("stand_age_yr", "carbon_tC_ha")

    def __init__(self, params: Mapping[str, Any]):
        self.carbon = CarbonModel(params)
        self.tending_gain = params["tending_growth_gain"]
        self.tending_years = params["tending_effect_years"]

    def run_one_year(self, land: Landscape, rng: np.random.Generator) -> None:
        forest = land["land_cover"] == int(LandCover.FOREST)
        tended = land["tended_yr"]
        responding = (tended > 0) & (land.year - tended < self.tending_years)
        age = land["stand_age_yr"]
        age += 1.0 + self.tending_gain * responding
        age *= forest
        land["carbon_tC_ha"] = self.carbon.density(land) * land.land
