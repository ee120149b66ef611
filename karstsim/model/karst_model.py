"""KarstModel: the Mesa model that owns the landscape and runs the yearly schedule."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import mesa
import networkx as nx
import numpy as np
import pandas as pd

from karstsim.agents.decisions import GFG_CASH_SHARE, gfg_cash_yuan_ha
from karstsim.agents.households import HouseholdPopulation, LandUseProposals
from karstsim.agents.mines import MinePopulation
from karstsim.agents.rangers import RangerForce
from karstsim.model import (
    allocation,
    corridors,
    generator,
    government,
    land_use,
    metrics,
    parameters,
)
from karstsim.model import scenario as scenario_module
from karstsim.model.grid import GridSpec, parse_grid
from karstsim.model.initial_states import start_state
from karstsim.model.layers import LandCover, Landscape, Treatment, is_any
from karstsim.model.processes.base import LandProcess
from karstsim.model.processes.carbon import CarbonGrowth
from karstsim.model.processes.erosion import SoilErosion
from karstsim.model.processes.mine_impact import MineImpact
from karstsim.model.processes.succession import Succession
from karstsim.model.processes.treatment import (
    TreatmentEffects,
    mode_costs,
    mode_durations,
    start_treatment,
)
from karstsim.model.processes.vegetation import SeverityClassification, VegetationCover
from karstsim.units import MU_PER_HA

WOODED = (LandCover.FOREST, LandCover.SHRUB)


class KarstModel(mesa.Model):
    """Guizhou's karst with its households, rangers, mines and corridors, one step a year.

    Parameters
    ----------
    scenario:
        A shipped scenario's name, a scenario file's path, a :class:`Scenario`, or ``None``
        for the defaults.
    rng:
        Seed or numpy ``Generator``; every random draw of the model comes from it.
    grid:
        A preset (``classroom``, ``county``, ``province``), ``WxH`` or a :class:`GridSpec`.
    landscape:
        A ready landscape (e.g. loaded from files) instead of a generated one.
    **overrides:
        Parameter values on top of the scenario's (see ``karstsim params``).

    Schedule of :meth:`step` (one calendar year), written once here:

    1. the government sets the year's programme amounts and starts treatment and
       afforestation (corridor cells first if ``corridor_priority``);
    2. mines change status, open and are restored;
    3. rangers are hired or let go; households decide (work, grazing, clearing,
       Grain-for-Green offers);
    4. rangers patrol: illegal acts and fires are detected or not;
    5. the model applies every land-use change (the one writer);
    6. land processes: treatment effects → succession → soil erosion → vegetation cover →
       mine damage → severity → carbon;
    7. households choose carbon schemes and understory work and are paid;
    8. outputs are recorded.
    """

    def __init__(
        self,
        scenario: str | Path | scenario_module.Scenario | None = None,
        rng: int | np.random.Generator | None = None,
        grid: str | GridSpec = "classroom",
        landscape: Landscape | None = None,
        **overrides: Any,
    ):
        super().__init__(rng=rng)
        self.scenario_spec = scenario_module.load(scenario)
        self.params: Mapping[str, Any] = parameters.resolve(
            {**self.scenario_spec.parameters, **overrides}
        )
        land_rng, agent_rng = self.rng.spawn(2)
        if landscape is None:
            spec = parse_grid(grid) if isinstance(grid, str) else grid
            landscape = generator.generate(
                spec, start_state(self.scenario_spec.start_year), self.params, land_rng
            )
        self.landscape = landscape
        self.start_layers = {name: landscape[name].copy() for name in ("land_cover", "severity")}
        """The start year's land cover and severity, for before/after maps."""
        self.year = landscape.year
        self.area_scale = landscape.land_area_km2 / parameters.PROVINCE_LAND_KM2
        self.households = HouseholdPopulation(
            self, landscape, self.params, self.area_scale, agent_rng
        )
        self.mines = MinePopulation(self, landscape, self.params, self.area_scale, agent_rng)
        self.rangers = RangerForce(self, self.params)
        self.processes: list[LandProcess] = [
            TreatmentEffects(self.params),
            Succession(self.params),
            SoilErosion(self.params),
            VegetationCover(self.params),
            MineImpact(self.params),
            SeverityClassification(),
            CarbonGrowth(self.params),
        ]
        self._treatment_budget = allocation.CellBudget()
        self._afforestation_budget = allocation.CellBudget()
        self._gfg_budget = allocation.CellBudget()
        self._mode_costs = mode_costs(self.params)
        self._durations = mode_durations(self.params)
        self._treatment_cost_ha = float(self._mode_costs[1:].mean())
        self.cumulative = {"treated_km2_cum": 0.0, "afforested_km2_cum": 0.0, "burned_km2_cum": 0.0}
        self._rows: list[dict[str, float]] = []
        self.started_cells = {k: np.zeros(0, dtype=np.int64) for k in ("treated", "afforested")}
        self._previous_carbon: float | None = None
        if not self._has_young_plantations():
            self._seed_young_plantations()
        owner = landscape["owner"].ravel()
        enrolled = np.flatnonzero((landscape["gfg_year"] > 0).ravel() & (owner >= 0))
        self.households.enrolled_gfg = np.bincount(owner[enrolled], minlength=self.households.n)
        budget = self._year_budget()
        self.rangers.staff(budget.rangers, self.households)
        self.rangers.patrol(landscape)
        self.patches = corridors.find_patches(landscape, self.params)
        self._record(
            {"treated_km2": 0.0, "afforested_km2": 0.0, **dict.fromkeys(SPENDING, 0.0)},
            events=dict.fromkeys(EVENTS, 0.0),
        )

    def _has_young_plantations(self) -> bool:
        land = self.landscape
        mode = land["treatment_mode"]
        return bool(
            ((mode == Treatment.AFFORESTATION) & (land["land_cover"] != LandCover.FOREST)).any()
        )

    def _seed_young_plantations(self) -> None:
        """Plantings of the years before the start that have not yet closed canopy.

        They were made on open land at the rates ``young_afforestation_ha_per_year`` and
        ``young_gfg_ha_per_year``; the Grain-for-Green ones are still paid instalments.
        """
        land = self.landscape
        area = {
            "other": self.params["young_afforestation_ha_per_year"] * self.area_scale,
            "gfg": self.params["young_gfg_ha_per_year"] * self.area_scale,
        }
        budgets = {kind: allocation.CellBudget() for kind in area}
        for years_ago in range(self.params["afforestation_establish_years"] - 1, 0, -1):
            counts = {kind: budgets[kind].cells(area[kind], land.cell_area_ha) for kind in area}
            cells = allocation.plan_afforestation(
                land,
                sum(counts.values()),
                self._durations,
                self.rng,
                None,
                self.params["desert_planting_priority"],
            )
            start_treatment(land, cells, Treatment.AFFORESTATION)
            land["treatment_yr"].flat[cells] = years_ago
            gfg = cells[: counts["gfg"]]
            land["gfg_year"].flat[gfg[land["owner"].flat[gfg] >= 0]] = self.year - years_ago

    # --- schedule -----------------------------------------------------------------------------
    def step(self) -> None:
        """Advance the model by one year."""
        self.year += 1
        land = self.landscape
        land.year = self.year
        budget = self._year_budget()
        spending = self.allocate_treatment(budget)
        self.mines.step(self.year, budget.legacy_restoration_ha, self.rng)
        land_use.open_mines(land, self.mines.new_cells)
        land_use.to_grass(land, self.mines.restored_cells, self.params)
        self.rangers.staff(budget.rangers, self.households)
        proposals = self.households.decide(self.year)
        self.rangers.patrol(land)
        events, transfers = self.apply_proposals(proposals, budget)
        carbon_before = land["carbon_tC_ha"].copy()
        for process in self.processes:
            process.run_one_year(land, self.rng)
        sequestered = np.maximum(land["carbon_tC_ha"] - carbon_before, 0.0)
        self.households.choose_schemes(budget.scheme_trees, sequestered)
        self.households.account(transfers, land["grazed"])
        self.patches = corridors.find_patches(land, self.params)
        spending.update(
            spend_gfg_Myuan=transfers["gfg_spent"] / 1e6,
            spend_rangers_Myuan=self.rangers.total * self.params["ranger_wage_yuan"] / 1e6,
            spend_mines_Myuan=self.mines.restoration_spent_yuan / 1e6,
            spend_carbon_Myuan=float(self.households.income["single_tree"].sum())
            * self.households.per_agent
            / 1e6,
        )
        self._record(spending, events)

    def run_until(self, year: int) -> None:
        """Step until the model's year is ``year``."""
        while self.year < year:
            self.step()

    # --- government ---------------------------------------------------------------------------
    def _year_budget(self) -> government.YearBudget:
        land = self.landscape
        enrolled = land["gfg_year"][land["gfg_year"] > 0]
        owed = gfg_cash_yuan_ha(self.params["gfg_payment_yuan_mu"], self.year - enrolled).sum()
        return government.year_budget(
            self.params, self.area_scale, self._treatment_cost_ha, float(owed) * land.cell_area_ha
        )

    def allocate_treatment(self, budget: government.YearBudget) -> dict[str, float]:
        """Start this year's desertification treatment and afforestation; return area and cost."""
        land = self.landscape
        cell_ha = land.cell_area_ha
        priority = corridors.priority_weights(land, self.params)
        weights = self.scenario_spec.region_weights
        n_treat = self._treatment_budget.cells(budget.treatment_ha, cell_ha)
        shares = allocation.split_by_region(n_treat, land, weights)
        if shares:
            parts = [
                allocation.plan_treatment(
                    land, k, self.params, self.rng, priority, allocation.within(land, code)
                )
                for code, k in shares.items()
            ]
            plan = {mode: np.concatenate([part[mode] for part in parts]) for mode in parts[0]}
        else:
            plan = allocation.plan_treatment(land, n_treat, self.params, self.rng, priority)
        treated_cells, treatment_cost = 0, 0.0
        self.started_cells = {
            "treated": np.concatenate([np.zeros(0, dtype=np.int64), *plan.values()]),
            "afforested": np.zeros(0, dtype=np.int64),
        }
        """Flat indices of the cells whose treatment or afforestation began this year."""
        for mode, cells in plan.items():
            start_treatment(land, cells, mode)
            land["bedrock_exposure"].flat[cells] *= 1.0 - self.params["treatment_exposure_cut"]
            treated_cells += cells.size
            treatment_cost += cells.size * cell_ha * self._mode_costs[mode]
        if treated_cells:
            self._treatment_cost_ha = treatment_cost / (treated_cells * cell_ha)
        n_plant = self._afforestation_budget.cells(budget.afforestation_ha, cell_ha)
        desert_priority = self.params["desert_planting_priority"]
        shares = allocation.split_by_region(n_plant, land, weights) or {None: n_plant}
        planted = np.concatenate(
            [
                allocation.plan_afforestation(
                    land, k, self._durations, self.rng, priority, desert_priority,
                    None if code is None else allocation.within(land, code),
                )
                for code, k in shares.items()
            ]
        )  # fmt: skip
        start_treatment(land, planted, Treatment.AFFORESTATION)
        self.started_cells["afforested"] = planted
        afforestation_cost = planted.size * cell_ha * self._mode_costs[Treatment.AFFORESTATION]
        return {
            "treated_km2": treated_cells * land.cell_area_km2,
            "afforested_km2": planted.size * land.cell_area_km2,
            "treatment_cost_Myuan": treatment_cost / 1e6,
            "afforestation_cost_Myuan": afforestation_cost / 1e6,
        }

    # --- the one writer of agents' land-use changes ------------------------------------------------
    def apply_proposals(
        self, proposals: LandUseProposals, budget: government.YearBudget
    ) -> tuple[dict[str, float], dict[str, Any]]:
        """Resolve detection, apply the year's land-use changes; return events and money."""
        land, p, rng = self.landscape, self.params, self.rng
        detection = land["detection_prob"].ravel()
        owner = land["owner"].ravel()
        fines = np.zeros(self.households.n)

        attempts = np.concatenate([proposals.illegal_grazing, proposals.clearing])
        caught = rng.random(attempts.size) < detection[attempts]
        fined = attempts[caught]
        fined = fined[owner[fined] >= 0]
        np.add.at(fines, owner[fined], p["fine_yuan_ha"] * land.cell_area_ha)
        n_grazing = proposals.illegal_grazing.size
        grazed = proposals.grazed.ravel().copy()
        grazed[proposals.illegal_grazing[~caught[:n_grazing]]] = True
        land["grazed"] = grazed.reshape(land.shape)
        land_use.clear_for_crops(land, proposals.clearing[~caught[n_grazing:]])
        land_use.to_grass(land, proposals.abandon, p)

        wooded = np.flatnonzero((is_any(land["land_cover"], WOODED) & land.land).ravel())
        ignited = wooded[rng.random(wooded.size) < p["fire_ignition_prob"]]
        suppressed = rng.random(ignited.size) < detection[ignited]
        burned = ignited[~suppressed]
        land_use.burn(land, burned, p)

        n_gfg = self._gfg_budget.cells(budget.gfg_quota_ha, land.cell_area_ha)
        accepted = proposals.gfg_offers[np.argsort(-proposals.gfg_utility, kind="stable")[:n_gfg]]
        land_use.enrol_in_grain_for_green(land, accepted, self.year)
        enrolled = np.flatnonzero((land["gfg_year"] > 0).ravel() & (owner >= 0))
        self.households.enrolled_gfg = np.bincount(owner[enrolled], minlength=self.households.n)
        cash = gfg_cash_yuan_ha(
            p["gfg_payment_yuan_mu"], self.year - land["gfg_year"].ravel()[enrolled]
        )
        cash_by_owner = np.bincount(
            owner[enrolled], weights=cash * land.cell_area_ha, minlength=self.households.n
        )
        seedlings = (
            accepted.size
            * land.cell_area_ha
            * p["gfg_payment_yuan_mu"]
            * MU_PER_HA
            * (1 - GFG_CASH_SHARE)
        )
        self.cumulative["burned_km2_cum"] += burned.size * land.cell_area_km2
        events = {
            "violations_attempted": float(attempts.size),
            "violations_detected": float(caught.sum()),
            "fires": float(ignited.size),
            "fires_suppressed": float(suppressed.sum()),
            "cropland_abandoned_km2": proposals.abandon.size * land.cell_area_km2,
            "gfg_new_km2": accepted.size * land.cell_area_km2,
        }
        transfers = {
            "gfg": cash_by_owner,
            "fines": fines,
            "gfg_spent": float(cash_by_owner.sum() + seedlings),
        }
        return events, transfers

    # --- outputs --------------------------------------------------------------------------------
    @property
    def habitat_graph(self) -> nx.Graph:
        """The current habitat patch graph (see :mod:`karstsim.model.corridors`)."""
        return self.patches.graph()

    def _record(self, spending: Mapping[str, float], events: Mapping[str, float]) -> None:
        self.cumulative["treated_km2_cum"] += spending["treated_km2"]
        self.cumulative["afforested_km2_cum"] += spending["afforested_km2"]
        row: dict[str, float] = {"year": self.year}
        row.update(metrics.land_indicators(self.landscape, self.params))
        stock = row["carbon_stock_MtC"]
        previous = stock if self._previous_carbon is None else self._previous_carbon
        row["co2_sequestered_MtCO2"] = metrics.carbon_flux(previous, stock)
        self._previous_carbon = stock
        row.update(spending)
        row.update(self.cumulative)
        row.update(self.households.indicators())
        row["rangers"] = float(self.rangers.total)
        row.update(events)
        row.update(self.mines.indicators())
        row["corridor_connectivity"] = self.patches.connectivity()
        row["budget_spent_Myuan"] = sum(row[k] for k in SPENDING)
        self._rows.append(row)

    def results(self) -> pd.DataFrame:
        """One row per year (the start year first): the model's outputs."""
        return pd.DataFrame(self._rows)


SPENDING = (
    "treatment_cost_Myuan",
    "afforestation_cost_Myuan",
    "spend_gfg_Myuan",
    "spend_rangers_Myuan",
    "spend_mines_Myuan",
    "spend_carbon_Myuan",
)
EVENTS = (
    "violations_attempted",
    "violations_detected",
    "fires",
    "fires_suppressed",
    "cropland_abandoned_km2",
    "gfg_new_km2",
)
