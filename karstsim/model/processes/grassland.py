"""Grassland and livestock: herds, stocking against carrying capacity, the grass–livestock
balance and the restoration of degraded grassland (issue 13, item 4).

The plan (加强草地生态系统保护修复): "坚持生态优先和草畜平衡原则，采取人工种草、草地改良、围栏封育
等工程措施，实施退化草原修复 … 对严重退化、石漠化和生态脆弱区的草地，严格实行禁牧休牧 … 到 2025 年，
治理退化草原 100 万亩，草畜平衡率 70%", and at once (促进生态畜牧业高质量发展) "到2025年，出栏
肉牛达230万头、肉羊达350万只". The plan expands herds while it bans grazing; this module makes
the two meet on the same grass.

**Herds** (:class:`Livestock`, province-equivalent, × the map's area scale). The yearly
offtake (出栏) of beef cattle and of sheep and goats rises linearly from its 2020 value in
2020 to its target in 2025 (:data:`HERD_RAMP`) and is held after, if ``livestock_herds``;
otherwise it stays at the 2020 value. The standing herd, in sheep units (羊单位), is

    herd = cattle offtake / cattle_offtake_rate × CATTLE_SHEEP_UNITS
           + sheep offtake / sheep_offtake_rate.

**Stocking.** Forage the herd takes from grazing, t DM/yr:
herd × SHEEP_UNIT_INTAKE_KG_DAY × 365 / 1000 × ``grazed_forage_share`` (the rest comes from
stalls: straw, crops, sown fodder), shared among villages by their household agents.
Carrying capacity of a village: over its open cells that livestock can reach and that are not
closed (:func:`~karstsim.model.processes.grazing.grazeable`), ha × ``grass_yield_t_dm_ha`` ×
vegetation cover × PROPER_USE. The stocking ratio S = demand / capacity; a village is in
balance if S ≤ 1, and the **grass–livestock balance rate** (草畜平衡率) is the share of the
grazing land (:data:`~karstsim.model.processes.grazing.OPEN_LAND`: grassland, shrub-grass
slopes, unused and idle forest land) that lies in villages in balance.

**Effects** (if ``livestock_herds``), relative to the start state as it was before the
zones' grazing rules (:meth:`Livestock.reference`), so that without herds or new bans the
start is as it was: with r = S / S(start) of the household's village, households graze
min(1, ``grazing_pressure`` × r) of their reachable open land and are r times as tempted to
graze closed land; livestock income scales with the herd (herd / herd(start)); and forage
missing beyond the start year's deficit is bought at ``fodder_price_yuan_t``.

**Restoration** (:class:`GrasslandRestoration`, a land process): each year
``grassland_restoration_ha_per_year`` (province-equivalent) of the most degraded grass (lowest
vegetation cover, not under treatment) is sown and improved (the programme's GRASS_PLANTING
mode: fenced while it establishes, then sown-grass cover), at ``grass_planting_cost_yuan_ha``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from karstsim.model.allocation import CellBudget
from karstsim.model.layers import LandCover, Landscape, Treatment, is_any
from karstsim.model.processes.grazing import OPEN_LAND, grazeable
from karstsim.model.processes.treatment import START_WRITES, start_treatment
from karstsim.model.streams import smallest

HERD_RAMP = (2020, 2025)
"""First and last year of the herds' ramp to the plan's 2025 offtake [F] (the plan's period)."""
CATTLE_SHEEP_UNITS = 5.0
"""Sheep units (羊单位) per head of cattle [M] NY/T 635-2015 (天然草地合理载畜量的计算)."""
SHEEP_UNIT_INTAKE_KG_DAY = 1.8
"""Forage dry matter one sheep unit eats a day, kg [M] NY/T 635-2015."""
PROPER_USE = 0.5
"""Share of the year's grass growth that may be grazed without harm (合理利用率) [M]."""
MAX_REPORTED_STOCKING = 100.0
"""The stocking ratio reported when (almost) no grass is open to the herd, -."""
MAX_RELATIVE_STOCKING = 5.0
"""Cap on a village's stocking relative to the start (no grass left at all), -."""


class GrasslandRestoration:
    """Restoration of degraded grassland (治理退化草原): sown and improved grass."""

    reads: ClassVar[tuple[str, ...]] = ("land_cover", "treatment_mode", "vegetation_cover")
    writes: ClassVar[tuple[str, ...]] = START_WRITES

    def __init__(self, params: Mapping[str, Any], area_scale: float):
        self.params = params
        self.area_scale = area_scale
        self.budget = CellBudget()
        self.restored_ha = 0.0
        """Area restored this year, ha."""
        self.restored_ha_cum = 0.0
        self.cost_yuan = 0.0

    def run_one_year(self, land: Landscape, rng: np.random.Generator) -> None:
        p = self.params
        ha = p["grassland_restoration_ha_per_year"] * self.area_scale
        n = self.budget.cells(ha, land.cell_area_ha)
        self.restored_ha = self.cost_yuan = 0.0
        if n == 0:
            return
        degraded = np.flatnonzero(
            (
                land.land
                & (land["land_cover"] == int(LandCover.GRASS))
                & (land["treatment_mode"] == int(Treatment.NONE))
            ).ravel()
        )
        # the most degraded first: lowest cover (no draws: ties are rare in a float layer)
        cells = smallest(degraded, min(n, degraded.size), land["vegetation_cover"].ravel())
        start_treatment(land, cells, Treatment.GRASS_PLANTING)
        self.restored_ha = cells.size * land.cell_area_ha
        self.restored_ha_cum += self.restored_ha
        self.cost_yuan = self.restored_ha * p["grass_planting_cost_yuan_ha"]


class Livestock:
    """Herds, stocking against carrying capacity and the grass–livestock balance."""

    def __init__(self, params: Mapping[str, Any], area_scale: float, start_year: int):
        self.params = params
        self.area_scale = area_scale
        self.start_year = start_year
        self.start: dict[str, np.ndarray] | None = None
        self.indicators: dict[str, float] = {}

    def offtake(self, year: int) -> tuple[float, float]:
        """Cattle and sheep-and-goat offtake this year on the map, head/yr."""
        p = self.params
        start, end = HERD_RAMP
        progress = float(np.clip((year - start) / (end - start), 0.0, 1.0))
        if not p["livestock_herds"]:
            progress = 0.0
        cattle = (
            p["cattle_offtake_2020"]
            + (p["cattle_offtake_target"] - p["cattle_offtake_2020"]) * progress
        )
        sheep = (
            p["sheep_offtake_2020"]
            + (p["sheep_offtake_target"] - p["sheep_offtake_2020"]) * progress
        )
        return cattle * self.area_scale, sheep * self.area_scale

    def herd_sheep_units(self, cattle: float, sheep: float) -> float:
        p = self.params
        return (
            cattle / p["cattle_offtake_rate"] * CATTLE_SHEEP_UNITS + sheep / p["sheep_offtake_rate"]
        )

    def reference(self, land: Landscape, households: Any, year: int) -> None:
        """Take the start state's stocking as the reference, before the zones' grazing rules
        close any land (so that those bans, with the herds, are felt)."""
        self.start = None
        self.measure(land, households, year, effects=False)

    def measure(self, land: Landscape, households: Any, year: int, effects: bool = True) -> None:
        """This year's stocking and balance; sets the households' grazing pressure, temptation,
        herd index and fodder cost for next year (only if ``livestock_herds``)."""
        p = self.params
        cattle, sheep = self.offtake(year)
        herd = self.herd_sheep_units(cattle, sheep)
        demand_t = herd * SHEEP_UNIT_INTAKE_KG_DAY * 365.0 / 1000.0 * p["grazed_forage_share"]
        n_villages = max(int(land["village"].sum()), 1)
        village_id = land["village_id"].ravel()
        reach = np.flatnonzero(grazeable(land, p["grazing_distance_km"]).ravel())
        forage = (
            land["vegetation_cover"].ravel()[reach]
            * land.cell_area_ha
            * p["grass_yield_t_dm_ha"]
            * PROPER_USE
        )
        capacity = np.bincount(village_id[reach], weights=forage, minlength=n_villages)
        staying = ~households.relocated  # relocated households keep no animals here
        agents = np.bincount(households.village[staying], minlength=n_villages)
        demand = demand_t * agents / max(int(staying.sum()), 1)
        ratio = np.where(capacity > 0, demand / np.maximum(capacity, 1e-12), np.inf)
        ratio = np.where(demand > 0, ratio, 0.0)
        grazing_land = land.land.ravel() & is_any(land["land_cover"].ravel(), OPEN_LAND)
        grass_by_village = np.bincount(village_id[grazing_land], minlength=n_villages)
        grass = land.land.ravel() & (land["land_cover"].ravel() == int(LandCover.GRASS))
        balanced = grass_by_village[ratio <= 1.0].sum()
        deficit = np.maximum(demand - capacity, 0.0)
        if self.start is None:
            self.start = {"ratio": ratio, "deficit": deficit, "herd": np.array(herd)}
        total_capacity = float(capacity.sum())
        extra_deficit = np.maximum(deficit - self.start["deficit"], 0.0)
        fodder_yuan = extra_deficit * p["fodder_price_yuan_t"] * float(p["livestock_herds"])
        cover = land["vegetation_cover"].ravel()[grass]
        self.indicators = {
            "cattle_offtake_head": cattle,
            "sheep_offtake_head": sheep,
            "livestock_sheep_units": herd,
            "stocking_ratio": min(demand_t / max(total_capacity, 1e-12), MAX_REPORTED_STOCKING),
            "grass_livestock_balance_pct": 100.0 * balanced / max(int(grazing_land.sum()), 1),
            "grassland_cover_pct": 100.0 * float(cover.mean()) if cover.size else 0.0,
            "fodder_bought_Myuan": float(fodder_yuan.sum()) / 1e6,
        }
        if not (p["livestock_herds"] and effects):
            return
        start_ratio = self.start["ratio"]
        comparable = (start_ratio > 0) & np.isfinite(start_ratio)
        with np.errstate(invalid="ignore", divide="ignore"):
            relative = np.where(comparable, ratio / np.where(comparable, start_ratio, 1.0), 1.0)
        relative = np.clip(
            np.nan_to_num(relative, nan=1.0, posinf=MAX_RELATIVE_STOCKING),
            0.0,
            MAX_RELATIVE_STOCKING,
        )
        start_herd = float(self.start["herd"])
        households.set_livestock(
            grazing_pressure=np.minimum(1.0, p["grazing_pressure"] * relative),
            temptation=np.minimum(1.0, p["illegal_grazing_temptation"] * relative),
            herd_index=herd / start_herd if start_herd > 0 else 1.0,
            fodder_cost_yuan=(fodder_yuan / np.maximum(agents, 1))[households.village] * staying,
        )
