"""``karstsim calibrate``: fit the uncertain parameters to Guizhou's record.

Method: weighted least squares, minimised with Powell's method within bounds (scipy)
over the continuous free parameters for each value of the integer
``afforestation_establish_years`` in
:data:`ESTABLISH_YEARS`, on a smaller grid with common random numbers (the same seeds
for every evaluation). The objective is Σ ((simulated mean − observed) / σ)² over the
observations in :data:`TARGETS`: forest cover 2017–2020 from the hindcast and 2021 from
plan14 (σ = 1 percentage point) and the desertified area of 2022 from plan14 (σ = 5 %).

Free parameters (:data:`FREE`): the new afforestation of 2016–20 (not reported separately
by the plan; it also sets the young plantations both start states carry), the new
afforestation of the 14th plan, the rate at which exposed rock recovers under cover, the
one-off effect of the treatment programme's soil works on exposed rock, and how strongly
planting favours desertified land.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize

from karstsim.experiments.ensemble import run_seeds, value_at
from karstsim.experiments.observations import PROVINCE_SCALED


@dataclass(frozen=True)
class Free:
    """A fitted quantity, its bounds, and the scenario parameters it sets."""

    name: str
    low: float
    high: float
    sets: dict[str, tuple[str, ...]]


FREE = (
    Free(
        "afforestation_2016_20_ha_per_year",
        0.0,
        500_000.0,
        {
            "hindcast13": ("afforestation_ha_per_year", "young_afforestation_ha_per_year"),
            "plan14": ("young_afforestation_ha_per_year",),
        },
    ),
    Free(
        "afforestation_2021_25_ha_per_year",
        0.0,
        300_000.0,
        {"plan14": ("afforestation_ha_per_year",)},
    ),
    Free(
        "exposure_recovery_rate",
        0.0,
        0.2,
        {
            "hindcast13": ("exposure_recovery_rate",),
            "plan14": ("exposure_recovery_rate",),
        },
    ),
    Free(
        "treatment_exposure_cut",
        0.0,
        0.6,
        {
            "hindcast13": ("treatment_exposure_cut",),
            "plan14": ("treatment_exposure_cut",),
        },
    ),
    Free(
        "desert_planting_priority",
        1.0,
        50.0,
        {
            "hindcast13": ("desert_planting_priority",),
            "plan14": ("desert_planting_priority",),
        },
    ),
)
ESTABLISH_YEARS = (1, 2)
TARGETS = (
    ("hindcast13", "forest_cover_pct", 2017, 55.3, 1.0),
    ("hindcast13", "forest_cover_pct", 2018, 57.0, 1.0),
    ("hindcast13", "forest_cover_pct", 2019, 58.5, 1.0),
    ("hindcast13", "forest_cover_pct", 2020, 61.51, 1.0),
    ("plan14", "forest_cover_pct", 2021, 62.12, 1.0),
    ("plan14", "desertified_km2", 2022, 15_500.0, 775.0),
)
"""(scenario, column, year, observed, σ) fitted against."""
END_YEARS = {"hindcast13": 2020, "plan14": 2022}


def overrides_for(values: dict[str, float], establish_years: int) -> dict[str, dict[str, Any]]:
    """Parameter overrides per scenario for fitted ``values``."""
    result: dict[str, dict[str, Any]] = {
        s: {"afforestation_establish_years": establish_years} for s in END_YEARS
    }
    for free in FREE:
        for scenario, names in free.sets.items():
            result[scenario].update(dict.fromkeys(names, values[free.name]))
    return result


def simulate_targets(
    values: dict[str, float], establish_years: int, seeds: Sequence[int], grid: str
) -> list[float]:
    """Simulated mean of each target."""
    overrides = overrides_for(values, establish_years)
    runs = {
        s: run_seeds(s, seeds, grid=grid, end_year=end, overrides=overrides[s])
        for s, end in END_YEARS.items()
    }
    out = []
    for scenario, column, year, _, _ in TARGETS:
        name = f"{column}_province" if column in PROVINCE_SCALED else column
        out.append(float(value_at(runs[scenario], name, year).mean()))
    return out


def objective(simulated: Sequence[float]) -> float:
    return float(sum(((s - t[3]) / t[4]) ** 2 for s, t in zip(simulated, TARGETS, strict=True)))


def calibrate(
    seeds: Sequence[int] = (0, 1), grid: str = "county", max_evaluations: int = 40
) -> dict[str, Any]:
    """Fit :data:`FREE` for each establishment period; return the best fit and the trace."""

    def unpack(x: np.ndarray) -> dict[str, float]:
        x = np.clip(x, 0.0, 1.0)
        return {f.name: f.low + xi * (f.high - f.low) for f, xi in zip(FREE, x, strict=True)}

    fits = []
    for years in ESTABLISH_YEARS:

        def loss(x: np.ndarray, years: int = years) -> float:
            return objective(simulate_targets(unpack(x), years, seeds, grid))

        best = minimize(
            loss,
            x0=np.full(len(FREE), 0.4),
            method="Powell",
            bounds=[(0.0, 1.0)] * len(FREE),
            options={"maxfev": max_evaluations, "xtol": 1e-2, "ftol": 1e-3},
        )
        values = unpack(best.x)
        fits.append(
            {
                "afforestation_establish_years": years,
                "values": values,
                "loss": float(best.fun),
                "evaluations": int(best.nfev),
            }
        )
    chosen = min(fits, key=lambda f: f["loss"])
    simulated = simulate_targets(
        chosen["values"], chosen["afforestation_establish_years"], seeds, grid
    )
    fit = [
        {"scenario": s, "column": c, "year": y, "observed": o, "sigma": sd, "simulated": v}
        for (s, c, y, o, sd), v in zip(TARGETS, simulated, strict=True)
    ]
    return {
        "method": "weighted least squares, bounded Powell per establishment period, common random numbers",
        "grid": grid,
        "seeds": list(seeds),
        "chosen": chosen,
        "all_fits": fits,
        "fit": fit,
    }


FILE_NAME = "calibration.json"


def write(result: dict[str, Any], out: Path) -> Path:
    """Write ``result`` as ``out/calibration.json``; returns its path."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / FILE_NAME
    path.write_text(json.dumps(result, indent=2), "utf-8")
    return path
