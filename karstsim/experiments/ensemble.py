"""Running one scenario over several seeds and summarising the spread."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from karstsim.experiments.observations import PROVINCE_SCALED
from karstsim.experiments.run import RunSpec, simulate


def run_seeds(
    scenario: str,
    seeds: Sequence[int],
    grid: str = "county",
    end_year: int | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Yearly results of every seed, stacked, with a ``seed`` column; areas listed in
    :data:`PROVINCE_SCALED` also appear province-equivalent as ``<column>_province``."""
    frames = []
    for seed in seeds:
        spec = RunSpec(
            scenario=scenario,
            overrides=dict(overrides or {}),
            grid=grid,
            end_year=end_year,
            seed=seed,
        )
        model = simulate(spec)
        table = model.results()
        for column in PROVINCE_SCALED:
            table[f"{column}_province"] = table[column] / model.area_scale
        table.insert(0, "seed", seed)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


def band(runs: pd.DataFrame, column: str, low: float = 0.05, high: float = 0.95) -> pd.DataFrame:
    """Per year: mean, the ``low`` and ``high`` quantiles and the sd of ``column``."""
    grouped = runs.groupby("year")[column]
    return pd.DataFrame(
        {
            "mean": grouped.mean(),
            "low": grouped.quantile(low),
            "high": grouped.quantile(high),
            "sd": grouped.std(ddof=1).fillna(0.0),
        }
    )


def value_at(runs: pd.DataFrame, column: str, year: int) -> np.ndarray:
    """The value of ``column`` in ``year`` for every seed."""
    return runs.loc[runs["year"] == year, column].to_numpy()
