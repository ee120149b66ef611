"""Towns, villages and roads that take land, and the cropland that replaces what they take.

Each year ``built_expansion_ha_per_year`` (province-equivalent) of land becomes built land
(城镇村及工矿用地): the cropland, garden land, grassland and unused land nearest to a village
centre, outside the ecological red line, ties broken by a fixed-size draw (one number per
cell). Forest land is left alone: building on it needs the forestry administration's
approval within a small quota (建设项目使用林地审核审批) [E: a simplification]. Cropland
taken this way is replaced, as the law requires (耕地占补平衡: 《土地管理法》 art. 30), by as
much unused land or grassland made cropland: the cells with the deepest soil that are not
bare rock (``BARE_ROCK_EXPOSURE``) and not steeper than 25°. If there is no such land the
balance falls short, and the ledger shows it. Every change goes through the land account
(causes ``built_expansion`` and ``cropland_balance``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from karstsim.model import land_use
from karstsim.model.allocation import CellBudget
from karstsim.model.land_account import change_class
from karstsim.model.layers import FOREST_LAND, SEALED, LandCover, Landscape, Treatment, is_any
from karstsim.model.processes.succession import BARE_ROCK_EXPOSURE
from karstsim.model.streams import stable_order_head

STEEP_CROPLAND_DEG = 25.0
"""Slope above which new cropland is not made (the Grain-for-Green threshold) [F]."""
WRITES = ("land_cover", "succession_yr", "stand_age_yr", "treatment_mode", "treatment_yr", "owner")


class Building:
    """Built land growing around villages and the cropland balance it owes."""

    reads: ClassVar[tuple[str, ...]] = (
        "county",  # through the land account
        "land_cover",
        "distance_to_village_km",
        "red_line",
        "soil_depth_cm",
        "slope_deg",
        "bedrock_exposure",
    )
    writes: ClassVar[tuple[str, ...]] = WRITES

    def __init__(self, params: Mapping[str, Any], area_scale: float):
        self.area_ha = params["built_expansion_ha_per_year"] * area_scale
        self.budget = CellBudget()
        self.built_km2 = 0.0
        """Land built on this year, km²."""
        self.balanced_km2 = 0.0
        """Cropland made this year for cropland built on, km²."""

    def run_one_year(self, land: Landscape, rng: np.random.Generator) -> None:
        draw = land.uniform(rng)
        n = self.budget.cells(self.area_ha, land.cell_area_ha)
        cover = land["land_cover"].ravel()
        outside = ~land["red_line"].ravel() if "red_line" in land else True
        free = land.land.ravel() & ~is_any(cover, (*SEALED, *FOREST_LAND)) & outside
        candidates = np.flatnonzero(free)
        key = land["distance_to_village_km"].ravel()[candidates] + 1e-3 * draw[candidates]
        taken = candidates[stable_order_head(key, n)]
        cropland_lost = int(np.count_nonzero(cover[taken] == int(LandCover.CROPLAND)))
        land_use.build_on(land, taken)
        spare = np.flatnonzero(
            land.land.ravel()
            & is_any(cover, (LandCover.BARE_ROCK, LandCover.GRASS))
            & (land["bedrock_exposure"].ravel() < BARE_ROCK_EXPOSURE)
            & (land["slope_deg"].ravel() <= STEEP_CROPLAND_DEG)
            & (land["treatment_mode"].ravel() == int(Treatment.NONE))
        )
        made = spare[stable_order_head(-land["soil_depth_cm"].ravel()[spare], cropland_lost)]
        change_class(land, made, LandCover.CROPLAND, "cropland_balance")
        land["succession_yr"].flat[made] = 0
        self.built_km2 = taken.size * land.cell_area_km2
        self.balanced_km2 = made.size * land.cell_area_km2
