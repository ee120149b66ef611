"""Relocation out of fragile land (易地搬迁; issue 13, item 7).

The plan reports "全面完成 192 万人易地扶贫搬迁任务" for the 13th plan and, for 2021–25, asks
"对难以消除和工程治理难度大的地质灾害隐患点，实施地质灾害避险移民搬迁" (no figure). The lever
``relocation_people_per_year`` (province-equivalent) moves that many people a year, whole
household agents, out of the most fragile villages.

**From where.** A village's fragility is (1 − w) × its share of land in moderate or worse
rocky desertification + w × its mean slope / 45°, w = ``relocation_hazard_weight`` (0: by
desertification, 1: by steepness, the geohazard proxy). Agents of the most fragile villages
go first (ties by the year's stream); an agent moves once.

**What changes.** The agent's plots leave it (they become collective land, ``owner`` −1): its
cropland goes idle and becomes grass (succession from the grass stage), or is planted with
trees at ``afforestation_cost_yuan_ha`` if ``relocation_plots_afforested``. The household
works off-farm from then on (all its labour; it keeps its other income), so its crop and
livestock income ends. The government pays ``relocation_cost_yuan_pc`` a person moved
(housing and services in the new place).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from karstsim.model.allocation import CellBudget
from karstsim.model.land_account import change_class
from karstsim.model.layers import LandCover, Landscape, Severity, Treatment
from karstsim.model.processes.treatment import START_WRITES, start_treatment
from karstsim.model.streams import lexsort_head

WRITES = tuple(dict.fromkeys(("owner", "succession_yr", "stand_age_yr", *START_WRITES)))


class Relocation:
    """Household agents leaving fragile villages, and the land they leave."""

    reads: ClassVar[tuple[str, ...]] = (
        "county",  # through the land account
        "owner",
        "land_cover",
        "severity",
        "slope_deg",
        "village_id",
    )
    writes: ClassVar[tuple[str, ...]] = WRITES

    def __init__(self, params: Mapping[str, Any], area_scale: float, households: Any):
        self.params = params
        self.area_scale = area_scale
        self.households = households
        self.budget = CellBudget()
        self.people_cum = 0.0
        self.households_cum = 0.0
        self.released_km2_cum = 0.0
        self.cost_yuan = 0.0

    def village_fragility(self, land: Landscape) -> np.ndarray:
        """Fragility of each village, 0–1 (see the module docstring)."""
        w = self.params["relocation_hazard_weight"]
        village = land.on_land(land["village_id"])
        n_villages = max(int(land["village"].sum()), 1)
        cells = np.maximum(np.bincount(village, minlength=n_villages), 1)
        degraded = np.bincount(
            village,
            weights=land.on_land(land["severity"]) >= int(Severity.MODERATE),
            minlength=n_villages,
        )
        slope = np.bincount(village, weights=land.on_land(land["slope_deg"]), minlength=n_villages)
        return (1.0 - w) * degraded / cells + w * np.minimum(slope / cells / 45.0, 1.0)

    def run_one_year(self, land: Landscape, rng: np.random.Generator) -> None:
        p, hh = self.params, self.households
        keys = rng.random(hh.n)  # one per agent, used or not
        self.cost_yuan = 0.0
        people_per_agent = hh.members * hh.per_agent
        target = p["relocation_people_per_year"] * self.area_scale
        if target <= 0:
            return
        mean_people = float(people_per_agent.mean())
        n = self.budget.cells(target, mean_people)
        staying = np.flatnonzero(~hh.relocated)
        if n == 0 or staying.size == 0:
            return
        fragility = self.village_fragility(land)[hh.village[staying]]
        chosen = staying[lexsort_head((keys[staying], -fragility), n)]
        owner = land["owner"].ravel()
        left = np.flatnonzero(np.isin(owner, chosen))
        cover = land["land_cover"].ravel()
        crops = left[cover[left] == int(LandCover.CROPLAND)]
        if p["relocation_plots_afforested"]:
            start_treatment(land, crops, Treatment.AFFORESTATION, "relocation")
            self.cost_yuan += crops.size * land.cell_area_ha * p["afforestation_cost_yuan_ha"]
        else:
            change_class(land, crops, LandCover.GRASS, "relocation")
            land["succession_yr"].flat[crops] = p["grass_years"]
            land["stand_age_yr"].flat[crops] = 0.0
        land["owner"].flat[left] = -1
        hh.relocate(chosen)
        moved = float(people_per_agent[chosen].sum())
        self.people_cum += moved
        self.households_cum += chosen.size * hh.per_agent
        self.released_km2_cum += left.size * land.cell_area_km2
        self.cost_yuan += moved * p["relocation_cost_yuan_pc"]
