"""Mines: open-pit mines with a footprint, a status, revenue, jobs and nearby damage.

Each :class:`Mine` agent is one mine on a cell of the ``MINE`` land cover; several small
mines may share a cell (each holds an equal part of it). Every 2020 mine cell holds at
least one mine. Statuses (:class:`MineStatus`) change once a year in
:meth:`MinePopulation.step`:

* active mines that are not green close with probability ``mine_closure_rate``; their
  owners start restoring them the next year;
* active mines are upgraded to green mines until the green share reaches the required
  share, ramped linearly from ``initial_green_share`` in 2020 to
  ``green_mine_share_target`` in 2025 and held after;
* the government restores legacy (abandoned) mines, ``legacy_restoration_ha_per_year``
  of footprint a year (a budget amount);
* restoration takes ``mine_restoration_years``; a cell whose mines are all restored is
  handed back to the landscape as grass and regrows by succession;
* new mines open next to existing ones, green if ``new_mines_green``;
* each year ``1 / mine_licence_years`` of the operating mines come up for licence
  renewal; if ``renewed_mines_green`` a renewing mine that is not green must become one
  (新设和延续矿山全部建成绿色矿山): it is upgraded, or, with probability
  ``renewal_exit_share``, it cannot meet the standard, closes and is restored by its owner
  (不符合绿色矿山建设标准的主体逐步退出市场).

Restored land is counted apart by who restored it, as the plan counts it: legacy
(historical, abandoned) mines restored by the government (历史遗留矿山恢复治理, the
plan's 1 000 ha by 2025) and closed mines restored by their owners.

Active mines that are not green damage the vegetation of the neighbouring cells
(:class:`karstsim.model.processes.mine_impact.MineImpact`).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum
from typing import Any, ClassVar

import mesa
import numpy as np

from karstsim.model.allocation import CellBudget
from karstsim.model.layers import LandCover, Landscape, is_any
from karstsim.model.processes.succession import neighbours_on_map
from karstsim.model.streams import RandomStreams, smallest

GREEN_RAMP = (2020, 2025)
"""First and last calendar year of the plan's ramp of the green-mine requirement, from
``initial_green_share`` to ``green_mine_share_target`` [F] (the 14th five-year plan)."""


class MineStatus(IntEnum):
    ACTIVE = 0
    GREEN = 1
    CLOSED = 2
    LEGACY = 3
    RESTORING = 4
    RESTORED = 5


class Mine(mesa.Agent):
    """One open-pit mine."""

    def __init__(self, model: mesa.Model, population: MinePopulation, index: int):
        super().__init__(model)
        self.population = population
        self.index = index

    @property
    def status(self) -> MineStatus:
        return MineStatus(int(self.population.status[self.index]))

    @property
    def cell(self) -> int:
        """Flat index of the mine's cell."""
        return int(self.population.cell[self.index])

    @property
    def footprint_ha(self) -> float:
        return float(self.population.footprint_ha[self.index])


