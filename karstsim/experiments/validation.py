"""``karstsim validate``: the hindcast and plan14 against Guizhou's observed record.

Runs ``hindcast13`` (2016 → 2020), ``plan14`` (2020 → 2024) and ``record`` (2020 → 2025,
the reported programme amounts as inputs) over several seeds with
the shipped parameters, compares every observation in ``karstsim/data/observations.toml``
that falls in a simulated year with the simulated mean and 90 % band, checks the goals
below, and writes ``validation.json``, ``report.md`` and figures.

Every row says what kind of comparison it is (:func:`sample_of`): **in-sample** (the
observation was fitted: a calibration target of ``karstsim calibrate``, or a start-state
figure or a parameter chosen to match it), **by construction** (it follows from a lever),
**past, not fitted** (before 2021 but not used by any fit) or **out-of-sample** (after
2020: never fitted). Misses are reported as misses.

An observation on a changed monitoring basis carries its own error (``basis_error``, 1σ):
a goal is met when the model's error is within the goal's tolerance widened, in quadrature,
by twice that error; the report shows both tests, so a goal met only thanks to the
observation's error says so.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from karstsim.experiments import calibration
from karstsim.experiments.ensemble import band, run_seeds, value_at
from karstsim.experiments.observations import PROVINCE_SCALED, load_observations

RUNS = {"hindcast13": 2020, "plan14": 2024, "record": 2025}
"""Scenario → last simulated year for validation."""


@dataclass(frozen=True)
class Goal:
    """A comparison with a tolerance: absolute (``relative`` False) or relative."""

    name: str
    scenario: str
    column: str
    year: int
    observed: float
    tolerance: float
    relative: bool
    note: str = ""


GOALS = (
    Goal(
        "hindcast forest cover 2020",
        "hindcast13",
        "forest_cover_pct",
        2020,
        61.51,
        1.5,
        False,
        "within 1.5 percentage points",
    ),
    Goal(
        "hindcast treated area 2016–20",
        "hindcast13",
        "treated_km2_cum",
        2020,
        4187.2,
        0.10,
        True,
        "within 10 %; the 2016 state is the end of 2016, so the run treats 2017–20: 4/5 of "
        "the plan's 5 234 km²",
    ),
    Goal(
        "hindcast soil-conservation rate 2020",
        "hindcast13",
        "soil_conservation_pct",
        2020,
        73.32,
        1.0,
        False,
        "within 1 percentage point",
    ),
    Goal(
        "hindcast grassland vegetation cover 2020",
        "hindcast13",
        "grassland_cover_pct",
        2020,
        88.0,
        5.0,
        False,
        "within 5 percentage points (the plan's 草原综合植被盖度)",
    ),
    Goal(
        "hindcast rural income per person 2020",
        "hindcast13",
        "income_per_person_yuan",
        2020,
        11_642.0,
        0.10,
        True,
        "within 10 %; the model's income per person of rural households",
    ),
    *(
        goal
        for scenario in ("plan14", "record")
        for goal in (
            Goal(
                f"{scenario} forest cover 2021",
                scenario,
                "forest_cover_pct",
                2021,
                62.12,
                1.5,
                False,
                "within 1.5 percentage points",
            ),
            Goal(
                f"{scenario} desertified area 2022",
                scenario,
                "desertified_km2",
                2022,
                15_500.0,
                0.15,
                True,
                "within 15 %",
            ),
        )
    ),
    Goal(
        "record forest cover 2024",
        "record",
        "forest_cover_pct",
        2024,
        63.3,
        1.5,
        False,
        "within 1.5 percentage points",
    ),
)


def observation_error(column: str, year: int) -> float:
    """The observation's own error (1σ, a fraction of its value; 0 if none declared)."""
    return next(
        (o.basis_error for o in load_observations() if (o.column, o.year) == (column, year)), 0.0
    )


FITTED_ELSEWHERE = {
    ("forest_cover_pct", 2016): "in-sample (2016 start state)",
    ("desertified_km2", 2016): "in-sample (2016 start state)",
    ("treated_km2_cum", 2020): "by construction (the treatment lever)",
    ("income_per_person_yuan", 2020): "in-sample (other_income_yuan_pc was set from it)",
}
"""Observations that a start state reproduces or a lever sets (not the ABC). The 2020
start state is also fitted to the growing stock (stand ages) and the soil-conservation
rate (the karst tolerance), so plan14's 2020 row is a start state; the hindcast's 2020
values of both are predictions from 2016: past, not fitted."""


def sample_of(scenario: str, column: str, year: int) -> str:
    """What kind of comparison an observation is for ``scenario`` (see the module text)."""
    if scenario == calibration.HINDCAST and any(
        (o.column, o.year) == (column, year) for o in calibration.targets()
    ):
        return "in-sample (ABC calibration target)"
    if (column, year) in FITTED_ELSEWHERE:
        return FITTED_ELSEWHERE[(column, year)]
    if year > calibration.CALIBRATION_CUTOFF_YEAR:
        return "out-of-sample"
    return "past, not fitted"


def _province_column(column: str) -> str:
    return f"{column}_province" if column in PROVINCE_SCALED else column


def compare(
    runs: dict[str, pd.DataFrame], scenario: str, column: str, year: int, observed: float
) -> dict[str, Any]:
    """Simulated mean, 5–95 % band and error of ``column`` in ``year`` against ``observed``."""
    values = value_at(runs[scenario], _province_column(column), year)
    mean = float(values.mean())
    return {
        "scenario": scenario,
        "column": column,
        "year": year,
        "observed": observed,
        "simulated_mean": mean,
        "simulated_p5": float(np.quantile(values, 0.05)),
        "simulated_p95": float(np.quantile(values, 0.95)),
        "error": mean - observed,
        "relative_error": (mean - observed) / observed if observed else float("nan"),
    }


