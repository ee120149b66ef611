"""Soil erosion and the bedrock it bares: how cropping and grazing degrade karst.

Soil loss (t/km²/yr), a RUSLE-like product:

    erosion = erosion_base_t_km2_yr × sin(slope) / sin(25°) × (1 − vegetation_cover)
              × use factor × min(1, soil_depth_cm / 5)

with use factor 1 on cropland and bare rock, ``grazing_erosion_factor`` on grazed land,
``natural_erosion_factor`` elsewhere and 0 on built land, water and mines (mines are the
mine agents' business), × (1 − ``erosion_control_effect``) on land under soil-erosion
control (terraces, hedgerows, check dams: RUSLE's support-practice factor). The lost depth is erosion / (``soil_bulk_density_t_m3`` × 10⁴)
cm. On carbonate rock every cm lost raises bedrock exposure by ``exposure_gain_per_cm``;
on unused land (not cropped, not grazed) exposure falls by ``exposure_recovery_rate`` ×
vegetation cover × exposure per year.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from karstsim.model.layers import WOODED, LandCover, Landscape, is_any

SIN_25 = np.sin(np.radians(25.0))
"""sin 25°: slopes are measured against the Grain-for-Green threshold of 25° [F]."""
ERODIBLE = np.array(
    [c not in (LandCover.MINE, LandCover.BUILT, LandCover.WATER) for c in LandCover]
)
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
        self.recovery = params["exposure_recovery_rate"]
        use = np.full(len(LandCover), params["natural_erosion_factor"])
        use[[LandCover.CROPLAND, LandCover.BARE_ROCK]] = 1.0
        use[[LandCover.MINE, LandCover.BUILT, LandCover.WATER]] = 0.0
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
        use = np.where(land["grazed"], self.grazing_factor, self.use_factor[land["land_cover"]])
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

    def run_one_year(self, land: Landscape, rng: np.random.Generator) -> None:
        loss = self.soil_loss(land)
        lost_cm = loss / (self.density * 1e4)
        land["erosion_t_km2"] = loss
        depth = np.subtract(land["soil_depth_cm"], lost_cm)
        land["soil_depth_cm"] = np.maximum(depth, 0.0, out=depth)
        exposure = land["bedrock_exposure"]
        unused = ~land["grazed"] & is_any(land["land_cover"], (*WOODED, LandCover.GRASS))
        change = np.multiply(lost_cm, self.gain, out=lost_cm)  # lost_cm is not needed after
        change *= land["carbonate"]
        recovered = np.multiply(land["vegetation_cover"], self.recovery)
        recovered *= exposure
        recovered *= unused
        change -= recovered
        change += exposure  # exposure + change: addition is commutative to the bit
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
