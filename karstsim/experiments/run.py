"""The one pure entry point of every experiment: parameters and a seed in, results out.

``run`` is what the command line, sweeps, sensitivity analyses and the app's comparison
call; ``simulate`` does the same but returns the finished model (for maps).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from karstsim.experiments import targets
from karstsim.model import outputs
from karstsim.model import scenario as scenario_module
from karstsim.model.grid import GridSpec
from karstsim.model.karst_model import KarstModel
from karstsim.model.layers import Landscape
from karstsim.model.loading import write_run_layers
from karstsim.model.parameters import ParameterError
from karstsim.model.regional import RegionalRecorder

MAX_YEAR = 2100


@dataclass(frozen=True)
class RunSpec:
    """Everything that defines one run. Same spec and seed → same results."""

    scenario: str | Path | None = None
    overrides: Mapping[str, Any] = field(default_factory=dict)
    grid: str | GridSpec = "classroom"
    start_year: int | None = None
    end_year: int | None = None
    seed: int = 0
    by: str = "prefecture"
    """Level of the results by region on a real map: ``prefecture`` or ``county``."""

    def resolved_scenario(self) -> scenario_module.Scenario:
        base = scenario_module.load(self.scenario)
        start = self.start_year if self.start_year is not None else base.start_year
        end = self.end_year if self.end_year is not None else base.end_year
        if not start <= end <= MAX_YEAR:
            raise ParameterError(
                f"years {start}:{end}: the end year must be ≥ the start year and ≤ {MAX_YEAR}",
                zh=f"年份 {start}:{end}：结束年份须不早于起始年份，且不晚于 {MAX_YEAR}",
            )
        # replace() keeps every other field of the scenario (texts, regions, schedule)
        return replace(
            base,
            start_year=start,
            end_year=end,
            parameters={**base.parameters, **self.overrides},
        )


def parse_years(text: str) -> tuple[int | None, int]:
    """``"2020:2035"`` → (2020, 2035); ``"2035"`` or ``":2035"`` → (None, 2035)."""
    start_text, _, end_text = text.rpartition(":")
    try:
        start = int(start_text) if start_text else None
        end = int(end_text)
    except ValueError:
        raise ParameterError(
            f"years {text!r}: expected START:END (e.g. 2020:2035) or END",
            zh=f"年份 {text!r}：应为 起始:结束（如 2020:2035）或 结束年份",
        ) from None
    return start, end


def simulate(
    spec: RunSpec,
    landscape: Landscape | None = None,
    on_year: Callable[[KarstModel], None] | None = None,
    by_region: bool = False,
    keep_layers: tuple[str, ...] = (),
) -> KarstModel:
    """Build the model for ``spec`` and run it to the end year; returns the model.

    With ``by_region`` (and a real map) ``model.regional`` records the results of every
    region of level ``spec.by`` each year; ``keep_layers`` names layers whose yearly
    state is kept in ``model.yearly_layers`` (year → name → array).
    """
    plan = spec.resolved_scenario()
    model = KarstModel(plan, rng=spec.seed, grid=spec.grid, landscape=landscape)
    model.regional = None
    if by_region and model.landscape.geo is not None:
        model.regional = RegionalRecorder(model, spec.by)
    model.yearly_layers = {}

    def observe() -> None:
        if model.regional is not None:
            model.regional.record()
        if keep_layers:
            model.yearly_layers[model.year] = {
                name: compact(model.landscape.to_grid(model.landscape[name]))
                for name in keep_layers
            }

    observe()
    while model.running:
        model.step()
        observe()
        if on_year is not None:
            on_year(model)
    return model


def compact(array: np.ndarray) -> np.ndarray:
    """A copy in the smallest dtype that keeps its meaning (float32 for floats)."""
    return array.astype(np.float32) if array.dtype == np.float64 else array.copy()


def run(params: Mapping[str, Any], rng: int, **spec: Any) -> pd.DataFrame:
    """The yearly results of one run with parameter values ``params`` and seed ``rng``.

    ``spec`` takes the other :class:`RunSpec` fields (scenario, grid, start_year, end_year).
    """
    return simulate(RunSpec(overrides=dict(params), seed=rng, **spec)).results()


def run_by_region(
    params: Mapping[str, Any], rng: int, by: str = "county", **spec: Any
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`run`'s yearly results and the yearly rows of every region of level ``by``
    (``county`` or ``prefecture``) on a real map."""
    model = simulate(RunSpec(overrides=dict(params), seed=rng, by=by, **spec), by_region=True)
    regional = model.regional.table_frame() if model.regional is not None else pd.DataFrame()
    return model.results(), regional


