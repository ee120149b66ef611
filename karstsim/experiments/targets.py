"""Checking a run against the plan's targets (``shared/FACTS.md``).

The targets are declared once, with the outputs, in :data:`karstsim.model.outputs.PLAN_TARGETS`.
Province-wide amounts are scaled to the simulated grid by its land area, like the levers.
"""

from __future__ import annotations

import pandas as pd

from karstsim.model.outputs import PLAN_TARGETS, Target

__all__ = ["PLAN_TARGETS", "Target", "evaluate", "first_met"]


AREA_TARGETS: tuple[tuple[str, Target], ...] = (
    (
        "wuling",
        Target(
            "wuling_forest_cover_63",
            "forest_cover_pct",
            63.0,
            2025,
            False,
            "Wuling Mountains area: forest cover ≥ 63 % (plan, 武陵山区…森林覆盖率提升至 63%)",
        ),
    ),
    (
        "chishui",
        Target(
            "chishui_soil_conservation_76",
            "soil_conservation_pct",
            76.0,
            2025,
            False,
            "Chishui River basin: soil and water conservation rate ≥ 76 % (plan, 水土保持率达到 76%以上)",
        ),
    ),
    (
        "chishui",
        Target(
            "chishui_wetland_protection_55",
            "wetland_protection_pct",
            55.0,
            2025,
            False,
            "Chishui River basin: wetland protection rate ≥ 55 % (plan, 湿地保护率达到 55%以上)",
        ),
    ),
)
"""Targets the plan sets for an area of the province (``regional_figures.plan_areas``)."""


AREA_ROUNDING = 0.002
"""Relative shortfall of an area target that whole cells excuse (0.2 %: half a cell of
the county grid's yearly treatment over five years)."""


def first_met(results: pd.DataFrame, target: Target, area_scale: float) -> int | None:
    """First year in ``results`` whose value reaches the target, or None.

    A scaled (area) target counts as reached within :data:`AREA_ROUNDING` of its
    threshold: the map treats whole cells, so a small map's 355 000 ha can come out a
    fraction of a cell short."""
    threshold = target.threshold * (area_scale if target.scaled else 1.0)
    if target.scaled:
        threshold *= 1.0 - AREA_ROUNDING
    values = results[target.column]
    if target.cumulative_from is not None:
        start = results.loc[results["year"] == target.cumulative_from, target.column]
        values = values - (float(start.iloc[0]) if len(start) else 0.0)
    met = results.loc[values >= threshold - 1e-9, "year"]
    return int(met.iloc[0]) if len(met) else None


def _report(results: pd.DataFrame, target: Target, area_scale: float) -> dict:
    year = first_met(results, target, area_scale)
    final = results.loc[results["year"] == min(target.deadline, int(results["year"].max()))]
    value = float(final[target.column].iloc[0]) if len(final) else None
    met = year is not None and year <= target.deadline
    if target.held:  # a level to keep: the deadline year's value decides
        at_deadline = final.iloc[[0]] if len(final) else final
        met = met and first_met(at_deadline, target, area_scale) is not None
    return {
        "description": target.description,
        "column": target.column,
        "threshold": target.threshold * (area_scale if target.scaled else 1.0),
        "deadline": target.deadline,
        "first_met": year,
        "met_by_deadline": met,
        "value_at_deadline": value,
    }


def evaluate(results: pd.DataFrame, area_scale: float) -> dict[str, dict]:
    """Each target's threshold, deadline, first year met and whether it was met in time."""
    return {
        target.key: _report(results, target, area_scale)
        for target in PLAN_TARGETS
        if target.column in results
    }


def evaluate_areas(area_results: pd.DataFrame) -> dict[str, dict]:
    """The plan's area targets (Wuling, Chishui) for the areas on the map."""
    report = {}
    for area, target in AREA_TARGETS:
        rows = area_results[area_results["area"] == area]
        if len(rows):
            report[target.key] = {"area": area, **_report(rows, target, 1.0)}
    return report
