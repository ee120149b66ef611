"""The government's yearly budget: how much each programme does this year.

Two modes. In *programme* mode (the default) each lever says its amount directly:
hectares of treatment and afforestation, the Grain-for-Green quota, the number of
rangers, hectares of legacy-mine restoration and trees bought for the single-tree
scheme. In *total-budget* mode (``total_budget_mode``) one budget
(``total_budget_Myuan``) is shared by ``share_<use>`` and each programme does what its
share buys at this year's unit costs, so money spent on rangers is not spent on
treatment. Amounts are scaled to the grid by its land area (``area_scale``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from karstsim.agents.decisions import (
    GFG_CASH_SHARE,
    GFG_INSTALMENTS,
    MU_PER_HA,
    gfg_cash_yuan_ha,
)
from karstsim.model import allocation, corridors
from karstsim.model.layers import WOODED, LandCover, Landscape, Treatment, is_any
from karstsim.model.parameters import BUDGET_USES
from karstsim.model.processes.erosion import control_erosion
from karstsim.model.processes.forestry import tend_forest
from karstsim.model.processes.treatment import (
    START_WRITES,
    mode_costs,
    mode_durations,
    start_treatment,
)
from karstsim.model.scenario import Scenario
from karstsim.model.streams import RandomStreams, stable_order_head

GFG_NEW_ROUND_START = 2014
"""First year of the new round of Grain-for-Green (2014–) [F]."""
GFG_INSTALMENT_YEARS = 5
"""Years over which a cohort's cash instalments run (years 1, 3 and 5) [F]."""


@dataclass(frozen=True)
class YearBudget:
    """What each programme does this year on this grid."""

    treatment_ha: float
    afforestation_ha: float
    gfg_quota_ha: float
    rangers: int
    legacy_restoration_ha: float
    scheme_trees: float
    tending_ha: float
    """Forest tending, paid by the central subsidy in both modes (not out of the budget)."""
    erosion_control_ha: float
    """Soil-erosion control, by its lever in both modes (water-conservancy funds)."""


def gfg_first_year_cost_yuan_ha(params: Mapping[str, Any]) -> float:
    """Government cost of a new Grain-for-Green hectare in its first year (seedlings + cash)."""
    payment_ha = params["gfg_payment_yuan_mu"] * MU_PER_HA
    return payment_ha * ((1 - GFG_CASH_SHARE) + GFG_CASH_SHARE * GFG_INSTALMENTS[0])


def year_budget(
    params: Mapping[str, Any],
    area_scale: float,
    treatment_cost_yuan_ha: float,
    gfg_commitments_yuan: float,
) -> YearBudget:
    """Programme amounts for the year.

    ``treatment_cost_yuan_ha`` is the mean cost per hectare of last year's treatment mix;
    ``gfg_commitments_yuan`` the instalments already owed to earlier enrolments this year
    (with the standing cost of managing protected areas).
    In total-budget mode those are paid first and the rest of the budget is shared by the
    ``share_*`` levers (so spending stays within the budget unless the debts exceed it).
    """
    p = params
    if not p["total_budget_mode"]:
        return YearBudget(
            treatment_ha=p["treatment_ha_per_year"] * area_scale,
            afforestation_ha=p["afforestation_ha_per_year"]
            * p["planting_delivery_share"]
            * area_scale,
            gfg_quota_ha=p["gfg_quota_ha_per_year"] * area_scale,
            rangers=round(p["rangers"] * area_scale),
            legacy_restoration_ha=p["legacy_restoration_ha_per_year"] * area_scale,
            scheme_trees=p["single_tree_scheme_trees"] * area_scale,
            tending_ha=p["forest_tending_ha_per_year"] * area_scale,
            erosion_control_ha=p["erosion_control_ha_per_year"] * area_scale,
        )
    shares = {use: p[f"share_{use}"] for use in BUDGET_USES}
    total = sum(shares.values())
    # instalments already owed are obligations: they come first, out of the whole budget
    free = max(0.0, p["total_budget_Myuan"] * 1e6 * area_scale - gfg_commitments_yuan)
    money = {use: free * s / total for use, s in shares.items()}
    return YearBudget(
        treatment_ha=money["treatment"] / treatment_cost_yuan_ha,
        afforestation_ha=money["afforestation"]
        / p["afforestation_cost_yuan_ha"]
        * p["planting_delivery_share"],
        gfg_quota_ha=money["gfg"] / gfg_first_year_cost_yuan_ha(p)
        if p["gfg_payment_yuan_mu"] > 0
        else 0.0,
        rangers=int(money["rangers"] / p["ranger_wage_yuan"]) if p["ranger_wage_yuan"] > 0 else 0,
        legacy_restoration_ha=money["mines"] / p["mine_restoration_cost_yuan_ha"],
        scheme_trees=money["carbon"] / p["single_tree_price_yuan"]
        if p["single_tree_price_yuan"] > 0
        else 0.0,
        tending_ha=p["forest_tending_ha_per_year"] * area_scale,
        erosion_control_ha=p["erosion_control_ha_per_year"] * area_scale,
    )


