"""KarstModel: the Mesa model that owns the landscape and runs the yearly schedule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import mesa
import networkx as nx
import numpy as np
import pandas as pd

from karstsim.agents.households import HouseholdPopulation
from karstsim.agents.mines import MinePopulation
from karstsim.agents.rangers import RangerForce
from karstsim.model import (
    allocation,
    compensation,
    corridors,
    landscape_cache,
    metrics,
    outputs,
    parameters,
)
from karstsim.model import scenario as scenario_module
from karstsim.model.carbon_credits import CarbonCredits
from karstsim.model.compensation import EcoCompensation
from karstsim.model.gep import CellAccounts, GepAccount, GepTable
from karstsim.model.government import Government
from karstsim.model.grid import GridSpec, parse_grid
from karstsim.model.initial_states import start_state
from karstsim.model.layers import LandCover, Landscape
from karstsim.model.processes.base import LandProcess
from karstsim.model.processes.building import Building
from karstsim.model.processes.carbon import CarbonGrowth
from karstsim.model.processes.erosion import SoilErosion
from karstsim.model.processes.fire import Fire
from karstsim.model.processes.forest_economy import ForestEconomy
from karstsim.model.processes.forestry import TimberHarvest
from karstsim.model.processes.grassland import GrasslandRestoration, Livestock
from karstsim.model.processes.mine_impact import MineImpact
from karstsim.model.processes.relocation import Relocation
from karstsim.model.processes.soil_carbon import SoilCarbon
from karstsim.model.processes.succession import Succession
from karstsim.model.processes.treatment import TreatmentEffects
from karstsim.model.processes.vegetation import SeverityClassification, VegetationCover
from karstsim.model.processes.wetland import Wetlands
from karstsim.model.processes.zoning import Zoning, zone_indicators
from karstsim.model.resolution import LandUseResolution, grain_for_green_payments
from karstsim.model.streams import RandomStreams

FOREST_ECONOMY_SPENDING = (
    "spend_reserve_forest_Myuan",
    "spend_forest_buyback_Myuan",
    "spend_public_welfare_Myuan",
    "spend_understory_Myuan",
    "spend_featured_crops_Myuan",
)
"""The forest economy's yearly costs (issue 13, item 6; outside ``budget_spent_Myuan``)."""


@dataclass
class YearMeasures:
    """The year's measurements that the declared outputs' reporters read
    (:mod:`karstsim.model.outputs`), each computed once per year."""

    land: Mapping[str, float]
    households: Mapping[str, float]
    mines: Mapping[str, float]
    flows: Mapping[str, float]
    """The year's areas, spending, events and carbon flux."""
    livestock: Mapping[str, float]
    """Herds, stocking, grass–livestock balance and grassland restoration (issue 13)."""
    carbon: Mapping[str, float]
    """Soil, grassland and wetland carbon, the ecosystem's sink and traded forest carbon
    (issue 13, item 10)."""
    gep: Mapping[str, float]
    """The GEP accounts' totals: GEP and its three parts, and physical quantities (issue 28)."""


