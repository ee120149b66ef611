"""Forest management: tending of young and middle-aged stands, and timber harvest.

**Tending** (中幼林抚育, 森林质量精准提升) is a government programme of
``forest_tending_ha_per_year`` (province-equivalent, scaled by land area): each year it
tends forest stands younger than ``tending_max_age_yr`` that have not been tended within
``tending_effect_years``, chosen by a fixed-size draw (one number per cell, used or not, so
the programme's size moves only which cells are tended). A tended stand grows
``tending_growth_gain`` faster for ``tending_effect_years`` (see
:class:`~karstsim.model.processes.carbon.CarbonGrowth`). It is paid by the central
forest-tending subsidy, outside the provincial budget (``tending_cost_yuan_ha``).

**Timber harvest** (商品林采伐, within the harvest quota) takes
``timber_harvest_m3_ha_yr`` × the forest area a year from planted stands at least
``harvest_rotation_yr`` old, in an order drawn afresh each year (one number per cell, used
or not; the stand that would pass the year's volume is cut with the chance of the volume
left, so the harvest is right on average): the cut stands are replanted the same year (the
law requires it) and start again at age 0, so forest cover is kept and growing stock and
carbon fall by what was cut. Natural forest is not harvested (natural-forest protection),
nor are public-welfare forest, bought-back forest and featured-crop groves; mature national
reserve forest is cut first (issue 13, item 6: :mod:`karstsim.model.processes.forest_economy`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from karstsim.model.layers import LandCover, Landscape, Treatment
from karstsim.model.processes.carbon import CarbonModel, stand_volume
from karstsim.model.streams import lexsort_head, stable_order_head


def tend_forest(
    land: Landscape, area_ha: float, params: Mapping[str, Any], rng: np.random.Generator
) -> np.ndarray:
    """Tend ``area_ha`` of young and middle-aged stands this year; return the cells' flat
    indices. ``tended_yr`` of those cells becomes this year."""
    draw = land.uniform(rng, extra=1)  # one per cell, used or not, and one for rounding
    n = int(area_ha / land.cell_area_ha + draw[-1])  # the fraction of a cell by chance
    tended = land["tended_yr"].ravel()
    eligible = (
        (land["land_cover"].ravel() == int(LandCover.FOREST))
        & land.land.ravel()
        & (land["stand_age_yr"].ravel() < params["tending_max_age_yr"])
        & ((tended == 0) | (land.year - tended >= params["tending_effect_years"]))
    )
    cells = np.flatnonzero(eligible)
    if n <= 0 or cells.size == 0:
        return np.zeros(0, dtype=np.intp)
    chosen = cells[stable_order_head(draw[cells], n)]
    land["tended_yr"].flat[chosen] = land.year
    return chosen


class TimberHarvest:
    """Clear-cuts and replants planted stands past rotation up to the year's harvest volume."""

    reads: ClassVar[tuple[str, ...]] = (
        "land_cover",
        "treatment_mode",
        "stand_age_yr",
        "bedrock_exposure",
        "reserve_forest",
        "bought_back",
        "public_welfare_forest",
        "eco_crop",
    )
    writes: ClassVar[tuple[str, ...]] = ("stand_age_yr", "tended_yr")

    def __init__(self, params: Mapping[str, Any]):
        self.rate = params["timber_harvest_m3_ha_yr"]
        self.rotation = params["harvest_rotation_yr"]
        self.carbon = CarbonModel(params)
        self.harvested_m3 = 0.0
        """Growing stock cut this year, m³."""
        self.reserve_harvested_m3 = 0.0
        """Of which from national reserve forest, m³."""
        self.harvested_cells = np.zeros(0, dtype=np.intp)
        """Flat indices of the stands cut this year (the GEP's timber by county)."""
        self.harvested_cell_m3 = np.zeros(0)
        """Growing stock cut from each of them, m³."""

    def run_one_year(self, land: Landscape, rng: np.random.Generator) -> None:
        self.harvested_m3 = self.reserve_harvested_m3 = 0.0
        self.harvested_cells, self.harvested_cell_m3 = np.zeros(0, dtype=np.intp), np.zeros(0)
        draw = land.uniform(rng, extra=1)  # one per cell, used or not, and one for rounding
        rounding = draw[-1]
        cover = land["land_cover"].ravel()
        forest = (cover == int(LandCover.FOREST)) & land.land.ravel()
        quota = self.rate * np.count_nonzero(forest) * land.cell_area_ha
        age = land["stand_age_yr"].ravel()
        kept = land["bought_back"] | land["public_welfare_forest"] | (land["eco_crop"] > 0)
        mature = np.flatnonzero(
            forest
            & (land["treatment_mode"].ravel() == int(Treatment.AFFORESTATION))
            & (age >= self.rotation)
            & ~kept.ravel()
        )
        if quota <= 0 or mature.size == 0:
            return
        # reserve stands first, each group in the year's random order, as many as the quota
        # can take: a head of that order (longer heads while the quota outlasts it), the
        # same stands as a sort of them all
        reserve = land["reserve_forest"].ravel()
        keys = (draw[mature], ~reserve[mature])
        head = min(mature.size, 1024)
        while True:
            order = mature[lexsort_head(keys, head)]
            site = self.carbon.site_volume(
                land["bedrock_exposure"].ravel()[order], land["treatment_mode"].ravel()[order]
            )
            volume = stand_volume(age[order], site, self.carbon.k) * land.cell_area_ha
            # whole stands while the quota lasts, and the next one with the chance of the rest
            cumulative = np.cumsum(volume)
            n = int(np.searchsorted(cumulative, quota, side="right"))
            if n < order.size or order.size == mature.size:
                break
            head = min(mature.size, 4 * head)
        rest = quota - (cumulative[n - 1] if n else 0.0)
        if n < order.size and rounding * volume[n] < rest:
            n += 1
        cut = order[:n]
        self.harvested_m3 = float(volume[:n].sum())
        self.harvested_cells, self.harvested_cell_m3 = cut, volume[:n]
        self.reserve_harvested_m3 = float(volume[:n][reserve[cut]].sum())
        land["stand_age_yr"].flat[cut] = 0.0
        land["tended_yr"].flat[cut] = 0
