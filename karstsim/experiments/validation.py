"""``karstsim validate``: the hindcast and plan14 against Guizhou's observed record.

Runs ``hindcast13`` (2016 → 2020), ``plan14`` (2020 → 2024) and ``record`` (2020 → 2025,
the reported programme amounts as inputs) over several seeds with
the shipped parameters, compares every observation in ``karstsim/data/observations.toml``
that falls in a simulated year with the simulated mean and 90 % band, checks the goals
below, and writes ``validation.json``, ``report.md`` and figures.

Every row carries its ``relation`` to the model (:mod:`karstsim.experiments.validation_relations`):
**calibration target**, **start state** (the observation built, or was interpolated into, a
start state: never out-of-sample), **by construction** (a lever sets it), **past, not
fitted** or **out-of-sample** (after 2020 and used by nothing). Each out-of-sample row is
scored (:mod:`karstsim.experiments.validation_scores`): is the record inside the ensemble's
90 % band, and does the ensemble's CRPS beat two null models, ``no_new_policy`` over the same
seeds and persistence (the run's start value carried forward)? Each goal also says whether
``no_new_policy`` meets it too (then it cannot tell policies apart). The rows that fail are
listed first. Misses are reported as misses.

An observation on a changed monitoring basis carries its own error (``basis_error``, 1σ):
a goal is met when the model's error is within the goal's tolerance widened, in quadrature,
by twice that error; the report shows both tests, so a goal met only thanks to the
observation's error says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from karstsim.experiments.ensemble import run_seeds, value_at
from karstsim.experiments.observations import load_observations
from karstsim.experiments.validation_relations import OUT_OF_SAMPLE, relation_of
from karstsim.experiments.validation_report import province_column, write_report

__all__ = ["GOALS", "evaluate", "run_validation", "write_report"]
from karstsim.experiments.validation_scores import BEATS, score
from karstsim.model.scenario import load

RUNS = {"hindcast13": 2020, "plan14": 2024, "record": 2025}
"""Scenario → last simulated year for validation."""
NULL = "no_new_policy"
NULL_END = 2025
"""The null scenario, run over the same seeds to the last year of the runs from 2020."""
PERSISTENCE = "persistence"
"""The other null: the run's start value (mean over seeds) carried forward."""


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


def start_year(scenario: str) -> int:
    """The scenario's declared first year (its start state's year)."""
    return load(scenario).start_year


def relation(scenario: str, column: str, year: int) -> dict[str, str]:
    """The row's relation to the model and why (``relation``, ``relation_detail``)."""
    found = relation_of(scenario, start_year(scenario), column, year)
    return {"relation": found.kind, "relation_detail": found.detail}


def compare(
    runs: dict[str, pd.DataFrame], scenario: str, column: str, year: int, observed: float
) -> dict[str, Any]:
    """Simulated mean, 5–95 % band and error of ``column`` in ``year`` against ``observed``."""
    values = value_at(runs[scenario], province_column(column), year)
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


def _tolerance_test(goal: Goal, result: dict[str, Any]) -> dict[str, Any]:
    """The goal's test on ``result``: within its tolerance, and within it widened by twice
    the observation's own error."""
    error = abs(result["relative_error"] if goal.relative else result["error"])
    sigma = observation_error(goal.column, goal.year)
    two_sigma = 2 * sigma if goal.relative else 2 * sigma * goal.observed
    widened = float(np.hypot(goal.tolerance, two_sigma))
    return {
        "observation_error_2sigma": two_sigma,
        "tolerance_with_observation_error": widened,
        "met_model_tolerance": bool(error <= goal.tolerance),
        "met": bool(error <= widened),
    }


def _has_null(runs: dict[str, pd.DataFrame], scenario: str, year: int) -> bool:
    """Whether the null run covers ``year`` of a run of ``scenario`` from the same start."""
    return (
        NULL in runs
        and start_year(scenario) == start_year(NULL)
        and bool((runs[NULL]["year"] == year).any())
    )


def null_meets(runs: dict[str, pd.DataFrame], goal: Goal) -> bool | None:
    """Whether ``no_new_policy`` meets ``goal`` too (with the observation's error); None
    when the null does not start where the goal's run starts (the hindcast)."""
    if not _has_null(runs, goal.scenario, goal.year):
        return None
    result = compare(runs, NULL, goal.column, goal.year, goal.observed)
    return _tolerance_test(goal, result)["met"]


