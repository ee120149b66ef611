"""KarstModel: the Mesa model that owns the landscape and runs the yearly schedule."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd

from karstsim.model import allocation, generator, metrics, parameters
from karstsim.model import scenario as scenario_module
from karstsim.model.grid import GridSpec, parse_grid
from karstsim.model.initial_states import start_state
from karstsim.model.layers import Landscape, Treatment
from karstsim.model.processes.carbon import CarbonGrowth
from karstsim.model.processes.erosion import SoilErosion
from karstsim.model.processes.grazing import Grazing
from karstsim.model.processes.succession import Succession
from karstsim.model.processes.treatment import TreatmentEffects, mode_costs, start_treatment
from karstsim.model.processes.vegetation import SeverityClassification, VegetationCover


class KarstModel(mesa.Model):
    """Guizhou's karst, one step a year.

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

    Schedule of :meth:`step` (one calendar year): the government allocates treatment and
    afforestation → grazing → treatment effects → succession → soil erosion → vegetation
    cover → severity → carbon → accounting.
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
        if landscape is None:
            spec = parse_grid(grid) if isinstance(grid, str) else grid
            landscape = generator.generate(
                spec, start_state(self.scenario_spec.start_year), self.params, self.rng.spawn(1)[0]
            )
        self.landscape = landscape
        self.start_layers = {name: landscape[name].copy() for name in ("land_cover", "severity")}
        """The start year's land cover and severity, for before/after maps."""
        self.year = landscape.year
        self.area_scale = landscape.land_area_km2 / parameters.PROVINCE_LAND_KM2
        self.processes = [
            Grazing(self.params),
            TreatmentEffects(self.params),
            Succession(self.params),
            SoilErosion(self.params),
            VegetationCover(self.params),
            SeverityClassification(),
            CarbonGrowth(self.params),
        ]
        self._treatment_budget = allocation.CellBudget()
        self._afforestation_budget = allocation.CellBudget()
        self._mode_costs = mode_costs(self.params)
        self.cumulative = {"treated_km2_cum": 0.0, "afforested_km2_cum": 0.0}
        self._rows: list[dict[str, float]] = []
        self._previous_carbon = None
        self._record(
            {
                "treated_km2": 0.0,
                "afforested_km2": 0.0,
                "treatment_cost_Myuan": 0.0,
                "afforestation_cost_Myuan": 0.0,
            }
        )

    # --- schedule -----------------------------------------------------------------------------
    def step(self) -> None:
        """Advance the model by one year."""
        self.year += 1
        self.landscape.year = self.year
        spending = self.allocate_treatment()
        for process in self.processes:
            process.run_one_year(self.landscape, self.rng)
        self._record(spending)

    def run_until(self, year: int) -> None:
        """Step until the model's year is ``year``."""
        while self.year < year:
            self.step()

    # --- government ---------------------------------------------------------------------------
    def allocate_treatment(self) -> dict[str, float]:
        """Start this year's desertification treatment and afforestation; return area and cost."""
        land = self.landscape
        cell_ha = land.cell_area_ha
        n_treat = self._treatment_budget.cells(
            self.params["treatment_ha_per_year"] * self.area_scale, cell_ha
        )
        plan = allocation.plan_treatment(land, n_treat, self.params, self.rng)
        treated_cells, treatment_cost = 0, 0.0
        for mode, cells in plan.items():
            start_treatment(land, cells, mode)
            treated_cells += cells.size
            treatment_cost += cells.size * cell_ha * self._mode_costs[mode]
        n_plant = self._afforestation_budget.cells(
            self.params["afforestation_ha_per_year"] * self.area_scale, cell_ha
        )
        planted = allocation.plan_afforestation(land, n_plant, self.rng)
        start_treatment(land, planted, Treatment.AFFORESTATION)
        return {
            "treated_km2": treated_cells * land.cell_area_km2,
            "afforested_km2": planted.size * land.cell_area_km2,
            "treatment_cost_Myuan": treatment_cost / 1e6,
            "afforestation_cost_Myuan": planted.size
            * cell_ha
            * self._mode_costs[Treatment.AFFORESTATION]
            / 1e6,
        }

    # --- outputs --------------------------------------------------------------------------------
    def _record(self, spending: Mapping[str, float]) -> None:
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
        self._rows.append(row)

    def results(self) -> pd.DataFrame:
        """One row per year (the start year first): the model's outputs."""
        return pd.DataFrame(self._rows)
