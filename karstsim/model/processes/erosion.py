"""Soil erosion and the bedrock it bares: how cropping and grazing degrade karst.

Soil loss (t/km²/yr), a RUSLE-like product:

    erosion = erosion_base_t_km2_yr × sin(slope) / sin(25°) × (1 − vegetation_cover)
              × use factor × min(1, soil_depth_cm / 5)

with use factor 1 on cropland and bare rock, ``grazing_erosion_factor`` on grazed land,
``natural_erosion_factor`` elsewhere and 0 on built land, water and mines (mines are the
mine agents' business). The lost depth is erosion / (``soil_bulk_density_t_m3`` × 10⁴)
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