class KarstModel(mesa.Model):
    """Guizhou's karst with its households, rangers, mines and corridors, one step a year.

    Parameters
    ----------
    scenario:
        A shipped scenario's name, a scenario file's path, a :class:`Scenario`, or ``None``
        for the defaults (kept as :attr:`scenario_settings`; Mesa's own ``scenario``
        attribute is not used).
    rng:
        Seed or numpy ``Generator``; every random draw of the model comes from it.
    grid:
        A preset (``classroom``, ``county``, ``province``), ``WxH`` or a :class:`GridSpec`.
    landscape:
        A ready landscape (e.g. loaded from files) instead of a generated one.
    **overrides:
        Parameter values on top of the scenario's (see ``karstsim params``).

    Time is Mesa's: one step is one unit of :attr:`time` and one calendar year, so
    ``model.run_for(5)`` runs five years; :attr:`year` is ``start_year + time``;
    :meth:`run_to_year` runs to a calendar year; :attr:`running` turns false at the
    scenario's end year, so ``run_model()`` ends there. Agents are Mesa agents
    (``model.agents_by_type[Household]``); the yearly outputs are declared in
    :mod:`karstsim.model.outputs` and collected by :attr:`datacollector`.

    The schedule is :meth:`step`, one sub-model after another as in docs/ODD.md §3.
    """

    writes: ClassVar[tuple[str, ...]] = ()
    """The model itself writes no layer: its sub-models do (each declares ``writes``:
    :class:`Government`, :class:`LandUseResolution`, :class:`Fire`, the populations and
    :attr:`processes`); ``tests/test_writers.py`` checks it for a whole year."""

    def __init__(
        self,
        scenario: str | Path | scenario_module.Scenario | None = None,
        rng: int | np.random.Generator | None = None,
        grid: str | GridSpec = "classroom",
        landscape: Landscape | None = None,
        seed: int | None = None,
        **overrides: Any,
    ):
        super().__init__(rng=rng, seed=seed)  # as Mesa's Model: seed is an alias of rng
        self.streams = RandomStreams(self.rng)
        """One random stream per process and agent kind and year (common random numbers)."""
        self.scenario_settings = scenario_module.load(scenario)
        """The karstsim scenario: name, years, parameter values and texts."""
        self.params: Mapping[str, Any] = parameters.resolve(
            {**self.scenario_settings.parameters, **overrides}
        )
        land_rng, agent_rng = self.rng.spawn(2)
        if landscape is None:
            spec = parse_grid(grid) if isinstance(grid, str) else grid
            landscape = landscape_cache.generate(
                spec, start_state(self.scenario_settings.start_year), self.params, land_rng
            )
        self.landscape = landscape
        self.start_layers = {name: landscape[name].copy() for name in ("land_cover", "severity")}
        """The start year's land cover and severity, for before/after maps."""
        self.start_year: int = landscape.year
        self.end_year: int = max(self.scenario_settings.end_year, self.start_year)
        self.area_scale = landscape.land_area_km2 / parameters.PROVINCE_LAND_KM2
        self.households = HouseholdPopulation(
            self, landscape, self.params, self.area_scale, agent_rng
        )
        mines_rng = self.streams.generator("mines/init", self.start_year)
        self.mines = MinePopulation(self, landscape, self.params, self.area_scale, mines_rng)
        self.rangers = RangerForce(self, self.params)
        self.government = Government(
            self.params,
            self.area_scale,
            self.scenario_settings.region_weights,
            self.scenario_settings,
        )
        self.resolution = LandUseResolution(self.params)
        self.fire = Fire(self.params)
        self.harvest = TimberHarvest(self.params)
        self.zoning = Zoning(self.params)
        """The red line and protected areas (a land process after the treatment effects)."""
        self.wetlands = Wetlands(self.params, self.area_scale)
        """Wetland sites, protection and restoration (a land process after the zoning)."""
        self.forest_economy = ForestEconomy(self.params, self.area_scale)
        """Reserve forest, buy-back, public-welfare forest and featured crops (a land process
        after the wetlands)."""
        self.grassland = GrasslandRestoration(self.params, self.area_scale)
        """Restoration of degraded grassland (a land process before the treatment effects)."""
        self.livestock = Livestock(self.params, self.area_scale, self.start_year)
        """Herds against the grass, measured once a year with the outputs."""
        self.relocation = Relocation(self.params, self.area_scale, self.households)
        """Households moving out of fragile villages (a land process, first)."""
        self.compensation = EcoCompensation(self.params, self.area_scale, landscape)
        """Ecological compensation between basins and counties, paid after the land processes."""
        self.soil_carbon = SoilCarbon(self.params)
        """Soil organic, grassland and wetland carbon (a land process, last)."""
        self.carbon_credits = CarbonCredits(self.params, self.start_year)
        """Forest carbon credits issued on the plan's plantings and sold (after the
        households' scheme choices)."""
        self.building = Building(self.params, self.area_scale)
        """Towns and roads taking land, and the cropland balance (a land process, second)."""
        self.processes: list[LandProcess] = [
            self.relocation,
            self.building,
            self.grassland,
            TreatmentEffects(self.params),
            self.zoning,
            self.wetlands,
            self.forest_economy,
            Succession(self.params),
            SoilErosion(self.params),
            VegetationCover(self.params),
            MineImpact(self.params),
            SeverityClassification(self.params),
            self.harvest,
            CarbonGrowth(self.params),
            self.soil_carbon,
        ]
        self.cumulative = {
            "treated_km2_cum": 0.0,
            "afforested_km2_cum": 0.0,
            "burned_km2_cum": 0.0,
            "erosion_controlled_km2_cum": 0.0,
            **{f"treated_{kind}_km2_cum": 0.0 for kind in allocation.LAND_TYPES},
        }
        self._previous_carbon: float | None = None
        self._previous_ecosystem_carbon: float | None = None
        self.government.seed_young_plantations(landscape, self.year, self.streams)
        self.government.enrol_past_grain_for_green(landscape, self.year)
        self.livestock.reference(landscape, self.households, self.start_year)
        self.zoning.designate(
            landscape,
            landscape.uniform(self.streams.generator("zoning/designation", self.start_year)),
        )
        self.wetlands.designate(landscape)
        self.soil_carbon.initialise(landscape)
        self.forest_economy.designate(
            landscape,
            landscape.uniform(
                self.streams.generator("forest_economy/designation", self.start_year)
            ),
        )
        self.households.enrolled_gfg, _, _ = grain_for_green_payments(
            landscape, self.params, self.year, self.households.n, 0
        )
        budget = self.government.budget(landscape, self.year)
        self.rangers.staff(budget.rangers, self.households)
        self.rangers.patrol(landscape)
        self.patches = corridors.find_patches(landscape, self.params)
        self.gep = GepAccount(self.params, landscape)
        """The GEP accounts, measured with the outputs (issue 28)."""
        self.gep_cells: CellAccounts
        """This year's accounts of every land cell (land-cell order)."""
        self.gep_table = GepTable(landscape)
        """The accounts' rows, the map's every year and each region's if recorded
        (``gep.csv``)."""
        self.datacollector = mesa.DataCollector(model_reporters=outputs.model_reporters())
        """Mesa's collector of the declared outputs, one row per year."""
        self.measures: YearMeasures
        self._collect(
            {
                "treated_km2": 0.0,
                "afforested_km2": 0.0,
                "tended_km2": 0.0,
                "tending_cost_Myuan": 0.0,
                "timber_harvest_Mm3": 0.0,
                "reserve_timber_harvest_Mm3": 0.0,
                **dict.fromkeys(FOREST_ECONOMY_SPENDING, 0.0),
                "erosion_controlled_km2": 0.0,
                "erosion_control_cost_Myuan": 0.0,
                **dict.fromkeys(outputs.SPENDING, 0.0),
                **dict.fromkeys(compensation.FLOWS, 0.0),
                **dict.fromkeys(outputs.EVENTS, 0.0),
            }
        )
        self.running = self.year < self.end_year

    @property
    def year(self) -> int:
        """The calendar year: the start year plus Mesa's :attr:`time` (one step a year)."""
        return self.start_year + round(self.time)

    # --- schedule -----------------------------------------------------------------------------
    def step(self) -> None:
        """Advance the model by one year: the ODD's schedule (docs/ODD.md §3)."""
        land, streams, year = self.landscape, self.streams, self.year
        land.year = year
        # 1. the government sets the year's budget, starts treatment and afforestation, and
        #    tends young forest and puts the most eroding land under soil-erosion control
        budget = self.government.budget(land, year)
        flows = self.government.allocate_treatment(
            land, budget, streams.generator("government", year)
        )
        for kind, km2 in self.government.treated_by_land_type.items():
            self.cumulative[f"treated_{kind}_km2_cum"] += km2
        tended_ha = self.government.tend_forest(land, budget, streams.generator("tending", year))
        controlled_ha = self.government.control_erosion(
            land, budget, streams.generator("erosion_control", year)
        )
        # 2. mines change status, open and are restored; the one writer applies their cells
        self.mines.step(year, budget.legacy_restoration_ha, streams)
        self.resolution.apply_mines(land, self.mines.new_cells, self.mines.restored_cells)
        # 3. rangers are hired or let go; households decide (proposals only)
        self.rangers.staff(budget.rangers, self.households)
        proposals = self.households.decide(year, streams.generator("households", year))
        # 4. rangers patrol
        self.rangers.patrol(land)
        # 5. the one writer resolves the households' proposals
        gfg_cells = self.government.gfg_quota_cells(budget, land.cell_area_ha)
        resolved = self.resolution.resolve(
            land,
            proposals,
            gfg_cells,
            self.households.n,
            year,
            streams.generator("resolution", year),
        )
        # 6. fire
        self.fire.run_one_year(land, streams.generator("fire", year))
        # 7. the government pays Grain-for-Green instalments and seedlings
        enrolled, gfg_cash, gfg_spent = grain_for_green_payments(
            land, self.params, year, self.households.n, resolved.gfg_accepted.size
        )
        self.households.enrolled_gfg = enrolled
        # 8. land processes: relocation → building → grassland restoration → treatment
        #    effects → zoning
        #    (red line, protected areas) → wetlands → forest economy → succession → soil
        #    erosion → vegetation cover → mine damage → severity → timber harvest → stand
        #    growth and carbon → soil, grassland and wetland carbon
        carbon_before = land["carbon_tC_ha"].copy()
        for process in self.processes:
            process.run_one_year(land, streams.generator(type(process).__name__, year))
        sequestered = np.maximum(land["carbon_tC_ha"] - carbon_before, 0.0)
        # 9. ecological compensation is paid on the year's water and forest; households
        #    choose carbon schemes and understory work; forest carbon credits are issued and
        #    sold; households are paid
        compensation = self.compensation.pay(land, self.households.n)
        self.households.choose_schemes(budget.scheme_trees, sequestered)
        credit_payments = self.carbon_credits.trade(land, sequestered, self.households, year)
        self.households.account(
            {
                "gfg": gfg_cash,
                "fines": resolved.fines_yuan,
                "eco_compensation": compensation,
                "carbon_credits": credit_payments,
            },
            land["grazed"],
        )
        # 10. habitat patches; outputs
        self.patches = corridors.find_patches(land, self.params)
        self.cumulative["burned_km2_cum"] += self.fire.burned.size * land.cell_area_km2
        flows.update(
            spend_gfg_Myuan=gfg_spent / 1e6,
            spend_rangers_Myuan=self.rangers.total * self.params["ranger_wage_yuan"] / 1e6,
            spend_mines_Myuan=self.mines.restoration_spent_yuan / 1e6,
            spend_carbon_Myuan=float(self.households.income["single_tree"].sum())
            * self.households.per_agent
            / 1e6,
            spend_zoning_Myuan=self.government.zoning_cost_yuan(land) / 1e6,
            spend_grassland_Myuan=self.grassland.cost_yuan / 1e6,
            spend_wetland_Myuan=self.wetlands.cost_yuan / 1e6,
            spend_relocation_Myuan=self.relocation.cost_yuan / 1e6,
            spend_compensation_Myuan=self.compensation.flows["eco_comp_chishui_paid_Myuan"],
            spend_reserve_forest_Myuan=self.forest_economy.cost_yuan["reserve"] / 1e6,
            spend_forest_buyback_Myuan=self.forest_economy.cost_yuan["buyback"] / 1e6,
            spend_public_welfare_Myuan=self.forest_economy.public_welfare_forest_ha(land)
            * self.params["public_welfare_comp_yuan_ha"]
            / 1e6,
            spend_understory_Myuan=self.households.understory_support_yuan / 1e6,
            spend_featured_crops_Myuan=self.forest_economy.cost_yuan["crops"] / 1e6,
        )
        flows.update(self.compensation.flows)
        flows.update(
            tended_km2=tended_ha / 100.0,
            tending_cost_Myuan=tended_ha * self.params["tending_cost_yuan_ha"] / 1e6,
            timber_harvest_Mm3=self.harvest.harvested_m3 / 1e6,
            reserve_timber_harvest_Mm3=self.harvest.reserve_harvested_m3 / 1e6,
            erosion_controlled_km2=controlled_ha / 100.0,
            erosion_control_cost_Myuan=controlled_ha
            * self.params["erosion_control_cost_yuan_ha"]
            / 1e6,
        )
        self.cumulative["erosion_controlled_km2_cum"] += controlled_ha / 100.0
        events = resolved.events(land.cell_area_km2)
        flows.update(
            violations_attempted=events["violations_attempted"],
            violations_detected=events["violations_detected"],
            fires=float(self.fire.ignited.size),
            fires_suppressed=float(self.fire.suppressed.sum()),
            cropland_abandoned_km2=events["cropland_abandoned_km2"],
            gfg_new_km2=events["gfg_new_km2"],
            zone_violations_attempted=events["zone_violations_attempted"],
            zone_violations_detected=events["zone_violations_detected"],
        )
        self._collect(flows)
        self.running = self.year < self.end_year

    def run_to_year(self, year: int) -> None:
        """Step until the calendar year is ``year`` (Mesa's ``run_for`` in years)."""
        if year > self.year:
            self.run_for(year - self.year)

    # --- outputs --------------------------------------------------------------------------------
    @property
    def habitat_graph(self) -> nx.Graph:
        """The current habitat patch graph (see :mod:`karstsim.model.corridors`)."""
        return self.patches.graph()

    def _collect(self, flows: dict[str, float]) -> None:
        """Measure the year once and let the datacollector read the declared outputs."""
        self.cumulative["treated_km2_cum"] += flows["treated_km2"]
        self.cumulative["afforested_km2_cum"] += flows["afforested_km2"]
        land = metrics.land_indicators(self.landscape, self.params)
        habitat = corridors.habitat(self.landscape, self.params["habitat_min_age_yr"])
        land.update(zone_indicators(self.landscape, habitat))
        land.update(
            self.wetlands.indicators(self.landscape),
            wetland_reclaimed_ha_cum=self.wetlands.reclaimed_ha_cum,
            wetland_restored_ha_cum=self.wetlands.restored_ha_cum,
        )
        land.update(self.forest_economy.indicators(self.landscape))
        self.livestock.measure(self.landscape, self.households, self.year)
        livestock = {
            **self.livestock.indicators,
            "degraded_grassland_restored_ha_cum": self.grassland.restored_ha_cum,
        }
        stock = land["carbon_stock_MtC"]
        previous = stock if self._previous_carbon is None else self._previous_carbon
        flows["co2_sequestered_MtCO2"] = metrics.carbon_flux(previous, stock)
        self._previous_carbon = stock
        carbon = self.soil_carbon.indicators(self.landscape, stock)
        ecosystem = carbon["ecosystem_carbon_MtC"]
        before = self._previous_ecosystem_carbon
        self._previous_ecosystem_carbon = ecosystem
        carbon.update(
            soil_carbon_sink_MtCO2=self.soil_carbon.sinks_MtCO2["soil"],
            wetland_carbon_sink_MtCO2=self.soil_carbon.sinks_MtCO2["wetland"],
            grassland_carbon_sink_MtCO2=self.soil_carbon.sinks_MtCO2["grassland"],
            ecosystem_sink_MtCO2=metrics.carbon_flux(
                ecosystem if before is None else before, ecosystem
            ),
            **self.carbon_credits.indicators,
            carbon_credit_households_Myuan=self.carbon_credits.households_Myuan(self.households),
        )
        self.gep_cells = self.gep.measure(
            self.landscape, self.households, self.harvest, self.livestock
        )
        self.gep_table.record(self.year, self.gep_cells)
        self.measures = YearMeasures(
            land=land,
            households={
                **self.households.indicators(),
                "relocated_people_cum": self.relocation.people_cum,
                "relocation_land_released_km2_cum": self.relocation.released_km2_cum,
            },
            mines=self.mines.indicators(),
            flows=flows,
            livestock=livestock,
            carbon=carbon,
            gep=self.gep_cells.totals(),
        )
        self.datacollector.collect(self)

    def transitions(self, by: str | None = None) -> pd.DataFrame:
        """The land account's ledger: one row per year, region, from class, to class and
        cause of change, with its area (``km2``). ``by`` ``None`` gives the whole map
        (``level`` "map", ``adcode`` 0); ``"county"`` or ``"prefecture"`` one row per
        region of that level (real maps)."""
        names = {int(code): code.name.lower() for code in LandCover}
        counties = np.unique(self.landscape["county"]) if "county" in self.landscape else []
        regions = None
        if by == "county":
            regions = {int(c): int(c) for c in counties}
        elif by == "prefecture":
            regions = {int(c): int(c) // 100 * 100 for c in counties}
        table = self.landscape.ledger.table(names, self.landscape.cell_area_km2, regions)
        table.insert(1, "level", "map" if by is None else by)
        return table.rename(columns={"region": "adcode"})

    def results(self) -> pd.DataFrame:
        """One row per year (the start year first): the declared outputs
        (:data:`karstsim.model.outputs.OUTPUTS`), in their order."""
        return self.datacollector.get_model_vars_dataframe()
