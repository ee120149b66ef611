"""The plan's targets that a run is checked against (``shared/FACTS.md``).

Province-wide amounts are scaled to the simulated grid by its land area, like the levers.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Target:
    """``column`` reaching ``threshold`` (× area scale if ``scaled``) by ``deadline``."""

    key: str
    column: str
    threshold: float
    deadline: int
    scaled: bool
    description: str
    cumulative_from: int | None = None


PLAN_TARGETS: tuple[Target, ...] = (
    Target(
        "forest_cover_64",
        "forest_cover_pct",
        64.0,
        2025,
        False,
        "forest cover ≥ 64 % by 2025 (binding)",
    ),
    Target(
        "growing_stock_700",
        "growing_stock_Mm3",
        700.0,
        2025,
        True,
        "forest growing stock ≥ 7.0×10⁸ m³ by 2025",
    ),
    Target(
        "soil_conservation_75",
        "soil_conservation_pct",
        75.05,
        2025,
        False,
        "soil and water conservation rate ≥ 75.05 % by 2025",
    ),
    Target(
        "desert_treatment_3550",
        "treated_km2_cum",
        3550.0,
        2025,
        True,
        "35.5×10⁴ ha of rocky desertification treated in 2021–25",
        cumulative_from=2020,
    ),
)


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
