"""``karstsim forecast SCENARIO``: the posterior × stochastic ensemble, its bands and the
probability that each plan target is met by its deadline.

Each posterior draw of ``karstsim calibrate`` (``posterior.csv``; the shipped
``karstsim/data/posterior.csv`` by default) sets the uncertain parameters it fitted; the
scenario keeps its own levers. Every draw runs with ``seeds_per_draw`` seeds, so the
ensemble carries both parameter and stochastic uncertainty. Parameters that matter for the
targets but that no observation up to 2020 constrains (:data:`UNCONSTRAINED`: the stands'
yield ceiling, which sets how fast the growing stock grows, and the timber harvest) are drawn
from their priors, one value per posterior draw, so their uncertainty is in the bands too
instead of hidden in a default. For each key output the 5 %,
50 % and 95 % quantiles per year are reported, and for each plan target the share of runs
that meet it by its deadline, e.g. P(forest cover ≥ 64 % in 2025 | plan14).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from karstsim.experiments import calibration, ensemble_data, targets
from karstsim.experiments.run import RunSpec, simulate
from karstsim.model import parameters
from karstsim.model.parameters import InputError
from karstsim.model.processes import carbon
from karstsim.model.scenario import load

KEY_OUTPUTS = (
    "forest_cover_pct",
    "desertified_km2",
    "growing_stock_Mm3",
    "carbon_stock_MtC",
    "co2_sequestered_MtCO2",
    "soil_conservation_pct",
    "treated_km2_cum",
    "income_per_person_yuan",
    "poverty_share",
)
QUANTILES = (0.05, 0.5, 0.95)
UNCONSTRAINED = ("stand_volume_max_m3_ha", "timber_harvest_m3_ha_yr")
"""Uncertain parameters without data before 2020, drawn from a triangular prior over their
declared range with its mode at the default (the best estimate)."""
PRIOR_SEED = 20_201_231
"""Seed of the prior draws of :data:`UNCONSTRAINED` (the same in every forecast)."""


def prior_draws(n: int) -> list[dict[str, float]]:
    """``n`` draws of :data:`UNCONSTRAINED` from their triangular priors."""
    rng = np.random.default_rng(PRIOR_SEED)
    columns = {}
    for name in UNCONSTRAINED:
        p = parameters.get(name)
        columns[name] = rng.triangular(p.low, float(p.default), p.high, n)
    return [{name: float(columns[name][i]) for name in UNCONSTRAINED} for i in range(n)]


def shipped_posterior() -> Path:
    return Path(str(resources.files("karstsim") / "data" / "posterior.csv"))


def read_posterior(path: Path | None) -> pd.DataFrame:
    """A posterior sample with one column per fitted quantity (a clear error otherwise)."""
    path = Path(path) if path is not None else shipped_posterior()
    try:
        table = pd.read_csv(path)
    except (OSError, ValueError) as error:
        raise InputError(f"posterior {path}: cannot be read as CSV ({error})") from None
    missing = [p.name for p in calibration.PRIORS if p.name not in table]
    if missing or table.empty:
        raise InputError(
            f"posterior {path}: needs a row per draw and the columns {', '.join(missing or [p.name for p in calibration.PRIORS])} "
            "(write one with karstsim calibrate)"
        )
    return table


def draw_overrides(posterior: pd.DataFrame, start_year: int) -> list[dict[str, Any]]:
    """The parameter values of each posterior draw for runs starting in ``start_year``
    (the fitted quantities, and a draw of each unconstrained prior)."""
    unconstrained = prior_draws(len(posterior))
    key = calibration.HINDCAST if start_year < 2020 else "2020"
    overrides = []
    for draw, row in enumerate(posterior.to_dict("records")):
        values = {p.name: float(row[p.name]) for p in calibration.PRIORS}
        overrides.append({**calibration.scenario_overrides(values)[key], **unconstrained[draw]})
    return overrides


def run_ensemble(
    scenario: str,
    posterior: pd.DataFrame,
    seeds_per_draw: int = 2,
    grid: str = "county",
    end_year: int | None = None,
) -> pd.DataFrame:
    """Yearly results of every (draw, seed), stacked with ``draw`` and ``seed`` columns."""
    plan = load(scenario)
    frames = []
    for draw, overrides in enumerate(draw_overrides(posterior, plan.start_year)):
        for replicate in range(seeds_per_draw):
            seed = 1000 * draw + replicate
            spec = RunSpec(
                scenario=scenario, overrides=overrides, grid=grid, end_year=end_year, seed=seed
            )
            model = simulate(spec)
            table = model.results()
            table.insert(0, "seed", seed)
            table.insert(0, "draw", draw)
            table["area_scale"] = model.area_scale
            frames.append(table)
    return pd.concat(frames, ignore_index=True)


def bands(runs: pd.DataFrame) -> pd.DataFrame:
    """Per year and key output: the 5, 50 and 95 % quantiles and the mean."""
    rows = []
    for column in KEY_OUTPUTS:
        if column not in runs:
            continue
        grouped = runs.groupby("year")[column]
        quantiles = grouped.quantile(list(QUANTILES)).unstack()
        for year, q in quantiles.iterrows():
            rows.append(
                {
                    "year": int(year),
                    "output": column,
                    "p5": float(q[0.05]),
                    "p50": float(q[0.5]),
                    "p95": float(q[0.95]),
                    "mean": float(grouped.get_group(year).mean()),
                }
            )
    return pd.DataFrame(rows)


def probabilities(runs: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Each plan target: the share of runs meeting it by its deadline."""
    met: dict[str, list[bool]] = {}
    described: dict[str, dict[str, Any]] = {}
    for _, run in runs.groupby(["draw", "seed"]):
        report = targets.evaluate(run, float(run["area_scale"].iloc[0]))
        for key, entry in report.items():
            met.setdefault(key, []).append(bool(entry["met_by_deadline"]))
            described[key] = entry
    return {
        key: {
            "description": described[key]["description"],
            "deadline": described[key]["deadline"],
            "probability": float(np.mean(flags)),
            "runs": len(flags),
        }
        for key, flags in met.items()
    }


