"""Ecological compensation between basins and counties (生态补偿; issue 13, item 8).

The plan: "持续推进赤水河云贵川三省跨省流域横向生态保护补偿机制" and "按照'谁受益、谁补偿，谁保护、
谁受偿'原则，推动全流域上下游建立…横向补偿制度". Two schemes, paid once a year after the land
processes, on conditions on water and forest:

**Basins.** Each land cell belongs to the basin of the nearest of the plan's eight rivers
(:data:`karstsim.model.geography.RIVERS`, their courses traced through named places): a
proxy for the catchment that follows the rivers, not the drainage divides, so cells near a
divide may sit in the neighbouring basin (tens of km). **Units** are the counties on a real
map of two counties or more (each in the basin of most of its land) and, on a synthetic
map or a single county, the two halves of a basin above and below its median elevation. A unit is *upstream* if its mean elevation is
at least the median elevation of its basin's land, else *downstream*.

**Conditions.** A unit meets its conditions in a year if its sediment (soil loss, t/yr, the
water-quality proxy: the Chishui agreement's aim is water "稳定、不恶化") is no more than in
the start year and its forest cover (forest and special shrub) is no less than in the start
year. With ``compensation_gep_condition`` (issue 28: the plan's "核算结果在生态保护补偿…中的应用")
the condition is instead that the unit's GEP of soil retention and water conservation
(:class:`karstsim.model.gep.StateServices`, yuan at constant prices) is no less than in the
start year.

**Chishui fund** (赤水河流域横向生态补偿). Yunnan, Guizhou and Sichuan put
``chishui_fund_Myuan`` a year into the fund in the ratio 1 : 5 : 4 (Guizhou's part,
``chishui_guizhou_contribution_share``, is provincial spending) and it is shared 3 : 4 : 3
(``chishui_guizhou_allocation_share``) by the sections' water quality: Guizhou receives its
share if its part of the Chishui basin (all its units together) meets the conditions, else
nothing (the share goes downstream to Sichuan). What Guizhou receives goes to its Chishui
units in proportion to their forest area. On a real map the fund's units are the plan's
list of Chishui counties, not the proxy basin (which also holds the Qijiang's counties).

**Horizontal compensation** (流域上下游横向补偿). In every basin, each upstream unit that
meets its conditions is paid ``horizontal_compensation_yuan_ha`` per ha of its forest by
the basin's downstream units (in proportion to their land area); one that fails pays the
same to them. Transfers are between counties, so they add nothing to provincial spending.

**Who receives.** A payment to a unit is shared over its forest cells by area; of the share
of a household-owned cell, ``compensation_household_share`` goes to its owner (income
source ``eco_compensation``), the rest, and the share of collective and state forest, to the
county (collective) fund. Payments a unit makes come out of the county fund.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from karstsim.model import geography, regional_figures
from karstsim.model.gep import StateServices
from karstsim.model.layers import FOREST_COVER_CLASSES, Landscape, is_any

CHISHUI = [feature.key for feature in geography.RIVERS].index("chishui")
"""Index of the Chishui River among :data:`~karstsim.model.geography.RIVERS`."""


def basins(land: Landscape) -> np.ndarray:
    """Basin of every land cell (land-cell order): index into ``geography.RIVERS``."""
    nearest, _ = geography.nearest_feature(geography.RIVERS, land.grid_shape, land.geo)
    return land.on_land(land.from_grid(nearest))


def compensation_units(
    land: Landscape, basin: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Unit of every land cell, and each unit's basin, upstream flag and Chishui-fund flag.

    Units are counties on a real map of two counties or more, basin halves split at the
    basin's median elevation otherwise (a synthetic map, or one county). The Chishui fund's units are, on a real map, the
    plan's list of Chishui counties (:func:`~karstsim.model.regional_figures.plan_areas`;
    the proxy basin "Chishui–Qijiang" also holds the Qijiang's counties), else the
    Chishui basin's. Returns (unit index per land cell, basin per unit, upstream per unit,
    in the Chishui fund per unit)."""
    elevation = land.on_land(land["elevation_m"]).astype(float)
    n_basins = len(geography.RIVERS)
    median = np.zeros(n_basins)
    for b in np.unique(basin):
        median[b] = np.median(elevation[basin == b])
    county = land.on_land(land["county"])
    if np.unique(county[county > 0]).size >= 2:
        codes, unit = np.unique(county, return_inverse=True)
        counts = np.zeros((codes.size, n_basins), dtype=np.int64)
        np.add.at(counts, (unit, basin), 1)
        unit_basin = counts.argmax(axis=1)
        listed = [int(code) for code in regional_figures.plan_areas()["chishui"].counties]
        in_fund = np.isin(codes, listed)
    else:
        high = elevation >= median[basin]
        unit = basin * 2 + high
        unit_basin = np.arange(2 * n_basins) // 2
        in_fund = unit_basin == CHISHUI
    n_units = unit_basin.size
    cells = np.bincount(unit, minlength=n_units)
    mean_elevation = np.bincount(unit, weights=elevation, minlength=n_units) / np.maximum(cells, 1)
    upstream = mean_elevation >= median[unit_basin]
    return unit, unit_basin, upstream, in_fund


