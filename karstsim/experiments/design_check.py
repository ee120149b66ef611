"""Which of a design's varied parameters have no effect under the scenario it sweeps them in.

For each factor, two runs of the design's scenario, grid and years with the same seed, the
factor at the low and at the high end of its range (its first and last level), every other
parameter at the scenario's value. With common random numbers a parameter that changes
nothing gives bit-identical results: every output, every year. Such a factor spends a
sweep's runs (a Sobol design: 2 runs per base sample) on nothing, and a sensitivity
analysis can only report it as inert. (A factor can still matter in combination with
another one's value; the check says it does nothing on its own at the scenario's values.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from karstsim.experiments.run import run
from karstsim.experiments.sweep_design import Design, Factor


@dataclass(frozen=True)
class FactorEffect:
    """What moving one factor from its low to its high end changes."""

    name: str
    low: Any
    high: Any
    changed: tuple[str, ...]
    """The outputs that differ in any year (empty: no effect)."""

    @property
    def inert(self) -> bool:
        return not self.changed


def _ends(factor: Factor) -> tuple[Any, Any]:
    if factor.levels is not None:
        return factor.levels[0], factor.levels[-1]
    values = factor.from_unit(np.array([0.0, 1.0]))
    return values[0].item(), values[1].item()


def effects(
    design: Design,
    grid: str | None = None,
    seed: int | None = None,
    runner: Callable[..., pd.DataFrame] = run,
) -> list[FactorEffect]:
    """Each factor's effect on its own (see the module docstring), on the design's grid
    unless ``grid`` is given, with the design's seed unless ``seed`` is."""
    spec = {
        "scenario": design.scenario,
        "grid": grid or design.grid,
        "start_year": design.start_year,
        "end_year": design.end_year,
    }
    rng = design.seed if seed is None else seed
    found = []
    for factor in design.factors:
        low, high = _ends(factor)
        a = runner({**design.scenario.parameters, factor.name: low}, rng, **spec)
        b = runner({**design.scenario.parameters, factor.name: high}, rng, **spec)
        found.append(FactorEffect(factor.name, low, high, _changed(a, b)))
    return found


def _changed(a: pd.DataFrame, b: pd.DataFrame) -> tuple[str, ...]:
    columns = [c for c in a.columns if c != "year" and pd.api.types.is_numeric_dtype(a[c])]
    return tuple(
        c
        for c in columns
        if not np.array_equal(
            a[c].to_numpy(dtype=float), b[c].to_numpy(dtype=float), equal_nan=True
        )
    )
