"""``karstsim forecast SCENARIO``: one ensemble of everything uncertain, its bands for every
output and region, the whole ensemble and the probability of each plan target.

The ensemble crosses three sources of uncertainty:

- **the posterior** of ``karstsim calibrate`` (``posterior.csv``; the shipped
  ``karstsim/data/posterior.csv`` by default): each draw sets the uncertainties it fitted
  (a lever fitted to the past, such as the hindcast's afforestation, sets only the
  calibration run). Draws are taken by the posterior's weights (systematic resampling);
- **what no observation before 2021 constrains** (:data:`UNCERTAIN`): the policy's delivery
  (how much of the planned planting is planted, how many years a planting takes to close,
  how thin a soil may still be planted: the land available) and the stands' growth and
  harvest, one draw per posterior draw from a declared distribution with its source;
- **the seeds**: ``seeds_per_draw`` runs per draw.

It runs on the province by default (users forecast the province). It writes
``forecast_bands.csv`` (5, 50 and 95 % quantiles and mean per year of every declared output,
for the map and, on a real map, for every prefecture), the whole ensemble
(``ensemble.nc``: ``run`` × ``year`` × ``region``), and each plan target's probability
P(target met by its deadline) with a 90 % Monte-Carlo interval (:func:`probabilities`).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from karstsim.experiments import calibration, ensemble_data, targets
from karstsim.experiments.run import RunSpec, simulate
from karstsim.model import parameters
from karstsim.model.outputs import OUTPUT_BY_NAME
from karstsim.model.parameters import InputError
from karstsim.model.processes import carbon
from karstsim.model.scenario import load

QUANTILES = (0.05, 0.5, 0.95)
KEY_OUTPUTS = (
    "forest_cover_pct",
    "desertified_km2",
    "growing_stock_Mm3",
    "carbon_stock_MtC",
    "co2_sequestered_MtCO2",
    "soil_conservation_pct",
)
"""The outputs ``forecast.png`` shows (the bands file has every declared output)."""


@dataclass(frozen=True)
class Uncertain:
    """A forecast uncertainty no observation before 2021 constrains: a triangular
    distribution (``low``, ``mode``, ``high``) in the parameter's unit; an ``int``
    parameter takes the integers ``low`` … ``high`` with equal chances."""

    name: str
    low: float
    mode: float
    high: float
    source: str

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        if parameters.get(self.name).kind == "int":
            return rng.integers(int(self.low), int(self.high) + 1, size=n)
        return rng.triangular(self.low, self.mode, self.high, n)


def _declared_triangle(name: str, source: str) -> Uncertain:
    p = parameters.get(name)
    return Uncertain(name, p.low, float(p.default), p.high, source)


UNCERTAIN = (
    Uncertain(
        "planting_delivery_share",
        0.45,
        1.0,
        1.1,
        "policy delivery: the record's new planting was 0.48–0.69 of plan14's lever in "
        "2021–25 (scenario record); the plan as set is the mode; 10 % overfulfilment [E]",
    ),
    Uncertain(
        "afforestation_establish_years",
        3,
        4,
        5,
        "establishment: inventory rules count a planting as unclosed for 3–5 years [M]",
    ),
    Uncertain(
        "plantable_min_soil_cm",
        10.0,
        20.0,
        30.0,
        "the land available: the soil unused land needs to be planted, ±10 cm about the "
        "default [E]",
    ),
    _declared_triangle(
        "stand_volume_max_m3_ha", "the stands' yield ceiling: declared range, mode the default"
    ),
    _declared_triangle(
        "timber_harvest_m3_ha_yr", "the timber harvest: declared range, mode the default"
    ),
)
"""What the record up to 2020 does not constrain: drawn once per posterior draw."""
PRIOR_SEED = 20_201_231
"""Seed of the draws of :data:`UNCERTAIN` and of the posterior's resampling."""
DEFAULT_GRID = "province"
DEFAULT_DRAWS = 30
"""Posterior draws of a forecast or a comparison unless told (× the seeds per draw)."""


def uncertain_draws(n: int) -> list[dict[str, float]]:
    """``n`` draws of :data:`UNCERTAIN` (the same in every forecast)."""
    rng = np.random.default_rng(PRIOR_SEED)
    columns = {u.name: u.draw(rng, n) for u in UNCERTAIN}
    return [{name: columns[name][i].item() for name in columns} for i in range(n)]


def shipped_posterior() -> Path:
    return Path(str(resources.files("karstsim") / "data" / "posterior.csv"))


def _is_diagnostic(column: str) -> bool:
    return column in calibration.DIAGNOSTIC_COLUMNS or "@" in column