class MinePopulation:
    """Array state and yearly status changes of all mines."""

    writes: ClassVar[tuple[str, ...]] = ("mine_dirty",)
    """Layers written: which cells dirty mines degrade. New pits and restored land are
    applied by :class:`karstsim.model.resolution.LandUseResolution`."""

    def __init__(
        self,
        model: mesa.Model,
        landscape: Landscape,
        params: Mapping[str, Any],
        area_scale: float,
        rng: np.random.Generator,
    ):
        self.model = model
        self.landscape = landscape
        self.params = params
        self.area_scale = area_scale
        cells = np.flatnonzero(
            (landscape["land_cover"] == int(LandCover.MINE)).ravel() & landscape.land.ravel()
        )
        n = max(round(params["mines"] * area_scale), cells.size) if cells.size else 0
        shuffled = rng.permutation(cells)
        self.cell = (
            np.concatenate([shuffled, rng.choice(cells, n - cells.size)])
            if n
            else np.zeros(0, np.int64)
        )
        per_cell = np.bincount(self.cell, minlength=landscape.land.size)
        self.footprint_ha = landscape.cell_area_ha / np.maximum(per_cell[self.cell], 1)
        u = rng.random(n)
        legacy = u < params["legacy_mine_share"]
        green = ~legacy & (rng.random(n) < params["initial_green_share"])
        self.status = np.select(
            [legacy, green], [MineStatus.LEGACY, MineStatus.GREEN], MineStatus.ACTIVE
        ).astype(np.int8)
        self.years_in_status = np.zeros(n, dtype=np.int16)
        self.legacy_origin = self.status == int(MineStatus.LEGACY)
        """Mines that were historical legacy mines (restored by the government)."""
        for i in range(n):  # Mesa keeps them: model.agents_by_type[Mine]
            Mine(model, self, i)
        self._restoration_budget = CellBudget()
        self._new_mine_budget = CellBudget()
        self.restored_ha_cum = 0.0
        self.legacy_restored_ha_cum = 0.0
        self.renewed = 0
        self.renewal_exits = 0
        self.upgrade_cost_yuan = 0.0
        self.restored_cells = np.zeros(0, dtype=np.int64)
        self.new_cells = np.zeros(0, dtype=np.int64)
        self.restoration_spent_yuan = 0.0
        self._update_dirty()

    def required_green_share(self, year: int) -> float:
        p = self.params
        start, end = GREEN_RAMP
        progress = np.clip((year - start) / (end - start), 0.0, 1.0)
        return (
            p["initial_green_share"]
            + (p["green_mine_share_target"] - p["initial_green_share"]) * progress
        )

    def step(self, year: int, legacy_restoration_ha: float, streams: RandomStreams) -> None:
        """One year of status changes; sets ``restored_cells`` and ``new_cells`` to apply.

        Each choice has its own stream of the year and one number per mine (or per cell for
        new sites), so mines opened in earlier years do not shift the others' draws."""
        p = self.params
        status = self.status
        self.years_in_status += 1
        changed = np.zeros(status.size, dtype=bool)

        done = (status == int(MineStatus.RESTORING)) & (
            self.years_in_status >= p["mine_restoration_years"]
        )
        status[done] = MineStatus.RESTORED
        self.restored_ha_cum += float(self.footprint_ha[done].sum())
        self.legacy_restored_ha_cum += float(self.footprint_ha[done & self.legacy_origin].sum())
        owners_restore = (status == int(MineStatus.CLOSED)) & (self.years_in_status >= 1)
        status[owners_restore] = MineStatus.RESTORING
        changed |= done | owners_restore

        closure_draw = streams.uniform("mines/closure", year, status.size)
        closing = (status == int(MineStatus.ACTIVE)) & (closure_draw < p["mine_closure_rate"])
        status[closing] = MineStatus.CLOSED
        changed |= closing
        upgraded = self._renew_licences(year, streams, changed)

        active = np.flatnonzero(
            (status == int(MineStatus.ACTIVE)) | (status == int(MineStatus.GREEN))
        )
        needed = int(np.ceil(self.required_green_share(year) * active.size - 1e-9)) - int(
            (status == int(MineStatus.GREEN)).sum()
        )
        if needed > 0:
            brown = np.flatnonzero(status == int(MineStatus.ACTIVE))
            upgrade_keys = streams.uniform("mines/upgrade", year, status.size)
            upgrade = smallest(brown, min(needed, brown.size), upgrade_keys)
            status[upgrade] = MineStatus.GREEN
            changed[upgrade] = True
            upgraded += upgrade.size
        self.upgrade_cost_yuan = upgraded * p["green_upgrade_cost_Myuan"] * 1e6

        legacy = np.flatnonzero(status == int(MineStatus.LEGACY))
        order_keys = streams.uniform("mines/legacy_order", year, status.size)
        legacy = legacy[np.argsort(order_keys[legacy], kind="stable")]
        budget_ha = legacy_restoration_ha + self._restoration_budget.carry
        chosen = legacy[np.cumsum(self.footprint_ha[legacy]) <= budget_ha + 1e-9]
        spent_ha = float(self.footprint_ha[chosen].sum())
        self._restoration_budget.carry = budget_ha - spent_ha if chosen.size < legacy.size else 0.0
        status[chosen] = MineStatus.RESTORING
        changed[chosen] = True
        self.restoration_spent_yuan = spent_ha * p["mine_restoration_cost_yuan_ha"]
        self.years_in_status[changed] = 0

        self.restored_cells = self._fully_restored_cells(done)
        self.new_cells = self._open_new_mines(
            self.landscape.uniform(streams.generator("mines/new_sites", year))
        )
        self._update_dirty()

    def _renew_licences(self, year: int, streams: RandomStreams, changed: np.ndarray) -> int:
        """Licences that come up for renewal this year; with ``renewed_mines_green`` the
        brown ones are upgraded to green mines or close. Returns the number upgraded."""
        p, status = self.params, self.status
        draw = streams.uniform("mines/renewal", year, status.size)
        operating = (status == int(MineStatus.ACTIVE)) | (status == int(MineStatus.GREEN))
        renewing = operating & (draw < 1.0 / p["mine_licence_years"])
        self.renewed = int(renewing.sum())
        self.renewal_exits = 0
        if not p["renewed_mines_green"]:
            return 0
        brown = renewing & (status == int(MineStatus.ACTIVE))
        exit_draw = streams.uniform("mines/renewal_exit", year, status.size)
        exits = brown & (exit_draw < p["renewal_exit_share"])
        upgrades = brown & ~exits
        status[exits] = MineStatus.CLOSED
        status[upgrades] = MineStatus.GREEN
        changed |= brown
        self.renewal_exits = int(exits.sum())
        return int(upgrades.sum())

    def _fully_restored_cells(self, just_restored: np.ndarray) -> np.ndarray:
        cells = np.unique(self.cell[just_restored])
        open_mines = np.bincount(
            self.cell[self.status != int(MineStatus.RESTORED)], minlength=self.landscape.land.size
        )
        return cells[open_mines[cells] == 0]

    def _open_new_mines(self, site_keys: np.ndarray) -> np.ndarray:
        land = self.landscape
        n_new = self._new_mine_budget.cells(
            self.params["new_mines_per_year"] * self.area_scale, 1.0
        )
        if n_new == 0:
            return np.zeros(0, dtype=np.int64)
        near_mines = neighbours_on_map(land, land["land_cover"] == int(LandCover.MINE)) > 0
        suitable = land.land & ~is_any(
            land["land_cover"], (LandCover.MINE, LandCover.WATER, LandCover.BUILT)
        )
        if "red_line" in land:  # no new mines in the ecological red line
            suitable &= ~land["red_line"]
        candidates = np.flatnonzero((suitable & near_mines).ravel())
        if candidates.size < n_new:
            candidates = np.flatnonzero(suitable.ravel())
        cells = smallest(candidates, min(n_new, candidates.size), site_keys)
        first = self.cell.size
        status = MineStatus.GREEN if self.params["new_mines_green"] else MineStatus.ACTIVE
        self.cell = np.concatenate([self.cell, cells])
        self.footprint_ha = np.concatenate(
            [self.footprint_ha, np.full(cells.size, land.cell_area_ha)]
        )
        self.status = np.concatenate([self.status, np.full(cells.size, status, dtype=np.int8)])
        self.years_in_status = np.concatenate(
            [self.years_in_status, np.zeros(cells.size, dtype=np.int16)]
        )
        self.legacy_origin = np.concatenate([self.legacy_origin, np.zeros(cells.size, bool)])
        for i in range(first, self.cell.size):
            Mine(self.model, self, i)
        return cells

    def _update_dirty(self) -> None:
        dirty = np.zeros(self.landscape.land.size, dtype=bool)
        dirty[self.cell[self.status == int(MineStatus.ACTIVE)]] = True
        self.landscape["mine_dirty"] = dirty.reshape(self.landscape.shape)

    def indicators(self) -> dict[str, float]:
        p = self.params
        status = self.status
        active = int(((status == int(MineStatus.ACTIVE)) | (status == int(MineStatus.GREEN))).sum())
        green = int((status == int(MineStatus.GREEN)).sum())
        return {
            "mines_active": float(active),
            "green_mine_share": green / active if active else 0.0,
            "mine_area_ha": float(self.footprint_ha[status != int(MineStatus.RESTORED)].sum()),
            "mine_restored_ha_cum": self.restored_ha_cum,
            "legacy_mine_restored_ha_cum": self.legacy_restored_ha_cum,
            "closed_mine_restored_ha_cum": self.restored_ha_cum - self.legacy_restored_ha_cum,
            "mines_renewed": float(self.renewed),
            "mine_renewal_exits": float(self.renewal_exits),
            "green_upgrade_spend_Myuan": self.upgrade_cost_yuan / 1e6,
            "mine_revenue_Myuan": active * p["mine_revenue_Myuan"],
            "mine_jobs": active * p["mine_jobs"],
        }