def evaluate(runs: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Goals (with met or not) and every observation inside a simulated period."""
    goals = []
    for goal in GOALS:
        result = compare(runs, goal.scenario, goal.column, goal.year, goal.observed)
        error = abs(result["relative_error"] if goal.relative else result["error"])
        sigma = observation_error(goal.column, goal.year)
        two_sigma = 2 * sigma if goal.relative else 2 * sigma * goal.observed
        widened = float(np.hypot(goal.tolerance, two_sigma))
        goals.append(
            {
                **asdict(goal),
                **result,
                "observation_error_2sigma": two_sigma,
                "tolerance_with_observation_error": widened,
                "met_model_tolerance": bool(error <= goal.tolerance),
                "met": bool(error <= widened),
                "sample": sample_of(goal.scenario, goal.column, goal.year),
            }
        )
    comparisons = []
    for obs in load_observations():
        for scenario, end in RUNS.items():
            start = int(runs[scenario]["year"].min())
            if start < obs.year <= end or (scenario == "hindcast13" and obs.year == start):
                result = compare(runs, scenario, obs.column, obs.year, obs.value)
                comparisons.append(
                    {
                        **result,
                        "tag": obs.tag,
                        "source": obs.source,
                        "by_construction": obs.year == start,
                        "sample": "in-sample (start state)"
                        if obs.year == start
                        else sample_of(scenario, obs.column, obs.year),
                    }
                )
    return {"goals": goals, "comparisons": comparisons}


def run_validation(seeds: Sequence[int], grid: str = "province") -> dict[str, pd.DataFrame]:
    """The hindcast and plan14 runs over ``seeds``."""
    return {name: run_seeds(name, seeds, grid=grid, end_year=end) for name, end in RUNS.items()}


def figure(runs: dict[str, pd.DataFrame], column: str, path: Path, title: str, unit: str) -> Path:
    """Observed points against each run's mean and 90 % band."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    colours = {"hindcast13": "#1b7837", "plan14": "#2166ac", "record": "#b2182b"}
    for scenario, table in runs.items():
        b = band(table, _province_column(column))
        ax.fill_between(b.index, b["low"], b["high"], color=colours[scenario], alpha=0.25)
        ax.plot(
            b.index, b["mean"], color=colours[scenario], lw=2, label=f"{scenario} (mean, 90 % band)"
        )
    observed = [o for o in load_observations() if o.column == column]
    ax.scatter(
        [o.year for o in observed],
        [o.value for o in observed],
        color="k",
        zorder=5,
        label="observed",
    )
    ax.set_title(title)
    ax.set_xlabel("year")
    ax.set_ylabel(unit)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _amount(value: float, relative: bool) -> str:
    return f"{100 * value:.0f} %" if relative else f"±{value:.2f}"


def write_report(
    result: dict[str, Any],
    runs: dict[str, pd.DataFrame],
    out: Path,
    seeds: Sequence[int],
    grid: str,
) -> None:
    """validation.json, report.md and the figures."""
    out.mkdir(parents=True, exist_ok=True)
    payload = {"grid": grid, "seeds": list(seeds), **result}
    (out / "validation.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False), "utf-8")
    figure(
        runs,
        "forest_cover_pct",
        out / "forest_cover.png",
        "Forest cover: observed and simulated",
        "% of land",
    )
    figure(
        runs, "desertified_km2", out / "desertified.png", "Rocky-desertified area (province)", "km²"
    )
    lines = [
        "# karstsim validation",
        "",
        f"Grid `{grid}`, seeds {list(seeds)}. Simulated values are the mean over seeds; areas "
        "are province-equivalent (scaled by land area). Regenerate with `karstsim validate`.",
        "",
        "## Goals",
        "",
        "| goal | kind | observed | simulated mean (5–95 %) | error | tolerance | "
        "+ observation error (2σ) | met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for g in result["goals"]:
        error = f"{100 * g['relative_error']:+.1f} %" if g["relative"] else f"{g['error']:+.2f}"
        tolerance = _amount(g["tolerance"], g["relative"])
        if g["observation_error_2sigma"]:
            widened = (
                f"{_amount(g['observation_error_2sigma'], g['relative'])} → "
                f"{_amount(g['tolerance_with_observation_error'], g['relative'])}"
            )
        else:
            widened = "—"
        met = "yes" if g["met_model_tolerance"] else ("yes, with it" if g["met"] else "**no**")
        lines.append(
            f"| {g['name']} | {g['sample']} | {g['observed']:,.2f} | {g['simulated_mean']:,.2f} "
            f"({g['simulated_p5']:,.2f}–{g['simulated_p95']:,.2f}) | {error} | {tolerance} | "
            f"{widened} | {met} |"
        )
    lines += [
        "",
        "Notes: " + "; ".join(f"{g['name']}: {g['note']}" for g in result["goals"]),
        "",
        "## Every observation in a simulated year",
        "",
        "| run | output | year | kind | observed | simulated mean | error | source |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in result["comparisons"]:
        lines.append(
            f"| {c['scenario']} | {c['column']} | {c['year']} | {c['sample']} | "
            f"{c['observed']:,.2f} | {c['simulated_mean']:,.2f} | {c['error']:+,.2f} | "
            f"[{c['tag']}] {c['source']} |"
        )
    lines += [
        "",
        "![forest cover](forest_cover.png)",
        "",
        "![desertified area](desertified.png)",
        "",
    ]
    (out / "report.md").write_text("\n".join(lines), "utf-8")
