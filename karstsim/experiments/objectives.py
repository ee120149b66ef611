"""Objectives of a lever optimisation: an output in a year, or summed over years, to be
minimised or maximised, averaged over an ensemble of seeds (and posterior draws).

Written ``min:COLUMN@YEAR`` (the value in that year), ``max:COLUMN@FIRST-LAST`` (the sum
over those years, e.g. a cost or a sink), or one of the names in :data:`NAMED`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from karstsim.model.parameters import InputError

NAMED = {
    "public_cost": "min:budget_spent_Myuan@{next}-{end}",
    "forest_cover": "max:forest_cover_pct@2025",
    "desertified_area": "min:desertified_km2@{end}",
    "rural_income": "max:income_per_person_yuan@{end}",
    "carbon_sink": "max:ecosystem_sink_MtCO2@{next}-{end}",
}
"""The objectives of the issue by name, over the runs' years (2020–35 by default): public
cost after the start year (2021–35; M yuan on the map run), forest cover in 2025, the plan's
goal year (%), desertified area in the last year (km² on the map), income per rural person
in the last year (yuan) and the ecosystem CO₂ sink after the start year (MtCO₂ on the map)."""
_FORM = re.compile(r"^(?P<sense>min|max):(?P<column>\w+)@(?P<first>\d{4})(?:-(?P<last>\d{4}))?$")


class ObjectiveError(InputError):
    """An objective that cannot be read; the message names it and the allowed form."""


@dataclass(frozen=True)
class Objective:
    """``sense`` (min or max) of ``column`` in ``first`` (or summed over first–last)."""

    sense: str
    column: str
    first: int
    last: int
    name: str

    @property
    def label(self) -> str:
        """``min forest_cover_pct@2025`` or ``min budget_spent_Myuan@2021-2035 (sum)``."""
        years = f"{self.first}" if self.first == self.last else f"{self.first}-{self.last} (sum)"
        return f"{self.sense} {self.column}@{years}"

    def value(self, yearly: pd.DataFrame) -> float:
        """The objective of one run's yearly table (NaN if it lacks the years)."""
        rows = yearly[(yearly["year"] >= self.first) & (yearly["year"] <= self.last)]
        if self.column not in yearly or len(rows) != self.last - self.first + 1:
            return float("nan")
        return float(rows[self.column].sum())

    def to_minimise(self, values: np.ndarray) -> np.ndarray:
        """``values`` as quantities to minimise (a maximised objective negated)."""
        return values if self.sense == "min" else -values


def parse(text: str, years: tuple[int, int]) -> list[Objective]:
    """Comma-separated objectives, each within the run's ``years`` (first, last)."""
    objectives = [_one(item.strip(), years) for item in text.split(",") if item.strip()]
    if len(objectives) < 2:
        raise ObjectiveError(
            f"--objectives {text!r}: give at least two, comma-separated, e.g. "
            "public_cost,forest_cover"
        )
    labels = [o.label for o in objectives]
    if len(set(labels)) != len(labels):
        raise ObjectiveError(f"--objectives {text!r}: an objective is given twice")
    return objectives


def _one(item: str, years: tuple[int, int]) -> Objective:
    spec = NAMED.get(item, item).format(next=years[0] + 1, end=years[1])
    match = _FORM.match(spec)
    if not match:
        raise ObjectiveError(
            f"--objectives: {item!r} is not an objective; give one of {', '.join(NAMED)}, or "
            "min:COLUMN@YEAR or max:COLUMN@FIRST-LAST (summed), e.g. max:forest_cover_pct@2025"
        )
    first = int(match["first"])
    last = int(match["last"] or first)
    if not years[0] <= first <= last <= years[1]:
        raise ObjectiveError(
            f"--objectives: {item!r} ({spec}) needs the years {first}–{last}; the runs go "
            f"{years[0]}–{years[1]} (set --years)"
        )
    return Objective(match["sense"], match["column"], first, last, item)
