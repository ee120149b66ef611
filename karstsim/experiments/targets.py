"""Checking a run against the plan's targets (``shared/FACTS.md``).

The targets are declared once, with the outputs, in :data:`karstsim.model.outputs.PLAN_TARGETS`.
Province-wide amounts are scaled to the simulated grid by its land area, like the levers.
"""

from __future__ import annotations

import pandas as pd

from karstsim.model.outputs import PLAN_TARGETS, Target

__all__ = ["PLAN_TARGETS", "Target", "evaluate", "first_met"]


def first_met(results: pd.DataFrame, target: Target, area_scale: float) -> int | None:
    """First year in ``results`` whose value reaches the target, or None."""
    threshold = target.threshold * (area_scale if target.scaled else 1.0)
    values = results[target.column]
    if target.cumulative_from is not None:
        start = results.loc[results["year"] == target.cumulative_from, target.column]
        values = values - (float(start.iloc[0]) if len(start) else 0.0)
    met = results.loc[values >= threshold - 1e-9, "year"]
    return int(met.iloc[0]) if len(met) else None


def evaluate(results: pd.DataFrame, area_scale: float) -> dict[str, dict]:
    """Each target's threshold, deadline, first year met and whether it was met in time."""
    report = {}
    for target in PLAN_TARGETS:
        if target.column not in results:
            continue
        year = first_met(results, target, area_scale)
        report[target.key] = {
            "description": target.description,
            "column": target.column,
            "threshold": target.threshold * (area_scale if target.scaled else 1.0),
            "deadline": target.deadline,
            "first_met": year,
            "met_by_deadline": year is not None and year <= target.deadline,
        }
    return report
