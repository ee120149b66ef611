"""Ecological red line and protected areas: zoning layers and their rules (issue 13, item 3).

The plan: 生态保护红线比例 26.06 % (Table 1; 划定生态保护红线面积 4.59 万平方公里) and
"到2025年，自然保护地面积占全省国土面积达到6.84%以上". The zones are laid where the habitat
is most valuable, as a cell's **habitat value** (:func:`habitat_value`):

    value = [corridor] + [wooded] + ½ [habitat forest] + [steep karst] + [water source]
            − [cropland]

(corridor: one of the plan's four mountain belts or eight river corridors; habitat forest:
forest of at least ``habitat_min_age_yr``; steep karst: carbonate rock at ≥ 25°; water
source: river corridor channel or water), averaged over a window of
:data:`ZONE_BLOCK_KM` so that zones come in blocks, not single cells. Built land and mines
are never zoned. The red line is the ``red_line_share`` of land with the highest value,
protected areas the ``protected_area_share`` with the highest (so they lie inside the red
line, as the national rules put them); each grows by its expansion lever every year after
the start, onto the next most valuable land (the ranking is made once, at the start).

Rules, each year after the treatment effects (:class:`Zoning.run_one_year`):

* protected areas are closed to grazing (and the red line too if ``red_line_grazing_ban``):
  the cells join ``protected``, so grazing them is an illegal act households may attempt;
* elsewhere in the model: illegal acts (grazing, clearing) in the red line are also caught by
  remote-sensing monitoring with probability ``zone_monitoring_detection``
  (:mod:`karstsim.model.resolution`); no new mine opens in the red line
  (:mod:`karstsim.agents.mines`); steep cropland in the red line offered to Grain-for-Green
  is admitted first (the limit on cropland).

With both shares and expansions zero the layers are empty and nothing changes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
from scipy import ndimage

from karstsim.model.layers import WOODED, LandCover, Landscape, is_any
from karstsim.model.streams import lexsort_head

ZONE_BLOCK_KM = 5.0
"""Side of the window over which habitat value is averaged before ranking, km [E]: red-line
and protected-area blocks are several km across, not single cells."""

STEEP_KARST_DEG = 25.0
"""Slope from which carbonate land counts as steep karst, degrees (the slope of the national
Grain-for-Green rule) [E]."""

ZONE_LAYERS = ("red_line", "protected_area")


def habitat_value(land: Landscape, params: Mapping[str, Any]) -> np.ndarray:
    """Each cell's habitat value (the formula in the module's docstring), block-averaged."""
    cover = land["land_cover"]
    forest = (cover == int(LandCover.FOREST)) & (
        land["stand_age_yr"] >= params["habitat_min_age_yr"]
    )
    value = (
        (land["corridor"] > 0).astype(float)
        + is_any(cover, WOODED)
        + 0.5 * forest
        + (land["carbonate"] & (land["slope_deg"] >= STEEP_KARST_DEG))
        + (land["river"] | (cover == int(LandCover.WATER)))
        - (cover == int(LandCover.CROPLAND))
    )
    window = max(1, round(ZONE_BLOCK_KM / land.cell_size_km))
    if window > 1:
        value = land.from_grid(ndimage.uniform_filter(land.to_grid(value, 0.0), size=window))
    return value


class Zoning:
    """The red line and protected areas: designation, yearly expansion and grazing rule."""

    reads: ClassVar[tuple[str, ...]] = (
        "land_cover",
        "corridor",
        "carbonate",
        "slope_deg",
        "river",
        "stand_age_yr",
        "protected",
    )
    writes: ClassVar[tuple[str, ...]] = ("red_line", "protected_area", "protected")

    def __init__(self, params: Mapping[str, Any]):
        self.params = params
        self.order = np.zeros(0, dtype=np.int64)
        """The first zonable cells (flat indices), most valuable first: as many as the
        zones have needed so far (:meth:`_head`; the rest are ranked when needed)."""
        self.zonable = 0
        """Number of zonable cells."""
        self._ranking: tuple[np.ndarray, tuple[np.ndarray, np.ndarray]] | None = None
        self.cells = {"red_line": 0.0, "protected_area": 0.0}
        """Cells each zone should hold (fractional: the expansion adds parts of cells)."""

    @property
    def active(self) -> bool:
        p = self.params
        return any(
            p[name] > 0
            for name in (
                "red_line_share",
                "protected_area_share",
                "red_line_expansion_pp_per_year",
                "protected_area_expansion_pp_per_year",
            )
        )

    def designate(self, land: Landscape, keys: np.ndarray) -> None:
        """Rank the land by habitat value and lay the start year's zones; ``keys`` (one
        uniform number per cell) break ties."""
        p = self.params
        for name in ZONE_LAYERS:
            land[name] = np.zeros(land.shape, dtype=bool)
        if not self.active:
            return
        eligible = land.land & ~is_any(land["land_cover"], (LandCover.BUILT, LandCover.MINE))
        cells = np.flatnonzero(eligible.ravel())
        value = habitat_value(land, p).ravel()[cells]
        self._ranking = (cells, (keys[cells], -value))
        self.zonable = cells.size
        self.order = cells[:0]
        n_land = land.land_cells
        self.cells = {
            "red_line": p["red_line_share"] * n_land,
            "protected_area": p["protected_area_share"] * n_land,
        }
        self._lay(land)
        self.apply_rules(land)

    def _lay(self, land: Landscape) -> None:
        # whole cells, rounded up: the zones hold at least their share
        protected_n = min(math.ceil(self.cells["protected_area"] - 1e-9), self.zonable)
        red_n = min(max(math.ceil(self.cells["red_line"] - 1e-9), protected_n), self.zonable)
        order = self._head(red_n)
        for name, n in (("red_line", red_n), ("protected_area", protected_n)):
            zone = np.zeros(land.land.size, dtype=bool)
            zone[order[:n]] = True
            land[name] = zone.reshape(land.shape)

    def _head(self, n: int) -> np.ndarray:
        """The ``n`` most valuable zonable cells in rank order (value, then the tie-break
        draw, then index: a lexsort of them all, ranked only as far as the zones reach,
        with room for some years' expansion)."""
        if n > self.order.size and self._ranking is not None:
            cells, keys = self._ranking
            reach = min(self.zonable, max(n + n // 4, n + self.zonable // 20))
            self.order = cells[lexsort_head(keys, reach)]
            if reach == self.zonable:  # all ranked
                self._ranking = None
        return self.order[:n]

    def apply_rules(self, land: Landscape) -> None:
        """Close the zones that the rules close to grazing."""
        closed = land["protected_area"]
        if self.params["red_line_grazing_ban"]:
            closed = closed | land["red_line"]
        if closed.any():
            land["protected"] = land["protected"] | closed

    def run_one_year(self, land: Landscape, rng: np.random.Generator) -> None:
        """Extend the zones by this year's expansion, then apply the grazing rule."""
        if not self.zonable:
            return
        p, n_land = self.params, land.land_cells
        grow_red = p["red_line_expansion_pp_per_year"] / 100.0 * n_land
        grow_protected = p["protected_area_expansion_pp_per_year"] / 100.0 * n_land
        if grow_red or grow_protected:
            self.cells["red_line"] += grow_red
            self.cells["protected_area"] += grow_protected
            self._lay(land)
        self.apply_rules(land)


def zone_indicators(land: Landscape, habitat: np.ndarray) -> dict[str, float]:
    """Share of land in each zone and share of habitat inside it, %."""
    n = max(land.land_cells, 1)
    habitat_cells = max(int(np.count_nonzero(habitat)), 1)
    out = {}
    for name, prefix in (("red_line", "red_line"), ("protected_area", "protected_area")):
        zone = land[name] & land.land
        out[f"{prefix}_pct"] = 100.0 * np.count_nonzero(zone) / n
        out[f"{prefix}_habitat_pct"] = 100.0 * np.count_nonzero(zone & habitat) / habitat_cells
    return out