PLAN_PERIOD = (2020, 2025)
"""The 14th plan's period: its growing stock and carbon sink are reported beside the plan's."""


def growth_and_sink(runs: pd.DataFrame) -> dict[str, Any]:
    """The plan period's growing stock and carbon sink, province-equivalent (each run's
    values over its area scale), with their 5–50–95 % quantiles, and the conversion that
    ties them: tC per m³ of growing stock in all modelled pools of a forest stand."""
    first, last = PLAN_PERIOD
    rows = []
    for _, run in runs.groupby(["draw", "seed"]):
        by_year = run.set_index("year")
        if first not in by_year.index or last not in by_year.index:
            continue
        scale = float(run["area_scale"].iloc[0])
        period = by_year.loc[first + 1 : last]
        rows.append(
            {
                "growing_stock_start_Mm3": by_year.loc[first, "growing_stock_Mm3"] / scale,
                "growing_stock_end_Mm3": by_year.loc[last, "growing_stock_Mm3"] / scale,
                "sink_MtCO2": period["co2_sequestered_MtCO2"].sum() / scale,
                "harvest_Mm3": period["timber_harvest_Mm3"].sum() / scale,
            }
        )
    if not rows:
        return {}
    table = pd.DataFrame(rows)
    per_m3 = carbon.carbon_per_m3(parameters.resolve())
    quantiles = {
        column: {f"p{round(100 * q)}": float(table[column].quantile(q)) for q in QUANTILES}
        for column in table
    }
    return {
        "period": list(PLAN_PERIOD),
        "runs": len(table),
        **quantiles,
        "plan_growing_stock_Mm3": {"start": 609.0, "target": 700.0},
        "tC_per_m3_all_pools": per_m3,
        "tCO2_per_m3_all_pools": per_m3 * carbon.CO2_PER_C,
        "note": "sink = Δ(all modelled pools of all land) × 44/12; a forest stand's "
        "pools are proportional to its growing stock, so ΔV × tCO2_per_m3 is the forest "
        "part of the sink (harvest and fire count against it)",
    }


def write(scenario: str, runs: pd.DataFrame, out: Path, meta: dict[str, Any]) -> dict[str, Any]:
    """``forecast_bands.csv``, ``forecast.json``, ``ensemble.nc`` and ``forecast.png`` in
    ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    table = bands(runs)
    table.to_csv(out / "forecast_bands.csv", index=False)
    info = {
        "scenario": scenario,
        **meta,
        "ensemble_size": int(runs.groupby(["draw", "seed"]).ngroups),
        "probabilities": probabilities(runs),
        "growth_and_sink": growth_and_sink(runs),
        "unconstrained_priors": {
            name: {
                "distribution": "triangular",
                "low": parameters.get(name).low,
                "mode": float(parameters.get(name).default),
                "high": parameters.get(name).high,
            }
            for name in UNCONSTRAINED
        },
    }
    (out / "forecast.json").write_text(json.dumps(info, indent=2, ensure_ascii=False), "utf-8")
    dataset = ensemble_data.runs_dataset(runs, ["draw", "seed"], {"scenario": scenario, **meta})
    ensemble_data.save(dataset, out / ensemble_data.ENSEMBLE)
    _figure(table, out / "forecast.png", scenario)
    return info


def _figure(table: pd.DataFrame, path: Path, scenario: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    from karstsim.model.outputs import OUTPUT_BY_NAME

    shown = [c for c in KEY_OUTPUTS[:6] if c in set(table["output"])]
    fig, axes = plt.subplots(2, 3, figsize=(13, 7))
    for ax, column in zip(axes.ravel(), shown, strict=False):
        rows = table[table["output"] == column]
        ax.fill_between(
            rows["year"], rows["p5"], rows["p95"], color="#1b7837", alpha=0.25, label="5–95 %"
        )
        ax.plot(rows["year"], rows["p50"], color="#1b7837", lw=2, label="median")
        ax.set_title(OUTPUT_BY_NAME[column].title, fontsize=9)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
    axes[0, 0].legend(fontsize=8)
    fig.suptitle(
        f"karstsim forecast — {scenario} (posterior × seeds; areas and stocks of the grid run)"
    )
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
