"""Soil erosion and the bedrock it bares: how cropping and grazing degrade karst.

Soil loss (t/km²/yr), a RUSLE-like product:

    erosion = erosion_base_t_km2_yr × sin(slope) / sin(25°) × (1 − vegetation_cover)
              × use factor × min(1, soil_depth_cm / 5)

with use factor 1 on cropland and bare rock, ``grazing_erosion_factor`` on grazed land other than shrubland (browsed shrub keeps its roots),
``natural_erosion_factor`` elsewhere and 0 on built land, water and mines (mines are the
mine agents' business), × (1 − ``erosion_control_effect``) on land under soil-erosion
control (terraces, hedgerows, check dams: RUSLE's support-practice factor). The lost depth is erosion / (``soil_bulk_density_t_m3`` × 10⁴)
cm. Soil forms at ``soil_formation_t_km2_yr`` on every cell that is not sealed (the
residue of carbonate dissolution and weathering), converted to depth the same way. Bedrock
exposure moves only with soil: on carbonate rock every cm lost raises it by
``exposure_gain_per_cm`` and every cm formed lowers it as much, so karst that has lost its
soil recovers over centuries, not years (vegetation cover changes the cover class of
:mod:`karstsim.model.severity`, not the rock).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from karstsim.model.layers import SEALED, LandCover, Landscape

SIN_25 = np.sin(np.radians(25.0))
"""sin 25°: slopes are measured against the Grain-for-Green threshold of 25° [F]."""
ERODIBLE = np.array([c not in SEALED for c in LandCover])
"""Land-cover classes soil-erosion control can work on."""
SUPPLY_LIMIT_SOIL_CM = 5.0
"""Soil depth below which soil loss is limited by the soil left, cm [E]: loss scales with
min(1, depth / 5 cm), so bare rock loses nothing."""


class SoilErosion:
    """Yearly soil loss, soil depth and bedrock exposure."""

    reads: ClassVar[tuple[str, ...]] = (
        "land_cover",
        "vegetation_cover",
        "slope_deg",
        "soil_depth_cm",
        "grazed",
        "carbonate",
        "bedrock_exposure",
        "erosion_control_yr",
    )
    writes: ClassVar[tuple[str, ...]] = ("erosion_t_km2", "soil_depth_cm", "bedrock_exposure")

    def __init__(self, params: Mapping[str, Any]):
        self.base = params["erosion_base_t_km2_yr"]
        self.density = params["soil_bulk_density_t_m3"]
        self.gain = params["exposure_gain_per_cm"]
        self.formation_t_km2 = params["soil_formation_t_km2_yr"]
        use = np.full(len(LandCover), params["natural_erosion_factor"])
        use[[LandCover.CROPLAND, LandCover.BARE_ROCK, LandCover.GARDEN]] = 1.0
        use[list(SEALED)] = 0.0
        self.use_factor = use
        self.grazing_factor = params["grazing_erosion_factor"]
        self.control_effect = params["erosion_control_effect"]

    def _slope_term(self, slope_deg: np.ndarray) -> np.ndarray:
        """erosion_base × sin(slope)/sin(25°), kept while the (static) slope layer is the
        same array."""
        if getattr(self, "_slope_source", None) is not slope_deg:
            self._slope_source = slope_deg
            self._slope_factor = self.base * (np.sin(np.radians(slope_deg)) / SIN_25)
        return self._slope_factor

    def soil_loss(self, land: Landscape) -> np.ndarray:
        """Soil loss of every cell this year, t/km²/yr."""
        # base × slope × (1 − cover) × use × min(1, depth / 5) × land, in that order and
        # in place (products of the same numbers in the same order: the same bits)
        cover = land["land_cover"]
        trampled = land["grazed"] & (cover != int(LandCover.SHRUB))  # shrub roots hold soil
        use = np.where(trampled, self.grazing_factor, self.use_factor[cover])
        loss = np.subtract(1.0, land["vegetation_cover"])
        loss *= self._slope_term(land["slope_deg"])
        loss *= use
        soil_limit = np.divide(land["soil_depth_cm"], SUPPLY_LIMIT_SOIL_CM, out=use)
        loss *= np.minimum(soil_limit, 1.0, out=soil_limit)
        loss *= land.land
        controlled = land["erosion_control_yr"] > 0
        if self.control_effect and controlled.any():
            loss[controlled] *= 1.0 - self.control_effect
        return loss

    def potential_loss(self, land: Landscape) -> np.ndarray:
        """Potential soil loss of every cell, t/km²/yr: the same product with no vegetation
        cover, use factor 1 and no control practice (RUSLE's R·K·LS: C = P = 1) on land whose
        soil can erode (0 on mines, built land, transport and water), still limited by the
        soil left. Potential minus :meth:`soil_loss` is the soil retained (GEP)."""
        potential = self._slope_term(land["slope_deg"]) * ERODIBLE[land["land_cover"]]
        soil_limit = np.minimum(land["soil_depth_cm"] / SUPPLY_LIMIT_SOIL_CM, 1.0)
        return potential * soil_limit * land.land

    def run_one_year(self, land: Landscape, rng: np.random.Generator) -> None:
        loss = self.soil_loss(land)
        land["erosion_t_km2"] = loss
        formed = self.formation_t_km2 * ERODIBLE[land["land_cover"]]
        net_lost_cm = np.subtract(loss, formed) / (self.density * 1e4)
        depth = np.subtract(land["soil_depth_cm"], net_lost_cm)
        land["soil_depth_cm"] = np.maximum(depth, 0.0, out=depth)
        change = np.multiply(net_lost_cm, self.gain, out=net_lost_cm)
        change *= land["carbonate"]
        change += land["bedrock_exposure"]
        land["bedrock_exposure"] = np.clip(change, 0.0, 1.0, out=change)


def control_erosion(
    land: Landscape, area_ha: float, params: Mapping[str, Any], rng: np.random.Generator
) -> np.ndarray:
    """Put ``area_ha`` of the most eroding land under soil-erosion control this year (the
    plan's 水土流失综合治理, allocated by erosion intensity); return the cells' flat indices.

    Candidates are land cells not yet controlled whose class can be worked (not mine, built
    land or water), taken in order of this year's soil loss, ties broken by a fixed-size
    draw (one number per cell, used or not); ``erosion_control_yr`` becomes this year.
    """
    draw = land.uniform(rng, extra=1)  # one per cell and one for the rounding
    n = int(area_ha / land.cell_area_ha + draw[-1])
    controlled = land["erosion_control_yr"].ravel()
    candidates = np.flatnonzero(
        land.land.ravel() & (controlled == 0) & ERODIBLE[land["land_cover"].ravel()]
    )
    if n <= 0 or candidates.size == 0:
        return np.zeros(0, dtype=np.intp)
    if n < candidates.size:  # the n largest losses, ties broken by the draw
        key = land["erosion_t_km2"].ravel()[candidates] + 1e-6 * draw[candidates]
        candidates = candidates[np.argpartition(-key, n - 1)[:n]]
    chosen = candidates
    land["erosion_control_yr"].flat[chosen] = land.year
    return chosen
