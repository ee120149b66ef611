"""Results by region: one tidy row per year and prefecture (or county).

A :class:`RegionalRecorder` is attached to a model on a real map and called once a year
(after the model has recorded its own row). Its rows carry the land indicators of
:func:`karstsim.model.metrics.land_indicators_by_region`, the area treated and
afforested (that year and cumulated), and the households, rangers and mines of each
region; households belong to the region of their village. Areas, stocks, households,
rangers and mines add up over the regions to the province's row.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from karstsim.agents.decisions import share_below_line
from karstsim.agents.mines import MineStatus
from karstsim.model import metrics, regional_figures, regions
from karstsim.model.layers import FOREST_COVER_CLASSES, LandCover, is_any
from karstsim.model.parameters import ParameterError

LEVELS = ("prefecture", "county")


class RegionalRecorder:
    """Collects the yearly rows of every region of ``level`` on the model's map."""

    def __init__(self, model: Any, level: str = "prefecture"):
        if level not in LEVELS:
            raise ParameterError(
                f"--by {level!r}: allowed: {', '.join(LEVELS)}",
                zh=f"--by {level!r}：允许 {'、'.join(LEVELS)}",
            )
        land = model.landscape
        if land.geo is None:
            raise ParameterError(
                "results by region need a real map (province, a prefecture or a county), "
                "not a synthetic WxH grid",
                zh="分区域结果需要真实地图（全省、市州或县），而不是合成的 宽x高 网格",
            )
        self.model, self.level = model, level
        codes = land.on_land(land[level])
        self.codes = np.unique(codes)
        self.table = [regions.all_regions()[str(c)] for c in self.codes]
        self.cell_region = np.searchsorted(self.codes, codes)
        flat_region = np.full(land.land.size, -1, dtype=np.int64)
        flat_region[np.flatnonzero(land.land)] = self.cell_region
        self.flat_region = flat_region
        village_cells = np.flatnonzero(land["village"].ravel())
        self.household_region = flat_region[village_cells[model.households.village]]
        self.cumulative = {k: np.zeros(self.codes.size) for k in ("treated", "afforested")}
        self.rows: list[dict[str, Any]] = []
        county = land.on_land(land["county"])
        on_map = set(np.unique(county).tolist())
        self.areas = {
            area.key: np.isin(county, [int(c) for c in area.counties])
            for area in regional_figures.plan_areas().values()
            if {int(c) for c in area.counties} <= on_map
        }
        """Land cells (in land-cell order) of each plan area that lies wholly on this map."""
        self.area_rows: list[dict[str, Any]] = []

    def _by_region(self, values: np.ndarray, where: np.ndarray) -> np.ndarray:
        return np.bincount(where, weights=values, minlength=self.codes.size).astype(float)

    def _cells_by_region(self, cells: np.ndarray) -> np.ndarray:
        return np.bincount(self.flat_region[cells], minlength=self.codes.size).astype(float)

    def record(self) -> None:
        """Append this year's row for every region."""
        model = self.model
        land, n = model.landscape, self.codes.size
        columns = metrics.land_indicators_by_region(land, model.params, self.cell_region, n)
        if len(self.rows):
            for kind, cells in model.government.started_cells.items():
                self.cumulative[kind] += self._cells_by_region(cells) * land.cell_area_km2
        columns["treated_km2_cum"] = self.cumulative["treated"].copy()
        columns["afforested_km2_cum"] = self.cumulative["afforested"].copy()
        columns.update(self._households())
        for name, cells in model.compensation.by_cell().items():
            columns[name] = self._by_region(cells, self.cell_region) / 1e6
        status = model.mines.status
        operating = (status == int(MineStatus.ACTIVE)) | (status == int(MineStatus.GREEN))
        columns["mines_active"] = self._by_region(
            operating.astype(float), self.flat_region[model.mines.cell]
        )
        for i, region in enumerate(self.table):
            row = {
                "year": model.year,
                "level": self.level,
                "adcode": region.adcode,
                "name_zh": region.name_zh,
                "name_en": region.name_en,
            }
            row.update({k: float(v[i]) for k, v in columns.items()})
            self.rows.append(row)
        model.gep_table.record(
            model.year, model.gep_cells, self.level, self.cell_region, self.table
        )
        self._record_areas()

    def _record_areas(self) -> None:
        if not self.areas:
            return
        land, params = self.model.landscape, self.model.params
        forest = is_any(land.on_land(land["land_cover"]), FOREST_COVER_CLASSES)
        conserved = metrics.conserved(land, params)
        if "wetland" in land:  # natural wetland and its protected part (issue 13, item 5)
            wet = land.on_land(land["wetland"]) & (
                land.on_land(land["land_cover"]) != int(LandCover.CROPLAND)
            )
            kept = wet & land.on_land(land["wetland_protected"])
        else:
            wet = kept = np.zeros(land.land_cells, dtype=bool)
        for key, cells in self.areas.items():
            n = max(int(cells.sum()), 1)
            self.area_rows.append(
                {
                    "year": self.model.year,
                    "area": key,
                    "forest_cover_pct": 100.0 * np.count_nonzero(forest & cells) / n,
                    "soil_conservation_pct": 100.0 * float((conserved * cells).sum()) / n,
                    "wetland_protection_pct": 100.0
                    * np.count_nonzero(kept & cells)
                    / max(np.count_nonzero(wet & cells), 1),
                }
            )

    def _households(self) -> dict[str, np.ndarray]:
        population, p = self.model.households, self.model.params
        where = self.household_region
        agents = self._by_region(np.ones(population.n), where)
        real = population.per_agent
        people = population.members * real
        mean = lambda values: self._by_region(values, where) / np.maximum(agents, 1)  # noqa: E731
        total = population.total_income
        per_person = population.per_person(total)
        below = share_below_line(per_person, p["income_dispersion"], p["poverty_line_yuan"])
        poverty = self._by_region(below * people, where) / np.maximum(
            self._by_region(people, where), 1e-9
        )
        return {
            "households": agents * real,
            "household_income_mean_yuan": mean(total),
            "income_per_person_yuan": mean(per_person),
            "poverty_share": poverty,
            "rangers": self._by_region(population.ranger_jobs, where),
        }

    def table_frame(self) -> pd.DataFrame:
        """One row per year and region."""
        return pd.DataFrame(self.rows)

    def area_frame(self) -> pd.DataFrame:
        """One row per year and plan area (e.g. the Wuling Mountains area)."""
        return pd.DataFrame(
            self.area_rows,
            columns=[
                "year",
                "area",
                "forest_cover_pct",
                "soil_conservation_pct",
                "wetland_protection_pct",
            ],
        )