class EcoCompensation:
    """The Chishui fund and the horizontal compensation between upstream and downstream units."""

    reads: ClassVar[tuple[str, ...]] = (
        "land",
        "elevation_m",
        "county",
        "land_cover",
        "erosion_t_km2",
        "owner",
        "slope_deg",  # the GEP condition's soil retention and water balance
        "soil_depth_cm",
        "prefecture",
    )
    writes: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        params: Mapping[str, Any],
        area_scale: float,
        land: Landscape,
        basin: np.ndarray | None = None,
    ):
        self.params = params
        self.area_scale = area_scale
        self.basin = basins(land) if basin is None else basin
        """Basin of every land cell (land-cell order; :func:`basins` unless given)."""
        units = compensation_units(land, self.basin)
        self.unit, self.unit_basin, self.upstream, self.in_fund = units
        self.n_units = self.unit_basin.size
        self.unit_cells = np.bincount(self.unit, minlength=self.n_units).astype(float)
        self.services = (
            StateServices(params, land) if params["compensation_gep_condition"] else None
        )
        """The GEP condition's services (``None``: the sediment and forest conditions)."""
        self.reference = self._state(land)
        """Sediment (t/yr) and forest cells of every unit in the start year."""
        self.flows: dict[str, float] = dict.fromkeys(FLOWS, 0.0)
        self._spread = {"per_forest_cell": np.zeros(self.n_units), "paid": np.zeros(self.n_units)}
        self._forest = self.reference["forest"]
        """This year's receipts per forest cell and payments by unit (yuan), and the forest
        cells (land-cell order) the receipts go to."""

    def _state(self, land: Landscape) -> dict[str, np.ndarray]:
        forest = is_any(land.on_land(land["land_cover"]), FOREST_COVER_CLASSES)
        sediment = land.on_land(land["erosion_t_km2"]) * land.cell_area_km2
        state = {
            "sediment_t": np.bincount(self.unit, weights=sediment, minlength=self.n_units),
            "forest_cells": np.bincount(self.unit, weights=forest, minlength=self.n_units),
            "forest": forest,
        }
        if self.services is not None:
            gep = self.services.value_yuan(land)
            state["gep_yuan"] = np.bincount(self.unit, weights=gep, minlength=self.n_units)
        return state

    def _meets(self, now: dict[str, np.ndarray]) -> np.ndarray:
        """Whether each unit meets the conditions: sediment no more and forest no less than
        in the start year (or, with the GEP condition, GEP no less)."""
        ref = self.reference
        if self.services is not None:
            return now["gep_yuan"] >= ref["gep_yuan"] * (1 - 1e-9)
        sediment_ok = now["sediment_t"] <= ref["sediment_t"] * (1 + 1e-9)
        return sediment_ok & (now["forest_cells"] >= ref["forest_cells"])

    def _fund_meets(self, now: dict[str, np.ndarray]) -> bool:
        """Whether the Chishui fund's units together meet the conditions."""
        ref, fund = self.reference, self.in_fund
        if self.services is not None:
            return bool(now["gep_yuan"][fund].sum() >= ref["gep_yuan"][fund].sum() * (1 - 1e-9))
        sediment_ok = now["sediment_t"][fund].sum() <= ref["sediment_t"][fund].sum() * (1 + 1e-9)
        return bool(
            sediment_ok and now["forest_cells"][fund].sum() >= ref["forest_cells"][fund].sum()
        )

    def pay(self, land: Landscape, n_agents: int) -> np.ndarray:
        """This year's transfers; returns each household agent's receipts, yuan (all the
        households of the agent), and sets :attr:`flows`."""
        p, cell_ha = self.params, land.cell_area_ha
        now = self._state(land)
        forest_ha = now["forest_cells"] * cell_ha
        units = np.arange(self.n_units)
        meets = self._meets(now)
        received = np.zeros(self.n_units)
        paid = np.zeros(self.n_units)
        rate = p["horizontal_compensation_yuan_ha"]
        horizontal = penalty = 0.0
        for b in np.unique(self.unit_basin):
            up = units[(self.unit_basin == b) & self.upstream & (self.unit_cells > 0)]
            down = units[(self.unit_basin == b) & ~self.upstream & (self.unit_cells > 0)]
            if not up.size or not down.size or rate <= 0:
                continue
            weight = self.unit_cells[down] / self.unit_cells[down].sum()
            earned = rate * forest_ha[up] * meets[up]  # paid to upstream units that hold
            forfeit = rate * forest_ha[up] * ~meets[up]  # paid by upstream units that fail
            received[up] += earned
            paid[up] += forfeit
            paid[down] += float(earned.sum()) * weight
            received[down] += float(forfeit.sum()) * weight
            horizontal += float(earned.sum())
            penalty += float(forfeit.sum())
        chishui = units[self.in_fund & (self.unit_cells > 0)]
        fund = p["chishui_fund_Myuan"] * 1e6 * self.area_scale
        contribution = fund * p["chishui_guizhou_contribution_share"] if chishui.size else 0.0
        chishui_met = bool(chishui.size) and self._fund_meets(now)
        allocation = fund * p["chishui_guizhou_allocation_share"] if chishui_met else 0.0
        if allocation > 0 and forest_ha[chishui].sum() > 0:
            received[chishui] += allocation * forest_ha[chishui] / forest_ha[chishui].sum()
        forest_cells = now["forest_cells"]
        per_forest_cell = np.where(forest_cells > 0, received / np.maximum(forest_cells, 1.0), 0.0)
        self._spread = {"per_forest_cell": per_forest_cell, "paid": paid}
        self._forest = now["forest"]
        to_households = self._to_households(land, per_forest_cell, n_agents)
        household_total = float(to_households.sum())
        upstream_units = units[self.upstream & (self.unit_cells > 0)]
        self.flows = {
            "eco_comp_chishui_paid_Myuan": contribution / 1e6,
            "eco_comp_chishui_received_Myuan": allocation / 1e6,
            "eco_comp_chishui_met": float(chishui_met),
            "eco_comp_horizontal_Myuan": horizontal / 1e6,
            "eco_comp_penalty_Myuan": penalty / 1e6,
            "eco_comp_received_Myuan": float(received.sum()) / 1e6,
            "eco_comp_to_households_Myuan": household_total / 1e6,
            "eco_comp_to_counties_Myuan": (float(received.sum()) - household_total) / 1e6,
            "eco_comp_paid_by_counties_Myuan": float(paid.sum()) / 1e6,
            "eco_comp_upstream_met_pct": 100.0 * float(meets[upstream_units].mean())
            if upstream_units.size
            else 0.0,
        }
        return to_households

    def by_cell(self) -> dict[str, np.ndarray]:
        """This year's receipts and payments spread over the land cells (land-cell order),
        yuan: a unit's receipts over its forest cells, its payments over all its cells; summed
        by region they give each region's share (on a real map units are counties, so a
        county's sums are exact)."""
        spread = self._spread
        return {
            "eco_comp_received_Myuan": spread["per_forest_cell"][self.unit] * self._forest,
            "eco_comp_paid_by_counties_Myuan": (spread["paid"] / np.maximum(self.unit_cells, 1))[
                self.unit
            ],
        }

    def _to_households(
        self, land: Landscape, per_forest_cell: np.ndarray, n_agents: int
    ) -> np.ndarray:
        """The owners' share of each unit's receipts (``per_forest_cell``, yuan by unit), per
        household agent, yuan."""
        if not per_forest_cell.any():
            return np.zeros(n_agents)
        owner = land.on_land(land["owner"])
        owned = self._forest & (owner >= 0)
        share = per_forest_cell[self.unit[owned]] * self.params["compensation_household_share"]
        return np.bincount(owner[owned], weights=share, minlength=n_agents)


FLOWS = (
    "eco_comp_chishui_paid_Myuan",
    "eco_comp_chishui_received_Myuan",
    "eco_comp_chishui_met",
    "eco_comp_horizontal_Myuan",
    "eco_comp_penalty_Myuan",
    "eco_comp_received_Myuan",
    "eco_comp_to_households_Myuan",
    "eco_comp_to_counties_Myuan",
    "eco_comp_paid_by_counties_Myuan",
    "eco_comp_upstream_met_pct",
)
"""The year's compensation outputs (:attr:`EcoCompensation.flows`)."""
