"""Carbon beyond the trees: soil organic carbon, grassland biomass and wetland carbon
(issue 13, item 10).

The plan (加快发展生态碳汇): "提升生态碳汇能力，有效发挥森林、草原、湿地、土壤、岩溶的固碳作用，
提升生态系统碳汇增量". The forest pools stay where they are (:mod:`.carbon`, the
``carbon_tC_ha`` layer and its outputs, which validation reads); this module adds the
others, so the ecosystem's sink is the forest figures plus these.

**Soil organic carbon** (``soil_carbon_tC_ha``, 0–30 cm, tC per ha of cell), an IPCC
Tier 1 stock-change model (2006 Guidelines, Vol. 4, ch. 2, eq. 2.25) with a first-order
approach to the equilibrium of the cell's land use and management::

    SOC_eq = soc_reference_tC_ha × F × (1 − bedrock_exposure)
    SOC   += (SOC_eq − SOC) / soc_transition_yr − a × SOC
    a      = erosion (t/ha) × soc_enrichment_ratio / (100 × soil_bulk_density_t_m3 × d)

with d = the soil depth within the top 30 cm (cm, at least 1): the eroded soil carries the
soil's carbon concentration (× the enrichment ratio) off the cell. Bare rock holds no soil,
hence the (1 − exposure). The stock-change factor F of the cell:

- forest and shrubland (eco-economic stands too): 1 (IPCC: native and managed forest soils
  keep the reference stock);
- grass: 1 (nominally managed), × ``soc_factor_grazed`` if grazed this year (moderately
  degraded), × ``soc_factor_improved_grass`` under sown and improved grass (the
  grassland programme, ``GRASS_PLANTING``);
- cropland: ``soc_factor_cropland`` (long-term cultivated);
- bare rock, and any cell of severe or extreme desertification: at most
  ``soc_factor_degraded`` (severely degraded);
- mine: 0 (the topsoil is stripped), so a mine loses its soil carbon over the years;
- built land and water (not wetland): not modelled, their stock stays as it is.

So enclosure and the closure of land gain soil carbon as grazing stops and the severity
class falls; afforestation of cropland gains 1 − 0.69 of the reference; cropping and
erosion lose it.

**Wetland carbon** (:mod:`.wetland`'s sites): a natural wetland site (not cropland)
accumulates ``wetland_carbon_accumulation_tC_ha_yr`` in its soil and sediment each year
if protected, × ``wetland_unprotected_factor`` if not (drawdown, disturbance, pollution),
instead of the mineral-soil rule; a reclaimed site (cropland) follows the cropland rule
and loses carbon; a restored one accumulates again.

**Grassland biomass** (:func:`grassland_biomass_tC_ha`): the ``carbon_tC_ha`` layer gives
grass a fixed density (``grass_carbon_tC_ha`` × the rock factor); here it is × the cell's
vegetation cover over its natural ungrazed target cover (:func:`.vegetation.target_cover`)
[E: biomass in proportion to cover], so grazing lowers it and sown grass raises it.

The start state is the steady state of the rule under the start year's land and erosion,
SOC = SOC_eq / (1 + a × soc_transition_yr), so that nothing drifts unless the land changes.

Sinks (:class:`SoilCarbon` keeps last year's state): the soil sink is the year's change of
soil carbon off the wetland sites, the wetland sink its change on them, and the grassland
sink the change of biomass and soil carbon on land that is grass in both years (IPCC's
"grassland remaining grassland"; its soil part is also in the soil sink).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from karstsim.model.layers import LandCover, Landscape, Severity, Treatment
from karstsim.model.processes.carbon import CO2_PER_C, pool_shares
from karstsim.model.processes.vegetation import target_cover

SOC_DEPTH_CM = 30.0
"""The IPCC reference depth of the soil organic carbon stock, cm [F] IPCC 2006 V4 ch. 2."""
MIN_SOIL_CM = 1.0
"""Soil depth below which the eroded soil's carbon concentration is taken at 1 cm, cm
(keeps the concentration finite on bare rock, where little soil is lost anyway)."""
NOT_MODELLED = (LandCover.BUILT, LandCover.WATER, LandCover.TRANSPORT)
"""Classes whose soil carbon stays as it is (off the wetland sites)."""


def grass_biomass(land: Landscape, params: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """The grass cells (flat indices, ascending) and their live biomass carbon with their
    cover, tC/ha: ``carbon_tC_ha`` × vegetation cover / natural ungrazed target cover."""
    cells = np.flatnonzero((land.land & (land["land_cover"] == int(LandCover.GRASS))).ravel())
    natural = target_cover(
        np.full(cells.size, LandCover.GRASS, dtype=np.int8),
        land["bedrock_exposure"].ravel()[cells],
        np.zeros(cells.size, bool),
        params["rock_cover_penalty"],
        0.0,
    )
    ratio = land["vegetation_cover"].ravel()[cells] / np.maximum(natural, 1e-6)
    return cells, land["carbon_tC_ha"].ravel()[cells] * ratio


def grassland_biomass_tC_ha(land: Landscape, params: Mapping[str, Any]) -> np.ndarray:
    """:func:`grass_biomass` as a layer, tC/ha (0 off grass)."""
    cells, biomass = grass_biomass(land, params)
    layer = np.zeros(land.land.size)
    layer[cells] = biomass
    return layer.reshape(land.shape)


class SoilCarbon:
    """Soil organic carbon (with wetland carbon) of every cell, and the year's sinks."""

    reads: ClassVar[tuple[str, ...]] = (
        "land_cover",
        "treatment_mode",
        "bedrock_exposure",
        "severity",
        "grazed",
        "erosion_t_km2",
        "soil_depth_cm",
        "wetland",
        "wetland_protected",
        "vegetation_cover",
        "carbon_tC_ha",
        "soil_carbon_tC_ha",
    )
    writes: ClassVar[tuple[str, ...]] = ("soil_carbon_tC_ha",)

    def __init__(self, params: Mapping[str, Any]):
        self.params = params
        self.tau = params["soc_transition_yr"]
        factor = np.ones(len(LandCover))
        factor[LandCover.CROPLAND] = params["soc_factor_cropland"]
        factor[LandCover.GARDEN] = params["soc_factor_cropland"]
        factor[LandCover.BARE_ROCK] = params["soc_factor_degraded"]
        factor[LandCover.MINE] = 0.0
        factor[list(NOT_MODELLED)] = np.nan
        self.class_factor = factor
        """Stock-change factor of each land-cover class before grazing, sown grass and
        severe desertification (NaN: not modelled)."""
        self.sinks_MtCO2 = {"soil": 0.0, "wetland": 0.0, "grassland": 0.0}
        """This year's soil, wetland and grassland sinks, MtCO₂/yr (0 in the start year)."""
        self._last: dict[str, np.ndarray] | None = None

    # --- the rule -------------------------------------------------------------------------------
    def equilibrium(self, land: Landscape) -> np.ndarray:
        """SOC_eq of every cell under its land use this year, tC/ha (NaN: not modelled)."""
        p = self.params
        cover = land["land_cover"]
        factor = self.class_factor[cover]
        grass = cover == int(LandCover.GRASS)
        factor[grass & land["grazed"]] = p["soc_factor_grazed"]
        factor[grass & (land["treatment_mode"] == int(Treatment.GRASS_PLANTING))] *= p[
            "soc_factor_improved_grass"
        ]
        severe = land["severity"] >= int(Severity.SEVERE)
        factor[severe] = np.minimum(factor[severe], p["soc_factor_degraded"])
        factor *= p["soc_reference_tC_ha"]
        factor *= 1.0 - land["bedrock_exposure"]
        return factor

    def erosion_rate(self, land: Landscape) -> np.ndarray:
        """Share of the soil carbon the year's soil loss carries off the cell, 1/yr."""
        p = self.params
        depth = np.clip(land["soil_depth_cm"], MIN_SOIL_CM, SOC_DEPTH_CM)
        # erosion t/km² ÷ 100 = t/ha; soil mass of the top d cm = 100 × ρ × d t/ha
        scale = p["soc_enrichment_ratio"] / (100.0 * 100.0 * p["soil_bulk_density_t_m3"])
        return np.minimum(land["erosion_t_km2"] * scale / depth, 1.0)

    def _wetland_sites(self, land: Landscape) -> tuple[np.ndarray, np.ndarray]:
        """Natural wetland sites (not cropland) and all wetland sites."""
        if "wetland" not in land:
            none = np.zeros(land.shape, dtype=bool)
            return none, none
        sites = land["wetland"] & land.land
        return sites & (land["land_cover"] != int(LandCover.CROPLAND)), sites

    def initialise(self, land: Landscape) -> None:
        """The start state: the rule's steady state under the start year's land use and
        erosion (natural wetland sites at the reference stock; built land and water 0)."""
        p = self.params
        eq = self.equilibrium(land)
        steady = np.nan_to_num(eq / (1.0 + self.erosion_rate(land) * self.tau), nan=0.0)
        natural, _ = self._wetland_sites(land)
        steady[natural] = p["soc_reference_tC_ha"]
        land["soil_carbon_tC_ha"] = steady * land.land
        self._last = self._state(land)

    # --- one year -------------------------------------------------------------------------------
    def run_one_year(self, land: Landscape, rng: np.random.Generator) -> None:
        p = self.params
        soc = land["soil_carbon_tC_ha"]
        change = self.equilibrium(land)
        change -= soc
        change /= self.tau
        change -= self.erosion_rate(land) * soc
        np.nan_to_num(change, copy=False, nan=0.0)  # built land and water: as they are
        natural, sites = self._wetland_sites(land)
        if natural.any():
            burial = p["wetland_carbon_accumulation_tC_ha_yr"]
            change[natural] = burial * np.where(
                land["wetland_protected"][natural], 1.0, p["wetland_unprotected_factor"]
            )
        change += soc
        np.maximum(change, 0.0, out=change)
        change *= land.land
        land["soil_carbon_tC_ha"] = change
        self._measure_sinks(land, sites)

    def _state(self, land: Landscape) -> dict[str, np.ndarray]:
        """Soil carbon, grass cells (flat) and their biomass, and the biomass as a layer."""
        cells, biomass = grass_biomass(land, self.params)
        layer = np.zeros(land.land.size)
        layer[cells] = biomass
        grass = np.zeros(land.land.size, dtype=bool)
        grass[cells] = True
        soil = land["soil_carbon_tC_ha"].ravel().copy()
        return {"soil": soil, "cells": cells, "biomass": layer, "grass": grass}

    def _measure_sinks(self, land: Landscape, sites: np.ndarray) -> None:
        now = self._state(land)
        last = self._last if self._last is not None else now
        to_MtCO2 = land.cell_area_ha * CO2_PER_C / 1e6
        d_soil = now["soil"] - last["soil"]
        wetland = float(d_soil[sites.ravel()].sum()) if sites.any() else 0.0
        kept = now["grass"] & last["grass"]
        d_grass = now["biomass"] - last["biomass"]
        d_grass += d_soil
        self.sinks_MtCO2 = {
            "soil": (float(d_soil.sum()) - wetland) * to_MtCO2,
            "wetland": wetland * to_MtCO2,
            "grassland": float(d_grass[kept].sum()) * to_MtCO2,
        }
        self._last = now

    def indicators(self, land: Landscape, biomass_stock_MtC: float) -> dict[str, float]:
        """Stocks read off the layers, MtC: soil organic carbon, the wetland sites' part of
        it, grassland biomass with its cover (as the process last saw it, at the end of the
        land processes), and the ecosystem's total: ``biomass_stock_MtC`` (the forest pools'
        ``carbon_stock_MtC``, every cell's biomass) with grass at its cover instead of its
        fixed density, plus soil organic carbon."""
        ha = land.cell_area_ha
        soil = land["soil_carbon_tC_ha"]
        sites = land["wetland"] & land.land if "wetland" in land else None
        state = self._last if self._last is not None else self._state(land)
        grass_MtC = float(state["biomass"].sum()) * ha / 1e6
        grass_fixed_MtC = float(land["carbon_tC_ha"].ravel()[state["cells"]].sum()) * ha / 1e6
        all_pools = sum(pool_shares(self.params).values())  # live + dead per t of live carbon
        soil_MtC = float(soil.sum()) * ha / 1e6
        return {
            "soil_carbon_MtC": soil_MtC,
            "wetland_carbon_MtC": float(soil[sites].sum()) * ha / 1e6 if sites is not None else 0.0,
            "grassland_biomass_MtC": grass_MtC,
            "ecosystem_carbon_MtC": biomass_stock_MtC
            + (grass_MtC - grass_fixed_MtC) * all_pools
            + soil_MtC,
        }