def scores(
    runs: dict[str, pd.DataFrame], scenario: str, column: str, year: int, observed: float
) -> dict[str, Any]:
    """Band test and CRPS of ``scenario``'s ensemble, against no_new_policy (same seeds)
    and persistence (the run's start value, mean over seeds)."""
    name = province_column(column)
    members = value_at(runs[scenario], name, year)
    ensembles = {NULL: value_at(runs[NULL], name, year)} if _has_null(runs, scenario, year) else {}
    persistence = float(value_at(runs[scenario], name, start_year(scenario)).mean())
    return score(members, observed, ensembles, {PERSISTENCE: persistence})


def _scored(
    runs: dict[str, pd.DataFrame], row: dict[str, Any], observed: float
) -> dict[str, Any] | None:
    """The row's scores if it is out-of-sample, else None."""
    if row["relation"] != OUT_OF_SAMPLE:
        return None
    return scores(runs, row["scenario"], row["column"], row["year"], observed)


def goal_rows(runs: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """Every goal: its comparison, tolerance test, relation, whether the null meets it too
    and, out-of-sample, its scores."""
    rows = []
    for goal in GOALS:
        row = {
            **asdict(goal),
            **compare(runs, goal.scenario, goal.column, goal.year, goal.observed),
            **relation(goal.scenario, goal.column, goal.year),
        }
        row |= _tolerance_test(goal, row)
        row["null_meets"] = null_meets(runs, goal)
        row["scores"] = _scored(runs, row, goal.observed)
        rows.append(row)
    return rows


def comparison_rows(runs: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """Every observation in a year a run simulates (the hindcast's start year included),
    with its relation and, out-of-sample, its scores."""
    rows = []
    for obs in load_observations():
        for scenario, end in RUNS.items():
            start = start_year(scenario)
            if start < obs.year <= end or (scenario == "hindcast13" and obs.year == start):
                row = {
                    **compare(runs, scenario, obs.column, obs.year, obs.value),
                    "tag": obs.tag,
                    "source": obs.source,
                    "at_start": obs.year == start,
                    **relation(scenario, obs.column, obs.year),
                }
                row["scores"] = _scored(runs, row, obs.value)
                rows.append(row)
    return rows


def goal_failures(goal: dict[str, Any]) -> list[str]:
    """Why a goal row fails: missed, or met by no_new_policy too."""
    reasons = []
    if not goal["met"]:
        reasons.append("goal missed")
    if goal["null_meets"]:
        reasons.append(f"{NULL} meets it too: it cannot tell policies apart")
    return reasons


def score_failures(row: dict[str, Any]) -> list[str]:
    """Why an out-of-sample row fails: the record outside the band, a null as good."""
    found = row["scores"]
    if found is None:
        return []
    reasons = []
    if not found["inside_band"]:
        reasons.append(
            f"record {row['observed']:,.2f} outside the 90 % band "
            f"({row['simulated_p5']:,.2f}–{row['simulated_p95']:,.2f})"
        )
    for name, null in found["nulls"].items():
        if null["verdict"] != BEATS:
            reasons.append(
                f"does not beat {name} (CRPS {found['crps_model']:,.3g} vs {null['crps']:,.3g})"
            )
    return reasons


def row_name(row: dict[str, Any]) -> str:
    """A row's name: the goal's, or run, column and year."""
    return row.get("name") or f"{row['scenario']} {row['column']} {row['year']}"


def failures(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows that fail, each with its relation and reasons: goals missed or that the
    null meets too; out-of-sample comparisons outside the band or not beating a null (an
    out-of-sample goal's scores are its comparison row's, listed once, there)."""
    found = [(row, goal_failures(row)) for row in result["goals"]] + [
        (row, score_failures(row)) for row in result["comparisons"]
    ]
    return [
        {
            "row": row_name(row),
            "kind": "goal" if "name" in row else "comparison",
            "relation": row["relation"],
            "reasons": reasons,
        }
        for row, reasons in found
        if reasons
    ]


def evaluate(runs: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Goals, every observation inside a simulated period, and the rows that fail."""
    result = {"goals": goal_rows(runs), "comparisons": comparison_rows(runs)}
    return {**result, "failures": failures(result)}


def run_validation(seeds: Sequence[int], grid: str = "province") -> dict[str, pd.DataFrame]:
    """The hindcast, plan14, record and the null (no_new_policy) over ``seeds``."""
    ends = {**RUNS, NULL: NULL_END}
    return {name: run_seeds(name, seeds, grid=grid, end_year=end) for name, end in ends.items()}