class Government:
    """The government's sub-model: the year's budget, and the start of desertification
    treatment and afforestation on the cells the plan's rules choose.

    It keeps the fraction of a cell each programme carries from one year to the next
    (:class:`~karstsim.model.allocation.CellBudget`) and the mean cost per hectare of last
    year's treatment mix (what a hectare costs in total-budget mode).
    """

    writes: ClassVar[tuple[str, ...]] = (
        *START_WRITES,
        "gfg_year",
        "tended_yr",
        "erosion_control_yr",
    )
    """Layers it writes: treatment start (planted land becomes other forest land), forest
    tending, erosion control; ``gfg_year`` only for the Grain-for-Green cohorts at the start."""
    reads: ClassVar[tuple[str, ...]] = (
        "county",  # through the land account
        "soil_depth_cm",
        "slope_deg",
        "bedrock_exposure",
        "land",
        "land_cover",
        "severity",
        "treatment_mode",
        "treatment_yr",
        "corridor",
        "carbonate",
        "gfg_year",
        "owner",
        "protected_area",
    )

    def __init__(
        self,
        params: Mapping[str, Any],
        area_scale: float,
        region_weights: Mapping[str, float] | None = None,
        schedule: Scenario | None = None,
    ):
        self.params = params
        self.schedule = schedule
        """The scenario whose ``[schedule]`` sets some programme amounts year by year."""
        self.area_scale = area_scale
        self.region_weights = dict(region_weights or {})
        """Prefecture adcode → weight of its share of the yearly programmes ({}: by
        eligible land; a scenario's ``[regions]`` table)."""
        self.started_cells = {k: np.zeros(0, dtype=np.int64) for k in ("treated", "afforested")}
        """Flat indices of the cells whose treatment or afforestation began this year."""
        self.treatment_budget = allocation.CellBudget()
        self.afforestation_budget = allocation.CellBudget()
        self.gfg_budget = allocation.CellBudget()
        self.mode_costs = mode_costs(params)
        self.durations = mode_durations(params)
        self.treatment_cost_ha = float(self.mode_costs[1:].mean())
        """Mean cost per hectare of the last treatment mix, yuan/ha (start: mean of modes)."""
        self.treated_by_land_type = dict.fromkeys(allocation.LAND_TYPES, 0.0)
        """Area whose treatment began this year by the programme's land type, km²."""

    def budget(self, land: Landscape, year: int) -> YearBudget:
        """This year's programme amounts; Grain-for-Green instalments owed and the
        management of protected areas count first."""
        enrolled = land["gfg_year"][land["gfg_year"] > 0]
        owed = gfg_cash_yuan_ha(self.params["gfg_payment_yuan_mu"], year - enrolled).sum()
        params = (
            self.params if self.schedule is None else self.schedule.parameters_in(self.params, year)
        )
        commitments = float(owed) * land.cell_area_ha + self.zoning_cost_yuan(land)
        return year_budget(params, self.area_scale, self.treatment_cost_ha, commitments)

    def zoning_cost_yuan(self, land: Landscape) -> float:
        """This year's cost of managing the protected areas, yuan (issue 13, item 3)."""
        if "protected_area" not in land:
            return 0.0
        area_ha = np.count_nonzero(land["protected_area"]) * land.cell_area_ha
        return area_ha * self.params["zone_management_cost_yuan_ha"]

    def allocate_treatment(
        self, land: Landscape, budget: YearBudget, rng: np.random.Generator
    ) -> dict[str, float]:
        """Start this year's desertification treatment and afforestation; return area and cost."""
        p = self.params
        cell_ha = land.cell_area_ha
        priority = corridors.priority_weights(land, p)
        n_treat = self.treatment_budget.cells(budget.treatment_ha, cell_ha)
        shares = allocation.split_by_region(n_treat, land, self.region_weights)
        if shares:  # one plan per weighted prefecture
            parts = [
                allocation.plan_treatment(land, k, p, rng, priority, allocation.within(land, code))
                for code, k in shares.items()
            ]
            plan = {mode: np.concatenate([part[mode] for part in parts]) for mode in parts[0]}
        else:
            plan = allocation.plan_treatment(land, n_treat, p, rng, priority)
        self.started_cells["treated"] = np.concatenate(
            [np.zeros(0, dtype=np.int64), *plan.values()]
        )
        kinds = allocation.land_types(land, self.started_cells["treated"])
        self.treated_by_land_type = dict(
            zip(
                allocation.LAND_TYPES,
                np.bincount(kinds, minlength=len(allocation.LAND_TYPES)) * land.cell_area_km2,
                strict=True,
            )
        )
        treated_cells, treatment_cost = 0, 0.0
        for mode, cells in plan.items():
            difficulty = allocation.treatment_difficulty(land, cells)
            start_treatment(land, cells, mode)
            treated_cells += cells.size
            extra = 1.0 + p["difficulty_cost_gradient"] * difficulty
            treatment_cost += float((cell_ha * self.mode_costs[mode] * extra).sum())
        if treated_cells:
            self.treatment_cost_ha = treatment_cost / (treated_cells * cell_ha)
        n_plant = self.afforestation_budget.cells(budget.afforestation_ha, cell_ha)
        shares = allocation.split_by_region(n_plant, land, self.region_weights) or {None: n_plant}
        planted = np.concatenate(
            [
                allocation.plan_afforestation(
                    land, k, self.durations, rng, priority, p["desert_planting_priority"],
                    None if code is None else allocation.within(land, code),
                    p["plantable_min_soil_cm"],
                )
                for code, k in shares.items()
            ]
        )  # fmt: skip
        self.started_cells["afforested"] = planted
        start_treatment(land, planted, Treatment.AFFORESTATION)
        afforestation_cost = planted.size * cell_ha * self.mode_costs[Treatment.AFFORESTATION]
        return {
            "treated_km2": treated_cells * land.cell_area_km2,
            "afforested_km2": planted.size * land.cell_area_km2,
            "treatment_cost_Myuan": treatment_cost / 1e6,
            "afforestation_cost_Myuan": afforestation_cost / 1e6,
        }

    def tend_forest(self, land: Landscape, budget: YearBudget, rng: np.random.Generator) -> float:
        """Tend this year's young and middle-aged forest; return the area tended, ha."""
        return tend_forest(land, budget.tending_ha, self.params, rng).size * land.cell_area_ha

    def control_erosion(
        self, land: Landscape, budget: YearBudget, rng: np.random.Generator
    ) -> float:
        """Put this year's soil-erosion control on the most eroding land; return its area, ha."""
        cells = control_erosion(land, budget.erosion_control_ha, self.params, rng)
        return cells.size * land.cell_area_ha

    def gfg_quota_cells(self, budget: YearBudget, cell_area_ha: float) -> int:
        """Whole cells of Grain-for-Green the quota admits this year."""
        return self.gfg_budget.cells(budget.gfg_quota_ha, cell_area_ha)

    def enrol_past_grain_for_green(self, land: Landscape, year: int) -> None:
        """The Grain-for-Green cohorts of the years before the start that are still paid
        instalments: ``young_gfg_ha_per_year`` a year since the new round began
        (:data:`GFG_NEW_ROUND_START`), at most the five years over which instalments run,
        on the steepest household-owned forest and shrub cells (the programme took sloping
        cropland, and the land survey of end-2019 counts those stands as forest land: its
        other forest land is far smaller than five years of the programme). They carry
        their enrolment year, so their instalments are still paid (the 2017–20 cohorts of
        the 13th plan are owed 2021–24)."""
        if (land["gfg_year"] > 0).any():
            return
        p = self.params
        cohorts = [
            year - ago for ago in range(GFG_INSTALMENT_YEARS) if year - ago >= GFG_NEW_ROUND_START
        ]
        budget = allocation.CellBudget()
        wooded = np.flatnonzero(
            (land.land & is_any(land["land_cover"], WOODED) & (land["owner"] >= 0)).ravel()
        )
        sizes = [
            budget.cells(p["young_gfg_ha_per_year"] * self.area_scale, land.cell_area_ha)
            for _ in cohorts
        ]
        ends = np.cumsum(sizes) if sizes else np.zeros(1, dtype=int)
        steepest = wooded[stable_order_head(-land["slope_deg"].ravel()[wooded], int(ends.max()))]
        taken = 0
        for cohort, n in zip(sorted(cohorts), sizes, strict=True):
            land["gfg_year"].flat[steepest[taken : taken + n]] = cohort
            taken += n

    def seed_young_plantations(self, land: Landscape, year: int, streams: RandomStreams) -> None:
        """Plantings of the years before the start that have not yet closed canopy: a share
        ``young_plantation_share`` of the start's other forest land (未成林造林地 is most
        of it), planted 0 … ``afforestation_establish_years`` − 1 years ago in equal
        cohorts, so they close (or fail) over the first years of the run.

        Only if the start landscape has none (a loaded landscape may bring its own).
        """
        mode = land["treatment_mode"]
        if (
            (mode == int(Treatment.AFFORESTATION)) & (land["land_cover"] != int(LandCover.FOREST))
        ).any():
            return
        other = np.flatnonzero(
            (land.land & (land["land_cover"] == int(LandCover.OTHER_FOREST))).ravel()
        )
        draw = streams.generator("government/young_plantings", year).random(other.size)
        young = other[draw < self.params["young_plantation_share"]]
        years = self.params["afforestation_establish_years"]
        start_treatment(land, young, Treatment.AFFORESTATION)
        land["treatment_yr"].flat[young] = np.arange(young.size) % years
