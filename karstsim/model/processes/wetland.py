"""Wetlands: sites, protection and restoration (issue 13, item 5).

The plan: 湿地保护率 51.5 % in 2020 → "55 以上" (Table 1, binding), "确保全省自然湿地面积不减少
… 加强退化湿地修复 … 到 2025 年，湿地保护率达到 55%以上", and in the Chishui River basin
"湿地保护率达到 55%以上".

**Sites** (:meth:`Wetlands.designate`, when the model is built): ⌈``wetland_share`` × land
cells⌉ wetland sites (``wetland``): water first, then the channel and valley floor of the
river corridors (``river``), then other land, the flattest first; never built land or mines.
A site is *natural* wetland unless it is cropland (reclaimed: drained and farmed).
``wetland_share`` 0 (the default) means no wetland sub-model at all.

**Protection** (``wetland_protected``): in the start year ⌈``wetland_protection_2020`` ×
natural sites⌉, those in protected areas first, then in the red line, then the flattest;
each later year ``wetland_protection_gain_pp_per_year`` points of the sites more (wetland
parks and small protection sites), in the same order. Protected wetland is closed to
grazing (it joins ``protected``) and is never reclaimed.

**Loss and restoration** each year: an unprotected natural site that is not wooded (open
water, wet meadow) is reclaimed for crops with probability ``wetland_reclamation_rate`` (one
draw per site); ``wetland_restoration_ha_per_year`` (province-equivalent) of reclaimed
sites, in the protection order, are restored to water at
``wetland_restoration_cost_yuan_ha`` (their holders lose the crop).

The **wetland protection rate** is protected natural wetland over natural wetland.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from karstsim.model.allocation import CellBudget
from karstsim.model.land_account import change_class
from karstsim.model.layers import WOODED, LandCover, Landscape, is_any
from karstsim.model.streams import lexsort_head

WETLAND_LAYERS = ("wetland", "wetland_protected")


class Wetlands:
    """Wetland sites, their protection, reclamation and restoration."""

    reads: ClassVar[tuple[str, ...]] = (
        "county",  # through the land account
        "land_cover",
        "river",
        "slope_deg",
        "red_line",
        "protected_area",
        "protected",
    )
    writes: ClassVar[tuple[str, ...]] = (*WETLAND_LAYERS, "land_cover", "protected")

    def __init__(self, params: Mapping[str, Any], area_scale: float):
        self.params = params
        self.area_scale = area_scale
        self.order = np.zeros(0, dtype=np.int64)
        """Sites (flat indices) in the order protection reaches them."""
        self.protected_cells = 0.0
        self.budget = CellBudget()
        self.reclaimed_ha_cum = 0.0
        self.restored_ha_cum = 0.0
        self.cost_yuan = 0.0

    @property
    def active(self) -> bool:
        return self.params["wetland_share"] > 0

    def designate(self, land: Landscape) -> None:
        """Lay the wetland sites and the start year's protected wetland."""
        p = self.params
        for name in WETLAND_LAYERS:
            land[name] = np.zeros(land.shape, dtype=bool)
        if not self.active:
            return
        cover = land["land_cover"].ravel()
        eligible = np.flatnonzero(
            land.land.ravel() & ~is_any(cover, (LandCover.BUILT, LandCover.MINE))
        )
        slope = land["slope_deg"].ravel()[eligible]
        water = cover[eligible] == int(LandCover.WATER)
        river = land["river"].ravel()[eligible]
        n_sites = min(math.ceil(p["wetland_share"] * land.land_cells - 1e-9), eligible.size)
        ranked = eligible[lexsort_head((slope, ~river, ~water), n_sites)]
        sites = np.zeros(land.land.size, dtype=bool)
        sites[ranked[:n_sites]] = True
        land["wetland"] = sites.reshape(land.shape)
        site_cells = ranked[:n_sites]
        zoned = land["protected_area"].ravel() if "protected_area" in land else sites & False
        red = land["red_line"].ravel() if "red_line" in land else sites & False
        self.order = site_cells[
            np.lexsort(
                (slope[np.searchsorted(eligible, site_cells)], ~red[site_cells], ~zoned[site_cells])
            )
        ]
        natural = int(np.count_nonzero(cover[site_cells] != int(LandCover.CROPLAND)))
        self.protected_cells = p["wetland_protection_2020"] * natural
        self._protect(land)
        self._close(land)

    def _protect(self, land: Landscape) -> None:
        """Protect natural sites in order until the protected count is reached."""
        cover = land["land_cover"].ravel()
        candidates = self.order[cover[self.order] != int(LandCover.CROPLAND)]
        n = min(math.ceil(self.protected_cells - 1e-9), candidates.size)
        protected = land["wetland_protected"].ravel().copy()
        protected[candidates[:n]] = True
        land["wetland_protected"] = protected.reshape(land.shape)

    def _close(self, land: Landscape) -> None:
        land["protected"] = land["protected"] | land["wetland_protected"]

    def run_one_year(self, land: Landscape, rng: np.random.Generator) -> None:
        """Protection gain, reclamation of unprotected sites, restoration; grazing closure."""
        self.cost_yuan = 0.0
        if not self.order.size:
            return
        p = self.params
        draw = rng.random(self.order.size)  # one per site, used or not
        self.protected_cells += p["wetland_protection_gain_pp_per_year"] / 100.0 * self.order.size
        self._protect(land)
        cover = land["land_cover"]
        site_cover = cover.ravel()[self.order]
        reclaimable = (
            (site_cover != int(LandCover.CROPLAND))
            & ~is_any(site_cover, WOODED)
            & ~land["wetland_protected"].ravel()[self.order]
        )
        reclaimed = self.order[reclaimable & (draw < p["wetland_reclamation_rate"])]
        change_class(land, reclaimed, LandCover.CROPLAND, "wetland_reclamation")
        self.reclaimed_ha_cum += reclaimed.size * land.cell_area_ha
        n = self.budget.cells(
            p["wetland_restoration_ha_per_year"] * self.area_scale, land.cell_area_ha
        )
        if n:
            farmed = self.order[cover.ravel()[self.order] == int(LandCover.CROPLAND)][:n]
            change_class(land, farmed, LandCover.WATER, "wetland_restoration")
            ha = farmed.size * land.cell_area_ha
            self.restored_ha_cum += ha
            self.cost_yuan = ha * p["wetland_restoration_cost_yuan_ha"]
        self._close(land)

    def indicators(self, land: Landscape) -> dict[str, float]:
        """Natural wetland area and its protection rate."""
        if not self.order.size:
            return {"wetland_km2": 0.0, "wetland_protection_pct": 0.0}
        natural = land["wetland"] & (land["land_cover"] != int(LandCover.CROPLAND))
        n = int(np.count_nonzero(natural))
        protected = int(np.count_nonzero(natural & land["wetland_protected"]))
        return {
            "wetland_km2": n * land.cell_area_km2,
            "wetland_protection_pct": 100.0 * protected / n if n else 0.0,
        }