def summary(model: KarstModel, spec: RunSpec) -> dict[str, Any]:
    """Final values, plan targets met (first year or null) and the run's inputs."""
    results = model.results()
    final = results.iloc[-1].to_dict()
    return {
        "scenario": model.scenario_settings.name,
        "seed": spec.seed,
        "grid": str(spec.grid if isinstance(spec.grid, str) else spec.grid.name),
        "shape": list(model.landscape.grid_shape),
        "land_area_km2": model.landscape.land_area_km2,
        "area_scale": model.area_scale,
        "years": [int(results["year"].iloc[0]), int(results["year"].iloc[-1])],
        "final": {k: (int(v) if k == "year" else float(v)) for k, v in final.items()},
        "units": {o.name: o.unit for o in outputs.OUTPUTS},
        "targets": targets.evaluate(results, model.area_scale),
        "gep": model.gep_table.summary(),
        **regional_summary(model),
        "parameters": dict(model.params),
    }


def regional_summary(model: KarstModel) -> dict[str, Any]:
    """The map's place (CRS, bounds), each region's final values and the area targets."""
    land = model.landscape
    if land.geo is None:
        return {}
    info: dict[str, Any] = {
        "crs": land.geo.crs,
        "bounds_lonlat": [round(v, 4) for v in land.geo.lonlat_bounds(land.grid_shape)],
        "cell_size_m": land.geo.cell_size_m,
    }
    recorder = getattr(model, "regional", None)
    if recorder is not None:
        table = recorder.table_frame()
        final = table[table["year"] == model.year]
        info["regions"] = {
            row["adcode"]: {k: (v if isinstance(v, str) else float(v)) for k, v in row.items()}
            for row in final.drop(columns=["year"]).to_dict("records")
        }
        info["area_targets"] = targets.evaluate_areas(recorder.area_frame())
    return info


def write_outputs(
    model: KarstModel, spec: RunSpec, out: Path, figures: bool = True
) -> dict[str, Any]:
    """Write timeseries.csv, transitions.csv (the land account's ledger: the map's rows,
    and each region's on a real map), gep.csv (the GEP accounts by service: the map's rows,
    and each region's on a real map), regions.csv (real maps), summary.json, maps/ and
    dashboard.png
    (unless ``figures`` is false) and, if the run kept them, the layers (``layers/``) to
    ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    model.results().to_csv(out / "timeseries.csv", index=False)
    recorder = getattr(model, "regional", None)
    transitions = [model.transitions()]
    if recorder is not None:
        recorder.table_frame().to_csv(out / "regions.csv", index=False)
        transitions.append(model.transitions(spec.by))
    pd.concat(transitions, ignore_index=True).to_csv(out / "transitions.csv", index=False)
    model.gep_table.frame().to_csv(out / "gep.csv", index=False)
    if getattr(model, "yearly_layers", None):
        write_run_layers(model.landscape, model.yearly_layers, out / "layers")
    info = summary(model, spec)
    (out / "summary.json").write_text(json.dumps(info, indent=2, ensure_ascii=False), "utf-8")
    if figures:
        from karstsim.experiments import figures as drawing

        drawing.write_maps(model, out / "maps")
        drawing.dashboard(
            model.results(), out / "dashboard.png", title=model.scenario_settings.name
        )
    return info