def read_posterior(path: Path | None) -> pd.DataFrame:
    """A posterior sample: one column per fitted parameter (a declared parameter), and
    the calibration's diagnostics (``weight``, ``distance``, ``seed``, ``OUTPUT@YEAR``).
    Any other column, or a value that is not a number in the parameter's range, is a
    one-line error."""
    path = Path(path) if path is not None else shipped_posterior()
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as error:
        raise InputError(f"posterior {path}: cannot be read as CSV ({error})") from None
    names = [c for c in table.columns if not _is_diagnostic(c)]
    for column in names:
        if column not in parameters.PARAMETERS:
            raise InputError(
                f"posterior {path}: column {column!r} is not a declared parameter "
                "(`karstsim params`) nor a calibration diagnostic (weight, distance, seed, "
                "OUTPUT@YEAR); remove it or correct its name"
            )
    if table.empty or not names:
        raise InputError(
            f"posterior {path}: needs a row per draw and a column per fitted parameter "
            "(write one with karstsim calibrate)"
        )
    numbers = {}
    for column in [*names, *(["weight"] if "weight" in table else [])]:
        values = pd.to_numeric(table[column], errors="coerce")
        bad = values.isna() | ~np.isfinite(values)
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(
                f"posterior {path}: row {row + 2}, column {column}: "
                f"{table[column].iloc[row]!r} is not a number"
            )
        if column in names:
            for row, value in enumerate(values):
                try:
                    parameters.get(column).coerce(value)  # the declared range
                except InputError as error:
                    raise InputError(f"posterior {path}: row {row + 2}: {error}") from None
        numbers[column] = values.to_numpy(float)
    frame = pd.DataFrame(numbers)
    if "weight" not in frame:
        frame["weight"] = 1.0
    if (frame["weight"] < 0).any() or frame["weight"].sum() <= 0:
        raise InputError(f"posterior {path}: weights must be ≥ 0 and not all 0")
    return frame


def posterior_draws(posterior: pd.DataFrame, n: int | None = None) -> pd.DataFrame:
    """``n`` draws (default: :data:`DEFAULT_DRAWS`, or the rows if fewer) by the
    posterior's weights: systematic resampling, the same draws every time (equal weights
    and ``n`` = the rows: the rows themselves)."""
    n = min(DEFAULT_DRAWS, len(posterior)) if n is None else n
    if n < 1:
        raise InputError(f"--draws {n}: must be at least 1")
    weights = posterior["weight"].to_numpy(float)
    cumulative = np.cumsum(weights / weights.sum())
    offset = np.random.default_rng(PRIOR_SEED).uniform()
    picks = np.searchsorted(cumulative, (offset + np.arange(n)) / n, side="right")
    picks = np.minimum(picks, len(posterior) - 1)
    return posterior.iloc[picks].reset_index(drop=True)


def draw_overrides(
    posterior: pd.DataFrame, start_year: int, fixed: Collection[str] = ()
) -> list[dict[str, Any]]:
    """The parameter values of each draw for runs starting in ``start_year``: the
    posterior's uncertainties (and its levers for a run of the calibration's past, before
    2020) and a draw of each of :data:`UNCERTAIN` the scenario does not fix (``fixed``:
    the parameters it sets itself, e.g. a scenario of reported amounts sets their
    delivery)."""
    past = start_year < calibration.CALIBRATION_CUTOFF_YEAR
    fitted = [
        c
        for c in posterior.columns
        if c in parameters.PARAMETERS and (past or parameters.get(c).role != "lever")
    ]
    extra = uncertain_draws(len(posterior))
    overrides = []
    for draw, row in enumerate(posterior.to_dict("records")):
        values = {c: parameters.get(c).coerce(row[c]) for c in fitted}
        unconstrained = {k: v for k, v in extra[draw].items() if k not in values and k not in fixed}
        overrides.append({**values, **unconstrained})
    return overrides


@dataclass
class Ensemble:
    """The runs of a forecast: map-wide yearly rows and, on a real map, regional rows."""

    runs: pd.DataFrame
    regional: pd.DataFrame


def run_ensemble(
    scenario: str,
    posterior: pd.DataFrame,
    seeds_per_draw: int = 2,
    grid: str = DEFAULT_GRID,
    end_year: int | None = None,
    by_region: bool = False,
) -> Any:
    """Yearly results of every (draw, seed), stacked with ``draw`` and ``seed`` columns; with
    ``by_region`` an :class:`Ensemble` that also holds every prefecture's rows."""
    plan = load(scenario)
    frames, regional = [], []
    draws = draw_overrides(posterior, plan.start_year, fixed=plan.parameters)
    for draw, overrides in enumerate(draws):
        for replicate in range(seeds_per_draw):
            seed = 1000 * draw + replicate
            spec = RunSpec(
                scenario=scenario, overrides=overrides, grid=grid, end_year=end_year, seed=seed
            )
            model = simulate(spec, by_region=by_region)
            table = model.results()
            table.insert(0, "seed", seed)
            table.insert(0, "draw", draw)
            table["area_scale"] = model.area_scale
            frames.append(table)
            if by_region and model.regional is not None:
                rows = model.regional.table_frame()
                rows.insert(0, "seed", seed)
                rows.insert(0, "draw", draw)
                regional.append(rows)
    runs = pd.concat(frames, ignore_index=True)
    if not by_region:
        return runs
    return Ensemble(runs, pd.concat(regional, ignore_index=True) if regional else pd.DataFrame())


def _band_rows(grouped: Any, keys: dict[str, Any]) -> list[dict[str, Any]]:
    """The quantiles and mean of each group (a year) of one output."""
    quantiles = grouped.quantile(list(QUANTILES)).unstack()
    means = grouped.mean()
    return [
        {
            "year": int(year),
            **keys,
            "p5": float(q[0.05]),
            "p50": float(q[0.5]),
            "p95": float(q[0.95]),
            "mean": float(means.loc[year]),
        }
        for year, q in quantiles.iterrows()
    ]


def bands(runs: pd.DataFrame, regional: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per year and declared output: the 5, 50 and 95 % quantiles and the mean, for the
    map (``level`` map, ``region`` empty) and, given ``regional`` rows, every region's
    outputs (``level`` prefecture or county, ``region`` its adcode); map rows first."""
    rows = []
    for column in (c for c in runs.columns if c in OUTPUT_BY_NAME and c != "year"):
        keys = {"output": column, "level": "map", "region": "", "name": ""}
        rows += _band_rows(runs.groupby("year")[column], keys)
    if regional is not None and not regional.empty:
        level = str(regional["level"].iloc[0]) if "level" in regional else "region"
        for (code, name), rows_of in regional.groupby(["adcode", "name_en"], sort=True):
            for column in (c for c in rows_of.columns if c in OUTPUT_BY_NAME and c != "year"):
                keys = {"output": column, "level": level, "region": str(code), "name": name}
                rows += _band_rows(rows_of.groupby("year")[column], keys)
    return pd.DataFrame(rows)


MC_INTERVAL = 0.90
"""Coverage of the Monte-Carlo interval of a probability."""


def probability_interval(successes: float, trials: int) -> tuple[float, float]:
    """Jeffreys' interval (:data:`MC_INTERVAL`) of a probability from ``successes`` out of
    ``trials``: the Beta(successes + ½, failures + ½) quantiles, with the bounds at 0 and 1
    when none or all succeeded (Brown, Cai & DasGupta 2001, *Statistical Science* 16, 101)."""
    tail = (1 - MC_INTERVAL) / 2
    low = 0.0 if successes <= 0 else stats.beta.ppf(tail, successes + 0.5, trials - successes + 0.5)
    high = (
        1.0
        if successes >= trials
        else stats.beta.ppf(1 - tail, successes + 0.5, trials - successes + 0.5)
    )
    return float(low), float(high)


def probabilities(runs: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Each plan target whose deadline the runs reach: the share of runs meeting it by its
    deadline, and the Monte-Carlo interval of that share. The runs of one posterior draw share their parameters, so the
    interval counts draws, not runs: each draw contributes the share of its seeds that
    met the target (an interval no narrower than the draws allow)."""
    met: dict[str, dict[int, list[bool]]] = {}
    described: dict[str, dict[str, Any]] = {}
    for (draw, _), run in runs.groupby(["draw", "seed"]):
        report = targets.evaluate(run, float(run["area_scale"].iloc[0]))
        for key, entry in report.items():
            if entry["deadline"] > run["year"].max():
                continue  # the run ends before the deadline: no answer, not a miss
            met.setdefault(key, {}).setdefault(int(draw), []).append(bool(entry["met_by_deadline"]))
            described[key] = entry
    result = {}
    for key, by_draw in met.items():
        flags = [flag for draw_flags in by_draw.values() for flag in draw_flags]
        shares = [float(np.mean(draw_flags)) for draw_flags in by_draw.values()]
        low, high = probability_interval(sum(shares), len(shares))
        result[key] = {
            "description": described[key]["description"],
            "deadline": described[key]["deadline"],
            "probability": float(np.mean(flags)),
            "interval_90": [low, high],
            "runs": len(flags),
            "draws": len(shares),
        }
    return result


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


def write(scenario: str, ensemble: Ensemble, out: Path, meta: dict[str, Any]) -> dict[str, Any]:
    """``forecast_bands.csv``, ``forecast.json``, ``ensemble.nc`` and ``forecast.png`` in
    ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    runs = ensemble.runs
    table = bands(runs, ensemble.regional)
    table.to_csv(out / "forecast_bands.csv", index=False)
    info = {
        "scenario": scenario,
        **meta,
        "ensemble_size": int(runs.groupby(["draw", "seed"]).ngroups),
        "probabilities": probabilities(runs),
        "growth_and_sink": growth_and_sink(runs),
        "uncertain": {
            u.name: {
                "distribution": "integers, equal chances"
                if parameters.get(u.name).kind == "int"
                else "triangular",
                "low": u.low,
                "mode": u.mode,
                "high": u.high,
                "unit": parameters.get(u.name).unit,
                "source": u.source,
            }
            for u in UNCERTAIN
        },
    }
    (out / "forecast.json").write_text(json.dumps(info, indent=2, ensure_ascii=False), "utf-8")
    dataset = ensemble_data.runs_dataset(
        runs, ["draw", "seed"], {"scenario": scenario, **meta}, regional=ensemble.regional
    )
    ensemble_data.save(dataset, out / ensemble_data.ENSEMBLE)
    _figure(table[table["level"] == "map"], out / "forecast.png", scenario)
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
